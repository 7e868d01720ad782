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

const char *sim_dfu_status_name(int status)
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
		{"vanish@report=", FAULT_VANISH_REPORT}, {"short-report@", FAULT_SHORT_REPORT},
		{"disconnect@phase=", FAULT_PHASE_DISCONNECT}, {"garbage-phase@", FAULT_PHASE_GARBAGE},
		{"vanish@claim=", FAULT_VANISH_CLAIM}, {"unplug@byte=", FAULT_UNPLUG_BYTES},
	};

	memset(f, 0, sizeof *f);
	if (strncmp(spec, "replaced@", 9) == 0) { /* the disconnect it names, then another device */
		char inner[64];
		const char *at = spec + 9;
		snprintf(inner, sizeof inner, "%s@%s", strncmp(at, "report=", 7) == 0 ? "vanish" : "disconnect", at);
		if ((strncmp(at, "block=", 6) != 0 && strncmp(at, "report=", 7) != 0 && strncmp(at, "phase=", 6) != 0) ||
		    fault_parse(inner, f, err, err_len) < 0)
			goto bad;
		f->replace = true;
		return 0;
	}
	if (strcmp(spec, "h7-rev-v") == 0) {
		f->kind = FAULT_H7_REV_V;
		return 0;
	}
	for (size_t i = 0; i < sizeof counted / sizeof counted[0]; i++) {
		size_t n = strlen(counted[i].prefix);
		if (strncmp(spec, counted[i].prefix, n) == 0) {
			f->kind = counted[i].kind;
			if (!parse_count(spec + n, &f->n) ||
			    (f->n == 0 && f->kind != FAULT_DISCONNECT_BLOCK && f->kind != FAULT_UNPLUG_BYTES))
				goto bad;
			return 0;
		}
	}
	const char *nxp_at = strstr(spec, "@cmd=") ? strstr(spec, "@cmd=") : strstr(spec, "@data=");
	if (strncmp(spec, "status=", 7) == 0 && nxp_at) {
		char *end;
		f->code = strtoul(spec + 7, &end, 0);
		f->kind = nxp_at[1] == 'c' ? FAULT_STATUS_CMD : FAULT_STATUS_DATA;
		if (end != nxp_at || end == spec + 7 || !parse_count(strchr(nxp_at, '=') + 1, &f->n) || !f->n)
			goto bad;
		return 0;
	}
	if (strncmp(spec, "phase=", 6) == 0) {
		char *end;
		unsigned long ph = strtoul(spec + 6, &end, 0);
		f->kind = FAULT_PHASE_WRONG;
		f->status = (int)ph;
		if (end == spec + 6 || ph > 0xFF || *end != '@' || !parse_count(end + 1, &f->n) || f->n == 0)
			goto bad;
		return 0;
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
		 "garbage-status@N, short-status@N, h7-rev-v, vanish@report=N, status=CODE@cmd=N, "
		 "status=CODE@data=N, short-report@N, disconnect@phase=N, phase=0xNN@N, garbage-phase@N, "
		 "vanish@claim=N, unplug@byte=N, replaced@block=N, replaced@report=N, replaced@phase=N)", spec);
	return -1;
}
