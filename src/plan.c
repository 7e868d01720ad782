/* plan.c — the family recipes: which steps each (board, action) takes, in the seeds' order.
 * Pure: no I/O.  Facts come from the board; the order of steps from the seeds. */
#include "plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* ---- building blocks --------------------------------------------------------------------- */

struct builder {
	const struct board *b;
	const struct plan_files *f;
	struct plan *p;
	struct rs_error *err;
	bool used[PLAN_MAX_IMAGES]; /* which of f->given were matched to an image */
	int erase_end;              /* flash with erase-fs: steps [0, erase_end) are the erase */
	bool overflow;              /* a recipe wanted more than PLAN_MAX_STEPS steps */
	struct step spill;          /* what add_step hands out then, so recipes never meet NULL */
};

static struct step *add_step(struct builder *B, enum step_kind k, enum usb_mode mode)
{
	struct plan *p = B->p;
	struct step *s = &B->spill;
	if (p->nsteps == PLAN_MAX_STEPS)
		B->overflow = true; /* plan_build refuses the plan */
	else
		s = &p->steps[p->nsteps++];
	memset(s, 0, sizeof *s);
	s->kind = k;
	s->mode = mode;
	s->alt = -1;
	s->image = s->image2 = -1;
	return s;
}

static void note(struct builder *B, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void note(struct builder *B, const char *fmt, ...)
{
	if (B->p->nnotes == PLAN_MAX_NOTES)
		return;
	va_list ap;
	va_start(ap, fmt);
	B->p->note_hint[B->p->nnotes] = PLAN_HINT_NONE;
	vsnprintf(B->p->notes[B->p->nnotes++], sizeof B->p->notes[0], fmt, ap);
	va_end(ap);
}

static void note_with_hint(struct builder *B, enum plan_hint hint, const char *text)
{
	note(B, "%s", text);
	if (B->p->nnotes)
		B->p->note_hint[B->p->nnotes - 1] = hint;
}

static void prompt(struct builder *B, const char *id)
{
	struct step *s = add_step(B, STEP_PROMPT, USB_MODE_COUNT);
	if (s)
		snprintf(s->prompt, sizeof s->prompt, "%s", id);
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

/* Does a name the user gave ("firmware", "romfs", "firmware_M55_HE", "romfs1.img") select
 * the image whose default file name is slot? */
static bool name_selects(const char *name, const char *slot)
{
	size_t stem = strcspn(slot, ".");
	if (!strcasecmp(name, slot) || (strlen(name) == stem && !strncasecmp(name, slot, stem)))
		return true;
	return false;
}

/* Find what the user gave for the image slot, given the other slots of this recipe that
 * compete for the generic names "firmware", "romfs" and "file". */
static const char *given_path(struct builder *B, const char *slot, const char *const *slots, int n)
{
	const struct plan_files *f = B->f;
	for (int i = 0; f && i < f->ngiven; i++) {
		const char *name = f->given[i].name;
		bool hit = name_selects(name, slot);
		if (!hit && !strcasecmp(name, "file"))
			hit = !strcasecmp(base_name(f->given[i].path), slot) || n == 1;
		if (!hit && (!strcasecmp(name, "firmware") || !strcasecmp(name, "romfs"))) {
			int same = 0; /* how many slots of the recipe start with this word */
			for (int k = 0; k < n; k++)
				same += has_prefix(slots[k], name);
			hit = same == 1 && has_prefix(slot, name);
		}
		if (hit) {
			B->used[i] = true;
			return f->given[i].path;
		}
	}
	return NULL;
}

static bool user_gave_anything(const struct builder *B)
{
	return B->f && (B->f->ngiven > 0 || B->f->dir);
}

/* Add an input image.  Returns its index, or -1 when the user gave files but not this one
 * (optional images are then left out). */
static int add_image(struct builder *B, const char *slot, uint64_t max_size, int alt,
                     const char *const *slots, int n, bool optional)
{
	struct plan *p = B->p;
	for (int i = 0; i < p->nimages; i++)
		if (!strcmp(p->images[i].slot, slot))
			return i;
	const char *path = given_path(B, slot, slots, n);
	char found[512] = "";
	if (!path && B->f && B->f->dir) {
		snprintf(found, sizeof found, "%s/%s", B->f->dir, slot);
		path = found; /* the image checks say whether it exists */
	}
	if (!path && optional && user_gave_anything(B))
		return -1;
	if (p->nimages == PLAN_MAX_IMAGES)
		return -1;
	struct plan_image *im = &p->images[p->nimages];
	memset(im, 0, sizeof *im);
	snprintf(im->slot, sizeof im->slot, "%s", slot);
	snprintf(im->path, sizeof im->path, "%s", path ? path : slot);
	im->given = path != NULL;
	im->max_size = max_size;
	im->alt = alt;
	return p->nimages++;
}

static int add_generated(struct builder *B, const char *slot, uint64_t size)
{
	struct plan *p = B->p;
	for (int i = 0; i < p->nimages; i++)
		if (!strcmp(p->images[i].slot, slot))
			return i;
	struct plan_image *im = &p->images[p->nimages];
	memset(im, 0, sizeof *im);
	snprintf(im->slot, sizeof im->slot, "%s", slot);
	snprintf(im->path, sizeof im->path, "%s", slot);
	im->generated = true;
	im->size = size;
	im->max_size = size;
	im->alt = -1;
	return p->nimages++;
}

/* ---- openmv_dfu (all OpenMV DFU cameras: seed 002 §10.7.5, §10.7.6, seed 000, seed 001) --- */

static int openmv_dfu_flash(struct builder *B, bool optional_all)
{
	const struct board_action *a = &B->b->actions[ACTION_FLASH];
	const char *slots[BOARD_MAX_LIST];
	for (int i = 0; i < a->nalts; i++)
		slots[i] = board_alt(B->b, a->alts[i])->file;
	int first = B->p->nsteps;
	struct step *last = NULL;
	for (int i = 0; i < a->nalts; i++) {
		const struct board_alt *al = board_alt(B->b, a->alts[i]);
		int im = add_image(B, al->file, al->size.value, al->alt, slots, a->nalts,
		                   optional_all || a->nalts > 1);
		if (im < 0) {
			note(B, "%s was not given: alt %d (%s) is left as it is", al->file, al->alt, al->name);
			continue;
		}
		if (B->p->nsteps == first)
			add_step(B, STEP_ENTER_BOOTLOADER, USB_BOOTLOADER);
		last = add_step(B, STEP_DFU_DOWNLOAD, USB_BOOTLOADER);
		last->alt = al->alt;
		last->image = im;
		last->flags = STEP_DESTRUCTIVE;
	}
	if (last)
		last->flags |= STEP_RESET; /* seed 002: --reset only on the final transfer */
	return B->p->nsteps > first ? 0 : -1;
}

static void openmv_dfu_erase(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_ERASE_FS];
	int zeros = add_generated(B, "erase.bin", 4096); /* seed 000: 4 KB of zeros */
	add_step(B, STEP_MAKE_ZEROS, USB_MODE_COUNT)->image = zeros;
	add_step(B, STEP_ENTER_BOOTLOADER, USB_BOOTLOADER);
	struct step *s = add_step(B, STEP_DFU_DOWNLOAD, USB_BOOTLOADER);
	s->alt = a->alt;
	s->image = zeros;
	s->flags = STEP_RESET | STEP_DESTRUCTIVE;
}

static void openmv_dfu_init_mram(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_INIT_MRAM];
	int key = add_generated(B, board_alt(B->b, a->alt)->file, 4096); /* ref ide §3: 4096 bytes */
	add_step(B, STEP_MAKE_KEY, USB_MODE_COUNT)->image = key;
	add_step(B, STEP_ENTER_BOOTLOADER, USB_BOOTLOADER);
	struct step *s = add_step(B, STEP_DFU_DOWNLOAD, USB_BOOTLOADER);
	s->alt = a->alt;
	s->image = key;
	s->flags = STEP_DESTRUCTIVE;
	note(B, "The MRAM is blank afterwards: re-flash the HP core's ROMFS (romfs0.img); the filesystem reformats itself on the next boot (OpenMV AE3 docs).");
}

/* ---- DfuSe by address (Arduino: seed 002 §10.7.8, seed 000) ------------------------------- */

static void dfuse_flash(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_FLASH];
	const char *slots[2 * BOARD_MAX_LIST];
	int n = 0;
	for (int i = 0; i < a->nslots; i++)
		slots[n++] = board_image(B->b, a->slots[i])->file;
	for (int i = 0; i < a->nextra; i++)
		slots[n++] = board_image(B->b, a->extra[i])->file;
	struct step *last = NULL;
	for (int i = 0; i < n; i++) {
		const char *slot = i < a->nslots ? a->slots[i] : a->extra[i - a->nslots];
		const struct board_image *bi = board_image(B->b, slot);
		bool extra = i >= a->nslots;
		int im;
		if (extra) /* written only when the user gives them (seed 002 §10.7.8) */
			im = given_path(B, bi->file, slots, n) || (B->f && B->f->dir)
			     ? add_image(B, bi->file, bi->size.value, bi->alt, slots, n, true) : -1;
		else
			im = add_image(B, bi->file, bi->size.value, bi->alt, slots, n, a->nslots > 1);
		if (im < 0)
			continue;
		if (!last)
			add_step(B, STEP_ENTER_BOOTLOADER, USB_ARDUINO_DFU);
		last = add_step(B, STEP_DFUSE_WRITE, USB_ARDUINO_DFU);
		last->alt = bi->alt;
		last->address = bi->address;
		last->image = im;
		last->flags = STEP_DESTRUCTIVE;
	}
	if (last)
		last->flags |= STEP_LEAVE; /* :leave only on the last write, so one DFU session serves all */
}

static void dfuse_erase(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_ERASE_FS];
	int zeros = add_generated(B, "erase.bin", 4096); /* seed 000 */
	add_step(B, STEP_MAKE_ZEROS, USB_MODE_COUNT)->image = zeros;
	add_step(B, STEP_ENTER_BOOTLOADER, USB_ARDUINO_DFU);
	for (int i = 0; i < a->nwrites; i++) {
		struct step *s = add_step(B, STEP_DFUSE_WRITE, USB_ARDUINO_DFU);
		s->alt = a->writes[i].alt;
		s->address = a->writes[i].address;
		s->image = zeros;
		s->flags = STEP_DESTRUCTIVE | (i == a->nwrites - 1 ? STEP_RESET : 0); /* seed 000 */
	}
}

/* ---- blhost (RT1062: seed 002 §10.7.7, seed 000) ------------------------------------------ */

static void blhost_erase_write(struct builder *B, const struct board_region *r, int im, int timeout)
{
	struct step *e = add_step(B, STEP_BLHOST_ERASE, USB_FLASHLOADER);
	e->address = r->address;
	e->image = im;
	if (r->erase == ERASE_REGION)
		e->length = r->size;
	else
		snprintf(e->text, sizeof e->text, "<%s_size>", r->name); /* seed 002: <firmware_size> */
	e->value.value = (uint64_t)timeout;
	snprintf(e->value.text, sizeof e->value.text, "%d", timeout);
	e->flags = STEP_DESTRUCTIVE;
	struct step *w = add_step(B, STEP_BLHOST_WRITE, USB_FLASHLOADER);
	w->address = r->address;
	w->image = im;
	w->flags = STEP_DESTRUCTIVE;
}

static void blhost_flash(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_FLASH];
	const char *slots[BOARD_MAX_LIST];
	for (int i = 0; i < a->nslots; i++)
		slots[i] = board_region(B->b, a->slots[i])->file;
	add_step(B, STEP_ENTER_BOOTLOADER, USB_FLASHLOADER);
	int wrote = 0;
	for (int i = 0; i < a->nslots; i++) {
		const struct board_region *r = board_region(B->b, a->slots[i]);
		/* seed 002: the firmware is the update; the ROMFS is reset only when asked */
		bool optional = strcasecmp(r->name, "firmware") != 0;
		int im = add_image(B, r->file, r->size.value, -1, slots, a->nslots, optional);
		if (im < 0)
			continue;
		blhost_erase_write(B, r, im, (int)a->timeout_ms.value);
		wrote++;
	}
	if (wrote)
		add_step(B, STEP_BLHOST_RESET, USB_FLASHLOADER);
}

static void blhost_erase(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_ERASE_FS];
	const struct board_action *fl = &B->b->actions[ACTION_FLASH];
	add_step(B, STEP_ENTER_BOOTLOADER, USB_FLASHLOADER);
	struct step *e = add_step(B, STEP_BLHOST_ERASE, USB_FLASHLOADER);
	e->address = a->address;
	e->length = a->length;
	e->value = fl->timeout_ms;
	e->flags = STEP_DESTRUCTIVE;
	add_step(B, STEP_BLHOST_RESET, USB_FLASHLOADER); /* boot the firmware so it reformats */
}

/* ---- SAM-BA and PICOBOOT (seed 002 §10.7.8) ----------------------------------------------- */

static void samba_flash(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_FLASH];
	const struct board_image *bi = board_image(B->b, "firmware");
	const char *slots[] = {bi->file};
	int im = add_image(B, bi->file, a->max_size.value, -1, slots, 1, false);
	/* a running board resets into its bootloader on a 1200-baud touch (seed 002 §10.7.4);
	 * the prompt after it asks for the double tap only if that did not work */
	add_step(B, STEP_ENTER_BOOTLOADER, USB_SAMBA);
	if (a->prompt[0])
		prompt(B, a->prompt);
	struct step *s = add_step(B, STEP_SAMBA_FLASH, USB_SAMBA);
	s->address = a->address;
	s->image = im;
	s->flags = STEP_DESTRUCTIVE;
}

static void picoboot_flash(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_FLASH];
	const struct board_image *bi = board_image(B->b, "firmware");
	const char *slots[] = {bi->file};
	int im = add_image(B, bi->file, a->max_size.value, -1, slots, 1, false);
	add_step(B, STEP_ENTER_BOOTLOADER, USB_BOOTSEL); /* as for SAM-BA: touch first, then prompt */
	if (a->prompt[0])
		prompt(B, a->prompt);
	struct step *s = add_step(B, STEP_PICOBOOT_LOAD, USB_BOOTSEL);
	s->image = im;
	s->flags = STEP_DESTRUCTIVE;
}

static void picoboot_erase(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_ERASE_FS];
	int zeros = add_generated(B, "erase.bin", 4096); /* as seed 000 does for the other boards */
	add_step(B, STEP_MAKE_ZEROS, USB_MODE_COUNT)->image = zeros;
	const char *p = B->b->actions[ACTION_FLASH].prompt;
	add_step(B, STEP_ENTER_BOOTLOADER, USB_BOOTSEL);
	if (p[0])
		prompt(B, p);
	struct step *s = add_step(B, STEP_PICOBOOT_WRITE, USB_BOOTSEL);
	s->address = a->address;
	s->image = zeros;
	s->flags = STEP_DESTRUCTIVE;
}

/* ---- restore-bootloader ------------------------------------------------------------------ */

/* "Flash the firmware normally" (seed 003, last step) when the user gave firmware too. */
static void then_flash_if_given(struct builder *B)
{
	const struct board_action *fl = &B->b->actions[ACTION_FLASH];
	if (fl->method != METHOD_OPENMV_DFU)
		return;
	bool any = false;
	for (int i = 0; i < fl->nalts; i++) {
		const char *file = board_alt(B->b, fl->alts[i])->file;
		for (int k = 0; B->f && k < B->f->ngiven; k++)
			if (name_selects(B->f->given[k].name, file) ||
			    !strcasecmp(B->f->given[k].name, "firmware") || !strcasecmp(B->f->given[k].name, "romfs"))
				any = true;
	}
	if (any || (B->f && B->f->dir))
		openmv_dfu_flash(B, true);
	else
		note_with_hint(B, PLAN_HINT_FIRMWARE_SAME_RUN, "Then flash the firmware normally; given the "
		               "firmware too, it is flashed in the same run.");
}

static void st_rom_restore(struct builder *B)
{
	const struct board *b = B->b;
	const struct board_action *a = &b->actions[ACTION_RESTORE];
	const struct board_region *r = board_region(b, "bootloader");
	const struct board_alt *al = board_alt(b, 0);
	struct bnum addr = r ? r->address : al->start;
	uint64_t size = r ? r->size.value : al->size.value;
	const char *file = r ? r->file : al->file;
	/* bootloader.dfu or bootloader.bin (seed 003 step 4) */
	const char *slots[] = {file};
	const char *path = given_path(B, file, slots, 1);
	bool dfu_file = false;
	for (int i = 0; !path && B->f && i < B->f->ngiven; i++)
		if (!strcasecmp(B->f->given[i].name, "file") || !strcasecmp(B->f->given[i].name, "bootloader")) {
			path = B->f->given[i].path;
			B->used[i] = true;
		}
	if (path) {
		size_t len = strlen(path);
		dfu_file = len > 4 && !strcasecmp(path + len - 4, ".dfu");
	}
	prompt(B, a->prompt);
	int im = add_image(B, dfu_file ? base_name(path) : file, size, -1, slots, 1, false);
	if (path)
		snprintf(B->p->images[im].path, sizeof B->p->images[im].path, "%s", path),
		B->p->images[im].given = true;
	struct step *s = add_step(B, dfu_file ? STEP_DFUSE_FILE : STEP_DFUSE_WRITE, USB_ST_ROM);
	s->alt = a->alt;
	s->address = addr;
	s->image = im;
	s->flags = STEP_BOOTLOADER | STEP_DESTRUCTIVE | (dfu_file ? STEP_LEAVE : 0);
	prompt(B, "remove_jumper"); /* seed 003 step 5 */
	then_flash_if_given(B);
}

static void stm32prog_restore(struct builder *B)
{
	const struct board_action *a = &B->b->actions[ACTION_RESTORE];
	const char *slots[] = {a->layout};
	prompt(B, a->prompt);
	int im = add_image(B, a->layout, 0, -1, slots, 1, false);
	struct step *s = add_step(B, STEP_STM32PROG_LAYOUT, USB_ST_ROM);
	s->image = im;
	s->flags = STEP_BOOTLOADER | STEP_DESTRUCTIVE;
	prompt(B, "n6_remove_jumper");
	then_flash_if_given(B);
}

static void nxp_sdp_restore(struct builder *B)
{
	const struct board *b = B->b;
	const struct board_action *a = &b->actions[ACTION_RESTORE];
	const struct board_region *fcb = board_region(b, "fcb"), *sbl = board_region(b, "sbl"),
	                          *fw = board_region(b, "firmware");
	const char *slots[] = {a->loader_file, sbl->file, fw->file};
	int loader = add_image(B, a->loader_file, 0, -1, slots, 3, false);
	int sblim = add_image(B, sbl->file, sbl->size.value, -1, slots, 3, false);
	int fwim = add_image(B, fw->file, fw->size.value, -1, slots, 3, false);
	int timeout = (int)b->actions[ACTION_FLASH].timeout_ms.value;

	prompt(B, a->prompt); /* seed 003 step 1 */
	struct step *s = add_step(B, STEP_SDP_WRITE_FILE, USB_SDP); /* seed 003 step 2 */
	s->address = a->loader_address;
	s->image = loader;
	add_step(B, STEP_SDP_JUMP, USB_SDP)->address = a->loader_address;
	for (int k = 0; k < 2; k++) { /* seed 003 step 3: FlexSPI config, then the FCB */
		s = add_step(B, STEP_BLHOST_FILL, USB_FLASHLOADER);
		s->address = a->config_address;
		s->length = a->config_bytes;
		s->value = a->config_words[k];
		s = add_step(B, STEP_BLHOST_CONFIGURE, USB_FLASHLOADER);
		s->address = a->config_address;
		s->value = a->config_id;
		if (k == 0) {
			s = add_step(B, STEP_BLHOST_ERASE, USB_FLASHLOADER);
			s->address = fcb->address;
			s->length = fcb->size;
			snprintf(s->value.text, sizeof s->value.text, "%d", timeout);
			s->value.value = (uint64_t)timeout;
			s->flags = STEP_BOOTLOADER | STEP_DESTRUCTIVE;
		}
	}
	int before = B->p->nsteps;
	blhost_erase_write(B, sbl, sblim, timeout);
	blhost_erase_write(B, fw, fwim, timeout); /* seed 003 step 4 */
	for (int i = before; i < B->p->nsteps; i++)
		if (B->p->steps[i].image == sblim)
			B->p->steps[i].flags |= STEP_BOOTLOADER;
	s = add_step(B, STEP_BLHOST_EFUSE, USB_FLASHLOADER);
	s->value = a->efuse_index;
	snprintf(s->text, sizeof s->text, "%s", a->efuse_data);
	s->flags = STEP_IRREVERSIBLE | STEP_BOOTLOADER;
	add_step(B, STEP_BLHOST_RESET, USB_FLASHLOADER);
	prompt(B, "remove_sbl_jumper"); /* seed 003 step 5 */
}

/* The folder of the Alif system package, when the person named one (--image
 * system-package=DIR) or gave --dir; otherwise -1 and the step looks for an OpenMV IDE
 * installation when it runs (reference alif-isp-openmv-ide-n6.md §1.8, §2.3). */
static int alif_system_package(struct builder *B)
{
	const char *path = NULL;
	for (int i = 0; B->f && i < B->f->ngiven; i++)
		if (!strcasecmp(B->f->given[i].name, PLAN_SLOT_SYSTEM_PACKAGE)) {
			path = B->f->given[i].path;
			B->used[i] = true;
		}
	bool given = path != NULL;
	if (!path && B->f && B->f->dir)
		path = B->f->dir;
	if (!path || B->p->nimages == PLAN_MAX_IMAGES)
		return -1;
	struct plan_image *im = &B->p->images[B->p->nimages];
	memset(im, 0, sizeof *im);
	snprintf(im->slot, sizeof im->slot, "%s", PLAN_SLOT_SYSTEM_PACKAGE);
	snprintf(im->path, sizeof im->path, "%s", path);
	im->given = given;
	im->alt = -1;
	return B->p->nimages++;
}

static void alif_isp_restore(struct builder *B)
{
	const struct board *b = B->b;
	const struct board_action *a = &b->actions[ACTION_RESTORE];
	const char *slots[BOARD_MAX_LIST];
	for (int i = 0; i < a->nalts; i++)
		slots[i] = board_alt(b, a->alts[i])->file;
	int ims[BOARD_MAX_LIST] = {-1, -1}; /* no image until add_image gives one */
	for (int i = 0; i < a->nalts; i++) {
		const struct board_alt *al = board_alt(b, a->alts[i]);
		ims[i] = add_image(B, al->file, al->size.value, -1, slots, a->nalts, false);
	}
	prompt(B, a->prompt);                                  /* seed 003 step 1-2 */
	add_step(B, STEP_ISP_BANNER, USB_SE_BRIDGE);           /* seed 003 step 2 */
	add_step(B, STEP_ISP_MAINTENANCE, USB_SE_BRIDGE);      /* seed 003 step 3 */
	struct step *s = add_step(B, STEP_ISP_UPDATE_SP, USB_SE_BRIDGE); /* seed 003 step 4 */
	s->flags = STEP_OPTIONAL;
	s->image = alif_system_package(B);
	if (s->image < 0)
		note_with_hint(B, PLAN_HINT_SYSTEM_PACKAGE, "The Secure Enclave's system package (Alif's SP-*.bin) is "
		               "not included: it is taken from an OpenMV IDE installation, or from a folder you name.");
	s = add_step(B, STEP_ISP_WRITE_MRAM, USB_SE_BRIDGE);   /* seed 003 step 5 */
	s->image = ims[0];
	s->image2 = a->nalts > 1 ? ims[1] : -1;
	s->flags = STEP_BOOTLOADER | STEP_DESTRUCTIVE;
	prompt(B, "maintenance_off");                          /* seed 003 step 7 */
	then_flash_if_given(B);                                /* seed 003 step 6 */
}

/* ---- flash with the filesystem erased in the same run (OpenMV IDE's "Erase internal file
 * system" checkbox: seed 002 §10.7.9; the IDE runs its eraseCommands before its
 * programCommands, --reset only on the last transfer: reference alif-isp-openmv-ide-n6.md
 * §2.2) ----------------------------------------------------------------------------------- */

static int flash_erase_first(struct builder *B)
{
	const struct board_action *e = &B->b->actions[ACTION_ERASE_FS];
	if (e->method == METHOD_NONE)
		return rs_fail(B->err, RS_E_UNSUPPORTED, "%s cannot erase its internal filesystem%s%s", B->b->name,
		               e->why[0] ? ": " : "", e->why);
	switch (e->method) {
	case METHOD_OPENMV_DFU: openmv_dfu_erase(B); break;
	case METHOD_DFUSE: dfuse_erase(B); break;
	case METHOD_BLHOST: blhost_erase(B); break;
	case METHOD_PICOBOOT: picoboot_erase(B); break;
	default:
		return rs_fail(B->err, RS_E_UNSUPPORTED, "%s: erasing the filesystem together with a flash is not "
		               "possible; erase it on its own", B->b->name);
	}
	B->erase_end = B->p->nsteps;
	note(B, "The internal filesystem is erased first: the camera reformats it at the next boot, so copy "
	     "your files back afterwards.");
	return 0;
}

static void drop_step(struct plan *p, int i)
{
	memmove(&p->steps[i], &p->steps[i + 1], sizeof p->steps[0] * (size_t)(p->nsteps - i - 1));
	p->nsteps--;
}

/* One session for both: the erase does not restart the camera (its reset or reboot goes),
 * and the flash does not enter the bootloader a second time. */
static void merge_erase_into_flash(struct builder *B)
{
	struct plan *p = B->p;
	int end = B->erase_end;
	if (end <= 0)
		return;
	for (int i = 0; i < end; i++)
		p->steps[i].flags &= ~(STEP_RESET | STEP_LEAVE);
	for (int i = end - 1; i >= 0; i--)
		if (p->steps[i].kind == STEP_BLHOST_RESET)
			drop_step(p, i), end--;
	for (int i = end; i < p->nsteps; i++) {
		if (p->steps[i].kind != STEP_ENTER_BOOTLOADER)
			continue;
		bool entered = false;
		for (int k = 0; k < end; k++)
			entered |= p->steps[k].kind == STEP_ENTER_BOOTLOADER && p->steps[k].mode == p->steps[i].mode;
		if (!entered)
			continue;
		drop_step(p, i);
		if (i < p->nsteps && p->steps[i].kind == STEP_PROMPT)
			drop_step(p, i); /* its "double tap" prompt was already shown */
		break;
	}
}

/* ---- entry point ------------------------------------------------------------------------- */

int plan_build(const struct board *b, enum action a, const struct plan_files *files,
               struct plan *out, struct rs_error *err)
{
	memset(out, 0, sizeof *out);
	out->board = b;
	out->action = a;
	const struct board_action *ba = &b->actions[a];
	if (ba->method == METHOD_NONE) {
		if (!ba->why[0]) /* not listed, and boards.ini gives no reason (ACTION.why before the boards) */
			return rs_fail(err, RS_E_UNSUPPORTED, "%s: boards.ini lists no way to %s it", b->name, action_name(a));
		return rs_fail(err, RS_E_UNSUPPORTED, "%s: %s", b->name, ba->why);
	}
	struct builder B = {.b = b, .f = files, .p = out, .err = err};
	switch (a) {
	case ACTION_FLASH:
		if (files && files->erase_fs && flash_erase_first(&B))
			return -1;
		switch (ba->method) {
		case METHOD_OPENMV_DFU: openmv_dfu_flash(&B, false); break;
		case METHOD_DFUSE: dfuse_flash(&B); break;
		case METHOD_BLHOST: blhost_flash(&B); break;
		case METHOD_SAMBA: samba_flash(&B); break;
		case METHOD_PICOBOOT: picoboot_flash(&B); break;
		default: break;
		}
		break;
	case ACTION_ERASE_FS:
		switch (ba->method) {
		case METHOD_OPENMV_DFU: openmv_dfu_erase(&B); break;
		case METHOD_DFUSE: dfuse_erase(&B); break;
		case METHOD_BLHOST: blhost_erase(&B); break;
		case METHOD_PICOBOOT: picoboot_erase(&B); break;
		default: break;
		}
		break;
	case ACTION_RESTORE:
		switch (ba->method) {
		case METHOD_ST_ROM: st_rom_restore(&B); break;
		case METHOD_STM32PROG: stm32prog_restore(&B); break;
		case METHOD_NXP_SDP: nxp_sdp_restore(&B); break;
		case METHOD_ALIF_ISP: alif_isp_restore(&B); break;
		default: break;
		}
		break;
	case ACTION_INIT_MRAM:
		openmv_dfu_init_mram(&B);
		break;
	default:
		break;
	}
	if (a == ACTION_FLASH && files && files->erase_fs)
		merge_erase_into_flash(&B);
	if (B.overflow)
		return rs_fail(err, RS_E_INPUT, "the plan for %s %s needs more than %d steps",
		               b->target, action_name(a), PLAN_MAX_STEPS);
	if (out->nsteps == 0)
		return rs_fail(err, RS_E_INPUT, "none of the files given is an image of %s %s",
		               b->target, action_name(a));
	for (int i = 0; files && i < files->ngiven; i++)
		if (!B.used[i]) {
			/* a file the recipe did not use: say so rather than silently ignore it */
			bool taken = false;
			for (int k = 0; k < out->nimages; k++)
				if (out->images[k].given && !strcmp(out->images[k].path, files->given[i].path))
					taken = true;
			if (!taken)
				return rs_fail(err, RS_E_INPUT,
				               "%s (--%s) is not an image of %s %s; run 'openmv-rescue boards %s' to see its images",
				               files->given[i].path, files->given[i].name, b->target, action_name(a), b->target);
		}
	/* Guard: nothing but restore-bootloader may touch a bootloader region. */
	for (int i = 0; i < out->nsteps; i++) {
		const struct step *s = &out->steps[i];
		const struct board_alt *al = s->alt >= 0 ? board_alt(b, s->alt) : NULL;
		bool boot = (s->flags & STEP_BOOTLOADER) || (s->kind == STEP_DFU_DOWNLOAD && al && al->access == ALT_RO);
		if (s->kind == STEP_DFUSE_WRITE && b->protect.end && s->address.value >= b->protect.start &&
		    s->address.value < b->protect.end)
			boot = true;
		if (boot && a != ACTION_RESTORE)
			return rs_fail(err, RS_E_INPUT, "internal: step %d of %s would touch the bootloader", i + 1,
			               action_name(a));
	}
	return 0;
}

struct plan_image *plan_image(struct plan *p, const char *slot)
{
	for (int i = 0; i < p->nimages; i++)
		if (!strcasecmp(p->images[i].slot, slot))
			return &p->images[i];
	return NULL;
}
