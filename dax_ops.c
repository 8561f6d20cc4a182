// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmem DAX: struct pages for the region, a dax_device bound to the disk,
 * and the three operations the DAX core asks of a driver.
 *
 * Which copy runs where (since Linux 5.17): the DAX core copies regular
 * DAX file writes itself, with the kernel's _copy_from_iter_flushcache(),
 * because we set DAXDEV_NOCACHE. Our own fcpmem_copy_from_iter_flushcache()
 * runs for recovery writes, and our memcpy_flushcache for zeroing and for
 * every bio.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dax.h>
#include <linux/io.h>
#include <linux/memremap.h>
#include <linux/mm.h>
#include <linux/uio.h>

#include "compat.h"
#include "fcpmem.h"
#include "flushcache.h"

static long fcpmem_dax_direct_access(struct dax_device *dax_dev,
				     pgoff_t pgoff, long nr_pages,
				     enum dax_access_mode mode, void **kaddr,
				     fcpmem_pfn_t *pfn)
{
	struct fcpmem_device *pd = dax_get_private(dax_dev);
	u64 off = PFN_PHYS(pgoff), len, bad = U64_MAX, gone;
	long avail;

	if (off >= pd->size)
		return -ERANGE;
	/* The DAX core clamps this to what it asked for. */
	avail = PHYS_PFN(pd->size - off);

	/*
	 * Stop in front of the first bad page, so what comes before it is
	 * still served; only a recovery write may map the bad page itself.
	 * (The in-tree driver refuses the whole range.) A page is bad when
	 * listed, or when a machine check took it away though it is not
	 * listed (cleared, or the list was full): a DAX copy into it would
	 * fault.
	 */
	len = PFN_PHYS(min(nr_pages, avail));
	/*
	 * Both lists are empty until a machine check or a badblocks store:
	 * test that here and spare the calls, as the bio path does.
	 */
	if (unlikely(READ_ONCE(pd->bb.count)))
		fcpmem_bb_first(pd, off, len, &bad);
	if (unlikely(READ_ONCE(pd->mem_errors)) &&
	    fcpmem_bb_first_gone(pd, off, len, &gone))
		bad = min(bad, gone);
	if (bad != U64_MAX) {
		if (bad >= off + PAGE_SIZE)
			avail = PHYS_PFN(bad - off);
		else if (mode == DAX_RECOVERY_WRITE)
			avail = 1;
		else
			return FCPMEM_DAX_POISONED;
	}

	if (kaddr)
		*kaddr = pd->virt + off;
	if (pfn)
		*pfn = fcpmem_phys_to_pfn(pd->phys + off);
	return avail;
}

static int fcpmem_dax_zero_page_range(struct dax_device *dax_dev,
				      pgoff_t pgoff, size_t nr_pages)
{
	struct fcpmem_device *pd = dax_get_private(dax_dev);
	u64 off = PFN_PHYS(pgoff);
	bool bad;
	size_t i;

	if (off >= pd->size || nr_pages > PHYS_PFN(pd->size - off))
		return -ERANGE;
	/* Zeroes replace poison like any write; whole pages always. */
	if (fcpmem_bb_write_begin(pd, off, PFN_PHYS(nr_pages)))
		return -EIO;
	bad = fcpmem_bb_first(pd, off, PFN_PHYS(nr_pages), NULL);
	/*
	 * Through the flushcache copy so no zeroed line sits dirty in the
	 * cache; the fence makes the zeroes durable before the file system
	 * records the blocks as initialised.
	 */
	for (i = 0; i < nr_pages; i++)
		fcpmem_write_pmem(pd, off + PFN_PHYS(i),
				  page_address(ZERO_PAGE(0)), PAGE_SIZE);
	fcpmem_fence();
	if (bad)
		fcpmem_bb_clear(pd, off, PFN_PHYS(nr_pages));
	return 0;
}

/*
 * The DAX core calls this for a write that direct_access refused with
 * -EHWPOISON: map the poisoned pages again, write, and drop the sectors
 * the write covered whole from the list.
 *
 * A page a machine check took away (HWPoison, out of the direct map) comes
 * back only if the write covers it whole; otherwise we return 0, as the
 * in-tree driver does for anything but whole aligned pages, and the DAX
 * core fails the write (with EFAULT, its errno for a recovery write that
 * wrote nothing). A page that is only listed is still mapped: we take a
 * write to part of it, and its sectors written in part stay bad.
 */
static size_t fcpmem_dax_recovery_write(struct dax_device *dax_dev,
					pgoff_t pgoff, void *addr,
					size_t bytes, struct iov_iter *iter)
{
	struct fcpmem_device *pd = dax_get_private(dax_dev);
	u64 off = addr - pd->virt;
	size_t done;
	bool bad;

	if (fcpmem_bb_write_begin(pd, off, bytes)) {
		dev_warn_ratelimited(&pd->pdev->dev,
				     "%s: refused a DAX write of %zu bytes at offset %llu: it covers part of a page a machine check took away; write the whole %lu-byte page to repair it\n",
				     pd->disk->disk_name, bytes, off, PAGE_SIZE);
		return 0;
	}
	bad = fcpmem_bb_first(pd, off, bytes, NULL);
	done = fcpmem_copy_from_iter_flushcache(addr, bytes, iter);
	if (bad) {
		/* The clear must not overtake the data it vouches for. */
		fcpmem_fence();
		fcpmem_bb_clear(pd, off, done);
	}
	return done;
}

static const struct dax_operations fcpmem_dax_ops = {
	.direct_access		= fcpmem_dax_direct_access,
	.zero_page_range	= fcpmem_dax_zero_page_range,
	.recovery_write		= fcpmem_dax_recovery_write,
};

/*
 * A machine check in a page of the region: record it, and let the file
 * system that holds the page act. Live from memremap_pages() until
 * memunmap_pages() returns (memory_failure() holds a pagemap reference
 * across the call and memunmap_pages() waits for it), so this may run
 * before the disk exists and after it is freed: see struct fcpmem_device
 * for what it may touch.
 */
static int fcpmem_dax_memory_failure(struct dev_pagemap *pgmap,
				     unsigned long pfn, unsigned long nr_pages,
				     int mf_flags)
{
	struct fcpmem_device *pd =
		container_of(pgmap, struct fcpmem_device, pgmap);
	/* Not pd->phys: fcpmem_dax_map() moves it only once we are live. */
	u64 off = PFN_PHYS(pfn) - pgmap->range.start;
	struct dax_device *dax_dev;

	fcpmem_bb_record(pd, off, PFN_PHYS(nr_pages));
	/*
	 * NULL until fcpmem_dax_attach() has set it up; after that valid
	 * until fcpmem_dax_unmap(), which cannot get past memunmap_pages()
	 * while we run. Once killed, the DAX core answers -ENXIO itself.
	 */
	dax_dev = smp_load_acquire(&pd->dax_dev);
	if (!dax_dev)
		return -EOPNOTSUPP;
	return dax_holder_notify_failure(dax_dev, off, PFN_PHYS(nr_pages),
					 mf_flags);
}

static const struct dev_pagemap_ops fcpmem_pagemap_ops = {
	.memory_failure		= fcpmem_dax_memory_failure,
};

/**
 * fcpmem_dax_map() - map the served range with struct pages for fs-dax
 * @pd: the device; @pd->phys and @pd->size hold the served range, which
 *	pmem_main.c has already cut to FCPMEM_LAYOUT_ALIGN
 *
 * Never changes the served range: a file system made with DAX must read
 * the same when DAX is off or cannot come up (see FCPMEM_LAYOUT_ALIGN).
 * The struct pages go on the device's NUMA node, the region's own.
 *
 * Return: the kernel address of the mapping with @pd->dax set; NULL when
 * DAX cannot be served on this range (the reason is logged and the caller
 * maps the same range without DAX); or an ERR_PTR.
 */
void *fcpmem_dax_map(struct fcpmem_device *pd)
{
	struct device *dev = &pd->pdev->dev;
	unsigned long align = memremap_compat_align();
	phys_addr_t end = pd->phys + pd->size;
	void *addr;

	if (!IS_ENABLED(CONFIG_FS_DAX)) {
		dev_info(dev, "kernel built without CONFIG_FS_DAX: serving without DAX\n");
		return NULL;
	}
	/*
	 * Hotplug granularity is 2 MiB on x86-64, which the layout is cut
	 * to; an architecture with a coarser one gets block I/O only.
	 */
	if (!IS_ALIGNED(pd->phys, align) || !IS_ALIGNED(pd->size, align)) {
		dev_warn(dev, "[mem %#llx-%#llx] is not %lu KiB aligned, which struct pages need: serving it without DAX\n",
			 (u64)pd->phys, (u64)end - 1, align >> 10);
		return NULL;
	}

	pd->pgmap.range.start = pd->phys;
	pd->pgmap.range.end = end - 1;
	pd->pgmap.nr_range = 1;
	pd->pgmap.type = MEMORY_DEVICE_FS_DAX;
	pd->pgmap.ops = &fcpmem_pagemap_ops;
	pd->pgmap.owner = pd;
	addr = fcpmem_step("memremap_pages") ? ERR_PTR(-ENOMEM) :
	       memremap_pages(&pd->pgmap, dev_to_node(dev));
	if (IS_ERR(addr)) {
		dev_warn(dev, "cannot create struct pages for [mem %#llx-%#llx]: %ld; serving the same range without DAX\n",
			 (u64)pd->phys, (u64)end - 1, PTR_ERR(addr));
		memset(&pd->pgmap, 0, sizeof(pd->pgmap));
		return NULL;
	}
	pd->dax = true;
	return addr;
}

/**
 * fcpmem_dax_unmap() - undo fcpmem_dax_map(), and drop the dax_device
 * @pd: a device whose map succeeded with DAX
 *
 * Waits for every page reference to drop; the module reference held by a
 * mounted file system keeps us from getting here while pages are in use.
 * A memory_failure hook still running holds one too, so once
 * memunmap_pages() returns none can be using the dax_device, and the
 * reference fcpmem_dax_detach() left is dropped here.
 */
void fcpmem_dax_unmap(struct fcpmem_device *pd)
{
	memunmap_pages(&pd->pgmap);
	if (pd->dax_dev) {
		put_dax(pd->dax_dev);
		pd->dax_dev = NULL;
	}
}

/**
 * fcpmem_dax_attach() - create the dax_device and bind it to the disk
 * @pd: a device with DAX mapped and its gendisk allocated but not added
 *
 * Return: 0 or a negative errno.
 */
int fcpmem_dax_attach(struct fcpmem_device *pd)
{
	struct dax_device *dax_dev;
	int ret;

	dax_dev = fcpmem_step("alloc_dax") ? ERR_PTR(-ENOMEM) :
		  alloc_dax(pd, &fcpmem_dax_ops);
	if (IS_ERR(dax_dev))
		return PTR_ERR(dax_dev);
	/* File writes through the DAX core must not leave dirty lines. */
	set_dax_nocache(dax_dev);
	/* DAX reads must survive poison: machine-check-safe copies. */
	set_dax_nomc(dax_dev);
	/* No flush is needed beyond the CPU's: MAP_SYNC is allowed. */
	set_dax_synchronous(dax_dev);
	ret = fcpmem_step("dax_add_host") ? -ENOMEM :
	      dax_add_host(dax_dev, pd->disk);
	if (ret)
		goto out_put_dax;
	/*
	 * mmap stores are ordinary cached stores: fsync must write their
	 * lines back, which the DAX core does only when told there is a
	 * write cache.
	 */
	dax_write_cache(dax_dev, true);
	/* Pairs with the memory_failure hook: it sees a dax_device set up. */
	smp_store_release(&pd->dax_dev, dax_dev);
	return 0;

out_put_dax:
	kill_dax(dax_dev);
	put_dax(dax_dev);
	return ret;
}

/**
 * fcpmem_dax_detach() - undo fcpmem_dax_attach(), but for the last put
 * @pd: a device with an attached dax_device
 *
 * Unbinds the dax_device from the disk and kills it, so no DAX operation
 * starts again. The memory_failure hook may still hold the pointer: the
 * reference is dropped by fcpmem_dax_unmap(), after the pagemap is gone.
 */
void fcpmem_dax_detach(struct fcpmem_device *pd)
{
	dax_remove_host(pd->disk);
	kill_dax(pd->dax_dev);
}
