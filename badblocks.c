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

	kn = sysfs_get_dirent(disk_to_dev(pd->disk)->kobj.sd, "badblocks");
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

/**
 * fcpmem_bb_unpoison() - make poisoned pages writable again before a write
 * @pd: the device
 * @off: start of the range about to be written, bytes
 * @len: its length, bytes
 *
 * After a real machine check, memory_failure() may have marked a page
 * HWPoison and taken it out of the direct map; a write through that mapping
 * would fault. Only whole pages are given back: a page the write covers in
 * part keeps whatever poison it has outside the write.
 */
void fcpmem_bb_unpoison(struct fcpmem_device *pd, u64 off, u64 len)
{
	unsigned long pfn = PHYS_PFN(pd->phys + PAGE_ALIGN(off));
	unsigned long end = PHYS_PFN(pd->phys + ((off + len) & PAGE_MASK));

	if (!pd->dax)	/* no struct pages, nothing memory_failure() marked */
		return;
	for (; pfn < end; pfn++)
		if (TestClearPageHWPoison(pfn_to_page(pfn)))
			clear_mce_nospec(pfn);
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
