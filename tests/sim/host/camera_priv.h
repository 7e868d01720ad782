/* What the device models see of a camera.  Not for tests (use camera.h). */
#ifndef CAMERA_PRIV_H
#define CAMERA_PRIV_H

#include "camera.h"
#include "faults.h"
#include "usbdesc.h"

#define CAMERA_MAX_MEM (CAM_MAX_REGIONS + 3)
#define CAMERA_FAULT_DISCONNECT (-1000)

struct camera {
	struct usbsim *sim;
	const struct camera_type *type;
	char label[48];
	char serial[40];
	int port;
	struct camera_options opts;
	struct simmem mem[CAMERA_MAX_MEM];
	int n_mem;

	enum camera_mode mode;
	struct usbsim_dev *dev;
	enum camera_mode switch_to;  /* the mode the pending switch job enters */
	enum camera_mode leave_once; /* one-shot after_leave override (camera_reboot) */
	bool leave_once_set;
	unsigned window_job, switch_job, leave_job;
	unsigned replace_job;        /* a replaced@ fault's other device, pending */
	enum camera_mode replace_mode;
	bool dfu_activity;
	bool recovery_key_used; /* AE3 alt 7: at most once per bootloader session */

	struct fault faults[16];
	int n_faults;
	unsigned class_requests, status_requests;
	unsigned phase_requests; /* N6 GetPhase answers since the camera was created */
	unsigned claims;         /* interface claims on its DFU bootloaders, ever */
	unsigned long long download_bytes; /* DFU download data taken, ever (unplug@byte=N) */

	struct camera_serial_hooks hooks;
	void *models[64]; /* model states, freed with the camera */
	int n_models;
};

/* Models (one file each): build the identity, plug it, return the device. */
struct usbsim_dev *model_openmv_dfu_plug(struct camera *cam);
struct usbsim_dev *model_dfuse_plug(struct camera *cam, bool arduino);
struct usbsim_dev *model_firmware_plug(struct camera *cam);
struct usbsim_dev *model_nxp_sdp_plug(struct camera *cam);
struct usbsim_dev *model_nxp_mboot_plug(struct camera *cam);

/* The first unfired fault of this kind whose count is n, now fired; NULL if none. */
struct fault *camera_take_fault(struct camera *cam, enum fault_kind kind, unsigned n);
/* The N6 boot ROM's phase-protocol DFU, or the OpenBootloader it loads (model_n6.c). */
struct usbsim_dev *model_n6_plug(struct camera *cam, bool openbootloader);

/* Fault hooks for the DFU models.  on_request: 0 to go on, or USBSIM_STALL/NEVER.
 * on_status: may garble a GETSTATUS reply, returns the length to send.
 * on_block (a download block of len bytes): 0, CAMERA_FAULT_DISCONNECT, or a DFU status the
 * block fails with. */
int camera_fault_on_request(struct camera *cam, const struct usbsim_ctrl *rq);
int camera_fault_on_status(struct camera *cam, uint8_t *reply, int len);
int camera_fault_on_block(struct camera *cam, unsigned block, unsigned len);
/* A DFU model's claimed hook: 0, or USBSIM_GONE after unplugging the camera (vanish@claim). */
int camera_fault_on_claim(struct camera *cam);
/* N6 GetPhase answers (counted camera-wide from 1): may change the answer's phase byte or
 * shorten it (returns the length), or return CAMERA_FAULT_DISCONNECT. */
int camera_fault_on_phase(struct camera *cam, uint8_t *answer, int len);
bool camera_fault_active(const struct camera *cam, enum fault_kind kind);

/* The bootloader jumps away (USB reset, power-up timeout): gone at once. */
void camera_leave(struct camera *cam);
/* The same once the current request has been answered (DfuSe :leave), or a while
 * after it (DETACH: the main loop notices the flag and jumps, see DETACH_LEAVE_MS). */
void camera_leave_soon(struct camera *cam, unsigned delay_ms);

/* After DETACH a bootloader leaves "shortly" [I]: long enough that dfu-util's
 * `--reset` (DETACH then an immediate USB reset) meets the device still there, as on
 * hardware where the jump and the hub's disconnect take milliseconds. */
#define DETACH_LEAVE_MS 250
/* Keep a model state until the camera is freed (identities outlive their plug). */
void *camera_keep(struct camera *cam, void *state);
/* Milliseconds a reboot takes before the next identity enumerates. */
unsigned camera_boot_delay(const struct camera *cam);

#endif
