/* cli_boards.c — "openmv-rescue boards" and "openmv-rescue boards TARGET". */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_internal.h"
#include "identity.h"
#include "prompts.h"

static void actions_of(const struct board *b, char *buf, size_t n)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int a = 0; a < ACTION_COUNT && off < n; a++)
		if (board_supports(b, (enum action)a))
			off += (size_t)snprintf(buf + off, n - off, "%s%s", off ? ", " : "",
			                        action_name((enum action)a));
}

int cli_boards_table(const struct boarddb *db)
{
	printf("%-28s %-28s %-26s %s\n", "TARGET", "NAME", "MCU", "ACTIONS");
	for (int i = 0; i < db->n; i++) {
		const struct board *b = &db->boards[i];
		char acts[120];
		actions_of(b, acts, sizeof acts);
		printf("%-28s %-28s %-26s %s\n", b->target, b->name, b->mcu, acts);
	}
	return 0;
}

void cli_print_note(FILE *out, const char *prefix, const struct plan *p, int i)
{
	const char *hint = p->note_hint[i] == PLAN_HINT_FIRMWARE_SAME_RUN ? "--firmware FILE"
	                   : p->note_hint[i] == PLAN_HINT_SYSTEM_PACKAGE ? "--image system-package=DIR" : NULL;
	size_t len = strlen(p->notes[i]);
	if (hint && len && p->notes[i][len - 1] == '.')
		len--;
	fprintf(out, "%sNote: %.*s%s%s%s\n", prefix, (int)len, p->notes[i], hint ? " (" : "", hint ? hint : "",
	        hint ? ")." : "");
}

void cli_print_plan(FILE *out, const struct plan *p)
{
	char line[600];
	fprintf(out, "Plan: %s (%s) — %s, %d steps\n", p->board->name, p->board->target,
	        action_name(p->action), p->nsteps);
	for (int i = 0; i < p->nsteps; i++) {
		step_describe(p, &p->steps[i], line, sizeof line);
		const char *mark = (p->steps[i].flags & STEP_IRREVERSIBLE) ? "  [IRREVERSIBLE]"
		                   : (p->steps[i].flags & STEP_BOOTLOADER) ? "  [bootloader]" : "";
		fprintf(out, "  %2d. %s%s\n", i + 1, line, mark);
	}
	for (int i = 0; i < p->nnotes; i++)
		cli_print_note(out, "  ", p, i);
	fprintf(out, "Equivalent commands:\n");
	for (int i = 0; i < p->nsteps; i++) {
		step_classic(p, &p->steps[i], line, sizeof line);
		fprintf(out, "  %s\n", line);
	}
}

static void print_ids(const struct board *b)
{
	for (int m = 0; m < USB_MODE_COUNT; m++) {
		if (!b->usb[m].n)
			continue;
		printf("  USB %-28s", usb_mode_label((enum usb_mode)m));
		for (int k = 0; k < b->usb[m].n; k++)
			printf(" %s", b->usb[m].id[k].text);
		printf("\n");
	}
}

int cli_board_facts(const struct boarddb *db, const char *target)
{
	const struct board *b = boarddb_find(db, target);
	if (!b) {
		cli_unknown_board(db, "unknown board", target);
		return 2;
	}
	printf("%s (%s)\n  MCU %s, port %s, core %s, family %s\n", b->name, b->target, b->mcu, b->port,
	       b->core, b->family);
	print_ids(b);
	for (int i = 0; i < b->nalts; i++) {
		const struct board_alt *a = &b->alts[i];
		static const char *acc[] = {"read-only", "writable", "whole chip", "command"};
		printf("  DFU alt %d  %-11s %s:%-11s size %-10s %-10s %s\n", a->alt, a->name, a->memory,
		       a->start.text, a->size.text, acc[a->access], a->file);
	}
	for (int i = 0; i < b->nimages; i++) {
		const struct board_image *im = &b->images[i];
		if (im->alt >= 0)
			printf("  image %-10s alt %d at %s, up to %s bytes: %s\n", im->slot, im->alt,
			       im->address.text, im->size.text, im->file);
		else
			printf("  image %-10s %s\n", im->slot, im->file);
	}
	for (int i = 0; i < b->nregions; i++) {
		const struct board_region *r = &b->regions[i];
		printf("  region %-10s %s size %s %s\n", r->name, r->address.text, r->size.text, r->file);
	}
	char expected[400];
	if (identity_describe_expected(b, expected, sizeof expected))
		printf("  identity   %s\n", expected);
	for (int a = 0; a < ACTION_COUNT; a++) {
		const struct board_action *ba = &b->actions[a];
		printf("\n%s:", action_name((enum action)a));
		if (ba->method == METHOD_NONE) {
			printf(" not available. %s\n", ba->why[0] ? ba->why : "This board has no such action.");
			continue;
		}
		printf(" method %s\n", method_name(ba->method));
		if (ba->when[0]) /* boards.ini ACTION.when, as the wizard's action screen says it */
			printf("  when: %s\n", ba->when);
		if (ba->layout_fix[0]) /* the flash layout checked before writing (samba) */
			printf("  needs word %s at %s, a vector table at %s, none at %s; if not: %s\n",
			       ba->layout_word[1].text, ba->layout_word[0].text, ba->layout_vector.text,
			       ba->layout_no_vector.text, ba->layout_fix);
		struct plan p;
		struct rs_error err = {0};
		if (plan_build(b, (enum action)a, NULL, &p, &err)) {
			printf("  (no plan: %s)\n", err.msg);
			continue;
		}
		cli_print_plan(stdout, &p);
	}
	return 0;
}
