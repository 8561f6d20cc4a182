/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The environment half of flushcache.h's primitives for FCPMEM_HOST_REAL
 * builds: the instructions are flushcache.h's own inline asm, run in user
 * space; CPU features come from cpuid, FPU sections need no saving.
 */
#ifndef FCPMEM_HOST_REAL_H
#define FCPMEM_HOST_REAL_H

#include <cpuid.h>
#include <stdlib.h>
#include <time.h>

static inline bool fcpmem_cpu_has_clwb(void)
{
	return __builtin_cpu_supports("clwb");
}

static inline bool fcpmem_cpu_has_clflushopt(void)
{
	return __builtin_cpu_supports("clflushopt");
}

/* libgcc also checks XCR0, i.e. that the OS saves the registers. */
static inline bool fcpmem_cpu_has_avx2(void)
{
	return __builtin_cpu_supports("avx2");
}

static inline bool fcpmem_cpu_has_avx512(void)
{
	return __builtin_cpu_supports("avx512f");
}

/* CPUID.1:EBX[15:8] is the clflush line size in 8-byte units. */
static inline unsigned int fcpmem_cpu_clflush_size(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid(1, &a, &b, &c, &d))
		return 64;
	return ((b >> 8) & 0xff) * 8;
}

static inline bool fcpmem_fpu_usable(void)
{
	return true;
}

static inline void fcpmem_fpu_begin(void)
{
}

/* Leave no dirty upper vector state to slow down later SSE code. */
static inline void fcpmem_fpu_end(void)
{
	asm volatile("vzeroupper" : : : "memory");
}

static inline u64 fcpmem_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline void *fcpmem_scratch_alloc(size_t n)
{
	return aligned_alloc(4096, (n + 4095) & ~(size_t)4095);
}

static inline void fcpmem_scratch_free(void *p, size_t n)
{
	(void)n;
	free(p);
}

static inline unsigned long fcpmem_copy_mc(void *dst, const void *src,
					   size_t n)
{
	memcpy(dst, src, n);
	return 0;
}

#include "fcpmem_usercopy_emul.h"

#endif /* FCPMEM_HOST_REAL_H */
