/* exec_alif.h — the OpenMV AE3 bootloader recovery through the Alif Secure Enclave's serial
 * ISP (seed 003 "OpenMV AE3"; reference alif-isp-openmv-ide-n6.md §1.8, §2.3).
 *
 * The four steps share one session on the SE bridge's serial port (rc->device):
 *   STEP_ISP_BANNER       open the port, read the SE's state, banner and revision.  If the SE
 *                         does not answer, guide the hard-maintenance sequence (prompts
 *                         hard_maintenance, press_user_button) while sending the handshake;
 *                         if it is in ROM recovery (SEROM), rewrite the system package from
 *                         ROM, then ask for a power cycle (prompt power_cycle).
 *   STEP_ISP_MAINTENANCE  put the SE into maintenance mode unless it already is.
 *   STEP_ISP_UPDATE_SP    write the Alif system package (SP-*.bin and offset-*.bin, signed
 *                         when their .sign files are there) only when the SE's firmware is
 *                         older than the package; then a power cycle.  Skipped, with a log
 *                         line, when not needed or when no package can be found.
 *   STEP_ISP_WRITE_MRAM   write bootloader.bin and firmware_pad.toc at the addresses of the
 *                         board's restore.mram alts.  The MRAM is never erased: the IDE found
 *                         that erasing the application area bricks the board (§1.8).
 */
#ifndef RESCUE_EXEC_ALIF_H
#define RESCUE_EXEC_ALIF_H

#include "step_exec.h" /* exec_isp_banner, exec_isp_maintenance, exec_isp_update_sp, exec_isp_write_mram */

#endif
