// SPDX-License-Identifier: GPL-2.0
/*
 * Recovery writes from many iovec segments, on an fcpmem DAX mount.
 *
 *   dax_recover DIR DISK    DIR is a -o dax mount of /dev/DISK
 *                           (badblocks.sh mounts ext4 there)
 *
 * A write to a file page whose sectors are on the disk's bad-block list is
 * refused by direct_access (-EIO before 6.3, -EHWPOISON since); the DAX
 * core (fs/dax.c dax_iomap_iter(), read in 6.1 and 6.16; run on 6.1, 6.12
 * and 7.3) then maps that page again with DAX_RECOVERY_WRITE and
 * hands the write to the driver's recovery_write, which copies it with
 * fcpmem_copy_from_iter_flushcache(). A pwritev(2) of more than one segment
 * arrives there as an ITER_IOVEC iterator, so this is the one test that
 * runs that function's iovec path.
 *
 * What the DAX core does with the count recovery_write returns: a short
 * count ends that pass, and the next iomap iteration starts at the first
 * byte not written, so recovery_write is called again for the rest while
 * the page is still listed; a call that copies nothing ends the write,
 * which fails with EFAULT if nothing was written at all. So pwritev's
 * count only shows where a user fault stopped the copy. A copy that stops
 * early without a fault is hidden in the count, but not in the list: the
 * driver drops only the sectors one call covered whole, and a sector
 * written in part stays bad. So each case checks the list too.
 *
 * Each case poisons one page of a file by writing "SECTOR 8" to
 * /sys/block/DISK/badblocks (the sector found with FIEMAP), does one
 * pwritev and checks its return value, the bad-block list after it, and,
 * once the leftover entries are dropped with fcpmem/clear_badblocks (the
 * injected poison is only a list entry), every byte of the file: the new
 * bytes exactly where the count says they landed, the old bytes everywhere
 * else.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest.h"

#define PG		4096
#define FILE_PAGES	16
#define MAX_SEGS	16
#define SECTOR		512

/* One pwritev: nseg segments of seglen bytes from file offset page * PG + start. */
struct rcase {
	const char *name;
	unsigned int page;	/* the poisoned page */
	long start;		/* write start, bytes from that page's start */
	unsigned int nseg;
	size_t seglen;
	int fault_seg;		/* segment pointing at a PROT_NONE page, or -1 */
	long want;		/* pwritev's return value, or -errno */
	long bad_first;		/* sector left bad, from the page's first */
	long bad_count;		/* how many; 0 for none */
};

/*
 * 6.1 to 7.3: a recovery write covers at most the poisoned page, and a
 * write starting before it goes through the ordinary DAX copy up to it.
 */
static const struct rcase cases[] = {
	{ "whole page, 16 segments of 256 B", 4, 0, 16, 256, -1,
	  PG, 0, 0 },
	{ "from 1000 B before the page, 12 segments of 420 B, last sector in part",
	  6, -1000, 12, 420, -1, 5040, 7, 1 },
	{ "segment 5 of 16 unmapped: short count, exactly those bytes",
	  8, 0, 16, 256, 5, 5 * 256, 2, 6 },
	{ "segment 0 of 16 unmapped: EFAULT, nothing written", 10, 0, 16, 256,
	  0, -EFAULT, 0, 8 },
};

static const char *disk;

/* The file's first contents, a byte of it at each offset. */
static unsigned char pat(uint64_t off)
{
	return (unsigned char)(((off + 1) * 0x9e3779b97f4a7c15ull) >> 29);
}

/* What case @seed writes over @old: differs from it in every byte. */
static unsigned char newbyte(unsigned char old, unsigned int seed)
{
	return old ^ (0x80 | seed);
}

static int sysfs_write(const char *attr, long long a, long long b)
{
	char path[256];
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "/sys/block/%s/%s", disk, attr);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fprintf(f, "%lld %lld\n", a, b);
	ret = fclose(f);
	if (ret)
		ksft_print_msg("write '%lld %lld' to %s: %s\n", a, b, path,
			       strerror(errno));
	return ret;
}

/* The bad-block list, one line "sector count" per entry, newlines kept. */
static void bb_list(char *buf, size_t len)
{
	char path[256];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/sys/block/%s/badblocks", disk);
	f = fopen(path, "r");
	if (f) {
		n = fread(buf, 1, len - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
}

/* The disk sector holding byte @off of the file, by FIEMAP. */
static long long file_sector(int fd, uint64_t off)
{
	struct {
		struct fiemap fm;
		struct fiemap_extent fe[32];
	} m;
	unsigned int i;

	memset(&m, 0, sizeof(m));
	m.fm.fm_start = 0;
	m.fm.fm_length = FIEMAP_MAX_OFFSET;
	m.fm.fm_flags = FIEMAP_FLAG_SYNC;
	m.fm.fm_extent_count = 32;
	if (ioctl(fd, FS_IOC_FIEMAP, &m.fm))
		return -1;
	for (i = 0; i < m.fm.fm_mapped_extents; i++) {
		struct fiemap_extent *e = &m.fe[i];

		if (off < e->fe_logical || off >= e->fe_logical + e->fe_length)
			continue;
		/* Unwritten blocks read as zeroes without touching the disk. */
		if (e->fe_flags & (FIEMAP_EXTENT_UNWRITTEN |
				   FIEMAP_EXTENT_UNKNOWN |
				   FIEMAP_EXTENT_ENCODED))
			return -1;
		return (e->fe_physical + off - e->fe_logical) / SECTOR;
	}
	return -1;
}

static int run_case(int fd, const struct rcase *c, unsigned int seed,
		    unsigned char *hole)
{
	static unsigned char old[FILE_PAGES * PG], got[FILE_PAGES * PG];
	static unsigned char src[MAX_SEGS * (PG + 64)];
	uint64_t page_off = (uint64_t)c->page * PG;
	uint64_t off = page_off + c->start;
	struct iovec iov[MAX_SEGS];
	char list[256], want_list[64];
	long long sector;
	unsigned int k;
	long ret, landed;
	size_t i;
	int ok = 1;

	sector = file_sector(fd, page_off);
	if (sector < 0) {
		ksft_print_msg("%s: no written extent under page %u\n",
			       c->name, c->page);
		return 0;
	}
	if (pread(fd, old, sizeof(old), 0) != (ssize_t)sizeof(old)) {
		ksft_print_msg("%s: read the file: %s\n", c->name,
			       strerror(errno));
		return 0;
	}

	/*
	 * Each segment in its own place, at a different misalignment, so
	 * the non-temporal user copy starts and ends mid word and mid line.
	 */
	for (k = 0; k < c->nseg; k++) {
		unsigned char *p = src + k * (PG + 64) + (k * 13) % 64;

		for (i = 0; i < c->seglen; i++)
			p[i] = newbyte(old[off + k * c->seglen + i], seed);
		iov[k].iov_base = (int)k == c->fault_seg ? (void *)hole : p;
		iov[k].iov_len = c->seglen;
	}

	if (sysfs_write("badblocks", sector, PG / SECTOR))
		return 0;
	ret = pwritev(fd, iov, c->nseg, off);
	if (ret < 0)
		ret = -errno;
	if (ret != c->want) {
		ksft_print_msg("%s: pwritev returned %ld, expected %ld\n",
			       c->name, ret, c->want);
		ok = 0;
	}

	bb_list(list, sizeof(list));
	want_list[0] = '\0';
	if (c->bad_count)
		snprintf(want_list, sizeof(want_list), "%lld %ld\n",
			 sector + c->bad_first, c->bad_count);
	if (strcmp(list, want_list)) {
		ksft_print_msg("%s: bad-block list '%.*s', expected '%.*s'\n",
			       c->name, (int)strcspn(list, "\n"), list,
			       (int)strcspn(want_list, "\n"), want_list);
		ok = 0;
	}
	/* Whatever is left is only the injected entry: drop it to read. */
	if (list[0] && sysfs_write("fcpmem/clear_badblocks", sector,
				   PG / SECTOR))
		return 0;

	if (pread(fd, got, sizeof(got), 0) != (ssize_t)sizeof(got)) {
		ksft_print_msg("%s: read back: %s\n", c->name, strerror(errno));
		return 0;
	}
	landed = ret > 0 ? ret : 0;
	for (i = 0; i < sizeof(got); i++) {
		unsigned char want = old[i];

		if (i >= off && i < off + landed)
			want = newbyte(old[i], seed);
		if (got[i] != want) {
			ksft_print_msg("%s: file byte %zu (write offset %lld) is %#x, expected %#x (%s)\n",
				       c->name, i, (long long)i - (long long)off,
				       got[i], want,
				       want == old[i] ? "old data" : "new data");
			ok = 0;
			break;
		}
	}
	return ok;
}

int main(int argc, char **argv)
{
	static unsigned char buf[FILE_PAGES * PG];
	char path[4096], list[256];
	unsigned char *hole;
	unsigned int k;
	size_t i;
	int fd;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DIR DISK\n", argv[0]);
		return KSFT_FAIL;
	}
	disk = argv[2];

	ksft_print_header();
	ksft_set_plan(ARRAY_SIZE(cases));

	bb_list(list, sizeof(list));
	if (list[0])
		ksft_exit_fail_msg("bad-block list of %s not empty: %s", disk,
				   list);
	hole = mmap(NULL, PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (hole == MAP_FAILED)
		ksft_exit_fail_msg("mmap PROT_NONE: %s\n", strerror(errno));

	/* Old data everywhere, written and synced: no unwritten extent. */
	snprintf(path, sizeof(path), "%s/recover", argv[1]);
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		ksft_exit_fail_msg("create %s: %s\n", path, strerror(errno));
	for (i = 0; i < sizeof(buf); i++)
		buf[i] = pat(i);
	if (pwrite(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf) ||
	    fsync(fd))
		ksft_exit_fail_msg("write %s: %s\n", path, strerror(errno));

	for (k = 0; k < ARRAY_SIZE(cases); k++)
		ksft_test_result(run_case(fd, &cases[k], k + 1, hole), "%s\n",
				 cases[k].name);
	close(fd);
	unlink(path);
	ksft_finished();
}
