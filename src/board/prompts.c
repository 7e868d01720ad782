/* prompts.c — the table of hardware prompts (see prompts.h).  Titles follow the seeds'
 * wording; the full drawings and numbered steps are in assets/prompts/<id>.txt, what another
 * mode seen during a prompt means in assets/prompts/meanings.ini. */
#include "prompts.h"

#include <iniparser.h>
#include <stdbool.h>
#include <sys/types.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

static const struct prompt_def prompts[] = {
	/* seed 003 "STM32 cameras (BOOT–RST jumper)" steps 1-3 */
	{"boot_rst_jumper", "Disconnect the camera, connect a jumper wire between BOOT and RST, reconnect"},
	/* seed 003 step 5 */
	{"remove_jumper", "Remove the jumper and reconnect the camera"},
	/* reference alif-isp-openmv-ide-n6.md §2.3: the N6 is jumpered BOOT to VCC */
	{"n6_boot_jumper", "Disconnect the camera, connect a jumper wire between BOOT and VCC, reconnect"},
	{"n6_remove_jumper", "Remove the BOOT jumper and reconnect the camera"},
	/* seed 003 "OpenMV Cam RT1062" step 1 and step 5 */
	{"sbl_jumper", "Disconnect the camera, jumper the SBL and 3.3V pins, reconnect"},
	{"remove_sbl_jumper", "Remove the SBL jumper and power-cycle the camera"},
	/* seed 003 "OpenMV AE3": hard-maintenance switch, user button, power cycles */
	{"hard_maintenance", "Connect the serial ISP adapter, set the hard-maintenance switch, press the user button when asked"},
	{"press_user_button", "Press the user button on the camera now"},
	{"power_cycle", "Power-cycle the camera: unplug it and plug it back in"},
	{"maintenance_off", "Power-cycle the camera and turn the hard-maintenance switch back off"},
	/* seed 002 §10.7.8: Nano 33 BLE double-tap, Nano RP2040 BOOTSEL */
	{"double_tap_reset", "Double-tap the RESET button: the board enters its bootloader"},
	{"bootsel", "Hold the BOOTSEL button while connecting USB"},
	/* seed 001: the AE3 listens briefly at power-up; seed 002 §10.7.4 */
	{"replug", "Unplug the camera and plug it back in"},
};

const struct prompt_def *prompt_find(const char *id)
{
	for (size_t i = 0; i < sizeof prompts / sizeof prompts[0]; i++)
		if (!strcasecmp(prompts[i].id, id))
			return &prompts[i];
	return NULL;
}

const struct prompt_def *prompt_all(size_t *n)
{
	*n = sizeof prompts / sizeof prompts[0];
	return prompts;
}

static bool is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

int prompts_assets_dir(const char *boards_path, char *out, size_t n)
{
	char copy[512], dir[600];
	snprintf(copy, sizeof copy, "%s", boards_path);
	snprintf(dir, sizeof dir, "%s/assets", dirname(copy));
	if (!is_dir(dir))
		snprintf(dir, sizeof dir, "%s/assets", RESCUE_DATADIR);
	if (!is_dir(dir) || strlen(dir) >= n) {
		if (n)
			out[0] = '\0';
		return -1;
	}
	snprintf(out, n, "%s", dir);
	return 0;
}

#define NPROMPTS (sizeof prompts / sizeof prompts[0])
static char *meanings[NPROMPTS][USB_MODE_COUNT];
static bool meanings_loaded;

/* Every key of the file is PROMPT:MODE with a known prompt and mode. */
static int check_keys(const dictionary *d, const char *path, char *why, size_t n)
{
	for (ssize_t i = 0; i < d->size; i++) {
		const char *key = d->key[i];
		const char *colon = key ? strchr(key, ':') : NULL;
		if (!key || (!colon && prompt_find(key)))
			continue; /* a section header */
		char id[64];
		snprintf(id, sizeof id, "%.*s", colon ? (int)(colon - key) : (int)strlen(key), key);
		bool mode_known = false;
		for (int m = 0; colon && m < USB_MODE_COUNT; m++)
			mode_known |= !strcmp(colon + 1, usb_mode_name((enum usb_mode)m));
		if (!prompt_find(id) || !mode_known) {
			snprintf(why, n, "%s: '%s' is not PROMPT-ID (a section) and MODE (a usb.MODE of "
			         "boards.ini)", path, key);
			return -1;
		}
	}
	return 0;
}

int prompt_meanings_load(const char *assets_dir, char *why, size_t n)
{
	if (meanings_loaded)
		return 0;
	char path[700];
	snprintf(path, sizeof path, "%s/prompts/meanings.ini", assets_dir);
	dictionary *d = iniparser_load(path);
	if (!d) {
		snprintf(why, n, "%s cannot be read", path);
		return -1;
	}
	int rc = check_keys(d, path, why, n);
	for (size_t p = 0; !rc && p < NPROMPTS; p++)
		for (int m = 0; m < USB_MODE_COUNT; m++) {
			char key[80];
			snprintf(key, sizeof key, "%s:%s", prompts[p].id, usb_mode_name((enum usb_mode)m));
			const char *v = iniparser_getstring(d, key, NULL);
			meanings[p][m] = v && v[0] ? strdup(v) : NULL;
		}
	iniparser_freedict(d);
	meanings_loaded = !rc;
	return rc;
}

void prompt_seen_instead(const char *id, enum usb_mode mode, const char *other, char *buf, size_t n)
{
	const char *meaning = prompt_meaning(id, mode);
	if (meaning)
		snprintf(buf, n, "Seen instead: %s - %s", other, meaning);
	else
		snprintf(buf, n, "Seen instead: %s - the same camera in another mode; it is not what the next "
		         "step needs yet.", other);
}

const char *prompt_meaning(const char *id, enum usb_mode mode)
{
	const struct prompt_def *d = prompt_find(id);
	if (!d || (unsigned)mode >= USB_MODE_COUNT)
		return NULL;
	return meanings[d - prompts][mode];
}
