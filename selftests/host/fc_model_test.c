// SPDX-License-Identifier: GPL-2.0
/*
 * Host test of flushcache_x86.c against the cache model of fcpmem_model.h.
 *
 * The file under test is included whole, built with FCPMEM_HOST_TEST so its
 * primitives are the model's. Each copy must leave the destination equal to
 * the source, the bytes around it untouched, no line dirty, and after
 * fcpmem_fence() the durable image equal to the source. Built again with an
 * FCPMEM_INJECT_* switch, the same test must fail (see run_mutants.sh).
 */
#define FCPMEM_HOST_TEST
#include "../../flushcache_x86.c"

#include <stdlib.h>
/* kselftest_harness.h's generated functions take parameters they don't use */
#pragma GCC diagnostic ignored "-Wunused-parameter"
#include "kselftest_harness.h"

#include "fc_common.h"

/* A region of @len bytes for the model, line aligned, all background. */
static u8 *fc_region(size_t len)
{
	u8 *r = fc_region_alloc(len);

	fcpmem_model_attach(r, len);
	return r;
}

/* Undo a copy at [@lo, @hi) of the region: background and a fresh model. */
static void fc_reset(size_t lo, size_t hi)
{
	if (hi > fcpmem_model.len)
		hi = fcpmem_model.len;
	memset(fcpmem_model.base + lo, FC_BG, hi - lo);
	fcpmem_model_reset_range(lo, hi);
}

static long fc_first_not_bg(const u8 *p, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		if (p[k] != FC_BG)
			return k;
	return -1;
}

static long fc_first_diff(const u8 *a, const u8 *b, size_t n)
{
	size_t k;

	if (!memcmp(a, b, n))
		return -1;
	for (k = 0; k < n; k++)
		if (a[k] != b[k])
			break;
	return k;
}

/*
 * After a copy of @n bytes from @src to region offset @doff, and a fence:
 * check everything the model knows. The region outside [@lo, @hi) is never
 * looked at (it holds no copy). The first problem goes to @msg.
 */
static bool fc_verify(size_t doff, const u8 *src, size_t n, size_t copied,
		      size_t lo, size_t hi, char *msg, size_t len)
{
	const u8 *dst = fcpmem_model.base + doff;
	size_t l;
	long k;

	if (hi > fcpmem_model.len)
		hi = fcpmem_model.len;
	if (fcpmem_model.err[0]) {
		snprintf(msg, len, "broke a rule: %s", fcpmem_model.err);
		return false;
	}
	k = fc_first_diff(dst, src, copied);
	if (k >= 0) {
		snprintf(msg, len, "byte %ld of the copy is wrong", k);
		return false;
	}
	k = fc_first_not_bg(fcpmem_model.base + lo, doff - lo);
	if (k < 0) {
		k = fc_first_not_bg(dst + n, hi - doff - n);
		if (k >= 0)
			k += doff + n - lo;
	}
	if (k >= 0) {
		snprintf(msg, len, "byte at dst%+ld outside the copy changed",
			 (long)(lo + k) - (long)doff);
		return false;
	}
	for (l = lo / 64; l < (hi + 63) / 64; l++) {
		if (fcpmem_model.dirty[l]) {
			snprintf(msg, len,
				 "line at dst%+ld still dirty after the copy",
				 (long)(l * 64) - (long)doff);
			return false;
		}
	}
	k = fc_first_diff(fcpmem_model.dur + doff, src, copied);
	if (k >= 0) {
		snprintf(msg, len,
			 "byte %ld (line at dst%+ld) not durable after the fence",
			 k, (long)((doff + k) & ~63UL) - (long)doff);
		return false;
	}
	k = fc_first_not_bg(fcpmem_model.dur + lo, doff - lo);
	if (k < 0) {
		k = fc_first_not_bg(fcpmem_model.dur + doff + n,
				    hi - doff - n);
		if (k >= 0)
			k += doff + n - lo;
	}
	if (k >= 0) {
		snprintf(msg, len, "durable byte at dst%+ld outside the copy changed",
			 (long)(lo + k) - (long)doff);
		return false;
	}
	return true;
}

/* One fcpmem_memcpy_flushcache() + fcpmem_fence() at region offset @doff. */
static bool fc_copy_one(size_t doff, size_t salign, size_t n, char *msg,
			size_t len)
{
	size_t lo = doff > FC_GUARD ? doff - FC_GUARD : 0;
	size_t hi = doff + n + FC_GUARD;
	struct fcpmem_copy_acct acct;
	bool ok;

	acct = fcpmem_memcpy_flushcache(fcpmem_model.base + doff,
					fc_src + salign, n);
	fcpmem_fence();
	ok = fc_verify(doff, fc_src + salign, n, n, lo, hi, msg, len);
	/* The driver's counters report what the copy did: hold it to that. */
	if (ok && (acct.cached != fcpmem_model.cached_bytes ||
		   acct.wb_lines != fcpmem_model.wbs)) {
		snprintf(msg, len,
			 "accounting: copy says %u cached bytes, %u write-backs; model saw %lu, %lu",
			 acct.cached, acct.wb_lines, fcpmem_model.cached_bytes,
			 fcpmem_model.wbs);
		ok = false;
	}
	if (ok && fcpmem_model.pf_hi &&
	    (fcpmem_model.pf_lo < (uintptr_t)(fc_src + salign) ||
	     fcpmem_model.pf_hi >= (uintptr_t)(fc_src + salign + n))) {
		snprintf(msg, len, "prefetch outside the source");
		ok = false;
	}
	fc_reset(lo, hi);
	return ok;
}

FIXTURE(copy) {
	u8 *region;
};

FIXTURE_VARIANT(copy) {
	const char *name;
};

FIXTURE_VARIANT_ADD(copy, movnti) { .name = "movnti" };
FIXTURE_VARIANT_ADD(copy, avx2) { .name = "avx2" };
FIXTURE_VARIANT_ADD(copy, avx512) { .name = "avx512" };

FIXTURE_SETUP(copy)
{
	self->region = NULL;
	fcpmem_model.features = FCPMEM_MODEL_ALL;
	fcpmem_model.fpu_usable = true;
	ASSERT_EQ(0, fcpmem_flushcache_init(variant->name));
	ASSERT_EQ(0, strcmp(fcpmem_flushcache_variant(), variant->name));
}

FIXTURE_TEARDOWN(copy)
{
	free(self->region);
}

#define FC_FAIL(fmt, ...) \
	TH_LOG("FAIL variant=%s " fmt, variant->name, ##__VA_ARGS__)

/* Every destination and source alignment in a line, every size to 512. */
/*
 * The harness's 30 s default is a hang guard; on a loaded 2-core CI host a
 * whole-matrix run of one variant has taken longer (seen: load average 18).
 * Nothing here is timed.
 */
#define FC_TEST_TIMEOUT	600

TEST_F_TIMEOUT(copy, align_matrix, FC_TEST_TIMEOUT)
{
	size_t d, s, n;
	char msg[320];

	self->region = fc_region(FC_GUARD + 64 + 512 + FC_GUARD);
	fc_fill_src(64 + 512, FC_SEED);
	for (d = 0; d < 64; d++)
		for (s = 0; s < 64; s++)
			for (n = 0; n <= 512; n++)
				if (!fc_copy_one(FC_GUARD + d, s, n, msg,
						 sizeof(msg))) {
					FC_FAIL("dst_align=%zu src_align=%zu size=%zu: %s",
						d, s, n, msg);
					ASSERT_TRUE(0);
				}
}

/*
 * Every alignment again just above the vector threshold, where the vector
 * variants switch from the scalar path to head + lines + tail.
 */
TEST_F_TIMEOUT(copy, vector_matrix, FC_TEST_TIMEOUT)
{
	size_t d, s, n;
	char msg[320];

	self->region = fc_region(FC_GUARD + 64 + FCPMEM_VEC_THRESHOLD + 192 +
				 FC_GUARD);
	fc_fill_src(64 + FCPMEM_VEC_THRESHOLD + 192, FC_SEED + 6);
	for (d = 0; d < 64; d++)
		for (s = 0; s < 64; s++)
			for (n = FCPMEM_VEC_THRESHOLD - 64;
			     n <= FCPMEM_VEC_THRESHOLD + 192; n++)
				if (!fc_copy_one(FC_GUARD + d, s, n, msg,
						 sizeof(msg))) {
					FC_FAIL("dst_align=%zu src_align=%zu size=%zu: %s",
						d, s, n, msg);
					ASSERT_TRUE(0);
				}
}

/* Sizes around a page and 64 KiB: FPU chunk and loop boundaries. */
TEST_F_TIMEOUT(copy, page_sizes, FC_TEST_TIMEOUT)
{
	static const size_t centre[] = { 4096, 8192, 65536 };
	static const size_t salign[] = { 0, 1, 8, 37, 63 };
	size_t c, d, s, n;
	char msg[320];

	self->region = fc_region(FC_GUARD + 64 + 65536 + 80 + FC_GUARD);
	fc_fill_src(64 + 65536 + 80, FC_SEED + 1);
	for (c = 0; c < ARRAY_SIZE(centre); c++)
		for (n = centre[c] - 80; n <= centre[c] + 80;
		     n += centre[c] > 8192 ? 5 : 1)
			for (d = 0; d < 64; d++)
				for (s = 0; s < ARRAY_SIZE(salign); s++)
					if (!fc_copy_one(FC_GUARD + d, salign[s],
							 n, msg, sizeof(msg))) {
						FC_FAIL("dst_align=%zu src_align=%zu size=%zu: %s",
							d, salign[s], n, msg);
						ASSERT_TRUE(0);
					}
}

/* Random sizes up to 1 MiB, random alignments; the seed is printed. */
TEST_F_TIMEOUT(copy, random_to_1m, FC_TEST_TIMEOUT)
{
	size_t d, s, n, k;
	unsigned int seed = FC_SEED + 2;
	char msg[320];

	self->region = fc_region(FC_GUARD + 64 + (1 << 20) + FC_GUARD);
	fc_fill_src(64 + (1 << 20), seed);
	TH_LOG("random sizes: seed %u", seed);
	for (k = 0; k < 300; k++) {
		n = (size_t)rand() % ((1 << 20) + 1);
		d = rand() % 64;
		s = rand() % 64;
		if (!fc_copy_one(FC_GUARD + d, s, n, msg, sizeof(msg))) {
			FC_FAIL("seed=%u dst_align=%zu src_align=%zu size=%zu: %s",
				seed, d, s, n, msg);
			ASSERT_TRUE(0);
		}
	}
}

/*
 * The vector variants really use vector stores, only in bounded FPU
 * sections, and fall back to movnti where the FPU can't be used.
 */
TEST_F_TIMEOUT(copy, fpu_sections, FC_TEST_TIMEOUT)
{
	bool vec = strcmp(variant->name, "movnti");
	char msg[320];
	size_t n;

	self->region = fc_region(FC_GUARD + 64 + 65536 + FC_GUARD);
	fc_fill_src(64 + 65536, FC_SEED + 3);

	for (n = 0; n <= 65536; n += n < 1024 ? 1 : 4093) {
		fcpmem_memcpy_flushcache(fcpmem_model.base + FC_GUARD + 13,
					 fc_src, n);
		EXPECT_FALSE(fcpmem_model.in_fpu);
		EXPECT_GE((size_t)FCPMEM_FPU_CHUNK, fcpmem_model.fpu_max);
		/* vector stores exactly when the variant and size call for it */
		EXPECT_EQ(vec && n >= FCPMEM_VEC_THRESHOLD,
			  fcpmem_model.vec_bytes > 0);
		fcpmem_fence();
		ASSERT_TRUE(fc_verify(FC_GUARD + 13, fc_src, n, n, 0,
				      fcpmem_model.len, msg, sizeof(msg)))
			FC_FAIL("size=%zu: %s", n, msg);
		fc_reset(0, fcpmem_model.len);
	}

	fcpmem_model.fpu_usable = false;
	for (n = 0; n <= 65536; n += 4099) {
		ASSERT_TRUE(fc_copy_one(FC_GUARD + 5, 3, n, msg, sizeof(msg)))
			FC_FAIL("no FPU: size=%zu: %s", n, msg);
	}
}

/*
 * fcpmem_copy_user_flushcache() over each kernel's non-temporal user copy:
 * its cached edges must all be written back.
 */
static void fc_user_matrix(struct __test_metadata *_metadata,
			   enum fcpmem_emul_kernel kern, const char *name)
{
	size_t lo, d, s, n, left;
	char msg[320];

	fc_region(FC_GUARD + 64 + 512 + FC_GUARD);
	fc_fill_src(64 + 512, FC_SEED + 4);
	fcpmem_model.features = FCPMEM_MODEL_ALL;
	ASSERT_EQ(0, fcpmem_flushcache_init(NULL));
	fcpmem_emul_kernel = kern;
	fcpmem_emul_readable = SIZE_MAX;

	for (d = 0; d < 64; d++)
		for (s = 0; s < 64; s += 3)
			for (n = 0; n <= 512; n++) {
				lo = FC_GUARD + d;
				left = fcpmem_copy_user_flushcache(
					fcpmem_model.base + lo, fc_src + s, n);
				fcpmem_fence();
				if (left ||
				    !fc_verify(lo, fc_src + s, n, n, 0,
					       fcpmem_model.len, msg,
					       sizeof(msg))) {
					TH_LOG("FAIL user copy (%s) dst_align=%zu src_align=%zu size=%zu: %s",
					       name, d, s, n,
					       left ? "bytes left" : msg);
					ASSERT_TRUE(0);
				}
				fc_reset(0, fcpmem_model.len);
			}
}

TEST(user_edges_6_1)
{
	fc_user_matrix(_metadata, FCPMEM_EMUL_6_1, "6.1");
}

TEST(user_edges_6_12)
{
	fc_user_matrix(_metadata, FCPMEM_EMUL_6_12, "6.12");
}

/*
 * A fault after @r readable source bytes: whatever was copied is reported,
 * correct, and leaves no dirty line.
 */
static void fc_user_faults(struct __test_metadata *_metadata,
			   enum fcpmem_emul_kernel kern, const char *name)
{
	size_t d, n, r, left, copied;
	char msg[320];

	fc_region(FC_GUARD + 64 + 256 + FC_GUARD);
	fc_fill_src(256, FC_SEED + 5);
	fcpmem_model.features = FCPMEM_MODEL_ALL;
	ASSERT_EQ(0, fcpmem_flushcache_init(NULL));
	fcpmem_emul_kernel = kern;

	for (d = 0; d < 64; d++)
		for (n = 0; n <= 160; n++)
			for (r = 0; r <= n; r++) {
				fcpmem_emul_readable = r;
				left = fcpmem_copy_user_flushcache(
					fcpmem_model.base + FC_GUARD + d,
					fc_src, n);
				fcpmem_fence();
				copied = n - left;
				/* the copy may store up to n, nothing beyond */
				if (left > n || copied > r ||
				    (r == n && left) ||
				    !fc_verify(FC_GUARD + d, fc_src, n, copied,
					       0, fcpmem_model.len, msg,
					       sizeof(msg))) {
					TH_LOG("FAIL user fault (%s) dst_align=%zu size=%zu readable=%zu copied=%zu: %s",
					       name, d, n, r, copied,
					       fcpmem_model.err[0] ?
					       fcpmem_model.err : msg);
					ASSERT_TRUE(0);
				}
				fc_reset(0, fcpmem_model.len);
			}
	fcpmem_emul_readable = SIZE_MAX;
}

TEST(user_faults_6_1)
{
	fc_user_faults(_metadata, FCPMEM_EMUL_6_1, "6.1");
}

TEST(user_faults_6_12)
{
	fc_user_faults(_metadata, FCPMEM_EMUL_6_12, "6.12");
}

/* fcpmem_wb_range() writes back exactly the lines touching the range. */
TEST(wb_range)
{
	static const unsigned int feats[] = {
		FCPMEM_MODEL_ALL, FCPMEM_MODEL_CLFLUSHOPT, 0,
	};
	size_t f, off, n, l, len = 64 * 8;
	u8 *r = fc_region(len);
	u8 pattern[64 * 8];

	memset(pattern, 0x3c, sizeof(pattern));
	for (f = 0; f < ARRAY_SIZE(feats); f++) {
		fcpmem_model.features = feats[f];
		ASSERT_EQ(0, fcpmem_flushcache_init("movnti"));
		for (off = 0; off < 192; off++)
			for (n = 0; n <= 200; n++) {
				fcpmem_memcpy_cached(r, pattern, len);
				fcpmem_wb_range(r + 64 + off, n);
				fcpmem_fence();
				for (l = 0; l < len / 64; l++) {
					bool hit = n && l * 64 < 64 + off + n &&
						   l * 64 + 64 > 64 + off;

					ASSERT_EQ(hit, !fcpmem_model.dirty[l])
						TH_LOG("FAIL %s off=%zu size=%zu line %zu",
						       fcpmem_flushcache_wb_insn(),
						       off, n, l);
					ASSERT_EQ(hit, r[l * 64] ==
						  fcpmem_model.dur[l * 64]);
				}
				ASSERT_EQ(0, fcpmem_model.err[0])
					TH_LOG("%s", fcpmem_model.err);
				fc_reset(0, len);
			}
	}
}

/* Variant and write-back choice, forcing, and the errors. */
TEST(init_choices)
{
	fcpmem_model.features = FCPMEM_MODEL_ALL;
	ASSERT_EQ(0, fcpmem_flushcache_init(NULL));
	EXPECT_STREQ("avx512", fcpmem_flushcache_variant());
	EXPECT_STREQ("clwb", fcpmem_flushcache_wb_insn());
	EXPECT_EQ(0, fcpmem_flushcache_init(""));
	EXPECT_EQ(0, fcpmem_flushcache_init("auto"));
	EXPECT_EQ(0, fcpmem_flushcache_init("avx2\n"));
	EXPECT_STREQ("avx2", fcpmem_flushcache_variant());
	EXPECT_EQ(0, fcpmem_flushcache_init("movnti"));
	EXPECT_STREQ("movnti", fcpmem_flushcache_variant());
	EXPECT_EQ(-EINVAL, fcpmem_flushcache_init("sse4"));
	EXPECT_STREQ("movnti", fcpmem_flushcache_variant());

	fcpmem_model.features = FCPMEM_MODEL_AVX2 | FCPMEM_MODEL_CLFLUSHOPT;
	EXPECT_EQ(-EOPNOTSUPP, fcpmem_flushcache_init("avx512"));
	ASSERT_EQ(0, fcpmem_flushcache_init(NULL));
	EXPECT_STREQ("avx2", fcpmem_flushcache_variant());
	EXPECT_STREQ("clflushopt", fcpmem_flushcache_wb_insn());

	fcpmem_model.features = 0;
	EXPECT_EQ(-EOPNOTSUPP, fcpmem_flushcache_init("avx2"));
	ASSERT_EQ(0, fcpmem_flushcache_init(NULL));
	EXPECT_STREQ("movnti", fcpmem_flushcache_variant());
	EXPECT_STREQ("clflush", fcpmem_flushcache_wb_insn());
}

/*
 * Auto choice by timing on the region: the model's clock charges the
 * test's costs per byte stored non-temporally, per byte of vector stores
 * and per FPU section. The fastest variant wins; a wider one must be more
 * than 1/16 faster to displace a narrower one; the region's bytes are
 * unchanged and durable afterwards; the timing obeys every rule the model
 * checks; only the first tune after init does anything; copy= still forces.
 */
static const char *fc_timed_choice(unsigned int features, unsigned int nt,
				   unsigned int vec, unsigned int fpu)
{
	size_t len = fcpmem_model.len;
	u8 *before = malloc(len);
	const char *ret;

	fcpmem_model.features = features;
	fcpmem_model.fpu_usable = true;
	fcpmem_model.cost_nt_byte = nt;
	fcpmem_model.cost_vec_byte = vec;
	fcpmem_model.cost_fpu_section = fpu;
	srand(nt * 31 + vec);
	for (size_t k = 0; k < len; k++)
		fcpmem_model.base[k] = rand();
	fcpmem_model_reset_range(0, len);
	memcpy(before, fcpmem_model.base, len);
	if (fcpmem_flushcache_init(NULL)) {
		ret = "init failed";
	} else {
		fcpmem_flushcache_tune(fcpmem_model.base, len);
		fcpmem_fence();
		if (fcpmem_model.err[0])
			ret = fcpmem_model.err;
		else if (memcmp(before, fcpmem_model.base, len) ||
			 memcmp(before, fcpmem_model.dur, len))
			ret = "the region changed";
		else
			ret = fcpmem_flushcache_variant();
	}
	free(before);
	return ret;
}

TEST(init_timed)
{
	fc_region(FCPMEM_TIME_BYTES);
	fcpmem_model.scratch_ok = true;

	/* TCG: vector stores emulated at twice the cost of movnti. */
	EXPECT_STREQ("movnti", fc_timed_choice(FCPMEM_MODEL_ALL, 10, 20, 0));
	/* Vector stores cheaper: avx2 and avx512 tie per byte, so avx2. */
	EXPECT_STREQ("avx2", fc_timed_choice(FCPMEM_MODEL_ALL, 20, 10, 0));
	/* A cost per store instruction: the fewest stores, avx512, win. */
	fcpmem_model.cost_store = 20;
	EXPECT_STREQ("avx512", fc_timed_choice(FCPMEM_MODEL_ALL, 1, 1, 0));
	fcpmem_model.cost_store = 0;
	/* A tie goes to the narrowest: no FPU section for nothing. */
	EXPECT_STREQ("movnti", fc_timed_choice(FCPMEM_MODEL_ALL, 10, 10, 0));
	EXPECT_STREQ("movnti", fc_timed_choice(FCPMEM_MODEL_AVX2, 10, 10, 0));
	/* 3% faster is noise, 10% is not. */
	EXPECT_STREQ("movnti", fc_timed_choice(FCPMEM_MODEL_AVX2, 100, 97, 0));
	EXPECT_STREQ("avx2", fc_timed_choice(FCPMEM_MODEL_AVX2, 100, 90, 0));
	/* avx512 must beat avx2, not just movnti, by 1/16 to be chosen. */
	EXPECT_STREQ("avx2", fc_timed_choice(FCPMEM_MODEL_ALL, 100, 90, 0));
	/* Equal stores, but an FPU section per 4 KiB costs 400 bytes' worth. */
	EXPECT_STREQ("movnti", fc_timed_choice(FCPMEM_MODEL_ALL, 1, 1, 400));
	EXPECT_GT(fcpmem_model.vec_bytes, 0UL);
	EXPECT_LE(fcpmem_model.fpu_max, (size_t)FCPMEM_FPU_CHUNK);
	/* Only movnti: nothing to time, nothing written. */
	EXPECT_STREQ("movnti", fc_timed_choice(0, 1, 100, 0));
	EXPECT_EQ(0UL, fcpmem_model.nt_bytes);
	/* Only the first tune after init times; a second leaves it alone. */
	EXPECT_STREQ("movnti", fc_timed_choice(FCPMEM_MODEL_ALL, 10, 20, 0));
	fcpmem_model.cost_nt_byte = 40;
	fcpmem_model_reset_range(0, fcpmem_model.len);
	fcpmem_flushcache_tune(fcpmem_model.base, fcpmem_model.len);
	EXPECT_STREQ("movnti", fcpmem_flushcache_variant());
	EXPECT_EQ(0UL, fcpmem_model.nt_bytes);
	/* A region shorter than a page is not timed. */
	fcpmem_model_reset_range(0, fcpmem_model.len);
	ASSERT_EQ(0, fcpmem_flushcache_init(NULL));
	fcpmem_flushcache_tune(fcpmem_model.base, FCPMEM_TIME_BLOCK - 1);
	EXPECT_STREQ("avx512", fcpmem_flushcache_variant());
	EXPECT_EQ(0UL, fcpmem_model.nt_bytes);
	/* copy= is obeyed whatever the timings say. */
	EXPECT_EQ(0, fcpmem_flushcache_init("avx512"));
	fcpmem_flushcache_tune(fcpmem_model.base, fcpmem_model.len);
	EXPECT_STREQ("avx512", fcpmem_flushcache_variant());
	EXPECT_EQ(0UL, fcpmem_model.nt_bytes);

	/* An unreadable (poisoned) region: the widest, untimed, unwritten. */
	fcpmem_model.mc_fail = true;
	EXPECT_STREQ("avx512", fc_timed_choice(FCPMEM_MODEL_ALL, 10, 20, 0));
	EXPECT_EQ(0UL, fcpmem_model.nt_bytes);
	fcpmem_model.mc_fail = false;
	/* No scratch memory: the same. */
	fcpmem_model.scratch_ok = false;
	EXPECT_STREQ("avx512", fc_timed_choice(FCPMEM_MODEL_ALL, 10, 20, 0));
	EXPECT_EQ(0UL, fcpmem_model.nt_bytes);
	fcpmem_model.cost_nt_byte = 0;
	fcpmem_model.cost_vec_byte = 0;
	fcpmem_model.cost_store = 0;
}

TEST_HARNESS_MAIN
