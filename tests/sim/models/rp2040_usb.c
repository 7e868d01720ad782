/* rp2040_usb.c — see rp2040_usb.h. */
#include "rp2040_usb.h"

#include <pthread.h>
#include <stdlib.h>
#include <time.h>

#include "usbdesc.h"

struct rp2040_usb {
	struct usbsim *sim;
	struct usbsim_dev *dev;
	struct rp2040_model *model;
	uint8_t *in_buf;               /* one IN transfer's data: a READ is at most 1 MiB */
	/* The unplug after REBOOT runs on a thread of its own rather than as a usbsim job:
	 * the layer's timed jobs keep a reference to their GSource that is never dropped,
	 * which LeakSanitizer reports. */
	pthread_t timer;
	bool timer_started, cancel;
	uint32_t delay_ms;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	void (*left)(void *ctx);       /* rp2040_usb_on_reboot */
	void *left_ctx;
	void (*vanished)(void *ctx);   /* rp2040_usb_on_vanish */
	void *vanished_ctx;
};

#define IN_MAX (1u << 20)
#define URB_MAX 16384

static void *reboot_timer(void *arg)
{
	struct rp2040_usb *u = arg;
	struct timespec end;
	clock_gettime(CLOCK_REALTIME, &end);
	end.tv_sec += u->delay_ms / 1000;
	end.tv_nsec += (long)(u->delay_ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&u->lock);
	int r = 0;
	while (!u->cancel && r == 0)
		r = pthread_cond_timedwait(&u->cond, &u->lock, &end);
	bool go = !u->cancel;
	void (*left)(void *) = u->left;
	pthread_mutex_unlock(&u->lock);
	if (go && left)
		left(u->left_ctx);
	else if (go)
		usbsim_unplug(u->dev);
	return NULL;
}

static void reboot_cb(void *ctx, uint32_t pc, uint32_t sp, uint32_t delay_ms)
{
	struct rp2040_usb *u = ctx;
	(void)pc;
	(void)sp;
	pthread_mutex_lock(&u->lock);
	if (!u->timer_started) {
		u->delay_ms = delay_ms;
		u->timer_started = pthread_create(&u->timer, NULL, reboot_timer, u) == 0;
	}
	pthread_mutex_unlock(&u->lock);
}

/* The callbacks use the device they are given: a fast host can reach them before
 * rp2040_usb_plug has stored u->dev. */
static int map(struct rp2040_usb *u, struct usbsim_dev *dev, int r)
{
	if (r == RP2040_GONE) {
		usbsim_unplug(dev);
		if (u->vanished)
			u->vanished(u->vanished_ctx);
		return USBSIM_GONE;
	}
	return r == RP2040_STALL ? USBSIM_STALL : r == RP2040_HUNG ? USBSIM_NEVER : r;
}

static int control_cb(void *model, struct usbsim_dev *dev, const struct usbsim_ctrl *req, unsigned *delay_us)
{
	struct rp2040_usb *u = model;
	(void)delay_us;
	return map(u, dev, rp2040_model_control(u->model, req->bmRequestType, req->bRequest, req->wValue,
	                                   req->wIndex, req->data, req->wLength));
}

/* Whatever the device has for the host on its IN endpoint goes into the layer's queue, one
 * transfer at a time (the layer completes one URB per push). */
static void pump(struct rp2040_usb *u, struct usbsim_dev *dev)
{
	for (;;) {
		int n = rp2040_model_bulk_in(u->model, RP2040_EP_IN, u->in_buf, IN_MAX);
		if (n < 0)
			return;
		/* libusb cuts a bulk transfer into URBs of 16 KiB on a usbfs with bulk
		 * continuation (as this layer reports), and the layer completes one URB per push */
		int at = 0;
		do {
			int piece = n - at < URB_MAX ? n - at : URB_MAX;
			usbsim_in_push(dev, RP2040_EP_IN, u->in_buf + at, (size_t)piece);
			at += piece;
		} while (at < n);
	}
}

static int data_out_cb(void *model, struct usbsim_dev *dev, uint8_t ep, const uint8_t *data, size_t len)
{
	struct rp2040_usb *u = model;
	int r = rp2040_model_bulk_out(u->model, ep, data, len);
	if (r < 0)
		return map(u, dev, r);
	/* The layer cannot stall an IN endpoint: a command that failed while executing (its
	 * ack would stall) stalls here instead; the host handles both the same way (§2.4). */
	if (rp2040_model_in_halted(u->model))
		return USBSIM_STALL;
	pump(u, dev);
	return r;
}

static const struct usbsim_model_ops ops = {
	.control = control_cb,
	.data_out = data_out_cb,
};

struct rp2040_usb *rp2040_usb_plug(struct usbsim *sim, int port, enum rp2040_fault fault,
                                   unsigned fault_at, bool without_picoboot)
{
	return rp2040_usb_plug_serial(sim, port, fault, fault_at, without_picoboot, NULL);
}

struct rp2040_usb *rp2040_usb_plug_serial(struct usbsim *sim, int port, enum rp2040_fault fault,
                                          unsigned fault_at, bool without_picoboot, const char *serial)
{
	struct rp2040_usb *u = calloc(1, sizeof *u);
	struct rp2040_model_config cfg = {.fault = fault, .fault_at = fault_at, .reboot = reboot_cb, .ctx = u};
	u->sim = sim;
	pthread_mutex_init(&u->lock, NULL);
	pthread_cond_init(&u->cond, NULL);
	u->model = rp2040_model_new(&cfg);
	u->in_buf = malloc(IN_MAX);
	struct usbsim_identity id = {0};
	struct usbdesc d;
	/* §2.1: bcdDevice 0x0100, "Raspberry Pi" / "RP2 Boot", a 12-hex-digit serial */
	usbdesc_device(id.device_desc, 0, RP2040_USB_VID, RP2040_USB_PID, 0x0100);
	usbdesc_config_begin(&d, without_picoboot ? 1 : 2);
	usbdesc_interface(&d, 0, 0, 2, 0x08, 0x06, 0x50, 0);
	usbdesc_endpoint(&d, 0x81, 0x02, 64, 0);
	usbdesc_endpoint(&d, 0x02, 0x02, 64, 0);
	if (!without_picoboot) {
		usbdesc_interface(&d, 1, 0, 2, 0xFF, 0x00, 0x00, 0);
		usbdesc_endpoint(&d, RP2040_EP_OUT, 0x02, 64, 0); /* OUT listed first */
		usbdesc_endpoint(&d, RP2040_EP_IN, 0x02, 64, 0);
	}
	usbdesc_config_end(&d);
	id.config_desc = d.buf;
	id.config_len = d.len;
	id.strings[1] = "Raspberry Pi";
	id.strings[2] = "RP2 Boot";
	id.strings[3] = serial ? serial : "E0C9125B0D9B";
	id.kernel_driver[0] = "usb-storage"; /* the RPI-RP2 drive is mounted */
	id.speed_mbps = 12;
	if (u->model && u->in_buf)
		u->dev = usbsim_plug(sim, port, &id, &ops, u);
	if (!u->dev) {
		rp2040_usb_free(u);
		return NULL;
	}
	return u;
}

struct rp2040_model *rp2040_usb_model(struct rp2040_usb *u)
{
	return u->model;
}

void rp2040_usb_on_reboot(struct rp2040_usb *u, void (*left)(void *ctx), void *ctx)
{
	pthread_mutex_lock(&u->lock);
	u->left = left;
	u->left_ctx = ctx;
	pthread_mutex_unlock(&u->lock);
}

void rp2040_usb_on_vanish(struct rp2040_usb *u, void (*vanished)(void *ctx), void *ctx)
{
	u->vanished = vanished; /* set under the bus lock, read by callbacks that hold it */
	u->vanished_ctx = ctx;
}

struct usbsim_dev *rp2040_usb_device(struct rp2040_usb *u)
{
	return u->dev;
}

bool rp2040_usb_present(struct rp2040_usb *u)
{
	return usbsim_present(u->dev);
}

void rp2040_usb_free(struct rp2040_usb *u)
{
	if (!u)
		return;
	pthread_mutex_lock(&u->lock);
	u->cancel = true;
	pthread_cond_broadcast(&u->cond);
	bool joined = u->timer_started;
	pthread_mutex_unlock(&u->lock);
	if (joined)
		pthread_join(u->timer, NULL);
	if (u->dev) {
		usbsim_lock(u->sim);
		if (usbsim_present(u->dev))
			usbsim_unplug(u->dev);
		usbsim_unlock(u->sim);
		usbsim_sync(u->sim);
	}
	rp2040_model_free(u->model);
	free(u->in_buf);
	pthread_cond_destroy(&u->cond);
	pthread_mutex_destroy(&u->lock);
	free(u);
}
