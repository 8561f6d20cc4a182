// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of flushcache_x86.c on the real instructions (FCPMEM_HOST_REAL):
 * flushcache.h's own inline asm runs in user space. Nothing can see the
 * cache here, so this checks what the model cannot: that the instructions
 * are encoded and aligned right (a misaligned vmovntdq faults) and move the
 * right bytes, for every variant this CPU has.
 */
#define FCPMEM_HOST_REAL
#include "../../flushcache_x86.c"

#include <stdlib.h>
/* kselftest_harness.h's generated functions take parameters they don't use */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "fc_common.h"

/* Check the copy at @r + @doff and the guards, then restore background. */
static bool fc_check(u8 *r, size_t doff, const u8 *src, size_t n, char *msg,
		     size_t len)
{
	size_t k;
	bool ok = true;

	if (memcmp(r + doff, src, n)) {
		for (k = 0; r[doff + k] == src[k]; k++)
			;
		snprintf(msg, len, "byte %zu of the copy is wrong", k);
		ok = false;
	}
	for (k = doff - FC_GUARD; ok && k < doff + n + FC_GUARD; k++) {
		if (k == doff)
			k += n;
		if (r[k] != FC_BG) {
			snprintf(msg, len, "byte at dst%+ld outside the copy changed",
				 (long)k - (long)doff);
			ok = false;
		}
	}
	memset(r + doff, FC_BG, n);
	return ok;
}

FIXTURE(real) {
	u8 *region;
};

FIXTURE_VARIANT(real) {
	const char *name;
};

FIXTURE_VARIANT_ADD(real, movnti) { .name = "movnti" };
FIXTURE_VARIANT_ADD(real, avx2) { .name = "avx2" };
FIXTURE_VARIANT_ADD(real, avx512) { .name = "avx512" };

FIXTURE_SETUP(real)
{
	int ret = fcpmem_flushcache_init(variant->name);

	self->region = NULL;
	if (ret == -EOPNOTSUPP)
		SKIP(return, "this CPU has no %s", variant->name);
	ASSERT_EQ(0, ret);
}

FIXTURE_TEARDOWN(real)
{
	free(self->region);
}

#define FC_FAIL(fmt, ...) \
	TH_LOG("FAIL variant=%s " fmt, variant->name, ##__VA_ARGS__)

TEST_F(real, align_matrix)
{
	size_t d, s, n;
	char msg[256];

	self->region = fc_region_alloc(FC_GUARD + 64 + 512 + FC_GUARD);
	fc_fill_src(64 + 512, FC_SEED);
	for (d = 0; d < 64; d++)
		for (s = 0; s < 64; s++)
			for (n = 0; n <= 512; n++) {
				fcpmem_memcpy_flushcache(self->region + FC_GUARD + d,
							 fc_src + s, n);
				fcpmem_fence();
				if (!fc_check(self->region, FC_GUARD + d,
					      fc_src + s, n, msg, sizeof(msg))) {
					FC_FAIL("dst_align=%zu src_align=%zu size=%zu: %s",
						d, s, n, msg);
					ASSERT_TRUE(0);
				}
			}
}

TEST_F(real, page_sizes_and_random)
{
	static const size_t centre[] = {
		FCPMEM_VEC_THRESHOLD, 4096, 8192, 65536,
	};
	size_t c, d, s, n, k, max = 1 << 20;
	unsigned int seed = FC_SEED + 2;
	char msg[256];

	self->region = fc_region_alloc(FC_GUARD + 64 + max + FC_GUARD);
	fc_fill_src(64 + max, seed);
	for (c = 0; c < ARRAY_SIZE(centre); c++)
		for (n = centre[c] - 80; n <= centre[c] + 80; n++)
			for (d = 0; d < 64; d++) {
				s = (d * 7 + n) % 64;
				fcpmem_memcpy_flushcache(self->region + FC_GUARD + d,
							 fc_src + s, n);
				fcpmem_fence();
				if (!fc_check(self->region, FC_GUARD + d,
					      fc_src + s, n, msg, sizeof(msg))) {
					FC_FAIL("dst_align=%zu src_align=%zu size=%zu: %s",
						d, s, n, msg);
					ASSERT_TRUE(0);
				}
			}
	TH_LOG("random sizes: seed %u", seed);
	for (k = 0; k < 300; k++) {
		n = (size_t)rand() % (max + 1);
		d = rand() % 64;
		s = rand() % 64;
		fcpmem_memcpy_flushcache(self->region + FC_GUARD + d,
					 fc_src + s, n);
		fcpmem_fence();
		if (!fc_check(self->region, FC_GUARD + d, fc_src + s, n, msg,
			      sizeof(msg))) {
			FC_FAIL("seed=%u dst_align=%zu src_align=%zu size=%zu: %s",
				seed, d, s, n, msg);
			ASSERT_TRUE(0);
		}
	}
}

/* The user copy path and fcpmem_wb_range() on the real instructions. */
TEST_F(real, user_copy_and_wb_range)
{
	static const enum fcpmem_emul_kernel kern[] = {
		FCPMEM_EMUL_6_1, FCPMEM_EMUL_6_12,
	};
	size_t k, d, s, n;
	char msg[256];

	self->region = fc_region_alloc(FC_GUARD + 64 + 512 + FC_GUARD);
	fc_fill_src(64 + 512, FC_SEED + 4);
	for (k = 0; k < ARRAY_SIZE(kern); k++) {
		fcpmem_emul_kernel = kern[k];
		for (d = 0; d < 64; d++)
			for (s = 0; s < 64; s += 7)
				for (n = 0; n <= 512; n++) {
					ASSERT_EQ(0UL, fcpmem_copy_user_flushcache(
						self->region + FC_GUARD + d,
						fc_src + s, n));
					fcpmem_fence();
					if (!fc_check(self->region, FC_GUARD + d,
						      fc_src + s, n, msg,
						      sizeof(msg))) {
						FC_FAIL("user copy dst_align=%zu src_align=%zu size=%zu: %s",
							d, s, n, msg);
						ASSERT_TRUE(0);
					}
				}
	}
	for (d = 0; d < 64; d++)
		for (n = 0; n <= 512; n += 3)
			fcpmem_wb_range(self->region + FC_GUARD + d, n);
	fcpmem_fence();
	for (k = 0; k < FC_GUARD + 64 + 512 + FC_GUARD; k++)
		ASSERT_EQ(FC_BG, self->region[k]);
}

TEST_HARNESS_MAIN
