/* files_find.c — see files_find.h. */
#include "files_find.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int is_file(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

int files_is_dir(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISDIR(st.st_mode);
}

void files_expand_home(const char *in, char *out, size_t n)
{
	const char *home = getenv("HOME");
	if (in[0] == '~' && (in[1] == '/' || !in[1]) && home)
		snprintf(out, n, "%s%s", home, in + 1);
	else
		snprintf(out, n, "%s", in);
}

/* Where OpenMV IDE is usually installed, relative to $HOME or absolute.  The IDE keeps its
 * firmware under share/qtcreator/firmware/<TARGET>/ (reference alif-isp-openmv-ide-n6.md,
 * "Per-board data").  The install folders themselves are inferred from the IDE's Linux
 * installer defaults and common choices [I]; a miss only means the person picks the file. */
static const char *const ide_home[] = {"openmvide", "openmv-ide", "OpenMV IDE", "OpenMV/openmvide",
                                       ".local/share/openmvide", ".local/share/openmv-ide"};
static const char *const ide_abs[] = {"/opt/openmvide", "/opt/openmv-ide", "/usr/local/openmvide",
                                      "/usr/share/openmvide"};

static int try_path(char *path, size_t n, const char *dir, const char *slot)
{
	int k = snprintf(path, n, "%s/%s", dir, slot);
	return k > 0 && (size_t)k < n && is_file(path);
}

int files_find(const char *slot, const char *target, const char *chosen_dir, char *path,
               size_t n, char *where, size_t wn)
{
	char dir[600];
	if (chosen_dir && chosen_dir[0] && try_path(path, n, chosen_dir, slot)) {
		snprintf(where, wn, "your folder");
		return 0;
	}
	/* the firmware repository's build output, when run from its top directory */
	snprintf(dir, sizeof dir, "build/%s/bin", target);
	if (try_path(path, n, dir, slot)) {
		snprintf(where, wn, "%s", dir);
		return 0;
	}
	const char *home = getenv("HOME");
	for (size_t i = 0; home && home[0] && i < sizeof ide_home / sizeof ide_home[0]; i++) {
		snprintf(dir, sizeof dir, "%s/%s/share/qtcreator/firmware/%s", home, ide_home[i], target);
		if (try_path(path, n, dir, slot)) {
			snprintf(where, wn, "OpenMV IDE");
			return 0;
		}
	}
	for (size_t i = 0; i < sizeof ide_abs / sizeof ide_abs[0]; i++) {
		snprintf(dir, sizeof dir, "%s/share/qtcreator/firmware/%s", ide_abs[i], target);
		if (try_path(path, n, dir, slot)) {
			snprintf(where, wn, "OpenMV IDE");
			return 0;
		}
	}
	path[0] = '\0';
	where[0] = '\0';
	return -1;
}
