// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmemctl: messages, allocation, and what it reads: the disks under
 * /sys/block that have an fcpmem/ directory, their attributes, the block
 * layer's bad-block lists, and the legacy ranges of /proc/iomem.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fcpmemctl.h"

static void fcpmemctl_vmsg(const char *fmt, va_list ap)
{
	fputs("fcpmemctl: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

/**
 * fcpmemctl_err() - print "fcpmemctl: MESSAGE" on stderr
 * @fmt: printf format of the message, without the newline
 */
void fcpmemctl_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fcpmemctl_vmsg(fmt, ap);
	va_end(ap);
}

/**
 * fcpmemctl_usage() - report a usage error
 * @fmt: printf format of what is wrong
 *
 * Return: FCPMEMCTL_EXIT_USAGE, for the caller to return from main().
 */
int fcpmemctl_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fcpmemctl_vmsg(fmt, ap);
	va_end(ap);
	fputs("Try 'fcpmemctl --help'.\n", stderr);
	return FCPMEMCTL_EXIT_USAGE;
}

/**
 * fcpmemctl_alloc() - zeroed memory, or exit: a tool this small has no
 * better answer to running out of memory
 * @size: bytes
 *
 * Return: the memory.
 */
void *fcpmemctl_alloc(size_t size)
{
	void *p = calloc(1, size ? size : 1);

	if (!p) {
		fcpmemctl_err("out of memory");
		exit(FCPMEMCTL_EXIT_FAIL);
	}
	return p;
}

/**
 * fcpmemctl_strdup() - strdup() or exit
 * @s: the string
 *
 * Return: a copy of @s.
 */
char *fcpmemctl_strdup(const char *s)
{
	char *p = fcpmemctl_alloc(strlen(s) + 1);

	return strcpy(p, s);
}

/**
 * fcpmemctl_path() - a path built with printf, or exit
 * @fmt: printf format
 *
 * Return: the path, to free().
 */
char *fcpmemctl_path(const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&p, fmt, ap);
	va_end(ap);
	if (n < 0) {
		fcpmemctl_err("out of memory");
		exit(FCPMEMCTL_EXIT_FAIL);
	}
	return p;
}

/**
 * fcpmemctl_read_line() - the first line of a (sysfs) file
 * @path: the file
 * @buf: where the line goes, without its newline
 * @size: size of @buf
 *
 * Return: 0, or a negative errno (-EISDIR for a directory).
 */
int fcpmemctl_read_line(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	int ret = 0;

	buf[0] = '\0';
	if (!f)
		return -errno;
	if (!fgets(buf, (int)size, f)) {
		ret = ferror(f) ? -errno : 0;
		buf[0] = '\0';
	}
	fclose(f);
	if (ret == 0)
		buf[strcspn(buf, "\n")] = '\0';
	return ret ? ret : 0;
}

/**
 * fcpmemctl_parse_u64() - a whole string as an unsigned number
 * @s: the string: digits of @base only (hex may start with 0x), no sign,
 *     no blanks
 * @base: 10 or 16
 * @val: the number
 *
 * Return: true if @s is such a number and fits in 64 bits.
 */
bool fcpmemctl_parse_u64(const char *s, int base, uint64_t *val)
{
	const char *p = s;
	unsigned long long v;
	char *end;

	if (base == 16 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	if (!*p || strspn(p, base == 16 ? "0123456789abcdefABCDEF" :
			  "0123456789") != strlen(p))
		return false;
	errno = 0;
	v = strtoull(p, &end, base);
	if (errno || *end)
		return false;
	*val = v;
	return true;
}

/**
 * fcpmemctl_human_size() - a size like lsblk prints it: 512M, 1G, 1.5G
 * @bytes: the size
 * @buf: where it goes
 * @size: size of @buf
 *
 * Powers of 1024; a size that is not a whole number of its unit gets one
 * decimal, truncated (as the shell tool printed it).
 */
void fcpmemctl_human_size(uint64_t bytes, char *buf, size_t size)
{
	static const char units[] = "BKMGTPE";
	uint64_t div = 1;
	int u = 0;

	while (units[u + 1] && bytes / 1024 >= div) {
		div *= 1024;
		u++;
	}
	if (bytes % div == 0) {
		snprintf(buf, size, "%" PRIu64 "%c", bytes / div, units[u]);
	} else {
		/* tenths, without overflowing past 2^64 / 10 */
		uint64_t tenths = bytes / div * 10 + bytes % div * 10 / div;

		snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "%c",
			 tenths / 10, tenths % 10, units[u]);
	}
}

/**
 * fcpmemctl_param_size() - a number as the module parameter and memmap=
 * parse it: the largest of K, M, G, T that divides it exactly, else hex
 * @bytes: the number
 * @buf: where it goes
 * @size: size of @buf
 */
void fcpmemctl_param_size(uint64_t bytes, char *buf, size_t size)
{
	static const char units[] = "KMGT";
	int u = -1;

	if (bytes == 0 || bytes % 1024) {
		snprintf(buf, size, "%#" PRIx64, bytes);
		return;
	}
	while (units[u + 1] && bytes % 1024 == 0) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, size, "%" PRIu64 "%c", bytes, units[u]);
}

/* scandir() filter: every entry but . and .. */
static int fcpmemctl_not_dots(const struct dirent *d)
{
	return strcmp(d->d_name, ".") && strcmp(d->d_name, "..");
}

static bool fcpmemctl_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/**
 * fcpmemctl_all_disks() - every fcpmem disk: a disk with an fcpmem/
 * directory in sysfs, whatever its name prefix
 * @disks: filled in natural order (pmem2 before pmem10)
 *
 * Return: 0 (an unreadable /sys/block gives an empty list).
 */
int fcpmemctl_all_disks(struct fcpmemctl_disks *disks)
{
	struct dirent **ents;
	char *dir = fcpmemctl_path("%s/block", fcpmemctl_opts.sysfs);
	int n, i;

	disks->nr = 0;
	disks->name = NULL;
	n = scandir(dir, &ents, fcpmemctl_not_dots, versionsort);
	if (n < 0) {
		free(dir);
		return 0;
	}
	disks->name = fcpmemctl_alloc(sizeof(*disks->name) * n);
	for (i = 0; i < n; i++) {
		char *p = fcpmemctl_path("%s/%s/fcpmem", dir, ents[i]->d_name);

		if (fcpmemctl_is_dir(p))
			disks->name[disks->nr++] =
				fcpmemctl_strdup(ents[i]->d_name);
		free(p);
		free(ents[i]);
	}
	free(ents);
	free(dir);
	return 0;
}

/**
 * fcpmemctl_free_disks() - free a disk list
 * @disks: the list
 */
void fcpmemctl_free_disks(struct fcpmemctl_disks *disks)
{
	int i;

	for (i = 0; i < disks->nr; i++)
		free(disks->name[i]);
	free(disks->name);
	disks->name = NULL;
	disks->nr = 0;
}

/**
 * fcpmemctl_module_loaded() - whether sysfs has /sys/module/fcpmem
 *
 * Return: true if the module is loaded.
 */
bool fcpmemctl_module_loaded(void)
{
	char *p = fcpmemctl_path("%s/module/fcpmem", fcpmemctl_opts.sysfs);
	bool ret = fcpmemctl_is_dir(p);

	free(p);
	return ret;
}

/**
 * fcpmemctl_require_loaded() - every fcpmem disk, or a message saying why
 * there is none
 * @all: the disks
 *
 * Return: 0, or FCPMEMCTL_EXIT_FAIL when fcpmem serves no disk.
 */
int fcpmemctl_require_loaded(struct fcpmemctl_disks *all)
{
	fcpmemctl_all_disks(all);
	if (all->nr)
		return 0;
	if (fcpmemctl_module_loaded())
		fcpmemctl_err("fcpmem is loaded but serves no disk");
	else
		fcpmemctl_err("fcpmem is not loaded (no %s/module/fcpmem): load it with 'modprobe fcpmem' or 'insmod fcpmem.ko'",
			      fcpmemctl_opts.sysfs);
	return FCPMEMCTL_EXIT_FAIL;
}

/* The fcpmem disks on one line, for messages; to free(). */
static char *fcpmemctl_disk_names(const struct fcpmemctl_disks *all)
{
	size_t len = 1;
	char *s;
	int i;

	for (i = 0; i < all->nr; i++)
		len += strlen(all->name[i]) + 1;
	s = fcpmemctl_alloc(len);
	for (i = 0; i < all->nr; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, all->name[i]);
	}
	return s;
}

/**
 * fcpmemctl_resolve_disk() - the fcpmem disk a command-line argument names
 * @arg: a disk name (pmem0) or its device node (/dev/pmem0)
 * @all: every fcpmem disk, for the message when @arg is none of them
 * @name: the disk name, to free()
 *
 * Return: 0, or FCPMEMCTL_EXIT_FAIL with a message.
 */
int fcpmemctl_resolve_disk(const char *arg, const struct fcpmemctl_disks *all,
			   char **name)
{
	size_t dl = strlen(fcpmemctl_opts.dev);
	const char *n = arg;
	char *p, *names;
	int ret = FCPMEMCTL_EXIT_FAIL;

	if (!strncmp(n, fcpmemctl_opts.dev, dl) && n[dl] == '/')
		n += dl + 1;
	names = fcpmemctl_disk_names(all);
	if (!*n || strchr(n, '/') || !strcmp(n, ".") || !strcmp(n, "..")) {
		fcpmemctl_err("'%s' is not a disk name (fcpmem disks: %s)",
			      arg, names);
		free(names);
		return ret;
	}
	p = fcpmemctl_path("%s/block/%s/fcpmem", fcpmemctl_opts.sysfs, n);
	if (fcpmemctl_is_dir(p)) {
		*name = fcpmemctl_strdup(n);
		ret = 0;
	} else {
		/* the disk itself: p minus "/fcpmem" */
		p[strlen(p) - strlen("/fcpmem")] = '\0';
		if (access(p, F_OK) == 0)
			fcpmemctl_err("%s is not an fcpmem disk (fcpmem disks: %s)",
				      n, names);
		else
			fcpmemctl_err("no such disk: %s (fcpmem disks: %s)",
				      n, names);
	}
	free(p);
	free(names);
	return ret;
}

/**
 * fcpmemctl_select_disks() - the disks a command's arguments name, or all
 * @argc: number of names; 0 selects every fcpmem disk
 * @argv: the names
 * @disks: the selection
 *
 * Return: 0, or FCPMEMCTL_EXIT_FAIL with a message.
 */
int fcpmemctl_select_disks(int argc, char **argv,
			   struct fcpmemctl_disks *disks)
{
	struct fcpmemctl_disks all;
	int i, ret;

	ret = fcpmemctl_require_loaded(&all);
	if (ret)
		return ret;
	if (argc == 0) {
		*disks = all;
		return 0;
	}
	disks->nr = 0;
	disks->name = fcpmemctl_alloc(sizeof(*disks->name) * argc);
	for (i = 0; i < argc; i++) {
		ret = fcpmemctl_resolve_disk(argv[i], &all,
					     &disks->name[disks->nr]);
		if (ret) {
			fcpmemctl_free_disks(disks);
			break;
		}
		disks->nr++;
	}
	fcpmemctl_free_disks(&all);
	return ret;
}

/**
 * fcpmemctl_disk_region() - the physical range an fcpmem disk serves
 * @disk: the disk name
 * @start: first byte
 * @end: last byte
 *
 * Return: 0, or -1 when fcpmem/region is missing or not "0xS-0xE".
 */
int fcpmemctl_disk_region(const char *disk, uint64_t *start, uint64_t *end)
{
	char *p = fcpmemctl_path("%s/block/%s/fcpmem/region",
				 fcpmemctl_opts.sysfs, disk);
	char buf[128], *dash;
	int ret;

	ret = fcpmemctl_read_line(p, buf, sizeof(buf));
	free(p);
	if (ret)
		return -1;
	dash = strchr(buf, '-');
	if (!dash)
		return -1;
	*dash = '\0';
	if (!fcpmemctl_parse_u64(buf, 16, start) ||
	    !fcpmemctl_parse_u64(dash + 1, 16, end) || *end < *start)
		return -1;
	return 0;
}

/*
 * One line of /proc/iomem: "<2 spaces per level>START-END : NAME".
 * Return: the nesting level, or -1 if the line is not like that.
 */
static int fcpmemctl_iomem_line(char *line, uint64_t *start, uint64_t *end,
				char **name)
{
	size_t indent = strspn(line, " ");
	char *p = line + indent, *dash, *colon;

	line[strcspn(line, "\n")] = '\0';
	dash = strchr(p, '-');
	colon = strstr(p, " : ");
	if (!dash || !colon || dash > colon)
		return -1;
	*dash = '\0';
	*colon = '\0';
	if (!fcpmemctl_parse_u64(p, 16, start) ||
	    !fcpmemctl_parse_u64(dash + 1, 16, end))
		return -1;
	*name = colon + 3;
	return (int)(indent / 2);
}

/**
 * fcpmemctl_legacy_ranges() - every "Persistent Memory (legacy)" range of
 * /proc/iomem (the memmap=nn!ss reservations), with its first child: who
 * claimed it (fcpmem.N, namespaceX.Y of nd_pmem, ...)
 * @ranges: the ranges, in address order, to free()
 * @nr: how many
 *
 * Return: 0; -ENOENT etc. when iomem cannot be read; -EPERM when it shows
 * only zeros (the kernel hides addresses from all but root).
 */
int fcpmemctl_legacy_ranges(struct fcpmemctl_range **ranges, int *nr)
{
	char *path = fcpmemctl_path("%s/iomem", fcpmemctl_opts.proc);
	FILE *f = fopen(path, "re");
	int level = -1, cur = -1, l, alloc = 0, ret = 0;
	bool nonzero = false;
	char line[512], *name;
	uint64_t s, e;

	free(path);
	*ranges = NULL;
	*nr = 0;
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		l = fcpmemctl_iomem_line(line, &s, &e, &name);
		if (l < 0)
			continue;
		if (s || e)
			nonzero = true;
		if (cur >= 0 && l == level + 1 && !(*ranges)[cur].child) {
			(*ranges)[cur].child = fcpmemctl_strdup(name);
			continue;
		}
		if (cur >= 0 && l > level)
			continue;
		cur = -1;
		if (strcmp(name, "Persistent Memory (legacy)"))
			continue;
		if (*nr == alloc) {
			alloc = alloc ? 2 * alloc : 8;
			*ranges = realloc(*ranges, sizeof(**ranges) * alloc);
			if (!*ranges) {
				fcpmemctl_err("out of memory");
				exit(FCPMEMCTL_EXIT_FAIL);
			}
		}
		cur = (*nr)++;
		level = l;
		(*ranges)[cur].start = s;
		(*ranges)[cur].end = e;
		(*ranges)[cur].child = NULL;
	}
	fclose(f);
	if (*nr && !nonzero)
		ret = -EPERM;
	return ret;
}

/**
 * fcpmemctl_read_badblocks() - a bad-block list: "SECTOR COUNT" lines
 * @path: /sys/block/<disk>/badblocks
 * @bb: the entries, to free()
 * @nr: how many
 *
 * Return: 0, or a negative errno.
 */
int fcpmemctl_read_badblocks(const char *path, struct fcpmemctl_bb **bb,
			     int *nr)
{
	FILE *f = fopen(path, "re");
	unsigned long long s, c;
	int alloc = 0;
	char line[128];

	*bb = NULL;
	*nr = 0;
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llu %llu", &s, &c) != 2)
			continue;
		if (*nr == alloc) {
			alloc = alloc ? 2 * alloc : 16;
			*bb = realloc(*bb, sizeof(**bb) * alloc);
			if (!*bb) {
				fcpmemctl_err("out of memory");
				exit(FCPMEMCTL_EXIT_FAIL);
			}
		}
		(*bb)[*nr].sector = s;
		(*bb)[*nr].count = c;
		(*nr)++;
	}
	if (ferror(f)) {
		int ret = -errno;

		fclose(f);
		return ret ? ret : -EIO;
	}
	fclose(f);
	return 0;
}
