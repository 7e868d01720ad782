/* usbsim: control requests and URBs of one virtual device — the standard requests
 * the kernel and the device core answer, submission, completion (now or later),
 * discarding and reaping, as drivers/usb/core/devio.c does for libusb. */
#include <sys/ioctl.h> /* before linux/usbdevice_fs.h, or _IOWR breaks (harness ref A.6.7) */
#include <errno.h>
#include <limits.h>
#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "usbsim_priv.h"

/* ---- URB bookkeeping -------------------------------------------------------------- */

static void list_append(struct usbsim_urb **head, struct usbsim_urb *r)
{
	r->next = NULL;
	while (*head)
		head = &(*head)->next;
	*head = r;
}

static bool list_remove(struct usbsim_urb **head, struct usbsim_urb *r)
{
	for (; *head; head = &(*head)->next)
		if (*head == r) {
			*head = r->next;
			r->next = NULL;
			return true;
		}
	return false;
}

static void urb_free(struct usbsim *sim, struct usbsim_urb *r)
{
	if (r->job)
		usbsim_cancel(sim, r->job);
	if (r->buf)
		g_object_unref(r->buf);
	g_object_unref(r->data);
	g_free(r);
}

/* Pending -> completed, with the result the host will reap. */
static void urb_finish(struct usbsim_urb *r, int status, int actual)
{
	struct usbdevfs_urb *u = (struct usbdevfs_urb *)r->data->data;
	if (r->job) {
		usbsim_cancel(r->cl->dev->sim, r->job);
		r->job = 0;
	}
	list_remove(&r->cl->pending, r);
	r->done = true;
	u->status = status;
	u->actual_length = actual;
	list_append(&r->cl->completed, r);
	if (r->cl->held_reap)
		usbsim_release_reap(r->cl, 0, 0);
}

static void urb_delayed_done(void *arg)
{
	struct usbsim_urb *r = arg;

	r->job = 0;
	urb_finish(r, r->status, r->actual);
}

/* Fail everything in flight with -ESHUTDOWN (unplug); lock held. */
void usbsim_urbs_flush(struct usbsim_dev *dev)
{
	for (struct usbsim_client *cl = dev->clients; cl; cl = cl->next)
		while (cl->pending)
			urb_finish(cl->pending, -ESHUTDOWN, 0);
}

/* A closed handle: its URBs go away. */
void usbsim_urbs_drop(struct usbsim_client *cl)
{
	usbsim_release_reap(cl, -1, ENODEV);
	while (cl->pending) {
		struct usbsim_urb *r = cl->pending;
		cl->pending = r->next;
		urb_free(cl->dev->sim, r);
	}
	while (cl->completed) {
		struct usbsim_urb *r = cl->completed;
		cl->completed = r->next;
		urb_free(cl->dev->sim, r);
	}
}

/* ---- control requests: the standard ones are the "kernel + device core" ---------- */

static void count_request(struct usbsim_dev *dev, const struct usbsim_ctrl *rq)
{
	uint16_t key = rq->bmRequestType << 8 | rq->bRequest;

	for (int i = 0; i < dev->n_counts; i++)
		if (dev->counts[i].key == key) {
			dev->counts[i].n++;
			return;
		}
	if (dev->n_counts < (int)G_N_ELEMENTS(dev->counts))
		dev->counts[dev->n_counts++] = (struct usbsim_count){key, 1};
}

static int copy_out(uint8_t *dst, uint16_t wLength, const void *src, size_t len)
{
	size_t n = len < wLength ? len : wLength;

	memcpy(dst, src, n);
	return (int)n;
}

static int get_descriptor(struct usbsim_dev *dev, const struct usbsim_ctrl *rq)
{
	int type = rq->wValue >> 8, index = rq->wValue & 0xff;

	switch (type) {
	case USB_DT_DEVICE:
		return copy_out(rq->data, rq->wLength, dev->id.device_desc, 18);
	case USB_DT_CONFIG:
		if (index != 0)
			return USBSIM_STALL;
		return copy_out(rq->data, rq->wLength, dev->config, dev->id.config_len);
	case USB_DT_STRING: {
		uint8_t s[2 + 2 * 126];
		if (index == 0) { /* language IDs: US English only */
			const uint8_t langs[] = {4, USB_DT_STRING, 0x09, 0x04};
			return copy_out(rq->data, rq->wLength, langs, sizeof langs);
		}
		const char *str = index < USBSIM_MAX_STRINGS ? dev->id.strings[index] : NULL;
		if (!str)
			return USBSIM_STALL;
		size_t n = strlen(str) > 126 ? 126 : strlen(str);
		s[0] = (uint8_t)(2 + 2 * n);
		s[1] = USB_DT_STRING;
		for (size_t i = 0; i < n; i++) {
			s[2 + 2 * i] = (uint8_t)str[i];
			s[3 + 2 * i] = 0;
		}
		return copy_out(rq->data, rq->wLength, s, s[0]);
	}
	case 0x22: /* HID report descriptor (HID 1.11 §7.1.1) */
		if (!dev->id.hid_report_desc)
			return USBSIM_STALL;
		return copy_out(rq->data, rq->wLength, dev->id.hid_report_desc, dev->id.hid_report_len);
	default: { /* e.g. the DFU functional descriptor (0x21) asked for on its own */
		const uint8_t *p = dev->config, *end = dev->config + dev->id.config_len;
		while (p + 2 <= end && p[0] >= 2 && p + p[0] <= end) {
			if (p[1] == type)
				return copy_out(rq->data, rq->wLength, p, p[0]);
			p += p[0];
		}
		return USBSIM_STALL;
	}
	}
}

int usbsim_set_interface(struct usbsim_dev *dev, int intf, int alt)
{
	if (intf < 0 || intf >= dev->n_intf || alt < 0 || alt >= dev->n_alts[intf])
		return -EINVAL;
	dev->cur_alt[intf] = alt;
	if (dev->ops && dev->ops->set_interface)
		dev->ops->set_interface(dev->model, dev, intf, alt);
	return 0;
}

/* *due_ns: when the reply is due (usbsim_reply_due), 0 for at once. */
static int do_control(struct usbsim_dev *dev, const struct usbsim_ctrl *rq, unsigned long long arrival,
		      unsigned long long *due_ns)
{
	bool in = rq->bmRequestType & USB_DIR_IN;
	unsigned hold_us = 0;
	int res;

	count_request(dev, rq);
	*due_ns = 0;
	if ((rq->bmRequestType & USB_TYPE_MASK) == USB_TYPE_STANDARD) {
		switch (rq->bRequest) {
		case USB_REQ_GET_DESCRIPTOR:
			if (in)
				return get_descriptor(dev, rq);
			break;
		case USB_REQ_GET_STATUS: {
			const uint8_t zero[2] = {0, 0};
			return copy_out(rq->data, rq->wLength, zero, 2);
		}
		case USB_REQ_GET_CONFIGURATION: {
			const uint8_t one = 1;
			return copy_out(rq->data, rq->wLength, &one, 1);
		}
		case USB_REQ_GET_INTERFACE: {
			int intf = rq->wIndex & 0xff;
			if (intf >= dev->n_intf)
				return USBSIM_STALL;
			uint8_t alt = (uint8_t)dev->cur_alt[intf];
			return copy_out(rq->data, rq->wLength, &alt, 1);
		}
		case USB_REQ_SET_INTERFACE:
			return usbsim_set_interface(dev, rq->wIndex & 0xff, rq->wValue) ? USBSIM_STALL : 0;
		case USB_REQ_SET_CONFIGURATION:
		case USB_REQ_CLEAR_FEATURE:
		case USB_REQ_SET_FEATURE:
			return 0;
		}
	}
	if (!dev->ops || !dev->ops->control)
		return USBSIM_STALL;
	res = dev->ops->control(dev->model, dev, rq, &hold_us);
	if (res >= 0 && !in)
		res = rq->wLength; /* an OUT data stage transfers everything the host sent */
	*due_ns = usbsim_reply_due(dev, arrival, hold_us, res);
	SIM_TRACE(dev->sim, "devnum %d ctrl %02x %02x %04x %04x %u -> %d (+%llu us)\n", dev->devnum,
		  rq->bmRequestType, rq->bRequest, rq->wValue, rq->wIndex, rq->wLength, res,
		  *due_ns ? (*due_ns - arrival) / 1000 : 0);
	return res;
}

/* ---- URB submission and reaping --------------------------------------------------- */

/* Deliver queued IN data to the oldest pending IN URB of that endpoint. */
static void pump_in(struct usbsim_dev *dev)
{
	struct usbsim_inq **qp = &dev->inq;

	while (*qp) {
		struct usbsim_inq *q = *qp;
		struct usbsim_urb *target = NULL;
		for (struct usbsim_client *cl = dev->clients; cl && !target; cl = cl->next)
			for (struct usbsim_urb *r = cl->pending; r; r = r->next)
				if (r->ep == q->ep && r->type != USBDEVFS_URB_TYPE_CONTROL && !r->job) {
					target = r;
					break;
				}
		if (!target) {
			qp = &q->next;
			continue;
		}
		int cap = target->buf ? target->buf->data_len : 0;
		int n = (int)q->len < cap ? (int)q->len : cap;
		if (n > 0)
			memcpy(target->buf->data, q->data, (size_t)n);
		urb_finish(target, 0, n);
		*qp = q->next;
		g_free(q);
	}
}

void usbsim_in_push(struct usbsim_dev *dev, uint8_t ep, const void *data, size_t len)
{
	struct usbsim_inq *q = g_malloc(sizeof *q + len);

	q->next = NULL;
	q->ep = ep;
	q->len = len;
	memcpy(q->data, data, len);
	g_rec_mutex_lock(&dev->sim->lock);
	struct usbsim_inq **qp = &dev->inq;
	while (*qp)
		qp = &(*qp)->next;
	*qp = q;
	pump_in(dev);
	g_rec_mutex_unlock(&dev->sim->lock);
}

/* Apply a model result (length or USBSIM_*) to a submitted URB. */
static void urb_result(struct usbsim_dev *dev, struct usbsim_urb *r, int res, unsigned long long due_ns)
{
	if (r->done)
		return; /* the model unplugged the device during the request */
	switch (res) {
	case USBSIM_NEVER:
	case USBSIM_NAK:
		return; /* stays pending until data, a discard, a close or an unplug */
	case USBSIM_STALL:
		r->status = -EPIPE, r->actual = 0;
		break;
	case USBSIM_GONE:
		r->status = -ESHUTDOWN, r->actual = 0;
		break;
	default:
		r->status = 0, r->actual = res;
		break;
	}
	if (due_ns > usbsim_now_ns() && dev->present) /* a time already past is now */
		r->job = usbsim_schedule_reply(dev->sim, due_ns, urb_delayed_done, r);
	else
		urb_finish(r, r->status, r->actual);
}

int usbsim_submit_urb(struct usbsim_client *cl, UMockdevIoctlData *arg)
{
	struct usbsim_dev *dev = cl->dev;
	GError *err = NULL;
	UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_urb), &err);

	if (!d) {
		g_clear_error(&err);
		return -EFAULT;
	}
	struct usbdevfs_urb *u = (struct usbdevfs_urb *)d->data;
	if (u->buffer_length < 0 || u->type == USBDEVFS_URB_TYPE_ISO ||
	    (u->type == USBDEVFS_URB_TYPE_CONTROL && u->buffer_length < 8)) {
		g_object_unref(d);
		return -EINVAL;
	}
	struct usbsim_urb *r = g_new0(struct usbsim_urb, 1);
	r->data = d;
	r->addr = d->client_addr;
	r->cl = cl;
	r->type = u->type;
	r->ep = u->endpoint;
	if (u->buffer_length > 0) {
		r->buf = umockdev_ioctl_data_resolve(d, offsetof(struct usbdevfs_urb, buffer),
						     (size_t)u->buffer_length, &err);
		if (!r->buf) {
			g_clear_error(&err);
			urb_free(dev->sim, r);
			return -EFAULT;
		}
	}
	list_append(&cl->pending, r);

	if (r->type == USBDEVFS_URB_TYPE_CONTROL) {
		uint8_t *b = r->buf->data;
		struct usbsim_ctrl rq = {
			.bmRequestType = b[0], .bRequest = b[1],
			.wValue = (uint16_t)(b[2] | b[3] << 8), .wIndex = (uint16_t)(b[4] | b[5] << 8),
			.wLength = (uint16_t)(b[6] | b[7] << 8), .data = b + 8,
		};
		if (rq.wLength > u->buffer_length - 8)
			rq.wLength = (uint16_t)(u->buffer_length - 8);
		unsigned long long due = 0;
		int res = do_control(dev, &rq, cl->arrival_ns, &due);
		urb_result(dev, r, res, due);
	} else if (r->ep & USB_DIR_IN) {
		pump_in(dev); /* completes it now if data is waiting */
	} else {
		int res = USBSIM_STALL;
		if (dev->ops && dev->ops->data_out)
			res = dev->ops->data_out(dev->model, dev, r->ep, r->buf ? r->buf->data : NULL,
						 r->buf ? (size_t)r->buf->data_len : 0);
		urb_result(dev, r, res, 0);
	}
	return 0;
}

int usbsim_discard_urb(struct usbsim_client *cl, UMockdevIoctlData *arg)
{
	unsigned long addr = *(unsigned long *)arg->data; /* the argument is the URB pointer itself */

	for (struct usbsim_urb *r = cl->pending; r; r = r->next)
		if (r->addr == addr) {
			urb_finish(r, -ENOENT, 0);
			return 0;
		}
	return cl->dev->present ? -EINVAL : -ENODEV;
}

/* How long a REAPURBNDELAY may wait for a URB in flight to complete.  On Linux libusb sleeps
 * in poll() until usbfs has a completed URB; umockdev's device node is a regular file, so
 * poll() returns at once and libusb would spin on REAPURBNDELAY, two socket round trips a
 * turn, taking the CPU the simulator needs to answer.  Holding the EAGAIN answer is that
 * sleep.  The bound keeps the client's other work (its libusb timeouts, a transfer another
 * thread submits on the same handle, which umockdev's per-handle lock makes wait) at most
 * this late. */
#define USBSIM_REAP_HOLD_MS 10

static void held_reap_expired(void *arg)
{
	struct usbsim_client *cl = arg;

	cl->held_job = 0;
	usbsim_release_reap(cl, -1, cl->dev->present ? EAGAIN : ENODEV);
}

/* Answer the held REAPURBNDELAY: with the oldest completed URB (res 0), else res/err. */
void usbsim_release_reap(struct usbsim_client *cl, long res, int err)
{
	UMockdevIoctlClient *c = cl->held_reap;
	struct usbsim_urb *r = cl->completed;

	if (!c)
		return;
	cl->held_reap = NULL;
	if (cl->held_job)
		usbsim_cancel(cl->dev->sim, cl->held_job);
	cl->held_job = 0;
	if (res == 0 && r) {
		cl->completed = r->next;
		umockdev_ioctl_data_set_ptr(cl->held_ptr, 0, r->data);
		urb_free(cl->dev->sim, r);
	} else if (res == 0) {
		res = -1, err = EAGAIN;
	}
	g_object_unref(cl->held_ptr);
	cl->held_ptr = NULL;
	umockdev_ioctl_client_complete(c, res, err);
	g_object_unref(c);
}

int usbsim_reap_urb(struct usbsim_client *cl, UMockdevIoctlClient *c, UMockdevIoctlData *arg)
{
	struct usbsim_urb *r = cl->completed;
	GError *err = NULL;

	if (!r && (!cl->dev->present || !cl->pending || cl->held_reap))
		return cl->dev->present ? -EAGAIN : -ENODEV;
	UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), &err);
	if (!ptr) {
		g_clear_error(&err);
		return -EFAULT;
	}
	if (!r) { /* a URB is in flight: answer when it completes */
		cl->held_reap = g_object_ref(c);
		cl->held_ptr = ptr;
		cl->held_job = usbsim_schedule(cl->dev->sim, USBSIM_REAP_HOLD_MS, held_reap_expired, cl);
		return INT_MIN;
	}
	cl->completed = r->next;
	/* Point the caller's "void *" at the URB; completing flushes status, length and
	 * the IN data back into the client's memory. */
	umockdev_ioctl_data_set_ptr(ptr, 0, r->data);
	g_object_unref(ptr);
	urb_free(cl->dev->sim, r);
	return 0;
}

/* ---- synchronous USBDEVFS_CONTROL ------------------------------------------------- */

struct late_reply {
	UMockdevIoctlClient *client;
	struct usbsim_dev *dev;
	int res;
};

static void late_reply_send(void *arg)
{
	struct late_reply *lr = arg;

	if (!lr->dev->present)
		umockdev_ioctl_client_complete(lr->client, -1, ENODEV);
	else if (lr->res == USBSIM_NEVER)
		umockdev_ioctl_client_complete(lr->client, -1, ETIMEDOUT);
	else
		umockdev_ioctl_client_complete(lr->client, lr->res, 0);
	g_object_unref(lr->client);
	g_free(lr);
}

/* Returns the result, or INT_MIN when the reply is sent later. */
long usbsim_sync_control(struct usbsim_client *cl, UMockdevIoctlClient *c, UMockdevIoctlData *arg,
			 int *err_out)
{
	struct usbsim_dev *dev = cl->dev;
	GError *err = NULL;
	UMockdevIoctlData *d = umockdev_ioctl_data_resolve(arg, 0, sizeof(struct usbdevfs_ctrltransfer), &err);

	if (!d) {
		g_clear_error(&err);
		*err_out = EFAULT;
		return -1;
	}
	struct usbdevfs_ctrltransfer *ct = (struct usbdevfs_ctrltransfer *)d->data;
	UMockdevIoctlData *b = NULL;
	if (ct->wLength) {
		b = umockdev_ioctl_data_resolve(d, offsetof(struct usbdevfs_ctrltransfer, data), ct->wLength, &err);
		if (!b) {
			g_clear_error(&err);
			g_object_unref(d);
			*err_out = EFAULT;
			return -1;
		}
	}
	struct usbsim_ctrl rq = {ct->bRequestType, ct->bRequest, ct->wValue, ct->wIndex, ct->wLength,
				 b ? b->data : NULL};
	uint8_t dummy[1];
	if (!rq.data)
		rq.data = dummy;
	unsigned long long due = 0, now = cl->arrival_ns;
	unsigned timeout = ct->timeout ? ct->timeout : 5000;
	int res = do_control(dev, &rq, now, &due);
	if (b)
		g_object_unref(b);
	g_object_unref(d);

	if (res == USBSIM_NEVER || due > usbsim_now_ns()) {
		struct late_reply *lr = g_new0(struct late_reply, 1);
		lr->client = g_object_ref(c);
		lr->dev = dev;
		lr->res = res;
		if (res == USBSIM_NEVER || due > now + timeout * 1000000ull) {
			lr->res = USBSIM_NEVER;
			due = now + timeout * 1000000ull;
		}
		usbsim_schedule_reply(dev->sim, due, late_reply_send, lr);
		return INT_MIN;
	}
	if (res == USBSIM_STALL) {
		*err_out = EPIPE;
		return -1;
	}
	if (res == USBSIM_GONE || res < 0) {
		*err_out = ENODEV;
		return -1;
	}
	return res;
}
