/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fcpmem write-through copies: the API the driver calls, and the machine
 * primitives flushcache_x86.c is written against.
 *
 * flushcache_x86.c uses nothing but the primitives below, so the same source
 * is built three ways:
 *
 *   kernel            real instructions, kernel environment (the module)
 *   FCPMEM_HOST_REAL  real instructions in user space (selftests/host real
 *                     test, tools/bench-flush)
 *   FCPMEM_HOST_TEST  a cache model in user space (selftests/host model
 *                     test), which proves which lines are left dirty
 *
 * The code that ships is the code that is proven: nothing in the copy logic
 * is duplicated between the builds.
 */
#ifndef FCPMEM_FLUSHCACHE_H
#define FCPMEM_FLUSHCACHE_H

#if defined(FCPMEM_HOST_TEST) || defined(FCPMEM_HOST_REAL)
#include "selftests/host/fcpmem_host.h"
#else
#include <linux/types.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>
#include <asm/fpu/api.h>
#include <asm/fpu/types.h>
#include <asm/processor.h>
#include <linux/gfp.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>
#include "compat.h"
#include "fault.h"
#endif

struct iov_iter;

/**
 * struct fcpmem_copy_acct - what one copy did, for the driver's counters
 * @cached: bytes stored with cached stores (the unaligned edges), each of
 *	    whose lines was then written back; the rest went non-temporal
 * @wb_lines: cache-line write-backs issued
 */
struct fcpmem_copy_acct {
	unsigned int cached;
	unsigned int wb_lines;
};

int fcpmem_flushcache_init(const char *force);
void fcpmem_flushcache_tune(void *pmem, size_t len);
const char *fcpmem_flushcache_variant(void);
const char *fcpmem_flushcache_wb_insn(void);
struct fcpmem_copy_acct fcpmem_memcpy_flushcache(void *dst, const void *src,
						 size_t n);
unsigned int fcpmem_wb_range(void *addr, size_t n);
void fcpmem_fence(void);
size_t fcpmem_copy_from_iter_flushcache(void *addr, size_t bytes,
					struct iov_iter *i);

/*
 * Fault injection for the host model test only: each switch removes one step
 * the persistence argument rests on, so the test can show it notices.
 */
#if defined(__KERNEL__) && (defined(FCPMEM_INJECT_NO_HEAD_WB) || \
	defined(FCPMEM_INJECT_NO_TAIL_WB) || defined(FCPMEM_INJECT_NO_FENCE))
#error "fcpmem fault injection is for host test builds only"
#endif
#ifdef FCPMEM_INJECT_NO_HEAD_WB
#define FCPMEM_DO_HEAD_WB	0
#else
#define FCPMEM_DO_HEAD_WB	1
#endif
#ifdef FCPMEM_INJECT_NO_TAIL_WB
#define FCPMEM_DO_TAIL_WB	0
#else
#define FCPMEM_DO_TAIL_WB	1
#endif
#ifdef FCPMEM_INJECT_NO_FENCE
#define FCPMEM_DO_FENCE		0
#else
#define FCPMEM_DO_FENCE		1
#endif

#ifdef FCPMEM_HOST_TEST
#include "selftests/host/fcpmem_model.h"
#else /* real instructions: kernel and FCPMEM_HOST_REAL */

/* Memory operands of one store, so the compiler knows exactly what changes. */
struct fcpmem_blk32 { u64 q[4]; };
struct fcpmem_blk64 { u64 q[8]; };

/*
 * The kernel builds with -mno-sse: the compiler never allocates a vector
 * register there and refuses a clobber naming one; kernel_fpu_begin() has
 * saved the owner's state, so the registers are ours until kernel_fpu_end().
 * In user space the compiler does use them and must be told.
 */
#ifdef __SSE__
#define FCPMEM_VEC_CLOBBERS	: "xmm0", "xmm1", "xmm2", "xmm3"
#else
#define FCPMEM_VEC_CLOBBERS
#endif

/* Cached copy: the edges that cannot be stored non-temporally. */
static __always_inline void fcpmem_memcpy_cached(void *dst, const void *src,
						 size_t n)
{
	memcpy(dst, src, n);
}

/* 8-byte non-temporal store; @dst is 8-byte aligned, @src need not be. */
static __always_inline void fcpmem_movnti8(void *dst, const void *src)
{
	u64 v;

	__builtin_memcpy(&v, src, sizeof(v));
	asm volatile("movnti %1, %0" : "=m" (*(u64 *)dst) : "r" (v));
}

/* 4-byte non-temporal store; @dst is 4-byte aligned, @src need not be. */
static __always_inline void fcpmem_movnti4(void *dst, const void *src)
{
	u32 v;

	__builtin_memcpy(&v, src, sizeof(v));
	asm volatile("movnti %1, %0" : "=m" (*(u32 *)dst) : "r" (v));
}

/*
 * One 64-byte line by two 32-byte AVX2 streaming stores. @dst is 64-byte
 * aligned (vmovntdq faults otherwise); @src may be unaligned. Both loads are
 * issued before the stores so they overlap. Only between fcpmem_fpu_begin()
 * and fcpmem_fpu_end().
 */
static __always_inline void fcpmem_ntline_avx2(void *dst, const void *src)
{
	asm volatile("vmovdqu (%2), %%ymm0\n\t"
		     "vmovdqu 32(%2), %%ymm1\n\t"
		     "vmovntdq %%ymm0, %0\n\t"
		     "vmovntdq %%ymm1, %1"
		     : "=m" (*(struct fcpmem_blk32 *)dst),
		       "=m" (*(struct fcpmem_blk32 *)((char *)dst + 32))
		     : "r" (src), "m" (*(const struct fcpmem_blk64 *)src)
		     FCPMEM_VEC_CLOBBERS);
}

/* One 64-byte line by one AVX-512 streaming store; as fcpmem_ntline_avx2(). */
static __always_inline void fcpmem_ntline_avx512(void *dst, const void *src)
{
	asm volatile("vmovdqu64 %1, %%zmm0\n\t"
		     "vmovntdq %%zmm0, %0"
		     : "=m" (*(struct fcpmem_blk64 *)dst)
		     : "m" (*(const struct fcpmem_blk64 *)src)
		     FCPMEM_VEC_CLOBBERS);
}

/* Ask for a source line ahead of the copy; never faults. */
static __always_inline void fcpmem_prefetch(const void *p)
{
	asm volatile("prefetcht0 %0" : : "m" (*(const char *)p));
}

/*
 * Write back the line holding @p. The "+m" on the whole line keeps the
 * compiler from moving a store to that line across the write-back.
 */
static __always_inline void fcpmem_clwb(void *p)
{
	asm volatile("clwb %0" : "+m" (*(struct fcpmem_blk64 *)p));
}

static __always_inline void fcpmem_clflushopt(void *p)
{
	asm volatile("clflushopt %0" : "+m" (*(struct fcpmem_blk64 *)p));
}

static __always_inline void fcpmem_clflush(void *p)
{
	asm volatile("clflush %0" : "+m" (*(struct fcpmem_blk64 *)p));
}

/* Orders NT stores and clwb/clflushopt before every later store. */
static __always_inline void fcpmem_sfence(void)
{
	asm volatile("sfence" : : : "memory");
}

#ifdef FCPMEM_HOST_REAL
#include "selftests/host/fcpmem_host_real.h"
#else /* kernel environment */

static inline bool fcpmem_cpu_has_clwb(void)
{
	return boot_cpu_has(X86_FEATURE_CLWB);
}

static inline bool fcpmem_cpu_has_clflushopt(void)
{
	return boot_cpu_has(X86_FEATURE_CLFLUSHOPT);
}

/* The CPU has the instructions and the kernel saves the registers. */
static inline bool fcpmem_cpu_has_avx2(void)
{
	return boot_cpu_has(X86_FEATURE_AVX) &&
	       boot_cpu_has(X86_FEATURE_AVX2) &&
	       cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM, NULL);
}

static inline bool fcpmem_cpu_has_avx512(void)
{
	return boot_cpu_has(X86_FEATURE_AVX512F) &&
	       cpu_has_xfeatures(XFEATURE_MASK_SSE | XFEATURE_MASK_YMM |
				 XFEATURE_MASK_AVX512, NULL);
}

static inline unsigned int fcpmem_cpu_clflush_size(void)
{
	return boot_cpu_data.x86_clflush_size;
}

/* False in contexts (hard irq, nested use) where vector state can't be saved. */
static inline bool fcpmem_fpu_usable(void)
{
	return irq_fpu_usable();
}

static inline void fcpmem_fpu_begin(void)
{
	kernel_fpu_begin();
}

static inline void fcpmem_fpu_end(void)
{
	kernel_fpu_end();
}

/* For timing the copy variants at load (fcpmem_flushcache_tune()). */
static inline u64 fcpmem_clock_ns(void)
{
	return ktime_get_ns();
}

/*
 * Pages of the direct map, as the pages a bio carries are, not vmalloc
 * space: under emulation the cost of a load depends on the mapping.
 * fcpmem_scratch_free() needs the size back.
 */
static inline void *fcpmem_scratch_alloc(size_t n)
{
	if (fcpmem_fault("__get_free_pages"))
		return NULL;
	return (void *)__get_free_pages(GFP_KERNEL | __GFP_NOWARN,
					get_order(n));
}

static inline void fcpmem_scratch_free(void *p, size_t n)
{
	free_pages((unsigned long)p, get_order(n));
}

/* Read that survives a machine check; returns the bytes not copied. */
static inline unsigned long fcpmem_copy_mc(void *dst, const void *src,
					   size_t n)
{
	return copy_mc_to_kernel(dst, src, n);
}

/*
 * Non-temporal copy from user space; returns the bytes not copied. The
 * kernel's routine stores the unaligned edges with cached stores (and on a
 * fault may finish byte by byte), so the caller writes those lines back.
 * Which kernel routine that is differs by version: see compat.h.
 */
static inline size_t fcpmem_copy_user_nt(void *dst, const void __user *src,
					 size_t size)
{
	return fcpmem_compat_copy_user_nt(dst, src, size);
}

#endif /* FCPMEM_HOST_REAL */
#endif /* FCPMEM_HOST_TEST */

#endif /* FCPMEM_FLUSHCACHE_H */
