/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fcpmemctl: what the subcommands share. Each subcommand lives in its own
 * file (list.c, stats.c, errors.c); util.c reads sysfs and /proc/iomem,
 * table.c prints rows as a table or as JSON (json-c).
 */
#ifndef FCPMEMCTL_H
#define FCPMEMCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <json-c/json.h>

/*
 * The kernel's __printf() and ARRAY_SIZE(), which checkpatch asks for; user
 * space has to define them, and checkpatch flags the attribute spelled out,
 * hence the indirection.
 */
#define fcpmemctl_attribute	__attribute__
#define __printf(a, b)	fcpmemctl_attribute((format(printf, a, b)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Exit status, as documented in fcpmemctl(8). */
#define FCPMEMCTL_EXIT_OK	0
#define FCPMEMCTL_EXIT_FAIL	1
#define FCPMEMCTL_EXIT_USAGE	2

#define FCPMEMCTL_SECTOR	512ULL
#define FCPMEMCTL_DAX_ALIGN	(2ULL << 20)	/* DAX maps 2 MiB sections */

/* Where to look, and how to print; set once by main(). */
struct fcpmemctl_opts {
	const char *sysfs;	/* FCPMEMCTL_SYSFS or /sys */
	const char *dev;	/* FCPMEMCTL_DEV or /dev */
	const char *proc;	/* FCPMEMCTL_PROC or /proc */
	bool json;		/* --json */
	bool verbose;		/* -v */
};

extern struct fcpmemctl_opts fcpmemctl_opts;

/* A list of disk names, natural order (pmem2 before pmem10). */
struct fcpmemctl_disks {
	char **name;
	int nr;
};

/* One legacy persistent-memory range of /proc/iomem. */
struct fcpmemctl_range {
	uint64_t start;
	uint64_t end;		/* inclusive, as /proc/iomem prints it */
	char *child;		/* first child resource's name, or NULL */
};

/* One bad-block list entry, in 512-byte sectors. */
struct fcpmemctl_bb {
	uint64_t sector;
	uint64_t count;
};

/* util.c */
__printf(1, 2) void fcpmemctl_err(const char *fmt, ...);
__printf(1, 2) int fcpmemctl_usage(const char *fmt, ...);
void *fcpmemctl_alloc(size_t size);
char *fcpmemctl_strdup(const char *s);
__printf(1, 2) char *fcpmemctl_path(const char *fmt, ...);
int fcpmemctl_read_line(const char *path, char *buf, size_t size);
bool fcpmemctl_parse_u64(const char *s, int base, uint64_t *val);
void fcpmemctl_human_size(uint64_t bytes, char *buf, size_t size);
void fcpmemctl_param_size(uint64_t bytes, char *buf, size_t size);
int fcpmemctl_all_disks(struct fcpmemctl_disks *disks);
bool fcpmemctl_module_loaded(void);
int fcpmemctl_require_loaded(struct fcpmemctl_disks *all);
int fcpmemctl_resolve_disk(const char *arg, const struct fcpmemctl_disks *all,
			   char **name);
int fcpmemctl_select_disks(int argc, char **argv,
			   struct fcpmemctl_disks *disks);
void fcpmemctl_free_disks(struct fcpmemctl_disks *disks);
int fcpmemctl_disk_region(const char *disk, uint64_t *start, uint64_t *end);
int fcpmemctl_legacy_ranges(struct fcpmemctl_range **ranges, int *nr);
int fcpmemctl_read_badblocks(const char *path, struct fcpmemctl_bb **bb,
			     int *nr);

/* table.c: rows of named fields, as a table or a JSON array of objects */
struct fcpmemctl_table;

struct fcpmemctl_table *fcpmemctl_table_new(bool upper_headers);
void fcpmemctl_table_declare(struct fcpmemctl_table *t, const char *col,
			     bool numeric);
void fcpmemctl_table_row(struct fcpmemctl_table *t);
void fcpmemctl_table_str(struct fcpmemctl_table *t, const char *col,
			 const char *val);
void fcpmemctl_table_u64(struct fcpmemctl_table *t, const char *col,
			 uint64_t val);
void fcpmemctl_table_fixed(struct fcpmemctl_table *t, const char *col,
			   double val, int decimals);
void fcpmemctl_table_bool(struct fcpmemctl_table *t, const char *col,
			  bool val, const char *on, const char *off);
void fcpmemctl_table_null(struct fcpmemctl_table *t, const char *col);
void fcpmemctl_table_print(struct fcpmemctl_table *t, bool json_one_line);
void fcpmemctl_table_free(struct fcpmemctl_table *t);

/* the subcommands */
int fcpmemctl_cmd_list(int argc, char **argv);
int fcpmemctl_cmd_stats(int argc, char **argv);
int fcpmemctl_cmd_list_errors(int argc, char **argv);
int fcpmemctl_cmd_inject_error(int argc, char **argv);
int fcpmemctl_cmd_clear_errors(int argc, char **argv);
int fcpmemctl_cmd_repair_errors(int argc, char **argv);
int fcpmemctl_cmd_badblocks(int argc, char **argv);

#endif /* FCPMEMCTL_H */
