/* usbsim: virtual USB devices for tests, on umockdev's usbfs ioctl emulation.
 *
 * The real libusb-1.0 (in this process or in a child such as dfu-util) talks to
 * /dev/bus/usb/BBB/DDD; umockdev's preload forwards every ioctl on that node to
 * this layer, which plays the kernel's usbfs: enumeration data in sysfs,
 * claim/release, SETINTERFACE, control/bulk/interrupt URBs, reaping, discarding,
 * resets, kernel-driver detach, hot-unplug and re-enumeration.  A device model
 * (struct usbsim_model_ops) answers the requests the layer does not answer itself.
 *
 * Threads: ioctls are handled on umockdev's worker thread; plugging, unplugging
 * and timers run on the layer's own "sim" thread.  Every model callback runs with
 * the layer's (recursive) lock held, so models need no lock of their own; tests
 * that inspect model state take usbsim_lock() — never while a libusb call that the
 * model must answer is running in the same thread.
 *
 * One struct usbsim per process (umockdev's UMOCKDEV_DIR is process-global).
 * The process must run with libumockdev-preload (link it with --no-as-needed).
 */
#ifndef USBSIM_H
#define USBSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct usbsim;
struct usbsim_dev;

/* A control request as the model sees it. */
struct usbsim_ctrl {
	uint8_t bmRequestType;
	uint8_t bRequest;
	uint16_t wValue;
	uint16_t wIndex;
	uint16_t wLength;
	uint8_t *data; /* OUT: the wLength bytes sent; IN: a wLength-byte buffer to fill */
};

/* Results a model callback may return instead of a byte count. */
enum {
	USBSIM_STALL = -1,  /* protocol stall: the host sees -EPIPE */
	USBSIM_NEVER = -2,  /* never complete: the host's timeout fires (then it discards) */
	USBSIM_GONE = -3,   /* the device vanished during the request: -ESHUTDOWN */
	USBSIM_NAK = -4,    /* IN endpoint: no data yet, keep the URB pending */
};

struct usbsim_model_ops {
	/* A control request the layer does not answer itself (everything except the
	 * standard GET_DESCRIPTOR / GET_STATUS / GET_CONFIGURATION / GET_INTERFACE /
	 * SET_CONFIGURATION / SET_INTERFACE / CLEAR_FEATURE / SET_FEATURE).
	 * Returns the data length (IN) or 0 (OUT), or USBSIM_STALL/NEVER/GONE.
	 * *delay_us (0 on entry) delays the completion by that many microseconds: a busy
	 * device NAKs.  The reply is due at an absolute time (usbsim_urb.c), to the
	 * microsecond: no rounding to timer ticks. */
	int (*control)(void *model, struct usbsim_dev *dev, const struct usbsim_ctrl *req,
		       unsigned *delay_us);
	/* The host selected an alternate setting (already validated). */
	void (*set_interface)(void *model, struct usbsim_dev *dev, int intf, int alt);
	/* USB bus reset (libusb_reset_device). */
	void (*reset)(void *model, struct usbsim_dev *dev);
	/* Data the host sent on a bulk or interrupt OUT endpoint: returns len or USBSIM_*. */
	int (*data_out)(void *model, struct usbsim_dev *dev, uint8_t ep, const uint8_t *data,
			size_t len);
	/* The host claimed interface intf.  Returns 0, or USBSIM_GONE when the model has just
	 * unplugged the device: the claim then succeeds, but its answer waits until the
	 * removal has been announced (USBSIM_ANNOUNCE_MS), so the host already knows the
	 * device is gone when it makes its next call.  May be NULL. */
	int (*claimed)(void *model, struct usbsim_dev *dev, int intf);
	/* The device has been unplugged (after the last callback for it). May be NULL. */
	void (*unplugged)(void *model, struct usbsim_dev *dev);
};

/* How long after a removal uevent a host's hotplug thread is given to take it in. */
#define USBSIM_ANNOUNCE_MS 200

#define USBSIM_MAX_STRINGS 32
#define USBSIM_MAX_INTERFACES 8

/* Everything the host sees when the device enumerates. */
struct usbsim_identity {
	uint8_t device_desc[18];
	const uint8_t *config_desc; /* the whole configuration, wTotalLength bytes */
	size_t config_len;
	const char *strings[USBSIM_MAX_STRINGS]; /* index 1..; NULL = absent */
	/* A kernel driver bound to interface i ("usbhid", "cdc_acm"), or NULL. */
	const char *kernel_driver[USBSIM_MAX_INTERFACES];
	unsigned speed_mbps; /* 12 or 480 */
	/* A HID interface's report descriptor, answered to GET_DESCRIPTOR(0x22) on any
	 * interface (HID 1.11 §7.1.1); NULL for none. */
	const uint8_t *hid_report_desc;
	size_t hid_report_len;
};

/* Create the virtual bus (umockdev testbed in $TMPDIR, sim thread).  Returns NULL
 * with a message in why[] when umockdev's preload is not active: exit 77 (SKIP). */
struct usbsim *usbsim_new(char *why, size_t why_len);
/* Tear everything down and remove the testbed directory.  All handles on the
 * devices must be closed (child processes ended) before. */
void usbsim_free(struct usbsim *sim);
/* The testbed root: UMOCKDEV_DIR for other processes. */
const char *usbsim_root(const struct usbsim *sim);

/* Plug a device on root-hub port `port` (1..15) with a fresh device number.
 * The identity is copied.  The "add" uevent is sent when this returns. */
struct usbsim_dev *usbsim_plug(struct usbsim *sim, int port, const struct usbsim_identity *id,
			       const struct usbsim_model_ops *ops, void *model);
/* Unplug: open handles get ENODEV, pending URBs complete with -ESHUTDOWN, the sysfs
 * entry goes away and "remove" is sent — on the sim thread, so this is safe inside
 * a model callback.  The struct stays valid until usbsim_free(). */
void usbsim_unplug(struct usbsim_dev *dev);
/* Wait until the sim thread has carried out everything queued so far (plugs,
 * unplugs, zero-delay jobs).  Not from the sim thread or a model callback. */
void usbsim_sync(struct usbsim *sim);

/* Run fn(arg) on the sim thread after delay_ms, with the lock held.  Returns an id
 * for usbsim_cancel(); a cancelled job never runs. */
unsigned usbsim_schedule(struct usbsim *sim, unsigned delay_ms, void (*fn)(void *arg), void *arg);
/* The same at an absolute CLOCK_MONOTONIC time in nanoseconds (usbsim_now_ns()): the sim
 * thread wakes on a timerfd at that time, not on the main loop's millisecond poll timeout. */
unsigned usbsim_schedule_at(struct usbsim *sim, unsigned long long when_ns, void (*fn)(void *arg), void *arg);
unsigned long long usbsim_now_ns(void);
void usbsim_cancel(struct usbsim *sim, unsigned id);

/* Queue data for the host on an IN endpoint (bulk/interrupt); completes the oldest
 * pending IN URB of that endpoint, or waits for one. */
void usbsim_in_push(struct usbsim_dev *dev, uint8_t ep, const void *data, size_t len);

void usbsim_lock(struct usbsim *sim);
void usbsim_unlock(struct usbsim *sim);

bool usbsim_present(const struct usbsim_dev *dev);
int usbsim_devnum(const struct usbsim_dev *dev);
struct usbsim *usbsim_of(const struct usbsim_dev *dev);
/* sysfs path inside the testbed ("/sys/devices/usbsim/usb1/1-2"), e.g. to hang a
 * tty device under one of its interfaces ("<syspath>/1-2:1.0"). */
const char *usbsim_syspath(const struct usbsim_dev *dev);
/* Make the device's node refuse to open with EACCES, even for root, as a node without a udev
 * rule does for a user: it becomes a link to a read-only sysctl file. */
void usbsim_deny_access(struct usbsim_dev *dev);
/* The alternate setting the host last selected on an interface. */
int usbsim_current_alt(const struct usbsim_dev *dev, int intf);

/* Counters for tests and benchmarks: control transfers seen by this device with
 * this bmRequestType and bRequest (any = -1 for either), including stalled ones. */
unsigned usbsim_control_count(const struct usbsim_dev *dev, int bmRequestType, int bRequest);

/* Log every ioctl and request on stderr (also: USBSIM_TRACE=1 in the environment). */
void usbsim_set_trace(struct usbsim *sim, bool on);
/* Charge every control transfer the bus time it takes at USB full speed (64-byte packets,
 * 1 ms frames, setup and status stages: usbsim_bustime.c), on top of the models' own times;
 * and the bus time charged so far, every device together, in nanoseconds. */
void usbsim_set_bus_time(struct usbsim *sim, bool on);
/* The least bus time of a control transfer with len data bytes at full speed, in ns. */
unsigned usbsim_ctrl_bus_ns(unsigned len);
unsigned long long usbsim_bus_ns(const struct usbsim *sim);
/* The virtual bus clock (usbsim_bustime.c): a transfer that arrives at arrival_ns starts then,
 * or when the one before is done (*bus_free_ns), and takes hold_ns + bus_ns; returns when
 * its reply is due and advances *bus_free_ns to it. */
unsigned long long usbsim_bus_clock(unsigned long long *bus_free_ns, unsigned long long arrival_ns,
				    unsigned long long hold_ns, unsigned long long bus_ns);

#endif
