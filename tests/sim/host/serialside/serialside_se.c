/* serialside_se.c — the OpenMV AE3's Secure Enclave behind its serial ISP adapter: an FTDI
 * bridge 0403:6015 (driver ftdi_sio, /dev/ttyUSB<n>) on a USB port of its own, with the SE
 * model of tests/sim/tty on its tty (reference alif-isp-openmv-ide-n6.md §1), and the person's
 * hands for the hard-maintenance switch, the user button and the power cycle (§1.8; seed 003).
 *
 * The MRAM: the camera's "mram" memory is copied into the SE when the bridge is plugged, and
 * back when the camera is power-cycled (the bootloader it then runs is what the SE wrote), or
 * at the end if the SE wrote something since. */
#include "serialside_priv.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "camera_priv.h"
#include "model_alif_se.h"
#include "usbdesc.h"

/* The model's own defaults (model_alif_se.h), so that USB and tty tell the same story. */
#define BRIDGE_VID 0x0403
#define BRIDGE_PID 0x6015
#define BRIDGE_BCD 0x1000  /* [I] an FT230X's bcdDevice */
#define BRIDGE_SERIAL "DK0AE3SE"
/* se-fault=replaced: the bridge that takes the port instead, with an E7's SE behind it [I] */
#define OTHER_BRIDGE_SERIAL "DK0E7OTHER"
#define OTHER_PART "AE722F80F55D5LS"
/* the NAK of se-fault=nak: MRAM_WRITE_FAILED (reference alif-isp-openmv-ide-n6.md §1.6) */
#define NAK_MRAM_WRITE_FAILED 0xEF
/* How long the virtual person takes to react: short, yet the protocol has to wait for it. */
#define REACTION_MS 200
/* How long the power stays off in a power cycle: long enough for the host to notice. */
#define POWER_OFF_MS 600

static struct simmem *mram_of(struct side_cam *c)
{
	return camera_memory(c->cam, "mram");
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* The MRAM the SE starts with: the model's fill, and the word that points at the system
 * package unless the SE is to start in ROM recovery (§1.8). */
void side_se_attach(struct side_cam *c)
{
	struct simmem *m = mram_of(c);
	if (!m || m->size != ALIF_SE_MRAM_SIZE)
		return;
	memset(m->bytes, 0xA5, m->size);
	if (!c->o.se_serom)
		put32(m->bytes + m->size - 4, ALIF_SE_SP_OFFSET);
}

/* On the SE's port thread: the model heard a bare "ALIF" outside its boot window, the
 * handshake of a tool that waits for the person to reset the SE (never the bytes "ALIF"
 * inside a packet: a real system package starts with "ALIFTOC1"). */
static void se_alif_heard(void *ctx)
{
	struct side_cam *c = ctx;
	pthread_mutex_lock(&c->side->lock);
	c->se_alif_heard = true;
	pthread_mutex_unlock(&c->side->lock);
}

/* On the SE's port thread: se-fault vanish, tty-gone or replaced has struck. */
static void se_vanish(void *ctx)
{
	side_post(ctx, JOB_SE_VANISH, NULL, 0);
}

static enum alif_se_fault se_fault_of(const struct side_cam *c)
{
	static const enum alif_se_fault kinds[] = {
		[SE_FAULT_VANISH] = ALIF_SE_DATA_VANISH, [SE_FAULT_SILENT] = ALIF_SE_DATA_SILENT,
		[SE_FAULT_NAK] = ALIF_SE_DATA_NAK, [SE_FAULT_GARBAGE] = ALIF_SE_DATA_GARBAGE,
		[SE_FAULT_TTY_GONE] = ALIF_SE_DATA_VANISH, [SE_FAULT_REPLACED] = ALIF_SE_DATA_VANISH,
		[SE_FAULT_FLIP] = ALIF_SE_DATA_FLIP};
	if (c->se_replaced || !c->o.se_fault)
		return c->o.se_silent ? ALIF_SE_NO_ANSWER : ALIF_SE_FAULT_NONE;
	return kinds[c->o.se_fault];
}

int side_se_plug(struct side_cam *c, char *err, size_t err_len)
{
	struct usbsim *sim = c->side->sim;
	struct usbsim_identity id = {.speed_mbps = 12};
	struct usbdesc d;
	usbdesc_device(id.device_desc, 0x00, BRIDGE_VID, BRIDGE_PID, BRIDGE_BCD);
	usbdesc_config_begin(&d, 1);
	usbdesc_interface(&d, 0, 0, 2, 0xFF, 0xFF, 0xFF, 0); /* vendor-specific, as FTDI's */
	usbdesc_endpoint(&d, 0x81, 0x02, 64, 0);
	usbdesc_endpoint(&d, 0x02, 0x02, 64, 0);
	usbdesc_config_end(&d);
	id.config_desc = d.buf;
	id.config_len = d.len;
	id.strings[1] = "FTDI";
	id.strings[2] = "FT230X Basic UART";
	const char *serial = c->se_replaced ? OTHER_BRIDGE_SERIAL : BRIDGE_SERIAL;
	id.strings[3] = serial;
	id.kernel_driver[0] = "ftdi_sio";
	c->se_dev = usbsim_plug(sim, 16 - camera_port(c->cam), &id, NULL, NULL);
	struct alif_se_config cfg = {
		.port = {.index = -1, .vid = BRIDGE_VID, .pid = BRIDGE_PID, .bcd_device = BRIDGE_BCD,
		         .serial = serial, .usb_parent = usbsim_syspath(c->se_dev), .ifnum = SIDE_FTDI_TTY_IFNUM},
		.serom = c->o.se_serom,
		.part = camera_impostor(c->cam) || c->se_replaced ? OTHER_PART : NULL, /* an E7's part */
		.fault = se_fault_of(c), .fault_at = c->o.se_fault_at, .nak_code = NAK_MRAM_WRITE_FAILED,
		.vanish = se_vanish,
		.keys = c->o.se_keys,
		.alif_heard = se_alif_heard, .alif_ctx = c,
	};
	memcpy(cfg.version, c->o.se_version, sizeof cfg.version);
	c->se = alif_se_add(c->side->tb, &cfg);
	if (!c->se)
		return snprintf(err, err_len, "%s: cannot add the Secure Enclave's serial port", camera_label(c->cam)), -1;
	struct simmem *m = mram_of(c);
	usbsim_lock(sim);
	alif_se_load_mram(c->se, 0, m->bytes, m->size);
	usbsim_unlock(sim);
	return 0;
}

/* What the SE has written (MRAM_WRITE from ROM, each DOWNLOAD_DATA of a BURN_MRAM from SERAM
 * whether or not its DOWNLOAD_DONE came, ERASE_MRAM): MRAM keeps every acknowledged line. */
static unsigned se_writes(struct side_cam *c)
{
	struct alif_se_stats st;
	alif_se_get_stats(c->se, &st);
	return st.data_packets + st.rom_writes + st.erases;
}

static void sync_mram(struct side_cam *c)
{
	struct simmem *m = mram_of(c);
	usbsim_lock(c->side->sim);
	alif_se_read_mram(c->se, m->bytes);
	usbsim_unlock(c->side->sim);
	c->se_writes_synced = se_writes(c);
}

/* seed 003: the hard-maintenance switch on, then the user button while the handshake runs */
void side_se_button(struct side_cam *c)
{
	if (!c->se)
		return;
	alif_se_set_switch(c->se, true);
	alif_se_press_button(c->se);
}

/* What the SE had written when it was last reset (the model notes it at RESET_DEVICE): the
 * reset that ends a write of the bootloader area, or of the system package (ROM recovery,
 * update).  Returns which, once per reset; worker only.  A reset after MRAM only read back
 * (verify restore-bootloader reads the bootloader area and writes nothing) counts as the end
 * of a bootloader write: the person follows the same prompt. */
enum se_wrote { WROTE_NOTHING, WROTE_SYSTEM, WROTE_BOOTLOADER };

static enum se_wrote note_writes(struct side_cam *c)
{
	struct alif_se_stats st;
	alif_se_get_stats(c->se, &st);
	if (st.resets == c->se_resets)
		return WROTE_NOTHING;
	c->se_resets = st.resets;
	bool system = st.reset_rom_writes > c->se_rom_writes ||
	              (st.reset_burns > c->se_burns && st.reset_burn_addr - ALIF_SE_MRAM_BASE >= ALIF_SE_SP_OFFSET);
	bool boot = st.reset_burns > c->se_burns && st.reset_burn_addr - ALIF_SE_MRAM_BASE < ALIF_SE_SP_OFFSET;
	bool read = st.reset_mram_reads > c->se_mram_reads && st.reset_burns == c->se_burns && !system;
	c->se_burns = st.reset_burns;
	c->se_rom_writes = st.reset_rom_writes;
	c->se_mram_reads = st.reset_mram_reads;
	c->se_boot_written |= boot;
	c->se_boot_read |= read;
	return boot || read ? WROTE_BOOTLOADER : system ? WROTE_SYSTEM : WROTE_NOTHING;
}

/* The automatic hands, about every 10 ms: the button when the handshake arrives at a silent
 * SE; and when the SE is reset after writes, the power cycle the tools then ask for (power_cycle
 * after a system-package write or ROM recovery, maintenance_off after the bootloader write). */
void side_se_tick(struct side_cam *c)
{
	pthread_mutex_lock(&c->side->lock);
	bool press = !c->o.hands_signal && c->se_alif_heard && !c->se_pressed;
	c->se_pressed |= press;
	pthread_mutex_unlock(&c->side->lock);
	if (press)
		side_post(c, JOB_SE_BUTTON, NULL, REACTION_MS);
	enum se_wrote wrote = note_writes(c);
	if (!c->o.hands_signal && wrote != WROTE_NOTHING)
		side_post(c, wrote == WROTE_BOOTLOADER ? JOB_POWER_CYCLE : JOB_SE_POWER_CYCLE, NULL, REACTION_MS);
}

/* Power off and on again.  finished: the restore's last prompt, with the hard-maintenance
 * switch back off; the camera then boots what the SE wrote into MRAM (its openmv_dfu
 * bootloader, if one was written).  Otherwise only the SE restarts (after a system-package
 * write or a ROM recovery, §1.8), the switch as it was. */
void side_se_power_cycle(struct side_cam *c, bool finished)
{
	if (!c->se)
		return;
	note_writes(c); /* a bootloader written just now counts */
	alif_se_power(c->se, false);
	if (finished)
		alif_se_set_switch(c->se, false);
	if (se_writes(c) != c->se_writes_synced) /* the camera's own writes since stay */
		sync_mram(c);
	if (finished && (c->se_boot_written || c->se_boot_read)) {
		usbsim_lock(c->side->sim);
		camera_reboot(c->cam); /* its bootloader's power-up window, then the firmware */
		usbsim_unlock(c->side->sim);
	}
	struct timespec off = {0, POWER_OFF_MS * 1000000L};
	nanosleep(&off, NULL);
	alif_se_power(c->se, true);
}

void side_se_unplug(struct side_cam *c)
{
	if (c->se) {
		if (se_writes(c) != c->se_writes_synced)
			sync_mram(c);
		alif_se_free(c->se);
		c->se = NULL;
	}
	if (!c->se_dev)
		return;
	usbsim_lock(c->side->sim);
	usbsim_unplug(c->se_dev);
	c->se_dev = NULL;
	usbsim_unlock(c->side->sim);
	usbsim_sync(c->side->sim);
}

/* se-fault vanish: the bridge leaves the bus (its tty with it), what the SE acknowledged kept;
 * tty-gone: only the tty node goes (the bridge's USB device stays, its driver gone [I]);
 * replaced: after a moment another bridge, another SE behind it, is plugged on the same port. */
void side_se_vanish(struct side_cam *c)
{
	bool tty_only = c->o.se_fault == SE_FAULT_TTY_GONE, replace = c->o.se_fault == SE_FAULT_REPLACED;
	if (!c->se)
		return;
	if (tty_only) {
		sync_mram(c);
		alif_se_free(c->se);
		c->se = NULL;
		return;
	}
	side_se_unplug(c);
	if (!replace)
		return;
	struct timespec gone = {0, POWER_OFF_MS * 1000000L};
	nanosleep(&gone, NULL);
	c->se_replaced = true;
	char err[200];
	if (side_se_plug(c, err, sizeof err) < 0)
		fprintf(stderr, "openmv-rescue-sim: %s\n", err);
}
