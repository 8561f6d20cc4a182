/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What both host tests of flushcache_x86.c share: the source pattern and
 * destination regions filled with a background byte the source never holds,
 * so any stray store shows.
 */
#ifndef FC_COMMON_H
#define FC_COMMON_H

#include <stdlib.h>
#include <string.h>

#define FC_BG		0xa5	/* background byte; never in a source */
#define FC_GUARD	128	/* guard bytes checked each side of a copy */
#define FC_SEED		20261122u

static u8 *fc_src;		/* source pattern, 64 bytes slack + maximum */

static void fc_fill_src(size_t len, unsigned int seed)
{
	size_t k;

	free(fc_src);
	fc_src = malloc(len);
	if (!fc_src)
		exit(1);
	srand(seed);
	for (k = 0; k < len; k++) {
		fc_src[k] = rand();
		if (fc_src[k] == FC_BG)
			fc_src[k] = 0x5a;
	}
}

/* A line-aligned region of @len bytes, all background. */
static u8 *fc_region_alloc(size_t len)
{
	u8 *r = aligned_alloc(64, len);

	if (!r)
		exit(1);
	memset(r, FC_BG, len);
	return r;
}

#endif /* FC_COMMON_H */
