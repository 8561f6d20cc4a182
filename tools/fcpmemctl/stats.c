// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmemctl stats [-w SECONDS [-c COUNT]] [DISK...]: the driver's counters.
 * A counter is any file in /sys/block/<disk>/fcpmem/ that holds one
 * unsigned decimal number, except dax (a setting): counters a newer driver
 * adds show up without a new fcpmemctl. With -w, a report every SECONDS:
 * the totals first, then the change over each interval, byte counters as
 * MiB/s, on a fixed schedule like iostat's.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "fcpmemctl.h"

#define FCPMEMCTL_NSEC	1000000000ULL

struct fcpmemctl_counters {
	char **name;		/* alphabetical */
	uint64_t *val;
	int nr;
};

struct fcpmemctl_sample {
	struct fcpmemctl_counters *disk;	/* one per selected disk */
	uint64_t ns;				/* CLOCK_MONOTONIC */
};

/* set by SIGINT/SIGTERM; a lock-free atomic is safe in a handler */
static atomic_bool fcpmemctl_stop;

static void fcpmemctl_on_signal(int sig)
{
	(void)sig;
	atomic_store(&fcpmemctl_stop, true);
}

static uint64_t fcpmemctl_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * FCPMEMCTL_NSEC + ts.tv_nsec;
}

static void fcpmemctl_free_sample(struct fcpmemctl_sample *s, int ndisk)
{
	int d, i;

	if (!s->disk)
		return;
	for (d = 0; d < ndisk; d++) {
		for (i = 0; i < s->disk[d].nr; i++)
			free(s->disk[d].name[i]);
		free(s->disk[d].name);
		free(s->disk[d].val);
	}
	free(s->disk);
	s->disk = NULL;
}

/* Read every counter of one disk. Return: 0, or -1 if it went away. */
static int fcpmemctl_sample_disk(const char *disk,
				 struct fcpmemctl_counters *c)
{
	char *dir = fcpmemctl_path("%s/block/%s/fcpmem", fcpmemctl_opts.sysfs,
				   disk);
	struct dirent **ents;
	int n, i;

	n = scandir(dir, &ents, NULL, alphasort);
	if (n < 0) {
		free(dir);
		return -1;
	}
	c->name = fcpmemctl_alloc(sizeof(*c->name) * n);
	c->val = fcpmemctl_alloc(sizeof(*c->val) * n);
	c->nr = 0;
	for (i = 0; i < n; i++) {
		const char *name = ents[i]->d_name;
		char *p = fcpmemctl_path("%s/%s", dir, name);
		char buf[64];
		struct stat st;
		uint64_t v;

		/* write-only files (clear_badblocks) fail to read */
		if (strcmp(name, "dax") && name[0] != '.' &&
		    stat(p, &st) == 0 && S_ISREG(st.st_mode) &&
		    fcpmemctl_read_line(p, buf, sizeof(buf)) == 0 &&
		    fcpmemctl_parse_u64(buf, 10, &v)) {
			c->name[c->nr] = fcpmemctl_strdup(name);
			c->val[c->nr++] = v;
		}
		free(p);
		free(ents[i]);
	}
	free(ents);
	free(dir);
	return 0;
}

static int fcpmemctl_sample(const struct fcpmemctl_disks *disks,
			    struct fcpmemctl_sample *s)
{
	int d;

	s->ns = fcpmemctl_now_ns();
	s->disk = fcpmemctl_alloc(sizeof(*s->disk) * disks->nr);
	for (d = 0; d < disks->nr; d++) {
		if (fcpmemctl_sample_disk(disks->name[d], &s->disk[d])) {
			fcpmemctl_err("%s disappeared (fcpmem unloaded?)",
				      disks->name[d]);
			return FCPMEMCTL_EXIT_FAIL;
		}
	}
	return 0;
}

/*
 * One report: the totals of @cur when @prev is NULL, else the change
 * since @prev. A counter that went down restarted (the module was
 * reloaded): it counts from zero.
 */
static void fcpmemctl_report(const struct fcpmemctl_disks *disks,
			     const struct fcpmemctl_sample *prev,
			     const struct fcpmemctl_sample *cur, bool watch)
{
	struct fcpmemctl_table *t = fcpmemctl_table_new(false);
	double secs = prev ? (double)(cur->ns - prev->ns) / FCPMEMCTL_NSEC : 0;
	int d, i, j;

	for (d = 0; d < disks->nr; d++) {
		const struct fcpmemctl_counters *c = &cur->disk[d];

		fcpmemctl_table_row(t);
		fcpmemctl_table_str(t, "disk", disks->name[d]);
		if (prev && fcpmemctl_opts.json)
			fcpmemctl_table_fixed(t, "interval_s", secs, 3);
		for (i = 0; i < c->nr; i++) {
			const struct fcpmemctl_counters *pc;
			uint64_t v = c->val[i], p = v, delta;
			char *col, *b;

			if (!prev) {
				fcpmemctl_table_u64(t, c->name[i], v);
				continue;
			}
			pc = &prev->disk[d];
			for (j = 0; j < pc->nr; j++)
				if (!strcmp(pc->name[j], c->name[i]))
					p = pc->val[j];
			delta = v >= p ? v - p : v;
			/* bytes_written -> MiB_written/s, as iostat's kB_read/s */
			b = strstr(c->name[i], "bytes");
			if (!b) {
				fcpmemctl_table_u64(t, c->name[i], delta);
				continue;
			}
			col = fcpmemctl_path("%.*sMiB%s/s",
					     (int)(b - c->name[i]), c->name[i],
					     b + strlen("bytes"));
			fcpmemctl_table_fixed(t, col, secs > 0 ?
					      delta / secs / (1 << 20) : 0, 2);
			free(col);
		}
	}
	fcpmemctl_table_print(t, watch);
	fcpmemctl_table_free(t);
}

/* SECONDS: digits, optionally a point and more digits. */
static bool fcpmemctl_parse_interval(const char *s, uint64_t *ns)
{
	size_t ip = strspn(s, "0123456789"), fp = 0;
	uint64_t sec = 0, frac = 0, scale = FCPMEMCTL_NSEC;
	size_t k;

	if (s[ip] == '.')
		fp = strspn(s + ip + 1, "0123456789");
	if ((!ip && !fp) || s[ip + (s[ip] == '.' ? fp + 1 : 0)] || ip > 9)
		return false;
	for (k = 0; k < ip; k++)
		sec = sec * 10 + (s[k] - '0');
	for (k = 0; k < fp && k < 9; k++) {
		scale /= 10;
		frac += (s[ip + 1 + k] - '0') * scale;
	}
	*ns = sec * FCPMEMCTL_NSEC + frac;
	return true;
}

/**
 * fcpmemctl_cmd_stats() - fcpmemctl stats
 * @argc: arguments after "stats"
 * @argv: them
 *
 * Return: the exit status.
 */
int fcpmemctl_cmd_stats(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "watch", required_argument, NULL, 'w' },
		{ "count", required_argument, NULL, 'c' },
		{ }
	};
	struct fcpmemctl_sample prev = { }, cur = { };
	const char *watch = NULL, *count = NULL;
	uint64_t interval = 0, reports = 0, max = 0, next, now;
	struct fcpmemctl_disks disks;
	struct sigaction sa = { };
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":w:c:", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			watch = optarg;
			break;
		case 'c':
			count = optarg;
			break;
		case ':':
			return fcpmemctl_usage("stats: %s needs a value",
					       argv[optind - 1]);
		default:
			return fcpmemctl_usage("stats: unknown option '%s'",
					       argv[optind - 1]);
		}
	}
	if (watch) {
		if (!fcpmemctl_parse_interval(watch, &interval))
			return fcpmemctl_usage("-w: '%s' is not a number of seconds",
					       watch);
		if (interval < FCPMEMCTL_NSEC / 100)
			return fcpmemctl_usage("-w: the interval must be at least 0.01 seconds");
	}
	if (count) {
		if (!watch)
			return fcpmemctl_usage("-c needs -w");
		if (!fcpmemctl_parse_u64(count, 10, &max) || !max)
			return fcpmemctl_usage("-c: '%s' is not a positive count",
					       count);
	}
	ret = fcpmemctl_select_disks(argc - optind, argv + optind, &disks);
	if (ret)
		return ret;

	ret = fcpmemctl_sample(&disks, &cur);
	if (ret)
		goto out;
	fcpmemctl_report(&disks, NULL, &cur, watch);
	if (!watch)
		goto out;

	/* Ctrl-C or kill ends the reports, successfully. */
	sa.sa_handler = fcpmemctl_on_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/*
	 * A fixed schedule: the time spent sampling and printing comes out
	 * of the sleep instead of adding up over the reports.
	 */
	next = cur.ns;
	for (reports = 1; !max || reports < max; reports++) {
		struct timespec ts;

		next += interval;
		now = fcpmemctl_now_ns();
		if (now < next) {
			ts.tv_sec = next / FCPMEMCTL_NSEC;
			ts.tv_nsec = next % FCPMEMCTL_NSEC;
			while (!atomic_load(&fcpmemctl_stop) &&
			       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
					       &ts, NULL) == EINTR)
				;
		} else {
			/* fell behind: start again from now */
			next = now;
		}
		if (atomic_load(&fcpmemctl_stop))
			break;
		fcpmemctl_free_sample(&prev, disks.nr);
		prev = cur;
		cur.disk = NULL;
		ret = fcpmemctl_sample(&disks, &cur);
		if (ret)
			goto out;
		if (!fcpmemctl_opts.json)
			putchar('\n');
		fcpmemctl_report(&disks, &prev, &cur, true);
	}
out:
	fcpmemctl_free_sample(&prev, disks.nr);
	fcpmemctl_free_sample(&cur, disks.nr);
	fcpmemctl_free_disks(&disks);
	return ret;
}
