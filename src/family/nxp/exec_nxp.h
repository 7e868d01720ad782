/* exec_nxp.h — executors for the OpenMV Cam RT1062: the i.MX RT ROM's serial download (SDP,
 * 1FC9:0135) and the NXP MCU bootloader (blhost, 15A2:0073: the RAM flashloader or the
 * secure bootloader on flash).  They translate the plan's steps into src/proto/sdp.h and
 * src/proto/mboot.h calls; the open device stays in rc->device between steps.
 */
#ifndef RESCUE_EXEC_NXP_H
#define RESCUE_EXEC_NXP_H

#include "proto/mboot.h"
#include "proto/sdp.h"
#include "runner.h"
#include "step_exec.h"
#include "usbdev.h"

/* How long a device that comes by itself (the flashloader after jump-address, reference
 * nxp-sdp-mboot.md §1.5: 1-3 s; the ROM after a prompt) may take to appear. */
#define NXP_APPEAR_TIMEOUT_MS 15000
/* How long to wait for a person to press reset (the runner's prompts wait 300 s). */
#define NXP_PERSON_TIMEOUT_MS 300000
/* Erase timeout when a step carries none: OpenMV passes blhost -t 120000 (seed 002). */
#define NXP_ERASE_TIMEOUT_MS 120000
/* configure-memory may program the FCB before it answers (reference §2.11). */
#define NXP_CONFIGURE_TIMEOUT_MS 30000

/* The open NXP device kept in rc->device. */
/* Which erase units of an image step its erase step left alone (blhost_delta.h). */
struct blhost_delta {
	int image;              /* the plan's image index; -1: no plan kept */
	uint64_t address;       /* where the image goes */
	size_t units;
	uint64_t *start, *size; /* each unit the image touches */
	uint8_t *write;         /* one flag per unit: erased, so to be written */
};

struct nxp_device {
	struct usbdev usb;
	enum usb_mode mode;     /* USB_SDP or USB_FLASHLOADER */
	struct sdp_dev sdp;
	struct mboot_dev mboot;
	uint32_t version;       /* CurrentVersion of the flashloader, 0 if unknown */
	struct blhost_delta delta;
};

/* The device of mode for this step: the cached one, or a newly opened and claimed one
 * (waiting up to wait_ms).  A flashloader is asked its version at once: the secure
 * bootloader stays only when a command reaches it within about a second. */
int nxp_device_get(struct run_ctx *rc, enum usb_mode mode, int wait_ms, struct nxp_device **out,
                   struct rs_error *err);
/* Forget the cached device (it reset or left the bus). */
void nxp_device_drop(struct run_ctx *rc);

/* STEP_ENTER_BOOTLOADER for USB_FLASHLOADER: catch the secure bootloader after a reset. */
int exec_nxp_enter_flashloader(struct run_ctx *rc, const struct step *s, struct rs_error *err);
int exec_sdp_write_file(struct run_ctx *rc, const struct step *s, struct rs_error *err);
/* jump-address, then wait for the flashloader to enumerate as 15A2:0073. */
int exec_sdp_jump(struct run_ctx *rc, const struct step *s, struct rs_error *err);

int exec_blhost_fill(struct run_ctx *rc, const struct step *s, struct rs_error *err);
int exec_blhost_configure(struct run_ctx *rc, const struct step *s, struct rs_error *err);
int exec_blhost_erase(struct run_ctx *rc, const struct step *s, struct rs_error *err);
/* write-memory, then read it back and compare (rc->res->verified / unverified_writes). */
int exec_blhost_write(struct run_ctx *rc, const struct step *s, struct rs_error *err);
int exec_blhost_efuse(struct run_ctx *rc, const struct step *s, struct rs_error *err);
int exec_blhost_reset(struct run_ctx *rc, const struct step *s, struct rs_error *err);

#endif
