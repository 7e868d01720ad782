/* n6_loaders.c — see n6_loaders.h. */
#include "n6_loaders.h"

#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *person_dir;

void n6_loaders_set_dir(const char *dir)
{
	person_dir = dir && dir[0] ? dir : NULL;
}

/* The usual folders, "~" for $HOME, globs allowed:
 * - the CubeProgrammer that OpenMV IDE bundles and runs: the resource path
 *   stcubeprogrammer/linux64/bin (and aarch64/bin) with STM32_PRG_PATH set to it
 *   (openmv/qt-creator src/plugins/openmv/tools/stcubeprogrammer.cpp); the IDE's install
 *   root openmvide [I];
 * - ST's default Linux install, ~/STMicroelectronics/STM32Cube/STM32CubeProgrammer/bin, whose
 *   ExternalLoader/ holds MX66UW1G45G_STM32N6570-DK.stldr (community.st.com, "STM32N6570-DK
 *   unable to erase flash memory"); that the -OBL.bin and the OpenBootloader image sit in
 *   bin/ or ExternalLoader/ is [I];
 * - the OpenMV SDK, ~/openmv-sdk-<version> (openmv-ota: --sdk-home default); the folder of
 *   its CubeProgrammer inside is [I];
 * - ST's STM32CubeN6 package: Projects/STM32N6570-DK/Applications/OpenBootloader/Binaries/
 *   NOR_Binary holds both loaders (betaflight's N6 unbricking notes); its place under the
 *   STM32CubeMX repository ~/STM32Cube/Repository/STM32Cube_FW_N6_V* is [I]. */
static const char *const usual[] = {
	"~/openmvide/share/qtcreator/stcubeprogrammer/linux64/bin",
	"~/openmvide/share/qtcreator/stcubeprogrammer/linux64/bin/ExternalLoader",
	"/opt/openmvide/share/qtcreator/stcubeprogrammer/linux64/bin",
	"/opt/openmvide/share/qtcreator/stcubeprogrammer/linux64/bin/ExternalLoader",
	"~/openmvide/share/qtcreator/stcubeprogrammer/aarch64/bin",
	"~/STMicroelectronics/STM32Cube/STM32CubeProgrammer/bin",
	"~/STMicroelectronics/STM32Cube/STM32CubeProgrammer/bin/ExternalLoader",
	"~/openmv-sdk-*/stcubeprog/bin",
	"~/openmv-sdk-*/stcubeprog/bin/ExternalLoader",
	"~/openmv-sdk-*/stcubeprogrammer/bin",
	"~/openmv-sdk-*/stcubeprogrammer/bin/ExternalLoader",
	"~/STM32Cube/Repository/STM32Cube_FW_N6_V*/Projects/STM32N6570-DK/Applications/OpenBootloader/Binaries/NOR_Binary",
};

static bool regular(const char *path)
{
	struct stat st;
	return !stat(path, &st) && S_ISREG(st.st_mode);
}

static void add_looked(char *looked, size_t ln, const char *dir)
{
	size_t used = strlen(looked);
	if (used + strlen(dir) + 8 < ln)
		snprintf(looked + used, ln - used, "%s%s", used ? ", " : "", dir);
	else if (used + 6 < ln && !strstr(looked, ", ..."))
		snprintf(looked + used, ln - used, ", ...");
}

/* Look for name in dir; dir is recorded in looked when it exists. */
static bool try_dir(const char *dir, const char *name, char *found, size_t n, char *looked, size_t ln)
{
	struct stat st;
	if (stat(dir, &st) || !S_ISDIR(st.st_mode))
		return false;
	add_looked(looked, ln, dir);
	snprintf(found, n, "%s/%s", dir, name);
	return regular(found);
}

int n6_loaders_find(const char *name, char *found, size_t n, char *looked, size_t ln)
{
	looked[0] = '\0';
	if (person_dir) {
		add_looked(looked, ln, person_dir); /* named: listed even when it does not exist */
		snprintf(found, n, "%s/%s", person_dir, name);
		if (regular(found))
			return 0;
	}
	const char *prg = getenv("STM32_PRG_PATH");
	if (prg && prg[0] && try_dir(prg, name, found, n, looked, ln))
		return 0;
	const char *home = getenv("HOME");
	for (size_t i = 0; i < sizeof usual / sizeof usual[0]; i++) {
		char pattern[512];
		if (usual[i][0] == '~') {
			if (!home)
				continue;
			snprintf(pattern, sizeof pattern, "%s%s", home, usual[i] + 1);
		} else
			snprintf(pattern, sizeof pattern, "%s", usual[i]);
		glob_t g;
		if (glob(pattern, GLOB_ONLYDIR, NULL, &g))
			continue;
		bool hit = false;
		for (size_t k = 0; k < g.gl_pathc && !hit; k++)
			hit = try_dir(g.gl_pathv[k], name, found, n, looked, ln);
		globfree(&g);
		if (hit)
			return 0;
	}
	found[0] = '\0';
	if (!strchr(looked, '/') || (person_dir && !strcmp(looked, person_dir))) {
		size_t used = strlen(looked);
		snprintf(looked + used, ln - used, "%sno STM32CubeProgrammer, OpenMV IDE, OpenMV SDK or "
		         "STM32CubeN6 in their usual places", used ? "; " : "");
	}
	return -1;
}
