// SPDX-License-Identifier: GPL-2.0
/*
 * bench-flush: bandwidth of write-through copies on one core.
 *
 * fcpmem's own copies run through flushcache_x86.c itself, built with
 * FCPMEM_HOST_REAL so its primitives are the real instructions. Against them:
 * an equivalent of the upstream kernel's 4x8 movnti memcpy_flushcache loop,
 * libpmem's pmem_memcpy_nodrain(), memcpy plus clwb of every line, and a
 * non-temporal fill that reads no source (the write ceiling).
 *
 * The destination is a large region (1 GiB by default) written block by block
 * so nothing stays cache resident; the source cycles through a 4 MiB buffer.
 * Each (variant, block size) is timed as one pass over the whole region
 * ending in an sfence; the best of 3 passes is reported.
 *
 * Passes of all variants are interleaved (pass 1 of every variant, then
 * pass 2, ...) so drift in the machine's load spreads over all of them.
 *
 * usage: bench-flush [-s region_MiB] [-S src_KiB] [-r passes] [-c cpu] [-o outdir]
 *                    [-b min_block] [-B max_block] [-a dst_offset] [-w]
 */
#define FCPMEM_HOST_REAL
#include "flushcache_x86.c"

#include <libpmem.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


typedef void (*bench_copy_fn)(void *dst, const void *src, size_t n);

/* Ours, without the accounting the driver's counters take from it. */
static void bench_fcpmem_copy(void *dst, const void *src, size_t n)
{
	(void)fcpmem_memcpy_flushcache(dst, src, n);
}

struct bench_variant {
	const char *name;
	const char *force;	/* fcpmem variant to init, NULL if not ours */
	bench_copy_fn copy;
	bool (*usable)(void);
	double *gbps;		/* per block size, best pass */
};

/* The upstream kernel's algorithm, written out on its own as a baseline. */
static inline void bench_clwb_range(char *p, size_t n)
{
	unsigned long a = (unsigned long)p & ~63UL;

	for (; a < (unsigned long)p + n; a += 64)
		asm volatile("clwb %0" : "+m" (*(char *)a));
}

static void bench_seed_movnti(void *dst_, const void *src_, size_t n)
{
	char *dst = dst_;
	const char *src = src_;

	if ((unsigned long)dst & 7) {
		size_t len = min_t(size_t, n, 8 - ((unsigned long)dst & 7));

		memcpy(dst, src, len);
		bench_clwb_range(dst, len);
		dst += len;
		src += len;
		n -= len;
	}
	for (; n >= 32; n -= 32, dst += 32, src += 32)
		asm volatile("movq (%0), %%r8\n\t"
			     "movq 8(%0), %%r9\n\t"
			     "movq 16(%0), %%r10\n\t"
			     "movq 24(%0), %%r11\n\t"
			     "movnti %%r8, (%1)\n\t"
			     "movnti %%r9, 8(%1)\n\t"
			     "movnti %%r10, 16(%1)\n\t"
			     "movnti %%r11, 24(%1)"
			     : : "r" (src), "r" (dst)
			     : "memory", "r8", "r9", "r10", "r11");
	for (; n >= 8; n -= 8, dst += 8, src += 8)
		asm volatile("movq (%0), %%r8\n\t"
			     "movnti %%r8, (%1)"
			     : : "r" (src), "r" (dst) : "memory", "r8");
	for (; n >= 4; n -= 4, dst += 4, src += 4)
		asm volatile("movl (%0), %%r8d\n\t"
			     "movnti %%r8d, (%1)"
			     : : "r" (src), "r" (dst) : "memory", "r8");
	if (n) {
		memcpy(dst, src, n);
		bench_clwb_range(dst, n);
	}
}

static void bench_libpmem(void *dst, const void *src, size_t n)
{
	pmem_memcpy_nodrain(dst, src, n);
}

static void bench_memcpy_clwb(void *dst, const void *src, size_t n)
{
	memcpy(dst, src, n);
	bench_clwb_range(dst, n);
}

/*
 * Streaming stores from a register, widest the CPU has: no source traffic.
 * The pattern is not zero on purpose: on this machine all-zero lines are
 * written about 3x faster than any other data, which would make this no
 * ceiling for a copy of real data.
 */
static void bench_nt_fill(void *dst_, const void *src, size_t n)
{
	unsigned long head = -(unsigned long)dst_ & 63;
	char *dst = (char *)dst_ + head;
	u32 pat = 0x5aa5c33c;

	(void)src;
	n = n > head ? n - head : 0;
	if (__builtin_cpu_supports("avx512f")) {
		asm volatile("vpbroadcastd %0, %%zmm0" : : "r" (pat) : "xmm0");
		for (; n >= 64; n -= 64, dst += 64)
			asm volatile("vmovntdq %%zmm0, (%0)"
				     : : "r" (dst) : "memory");
	} else {
		asm volatile("vmovd %0, %%xmm0\n\t"
			     "vpbroadcastd %%xmm0, %%ymm0" : : "r" (pat) : "xmm0");
		for (; n >= 64; n -= 64, dst += 64)
			asm volatile("vmovntdq %%ymm0, (%0)\n\t"
				     "vmovntdq %%ymm0, 32(%0)"
				     : : "r" (dst) : "memory");
	}
	asm volatile("vzeroupper" : : : "memory");
}

static bool bench_always(void)
{
	return true;
}

static bool bench_has_clwb(void)
{
	return __builtin_cpu_supports("clwb");
}

static bool bench_has_avx(void)
{
	return __builtin_cpu_supports("avx2");
}

/*
 * Other work on a shared machine (QEMU guests here) preempts us; by default
 * count only the time this thread was on the CPU (-w: wall clock).
 */
static clockid_t bench_clock = CLOCK_THREAD_CPUTIME_ID;

static double bench_now(void)
{
	struct timespec ts;

	clock_gettime(bench_clock, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Source buffer cycled through; 4 MiB: larger than L2, as a page cache is. */
static size_t bench_src_len = 4UL << 20;

static double bench_pass(bench_copy_fn copy, char *dst, size_t region,
			 const char *src, size_t block)
{
	double t0 = bench_now();
	size_t off;

	for (off = 0; off + block <= region; off += block)
		copy(dst + off, src + off % bench_src_len, block);
	fcpmem_sfence();
	return bench_now() - t0;
}

static void bench_add(struct bench_variant *v, size_t *nv, const char *name,
		      const char *force, bench_copy_fn copy,
		      bool (*usable)(void))
{
	v[*nv].name = name;
	v[*nv].force = force;
	v[*nv].copy = copy;
	v[*nv].usable = usable;
	(*nv)++;
}

static void *bench_map(size_t len)
{
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	madvise(p, len, MADV_HUGEPAGE);
	memset(p, 0x5a, len);	/* fault it all in before timing */
	return p;
}

static void bench_usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-s region_MiB] [-S src_KiB] [-r passes] [-c cpu] [-o outdir]\n"
		"          [-b min_block] [-B max_block] [-a dst_offset] [-w]\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	static const char * const ours[] = { "avx512", "avx2", "movnti" };
	static struct bench_variant v[16];
	size_t region = 1024UL << 20, bmin = 64, bmax = 1UL << 20, off = 0;
	size_t nb, nv = 0, i, k, b, block;
	const char *outdir = "out";
	int passes = 3, cpu = -1, opt, r;
	static char dflt_force[16];
	char path[4096], dflt[64], *dst, *src, *base;
	FILE *csv, *dat;
	cpu_set_t set;

	while ((opt = getopt(argc, argv, "s:S:r:c:o:b:B:a:wh")) != -1) {
		switch (opt) {
		case 's':
			region = strtoull(optarg, NULL, 0) << 20;
			break;
		case 'r':
			passes = atoi(optarg);
			break;
		case 'c':
			cpu = atoi(optarg);
			break;
		case 'o':
			outdir = optarg;
			break;
		case 'b':
			bmin = strtoull(optarg, NULL, 0);
			break;
		case 'B':
			bmax = strtoull(optarg, NULL, 0);
			break;
		case 'a':
			off = strtoull(optarg, NULL, 0);
			break;
		case 'S':
			bench_src_len = strtoull(optarg, NULL, 0) << 10;
			break;
		case 'w':
			bench_clock = CLOCK_MONOTONIC;
			break;
		default:
			bench_usage(argv[0]);
		}
	}
	if (!region || passes < 1 || !bmin || bmin > bmax || bmax > region ||
	    bmax > bench_src_len || (bmin & (bmin - 1)))
		bench_usage(argv[0]);

	if (cpu < 0)
		cpu = sysconf(_SC_NPROCESSORS_ONLN) - 1;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		return 1;
	}

	base = bench_map(region + 4096);
	dst = base + off;
	src = bench_map(bench_src_len + 4096);
	for (k = 0; k < bench_src_len; k++)
		src[k] = (char)(k * 131 + 7);

	/*
	 * "default" is what the module would pick on this CPU: init, then
	 * the timing on the destination, as the driver does on its first
	 * region. The others by name.
	 */
	if (fcpmem_flushcache_init(NULL))
		return 1;
	fcpmem_flushcache_tune(dst, region);
	fcpmem_host_quiet = true;	/* re-init before every pass */
	snprintf(dflt_force, sizeof(dflt_force), "%s",
		 fcpmem_flushcache_variant());
	snprintf(dflt, sizeof(dflt), "%s + %s", fcpmem_flushcache_variant(),
		 fcpmem_flushcache_wb_insn());
	bench_add(v, &nv, "fcpmem-default", dflt_force, bench_fcpmem_copy,
		  bench_always);
	for (i = 0; i < ARRAY_SIZE(ours); i++) {
		static char names[ARRAY_SIZE(ours)][32];

		if (fcpmem_flushcache_init(ours[i]))
			continue;
		snprintf(names[i], sizeof(names[i]), "fcpmem-%s", ours[i]);
		bench_add(v, &nv, names[i], ours[i], bench_fcpmem_copy,
			  bench_always);
	}
	bench_add(v, &nv, "seed-movnti", NULL, bench_seed_movnti,
		  bench_has_clwb);
	bench_add(v, &nv, "libpmem", NULL, bench_libpmem, bench_always);
	bench_add(v, &nv, "memcpy-clwb", NULL, bench_memcpy_clwb,
		  bench_has_clwb);
	bench_add(v, &nv, "nt-fill", NULL, bench_nt_fill, bench_has_avx);

	for (nb = 0, block = bmin; block <= bmax; block *= 2)
		nb++;
	for (i = 0; i < nv; i++) {
		v[i].gbps = calloc(nb, sizeof(double));
		if (!v[i].gbps)
			return 1;
	}

	printf("# region %zu MiB, dst offset %zu, best of %d, cpu %d, %s time, fcpmem default %s, libpmem %s\n",
	       region >> 20, off, passes, cpu,
	       bench_clock == CLOCK_MONOTONIC ? "wall" : "on-CPU", dflt,
	       getenv("PMEM_AVX512F") ? "PMEM_AVX512F set" : "defaults");
	fflush(stdout);

	for (b = 0, block = bmin; block <= bmax; block *= 2, b++) {
		size_t len = region & ~(block - 1);
		double t;

		for (r = 0; r < passes; r++) {
			for (i = 0; i < nv; i++) {
				if (!v[i].usable())
					continue;
				if (v[i].force &&
				    fcpmem_flushcache_init(v[i].force))
					return 1;
				t = bench_pass(v[i].copy, dst, len, src, block);
				if (len / t / 1e9 > v[i].gbps[b])
					v[i].gbps[b] = len / t / 1e9;
			}
		}
		fprintf(stderr, "# done %zu-byte blocks\n", block);
	}

	mkdir(outdir, 0755);
	snprintf(path, sizeof(path), "%s/bench-flush.csv", outdir);
	csv = fopen(path, "w");
	snprintf(path, sizeof(path), "%s/bench-flush.dat", outdir);
	dat = fopen(path, "w");
	if (!csv || !dat) {
		perror(path);
		return 1;
	}
	fprintf(csv, "variant,block_bytes,gbps\n");
	printf("%10s", "block");
	fprintf(dat, "block");
	for (i = 0; i < nv; i++) {
		printf(" %15s", v[i].name);
		fprintf(dat, " %s", v[i].name);
	}
	printf("\n");
	fprintf(dat, "\n");
	for (b = 0, block = bmin; block <= bmax; block *= 2, b++) {
		printf("%10zu", block);
		fprintf(dat, "%zu", block);
		for (i = 0; i < nv; i++) {
			printf(" %15.2f", v[i].gbps[b]);
			fprintf(dat, " %.3f", v[i].gbps[b]);
			if (v[i].gbps[b] > 0)
				fprintf(csv, "%s,%zu,%.3f\n", v[i].name,
					block, v[i].gbps[b]);
		}
		printf("\n");
		fprintf(dat, "\n");
	}
	printf("# GB/s = 1e9 bytes per second\n");
	fclose(csv);
	fclose(dat);
	return 0;
}
