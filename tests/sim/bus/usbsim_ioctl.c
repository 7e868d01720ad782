/* usbsim: the usbfs ioctls of one virtual device, as the Linux kernel answers them
 * (drivers/usb/core/devio.c semantics as libusb 1.0.26's linux_usbfs.c relies on):
 * the dispatcher, interface claims and kernel drivers, handles opening and closing.
 * Requests and URBs are in usbsim_urb.c. */
#include <sys/ioctl.h> /* before linux/usbdevice_fs.h, or _IOWR breaks (harness ref A.6.7) */
#include <errno.h>
#include <limits.h>
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

void usbsim_flush_on_unplug(struct usbsim_dev *dev)
{
	usbsim_urbs_flush(dev);
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
	usbsim_urbs_drop(cl);
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

/* A claim answered late: the model unplugged the device as it was claimed. */
struct late_claim {
	UMockdevIoctlClient *client;
};

static void late_claim_answer(void *arg)
{
	struct late_claim *l = arg;

	umockdev_ioctl_client_complete(l->client, 0, 0);
	g_object_unref(l->client);
	g_free(l);
}

static bool claim_vanishes(struct usbsim_client *cl, UMockdevIoctlClient *c, unsigned intf)
{
	struct usbsim_dev *dev = cl->dev;

	if (!dev->ops || !dev->ops->claimed || dev->ops->claimed(dev->model, dev, (int)intf) != USBSIM_GONE)
		return false;
	struct late_claim *l = g_new0(struct late_claim, 1);
	l->client = g_object_ref(c);
	usbsim_schedule(dev->sim, USBSIM_ANNOUNCE_MS, late_claim_answer, l);
	return true;
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
	unsigned long long arrival = usbsim_now_ns();
	long res = 0;
	int err = 0;

	(void)handler;
	g_rec_mutex_lock(&dev->sim->lock);
	if (!dev->sim->ioctl_ctx)
		dev->sim->ioctl_ctx = g_main_context_ref_thread_default();
	if (!cl || cl->closed) {
		res = -EBADF;
		goto done;
	}
	cl->arrival_ns = arrival;
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
		if (res == -EAGAIN || (res == 0 && claim_vanishes(cl, c, n))) {
			if (res == -EAGAIN)
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
		res = usbsim_set_interface(dev, (int)si->interface, (int)si->altsetting);
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
		res = usbsim_submit_urb(cl, arg);
		break;
	case (unsigned int)USBDEVFS_DISCARDURB:
		res = usbsim_discard_urb(cl, arg);
		break;
	case (unsigned int)USBDEVFS_REAPURB: /* libusb only uses the NDELAY form */
	case (unsigned int)USBDEVFS_REAPURBNDELAY:
		res = usbsim_reap_urb(cl, c, arg);
		if (res == INT_MIN) {
			g_rec_mutex_unlock(&dev->sim->lock);
			return TRUE; /* answered when a URB completes */
		}
		break;
	case (unsigned int)USBDEVFS_CONTROL:
		res = usbsim_sync_control(cl, c, arg, &err);
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
