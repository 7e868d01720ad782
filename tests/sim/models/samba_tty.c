/* samba_tty.c — see samba_tty.h. */
#include "samba_tty.h"

#include <stdlib.h>

#include "usbdesc.h"

struct samba_tty {
	struct usbsim *sim;
	struct usbsim_dev *usb;
	struct ttysim *port;
	struct ttysim *tx;             /* the same port as its own thread knows it: a fast host can
	                                  write before samba_tty_add has stored t->port */
	struct samba_model *model;
	pthread_mutex_t lock;
	bool closing;                  /* being freed: the model hears nothing more */
};

static void send_cb(void *ctx, const uint8_t *buf, size_t len)
{
	struct samba_tty *t = ctx;
	ttysim_send(t->tx, buf, len);
}

static void gone_cb(void *ctx, bool reset)
{
	struct samba_tty *t = ctx;
	(void)reset; /* a reset and a vanish both take the bootloader off the bus */
	ttysim_remove(t->tx);
	usbsim_unplug(t->usb);
}

static void data_cb(void *ctx, struct ttysim *port, const uint8_t *buf, size_t len, unsigned baud)
{
	struct samba_tty *t = ctx;
	(void)baud; /* CDC ACM ignores the line coding */
	pthread_mutex_lock(&t->lock);
	t->tx = port;
	if (!t->closing)
		samba_model_input(t->model, buf, len);
	pthread_mutex_unlock(&t->lock);
}

struct usbsim_dev *nano_cdc_plug(struct usbsim *sim, int port, uint16_t vid, uint16_t pid,
                                 uint16_t bcd, const char *product, const char *serial)
{
	struct usbsim_identity id = {0};
	struct usbdesc d;
	usbdesc_device(id.device_desc, 0x02, vid, pid, bcd);
	usbdesc_config_begin(&d, 2);
	usbdesc_interface(&d, 0, 0, 1, 0x02, 0x02, 0x01, 0); /* CDC ACM communication */
	usbdesc_endpoint(&d, 0x83, 0x03, 16, 10);
	usbdesc_interface(&d, 1, 0, 2, 0x0A, 0x00, 0x00, 0); /* CDC data */
	usbdesc_endpoint(&d, 0x81, 0x02, 64, 0);
	usbdesc_endpoint(&d, 0x02, 0x02, 64, 0);
	usbdesc_config_end(&d);
	id.config_desc = d.buf;
	id.config_len = d.len;
	id.strings[1] = "Arduino";
	id.strings[2] = product;
	id.strings[3] = serial;
	id.kernel_driver[0] = id.kernel_driver[1] = "cdc_acm";
	id.speed_mbps = 12;
	return usbsim_plug(sim, port, &id, NULL, NULL);
}

struct samba_tty *samba_tty_add(struct usbsim *sim, int usb_port, enum samba_fault fault,
                                unsigned fault_at)
{
	return samba_tty_add_layout(sim, usb_port, SAMBA_LAYOUT_UPDATED, fault, fault_at);
}

struct samba_tty *samba_tty_add_layout(struct usbsim *sim, int usb_port, enum samba_layout layout,
                                       enum samba_fault fault, unsigned fault_at)
{
	struct samba_tty *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->sim = sim;
	pthread_mutex_init(&t->lock, NULL);
	struct samba_model_config mc = {.layout = layout, .fault = fault, .fault_at = fault_at, .send = send_cb,
	                                .gone = gone_cb, .ctx = t};
	t->model = samba_model_new(&mc);
	/* bcdDevice 0.11, "Arduino Nano 33 BLE" / "Arduino": a dmesg report (reference §3.1) */
	t->usb = nano_cdc_plug(sim, usb_port, SAMBA_TTY_VID, SAMBA_TTY_PID, 0x0011, "Arduino Nano 33 BLE",
	                       "5A2C6B1B0E8A4E07");
	usbsim_sync(sim);
	struct ttysim_config cfg = {
		.driver = TTYSIM_CDC_ACM, .index = -1, .vid = SAMBA_TTY_VID, .pid = SAMBA_TTY_PID,
		.usb_parent = t->usb ? usbsim_syspath(t->usb) : NULL, .ifnum = NANO_TTY_IFNUM,
		.cb = {.data = data_cb}, .ctx = t};
	if (t->model && t->usb)
		t->port = ttysim_add(nano_testbed(sim), &cfg);
	if (!t->port) {
		samba_tty_free(t);
		return NULL;
	}
	return t;
}

struct ttysim *samba_tty_port(struct samba_tty *t)
{
	return t->port;
}

struct samba_model *samba_tty_model(struct samba_tty *t)
{
	return t->model;
}

void samba_tty_lock(struct samba_tty *t)
{
	pthread_mutex_lock(&t->lock);
}

void samba_tty_unlock(struct samba_tty *t)
{
	pthread_mutex_unlock(&t->lock);
}

void samba_tty_free(struct samba_tty *t)
{
	if (!t)
		return;
	/* No reset may start removing the port while it is being removed here: both would
	 * delete the same sysfs entries. */
	pthread_mutex_lock(&t->lock);
	t->closing = true;
	pthread_mutex_unlock(&t->lock);
	if (t->port)
		ttysim_free(t->port); /* the tty first: it hangs below the USB device */
	if (t->usb) {
		usbsim_lock(t->sim);
		if (usbsim_present(t->usb))
			usbsim_unplug(t->usb);
		usbsim_unlock(t->sim);
		usbsim_sync(t->sim);
	}
	samba_model_free(t->model);
	pthread_mutex_destroy(&t->lock);
	free(t);
}
