// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmem bad blocks: a per-disk list of poisoned sectors, in the block
 * layer's own struct badblocks, so it shows in /sys/block/<disk>/badblocks
 * (which also takes "sector count" to inject an entry, for testing).
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

/**
 * fcpmem_bb_exit() - free the bad-block list
 * @pd: the device
 */
void fcpmem_bb_exit(struct fcpmem_device *pd)
{
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

	while (s < e) {
		int nr = min_t(u64, e - s, INT_MAX);

		badblocks_clear(&pd->bb, s, nr);
		s += nr;
	}
}
