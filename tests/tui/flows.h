/* flows.h — what the wizard's test flows share: the program under test, the fixtures that
 * start it on a virtual terminal, and the flows themselves (one file per group). */
#ifndef RESCUE_TUI_FLOWS_H
#define RESCUE_TUI_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vtharness.h"

#define WAIT_MS 10000

extern const char *program, *terminfo, *sim;
extern char home[512];   /* the flow's own directory: HOME and working directory */

/* fixtures.c */
/* One TAP result line for the whole program (tests/common/tap.h keeps its count per file). */
int flow_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define ok(cond, ...) flow_ok(!!(cond), __VA_ARGS__)
int flows_done(void);
/* Skip the whole flow (TAP "1..0 # SKIP why", exit 77); only before any ok(). */
void flows_skip(const char *why);
extern const char *flows_skipped;
void mkdirs(const char *rel);
void write_image(const char *rel, uint32_t sp, uint32_t reset, size_t size);
void write_h7_firmware(const char *rel);
struct vt *start_argv(char *const argv[], const char *lang, const char *const *extra, int rows,
                      int cols, const char *first_text);
struct vt *start_env(const char *lang, const char *const *extra, int rows, int cols);
struct vt *start_sim(const char *camera, const char *first_text);
struct vt *start(void);
bool shows(struct vt *v, const char *text);
bool highlighted(struct vt *v, const char *text);
void enter(struct vt *v);
void to_action(struct vt *v, const char *camera, const char *action);
bool box_corner(struct vt *v, int row, int col, uint32_t want);
bool terminal_restored(struct vt *v);
void remove_home(void);

/* flows_screens.c: no device needed */
void flow_first_screen(void);
void flow_navigation(void);
void flow_actions(void);
void flow_wrong_file(void);
void flow_dry_path(void);
void flow_ide_folder(void);
void flow_release_zip(void);
void flow_run_and_log(void);
void flow_resize(void);
void flow_c_locale(void);
void flow_colour(void);
void flow_cancel(void);
void flow_crash(void);
/* flows_sim.c: a virtual camera (openmv-rescue-sim) */
void flow_sim_bootloader(void);
void flow_sim_identity(void);
void flow_sim_st_rom(void);
void flow_sim_plug_unplug(void);
void flow_practice(void);
void flow_practice_missing(void);
/* flows_soak.c: many practice recoveries in one wizard process */
void flow_practice_soak(void);
/* flows_udev.c: no permission to open the camera (no udev rules) */
void flow_detect_no_permission(void);
/* flows_run.c: the run screens against the scripted runner (fake_runner.c) */
void flow_run_restore_prompt(void);
void flow_run_cancel(void);
void flow_run_resize(void);
void flow_run_typed(void);
void flow_run_fail(void);
void flow_run_options(void);
/* flows_e2e.c: whole recoveries with the real runner against a virtual camera */
void flow_e2e_h7_erase_fs(void);
void flow_e2e_h7_restore(void);
void flow_e2e_ae3_flash(void);
void flow_e2e_portenta_flash(void);
void flow_e2e_cancel_mid_flash(void);
void flow_e2e_resize_progress(void);
/* flows_serial.c: the serial side of the simulator (running firmware, AE3 SE, Nano boards) */
void flow_e2e_h7_running(void);
void flow_e2e_ae3_hard_maintenance(void);
void flow_result_long_note(void);
void flow_e2e_nano33(void);
void flow_e2e_nano33_stock(void);
void flow_e2e_nano_rp2040(void);
/* flows_multi.c: "All N": several cameras of one board at once */
void flow_e2e_h7_all(void);
/* flows_reset.c */
void flow_e2e_h7_deaf_reset(void);
void flow_e2e_h7_bootloader_stays(void);

/* e2e_memory.c: images, the wizard under the simulator with --dump, checks of the dumps */
void write_pattern(const char *rel, size_t size, uint32_t seed, const uint8_t *head, size_t nhead);
void write_text(const char *rel, const char *text);
struct vt *start_sim_dump(const char *camera, const char *const *opts, const char *first_text);
bool wait_or_result(struct vt *v, const char *text, int ms);
bool quit_for_dump(struct vt *v);
bool dump_holds(const char *memory, uint32_t offset, const char *rel);
bool dump_is(const char *memory, uint32_t offset, size_t len, int value);
/* flows_e2e_nxp.c: the OpenMV Cam RT1062 through the wizard against the virtual camera */
void flow_e2e_rt1062_flash(void);
void flow_e2e_rt1062_erase_fs(void);
void flow_e2e_rt1062_restore(void);
void flow_e2e_rt1062_detect(void);
/* flows_e2e_n6.c: the OpenMV Cam N6's bootloader restore through the wizard */
void flow_e2e_n6_restore(void);
/* flows_window.c: a late answer to the confirm screen; a camera gone before SET_INTERFACE */
void flow_e2e_late_confirm(void);
void flow_e2e_vanish_set_interface(void);

/* flows_newcomer.c: nothing cut at 80x24, the symptom question, erase-fs with a flash,
 * terminals, whole practice recoveries */
void flow_wrap_confirm(void);
void flow_wrap_camera(void);
void flow_symptom(void);
void flow_erase_fs_choice(void);
void flow_terminals(void);
void flow_practice_walk(void);
void flow_practice_rom_sample(void);
void flow_practice_replug(void);
void flow_practice_typed(void);
void flow_waiting_enter(void);

/* flows_download.c: the files screen's download offer, against tests/e2e/release_server.py */
void flow_download_flash(void);
void flow_download_declined(void);

#endif
