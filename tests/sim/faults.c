/* Parsing fault specifications (grammar in faults.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "faults.h"

static const char *const status_names[16] = {
	"OK", "errTARGET", "errFILE", "errWRITE", "errERASE", "errCHECK_ERASED", "errPROG", "errVERIFY",
	"errADDRESS", "errNOTDONE", "errFIRMWARE", "errVENDOR", "errUSBR", "errPOR", "errUNKNOWN",
	"errSTALLEDPKT",
};

int dfu_status_from_name(const char *name)
{
	for (int i = 0; i < 16; i++)
		if (strcmp(name, status_names[i]) == 0)
			return i;
	return -1;
}

const char *dfu_status_name(int status)
{
	return status >= 0 && status < 16 ? status_names[status] : "INVALID";
}

static bool parse_count(const char *s, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v > 1000000)
		return false;
	*out = (unsigned)v;
	return true;
}

int fault_parse(const char *spec, struct fault *f, char *err, size_t err_len)
{
	static const struct {
		const char *prefix;
		enum fault_kind kind;
	} counted[] = {
		{"stall@", FAULT_STALL}, {"timeout@", FAULT_TIMEOUT},
		{"garbage-status@", FAULT_GARBAGE_STATUS}, {"short-status@", FAULT_SHORT_STATUS},
		{"disconnect@block=", FAULT_DISCONNECT_BLOCK},
	};

	memset(f, 0, sizeof *f);
	if (strcmp(spec, "h7-rev-v") == 0) {
		f->kind = FAULT_H7_REV_V;
		return 0;
	}
	for (size_t i = 0; i < sizeof counted / sizeof counted[0]; i++) {
		size_t n = strlen(counted[i].prefix);
		if (strncmp(spec, counted[i].prefix, n) == 0) {
			f->kind = counted[i].kind;
			if (!parse_count(spec + n, &f->n) ||
			    (f->n == 0 && f->kind != FAULT_DISCONNECT_BLOCK))
				goto bad;
			return 0;
		}
	}
	if (strncmp(spec, "status=", 7) == 0) {
		const char *at = strstr(spec, "@block=");
		char name[32];
		if (!at || (size_t)(at - spec - 7) >= sizeof name)
			goto bad;
		memcpy(name, spec + 7, (size_t)(at - spec - 7));
		name[at - spec - 7] = '\0';
		f->kind = FAULT_STATUS_BLOCK;
		f->status = dfu_status_from_name(name);
		if (f->status <= 0 || !parse_count(at + 7, &f->n)) {
			snprintf(err, err_len, "unknown DFU status \"%s\" in fault \"%s\"", name, spec);
			return -1;
		}
		return 0;
	}
bad:
	snprintf(err, err_len,
		 "bad fault \"%s\" (stall@N, timeout@N, disconnect@block=N, status=errWRITE@block=N, "
		 "garbage-status@N, short-status@N, h7-rev-v)", spec);
	return -1;
}
