// SPDX-License-Identifier: GPL-2.0
/*
 * crashlog - checksummed records for fcpmem's power-cut and reboot tests.
 * Runs in the guest; built on the host (tools/crash/Makefile).
 *
 *   crashlog append -k KIND -p PATH -e EPOCH -r REPORT [-l BYTES]
 *                   [-o OFFSET -n SIZE]
 *	Append records to PATH until BYTES are written (or the power is
 *	cut), making each durable the way KIND says, and only then append its
 *	sequence number to REPORT (a file on the host, opened O_DSYNC).
 *   crashlog check -k KIND -p PATH -e EPOCH -R REPORTED [-l BYTES]
 *                  [-o OFFSET -n SIZE]
 *	After the cut: every record 1..REPORTED must be intact; records
 *	after it may be intact, torn or absent; an intact record after one
 *	that is not is a failure (it was written only after the earlier one's
 *	flush returned). Prints one summary line; exits 1 on any failure.
 *   crashlog pattern -w|-v -p DEV -e SEED
 *	Fill the whole of DEV with a pattern of SEED (O_DIRECT, then fsync),
 *	or verify every byte of it.
 *
 * KIND is how a record is made durable before it is reported:
 *   fdatasync  write(2) to one file, then fdatasync()
 *   fsync-new  a new file PATH.NNNNN every 32 records (the directory is
 *              fsync'ed after each create), write(2), then fsync()
 *   odsync     write(2) to one file opened O_APPEND | O_DSYNC
 *   mapsync    stores to a MAP_SYNC mapping of a file ftruncate'd to BYTES,
 *              then clflush of each line and sfence
 *   raw-fua    pwrite(2) with O_DIRECT | O_DSYNC to a block device (fcpmem
 *              turns it into a REQ_FUA bio), records sector-aligned
 *   raw-flush  buffered pwrite(2) to a block device, then fdatasync() (a
 *              REQ_PREFLUSH), records sector-aligned
 *
 * Record layout: a 32-byte header, then the payload. The payload and its
 * length are a function of (epoch, kind, seq), so the checker knows where
 * every record must be and what it must contain, whether or not the ones
 * before it survived; the hash alone decides whether a header that looks
 * right belongs to a whole record.
 */
#define _GNU_SOURCE
#include <emmintrin.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/fs.h>

#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

#define CRASHLOG_MAGIC	0x52435046u	/* "FPCR" */
#define SECTOR		512u
#define LINE		64u
#define ROTATE		32u		/* fsync-new: records per file */
#define MAX_PAYLOAD	(64u << 10)
#define LOOKAHEAD	16u		/* records checked past the first gap */
#define MAX_DIAG	5u		/* lines about lost records, per kind */
#define PATTERN_CHUNK	(1u << 20)

struct crash_rec {
	uint32_t magic;		/* CRASHLOG_MAGIC */
	uint32_t len;		/* payload bytes after this header */
	uint64_t seq;		/* 1, 2, ... per (epoch, kind) */
	uint32_t epoch;		/* one per power-cut cycle */
	uint32_t kind;		/* enum crash_kind */
	uint64_t hash;		/* of this header (hash = 0) and the payload */
};

enum crash_kind {
	K_FDATASYNC,
	K_FSYNC_NEW,
	K_ODSYNC,
	K_MAPSYNC,
	K_RAW_FUA,
	K_RAW_FLUSH,
	K_NR,
};

static const char * const kind_names[K_NR] = {
	"fdatasync", "fsync-new", "odsync", "mapsync", "raw-fua", "raw-flush",
};

static int is_raw(int kind)
{
	return kind == K_RAW_FUA || kind == K_RAW_FLUSH;
}

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "crashlog: ");
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rec_seed(uint32_t epoch, int kind, uint64_t seq)
{
	return ((uint64_t)epoch << 40) ^ ((uint64_t)kind << 56) ^ seq;
}

/* Mostly small records, some of a few pages, a few up to 64 KiB. */
static uint32_t rec_len(uint32_t epoch, int kind, uint64_t seq)
{
	uint64_t s = rec_seed(epoch, kind, seq) ^ 0x5a5a5a5a5a5a5a5aull;
	uint64_t r = splitmix(&s);
	unsigned int class = r % 16;

	r >>= 8;
	if (class < 10)
		return 1 + r % 512;
	if (class < 14)
		return 513 + r % (8192 - 512);
	return 8193 + r % (MAX_PAYLOAD - 8192);
}

static void fill_payload(unsigned char *p, uint32_t len, uint32_t epoch,
			 int kind, uint64_t seq)
{
	uint64_t s = rec_seed(epoch, kind, seq);
	uint32_t i;
	uint64_t w;

	for (i = 0; i + 8 <= len; i += 8) {
		w = splitmix(&s);
		memcpy(p + i, &w, 8);
	}
	if (i < len) {
		w = splitmix(&s);
		memcpy(p + i, &w, len - i);
	}
}

static uint64_t hash_bytes(uint64_t h, const unsigned char *p, size_t n)
{
	uint64_t w;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	if (i < n) {
		w = 0;
		memcpy(&w, p + i, n - i);
		h = (h ^ w ^ ((uint64_t)(n - i) << 56)) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	return h ^ n;
}

static uint64_t rec_hash(const struct crash_rec *hdr, const unsigned char *payload)
{
	struct crash_rec h = *hdr;

	h.hash = 0;
	return hash_bytes(hash_bytes(0x6a09e667f3bcc908ull,
				     (const unsigned char *)&h, sizeof(h)),
			  payload, hdr->len);
}

/* Bytes a record takes in its stream: raw records start on a sector. */
static uint64_t rec_span(int kind, uint32_t len)
{
	uint64_t n = sizeof(struct crash_rec) + len;

	return is_raw(kind) ? (n + SECTOR - 1) / SECTOR * SECTOR : n;
}

/* Header and payload of record @seq, padded with zeroes to its span. */
static uint64_t build_rec(unsigned char *buf, uint32_t epoch, int kind,
			  uint64_t seq)
{
	struct crash_rec hdr = {
		.magic = CRASHLOG_MAGIC,
		.len = rec_len(epoch, kind, seq),
		.seq = seq,
		.epoch = epoch,
		.kind = kind,
	};
	uint64_t span = rec_span(kind, hdr.len);

	memset(buf, 0, span);
	fill_payload(buf + sizeof(hdr), hdr.len, epoch, kind, seq);
	hdr.hash = rec_hash(&hdr, buf + sizeof(hdr));
	memcpy(buf, &hdr, sizeof(hdr));
	return span;
}

static int parse_kind(const char *s)
{
	int k;

	for (k = 0; k < K_NR; k++)
		if (!strcmp(s, kind_names[k]))
			return k;
	die("unknown kind '%s'", s);
	return -1;
}

static uint64_t parse_u64(const char *s)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || end == s)
		die("not a number: '%s'", s);
	if (*end == 'K' || *end == 'M' || *end == 'G') {
		v <<= *end == 'K' ? 10 : *end == 'M' ? 20 : 30;
		end++;
	}
	if (*end)
		die("not a number: '%s'", s);
	return v;
}

struct opts {
	int kind;
	const char *path;
	const char *report;
	uint32_t epoch;
	uint64_t reported;	/* check: records reported durable */
	uint64_t limit;		/* bytes to append at most */
	uint64_t offset;	/* raw: start of the stream on the device */
	uint64_t size;		/* raw: bytes of the device it may use */
	int write;		/* pattern: write (1) or verify (0) */
};

static void write_all(int fd, const void *buf, size_t n, const char *what)
{
	const char *p = buf;
	ssize_t w;

	while (n) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("write %s: %s", what, strerror(errno));
		p += w;
		n -= w;
	}
}

static void pwrite_all(int fd, const void *buf, size_t n, uint64_t off,
		       const char *what)
{
	const char *p = buf;
	ssize_t w;

	while (n) {
		w = pwrite(fd, p, n, off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			die("pwrite %s at %" PRIu64 ": %s", what, off,
			    strerror(errno));
		p += w;
		n -= w;
		off += w;
	}
}

/* The report line goes to the host only after the record is durable. */
static void report(int rfd, uint64_t seq)
{
	char line[32];
	int n = snprintf(line, sizeof(line), "%" PRIu64 "\n", seq);

	write_all(rfd, line, n, "report");
}

static void fsync_dir(const char *path)
{
	char *copy = strdup(path);
	int dfd;

	if (!copy)
		die("out of memory");
	dfd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (dfd < 0 || fsync(dfd))
		die("fsync directory of %s: %s", path, strerror(errno));
	close(dfd);
	free(copy);
}

static int open_rotated(const char *prefix, uint64_t idx)
{
	char name[4096];
	int fd;

	snprintf(name, sizeof(name), "%s.%05" PRIu64, prefix, idx);
	fd = open(name, O_WRONLY | O_CREAT | O_EXCL, 0644);
	if (fd < 0)
		die("create %s: %s", name, strerror(errno));
	fsync_dir(name);
	return fd;
}

static void flush_lines(const unsigned char *p, uint64_t n)
{
	uintptr_t a = (uintptr_t)p & ~(uintptr_t)(LINE - 1);
	uintptr_t end = (uintptr_t)p + n;

	for (; a < end; a += LINE)
		_mm_clflush((const void *)a);
	_mm_sfence();
}

/* A block device's size; a regular file stands in for one in host tests. */
static uint64_t device_size(int fd, const char *path)
{
	uint64_t size;
	struct stat st;

	if (!fstat(fd, &st) && S_ISREG(st.st_mode))
		return st.st_size;
	if (ioctl(fd, BLKGETSIZE64, &size))
		die("BLKGETSIZE64 %s: %s", path, strerror(errno));
	return size;
}

static int cmd_append(const struct opts *o)
{
	unsigned char *buf, *map = NULL;
	uint64_t seq, span, pos = 0, end = o->limit;
	int fd = -1, rfd, flags;

	if (posix_memalign((void **)&buf, 4096, rec_span(K_RAW_FUA, MAX_PAYLOAD)))
		die("out of memory");
	rfd = open(o->report, O_WRONLY | O_CREAT | O_APPEND | O_DSYNC, 0644);
	if (rfd < 0)
		die("open report %s: %s", o->report, strerror(errno));

	switch (o->kind) {
	case K_FDATASYNC:
	case K_ODSYNC:
		flags = O_WRONLY | O_CREAT | O_EXCL | O_APPEND;
		if (o->kind == K_ODSYNC)
			flags |= O_DSYNC;
		fd = open(o->path, flags, 0644);
		if (fd < 0)
			die("create %s: %s", o->path, strerror(errno));
		fsync_dir(o->path);
		break;
	case K_FSYNC_NEW:
		break;
	case K_MAPSYNC:
		fd = open(o->path, O_RDWR | O_CREAT | O_EXCL, 0644);
		if (fd < 0 || ftruncate(fd, o->limit))
			die("create %s: %s", o->path, strerror(errno));
		fsync_dir(o->path);
		map = mmap(NULL, o->limit, PROT_READ | PROT_WRITE,
			   MAP_SHARED_VALIDATE | MAP_SYNC, fd, 0);
		if (map == MAP_FAILED)
			die("mmap MAP_SYNC %s: %s", o->path, strerror(errno));
		break;
	case K_RAW_FUA:
	case K_RAW_FLUSH:
		flags = O_WRONLY;
		if (o->kind == K_RAW_FUA)
			flags |= O_DIRECT | O_DSYNC;
		fd = open(o->path, flags);
		if (fd < 0)
			die("open %s: %s", o->path, strerror(errno));
		if (o->offset % SECTOR ||
		    o->offset + o->size > device_size(fd, o->path))
			die("%s: stream outside the device", o->path);
		pos = o->offset;
		end = o->offset + o->size;
		break;
	}

	for (seq = 1; ; seq++) {
		span = build_rec(buf, o->epoch, o->kind, seq);
		if (pos + span > end)
			break;
		switch (o->kind) {
		case K_FSYNC_NEW:
			if ((seq - 1) % ROTATE == 0) {
				if (fd >= 0)
					close(fd);
				fd = open_rotated(o->path, (seq - 1) / ROTATE);
			}
			write_all(fd, buf, span, o->path);
			if (fsync(fd))
				die("fsync %s: %s", o->path, strerror(errno));
			break;
		case K_FDATASYNC:
			write_all(fd, buf, span, o->path);
			if (fdatasync(fd))
				die("fdatasync %s: %s", o->path, strerror(errno));
			break;
		case K_ODSYNC:
			write_all(fd, buf, span, o->path);
			break;
		case K_MAPSYNC:
			memcpy(map + pos, buf, span);
			flush_lines(map + pos, span);
			break;
		case K_RAW_FUA:
			pwrite_all(fd, buf, span, pos, o->path);
			break;
		case K_RAW_FLUSH:
			pwrite_all(fd, buf, span, pos, o->path);
			if (fdatasync(fd))
				die("fdatasync %s: %s", o->path, strerror(errno));
			break;
		}
		pos += span;
		report(rfd, seq);
	}
	printf("%s: %" PRIu64 " records, %" PRIu64 " bytes, limit reached\n",
	       kind_names[o->kind], seq - 1,
	       pos - (is_raw(o->kind) ? o->offset : 0));
	return 0;
}

/* The bytes a stream can be read from: a file, files, or a device range. */
struct stream {
	int kind;
	const char *path;
	int fd;			/* current file or the device */
	uint64_t idx;		/* fsync-new: open file's index */
	uint64_t base;		/* raw: device offset of the stream */
	uint64_t end;		/* raw: device offset past the stream */
};

enum verdict { V_INTACT, V_TORN, V_ABSENT };

/*
 * Read up to @n bytes at stream position @pos (for fsync-new: within file
 * @idx); returns the bytes available.
 */
static uint64_t stream_read(struct stream *s, uint64_t idx, uint64_t pos,
			    unsigned char *buf, uint64_t n)
{
	char name[4096];
	uint64_t got = 0;
	ssize_t r;

	if (s->kind == K_FSYNC_NEW && (s->fd < 0 || s->idx != idx)) {
		if (s->fd >= 0)
			close(s->fd);
		snprintf(name, sizeof(name), "%s.%05" PRIu64, s->path, idx);
		s->fd = open(name, O_RDONLY);
		s->idx = idx;
		if (s->fd < 0) {
			if (errno != ENOENT)
				die("open %s: %s", name, strerror(errno));
			return 0;
		}
	}
	if (s->fd < 0)
		return 0;
	if (is_raw(s->kind)) {
		if (pos >= s->end)
			return 0;
		if (n > s->end - pos)
			n = s->end - pos;
	}
	while (got < n) {
		r = pread(s->fd, buf + got, n - got, pos + got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("read %s at %" PRIu64 ": %s", s->path, pos + got,
			    strerror(errno));
		if (r == 0)
			break;
		got += r;
	}
	return got;
}

/*
 * Look at record @seq where it must be. Intact: header and hash match and
 * the payload is the one we wrote. Torn: a header naming this record, but
 * the rest is missing or wrong. Absent: anything else.
 */
static enum verdict examine(struct stream *s, uint32_t epoch, uint64_t seq,
			    uint64_t idx, uint64_t pos, unsigned char *got,
			    unsigned char *want)
{
	uint64_t span = build_rec(want, epoch, s->kind, seq);
	uint64_t n = stream_read(s, idx, pos, got, span);
	struct crash_rec hdr;

	if (n < sizeof(hdr))
		return V_ABSENT;
	memcpy(&hdr, got, sizeof(hdr));
	if (hdr.magic != CRASHLOG_MAGIC || hdr.epoch != epoch ||
	    hdr.kind != (uint32_t)s->kind || hdr.seq != seq)
		return V_ABSENT;
	if (hdr.len != rec_len(epoch, s->kind, seq) ||
	    n < sizeof(hdr) + hdr.len ||
	    rec_hash(&hdr, got + sizeof(hdr)) != hdr.hash ||
	    memcmp(got, want, sizeof(hdr) + hdr.len))
		return V_TORN;
	return V_INTACT;
}

static int cmd_check(const struct opts *o)
{
	struct stream s = { .kind = o->kind, .path = o->path, .fd = -1 };
	uint64_t seq, pos = 0, total = 0, idx = 0, span;
	uint64_t intact = 0, beyond = 0, torn = 0, lost = 0, gaps = 0;
	uint64_t last_intact = 0, first_bad = 0, misses = 0;
	unsigned char *got, *want;
	enum verdict v;

	got = malloc(rec_span(K_RAW_FUA, MAX_PAYLOAD));
	want = malloc(rec_span(K_RAW_FUA, MAX_PAYLOAD));
	if (!got || !want)
		die("out of memory");
	if (o->kind != K_FSYNC_NEW) {
		s.fd = open(o->path, O_RDONLY);
		if (s.fd < 0 && errno != ENOENT)
			die("open %s: %s", o->path, strerror(errno));
	}
	if (is_raw(o->kind)) {
		if (s.fd < 0)
			die("open %s: %s", o->path, strerror(ENOENT));
		s.base = pos = o->offset;
		s.end = o->offset + o->size;
	}

	/*
	 * Walk the layout the writer used. Stop LOOKAHEAD records after the
	 * first one that is not intact, once past the reported ones, or at
	 * the end of the space the writer had.
	 */
	for (seq = 1; ; seq++) {
		span = rec_span(o->kind, rec_len(o->epoch, o->kind, seq));
		if (o->kind == K_FSYNC_NEW) {
			if ((seq - 1) % ROTATE == 0)
				pos = 0;
			idx = (seq - 1) / ROTATE;
		}
		if (is_raw(o->kind) ? pos + span > s.end : total + span > o->limit)
			break;
		v = examine(&s, o->epoch, seq, idx, pos, got, want);
		if (v == V_INTACT) {
			intact++;
			if (seq > o->reported)
				beyond++;
			if (first_bad && ++gaps <= MAX_DIAG) {
				fprintf(stderr,
					"%s: record %" PRIu64 " intact after record %" PRIu64 " was not\n",
					kind_names[o->kind], seq, first_bad);
			}
			last_intact = seq;
		} else {
			if (v == V_TORN)
				torn++;
			if (seq <= o->reported && ++lost <= MAX_DIAG) {
				fprintf(stderr,
					"%s: reported record %" PRIu64 " (file %" PRIu64 ", offset %" PRIu64 ") is %s\n",
					kind_names[o->kind], seq, idx, pos,
					v == V_TORN ? "torn" : "missing");
			}
			if (!first_bad)
				first_bad = seq;
		}
		if (first_bad && seq >= o->reported && ++misses > LOOKAHEAD)
			break;
		pos += span;
		total += span;
	}
	printf("kind=%s reported=%" PRIu64 " intact=%" PRIu64 " beyond=%" PRIu64
	       " torn=%" PRIu64 " lost=%" PRIu64 " gaps=%" PRIu64 " last=%" PRIu64 "\n",
	       kind_names[o->kind], o->reported, intact, beyond, torn, lost,
	       gaps, last_intact);
	return lost || gaps ? 1 : 0;
}

/* Pattern for the reboot test: every 8 bytes depend on seed and offset. */
static void pattern_fill(uint64_t *p, uint64_t off, uint64_t n, uint64_t seed)
{
	uint64_t i, s;

	for (i = 0; i < n / 8; i++) {
		s = seed ^ (off + i * 8);
		p[i] = splitmix(&s);
	}
}

static int cmd_pattern(const struct opts *o)
{
	uint64_t size, off, n, bad = 0, first = UINT64_MAX;
	unsigned char *buf, *want;
	uint64_t i;
	int fd;

	fd = open(o->path, (o->write ? O_WRONLY : O_RDONLY) | O_DIRECT);
	if (fd < 0)
		die("open %s: %s", o->path, strerror(errno));
	size = device_size(fd, o->path);
	if (posix_memalign((void **)&buf, 4096, PATTERN_CHUNK) ||
	    posix_memalign((void **)&want, 4096, PATTERN_CHUNK))
		die("out of memory");
	for (off = 0; off < size; off += n) {
		n = size - off < PATTERN_CHUNK ? size - off : PATTERN_CHUNK;
		pattern_fill((uint64_t *)want, off, n, o->epoch);
		if (o->write) {
			pwrite_all(fd, want, n, off, o->path);
			continue;
		}
		if (pread(fd, buf, n, off) != (ssize_t)n)
			die("read %s at %" PRIu64 ": %s", o->path, off,
			    strerror(errno));
		if (!memcmp(buf, want, n))
			continue;
		for (i = 0; i < n; i += SECTOR) {
			if (!memcmp(buf + i, want + i, SECTOR))
				continue;
			bad++;
			if (first == UINT64_MAX)
				first = off + i;
		}
	}
	if (o->write && fsync(fd))
		die("fsync %s: %s", o->path, strerror(errno));
	close(fd);
	if (o->write) {
		printf("wrote %" PRIu64 " bytes\n", size);
		return 0;
	}
	if (bad)
		printf("bytes=%" PRIu64 " bad_sectors=%" PRIu64 " first_bad=%" PRIu64 "\n",
		       size, bad, first);
	else
		printf("bytes=%" PRIu64 " bad_sectors=0\n", size);
	return bad ? 1 : 0;
}

static void help_exit(void)
{
	fprintf(stderr,
		"usage: crashlog append -k KIND -p PATH -e EPOCH -r REPORT [-l BYTES] [-o OFF -n SIZE]\n"
		"       crashlog check -k KIND -p PATH -e EPOCH -R REPORTED [-l BYTES] [-o OFF -n SIZE]\n"
		"       crashlog pattern -w|-v -p DEV -e SEED\n"
		"KIND: fdatasync fsync-new odsync mapsync raw-fua raw-flush\n");
	exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = { .kind = -1, .limit = 48u << 20 };
	const char *cmd;
	int c;

	if (argc < 2)
		help_exit();
	cmd = argv[1];
	optind = 2;
	while ((c = getopt(argc, argv, "k:p:e:r:R:l:o:n:wv")) != -1) {
		switch (c) {
		case 'k':
			o.kind = parse_kind(optarg);
			break;
		case 'p':
			o.path = optarg;
			break;
		case 'e':
			o.epoch = parse_u64(optarg);
			break;
		case 'r':
			o.report = optarg;
			break;
		case 'R':
			o.reported = parse_u64(optarg);
			break;
		case 'l':
			o.limit = parse_u64(optarg);
			break;
		case 'o':
			o.offset = parse_u64(optarg);
			break;
		case 'n':
			o.size = parse_u64(optarg);
			break;
		case 'w':
		case 'v':
			o.write = c == 'w';
			break;
		default:
			help_exit();
		}
	}
	if (!o.path)
		help_exit();
	if (!strcmp(cmd, "pattern"))
		return cmd_pattern(&o);
	if (o.kind < 0 || (is_raw(o.kind) && (!o.size || o.offset % SECTOR)))
		help_exit();
	if (!strcmp(cmd, "append") && o.report)
		return cmd_append(&o);
	if (!strcmp(cmd, "check"))
		return cmd_check(&o);
	help_exit();
	return 2;
}
