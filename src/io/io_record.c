/* io_record.c — see io_record.h.  One line is written (and flushed) per event, so a session
 * that dies still leaves every exchange up to its end in the file. */
#include "io/io_record.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <jansson.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A payload up to this size is kept as bytes even without --record-payloads: status answers,
 * setup data, ISP packets and SAM-BA replies, which --explain and the replay need; longer
 * ones (image blocks) are named by their hash only. */
#define IO_RECORD_SHORT_PAYLOAD 64

/* Devices whose descriptors were written, so a polling scan adds a line only when something
 * changed; and the devices of the last list, for arrivals and departures. */
#define IO_RECORD_MAX_DEVICES 64

static struct {
	FILE *f;
	FILE *scratch;             /* a scratch recording kept after its end, for io_record_save */
	bool payloads;
	int error;                 /* the first failed write, -errno */
	unsigned count;
	long long start_us;
	char path[4096];
	char described[IO_RECORD_MAX_DEVICES][48];  /* "bus-addr vid:pid bcd": descriptor written */
	char configured[IO_RECORD_MAX_DEVICES][48]; /* "bus-addr": configuration written */
	int ndescribed, nconfigured;
	char ports[IO_RECORD_MAX_DEVICES][48];      /* "name vid:pid": port line written */
	int nports;
	char present[IO_RECORD_MAX_DEVICES][16];
	int npresent;
	bool listed;
} rec;
static pthread_mutex_t rec_lock = PTHREAD_MUTEX_INITIALIZER;

bool io_recording(void)
{
	return rec.f != NULL;
}

unsigned io_record_count(void)
{
	return rec.count;
}

const char *io_record_path(void)
{
	return rec.f ? rec.path : NULL;
}

long long io_record_clock(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Write one line, rec_lock held; the object is consumed.  Exchange lines get their number
 * and time. */
static void emit_locked(json_t *o, bool exchange)
{
	if (rec.f) {
		if (exchange)
			json_object_set_new(o, "n", json_integer(++rec.count));
		json_object_set_new(o, "t_us", json_integer(io_record_clock() - rec.start_us));
		if (json_dumpf(o, rec.f, JSON_COMPACT | JSON_PRESERVE_ORDER) || fputc('\n', rec.f) == EOF ||
		    fflush(rec.f)) {
			if (!rec.error)
				rec.error = -(errno ? errno : EIO);
		}
	}
	json_decref(o);
}

static void emit(json_t *o, bool exchange)
{
	pthread_mutex_lock(&rec_lock);
	emit_locked(o, exchange);
	pthread_mutex_unlock(&rec_lock);
}

static void hex(const unsigned char *data, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[data[i] >> 4];
		out[2 * i + 1] = digits[data[i] & 15];
	}
	out[2 * len] = 0;
}

/* "sha256" always (nettle, FIPS 180-4), "data" (hex) when short or with --record-payloads. */
static void add_payload(json_t *o, const void *data, size_t len)
{
	if (!data || !len)
		return;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char digest_hex[2 * SHA256_DIGEST_SIZE + 1];
	struct sha256_ctx ctx;
	sha256_init(&ctx);
	sha256_update(&ctx, len, data);
	sha256_digest(&ctx, sizeof digest, digest);
	hex(digest, sizeof digest, digest_hex);
	json_object_set_new(o, "sha256", json_string(digest_hex));
	if (len > IO_RECORD_SHORT_PAYLOAD && !rec.payloads)
		return;
	char *text = malloc(2 * len + 1);
	if (!text)
		return;
	hex(data, len, text);
	json_object_set_new(o, "data", json_string(text));
	free(text);
}

static void dev_name(libusb_device *dev, char out[16])
{
	snprintf(out, 16, "%u-%u", dev ? libusb_get_bus_number(dev) : 0,
	         dev ? libusb_get_device_address(dev) : 0);
}

static json_t *usb_line(libusb_device *dev, const char *kind)
{
	char name[16];
	dev_name(dev, name);
	return json_pack("{s:s, s:s, s:s}", "bus", "usb", "dev", name, "kind", kind);
}

static int begin(FILE *f, const char *file, const struct io_record_header *h);

int io_record_start(const char *file, const struct io_record_header *h)
{
	int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		int e = errno;
		close(fd);
		return -e;
	}
	return begin(f, file, h);
}

int io_record_start_scratch(const struct io_record_header *h)
{
	FILE *f = tmpfile(); /* unnamed, mode 0600, gone when closed */
	if (!f)
		return -errno;
	return begin(f, NULL, h);
}

/* One recording at a time in a process: while one is being written (a wizard run of several
 * cameras records the first camera's worker), another start is -EBUSY and f is closed.  Under
 * rec_lock throughout, so that no thread emits into a recording being set up. */
static int begin(FILE *f, const char *file, const struct io_record_header *h)
{
	pthread_mutex_lock(&rec_lock);
	if (rec.f) {
		pthread_mutex_unlock(&rec_lock);
		fclose(f);
		return -EBUSY;
	}
	if (rec.scratch)
		fclose(rec.scratch);
	memset(&rec, 0, sizeof rec);
	if (!file)
		rec.scratch = f; /* kept after the end, for io_record_save */
	if (file && !realpath(file, rec.path))
		snprintf(rec.path, sizeof rec.path, "%s", file);
	rec.payloads = h->payloads;
	rec.start_us = io_record_clock();
	char date[32];
	time_t now = time(NULL);
	struct tm tm;
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
	json_t *args = json_array();
	for (int i = 1; i < h->argc; i++)
		json_array_append_new(args, json_string(h->argv[i]));
	json_t *o = json_pack("{s:s, s:i, s:s, s:s?, s:s?, s:s?, s:s, s:o, s:s}",
	                      "format", IO_RECORD_FORMAT, "version", IO_RECORD_VERSION,
	                      "program", h->program_version, "board", h->board, "action", h->action,
	                      "serial", h->serial, "date", date, "arguments", args,
	                      "payloads", h->payloads ? "all" : "short");
	rec.f = f;
	emit_locked(o, false);
	int r = rec.error;
	pthread_mutex_unlock(&rec_lock);
	return r;
}

void io_record_note(const char *text)
{
	if (io_recording())
		emit(json_pack("{s:s, s:s}", "kind", "note", "text", text ? text : ""), false);
}

void io_record_input(const char *slot, const char *file, unsigned long long size, const char *sha256_hex)
{
	if (!io_recording())
		return;
	const char *base = file ? strrchr(file, '/') : NULL;
	json_t *o = json_pack("{s:s, s:s, s:s}", "kind", "input", "slot", slot ? slot : "",
	                      "file", base ? base + 1 : file ? file : "");
	json_object_set_new(o, "size", json_integer((json_int_t)size));
	json_object_set_new(o, "sha256", sha256_hex ? json_string(sha256_hex) : json_null());
	emit(o, false);
}

int io_record_stop(int exit_status)
{
	if (!rec.f)
		return 0;
	emit(json_pack("{s:s, s:i, s:i}", "kind", "end", "exit_status", exit_status,
	               "exchanges", (int)rec.count), false);
	pthread_mutex_lock(&rec_lock);
	int r = rec.error;
	if (!rec.scratch && fclose(rec.f) && !r)
		r = -EIO;
	rec.f = NULL;
	pthread_mutex_unlock(&rec_lock);
	return r;
}

/* Copy the scratch recording into dir/openmv-rescue-YYYYmmdd-HHMMSS.jsonl, a new file. */
static int save_in(const char *dir, char *out, size_t n)
{
	char stamp[32], abs[PATH_MAX];
	time_t t = time(NULL);
	struct tm tm;
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime_r(&t, &tm));
	const char *base = realpath(dir, abs) ? abs : dir;
	int fd = -1;
	errno = EEXIST;
	/* a second save in the same second gets its own name: never over an older file */
	for (int k = 0; fd < 0 && errno == EEXIST && k < 100; k++) {
		if (k)
			snprintf(out, n, "%s/openmv-rescue-%s-%d.jsonl", base, stamp, k);
		else
			snprintf(out, n, "%s/openmv-rescue-%s.jsonl", base, stamp);
		fd = open(out, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	}
	if (fd < 0)
		return -errno;
	FILE *to = fdopen(fd, "w");
	if (!to) {
		close(fd);
		return -EIO;
	}
	char buf[8192];
	size_t got;
	rewind(rec.scratch);
	while ((got = fread(buf, 1, sizeof buf, rec.scratch)) > 0)
		fwrite(buf, 1, got, to);
	int bad = ferror(to) || ferror(rec.scratch);
	fseek(rec.scratch, 0, SEEK_END);
	return fclose(to) || bad ? -EIO : 0;
}

int io_record_save(char *out, size_t n)
{
	if (!rec.scratch || rec.f) {
		snprintf(out, n, "there is no finished recording to save");
		return -1;
	}
	int r = save_in(".", out, n);
	const char *home = getenv("HOME");
	if (r && home && home[0])
		r = save_in(home, out, n);
	if (r) {
		snprintf(out, n, "the recording could not be written (%s)", strerror(-r));
		return -1;
	}
	return 0;
}

void io_record_control(libusb_device_handle *h, uint8_t type, uint8_t request, uint16_t value,
                       uint16_t index, const unsigned char *data, uint16_t length, int result,
                       long long t0)
{
	json_t *o = usb_line(libusb_get_device(h), "control");
	bool in = type & LIBUSB_ENDPOINT_IN;
	json_object_set_new(o, "dir", json_string(in ? "in" : "out"));
	json_object_set_new(o, "type", json_integer(type));
	json_object_set_new(o, "request", json_integer(request));
	json_object_set_new(o, "value", json_integer(value));
	json_object_set_new(o, "index", json_integer(index));
	json_object_set_new(o, "length", json_integer(length));
	json_object_set_new(o, "status", json_integer(result));
	json_object_set_new(o, "us", json_integer(io_record_clock() - t0));
	/* OUT: what was sent (all of it, the transfer's outcome aside); IN: what came back */
	size_t n = in ? (result > 0 ? (size_t)result : 0) : length;
	add_payload(o, data, n);
	emit(o, true);
}

void io_record_transfer(libusb_device_handle *h, const char *kind, unsigned char endpoint,
                        const unsigned char *data, int length, int transferred, int result,
                        long long t0)
{
	json_t *o = usb_line(libusb_get_device(h), kind);
	bool in = endpoint & LIBUSB_ENDPOINT_IN;
	json_object_set_new(o, "dir", json_string(in ? "in" : "out"));
	json_object_set_new(o, "ep", json_integer(endpoint));
	json_object_set_new(o, "length", json_integer(length));
	json_object_set_new(o, "done", json_integer(transferred));
	json_object_set_new(o, "status", json_integer(result));
	json_object_set_new(o, "us", json_integer(io_record_clock() - t0));
	add_payload(o, data, (size_t)(in ? transferred : length));
	emit(o, true);
}

void io_record_string(libusb_device_handle *h, uint8_t index, const unsigned char *text, int result)
{
	json_t *o = usb_line(libusb_get_device(h), "string");
	json_object_set_new(o, "index", json_integer(index));
	json_object_set_new(o, "status", json_integer(result));
	if (result >= 0)
		json_object_set_new(o, "text", json_stringn((const char *)text, (size_t)result));
	emit(o, true);
}

void io_record_usb_op(libusb_device *dev, const char *what, const char *arg_name, int arg,
                      int alt, int result)
{
	json_t *o = usb_line(dev, what);
	if (arg_name)
		json_object_set_new(o, arg_name, json_integer(arg));
	if (alt >= 0)
		json_object_set_new(o, "alt", json_integer(alt));
	json_object_set_new(o, "status", json_integer(result));
	emit(o, true);
}

/* true the first time key is seen (then remembered). */
static bool first_time(char (*seen)[48], int *n, const char *key)
{
	bool found = false;
	pthread_mutex_lock(&rec_lock);
	for (int i = 0; i < *n && !found; i++)
		found = !strcmp(seen[i], key);
	if (!found && *n < IO_RECORD_MAX_DEVICES)
		snprintf(seen[(*n)++], sizeof seen[0], "%s", key);
	pthread_mutex_unlock(&rec_lock);
	return !found;
}

void io_record_device(libusb_device *dev, const struct libusb_device_descriptor *d)
{
	char name[16], key[48];
	dev_name(dev, name);
	snprintf(key, sizeof key, "%s %04x:%04x %04x", name, d->idVendor, d->idProduct, d->bcdDevice);
	if (!first_time(rec.described, &rec.ndescribed, key))
		return;
	json_t *o = usb_line(dev, "device");
	json_object_set_new(o, "vid", json_integer(d->idVendor));
	json_object_set_new(o, "pid", json_integer(d->idProduct));
	json_object_set_new(o, "bcdDevice", json_integer(d->bcdDevice));
	json_object_set_new(o, "bcdUSB", json_integer(d->bcdUSB));
	json_object_set_new(o, "class", json_integer(d->bDeviceClass));
	json_object_set_new(o, "subclass", json_integer(d->bDeviceSubClass));
	json_object_set_new(o, "protocol", json_integer(d->bDeviceProtocol));
	json_object_set_new(o, "max_packet", json_integer(d->bMaxPacketSize0));
	json_object_set_new(o, "strings", json_pack("[i,i,i]", d->iManufacturer, d->iProduct,
	                                            d->iSerialNumber));
	json_object_set_new(o, "configurations", json_integer(d->bNumConfigurations));
	emit(o, true);
}

static json_t *alt_json(const struct libusb_interface_descriptor *a)
{
	json_t *eps = json_array();
	for (int e = 0; e < a->bNumEndpoints; e++)
		json_array_append_new(eps, json_pack("{s:i, s:i, s:i, s:i}", "address",
		                                     a->endpoint[e].bEndpointAddress, "attributes",
		                                     a->endpoint[e].bmAttributes, "max_packet",
		                                     a->endpoint[e].wMaxPacketSize, "interval",
		                                     a->endpoint[e].bInterval));
	json_t *o = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:o}", "interface", a->bInterfaceNumber,
	                      "alt", a->bAlternateSetting, "class", a->bInterfaceClass,
	                      "subclass", a->bInterfaceSubClass, "protocol", a->bInterfaceProtocol,
	                      "string", a->iInterface, "endpoints", eps);
	if (a->extra_length > 0) {
		char *text = malloc(2 * (size_t)a->extra_length + 1);
		if (text) {
			hex(a->extra, (size_t)a->extra_length, text);
			json_object_set_new(o, "extra", json_string(text));
			free(text);
		}
	}
	return o;
}

void io_record_config(libusb_device *dev, const struct libusb_config_descriptor *c)
{
	char name[16];
	dev_name(dev, name);
	if (!first_time(rec.configured, &rec.nconfigured, name))
		return;
	json_t *alts = json_array();
	for (int i = 0; i < c->bNumInterfaces; i++)
		for (int a = 0; a < c->interface[i].num_altsetting; a++)
			json_array_append_new(alts, alt_json(&c->interface[i].altsetting[a]));
	json_t *o = usb_line(dev, "config");
	json_object_set_new(o, "value", json_integer(c->bConfigurationValue));
	json_object_set_new(o, "attributes", json_integer(c->bmAttributes));
	json_object_set_new(o, "max_power", json_integer(c->MaxPower));
	json_object_set_new(o, "alts", alts);
	emit(o, true);
}

void io_record_device_list(libusb_device **list, ssize_t n)
{
	char now[IO_RECORD_MAX_DEVICES][16];
	int nnow = 0;
	for (ssize_t i = 0; i < n && nnow < IO_RECORD_MAX_DEVICES; i++)
		dev_name(list[i], now[nnow++]);
	for (int i = 0; i < nnow; i++) {
		bool known = false;
		for (int j = 0; j < rec.npresent && !known; j++)
			known = !strcmp(now[i], rec.present[j]);
		if (!known) /* the first list: what was there at the start */
			emit(usb_line(list[i], rec.listed ? "arrival" : "present"), true);
	}
	for (int j = 0; j < rec.npresent; j++) {
		bool still = false;
		for (int i = 0; i < nnow && !still; i++)
			still = !strcmp(now[i], rec.present[j]);
		if (!still) {
			json_t *o = json_pack("{s:s, s:s, s:s}", "bus", "usb", "dev", rec.present[j],
			                      "kind", "departure");
			emit(o, true);
			/* its address may come back with another device: describe it again then */
			for (int k = 0; k < rec.nconfigured; k++)
				if (!strcmp(rec.configured[k], rec.present[j]))
					rec.configured[k][0] = 0;
			for (int k = 0; k < rec.ndescribed; k++)
				if (!strncmp(rec.described[k], rec.present[j], strlen(rec.present[j])) &&
				    rec.described[k][strlen(rec.present[j])] == ' ')
					rec.described[k][0] = 0;
		}
	}
	memcpy(rec.present, now, sizeof now[0] * (size_t)nnow);
	rec.npresent = nnow;
	rec.listed = true;
}

void io_record_port_list(struct sp_port **list)
{
	char now[IO_RECORD_MAX_DEVICES][48];
	int nnow = 0;
	for (int i = 0; list[i] && nnow < IO_RECORD_MAX_DEVICES; i++) {
		int vid = 0, pid = 0, bus = 0, address = 0;
		if (sp_get_port_transport(list[i]) != SP_TRANSPORT_USB ||
		    sp_get_port_usb_vid_pid(list[i], &vid, &pid) != SP_OK)
			continue;
		const char *name = sp_get_port_name(list[i]);
		snprintf(now[nnow++], sizeof now[0], "%s %04x:%04x", name, vid, pid);
		if (!first_time(rec.ports, &rec.nports, now[nnow - 1]))
			continue;
		sp_get_port_usb_bus_address(list[i], &bus, &address);
		const char *serial = sp_get_port_usb_serial(list[i]), *product = sp_get_port_usb_product(list[i]),
		           *maker = sp_get_port_usb_manufacturer(list[i]);
		char dev[16];
		snprintf(dev, sizeof dev, "%d-%d", bus, address);
		emit(json_pack("{s:s, s:s, s:s, s:s, s:i, s:i, s:s?, s:s?, s:s?}", "bus", "serial", "port", name,
		               "kind", "port", "dev", dev, "vid", vid, "pid", pid, "serial", serial,
		               "product", product, "manufacturer", maker), true);
	}
	/* a port that left the list is described again when it comes back */
	for (int k = 0; k < rec.nports; k++) {
		bool still = false;
		for (int i = 0; i < nnow && !still; i++)
			still = !strcmp(rec.ports[k], now[i]);
		if (!still)
			rec.ports[k][0] = 0;
	}
}

void io_record_serial(struct sp_port *port, const char *what, long arg, const void *data,
                      size_t len, int result, long long t0)
{
	const char *name = port ? sp_get_port_name(port) : NULL;
	json_t *o = json_pack("{s:s, s:s, s:s}", "bus", "serial", "port", name ? name : "",
	                      "kind", what);
	if (arg >= 0)
		json_object_set_new(o, !strcmp(what, "read") || !strcmp(what, "write") ? "length" : "arg",
		                    json_integer(arg));
	json_object_set_new(o, "status", json_integer(result));
	if (t0)
		json_object_set_new(o, "us", json_integer(io_record_clock() - t0));
	add_payload(o, data, len);
	emit(o, true);
}
