/* test_nxp_packets.c — SDP and mboot packets against independent byte vectors.
 *
 * The vectors live in tests/data/nxp/{sdp,mboot}.txt (facts from the reference and the
 * spsdk test data it lists; grammar at the top of each file).  Every host-side vector is
 * built with the product's own builders and compared byte for byte; every device-side
 * vector goes through the product's parsers.  A few malformed reports check the refusals.
 * Usage: test_nxp_packets DIR  (DIR holds sdp.txt and mboot.txt)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/tap.h"
#include "proto/mboot.h"
#include "proto/sdp.h"

#define MAXB 128

static int hex_bytes(const char *s, uint8_t *out, int max)
{
	int n = 0;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s || *s == '\n')
			break;
		char *end;
		unsigned long v = strtoul(s, &end, 16);
		if (end == s || n == max)
			return -1;
		out[n++] = (uint8_t)v;
		s = end;
	}
	return n;
}

static int words(char *s, char **w, int max)
{
	int n = 0;
	for (char *t = strtok(s, " \t\n"); t && n < max; t = strtok(NULL, " \t\n"))
		w[n++] = t;
	return n;
}

static uint32_t num(const char *s)
{
	return (uint32_t)strtoul(s, NULL, 0);
}

static void show(const char *label, const uint8_t *b, size_t n)
{
	char line[600] = "";
	for (size_t i = 0; i < n && i < 100; i++)
		snprintf(line + strlen(line), sizeof line - strlen(line), "%02X ", b[i]);
	tap_diag("%s: %s", label, line);
}

/* key=value from the part after "=>" */
static const char *field(const char *expect, const char *key, char *buf, size_t n)
{
	char pat[16];
	snprintf(pat, sizeof pat, "%s=", key);
	const char *p = strstr(expect, pat);
	if (!p)
		return NULL;
	p += strlen(pat);
	size_t k = strcspn(p, " \n");
	snprintf(buf, n, "%.*s", (int)(k < n - 1 ? k : n - 1), p);
	return buf;
}

/* ---- SDP ----------------------------------------------------------------------------------- */

static int sdp_build(char **w, int n, struct sdp_cmd *c)
{
	if (!strcmp(w[0], "write-file") && n == 3)
		*c = sdp_cmd_write_file(num(w[1]), num(w[2]));
	else if (!strcmp(w[0], "jump-address") && n == 2)
		*c = sdp_cmd_jump_address(num(w[1]));
	else if (!strcmp(w[0], "error-status") && n == 1)
		*c = sdp_cmd_error_status();
	else if (!strcmp(w[0], "read-register") && n == 4)
		*c = sdp_cmd_read_register(num(w[1]), (uint8_t)num(w[2]), num(w[3]));
	else if (!strcmp(w[0], "write-register") && n == 4)
		*c = sdp_cmd_write_register(num(w[1]), (uint8_t)num(w[2]), num(w[3]));
	else
		return -1;
	return 0;
}

static void sdp_line(char *line)
{
	char copy[512];
	snprintf(copy, sizeof copy, "%s", line);
	char *eq = strstr(line, " = "), *arrow = strstr(line, " => ");
	uint8_t want[MAXB];
	if (!strncmp(line, "command ", 8) && eq) {
		*eq = 0;
		int nb = hex_bytes(eq + 3, want, MAXB);
		char *w[8];
		int n = words(line + 8, w, 8);
		struct sdp_cmd c, back;
		uint8_t got[SDP_COMMAND_LEN];
		if (!ok(n > 0 && !sdp_build(w, n, &c), "sdp: builder exists for '%s'", copy))
			return;
		sdp_cmd_encode(&c, got);
		if (!ok(nb == SDP_COMMAND_LEN && !memcmp(got, want, SDP_COMMAND_LEN), "sdp: %s", copy))
			show("got", got, sizeof got);
		ok(!sdp_cmd_decode(want, (size_t)nb, &back) && back.type == c.type &&
		   back.address == c.address && back.format == c.format && back.count == c.count &&
		   back.data == c.data, "sdp: the vector decodes to the same fields: %s", w[0]);
	} else if (!strncmp(line, "report-in ", 10) && arrow) {
		*arrow = 0;
		int nb = hex_bytes(line + 10, want, MAXB);
		char v[32];
		uint32_t word = 0;
		struct rs_error err;
		uint8_t id = (uint8_t)num(field(arrow + 4, "id", v, sizeof v));
		uint32_t expect = num(field(arrow + 4, "word", v, sizeof v));
		ok(nb > 0 && !sdp_parse_word(want, (size_t)nb, id, &word, &err) && word == expect,
		   "sdp: %s", copy);
	} else if (!strncmp(line, "data-report ", 12) && eq) {
		size_t n = num(line + 12);
		uint8_t *file = malloc(n), r[1 + SDP_DATA_LEN];
		for (size_t i = 0; i < n; i++)
			file[i] = (uint8_t)(i * 7 + 3);
		size_t blocks = (n + SDP_DATA_LEN - 1) / SDP_DATA_LEN, tail = n - (blocks - 1) * SDP_DATA_LEN;
		size_t len = sdp_data_report(file, n, blocks - 1, r);
		int pad_ok = 1;
		for (size_t i = 1 + tail; i < sizeof r; i++)
			pad_ok &= r[i] == 0;
		hex_bytes(eq + 3, want, MAXB);
		ok(len == 1 + SDP_DATA_LEN && r[0] == want[0] &&
		   !memcmp(r + 1, file + (blocks - 1) * SDP_DATA_LEN, tail) && pad_ok &&
		   sdp_data_report(file, n, blocks, r) == 0,
		   "sdp: %s (last report: %zu file bytes, %zu zeros, 1025 bytes)", copy, tail,
		   SDP_DATA_LEN - tail);
		free(file);
	} else {
		ok(0, "sdp: fixture line understood: %s", copy);
	}
}

/* ---- mboot --------------------------------------------------------------------------------- */

static int mboot_build(char **w, int n, struct mboot_packet *p)
{
	uint32_t a = n > 1 ? num(w[1]) : 0, b = n > 2 ? num(w[2]) : 0, c = n > 3 ? num(w[3]) : 0;
	if (!strcmp(w[0], "get-property") && (n == 2 || n == 3))
		*p = mboot_cmd_get_property(a, b);
	else if (!strcmp(w[0], "fill-memory") && n == 4)
		*p = mboot_cmd_fill_memory(a, b, c);
	else if (!strcmp(w[0], "configure-memory") && n == 3)
		*p = mboot_cmd_configure_memory(a, b);
	else if (!strcmp(w[0], "flash-erase-region") && (n == 3 || n == 4))
		*p = mboot_cmd_flash_erase_region(a, b, c);
	else if (!strcmp(w[0], "write-memory") && (n == 3 || n == 4))
		*p = mboot_cmd_write_memory(a, b, c);
	else if (!strcmp(w[0], "read-memory") && (n == 3 || n == 4))
		*p = mboot_cmd_read_memory(a, b, c);
	else if (!strcmp(w[0], "efuse-program-once") && (n == 3 || n == 4)) /* data: hex, no 0x */
		*p = mboot_cmd_efuse_program_once(a, (uint32_t)strtoul(w[2], NULL, 16),
		                                  n == 4 && !strcmp(w[3], "lock"));
	else if (!strcmp(w[0], "efuse-read-once") && n == 2)
		*p = mboot_cmd_efuse_read_once(a);
	else if (!strcmp(w[0], "reset") && n == 1)
		*p = mboot_cmd_reset();
	else
		return -1;
	return 0;
}

/* Compare a decoded packet with "tag=.. flags=.. params=a,b". */
static int packet_matches(const struct mboot_packet *p, const char *expect)
{
	char v[200];
	if (field(expect, "tag", v, sizeof v) && p->tag != num(v))
		return 0;
	if (field(expect, "flags", v, sizeof v) && p->flags != num(v))
		return 0;
	if (field(expect, "params", v, sizeof v)) {
		int k = 0;
		for (char *t = strtok(v, ","); t; t = strtok(NULL, ","), k++)
			if (k >= p->nparams || p->params[k] != num(t))
				return 0;
		if (k != p->nparams)
			return 0;
	}
	return 1;
}

static void mboot_line(char *line)
{
	char copy[512];
	snprintf(copy, sizeof copy, "%s", line);
	char *eq = strstr(line, " = "), *arrow = strstr(line, " => ");
	uint8_t want[MAXB], got[MAXB];
	char *w[16];
	if ((!strncmp(line, "command ", 8) || !strncmp(line, "report-out ", 11)) && eq) {
		bool framed = line[0] == 'r';
		*eq = 0;
		int nb = hex_bytes(eq + 3, want, MAXB);
		int n = words(line + (framed ? 11 : 8), w, 16);
		struct mboot_packet p;
		if (!ok(n > 0 && !mboot_build(w, n, &p), "mboot: builder exists for '%s'", copy))
			return;
		uint8_t pkt[MAXB];
		size_t len = mboot_packet_encode(&p, pkt, sizeof pkt);
		if (framed)
			len = mboot_frame(MBOOT_REPORT_CMD_OUT, pkt, len, got, sizeof got);
		else
			memcpy(got, pkt, len);
		if (!ok(nb > 0 && len == (size_t)nb && !memcmp(got, want, len), "mboot: %s", copy))
			show("got", got, len);
	} else if (!strncmp(line, "packet ", 7) && eq) {
		*eq = 0;
		int nb = hex_bytes(eq + 3, want, MAXB);
		int n = words(line + 7, w, 16);
		if (!ok(n >= 2, "mboot: packet line has a tag and flags: %s", copy))
			return;
		struct mboot_packet p = {.tag = (uint8_t)num(w[0]), .flags = (uint8_t)num(w[1]),
		                         .nparams = (uint8_t)(n - 2)};
		for (int i = 2; i < n; i++)
			p.params[i - 2] = num(w[i]);
		size_t len = mboot_packet_encode(&p, got, sizeof got);
		ok(len == (size_t)nb && !memcmp(got, want, len), "mboot: %s", copy);
	} else if (!strncmp(line, "response ", 9) && arrow) {
		*arrow = 0;
		int nb = hex_bytes(line + 9, want, MAXB);
		struct mboot_packet p;
		int rc = nb > 0 ? mboot_packet_decode(want, (size_t)nb, &p) : -1;
		size_t len = rc ? 0 : mboot_packet_encode(&p, got, sizeof got);
		ok(!rc && packet_matches(&p, arrow + 4) && len == (size_t)nb && !memcmp(got, want, len),
		   "mboot: parses and re-encodes %s", copy);
	} else if (!strncmp(line, "report-in ", 10) && arrow) {
		*arrow = 0;
		int nb = hex_bytes(line + 10, want, MAXB);
		uint8_t id;
		const uint8_t *payload;
		size_t n;
		char v[32];
		int good = nb > 0 && !mboot_unframe(want, (size_t)nb, &id, &payload, &n) &&
		           id == num(field(arrow + 4, "id", v, sizeof v)) &&
		           n == num(field(arrow + 4, "len", v, sizeof v));
		if (good && field(arrow + 4, "tag", v, sizeof v)) {
			struct mboot_packet p;
			good = !mboot_packet_decode(payload, n, &p) && packet_matches(&p, arrow + 4);
		}
		ok(good, "mboot: %s", copy);
	} else if (!strncmp(line, "data-header ", 12) && eq) {
		size_t n = num(line + 12);
		uint8_t *zeros = calloc(1, n), *r = malloc(n + 4);
		hex_bytes(eq + 3, want, MAXB);
		size_t len = mboot_frame(MBOOT_REPORT_DATA_OUT, zeros, n, r, n + 4);
		ok(len == n + 4 && !memcmp(r, want, 4), "mboot: %s", copy);
		free(zeros);
		free(r);
	} else {
		ok(0, "mboot: fixture line understood: %s", copy);
	}
}

static void run_file(const char *dir, const char *name, void (*fn)(char *))
{
	char path[1024], line[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "r");
	if (!ok(f != NULL, "fixture %s opens", name))
		return;
	int before = tap_count;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		if (line[0] != '#' && line[0])
			fn(line);
	}
	fclose(f);
	ok(tap_count - before >= 10, "fixture %s holds at least 10 vectors (%d)", name, tap_count - before);
}

/* Malformed device answers our parsers must refuse (not from a fixture: our own cases). */
static void refusals(void)
{
	uint8_t id;
	const uint8_t *payload;
	size_t n;
	struct rs_error err;
	uint32_t w;
	const uint8_t short_hdr[] = {0x03, 0x00, 0x0C};
	const uint8_t short_body[] = {0x03, 0x00, 0x0C, 0x00, 0xA0, 0x00, 0x00, 0x02, 0, 0, 0, 0};
	ok(mboot_unframe(short_hdr, sizeof short_hdr, &id, &payload, &n) == RS_E_PROTOCOL,
	   "mboot: a report shorter than its header is refused");
	ok(mboot_unframe(short_body, sizeof short_body, &id, &payload, &n) == RS_E_PROTOCOL,
	   "mboot: a report shorter than its length field is refused");
	struct mboot_packet p;
	const uint8_t few[] = {0xA0, 0x00, 0x00, 0x02, 0, 0, 0, 0};
	ok(mboot_packet_decode(few, sizeof few, &p) == RS_E_PROTOCOL,
	   "mboot: a packet with fewer parameters than its count is refused");
	const uint8_t hab_short[] = {0x03, 0x56, 0x78};
	ok(sdp_parse_word(hab_short, sizeof hab_short, 3, &w, &err) == RS_E_PROTOCOL &&
	   strstr(err.msg, "2-byte"), "sdp: a short HAB report is refused: %s", err.msg);
	const uint8_t wrong_id[] = {0x04, 0x88, 0x88, 0x88, 0x88};
	ok(sdp_parse_word(wrong_id, sizeof wrong_id, 3, &w, &err) == RS_E_PROTOCOL &&
	   strstr(err.msg, "report 4"), "sdp: report 4 where report 3 is due is refused: %s", err.msg);
	ok(mboot_clamp_memory_id(9) == 0 && mboot_clamp_memory_id(255) == 0 &&
	   mboot_clamp_memory_id(0x100) == 0x100, "mboot: memory ids 1..255 clamp to 0, 0x100 stays");
	mboot_status_error(10205, "flash-erase-region", &err);
	ok(err.code == RS_E_DEVICE && strstr(err.msg, "10205") && strstr(err.msg, "MemoryNotConfigured") &&
	   strstr(err.msg, "configure-memory"), "mboot: status 10205 names itself and the fix: %s", err.msg);
	mboot_status_error(4242, "reset", &err);
	ok(strstr(err.msg, "4242") && strstr(err.msg, "unknown"), "mboot: an unknown status is named unknown");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		printf("1..0 # SKIP no fixture directory given\n");
		return 77;
	}
	run_file(argv[1], "sdp.txt", sdp_line);
	run_file(argv[1], "mboot.txt", mboot_line);
	refusals();
	return tap_done();
}
