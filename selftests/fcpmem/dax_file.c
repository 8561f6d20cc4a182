// SPDX-License-Identifier: GPL-2.0
/*
 * File data on a DAX mount, written one way and read back after a remount
 * and module reload.
 *
 *   dax_file write DIR SEED    write(2) at unaligned offsets and lengths,
 *                              pwritev with several iovecs, MAP_SYNC stores;
 *                              check statx reports DAX
 *   dax_file verify DIR SEED   read every file back and compare
 *   dax_file mapsync FILE 0|1  MAP_SYNC must fail with EOPNOTSUPP (0) or
 *                              succeed (1)
 */
#define _GNU_SOURCE
#include <emmintrin.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kselftest.h"

#ifndef STATX_ATTR_DAX
#define STATX_ATTR_DAX 0x00200000
#endif

#define MAP_LEN (2u << 20)

/* Odd lengths, so almost every write starts and ends mid cache line. */
static const size_t seq_lens[] = {
	1, 7, 13, 63, 65, 511, 4093, 3, 65539, 129, 131077, 8191, 1, 2,
};

static unsigned char pat(uint64_t off, unsigned int seed)
{
	/*
	 * Keep the top byte of the product: it depends on every bit of
	 * offset and seed. The low bits of a product only see the low bits
	 * of its input, so a seed added anywhere else left the pattern the
	 * same for every seed.
	 */
	uint64_t x = (off + 1 + ((uint64_t)seed << 32)) * 0x9e3779b97f4a7c15ull;

	return (unsigned char)(x >> 56);
}

static void fill(unsigned char *p, size_t n, uint64_t off, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = pat(off + i, seed);
}

static char *path(const char *dir, const char *name)
{
	static char buf[4096];

	snprintf(buf, sizeof(buf), "%s/%s", dir, name);
	return buf;
}

static size_t seq_total(void)
{
	size_t i, n = 0;

	for (i = 0; i < ARRAY_SIZE(seq_lens); i++)
		n += seq_lens[i];
	return n;
}

static int write_seq(const char *dir, unsigned int seed)
{
	unsigned char *buf = malloc(1 << 20);
	int fd = open(path(dir, "seq"), O_CREAT | O_TRUNC | O_WRONLY, 0644);
	uint64_t off = 0;
	size_t i;
	int ret = -1;

	if (fd < 0 || !buf)
		goto out;
	for (i = 0; i < ARRAY_SIZE(seq_lens); i++) {
		/* A fresh, oddly placed user buffer each time. */
		unsigned char *src = buf + (i * 37) % 4096;

		fill(src, seq_lens[i], off, seed);
		if (write(fd, src, seq_lens[i]) != (ssize_t)seq_lens[i])
			goto out;
		off += seq_lens[i];
	}
	ret = fsync(fd);
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	return ret;
}

#define VEC_OFF 12345

static int write_vec(const char *dir, unsigned int seed)
{
	static const size_t lens[] = { 5, 4096, 77, 65536 + 3, 1 };
	struct iovec iov[5];
	uint64_t off = VEC_OFF;
	size_t total = 0;
	unsigned int i;
	ssize_t done;
	int fd, ret = -1;

	fd = open(path(dir, "vec"), O_CREAT | O_TRUNC | O_WRONLY, 0644);
	if (fd < 0)
		return -1;
	for (i = 0; i < 5; i++) {
		iov[i].iov_base = malloc(lens[i]);
		iov[i].iov_len = lens[i];
		if (!iov[i].iov_base)
			goto out;
		fill(iov[i].iov_base, lens[i], off, seed);
		off += lens[i];
		total += lens[i];
	}
	done = pwritev(fd, iov, 5, VEC_OFF);
	if (done == (ssize_t)total)
		ret = fsync(fd);
	for (i = 0; i < 5; i++)
		free(iov[i].iov_base);
out:
	close(fd);
	return ret;
}

static void *map_sync(int fd, size_t len)
{
	return mmap(NULL, len, PROT_READ | PROT_WRITE,
		    MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
}

static int write_mmap(const char *dir, unsigned int seed)
{
	unsigned char *map;
	size_t i;
	int fd;

	fd = open(path(dir, "mmap"), O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0 || ftruncate(fd, MAP_LEN))
		return -1;
	map = map_sync(fd, MAP_LEN);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	/*
	 * Stores at an odd offset and length, then what MAP_SYNC asks of
	 * user space: write each line back and fence. No fsync needed.
	 */
	fill(map + 3, MAP_LEN - 100, 3, seed);
	for (i = 0; i < MAP_LEN; i += 64)
		_mm_clflush(map + i);
	_mm_sfence();
	return munmap(map, MAP_LEN);
}

static int check_file(const char *dir, const char *name, uint64_t start,
		      size_t len, size_t file_size, unsigned int seed)
{
	unsigned char *got = malloc(file_size), *want = calloc(1, file_size);
	int fd = open(path(dir, name), O_RDONLY);
	int ret = -1;

	if (fd < 0 || !got || !want)
		goto out;
	if (read(fd, got, file_size) != (ssize_t)file_size)
		goto out;
	fill(want + start, len, start, seed);
	ret = memcmp(got, want, file_size) ? -1 : 0;
	if (ret) {
		size_t i;

		for (i = 0; i < file_size && got[i] == want[i]; i++)
			;
		ksft_print_msg("%s: first difference at byte %zu\n", name, i);
	}
out:
	if (fd >= 0)
		close(fd);
	free(got);
	free(want);
	return ret;
}

static int statx_dax(const char *file)
{
	struct statx stx;

	if (statx(AT_FDCWD, file, 0, STATX_BASIC_STATS, &stx))
		return -1;
	if (!(stx.stx_attributes_mask & STATX_ATTR_DAX))
		return -1;
	return (stx.stx_attributes & STATX_ATTR_DAX) ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned int seed;
	const char *dir;

	if (argc != 4) {
		fprintf(stderr, "usage: %s write|verify DIR SEED | mapsync FILE 0|1\n",
			argv[0]);
		return KSFT_FAIL;
	}
	dir = argv[2];
	seed = strtoul(argv[3], NULL, 0);

	if (!strcmp(argv[1], "mapsync")) {
		int fd = open(dir, O_CREAT | O_RDWR, 0644);
		void *map;

		ksft_set_plan(1);
		if (fd < 0 || ftruncate(fd, 4096))
			ksft_exit_fail_msg("create %s: %s\n", dir, strerror(errno));
		map = map_sync(fd, 4096);
		if (seed)
			ksft_test_result(map != MAP_FAILED,
					 "MAP_SYNC accepted on a DAX file\n");
		else
			ksft_test_result(map == MAP_FAILED && errno == EOPNOTSUPP,
					 "MAP_SYNC refused (EOPNOTSUPP) without DAX\n");
		ksft_finished();
	}

	if (!strcmp(argv[1], "write")) {
		ksft_set_plan(4);
		ksft_test_result(!write_seq(dir, seed),
				 "write(2) at unaligned offsets and lengths\n");
		ksft_test_result(!write_vec(dir, seed),
				 "pwritev with 5 iovecs\n");
		ksft_test_result(!write_mmap(dir, seed),
				 "MAP_SYNC mmap stores\n");
		ksft_test_result(!statx_dax(path(dir, "seq")),
				 "statx reports STATX_ATTR_DAX\n");
		ksft_finished();
	}

	if (!strcmp(argv[1], "verify")) {
		ksft_set_plan(3);
		ksft_test_result(!check_file(dir, "seq", 0, seq_total(),
					     seq_total(), seed),
				 "write(2) data intact\n");
		ksft_test_result(!check_file(dir, "vec", VEC_OFF,
					     5 + 4096 + 77 + 65539 + 1,
					     VEC_OFF + 5 + 4096 + 77 + 65539 + 1,
					     seed),
				 "pwritev data intact\n");
		ksft_test_result(!check_file(dir, "mmap", 3, MAP_LEN - 100,
					     MAP_LEN, seed),
				 "MAP_SYNC data intact\n");
		ksft_finished();
	}
	ksft_exit_fail_msg("unknown command %s\n", argv[1]);
}
