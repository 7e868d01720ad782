/* Fault injection for the virtual cameras.
 *
 *   stall@N                 the N-th DFU class request (1-based, counted from when the
 *                           bootloader enumerated) is answered with a STALL
 *   timeout@N               the N-th class request never completes (the host times out)
 *   disconnect@block=N      the device drops off the bus when download block N arrives
 *   unplug@byte=N           the camera is unplugged mid-write: the download block that would
 *                           take it past N bytes of download data (counted over the camera's
 *                           life, over every alt and DFU family) never arrives; with
 *                           --fault CAMERA:unplug@byte=N it hits one camera of several
 *   status=errWRITE@block=N block N fails: the next GETSTATUS reports that status in
 *                           dfuERROR (any DFU status name: errTARGET ... errSTALLEDPKT)
 *   garbage-status@N        the N-th GETSTATUS reply is garbage (status 0xA5, state 0xEE)
 *   short-status@N          the N-th GETSTATUS reply is 3 bytes long
 *   h7-rev-v                ST ROM only: the STM32H7 revision V erase stall in bank 2
 *   vanish@claim=N          DFU bootloaders: the device drops off the bus as the host claims
 *                           its interface for the N-th time (counted over the camera's life);
 *                           the claim succeeds but is answered only once the removal has been
 *                           announced, so libusb's next call, SET_INTERFACE, meets a device it
 *                           knows is gone (libusb/libusb#1199: 1.0.26 aborts on the close)
 * NXP (ROM serial download and MCU bootloader, counted from when the identity enumerated):
 *   vanish@report=N         the device drops off the bus when its N-th OUT report arrives
 *   status=CODE@cmd=N       the N-th command is answered with status CODE instead of running
 *                           (mboot: a kStatus number, e.g. 10205; ROM: the report 4 word)
 *   status=CODE@data=N      mboot: the N-th write-memory data report fails: the device
 *                           aborts the data phase and answers CODE
 *   short-report@N          the N-th IN report is cut short of what its length field says
 *   disconnect@phase=N      N6: the device drops off the bus when the N-th GetPhase arrives
 *   phase=0xNN@N            N6: the N-th GetPhase answers phase 0xNN
 *   garbage-phase@N         N6: the N-th GetPhase answer is 4 bytes long
 * (GetPhase answers are counted from 1 over the camera's life: the ROM's, then
 * OpenBootloader's.)
 *   stall@N, timeout@N      NXP mboot: the N-th OUT report is answered with a STALL, or never
 *                           completes and the device answers nothing from then on (hung)
 *   replaced@block=N, replaced@report=N, replaced@phase=N
 *                           as disconnect@block=N, vanish@report=N, disconnect@phase=N; then,
 *                           after REPLACE_MS (camera.c), another device takes the same port:
 *                           the same bootloader with another serial number
 *
 * Blocks: plain DFU counts wBlockNum; DfuSe counts data chunks (wValue >= 2) from 0.
 * Each fault fires once. */
#ifndef FAULTS_H
#define FAULTS_H

#include <stdbool.h>
#include <stddef.h>

enum fault_kind {
	FAULT_STALL, FAULT_TIMEOUT, FAULT_DISCONNECT_BLOCK, FAULT_STATUS_BLOCK,
	FAULT_GARBAGE_STATUS, FAULT_SHORT_STATUS, FAULT_H7_REV_V,
	FAULT_VANISH_REPORT, FAULT_STATUS_CMD, FAULT_STATUS_DATA, FAULT_SHORT_REPORT,
	FAULT_PHASE_DISCONNECT, FAULT_PHASE_WRONG, FAULT_PHASE_GARBAGE, FAULT_VANISH_CLAIM,
	FAULT_UNPLUG_BYTES,
};

struct fault {
	enum fault_kind kind;
	unsigned n;
	int status; /* FAULT_STATUS_BLOCK; FAULT_PHASE_WRONG: the phase */
	unsigned long code; /* FAULT_STATUS_CMD, FAULT_STATUS_DATA */
	bool replace;       /* replaced@...: another device comes in its place */
	bool fired;
};

/* Returns 0, or -1 with a message. */
int fault_parse(const char *spec, struct fault *out, char *err, size_t err_len);
/* "errWRITE" -> 3; -1 when unknown. */
int dfu_status_from_name(const char *name);
const char *sim_dfu_status_name(int status);

#endif
