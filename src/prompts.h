/* prompts.h — the hardware prompts a plan can ask a person to carry out.
 *
 * Each prompt has an id (used in boards.ini and plans), a one-line title used by dry runs
 * and logs, and a drawing with numbered steps in assets/prompts/<id>.txt that the wizard
 * shows.  The texts are the only place these instructions live.
 */
#ifndef RESCUE_PROMPTS_H
#define RESCUE_PROMPTS_H

#include <stddef.h>

struct prompt_def {
	const char *id;
	const char *title;      /* one line: "Disconnect the camera, jumper BOOT to RST, reconnect" */
};

/* The prompt with this id, or NULL. */
const struct prompt_def *prompt_find(const char *id);

/* All prompts, for listing and tests; sets *n. */
const struct prompt_def *prompt_all(size_t *n);

#endif
