/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fcpmem private header: the per-region device shared by the block path
 * (pmem_main.c) and the DAX operations (dax_ops.c).
 */
#ifndef FCPMEM_H
#define FCPMEM_H

#include <linux/badblocks.h>
#include <linux/blkdev.h>
#include <linux/kernfs.h>
#include <linux/memremap.h>
#include <linux/percpu.h>
#include <linux/platform_device.h>
#include <linux/sizes.h>
#include <linux/types.h>

#define FCPMEM_MAX_REGIONS	16	/* regions= entries and devices */

/*
 * Disk byte 0 is the region start rounded up to this, and the disk ends at
 * the region end rounded down, whatever dax= says and whether DAX comes
 * up: memory hotplug makes struct pages only for whole 2 MiB subsections
 * on x86-64, and a file system must read the same with DAX and without.
 * Part of the on-media layout: never make it depend on the kernel.
 */
#define FCPMEM_LAYOUT_ALIGN	SZ_2M

/* Per-CPU so the bio path never bounces a shared cache line. */
struct fcpmem_stats {
	u64 bytes_written;	/* bytes copied in by write bios */
	u64 nt_bytes;		/* of those and of DAX zeroing: bytes stored
				 * non-temporally
				 */
	u64 wb_lines;		/* cache lines written back after cached
				 * stores of unaligned edges
				 */
	u64 bytes_read;		/* bytes copied out by read bios */
	u64 flushes;		/* REQ_PREFLUSH bios served */
	u64 fua_writes;		/* REQ_FUA bios served */
	u64 read_errors;	/* reads failed by a machine check */
};

struct fcpmem_device {
	unsigned int id;		/* index into fcpmem_devs[] */
	phys_addr_t phys;		/* served range start, physical:
					 * disk byte 0
					 */
	u64 size;			/* served range size in bytes */
	void *virt;			/* write-back kernel mapping of it */
	struct resource *res;		/* our claim in /proc/iomem: the
					 * whole region, larger than what we
					 * serve when it is not aligned to
					 * FCPMEM_LAYOUT_ALIGN
					 */
	struct platform_device *pdev;	/* parent of the disk, devres owner */
	struct gendisk *disk;
	struct fcpmem_stats __percpu *stats;
	struct badblocks bb;		/* poisoned sectors, see badblocks.c */
	bool mem_errors;		/* a memory error was reported here:
					 * writes must check the pages'
					 * state (fcpmem_bb_write_begin())
					 */
	struct kernfs_node *bb_state;	/* the disk's badblocks file, to
					 * wake poll(); NULL until the disk
					 * is added
					 */
	char res_name[32];		/* "fcpmem.<id>", for /proc/iomem */

	/*
	 * DAX state, owned by dax_ops.c. The pagemap's memory_failure hook
	 * runs from memremap_pages() until memunmap_pages() returns, longer
	 * than the disk lives: it may touch only bb, bb_state, pdev and
	 * dax_dev, which is why dax_dev is published only once set up and
	 * its last reference is dropped only after the pagemap is gone.
	 */
	bool dax;			/* DAX served on this device */
	struct dax_device *dax_dev;
	struct dev_pagemap pgmap;	/* struct pages for fs-dax */
};

/* pmem_main.c */
bool fcpmem_step(const char *call);
void fcpmem_write_pmem(struct fcpmem_device *pd, u64 off, const void *buf,
		       unsigned int len);

/* badblocks.c */
extern const struct attribute_group fcpmem_bb_attr_group;
int fcpmem_bb_init(struct fcpmem_device *pd);
void fcpmem_bb_publish(struct fcpmem_device *pd);
void fcpmem_bb_exit(struct fcpmem_device *pd);
bool fcpmem_bb_first(struct fcpmem_device *pd, u64 off, u64 len,
		     u64 *first_bad);
void fcpmem_bb_record(struct fcpmem_device *pd, u64 off, u64 len);
bool fcpmem_bb_first_gone(struct fcpmem_device *pd, u64 off, u64 len,
			  u64 *first_gone);
int fcpmem_bb_write_begin(struct fcpmem_device *pd, u64 off, u64 len);
void fcpmem_bb_clear(struct fcpmem_device *pd, u64 off, u64 len);

/* dax_ops.c */
void *fcpmem_dax_map(struct fcpmem_device *pd);
void fcpmem_dax_unmap(struct fcpmem_device *pd);
int fcpmem_dax_attach(struct fcpmem_device *pd);
void fcpmem_dax_detach(struct fcpmem_device *pd);

#endif /* FCPMEM_H */
