/* cli_list.c — `openmv-rescue list [--json] [--watch]`: every connected device, one line each
 * (or a JSON array with the field names documented in README.md), and with --watch every
 * arrival and departure as it happens. */
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_list.h"
#include "devlist.h"

json_t *cli_devinfo_json(const struct devinfo *d)
{
	char id[10];
	snprintf(id, sizeof id, "%04X:%04X", d->vid, d->pid);
	json_t *boards = json_array();
	for (int i = 0; i < d->ncandidates; i++)
		json_array_append_new(boards, json_string(d->candidates[i]));
	json_t *o = json_object();
	json_object_set_new(o, "board", d->board ? json_string(d->board->target) : json_null());
	json_object_set_new(o, "name", json_string(devinfo_name(d)));
	json_object_set_new(o, "boards", boards);
	json_object_set_new(o, "mode", json_string(d->mode == USB_MODE_COUNT ? "dfu" : usb_mode_name(d->mode)));
	json_object_set_new(o, "mode_label", json_string(devinfo_mode(d)));
	json_object_set_new(o, "usb_id", json_string(id));
	json_object_set_new(o, "bus_path", json_string(d->bus_path));
	json_object_set_new(o, "serial", d->serial[0] ? json_string(d->serial) : json_null());
	json_object_set_new(o, "bootloader_version",
	                    d->bootloader_version[0] ? json_string(d->bootloader_version) : json_null());
	json_object_set_new(o, "may_open", json_boolean(d->may_open));
	json_object_set_new(o, "permission_fix", d->may_open ? json_null() : json_string(devlist_permission_fix()));
	return o;
}

static void print_line(FILE *out, const char *prefix, const struct devinfo *d)
{
	fprintf(out, "%s%-28s %-26s %04X:%04X  %-8s %-26s %-10s %s\n", prefix, devinfo_name(d), devinfo_mode(d),
	        d->vid, d->pid, d->bus_path, d->serial[0] ? d->serial : "-",
	        d->bootloader_version[0] ? d->bootloader_version : "-",
	        d->may_open ? "ok" : "NO PERMISSION");
	if (!d->may_open)
		fprintf(out, "%s    to open it: %s\n", prefix, devlist_permission_fix());
}

static void print_json(const struct devinfo *d, int n)
{
	json_t *a = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(a, cli_devinfo_json(&d[i]));
	json_dumpf(a, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(a);
}

static bool same_device(const struct devinfo *a, const struct devinfo *b)
{
	return a->bus == b->bus && a->address == b->address && a->vid == b->vid && a->pid == b->pid;
}

static volatile sig_atomic_t stop_watch;
static void on_signal(int sig) { (void)sig; stop_watch = 1; }

/* With --json each event is one line: {"event": "add"|"remove", "device": {...}}. */
static void report(const char *event, const struct devinfo *d, bool json)
{
	if (json) {
		json_t *o = json_pack("{s:s, s:o}", "event", event, "device", cli_devinfo_json(d));
		json_dumpf(o, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(o);
	} else {
		print_line(stdout, event[0] == 'a' ? "+ " : "- ", d);
	}
	fflush(stdout);
}

static int watch(const struct boarddb *db, bool json, int timeout_s)
{
	static struct devinfo was[DEVLIST_MAX], now[DEVLIST_MAX];
	int nwas = 0;
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	time_t end = timeout_s ? time(NULL) + timeout_s : 0;
	if (!json)
		printf("Watching for devices (Ctrl-C to stop)\n");
	while (!stop_watch && (!end || time(NULL) < end)) {
		int n = devlist_scan(db, now, DEVLIST_MAX);
		for (int i = 0; i < n; i++) {
			bool known = false;
			for (int j = 0; j < nwas && !known; j++)
				known = same_device(&now[i], &was[j]);
			if (!known)
				report("add", &now[i], json);
		}
		for (int j = 0; j < nwas; j++) {
			bool still = false;
			for (int i = 0; i < n && !still; i++)
				still = same_device(&now[i], &was[j]);
			if (!still)
				report("remove", &was[j], json);
		}
		memcpy(was, now, sizeof now[0] * (size_t)n);
		nwas = n;
		usleep(100 * 1000); /* 10 Hz: a bootloader's 1.5 s window shows */
	}
	return 0;
}

int cli_list(const struct boarddb *db, bool json, bool watching, int timeout_s)
{
	if (watching)
		return watch(db, json, timeout_s);
	static struct devinfo d[DEVLIST_MAX];
	int n = devlist_scan(db, d, DEVLIST_MAX);
	if (json) {
		print_json(d, n);
		return 0;
	}
	if (!n) {
		printf("No OpenMV camera, Arduino board or DFU device is connected.\n");
		return 0;
	}
	printf("%-28s %-26s %-10s %-8s %-26s %-10s %s\n", "BOARD", "MODE", "VID:PID", "BUS", "SERIAL",
	       "BOOTLOADER", "ACCESS");
	for (int i = 0; i < n; i++)
		print_line(stdout, "", &d[i]);
	return 0;
}
