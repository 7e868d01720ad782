/* usbsim: the usbfs ioctls of one virtual device, as the Linux kernel answers them
 * (drivers/usb/core/devio.c semantics as libusb 1.0.26's linux_usbfs.c relies on). */
#include <sys/ioctl.h> /* before linux/usbdevice_fs.h, or _IOWR breaks (harness ref A.6.7) */
#include <errno.h>
#include <linux/usb/ch9.h>
#include <linux/usbdevice_fs.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "usbsim_priv.h"

/* Capabilities this "kernel" offers.  REAP_AFTER_DISCONNECT: URBs that were in flight
 * at an unplug can still be reaped (with -ESHUTDOWN), which is how a real unplug
 * reaches libusb's transfer callbacks. */
#define SIM_CAPS (USBDEVFS_CAP_ZERO_PACKET | USBDEVFS_CAP_BULK_CONTINUATION | \
		  USBDEVFS_CAP_NO_PACKET_SIZE_LIM | USBDEVFS_CAP_REAP_AFTER_DISCONNECT)

static struct usbsim_client *client_of(UMockdevIoctlClient *c)
{
	return g_object_get_data(G_OBJECT(c), "usbsim-client");
}

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
}

static void urb_delayed_done(void *arg)
{
	struct usbsim_urb *r = arg;

	r->job = 0;
	urb_finish(r, r->status, r->actual);
}

void usbsim_flush_on_unplug(struct usbsim_dev *dev)
{
	for (struct usbsim_client *cl = dev->clients; cl; cl = cl->next)
		while (cl->pending)
			urb_finish(cl->pending, -ESHUTDOWN, 0);
	for (int i = 0; i < USBSIM_MAX_INTERFACES; i++)
		dev->claimed_by[i] = NULL;
	while (dev->waiting) {
		struct usbsim_waiting_claim *w = dev->waiting;
		dev->waiting = w->next;
		usbsim_cancel(dev->sim, w->job);
		umockdev_ioctl_client_complete(w->client, -1, ENODEV);
		g_object_unref(w->client);
		g_free(w);
	}
}

static void retry_waiting_claims(struct usbsim_dev *dev);

static void client_drop(struct usbsim_client *cl)
{
	struct usbsim_dev *dev = cl->dev;

	for (int i = 0; i < USBSIM_MAX_INTERFACES; i++)
		if (dev->claimed_by[i] == cl)
			dev->claimed_by[i] = NULL;
	while (cl->pending) {
		struct usbsim_urb *r = cl->pending;
		cl->pending = r->next;
		urb_free(dev->sim, r);
	}
	while (cl->completed) {
		struct usbsim_urb *r = cl->completed;
		cl->completed = r->next;
		urb_free(dev->sim, r);
	}
	cl->closed = true;
	retry_waiting_claims(dev);
}

void usbsim_client_free_all(struct usbsim_dev *dev)
{
	while (dev->clients) {
		struct usbsim_client *cl = dev->clients;
		dev->clients = cl->next;
		client_drop(cl);
		g_free(cl);
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

static int do_set_interface(struct usbsim_dev *dev, int intf, int alt)
{
	if (intf < 0 || intf >= dev->n_intf || alt < 0 || alt >= dev->n_alts[intf])
		return -EINVAL;
	dev->cur_alt[intf] = alt;
	if (dev->ops && dev->ops->set_interface)
		dev->ops->set_interface(dev->model, dev, intf, alt);
	return 0;
}

static int do_control(struct usbsim_dev *dev, const struct usbsim_ctrl *rq, unsigned *delay_ms)
{
	bool in = rq->bmRequestType & USB_DIR_IN;
	int res;

	count_request(dev, rq);
	*delay_ms = 0;
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
			return do_set_interface(dev, rq->wIndex & 0xff, rq->wValue) ? USBSIM_STALL : 0;
		case USB_REQ_SET_CONFIGURATION:
		case USB_REQ_CLEAR_FEATURE:
		case USB_REQ_SET_FEATURE:
			return 0;
		}
	}
	if (!dev->ops || !dev->ops->control)
		return USBSIM_STALL;
	res = dev->ops->control(dev->model, dev, rq, delay_ms);
	if (res >= 0 && !in)
		res = rq->wLength; /* an OUT data stage transfers everything the host sent */
	SIM_TRACE(dev->sim, "devnum %d ctrl %02x %02x %04x %04x %u -> %d (+%u ms)\n", dev->devnum,
		  rq->bmRequestType, rq->bRequest, rq->wValue, rq->wIndex, rq->wLength, res, *delay_ms);
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
static void urb_result(struct usbsim_dev *dev, struct usbsim_urb *r, int res, unsigned delay_ms)
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
	if (delay_ms && dev->present)
		r->job = usbsim_schedule(dev->sim, delay_ms, urb_delayed_done, r);
	else
		urb_finish(r, r->status, r->actual);
}

static int submit_urb(struct usbsim_client *cl, UMockdevIoctlData *arg)
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
		unsigned delay = 0;
		int res = do_control(dev, &rq, &delay);
		urb_result(dev, r, res, delay);
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

static int discard_urb(struct usbsim_client *cl, UMockdevIoctlData *arg)
{
	unsigned long addr = *(unsigned long *)arg->data; /* the argument is the URB pointer itself */

	for (struct usbsim_urb *r = cl->pending; r; r = r->next)
		if (r->addr == addr) {
			urb_finish(r, -ENOENT, 0);
			return 0;
		}
	return cl->dev->present ? -EINVAL : -ENODEV;
}

static int reap_urb(struct usbsim_client *cl, UMockdevIoctlData *arg)
{
	struct usbsim_urb *r = cl->completed;
	GError *err = NULL;

	if (!r)
		return cl->dev->present ? -EAGAIN : -ENODEV;
	UMockdevIoctlData *ptr = umockdev_ioctl_data_resolve(arg, 0, sizeof(void *), &err);
	if (!ptr) {
		g_clear_error(&err);
		return -EFAULT;
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
static long sync_control(struct usbsim_client *cl, UMockdevIoctlClient *c, UMockdevIoctlData *arg,
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
	unsigned delay = 0, timeout = ct->timeout ? ct->timeout : 5000;
	int res = do_control(dev, &rq, &delay);
	if (b)
		g_object_unref(b);
	g_object_unref(d);

	if (res == USBSIM_NEVER || delay) {
		struct late_reply *lr = g_new0(struct late_reply, 1);
		lr->client = g_object_ref(c);
		lr->dev = dev;
		lr->res = res;
		if (res == USBSIM_NEVER || delay > timeout) {
			lr->res = USBSIM_NEVER;
			delay = timeout;
		}
		usbsim_schedule(dev->sim, delay, late_reply_send, lr);
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

/* ---- interfaces and kernel drivers ------------------------------------------------ */

static int claim(struct usbsim_client *cl, unsigned intf)
{
	struct usbsim_dev *dev = cl->dev;

	if (intf >= (unsigned)dev->n_intf)
		return -ENOENT;
	if (dev->claimed_by[intf] == cl)
		return 0;
	if (dev->driver[intf][0])
		return -EBUSY; /* a kernel driver owns it */
	if (dev->claimed_by[intf])
		return -EAGAIN; /* another handle: see wait_for_claim() */
	dev->claimed_by[intf] = cl;
	return 0;
}

/* How long a claim waits for the other handle's close before EBUSY.  A process that
 * exits closes its usbfs handle synchronously on Linux; here its close reaches the
 * worker thread a moment later, and the next tool must not see EBUSY for that. */
#define CLAIM_GRACE_MS 300

static void waiting_claim_expired(void *arg)
{
	struct usbsim_waiting_claim *w = arg, **p;

	for (p = &w->cl->dev->waiting; *p; p = &(*p)->next)
		if (*p == w) {
			*p = w->next;
			break;
		}
	umockdev_ioctl_client_complete(w->client, -1, EBUSY);
	g_object_unref(w->client);
	g_free(w);
}

static void retry_waiting_claims(struct usbsim_dev *dev)
{
	struct usbsim_waiting_claim **p = &dev->waiting;

	while (*p) {
		struct usbsim_waiting_claim *w = *p;
		int r = w->cl->closed ? -EBADF : claim(w->cl, w->intf);
		if (r == -EAGAIN) {
			p = &w->next;
			continue;
		}
		*p = w->next;
		usbsim_cancel(dev->sim, w->job);
		umockdev_ioctl_client_complete(w->client, r < 0 ? -1 : 0, r < 0 ? -r : 0);
		g_object_unref(w->client);
		g_free(w);
	}
}

static void wait_for_claim(struct usbsim_client *cl, UMockdevIoctlClient *c, unsigned intf)
{
	struct usbsim_waiting_claim *w = g_new0(struct usbsim_waiting_claim, 1);

	w->client = g_object_ref(c);
	w->cl = cl;
	w->intf = intf;
	w->next = cl->dev->waiting;
	cl->dev->waiting = w;
	w->job = usbsim_schedule(cl->dev->sim, CLAIM_GRACE_MS, waiting_claim_expired, w);
}

static int disconnect_claim(struct usbsim_client *cl, const struct usbdevfs_disconnect_claim *dc)
{
	struct usbsim_dev *dev = cl->dev;
	unsigned intf = dc->interface;

	if (intf >= (unsigned)dev->n_intf)
		return -ENOENT;
	const char *bound = dev->driver[intf];
	if (bound[0]) {
		if ((dc->flags & USBDEVFS_DISCONNECT_CLAIM_IF_DRIVER) && strcmp(dc->driver, bound) != 0)
			return -EBUSY;
		if ((dc->flags & USBDEVFS_DISCONNECT_CLAIM_EXCEPT_DRIVER) && strcmp(dc->driver, bound) == 0)
			return -EBUSY;
		dev->driver[intf][0] = '\0';
	}
	return claim(cl, intf);
}

static int driver_ioctl(struct usbsim_client *cl, const struct usbdevfs_ioctl *cmd)
{
	struct usbsim_dev *dev = cl->dev;
	int intf = cmd->ifno;

	if (intf < 0 || intf >= dev->n_intf)
		return -EINVAL;
	if (cmd->ioctl_code == (int)USBDEVFS_DISCONNECT) {
		if (dev->driver[intf][0]) {
			dev->driver[intf][0] = '\0';
			return 0;
		}
		if (dev->claimed_by[intf]) { /* usbfs itself is the driver: unbind it */
			dev->claimed_by[intf] = NULL;
			return 0;
		}
		return -ENODATA;
	}
	if (cmd->ioctl_code == (int)USBDEVFS_CONNECT) {
		if (dev->claimed_by[intf])
			return -EBUSY;
		if (dev->driver[intf][0])
			return 1;
		if (!dev->id.kernel_driver[intf])
			return 0; /* no driver wants it: libusb says NOT_FOUND */
		g_strlcpy(dev->driver[intf], dev->id.kernel_driver[intf], sizeof dev->driver[intf]);
		return 1;
	}
	return -ENOTTY;
}

/* ---- the ioctl dispatcher ---------------------------------------------------------- */

#define RESOLVE(type, var)                                                             \
	UMockdevIoctlData *var##_d = umockdev_ioctl_data_resolve(arg, 0, sizeof(type), NULL); \
	if (!var##_d) {                                                                   \
		res = -EFAULT;                                                                \
		break;                                                                        \
	}                                                                                 \
	type *var = (type *)var##_d->data

static gboolean on_ioctl(UMockdevIoctlBase *handler, UMockdevIoctlClient *c, gpointer data)
{
	struct usbsim_dev *dev = data;
	struct usbsim_client *cl = client_of(c);
	unsigned int req = (unsigned int)umockdev_ioctl_client_get_request(c);
	UMockdevIoctlData *arg = umockdev_ioctl_client_get_arg(c);
	long res = 0;
	int err = 0;

	(void)handler;
	g_rec_mutex_lock(&dev->sim->lock);
	if (!cl || cl->closed) {
		res = -EBADF;
		goto done;
	}
	bool gone = !dev->present;
	if (gone && req != (unsigned int)USBDEVFS_REAPURBNDELAY && req != (unsigned int)USBDEVFS_REAPURB &&
	    req != (unsigned int)USBDEVFS_DISCARDURB) {
		res = -ENODEV;
		goto done;
	}
	switch (req) {
	case (unsigned int)USBDEVFS_GET_CAPABILITIES: {
		RESOLVE(uint32_t, caps);
		*caps = SIM_CAPS;
		g_object_unref(caps_d);
		break;
	}
	case (unsigned int)USBDEVFS_GET_SPEED:
		res = dev->id.speed_mbps == 480 ? USB_SPEED_HIGH : USB_SPEED_FULL;
		break;
	case (unsigned int)USBDEVFS_CONNECTINFO: {
		RESOLVE(struct usbdevfs_connectinfo, ci);
		ci->devnum = (unsigned)dev->devnum;
		ci->slow = 0;
		g_object_unref(ci_d);
		break;
	}
	case (unsigned int)USBDEVFS_SETCONFIGURATION: {
		RESOLVE(int, cfg);
		res = (*cfg == 1 || *cfg == 0 || *cfg == -1) ? 0 : -EINVAL;
		g_object_unref(cfg_d);
		break;
	}
	case (unsigned int)USBDEVFS_CLAIMINTERFACE: {
		RESOLVE(unsigned int, intf);
		unsigned n = *intf;
		g_object_unref(intf_d);
		res = claim(cl, n);
		if (res == -EAGAIN) {
			wait_for_claim(cl, c, n);
			g_rec_mutex_unlock(&dev->sim->lock);
			return TRUE;
		}
		break;
	}
	case (unsigned int)USBDEVFS_RELEASEINTERFACE: {
		RESOLVE(unsigned int, intf);
		if (*intf < (unsigned)dev->n_intf && dev->claimed_by[*intf] == cl) {
			dev->claimed_by[*intf] = NULL;
			retry_waiting_claims(dev);
		} else
			res = -EINVAL;
		g_object_unref(intf_d);
		break;
	}
	case (unsigned int)USBDEVFS_DISCONNECT_CLAIM: {
		RESOLVE(struct usbdevfs_disconnect_claim, dc);
		unsigned n = dc->interface;
		res = disconnect_claim(cl, dc);
		g_object_unref(dc_d);
		if (res == -EAGAIN) {
			wait_for_claim(cl, c, n);
			g_rec_mutex_unlock(&dev->sim->lock);
			return TRUE;
		}
		break;
	}
	case (unsigned int)USBDEVFS_GETDRIVER: {
		RESOLVE(struct usbdevfs_getdriver, gd);
		if (gd->interface >= (unsigned)dev->n_intf)
			res = -EINVAL;
		else if (dev->claimed_by[gd->interface])
			g_strlcpy(gd->driver, "usbfs", sizeof gd->driver);
		else if (dev->driver[gd->interface][0])
			g_strlcpy(gd->driver, dev->driver[gd->interface], sizeof gd->driver);
		else
			res = -ENODATA;
		g_object_unref(gd_d);
		break;
	}
	case (unsigned int)USBDEVFS_IOCTL: {
		RESOLVE(struct usbdevfs_ioctl, cmd);
		res = driver_ioctl(cl, cmd);
		g_object_unref(cmd_d);
		break;
	}
	case (unsigned int)USBDEVFS_SETINTERFACE: {
		RESOLVE(struct usbdevfs_setinterface, si);
		res = do_set_interface(dev, (int)si->interface, (int)si->altsetting);
		g_object_unref(si_d);
		break;
	}
	case (unsigned int)USBDEVFS_CLEAR_HALT:
	case (unsigned int)USBDEVFS_RESETEP:
		break;
	case (unsigned int)USBDEVFS_RESET:
		SIM_TRACE(dev->sim, "devnum %d USB reset\n", dev->devnum);
		if (dev->ops && dev->ops->reset)
			dev->ops->reset(dev->model, dev);
		break;
	case (unsigned int)USBDEVFS_SUBMITURB:
		res = submit_urb(cl, arg);
		break;
	case (unsigned int)USBDEVFS_DISCARDURB:
		res = discard_urb(cl, arg);
		break;
	case (unsigned int)USBDEVFS_REAPURB: /* libusb only uses the NDELAY form */
	case (unsigned int)USBDEVFS_REAPURBNDELAY:
		res = reap_urb(cl, arg);
		break;
	case (unsigned int)USBDEVFS_CONTROL:
		res = sync_control(cl, c, arg, &err);
		if (res == INT_MIN) {
			g_rec_mutex_unlock(&dev->sim->lock);
			return TRUE; /* answered later */
		}
		break;
	default:
		res = -ENOTTY;
		break;
	}
done:
	if (dev->sim->trace && req != (unsigned int)USBDEVFS_REAPURBNDELAY)
		fprintf(stderr, "[usbsim] devnum %d ioctl %08x -> %ld\n", dev->devnum, req, res);
	g_rec_mutex_unlock(&dev->sim->lock);
	if (res < 0 && !err) {
		err = (int)-res;
		res = -1;
	}
	umockdev_ioctl_client_complete(c, res, err);
	return TRUE;
}

/* The client object goes away when umockdev has seen the socket's EOF: the handle
 * was closed (or its process ended).  (0.17.16 never emits "client-vanished", and
 * the stream's close does not notify "connected".) */
static void on_client_gone(gpointer data, GObject *where_the_object_was)
{
	struct usbsim_client *cl = data;
	struct usbsim *sim = cl->dev->sim;

	(void)where_the_object_was;
	g_rec_mutex_lock(&sim->lock);
	client_drop(cl); /* a closed handle releases its interfaces, like close() on usbfs */
	g_rec_mutex_unlock(&sim->lock);
}

static void on_client_connected(UMockdevIoctlBase *handler, UMockdevIoctlClient *c, gpointer data)
{
	struct usbsim_dev *dev = data;
	struct usbsim_client *cl = g_new0(struct usbsim_client, 1);

	(void)handler;
	cl->dev = dev;
	g_rec_mutex_lock(&dev->sim->lock);
	cl->next = dev->clients;
	dev->clients = cl;
	g_rec_mutex_unlock(&dev->sim->lock);
	g_object_set_data(G_OBJECT(c), "usbsim-client", cl);
	g_object_weak_ref(G_OBJECT(c), on_client_gone, cl);
}

void usbsim_attach_handler(struct usbsim_dev *dev)
{
	GError *err = NULL;

	dev->handler = umockdev_ioctl_base_new();
	g_signal_connect(dev->handler, "handle-ioctl", G_CALLBACK(on_ioctl), dev);
	g_signal_connect(dev->handler, "client-connected", G_CALLBACK(on_client_connected), dev);
	if (!umockdev_testbed_attach_ioctl(dev->sim->tb, dev->devnode, dev->handler, &err)) {
		fprintf(stderr, "usbsim: attach %s: %s\n", dev->devnode, err->message);
		g_error_free(err);
	}
}
