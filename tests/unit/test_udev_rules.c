/* test_udev_rules.c — the udev rules generated from boards.ini (src/board/udev_rules.c): one usb
 * rule per distinct VID:PID however many boards share it, a tty rule with ModemManager told
 * to keep off exactly for the modes that are serial ports, hidraw rules exactly for the NXP
 * HID modes, the headless flavour without uaccess, and group names that cannot break a rule
 * refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/tap.h"
#include "boarddb.h"
#include "udev_rules.h"

static char *rules(const struct boarddb *db, const char *group, int *n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	*n = udev_rules_write(f, db, group);
	fclose(f);
	return text;
}

/* How many lines of text start with prefix and contain needle. */
static int lines_with(const char *text, const char *prefix, const char *needle)
{
	int count = 0;
	for (const char *l = text; l && *l;) {
		const char *end = strchr(l, '\n');
		size_t len = end ? (size_t)(end - l) : strlen(l);
		char line[600];
		snprintf(line, sizeof line, "%.*s", (int)len, l);
		if (!strncmp(line, prefix, strlen(prefix)) && strstr(line, needle))
			count++;
		l = end ? end + 1 : NULL;
	}
	return count;
}

static bool serial_mode(enum usb_mode m)
{
	return m == USB_FIRMWARE || m == USB_FIRMWARE_LEGACY || m == USB_ARDUINO_SKETCH || m == USB_SAMBA ||
	       m == USB_SE_BRIDGE;
}

static void check_every_id(const struct boarddb *db, const char *text)
{
	int bad_usb = 0, bad_tty = 0, bad_hid = 0, ids = 0;
	for (int b = 0; b < db->n; b++)
		for (int m = 0; m < USB_MODE_COUNT; m++)
			for (int i = 0; i < db->boards[b].usb[m].n; i++) {
				const struct usb_id *id = &db->boards[b].usb[m].id[i];
				char needle[80];
				snprintf(needle, sizeof needle, "ATTR{idVendor}==\"%04x\", ATTR{idProduct}==\"%04x\"",
				         id->vid, id->pid);
				ids++;
				bad_usb += lines_with(text, "SUBSYSTEM==\"usb\"", needle) != 1;
				snprintf(needle, sizeof needle, "ATTRS{idVendor}==\"%04x\", ATTRS{idProduct}==\"%04x\"",
				         id->vid, id->pid);
				int tty = lines_with(text, "SUBSYSTEM==\"tty\"", needle);
				/* a shared ID (1209:abd1) is serial in every mode it has */
				bad_tty += serial_mode((enum usb_mode)m) ? tty != 1 : 0;
				if (m == USB_SDP || m == USB_FLASHLOADER)
					bad_hid += lines_with(text, "KERNEL==\"hidraw*\"", needle) != 1;
			}
	ok(ids > 30 && bad_usb == 0, "each of the %d IDs of boards.ini has exactly one usb rule (%d wrong)", ids, bad_usb);
	ok(bad_tty == 0, "each serial mode's ID has one tty rule (%d wrong)", bad_tty);
	ok(bad_hid == 0, "each NXP HID mode's ID has one hidraw rule (%d wrong)", bad_hid);
	ok(lines_with(text, "SUBSYSTEM==\"tty\"", "") == lines_with(text, "SUBSYSTEM==\"tty\"", "ID_MM_DEVICE_IGNORE}=\"1\""),
	   "every tty rule tells ModemManager to keep off");
	ok(lines_with(text, "SUBSYSTEM==\"tty\"", "\"0483\", ATTRS{idProduct}==\"df11\"") == 0 &&
	   lines_with(text, "SUBSYSTEM==\"tty\"", "\"37c5\", ATTRS{idProduct}==\"9204\"") == 0,
	   "DFU-only IDs (ST ROM, OpenMV bootloader) get no tty rule");
}

int main(void)
{
	static struct boarddb db;
	struct rs_error err = {0};
	const char *path = getenv("OPENMV_RESCUE_BOARDS");
	if (!path || boarddb_load(&db, path, &err)) {
		printf("Bail out! boards.ini: %s\n", err.msg);
		return 1;
	}
	int n;
	char *text = rules(&db, NULL, &n);
	ok(n > 0 && text, "the desktop rules are written (%d distinct IDs)", n);
	check_every_id(&db, text);
	ok(lines_with(text, "# 0483:df11", "OPENMV4 st_rom") == 1 && lines_with(text, "# 0483:df11", "OPENMV_N6 st_rom") == 1,
	   "the shared ST ROM ID says which boards have it");
	ok(!strstr(text, "GROUP="), "the desktop rules set no group");
	free(text);

	text = rules(&db, "plugdev", &n);
	ok(n > 0 && !strstr(text, "uaccess") && lines_with(text, "SUBSYSTEM==\"usb\"", "MODE=\"0660\", GROUP=\"plugdev\"") == n,
	   "the headless rules give every ID to the group, without uaccess");
	free(text);

	const char *bad[] = {"", "a b", "x\",RUN+=\"/bin/sh", "../x", "abcdefghijklmnopqrstuvwxyz0123456"};
	int refused = 0;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		text = rules(&db, bad[i], &n);
		refused += n == -1;
		free(text);
	}
	ok(refused == 5, "group names that could break a rule are refused (%d of 5)", refused);
	return tap_done();
}
