/* choices.c — from the person's choices (camera, action, files) to a checked plan.
 *
 * The images an action reads come from the plan itself (plan->images), so the wizard asks
 * for exactly what the command line would; every file is checked by images_check() before
 * the confirm screen can be reached.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "files_find.h"
#include "images.h"
#include "wiz.h"

static void build_files(const struct wiz *w, struct plan_files *f, int skip)
{
	memset(f, 0, sizeof *f);
	f->erase_fs = w->erase_fs && w->action == ACTION_FLASH;
	for (int i = 0; i < w->nslots; i++)
		if (i != skip && w->slots[i].path[0] && f->ngiven < PLAN_MAX_IMAGES) {
			struct plan_file *g = &f->given[f->ngiven++];
			wiz_copy(g->name, sizeof g->name, w->slots[i].slot);
			g->path = w->slots[i].path;
		}
}

/* The plan image that slot i of the wizard became (a .dfu given for bootloader.bin changes
 * the image's name), or NULL when the plan left it out. */
static struct plan_image *image_of(struct wiz *w, int i)
{
	const struct wiz_slot *s = &w->slots[i];
	for (int k = 0; k < w->plan.nimages; k++)
		if (s->path[0] && w->plan.images[k].given && !strcmp(w->plan.images[k].path, s->path))
			return &w->plan.images[k];
	return plan_image(&w->plan, s->slot);
}

/* Check one image of the plan on its own: the other images are set aside. */
static void check_slot(struct wiz *w, int i)
{
	struct wiz_slot *s = &w->slots[i];
	s->verdict[0] = '\0';
	struct plan_image *im = image_of(w, i);
	if (!im)
		return; /* left out: an optional image that was not given */
	if (!s->path[0]) {
		snprintf(s->verdict, sizeof s->verdict, "not found: pick the file or a folder that holds it");
		return;
	}
	struct plan *one = malloc(sizeof *one);
	if (!one)
		return;
	*one = w->plan;
	for (int k = 0; k < one->nimages; k++)
		if (&w->plan.images[k] != im)
			one->images[k].generated = true;
	struct image_problems probs;
	if (images_check(one, false, &probs)) {
		wiz_copy(s->verdict, sizeof s->verdict, probs.line[0]);
		wiz_plain_words(s->verdict, sizeof s->verdict);
	}
	im->size = one->images[im - w->plan.images].size;
	free(one);
}

void wiz_rebuild_plan(struct wiz *w)
{
	struct plan_files f;
	struct rs_error err = {0};
	build_files(w, &f, -1);
	w->plan_error[0] = '\0';
	w->plan_ok = !plan_build(w->board, w->action, &f, &w->plan, &err);
	w->files_ok = false;
	if (!w->plan_ok) {
		wiz_copy(w->plan_error, sizeof w->plan_error, err.msg);
		wiz_plain_words(w->plan_error, sizeof w->plan_error);
		return;
	}
	for (int i = 0; i < w->plan.nnotes; i++)
		wiz_plain_words(w->plan.notes[i], sizeof w->plan.notes[i]);
	bool all_good = true;
	for (int i = 0; i < w->nslots; i++) {
		check_slot(w, i);
		if (w->slots[i].verdict[0])
			all_good = false;
	}
	struct image_problems probs;
	w->files_ok = all_good && images_check(&w->plan, false, &probs) == 0;
	if (all_good && !w->files_ok) {
		wiz_copy(w->plan_error, sizeof w->plan_error, probs.line[0]);
		wiz_plain_words(w->plan_error, sizeof w->plan_error);
	}
}

/* Is slot i left out of the plan when every other image is given? */
static bool slot_optional(struct wiz *w, int i)
{
	struct plan_files f;
	struct rs_error err = {0};
	for (int k = 0; k < w->nslots; k++)
		wiz_copy(w->slots[k].path, sizeof w->slots[k].path, w->slots[k].slot);
	build_files(w, &f, i);
	struct plan *p = malloc(sizeof *p);
	bool optional = false;
	if (p && !plan_build(w->board, w->action, &f, p, &err))
		optional = plan_image(p, w->slots[i].slot) == NULL;
	free(p);
	for (int k = 0; k < w->nslots; k++)
		w->slots[k].path[0] = '\0';
	return optional;
}

void wiz_find_files(struct wiz *w)
{
	for (int i = 0; i < w->nslots; i++) {
		struct wiz_slot *s = &w->slots[i];
		if (!strcmp(s->where, "you") || !strcmp(s->where, "sample"))
			continue; /* the person's own pick stays */
		char path[512], where[40];
		if (!files_find(s->slot, w->board->target, w->dir, path, sizeof path, where, sizeof where)) {
			wiz_copy(s->path, sizeof s->path, path);
			wiz_copy(s->where, sizeof s->where, where);
		} else {
			s->path[0] = s->where[0] = '\0';
		}
	}
	wiz_rebuild_plan(w);
}

void wiz_reset_files(struct wiz *w)
{
	struct rs_error err = {0};
	w->nslots = 0;
	w->dir[0] = '\0';
	w->erase_fs = false;
	w->plan_ok = w->files_ok = false;
	if (!w->board || !w->action_chosen)
		return;
	/* the full plan, nothing given: every image the action can read */
	if (plan_build(w->board, w->action, NULL, &w->plan, &err)) {
		wiz_copy(w->plan_error, sizeof w->plan_error, err.msg);
		return;
	}
	for (int k = 0; k < w->plan.nimages && w->nslots < PLAN_MAX_IMAGES; k++) {
		const struct plan_image *im = &w->plan.images[k];
		if (im->generated)
			continue;
		struct wiz_slot *s = &w->slots[w->nslots++];
		memset(s, 0, sizeof *s);
		wiz_copy(s->slot, sizeof s->slot, im->slot);
	}
	for (int i = 0; i < w->nslots; i++)
		w->slots[i].optional = slot_optional(w, i);
	wiz_find_files(w);
}

int wiz_try_file(struct wiz *w, int i, const char *path, char *why, size_t n)
{
	struct wiz_slot *s = &w->slots[i];
	char old[512], old_where[40];
	wiz_copy(old, sizeof old, s->path);
	wiz_copy(old_where, sizeof old_where, s->where);
	wiz_copy(s->path, sizeof s->path, path);
	snprintf(s->where, sizeof s->where, "you");
	wiz_rebuild_plan(w);
	const char *problem = !w->plan_ok ? w->plan_error : s->verdict;
	if (problem[0]) {
		snprintf(why, n, "%s", problem);
		wiz_copy(s->path, sizeof s->path, old);
		wiz_copy(s->where, sizeof s->where, old_where);
		wiz_rebuild_plan(w);
		return -1;
	}
	return 0;
}
