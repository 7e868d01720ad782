/* cli_info.c — `openmv-rescue info [--serial SN] [--json]`: everything one device says about
 * itself that can be read without changing it.  Nothing is written or erased and the device
 * is not told to leave its bootloader: the openmv_dfu bootloader, which leaves ~1.5 s after
 * power-up unless a DNLOAD or an UPLOAD arrives (openmv/openmv boot/src/common/dfu.c), is held
 * with one UPLOAD of its first block and left in dfuIDLE. */
#include <jansson.h>
#include <libusb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/usb_io.h"
#include "cli_list.h"
#include "dfu.h"
#include "dfuse_mem.h"
#include "identity_dfu.h"
#include "picoboot.h"
#include "samba.h"
#include "serialdev.h"

static const char *access_name(enum alt_access a)
{
	static const char *n[] = {"ro", "rw", "whole", "command"};
	return n[a];
}

static const char *dfuse_access(uint8_t t)
{
	static char s[4];
	snprintf(s, sizeof s, "%s%s%s", t & DFUSE_MEM_READABLE ? "r" : "", t & DFUSE_MEM_ERASABLE ? "e" : "",
	         t & DFUSE_MEM_WRITABLE ? "w" : "");
	return s;
}

/* One alt: its name, and where the device or boards.ini says what it holds. */
static json_t *alt_json(const struct devinfo *d, int alt, const char *name)
{
	json_t *o = json_pack("{s:i, s:s}", "alt", alt, "name", name);
	const struct board_alt *ba = d->board && d->mode == USB_BOOTLOADER ? board_alt(d->board, alt) : NULL;
	if (ba && !strcmp(ba->name, name)) { /* the openmv_dfu bootloader does not say; boards.ini does */
		json_object_set_new(o, "memory", json_string(ba->memory));
		json_object_set_new(o, "start", json_integer((json_int_t)ba->start.value));
		json_object_set_new(o, "size", json_integer((json_int_t)ba->size.value));
		json_object_set_new(o, "access", json_string(access_name(ba->access)));
		json_object_set_new(o, "source", json_string("boards.ini"));
		return o;
	}
	struct dfuse_layout l;
	struct rs_error e;
	if (name[0] == '@' && !dfuse_layout_parse(name, &l, &e)) { /* a DfuSe layout string */
		json_t *segs = json_array();
		for (size_t i = 0; i < l.n_segments; i++)
			json_array_append_new(segs, json_pack("{s:I, s:I, s:I, s:s}", "start", (json_int_t)l.seg[i].start,
			                      "size", (json_int_t)l.seg[i].end - l.seg[i].start + 1, "page_size",
			                      (json_int_t)l.seg[i].page_size, "access", dfuse_access(l.seg[i].type)));
		json_object_set_new(o, "segments", segs);
		json_object_set_new(o, "source", json_string("device"));
	}
	return o;
}

static libusb_device_handle *open_at(libusb_context *c, const struct devinfo *d)
{
	libusb_device **list;
	libusb_device_handle *h = NULL;
	ssize_t n = usb_io_device_list(c, &list);
	for (ssize_t i = 0; i < n && !h; i++)
		if (libusb_get_bus_number(list[i]) == d->bus && libusb_get_device_address(list[i]) == d->address)
			if (usb_io_open(list[i], &h))
				h = NULL;
	if (n >= 0)
		usb_io_free_device_list(list, 1);
	return h;
}

static void strings(libusb_device_handle *h, json_t *o)
{
	struct libusb_device_descriptor dd;
	unsigned char s[128];
	if (usb_io_device_descriptor(usb_io_device(h), &dd))
		return;
	json_object_set_new(o, "bcd_device", json_sprintf("0x%04X", dd.bcdDevice));
	if (dd.iManufacturer && usb_io_string_ascii(h, dd.iManufacturer, s, sizeof s) > 0)
		json_object_set_new(o, "manufacturer", json_string((char *)s));
	if (dd.iProduct && usb_io_string_ascii(h, dd.iProduct, s, sizeof s) > 0)
		json_object_set_new(o, "product", json_string((char *)s));
}

/* The DFU interface: alts, wTransferSize, the identity check; the openmv_dfu bootloader held. */
static void dfu_info(libusb_device_handle *h, const struct devinfo *d, json_t *o)
{
	struct libusb_config_descriptor *cfg;
	if (usb_io_active_config(usb_io_device(h), &cfg))
		return;
	int intf = dfu_find_interface(cfg);
	struct dfu_func_desc fd;
	static struct ident_dfu id;
	struct rs_error e = {0};
	if (intf < 0 || dfu_find_func_desc(cfg, (uint8_t)intf, &fd, &e) ||
	    identity_dfu_read(h, cfg, (uint8_t)intf, &fd, &id, &e)) {
		usb_io_free_config(cfg);
		return;
	}
	if (d->mode == USB_BOOTLOADER && !usb_io_claim(h, intf)) {
		uint8_t block[4096];
		bool held = dfu_req_upload(h, (uint16_t)intf, 0, block, fd.transfer_size < sizeof block ?
		                           fd.transfer_size : sizeof block, &e) >= 0;
		dfu_req_abort(h, (uint16_t)intf, &e); /* back to dfuIDLE; it stays in DFU */
		json_object_set_new(o, "held_in_bootloader", json_boolean(held));
		usb_io_release(h, intf);
	}
	json_t *alts = json_array();
	for (int i = 0; i < id.nalts; i++)
		json_array_append_new(alts, alt_json(d, i, id.names[i]));
	json_object_set_new(o, "alts", alts);
	json_object_set_new(o, "transfer_size", json_integer(fd.transfer_size));
	json_object_set_new(o, "dfu_version", json_sprintf("%X.%02X", fd.bcd_dfu >> 8, fd.bcd_dfu & 0xFF));
	if (d->mode == USB_BOOTLOADER && d->serial[0]) /* the serial number is the chip's unique ID in hex */
		json_object_set_new(o, "chip_uid", json_string(d->serial));
	char why[400] = "";
	if (d->board && d->mode == USB_BOOTLOADER) {
		bool same = !identity_check_openmv_dfu(d->board, &id, why, sizeof why);
		json_object_set_new(o, "identity", json_pack("{s:b, s:s}", "ok", same, "found", same ? "matches boards.ini" : why));
	}
	usb_io_free_config(cfg);
}

static void samba_info(const struct devinfo *d, json_t *o)
{
	char name[128];
	struct rs_error e = {0};
	struct sp_port *port;
	struct samba sb;
	if (serialdev_find_wait(&d->board->usb[USB_SAMBA], 0, NULL, NULL, name, sizeof name, &e) ||
	    serialdev_open(name, SAMBA_BAUD, &port, &e))
		return;
	if (!samba_connect(&sb, port, &e)) { /* N#, V#, I#: reads only; no K# reset */
		char why[300];
		bool same = !identity_check_samba(d->board, sb.version, sb.chip, why, sizeof why);
		json_object_set_new(o, "port", json_string(name));
		json_object_set_new(o, "samba_version", json_string(sb.version));
		json_object_set_new(o, "chip", json_string(sb.chip));
		json_object_set_new(o, "identity", json_pack("{s:b, s:s}", "ok", same, "found", same ? "matches boards.ini" : why));
	}
	serialdev_close(port);
}

static void picoboot_info(libusb_device_handle *h, const struct devinfo *d, json_t *o)
{
	int intf;
	uint8_t out, in;
	struct rs_error e = {0};
	struct picoboot pb;
	unsigned rom = 0;
	if (picoboot_find_interface(h, &intf, &out, &in, &e) || usb_io_claim(h, intf))
		return;
	if (!picoboot_open(&pb, h, intf, out, in, &e) && !picoboot_identify(&pb, &rom, &e)) {
		char why[300];
		bool same = !identity_check_picoboot(d->board, rom, why, sizeof why);
		json_object_set_new(o, "rom_version", json_integer(rom)); /* 1 = B0, 2 = B1, 3 = B2 */
		json_object_set_new(o, "identity", json_pack("{s:b, s:s}", "ok", same, "found", same ? "matches boards.ini" : why));
	} else {
		json_object_set_new(o, "identity", json_pack("{s:b, s:s}", "ok", 0, "found", e.msg));
	}
	usb_io_release(h, intf);
}

/* For people: "key: value" lines; arrays of objects one indented line each. */
static void print_value(const char *key, json_t *v, int depth)
{
	if (json_is_null(v))
		return;
	printf("%*s%-20s ", depth * 2, "", key);
	if (json_is_array(v) && json_array_size(v) && json_is_string(json_array_get(v, 0))) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) printf("%s%s", i ? ", " : "", json_string_value(x));
		putchar('\n');
		return;
	}
	if (json_is_object(v) || json_is_array(v)) {
		putchar('\n');
		size_t i;
		const char *k;
		json_t *x;
		if (json_is_object(v)) {
			json_object_foreach(v, k, x) print_value(k, x, depth + 1);
		} else {
			json_array_foreach(v, i, x) {
				char *s = json_dumps(x, JSON_COMPACT | JSON_ENCODE_ANY);
				printf("%*s%s\n", depth * 2 + 2, "", s);
				free(s);
			}
		}
		return;
	}
	char *s = json_dumps(v, JSON_ENCODE_ANY);
	printf("%s\n", json_is_string(v) ? json_string_value(v) : s);
	free(s);
}

static int pick(const struct devinfo *d, int n, const char *serial)
{
	int found = -1, count = 0;
	for (int i = 0; i < n; i++)
		if (!serial || !strcmp(d[i].serial, serial))
			found = found < 0 ? i : found, count++;
	if (!count) {
		fprintf(stderr, "openmv-rescue: %s\n", serial ? "no connected device has that serial number (see 'openmv-rescue list')"
		                                              : "no OpenMV camera, Arduino board or DFU device is connected");
		return -1;
	}
	if (count > 1) {
		fprintf(stderr, "openmv-rescue: %d devices are connected; choose one with --serial:", count);
		for (int i = 0; i < n; i++)
			fprintf(stderr, " %s", d[i].serial[0] ? d[i].serial : "(none)");
		fputc('\n', stderr);
		return -1;
	}
	return found;
}

int cli_info(const struct boarddb *db, const char *serial, bool json)
{
	static struct devinfo all[DEVLIST_MAX];
	int n = devlist_scan(db, all, DEVLIST_MAX);
	int k = pick(all, n, serial);
	if (k < 0)
		return 2;
	const struct devinfo *d = &all[k];
	json_t *o = cli_devinfo_json(d);
	if (!d->may_open) {
		fprintf(stderr, "openmv-rescue: no permission to open the %s: %s\n", devinfo_name(d), devlist_permission_fix());
		json_decref(o);
		return 2;
	}
	libusb_context *c = NULL;
	libusb_device_handle *h = NULL;
	if (libusb_init(&c) == 0 && (h = open_at(c, d))) {
		strings(h, o);
		if (d->mode == USB_BOOTSEL && d->board)
			picoboot_info(h, d, o);
		else if (d->mode == USB_FLASHLOADER)
			cli_info_mboot(h, d, o);
		else
			dfu_info(h, d, o);
		if (d->mode == USB_ST_ROM) /* every STM32 ROM is 0483:DF11: the N6's speaks phases */
			cli_info_stm32prog(h, db, d, o);
		usb_io_close(h);
	}
	if (c)
		libusb_exit(c);
	if (d->mode == USB_SAMBA && d->board)
		samba_info(d, o);
	if (d->mode == USB_SE_BRIDGE && d->board)
		cli_info_alif_se(d, o);
	json_object_set_new(o, "left_bootloader", json_false()); /* nothing here makes it leave */
	if (json) {
		json_dumpf(o, stdout, JSON_INDENT(2));
		fputc('\n', stdout);
	} else {
		const char *key;
		json_t *v;
		json_object_foreach(o, key, v) print_value(key, v, 0);
	}
	json_decref(o);
	return 0;
}
