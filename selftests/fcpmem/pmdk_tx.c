// SPDX-License-Identifier: GPL-2.0
/*
 * PMDK on a DAX file over fcpmem: what libpmem decides about the mapping,
 * and a libpmemobj pool that grows one record per transaction.
 *
 *   pmdk_tx is-pmem FILE            pmem_map_file() FILE (created, 4 MiB),
 *                                   print "is_pmem=N"
 *   pmdk_tx append POOL N [REPORT]  N transactions (0: until killed or the
 *                                   pool is full), each appending a record
 *                                   to the list in the root object; after
 *                                   each commit returned, its sequence
 *                                   number goes to REPORT (one line each,
 *                                   O_DSYNC: the host reads it)
 *   pmdk_tx verify POOL [R]         walk the list: records 1, 2, ... in
 *                                   order, each checksum right, the root's
 *                                   count and tail agree with the walk, and
 *                                   at least R records (the ones reported)
 *
 * POOL comes from "pmempool create obj --layout fcpmem_tx". Exit 0 on
 * success; diagnostics on stderr, the result on stdout.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libpmem.h>
#include <libpmemobj.h>

#include "kselftest.h"

#define LAYOUT "fcpmem_tx"

/* Diagnostics of the first few bad records only. */
#define MAX_DIAG 5

struct fcpmem_tx_root {
	PMEMoid head;
	PMEMoid tail;
	uint64_t count;		/* records in the list */
	uint64_t seq_sum;	/* sum of their sequence numbers */
};

struct fcpmem_tx_rec {
	uint64_t seq;		/* 1, 2, 3, ... */
	uint64_t len;		/* payload bytes */
	PMEMoid next;
	uint64_t csum;		/* over seq, len and the payload */
	unsigned char payload[];
};

/*
 * Payloads of 64 to about 1 KiB: records span several cache lines and
 * most end mid line, so a partly persisted record shows in its checksum.
 */
static uint64_t fcpmem_tx_len(uint64_t seq)
{
	return 64 + (seq * 37) % 960;
}

static unsigned char fcpmem_tx_byte(uint64_t seq, uint64_t i)
{
	uint64_t x = (seq * 0x9e3779b97f4a7c15ull) ^ (i * 0xbf58476d1ce4e5b9ull);

	return (unsigned char)(x >> 33);
}

/* FNV-1a, 64 bit. */
static uint64_t fcpmem_tx_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--) {
		h ^= *c++;
		h *= 0x100000001b3ull;
	}
	return h;
}

static uint64_t fcpmem_tx_csum(const struct fcpmem_tx_rec *r)
{
	uint64_t h = 0xcbf29ce484222325ull;

	h = fcpmem_tx_fnv(h, &r->seq, sizeof(r->seq));
	h = fcpmem_tx_fnv(h, &r->len, sizeof(r->len));
	return fcpmem_tx_fnv(h, r->payload, r->len);
}

static PMEMobjpool *fcpmem_tx_open(const char *pool)
{
	PMEMobjpool *pop = pmemobj_open(pool, LAYOUT);

	if (!pop)
		ksft_exit_fail_msg("pmemobj_open %s: %s\n", pool,
				   pmemobj_errormsg());
	return pop;
}

static int fcpmem_tx_is_pmem(const char *file)
{
	size_t len;
	int is_pmem;
	void *addr;

	addr = pmem_map_file(file, 4 << 20, PMEM_FILE_CREATE, 0644, &len,
			     &is_pmem);
	if (!addr)
		ksft_exit_fail_msg("pmem_map_file %s: %s\n", file,
				   pmem_errormsg());
	/* Touch it, so a mapping that cannot fault shows here. */
	pmem_memset_persist(addr, 0x5a, 4096);
	printf("is_pmem=%d\n", is_pmem);
	pmem_unmap(addr, len);
	return 0;
}

static void fcpmem_tx_report(int fd, uint64_t seq)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%" PRIu64 "\n", seq);

	if (write(fd, line, n) != n)
		ksft_exit_fail_msg("report %" PRIu64 ": %s\n", seq,
				   strerror(errno));
}

/* One transaction: a new record at the tail. 0 on commit. */
static int fcpmem_tx_append_one(PMEMobjpool *pop, PMEMoid root_oid,
				uint64_t seq)
{
	struct fcpmem_tx_root *root = pmemobj_direct(root_oid);
	uint64_t len = fcpmem_tx_len(seq);
	int ret = 0;

	TX_BEGIN(pop) {
		struct fcpmem_tx_rec *r;
		PMEMoid oid;
		uint64_t i;

		/* New memory needs no undo log: it is freed on abort. */
		oid = pmemobj_tx_alloc(sizeof(*r) + len, 1);
		r = pmemobj_direct(oid);
		r->seq = seq;
		r->len = len;
		r->next = OID_NULL;
		for (i = 0; i < len; i++)
			r->payload[i] = fcpmem_tx_byte(seq, i);
		r->csum = fcpmem_tx_csum(r);

		if (OID_IS_NULL(root->tail)) {
			pmemobj_tx_add_range(root_oid, 0, sizeof(*root));
			root->head = oid;
		} else {
			struct fcpmem_tx_rec *t = pmemobj_direct(root->tail);

			pmemobj_tx_add_range_direct(&t->next, sizeof(t->next));
			t->next = oid;
			pmemobj_tx_add_range(root_oid, 0, sizeof(*root));
		}
		root->tail = oid;
		root->count++;
		root->seq_sum += seq;
	} TX_ONABORT {
		ret = -1;
	} TX_END
	return ret;
}

static int fcpmem_tx_append(const char *pool, uint64_t n, const char *report)
{
	PMEMobjpool *pop = fcpmem_tx_open(pool);
	PMEMoid root_oid = pmemobj_root(pop, sizeof(struct fcpmem_tx_root));
	struct fcpmem_tx_root *root;
	uint64_t seq, done = 0;
	int fd = -1;

	if (OID_IS_NULL(root_oid))
		ksft_exit_fail_msg("pmemobj_root: %s\n", pmemobj_errormsg());
	root = pmemobj_direct(root_oid);
	if (report) {
		fd = open(report, O_WRONLY | O_CREAT | O_APPEND | O_DSYNC,
			  0644);
		if (fd < 0)
			ksft_exit_fail_msg("open %s: %s\n", report,
					   strerror(errno));
	}
	seq = root->count;
	while (!n || done < n) {
		seq++;
		if (fcpmem_tx_append_one(pop, root_oid, seq)) {
			/* Out of space ends an endless run; else it is a failure. */
			if (!n && errno == ENOMEM)
				break;
			ksft_exit_fail_msg("transaction %" PRIu64 " aborted: %s\n",
					   seq, pmemobj_errormsg());
		}
		/* Only now is the record committed: tell the host. */
		if (fd >= 0)
			fcpmem_tx_report(fd, seq);
		done++;
	}
	printf("appended %" PRIu64 ", records %" PRIu64 "\n", done,
	       root->count);
	pmemobj_close(pop);
	return 0;
}

static int fcpmem_tx_verify(const char *pool, uint64_t reported)
{
	PMEMobjpool *pop = fcpmem_tx_open(pool);
	PMEMoid root_oid = pmemobj_root(pop, sizeof(struct fcpmem_tx_root));
	struct fcpmem_tx_root *root = pmemobj_direct(root_oid);
	uint64_t seq = 0, sum = 0, bad = 0, i;
	PMEMoid oid, last = OID_NULL;

	for (oid = root->head; !OID_IS_NULL(oid);) {
		const struct fcpmem_tx_rec *r = pmemobj_direct(oid);
		int ok = r && r->seq == seq + 1 && r->len == fcpmem_tx_len(seq + 1) &&
			 r->csum == fcpmem_tx_csum(r);

		for (i = 0; ok && i < r->len; i++)
			ok = r->payload[i] == fcpmem_tx_byte(r->seq, i);
		if (!ok) {
			if (++bad <= MAX_DIAG)
				ksft_print_msg("record %" PRIu64 " torn or out of order (seq %" PRIu64 ")\n",
					       seq + 1, r ? r->seq : 0);
			break;
		}
		seq++;
		sum += r->seq;
		last = oid;
		oid = r->next;
	}
	if (seq != root->count || sum != root->seq_sum ||
	    !OID_EQUALS(last, root->tail)) {
		ksft_print_msg("root says %" PRIu64 " records (sum %" PRIu64 "), the list has %" PRIu64 " (sum %" PRIu64 ")%s\n",
			       root->count, root->seq_sum, seq, sum,
			       OID_EQUALS(last, root->tail) ? "" :
			       ", tail is not the last record");
		bad++;
	}
	if (seq < reported) {
		ksft_print_msg("%" PRIu64 " committed records reported, %" PRIu64 " in the pool: %" PRIu64 " lost\n",
			       reported, seq, reported - seq);
		bad++;
	}
	printf("records=%" PRIu64 " reported=%" PRIu64 " beyond=%" PRIu64 " bad=%" PRIu64 "\n",
	       seq, reported, seq > reported ? seq - reported : 0, bad);
	pmemobj_close(pop);
	return bad ? 1 : 0;
}

static uint64_t fcpmem_tx_u64(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || !*s || *end)
		ksft_exit_fail_msg("not a number: %s\n", s);
	return v;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "is-pmem"))
		return fcpmem_tx_is_pmem(argv[2]);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "append"))
		return fcpmem_tx_append(argv[2], fcpmem_tx_u64(argv[3]),
					argc == 5 ? argv[4] : NULL);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "verify"))
		return fcpmem_tx_verify(argv[2],
					argc == 4 ? fcpmem_tx_u64(argv[3]) : 0);
	fprintf(stderr,
		"usage: pmdk_tx is-pmem FILE | append POOL N [REPORT] | verify POOL [REPORTED]\n");
	return 2;
}
