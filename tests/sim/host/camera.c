/* A virtual camera: memories, modes and identity changes, faults, load and dump. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "camera_priv.h"
#include "model_table.h"

/* The bootloader stays in DFU this long after power-up without a DFU request
 * (OMV_BOOT_DFU_TIMEOUT; reference alif-isp §2.2). */
#define POWER_UP_WINDOW_MS 1500

static const char *const mode_names[] = {
	[CAMERA_OFF] = "off", [CAMERA_BOOTLOADER] = "bootloader", [CAMERA_POWER_UP] = "power-up",
	[CAMERA_ST_ROM] = "st-rom", [CAMERA_ARDUINO_DFU] = "arduino-dfu", [CAMERA_FIRMWARE] = "firmware",
	[CAMERA_SDP] = "sdp", [CAMERA_FLASHLOADER] = "flashloader", [CAMERA_SBL] = "sbl",
	[CAMERA_SBL_POWER_UP] = "sbl-power-up",
	[CAMERA_N6_OPENBOOTLOADER] = "openbootloader", [CAMERA_SAMBA] = "samba",
	[CAMERA_BOOTSEL] = "bootsel",
};

/* The RT1062's secure bootloader answers for about a second after a reset (ref-alif §2.3). */
#define SBL_WINDOW_MS 1000

const char *camera_mode_name(enum camera_mode m) { return mode_names[m]; }

int camera_mode_from_name(const char *name)
{
	for (int i = 0; i < (int)(sizeof mode_names / sizeof mode_names[0]); i++)
		if (strcasecmp(name, mode_names[i]) == 0)
			return i;
	if (strcasecmp(name, "gone") == 0)
		return CAMERA_OFF;
	return -1;
}

static void add_memory(struct camera *cam, const struct cam_region *r)
{
	simmem_init(&cam->mem[cam->n_mem++], r->name, r->base, r->size, r->kind, r->sectors, 4,
		    cam_timing(r->timing, cam->opts.realistic_timing));
}

struct camera *camera_new(struct usbsim *sim, const struct camera_type *type, int port,
			  const char *label, const struct camera_options *opts)
{
	struct camera *cam = calloc(1, sizeof *cam);

	cam->sim = sim;
	cam->type = type;
	cam->port = port;
	if (opts)
		cam->opts = *opts;
	snprintf(cam->label, sizeof cam->label, "%s", label ? label : type->name);
	if (cam->opts.serial)
		snprintf(cam->serial, sizeof cam->serial, "%s", cam->opts.serial);
	else /* 12-byte chip UID in hex, like the bootloader's serial (ref alif-isp §2.2) */
		snprintf(cam->serial, sizeof cam->serial, "%08X%08X%08X", 0x00330029u,
			 0x3532510Fu + (unsigned)port, 0x38373636u);
	cam->opts.serial = NULL;
	for (int i = 0; i < type->n_regions; i++)
		add_memory(cam, &type->regions[i]);
	if (type->rom)
		for (int i = 0; i < type->rom->n_extra; i++)
			add_memory(cam, &type->rom->extra[i]);
	if (type->nxp) { /* unburned eFuses read 0 */
		add_memory(cam, &type->nxp->fuses);
		memset(cam->mem[cam->n_mem - 1].bytes, 0, type->nxp->fuses.size);
	}
	return cam;
}

void camera_free(struct camera *cam)
{
	if (!cam)
		return;
	/* After usbsim_free(): the bus dropped every pending job, and unplugged devices no
	 * longer call into the models kept here. */
	for (int i = 0; i < cam->n_mem; i++)
		simmem_release(&cam->mem[i]);
	for (int i = 0; i < cam->n_models; i++)
		free(cam->models[i]);
	free(cam);
}

const char *camera_label(const struct camera *cam) { return cam->label; }
int camera_port(const struct camera *cam) { return cam->port; }
const char *camera_serial(const struct camera *cam) { return cam->serial; }
bool camera_impostor(const struct camera *cam) { return cam->opts.impostor; }
void camera_set_impostor(struct camera *cam, bool on) { cam->opts.impostor = on; }
const struct camera_type *camera_type_of(const struct camera *cam) { return cam->type; }
enum camera_mode camera_after_leave(const struct camera *cam) { return cam->opts.after_leave; }
enum camera_mode camera_mode(const struct camera *cam) { return cam->mode; }
struct usbsim_dev *camera_usb(const struct camera *cam) { return cam->dev; }
unsigned camera_class_requests(const struct camera *cam) { return cam->class_requests; }
int camera_memory_count(const struct camera *cam) { return cam->n_mem; }
struct simmem *camera_memory_index(struct camera *cam, int i) { return &cam->mem[i]; }

/* Firmware 4.8.0 and older enumerate as pid.codes 1209:ABD1 on every OpenMV board; 4.8.1
 * brought the board's own 37C5 ID (openmv/openmv v4.8.1:boards/OPENMV4/omv_boardconfig.mk
 * OMV_USB_VID/PID; the IDE's settings.json lists 1209:ABD1 for the older firmware).  For the
 * AE3 and the RT1062 before 4.8.1 this is inferred [I]: their boards set no USB ID then. */
static bool legacy_usb_id(const struct camera *cam)
{
	return cam->type->rt_vid == 0x37C5 && (cam->opts.fw == CAMERA_FW_4_4 || cam->opts.fw == CAMERA_FW_4_8_0);
}

uint16_t camera_runtime_pid(const struct camera *cam)
{
	if (legacy_usb_id(cam))
		return 0xABD1;
	return cam->opts.sketch && cam->type->sketch_pid ? cam->type->sketch_pid : cam->type->rt_pid;
}

uint16_t camera_runtime_vid(const struct camera *cam)
{
	return legacy_usb_id(cam) ? 0x1209 : cam->type->rt_vid;
}

enum camera_fw camera_firmware(const struct camera *cam) { return cam->opts.fw; }
bool camera_is_sketch(const struct camera *cam) { return cam->opts.sketch; }

bool camera_fw_parse(const char *text, enum camera_fw *fw)
{
	int a, b, c;
	if (!strcmp(text, "v2")) {
		*fw = CAMERA_FW_V2;
		return true;
	}
	if (sscanf(text, "%d.%d.%d", &a, &b, &c) != 3)
		return false;
	int v = a * 10000 + b * 100 + c;
	if (v >= 40400 && v <= 40700)
		*fw = CAMERA_FW_4_4;
	else if (v == 40800)
		*fw = CAMERA_FW_4_8_0;
	else if (v == 40801)
		*fw = CAMERA_FW_4_8_1;
	else if (a >= 5)
		*fw = CAMERA_FW_V2;
	else
		return false;
	return true;
}

void *camera_keep(struct camera *cam, void *state)
{
	if (cam->n_models < (int)(sizeof cam->models / sizeof cam->models[0]))
		cam->models[cam->n_models++] = state;
	return state; /* (64 identities per camera are plenty for a test) */
}

unsigned camera_boot_delay(const struct camera *cam)
{
	return cam->opts.realistic_timing ? 500 : 20; /* A4: time from reset to enumeration */
}

/* ---- modes ------------------------------------------------------------------------- */

static bool mode_supported(const struct camera *cam, enum camera_mode m, char *err, size_t len)
{
	const struct camera_type *t = cam->type;
	bool ok;

	switch (m) {
	case CAMERA_OFF:
		ok = true;
		break;
	case CAMERA_SAMBA: /* modelled outside, on the tty layer (host/serialside) */
		ok = t->ext_boot == CAM_EXT_SAMBA;
		break;
	case CAMERA_BOOTSEL: /* modelled outside (host/serialside) */
		ok = t->ext_boot == CAM_EXT_BOOTSEL;
		break;
	default: /* a USB model of models/model_table.c */
		ok = camera_model_for(t, m) != NULL;
		break;
	}
	if (!ok && err)
		snprintf(err, len, "%s has no %s mode", t->name, mode_names[m]);
	return ok;
}

static void window_expired(void *arg)
{
	struct camera *cam = arg;

	cam->window_job = 0;
	if (!cam->dfu_activity && (cam->mode == CAMERA_POWER_UP || cam->mode == CAMERA_SBL_POWER_UP))
		camera_leave(cam); /* no DFU request within the window: jump to the firmware */
}

/* On the sim thread, lock held. */
static void enter_mode(struct camera *cam, enum camera_mode m)
{
	cam->class_requests = cam->status_requests = 0;
	cam->dfu_activity = false;
	cam->recovery_key_used = false;
	cam->dev = NULL;
	cam->mode = m;
	const struct camera_model *model = camera_model_for(cam->type, m); /* NULL: no USB model */
	if (model)
		cam->dev = model->plug(cam);
	switch (m) {
	case CAMERA_POWER_UP:
		cam->window_job = usbsim_schedule(cam->sim, POWER_UP_WINDOW_MS, window_expired, cam);
		break;
	case CAMERA_SBL_POWER_UP:
		cam->window_job = usbsim_schedule(cam->sim, SBL_WINDOW_MS, window_expired, cam);
		break;
	case CAMERA_FIRMWARE:
		if (cam->hooks.enter)
			cam->hooks.enter(cam, m, cam->dev, cam->hooks.ctx);
		break;
	case CAMERA_SAMBA:
	case CAMERA_BOOTSEL:
		cam->dev = cam->hooks.enter ? cam->hooks.enter(cam, m, NULL, cam->hooks.ctx) : NULL;
		break;
	default:
		break;
	}
	if (cam->dev && cam->opts.no_access)
		usbsim_deny_access(cam->dev);
}

static void switch_job(void *arg)
{
	struct camera *cam = arg;

	cam->switch_job = 0;
	enter_mode(cam, cam->switch_to);
}

/* Modes with something beside (or instead of) a USB model: their hooks must run in order
 * on the sim thread. */
static bool has_serial_side(const struct camera *cam, enum camera_mode m)
{
	return cam->hooks.leave && (m == CAMERA_FIRMWARE || m == CAMERA_SAMBA || m == CAMERA_BOOTSEL);
}

static void unplug_current(struct camera *cam)
{
	if (cam->window_job)
		usbsim_cancel(cam->sim, cam->window_job);
	cam->window_job = 0;
	if (has_serial_side(cam, cam->mode))
		cam->hooks.leave(cam, cam->mode, cam->dev, cam->hooks.ctx);
	if (cam->dev)
		usbsim_unplug(cam->dev);
	cam->dev = NULL;
	cam->mode = CAMERA_OFF;
}

static void unplug_job(void *arg)
{
	unplug_current(arg);
}

void camera_switch(struct camera *cam, enum camera_mode mode, unsigned delay_ms)
{
	usbsim_lock(cam->sim);
	if (cam->switch_job)
		usbsim_cancel(cam->sim, cam->switch_job);
	if (cam->leave_job) /* a leave still pending belongs to the identity going away */
		usbsim_cancel(cam->sim, cam->leave_job);
	cam->switch_job = cam->leave_job = 0;
	/* A bootloader vanishes at once (requests in flight fail); a tty or an outside model
	 * must be removed on the sim thread, so that unplug is queued in order. */
	if (has_serial_side(cam, cam->mode))
		usbsim_schedule(cam->sim, 0, unplug_job, cam);
	else
		unplug_current(cam);
	cam->switch_to = mode;
	if (mode != CAMERA_OFF)
		cam->switch_job = usbsim_schedule(cam->sim, delay_ms, switch_job, cam);
	usbsim_unlock(cam->sim);
}

int camera_plug(struct camera *cam, enum camera_mode mode, char *err, size_t err_len)
{
	if (!mode_supported(cam, mode, err, err_len))
		return -1;
	camera_switch(cam, mode, 0);
	usbsim_sync(cam->sim);
	return 0;
}

void camera_leave(struct camera *cam)
{
	enum camera_mode next = cam->leave_once_set ? cam->leave_once : cam->opts.after_leave;

	cam->leave_once_set = false;
	if (next != CAMERA_OFF && !mode_supported(cam, next, NULL, 0))
		next = CAMERA_OFF;
	camera_switch(cam, next, camera_boot_delay(cam));
}

void camera_replug(struct camera *cam)
{
	usbsim_lock(cam->sim);
	cam->leave_once_set = false; /* a reboot's one-shot target no longer applies */
	camera_leave(cam);
	usbsim_unlock(cam->sim);
}

static void leave_job(void *arg)
{
	struct camera *cam = arg;

	cam->leave_job = 0;
	camera_leave(cam);
}

void camera_leave_soon(struct camera *cam, unsigned delay_ms)
{
	if (!cam->leave_job)
		cam->leave_job = usbsim_schedule(cam->sim, delay_ms ? delay_ms : 1, leave_job, cam);
}

void camera_bootloader_left(struct camera *cam)
{
	usbsim_lock(cam->sim);
	camera_leave(cam);
	usbsim_unlock(cam->sim);
}

/* [I] how long the port stays empty before the other device enumerates on it: a person
 * unplugging one board and plugging another takes longer; long enough for the host to see
 * the removal first */
#define REPLACE_MS 300
/* the other device's serial number: a 12-byte chip UID in hex, as the camera's own */
#define REPLACED_SERIAL "004C003E3438510A34373939"

static void replace_job(void *arg)
{
	struct camera *cam = arg;

	cam->replace_job = 0;
	snprintf(cam->serial, sizeof cam->serial, "%s", REPLACED_SERIAL);
	camera_switch(cam, cam->replace_mode, 0);
}

void camera_replace_soon(struct camera *cam, enum camera_mode mode)
{
	usbsim_lock(cam->sim);
	cam->replace_mode = mode;
	if (!cam->replace_job)
		cam->replace_job = usbsim_schedule(cam->sim, REPLACE_MS, replace_job, cam);
	usbsim_unlock(cam->sim);
}

void camera_set_serial_hooks(struct camera *cam, const struct camera_serial_hooks *hooks)
{
	usbsim_lock(cam->sim);
	cam->hooks = *hooks;
	usbsim_unlock(cam->sim);
}

void camera_reboot_to_bootloader(struct camera *cam)
{
	const struct camera_type *t = cam->type;
	enum camera_mode m = t->arduino ? CAMERA_ARDUINO_DFU : t->nxp ? CAMERA_SBL
			   : t->ext_boot == CAM_EXT_SAMBA ? CAMERA_SAMBA
			   : t->ext_boot == CAM_EXT_BOOTSEL ? CAMERA_BOOTSEL : CAMERA_BOOTLOADER;
	camera_switch(cam, m, camera_boot_delay(cam));
}

void camera_reboot(struct camera *cam)
{
	usbsim_lock(cam->sim);
	if (cam->type->arduino || cam->type->ext_boot == CAM_EXT_SAMBA || cam->type->ext_boot == CAM_EXT_BOOTSEL) {
		camera_switch(cam, CAMERA_FIRMWARE, camera_boot_delay(cam));
	} else if (cam->type->nxp) { /* the SBL's window, then the firmware (seed 002 §10.7.7) */
		camera_switch(cam, CAMERA_SBL_POWER_UP, camera_boot_delay(cam));
		cam->leave_once = CAMERA_FIRMWARE;
		cam->leave_once_set = true;
	} else {
		camera_switch(cam, CAMERA_POWER_UP, camera_boot_delay(cam));
		cam->leave_once = CAMERA_FIRMWARE; /* after the window: the firmware */
		cam->leave_once_set = true;
	}
	usbsim_unlock(cam->sim);
}


/* ---- faults ------------------------------------------------------------------------ */

int camera_add_fault(struct camera *cam, const char *spec, char *err, size_t err_len)
{
	struct fault f;

	if (fault_parse(spec, &f, err, err_len) < 0)
		return -1;
	if (f.kind == FAULT_H7_REV_V && (!cam->type->rom || strcmp(cam->type->rom->mcu, "STM32H743") != 0)) {
		snprintf(err, err_len, "h7-rev-v needs an STM32H7 camera (%s is %s)", cam->type->name,
			 cam->type->mcu);
		return -1;
	}
	if (cam->n_faults == (int)(sizeof cam->faults / sizeof cam->faults[0])) {
		snprintf(err, err_len, "too many faults");
		return -1;
	}
	usbsim_lock(cam->sim);
	cam->faults[cam->n_faults++] = f;
	usbsim_unlock(cam->sim);
	return 0;
}

bool camera_fault_active(const struct camera *cam, enum fault_kind kind)
{
	for (int i = 0; i < cam->n_faults; i++)
		if (cam->faults[i].kind == kind)
			return true;
	return false;
}

struct fault *camera_take_fault(struct camera *cam, enum fault_kind kind, unsigned n)
{
	for (int i = 0; i < cam->n_faults; i++) {
		struct fault *f = &cam->faults[i];
		if (f->kind == kind && f->n == n && !f->fired) {
			f->fired = true;
			if (f->replace) /* the model switches the camera off now; the other comes later */
				camera_replace_soon(cam, cam->mode);
			return f;
		}
	}
	return NULL;
}

int camera_fault_on_request(struct camera *cam, const struct usbsim_ctrl *rq)
{
	cam->class_requests++; /* (what holds a bootloader's window is the model's to say) */
	if (rq->bRequest == 3 /* GETSTATUS */)
		cam->status_requests++;
	if (camera_take_fault(cam, FAULT_STALL, cam->class_requests))
		return USBSIM_STALL;
	if (camera_take_fault(cam, FAULT_TIMEOUT, cam->class_requests))
		return USBSIM_NEVER;
	return 0;
}

int camera_fault_on_status(struct camera *cam, uint8_t *reply, int len)
{
	if (camera_take_fault(cam, FAULT_GARBAGE_STATUS, cam->status_requests)) {
		/* bStatus beyond errSTALLEDPKT, an undefined state: nothing a device may send */
		const uint8_t garbage[6] = {0xA5, 0x00, 0x00, 0x00, 0xEE, 0x5A};
		memcpy(reply, garbage, 6);
		return len < 6 ? len : 6;
	}
	if (camera_take_fault(cam, FAULT_SHORT_STATUS, cam->status_requests))
		return len < 3 ? len : 3;
	return len;
}

int camera_fault_on_phase(struct camera *cam, uint8_t *answer, int len)
{
	struct fault *f;

	cam->phase_requests++;
	if (camera_take_fault(cam, FAULT_PHASE_DISCONNECT, cam->phase_requests))
		return CAMERA_FAULT_DISCONNECT;
	if ((f = camera_take_fault(cam, FAULT_PHASE_WRONG, cam->phase_requests))) {
		answer[0] = (uint8_t)f->status;
		return len;
	}
	if (camera_take_fault(cam, FAULT_PHASE_GARBAGE, cam->phase_requests))
		return len < 4 ? len : 4;
	return len;
}

int camera_fault_on_claim(struct camera *cam)
{
	if (!camera_take_fault(cam, FAULT_VANISH_CLAIM, ++cam->claims))
		return 0;
	camera_switch(cam, CAMERA_OFF, 0);
	return USBSIM_GONE;
}

/* unplug@byte=N: the block that would take the camera past N bytes of download data never
 * arrives (the cable is pulled); every byte before it was taken. */
static bool unplugged_at(struct camera *cam, unsigned len)
{
	for (int i = 0; i < cam->n_faults; i++) {
		struct fault *f = &cam->faults[i];
		if (f->kind == FAULT_UNPLUG_BYTES && !f->fired && cam->download_bytes + len > f->n) {
			f->fired = true;
			return true;
		}
	}
	cam->download_bytes += len;
	return false;
}

int camera_fault_on_block(struct camera *cam, unsigned block, unsigned len)
{
	struct fault *f;

	if (unplugged_at(cam, len))
		return CAMERA_FAULT_DISCONNECT;
	if (camera_take_fault(cam, FAULT_DISCONNECT_BLOCK, block))
		return CAMERA_FAULT_DISCONNECT;
	if ((f = camera_take_fault(cam, FAULT_STATUS_BLOCK, block)))
		return f->status;
	return 0;
}
