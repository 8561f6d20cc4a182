// SPDX-License-Identifier: GPL-2.0
/*
 * I/O at the edges of an fcpmem disk. FCPMEM_DEV names the disk (default
 * /dev/pmem0); fcpmem must be loaded.
 *
 * Two kinds of test, named apart:
 *
 * blklayer_*: the block-layer contract. What user space sees past the end,
 * at zero length, for discard and for an unknown ioctl is decided before
 * any bio reaches fcpmem: blkdev_write_iter() fails a write at or past the
 * end with ENOSPC and truncates one across it, blkdev_read_iter() returns
 * EOF there, both return 0 at zero length, blkdev_ioctl() answers
 * ENOTTY for a disk without an ioctl method and blk_ioctl_discard()
 * EOPNOTSUPP for a queue without discard limits. They pass with the
 * driver's own bounds check and op switch deleted, so they do not test
 * those (nothing from user space can reach them). They catch a change in
 * what fcpmem tells the block layer (its capacity, an ioctl method, discard
 * limits) and a block layer that stops answering for it.
 *
 * Everything else goes through fcpmem's bio path or module reference:
 * odd sector offsets, neighbouring sectors, fsync, rmmod while open.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define FCPMEM_ALIGN 4096

FIXTURE(disk) {
	int fd;		/* O_DIRECT */
	int bfd;	/* buffered */
	uint64_t size;	/* bytes */
	char *buf;	/* FCPMEM_ALIGN aligned, 1 MiB */
	char *chk;
};

FIXTURE_SETUP(disk)
{
	const char *dev = getenv("FCPMEM_DEV") ?: "/dev/pmem0";

	self->fd = open(dev, O_RDWR | O_DIRECT);
	ASSERT_GE(self->fd, 0) TH_LOG("open %s: %s", dev, strerror(errno));
	self->bfd = open(dev, O_RDWR);
	ASSERT_GE(self->bfd, 0);
	ASSERT_EQ(0, ioctl(self->fd, BLKGETSIZE64, &self->size));
	ASSERT_EQ(0, posix_memalign((void **)&self->buf, FCPMEM_ALIGN, 1 << 20));
	ASSERT_EQ(0, posix_memalign((void **)&self->chk, FCPMEM_ALIGN, 1 << 20));
}

FIXTURE_TEARDOWN(disk)
{
	free(self->buf);
	free(self->chk);
	close(self->bfd);
	close(self->fd);
}

static void fill(char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (char)(seed * 131 + i * 7 + (i >> 9));
}

TEST_F(disk, blklayer_write_at_end_fails_enospc)
{
	fill(self->buf, FCPMEM_ALIGN, 1);
	EXPECT_EQ(-1, pwrite(self->fd, self->buf, FCPMEM_ALIGN, self->size));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_EQ(-1, pwrite(self->fd, self->buf, FCPMEM_ALIGN,
			     self->size + (1 << 20)));
	EXPECT_EQ(ENOSPC, errno);
}

TEST_F(disk, blklayer_read_at_end_is_eof)
{
	EXPECT_EQ(0, pread(self->fd, self->buf, FCPMEM_ALIGN, self->size));
	EXPECT_EQ(0, pread(self->fd, self->buf, FCPMEM_ALIGN,
			   self->size + (1 << 20)));
}

TEST_F(disk, blklayer_write_across_end_is_truncated)
{
	off_t last = self->size - FCPMEM_ALIGN;

	fill(self->buf, 2 * FCPMEM_ALIGN, 2);
	EXPECT_EQ(FCPMEM_ALIGN,
		  pwrite(self->fd, self->buf, 2 * FCPMEM_ALIGN, last));
	ASSERT_EQ(FCPMEM_ALIGN,
		  pread(self->fd, self->chk, 2 * FCPMEM_ALIGN, last));
	EXPECT_EQ(0, memcmp(self->buf, self->chk, FCPMEM_ALIGN));
}

TEST_F(disk, blklayer_zero_length_io)
{
	EXPECT_EQ(0, pwrite(self->fd, self->buf, 0, 0));
	EXPECT_EQ(0, pread(self->fd, self->buf, 0, 0));
}

TEST_F(disk, odd_sector_offsets_round_trip)
{
	/* Sector offsets that straddle cache lines, pages and 1 MiB. */
	static const off_t sectors[] = { 1, 7, 9, 4095, 2047 * 64 + 3 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(sectors); i++) {
		off_t off = sectors[i] * 512;
		size_t len = 512 * (1 + i * 3);

		fill(self->buf, len, 10 + i);
		ASSERT_EQ((ssize_t)len, pwrite(self->fd, self->buf, len, off));
		memset(self->chk, 0, len);
		ASSERT_EQ((ssize_t)len, pread(self->fd, self->chk, len, off));
		EXPECT_EQ(0, memcmp(self->buf, self->chk, len))
			TH_LOG("sector %lld", (long long)sectors[i]);
	}
}

TEST_F(disk, neighbours_untouched)
{
	/* A sector write changes that sector and nothing either side. */
	off_t off = 3 * 512 + (1 << 20);

	fill(self->buf, 3 * 512, 20);
	ASSERT_EQ(3 * 512, pwrite(self->fd, self->buf, 3 * 512, off - 512));
	fill(self->buf, 512, 21);
	ASSERT_EQ(512, pwrite(self->fd, self->buf, 512, off));
	ASSERT_EQ(3 * 512, pread(self->fd, self->chk, 3 * 512, off - 512));
	fill(self->buf, 3 * 512, 20);
	EXPECT_EQ(0, memcmp(self->buf, self->chk, 512));
	EXPECT_EQ(0, memcmp(self->buf + 1024, self->chk + 1024, 512));
	fill(self->buf, 512, 21);
	EXPECT_EQ(0, memcmp(self->buf, self->chk + 512, 512));
}

TEST_F(disk, blklayer_unsupported_ioctl_is_enotty)
{
	EXPECT_EQ(-1, ioctl(self->fd, _IO('f', 0xf7)));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(disk, blklayer_discard_is_refused)
{
	uint64_t range[2] = { 0, 1 << 20 };

	fill(self->buf, 4096, 30);
	ASSERT_EQ(4096, pwrite(self->fd, self->buf, 4096, 0));
	EXPECT_EQ(-1, ioctl(self->fd, BLKDISCARD, range));
	EXPECT_EQ(EOPNOTSUPP, errno);
	ASSERT_EQ(4096, pread(self->fd, self->chk, 4096, 0));
	EXPECT_EQ(0, memcmp(self->buf, self->chk, 4096));
}

TEST_F(disk, blklayer_discard_past_end_is_einval)
{
	uint64_t range[2] = { self->size, 1 << 20 };

	EXPECT_EQ(-1, ioctl(self->fd, BLKDISCARD, range));
	EXPECT_TRUE(errno == EINVAL || errno == EOPNOTSUPP);
}

TEST_F(disk, fsync_and_fdatasync)
{
	fill(self->buf, 4096, 40);
	ASSERT_EQ(4096, pwrite(self->bfd, self->buf, 4096, 8192));
	EXPECT_EQ(0, fsync(self->bfd));
	EXPECT_EQ(0, fdatasync(self->bfd));
	ASSERT_EQ(4096, pread(self->fd, self->chk, 4096, 8192));
	EXPECT_EQ(0, memcmp(self->buf, self->chk, 4096));
}

TEST_F(disk, rmmod_while_open_fails)
{
	long ret = syscall(SYS_delete_module, "fcpmem", O_NONBLOCK);

	EXPECT_EQ(-1, ret);
	EXPECT_TRUE(errno == EWOULDBLOCK || errno == EBUSY)
		TH_LOG("errno %d", errno);
	/* Still serving I/O afterwards. */
	fill(self->buf, 4096, 50);
	EXPECT_EQ(4096, pwrite(self->fd, self->buf, 4096, 0));
	EXPECT_EQ(4096, pread(self->fd, self->chk, 4096, 0));
	EXPECT_EQ(0, memcmp(self->buf, self->chk, 4096));
}

TEST_HARNESS_MAIN
