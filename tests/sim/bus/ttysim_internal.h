/*
 * Pieces of ttysim shared between its source files; not for users of ttysim.h.
 */
#ifndef TTYSIM_INTERNAL_H
#define TTYSIM_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

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

#define TTYSIM_QUEUE_LEN 256

/* One port (the public handle). */
struct ttysim {
    atomic_int refs;          /* the owner plus one per signal connection */
    UMockdevTestbed *tb;      /* borrowed: free every port before the testbed */
    struct ttysim_config cfg; /* string members point into strs */
    char *strs[5];
    struct ttysim_layout lay;
    char devnode[32];
    char *node_path;          /* the link inside the testbed */
    UMockdevIoctlBase *handler;
    gulong sig_ioctl, sig_connect;
    pthread_t thread;
    int wake[2];

    pthread_mutex_t lock;     /* guards everything below */
    pthread_cond_t cond;
    int master, slave;        /* -1 after the hang-up */
    bool dtr, rts;
    unsigned baud, clients;
    bool removed, hangup_req, sysfs_gone, thread_done;
    bool attached, added;     /* ioctl handler attached; devices added to the testbed */
    uint64_t rx_bytes, touches, timer_deadline_us;
    GPtrArray *open_clients;  /* umockdev clients whose close is not yet seen */
    struct ttysim_event queue[TTYSIM_QUEUE_LEN];
    unsigned q_head, q_len;
    uint64_t enqueued, dispatched;
};

uint64_t ttysim_now_us(void);
void ttysim_wake_thread(struct ttysim *s);

/* Event bookkeeping; all with s->lock held. */
void ttysim_push_event_locked(struct ttysim *s, enum ttysim_event_type type);
/* Reads the line coding off the pty, emits BAUD when it changed; returns HUPCL. */
bool ttysim_sample_termios_locked(struct ttysim *s);
/* Sets DTR/RTS, emitting LINES and, for DTR falling at 1200 bps, TOUCH_1200. */
void ttysim_set_lines_locked(struct ttysim *s, bool dtr, bool rts);
/* Keeps the calling (worker) thread until every queued event has been dispatched. */
void ttysim_wait_dispatched_locked(struct ttysim *s);
/* Counts clients whose umockdev stream closed (port thread). */
void ttysim_reap_closed_clients_locked(struct ttysim *s);

/* umockdev signal handlers (testbed worker thread); data is the port. */
gboolean ttysim_on_ioctl(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer data);
void ttysim_on_client_connected(UMockdevIoctlBase *h, UMockdevIoctlClient *c, gpointer data);

/* Fills the layout for cfg and tty index n (g_free the strings with ttysim_layout_clear). */
void ttysim_layout_init(struct ttysim_layout *l, const struct ttysim_config *cfg, int n);
void ttysim_layout_clear(struct ttysim_layout *l);

/* umockdev_testbed_add_from_string() text for the layout, in parent-before-child order;
 * g_free it. */
char *ttysim_layout_describe(const struct ttysim_layout *l, const struct ttysim_config *cfg);

/* Node name prefix for a driver: "ttyACM" or "ttyUSB". */
const char *ttysim_driver_prefix(enum ttysim_driver d);

/*
 * pty functions; they use the raw ioctl system call so that the umockdev preload never sees
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
