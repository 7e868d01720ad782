/* family/families.c — every bootloader family, one descriptor each (family.h), and the
 * lookups the plan, the image checks and the runner use instead of knowing a family.
 *
 * Adding a family: its folder src/family/<name>/ (recipe.c, images.c, exec.c as it needs
 * them, <name>_family.h), its descriptor here and its sources in meson.build.
 */
#include "family.h"

#include "alif_family.h"
#include "arduino_dfuse_family.h"
#include "exec_touch.h"
#include "images.h"
#include "n6_family.h"
#include "nxp_family.h"
#include "openmv_dfu_family.h"
#include "picoboot_family.h"
#include "samba_family.h"
#include "st_rom_family.h"

static const struct family families[] = {
	{.name = "openmv_dfu", .methods = {METHOD_OPENMV_DFU}, .nmethods = 1,
	 .recipe = {[ACTION_FLASH] = openmv_dfu_recipe_flash, [ACTION_ERASE_FS] = openmv_dfu_recipe_erase,
	            [ACTION_INIT_MRAM] = openmv_dfu_recipe_init_mram},
	 .flash_after_restore = true, .check_file = openmv_dfu_check_file,
	 .enter_modes = {USB_BOOTLOADER}, .nenter_modes = 1, .enter = exec_enter_dfu},
	{.name = "st_rom", .methods = {METHOD_ST_ROM}, .nmethods = 1,
	 .recipe = {[ACTION_RESTORE] = st_rom_recipe_restore},
	 .enter_modes = {USB_ST_ROM}, .nenter_modes = 1, .enter = exec_enter_dfu},
	{.name = "arduino_dfuse", .methods = {METHOD_DFUSE}, .nmethods = 1,
	 .recipe = {[ACTION_FLASH] = arduino_dfuse_recipe_flash, [ACTION_ERASE_FS] = arduino_dfuse_recipe_erase},
	 .check_file = images_check_firmware,
	 .enter_modes = {USB_ARDUINO_DFU}, .nenter_modes = 1, .enter = exec_enter_dfu},
	{.name = "nxp", .methods = {METHOD_BLHOST, METHOD_NXP_SDP}, .nmethods = 2,
	 .recipe = {[ACTION_FLASH] = nxp_recipe_flash, [ACTION_ERASE_FS] = nxp_recipe_erase,
	            [ACTION_RESTORE] = nxp_recipe_restore},
	 .check_file = nxp_check_file,
	 .enter_modes = {USB_FLASHLOADER}, .nenter_modes = 1, .enter = exec_nxp_enter_flashloader},
	{.name = "alif", .methods = {METHOD_ALIF_ISP}, .nmethods = 1,
	 .recipe = {[ACTION_RESTORE] = alif_recipe_restore},
	 .check_folder = alif_check_folder, .check_file = alif_check_file},
	{.name = "samba", .methods = {METHOD_SAMBA}, .nmethods = 1,
	 .recipe = {[ACTION_FLASH] = samba_recipe_flash},
	 .check_fit = samba_check_fit,
	 .enter_modes = {USB_SAMBA}, .nenter_modes = 1, .enter = exec_touch_enter},
	{.name = "picoboot", .methods = {METHOD_PICOBOOT}, .nmethods = 1,
	 .recipe = {[ACTION_FLASH] = picoboot_recipe_flash, [ACTION_ERASE_FS] = picoboot_recipe_erase},
	 .check_fit = picoboot_check_fit,
	 .enter_modes = {USB_BOOTSEL}, .nenter_modes = 1, .enter = exec_touch_enter},
	{.name = "n6", .methods = {METHOD_STM32PROG}, .nmethods = 1,
	 .recipe = {[ACTION_RESTORE] = n6_recipe_restore},
	 .check_file = n6_check_file},
};

#define NFAMILIES ((int)(sizeof families / sizeof families[0]))

const struct family *family_at(int i)
{
	return i >= 0 && i < NFAMILIES ? &families[i] : NULL;
}

const struct family *family_for_method(enum method m)
{
	for (int i = 0; i < NFAMILIES; i++)
		for (int k = 0; k < families[i].nmethods; k++)
			if (families[i].methods[k] == m && m != METHOD_NONE)
				return &families[i];
	return NULL;
}

const struct family *family_for_mode(enum usb_mode m)
{
	for (int i = 0; i < NFAMILIES; i++)
		for (int k = 0; k < families[i].nenter_modes; k++)
			if (families[i].enter_modes[k] == m)
				return &families[i];
	return NULL;
}

/* STEP_ENTER_BOOTLOADER: the executor of the family that enters the step's bootloader. */
int exec_enter(struct run_ctx *rc, const struct step *s, struct rs_error *err)
{
	const struct family *f = family_for_mode(s->mode);
	if (!f || !f->enter)
		return rs_fail(err, RS_E_UNSUPPORTED, "internal: no family enters the %s bootloader",
		               usb_mode_name(s->mode));
	return f->enter(rc, s, err);
}
