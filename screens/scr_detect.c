/* scr_detect.c — the first screen: what is plugged in right now, named by board and mode,
 * updated on plug and unplug, with a proposal of what to do ("OpenMV Cam H7 is in its
 * bootloader - flash firmware?"). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "detect.h"
#include "widgets.h"
#include "udev_rules.h"
#include "wiz.h"

#define MAX_ITEMS (DETECT_MAX + 4)
#define SCAN_EVERY_TICKS 5 /* about twice a second: plug and unplug show up at once */

/* The likely action for a device found in a mode, and how to ask about it. */
static const struct {
	enum usb_mode mode;
	enum action action;
	const char *question; /* %s: the board */
} proposals[] = {
	{USB_BOOTLOADER, ACTION_FLASH, "%s is in its bootloader - flash firmware?"},
	{USB_FIRMWARE, ACTION_FLASH, "%s is running its firmware - update the firmware?"},
	{USB_FIRMWARE_LEGACY, ACTION_FLASH, "%s runs firmware 4.8.0 or older - update the firmware?"},
	{USB_ARDUINO_SKETCH, ACTION_FLASH, "%s runs an Arduino sketch - flash the OpenMV firmware?"},
	{USB_ARDUINO_DFU, ACTION_FLASH, "%s is in its DFU bootloader - flash firmware?"},
	{USB_SAMBA, ACTION_FLASH, "%s is in its bootloader - flash firmware?"},
	{USB_BOOTSEL, ACTION_FLASH, "%s is in BOOTSEL mode - flash firmware?"},
	{USB_FLASHLOADER, ACTION_FLASH, "%s answers as the NXP flashloader - flash firmware?"},
	{USB_ST_ROM, ACTION_RESTORE, "%s is in the ST ROM bootloader - restore the bootloader?"},
	{USB_SDP, ACTION_RESTORE, "%s is in ROM serial-download mode - restore the bootloader?"},
	{USB_SE_BRIDGE, ACTION_RESTORE, "The serial ISP port of %s is connected - restore the bootloader?"},
};

enum item_kind { ITEM_PROPOSAL, ITEM_ALL, ITEM_SYMPTOM, ITEM_CHOOSE, ITEM_PRACTICE, ITEM_QUIT };

static struct {
	struct detected found[DETECT_MAX];
	int n, ticks, sel, top;
	struct ui_item items[MAX_ITEMS];
	char labels[MAX_ITEMS][160];
	enum item_kind kind[MAX_ITEMS];
	int device[MAX_ITEMS];      /* which found device a proposal is about */
	enum action action[MAX_ITEMS];
	int nitems;
} d;

static int proposal_for(enum usb_mode m)
{
	for (size_t i = 0; i < sizeof proposals / sizeof proposals[0]; i++)
		if (proposals[i].mode == m)
			return (int)i;
	return -1;
}

static void add_item(enum item_kind k, const char *label, int device, enum action a)
{
	if (d.nitems == MAX_ITEMS)
		return;
	int i = d.nitems++;
	wiz_copy(d.labels[i], sizeof d.labels[i], label);
	d.items[i] = (struct ui_item){.label = d.labels[i]};
	d.kind[i] = k;
	d.device[i] = device;
	d.action[i] = a;
}

/* Can device i be one of "all N": a single board, a proposal, a serial number to pick it by. */
static int all_proposal(int i)
{
	const struct detected *x = &d.found[i];
	int p = proposal_for(x->match[0].mode);
	if (p < 0 || x->no_access || x->nmatch != 1 || !x->serial[0] ||
	    !board_supports(x->match[0].board, proposals[p].action))
		return -1;
	return p;
}

/* How many devices share device i's board and proposed action (i the first of them). */
static int same_kind(int i, bool *first)
{
	int p = all_proposal(i), n = 0;
	*first = true;
	for (int k = 0; k < d.n && p >= 0; k++) {
		int q = all_proposal(k);
		if (q < 0 || d.found[k].match[0].board != d.found[i].match[0].board ||
		    proposals[q].action != proposals[p].action)
			continue;
		if (k < i)
			*first = false;
		n++;
	}
	return n;
}

/* Several cameras of one board with the same proposal: "All N ..." at once. */
static void add_all_items(void)
{
	for (int i = 0; i < d.n; i++) {
		bool first;
		int n = same_kind(i, &first);
		if (n < 2 || !first)
			continue;
		enum action a = proposals[all_proposal(i)].action;
		char q[200];
		snprintf(q, sizeof q, "All %d %s cameras at once - %s", n > WIZ_MULTI_MAX ? WIZ_MULTI_MAX : n,
		         d.found[i].match[0].board->name, a == ACTION_FLASH ? "flash firmware" : "restore the bootloader");
		add_item(ITEM_ALL, q, i, a);
	}
}

static void build_menu(struct wiz *w)
{
	d.nitems = 0;
	for (int i = 0; i < d.n; i++) {
		const struct detected *x = &d.found[i];
		int p = proposal_for(x->match[0].mode);
		if (p < 0 || x->no_access)
			continue;
		char q[200];
		if (x->nmatch == 1) {
			if (!board_supports(x->match[0].board, proposals[p].action))
				continue;
			snprintf(q, sizeof q, proposals[p].question, x->match[0].board->name);
		} else {
			char who[80];
			snprintf(who, sizeof who, "One of %d boards", x->nmatch); /* the person says which */
			snprintf(q, sizeof q, proposals[p].question, who);
		}
		add_item(ITEM_PROPOSAL, q, i, proposals[p].action);
	}
	add_all_items();
	add_item(ITEM_SYMPTOM, "My camera does not boot: help me find the fix", -1, ACTION_FLASH);
	add_item(ITEM_CHOOSE, "Choose the camera and what to do yourself", -1, ACTION_FLASH);
	if (!w->practice)
		add_item(ITEM_PRACTICE, "Practise on a virtual camera (no hardware needed)", -1, ACTION_FLASH);
	add_item(ITEM_QUIT, "Quit", -1, ACTION_FLASH);
	if (d.sel >= d.nitems)
		d.sel = d.nitems - 1;
}

static bool same_devices(const struct detected *a, int na, const struct detected *b, int nb)
{
	if (na != nb)
		return false;
	for (int i = 0; i < na; i++)
		if (a[i].vid != b[i].vid || a[i].pid != b[i].pid || a[i].bus != b[i].bus ||
		    a[i].address != b[i].address || a[i].no_access != b[i].no_access)
			return false;
	return true;
}

static void scan(struct wiz *w)
{
	struct detected now[DETECT_MAX];
	int n = detect_scan(w->db, now, DETECT_MAX);
	if (same_devices(now, n, d.found, d.n) && d.nitems)
		return;
	for (int i = 0; i < n; i++) {
		bool was = false;
		for (int k = 0; k < d.n; k++)
			was |= now[i].bus == d.found[k].bus && now[i].address == d.found[k].address;
		if (!was)
			slog_add(&w->log, "detected %04X:%04X (%s)%s", now[i].vid, now[i].pid,
			         usb_mode_label(now[i].match[0].mode), now[i].no_access ? ", no permission" : "");
	}
	memcpy(d.found, now, sizeof now[0] * (size_t)n);
	d.n = n;
	d.sel = 0; /* the newest picture: the first proposal is the likely one */
	build_menu(w);
}

static void enter(struct wiz *w)
{
	w->practice_setup = false;
	d.n = 0;
	d.nitems = 0;
	d.ticks = 0;
	d.sel = d.top = 0;
	scan(w);
}

/* "OpenMV Cam H7 - OpenMV DFU bootloader 1.0.1 (37C5:9204)" */
static void describe(const struct detected *x, char *buf, size_t n)
{
	char who[120];
	if (x->nmatch == 1)
		wiz_copy(who, sizeof who, x->match[0].board->name);
	else
		snprintf(who, sizeof who, "%s or %d other board%s", x->match[0].board->name, x->nmatch - 1,
		         x->nmatch == 2 ? "" : "s");
	snprintf(buf, n, "%s - %s%s%s (%04X:%04X)", who, usb_mode_label(x->match[0].mode),
	         x->bootloader_version[0] ? " " : "", x->bootloader_version, x->vid, x->pid);
}

static void draw(struct wiz *w)
{
	(void)w; /* the fix names this program, not the assets */
	int y = ui_top(), x = ui_left(), wd = ui_width();
	ui_text(y++, x, wd, UI_HEADING, "Connected devices");
	int denied = -1; /* the first device we may not open */
	if (d.n == 0) {
		y += ui_wrap(y, x + 2, wd - 2, 3, UI_NORMAL,
		             "No camera found. Connect it with a USB data cable; it shows up here by itself.");
	}
	for (int i = 0; i < d.n && y < ui_top() + 7; i++) {
		char line[300];
		describe(&d.found[i], line, sizeof line);
		/* wrapped, not cut */
		y += ui_wrap(y, x + 2, wd - 2, 2, d.found[i].no_access ? UI_WARN : UI_GOOD, line);
		if (d.found[i].serial[0]) { /* on a line of its own: a 24-digit chip ID fills 80 columns */
			snprintf(line, sizeof line, "serial %s", d.found[i].serial);
			ui_text(y++, x + 4, wd - 4, UI_NORMAL, line);
		}
		if (d.found[i].no_access && denied < 0)
			denied = i;
	}
	if (denied >= 0) {
		char fix[900], node[40], cmd[600];
		udev_usb_node(d.found[denied].bus, d.found[denied].address, node, sizeof node);
		udev_fix_command(cmd, sizeof cmd);
		snprintf(fix, sizeof fix,
		         "No permission to open %s. Install the udev rules: in another terminal, run\n  %s\n"
		         "and this message goes away by itself.", node, cmd);
		y += ui_wrap(y, x, wd, 6, UI_WARN, fix);
	}
	y++;
	ui_text(y++, x, wd, UI_HEADING, "What now?");
	ui_menu(y, x, wd, ui_bottom() - y + 1, d.items, d.nitems, d.sel, &d.top);
}

static enum go choose(struct wiz *w)
{
	int i = d.sel;
	w->multi.n = 0; /* one camera, unless "all N" is chosen */
	if (d.kind[i] == ITEM_QUIT)
		return GO_QUIT;
	if (d.kind[i] == ITEM_PRACTICE) {
		char sim[600];
		if (practice_find_sim(w, sim, sizeof sim)) {
			snprintf(w->status, sizeof w->status, "The practice camera is not available: install the "
			         "openmv-rescue-sim package (or build with umockdev).");
			return GO_STAY;
		}
		w->practice_setup = true;
		return GO_NEXT;
	}
	w->practice_setup = false;
	if (d.kind[i] == ITEM_SYMPTOM || d.kind[i] == ITEM_CHOOSE) {
		if (d.n && !w->board) /* preselect the camera that is plugged in */
			w->board = d.found[0].match[0].board;
		return d.kind[i] == ITEM_SYMPTOM ? GO_SYMPTOM : GO_NEXT;
	}
	const struct detected *x = &d.found[d.device[i]];
	if (d.kind[i] == ITEM_ALL) /* the cameras like this one, by serial number */
		for (int k = 0; k < d.n && w->multi.n < WIZ_MULTI_MAX; k++) {
			bool first;
			if (same_kind(k, &first) < 2 || d.found[k].match[0].board != x->match[0].board ||
			    proposals[all_proposal(k)].action != d.action[i])
				continue;
			wiz_copy(w->multi.serial[w->multi.n++], sizeof w->multi.serial[0], d.found[k].serial);
		}
	w->board = x->match[0].board;
	w->action = d.action[i];
	w->action_chosen = true;
	slog_add(&w->log, "accepted: %s", d.labels[i]);
	if (x->nmatch > 1)
		return GO_NEXT; /* the same ID on several boards: the person says which */
	wiz_reset_files(w);
	return GO_SKIP;
}

static enum go key(struct wiz *w, int ch)
{
	switch (ch) {
	case KEY_UP: case 'k': d.sel = ui_menu_move(d.items, d.nitems, d.sel, -1); return GO_STAY;
	case KEY_DOWN: case 'j': d.sel = ui_menu_move(d.items, d.nitems, d.sel, 1); return GO_STAY;
	case '\n': case '\r': case KEY_ENTER: case KEY_RIGHT: return choose(w);
	case 27: case KEY_LEFT: case KEY_BACKSPACE: case 127: return GO_QUIT; /* nothing before this */
	default: return wiz_common_key(ch);
	}
}

static enum go tick(struct wiz *w)
{
	if (++d.ticks % SCAN_EVERY_TICKS == 0)
		scan(w);
	return GO_STAY;
}

const struct screen screen_detect = {
	.title = "Find the camera",
	.keys = "Enter choose  ? help  q quit",
	.help = "This screen lists the cameras and boards connected over USB, named by board and by mode "
	        "(running firmware, a bootloader, a chip ROM), and updates when you plug or unplug one.\n\n"
	        "Pick the proposal to go straight to the files, or choose the camera and action yourself. "
	        "With no camera at hand you can practise a whole recovery on a virtual camera.\n\n"
	        "A device that cannot be opened needs the udev rules shown on the screen.",
	.enter = enter, .draw = draw, .key = key, .tick = tick,
};
