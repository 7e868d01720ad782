/* test_picoboot.c — the PICOBOOT module (src/proto/picoboot.c): packets against the hex
 * examples of reference dfu-dfuse-picoboot-samba.md §2.7, then whole sequences against the
 * RP2040 bootrom model of tests/sim/models (alignment, stalls and recovery, acks, batching,
 * verify, a vanishing device).  The few libusb functions picoboot.c calls are redirected to
 * the model at link time (-Wl,--wrap); the product code is unchanged.  End-to-end runs
 * through the real libusb are in the sim suite. */
#include <libusb.h>
#include <stdlib.h>
#include <string.h>

#include "../common/tap.h"
#include "../sim/models/rp2040_model.h"
#include "picoboot.h"

/* ---- the fake libusb handle: a model plus the descriptors it shows ---------------------- */

struct fake {
	struct rp2040_model *m;
	int layout;                      /* 0 RP2040 (MSC + PICOBOOT), 1 IN before OUT, 2 protocol 1 */
	unsigned clear_halts;
};

int __wrap_libusb_bulk_transfer(libusb_device_handle *h, unsigned char ep, unsigned char *data,
                                int len, int *done, unsigned int timeout);
int __wrap_libusb_bulk_transfer(libusb_device_handle *h, unsigned char ep, unsigned char *data,
                                int len, int *done, unsigned int timeout)
{
	(void)timeout;
	struct fake *f = (struct fake *)(void *)h;
	int r = ep & 0x80 ? rp2040_model_bulk_in(f->m, ep, data, (size_t)len)
	                  : rp2040_model_bulk_out(f->m, ep, data, (size_t)len);
	*done = r > 0 ? r : 0;
	return r >= 0 ? 0 : r == RP2040_STALL ? LIBUSB_ERROR_PIPE : r == RP2040_NAK ? LIBUSB_ERROR_TIMEOUT
	                                                                           : LIBUSB_ERROR_NO_DEVICE;
}

int __wrap_libusb_control_transfer(libusb_device_handle *h, uint8_t type, uint8_t req, uint16_t value,
                                   uint16_t index, unsigned char *data, uint16_t len, unsigned int timeout);
int __wrap_libusb_control_transfer(libusb_device_handle *h, uint8_t type, uint8_t req, uint16_t value,
                                   uint16_t index, unsigned char *data, uint16_t len, unsigned int timeout)
{
	(void)timeout;
	struct fake *f = (struct fake *)(void *)h;
	int r = rp2040_model_control(f->m, type, req, value, index, data, len);
	return r >= 0 ? r : r == RP2040_STALL ? LIBUSB_ERROR_PIPE : LIBUSB_ERROR_NO_DEVICE;
}

int __wrap_libusb_clear_halt(libusb_device_handle *h, unsigned char ep);
int __wrap_libusb_clear_halt(libusb_device_handle *h, unsigned char ep)
{
	struct fake *f = (struct fake *)(void *)h;
	f->clear_halts++;
	return rp2040_model_control(f->m, 0x02, 1, 0, ep, NULL, 0) == 0 ? 0 : LIBUSB_ERROR_NO_DEVICE;
}

libusb_device *__wrap_libusb_get_device(libusb_device_handle *h);
libusb_device *__wrap_libusb_get_device(libusb_device_handle *h)
{
	return (libusb_device *)(void *)h;
}

/* Descriptors of §2.1: interface 0 MSC (0x81 IN, 0x02 OUT), interface 1 PICOBOOT (0x03 OUT, 0x84 IN). */
struct fake_config {
	struct libusb_config_descriptor c;
	struct libusb_interface ifs[2];
	struct libusb_interface_descriptor alt[2];
	struct libusb_endpoint_descriptor ep[4];
};

int __wrap_libusb_get_active_config_descriptor(libusb_device *d, struct libusb_config_descriptor **out);
int __wrap_libusb_get_active_config_descriptor(libusb_device *d, struct libusb_config_descriptor **out)
{
	struct fake *f = (struct fake *)(void *)d;
	struct fake_config *fc = calloc(1, sizeof *fc);
	fc->c.bNumInterfaces = 2;
	fc->c.interface = fc->ifs;
	for (int i = 0; i < 2; i++) {
		fc->ifs[i].altsetting = &fc->alt[i];
		fc->ifs[i].num_altsetting = 1;
		fc->alt[i].bInterfaceNumber = (uint8_t)i;
		fc->alt[i].bNumEndpoints = 2;
		fc->alt[i].endpoint = &fc->ep[2 * i];
	}
	fc->alt[0].bInterfaceClass = 0x08;
	fc->alt[0].bInterfaceSubClass = 0x06;
	fc->alt[0].bInterfaceProtocol = 0x50;
	fc->alt[1].bInterfaceClass = 0xFF;
	fc->alt[1].bInterfaceProtocol = f->layout == 2 ? 1 : 0;
	uint8_t addrs[4] = {0x81, 0x02, RP2040_EP_OUT, RP2040_EP_IN};
	if (f->layout == 1) {
		addrs[2] = RP2040_EP_IN;
		addrs[3] = RP2040_EP_OUT;
	}
	for (int i = 0; i < 4; i++) {
		fc->ep[i].bEndpointAddress = addrs[i];
		fc->ep[i].bmAttributes = LIBUSB_TRANSFER_TYPE_BULK;
		fc->ep[i].wMaxPacketSize = 64;
	}
	*out = &fc->c;
	return 0;
}

void __wrap_libusb_free_config_descriptor(struct libusb_config_descriptor *c);
void __wrap_libusb_free_config_descriptor(struct libusb_config_descriptor *c)
{
	free(c); /* c is the first member of struct fake_config */
}

/* ---- helpers ------------------------------------------------------------------------------ */

static struct fake *fake_new(enum rp2040_fault fault, unsigned at)
{
	struct fake *f = calloc(1, sizeof *f);
	struct rp2040_model_config cfg = {.fault = fault, .fault_at = at};
	f->m = rp2040_model_new(&cfg);
	return f;
}

static void fake_free(struct fake *f)
{
	rp2040_model_free(f->m);
	free(f);
}

static int session(struct fake *f, struct picoboot *pb, struct rs_error *err)
{
	int intf;
	uint8_t out, in;
	int r = picoboot_find_interface((libusb_device_handle *)(void *)f, &intf, &out, &in, err);
	if (r)
		return r;
	if ((r = picoboot_open(pb, (libusb_device_handle *)(void *)f, intf, out, in, err)))
		return r;
	return picoboot_exclusive_access(pb, PICOBOOT_EXCLUSIVE, err);
}

static uint8_t pattern(uint32_t a)
{
	return (uint8_t)((a * 2654435761u) >> 13);
}

/* What the flash held before a load. */
static uint8_t old(uint32_t offset)
{
	return (uint8_t)(pattern(offset) ^ 0xFF);
}

static void add_range(struct uf2_image *img, uint32_t addr, uint32_t size)
{
	img->ranges = realloc(img->ranges, (img->n + 1) * sizeof *img->ranges);
	struct uf2_range *g = &img->ranges[img->n++];
	g->address = addr;
	g->size = size;
	g->data = malloc(size);
	for (uint32_t i = 0; i < size; i++)
		g->data[i] = pattern(addr + i);
	img->payload_bytes += size;
}

static bool flash_holds(struct rp2040_model *m, const struct uf2_image *img)
{
	const uint8_t *fl = rp2040_model_flash(m);
	for (size_t i = 0; i < img->n; i++)
		if (memcmp(fl + (img->ranges[i].address - RP2040_FLASH_BASE), img->ranges[i].data, img->ranges[i].size))
			return false;
	return true;
}

struct prog {
	uint64_t last, total;
	unsigned calls, stop_after;
};

static void on_report(void *ctx, uint64_t done, uint64_t total)
{
	struct prog *p = ctx;
	p->last = done;
	p->total = total;
	p->calls++;
}

static bool on_stop(void *ctx)
{
	struct prog *p = ctx;
	return p->stop_after && p->calls > p->stop_after;
}

/* ---- tests -------------------------------------------------------------------------------- */

static void test_packets(void)
{
	/* §2.7, computed examples */
	static const uint8_t excl[32] = {0x0b, 0xd1, 0x1f, 0x43, 0x01, 0, 0, 0, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0x01};
	static const uint8_t xip[32] = {0x0b, 0xd1, 0x1f, 0x43, 0x02, 0, 0, 0, 0x06, 0x00};
	static const uint8_t readm[32] = {0x0b, 0xd1, 0x1f, 0x43, 0x06, 0, 0, 0, 0x84, 0x08, 0, 0, 0x04, 0, 0, 0,
	                                  0x10, 0, 0, 0, 0x04, 0, 0, 0};
	static const uint8_t erase[32] = {0x0b, 0xd1, 0x1f, 0x43, 0x03, 0, 0, 0, 0x03, 0x08, 0, 0, 0, 0, 0, 0,
	                                  0, 0, 0, 0x10, 0, 0x10, 0, 0};
	static const uint8_t write[32] = {0x0b, 0xd1, 0x1f, 0x43, 0x04, 0, 0, 0, 0x05, 0x08, 0, 0, 0, 0x10, 0, 0,
	                                  0, 0, 0, 0x10, 0, 0x10, 0, 0};
	static const uint8_t reboot[32] = {0x0b, 0xd1, 0x1f, 0x43, 0x07, 0, 0, 0, 0x02, 0x0c, 0, 0, 0, 0, 0, 0,
	                                   0, 0, 0, 0, 0, 0x20, 0x04, 0x20, 0xf4, 0x01, 0, 0};
	uint8_t p[32], a[12];
	a[0] = 1;
	picoboot_encode(p, 1, PICOBOOT_EXCLUSIVE_ACCESS, 1, 0, a, 1);
	ok(!memcmp(p, excl, 32), "EXCLUSIVE(1) packet matches §2.7");
	picoboot_encode(p, 2, PICOBOOT_EXIT_XIP, 0, 0, NULL, 0);
	ok(!memcmp(p, xip, 32), "EXIT_XIP packet matches §2.7");
	uint8_t r8[8] = {0x10, 0, 0, 0, 4, 0, 0, 0};
	picoboot_encode(p, 6, PICOBOOT_READ, 8, 4, r8, 8);
	ok(!memcmp(p, readm, 32), "READ 0x10,4 packet matches §2.7 (id 0x84: IN data)");
	uint8_t e8[8] = {0, 0, 0, 0x10, 0, 0x10, 0, 0};
	picoboot_encode(p, 3, PICOBOOT_FLASH_ERASE, 8, 0, e8, 8);
	ok(!memcmp(p, erase, 32), "FLASH_ERASE 0x10000000,4096 packet matches §2.7");
	picoboot_encode(p, 4, PICOBOOT_WRITE, 8, 4096, e8, 8);
	ok(!memcmp(p, write, 32), "WRITE 4 KiB packet matches §2.7");
	uint8_t rb[12] = {0, 0, 0, 0, 0x00, 0x20, 0x04, 0x20, 0xf4, 0x01, 0, 0};
	memcpy(a, rb, 12);
	picoboot_encode(p, 7, PICOBOOT_REBOOT, 12, 0, a, 12);
	ok(!memcmp(p, reboot, 32), "REBOOT(0, 0x20042000, 500) packet matches §2.7");
	static const uint8_t status[16] = {0x07, 0, 0, 0, 0, 0, 0, 0, 0x02};
	struct picoboot_status st;
	picoboot_decode_status(status, &st);
	ok(st.token == 7 && st.code == 0 && st.cmd_id == 2 && st.in_progress == 0, "CMD_STATUS reply of §2.7 decodes");
	ok(!strcmp(picoboot_status_name(5), "bad address alignment") && !strcmp(picoboot_status_name(4), "invalid address")
	   && strstr(picoboot_status_name(99), "unknown"), "status codes have names");
}

static void test_interface(void)
{
	struct fake *f = fake_new(RP2040_FAULT_NONE, 0);
	struct rs_error err = {0};
	int intf = -1;
	uint8_t out = 0, in = 0;
	int r = picoboot_find_interface((libusb_device_handle *)(void *)f, &intf, &out, &in, &err);
	ok(r == 0 && intf == 1 && out == 0x03 && in == 0x84, "PICOBOOT is interface 1 with 0x03 OUT, 0x84 IN");
	f->layout = 1;
	r = picoboot_find_interface((libusb_device_handle *)(void *)f, &intf, &out, &in, &err);
	ok(r == RS_E_NOT_FOUND, "endpoints IN before OUT are not PICOBOOT (§2.1)");
	f->layout = 2;
	r = picoboot_find_interface((libusb_device_handle *)(void *)f, &intf, &out, &in, &err);
	ok(r == RS_E_NOT_FOUND && strstr(err.msg, "no PICOBOOT interface"), "protocol 1 is the reset interface, not PICOBOOT");
	fake_free(f);
}

static void test_identify_and_errors(void)
{
	struct fake *f = fake_new(RP2040_FAULT_NONE, 0);
	struct picoboot pb;
	struct rs_error err = {0};
	unsigned rom = 0;
	ok(session(f, &pb, &err) == 0 && picoboot_identify(&pb, &rom, &err) == 0 && rom == 3,
	   "RP2040 recognised by its ROM magic, version 3 (B2) (%s)", err.msg);
	struct rp2040_model_stats st;
	rp2040_model_get_stats(f->m, &st);
	ok(st.exclusive == 1 && st.if_resets == 1 && st.one_byte_acks == 2,
	   "session: IF_RESET, EXCLUSIVE(1), each READ acked with one byte as picotool does");

	uint8_t page[256];
	memset(page, 0x11, sizeof page);
	int r = picoboot_write(&pb, 0x10000080, page, 256, &err);
	ok(r == RS_E_DEVICE && strstr(err.msg, "bad address alignment (status 5)"),
	   "unaligned flash WRITE refused with the bootrom's reason: %s", err.msg);
	r = picoboot_flash_erase(&pb, 0x10000100, 4096, &err);
	ok(r == RS_E_DEVICE && strstr(err.msg, "bad address alignment"), "unaligned FLASH_ERASE refused: %s", err.msg);
	r = picoboot_write(&pb, 0x00001000, page, 256, &err);
	ok(r == RS_E_DEVICE && strstr(err.msg, "invalid address (status 4)"), "WRITE to ROM refused: %s", err.msg);
	rp2040_model_get_stats(f->m, &st);
	uint8_t back[256];
	r = picoboot_exit_xip(&pb, &err);
	if (!r)
		r = picoboot_flash_erase(&pb, 0x10000000, 4096, &err);
	if (!r)
		r = picoboot_write(&pb, 0x10000000, page, 256, &err);
	if (!r)
		r = picoboot_read(&pb, 0x10000000, back, 256, &err);
	ok(r == 0 && !memcmp(back, page, 256) && st.if_resets >= 4,
	   "after each refusal IF_RESET makes the interface usable again (%s)", err.msg);
	r = picoboot_reboot(&pb, 0, PICOBOOT_SRAM_END, 500, &err);
	rp2040_model_get_stats(f->m, &st);
	ok(r == 0 && st.reboots == 1 && st.reboot_pc == 0 && st.reboot_sp == 0x20042000 && st.reboot_delay == 500,
	   "REBOOT asks for a flash boot with SP 0x20042000 after 500 ms");
	fake_free(f);

	f = fake_new(RP2040_FAULT_NOT_RP2040, 0);
	ok(session(f, &pb, &err) == 0 && picoboot_identify(&pb, &rom, &err) == RS_E_PROTOCOL &&
	   strstr(err.msg, "not an RP2040"), "a ROM without the RP2040 magic is refused: %s", err.msg);
	fake_free(f);
}

static void test_load(void)
{
	struct fake *f = fake_new(RP2040_FAULT_NONE, 0);
	uint8_t *fl = rp2040_model_flash(f->m);
	for (uint32_t i = 0; i < RP2040_FLASH_SIZE; i++) /* old contents everywhere */
		fl[i] = old(i);
	struct uf2_image img = {0};
	add_range(&img, 0x10000000, 300 * 1024 + 512); /* 76 sectors, the last one partly */
	add_range(&img, 0x1004B800, 256);              /* shares that last sector */
	add_range(&img, 0x10100000, 1024);
	struct picoboot pb;
	struct rs_error err = {0};
	struct prog pg = {0};
	struct rs_progress pr = {on_report, on_stop, &pg};
	int r = session(f, &pb, &err);
	if (!r)
		r = picoboot_load_flash(&pb, &img, &pr, &err);
	ok(r == 0, "three ranges load (%s)", err.msg);
	ok(flash_holds(f->m, &img), "flash holds every range");
	struct rp2040_model_stats st;
	rp2040_model_get_stats(f->m, &st);
	ok(!st.programmed_unerased, "every page was erased before it was written");
	ok(st.max_erase_size <= PICOBOOT_ERASE_BATCH_SECTORS * 4096 && st.erases == 6,
	   "erased in batches of at most 64 KiB: %u erases, largest %u bytes", st.erases, st.max_erase_size);
	ok(st.exit_xips >= st.erases, "EXIT_XIP before every erase (%u for %u)", st.exit_xips, st.erases);
	bool outside = fl[0x4C000] == old(0x4C000) && fl[0x4D000] == old(0x4D000) &&
	               fl[0x101000] == old(0x101000) && fl[RP2040_FLASH_SIZE - 1] == old(RP2040_FLASH_SIZE - 1);
	ok(outside, "sectors the image does not touch keep their contents");
	ok(fl[0x4B000 + 0x600] == 0 && fl[0x100400] == 0 && fl[0x100FFF] == 0,
	   "the rest of a touched sector is zero, as picotool pads it (picotool main.cpp load)");
	ok(pg.last == img.payload_bytes && pg.total == img.payload_bytes && pg.calls >= 6,
	   "progress reaches %llu of %llu bytes in %u reports", (unsigned long long)pg.last,
	   (unsigned long long)pg.total, pg.calls);
	fake_free(f);

	f = fake_new(RP2040_FAULT_NONE, 0);
	pg = (struct prog){.stop_after = 2};
	r = session(f, &pb, &err);
	if (!r)
		r = picoboot_load_flash(&pb, &img, &pr, &err);
	ok(r == RS_E_CANCELLED && strstr(err.msg, "incomplete"), "a stop request ends the load between batches: %s", err.msg);
	fake_free(f);

	f = fake_new(RP2040_FAULT_VANISH_AT_WRITE, 2);
	r = session(f, &pb, &err);
	if (!r)
		r = picoboot_load_flash(&pb, &img, NULL, &err);
	ok(r == RS_E_GONE && strstr(err.msg, "disconnected"), "a device leaving mid-load: %s", err.msg);
	fake_free(f);

	f = fake_new(RP2040_FAULT_CORRUPT_WRITE, 3);
	r = session(f, &pb, &err);
	if (!r)
		r = picoboot_load_flash(&pb, &img, NULL, &err);
	ok(r == RS_E_VERIFY && strstr(err.msg, "1 of"), "a wrong bit in flash is caught by the read-back: %s", err.msg);
	fake_free(f);

	f = fake_new(RP2040_FAULT_BAD_ACK, 4);
	r = session(f, &pb, &err);
	if (!r)
		r = picoboot_load_flash(&pb, &img, NULL, &err);
	ok(r == RS_E_PROTOCOL && strstr(err.msg, "acknowledged with data"), "an ack carrying data is refused: %s", err.msg);
	fake_free(f);

	struct uf2_image ram = {0};
	add_range(&ram, 0x20000000, 256);
	f = fake_new(RP2040_FAULT_NONE, 0);
	r = session(f, &pb, &err);
	if (!r)
		r = picoboot_load_flash(&pb, &ram, NULL, &err);
	ok(r == RS_E_INPUT && strstr(err.msg, "outside the flash's address window"), "a RAM range is refused: %s", err.msg);
	fake_free(f);
	uf2_image_free(&ram);
	uf2_image_free(&img);
}

/* Delta mode on the same three ranges: after a full load, a changed image byte and a changed
 * byte in a hole (a full load leaves zeros there) make two sectors differ; only those are
 * erased and written, and the flash ends as after the full load.  verify's compare counts
 * only the image's bytes. */
static void test_load_delta(void)
{
	struct fake *f = fake_new(RP2040_FAULT_NONE, 0);
	uint8_t *fl = rp2040_model_flash(f->m);
	struct uf2_image img = {0};
	add_range(&img, 0x10000000, 300 * 1024 + 512);
	add_range(&img, 0x1004B800, 256);
	add_range(&img, 0x10100000, 1024);
	struct picoboot pb;
	struct rs_error err = {0};
	struct picoboot_load_result res;
	int r = session(f, &pb, &err);
	if (!r)
		r = picoboot_load_flash(&pb, &img, NULL, &err);
	uint8_t *after = malloc(RP2040_FLASH_SIZE);
	memcpy(after, fl, RP2040_FLASH_SIZE);
	fl[0x20010] ^= 0x01;  /* an image byte in sector 0x20 */
	fl[0x4B400] = 0x5A;   /* the hole between the first two ranges, sector 0x4B */
	struct rp2040_model_stats before, st;
	rp2040_model_get_stats(f->m, &before);
	struct picoboot_compare c;
	if (!r)
		r = picoboot_compare_flash(&pb, &img, NULL, &c, &err);
	ok(r == 0 && c.differ && c.first_differ == 0x10020010 && c.sectors_differ == 1 && c.sectors == 77,
	   "compare: first difference 0x%08X, %u of %u sectors (the hole is not the image's)",
	   (unsigned)c.first_differ, c.sectors_differ, c.sectors);
	if (!r)
		r = picoboot_load_flash_delta(&pb, &img, true, NULL, &res, &err);
	rp2040_model_get_stats(f->m, &st);
	ok(r == 0 && res.sectors == 77 && res.sectors_same == 75, "delta: %u of %u sectors left alone (%s)",
	   res.sectors_same, res.sectors, err.msg);
	ok(st.erases - before.erases == 2 && st.max_erase_size <= PICOBOOT_ERASE_BATCH_SECTORS * 4096,
	   "only the two differing sectors erased (%u erases)", st.erases - before.erases);
	ok(res.bytes_written == 4096 + 0x200 + 256 && res.bytes_written + res.bytes_left_alone == img.payload_bytes,
	   "image bytes written %llu, left alone %llu", (unsigned long long)res.bytes_written,
	   (unsigned long long)res.bytes_left_alone);
	ok(!memcmp(fl, after, RP2040_FLASH_SIZE) && !st.programmed_unerased,
	   "the flash byte for byte as after the full load, nothing programmed unerased");
	if (!r)
		r = picoboot_compare_flash(&pb, &img, NULL, &c, &err);
	ok(r == 0 && !c.differ && c.sectors_differ == 0, "compare afterwards: equal");
	free(after);
	fake_free(f);
	uf2_image_free(&img);
}

/* Delta mode's reads: over a flash that differs everywhere each sector costs one READ of its
 * first 64 bytes (the probe) beside what a full load reads back after writing; over a flash
 * that holds the image, one probe and then one READ a batch (16 sectors, then 4). */
static void test_delta_probes(void)
{
	struct uf2_image img = {0};
	add_range(&img, 0x10000000, 20 * 4096);
	struct fake *full = fake_new(RP2040_FAULT_NONE, 0), *f = fake_new(RP2040_FAULT_NONE, 0);
	struct picoboot pb, pf;
	struct rs_error err = {0};
	struct picoboot_load_result res;
	struct rp2040_model_stats s0, s1, d0, d1, e1;
	int r = session(full, &pf, &err);
	if (!r)
		r = session(f, &pb, &err);
	rp2040_model_get_stats(full->m, &s0);
	if (!r)
		r = picoboot_load_flash(&pf, &img, NULL, &err);
	rp2040_model_get_stats(full->m, &s1);
	rp2040_model_get_stats(f->m, &d0);
	if (!r)
		r = picoboot_load_flash_delta(&pb, &img, true, NULL, &res, &err);
	rp2040_model_get_stats(f->m, &d1);
	ok(r == 0 && flash_holds(f->m, &img) && res.sectors_same == 0 &&
	   d1.reads - d0.reads == s1.reads - s0.reads + 20,
	   "delta over a flash that differs everywhere: one probe READ a sector more than a full load "
	   "(%u reads, full %u; %s)", d1.reads - d0.reads, s1.reads - s0.reads, err.msg);
	if (!r)
		r = picoboot_load_flash_delta(&pb, &img, true, NULL, &res, &err);
	rp2040_model_get_stats(f->m, &e1);
	ok(r == 0 && res.sectors_same == 20 && e1.erases == d1.erases && e1.reads - d1.reads == 3,
	   "delta over the same image: one probe, then one READ a batch, nothing erased (%u reads)",
	   e1.reads - d1.reads);
	fake_free(full);
	fake_free(f);
	uf2_image_free(&img);
}

int main(void)
{
	test_packets();
	test_interface();
	test_identify_and_errors();
	test_load();
	test_load_delta();
	test_delta_probes();
	return tap_done();
}
