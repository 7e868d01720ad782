/* family/nxp/images.c — see images_nxp.h and nxp_family.h. */
#include "images_nxp.h"

#include "images.h"
#include "nxp_family.h"

#include <stdio.h>
#include <strings.h>

int images_check_nxp(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                     size_t got, char *why, size_t n)
{
	const struct board_action *a = &p->board->actions[ACTION_RESTORE];
	if (p->action != ACTION_RESTORE || a->method != METHOD_NXP_SDP || strcasecmp(im->slot, a->loader_file))
		return 0;
	/* The ROM starts the loader through the image vector table at the jump address, which is
	 * also its load address (reference nxp-sdp-mboot.md §1.5), so the file must begin with
	 * an IVT header: tag 0xD1, length 0x0020 big-endian, version 0x40 or 0x41 (§4). */
	if (got >= 4 && head[0] == 0xD1 && head[1] == 0x00 && head[2] == 0x20 &&
	    (head[3] == 0x40 || head[3] == 0x41))
		return 0;
	snprintf(why, n, "does not start with an i.MX RT image vector table (IVT header D1 00 20 40/41), "
	         "so the ROM cannot start it: it is not the RT1062 flashloader");
	return -1;
}

void nxp_check_file(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                    size_t got, struct image_problems *out)
{
	char why[300];
	images_check_firmware(p, im, head, got, out);
	if (images_check_nxp(p, im, head, got, why, sizeof why))
		images_problem(out, IMAGE_HINT_NONE, "%s %s", im->path, why);
}
