/*
 * The sysfs shape of a USB serial port, as umockdev device descriptions.
 *
 * The layout copies what the Linux kernel builds:
 *   cdc_acm:  <usb>/<usb>:1.<if>/tty/ttyACM<n>            (tty "device" -> the interface)
 *   bridges:  <usb>/<usb>:1.<if>/ttyUSB<n>/tty/ttyUSB<n>  (tty "device" -> usb-serial port)
 * libserialport 0.1.1 finds the USB attributes by walking up to five "../" from
 * /sys/class/tty/<name>/device until it finds busnum, devnum, idVendor and idProduct
 * (test-harness-umockdev-libvterm.md §C.1), so both shapes resolve to the USB device.
 */
#include <glib.h>
#include <stdint.h>
#include <string.h>

#include "ttysim_internal.h"

/* Linux character-device majors: 166 = ttyACM (cdc_acm), 188 = ttyUSB (usb-serial). */
#define MAJOR_TTYACM 166
#define MAJOR_TTYUSB 188

const char *ttysim_driver_prefix(enum ttysim_driver d)
{
    return d == TTYSIM_CDC_ACM ? "ttyACM" : "ttyUSB";
}

static const char *driver_module(enum ttysim_driver d)
{
    switch (d) {
    case TTYSIM_FTDI_SIO: return "ftdi_sio";
    case TTYSIM_CH341: return "ch341";
    default: return "cdc_acm";
    }
}

/* Interface class/subclass/protocol: CDC ACM control interface is 02/02/01 (AT commands);
 * FTDI chips use vendor class ff/ff/ff; the CH340 family reports ff/01/02. */
static void iface_class(enum ttysim_driver d, unsigned cls[3])
{
    static const unsigned acm[3] = {0x02, 0x02, 0x01};
    static const unsigned ftdi[3] = {0xff, 0xff, 0xff};
    static const unsigned ch341[3] = {0xff, 0x01, 0x02};
    const unsigned *src = d == TTYSIM_FTDI_SIO ? ftdi : d == TTYSIM_CH341 ? ch341 : acm;
    memcpy(cls, src, sizeof(unsigned) * 3);
}

static unsigned bus_of(const struct ttysim_config *cfg)
{
    return cfg->busnum ? cfg->busnum : 1;
}

void ttysim_layout_init(struct ttysim_layout *l, const struct ttysim_config *cfg, int n)
{
    memset(l, 0, sizeof(*l));
    g_snprintf(l->name, sizeof(l->name), "%s%d", ttysim_driver_prefix(cfg->driver), n);
    l->major = cfg->driver == TTYSIM_CDC_ACM ? MAJOR_TTYACM : MAJOR_TTYUSB;
    l->minor = (unsigned)n;

    if (cfg->usb_parent) {
        const char *p = cfg->usb_parent;
        l->usb = g_str_has_prefix(p, "/sys") ? g_strdup(p) : g_strconcat("/sys", p, NULL);
        l->own_usb = false;
    } else {
        char *port = cfg->port_name ? g_strdup(cfg->port_name)
                                    : g_strdup_printf("%u-%d", bus_of(cfg), 9 + n);
        l->usb = g_strdup_printf("/sys/devices/pci0000:00/0000:00:14.0/usb%u/%s",
                                 bus_of(cfg), port);
        g_free(port);
        l->own_usb = true;
    }
    char *usb_name = g_path_get_basename(l->usb);
    l->iface = g_strdup_printf("%s/%s:1.%u", l->usb, usb_name, cfg->ifnum);
    g_free(usb_name);
    if (cfg->driver == TTYSIM_CDC_ACM) {
        char *base = g_path_get_basename(l->usb);
        l->data_iface = g_strdup_printf("%s/%s:1.%u", l->usb, base, cfg->ifnum + 1);
        g_free(base);
        l->tty = g_strdup_printf("%s/tty/%s", l->iface, l->name);
    } else {
        l->serial_port = g_strdup_printf("%s/%s", l->iface, l->name);
        l->tty = g_strdup_printf("%s/tty/%s", l->serial_port, l->name);
    }
}

void ttysim_layout_clear(struct ttysim_layout *l)
{
    g_free(l->usb);
    g_free(l->iface);
    g_free(l->data_iface);
    g_free(l->serial_port);
    g_free(l->tty);
    memset(l, 0, sizeof(*l));
}

/* 'A:' values are unescaped by umockdev (g_strcompress): protect backslashes and newlines. */
static void add_attr(GString *s, const char *key, const char *val)
{
    g_string_append_printf(s, "A: %s=", key);
    for (const char *c = val; *c; c++) {
        if (*c == '\\')
            g_string_append(s, "\\\\");
        else if (*c == '\n')
            g_string_append(s, "\\n");
        else
            g_string_append_c(s, *c);
    }
    g_string_append_c(s, '\n');
}

static void put16(GByteArray *b, unsigned v)
{
    uint8_t le[2] = {(uint8_t)(v & 0xff), (uint8_t)(v >> 8)};
    g_byte_array_append(b, le, 2);
}

static void put(GByteArray *b, size_t n, const uint8_t *bytes)
{
    g_byte_array_append(b, bytes, (guint)n);
}

/* The raw descriptors the kernel exposes in the "descriptors" attribute: the device
 * descriptor followed by the configuration (USB 2.0 §9.6; CDC 1.2 §5.2.3 for the ACM
 * functional descriptors). Lets libusb list the device with its VID:PID. */
static GByteArray *descriptors(const struct ttysim_config *cfg)
{
    GByteArray *b = g_byte_array_new();
    bool acm = cfg->driver == TTYSIM_CDC_ACM;
    unsigned cls[3];
    uint8_t ifc = (uint8_t)cfg->ifnum;
    iface_class(cfg->driver, cls);

    /* Device: bcdUSB 2.00; class EF/02/01 (interface association) for a CDC function. */
    const uint8_t dev_head[] = {18, 1};
    put(b, 2, dev_head);
    put16(b, 0x0200);
    const uint8_t dev_class[] = {acm ? 0xef : 0, acm ? 0x02 : 0, acm ? 0x01 : 0, 64};
    put(b, 4, dev_class);
    put16(b, cfg->vid);
    put16(b, cfg->pid);
    put16(b, cfg->bcd_device ? cfg->bcd_device : 0x0100);
    const uint8_t dev_tail[] = {1, 2, 3, 1};
    put(b, 4, dev_tail);

    unsigned total = acm ? 75 : 32;
    const uint8_t cfg_head[] = {9, 2};
    put(b, 2, cfg_head);
    put16(b, total);
    const uint8_t cfg_tail[] = {acm ? 2 : 1, 1, 0, 0x80, 50};
    put(b, 5, cfg_tail);
    if (acm) {
        const uint8_t fn[] = {
            8, 0x0b, ifc, 2, 0x02, 0x02, 0x01, 0,           /* interface association */
            9, 4, ifc, 0, 1, 0x02, 0x02, 0x01, 0,           /* communication interface */
            5, 0x24, 0x00, 0x10, 0x01,                      /* CDC header, bcdCDC 1.10 */
            5, 0x24, 0x01, 0x00, (uint8_t)(ifc + 1),        /* call management */
            4, 0x24, 0x02, 0x02,                            /* ACM: line coding + state */
            5, 0x24, 0x06, ifc, (uint8_t)(ifc + 1),         /* union */
            7, 5, 0x81, 0x03, 8, 0, 16,                     /* notification IN */
            9, 4, (uint8_t)(ifc + 1), 0, 2, 0x0a, 0, 0, 0,  /* data interface */
            7, 5, 0x02, 0x02, 64, 0, 0,                     /* bulk OUT */
            7, 5, 0x82, 0x02, 64, 0, 0,                     /* bulk IN */
        };
        put(b, sizeof(fn), fn);
    } else {
        const uint8_t fn[] = {
            9, 4, ifc, 0, 2, (uint8_t)cls[0], (uint8_t)cls[1], (uint8_t)cls[2], 0,
            7, 5, 0x81, 0x02, 64, 0, 0,
            7, 5, 0x02, 0x02, 64, 0, 0,
        };
        put(b, sizeof(fn), fn);
    }
    return b;
}

static void describe_usb_device(GString *s, const struct ttysim_layout *l,
                                const struct ttysim_config *cfg)
{
    unsigned bus = bus_of(cfg);
    unsigned dev = cfg->devnum ? cfg->devnum : 100 + l->minor;
    unsigned bcd = cfg->bcd_device ? cfg->bcd_device : 0x0100;
    bool acm = cfg->driver == TTYSIM_CDC_ACM;
    char *name = g_path_get_basename(l->usb);
    const char *dash = strchr(name, '-');

    g_string_append_printf(s, "P: %s\n", l->usb + 4);
    g_string_append_printf(s, "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_device\nE: DRIVER=usb\n");
    g_string_append_printf(s, "E: PRODUCT=%x/%x/%x\n", cfg->vid, cfg->pid, bcd);
    g_string_append_printf(s, "E: TYPE=%u/%u/%u\n", acm ? 239 : 0, acm ? 2 : 0, acm ? 1 : 0);
    g_string_append_printf(s, "E: BUSNUM=%03u\nE: DEVNUM=%03u\n", bus, dev);
    g_string_append_printf(s, "A: idVendor=%04x\nA: idProduct=%04x\nA: bcdDevice=%04x\n",
                           cfg->vid, cfg->pid, bcd);
    g_string_append_printf(s, "A: busnum=%u\nA: devnum=%u\n", bus, dev);
    g_string_append_printf(s, "A: devpath=%s\n", dash ? dash + 1 : "1");
    g_string_append_printf(s, "A: speed=12\nA: version= 2.00\nA: bNumConfigurations=1\n");
    g_string_append_printf(s, "A: bConfigurationValue=1\nA: bNumInterfaces= %u\n", acm ? 2 : 1);
    g_string_append_printf(s, "A: bDeviceClass=%02x\nA: maxchild=0\n", acm ? 0xef : 0);
    if (cfg->manufacturer)
        add_attr(s, "manufacturer", cfg->manufacturer);
    if (cfg->product)
        add_attr(s, "product", cfg->product);
    if (cfg->serial)
        add_attr(s, "serial", cfg->serial);

    GByteArray *d = descriptors(cfg);
    g_string_append(s, "H: descriptors=");
    for (guint i = 0; i < d->len; i++)
        g_string_append_printf(s, "%02X", d->data[i]);
    g_string_append(s, "\n\n");
    g_byte_array_unref(d);
    g_free(name);
}

static void describe_interface(GString *s, const char *path, const struct ttysim_config *cfg,
                               unsigned ifnum, const unsigned cls[3])
{
    unsigned bcd = cfg->bcd_device ? cfg->bcd_device : 0x0100;
    g_string_append_printf(s, "P: %s\n", path + 4);
    g_string_append_printf(s, "E: SUBSYSTEM=usb\nE: DEVTYPE=usb_interface\nE: DRIVER=%s\n",
                           driver_module(cfg->driver));
    g_string_append_printf(s, "E: PRODUCT=%x/%x/%x\n", cfg->vid, cfg->pid, bcd);
    g_string_append_printf(s, "E: INTERFACE=%u/%u/%u\n", cls[0], cls[1], cls[2]);
    g_string_append_printf(s, "A: bInterfaceNumber=%02x\nA: bAlternateSetting= 0\n", ifnum);
    g_string_append_printf(s, "A: bInterfaceClass=%02x\nA: bInterfaceSubClass=%02x\n",
                           cls[0], cls[1]);
    g_string_append_printf(s, "A: bInterfaceProtocol=%02x\n\n", cls[2]);
}

char *ttysim_layout_describe(const struct ttysim_layout *l, const struct ttysim_config *cfg)
{
    GString *s = g_string_new(NULL);
    unsigned cls[3];
    iface_class(cfg->driver, cls);

    if (l->own_usb)
        describe_usb_device(s, l, cfg);
    describe_interface(s, l->iface, cfg, cfg->ifnum, cls);

    if (cfg->driver == TTYSIM_CDC_ACM) {
        /* The ACM data interface (class 0a), also bound to cdc_acm; no tty of its own. */
        static const unsigned data_cls[3] = {0x0a, 0x00, 0x00};
        describe_interface(s, l->data_iface, cfg, cfg->ifnum + 1, data_cls);
    } else {
        g_string_append_printf(s, "P: %s\nE: SUBSYSTEM=usb-serial\nE: DRIVER=%s\n"
                               "A: port_number=0\n\n",
                               l->serial_port + 4, driver_module(cfg->driver));
    }

    /* The tty itself. Its node is made by ttysim (a link to the pty), so no 'N:' line;
     * DEVNAME and dev let umockdev map the node to 166:n / 188:n. */
    g_string_append_printf(s, "P: %s\nE: SUBSYSTEM=tty\nE: DEVNAME=/dev/%s\n",
                           l->tty + 4, l->name);
    g_string_append_printf(s, "E: MAJOR=%u\nE: MINOR=%u\nA: dev=%u:%u\n",
                           l->major, l->minor, l->major, l->minor);
    /* "device" points from tty/<name> three levels up: to the interface (ACM) or to the
     * usb-serial port (bridges). */
    g_string_append_printf(s, "L: device=../../../%s\n\n",
                           cfg->driver == TTYSIM_CDC_ACM ? strrchr(l->iface, '/') + 1
                                                         : l->name);
    return g_string_free(s, FALSE);
}
