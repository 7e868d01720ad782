/* model_table.c — the one table of USB device models (see model_table.h).  The order
 * matters where two models serve one mode: the first that fits the camera wins. */
#include <stddef.h>

#include "model_table.h"

static bool has_openmv_dfu(const struct camera_type *t) { return t->n_parts > 0; }
static bool has_n6_rom(const struct camera_type *t) { return t->n6_phase_rom; }
static bool has_st_rom(const struct camera_type *t) { return t->rom != NULL; }
static bool has_arduino_dfu(const struct camera_type *t) { return t->arduino; }
static bool has_nxp(const struct camera_type *t) { return t->nxp != NULL; }

/* The models whose plug takes a variant: one entry per variant. */
static struct usbsim_dev *plug_n6_rom(struct camera *cam) { return model_n6_plug(cam, false); }
static struct usbsim_dev *plug_n6_obl(struct camera *cam) { return model_n6_plug(cam, true); }
static struct usbsim_dev *plug_st_rom(struct camera *cam) { return model_dfuse_plug(cam, false); }
static struct usbsim_dev *plug_arduino_dfu(struct camera *cam) { return model_dfuse_plug(cam, true); }

static const struct camera_model models[] = {
	{ "openmv_dfu", { CAMERA_BOOTLOADER, CAMERA_POWER_UP }, has_openmv_dfu, model_openmv_dfu_plug },
	{ "n6-rom", { CAMERA_ST_ROM }, has_n6_rom, plug_n6_rom },
	{ "n6-openbootloader", { CAMERA_N6_OPENBOOTLOADER }, has_n6_rom, plug_n6_obl },
	{ "st-rom", { CAMERA_ST_ROM }, has_st_rom, plug_st_rom },
	{ "arduino-dfuse", { CAMERA_ARDUINO_DFU }, has_arduino_dfu, plug_arduino_dfu },
	{ "nxp-sdp", { CAMERA_SDP }, has_nxp, model_nxp_sdp_plug },
	{ "nxp-mboot", { CAMERA_FLASHLOADER, CAMERA_SBL, CAMERA_SBL_POWER_UP }, has_nxp, model_nxp_mboot_plug },
	{ "firmware", { CAMERA_FIRMWARE }, NULL, model_firmware_plug },
};

static bool serves(const struct camera_model *m, enum camera_mode mode)
{
	for (int i = 0; i < MODEL_MAX_MODES; i++)
		if (m->modes[i] == mode && mode != CAMERA_OFF)
			return true;
	return false;
}

const struct camera_model *camera_model_for(const struct camera_type *type, enum camera_mode mode)
{
	for (size_t i = 0; i < sizeof models / sizeof models[0]; i++)
		if (serves(&models[i], mode) && (!models[i].fits || models[i].fits(type)))
			return &models[i];
	return NULL;
}
