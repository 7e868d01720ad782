/* Fault injection for the virtual cameras.
 *
 *   stall@N                 the N-th DFU class request (1-based, counted from when the
 *                           bootloader enumerated) is answered with a STALL
 *   timeout@N               the N-th class request never completes (the host times out)
 *   disconnect@block=N      the device drops off the bus when download block N arrives
 *   status=errWRITE@block=N block N fails: the next GETSTATUS reports that status in
 *                           dfuERROR (any DFU status name: errTARGET ... errSTALLEDPKT)
 *   garbage-status@N        the N-th GETSTATUS reply is garbage (status 0xA5, state 0xEE)
 *   short-status@N          the N-th GETSTATUS reply is 3 bytes long
 *   h7-rev-v                ST ROM only: the STM32H7 revision V erase stall in bank 2
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
};

struct fault {
	enum fault_kind kind;
	unsigned n;
	int status; /* FAULT_STATUS_BLOCK */
	bool fired;
};

/* Returns 0, or -1 with a message. */
int fault_parse(const char *spec, struct fault *out, char *err, size_t err_len);
/* "errWRITE" -> 3; -1 when unknown. */
int dfu_status_from_name(const char *name);
const char *dfu_status_name(int status);

#endif
