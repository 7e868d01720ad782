/* exec_alif_internal.h — what family/alif/exec.c and exec_write.c share: the session kept in
 * rc->device across the four ISP steps. */
#ifndef RESCUE_EXEC_ALIF_INTERNAL_H
#define RESCUE_EXEC_ALIF_INTERNAL_H

#include "alif_isp.h"
#include "alif_package.h"
#include "exec_alif.h"

struct alif_run {
	struct sp_port *port;        /* NULL while disconnected (after a power cycle) */
	char port_name[256];
	struct alif_isp isp;
	int boot_baud, fast_baud;    /* restore.baud */
	bool have_version;           /* the banner carried "SES <word> vM.m.p" */
	struct alif_isp_version version;
	char banner[160];
	bool have_revision;
	struct alif_isp_revision rev;
	bool dev_part;               /* HBK0 blank or a DEV key hash: the -dev system package */
	bool hard_maintenance;       /* the SE needed the handshake */
	bool rom_recovered;          /* the system package was rewritten from ROM in this run */
	bool sp_updated;
};

/* The session of this run, made on first use. */
struct alif_run *alif_run_get(struct run_ctx *rc, const struct step *s, struct rs_error *err);

/* Find the bridge's port and open it at the boot baud rate (no-op when open). */
int alif_connect(struct run_ctx *rc, struct alif_run *r, int timeout_ms, struct rs_error *err);
void alif_disconnect(struct alif_run *r);

/* Connect and START_ISP, with attempts tries. */
int alif_begin(struct run_ctx *rc, struct alif_run *r, int attempts, struct rs_error *err);

/* With a session started: make sure the SE is in maintenance mode (soft entry: flag + reset). */
int alif_ensure_maintenance(struct run_ctx *rc, struct alif_run *r, struct rs_error *err);

/* Ask for a power cycle (prompt power_cycle) and wait until the SE answers again. */
int alif_power_cycle(struct run_ctx *rc, struct alif_run *r, struct rs_error *err);

/* Read the SE's revision (part, revision, life cycle) into r and log it; tolerant. */
void alif_read_revision(struct run_ctx *rc, struct alif_run *r);

/* The system package for this SE: from plan image `image` (a folder; -1 none), else an
 * OpenMV IDE installation.  1 found, 0 none (*where says where we looked), <0 error. */
int alif_locate_package(struct run_ctx *rc, struct alif_run *r, int image, struct alif_package *pkg,
                        char *where, size_t where_len, struct rs_error *err);

/* The SEROM ROM recovery write of the system package, then RESET (exec_write.c). */
int alif_rom_recovery(struct run_ctx *rc, struct alif_run *r, const struct alif_package *pkg,
                      struct rs_error *err);

/* Bring the SE and the host back to the boot baud rate after a failure (best effort). */
void alif_back_to_boot_baud(struct alif_run *r);

#endif
