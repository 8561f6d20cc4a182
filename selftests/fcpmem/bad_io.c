// SPDX-License-Identifier: GPL-2.0
/*
 * Bad I/O requests against an fcpmem disk, from a table: past and across
 * the end, zero length, larger than the disk, unaligned O_DIRECT, offsets
 * that wrap, discard, secure erase, write zeroes, fallocate modes, ioctls
 * the driver does not implement, bad pointers, writes to a read-only disk.
 * Each must return exactly the expected value or errno.
 *
 * Before the table every disk named on the command line is filled with a
 * pattern unique to its disk and byte offset; each request that may write
 * is recorded as an extent. After the table every byte of every disk must
 * equal the pattern, overlaid with exactly those extents: a request that
 * wrote where it should not, or did not write where it should, fails.
 *
 * Usage: bad_io TARGET [BYSTANDER...]   (fcpmem must be loaded)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/blkzoned.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <linux/pr.h>
#include <scsi/sg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest.h"

#define KiB		1024LL
#define MiB		(1024 * KiB)
#define CHUNK		MiB
#define MAX_DEVS	4
#define MAX_EXTENTS	64
/* Page aligned, below mmap_min_addr: never mapped. */
#define BAD_PTR		((void *)4096)

struct disk {
	const char *path;
	int fd;		/* O_RDWR | O_DIRECT */
	int bfd;	/* O_RDWR, buffered */
	int rfd;	/* O_RDONLY */
	int64_t size;	/* bytes */
};

/* Bytes [off, off + len) of a disk hold pattern @seed; seed 0 is zeroes. */
struct extent {
	int disk;
	int64_t off;
	int64_t len;
	unsigned int seed;
};

static struct disk disks[MAX_DEVS];
static int nr_disks;
static struct extent extents[MAX_EXTENTS];
static int nr_extents;
static unsigned int next_seed = 100;

/*
 * A 64-bit word per 8 bytes, different for every disk, seed and offset (an
 * odd multiplier and an xor-shift are both bijections), so data written to
 * the wrong place or the wrong disk never looks right.
 */
static void gen(char *p, int disk, unsigned int seed, int64_t off, int64_t len)
{
	int64_t i = 0;

	if (!seed) {
		memset(p, 0, len);
		return;
	}
	while (i < len) {
		uint64_t o = off + i;
		uint64_t w = ((o >> 3) ^ ((uint64_t)seed << 40) ^
			      ((uint64_t)disk << 60)) * 0x9e3779b97f4a7c15ULL;

		w ^= w >> 32;	/* so the seed reaches the low bytes too */

		if (!(o & 7) && len - i >= 8) {
			memcpy(p + i, &w, 8);
			i += 8;
		} else {
			p[i++] = (char)(w >> ((o & 7) * 8));
		}
	}
}

/* Expected contents of [off, off + len) of a disk. */
static void expect(char *p, int disk, int64_t off, int64_t len)
{
	int i;

	gen(p, disk, 1 + disk, off, len);
	for (i = 0; i < nr_extents; i++) {
		const struct extent *e = &extents[i];
		int64_t s = e->off > off ? e->off : off;
		int64_t t = e->off + e->len < off + len ? e->off + e->len :
							   off + len;

		if (e->disk == disk && s < t)
			gen(p + (s - off), disk, e->seed, s, t - s);
	}
}

static void record(int disk, int64_t off, int64_t len, unsigned int seed)
{
	if (nr_extents == MAX_EXTENTS)
		ksft_exit_fail_msg("too many extents\n");
	extents[nr_extents++] = (struct extent){ disk, off, len, seed };
}

static char *xalloc(size_t n)
{
	void *p;

	if (posix_memalign(&p, 4096, n))
		ksft_exit_fail_msg("posix_memalign %zu: %s\n", n, strerror(errno));
	return p;
}

static void fill_disk(int d, char *buf)
{
	int64_t off;

	for (off = 0; off < disks[d].size; off += CHUNK) {
		gen(buf, d, 1 + d, off, CHUNK);
		if (pwrite(disks[d].fd, buf, CHUNK, off) != CHUNK)
			ksft_exit_fail_msg("fill %s at %lld: %s\n", disks[d].path,
					   (long long)off, strerror(errno));
	}
}

/* 0 if every byte of the disk is as expected, else report the first bad. */
static int verify_disk(int d, char *buf, char *exp)
{
	int64_t off, i;

	for (off = 0; off < disks[d].size; off += CHUNK) {
		if (pread(disks[d].fd, buf, CHUNK, off) != CHUNK) {
			ksft_print_msg("read %s at %lld: %s\n", disks[d].path,
				       (long long)off, strerror(errno));
			return -1;
		}
		expect(exp, d, off, CHUNK);
		if (!memcmp(buf, exp, CHUNK))
			continue;
		for (i = 0; buf[i] == exp[i]; i++)
			;
		ksft_print_msg("%s: byte %lld is %#x, expected %#x\n",
			       disks[d].path, (long long)(off + i),
			       buf[i] & 0xff, exp[i] & 0xff);
		return -1;
	}
	return 0;
}

enum op {
	OP_PREAD,
	OP_PWRITE,
	OP_RANGE_IOCTL,	/* req with a { start, len } range */
	OP_IOCTL,	/* req with a zeroed buffer, or BAD_PTR */
	OP_INT_IOCTL,	/* req with a pointer to int len */
	OP_FALLOCATE,	/* mode req */
	OP_RO_WRITE,	/* BLKROSET 1, pwrite, BLKROSET 0 */
};

enum fdkind { FD_DIRECT, FD_BUFFERED, FD_RDONLY };

enum result {
	R_ERR,		/* -1 with errno err */
	R_ZERO,		/* 0 */
	R_LEN,		/* the full length */
	R_TO_END,	/* what is left up to the end of the disk */
};

enum writes { W_NONE, W_DATA, W_ZEROES };

#define END	(1LL << 62)	/* off relative to the disk's end: END + delta */

struct bad_io {
	const char *name;
	enum op op;
	enum fdkind fd;
	int64_t off;		/* bytes, or END - n */
	int64_t len;		/* bytes, or END + n: disk size + n */
	unsigned long req;	/* ioctl number or fallocate mode */
	int misalign;		/* buffer offset from 4 KiB alignment */
	bool bad_ptr;		/* pass BAD_PTR as the buffer or argument */
	enum result res;
	int err;
	enum writes writes;	/* what a successful request wrote */
};

static const struct bad_io table[] = {
	/* Past the end: nothing moves. */
	{ "O_DIRECT write at the end is ENOSPC", OP_PWRITE, FD_DIRECT,
	  END, 4 * KiB, .res = R_ERR, .err = ENOSPC },
	{ "buffered write at the end is ENOSPC", OP_PWRITE, FD_BUFFERED,
	  END, 4 * KiB, .res = R_ERR, .err = ENOSPC },
	{ "O_DIRECT write 1 MiB past the end is ENOSPC", OP_PWRITE, FD_DIRECT,
	  END + MiB, 64 * KiB, .res = R_ERR, .err = ENOSPC },
	{ "O_DIRECT read at the end is EOF", OP_PREAD, FD_DIRECT,
	  END, 4 * KiB, .res = R_ZERO },
	{ "buffered read 1 MiB past the end is EOF", OP_PREAD, FD_BUFFERED,
	  END + MiB, 4 * KiB, .res = R_ZERO },
	/* Across the end: short, and only the part inside is written. */
	{ "O_DIRECT write across the end is cut at the end", OP_PWRITE,
	  FD_DIRECT, END - 4 * KiB, 8 * KiB, .res = R_TO_END,
	  .writes = W_DATA },
	{ "buffered write across the end is cut at the end", OP_PWRITE,
	  FD_BUFFERED, END - 8 * KiB, 12 * KiB, .res = R_TO_END,
	  .writes = W_DATA },
	{ "O_DIRECT read across the end is short", OP_PREAD, FD_DIRECT,
	  END - 4 * KiB, 8 * KiB, .res = R_TO_END },
	/* Zero length. */
	{ "zero-length O_DIRECT write", OP_PWRITE, FD_DIRECT, 0, 0,
	  .res = R_ZERO },
	{ "zero-length buffered read at the end", OP_PREAD, FD_BUFFERED,
	  END, 0, .res = R_ZERO },
	{ "zero-length O_DIRECT write 1 MiB past the end", OP_PWRITE,
	  FD_DIRECT, END + MiB, 0, .res = R_ZERO },
	/* Larger than the disk. */
	{ "O_DIRECT read of disk size + 1 MiB returns the disk", OP_PREAD,
	  FD_DIRECT, 0, END + MiB, .res = R_TO_END },
	{ "buffered write of disk size + 1 MiB near the end is cut",
	  OP_PWRITE, FD_BUFFERED, END - 4 * KiB, END + MiB, .res = R_TO_END,
	  .writes = W_DATA },
	/* Offsets the VFS refuses. */
	{ "read at a negative offset is EINVAL", OP_PREAD, FD_DIRECT,
	  -4 * KiB, 4 * KiB, .res = R_ERR, .err = EINVAL },
	{ "write whose end wraps loff_t is EINVAL", OP_PWRITE, FD_BUFFERED,
	  LLONG_MAX - 4095, 8 * KiB, .res = R_ERR, .err = EINVAL },
	/* Unaligned O_DIRECT: the logical block is 512 bytes. */
	{ "O_DIRECT write at byte 100 is EINVAL", OP_PWRITE, FD_DIRECT,
	  4 * MiB + 100, 4 * KiB, .res = R_ERR, .err = EINVAL },
	{ "O_DIRECT write of 100 bytes is EINVAL", OP_PWRITE, FD_DIRECT,
	  4 * MiB, 100, .res = R_ERR, .err = EINVAL },
	{ "O_DIRECT read into a buffer at +1 is EINVAL", OP_PREAD, FD_DIRECT,
	  4 * MiB, 4 * KiB, .misalign = 1, .res = R_ERR, .err = EINVAL },
	{ "O_DIRECT write from a buffer at +8 is EINVAL", OP_PWRITE,
	  FD_DIRECT, 4 * MiB, 4 * KiB, .misalign = 8, .res = R_ERR,
	  .err = EINVAL },
	{ "O_DIRECT write from an unmapped buffer is EFAULT", OP_PWRITE,
	  FD_DIRECT, 4 * MiB, 4 * KiB, .bad_ptr = true, .res = R_ERR,
	  .err = EFAULT },
	{ "buffered write of 1000 bytes at byte 100 writes just those",
	  OP_PWRITE, FD_BUFFERED, 3 * MiB + 100, 1000, .res = R_LEN,
	  .writes = W_DATA },
	/* Discard and secure erase: not supported, nothing changes. */
	{ "BLKDISCARD is EOPNOTSUPP", OP_RANGE_IOCTL, FD_DIRECT,
	  0, MiB, BLKDISCARD, .res = R_ERR, .err = EOPNOTSUPP },
	{ "BLKDISCARD past the end is EOPNOTSUPP", OP_RANGE_IOCTL, FD_DIRECT,
	  END, MiB, BLKDISCARD, .res = R_ERR, .err = EOPNOTSUPP },
	{ "BLKDISCARD unaligned is EOPNOTSUPP", OP_RANGE_IOCTL, FD_DIRECT,
	  100, 1000, BLKDISCARD, .res = R_ERR, .err = EOPNOTSUPP },
	{ "BLKSECDISCARD is EOPNOTSUPP", OP_RANGE_IOCTL, FD_DIRECT,
	  0, MiB, BLKSECDISCARD, .res = R_ERR, .err = EOPNOTSUPP },
	{ "fallocate PUNCH_HOLE is EOPNOTSUPP", OP_FALLOCATE, FD_DIRECT,
	  0, MiB, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
	  .res = R_ERR, .err = EOPNOTSUPP },
	{ "fallocate mode 0 is EOPNOTSUPP", OP_FALLOCATE, FD_DIRECT,
	  0, MiB, 0, .res = R_ERR, .err = EOPNOTSUPP },
	/*
	 * Write zeroes: the driver has no REQ_OP_WRITE_ZEROES, so the block
	 * layer writes zero pages through the normal write path. Success,
	 * and exactly the range asked for reads back as zeroes.
	 */
	{ "BLKZEROOUT zeroes exactly its range", OP_RANGE_IOCTL, FD_DIRECT,
	  MiB + 512, 64 * KiB + 512, BLKZEROOUT, .res = R_ZERO,
	  .writes = W_ZEROES },
	{ "BLKZEROOUT of the last sector", OP_RANGE_IOCTL, FD_DIRECT,
	  END - 512, 512, BLKZEROOUT, .res = R_ZERO, .writes = W_ZEROES },
	{ "BLKZEROOUT across the end is EINVAL", OP_RANGE_IOCTL, FD_DIRECT,
	  END - 4 * KiB, 8 * KiB, BLKZEROOUT, .res = R_ERR, .err = EINVAL },
	{ "BLKZEROOUT of length 0 is EINVAL", OP_RANGE_IOCTL, FD_DIRECT,
	  0, 0, BLKZEROOUT, .res = R_ERR, .err = EINVAL },
	{ "BLKZEROOUT at byte 100 is EINVAL", OP_RANGE_IOCTL, FD_DIRECT,
	  100, 4 * KiB, BLKZEROOUT, .res = R_ERR, .err = EINVAL },
	{ "BLKZEROOUT whose end wraps 2^64 is EINVAL", OP_RANGE_IOCTL,
	  FD_DIRECT, 512, (int64_t)(UINT64_MAX - 511), BLKZEROOUT,
	  .res = R_ERR, .err = EINVAL },
	{ "BLKZEROOUT on a read-only open is EBADF", OP_RANGE_IOCTL,
	  FD_RDONLY, 0, MiB, BLKZEROOUT, .res = R_ERR, .err = EBADF },
	{ "BLKZEROOUT with an unmapped range pointer is EFAULT",
	  OP_RANGE_IOCTL, FD_DIRECT, 0, MiB, BLKZEROOUT, .bad_ptr = true,
	  .res = R_ERR, .err = EFAULT },
	{ "fallocate ZERO_RANGE zeroes exactly its range", OP_FALLOCATE,
	  FD_DIRECT, 2 * MiB + 4 * KiB, 8 * KiB, FALLOC_FL_ZERO_RANGE,
	  .res = R_ZERO, .writes = W_ZEROES },
	{ "fallocate ZERO_RANGE at the end is EINVAL", OP_FALLOCATE,
	  FD_DIRECT, END, 4 * KiB, FALLOC_FL_ZERO_RANGE, .res = R_ERR,
	  .err = EINVAL },
	/* ioctls fcpmem has no handler for. */
	{ "made-up ioctl is ENOTTY", OP_IOCTL, FD_DIRECT, .req = _IO('f', 0xf7),
	  .res = R_ERR, .err = ENOTTY },
	{ "made-up ioctl with a bad pointer is ENOTTY", OP_IOCTL, FD_DIRECT,
	  .req = _IOWR(0x12, 0xfe, uint64_t), .bad_ptr = true,
	  .res = R_ERR, .err = ENOTTY },
	{ "HDIO_GETGEO is ENOTTY (no geometry)", OP_IOCTL, FD_DIRECT,
	  .req = HDIO_GETGEO, .res = R_ERR, .err = ENOTTY },
	{ "SG_IO is ENOTTY (not SCSI)", OP_IOCTL, FD_DIRECT, .req = SG_IO,
	  .res = R_ERR, .err = ENOTTY },
	{ "IOC_PR_REGISTER is EOPNOTSUPP (no reservations)", OP_IOCTL,
	  FD_DIRECT, .req = IOC_PR_REGISTER, .res = R_ERR, .err = EOPNOTSUPP },
	{ "BLKREPORTZONE is ENOTTY (not zoned)", OP_IOCTL, FD_DIRECT,
	  .req = BLKREPORTZONE, .res = R_ERR, .err = ENOTTY },
	{ "BLKRESETZONE is ENOTTY (not zoned)", OP_IOCTL, FD_DIRECT,
	  .req = BLKRESETZONE, .res = R_ERR, .err = ENOTTY },
	/* ioctls the block layer handles, with bad arguments. */
	{ "BLKGETSIZE64 into an unmapped pointer is EFAULT", OP_IOCTL,
	  FD_DIRECT, .req = BLKGETSIZE64, .bad_ptr = true, .res = R_ERR,
	  .err = EFAULT },
	{ "BLKBSZSET 3 is EINVAL", OP_INT_IOCTL, FD_DIRECT, .len = 3,
	  .req = BLKBSZSET, .res = R_ERR, .err = EINVAL },
	{ "BLKBSZSET 256 is EINVAL (below the logical block)", OP_INT_IOCTL,
	  FD_DIRECT, .len = 256, .req = BLKBSZSET, .res = R_ERR,
	  .err = EINVAL },
	{ "write to a disk set read-only is EPERM", OP_RO_WRITE, FD_DIRECT,
	  5 * MiB, 4 * KiB, .res = R_ERR, .err = EPERM },
	{ "buffered write to a disk set read-only is EPERM", OP_RO_WRITE,
	  FD_BUFFERED, 5 * MiB, 4 * KiB, .res = R_ERR, .err = EPERM },
};

static int64_t resolve(int64_t v, int64_t size)
{
	if (v >= END - (1LL << 40) && v <= END + (1LL << 40))
		return size + (v - END);
	return v;
}

/* Run one request; returns its result, errno in *err. */
static long run(const struct bad_io *t, struct disk *dk, int64_t off,
		int64_t len, char *buf, int *err)
{
	int fd = t->fd == FD_DIRECT ? dk->fd :
		 t->fd == FD_BUFFERED ? dk->bfd : dk->rfd;
	char *p = t->bad_ptr ? BAD_PTR : buf + t->misalign;
	uint64_t range[2] = { off, len };
	int one = 1, zero = 0, n = len;
	long ret = -1;

	errno = 0;
	switch (t->op) {
	case OP_PREAD:
		ret = pread(fd, p, len, off);
		break;
	case OP_PWRITE:
		ret = pwrite(fd, p, len, off);
		break;
	case OP_RANGE_IOCTL:
		ret = ioctl(fd, t->req, t->bad_ptr ? BAD_PTR : range);
		break;
	case OP_IOCTL:
		memset(buf, 0, 4096);
		ret = ioctl(fd, t->req, p);
		break;
	case OP_INT_IOCTL:
		ret = ioctl(fd, t->req, &n);
		break;
	case OP_FALLOCATE:
		ret = fallocate(fd, t->req, off, len);
		break;
	case OP_RO_WRITE:
		if (ioctl(dk->fd, BLKROSET, &one))
			ksft_exit_fail_msg("BLKROSET 1: %s\n", strerror(errno));
		ret = pwrite(fd, p, len, off);
		*err = errno;
		if (ioctl(dk->fd, BLKROSET, &zero))
			ksft_exit_fail_msg("BLKROSET 0: %s\n", strerror(errno));
		return ret;
	}
	*err = errno;
	return ret;
}

int main(int argc, char **argv)
{
	size_t nr = ARRAY_SIZE(table);
	struct disk *dk = &disks[0];
	char *big, *buf, *exp;
	size_t big_len;
	int d, i, bad = 0;

	if (argc < 2 || argc - 1 > MAX_DEVS) {
		fprintf(stderr, "usage: %s TARGET [BYSTANDER...]\n", argv[0]);
		return KSFT_FAIL;
	}
	ksft_print_header();
	ksft_set_plan(nr + argc - 1);

	for (d = 0; d < argc - 1; d++) {
		disks[d].path = argv[d + 1];
		disks[d].fd = open(argv[d + 1], O_RDWR | O_DIRECT);
		disks[d].bfd = open(argv[d + 1], O_RDWR);
		disks[d].rfd = open(argv[d + 1], O_RDONLY);
		if (disks[d].fd < 0 || disks[d].bfd < 0 || disks[d].rfd < 0 ||
		    ioctl(disks[d].fd, BLKGETSIZE64, &disks[d].size))
			ksft_exit_fail_msg("%s: %s\n", argv[d + 1],
					   strerror(errno));
		if (disks[d].size % CHUNK)
			ksft_exit_fail_msg("%s: size not a multiple of 1 MiB\n",
					   argv[d + 1]);
		nr_disks++;
	}

	/*
	 * Room for the largest request: the target's size + 1 MiB. Only the
	 * first pages are filled; the rest reads as zeroes and is never
	 * written to the disk beyond its end.
	 */
	big_len = dk->size + 2 * MiB;
	big = mmap(NULL, big_len, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (big == MAP_FAILED)
		ksft_exit_fail_msg("mmap %zu: %s\n", big_len, strerror(errno));
	buf = xalloc(CHUNK);
	exp = xalloc(CHUNK);

	for (d = 0; d < nr_disks; d++)
		fill_disk(d, buf);

	for (i = 0; i < (int)nr; i++) {
		const struct bad_io *t = &table[i];
		int64_t off = resolve(t->off, dk->size);
		int64_t len = resolve(t->len, dk->size);
		unsigned int seed = next_seed++;
		long want, got;
		int err;

		/* Data requests carry a fresh pattern for where they land. */
		if (len > 0 && len <= (int64_t)(big_len - 4096) && off >= 0 &&
		    off < dk->size)
			gen(big + t->misalign, 0, seed, off,
			    len < 64 * KiB ? len : 64 * KiB);
		got = run(t, dk, off, len, big, &err);

		switch (t->res) {
		case R_ERR:
			want = -1;
			break;
		case R_ZERO:
			want = 0;
			break;
		case R_LEN:
			want = len;
			break;
		default:
			want = dk->size - off;
			break;
		}
		if (got >= 0 && t->fd == FD_BUFFERED && t->op == OP_PWRITE &&
		    fsync(dk->bfd))
			ksft_exit_fail_msg("fsync: %s\n", strerror(errno));
		if (got > 0 && t->writes == W_DATA)
			record(0, off, got, seed);
		else if (got == 0 && t->writes == W_ZEROES)
			record(0, off, len, 0);

		if (got == want && (want != -1 || err == t->err)) {
			ksft_test_result_pass("%s\n", t->name);
			continue;
		}
		bad++;
		if (want == -1)
			ksft_test_result_fail("%s: got %ld (%s), expected -1 (%s)\n",
					      t->name, got,
					      got == -1 ? strerror(err) : "no error",
					      strerror(t->err));
		else
			ksft_test_result_fail("%s: got %ld%s%s, expected %ld\n",
					      t->name, got,
					      got == -1 ? " errno " : "",
					      got == -1 ? strerror(err) : "", want);
	}

	for (d = 0; d < nr_disks; d++) {
		if (verify_disk(d, buf, exp))
			ksft_test_result_fail("%s: every byte as expected after the table\n",
					      disks[d].path);
		else
			ksft_test_result_pass("%s: every byte as expected after the table (%lld MiB, %d writes)\n",
					      disks[d].path,
					      (long long)(disks[d].size / MiB),
					      d ? 0 : nr_extents);
	}

	ksft_print_msg("bad I/O: %zu requests tried, %d not answered as expected\n",
		       nr, bad);
	ksft_finished();
}
