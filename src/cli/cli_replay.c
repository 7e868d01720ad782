/* cli_replay.c — "openmv-rescue replay FILE --explain | --check-board": a recording made with
 * --record, read by support without the simulator.  --explain prints the session as a
 * timeline, one line per step and per run of like exchanges, marking where it failed;
 * --check-board compares the identity the recorded camera gave (USB IDs, alt names, transfer
 * size, version) with what boards.ini believes about the recorded board, naming every
 * difference.  The format is src/io/io_record.h's (README, "Record and replay"). */
#include <errno.h>
#include <jansson.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_internal.h"
#include "identity.h"
#include "io/io_record.h"

/* Read FILE's lines; NULL after one line on stderr. */
static json_t *load(const char *file)
{
	FILE *f = fopen(file, "r");
	if (!f) {
		fprintf(stderr, "openmv-rescue: cannot read the recording %s: %s\n", file, strerror(errno));
		return NULL;
	}
	json_t *all = json_array();
	char *line = NULL;
	size_t cap = 0;
	int n = 0;
	while (getline(&line, &cap, f) > 0) {
		json_error_t e;
		json_t *o = json_loads(line, 0, &e);
		n++;
		if (!json_is_object(o)) {
			fprintf(stderr, "openmv-rescue: %s line %d is not a JSON object (%s)\n", file, n, e.text);
			json_decref(o);
			json_decref(all);
			all = NULL;
			break;
		}
		json_array_append_new(all, o);
	}
	free(line);
	fclose(f);
	json_t *h = all ? json_array_get(all, 0) : NULL;
	const char *format = json_string_value(json_object_get(h, "format"));
	json_int_t version = json_integer_value(json_object_get(h, "version"));
	if (all && (!format || strcmp(format, IO_RECORD_FORMAT))) {
		fprintf(stderr, "openmv-rescue: %s is not a recording of openmv-rescue --record\n", file);
		json_decref(all);
		return NULL;
	}
	if (all && (version < 1 || version > IO_RECORD_VERSION)) {
		fprintf(stderr, "openmv-rescue: %s has format version %lld; this openmv-rescue reads 1 to %d\n",
		        file, (long long)version, IO_RECORD_VERSION);
		json_decref(all);
		return NULL;
	}
	return all;
}

static const char *str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static int num(json_t *o, const char *key)
{
	return (int)json_integer_value(json_object_get(o, key));
}

/* A run of exchanges is "like" when bus, device or port, kind, direction and request agree. */
static void group_key(json_t *o, char *key, size_t n)
{
	if (!strcmp(str(o, "bus"), "serial")) { /* a serial conversation: writes and reads together */
		snprintf(key, n, "serial|%s", str(o, "port"));
		return;
	}
	snprintf(key, n, "%s|%s%s|%s|%s|%d|%d", str(o, "bus"), str(o, "dev"), str(o, "port"),
	         str(o, "kind"), str(o, "dir"), num(o, "type"), num(o, "request"));
}

static bool failed(json_t *o)
{
	/* a read that timed out is how a host polls a quiet line: not a failure by itself */
	return num(o, "status") < 0 && !(num(o, "status") == LIBUSB_ERROR_TIMEOUT && !strcmp(str(o, "dir"), "in"));
}

/* The DFU class requests by number (DFU 1.1 §3, table 3.2), for requests to an interface of
 * class type (bmRequestType 0x21 out, 0xA1 in); the product sends no other class requests
 * numbered this low. */
static const char *const dfu_requests[] = {"DETACH", "DNLOAD", "UPLOAD", "GETSTATUS", "CLRSTATUS",
                                           "GETSTATE", "ABORT"};

static void what_of(json_t *o, char *out, size_t n)
{
	const char *kind = str(o, "kind");
	int type = num(o, "type"), request = num(o, "request");
	if (!strcmp(kind, "control") && (type == 0x21 || type == 0xA1) && request <= 6)
		snprintf(out, n, "DFU %s (block/value %d)", dfu_requests[request], num(o, "value"));
	else if (!strcmp(kind, "control"))
		snprintf(out, n, "control %s request 0x%02x (bmRequestType 0x%02x, wValue 0x%04x)",
		         str(o, "dir"), request, type, num(o, "value"));
	else if (!strcmp(kind, "bulk") || !strcmp(kind, "interrupt"))
		snprintf(out, n, "%s %s on endpoint 0x%02x", kind, str(o, "dir"), num(o, "ep"));
	else
		snprintf(out, n, "%s", kind);
}

/* A failed exchange's status in words: libusb's name for it, or libserialport's code. */
static const char *status_text(json_t *o)
{
	static char text[64];
	if (!strcmp(str(o, "bus"), "usb"))
		snprintf(text, sizeof text, "%s", libusb_error_name(num(o, "status")));
	else
		snprintf(text, sizeof text, "serial error %d", num(o, "status"));
	return text;
}

/* The first bytes sent, as text when they are printable (SAM-BA's commands are). */
static void sent_text(json_t *o, char *out, size_t n)
{
	const char *hex = str(o, "data");
	size_t k = 0;
	out[0] = 0;
	for (size_t i = 0; hex[i] && hex[i + 1] && k + 1 < n && k < 24; i += 2) {
		unsigned c;
		if (sscanf(hex + i, "%2x", &c) != 1 || c < 0x20 || c > 0x7E) {
			out[0] = 0;
			return;
		}
		out[k++] = (char)c;
		out[k] = 0;
	}
}

static void print_group(json_t *first, int count, long bytes, json_t *last, int failures)
{
	char what[160];
	what_of(first, what, sizeof what);
	if (!strcmp(str(first, "bus"), "serial")) {
		char text[32];
		sent_text(first, text, sizeof text);
		snprintf(what, sizeof what, "%s %s%s%s", !strcmp(str(first, "kind"), "write") ? "sent" : "read",
		         text[0] ? "\"" : "", text, text[0] ? "\", then" : "");
		snprintf(what + strlen(what), sizeof what - strlen(what), " %d writes and reads", count);
		count = 1;
	}
	const char *where = !strcmp(str(first, "bus"), "serial") ? str(first, "port") : str(first, "dev");
	printf("%9.3f s  %-6s %-12s %s", num(first, "t_us") / 1e6, str(first, "bus"), where, what);
	if (count > 1)
		printf(" x%d", count);
	if (bytes)
		printf(", %ld bytes", bytes);
	if (failures)
		printf("  <- FAILED%s: %s", failures > 1 ? " (several)" : "", status_text(last));
	putchar('\n');
}

static void print_single(json_t *o)
{
	const char *kind = str(o, "kind");
	double t = num(o, "t_us") / 1e6;
	if (!strcmp(kind, "note"))
		printf("%9.3f s  %s\n", t, str(o, "text"));
	else if (!strcmp(kind, "input"))
		printf("%9.3f s  input  %-12s %s, %d bytes, SHA-256 %s\n", t, str(o, "slot"), str(o, "file"),
		       num(o, "size"), str(o, "sha256"));
	else if (!strcmp(kind, "device"))
		printf("%9.3f s  usb    %-12s the device says it is %04X:%04X, release %X.%02X\n", t,
		       str(o, "dev"), num(o, "vid"), num(o, "pid"), num(o, "bcdDevice") >> 8,
		       num(o, "bcdDevice") & 0xFF);
	else if (!strcmp(kind, "string"))
		printf("%9.3f s  usb    %-12s string %d: \"%s\"\n", t, str(o, "dev"), num(o, "index"), str(o, "text"));
	else if (!strcmp(kind, "arrival") || !strcmp(kind, "departure"))
		printf("%9.3f s  usb    %-12s %s\n", t, str(o, "dev"),
		       kind[0] == 'a' ? "appeared on the bus" : "left the bus");
	else if (!strcmp(kind, "end"))
		printf("%9.3f s  the command ended with exit status %d after %d exchanges\n", t,
		       num(o, "exit_status"), num(o, "exchanges"));
}

static bool is_grouped(const char *kind)
{
	return !strcmp(kind, "control") || !strcmp(kind, "bulk") || !strcmp(kind, "interrupt") ||
	       !strcmp(kind, "read") || !strcmp(kind, "write");
}

static int explain(json_t *all)
{
	json_t *h = json_array_get(all, 0);
	printf("%s, %s of %s, recorded %s (format %d)\n", str(h, "program"), str(h, "action"),
	       str(h, "board"), str(h, "date"), num(h, "version"));
	char key[128] = "", k[128];
	json_t *first = NULL, *last = NULL, *first_failure = NULL;
	int count = 0, failures = 0;
	long bytes = 0;
	for (size_t i = 1; i <= json_array_size(all); i++) {
		json_t *o = json_array_get(all, i); /* NULL past the end: the last group is printed */
		bool grouped = o && is_grouped(str(o, "kind"));
		if (o)
			group_key(o, k, sizeof k);
		if (first && (!grouped || strcmp(k, key))) {
			print_group(first, count, bytes, last, failures);
			first = NULL;
		}
		if (!o)
			break;
		if (!grouped) {
			print_single(o);
			continue;
		}
		if (!first) {
			first = o;
			count = failures = 0;
			bytes = 0;
			snprintf(key, sizeof key, "%s", k);
		}
		count++;
		/* control and serial: the status is the byte count; bulk and interrupt: "done" */
		int moved = num(o, json_object_get(o, "done") ? "done" : "status");
		bytes += moved > 0 ? moved : 0;
		if (failed(o)) {
			failures++;
			if (!first_failure)
				first_failure = o;
		}
		last = o;
	}
	if (first_failure)
		printf("Where it failed: exchange %d, %s, %s.\n", num(first_failure, "n"),
		       str(first_failure, "kind"), status_text(first_failure));
	return 0;
}

/* What an openmv_dfu bootloader said about itself, out of its recorded descriptors. */
static void dfu_identity(json_t *all, const char *dev, json_t *device, struct ident_dfu *id)
{
	memset(id, 0, sizeof *id);
	id->bcd_device = (uint16_t)num(device, "bcdDevice");
	const char *names[256] = {0};
	json_t *o, *config = NULL;
	size_t i;
	json_array_foreach(all, i, o)
		if (!strcmp(str(o, "dev"), dev) && !strcmp(str(o, "kind"), "string") && num(o, "status") >= 0)
			names[num(o, "index") & 0xFF] = str(o, "text");
		else if (!config && !strcmp(str(o, "dev"), dev) && !strcmp(str(o, "kind"), "config"))
			config = o;
	json_t *alt;
	json_array_foreach(json_object_get(config, "alts"), i, alt) {
		int a = num(alt, "alt");
		if (a < IDENT_MAX_ALTS) {
			snprintf(id->names[a], sizeof id->names[a], "%s", names[num(alt, "string") & 0xFF] ?
			         names[num(alt, "string") & 0xFF] : "");
			id->nalts = a + 1 > id->nalts ? a + 1 : id->nalts;
		}
		/* the DFU functional descriptor (DFU 1.1 §4.1.3): 9 bytes, type 0x21, wTransferSize
		 * at offset 5 */
		const char *x = str(alt, "extra");
		unsigned lo, hi;
		if (strlen(x) >= 18 && !strncmp(x + 2, "21", 2) && sscanf(x + 10, "%2x%2x", &lo, &hi) == 2)
			id->transfer_size = (uint16_t)(lo | hi << 8);
	}
}

/* The plan the recorded command made (its header's arguments, parsed as the command line
 * is): what a DfuSe device's layout must allow.  0, or -1 when it cannot be made again. */
static int recorded_plan(const struct board *b, json_t *all, struct plan *p)
{
	json_t *args = json_object_get(json_array_get(all, 0), "arguments"), *v, *o;
	char *argv[64];
	int argc = 0;
	size_t i;
	argv[argc++] = "openmv-rescue";
	json_array_foreach(args, i, v)
		if (argc < 63 && json_string_value(v))
			argv[argc++] = (char *)json_string_value(v);
	argv[argc] = NULL;
	struct cli_args a;
	memset(&a, 0, sizeof a);
	struct rs_error err = {0};
	int action = -1;
	if (cli_parse(argc, argv, &a) || !a.command || (action = action_from_name(a.command)) < 0)
		return -1;
	if (plan_build(b, (enum action)action, &a.files, p, &err))
		return -1;
	json_array_foreach(all, i, o) /* the input files' sizes, as recorded */
		if (!strcmp(str(o, "kind"), "input"))
			for (int k = 0; k < p->nimages; k++)
				if (!strcmp(p->images[k].slot, str(o, "slot")))
					p->images[k].size = (uint64_t)json_integer_value(json_object_get(o, "size"));
	return 0;
}

/* A DfuSe device (ST ROM, Arduino bootloader): its alts' layouts against the recorded plan's
 * writes (identity_check_dfuse, as before a real write), with the sizes of the recorded input
 * files.  Returns the differences found. */
static int check_dfuse(const struct board *b, json_t *all, json_t *device, enum usb_mode mode)
{
	static struct plan p; /* large: not on the stack */
	struct ident_dfu id;
	char why[300];
	dfu_identity(all, str(device, "dev"), device, &id);
	if (recorded_plan(b, all, &p)) {
		printf("not compared: the recorded command's plan cannot be made again, so the layouts "
		       "of its %d alts are not checked\n", id.nalts);
		return 0;
	}
	if (identity_check_dfuse(&p, mode, &id, why, sizeof why)) {
		printf("differs: %s\n", why);
		return 1;
	}
	printf("matches: its %d alts' memory layouts hold every write the recorded %s makes\n", id.nalts,
	       action_name(p.action));
	return 0;
}

static int check_board(const struct boarddb *db, json_t *all)
{
	json_t *h = json_array_get(all, 0);
	const struct board *b = boarddb_find(db, str(h, "board"));
	if (!b) {
		fprintf(stderr, "openmv-rescue: the recording names the board '%s', which boards.ini does not have\n",
		        str(h, "board"));
		return 2;
	}
	int differences = 0, devices = 0;
	json_t *o;
	size_t i;
	json_array_foreach(all, i, o) {
		if (strcmp(str(o, "kind"), "device"))
			continue;
		uint16_t vid = (uint16_t)num(o, "vid"), pid = (uint16_t)num(o, "pid");
		struct board_match m[16];
		int nm = boarddb_match_usb(db, vid, pid, m, 16), mine = -1;
		for (int k = 0; k < nm && k < 16 && mine < 0; k++)
			if (m[k].board == b)
				mine = k;
		devices++;
		if (mine < 0) {
			printf("differs: device %s %04X:%04X is not a USB ID of %s in boards.ini%s%s\n", str(o, "dev"),
			       vid, pid, b->target, nm > 0 ? " (it is one of " : "", nm > 0 ? m[0].board->target : "");
			if (nm > 0)
				printf("  ... in mode %s)\n", usb_mode_label(m[0].mode));
			differences++;
			continue;
		}
		printf("matches: device %s %04X:%04X is %s's %s\n", str(o, "dev"), vid, pid, b->target,
		       usb_mode_label(m[mine].mode));
		if (m[mine].mode == USB_BOOTLOADER) {
			struct ident_dfu id;
			char why[300];
			dfu_identity(all, str(o, "dev"), o, &id);
			if (identity_check_openmv_dfu(b, &id, why, sizeof why)) {
				printf("differs: %s\n", why);
				differences++;
			} else {
				printf("matches: its %d alts, their names, transfer size and version are what boards.ini "
				       "says\n", id.nalts);
			}
		} else if (m[mine].mode == USB_ST_ROM || m[mine].mode == USB_ARDUINO_DFU) {
			differences += check_dfuse(b, all, o, m[mine].mode);
		}
	}
	if (!devices)
		printf("the recording holds no USB device descriptor to compare\n");
	printf("%s: %d difference%s from boards.ini\n", b->target, differences, differences == 1 ? "" : "s");
	return differences ? 1 : 0;
}

int cli_cmd_replay(void *ctx)
{
	struct cli_ctx *c = ctx;
	const struct cli_args *a = c->args;
	if (!a->operand || (!a->explain && !a->check_board)) {
		fprintf(stderr, "openmv-rescue: replay takes a recording and --explain or --check-board "
		        "(e.g. openmv-rescue replay session.jsonl --explain)\n");
		return 2;
	}
	json_t *all = load(a->operand);
	if (!all)
		return 2;
	int rc = a->explain ? explain(all) : 0;
	if (a->check_board) {
		int r = check_board(c->db, all);
		rc = r ? r : rc;
	}
	json_decref(all);
	return rc;
}
