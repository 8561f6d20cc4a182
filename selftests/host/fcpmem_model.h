/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A cache model standing in for the machine primitives of flushcache.h
 * (FCPMEM_HOST_TEST builds).
 *
 * The test registers one line-aligned region with fcpmem_model_attach(); every
 * store the copy code makes must land in it. Per byte the model keeps:
 *
 *   the CPU's view   the region's memory itself, what any load returns
 *   pending          a value on its way to memory but not yet durable: a
 *                    non-temporal store sitting in a write-combining buffer,
 *                    or a line written back by clwb/clflushopt/clflush
 *   durable          what survives a power cut
 *
 * and per 64-byte line whether it is dirty in the cache.
 *
 *   cached store   updates the CPU view, makes the line dirty
 *   NT store       updates the CPU view, the bytes become pending; the line's
 *                  dirty state is left alone (real CPUs evict a cached copy
 *                  of the line, but nothing in x86 promises the evicted data
 *                  is ordered by the next sfence, so we must not rely on it)
 *   write-back     a dirty line's whole CPU view becomes pending, line clean
 *   sfence         everything pending becomes durable
 *
 * Nothing is ever evicted on its own: a dirty line the code forgets to write
 * back stays dirty and never becomes durable, however lucky real hardware
 * might be. The model also checks the rules the real instructions impose or
 * the kernel needs: natural alignment of every NT store, vector stores only
 * inside one (not nested) FPU section, and records the largest section.
 * A broken rule is recorded in fcpmem_model.err (first one wins).
 */
#ifndef FCPMEM_MODEL_H
#define FCPMEM_MODEL_H

#include <stdarg.h>
#include <stdlib.h>

#define FCPMEM_MODEL_LINE	64

enum {
	FCPMEM_MODEL_CLWB	= 1 << 0,
	FCPMEM_MODEL_CLFLUSHOPT	= 1 << 1,
	FCPMEM_MODEL_AVX2	= 1 << 2,
	FCPMEM_MODEL_AVX512	= 1 << 3,
	FCPMEM_MODEL_ALL	= (1 << 4) - 1,
};

static struct fcpmem_model {
	u8 *base;		/* the region; CPU view */
	size_t len;		/* bytes, multiple of FCPMEM_MODEL_LINE */
	u8 *pend;		/* per byte: 1 if pend_val holds a pending value */
	u8 *pend_val;
	u8 *dur;		/* durable image */
	u8 *dirty;		/* per line */
	size_t lo, hi;		/* pending bytes all lie in [lo, hi) */
	unsigned int features;	/* FCPMEM_MODEL_* the CPU claims */
	bool fpu_usable;
	bool in_fpu;
	size_t fpu_bytes;	/* vector bytes stored in this FPU section */
	size_t fpu_max;		/* largest FPU section, bytes */
	unsigned long fpu_sections;
	unsigned long vec_bytes, nt_bytes, cached_bytes, wbs, fences;
	uintptr_t pf_lo, pf_hi;	/* lowest and highest address prefetched */
	/*
	 * A clock for fcpmem_flushcache_tune(): each byte stored, each
	 * store instruction and each FPU section advances it by the test's
	 * costs (all 0 unless set). Scratch
	 * memory allocations fail unless scratch_ok; a machine-check-safe
	 * read of the region fails if mc_fail.
	 */
	u64 clock;
	unsigned int cost_nt_byte, cost_vec_byte, cost_store, cost_fpu_section;
	bool scratch_ok, mc_fail;
	char err[256];		/* first broken rule, "" if none */
} fcpmem_model;

static inline void fcpmem_model_fail(const char *fmt, ...)
{
	va_list ap;

	if (fcpmem_model.err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(fcpmem_model.err, sizeof(fcpmem_model.err), fmt, ap);
	va_end(ap);
}

/* Offset of [p, p + n) in the region, or -1 (and a broken rule). */
static inline long fcpmem_model_off(const void *p, size_t n, const char *what)
{
	uintptr_t a = (uintptr_t)p, b = (uintptr_t)fcpmem_model.base;

	if (a < b || a + n > b + fcpmem_model.len || a + n < a) {
		fcpmem_model_fail("%s of %zu bytes at region%+ld, outside the region",
				  what, n, (long)(a - b));
		return -1;
	}
	return (long)(a - b);
}

/* Forget all state; the CPU view and durable image both become @base. */
static inline void fcpmem_model_reset_range(size_t lo, size_t hi)
{
	lo &= ~(size_t)(FCPMEM_MODEL_LINE - 1);
	if (hi > fcpmem_model.len)
		hi = fcpmem_model.len;
	memcpy(fcpmem_model.dur + lo, fcpmem_model.base + lo, hi - lo);
	memset(fcpmem_model.pend + lo, 0, hi - lo);
	memset(fcpmem_model.dirty + lo / FCPMEM_MODEL_LINE, 0,
	       (hi - lo + FCPMEM_MODEL_LINE - 1) / FCPMEM_MODEL_LINE);
	fcpmem_model.lo = fcpmem_model.len;
	fcpmem_model.hi = 0;
	fcpmem_model.in_fpu = false;
	fcpmem_model.fpu_bytes = 0;
	fcpmem_model.fpu_max = 0;
	fcpmem_model.fpu_sections = 0;
	fcpmem_model.vec_bytes = 0;
	fcpmem_model.nt_bytes = 0;
	fcpmem_model.cached_bytes = 0;
	fcpmem_model.wbs = 0;
	fcpmem_model.fences = 0;
	fcpmem_model.pf_lo = UINTPTR_MAX;
	fcpmem_model.pf_hi = 0;
	fcpmem_model.err[0] = '\0';
}

static inline void fcpmem_model_attach(void *base, size_t len)
{
	free(fcpmem_model.pend);
	free(fcpmem_model.pend_val);
	free(fcpmem_model.dur);
	free(fcpmem_model.dirty);
	fcpmem_model.base = base;
	fcpmem_model.len = len;
	fcpmem_model.pend = calloc(len, 1);
	fcpmem_model.pend_val = calloc(len, 1);
	fcpmem_model.dur = calloc(len, 1);
	fcpmem_model.dirty = calloc(len / FCPMEM_MODEL_LINE + 1, 1);
	if (!fcpmem_model.pend || !fcpmem_model.pend_val ||
	    !fcpmem_model.dur || !fcpmem_model.dirty) {
		perror("fcpmem_model_attach");
		exit(1);
	}
	fcpmem_model_reset_range(0, len);
}

static inline void fcpmem_model_pend(size_t off, size_t n)
{
	memcpy(fcpmem_model.pend_val + off, fcpmem_model.base + off, n);
	memset(fcpmem_model.pend + off, 1, n);
	if (off < fcpmem_model.lo)
		fcpmem_model.lo = off;
	if (off + n > fcpmem_model.hi)
		fcpmem_model.hi = off + n;
}

static inline void fcpmem_memcpy_cached(void *dst, const void *src, size_t n)
{
	long off;
	size_t l;

	if (!n)
		return;
	off = fcpmem_model_off(dst, n, "cached store");
	if (off < 0)
		return;
	memcpy(dst, src, n);
	for (l = off / FCPMEM_MODEL_LINE; l <= (off + n - 1) / FCPMEM_MODEL_LINE; l++)
		fcpmem_model.dirty[l] = 1;
	fcpmem_model.cached_bytes += n;
}

static inline void fcpmem_model_nt(void *dst, const void *src, size_t n,
				   const char *insn, unsigned int cost_byte)
{
	long off = fcpmem_model_off(dst, n, insn);

	if (off < 0)
		return;
	if ((uintptr_t)dst & (n - 1)) {
		fcpmem_model_fail("%s to region%+ld is not %zu-byte aligned",
				  insn, off, n);
		return;
	}
	memcpy(dst, src, n);
	fcpmem_model_pend(off, n);
	fcpmem_model.nt_bytes += n;
	fcpmem_model.clock += (u64)n * cost_byte + fcpmem_model.cost_store;
}

static inline void fcpmem_movnti8(void *dst, const void *src)
{
	fcpmem_model_nt(dst, src, 8, "movnti64", fcpmem_model.cost_nt_byte);
}

static inline void fcpmem_movnti4(void *dst, const void *src)
{
	fcpmem_model_nt(dst, src, 4, "movnti32", fcpmem_model.cost_nt_byte);
}

/* One line in @stores vector store instructions. */
static inline void fcpmem_model_vec(void *dst, const void *src, const char *insn,
				    unsigned int stores)
{
	if (!fcpmem_model.in_fpu)
		fcpmem_model_fail("%s outside kernel_fpu_begin/end", insn);
	fcpmem_model_nt(dst, src, 64, insn, fcpmem_model.cost_vec_byte);
	fcpmem_model.clock += (u64)(stores - 1) * fcpmem_model.cost_store;
	fcpmem_model.fpu_bytes += 64;
	fcpmem_model.vec_bytes += 64;
}

static inline void fcpmem_ntline_avx2(void *dst, const void *src)
{
	fcpmem_model_vec(dst, src, "vmovntdq ymm x2", 2);
}

static inline void fcpmem_ntline_avx512(void *dst, const void *src)
{
	fcpmem_model_vec(dst, src, "vmovntdq zmm", 1);
}

/* No effect on memory; the test checks it stayed inside the source. */
static inline void fcpmem_prefetch(const void *p)
{
	if ((uintptr_t)p < fcpmem_model.pf_lo)
		fcpmem_model.pf_lo = (uintptr_t)p;
	if ((uintptr_t)p > fcpmem_model.pf_hi)
		fcpmem_model.pf_hi = (uintptr_t)p;
}

static inline void fcpmem_model_wb(void *p, const char *insn)
{
	long off = fcpmem_model_off(p, 1, insn);
	size_t line;

	if (off < 0)
		return;
	line = off / FCPMEM_MODEL_LINE;
	fcpmem_model.wbs++;
	if (!fcpmem_model.dirty[line])
		return;
	fcpmem_model_pend(line * FCPMEM_MODEL_LINE, FCPMEM_MODEL_LINE);
	fcpmem_model.dirty[line] = 0;
}

static inline void fcpmem_clwb(void *p)
{
	fcpmem_model_wb(p, "clwb");
}

static inline void fcpmem_clflushopt(void *p)
{
	fcpmem_model_wb(p, "clflushopt");
}

static inline void fcpmem_clflush(void *p)
{
	fcpmem_model_wb(p, "clflush");
}

static inline void fcpmem_sfence(void)
{
	size_t b;

	for (b = fcpmem_model.lo; b < fcpmem_model.hi; b++) {
		if (fcpmem_model.pend[b]) {
			fcpmem_model.dur[b] = fcpmem_model.pend_val[b];
			fcpmem_model.pend[b] = 0;
		}
	}
	fcpmem_model.lo = fcpmem_model.len;
	fcpmem_model.hi = 0;
	fcpmem_model.fences++;
}

static inline bool fcpmem_cpu_has_clwb(void)
{
	return fcpmem_model.features & FCPMEM_MODEL_CLWB;
}

static inline bool fcpmem_cpu_has_clflushopt(void)
{
	return fcpmem_model.features & FCPMEM_MODEL_CLFLUSHOPT;
}

static inline bool fcpmem_cpu_has_avx2(void)
{
	return fcpmem_model.features & FCPMEM_MODEL_AVX2;
}

static inline bool fcpmem_cpu_has_avx512(void)
{
	return fcpmem_model.features & FCPMEM_MODEL_AVX512;
}

static inline unsigned int fcpmem_cpu_clflush_size(void)
{
	return FCPMEM_MODEL_LINE;
}

static inline bool fcpmem_fpu_usable(void)
{
	return fcpmem_model.fpu_usable;
}

static inline void fcpmem_fpu_begin(void)
{
	if (fcpmem_model.in_fpu)
		fcpmem_model_fail("nested kernel_fpu_begin");
	if (!fcpmem_model.fpu_usable)
		fcpmem_model_fail("kernel_fpu_begin where the FPU is not usable");
	fcpmem_model.in_fpu = true;
	fcpmem_model.fpu_bytes = 0;
	fcpmem_model.fpu_sections++;
	fcpmem_model.clock += fcpmem_model.cost_fpu_section;
}

static inline void fcpmem_fpu_end(void)
{
	if (!fcpmem_model.in_fpu)
		fcpmem_model_fail("kernel_fpu_end without kernel_fpu_begin");
	fcpmem_model.in_fpu = false;
	if (fcpmem_model.fpu_bytes > fcpmem_model.fpu_max)
		fcpmem_model.fpu_max = fcpmem_model.fpu_bytes;
}

static inline u64 fcpmem_clock_ns(void)
{
	return fcpmem_model.clock;
}

static inline void *fcpmem_scratch_alloc(size_t n)
{
	return fcpmem_model.scratch_ok ? malloc(n) : NULL;
}

static inline void fcpmem_scratch_free(void *p, size_t n)
{
	(void)n;
	free(p);
}

/* A load: the CPU view; the model only checks it stays in the region. */
static inline unsigned long fcpmem_copy_mc(void *dst, const void *src,
					   size_t n)
{
	if (fcpmem_model_off(src, n, "copy_mc read") < 0 || fcpmem_model.mc_fail)
		return n;
	memcpy(dst, src, n);
	return 0;
}

#include "fcpmem_usercopy_emul.h"

#endif /* FCPMEM_MODEL_H */
