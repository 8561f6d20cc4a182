// SPDX-License-Identifier: GPL-2.0
/*
 * A memory hog for the swap test: fills MIB MiB of anonymous memory with
 * a pattern unique to each 8-byte word, then checks every word. Run in a
 * memory cgroup smaller than MIB, the fill pushes pages out to swap and
 * the check pulls them back in, so a page swapped to the wrong place, or
 * read back stale, shows as a bad word.
 *
 * With WAITFILE, it prints "filled" after the fill and waits for WAITFILE
 * to appear before the check (so swapoff can run in between).
 *
 * Usage: swap_hog MIB [WAITFILE]; exit 0 when every word was right.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define WAIT_STEP_US	100000
#define WAIT_MAX	6000	/* steps: 10 minutes */

/* An odd multiplier is a bijection: no two words of the run match. */
static uint64_t pattern(size_t i)
{
	return (i + 1) * 0x9e3779b97f4a7c15ULL ^ 0x5a5a5a5a00000000ULL;
}

int main(int argc, char **argv)
{
	size_t bytes, words, i, bad = 0;
	uint64_t *mem;
	long mib;
	int n;

	mib = argc >= 2 ? strtol(argv[1], NULL, 0) : 0;
	if (argc > 3 || mib <= 0) {
		fprintf(stderr, "usage: %s MIB [WAITFILE]\n", argv[0]);
		return 2;
	}
	bytes = (size_t)mib << 20;
	words = bytes / sizeof(*mem);
	mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		fprintf(stderr, "mmap %ld MiB: %s\n", mib, strerror(errno));
		return 2;
	}
	for (i = 0; i < words; i++)
		mem[i] = pattern(i);

	if (argc == 3) {
		printf("filled\n");
		fflush(stdout);
		for (n = 0; access(argv[2], F_OK); n++) {
			if (n == WAIT_MAX) {
				fprintf(stderr, "%s never appeared\n", argv[2]);
				return 2;
			}
			usleep(WAIT_STEP_US);
		}
	}

	for (i = 0; i < words; i++) {
		if (mem[i] == pattern(i))
			continue;
		if (bad++ < 5)
			fprintf(stderr, "word at byte %zu: %#llx, expected %#llx\n",
				i * sizeof(*mem), (unsigned long long)mem[i],
				(unsigned long long)pattern(i));
	}
	printf("checked %ld MiB: %zu bad words\n", mib, bad);
	return bad ? 1 : 0;
}
