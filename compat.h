/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference fcpmem cares about, in one place, so the
 * driver itself carries no version #if. Supported: Debian's 6.1 and 6.12.
 * Each difference is detected by the feature itself (a macro the newer
 * headers define), not by version number, so backports work too.
 */
#ifndef FCPMEM_COMPAT_H
#define FCPMEM_COMPAT_H

#include <linux/blkdev.h>
#include <linux/err.h>

/**
 * struct fcpmem_queue_cfg - what fcpmem asks of its request queue
 * @dax: the disk serves DAX (struct pages exist for the whole capacity)
 */
struct fcpmem_queue_cfg {
	bool dax;
};

#ifdef BLK_FEAT_DAX

/* 6.11 moved queue features into queue_limits handed to blk_alloc_disk(). */
static inline struct gendisk *
fcpmem_compat_alloc_disk(int node, const struct fcpmem_queue_cfg *cfg)
{
	struct queue_limits lim = {
		.logical_block_size	= SECTOR_SIZE,
		.physical_block_size	= PAGE_SIZE,
		.max_hw_sectors		= UINT_MAX,
		.features		= BLK_FEAT_WRITE_CACHE | BLK_FEAT_FUA |
					  BLK_FEAT_SYNCHRONOUS |
					  BLK_FEAT_IO_STAT | BLK_FEAT_NOWAIT,
	};

	if (cfg->dax)
		lim.features |= BLK_FEAT_DAX;
	return blk_alloc_disk(&lim, node);
}

#else

static inline struct gendisk *
fcpmem_compat_alloc_disk(int node, const struct fcpmem_queue_cfg *cfg)
{
	struct gendisk *disk = blk_alloc_disk(node);
	struct request_queue *q;

	if (!disk)
		return ERR_PTR(-ENOMEM);
	q = disk->queue;
	blk_queue_logical_block_size(q, SECTOR_SIZE);
	blk_queue_physical_block_size(q, PAGE_SIZE);
	blk_queue_max_hw_sectors(q, UINT_MAX);
	blk_queue_write_cache(q, true, true);
	blk_queue_flag_set(QUEUE_FLAG_NONROT, q);
	blk_queue_flag_set(QUEUE_FLAG_IO_STAT, q);
	blk_queue_flag_set(QUEUE_FLAG_NOWAIT, q);
	if (cfg->dax)
		blk_queue_flag_set(QUEUE_FLAG_DAX, q);
	return disk;
}

#endif

/*
 * What direct_access returns for a poisoned page. 6.3 changed it from -EIO
 * to -EHWPOISON (and added dax_mem2blk_err() to hand -EIO to user space);
 * the DAX core tries a recovery write only on the one it expects. Kbuild
 * probes dax.h for dax_mem2blk_err(), an inline function #ifdef can't see.
 */
#ifdef FCPMEM_HAVE_DAX_MEM2BLK_ERR
#define FCPMEM_DAX_POISONED	(-EHWPOISON)
#else
#define FCPMEM_DAX_POISONED	(-EIO)
#endif

/*
 * The user-copy difference (6.1's __copy_user_nocache() against 6.12's
 * copy_to_nontemporal()) sits with the other machine primitives in
 * flushcache.h's kernel section, which the host tests replace.
 */

#endif /* FCPMEM_COMPAT_H */
