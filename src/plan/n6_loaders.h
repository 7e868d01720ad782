/* n6_loaders.h — where the N6 FlashLayout.tsv's ST loader binaries are looked for.
 *
 * OpenMV IDE's layout (openmv/qt-creator share/qtcreator/firmware/OPENMV_N6/FlashLayout.tsv)
 * names OpenBootloader_STM32N6570-DK-trusted.stm32 and MX66UW1G45G_STM32N6570-DK-OBL.bin,
 * which are not in that folder: they are ST's, and STM32CubeProgrammer is expected to have
 * them.  A binary missing next to the layout is looked for in the folder the person names,
 * then in STM32CubeProgrammer's, OpenMV IDE's, the OpenMV SDK's and STM32CubeN6's usual
 * folders (the list and each one's source: n6_loaders.c).
 */
#ifndef RESCUE_N6_LOADERS_H
#define RESCUE_N6_LOADERS_H

#include <stddef.h>

/* The folder the person named (--n6-loaders, the wizard), searched first; NULL: none. */
void n6_loaders_set_dir(const char *dir);

/* Find the file called name in the loader folders: 0 with its path in found, or -1 with
 * where it was looked for (one line) in looked. */
int n6_loaders_find(const char *name, char *found, size_t n, char *looked, size_t ln);

#endif
