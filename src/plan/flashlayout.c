/* flashlayout.c — see flashlayout.h. */
#include "flashlayout.h"
#include "n6_loaders.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define NCOLUMNS 7 /* Opt, Id, Name, Type, IP, Offset, Binary: reference §4.1 */

static const char *column_names[NCOLUMNS] = {"Opt", "Id", "Name", "Type", "IP", "Offset", "Binary"};

/* Ids the STM32 phase protocol keeps for itself (reference §4.2: U-Boot stm32prog.h and
 * TF-A stm32cubeprogrammer.h); a layout row can never be one of them. */
static const char *reserved_id(unsigned id)
{
	switch (id) {
	case 0x00: return "the flash layout itself";
	case 0xF1: return "the phase command alt";
	case 0xF2: return "OTP";
	case 0xF3: return "SSP";
	case 0xF4: return "the PMIC";
	case 0xFE: return "the end of the transfer";
	case 0xFF: return "reset and errors";
	default: return id > 0xF0 ? "the protocol's own commands" : NULL;
	}
}

/* Parse "0x1F", "31": the whole string must be the number and fit in 32 bits. */
static bool parse_u32(const char *s, uint32_t *out)
{
	if (!s[0] || s[0] == '-' || s[0] == '+' || isspace((unsigned char)s[0]))
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) ? 16 : 10);
	if (errno || *end || end == s || v > UINT32_MAX)
		return false;
	if ((s[1] == 'x' || s[1] == 'X') && !s[2])
		return false;
	*out = (uint32_t)v;
	return true;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7F)
			return false;
	return true;
}

static void trim(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		s[--n] = '\0';
	size_t k = strspn(s, " ");
	if (k)
		memmove(s, s + k, n - k + 1);
}

/* The folder part of path, with its trailing '/', or "" for a bare file name. */
static void folder_of(const char *path, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		out[0] = '\0';
	else
		snprintf(out, n, "%.*s/", (int)(slash - path), path);
}

static void row_fail_at(struct rs_error *err, const char *path, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void row_fail_at(struct rs_error *err, const char *path, int line, const char *fmt, ...)
{
	char why[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	rs_fail(err, RS_E_INPUT, "%s:%d: %s", path, line, why);
}

/* "file:line: why" into err, and RS_E_INPUT as the value: a constant the static analyzers
 * see through (as rs_fail's macro in error.h), so a row that failed is never read on. */
#define row_fail(...) (row_fail_at(__VA_ARGS__), RS_E_INPUT)

#define COPY_FIELD(dst, src) \
	(strlen(src) < sizeof(dst) ? (memcpy(dst, src, strlen(src) + 1), true) : false)

/* Split a data row on tabs into exactly seven trimmed, non-empty, printable columns. */
static int split_columns(char *line, int lineno, const char *path, char *col[NCOLUMNS],
                         struct rs_error *err)
{
	int ncol = 0;
	for (char *p = line;; ) {
		char *tab = strchr(p, '\t');
		if (ncol == NCOLUMNS)
			return row_fail(err, path, lineno, "more than %d tab-separated columns "
			                "(Opt, Id, Name, Type, IP, Offset, Binary)", NCOLUMNS);
		col[ncol++] = p;
		if (!tab)
			break;
		*tab = '\0';
		p = tab + 1;
	}
	if (ncol < NCOLUMNS)
		return row_fail(err, path, lineno, "%d column%s where %d are needed (Opt, Id, Name, Type, IP, "
		                "Offset, Binary), separated by tabs", ncol, ncol == 1 ? "" : "s", NCOLUMNS);
	for (int i = 0; i < NCOLUMNS; i++) {
		trim(col[i]);
		if (!col[i][0])
			return row_fail(err, path, lineno, "the %s column is empty", column_names[i]);
		if (!printable(col[i]))
			return row_fail(err, path, lineno, "the %s column holds control characters", column_names[i]);
	}
	return 0;
}

/* One data row: its seven columns, each checked. */
static int parse_row(char *line, int lineno, const char *folder, struct flashlayout *fl,
                     struct rs_error *err)
{
	const char *path = fl->path;
	char *col[NCOLUMNS];
	int r0 = split_columns(line, lineno, path, col, err);
	if (r0)
		return r0;
	if (fl->nrows == FLASHLAYOUT_MAX_ROWS)
		return row_fail(err, path, lineno, "more than %d rows", FLASHLAYOUT_MAX_ROWS);
	struct flashlayout_row *r = &fl->rows[fl->nrows];
	memset(r, 0, sizeof *r);
	r->line = lineno;

	/* Opt: P, PE or '-' (reference §4.1) */
	if (!strcmp(col[0], "P"))
		r->opt = FLASHLAYOUT_PROGRAM;
	else if (!strcmp(col[0], "PE"))
		r->opt = FLASHLAYOUT_PROGRAM_ERASE;
	else if (!strcmp(col[0], "-"))
		r->opt = FLASHLAYOUT_SKIP;
	else
		return row_fail(err, path, lineno, "option '%.20s' is not P (program), PE (program with erase) "
		                "or - (not used)", col[0]);
	snprintf(r->opt_text, sizeof r->opt_text, "%.3s", col[0]); /* P, PE or - */

	uint32_t v;
	if (!parse_u32(col[1], &v) || v > 0xFF)
		return row_fail(err, path, lineno, "Id '%.20s' is not a phase number 0x01-0xF0", col[1]);
	const char *why = reserved_id(v);
	if (why)
		return row_fail(err, path, lineno, "Id 0x%02X is reserved for %s; rows use 0x01-0xF0", (unsigned)v, why);
	for (int i = 0; i < fl->nrows; i++)
		if (fl->rows[i].id == v)
			return row_fail(err, path, lineno, "Id 0x%02X is used twice (first on line %d)", (unsigned)v,
			                fl->rows[i].line);
	r->id = (uint8_t)v;

	if (!COPY_FIELD(r->name, col[2]))
		return row_fail(err, path, lineno, "the Name is longer than %zu characters", sizeof r->name - 1);
	if (!COPY_FIELD(r->type, col[3]))
		return row_fail(err, path, lineno, "the Type is longer than %zu characters", sizeof r->type - 1);
	if (!COPY_FIELD(r->ip, col[4]))
		return row_fail(err, path, lineno, "the IP is longer than %zu characters", sizeof r->ip - 1);
	for (const char *c = r->ip; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			return row_fail(err, path, lineno, "IP '%s' is not a memory name such as none or nor0", r->ip);

	if (!parse_u32(col[5], &r->offset))
		return row_fail(err, path, lineno, "Offset '%.30s' is not a number that fits 32 bits "
		                "(write it like 0x0 or 0x80000)", col[5]);
	if (!strcmp(r->ip, "none") && r->offset)
		return row_fail(err, path, lineno, "Offset 0x%" PRIX32 " given for IP none: a RAM image is placed "
		                "by its own header, so the offset must be 0", r->offset);

	if (!COPY_FIELD(r->binary, col[6]))
		return row_fail(err, path, lineno, "the Binary path is longer than %zu characters",
		                sizeof r->binary - 1);
	/* col[6] (not r->binary) as the source: the compiler cannot prove two fields of one
	 * struct do not overlap */
	if (col[6][0] == '/')
		snprintf(r->path, sizeof r->path, "%s", col[6]);
	else
		snprintf(r->path, sizeof r->path, "%s%s", folder, col[6]);
	fl->nrows++;
	return 0;
}

int flashlayout_parse(const char *text, size_t len, const char *tsv_path, struct flashlayout *out,
                      struct rs_error *err)
{
	memset(out, 0, sizeof *out);
	snprintf(out->path, sizeof out->path, "%s", tsv_path);
	if (len > FLASHLAYOUT_MAX_BYTES)
		return rs_fail(err, RS_E_INPUT, "%s: %zu bytes is far too long for a flash layout", tsv_path, len);
	if (memchr(text, '\0', len))
		return rs_fail(err, RS_E_INPUT, "%s: not a text file (it contains NUL bytes)", tsv_path);
	char folder[512];
	folder_of(tsv_path, folder, sizeof folder);
	char line[FLASHLAYOUT_MAX_LINE + 1];
	int lineno = 0;
	size_t pos = 0;
	/* a UTF-8 byte order mark some editors add is not part of the first column */
	if (len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3))
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		lineno++;
		if (n > FLASHLAYOUT_MAX_LINE)
			return rs_fail(err, RS_E_INPUT, "%s:%d: the line is longer than %d characters", tsv_path,
			               lineno, FLASHLAYOUT_MAX_LINE);
		memcpy(line, text + pos, n);
		line[n] = '\0';
		pos += n + (nl ? 1 : 0);
		size_t lead = strspn(line, " \t\r");
		if (!line[lead] || line[lead] == '#')
			continue; /* blank, or the header / a comment (reference §4.1) */
		int rc = parse_row(line, lineno, folder, out, err);
		if (rc)
			return rc;
	}
	if (!out->nrows)
		return rs_fail(err, RS_E_INPUT, "%s: no rows: a flash layout lists at least one image "
		               "(Opt, Id, Name, Type, IP, Offset, Binary)", tsv_path);
	bool any = false;
	for (int i = 0; i < out->nrows; i++)
		any |= flashlayout_row_programs(&out->rows[i]);
	if (!any)
		return rs_fail(err, RS_E_INPUT, "%s: every row is marked '-' (not used): nothing to program", tsv_path);
	return 0;
}

int flashlayout_check_files(struct flashlayout *fl, struct rs_error *err)
{
	for (int i = 0; i < fl->nrows; i++) {
		struct flashlayout_row *r = &fl->rows[i];
		if (!flashlayout_row_programs(r))
			continue;
		struct stat st;
		if (stat(r->path, &st) && errno == ENOENT && !strchr(r->binary, '/')) {
			/* ST's loaders are not shipped next to OpenMV IDE's layout (n6_loaders.h) */
			char found[768], looked[300];
			if (n6_loaders_find(r->binary, found, sizeof found, looked, sizeof looked))
				return row_fail(err, fl->path, r->line, "%s is not next to the layout%s%s. %s"
				                "put it next to the layout or name its folder (--n6-loaders DIR)",
				                r->binary, looked[0] ? " nor in " : "", looked,
				                strstr(r->binary, "STM32N6") ? "It is ST's: it comes with "
				                "STM32CubeProgrammer and STM32CubeN6 (OpenBootloader/Binaries); " : "");
			snprintf(r->path, sizeof r->path, "%s", found);
		}
		if (stat(r->path, &st))
			return row_fail(err, fl->path, r->line, "%s: %s%s", r->path, strerror(errno),
			                errno == ENOENT ? " (binaries are found next to the TSV)" : "");
		if (!S_ISREG(st.st_mode))
			return row_fail(err, fl->path, r->line, "%s is not a regular file", r->path);
		if (st.st_size == 0)
			return row_fail(err, fl->path, r->line, "%s is empty", r->path);
		FILE *f = fopen(r->path, "rb");
		if (!f)
			return row_fail(err, fl->path, r->line, "%s cannot be read (%s)", r->path, strerror(errno));
		fclose(f);
		r->size = (uint64_t)st.st_size;
	}
	return 0;
}

int flashlayout_load(const char *tsv_path, struct flashlayout *out, struct rs_error *err)
{
	memset(out, 0, sizeof *out);
	FILE *f = fopen(tsv_path, "rb");
	if (!f)
		return rs_fail(err, RS_E_INPUT, "%s: %s", tsv_path, strerror(errno));
	char *buf = malloc(FLASHLAYOUT_MAX_BYTES + 1);
	if (!buf) {
		fclose(f);
		return rs_fail(err, RS_E_NOMEM, "out of memory");
	}
	size_t n = fread(buf, 1, FLASHLAYOUT_MAX_BYTES + 1, f);
	bool bad = ferror(f);
	fclose(f);
	int rc;
	if (bad)
		rc = rs_fail(err, RS_E_INPUT, "%s: cannot be read", tsv_path);
	else
		rc = flashlayout_parse(buf, n, tsv_path, out, err);
	free(buf);
	return rc ? rc : flashlayout_check_files(out, err);
}

uint64_t flashlayout_total_bytes(const struct flashlayout *fl)
{
	uint64_t sum = 0;
	for (int i = 0; i < fl->nrows; i++)
		if (flashlayout_row_programs(&fl->rows[i]))
			sum += fl->rows[i].size;
	return sum;
}
