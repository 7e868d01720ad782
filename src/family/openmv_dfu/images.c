/* family/openmv_dfu/images.c — the openmv_dfu flash's format checks (openmv_dfu_family.h). */
#include "openmv_dfu_family.h"

#include "images.h"
#include "images_toc.h"

void openmv_dfu_check_file(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                           size_t got, struct image_problems *out)
{
	images_check_firmware(p, im, head, got, out);
	images_check_toc(p, im, out);
}
