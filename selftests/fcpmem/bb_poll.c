// SPDX-License-Identifier: GPL-2.0
/*
 * poll() on /sys/block/<disk>/badblocks must wake on every change to the
 * list, as it does for the in-tree pmem driver: a monitor (ndctl-style)
 * reads the file, polls it for POLLPRI, and reads it again when woken.
 *
 * Each case reads the file (which arms the poll), starts a child that
 * changes the list after a short delay, so the parent is really asleep in
 * poll() when the change comes, and fails if poll() has not reported
 * POLLPRI within TIMEOUT_MS, or if the file then does not show the change:
 *   - nothing changes: poll() must time out without POLLPRI (the control);
 *   - an entry injected through the badblocks file itself;
 *   - entries dropped through fcpmem/clear_badblocks;
 *   - an entry cleared by a whole-sector O_DIRECT write to the disk;
 *   - with hwpoison_inject loaded and DAX on: a page of the region handed
 *     to memory_failure(), which the pagemap's hook records (then repaired
 *     by a write of the page).
 *
 * Usage: bb_poll DISK   (e.g. pmem0; fcpmem loaded, no other user of the
 * disk's first MiBs)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest.h"

#define TIMEOUT_MS	5000	/* TCG guests are slow */
#define QUIET_MS	300	/* the control case waits this long */
#define DELAY_US	200000	/* the child acts this long after the fork */
#define BAD_SECTOR	1024	/* a page-aligned sector in the first MiB */
#define MF_OFF		(1 << 20)	/* byte offset of the hwpoisoned page */

static char bb_path[128], clear_path[128], dev_path[64], region_path[128],
	    dax_path[128];
static const char *inject_path = "/sys/kernel/debug/hwpoison/corrupt-pfn";

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, strlen(s));
	n = n < 0 ? -errno : 0;
	close(fd);
	return n;
}

static int read_str(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* Re-read the open badblocks file from the start: shows it, arms poll(). */
static int rearm(int fd, char *buf, size_t size)
{
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* Whole-sector O_DIRECT write of one page at @off: repairs its sectors. */
static int write_page(off_t off)
{
	void *buf;
	int fd, ret = 0;

	if (posix_memalign(&buf, 4096, 4096))
		return -ENOMEM;
	memset(buf, 0x5a, 4096);
	fd = open(dev_path, O_RDWR | O_DIRECT);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	if (pwrite(fd, buf, 4096, off) != 4096)
		ret = -errno;
	close(fd);
	free(buf);
	return ret;
}

typedef int (*change_fn)(const void *arg);

static int do_inject(const void *arg)
{
	return write_str(bb_path, arg);
}

static int do_clear(const void *arg)
{
	return write_str(clear_path, arg);
}

static int do_write(const void *arg)
{
	return write_page(*(const off_t *)arg);
}

static int do_hwpoison(const void *arg)
{
	/* 6.12 answers EBUSY when no user of the page was found. */
	int ret = write_str(inject_path, arg);

	return ret == -EBUSY ? 0 : ret;
}

static long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * One case: arm, let a child apply @change after DELAY_US, poll. Passes
 * when poll() reports POLLPRI and the file then reads @want (with @change
 * NULL: when poll() times out without POLLPRI).
 */
static void poll_case(int fd, const char *name, change_fn change,
		      const void *arg, const char *want)
{
	struct pollfd pfd = { .fd = fd, .events = POLLPRI | POLLERR };
	char before[4096], after[4096];
	struct timespec t0;
	int ret, status = 0;
	pid_t child = -1;
	long ms;

	ret = rearm(fd, before, sizeof(before));
	if (ret) {
		ksft_test_result_fail("%s: read %s: %s\n", name, bb_path,
				      strerror(-ret));
		return;
	}
	if (change) {
		child = fork();
		if (child < 0)
			ksft_exit_fail_msg("fork: %s\n", strerror(errno));
		if (!child) {
			usleep(DELAY_US);
			_exit(change(arg) ? 1 : 0);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ret = poll(&pfd, 1, change ? TIMEOUT_MS : QUIET_MS);
	ms = elapsed_ms(&t0);
	if (child > 0)
		waitpid(child, &status, 0);
	if (ret < 0)
		ksft_exit_fail_msg("poll: %s\n", strerror(errno));

	if (!change) {
		ksft_test_result(!(pfd.revents & POLLPRI),
				 "%s: no POLLPRI in %d ms (revents %#x)\n",
				 name, QUIET_MS, pfd.revents);
		return;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		ksft_test_result_fail("%s: the change itself failed\n", name);
		return;
	}
	if (!(pfd.revents & POLLPRI)) {
		ksft_test_result_fail("%s: poll() not woken in %d ms (revents %#x)\n",
				      name, TIMEOUT_MS, pfd.revents);
		return;
	}
	ret = rearm(fd, after, sizeof(after));
	if (ret || strcmp(after, want)) {
		ksft_test_result_fail("%s: woken after %ld ms, but the file reads '%s', expected '%s'\n",
				      name, ms, ret ? strerror(-ret) : after,
				      want);
		return;
	}
	ksft_test_result_pass("%s: woken after %ld ms\n", name, ms);
}

/*
 * The pfn of the page MF_OFF into the disk, or 0 when memory_failure()
 * cannot reach our hook (no DAX, no hwpoison_inject).
 */
static unsigned long long hwpoison_pfn(void)
{
	unsigned long long start;
	char buf[128];

	if (read_str(dax_path, buf, sizeof(buf)) || buf[0] != '1')
		return 0;
	if (access(inject_path, W_OK))
		return 0;
	if (read_str(region_path, buf, sizeof(buf)) ||
	    sscanf(buf, "%llx", &start) != 1)
		return 0;
	return (start + MF_OFF) / 4096;
}

int main(int argc, char **argv)
{
	char sectors[64], pfn_str[64], want[64];
	off_t bad_off = (off_t)BAD_SECTOR * 512;
	unsigned long long pfn;
	int fd;

	if (argc != 2)
		ksft_exit_fail_msg("usage: %s DISK\n", argv[0]);
	snprintf(bb_path, sizeof(bb_path), "/sys/block/%s/badblocks", argv[1]);
	snprintf(clear_path, sizeof(clear_path),
		 "/sys/block/%s/fcpmem/clear_badblocks", argv[1]);
	snprintf(region_path, sizeof(region_path),
		 "/sys/block/%s/fcpmem/region", argv[1]);
	snprintf(dax_path, sizeof(dax_path), "/sys/block/%s/fcpmem/dax",
		 argv[1]);
	snprintf(dev_path, sizeof(dev_path), "/dev/%s", argv[1]);

	ksft_print_header();
	ksft_set_plan(6);

	fd = open(bb_path, O_RDONLY);
	if (fd < 0)
		ksft_exit_fail_msg("open %s: %s\n", bb_path, strerror(errno));

	poll_case(fd, "control, nothing changes", NULL, NULL, NULL);

	snprintf(sectors, sizeof(sectors), "%d 8\n", BAD_SECTOR);
	poll_case(fd, "inject through badblocks", do_inject, sectors,
		  sectors);

	snprintf(sectors, sizeof(sectors), "%d 4", BAD_SECTOR);
	snprintf(want, sizeof(want), "%d 4\n", BAD_SECTOR + 4);
	poll_case(fd, "clear_badblocks drops part", do_clear, sectors, want);

	poll_case(fd, "a whole-page write clears the rest", do_write,
		  &bad_off, "");

	pfn = hwpoison_pfn();
	if (!pfn) {
		ksft_test_result_skip("memory_failure() records a page: no DAX or no hwpoison_inject\n");
		ksft_test_result_skip("a write repairs the page: as above\n");
	} else {
		off_t mf_off = MF_OFF;

		snprintf(pfn_str, sizeof(pfn_str), "%#llx\n", pfn);
		snprintf(want, sizeof(want), "%d 8\n", MF_OFF / 512);
		poll_case(fd, "memory_failure() records a page", do_hwpoison,
			  pfn_str, want);
		poll_case(fd, "a write repairs the page", do_write, &mf_off,
			  "");
	}
	close(fd);
	ksft_finished();
}
