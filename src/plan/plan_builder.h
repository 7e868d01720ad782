/* plan_builder.h — the building blocks of the family recipes (src/family/<name>/recipe.c).
 *
 * A recipe receives a builder for one (board, action, files) and adds steps, images and notes
 * to its plan; plan_build (plan.c) picks the recipe through the family table and checks the
 * result.  Pure: no I/O.  Every function here is safe to call when the plan is full (the
 * step then goes to a spill slot and plan_build refuses the plan).
 */
#ifndef RESCUE_PLAN_BUILDER_H
#define RESCUE_PLAN_BUILDER_H

#include <stdbool.h>
#include <stdint.h>

#include "plan.h"

struct builder {
	const struct board *b;
	const struct plan_files *f;
	struct plan *p;
	struct rs_error *err;
	const struct family *family; /* whose recipe runs: the owner of the images it adds */
	bool optional_all;          /* every image optional: the flash after a restore */
	bool used[PLAN_MAX_IMAGES]; /* which of f->given were matched to an image */
	int erase_end;              /* flash with erase-fs: steps [0, erase_end) are the erase */
	bool overflow;              /* a recipe wanted more than PLAN_MAX_STEPS steps */
	struct step spill;          /* what plan_add_step hands out then, so recipes never meet NULL */
};

/* Append a step of kind k talking to the device in mode (USB_MODE_COUNT: none); never NULL. */
struct step *plan_add_step(struct builder *B, enum step_kind k, enum usb_mode mode);

/* Append the hardware prompt id (assets/prompts/). */
void plan_add_prompt(struct builder *B, const char *id);

/* Enter the bootloader in mode, then show the board's prompt (its double tap or BOOTSEL
 * button) when boards.ini names one: the prompt waits only when the software reset failed. */
void plan_enter_then_prompt(struct builder *B, enum usb_mode mode, const char *prompt);

/* A note for people ("ROMFS left as it is"), optionally with what a front end may add. */
void plan_note(struct builder *B, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void plan_note_hint(struct builder *B, enum plan_hint hint, const char *text);

/* The base name of path. */
const char *plan_base_name(const char *path);

/* Does a name the user gave ("firmware", "romfs", "firmware_M55_HE", "romfs1.img") select
 * the image whose default file name is slot? */
bool plan_name_selects(const char *name, const char *slot);

/* The path the user gave for slot, given the n slots of this recipe that compete for the
 * generic names "firmware", "romfs" and "file"; NULL when none.  Marks it used. */
const char *plan_given_path(struct builder *B, const char *slot, const char *const *slots, int n);

/* The path the user gave under one of the names "file" or "bootloader" (marked used), or NULL. */
const char *plan_given_file(struct builder *B);

/* The path the user gave under exactly this name (marked used), or NULL. */
const char *plan_given_named(struct builder *B, const char *name);

/* Add an input image (an existing one with this slot is reused).  Returns its index, or -1
 * when it is optional and the user gave files but not this one (it is then left out). */
int plan_add_image(struct builder *B, const char *slot, uint64_t max_size, int alt,
                   const char *const *slots, int n, bool optional);

/* Add an image made in memory (erase.bin, key.bin) of size bytes.  Returns its index. */
int plan_add_generated(struct builder *B, const char *slot, uint64_t size);

/* Add a folder the user named as an image (the Alif system package).  Index or -1. */
int plan_add_folder(struct builder *B, const char *slot, const char *path, bool given);

/* The 4 KiB zero image and the step that makes it (seed 000: dd if=/dev/zero ... count=1);
 * returns the image's index. */
int plan_add_zeros(struct builder *B);

/* "Flash the firmware normally" (seed 003, last step) after a restore: the flash recipe of
 * the board's flash family with every image optional, when the user gave firmware or a
 * folder; otherwise a note that it can be given. */
void plan_then_flash(struct builder *B);

#endif
