// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmemctl's bad-block commands, the disk first as in ndctl:
 *   list-errors DISK                        the list, 512-byte sectors
 *   inject-error DISK -b SECTOR [-n COUNT]  mark sectors bad (block layer)
 *   clear-errors DISK [-b SECTOR [-n COUNT]]  drop entries, data untouched
 *   repair-errors DISK [-b SECTOR [-n COUNT]] rewrite listed sectors with 0
 * and the shell tool's spelling, "badblocks [show|inject|clear|repair]
 * [SECTOR [COUNT]] DISK", as an alias.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fcpmemctl.h"

/* the kernel's badblocks_store() reads the count as an int */
#define FCPMEMCTL_MAX_COUNT	2147483647ULL

enum fcpmemctl_bb_action {
	FCPMEMCTL_BB_SHOW,
	FCPMEMCTL_BB_INJECT,
	FCPMEMCTL_BB_CLEAR,
	FCPMEMCTL_BB_REPAIR,
};

static const char * const fcpmemctl_bb_cmd[] = {
	[FCPMEMCTL_BB_SHOW] = "list-errors",
	[FCPMEMCTL_BB_INJECT] = "inject-error",
	[FCPMEMCTL_BB_CLEAR] = "clear-errors",
	[FCPMEMCTL_BB_REPAIR] = "repair-errors",
};

/* What a command works on: the whole disk unless -b was given. */
struct fcpmemctl_bb_req {
	enum fcpmemctl_bb_action action;
	const char *disk_arg;
	bool has_range;
	uint64_t sector;
	uint64_t count;
};

/* Print a list of ranges as a table or JSON. */
static void fcpmemctl_print_bb(const struct fcpmemctl_bb *bb, int nr)
{
	struct fcpmemctl_table *t = fcpmemctl_table_new(true);
	int i;

	fcpmemctl_table_declare(t, "sector", true);
	fcpmemctl_table_declare(t, "count", true);
	for (i = 0; i < nr; i++) {
		fcpmemctl_table_row(t);
		fcpmemctl_table_u64(t, "sector", bb[i].sector);
		fcpmemctl_table_u64(t, "count", bb[i].count);
	}
	fcpmemctl_table_print(t, false);
	fcpmemctl_table_free(t);
}

/* "S+N, S+N" of a list of ranges, to free(). */
static char *fcpmemctl_ranges(const struct fcpmemctl_bb *bb, int nr)
{
	char *s = fcpmemctl_strdup(""), *n;
	int i;

	for (i = 0; i < nr; i++) {
		n = fcpmemctl_path("%s%s%llu+%llu", s, i ? ", " : "",
				   (unsigned long long)bb[i].sector,
				   (unsigned long long)bb[i].count);
		free(s);
		s = n;
	}
	return s;
}

/*
 * The entries of the list @path that touch sectors [@start, @end), clipped
 * to them. Return: 0, or FCPMEMCTL_EXIT_FAIL with a message.
 */
static int fcpmemctl_listed_in(const char *disk, const char *path,
			       uint64_t start, uint64_t end,
			       struct fcpmemctl_bb **out, int *nout)
{
	struct fcpmemctl_bb *bb;
	int nr, i, ret;

	ret = fcpmemctl_read_badblocks(path, &bb, &nr);
	if (ret) {
		fcpmemctl_err("%s: cannot read %s: %s", disk, path,
			      strerror(-ret));
		return FCPMEMCTL_EXIT_FAIL;
	}
	*nout = 0;
	*out = fcpmemctl_alloc(sizeof(**out) * nr);
	for (i = 0; i < nr; i++) {
		uint64_t a = bb[i].sector > start ? bb[i].sector : start;
		uint64_t b = bb[i].sector + bb[i].count < end ?
			     bb[i].sector + bb[i].count : end;

		if (a < b) {
			(*out)[*nout].sector = a;
			(*out)[*nout].count = b - a;
			(*nout)++;
		}
	}
	free(bb);
	return 0;
}

/*
 * Write "SECTOR COUNT" to a sysfs file, as the shell's > did (O_TRUNC is
 * harmless on sysfs). Return: 0 or -errno.
 */
static int fcpmemctl_write_range(const char *path, uint64_t s, uint64_t n)
{
	char buf[64];
	int fd, len, ret = 0;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	len = snprintf(buf, sizeof(buf), "%llu %llu\n",
		       (unsigned long long)s, (unsigned long long)n);
	if (write(fd, buf, len) != len)
		ret = errno ? -errno : -EIO;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

/* Rewrite sectors with zeros through the block device, O_DIRECT. */
static int fcpmemctl_zero_sectors(const char *disk, int fd,
				  const struct fcpmemctl_bb *r)
{
	const size_t chunk = 1 << 20;
	uint64_t off = r->sector * FCPMEMCTL_SECTOR;
	uint64_t left = r->count * FCPMEMCTL_SECTOR;
	void *zero;

	if (posix_memalign(&zero, 4096, chunk)) {
		fcpmemctl_err("out of memory");
		return FCPMEMCTL_EXIT_FAIL;
	}
	memset(zero, 0, chunk);
	while (left) {
		size_t n = left < chunk ? left : chunk;
		ssize_t w = pwrite(fd, zero, n, off);

		if (w <= 0) {
			fcpmemctl_err("%s: rewriting sectors %llu+%llu failed: %s",
				      disk, (unsigned long long)r->sector,
				      (unsigned long long)r->count,
				      w < 0 ? strerror(errno) : "short write");
			free(zero);
			return FCPMEMCTL_EXIT_FAIL;
		}
		off += w;
		left -= w;
	}
	free(zero);
	if (fsync(fd)) {
		fcpmemctl_err("%s: fsync after rewriting %llu+%llu failed: %s",
			      disk, (unsigned long long)r->sector,
			      (unsigned long long)r->count, strerror(errno));
		return FCPMEMCTL_EXIT_FAIL;
	}
	return 0;
}

static int fcpmemctl_repair(const char *disk, const struct fcpmemctl_bb *todo,
			    int ntodo)
{
	char *dev = fcpmemctl_path("%s/%s", fcpmemctl_opts.dev, disk);
	struct stat st;
	int fd, i, ret = 0;

	fd = open(dev, O_WRONLY | O_DIRECT | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) || !S_ISBLK(st.st_mode)) {
		if (fd < 0)
			fcpmemctl_err("cannot open %s: %s", dev,
				      strerror(errno));
		else
			fcpmemctl_err("%s is not a block device", dev);
		ret = FCPMEMCTL_EXIT_FAIL;
		goto out;
	}
	/* whole sectors replace poisoned data; good data next to it stays */
	for (i = 0; i < ntodo && !ret; i++)
		ret = fcpmemctl_zero_sectors(disk, fd, &todo[i]);
out:
	if (fd >= 0)
		close(fd);
	free(dev);
	return ret;
}

static int fcpmemctl_bb_run(struct fcpmemctl_bb_req *req)
{
	struct fcpmemctl_bb *todo = NULL, *left = NULL, one;
	int ntodo = 0, nleft = 0, ret;
	struct fcpmemctl_disks all;
	char *disk = NULL, *bb = NULL, *p, buf[64], *s;
	uint64_t sectors, end;

	ret = fcpmemctl_require_loaded(&all);
	if (ret)
		return ret;
	ret = fcpmemctl_resolve_disk(req->disk_arg, &all, &disk);
	fcpmemctl_free_disks(&all);
	if (ret)
		return ret;
	bb = fcpmemctl_path("%s/block/%s/badblocks", fcpmemctl_opts.sysfs,
			    disk);
	if (access(bb, F_OK)) {
		fcpmemctl_err("%s has no bad-block list (driver without badblocks support)",
			      disk);
		ret = FCPMEMCTL_EXIT_FAIL;
		goto out;
	}

	if (req->action == FCPMEMCTL_BB_SHOW) {
		ret = fcpmemctl_listed_in(disk, bb, 0, UINT64_MAX, &todo,
					  &ntodo);
		if (!ret)
			fcpmemctl_print_bb(todo, ntodo);
		goto out;
	}

	p = fcpmemctl_path("%s/block/%s/size", fcpmemctl_opts.sysfs, disk);
	ret = fcpmemctl_read_line(p, buf, sizeof(buf));
	free(p);
	if (ret || !fcpmemctl_parse_u64(buf, 10, &sectors)) {
		fcpmemctl_err("%s disappeared (fcpmem unloaded?)", disk);
		ret = FCPMEMCTL_EXIT_FAIL;
		goto out;
	}
	ret = 0;
	if (!req->has_range) {
		req->sector = 0;
		req->count = sectors;
	}
	if (req->sector > sectors || req->count > sectors - req->sector) {
		fcpmemctl_err("%s: sectors %llu+%llu are past its end (%llu sectors)",
			      disk, (unsigned long long)req->sector,
			      (unsigned long long)req->count,
			      (unsigned long long)sectors);
		ret = FCPMEMCTL_EXIT_FAIL;
		goto out;
	}
	end = req->sector + req->count;
	one.sector = req->sector;
	one.count = req->count;

	switch (req->action) {
	case FCPMEMCTL_BB_INJECT:
		/* the block layer's own interface marks them bad */
		ret = fcpmemctl_write_range(bb, req->sector, req->count);
		if (ret) {
			fcpmemctl_err("%s: the kernel refused to mark %llu+%llu bad (%s; list full?)",
				      disk, (unsigned long long)req->sector,
				      (unsigned long long)req->count,
				      strerror(-ret));
			ret = FCPMEMCTL_EXIT_FAIL;
			goto out;
		}
		if (fcpmemctl_opts.json)
			fcpmemctl_print_bb(&one, 1);
		else
			printf("%s: marked %llu sector(s) from %llu bad\n",
			       disk, (unsigned long long)req->count,
			       (unsigned long long)req->sector);
		goto out;
	case FCPMEMCTL_BB_CLEAR:
		/* the driver's interface drops the entries, data untouched */
		p = fcpmemctl_path("%s/block/%s/fcpmem/clear_badblocks",
				   fcpmemctl_opts.sysfs, disk);
		if (access(p, F_OK)) {
			fcpmemctl_err("%s: the driver cannot drop bad-block entries (no fcpmem/clear_badblocks); 'repair-errors' rewrites them instead",
				      disk);
			free(p);
			ret = FCPMEMCTL_EXIT_FAIL;
			goto out;
		}
		ret = fcpmemctl_listed_in(disk, bb, req->sector, end, &todo,
					  &ntodo);
		if (!ret && req->count) {
			ret = fcpmemctl_write_range(p, req->sector,
						    req->count);
			if (ret) {
				fcpmemctl_err("%s: the driver refused to clear %llu+%llu (%s)",
					      disk,
					      (unsigned long long)req->sector,
					      (unsigned long long)req->count,
					      strerror(-ret));
				ret = FCPMEMCTL_EXIT_FAIL;
			}
		}
		free(p);
		break;
	case FCPMEMCTL_BB_REPAIR:
		/* only what is listed in the range, never good data */
		ret = fcpmemctl_listed_in(disk, bb, req->sector, end, &todo,
					  &ntodo);
		if (!ret && ntodo)
			ret = fcpmemctl_repair(disk, todo, ntodo);
		break;
	default:
		break;
	}
	if (ret)
		goto out;

	/* after clear and repair the range must be off the list */
	ret = fcpmemctl_listed_in(disk, bb, req->sector, end, &left, &nleft);
	if (ret)
		goto out;
	if (nleft) {
		s = fcpmemctl_ranges(left, nleft);
		fcpmemctl_err(req->action == FCPMEMCTL_BB_CLEAR ?
			      "%s: still listed after clearing: %s" :
			      "%s: the driver kept these listed after the rewrite: %s",
			      disk, s);
		free(s);
		ret = FCPMEMCTL_EXIT_FAIL;
		goto out;
	}
	if (fcpmemctl_opts.json) {
		fcpmemctl_print_bb(todo, ntodo);
	} else if (req->action == FCPMEMCTL_BB_CLEAR) {
		printf("%s: cleared the list in %llu+%llu\n", disk,
		       (unsigned long long)req->sector,
		       (unsigned long long)req->count);
	} else if (!ntodo) {
		printf("%s: no bad sectors in %llu+%llu\n", disk,
		       (unsigned long long)req->sector,
		       (unsigned long long)req->count);
	} else {
		s = fcpmemctl_ranges(todo, ntodo);
		printf("%s: rewrote with zeros and cleared %s\n", disk, s);
		free(s);
	}
out:
	free(todo);
	free(left);
	free(bb);
	free(disk);
	return ret;
}

/* A sector number, or a count between 1 and what the kernel takes. */
static int fcpmemctl_bb_number(const char *s, bool is_count, uint64_t *v)
{
	bool ok = fcpmemctl_parse_u64(s, 10, v);

	if (!is_count && (!ok || *v > (1ULL << 62)))
		return fcpmemctl_usage("SECTOR '%s' is not a sector number", s);
	if (is_count && (!ok || !*v || *v > FCPMEMCTL_MAX_COUNT))
		return fcpmemctl_usage("COUNT '%s' is not a positive sector count",
				       s);
	return 0;
}

/* DISK [-b SECTOR [-n COUNT]], options anywhere after the command. */
static int fcpmemctl_bb_cmd_run(enum fcpmemctl_bb_action action, int argc,
				char **argv)
{
	static const struct option opts[] = {
		{ "block", required_argument, NULL, 'b' },
		{ "sector", required_argument, NULL, 'b' },
		{ "count", required_argument, NULL, 'n' },
		{ }
	};
	struct fcpmemctl_bb_req req = { .action = action, .count = 1 };
	const char *cmd = fcpmemctl_bb_cmd[action];
	const char *optstr = action == FCPMEMCTL_BB_SHOW ? ":" : ":b:n:";
	bool has_count = false;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstr, opts, NULL)) != -1) {
		switch (c) {
		case 'b':
			ret = fcpmemctl_bb_number(optarg, false, &req.sector);
			if (ret)
				return ret;
			req.has_range = true;
			break;
		case 'n':
			ret = fcpmemctl_bb_number(optarg, true, &req.count);
			if (ret)
				return ret;
			has_count = true;
			break;
		case ':':
			return fcpmemctl_usage("%s: %s needs a value", cmd,
					       argv[optind - 1]);
		default:
			return fcpmemctl_usage("%s: unknown option '%s'", cmd,
					       argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return fcpmemctl_usage("%s: name one DISK", cmd);
	if (has_count && !req.has_range)
		return fcpmemctl_usage("%s: -n COUNT needs -b SECTOR", cmd);
	if (action == FCPMEMCTL_BB_INJECT && !req.has_range)
		return fcpmemctl_usage("inject-error: -b SECTOR is required");
	req.disk_arg = argv[optind];
	return fcpmemctl_bb_run(&req);
}

/**
 * fcpmemctl_cmd_list_errors() - fcpmemctl list-errors DISK
 * @argc: arguments after the command
 * @argv: them
 *
 * Return: the exit status.
 */
int fcpmemctl_cmd_list_errors(int argc, char **argv)
{
	return fcpmemctl_bb_cmd_run(FCPMEMCTL_BB_SHOW, argc, argv);
}

/**
 * fcpmemctl_cmd_inject_error() - fcpmemctl inject-error DISK -b S [-n N]
 * @argc: arguments after the command
 * @argv: them
 *
 * Return: the exit status.
 */
int fcpmemctl_cmd_inject_error(int argc, char **argv)
{
	return fcpmemctl_bb_cmd_run(FCPMEMCTL_BB_INJECT, argc, argv);
}

/**
 * fcpmemctl_cmd_clear_errors() - fcpmemctl clear-errors DISK [-b S [-n N]]
 * @argc: arguments after the command
 * @argv: them
 *
 * Return: the exit status.
 */
int fcpmemctl_cmd_clear_errors(int argc, char **argv)
{
	return fcpmemctl_bb_cmd_run(FCPMEMCTL_BB_CLEAR, argc, argv);
}

/**
 * fcpmemctl_cmd_repair_errors() - fcpmemctl repair-errors DISK [-b S [-n N]]
 * @argc: arguments after the command
 * @argv: them
 *
 * Return: the exit status.
 */
int fcpmemctl_cmd_repair_errors(int argc, char **argv)
{
	return fcpmemctl_bb_cmd_run(FCPMEMCTL_BB_REPAIR, argc, argv);
}

/**
 * fcpmemctl_cmd_badblocks() - the shell tool's spelling, kept as an alias:
 * badblocks [show] DISK, badblocks inject|clear|repair SECTOR [COUNT] DISK
 * @argc: arguments after "badblocks"
 * @argv: them (argv[0] is "badblocks")
 *
 * Return: the exit status.
 */
int fcpmemctl_cmd_badblocks(int argc, char **argv)
{
	static const char * const verbs[] = { "show", "inject", "clear",
					      "repair" };
	struct fcpmemctl_bb_req req = { .action = FCPMEMCTL_BB_SHOW,
					.count = 1, .has_range = true };
	int i, ret;

	argc--;
	argv++;
	for (i = 0; argc && i < 4; i++)
		if (!strcmp(argv[0], verbs[i])) {
			req.action = i;
			argc--;
			argv++;
			break;
		}
	if (argc < 1)
		return fcpmemctl_usage("badblocks: name a DISK");
	if (req.action == FCPMEMCTL_BB_SHOW) {
		if (argc != 1)
			return fcpmemctl_usage("badblocks show takes only DISK");
	} else {
		if (argc != 2 && argc != 3)
			return fcpmemctl_usage("badblocks %s SECTOR [COUNT] DISK",
					       verbs[req.action]);
		ret = fcpmemctl_bb_number(argv[0], false, &req.sector);
		if (!ret && argc == 3)
			ret = fcpmemctl_bb_number(argv[1], true, &req.count);
		if (ret)
			return ret;
	}
	req.disk_arg = argv[argc - 1];
	return fcpmemctl_bb_run(&req);
}
