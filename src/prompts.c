/* prompts.c — the table of hardware prompts (see prompts.h).  Titles follow the seeds'
 * wording; the full drawings and numbered steps are in assets/prompts/<id>.txt. */
#include "prompts.h"

#include <strings.h>

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
