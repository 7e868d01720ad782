/* USB DFU 1.1 requests, states and status codes (DFU 1.1 spec; reference
 * dfu-dfuse-picoboot-samba.md §1.1-1.2), for the device models. */
#ifndef DFU_DEFS_H
#define DFU_DEFS_H

enum dfu_request {
	DFU_DETACH = 0, DFU_DNLOAD = 1, DFU_UPLOAD = 2, DFU_GETSTATUS = 3,
	DFU_CLRSTATUS = 4, DFU_GETSTATE = 5, DFU_ABORT = 6,
};

enum dfu_state {
	appIDLE = 0, appDETACH = 1, dfuIDLE = 2, dfuDNLOAD_SYNC = 3, dfuDNBUSY = 4,
	dfuDNLOAD_IDLE = 5, dfuMANIFEST_SYNC = 6, dfuMANIFEST = 7, dfuMANIFEST_WAIT_RESET = 8,
	dfuUPLOAD_IDLE = 9, dfuERROR = 10,
};

enum dfu_status {
	DFU_OK = 0x00, errTARGET = 0x01, errFILE = 0x02, errWRITE = 0x03, errERASE = 0x04,
	errCHECK_ERASED = 0x05, errPROG = 0x06, errVERIFY = 0x07, errADDRESS = 0x08,
	errNOTDONE = 0x09, errFIRMWARE = 0x0A, errVENDOR = 0x0B, errUSBR = 0x0C, errPOR = 0x0D,
	errUNKNOWN = 0x0E, errSTALLEDPKT = 0x0F,
};

/* Fill a 6-byte GETSTATUS reply: bStatus, bwPollTimeout (LE24), bState, iString. */
static inline int dfu_status_reply(unsigned char *out, int status, unsigned poll_ms, int state)
{
	out[0] = (unsigned char)status;
	out[1] = (unsigned char)poll_ms;
	out[2] = (unsigned char)(poll_ms >> 8);
	out[3] = (unsigned char)(poll_ms >> 16);
	out[4] = (unsigned char)state;
	out[5] = 0;
	return 6;
}

#endif
