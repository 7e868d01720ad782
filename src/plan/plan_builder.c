/* plan_builder.c — see plan_builder.h. */
#include "plan_builder.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "family.h"

struct step *plan_add_step(struct builder *B, enum step_kind k, enum usb_mode mode)
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

void plan_note(struct builder *B, const char *fmt, ...)
{
	if (B->p->nnotes == PLAN_MAX_NOTES)
		return;
	va_list ap;
	va_start(ap, fmt);
	B->p->note_hint[B->p->nnotes] = PLAN_HINT_NONE;
	vsnprintf(B->p->notes[B->p->nnotes++], sizeof B->p->notes[0], fmt, ap);
	va_end(ap);
}

void plan_note_hint(struct builder *B, enum plan_hint hint, const char *text)
{
	plan_note(B, "%s", text);
	if (B->p->nnotes)
		B->p->note_hint[B->p->nnotes - 1] = hint;
}

void plan_add_prompt(struct builder *B, const char *id)
{
	struct step *s = plan_add_step(B, STEP_PROMPT, USB_MODE_COUNT);
	snprintf(s->prompt, sizeof s->prompt, "%s", id);
}

void plan_enter_then_prompt(struct builder *B, enum usb_mode mode, const char *prompt)
{
	/* a running board resets into its bootloader on a 1200-baud touch (seed 002 §10.7.4);
	 * the prompt after it asks for the double tap only if that did not work */
	plan_add_step(B, STEP_ENTER_BOOTLOADER, mode);
	if (prompt[0])
		plan_add_prompt(B, prompt);
}

const char *plan_base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static bool has_prefix(const char *s, const char *prefix)
{
	return !strncasecmp(s, prefix, strlen(prefix));
}

bool plan_name_selects(const char *name, const char *slot)
{
	size_t stem = strcspn(slot, ".");
	return !strcasecmp(name, slot) || (strlen(name) == stem && !strncasecmp(name, slot, stem));
}

const char *plan_given_path(struct builder *B, const char *slot, const char *const *slots, int n)
{
	const struct plan_files *f = B->f;
	for (int i = 0; f && i < f->ngiven; i++) {
		const char *name = f->given[i].name;
		bool hit = plan_name_selects(name, slot);
		if (!hit && !strcasecmp(name, "file"))
			hit = !strcasecmp(plan_base_name(f->given[i].path), slot) || n == 1;
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

const char *plan_given_file(struct builder *B)
{
	const char *path = NULL;
	for (int i = 0; !path && B->f && i < B->f->ngiven; i++)
		if (!strcasecmp(B->f->given[i].name, "file") || !strcasecmp(B->f->given[i].name, "bootloader")) {
			path = B->f->given[i].path;
			B->used[i] = true;
		}
	return path;
}

const char *plan_given_named(struct builder *B, const char *name)
{
	const char *path = NULL;
	for (int i = 0; B->f && i < B->f->ngiven; i++)
		if (!strcasecmp(B->f->given[i].name, name)) {
			path = B->f->given[i].path;
			B->used[i] = true;
		}
	return path;
}

static bool user_gave_anything(const struct builder *B)
{
	return B->f && (B->f->ngiven > 0 || B->f->dir);
}

static int existing_image(const struct plan *p, const char *slot)
{
	for (int i = 0; i < p->nimages; i++)
		if (!strcmp(p->images[i].slot, slot))
			return i;
	return -1;
}

/* A new image of the plan, cleared, with its slot and path; NULL when the plan is full. */
static struct plan_image *new_image(struct builder *B, const char *slot, const char *path)
{
	struct plan *p = B->p;
	if (p->nimages == PLAN_MAX_IMAGES)
		return NULL;
	struct plan_image *im = &p->images[p->nimages++];
	memset(im, 0, sizeof *im);
	snprintf(im->slot, sizeof im->slot, "%s", slot);
	snprintf(im->path, sizeof im->path, "%s", path);
	im->alt = -1;
	im->family = B->family;
	return im;
}

int plan_add_image(struct builder *B, const char *slot, uint64_t max_size, int alt,
                   const char *const *slots, int n, bool optional)
{
	int old = existing_image(B->p, slot);
	if (old >= 0)
		return old;
	const char *path = plan_given_path(B, slot, slots, n);
	char found[512] = "";
	if (!path && B->f && B->f->dir) {
		snprintf(found, sizeof found, "%s/%s", B->f->dir, slot);
		path = found; /* the image checks say whether it exists */
	}
	if (!path && (optional || B->optional_all) && user_gave_anything(B))
		return -1;
	struct plan_image *im = new_image(B, slot, path ? path : slot);
	if (!im)
		return -1;
	im->given = path != NULL;
	im->max_size = max_size;
	im->alt = alt;
	return (int)(im - B->p->images);
}

int plan_add_generated(struct builder *B, const char *slot, uint64_t size)
{
	int old = existing_image(B->p, slot);
	if (old >= 0)
		return old;
	struct plan_image *im = new_image(B, slot, slot);
	if (!im)
		return -1;
	im->generated = true;
	im->size = size;
	im->max_size = size;
	return (int)(im - B->p->images);
}

int plan_add_folder(struct builder *B, const char *slot, const char *path, bool given)
{
	struct plan_image *im = new_image(B, slot, path);
	if (!im)
		return -1;
	im->given = given;
	im->folder = true;
	return (int)(im - B->p->images);
}

int plan_add_zeros(struct builder *B)
{
	int zeros = plan_add_generated(B, "erase.bin", 4096); /* seed 000: 4 KB of zeros */
	plan_add_step(B, STEP_MAKE_ZEROS, USB_MODE_COUNT)->image = zeros;
	return zeros;
}

/* Did the user give any image the flash of a restore could write? */
static bool gave_flash_image(const struct builder *B, const struct board_action *fl)
{
	for (int i = 0; i < fl->nalts; i++) {
		const char *file = board_alt(B->b, fl->alts[i])->file;
		for (int k = 0; B->f && k < B->f->ngiven; k++)
			if (plan_name_selects(B->f->given[k].name, file) || !strcasecmp(B->f->given[k].name, "firmware") ||
			    !strcasecmp(B->f->given[k].name, "romfs"))
				return true;
	}
	return false;
}

void plan_then_flash(struct builder *B)
{
	const struct board_action *fl = &B->b->actions[ACTION_FLASH];
	const struct family *fam = family_for_method(fl->method);
	if (!fam || !fam->flash_after_restore || !fam->recipe[ACTION_FLASH])
		return;
	if (gave_flash_image(B, fl) || (B->f && B->f->dir)) {
		const struct family *restoring = B->family;
		B->family = fam;
		B->optional_all = true;
		fam->recipe[ACTION_FLASH](B);
		B->optional_all = false;
		B->family = restoring;
	} else
		plan_note_hint(B, PLAN_HINT_FIRMWARE_SAME_RUN, "Then flash the firmware normally; given the "
		               "firmware too, it is flashed in the same run.");
}
