// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmem bad blocks: a per-disk list of poisoned sectors, in the block
 * layer's own struct badblocks, shown in /sys/block/<disk>/badblocks
 * (which also takes "sector count" to inject an entry, for testing). Every
 * change wakes a poll() on that file, as the in-tree pmem driver does.
 *
 * Entries come from machine checks on reads (copy_mc_to_kernel() reports the
 * first byte it could not read), from the pagemap's memory_failure hook, and
 * from injection. Reads that touch an entry fail; DAX stops in front of one;
 * a write that covers whole bad sectors clears them, since the new data
 * replaces the poisoned line.
 *
 * A real machine check also takes the page away (HWPoison, out of the
 * direct map): writes then go by the page's state, not by the list, see
 * fcpmem_bb_write_begin().
 *
 * Offsets here are bytes from the start of the disk.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/badblocks.h>
#include <linux/blkdev.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/set_memory.h>
#include <linux/sysfs.h>

#include "compat.h"
#include "fcpmem.h"

/**
 * fcpmem_bb_init() - set up an empty bad-block list
 * @pd: the device
 *
 * Return: 0 or -ENOMEM.
 */
int fcpmem_bb_init(struct fcpmem_device *pd)
{
	return badblocks_init(&pd->bb, 1);
}

/*
 * Wake whoever poll()s the badblocks file. sysfs_notify_dirent() only
 * queues work, so this is safe in any context the list changes in: the bio
 * path, the memory_failure hook, sysfs stores. Before the disk is added
 * there is no file to wake, yet the memory_failure hook may already record.
 */
static void fcpmem_bb_notify(struct fcpmem_device *pd)
{
	struct kernfs_node *kn;

	/* Pairs with fcpmem_bb_publish(). */
	kn = smp_load_acquire(&pd->bb_state);
	if (kn)
		sysfs_notify_dirent(kn);
}

static struct fcpmem_device *fcpmem_bb_dev(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

static ssize_t fcpmem_bb_show(struct device *dev,
			      struct device_attribute *attr, char *buf)
{
	return badblocks_show(&fcpmem_bb_dev(dev)->bb, buf, 0);
}

static ssize_t fcpmem_bb_store(struct device *dev,
			       struct device_attribute *attr,
			       const char *buf, size_t len)
{
	struct fcpmem_device *pd = fcpmem_bb_dev(dev);
	ssize_t ret = badblocks_store(&pd->bb, buf, len, 0);

	if (ret > 0)
		fcpmem_bb_notify(pd);
	return ret;
}

/*
 * The block layer shows disk->bb in the same file, the same way, but its
 * store cannot tell us an entry was injected, so nobody would wake the
 * pollers. We leave disk->bb NULL, which hides the block layer's file, and
 * add this one in its place: same name, mode, format and parser.
 */
static struct device_attribute fcpmem_dev_attr_badblocks =
	__ATTR(badblocks, 0644, fcpmem_bb_show, fcpmem_bb_store);

static struct attribute *fcpmem_bb_attrs[] = {
	&fcpmem_dev_attr_badblocks.attr,
	NULL,
};

/* Nameless: the file sits in /sys/block/<disk>/ itself. */
const struct attribute_group fcpmem_bb_attr_group = {
	.attrs	= fcpmem_bb_attrs,
};

/**
 * fcpmem_bb_publish() - let list changes wake poll() on the badblocks file
 * @pd: the device, its disk just added with fcpmem_bb_attr_group
 */
void fcpmem_bb_publish(struct fcpmem_device *pd)
{
	struct kernfs_node *kn;

	kn = fcpmem_step("sysfs_get_dirent") ? NULL :
	     sysfs_get_dirent(disk_to_dev(pd->disk)->kobj.sd, "badblocks");
	if (!kn) {
		dev_warn(&pd->pdev->dev,
			 "%s: badblocks file not found: poll() on it will not wake, read it periodically instead\n",
			 pd->disk->disk_name);
		return;
	}
	/* Pairs with fcpmem_bb_notify(): the node is whole when seen. */
	smp_store_release(&pd->bb_state, kn);
}

/**
 * fcpmem_bb_exit() - free the bad-block list
 * @pd: the device
 *
 * Only once nothing can change the list any more: the disk is deleted (no
 * bio, no sysfs store) and the pagemap is gone (no memory_failure hook).
 */
void fcpmem_bb_exit(struct fcpmem_device *pd)
{
	sysfs_put(pd->bb_state);
	pd->bb_state = NULL;
	badblocks_exit(&pd->bb);
}

/**
 * fcpmem_bb_first() - find the first bad sector in a byte range
 * @pd: the device
 * @off: start of the range, bytes
 * @len: length of the range, bytes
 * @first_bad: set to the byte offset of the first bad sector, when found
 *
 * Cheap when the list is empty, which is the hot path's common case.
 *
 * Return: true when [@off, @off + @len) touches a bad sector.
 */
bool fcpmem_bb_first(struct fcpmem_device *pd, u64 off, u64 len,
		     u64 *first_bad)
{
	sector_t s = off >> SECTOR_SHIFT, bad;
	u64 end = min(off + len, pd->size);
	fcpmem_bb_len_t num_bad;
	int nr;

	if (!READ_ONCE(pd->bb.count) || !len)
		return false;
	/* badblocks_check() counts sectors in an int: walk huge ranges. */
	while (s < DIV_ROUND_UP(end, SECTOR_SIZE)) {
		nr = min_t(u64, DIV_ROUND_UP(end, SECTOR_SIZE) - s, INT_MAX);
		if (badblocks_check(&pd->bb, s, nr, &bad, &num_bad)) {
			if (first_bad)
				*first_bad = (u64)max(bad, s) << SECTOR_SHIFT;
			return true;
		}
		s += nr;
	}
	return false;
}

/**
 * fcpmem_bb_record() - add the sectors touching a byte range to the list
 * @pd: the device
 * @off: start of the range, bytes
 * @len: length of the range, bytes
 *
 * Also called by the memory_failure hook before the disk exists and after
 * it is freed: logs under the platform device, never the disk's name (the
 * line dmesg prints when the disk is added pairs the two).
 */
void fcpmem_bb_record(struct fcpmem_device *pd, u64 off, u64 len)
{
	sector_t s = off >> SECTOR_SHIFT;
	sector_t e = DIV_ROUND_UP(off + len, SECTOR_SIZE);

	/*
	 * Before memory_failure() can mark or unmap a page: it calls our
	 * hook, which calls this, first. From here on writes look at pages.
	 */
	WRITE_ONCE(pd->mem_errors, true);
	if (!fcpmem_compat_badblocks_set(&pd->bb, s, e - s)) {
		dev_warn_ratelimited(&pd->pdev->dev,
				     "bad-block list full, sectors %llu-%llu not recorded: reads will touch that poison again; rewrite listed sectors to repair them and free entries\n",
				     (u64)s, (u64)e - 1);
		return;
	}
	dev_warn_ratelimited(&pd->pdev->dev, "sectors %llu-%llu marked bad\n",
			     (u64)s, (u64)e - 1);
	fcpmem_bb_notify(pd);
}

/*
 * Whether the kernel took this page away after a machine check. Its handler
 * hands the page to memory_failure(), which marks it HWPoison, and then, if
 * memory_failure() succeeded, to set_mce_nospec(), which takes it out of the
 * direct map, the very mapping @pd->virt is. The second happens without the
 * first when a file system's notify_failure handled the page (XFS on a free
 * block): so look at both. hwpoison_inject does only the first. A store into
 * an unmapped page faults, and our non-temporal stores have no
 * exception-table entry: an oops.
 */
static bool fcpmem_bb_page_gone(struct fcpmem_device *pd, u64 off)
{
	unsigned int level;
	pte_t *pte;

	if (PageHWPoison(pfn_to_page(PHYS_PFN(pd->phys + off))))
		return true;
	pte = lookup_address((unsigned long)pd->virt + off, &level);
	return !pte || !pte_present(*pte);
}

/**
 * fcpmem_bb_first_gone() - find the first page a machine check took away
 * @pd: the device
 * @off: start of the range, bytes
 * @len: length of the range, bytes
 * @first_gone: set to the byte offset of that page, when found
 *
 * Free until the first memory error on the device; the bad-block list is
 * no guide, clear_badblocks or a full list leave a gone page unlisted.
 *
 * Return: true when [@off, @off + @len) touches such a page.
 */
bool fcpmem_bb_first_gone(struct fcpmem_device *pd, u64 off, u64 len,
			  u64 *first_gone)
{
	u64 p;

	if (!pd->dax || !len || !READ_ONCE(pd->mem_errors))
		return false;
	for (p = round_down(off, PAGE_SIZE); p < off + len; p += PAGE_SIZE) {
		if (fcpmem_bb_page_gone(pd, p)) {
			if (first_gone)
				*first_gone = p;
			return true;
		}
	}
	return false;
}

/**
 * fcpmem_bb_write_begin() - give back the gone pages a write replaces
 * @pd: the device
 * @off: start of the range about to be written, bytes
 * @len: its length, bytes
 *
 * A gone page (see fcpmem_bb_page_gone()) that the write covers whole is
 * mapped again and loses HWPoison: the write replaces every line of it with
 * non-temporal stores that fill whole lines, which give the memory fresh
 * ECC and never read the old, poisoned, contents. A gone page the write covers only in
 * part stays gone and the write is refused: the rest of the page may hold
 * poison, and mapping it again would let speculation and prefetchers touch
 * it, which is what set_mce_nospec() guards against.
 *
 * Return: 0 when every page of the range may be stored to through
 * @pd->virt; -EIO when the range covers part of a gone page (nothing was
 * changed) or a page could not be mapped again.
 */
int fcpmem_bb_write_begin(struct fcpmem_device *pd, u64 off, u64 len)
{
	u64 end = off + len, p;

	if (!pd->dax || !len || !READ_ONCE(pd->mem_errors))
		return 0;
	/* The partial pages at the edges, before changing anything. */
	if (!PAGE_ALIGNED(off) &&
	    fcpmem_bb_page_gone(pd, round_down(off, PAGE_SIZE)))
		return -EIO;
	if (!PAGE_ALIGNED(end) &&
	    fcpmem_bb_page_gone(pd, round_down(end, PAGE_SIZE)))
		return -EIO;
	for (p = PAGE_ALIGN(off); p + PAGE_SIZE <= end; p += PAGE_SIZE) {
		unsigned long pfn = PHYS_PFN(pd->phys + p);

		if (!fcpmem_bb_page_gone(pd, p))
			continue;
		/* Map first, clear HWPoison after: unmarked means mapped. */
		if (clear_mce_nospec(pfn))
			return -EIO;
		ClearPageHWPoison(pfn_to_page(pfn));
	}
	return 0;
}

/**
 * fcpmem_bb_clear() - drop the whole sectors of a written range from the list
 * @pd: the device
 * @off: start of the range just written, bytes
 * @len: its length, bytes
 *
 * Call after the data is in place: a reader that sees the entry gone must
 * find good data behind it.
 */
void fcpmem_bb_clear(struct fcpmem_device *pd, u64 off, u64 len)
{
	sector_t s = DIV_ROUND_UP(off, SECTOR_SIZE);
	sector_t e = (off + len) >> SECTOR_SHIFT;

	if (s >= e)
		return;
	while (s < e) {
		int nr = min_t(u64, e - s, INT_MAX);

		badblocks_clear(&pd->bb, s, nr);
		s += nr;
	}
	fcpmem_bb_notify(pd);
}
