/* family.h — what the plan, the image checks and the runner may ask of a bootloader family,
 * without knowing one.
 *
 * A family is one way of recovering a board (openmv_dfu, st_rom, arduino_dfuse, nxp, alif,
 * samba, picoboot, n6).  Each lives in src/family/<name>/ — recipe.c: its steps for each
 * action (pure), images.c: its file checks, exec.c: its executors — and is one descriptor
 * in the table of src/family/families.c, which defines the lookups declared here.
 */
#ifndef RESCUE_FAMILY_H
#define RESCUE_FAMILY_H

#include <stdbool.h>
#include <stddef.h>

#include "boarddb.h"
#include "error.h"
#include "plan.h"

struct builder;        /* plan_builder.h */
struct run_ctx;        /* runner.h */
struct image_problems; /* images.h */

/* The shapes of a family's functions, so that its header declares each in one line:
 * `family_recipe_fn nxp_recipe_flash;` (a recipe: the steps of one action, pure), and the
 * image checks of struct family below. */
typedef void family_recipe_fn(struct builder *B);
typedef void family_check_folder_fn(const struct plan *p, const struct plan_image *im, struct image_problems *out);
typedef int family_check_fit_fn(const struct plan *p, const struct plan_image *im, struct image_problems *out);
typedef void family_check_file_fn(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                                  size_t got, struct image_problems *out);

#define FAMILY_MAX_METHODS 2
#define FAMILY_MAX_MODES 2

struct family {
	const char *name;                          /* its folder under src/family/ */
	enum method methods[FAMILY_MAX_METHODS];   /* the boards.ini methods it carries out */
	int nmethods;
	/* Its recipe for each action it can do (NULL: none): steps, images, notes. */
	family_recipe_fn *recipe[ACTION_COUNT];
	bool flash_after_restore;                  /* its flash may follow a restore in one run */
	/* Its image checks, each adding problems to out (images.h).  check_folder: an image
	 * that is a folder; check_fit (NULL: it must not exceed max_size) replaces the size
	 * check and returns -1 when it added a problem; check_file: the format, after the fit
	 * (head: the file's first got bytes, at most 8). */
	family_check_folder_fn *check_folder;
	family_check_fit_fn *check_fit;
	family_check_file_fn *check_file;
	/* Its executor of STEP_ENTER_BOOTLOADER, for the bootloaders (device modes) it enters. */
	enum usb_mode enter_modes[FAMILY_MAX_MODES];
	int nenter_modes;
	int (*enter)(struct run_ctx *rc, const struct step *s, struct rs_error *err);
};

/* The family that carries out method m, or NULL (METHOD_NONE, or none registered). */
const struct family *family_for_method(enum method m);

/* The family whose executor enters the bootloader in mode m, or NULL. */
const struct family *family_for_mode(enum usb_mode m);

/* The i-th registered family, or NULL past the last (for listings and tests). */
const struct family *family_at(int i);

#endif
