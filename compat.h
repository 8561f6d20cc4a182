/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version difference fcpmem cares about, in one place, so the
 * driver itself carries no version #if. Each block is keyed on the mainline
 * version that changed the API and names the change. What is tested is the
 * matrix in kernels.conf (6.1, 6.12, 6.12-rt, 7.3); a kernel between two of
 * those rows compiles from the same blocks but has not been run.
 */
#ifndef FCPMEM_COMPAT_H
#define FCPMEM_COMPAT_H

#include <linux/badblocks.h>
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/err.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/uaccess.h>
#include <linux/uio.h>
#include <linux/version.h>

/*
 * Whether the headers are of mainline a.b or later. This is the one place
 * LINUX_VERSION_CODE is read (checkpatch's rule against it is for in-tree
 * code; tools/check relaxes it, and the typedef rule, for this file only).
 */
#define FCPMEM_SINCE(a, b)	(LINUX_VERSION_CODE >= KERNEL_VERSION(a, b, 0))

/* 6.19: kernel.h no longer pulls in hex.h (hex_to_bin()). */
#if FCPMEM_SINCE(6, 19)
#include <linux/hex.h>
#endif

/**
 * struct fcpmem_queue_cfg - what fcpmem asks of its request queue
 * @dax: the disk serves DAX (struct pages exist for the whole capacity)
 */
struct fcpmem_queue_cfg {
	bool dax;
};

/* 6.11: queue limits and features are handed to blk_alloc_disk(). */
#if FCPMEM_SINCE(6, 11)

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
 * 6.9: the partition scan that device_add_disk() runs opens the disk as a
 * file, and the last fput() of a user task is deferred to its return to
 * user space. For insmod that is after a failed init has freed the
 * module: the release then calls through our freed block_device_operations
 * (KASAN: vmalloc-out-of-bounds in blkdev_put_whole, found by
 * fault_inject.sh failing the second region's setup). So the disks are
 * added with the scan held back, and scanned once init can no longer fail,
 * the way add_disk would (the deferred fput then finds the module live).
 * Before 6.9 the scan closes the disk before add_disk returns.
 */
#if FCPMEM_SINCE(6, 9)

static inline void fcpmem_compat_hold_part_scan(struct gendisk *disk)
{
	set_bit(GD_SUPPRESS_PART_SCAN, &disk->state);
}

static inline void fcpmem_compat_scan_partitions(struct gendisk *disk)
{
	struct file *file;

	clear_bit(GD_SUPPRESS_PART_SCAN, &disk->state);
	if (!disk_has_partscan(disk))
		return;
	/* The first open of a disk with this bit set reads its table. */
	set_bit(GD_NEED_PART_SCAN, &disk->state);
	file = bdev_file_open_by_dev(disk_devt(disk), BLK_OPEN_READ, NULL, NULL);
	if (!IS_ERR(file))
		fput(file);
	clear_bit(GD_NEED_PART_SCAN, &disk->state);
}

#else

static inline void fcpmem_compat_hold_part_scan(struct gendisk *disk)
{
}

static inline void fcpmem_compat_scan_partitions(struct gendisk *disk)
{
}

#endif

/*
 * 6.3: direct_access reports a poisoned page as -EHWPOISON, not -EIO
 * (dax_mem2blk_err() hands -EIO to user space); the DAX core tries a
 * recovery write only on the one it expects.
 */
#if FCPMEM_SINCE(6, 3)
#define FCPMEM_DAX_POISONED	(-EHWPOISON)
#else
#define FCPMEM_DAX_POISONED	(-EIO)
#endif

/* 6.4: the iovec array of an iov_iter is __iov, read through iter_iov(). */
#if FCPMEM_SINCE(6, 4)
#define fcpmem_iter_iov(i)	iter_iov(i)
#else
#define fcpmem_iter_iov(i)	((i)->iov)
#endif

/*
 * 6.17: pfn_t removed; direct_access hands back a plain pfn, and every
 * fs-dax pfn has a refcounted ZONE_DEVICE page (6.15), so no PFN_DEV or
 * PFN_MAP flag is needed to say so.
 */
#if FCPMEM_SINCE(6, 17)
typedef unsigned long fcpmem_pfn_t;
#define fcpmem_phys_to_pfn(phys)	PHYS_PFN(phys)
#else
#include <linux/pfn_t.h>
typedef pfn_t fcpmem_pfn_t;
#define fcpmem_phys_to_pfn(phys)	phys_to_pfn_t(phys, PFN_DEV | PFN_MAP)
#endif

/*
 * 6.18: nth_page() removed: the pages of one bio_vec are contiguous in the
 * memmap, so plain pointer arithmetic walks them.
 */
#if FCPMEM_SINCE(6, 18)
#define fcpmem_nth_page(page, n)	((page) + (n))
#else
#define fcpmem_nth_page(page, n)	nth_page(page, n)
#endif

/*
 * 6.15: badblocks_check() reports the bad run's length as a sector_t (it
 * was an int), and badblocks_set() returns true on success (it returned 0).
 */
#if FCPMEM_SINCE(6, 15)
typedef sector_t fcpmem_bb_len_t;

static inline bool fcpmem_compat_badblocks_set(struct badblocks *bb,
					       sector_t s, int sectors)
{
	return badblocks_set(bb, s, sectors, 1);
}
#else
typedef int fcpmem_bb_len_t;

static inline bool fcpmem_compat_badblocks_set(struct badblocks *bb,
					       sector_t s, int sectors)
{
	return !badblocks_set(bb, s, sectors, 1);
}
#endif

/*
 * Non-temporal copy from user space, returning the bytes not copied.
 * Upstream commit d187a86de793 renamed 6.1's __copy_user_nocache(dst, src,
 * size, zerorest) to copy_to_nontemporal() (6.12 has it) and announces it
 * with a macro of that name. Stable trees are taking the rename (6.6.y in
 * 2026), so this one block keys on that macro, not on a version: a 6.1.y
 * upload that picks it up keeps building. Both inline wrappers do the
 * stac()/clac(); @size is at most INT_MAX, they take an unsigned int.
 */
static inline size_t fcpmem_compat_copy_user_nt(void *dst,
						const void __user *src,
						size_t size)
{
#ifdef copy_to_nontemporal
	return copy_from_user_inatomic_nontemporal(dst, src, size);
#else
	return __copy_from_user_inatomic_nocache(dst, src, size);
#endif
}

#endif /* FCPMEM_COMPAT_H */
