/* The OpenMV Cam N6's two recovery identities, shared by model_n6.c (the DFU state
 * machine, the boot ROM) and model_n6_obl.c (OpenBootloader's phases).  Not for tests. */
#ifndef MODEL_N6_H
#define MODEL_N6_H

#include <stdbool.h>
#include <stdint.h>

#include "camera_priv.h"

/* wTransferSize of both identities: OpenBootloader's DFU class says 1024 (stm32-mw-openbl,
 * branch stm32n6, usbd_dfu.c); the ROM's is not known [A7: the same]. */
#define N6_XFER 1024

/* Phase ids (reference alif-isp-openmv-ide-n6.md §4.2; openbl_util.h, branch stm32n6). */
#define N6_PHASE_LAYOUT 0x00
#define N6_PHASE_FSBL 0x01
#define N6_PHASE_LOADER 0x03
#define N6_PHASE_CMD 0xF1
#define N6_PHASE_END 0xFE

/* Memory map of the model (cameras.c A7/A8): the ROM loads the FSBL at the address its
 * alt name shows; OpenBootloader's loader and layout addresses are its build's choice. */
#define N6_FSBL_ADDRESS 0x34180400u      /* "@FSBL /0x34180400/01*512Kg" (ref §4.2 [S]) */
#define N6_FSBL_MAX (512u * 1024u)
#define N6_LAYOUT_ADDRESS 0x34280000u    /* A8 */
#define N6_LOADER_ADDRESS 0x34300000u    /* A8 */
#define N6_LOADER_MAX (1024u * 1024u)
#define N6_EXT_BASE 0x70000000u          /* xSPI2 memory-mapped: nor0 offset 0 (boards.ini) */

#define N6_MAX_ROWS 15                   /* OpenBootloader: arrays of 0xF (openbl_util.h) */

struct n6_row {
	uint8_t id;
	uint32_t offset;
};

struct n6_model {
	struct camera *cam;
	bool obl;                /* OpenBootloader, else the boot ROM */
	const uint8_t *alt_ids;  /* phase id of each alt */
	int n_alts, alt;
	int state, status;
	bool pending, manifest_done;
	uint16_t block, len;
	int fail_status;         /* injected: the pending block fails with this */
	uint8_t buf[N6_XFER];

	/* ROM */
	uint32_t fsbl_len;
	bool fsbl_ok;            /* manifested: DETACH starts it */

	/* OpenBootloader (openbl_usb_cmd.c) */
	int phase;               /* PhaseId: set by the last GetPhase (or set-phase) */
	int partition;           /* PartitionNum */
	bool start_op;           /* IsStartOperation: the next GetPhase confirms */
	struct n6_row rows[N6_MAX_ROWS];
	int nrows;
	bool layout_ok;
	uint32_t dest;           /* DestinationAddress */
	uint32_t written;        /* bytes of the current phase so far */
	uint32_t last_sector;    /* LastSector: erase each sector once, when entered */
	bool loader_ok;          /* phase 0x03 manifested: the external memory can be used */
};

/* OpenBootloader: the GetPhase answer (9 bytes into out) and its side effects. */
void n6_obl_phase(struct n6_model *m, uint8_t out[9]);
/* OpenBootloader, set-phase variant: a 5-byte DNLOAD on the command alt.  DFU status. */
int n6_obl_set_phase(struct n6_model *m, const uint8_t *cmd, int len);
/* OpenBootloader: store the pending block for the current phase.  DFU status, time. */
int n6_obl_write(struct n6_model *m, unsigned *ms);
/* OpenBootloader: the zero-length DNLOAD ended a phase. */
void n6_obl_manifest(struct n6_model *m);

#endif
