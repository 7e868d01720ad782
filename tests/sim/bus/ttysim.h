/*
 * ttysim: a virtual USB serial port for tests, built on umockdev.
 *
 * ttysim_add() makes a node /dev/ttyACM<n> (CDC ACM) or /dev/ttyUSB<n> (FTDI / CH340 bridge)
 * appear inside a umockdev testbed, with the sysfs tree the kernel would build for it:
 *
 *   usb device  <bus>-<port>            idVendor, idProduct, bcdDevice, manufacturer, product,
 *                                       serial, busnum, devnum, descriptors
 *   interface   <bus>-<port>:1.<ifnum>  DRIVER=cdc_acm | ftdi_sio | ch341
 *   (usb-serial port ttyUSB<n>          bridges only)
 *   tty         ttyACM<n> / ttyUSB<n>   dev=166:<n> / 188:<n>, DEVNAME=/dev/tty...
 *
 * so the real libserialport lists it with VID:PID, serial and description, and real
 * programs (libserialport, bossac) open and drive it. Behind the node is a pty: bytes the
 * program writes reach the device model, bytes the model sends are read by the program.
 * The modem-control ioctls a pty lacks (TIOCMGET/TIOCMSET/TIOCMBIS/TIOCMBIC) are emulated by
 * a umockdev ioctl handler; every other ioctl runs on the real pty. Reference:
 * test-harness-umockdev-libvterm.md §C.2.
 *
 * What the device model sees (struct ttysim_event):
 *   - OPEN / CLOSE of the node. Like the kernel, an open raises DTR and RTS (unless the line
 *     coding is 0 baud) and the last close drops them when HUPCL is set. OPEN is seen before
 *     the program's first read, write or ioctl. CLOSE is seen within about 5 ms of close():
 *     umockdev only reveals it as the client's socket closing, which is polled. A program that
 *     closes and at once reopens may have its new OPEN seen before the old CLOSE; the
 *     client count stays right, but DTR then shows no low pulse.
 *   - LINES when DTR or RTS change; BAUD when the line coding (baud rate) changes.
 *   - TOUCH_1200: DTR fell while the line coding was 1200 bps (the Arduino-style "1200-baud
 *     touch", reference dfu-dfuse-picoboot-samba.md §3.1). Detected at the DTR edge itself,
 *     while the program's ioctl is still blocked, so it is never missed.
 *   - TIMER: a timer set with ttysim_set_timer() expired.
 *   - REMOVED: the port was removed; always the last event.
 * Plus the data callback for every chunk of bytes the program wrote, with the baud rate in
 * force when the chunk was read.
 *
 * Threads. Every callback of one port runs on that port's own thread ("ttysim" thread, one
 * per port), one at a time, in the order the events happened. A callback that results from
 * a program's ioctl (DTR/RTS change, termios change via ioctl) has returned before that
 * ioctl returns in the program, so after sp_set_dtr() returns the model has seen the edge.
 * Changes made with glibc's tcsetattr() (which bypasses umockdev) are seen through the pty's
 * packet-mode notification, shortly after the call returns, and at the latest at the next
 * modem-line ioctl or data chunk.
 * Callbacks may call ttysim_send(), ttysim_set_timer(), ttysim_get_state() and
 * ttysim_remove(). They must not block for long and must not act as a client of the port
 * (no libserialport calls on it from a callback): the program's ioctl is waiting for them,
 * and so is every other umockdev client of the testbed. Do not hold a lock that a callback
 * takes while calling ttysim_remove() or ttysim_free() from another thread.
 *
 * Data path details: bytes are delivered in the chunks the pty hands over, not in the
 * program's write() boundaries. Bytes the model sends while no program has the node open
 * are dropped; a program that opens the node never reads leftovers.
 *
 * Requirements: the process must run with the umockdev preload (link the test with
 * -Wl,--push-state,--no-as-needed -lumockdev-preload -Wl,--pop-state, or run it under
 * umockdev-wrapper); one testbed per process. Child processes that should see the port
 * need LD_PRELOAD=libumockdev-preload.so.0; UMOCKDEV_DIR is inherited.
 */
#ifndef TTYSIM_H
#define TTYSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <umockdev.h>

/* Which kernel driver the port imitates; this picks the node name and the sysfs shape. */
enum ttysim_driver {
    TTYSIM_CDC_ACM = 0, /* /dev/ttyACM<n>, major 166, interface class 02/02/01 */
    TTYSIM_FTDI_SIO,    /* /dev/ttyUSB<n>, major 188, interface class ff/ff/ff */
    TTYSIM_CH341,       /* /dev/ttyUSB<n>, major 188, interface class ff/01/02 */
};

enum ttysim_event_type {
    TTYSIM_EV_OPEN = 1,   /* a program opened the node */
    TTYSIM_EV_CLOSE,      /* a program closed it (seen asynchronously, shortly after) */
    TTYSIM_EV_LINES,      /* DTR and/or RTS changed */
    TTYSIM_EV_BAUD,       /* the line coding changed to ev->baud */
    TTYSIM_EV_TOUCH_1200, /* DTR fell while the line coding was 1200 bps */
    TTYSIM_EV_TIMER,      /* the timer set with ttysim_set_timer() expired */
    TTYSIM_EV_REMOVED,    /* the port is gone; the last event of a port */
};

/* One event; the fields describe the state right after it. */
struct ttysim_event {
    enum ttysim_event_type type;
    bool dtr, rts;     /* host-driven modem lines */
    unsigned baud;     /* line coding in force (0 = hang-up speed B0) */
    unsigned clients;  /* open handles on the node */
    uint64_t time_us;  /* CLOCK_MONOTONIC, microseconds */
};

struct ttysim;

/* Device model callbacks; any of them may be NULL. All run on the port's thread. */
struct ttysim_callbacks {
    void (*event)(void *ctx, struct ttysim *port, const struct ttysim_event *ev);
    /* Bytes the program wrote; baud = line coding when they were read off the pty. */
    void (*data)(void *ctx, struct ttysim *port, const uint8_t *buf, size_t len, unsigned baud);
};

struct ttysim_config {
    enum ttysim_driver driver;
    int index;                /* n in ttyACM<n>/ttyUSB<n>; -1 = lowest free, like the kernel */

    uint16_t vid, pid;        /* idVendor / idProduct of the USB device */
    uint16_t bcd_device;      /* 0 = 0x0100 */
    const char *manufacturer; /* NULL = attribute absent */
    const char *product;      /* NULL = attribute absent */
    const char *serial;       /* NULL = attribute absent */

    /* Where the USB device lives. With usb_parent == NULL ttysim creates (and removes) its
     * own USB device /sys/devices/pci0000:00/0000:00:14.0/usb<busnum>/<port_name>, with
     * descriptors but without a usbfs node (libusb lists it; it cannot be opened).
     * With usb_parent set (syspath of a USB device made by the USB simulator, e.g. from
     * umockdev_testbed_add_from_string), ttysim only adds the interface and the tty below it
     * and leaves the USB device alone on removal. */
    const char *usb_parent;
    const char *port_name;    /* own device only: e.g. "1-3"; NULL = first free "<bus>-<p>",
                                 p >= 2 */
    unsigned busnum, devnum;  /* own device only: 0 = bus 1, device 100 + p */
    unsigned ifnum;           /* interface number of the tty's interface */

    struct ttysim_callbacks cb;
    void *ctx;
};

/* Snapshot of the port. */
struct ttysim_state {
    bool dtr, rts;
    unsigned baud;
    unsigned clients;
    bool removed;
    uint64_t rx_bytes;    /* bytes whose data callback has returned */
    uint64_t touches;     /* TOUCH_1200 events so far */
};

/* Creates the port and starts its thread. The handler is attached before the node appears,
 * and the "add" uevents are sent last. The testbed is borrowed: free every port before
 * dropping the last reference to it (which deletes the testbed directory). Returns NULL (and prints nothing) when the testbed
 * is not in mock mode, the index is taken, or a system call fails. */
struct ttysim *ttysim_add(UMockdevTestbed *tb, const struct ttysim_config *cfg);

/* The node's path, e.g. "/dev/ttyACM0", and its name, e.g. "ttyACM0". Valid until free. */
const char *ttysim_devnode(const struct ttysim *port);
const char *ttysim_name(const struct ttysim *port);
/* Syspath of the tty and of its USB device (owned or the given parent). */
const char *ttysim_tty_syspath(const struct ttysim *port);
const char *ttysim_usb_syspath(const struct ttysim *port);

/* Sends bytes to the program (they become readable on the node). Thread-safe. While no
 * program has the node open the bytes are dropped, as a CDC device's IN data is when the
 * tty is closed. Returns len, or -ENODEV after removal, -ETIMEDOUT when the program does
 * not read for 2 s. */
long ttysim_send(struct ttysim *port, const void *buf, size_t len);

/* Arms the port's single timer: a TIMER event after delay_ms; 0 disarms. Thread-safe. */
void ttysim_set_timer(struct ttysim *port, unsigned delay_ms);

/* Current state (thread-safe). */
void ttysim_get_state(struct ttysim *port, struct ttysim_state *st);

/* Waiting functions for tests and hosts; they return true when the condition held before the
 * timeout. Do not call them from a callback. */
bool ttysim_wait_rx(struct ttysim *port, uint64_t total_bytes, unsigned timeout_ms);
bool ttysim_wait_clients(struct ttysim *port, unsigned clients, unsigned timeout_ms);
bool ttysim_wait_removed(struct ttysim *port, unsigned timeout_ms);

/* Hot-unplug: open handles are hung up (reads return 0, writes and ioctls fail with EIO,
 * as after a real USB disconnect), "remove" uevents are sent, the node and the sysfs
 * entries vanish, and the REMOVED event is delivered. Idempotent; callable from any thread
 * including the port's own callbacks (then REMOVED follows after the callback returns).
 * The same name can be added again afterwards. */
void ttysim_remove(struct ttysim *port);

/* Removes the port if needed, stops its thread and frees it. Not from a callback. */
void ttysim_free(struct ttysim *port);

/* Event name for logs, e.g. "TOUCH_1200". */
const char *ttysim_event_name(enum ttysim_event_type type);

#endif
