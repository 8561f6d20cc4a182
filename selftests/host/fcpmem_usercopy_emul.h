/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Stand-in for the kernel's non-temporal user copy (fcpmem_copy_user_nt()),
 * written against the same primitives as flushcache_x86.c so it runs on the
 * cache model and on the real instructions alike.
 *
 * It reproduces which bytes each kernel stores non-temporally and which with
 * cached stores, since that is what fcpmem_wb_user_edges() must cover:
 *
 *   6.1 __copy_user_nocache(): below 8 bytes, one movnti of 4 if the
 *   destination is 4-byte aligned, the rest cached; else cached bytes up to
 *   an 8-byte boundary, movnti 64/8/4, the last 1-3 bytes cached. A fault
 *   ends in copy_user_handle_tail(): cached bytes from the start of the
 *   failing unit up to the fault.
 *
 *   6.12 copy_to_nontemporal(): cached 1 and 2 bytes, movnti 4 to reach an
 *   8-byte boundary; movnti 64/8/4; cached 2 and 1 bytes. A fault just stops
 *   (after one more movnti of 4 if a quadword failed).
 *
 * A fault is simulated by making only fcpmem_emul_readable source bytes
 * readable.
 */
#ifndef FCPMEM_USERCOPY_EMUL_H
#define FCPMEM_USERCOPY_EMUL_H

#include <stdint.h>

enum fcpmem_emul_kernel {
	FCPMEM_EMUL_6_1,
	FCPMEM_EMUL_6_12,
};

static enum fcpmem_emul_kernel fcpmem_emul_kernel = FCPMEM_EMUL_6_12;
static size_t fcpmem_emul_readable = SIZE_MAX;

struct fcpmem_emul {
	char *dst;
	const char *src;
	size_t done;		/* bytes stored so far */
	bool fault;
};

/* One unit of the kernel routine: @len bytes, movnti (@nt) or cached. */
static bool fcpmem_emul_step(struct fcpmem_emul *e, size_t len, bool nt)
{
	size_t k, w;

	if (e->fault)
		return false;
	if (e->done + len > fcpmem_emul_readable) {
		size_t ok = fcpmem_emul_readable - e->done;

		e->fault = true;
		if (fcpmem_emul_kernel == FCPMEM_EMUL_6_1) {
			fcpmem_memcpy_cached(e->dst + e->done,
					     e->src + e->done, ok);
			e->done += ok;
		} else if (nt && len == 8 && ok >= 4) {
			fcpmem_movnti4(e->dst + e->done, e->src + e->done);
			e->done += 4;
		}
		return false;
	}
	if (!nt) {
		fcpmem_memcpy_cached(e->dst + e->done, e->src + e->done, len);
	} else {
		w = len == 4 ? 4 : 8;
		for (k = 0; k < len; k += w) {
			if (w == 4)
				fcpmem_movnti4(e->dst + e->done + k,
					       e->src + e->done + k);
			else
				fcpmem_movnti8(e->dst + e->done + k,
					       e->src + e->done + k);
		}
	}
	e->done += len;
	return true;
}

static void fcpmem_emul_6_1(struct fcpmem_emul *e, size_t size)
{
	uintptr_t d = (uintptr_t)e->dst;
	size_t head, r;

	if (size < 8) {
		if (!(d & 3) && size >= 4) {
			fcpmem_emul_step(e, 4, true);
			size -= 4;
		}
		if (size)
			fcpmem_emul_step(e, size, false);
		return;
	}
	head = -d & 7;
	if (head)
		fcpmem_emul_step(e, head, false);
	r = size - head;
	for (; r >= 64; r -= 64)
		fcpmem_emul_step(e, 64, true);
	for (; r >= 8; r -= 8)
		fcpmem_emul_step(e, 8, true);
	if (r >= 4) {
		fcpmem_emul_step(e, 4, true);
		r -= 4;
	}
	if (r)
		fcpmem_emul_step(e, r, false);
}

static void fcpmem_emul_6_12(struct fcpmem_emul *e, size_t size)
{
	uintptr_t d = (uintptr_t)e->dst;
	size_t r = size;

	if (d & 1 && r) {
		fcpmem_emul_step(e, 1, false);
		r--;
		d++;
	}
	if (d & 2) {
		if (r < 2)
			goto byte;
		fcpmem_emul_step(e, 2, false);
		r -= 2;
		d += 2;
	}
	if (d & 4) {
		if (r < 4)
			goto word;
		fcpmem_emul_step(e, 4, true);
		r -= 4;
	}
	/* 64-byte blocks fall back to quadwords on a fault: model as such */
	for (; r >= 8; r -= 8)
		fcpmem_emul_step(e, 8, true);
	if (r & 4)
		fcpmem_emul_step(e, 4, true);
word:
	if (r & 2)
		fcpmem_emul_step(e, 2, false);
byte:
	if (r & 1)
		fcpmem_emul_step(e, 1, false);
}

static inline size_t fcpmem_copy_user_nt(void *dst, const void __user *src,
					 size_t size)
{
	struct fcpmem_emul e = { .dst = dst, .src = src };

	if (fcpmem_emul_kernel == FCPMEM_EMUL_6_1)
		fcpmem_emul_6_1(&e, size);
	else
		fcpmem_emul_6_12(&e, size);
	return size - e.done;
}

#endif /* FCPMEM_USERCOPY_EMUL_H */
