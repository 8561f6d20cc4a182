// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmem: a persistent-memory block device, with DAX, on the legacy pmem
 * regions the kernel reserves for "memmap=nn!ss".
 *
 * This file holds the module parameters, region discovery and claiming,
 * the gendisk and the bio path. The copies live in flushcache_x86.c, DAX in
 * dax_ops.c, and every kernel-version difference in compat.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/ctype.h>
#include <linux/highmem.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/numa.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "fault.h"
#include "fcpmem.h"
#include "flushcache.h"

/* A physical range, [start, start + size). */
struct fcpmem_range {
	phys_addr_t start;
	u64 size;
};

/* regions= as parsed at load; empty means "every legacy region". */
static struct fcpmem_range fcpmem_param_ranges[FCPMEM_MAX_REGIONS];
static unsigned int fcpmem_param_nr_ranges;
static char fcpmem_param_regions_str[256];

static char fcpmem_param_prefix[16] = "pmem";
static char fcpmem_param_copy[16];
static bool fcpmem_param_dax = true;

static struct fcpmem_device *fcpmem_devs[FCPMEM_MAX_REGIONS];
static unsigned int fcpmem_nr_devs;

/*
 * The fallible call the load is at, for the one message that says why a
 * load failed: many of those calls fail silently (allocations), and one
 * line naming the call and the region beats one per call site.
 */
static const char *fcpmem_load_step;

/**
 * fcpmem_step() - note the fallible call the load path makes next
 * @call: the call, e.g. "alloc_percpu"
 *
 * Return: true when fault injection (fault.c) fails the call: do not make
 * it, return its error. Always false without CONFIG_FAULT_INJECTION.
 */
bool fcpmem_step(const char *call)
{
	fcpmem_load_step = call;
	return fcpmem_fault(call);
}

/*
 * memparse() without its silent wrap-around: digits worth 2^64 or more, or
 * a K/M/G/T/P/E suffix that shifts the value past 2^64, give -ERANGE where
 * memparse() would hand back the bits that are left (16E is 0, and
 * 2^64 + 4096 is 4096). Same syntax otherwise: 0x hex, leading-0 octal,
 * decimal, one optional suffix. -EINVAL if @s does not start with a digit;
 * *@end is left after what was used.
 */
static int fcpmem_parse_u64(char *s, char **end, u64 *val)
{
	unsigned int base = 10, shift = 0;
	char *p = s, saved;
	u64 v;
	int ret;

	if (p[0] == '0' && tolower(p[1]) == 'x' && isxdigit(p[2])) {
		base = 16;
		p += 2;
	} else if (p[0] == '0') {
		base = 8;
	}
	while (isxdigit(*p) && hex_to_bin(*p) < base)
		p++;
	*end = p;
	if (p == s)
		return -EINVAL;

	saved = *p;
	*p = '\0';
	ret = kstrtoull(s, 0, &v);
	*p = saved;
	if (ret)
		return ret;

	switch (*p) {
	case 'E':
	case 'e':
		shift += 10;
		fallthrough;
	case 'P':
	case 'p':
		shift += 10;
		fallthrough;
	case 'T':
	case 't':
		shift += 10;
		fallthrough;
	case 'G':
	case 'g':
		shift += 10;
		fallthrough;
	case 'M':
	case 'm':
		shift += 10;
		fallthrough;
	case 'K':
	case 'k':
		shift += 10;
		(*end)++;
		break;
	}
	if (v > U64_MAX >> shift)
		return -ERANGE;
	*val = v << shift;
	return 0;
}

/*
 * regions=size@start[,size@start...]: checked for syntax, zero sizes,
 * alignment and overlap here, so a bad value fails insmod before anything
 * is touched. Whether the range really is reserved pmem is checked at init.
 */
static int fcpmem_regions_set(const char *val, const struct kernel_param *kp)
{
	struct fcpmem_range ranges[FCPMEM_MAX_REGIONS];
	unsigned int nr = 0, i, j;
	char *buf, *cur, *tok;
	int ret = 0;

	if (strlen(val) >= sizeof(fcpmem_param_regions_str)) {
		pr_err("regions=: value longer than %zu characters\n",
		       sizeof(fcpmem_param_regions_str) - 1);
		return -EINVAL;
	}
	/* fail_load= acts here only when given before regions= */
	buf = fcpmem_fault("kstrdup") ? NULL : kstrdup(val, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	cur = strim(buf);
	while ((tok = strsep(&cur, ",")) != NULL) {
		char *p = strim(tok), *end;
		u64 size, start;

		if (!*p)
			continue;
		if (nr == FCPMEM_MAX_REGIONS) {
			pr_err("regions=: at most %d regions\n",
			       FCPMEM_MAX_REGIONS);
			ret = -EINVAL;
			goto out;
		}
		ret = fcpmem_parse_u64(p, &end, &size);
		if (ret == -ERANGE) {
			pr_err("regions=: size in '%s' is 16 EiB or more\n", tok);
			goto out;
		}
		if (ret || *end != '@') {
			pr_err("regions=: '%s' is not size@start (e.g. 256M@1G)\n",
			       p);
			ret = -EINVAL;
			goto out;
		}
		p = end + 1;
		ret = fcpmem_parse_u64(p, &end, &start);
		if (ret == -ERANGE) {
			pr_err("regions=: start in '%s' is 16 EiB or more\n",
			       tok);
			goto out;
		}
		if (ret || *end) {
			pr_err("regions=: bad start address in '%s' (e.g. 256M@1G)\n",
			       tok);
			ret = -EINVAL;
			goto out;
		}
		if (!size) {
			pr_err("regions=: '%s' has zero size\n", tok);
			ret = -EINVAL;
			goto out;
		}
		if (!IS_ALIGNED(start, PAGE_SIZE) ||
		    !IS_ALIGNED(size, PAGE_SIZE)) {
			pr_err("regions=: '%s' is not aligned to %lu bytes in start and size\n",
			       tok, PAGE_SIZE);
			ret = -EINVAL;
			goto out;
		}
		if (start + size < start) {
			pr_err("regions=: '%s' wraps around the address space\n",
			       tok);
			ret = -EINVAL;
			goto out;
		}
		ranges[nr].start = start;
		ranges[nr].size = size;
		nr++;
	}

	for (i = 0; i < nr; i++) {
		for (j = i + 1; j < nr; j++) {
			if (ranges[i].start < ranges[j].start + ranges[j].size &&
			    ranges[j].start < ranges[i].start + ranges[i].size) {
				pr_err("regions=: entries %u and %u overlap\n",
				       i + 1, j + 1);
				ret = -EINVAL;
				goto out;
			}
		}
	}

	memcpy(fcpmem_param_ranges, ranges, nr * sizeof(ranges[0]));
	fcpmem_param_nr_ranges = nr;
	strscpy(fcpmem_param_regions_str, val,
		sizeof(fcpmem_param_regions_str));
out:
	kfree(buf);
	return ret;
}

static int fcpmem_regions_get(char *buf, const struct kernel_param *kp)
{
	return sysfs_emit(buf, "%s\n", fcpmem_param_regions_str);
}

static const struct kernel_param_ops fcpmem_regions_ops = {
	.set = fcpmem_regions_set,
	.get = fcpmem_regions_get,
};
module_param_cb(regions, &fcpmem_regions_ops, NULL, 0444);
MODULE_PARM_DESC(regions,
		 "Physical ranges to serve, size@start[,size@start...] with K/M/G suffixes, each inside a memmap=nn!ss reservation and 4 KiB aligned (default: empty, every legacy pmem region)");

/* The disk name prefix becomes a /dev name: keep it to [a-z0-9_]. */
static int fcpmem_prefix_set(const char *val, const struct kernel_param *kp)
{
	size_t len = strcspn(val, "\n");
	size_t i;

	if (!len || len >= sizeof(fcpmem_param_prefix) - 3) {
		pr_err("name=: must be 1 to %zu characters\n",
		       sizeof(fcpmem_param_prefix) - 4);
		return -EINVAL;
	}
	for (i = 0; i < len; i++) {
		/* islower() is Latin-1: it would let 0xe0-0xff through */
		if (!isascii(val[i]) ||
		    (!islower(val[i]) && !isdigit(val[i]) && val[i] != '_')) {
			pr_err("name=: '%.*s' may only hold a-z, 0-9 and _\n",
			       (int)len, val);
			return -EINVAL;
		}
	}
	memcpy(fcpmem_param_prefix, val, len);
	fcpmem_param_prefix[len] = '\0';
	return 0;
}

static const struct kernel_param_ops fcpmem_prefix_ops = {
	.set = fcpmem_prefix_set,
	.get = param_get_string,
};

static struct kparam_string fcpmem_prefix_kps = {
	.maxlen = sizeof(fcpmem_param_prefix),
	.string = fcpmem_param_prefix,
};
module_param_cb(name, &fcpmem_prefix_ops, &fcpmem_prefix_kps, 0444);
MODULE_PARM_DESC(name,
		 "Disk name prefix: devices are /dev/<name>0, <name>1, ... (default: pmem; a-z, 0-9, _ only, at most 12 characters)");

module_param_string(copy, fcpmem_param_copy, sizeof(fcpmem_param_copy),
		    0444);
MODULE_PARM_DESC(copy,
		 "Force a write copy variant: movnti, avx2 or avx512 (default: empty, time each one this CPU supports at load and use the fastest)");

module_param_named(dax, fcpmem_param_dax, bool, 0444);
MODULE_PARM_DESC(dax,
		 "Serve DAX (mount -o dax, MAP_SYNC) on each device (default: 1; 0 serves plain block I/O only)");

/*
 * The nvdimm-style flush. The store fence makes every earlier non-temporal
 * store and cache-line write-back globally visible, which on x86 means it
 * has reached the memory controller's persistence domain (ADR). A platform
 * with flush-hint addresses would write them here, after the fence, and
 * fence again; a memmap region has none, the memory controller is the end
 * of the line.
 */
static void fcpmem_flush(struct fcpmem_device *pd)
{
	fcpmem_fence();
}

/*
 * The body of fcpmem_write_pmem(), inlined into the bio path: a call, its
 * prologue and epilogue are tens of instructions in a 4 KiB write.
 */
static __always_inline void fcpmem_write_pmem_inline(struct fcpmem_device *pd,
						     u64 off, const void *buf,
						     unsigned int len)
{
	struct fcpmem_copy_acct acct;

	acct = fcpmem_memcpy_flushcache(pd->virt + off, buf, len);
	/*
	 * this_cpu_add(), not get_cpu_ptr() and "+=": a bio can be submitted
	 * or completed from interrupt context under a stacked driver, and an
	 * interrupt between the load and the store would lose its update.
	 * On x86 this is one instruction, and no preempt_disable() either.
	 */
	this_cpu_add(pd->stats->nt_bytes, len - acct.cached);
	this_cpu_add(pd->stats->wb_lines, acct.wb_lines);
}

/**
 * fcpmem_write_pmem() - the one way data goes into the region
 * @pd: the device
 * @off: byte offset in the device
 * @buf: source, kernel memory
 * @len: bytes
 *
 * Leaves no destination line dirty (see flushcache_x86.c) and counts how;
 * durable after the next fcpmem_fence().
 */
void fcpmem_write_pmem(struct fcpmem_device *pd, u64 off, const void *buf,
		       unsigned int len)
{
	fcpmem_write_pmem_inline(pd, off, buf, len);
}

/*
 * Returns 0, or -EIO when a machine check hit the pmem source; the sector
 * holding the first byte that could not be read joins the bad-block list,
 * so the next read fails before touching the poison again.
 */
static int fcpmem_read_pmem(struct fcpmem_device *pd, void *buf, u64 off,
			    unsigned int len)
{
	unsigned long rem = copy_mc_to_kernel(buf, pd->virt + off, len);

	if (likely(!rem))
		return 0;
	fcpmem_bb_record(pd, off + len - rem, 1);
	return -EIO;
}

static void fcpmem_submit_bio(struct bio *bio)
{
	struct fcpmem_device *pd = bio->bi_bdev->bd_disk->private_data;
	blk_status_t status = BLK_STS_OK;
	bool write = op_is_write(bio_op(bio));
	unsigned long start = 0;
	struct bvec_iter iter;
	struct bio_vec bvec;
	u64 off, start_off, bytes = 0;
	bool acct, bad;

	switch (bio_op(bio)) {
	case REQ_OP_READ:
	case REQ_OP_WRITE:
		break;
	default:
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
		return;
	}

	/*
	 * The block layer already fails bios past the capacity; check again
	 * so that no path can ever make us copy outside the region.
	 *
	 * Only a bio that carries data has a position to check. The sector of
	 * an empty bio (a bare REQ_PREFLUSH) means nothing, and stacking
	 * drivers leave anything in it: 6.1's dm-linear remaps the empty
	 * flush it sends to each target like a data bio, so the target that
	 * begins at table sector B passes it down at sector 0 - B, wrapped.
	 * The block layer's own end-of-device check, bio_check_eod(), skips
	 * bios without sectors for this reason; failing them here made every
	 * fsync through such a table return EIO. The start is compared in
	 * sectors: a sector near 2^64 shifted to bytes would wrap into range.
	 */
	off = (u64)bio->bi_iter.bi_sector << SECTOR_SHIFT;
	if (bio->bi_iter.bi_size &&
	    (bio->bi_iter.bi_sector > (pd->size >> SECTOR_SHIFT) ||
	     bio->bi_iter.bi_size > pd->size - off)) {
		pr_err_ratelimited("%s: refused %s of %u bytes at sector %llu, beyond the end of the disk; the layer above sent it, please report this\n",
				   pd->disk->disk_name,
				   write ? "a write" : "a read",
				   bio->bi_iter.bi_size,
				   (u64)bio->bi_iter.bi_sector);
		bio_io_error(bio);
		return;
	}

	/*
	 * A read must not touch known poison. A write replaces it: pages a
	 * machine check took away are mapped again first, and the sectors
	 * leave the list once the new data is in place. That needs the
	 * write to cover those pages whole; one that does not would store
	 * into an unmapped page, so it fails, as in the in-tree driver.
	 */
	start_off = off;
	/*
	 * Both lists are empty until a machine check or a badblocks store:
	 * test that inline, as pmem.c's is_bad_pmem() does, and make the
	 * calls (tens of instructions each) only when there is a list to look
	 * at. Each callee tests the same again; this only saves the call.
	 */
	bad = unlikely(READ_ONCE(pd->bb.count)) &&
	      fcpmem_bb_first(pd, off, bio->bi_iter.bi_size, NULL);
	if (bad && !write) {
		bio_io_error(bio);
		return;
	}
	if (write && unlikely(READ_ONCE(pd->mem_errors)) &&
	    fcpmem_bb_write_begin(pd, off, bio->bi_iter.bi_size)) {
		dev_warn_ratelimited(&pd->pdev->dev,
				     "%s: refused a write of %u bytes at sector %llu: it covers part of a page a machine check took away; write the whole %lu-byte page to repair it\n",
				     pd->disk->disk_name, bio->bi_iter.bi_size,
				     (u64)bio->bi_iter.bi_sector, PAGE_SIZE);
		bio_io_error(bio);
		return;
	}

	/* Flush before the data: earlier completed writes become durable. */
	if (bio->bi_opf & REQ_PREFLUSH) {
		fcpmem_flush(pd);
		this_cpu_inc(pd->stats->flushes);
	}

	acct = bio->bi_iter.bi_size && blk_queue_io_stat(pd->disk->queue);
	if (acct)
		start = bio_start_io_acct(bio);

	/*
	 * Multi-page bvecs are physically contiguous and, with no highmem on
	 * x86_64, contiguous in the direct map too: one copy per bvec keeps
	 * large bios in the copy routine's fast loop.
	 */
	bio_for_each_bvec(bvec, bio, iter) {
		void *mem = bvec_virt(&bvec);

		if (write) {
			fcpmem_write_pmem_inline(pd, off, mem, bvec.bv_len);
		} else if (fcpmem_read_pmem(pd, mem, off, bvec.bv_len)) {
			this_cpu_inc(pd->stats->read_errors);
			status = BLK_STS_IOERR;
			break;
		}
		off += bvec.bv_len;
		bytes += bvec.bv_len;
	}

	if (bad)
		fcpmem_bb_clear(pd, start_off, bytes);

	/* FUA after the data: this bio's own writes are durable on return. */
	if (write && (bio->bi_opf & REQ_FUA)) {
		fcpmem_flush(pd);
		this_cpu_inc(pd->stats->fua_writes);
	}

	if (write)
		this_cpu_add(pd->stats->bytes_written, bytes);
	else
		this_cpu_add(pd->stats->bytes_read, bytes);

	if (acct)
		bio_end_io_acct(bio, start);
	bio->bi_status = status;
	bio_endio(bio);
}

static const struct block_device_operations fcpmem_fops = {
	.owner		= THIS_MODULE,
	.submit_bio	= fcpmem_submit_bio,
};

/* sysfs: /sys/block/<disk>/fcpmem/ */

static struct fcpmem_device *fcpmem_dev_of(struct device *dev)
{
	return dev_to_disk(dev)->private_data;
}

static u64 fcpmem_stat_sum(struct fcpmem_device *pd, size_t field)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += *(u64 *)((char *)per_cpu_ptr(pd->stats, cpu) + field);
	return sum;
}

#define FCPMEM_STAT_ATTR(field)						\
static ssize_t field##_show(struct device *dev,				\
			    struct device_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%llu\n",				\
			  fcpmem_stat_sum(fcpmem_dev_of(dev),		\
				offsetof(struct fcpmem_stats, field)));	\
}									\
static DEVICE_ATTR_RO(field)

FCPMEM_STAT_ATTR(bytes_written);
FCPMEM_STAT_ATTR(nt_bytes);
FCPMEM_STAT_ATTR(wb_lines);
FCPMEM_STAT_ATTR(bytes_read);
FCPMEM_STAT_ATTR(flushes);
FCPMEM_STAT_ATTR(fua_writes);
FCPMEM_STAT_ATTR(read_errors);

static ssize_t copy_variant_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s %s\n", fcpmem_flushcache_variant(),
			  fcpmem_flushcache_wb_insn());
}
static DEVICE_ATTR_RO(copy_variant);

static ssize_t region_show(struct device *dev, struct device_attribute *attr,
			   char *buf)
{
	struct fcpmem_device *pd = fcpmem_dev_of(dev);

	return sysfs_emit(buf, "%#llx-%#llx\n", (u64)pd->phys,
			  (u64)pd->phys + pd->size - 1);
}
static DEVICE_ATTR_RO(region);

static ssize_t dax_show(struct device *dev, struct device_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%d\n", fcpmem_dev_of(dev)->dax);
}
static DEVICE_ATTR_RO(dax);

/* "sector count": drop entries from the bad-block list, for testing. */
static ssize_t clear_badblocks_store(struct device *dev,
				     struct device_attribute *attr,
				     const char *buf, size_t len)
{
	struct fcpmem_device *pd = fcpmem_dev_of(dev);
	unsigned long long sector, count;

	if (sscanf(buf, "%llu %llu", &sector, &count) != 2 || !count ||
	    sector >= pd->size >> SECTOR_SHIFT ||
	    count > (pd->size >> SECTOR_SHIFT) - sector)
		return -EINVAL;
	fcpmem_bb_clear(pd, sector << SECTOR_SHIFT, count << SECTOR_SHIFT);
	return len;
}
static DEVICE_ATTR_WO(clear_badblocks);

static struct attribute *fcpmem_attrs[] = {
	&dev_attr_bytes_written.attr,
	&dev_attr_nt_bytes.attr,
	&dev_attr_wb_lines.attr,
	&dev_attr_bytes_read.attr,
	&dev_attr_flushes.attr,
	&dev_attr_fua_writes.attr,
	&dev_attr_read_errors.attr,
	&dev_attr_copy_variant.attr,
	&dev_attr_region.attr,
	&dev_attr_dax.attr,
	&dev_attr_clear_badblocks.attr,
	NULL,
};

static const struct attribute_group fcpmem_attr_group = {
	.name	= "fcpmem",
	.attrs	= fcpmem_attrs,
};

static const struct attribute_group *fcpmem_attr_groups[] = {
	&fcpmem_attr_group,
	&fcpmem_bb_attr_group,
	NULL,
};

/* Region discovery */

struct fcpmem_walk {
	struct fcpmem_range *ranges;
	unsigned int nr;
	unsigned int max;
	u64 covered;
};

static int fcpmem_collect_legacy(struct resource *res, void *arg)
{
	struct fcpmem_walk *w = arg;
	phys_addr_t start = ALIGN(res->start, PAGE_SIZE);
	phys_addr_t end = ALIGN_DOWN(res->end + 1, PAGE_SIZE);

	if (end <= start) {
		pr_warn("legacy pmem %pR is smaller than a page, skipped\n",
			res);
		return 0;
	}
	if (start != res->start || end != res->end + 1)
		pr_warn("legacy pmem %pR is not page aligned, serving [%pa-%pa)\n",
			res, &start, &end);
	if (w->nr == w->max) {
		pr_warn("more than %u legacy pmem regions, %pR and above skipped\n",
			w->max, res);
		return 1;
	}
	w->ranges[w->nr].start = start;
	w->ranges[w->nr].size = end - start;
	w->nr++;
	return 0;
}

static int fcpmem_count_cover(struct resource *res, void *arg)
{
	struct fcpmem_walk *w = arg;

	/* The walk hands us each top-level match clipped to the query. */
	w->covered += resource_size(res);
	return 0;
}

/* True when [start, start + size) lies wholly inside legacy pmem. */
static bool fcpmem_range_is_legacy_pmem(phys_addr_t start, u64 size)
{
	struct fcpmem_walk w = { };

	walk_iomem_res_desc(IORES_DESC_PERSISTENT_MEMORY_LEGACY,
			    IORESOURCE_MEM, start, start + size - 1, &w,
			    fcpmem_count_cover);
	return w.covered == size;
}

/*
 * The name of the busy resource that overlaps [start, end], as /proc/iomem
 * shows it ("namespace0.0" for the in-tree nd_pmem), copied into @name.
 * The tree's lock is private to kernel/resource.c and walk_iomem_res_desc()
 * hands out copies without the name, so this reads the tree unlocked: a
 * holder that released its range during these few loads could free the
 * entry under us. We accept that window for a message that names the
 * owner; it is open only on a failed load, just after the range was found
 * busy, and nothing but the copied name is used.
 */
static bool fcpmem_busy_owner(phys_addr_t start, phys_addr_t end,
			      char *name, size_t len)
{
	struct resource *p = READ_ONCE(iomem_resource.child);

	while (p) {
		if (p->end < start) {
			p = READ_ONCE(p->sibling);
			continue;
		}
		if (p->start > end)
			break;
		/* __request_region() descends the same way: busy stops it */
		if ((p->flags & IORESOURCE_BUSY) && p->name) {
			strscpy(name, p->name, len);
			return true;
		}
		p = READ_ONCE(p->child);
	}
	return false;
}

static int fcpmem_report_busy(struct resource *res, void *arg)
{
	const struct fcpmem_range *r = arg;
	char owner[32];

	if (!fcpmem_busy_owner(res->start, res->end, owner, sizeof(owner)))
		strscpy(owner, "another driver", sizeof(owner));
	pr_err("region [mem %#llx-%#llx] is busy: [mem %#llx-%#llx] is already claimed by %s (see /proc/iomem)\n",
	       (u64)r->start, (u64)(r->start + r->size - 1),
	       (u64)res->start, (u64)res->end, owner);
	/*
	 * The in-tree nd_pmem claims a namespace, and the nvdimm bus pins
	 * nd_e820 while the e820_pmem device is bound: "modprobe -r nd_pmem
	 * nd_e820" alone fails with "nd_e820 is in use". Unbinding first
	 * tears the bus down.
	 */
	if (str_has_prefix(owner, "namespace"))
		pr_err("%s is the in-tree nd_pmem: free it with 'echo e820_pmem > /sys/bus/platform/drivers/e820_pmem/unbind; modprobe -r nd_pmem nd_e820', or boot with modprobe.blacklist=nd_e820\n",
		       owner);
	else
		pr_err("unload or unbind the driver that claimed %s, then load fcpmem again\n",
		       owner);
	return 1;
}

/*
 * Tell the user who holds the region and how to get it back. The in-tree
 * nd_e820 + nd_pmem pair is the usual owner: udev loads it for every
 * memmap=nn!ss region on a normal boot.
 */
static void fcpmem_explain_busy(const struct fcpmem_range *r)
{
	/* Nothing busy left: the holder let go since request_mem_region() */
	if (walk_iomem_res_desc(IORES_DESC_NONE,
				IORESOURCE_MEM | IORESOURCE_BUSY,
				r->start, r->start + r->size - 1, (void *)r,
				fcpmem_report_busy) <= 0)
		pr_err("region [mem %#llx-%#llx] is busy (see /proc/iomem); try loading fcpmem again\n",
		       (u64)r->start, (u64)(r->start + r->size - 1));
}

/* Devices */

/* @v as memparse() reads it, in the largest unit that keeps it exact. */
static void fcpmem_fmt_mem(char *buf, size_t len, u64 v)
{
	if (v && IS_ALIGNED(v, SZ_1G))
		snprintf(buf, len, "%lluG", v >> 30);
	else if (IS_ALIGNED(v, SZ_1M))
		snprintf(buf, len, "%lluM", v >> 20);
	else
		snprintf(buf, len, "%lluK", v >> 10);
}

/* "memmap=SIZE!START", or "regions=SIZE@START" for a regions= entry. */
static void fcpmem_fmt_hint(char *buf, size_t len, bool memmap,
			    phys_addr_t start, u64 size)
{
	char sz[24], at[24];

	fcpmem_fmt_mem(sz, sizeof(sz), size);
	fcpmem_fmt_mem(at, sizeof(at), start);
	snprintf(buf, len, memmap ? "memmap=%s!%s" : "regions=%s@%s", sz, at);
}

/*
 * Cut the region to the served range (see FCPMEM_LAYOUT_ALIGN): the same
 * with dax=0 and dax=1, and when memremap_pages() fails, so disk byte 0
 * never moves. A region too small to hold one aligned block is served
 * whole and never with DAX: no mode could map it, so that is stable too.
 */
static void fcpmem_layout(struct fcpmem_device *pd,
			  const struct fcpmem_range *r)
{
	struct device *dev = &pd->pdev->dev;
	bool memmap = !fcpmem_param_nr_ranges;
	phys_addr_t r_end = r->start + r->size;
	phys_addr_t start = ALIGN(r->start, FCPMEM_LAYOUT_ALIGN);
	phys_addr_t end = ALIGN_DOWN(r_end, FCPMEM_LAYOUT_ALIGN);
	char hint[64];

	pd->phys = r->start;
	pd->size = r->size;
	if (end <= start) {
		start = ALIGN_DOWN(r->start, FCPMEM_LAYOUT_ALIGN);
		end = ALIGN(r_end, FCPMEM_LAYOUT_ALIGN);
		fcpmem_fmt_hint(hint, sizeof(hint), memmap, start, end - start);
		dev_warn(dev, "region [mem %#llx-%#llx] (%llu KiB) holds no whole %d MiB aligned block: serving all of it, never with DAX; %s would be served with DAX, from another byte 0 (make the file system again)\n",
			 (u64)r->start, (u64)r_end - 1, r->size >> 10,
			 FCPMEM_LAYOUT_ALIGN >> 20, hint);
		return;
	}
	if (start == r->start && end == r_end)
		return;
	fcpmem_fmt_hint(hint, sizeof(hint), memmap, start, end - start);
	dev_warn(dev, "region [mem %#llx-%#llx] is not %d MiB aligned: serving [mem %#llx-%#llx] (%llu MiB) with dax=0 and dax=1 alike; %llu KiB before it and %llu KiB after it unused; %s would leave nothing unused\n",
		 (u64)r->start, (u64)r_end - 1, FCPMEM_LAYOUT_ALIGN >> 20,
		 (u64)start, (u64)end - 1, (u64)(end - start) >> 20,
		 (u64)(start - r->start) >> 10, (u64)(r_end - end) >> 10,
		 hint);
	pd->phys = start;
	pd->size = end - start;
}

/*
 * The NUMA node of the region's memory, found as the in-tree e820 driver
 * finds it. The device, its disk and the struct pages of DAX go there, not
 * on the node of whichever CPU ran insmod. A node the firmware names but
 * that has no memory online has no NODE_DATA(): take the nearest online.
 */
static int fcpmem_region_node(phys_addr_t start)
{
	return numa_map_to_online_node(phys_to_target_node(start));
}

static int fcpmem_pick_name(struct gendisk *disk, unsigned int *next)
{
	struct device *other;

	/*
	 * The in-tree driver may already own /dev/pmem0 on another region:
	 * a duplicate sysfs name would be a loud failure in add_disk(), so
	 * take the first free index instead. blk_alloc_disk() has set the
	 * block class on the disk, which is the only handle we have on it.
	 */
	for (; *next < 1000; (*next)++) {
		snprintf(disk->disk_name, DISK_NAME_LEN, "%s%u",
			 fcpmem_param_prefix, *next);
		other = class_find_device_by_name(disk_to_dev(disk)->class,
						  disk->disk_name);
		if (!other) {
			(*next)++;
			return 0;
		}
		put_device(other);
	}
	return -EBUSY;
}

static int fcpmem_map(struct fcpmem_device *pd)
{
	void *addr = NULL;

	/* An unaligned served range is one fcpmem_layout() keeps off DAX. */
	if (fcpmem_param_dax && IS_ALIGNED(pd->phys, FCPMEM_LAYOUT_ALIGN) &&
	    IS_ALIGNED(pd->size, FCPMEM_LAYOUT_ALIGN)) {
		addr = fcpmem_dax_map(pd);
		if (IS_ERR(addr))
			return PTR_ERR(addr);
	}
	if (!addr) {
		/*
		 * Write-back, like the in-tree driver: the copy routines, not
		 * the memory type, make writes durable, and reads stay fast.
		 */
		addr = fcpmem_step("memremap") ? NULL :
		       memremap(pd->phys, pd->size, MEMREMAP_WB);
		if (!addr) {
			dev_err(&pd->pdev->dev,
				"cannot map [mem %pa+%#llx] write-back\n",
				&pd->phys, pd->size);
			return -ENOMEM;
		}
	}
	pd->virt = addr;
	return 0;
}

static void fcpmem_unmap(struct fcpmem_device *pd)
{
	if (pd->dax)
		fcpmem_dax_unmap(pd);
	else
		memunmap(pd->virt);
}

static struct fcpmem_device *fcpmem_device_create(unsigned int id,
						  const struct fcpmem_range *r,
						  unsigned int *next_name)
{
	struct fcpmem_queue_cfg cfg = { };
	int node = fcpmem_region_node(r->start);
	struct fcpmem_device *pd;
	struct gendisk *disk;
	int ret;

	fcpmem_fault_region(r->start, r->size);
	/* Read on every bio: on the node of the memory it describes. */
	pd = fcpmem_step("kzalloc_node") ? NULL :
	     kzalloc_node(sizeof(*pd), GFP_KERNEL, node);
	if (!pd)
		return ERR_PTR(-ENOMEM);
	pd->id = id;
	pd->phys = r->start;
	pd->size = r->size;

	pd->stats = fcpmem_step("alloc_percpu") ? NULL :
		    alloc_percpu(struct fcpmem_stats);
	if (!pd->stats) {
		ret = -ENOMEM;
		goto out_free_dev;
	}

	ret = fcpmem_step("badblocks_init") ? -ENOMEM : fcpmem_bb_init(pd);
	if (ret)
		goto out_free_stats;

	pd->pdev = fcpmem_step("platform_device_alloc") ? NULL :
		   platform_device_alloc(KBUILD_MODNAME, id);
	if (!pd->pdev) {
		ret = -ENOMEM;
		goto out_bb_exit;
	}
	/*
	 * Before the add: memremap_pages() and the disk take the node from
	 * here, and sysfs shows numa_node only if it is set by then.
	 */
	set_dev_node(&pd->pdev->dev, node);
	ret = fcpmem_step("platform_device_add") ? -ENOMEM :
	      platform_device_add(pd->pdev);
	if (ret)
		goto out_put_pdev;

	/*
	 * Claim first, map second: a busy region must fail before we create
	 * a second mapping of memory some other driver is using. The claim
	 * is the whole region, so nobody else takes the unused edges.
	 */
	snprintf(pd->res_name, sizeof(pd->res_name), KBUILD_MODNAME ".%u", id);
	pd->res = fcpmem_step("request_mem_region") ? NULL :
		  request_mem_region(r->start, r->size, pd->res_name);
	if (!pd->res) {
		fcpmem_explain_busy(r);
		ret = -EBUSY;
		goto out_del_pdev;
	}
	fcpmem_layout(pd, r);

	ret = fcpmem_map(pd);
	if (ret)
		goto out_release_region;
	/* The first region times the copy variants; no disk is live yet. */
	fcpmem_flushcache_tune(pd->virt, pd->size);

	cfg.dax = pd->dax;
	disk = fcpmem_step("alloc_disk") ? ERR_PTR(-ENOMEM) :
	       fcpmem_compat_alloc_disk(node, &cfg);
	if (IS_ERR(disk)) {
		ret = PTR_ERR(disk);
		goto out_unmap;
	}
	pd->disk = disk;
	disk->fops = &fcpmem_fops;
	disk->private_data = pd;
	/* disk->bb stays NULL: badblocks.c shows the list, see there. */
	set_capacity(disk, pd->size >> SECTOR_SHIFT);
	ret = fcpmem_step("disk_name") ? -EBUSY :
	      fcpmem_pick_name(disk, next_name);
	if (ret) {
		dev_err(&pd->pdev->dev, "no free disk name with prefix '%s'\n",
			fcpmem_param_prefix);
		goto out_put_disk;
	}

	if (pd->dax) {
		ret = fcpmem_dax_attach(pd);
		if (ret)
			goto out_put_disk;
	}

	/*
	 * Point of no return: the disk is visible once added. Its partition
	 * scan waits for fcpmem_init() to succeed (compat.h says why).
	 */
	fcpmem_compat_hold_part_scan(disk);
	ret = fcpmem_step("device_add_disk") ? -ENOMEM :
	      device_add_disk(&pd->pdev->dev, disk, fcpmem_attr_groups);
	if (ret)
		goto out_dax_detach;
	fcpmem_bb_publish(pd);

	dev_info(&pd->pdev->dev,
		 "%s: [mem %#llx-%#llx] %llu MiB, copy %s/%s, DAX %s, node %d\n",
		 disk->disk_name, (u64)pd->phys, (u64)pd->phys + pd->size - 1,
		 pd->size >> 20,
		 fcpmem_flushcache_variant(), fcpmem_flushcache_wb_insn(),
		 pd->dax ? "on" : "off", node);
	return pd;

out_dax_detach:
	if (pd->dax)
		fcpmem_dax_detach(pd);
out_put_disk:
	put_disk(disk);
out_unmap:
	fcpmem_unmap(pd);
out_release_region:
	release_mem_region(pd->res->start, resource_size(pd->res));
out_del_pdev:
	platform_device_del(pd->pdev);
out_put_pdev:
	platform_device_put(pd->pdev);
out_bb_exit:
	fcpmem_bb_exit(pd);
out_free_stats:
	free_percpu(pd->stats);
out_free_dev:
	kfree(pd);
	return ERR_PTR(ret);
}

static void fcpmem_device_destroy(struct fcpmem_device *pd)
{
	/*
	 * DAX goes first so no new direct_access can start on a disk that
	 * is being deleted; the module reference held by every opener
	 * guarantees nobody has the disk open or mounted by now.
	 */
	if (pd->dax)
		fcpmem_dax_detach(pd);
	del_gendisk(pd->disk);
	put_disk(pd->disk);
	pd->disk = NULL;
	/*
	 * The memory_failure hook can run until fcpmem_unmap() returns, so
	 * what it touches (the platform device, the bad-block list, the
	 * dax_device's last reference) goes after.
	 */
	fcpmem_unmap(pd);
	release_mem_region(pd->res->start, resource_size(pd->res));
	platform_device_unregister(pd->pdev);
	fcpmem_bb_exit(pd);
	free_percpu(pd->stats);
	kfree(pd);
}

static unsigned int fcpmem_find_ranges(struct fcpmem_range *ranges)
{
	struct fcpmem_walk w = {
		.ranges = ranges,
		.max = FCPMEM_MAX_REGIONS,
	};

	walk_iomem_res_desc(IORES_DESC_PERSISTENT_MEMORY_LEGACY,
			    IORESOURCE_MEM, 0, -1, &w, fcpmem_collect_legacy);
	return w.nr;
}

static int __init fcpmem_init(void)
{
	static struct fcpmem_range ranges[FCPMEM_MAX_REGIONS];
	unsigned int nr, i, next_name = 0;
	int ret;

	/* A bad copy= is reported there, once. */
	ret = fcpmem_flushcache_init(fcpmem_param_copy);
	if (ret)
		return ret;

	if (fcpmem_param_nr_ranges) {
		nr = fcpmem_param_nr_ranges;
		memcpy(ranges, fcpmem_param_ranges, nr * sizeof(ranges[0]));
		for (i = 0; i < nr; i++) {
			char hint[64];

			if (fcpmem_range_is_legacy_pmem(ranges[i].start,
							ranges[i].size))
				continue;
			fcpmem_fmt_hint(hint, sizeof(hint), true,
					ranges[i].start, ranges[i].size);
			pr_err("regions=: [mem %#llx-%#llx] is not inside a legacy pmem region; reserve it with %s on the kernel command line (see /proc/iomem)\n",
			       (u64)ranges[i].start,
			       (u64)(ranges[i].start + ranges[i].size - 1), hint);
			return -ENODEV;
		}
	} else {
		nr = fcpmem_find_ranges(ranges);
		if (!nr) {
			pr_err("no legacy persistent memory found: reserve some with memmap=nn!ss on the kernel command line (e.g. memmap=1G!4G)\n");
			return -ENODEV;
		}
	}

	pr_info("serving %u region%s; DRAM-backed: contents survive a reload, and a warm reboot only if the firmware keeps RAM; never a power loss\n",
		nr, nr == 1 ? "" : "s");

	for (i = 0; i < nr; i++) {
		struct fcpmem_device *pd;

		pd = fcpmem_device_create(i, &ranges[i], &next_name);
		if (IS_ERR(pd)) {
			ret = PTR_ERR(pd);
			goto out_destroy;
		}
		fcpmem_devs[i] = pd;
		fcpmem_nr_devs = i + 1;
	}
	/* Nothing fails from here on: the disks may be opened. */
	for (i = 0; i < fcpmem_nr_devs; i++)
		fcpmem_compat_scan_partitions(fcpmem_devs[i]->disk);
	fcpmem_fault_loaded();
	return 0;

out_destroy:
	while (fcpmem_nr_devs)
		fcpmem_device_destroy(fcpmem_devs[--fcpmem_nr_devs]);
	pr_err("region [mem %#llx-%#llx]: %s failed: %pe; load aborted, nothing left claimed, mapped or registered\n",
	       (u64)ranges[i].start, (u64)(ranges[i].start + ranges[i].size - 1),
	       fcpmem_load_step, ERR_PTR(ret));
	return ret;
}

static void __exit fcpmem_exit(void)
{
	while (fcpmem_nr_devs)
		fcpmem_device_destroy(fcpmem_devs[--fcpmem_nr_devs]);
	pr_info("unloaded\n");
}

module_init(fcpmem_init);
module_exit(fcpmem_exit);

MODULE_DESCRIPTION("Persistent memory block device with DAX on memmap=nn!ss regions");
MODULE_AUTHOR("The fcpmem developers");
/* alloc_dax, walk_iomem_res_desc, copy_mc_to_kernel, ... are GPL-only */
MODULE_LICENSE("GPL");
/* Kbuild passes dkms.conf's PACKAGE_VERSION: the version lives there only. */
MODULE_VERSION(FCPMEM_VERSION);
