// SPDX-License-Identifier: GPL-2.0
/*
 * fcpmemctl output: rows of named fields, printed as an aligned table or
 * as a JSON array of objects. Columns come in the order of first
 * appearance; numbers are right-aligned, text left-aligned. JSON is json-c's
 * (every string escaped); the table shows control characters of a name as
 * \xNN, so an odd sysfs name cannot break a line or a column.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fcpmemctl.h"

struct fcpmemctl_col {
	char *name;
	bool numeric;		/* right-aligned */
	size_t width;		/* widest cell or header, in bytes */
};

struct fcpmemctl_row {
	char **text;		/* per column; NULL: no such field ("-") */
	int ntext;
	json_object *obj;
};

struct fcpmemctl_table {
	bool upper;		/* every header upper case, else only DISK */
	struct fcpmemctl_col *col;
	int ncol;
	struct fcpmemctl_row *row;
	int nrow;
};

/**
 * fcpmemctl_table_new() - an empty table
 * @upper_headers: print every header in upper case (list); else only the
 *	first column's "disk" is (stats keeps the sysfs file names)
 *
 * Return: the table.
 */
struct fcpmemctl_table *fcpmemctl_table_new(bool upper_headers)
{
	struct fcpmemctl_table *t = fcpmemctl_alloc(sizeof(*t));

	t->upper = upper_headers;
	return t;
}

/**
 * fcpmemctl_table_row() - start a row; the fields that follow go into it
 * @t: the table
 */
void fcpmemctl_table_row(struct fcpmemctl_table *t)
{
	t->row = realloc(t->row, sizeof(*t->row) * (t->nrow + 1));
	if (!t->row) {
		fcpmemctl_err("out of memory");
		exit(FCPMEMCTL_EXIT_FAIL);
	}
	memset(&t->row[t->nrow], 0, sizeof(*t->row));
	t->row[t->nrow].obj = json_object_new_object();
	t->nrow++;
}

static int fcpmemctl_table_col(struct fcpmemctl_table *t, const char *name)
{
	int c;

	for (c = 0; c < t->ncol; c++)
		if (!strcmp(t->col[c].name, name))
			return c;
	t->col = realloc(t->col, sizeof(*t->col) * (t->ncol + 1));
	if (!t->col) {
		fcpmemctl_err("out of memory");
		exit(FCPMEMCTL_EXIT_FAIL);
	}
	memset(&t->col[c], 0, sizeof(*t->col));
	t->col[c].name = fcpmemctl_strdup(name);
	t->ncol++;
	return c;
}

/**
 * fcpmemctl_table_declare() - a column before any row has it, so that an
 * empty table still prints its header
 * @t: the table
 * @col: the column
 * @numeric: right-aligned
 */
void fcpmemctl_table_declare(struct fcpmemctl_table *t, const char *col,
			     bool numeric)
{
	int c = fcpmemctl_table_col(t, col);

	if (numeric)
		t->col[c].numeric = true;
}

/* What the table shows for @s: control characters as \xNN. */
static char *fcpmemctl_printable(const char *s)
{
	char *out = fcpmemctl_alloc(4 * strlen(s) + 1), *o = out;

	for (; *s; s++) {
		unsigned char ch = *s;

		if (ch < 0x20 || ch == 0x7f)
			o += sprintf(o, "\\x%02x", ch);
		else
			*o++ = ch;
	}
	*o = '\0';
	return out;
}

static void fcpmemctl_table_set(struct fcpmemctl_table *t, const char *col,
				char *text, json_object *val, bool numeric)
{
	struct fcpmemctl_row *r = &t->row[t->nrow - 1];
	int c = fcpmemctl_table_col(t, col);

	if (numeric)
		t->col[c].numeric = true;
	if (c >= r->ntext) {
		r->text = realloc(r->text, sizeof(*r->text) * (c + 1));
		if (!r->text) {
			fcpmemctl_err("out of memory");
			exit(FCPMEMCTL_EXIT_FAIL);
		}
		memset(&r->text[r->ntext], 0,
		       sizeof(*r->text) * (c + 1 - r->ntext));
		r->ntext = c + 1;
	}
	free(r->text[c]);
	r->text[c] = text;
	json_object_object_add(r->obj, col, val);
}

/**
 * fcpmemctl_table_str() - a text field of the current row
 * @t: the table
 * @col: the column (JSON key)
 * @val: the text
 */
void fcpmemctl_table_str(struct fcpmemctl_table *t, const char *col,
			 const char *val)
{
	fcpmemctl_table_set(t, col, fcpmemctl_printable(val),
			    json_object_new_string(val), false);
}

/**
 * fcpmemctl_table_u64() - a number field of the current row
 * @t: the table
 * @col: the column (JSON key)
 * @val: the number
 */
void fcpmemctl_table_u64(struct fcpmemctl_table *t, const char *col,
			 uint64_t val)
{
	fcpmemctl_table_set(t, col,
			    fcpmemctl_path("%llu", (unsigned long long)val),
			    json_object_new_uint64(val), true);
}

/**
 * fcpmemctl_table_fixed() - a number with a fixed number of decimals,
 * printed the same way in the table and in JSON
 * @t: the table
 * @col: the column (JSON key)
 * @val: the number
 * @decimals: digits after the point
 */
void fcpmemctl_table_fixed(struct fcpmemctl_table *t, const char *col,
			   double val, int decimals)
{
	char *text = fcpmemctl_path("%.*f", decimals, val);

	fcpmemctl_table_set(t, col, text, json_object_new_double_s(val, text),
			    true);
}

/**
 * fcpmemctl_table_bool() - a true/false field of the current row
 * @t: the table
 * @col: the column (JSON key)
 * @val: the value
 * @on: what the table shows for true
 * @off: what the table shows for false
 */
void fcpmemctl_table_bool(struct fcpmemctl_table *t, const char *col,
			  bool val, const char *on, const char *off)
{
	fcpmemctl_table_set(t, col, fcpmemctl_strdup(val ? on : off),
			    json_object_new_boolean(val), false);
}

/**
 * fcpmemctl_table_null() - a field without a value: "-", JSON null
 * @t: the table
 * @col: the column (JSON key)
 */
void fcpmemctl_table_null(struct fcpmemctl_table *t, const char *col)
{
	fcpmemctl_table_set(t, col, NULL, NULL, false);
}

static const char *fcpmemctl_cell(struct fcpmemctl_row *r, int c)
{
	return c < r->ntext && r->text[c] ? r->text[c] : "-";
}

static char *fcpmemctl_header(struct fcpmemctl_table *t, int c)
{
	char *h = fcpmemctl_printable(t->col[c].name), *p;

	if (t->upper || (c == 0 && !strcmp(h, "disk")))
		for (p = h; *p; p++)
			*p = toupper((unsigned char)*p);
	return h;
}

static void fcpmemctl_print_json(struct fcpmemctl_table *t, bool one_line)
{
	json_object *arr;
	int flags = JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE;
	int r;

	/* json-c prints an empty pretty array over two lines */
	if (!t->nrow) {
		puts("[]");
		return;
	}
	if (!one_line)
		flags |= JSON_C_TO_STRING_PRETTY;
	arr = json_object_new_array();
	for (r = 0; r < t->nrow; r++)
		json_object_array_add(arr, json_object_get(t->row[r].obj));
	puts(json_object_to_json_string_ext(arr, flags));
	json_object_put(arr);
}

static void fcpmemctl_print_text(struct fcpmemctl_table *t)
{
	char **hdr = fcpmemctl_alloc(sizeof(*hdr) * (t->ncol + 1));
	int r, c;

	for (c = 0; c < t->ncol; c++) {
		hdr[c] = fcpmemctl_header(t, c);
		t->col[c].width = strlen(hdr[c]);
		for (r = 0; r < t->nrow; r++) {
			size_t w = strlen(fcpmemctl_cell(&t->row[r], c));

			if (w > t->col[c].width)
				t->col[c].width = w;
		}
	}
	/* row -1 is the header */
	for (r = -1; r < t->nrow; r++) {
		for (c = 0; c < t->ncol; c++) {
			const char *v = r < 0 ? hdr[c] :
				fcpmemctl_cell(&t->row[r], c);
			int w = (int)t->col[c].width;

			if (c)
				fputs("  ", stdout);
			if (t->col[c].numeric)
				printf("%*s", w, v);
			else if (c < t->ncol - 1)
				printf("%-*s", w, v);
			else
				fputs(v, stdout);
		}
		if (t->ncol)
			putchar('\n');
	}
	for (c = 0; c < t->ncol; c++)
		free(hdr[c]);
	free(hdr);
}

/**
 * fcpmemctl_table_print() - print the table on stdout, as --json says
 * @t: the table
 * @json_one_line: JSON on one line (a watch report), else indented
 */
void fcpmemctl_table_print(struct fcpmemctl_table *t, bool json_one_line)
{
	if (fcpmemctl_opts.json)
		fcpmemctl_print_json(t, json_one_line);
	else
		fcpmemctl_print_text(t);
	fflush(stdout);
}

/**
 * fcpmemctl_table_free() - free a table
 * @t: the table
 */
void fcpmemctl_table_free(struct fcpmemctl_table *t)
{
	int r, c;

	for (r = 0; r < t->nrow; r++) {
		for (c = 0; c < t->row[r].ntext; c++)
			free(t->row[r].text[c]);
		free(t->row[r].text);
		json_object_put(t->row[r].obj);
	}
	for (c = 0; c < t->ncol; c++)
		free(t->col[c].name);
	free(t->row);
	free(t->col);
	free(t);
}
