/* plan.h — (board, action, files) -> ordered steps.  Pure: no I/O.
 *
 * A plan is what will happen, in order, described precisely enough that the runner can
 * execute it and that every step can print its classic command-line equivalent (the
 * command the seeds show), which is how --dry-run and the support log explain things.
 * The family recipes (openmv_dfu, ST ROM, NXP, Alif, Arduino DfuSe, SAM-BA, PICOBOOT, N6)
 * live in src/family/<name>/recipe.c; plan_build picks one through the family table
 * (family.h) and checks what it made.
 */
#ifndef RESCUE_PLAN_H
#define RESCUE_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "boarddb.h"
#include "error.h"
#include "step_kinds.h"

#define PLAN_MAX_STEPS 48
#define PLAN_MAX_IMAGES 12
#define PLAN_MAX_NOTES 6

/* Step flags. */
#define STEP_RESET        (1u << 0) /* USB reset after the transfer (dfu-util --reset) */
#define STEP_LEAVE        (1u << 1) /* DfuSe :leave after the write */
#define STEP_DESTRUCTIVE  (1u << 2) /* overwrites data the user may want: confirm first */
#define STEP_IRREVERSIBLE (1u << 3) /* can never be undone: typed confirmation */
#define STEP_BOOTLOADER   (1u << 4) /* writes a bootloader region: restore-bootloader only */
#define STEP_OPTIONAL     (1u << 5) /* runs only when its condition holds (ISP branches) */

struct step {
	enum step_kind kind;
	unsigned flags;
	enum usb_mode mode;     /* the device this step talks to (USB_MODE_COUNT: none) */
	int alt;                /* DFU alt, -1 for none */
	struct bnum address;    /* address or offset */
	struct bnum length;     /* erase length, fill byte count */
	struct bnum value;      /* fill pattern, memory id, efuse index, timeout; Alif SE steps: the
	                         * boot baud rate */
	struct bnum fast;       /* Alif SE steps: the baud rate of the bulk writes (0: none) */
	int image, image2;      /* indexes into plan.images, -1 for none */
	char prompt[32];        /* STEP_PROMPT: prompt id */
	char text[40];          /* a word the step's classic command prints as it is: the eFuse data
	                         * of STEP_BLHOST_EFUSE ("00000010"), the length of an erase whose
	                         * image is not read yet as seed 002 writes it ("<firmware_size>"),
	                         * the MRAM key of STEP_MAKE_KEY (boards.ini init_mram.key) */
};

struct family; /* family.h */

/* An input or generated file of a plan. */
struct plan_image {
	char slot[40];          /* the default file name, e.g. "firmware.bin" */
	char path[512];         /* what will be read: the user's path, or the default name */
	bool given;             /* the user named it (or --dir found it) */
	bool generated;         /* made by us in memory (erase.bin, key.bin) */
	uint64_t max_size;      /* the partition or region it must fit; 0 = unknown */
	uint64_t size;          /* filled in by the image checks; 0 = not known yet */
	int alt;                /* for an openmv_dfu alt, else -1 */
	bool folder;            /* a folder, not a file (the Alif system package) */
	const struct family *family; /* the family whose recipe added it: its checks apply */
};

/* What a front end can add to a note: the notes name no command-line flags (the wizard shows
 * them too); the CLI says which of its options does it. */
enum plan_hint {
	PLAN_HINT_NONE,
	PLAN_HINT_FIRMWARE_SAME_RUN,  /* the firmware can be given now, to flash it in the same run */
	PLAN_HINT_SYSTEM_PACKAGE,     /* a folder holding Alif's system package can be named */
};

struct plan {
	const struct board *board;
	enum action action;
	struct step steps[PLAN_MAX_STEPS];
	int nsteps;
	struct plan_image images[PLAN_MAX_IMAGES];
	int nimages;
	char notes[PLAN_MAX_NOTES][200]; /* what a person should know: "ROMFS left as it is" */
	enum plan_hint note_hint[PLAN_MAX_NOTES];
	int nnotes;
};

/* The Alif system package (SP-*.bin, offset-*.bin, their .sign files, version.json) is
 * Alif's and not shipped: this plan image names the folder that holds it (--image
 * system-package=DIR, or --dir).  Its path is a folder, not a file. */
#define PLAN_SLOT_SYSTEM_PACKAGE "system-package"

/* What the user gave on the command line or picked in the wizard. */
struct plan_file {
	char name[40];          /* "firmware", "romfs", "file", or an image's default name */
	const char *path;
};

struct plan_files {
	const char *dir;        /* --dir: look for images by their default names here */
	struct plan_file given[PLAN_MAX_IMAGES];
	int ngiven;
	bool accept_combined;   /* restore with openmv.dfu, accepting that it wipes the filesystem */
	bool erase_fs;          /* flash: also erase the internal filesystem in the same run */
	bool verify;            /* the plan of `verify`: a recipe may compare another way than it writes */
};

/* Build the plan for board b and action a.  Fails with RS_E_UNSUPPORTED (the board's
 * reason) or RS_E_INPUT (a file name that matches no image of this action). */
int plan_build(const struct board *b, enum action a, const struct plan_files *files,
               struct plan *out, struct rs_error *err);

/* The plan's image with this slot, or NULL. */
struct plan_image *plan_image(struct plan *p, const char *slot);

struct run_ctx; /* runner.h */

/* A step kind's descriptor: one line of STEP_KIND_TABLE (step_kinds.h). */
struct step_kind_info {
	const char *name;       /* "dfu-download" */
	/* Write the classic command-line equivalent (one or more lines, '\n'-separated,
	 * without a final newline) into buf. */
	void (*classic)(const struct plan *p, const struct step *s, char *buf, size_t n);
	/* Write a one-line description for people into buf. */
	void (*describe)(const struct plan *p, const struct step *s, char *buf, size_t n);
	/* Carry the step out (runner.h): 0 or a negative RS_E_* with err filled. */
	int (*execute)(struct run_ctx *rc, const struct step *s, struct rs_error *err);
	unsigned flags;         /* STEP_KIND_* */
};

/* The descriptor of kind k, or NULL (src/family/step_kinds.c). */
const struct step_kind_info *step_kind_info(enum step_kind k);

/* The classic command(s) of step s, as the seeds write them. */
void step_classic(const struct plan *p, const struct step *s, char *buf, size_t n);

/* A one-line description for people: "Write firmware.bin to alt 2 (FIRMWARE)". */
void step_describe(const struct plan *p, const struct step *s, char *buf, size_t n);

#endif
