/* family/alif/images.c — the Secure Enclave recovery's file checks (images_alif.h). */
#include "images_alif.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "alif_package.h"
#include "images.h"
#include "images_toc.h"

int images_check_system_package(const struct plan_image *im, char *why, size_t n)
{
	if (!im->given)
		return 0; /* from --dir: the step looks there, then in an OpenMV IDE installation */
	struct stat st;
	if (stat(im->path, &st) || !S_ISDIR(st.st_mode)) {
		snprintf(why, n, "it is not a folder (name the folder that holds SP-*.bin and offset-*.bin)");
		return -1;
	}
	if (!alif_package_present(im->path)) {
		snprintf(why, n, "it holds no Alif system package (SP-*.bin and offset-*.bin, in it or in its alif folder)");
		return -1;
	}
	return 0;
}

void alif_check_folder(const struct plan *p, const struct plan_image *im, struct image_problems *out)
{
	(void)p;
	char why[300];
	if (images_check_system_package(im, why, sizeof why))
		images_problem(out, IMAGE_HINT_NONE, "%s: %s", im->path, why);
}

void alif_check_file(const struct plan *p, const struct plan_image *im, const unsigned char *head,
                     size_t got, struct image_problems *out)
{
	(void)head;
	(void)got;
	images_check_toc(p, im, out);
}
