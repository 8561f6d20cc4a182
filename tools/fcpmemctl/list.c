// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmemctl list [-v] [DISK...]: one row per fcpmem disk and per legacy
 * persistent-memory range of /proc/iomem that no fcpmem disk serves, so it
 * works before the module is loaded: each range's size, its alignment
 * (DAX needs start and size 2 MiB aligned), who owns it (fcpmem, the
 * in-tree nd_pmem, or nobody), and the regions= and memmap= values that
 * would serve it.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fcpmemctl.h"

struct fcpmemctl_list_row {
	char *disk;		/* the disk serving the range, or NULL */
	bool has_region;
	uint64_t start;
	uint64_t end;		/* inclusive */
	const char *owner;	/* "fcpmem", "nd_pmem", ..., "none" */
	char *ns;		/* nd namespace (namespace0.0), or NULL */
	int idx;		/* keeps the disks' natural order in qsort */
};

/* The first entry of directory @dir, or NULL; to free(). */
static char *fcpmemctl_first_entry(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *ret = NULL;

	if (!d)
		return NULL;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			ret = fcpmemctl_strdup(e->d_name);
			break;
		}
	closedir(d);
	return ret;
}

/*
 * The nd namespace bound to a driver inside [@r->start, @r->end], from
 * /sys/bus/nd/devices/namespaceX.Y/{resource,size,driver}: sets @row's
 * owner (the driver's name), namespace and disk. A namespace without a
 * driver holds nothing: fcpmem may claim the range.
 */
static void fcpmemctl_nd_owner(const struct fcpmemctl_range *r,
			       struct fcpmemctl_list_row *row)
{
	char *dir = fcpmemctl_path("%s/bus/nd/devices", fcpmemctl_opts.sysfs);
	static char driver[256];
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d && (e = readdir(d))) {
		char buf[64], *p, *link;
		uint64_t start, size;
		ssize_t n;

		if (strncmp(e->d_name, "namespace", 9))
			continue;
		if (r->child && strcmp(r->child, e->d_name) &&
		    !strncmp(r->child, "namespace", 9))
			continue;
		p = fcpmemctl_path("%s/%s/resource", dir, e->d_name);
		if (fcpmemctl_read_line(p, buf, sizeof(buf)) ||
		    !fcpmemctl_parse_u64(buf, 16, &start)) {
			free(p);
			continue;
		}
		free(p);
		p = fcpmemctl_path("%s/%s/size", dir, e->d_name);
		if (fcpmemctl_read_line(p, buf, sizeof(buf)) ||
		    !fcpmemctl_parse_u64(buf, 10, &size) || !size ||
		    start > r->end || start + size - 1 < r->start) {
			free(p);
			continue;
		}
		free(p);
		link = fcpmemctl_path("%s/%s/driver", dir, e->d_name);
		n = readlink(link, driver, sizeof(driver) - 1);
		free(link);
		if (n <= 0)
			continue;
		driver[n] = '\0';
		p = strrchr(driver, '/');
		row->owner = p ? p + 1 : driver;
		row->ns = fcpmemctl_strdup(e->d_name);
		p = fcpmemctl_path("%s/%s/block", dir, e->d_name);
		row->disk = fcpmemctl_first_entry(p);
		free(p);
		break;
	}
	if (d)
		closedir(d);
	free(dir);
}

/* Who holds a range no fcpmem disk serves: fills @row. */
static void fcpmemctl_range_owner(const struct fcpmemctl_range *r,
				  struct fcpmemctl_list_row *row)
{
	row->owner = "none";
	fcpmemctl_nd_owner(r, row);
	if (row->ns || !r->child)
		return;
	if (!strncmp(r->child, "namespace", 9)) {
		/* nd_pmem's claim, seen in iomem without its sysfs */
		row->owner = "nd_pmem";
		row->ns = fcpmemctl_strdup(r->child);
	} else if (!strncmp(r->child, "fcpmem.", 7)) {
		row->owner = "fcpmem";
	} else {
		/* someone else's resource name: say whose */
		row->owner = r->child;
	}
}

static int fcpmemctl_row_cmp(const void *a, const void *b)
{
	const struct fcpmemctl_list_row *x = a, *y = b;

	if (x->has_region != y->has_region)
		return x->has_region ? -1 : 1;
	if (x->has_region && x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->idx - y->idx;
}

/* The alignment of a range: the largest power of two up to 2 MiB that
 * divides its start and its size.
 */
static uint64_t fcpmemctl_align(uint64_t start, uint64_t size)
{
	uint64_t bits = start | size | FCPMEMCTL_DAX_ALIGN;

	return bits & -bits;
}

static void fcpmemctl_list_fields(struct fcpmemctl_table *t,
				  const struct fcpmemctl_list_row *row)
{
	bool more = fcpmemctl_opts.json || fcpmemctl_opts.verbose;
	uint64_t size = row->end - row->start + 1, align, dstart, dend;
	char buf[256], s1[32], s2[32], *p;

	fcpmemctl_table_row(t);
	if (row->disk)
		fcpmemctl_table_str(t, "disk", row->disk);
	else
		fcpmemctl_table_null(t, "disk");
	if (row->has_region) {
		snprintf(buf, sizeof(buf), "%#llx-%#llx",
			 (unsigned long long)row->start,
			 (unsigned long long)row->end);
		fcpmemctl_table_str(t, "region", buf);
	} else {
		fcpmemctl_table_null(t, "region");
	}
	if (fcpmemctl_opts.json && row->has_region) {
		fcpmemctl_table_u64(t, "start", row->start);
		fcpmemctl_table_u64(t, "end", row->end);
	}

	/* an fcpmem disk's size is what the block layer says it is */
	if (row->disk && !strcmp(row->owner, "fcpmem")) {
		uint64_t sectors;

		p = fcpmemctl_path("%s/block/%s/size", fcpmemctl_opts.sysfs,
				   row->disk);
		if (!fcpmemctl_read_line(p, buf, sizeof(buf)) &&
		    fcpmemctl_parse_u64(buf, 10, &sectors))
			size = sectors * FCPMEMCTL_SECTOR;
		free(p);
	}
	if (fcpmemctl_opts.json) {
		fcpmemctl_table_u64(t, "size", size);
	} else {
		fcpmemctl_human_size(size, buf, sizeof(buf));
		fcpmemctl_table_str(t, "size", buf);
	}

	buf[0] = '\0';
	if (row->disk && !strcmp(row->owner, "fcpmem")) {
		p = fcpmemctl_path("%s/block/%s/fcpmem/dax",
				   fcpmemctl_opts.sysfs, row->disk);
		fcpmemctl_read_line(p, buf, sizeof(buf));
		free(p);
	}
	if (!strcmp(buf, "0") || !strcmp(buf, "1"))
		fcpmemctl_table_bool(t, "dax", buf[0] == '1', "on", "off");
	else
		fcpmemctl_table_null(t, "dax");

	/* copy_variant is "<copy> <write-back instruction>" */
	buf[0] = '\0';
	if (row->disk && !strcmp(row->owner, "fcpmem")) {
		p = fcpmemctl_path("%s/block/%s/fcpmem/copy_variant",
				   fcpmemctl_opts.sysfs, row->disk);
		fcpmemctl_read_line(p, buf, sizeof(buf));
		free(p);
	}
	p = strchr(buf, ' ');
	if (p && p[1]) {
		*p = '\0';
		fcpmemctl_table_str(t, "copy", buf);
		fcpmemctl_table_str(t, "writeback", p + 1);
	} else {
		fcpmemctl_table_null(t, "copy");
		fcpmemctl_table_null(t, "writeback");
	}

	if (!row->has_region) {
		fcpmemctl_table_null(t, "align");
	} else {
		align = fcpmemctl_align(row->start, row->end - row->start + 1);
		if (fcpmemctl_opts.json) {
			fcpmemctl_table_u64(t, "align", align);
		} else {
			fcpmemctl_human_size(align, buf, sizeof(buf));
			fcpmemctl_table_str(t, "align", buf);
		}
	}
	fcpmemctl_table_str(t, "owner", row->owner);
	if (!more)
		return;

	if (row->ns)
		fcpmemctl_table_str(t, "namespace", row->ns);
	else
		fcpmemctl_table_null(t, "namespace");
	if (!row->has_region) {
		fcpmemctl_table_null(t, "dax_capable");
		fcpmemctl_table_null(t, "param");
		fcpmemctl_table_null(t, "memmap");
		return;
	}
	/*
	 * The module parameter that serves exactly this range; without 2 MiB
	 * alignment fcpmem would serve DAX on the aligned part only, so the
	 * line for the whole range says dax=0. memmap= is the reservation
	 * that gives DAX on all of it: the 2 MiB-aligned part of the range.
	 */
	size = row->end - row->start + 1;
	align = fcpmemctl_align(row->start, size);
	fcpmemctl_table_bool(t, "dax_capable", align == FCPMEMCTL_DAX_ALIGN,
			     "yes", "no");
	fcpmemctl_param_size(size, s1, sizeof(s1));
	fcpmemctl_param_size(row->start, s2, sizeof(s2));
	snprintf(buf, sizeof(buf), "regions=%s@%s%s", s1, s2,
		 align == FCPMEMCTL_DAX_ALIGN ? "" : " dax=0");
	fcpmemctl_table_str(t, "param", buf);
	dstart = (row->start + FCPMEMCTL_DAX_ALIGN - 1) &
		 ~(FCPMEMCTL_DAX_ALIGN - 1);
	dend = (row->end + 1) & ~(FCPMEMCTL_DAX_ALIGN - 1);
	if (dend > dstart) {
		fcpmemctl_param_size(dend - dstart, s1, sizeof(s1));
		fcpmemctl_param_size(dstart, s2, sizeof(s2));
		snprintf(buf, sizeof(buf), "memmap=%s!%s", s1, s2);
		fcpmemctl_table_str(t, "memmap", buf);
	} else {
		fcpmemctl_table_null(t, "memmap");
	}
}

static void fcpmemctl_list_help(FILE *f)
{
	fputs("Usage: fcpmemctl list [-v] [--json] [DISK...]\n", f);
}

/**
 * fcpmemctl_cmd_list() - fcpmemctl list
 * @argc: arguments after "list"
 * @argv: them
 *
 * Return: the exit status.
 */
int fcpmemctl_cmd_list(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ }
	};
	struct fcpmemctl_list_row *rows;
	struct fcpmemctl_range *ranges = NULL;
	struct fcpmemctl_disks disks;
	struct fcpmemctl_table *t;
	int nrange = 0, nrow = 0, i, j, c, ret;

	optind = 1;
	while ((c = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
		if (c != 'v') {
			fcpmemctl_list_help(stderr);
			return FCPMEMCTL_EXIT_USAGE;
		}
		fcpmemctl_opts.verbose = true;
	}
	argc -= optind;
	argv += optind;

	if (argc) {
		/* named disks: those only, and they must be fcpmem's */
		ret = fcpmemctl_select_disks(argc, argv, &disks);
		if (ret)
			return ret;
	} else {
		fcpmemctl_all_disks(&disks);
		ret = fcpmemctl_legacy_ranges(&ranges, &nrange);
		if (ret == -EPERM)
			fcpmemctl_err("%s/iomem shows no addresses to this user (run as root): legacy ranges not listed",
				      fcpmemctl_opts.proc);
		else if (ret)
			fcpmemctl_err("cannot read %s/iomem (%s): legacy ranges not listed",
				      fcpmemctl_opts.proc, strerror(-ret));
		if (ret)
			nrange = 0;
	}

	rows = fcpmemctl_alloc(sizeof(*rows) * (disks.nr + nrange));
	for (i = 0; i < disks.nr; i++) {
		rows[nrow].disk = disks.name[i];
		rows[nrow].owner = "fcpmem";
		rows[nrow].has_region = !fcpmemctl_disk_region(disks.name[i],
				&rows[nrow].start, &rows[nrow].end);
		rows[nrow].idx = nrow;
		nrow++;
	}
	for (i = 0; i < nrange; i++) {
		bool served = false;

		for (j = 0; j < disks.nr; j++)
			if (rows[j].has_region &&
			    rows[j].start >= ranges[i].start &&
			    rows[j].end <= ranges[i].end)
				served = true;
		if (served)
			continue;
		rows[nrow].has_region = true;
		rows[nrow].start = ranges[i].start;
		rows[nrow].end = ranges[i].end;
		fcpmemctl_range_owner(&ranges[i], &rows[nrow]);
		rows[nrow].idx = nrow;
		nrow++;
	}
	qsort(rows, nrow, sizeof(*rows), fcpmemctl_row_cmp);

	if (!nrow && !argc && !nrange)
		fcpmemctl_err("no fcpmem disk and no legacy persistent-memory range: reserve one with memmap=nn!ss on the kernel command line");
	t = fcpmemctl_table_new(true);
	for (i = 0; i < nrow; i++)
		fcpmemctl_list_fields(t, &rows[i]);
	fcpmemctl_table_print(t, false);
	fcpmemctl_table_free(t);

	/* the rows own the disk names now */
	for (i = 0; i < nrow; i++) {
		free(rows[i].disk);
		free(rows[i].ns);
	}
	free(rows);
	for (i = 0; i < nrange; i++)
		free(ranges[i].child);
	free(ranges);
	free(disks.name);
	return FCPMEMCTL_EXIT_OK;
}
