// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmemctl: list fcpmem disks and the legacy persistent-memory ranges
 * they serve, show their counters, look after their bad blocks. Everything
 * comes from sysfs (/sys/block/<disk>/fcpmem/, the block layer's
 * /sys/block/<disk>/badblocks, /sys/bus/nd) and /proc/iomem; it keeps no
 * state. Manual: Documentation/fcpmemctl.rst.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcpmemctl.h"

#ifndef FCPMEMCTL_VERSION
#define FCPMEMCTL_VERSION "unknown"
#endif

struct fcpmemctl_opts fcpmemctl_opts;

static const char fcpmemctl_help[] =
"Usage: fcpmemctl list [-v] [DISK...]\n"
"       fcpmemctl stats [-w SECONDS [-c COUNT]] [DISK...]\n"
"       fcpmemctl list-errors DISK\n"
"       fcpmemctl inject-error DISK -b SECTOR [-n COUNT]\n"
"       fcpmemctl clear-errors DISK [-b SECTOR [-n COUNT]]\n"
"       fcpmemctl repair-errors DISK [-b SECTOR [-n COUNT]]\n"
"       fcpmemctl -h | --help | --version\n"
"Every command takes --json. The shell tool's 'badblocks [show|inject|\n"
"clear|repair] [SECTOR [COUNT]] DISK' still works.\n"
"\n"
"Inspect the disks of the fcpmem persistent-memory driver (any disk with a\n"
"/sys/block/<disk>/fcpmem directory, whatever its name prefix) and the\n"
"legacy persistent-memory ranges (memmap=nn!ss) they serve.\n"
"\n"
"Commands:\n"
"  list           one line per fcpmem disk and per legacy range of\n"
"                 /proc/iomem no fcpmem disk serves (also before the module\n"
"                 is loaded): disk, physical range, size, DAX on/off, copy\n"
"                 variant, cache write-back instruction, alignment, owner\n"
"                 (fcpmem, nd_pmem, none); -v adds the nd namespace, whether\n"
"                 DAX is possible, and the regions= and memmap= values that\n"
"                 would serve the range\n"
"  stats          the driver's counters per disk (every number in\n"
"                 /sys/block/<disk>/fcpmem/ except dax); with -w, a report\n"
"                 every SECONDS: first the totals, then the change over each\n"
"                 interval, byte counters as MiB/s; Ctrl-C stops it\n"
"  list-errors    the disk's bad-block list (512-byte sectors)\n"
"  inject-error   mark COUNT sectors (default 1) from SECTOR bad\n"
"  clear-errors   drop the list's entries in the range (default: the whole\n"
"                 disk), data untouched (fcpmem/clear_badblocks)\n"
"  repair-errors  rewrite the listed sectors in the range with zeros through\n"
"                 the block device, which is what fixes real poison\n"
"\n"
"Options:\n"
"  --json           print JSON (an array of objects; [] when empty); with\n"
"                   stats -w, one array per report, one report per line\n"
"  -v, --verbose    list: more columns\n"
"  -w, --watch SECONDS\n"
"                   stats: repeat every SECONDS (fractions allowed)\n"
"  -c, --count COUNT\n"
"                   stats -w: stop after COUNT reports\n"
"  -b, --block SECTOR, -n, --count COUNT\n"
"                   the bad-block commands: the first sector and how many\n"
"  -h, --help       this help\n"
"  --version        print the version\n"
"\n"
"Exit status: 0 success; 1 failure (fcpmem not loaded, not an fcpmem disk,\n"
"no bad-block list, I/O error, the kernel refused); 2 usage error.\n";

static void fcpmemctl_version(void)
{
	char *p = fcpmemctl_path("%s/module/fcpmem/srcversion",
				 fcpmemctl_opts.sysfs);
	char buf[128];

	printf("fcpmemctl %s\n", FCPMEMCTL_VERSION);
	if (fcpmemctl_read_line(p, buf, sizeof(buf)) == 0)
		printf("fcpmem module loaded, srcversion %s\n", buf);
	else
		puts("fcpmem module not loaded");
	free(p);
}

static const char *fcpmemctl_env(const char *name, const char *def)
{
	const char *v = getenv(name);

	return v && *v ? v : def;
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
} fcpmemctl_cmds[] = {
	{ "list", fcpmemctl_cmd_list },
	{ "stats", fcpmemctl_cmd_stats },
	{ "list-errors", fcpmemctl_cmd_list_errors },
	{ "inject-error", fcpmemctl_cmd_inject_error },
	{ "clear-errors", fcpmemctl_cmd_clear_errors },
	{ "repair-errors", fcpmemctl_cmd_repair_errors },
	{ "badblocks", fcpmemctl_cmd_badblocks },
};

int main(int argc, char **argv)
{
	char **args = fcpmemctl_alloc(sizeof(*args) * (argc + 1));
	int nargs = 0, i, ret = -1;

	fcpmemctl_opts.sysfs = fcpmemctl_env("FCPMEMCTL_SYSFS", "/sys");
	fcpmemctl_opts.dev = fcpmemctl_env("FCPMEMCTL_DEV", "/dev");
	fcpmemctl_opts.proc = fcpmemctl_env("FCPMEMCTL_PROC", "/proc");

	/* --json, --help and --version may come anywhere, as before */
	for (i = 1; i < argc && ret < 0; i++) {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(fcpmemctl_help, stdout);
			ret = FCPMEMCTL_EXIT_OK;
		} else if (!strcmp(argv[i], "--version")) {
			fcpmemctl_version();
			ret = FCPMEMCTL_EXIT_OK;
		} else if (!strcmp(argv[i], "--json")) {
			fcpmemctl_opts.json = true;
		} else {
			args[nargs++] = argv[i];
		}
	}
	if (ret >= 0)
		goto out;
	if (!nargs) {
		ret = fcpmemctl_usage("no command (list, stats, list-errors, inject-error, clear-errors, repair-errors)");
		goto out;
	}
	if (!strcmp(args[0], "help")) {
		fputs(fcpmemctl_help, stdout);
		ret = FCPMEMCTL_EXIT_OK;
		goto out;
	}
	for (i = 0; i < (int)ARRAY_SIZE(fcpmemctl_cmds); i++)
		if (!strcmp(args[0], fcpmemctl_cmds[i].name))
			break;
	if (i < (int)ARRAY_SIZE(fcpmemctl_cmds))
		ret = fcpmemctl_cmds[i].fn(nargs, args);
	else
		ret = fcpmemctl_usage("unknown command '%s'", args[0]);
out:
	free(args);
	return ret;
}
