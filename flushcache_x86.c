// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmem write-through copies for x86-64.
 *
 * A write to the pmem region is only safe once no line of it is dirty in the
 * CPU cache: a cached store can sit in a dirty line until some eviction long
 * after the fence that was meant to make it durable. So every copy below
 * returns with each destination byte either stored non-temporally (it goes to
 * a write-combining buffer, and memory, not the cache) or written with a
 * cached store whose line was then written back. fcpmem_fence() is the one
 * point where those stores and write-backs are known to have reached memory;
 * the caller decides when to pay for it (REQ_PREFLUSH/FUA, DAX sync).
 *
 * Only the primitives of flushcache.h touch the machine, so the host tests
 * run this very file against a cache model and against the real instructions.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "flushcache.h"

#ifdef __KERNEL__
#include "compat.h"
#include <linux/bvec.h>
#include <linux/highmem.h>
#include <linux/uio.h>
#endif

/*
 * Below this many bytes the vector variants use the scalar path. Measured on
 * the build host (AMD EPYC, tools/bench-flush): from 256 B up every streaming
 * copy runs at the memory's write bandwidth, so wider stores win nothing
 * there; what a vector copy adds in the kernel is the FPU section, tens of
 * ns even when the user's state is already saved. At 1 KiB that is a few
 * per cent of the copy.
 */
#define FCPMEM_VEC_THRESHOLD	1024

/*
 * The vector loop prefetches the source this far ahead: worth 10-15% when
 * the source is not in the cache (measured 2 KiB best of 0.5-4 KiB), no cost
 * when it is. Only inside the source, so no line past its end is pulled in.
 */
#define FCPMEM_PREFETCH_DIST	2048

/*
 * Bytes stored per kernel_fpu_begin()/end() section. The section runs with
 * preemption disabled; 4 KiB, a page, takes about
 * 0.2 us at the ~25 GB/s measured here and under 1 us even at 5 GB/s, so
 * scheduling latency stays far below a tick. The costly part, saving the
 * user's vector state, happens once per kernel entry, not per section.
 */
#define FCPMEM_FPU_CHUNK	4096

/*
 * Largest piece handed to the kernel's non-temporal user copy at once: its
 * wrappers take an unsigned int and return an int.
 */
#define FCPMEM_USER_CHUNK	(1UL << 30)

enum fcpmem_copy_kind {
	FCPMEM_COPY_MOVNTI,
	FCPMEM_COPY_AVX2,
	FCPMEM_COPY_AVX512,
};

enum fcpmem_wb_kind {
	FCPMEM_WB_CLFLUSH,
	FCPMEM_WB_CLFLUSHOPT,
	FCPMEM_WB_CLWB,
};

static bool fcpmem_cpu_always(void)
{
	return true;
}

/*
 * Widest first: without timing, the first the CPU has is used; with timing,
 * a tie goes to the last (narrowest), see fcpmem_flushcache_tune().
 */
static const struct fcpmem_copy_variant {
	const char *name;
	enum fcpmem_copy_kind kind;
	bool (*usable)(void);
} fcpmem_copy_variants[] = {
	{ "avx512", FCPMEM_COPY_AVX512, fcpmem_cpu_has_avx512 },
	{ "avx2", FCPMEM_COPY_AVX2, fcpmem_cpu_has_avx2 },
	{ "movnti", FCPMEM_COPY_MOVNTI, fcpmem_cpu_always },	/* SSE2 */
};

static const char * const fcpmem_wb_names[] = {
	[FCPMEM_WB_CLFLUSH] = "clflush",
	[FCPMEM_WB_CLFLUSHOPT] = "clflushopt",
	[FCPMEM_WB_CLWB] = "clwb",
};

/*
 * Until fcpmem_flushcache_init() runs, use what every x86-64 CPU has. The
 * choice is a plain enum switched on at each call, not a function pointer:
 * an indirect call costs a retpoline on every copy.
 */
static enum fcpmem_copy_kind fcpmem_copy_kind = FCPMEM_COPY_MOVNTI;
static enum fcpmem_wb_kind fcpmem_wb_kind = FCPMEM_WB_CLFLUSH;
static unsigned long fcpmem_wb_stride = 64;	/* bytes per write-back */

/**
 * fcpmem_wb_range - write back every cache line touching a range
 * @addr: start of the range
 * @n: length of the range in bytes
 *
 * Uses the instruction chosen by fcpmem_flushcache_init(). The write-backs
 * are only ordered against later stores by fcpmem_fence().
 *
 * Return: the number of write-back instructions issued.
 */
unsigned int fcpmem_wb_range(void *addr, size_t n)
{
	unsigned long first = (unsigned long)addr & ~(fcpmem_wb_stride - 1);
	unsigned long end = (unsigned long)addr + n;
	unsigned long p = first;

	if (!n)
		return 0;

	switch (fcpmem_wb_kind) {
	case FCPMEM_WB_CLWB:
		for (; p < end; p += fcpmem_wb_stride)
			fcpmem_clwb((void *)p);
		break;
	case FCPMEM_WB_CLFLUSHOPT:
		for (; p < end; p += fcpmem_wb_stride)
			fcpmem_clflushopt((void *)p);
		break;
	case FCPMEM_WB_CLFLUSH:
		for (; p < end; p += fcpmem_wb_stride)
			fcpmem_clflush((void *)p);
		break;
	}
	return (end - first + fcpmem_wb_stride - 1) / fcpmem_wb_stride;
}

/**
 * fcpmem_fence - make earlier non-temporal stores and write-backs durable
 *
 * sfence: every earlier movnti/vmovntdq and clwb/clflushopt is globally
 * visible, so (with ADR) in the persistence domain, before any later store.
 */
void fcpmem_fence(void)
{
	if (FCPMEM_DO_FENCE)
		fcpmem_sfence();
}

/*
 * The scalar copy. The destination is aligned to 8 bytes with a cached copy
 * whose line is then written back (movnti of a partial word does not exist),
 * the middle goes out with 8- and 4-byte movnti, and the last 1-3 bytes are
 * again a cached copy plus a write-back of their line.
 *
 * Inlined into its callers: as a call of its own it cost a prologue, an
 * epilogue and a stack canary for @acct, about 40 instructions in a 4 KiB
 * bio of 1,500 (measured under QEMU -icount, see performance.rst).
 */
static __always_inline void fcpmem_copy_movnti(char *dst, const char *src, size_t n,
			       struct fcpmem_copy_acct *acct)
{
	unsigned long head = -(unsigned long)dst & 7;

	if (head) {
		head = min_t(size_t, head, n);
		fcpmem_memcpy_cached(dst, src, head);
		acct->cached += head;
		/*
		 * The movnti stores that follow may share this line, but they
		 * are not promised to clean it: write it back ourselves.
		 */
		if (FCPMEM_DO_HEAD_WB)
			acct->wb_lines += fcpmem_wb_range(dst, head);
		dst += head;
		src += head;
		n -= head;
	}

	while (n >= 32) {
		fcpmem_movnti8(dst, src);
		fcpmem_movnti8(dst + 8, src + 8);
		fcpmem_movnti8(dst + 16, src + 16);
		fcpmem_movnti8(dst + 24, src + 24);
		dst += 32;
		src += 32;
		n -= 32;
	}
	while (n >= 8) {
		fcpmem_movnti8(dst, src);
		dst += 8;
		src += 8;
		n -= 8;
	}
	if (n >= 4) {
		fcpmem_movnti4(dst, src);
		dst += 4;
		src += 4;
		n -= 4;
	}

	if (n) {
		fcpmem_memcpy_cached(dst, src, n);
		acct->cached += n;
		if (FCPMEM_DO_TAIL_WB)
			acct->wb_lines += fcpmem_wb_range(dst, n);
	}
}

/*
 * Whole 64-byte lines, @dst line aligned, @n a multiple of 64; @src_end is
 * the end of the whole source, for the prefetch. Each call is one FPU
 * section; the caller bounds @n by FCPMEM_FPU_CHUNK.
 */
static void fcpmem_ntlines(char *dst, const char *src, size_t n,
			   const char *src_end, enum fcpmem_copy_kind kind)
{
	fcpmem_fpu_begin();
	for (; n; n -= 64, dst += 64, src += 64) {
		if (src_end - src > FCPMEM_PREFETCH_DIST)
			fcpmem_prefetch(src + FCPMEM_PREFETCH_DIST);
		if (kind == FCPMEM_COPY_AVX512)
			fcpmem_ntline_avx512(dst, src);
		else
			fcpmem_ntline_avx2(dst, src);
	}
	fcpmem_fpu_end();
}

/*
 * The vector copy, for at least FCPMEM_VEC_THRESHOLD bytes: the scalar path
 * up to the first line boundary, whole lines with streaming vector stores,
 * the scalar path for what is left. Every edge the scalar path stores cached
 * is written back there.
 */
static void fcpmem_copy_vector(char *dst, const char *src, size_t n,
			       enum fcpmem_copy_kind kind,
			       struct fcpmem_copy_acct *acct)
{
	unsigned long head = -(unsigned long)dst & 63;
	const char *src_end = src + n;
	size_t chunk;

	if (!fcpmem_fpu_usable()) {
		fcpmem_copy_movnti(dst, src, n, acct);
		return;
	}

	if (head) {
		fcpmem_copy_movnti(dst, src, head, acct);
		dst += head;
		src += head;
		n -= head;
	}
	while (n >= 64) {
		chunk = min_t(size_t, n & ~63UL, FCPMEM_FPU_CHUNK);
		fcpmem_ntlines(dst, src, chunk, src_end, kind);
		dst += chunk;
		src += chunk;
		n -= chunk;
	}
	if (n)
		fcpmem_copy_movnti(dst, src, n, acct);
}

/**
 * fcpmem_memcpy_flushcache - copy to pmem leaving no destination line dirty
 * @dst: destination, in the pmem mapping
 * @src: source, kernel memory
 * @n: bytes to copy
 *
 * On return no cache line of [@dst, @dst + @n) is dirty: the bytes were
 * stored non-temporally or their lines written back. They are durable only
 * after the caller's fcpmem_fence().
 *
 * Return: how many bytes went through the cache and how many lines were
 * written back, for the driver's counters (a few adds per call, none per
 * store).
 */
struct fcpmem_copy_acct fcpmem_memcpy_flushcache(void *dst, const void *src,
						 size_t n)
{
	struct fcpmem_copy_acct acct = { 0, 0 };

	/* below the threshold the vector variants are the scalar one */
	if (n < FCPMEM_VEC_THRESHOLD || fcpmem_copy_kind == FCPMEM_COPY_MOVNTI)
		fcpmem_copy_movnti(dst, src, n, &acct);
	else
		fcpmem_copy_vector(dst, src, n, fcpmem_copy_kind, &acct);
	return acct;
}

/*
 * Lines the kernel's non-temporal user copy may leave dirty after copying
 * @size bytes to @dst without a fault. Both the 6.1 and the 6.12 routine use
 * movnti only for naturally aligned 4- and 8-byte words; any byte before the
 * first 8-byte boundary and after the last one is a cached store (6.12 does
 * an aligned 4-byte word there with movnti, which we don't rely on). Those
 * bytes sit in at most two lines: the one holding @dst and the one holding
 * the last byte.
 */
static void fcpmem_wb_user_edges(void *dst, size_t size)
{
	unsigned long start = (unsigned long)dst;
	unsigned long end = start + size;
	bool head_done = false;

	if (!size)
		return;

	if (size < 8) {
		/* Only an aligned 4-byte copy is certain to be all movnti. */
		if (!(IS_ALIGNED(start, 4) && size == 4) && FCPMEM_DO_HEAD_WB)
			fcpmem_wb_range(dst, size);
		return;
	}

	if (!IS_ALIGNED(start, 8)) {
		if (FCPMEM_DO_HEAD_WB)
			fcpmem_wb_range(dst, 1);
		head_done = true;
	}
	/* Skip the tail's line only if the head write-back already got it. */
	if (!IS_ALIGNED(end, 8) &&
	    !(head_done && (start ^ (end - 1)) < fcpmem_wb_stride) &&
	    FCPMEM_DO_TAIL_WB)
		fcpmem_wb_range((void *)(end - 1), 1);
}

/*
 * Copy from user space leaving no destination line dirty; returns the bytes
 * not copied. After a fault the kernel's routine may have finished with a
 * byte-wise cached copy anywhere up to the fault, so the whole copied part is
 * written back: a rare path, where simple beats fast.
 */
static size_t fcpmem_copy_user_flushcache(void *dst, const void __user *src,
					  size_t size)
{
	size_t chunk, left;

	while (size) {
		chunk = min_t(size_t, size, FCPMEM_USER_CHUNK);
		left = fcpmem_copy_user_nt(dst, src, chunk);
		if (unlikely(left)) {
			fcpmem_wb_range(dst, chunk - left);
			return size - chunk + left;
		}
		fcpmem_wb_user_edges(dst, chunk);
		dst = (char *)dst + chunk;
		src = (const char __user *)src + chunk;
		size -= chunk;
	}
	return 0;
}

/*
 * With no copy= given, each variant the CPU has is timed and the fastest
 * kept, as crypto/xor.c and lib/raid6 pick their routines. CPU flags alone
 * mislead: QEMU's TCG emulates the AVX2 streaming stores with generic
 * helpers, while on real hardware every streaming variant runs at the
 * memory's write bandwidth and the vector ones only save instructions
 * (Documentation/performance.rst). The timing runs on the first region
 * itself, before its disk exists, so it times stores to the mapping bios
 * will use. Under TCG the speed of a loop also depends on where it lies:
 * one that straddles a page of module text runs several times slower,
 * which is why Kbuild aligns these loops and tools/loopcheck checks them.
 * It writes the region's own bytes back (read with a machine-check-safe
 * copy first), so its contents never change, even if the power fails.
 * The copy is what a bio of pages does: 4 KiB at a time to successive
 * pages, 256 KiB per round (a few hundred us under TCG), best of five
 * rounds with the variants taking turns, so interrupts, preemption and a
 * slow spell of a busy host fall on no variant alone.
 */
#define FCPMEM_TIME_BLOCK	4096
#define FCPMEM_TIME_BYTES	(64 * FCPMEM_TIME_BLOCK)
#define FCPMEM_TIME_ROUNDS	5

/* Variants still to be timed by fcpmem_flushcache_tune(), best first. */
static const struct fcpmem_copy_variant *fcpmem_cand[ARRAY_SIZE(fcpmem_copy_variants)];
static unsigned int fcpmem_ncand;

/* One round over [@dst, @dst + @len) with variant @kind, in ns. */
static u64 fcpmem_time_round(enum fcpmem_copy_kind kind, char *dst,
			     const char *src, size_t len)
{
	u64 t0 = fcpmem_clock_ns();
	size_t off;

	fcpmem_copy_kind = kind;
	for (off = 0; off < len; off += FCPMEM_TIME_BLOCK)
		fcpmem_memcpy_flushcache(dst + off, src + off,
					 FCPMEM_TIME_BLOCK);
	fcpmem_fence();
	return fcpmem_clock_ns() - t0;
}

/**
 * fcpmem_flushcache_tune - time the copy variants on pmem, keep the fastest
 * @pmem: the start of a mapped region nobody else uses yet
 * @len: its length in bytes
 *
 * Only the first call after fcpmem_flushcache_init() chose automatically
 * among several variants does anything; the variant in use must not change
 * under a live disk. The first up to 256 KiB of @pmem are read and written
 * back unchanged by each variant in turn. A wider variant must beat the
 * best narrower one by more than 1/16 to displace it. A vector copy also
 * costs an XSAVE of the user's registers once per system call, which this
 * timing, one kernel entry, does not see; and on an Intel Xeon host
 * (tools/bench-flush) avx512 and movnti tie from 16 KiB up while movnti is
 * 10-15% faster at 4 KiB into cold memory, which 256 KiB rewritten five
 * times is not. Where they tie, noise must not flip the choice from one
 * load to the next either. Sleeps.
 */
void fcpmem_flushcache_tune(void *pmem, size_t len)
{
	u64 ns[ARRAY_SIZE(fcpmem_copy_variants)];
	unsigned int n = fcpmem_ncand, k, r, best = 0;
	const struct fcpmem_copy_variant *v;
	char msg[128];
	int used = 0;
	char *saved;

	if (!n)
		return;
	fcpmem_ncand = 0;
	len = min_t(size_t, len, FCPMEM_TIME_BYTES) & ~(size_t)(FCPMEM_TIME_BLOCK - 1);
	if (!len) {
		pr_info("copy variant %s, untimed: the region is smaller than a page\n",
			fcpmem_cand[0]->name);
		return;
	}
	saved = fcpmem_scratch_alloc(len);
	if (!saved) {
		pr_warn("copy variant %s, untimed: no memory to time the others\n",
			fcpmem_cand[0]->name);
		return;
	}
	if (fcpmem_copy_mc(saved, pmem, len)) {
		pr_warn("copy variant %s, untimed: the region's first %zu KiB cannot be read (poisoned?)\n",
			fcpmem_cand[0]->name, len >> 10);
		goto out;
	}

	for (k = 0; k < n; k++)
		ns[k] = ~0ULL;
	for (r = 0; r < FCPMEM_TIME_ROUNDS; r++) {
		for (k = 0; k < n; k++) {
			u64 t = fcpmem_time_round(fcpmem_cand[k]->kind, pmem,
						  saved, len);

			if (t < ns[k])
				ns[k] = t;
		}
	}
	best = n - 1;
	for (k = n - 1; k-- > 0;)
		if (ns[k] + ns[k] / 16 < ns[best])
			best = k;
	for (k = 0; k < n; k++) {
		used += snprintf(msg + used, sizeof(msg) - used, "%s%s %llu",
				 k ? ", " : "", fcpmem_cand[k]->name,
				 (unsigned long long)(ns[k] * FCPMEM_TIME_BLOCK / len));
		if (used >= (int)sizeof(msg))
			used = sizeof(msg) - 1;
	}
	v = fcpmem_cand[best];
	pr_info("ns per 4 KiB copy: %s\n", msg);
	pr_info("copy variant %s (timed), write-back %s every %lu bytes\n",
		v->name, fcpmem_wb_names[fcpmem_wb_kind], fcpmem_wb_stride);
out:
	fcpmem_copy_kind = fcpmem_cand[best]->kind;
	fcpmem_scratch_free(saved, len);
}

/**
 * fcpmem_flushcache_init - choose the copy variant and write-back instruction
 * @force: NULL, "" or "auto" to choose, else a variant name
 *
 * The write-back instruction is the best the CPU has: clwb (leaves the line
 * valid), else clflushopt, else clflush. The copy variant is the one @force
 * names, or else the fastest of those the CPU and kernel support (avx512,
 * avx2, movnti); until fcpmem_flushcache_tune() has timed them, the widest.
 *
 * Return: 0, -EINVAL if @force names no variant, -EOPNOTSUPP if the CPU
 * lacks the one it names.
 */
int fcpmem_flushcache_init(const char *force)
{
	const struct fcpmem_copy_variant *v = NULL;
	unsigned int stride = fcpmem_cpu_clflush_size();
	bool choose = !force || !*force || sysfs_streq(force, "auto");
	unsigned int n = 0;
	size_t k;

	for (k = 0; k < ARRAY_SIZE(fcpmem_copy_variants); k++) {
		const struct fcpmem_copy_variant *c = &fcpmem_copy_variants[k];

		if (choose) {
			if (c->usable())
				fcpmem_cand[n++] = c;
		} else if (sysfs_streq(force, c->name)) {
			if (!c->usable()) {
				pr_err("copy variant %s not supported by this CPU, which lacks its instructions; load without copy= to use the fastest it has\n",
				       c->name);
				return -EOPNOTSUPP;
			}
			v = c;
			break;
		}
	}
	if (!choose && !v) {
		pr_err("unknown copy variant \"%s\" (avx512, avx2, movnti)\n",
		       force);
		return -EINVAL;
	}
	if (choose)		/* movnti is always usable: n >= 1 */
		v = fcpmem_cand[0];
	fcpmem_ncand = n > 1 ? n : 0;

	if (fcpmem_cpu_has_clwb())
		fcpmem_wb_kind = FCPMEM_WB_CLWB;
	else if (fcpmem_cpu_has_clflushopt())
		fcpmem_wb_kind = FCPMEM_WB_CLFLUSHOPT;
	else
		fcpmem_wb_kind = FCPMEM_WB_CLFLUSH;

	/* A power of two no larger than a page, or the stride is a guess. */
	if (stride >= 16 && stride <= 4096 && !(stride & (stride - 1)))
		fcpmem_wb_stride = stride;
	else
		pr_warn("odd clflush size %u, writing back every 64 bytes\n",
			stride);
	fcpmem_copy_kind = v->kind;

	if (!fcpmem_ncand)
		pr_info("copy variant %s (%s), write-back %s every %lu bytes\n",
			v->name, choose ? "the only one" : "copy=",
			fcpmem_wb_names[fcpmem_wb_kind], fcpmem_wb_stride);
	return 0;
}

/**
 * fcpmem_flushcache_variant - name of the copy variant in use
 *
 * Return: "movnti", "avx2" or "avx512".
 */
const char *fcpmem_flushcache_variant(void)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(fcpmem_copy_variants); k++)
		if (fcpmem_copy_variants[k].kind == fcpmem_copy_kind)
			return fcpmem_copy_variants[k].name;
	return "?";
}

/**
 * fcpmem_flushcache_wb_insn - name of the write-back instruction in use
 *
 * Return: "clwb", "clflushopt" or "clflush".
 */
const char *fcpmem_flushcache_wb_insn(void)
{
	return fcpmem_wb_names[fcpmem_wb_kind];
}

#ifdef __KERNEL__
static size_t fcpmem_iter_user(char *to, const char __user *from, size_t len)
{
	if (!access_ok(from, len))
		return 0;
	return len - fcpmem_copy_user_flushcache(to, from, len);
}

static size_t fcpmem_iter_iovec(char *to, size_t bytes,
				const struct iovec *iov, size_t skip)
{
	size_t done = 0, len, got;

	for (; done < bytes; iov++, skip = 0) {
		len = min(bytes - done, iov->iov_len - skip);
		if (!len)
			continue;
		got = fcpmem_iter_user(to + done,
				       (const char __user *)iov->iov_base + skip,
				       len);
		done += got;
		if (got < len)
			break;
	}
	return done;
}

static size_t fcpmem_iter_kvec(char *to, size_t bytes,
			       const struct kvec *kv, size_t skip)
{
	size_t done = 0, len;

	for (; done < bytes; kv++, skip = 0) {
		len = min(bytes - done, kv->iov_len - skip);
		fcpmem_memcpy_flushcache(to + done,
					 (const char *)kv->iov_base + skip, len);
		done += len;
	}
	return done;
}

/* A bio_vec may span several pages: map one page at a time. */
static size_t fcpmem_iter_bvec(char *to, size_t bytes,
			       const struct bio_vec *bv, size_t skip)
{
	size_t done = 0, off, len;
	struct page *page;
	char *from;

	for (; done < bytes; bv++, skip = 0) {
		while (skip < bv->bv_len && done < bytes) {
			off = bv->bv_offset + skip;
			page = fcpmem_nth_page(bv->bv_page, off >> PAGE_SHIFT);
			off &= ~PAGE_MASK;
			len = min3(bytes - done, (size_t)bv->bv_len - skip,
				   (size_t)PAGE_SIZE - off);
			from = kmap_local_page(page);
			fcpmem_memcpy_flushcache(to + done, from + off, len);
			kunmap_local(from);
			done += len;
			skip += len;
		}
	}
	return done;
}

/**
 * fcpmem_copy_from_iter_flushcache - copy from an iov_iter to pmem
 * @addr: destination, in the pmem mapping
 * @bytes: bytes to copy at most
 * @i: source iterator, advanced by the bytes copied
 *
 * Like fcpmem_memcpy_flushcache(): on return no destination line is dirty,
 * durable after fcpmem_fence(). User memory is copied with the kernel's
 * non-temporal user copy and its cached edges written back; kernel memory
 * (kvec, bvec) with fcpmem_memcpy_flushcache(). Other iterator kinds are not
 * expected from the DAX and block paths and copy nothing.
 *
 * Return: bytes copied; fewer than asked only on a user fault.
 */
size_t fcpmem_copy_from_iter_flushcache(void *addr, size_t bytes,
					struct iov_iter *i)
{
	size_t done;

	bytes = min(bytes, iov_iter_count(i));
	if (!bytes)
		return 0;
	if (unlikely(!i->data_source)) {
		pr_warn_once("copy from a destination iov_iter\n");
		return 0;
	}

	if (iter_is_ubuf(i)) {
		might_fault();
		done = fcpmem_iter_user(addr, (const char __user *)i->ubuf +
					i->iov_offset, bytes);
	} else if (iter_is_iovec(i)) {
		might_fault();
		done = fcpmem_iter_iovec(addr, bytes, fcpmem_iter_iov(i),
					 i->iov_offset);
	} else if (iov_iter_is_kvec(i)) {
		done = fcpmem_iter_kvec(addr, bytes, i->kvec, i->iov_offset);
	} else if (iov_iter_is_bvec(i)) {
		done = fcpmem_iter_bvec(addr, bytes, i->bvec, i->iov_offset);
	} else {
		pr_warn_once("iov_iter type %u not supported\n",
			     (unsigned int)iov_iter_type(i));
		return 0;
	}

	iov_iter_advance(i, done);
	return done;
}
#endif /* __KERNEL__ */
