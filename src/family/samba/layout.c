/* family/samba/layout.c — see exec_nano_layout.h. */
#include "exec_nano_layout.h"

#include <stdio.h>

/* A vector table's first word is the initial stack pointer: the updated bootloader takes a
 * word as one when its masked bits equal boards.ini flash.layout_stack (MASK, VALUE: the
 * board's RAM).  No mask given: no word is taken for one, so the layout check refuses. */
static bool stack_pointer_like(const struct board_action *a, uint32_t w)
{
	uint32_t mask = (uint32_t)a->layout_stack[0].value;
	return mask && (w & mask) == (uint32_t)a->layout_stack[1].value;
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Read n 32-bit words at a physical address (the bootloader adds its base to offsets, in
 * 32-bit arithmetic, so addresses below the base are reached by wrapping: samba.h). */
static int read_words(struct samba *sb, uint64_t phys, uint32_t *w, int n, struct rs_error *err)
{
	uint8_t buf[8];
	int r = samba_read(sb, (uint32_t)(phys - SAMBA_APP_BASE), buf, (size_t)n * 4, err);
	for (int i = 0; !r && i < n; i++)
		w[i] = le32(buf + 4 * i);
	return r;
}

static int refuse(const struct board *b, const struct board_action *a, struct rs_error *err,
                  const char *what)
{
	return rs_fail(err, RS_E_INPUT, "the %s lacks the bootloader and SoftDevice layout that OpenMV "
	               "firmware at offset %s needs (%s); nothing was written: %s", b->name,
	               a->address.text, what, a->layout_fix);
}

int exec_nano_check_layout(struct run_ctx *rc, struct samba *sb, struct rs_error *err)
{
	const struct board *b = rc->plan->board;
	const struct board_action *a = &b->actions[ACTION_FLASH];
	if (!a->layout_fix[0])
		return 0; /* the board names no layout to check */
	uint32_t word, boot[2], app;
	int r = read_words(sb, a->layout_word[0].value, &word, 1, err);
	if (!r)
		r = read_words(sb, a->layout_vector.value, boot, 2, err);
	if (!r)
		r = read_words(sb, a->layout_no_vector.value, &app, 1, err);
	if (r)
		return rs_wrap(err, "checking the flash layout; nothing was written");
	bool has_sd = word == (uint32_t)a->layout_word[1].value;
	bool has_boot = stack_pointer_like(a, boot[0]) && (boot[1] & 1) && boot[1] >= a->layout_vector.value;
	char what[160];
	if (!has_sd && !has_boot)
		snprintf(what, sizeof what, "it has the stock layout: no bootloader at %s, no SoftDevice",
		         a->layout_vector.text);
	else if (!has_boot)
		snprintf(what, sizeof what, "no bootloader at %s", a->layout_vector.text);
	else if (!has_sd)
		snprintf(what, sizeof what, "no SoftDevice: %s holds 0x%08X, not %s", a->layout_word[0].text,
		         (unsigned)word, a->layout_word[1].text);
	else if (stack_pointer_like(a, app))
		snprintf(what, sizeof what, "a sketch at %s has overwritten the SoftDevice and would start "
		         "instead", a->layout_no_vector.text);
	else {
		run_log(rc, RUN_LOG_INFO, "flash layout checked: SoftDevice (%s = %s), bootloader at %s, no "
		        "sketch at %s", a->layout_word[0].text, a->layout_word[1].text, a->layout_vector.text,
		        a->layout_no_vector.text);
		return 0;
	}
	return refuse(b, a, err, what);
}
