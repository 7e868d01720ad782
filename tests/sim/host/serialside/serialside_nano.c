/* serialside_nano.c — the Nano boards' bootloaders as camera modes: the Nano 33 BLE's SAM-BA
 * bootloader on a ttyACM below its CDC device (samba), and the RP2040's BOOTSEL device with
 * PICOBOOT (bootsel).  The models (tests/sim/nano) keep their flash while they run; the camera's
 * "flash" memory holds it in between, so --load and --dump work and a flash survives the
 * board's reset into the new firmware. */
#include "serialside_priv.h"

#include <string.h>

#include "rp2040_usb.h"
#include "samba_tty.h"

/* bcdDevice 0.11 and the product string of the Nano 33 BLE's bootloader: a dmesg report
 * (reference dfu-dfuse-picoboot-samba.md §3.1) */
#define SAMBA_BCD 0x0011
#define SAMBA_PRODUCT "Arduino Nano 33 BLE"
/* [I] another RP2040's BOOTSEL serial (12 hex digits from its flash's unique ID, §2.1) */
#define OTHER_BOOTSEL_SERIAL "E66138935F4B"

static void copy_flash(uint8_t *to, const uint8_t *from, size_t model_size, const struct simmem *m)
{
	memcpy(to, from, m->size < model_size ? m->size : model_size);
}

/* ---- SAM-BA ------------------------------------------------------------------------------- */

/* The model answers only from samba_data, on the port's thread, which names its port. */
static void samba_send(void *ctx, const uint8_t *buf, size_t len)
{
	struct side_cam *c = ctx;
	ttysim_send(c->samba_tx, buf, len);
}

/* K# (or a SYSRESETREQ write): the board leaves the bootloader. */
static void samba_gone(void *ctx, bool reset)
{
	struct side_cam *c = ctx;
	bool replaced = !reset && c->o.nano_fault == NANO_FAULT_REPLACED;
	side_post(c, replaced ? JOB_REPLACED : JOB_BOOTLOADER_LEFT, c->samba_dev, 0);
}

/* On the port's thread, the only caller of the model while the port exists. */
static void samba_data(void *ctx, struct ttysim *port, const uint8_t *buf, size_t len, unsigned baud)
{
	struct side_cam *c = ctx;
	(void)baud; /* CDC ACM ignores the line coding */
	c->samba_tx = port;
	samba_model_input(c->samba, buf, len);
}

static enum samba_layout layout_of(const struct side_cam *c)
{
	return c->o.nano_stock_layout ? SAMBA_LAYOUT_STOCK : SAMBA_LAYOUT_UPDATED;
}

/* The flash in the camera's layout (samba_model.h): updated (MBR, SoftDevice, bootloader at
 * 0xE0000) or stock (the bootloader at 0). */
void side_nano_attach(struct side_cam *c)
{
	struct samba_model_config cfg = {.layout = layout_of(c)};
	struct samba_model *m = samba_model_new(&cfg);
	struct simmem *fl = camera_memory(c->cam, "flash");
	if (m && fl)
		copy_flash(fl->bytes, samba_model_flash(m), SAMBA_MODEL_FLASH_SIZE, fl);
	samba_model_free(m);
}

struct usbsim_dev *side_samba_enter(struct side_cam *c)
{
	const struct camera_type *t = camera_type_of(c->cam);
	struct simmem *fl = camera_memory(c->cam, "flash");
	static const enum samba_fault samba_kind[] = {
		[NANO_FAULT_VANISH] = SAMBA_FAULT_VANISH, [NANO_FAULT_WRONG_REPLY] = SAMBA_FAULT_WRONG_REPLY,
		[NANO_FAULT_TIMEOUT] = SAMBA_FAULT_HANG, [NANO_FAULT_GARBAGE] = SAMBA_FAULT_GARBAGE,
		[NANO_FAULT_REPLACED] = SAMBA_FAULT_VANISH};
	struct samba_model_config cfg = {.layout = layout_of(c), .send = samba_send, .gone = samba_gone, .ctx = c,
	                                 .impostor = camera_impostor(c->cam)};
	/* once: the board that comes in place of a vanished one has no fault */
	if (c->o.nano_fault > 0 && c->o.nano_fault < (int)(sizeof samba_kind / sizeof samba_kind[0]) &&
	    !c->nano_fault_used) {
		cfg.fault = samba_kind[c->o.nano_fault];
		cfg.fault_at = c->o.nano_fault_at;
		c->nano_fault_used = c->o.nano_fault == NANO_FAULT_REPLACED;
	}
	c->samba = samba_model_new(&cfg);
	if (!c->samba || !fl)
		return NULL;
	copy_flash(samba_model_flash(c->samba), fl->bytes, SAMBA_MODEL_FLASH_SIZE, fl);
	c->samba_dev = nano_cdc_plug(c->side->sim, camera_port(c->cam), t->boot_vid, t->boot_pid, SAMBA_BCD,
	                             SAMBA_PRODUCT, camera_serial(c->cam));
	struct ttysim_config port = {
		.driver = TTYSIM_CDC_ACM, .index = -1, .vid = t->boot_vid, .pid = t->boot_pid, .bcd_device = SAMBA_BCD,
		.manufacturer = "Arduino", .product = SAMBA_PRODUCT, .serial = camera_serial(c->cam),
		.usb_parent = usbsim_syspath(c->samba_dev), .ifnum = SIDE_CDC_TTY_IFNUM,
		.cb = {.data = samba_data}, .ctx = c,
	};
	c->samba_port = ttysim_add(c->side->tb, &port);
	return c->samba_dev;
}

void side_samba_leave(struct side_cam *c)
{
	struct simmem *fl = camera_memory(c->cam, "flash");
	ttysim_free(c->samba_port); /* its thread ends: nobody feeds the model any more */
	if (c->samba && fl)
		copy_flash(fl->bytes, samba_model_flash(c->samba), SAMBA_MODEL_FLASH_SIZE, fl);
	samba_model_free(c->samba);
	c->samba = NULL;
	c->samba_port = NULL;
	c->samba_dev = NULL;
}

/* ---- BOOTSEL ------------------------------------------------------------------------------ */

/* REBOOT's delay has passed (the device's own thread). */
static void bootsel_left(void *ctx)
{
	struct side_cam *c = ctx;
	side_post(c, JOB_BOOTLOADER_LEFT, rp2040_usb_device(c->bootsel), 0);
}

/* A vanish fault took the device off the bus (the USB layer's thread, the bus lock held). */
static void bootsel_vanished(void *ctx)
{
	struct side_cam *c = ctx;
	if (c->o.nano_fault == NANO_FAULT_REPLACED)
		camera_replace_soon(c->cam, CAMERA_BOOTSEL);
}

struct usbsim_dev *side_bootsel_enter(struct side_cam *c)
{
	struct simmem *fl = camera_memory(c->cam, "flash");
	static const enum rp2040_fault rp_kind[] = {
		[NANO_FAULT_VANISH] = RP2040_FAULT_VANISH_AT_WRITE, [NANO_FAULT_BAD_ACK] = RP2040_FAULT_BAD_ACK,
		[NANO_FAULT_TIMEOUT] = RP2040_FAULT_HANG, [NANO_FAULT_REPLACED] = RP2040_FAULT_VANISH_AT_BYTE,
		[NANO_FAULT_VANISH_BYTE] = RP2040_FAULT_VANISH_AT_BYTE, [NANO_FAULT_STALL] = RP2040_FAULT_STALL,
		[NANO_FAULT_ERROR_STATUS] = RP2040_FAULT_ERROR_STATUS};
	enum rp2040_fault fault = camera_impostor(c->cam) ? RP2040_FAULT_NOT_RP2040
	                          : c->o.nano_fault > 0 && !c->nano_fault_used ? rp_kind[c->o.nano_fault]
	                                                                       : RP2040_FAULT_NONE;
	/* the board that comes in place of a vanished one (nano-fault=replaced): another serial */
	const char *serial = c->nano_fault_used ? OTHER_BOOTSEL_SERIAL : NULL;
	c->nano_fault_used |= c->o.nano_fault == NANO_FAULT_REPLACED;
	unsigned at = fault == RP2040_FAULT_NONE || fault == RP2040_FAULT_NOT_RP2040 ? 0 : c->o.nano_fault_at;
	c->bootsel = rp2040_usb_plug_serial(c->side->sim, camera_port(c->cam), fault, at, false, serial);
	if (!c->bootsel || !fl)
		return c->bootsel ? rp2040_usb_device(c->bootsel) : NULL;
	/* the bus lock is held: no request reaches the model before this is done */
	rp2040_usb_on_reboot(c->bootsel, bootsel_left, c);
	rp2040_usb_on_vanish(c->bootsel, bootsel_vanished, c);
	copy_flash(rp2040_model_flash(rp2040_usb_model(c->bootsel)), fl->bytes, RP2040_FLASH_SIZE, fl);
	return rp2040_usb_device(c->bootsel);
}

void side_bootsel_leave(struct side_cam *c)
{
	struct simmem *fl = camera_memory(c->cam, "flash");
	if (c->bootsel && fl)
		copy_flash(fl->bytes, rp2040_model_flash(rp2040_usb_model(c->bootsel)), RP2040_FLASH_SIZE, fl);
	rp2040_usb_free(c->bootsel);
	c->bootsel = NULL;
}
