/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-in for the kernel environment flushcache_x86.c needs:
 * types, a few helper macros and printk. Included by flushcache.h when
 * FCPMEM_HOST_TEST (cache model) or FCPMEM_HOST_REAL (real instructions) is
 * defined; the machine primitives come from fcpmem_model.h or from
 * flushcache.h itself.
 */
#ifndef FCPMEM_HOST_H
#define FCPMEM_HOST_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

/* __always_inline comes from glibc's <sys/cdefs.h> */
#define __user
#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define min_t(type, a, b)	((type)(a) < (type)(b) ? (type)(a) : (type)(b))

#define KBUILD_MODNAME		"fcpmem"
/*
 * Kernel log lines go to stderr as TAP comments, out of the TAP stream;
 * pr_info() can be silenced for loops that re-init (the benchmark).
 */
static bool fcpmem_host_quiet;
#define pr_err(fmt, ...)	fprintf(stderr, "# " pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	fprintf(stderr, "# " pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) \
	(fcpmem_host_quiet ? 0 : fprintf(stderr, "# " pr_fmt(fmt), ##__VA_ARGS__))

/* As lib/string.c: equal, ignoring one trailing newline on either side. */
static inline bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}

#endif /* FCPMEM_HOST_H */
