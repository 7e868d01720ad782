/*
 * Pieces of ttysim shared between its source files; not for users of ttysim.h.
 */
#ifndef TTYSIM_INTERNAL_H
#define TTYSIM_INTERNAL_H

#include <stdbool.h>

#include "ttysim.h"

/* Sysfs paths of one port, each starting with "/sys/devices/". */
struct ttysim_layout {
    char name[16];           /* "ttyACM0" */
    unsigned major, minor;
    char *usb;               /* USB device */
    char *iface;             /* interface the tty hangs below */
    char *data_iface;        /* CDC data interface (ACM only), else NULL */
    char *serial_port;       /* usb-serial port device (bridges), else NULL */
    char *tty;               /* tty class device */
    bool own_usb;
};

/* Fills the layout for cfg and tty index n (g_free the strings with ttysim_layout_clear). */
void ttysim_layout_init(struct ttysim_layout *l, const struct ttysim_config *cfg, int n);
void ttysim_layout_clear(struct ttysim_layout *l);

/* umockdev_testbed_add_from_string() text for the layout, in parent-before-child order;
 * g_free it. */
char *ttysim_layout_describe(const struct ttysim_layout *l, const struct ttysim_config *cfg);

/* Node name prefix for a driver: "ttyACM" or "ttyUSB". */
const char *ttysim_driver_prefix(enum ttysim_driver d);

/*
 * pty helpers; they use the raw ioctl system call so that the umockdev preload never sees
 * the simulator's own descriptors.
 */
/* Gives the slave a fresh serial port's termios (9600 8N1, raw, HUPCL, as the cdc_acm and
 * usb-serial drivers start) plus EXTPROC, and turns on packet mode on the master so that
 * every termios change of the slave is announced to the master (TIOCPKT_IOCTL). */
int ttysim_pty_setup(int master);
/* Reads the slave's termios through the master: baud rate (c_ospeed) and whether HUPCL is
 * set. Returns 0 or -errno. */
int ttysim_pty_termios(int master, unsigned *baud, bool *hupcl);
/* Discards bytes queued towards the program (unread input of the slave). */
void ttysim_pty_flush_input(int slave);
/* Whether an ioctl request sets the termios (TCSETS*, TCSETS2*). */
bool ttysim_req_sets_termios(unsigned long req);

#endif
