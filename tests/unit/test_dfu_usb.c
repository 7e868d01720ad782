/* test_dfu_usb.c — plain DFU 1.1 (src/proto/dfu.c, dfu_desc.c, dfu_load.c) against the
 * in-process fake device of test_dfu_fake.c: request order, polling, timing, error texts. */
#include "dfu.h"
#include "test_dfu_fake.h"
#include "../common/tap.h"

#include <stdlib.h>
#include <string.h>

static uint8_t *pattern(size_t len)
{
	uint8_t *p = malloc(len);
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 7 + (i >> 8));
	return p;
}

static void test_names_and_status(void)
{
	tap_ok(strcmp(dfu_state_name(DFU_STATE_DNBUSY), "dfuDNBUSY") == 0 &&
	       strcmp(dfu_state_name(10), "dfuERROR") == 0 && strcmp(dfu_state_name(11), "INVALID") == 0,
	       "state names: 4 dfuDNBUSY, 10 dfuERROR, 11 INVALID");
	tap_ok(strcmp(dfu_status_name(8), "errADDRESS") == 0 &&
	       strcmp(dfu_status_meaning(8), "address out of range") == 0 &&
	       strcmp(dfu_status_name(0x10), "INVALID") == 0,
	       "status names: 8 errADDRESS (address out of range), 0x10 INVALID");

	struct dfu_status st;
	const uint8_t reply[6] = { 0x00, 0xE8, 0x03, 0x01, 0x04, 0x07 };
	tap_ok(dfu_parse_status(reply, 6, &st, NULL) == RS_OK && st.poll_timeout_ms == 0x0103E8 &&
	       st.state == 4 && st.status == 0 && st.istring == 7,
	       "GETSTATUS reply: bwPollTimeout is 24-bit little-endian (E8 03 01 = 66536 ms)");
	struct rs_error err = { 0 };
	tap_ok(dfu_parse_status(reply, 5, &st, &err) == RS_E_PROTOCOL &&
	       strstr(err.msg, "garbage status"), "a 5-byte status is \"garbage status\"");
}

static void test_usb_error_map(void)
{
	struct rs_error err = { 0 };
	tap_ok(dfu_usb_error(LIBUSB_ERROR_NO_DEVICE, "DNLOAD", &err) == RS_E_GONE &&
	       dfu_usb_error(LIBUSB_ERROR_TIMEOUT, "DNLOAD", &err) == RS_E_TIMEOUT &&
	       dfu_usb_error(LIBUSB_ERROR_ACCESS, "DNLOAD", &err) == RS_E_ACCESS &&
	       dfu_usb_error(LIBUSB_ERROR_IO, "DNLOAD", &err) == RS_E_IO,
	       "libusb NO_DEVICE/TIMEOUT/ACCESS/IO map to GONE/TIMEOUT/ACCESS/IO");
	tap_ok(dfu_usb_error(LIBUSB_ERROR_PIPE, "DNLOAD", &err) == RS_E_PROTOCOL &&
	       strcmp(err.msg, "the device stalled the DNLOAD request") == 0,
	       "libusb PIPE is a stall: %s", err.msg);
}

static void test_func_desc(void)
{
	/* §1.13: the ST ROM's descriptor, after an unrelated 4-byte descriptor. */
	const uint8_t extra[] = { 4, 0x24, 0, 0, 9, 0x21, 0x0B, 0xFF, 0x00, 0x00, 0x08, 0x1A, 0x01 };
	struct dfu_func_desc d;
	tap_ok(dfu_parse_func_desc(extra, sizeof extra, &d) && d.attributes == 0x0B &&
	       d.detach_timeout_ms == 255 && d.transfer_size == 2048 && d.bcd_dfu == 0x011A,
	       "ST functional descriptor: attributes 0x0B, detach 255 ms, 2048 bytes, DfuSe");
	const uint8_t dfu10[] = { 7, 0x21, 0x07, 0xE8, 0x03, 0x00, 0x10 };
	tap_ok(dfu_parse_func_desc(dfu10, sizeof dfu10, &d) && d.transfer_size == 4096 &&
	       d.bcd_dfu == 0x0100, "a 7-byte descriptor is DFU 1.0 with its transfer size");
	tap_ok(!dfu_parse_func_desc(extra, 12, &d) && !dfu_parse_func_desc(dfu10, 6, &d),
	       "a descriptor cut short is not read past the end");
	const uint8_t zero_len[] = { 0, 0x21, 0, 0 };
	tap_ok(!dfu_parse_func_desc(zero_len, sizeof zero_len, &d),
	       "a zero bLength ends the walk instead of looping");

	/* Interface 0 with 3 DFU alts; the descriptor hangs off the last one (§1.4). */
	struct libusb_interface_descriptor alts[3];
	memset(alts, 0, sizeof alts);
	for (int i = 0; i < 3; i++) {
		alts[i].bInterfaceNumber = 0;
		alts[i].bAlternateSetting = (uint8_t)i;
		alts[i].bInterfaceClass = 0xFE;
		alts[i].bInterfaceSubClass = 0x01;
		alts[i].bInterfaceProtocol = 2;
		alts[i].iInterface = (uint8_t)(4 + i);
	}
	alts[2].extra = extra;
	alts[2].extra_length = sizeof extra;
	alts[1].iInterface = 0;
	struct libusb_interface iface = { .altsetting = alts, .num_altsetting = 3 };
	struct libusb_config_descriptor cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.bNumInterfaces = 1;
	cfg.interface = &iface;
	struct rs_error err = { 0 };
	tap_ok(dfu_find_func_desc(&cfg, 0, &d, &err) == RS_OK && d.transfer_size == 2048,
	       "the descriptor is found in the last altsetting's extra bytes");
	tap_ok(dfu_find_func_desc(&cfg, 1, &d, &err) == RS_E_PROTOCOL,
	       "interface 1 does not exist: no descriptor (%s)", err.msg);

	struct fake_dev f;
	fake_init_plain(&f, 4096, 16, 0);
	fake_strings[4] = "BOOTLOADER";
	fake_strings[6] = "FIRMWARE";
	struct dfu_alt list[4];
	size_t n = 0;
	int rc = dfu_list_alts(fake_handle(&f), &cfg, 0, list, 4, &n, &err);
	tap_ok(rc == RS_OK && n == 3 && list[0].alt == 0 && strcmp(list[0].name, "BOOTLOADER") == 0 &&
	       strcmp(list[1].name, "UNKNOWN") == 0 && strcmp(list[2].name, "FIRMWARE") == 0,
	       "alt list: names from iInterface, \"UNKNOWN\" when missing, ascending");
	f.gone = true;
	tap_ok(dfu_list_alts(fake_handle(&f), &cfg, 0, list, 4, &n, &err) == RS_E_GONE,
	       "listing a vanished device gives RS_E_GONE");
	fake_free(&f);
}

static void test_prepare(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	fake_init_plain(&f, 4096, 16, 0);
	f.state = DFU_STATE_ERROR;
	f.status = DFU_STATUS_ERR_FIRMWARE;
	int rc = dfu_prepare(fake_handle(&f), 0, 2, &err);
	tap_ok(rc == RS_OK && f.alt == 2 && strcmp(f.log, "ALT2 GS CLR GS ") == 0,
	       "prepare from dfuERROR: SET_INTERFACE, GETSTATUS, CLRSTATUS, GETSTATUS (%s)", f.log);
	fake_free(&f);

	fake_init_plain(&f, 4096, 16, 0);
	f.state = DFU_STATE_UPLOAD_IDLE;
	rc = dfu_prepare(fake_handle(&f), 0, 1, &err);
	tap_ok(rc == RS_OK && strcmp(f.log, "ALT1 GS ABORT GS ") == 0,
	       "prepare from dfuUPLOAD-IDLE sends ABORT (%s)", f.log);
	fake_free(&f);

	fake_init_plain(&f, 4096, 16, 0);
	f.state = DFU_STATE_APP_IDLE;
	rc = dfu_prepare(fake_handle(&f), 0, 1, &err);
	tap_ok(rc == RS_E_PROTOCOL && strstr(err.msg, "still in run-time mode"),
	       "prepare on a run-time device: %s", err.msg);
	fake_free(&f);

	fake_init_plain(&f, 4096, 16, 0);
	f.gone = true;
	rc = dfu_prepare(fake_handle(&f), 0, 1, &err);
	tap_ok(rc == RS_E_GONE, "prepare on a vanished device is RS_E_GONE (%s)", err.msg);
	fake_free(&f);
}

static void test_download(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	size_t len = 3 * 4096 + 100;
	uint8_t *img = pattern(len);

	fake_init_plain(&f, 4096, 64 * 1024, 0);
	int rc = dfu_download(fake_handle(&f), 0, 4096, img, len, false, NULL, &err);
	tap_ok(rc == RS_OK && memcmp(f.mem, img, len) == 0, "4 blocks land at block * 4096 (%s)",
	       err.msg);
	tap_ok(strcmp(f.log, "DN0:4096 GS DN1:4096 GS DN2:4096 GS DN3:100 GS DN4:0 GS GS ") == 0,
	       "an idle device costs one GETSTATUS per block; end = zero-length block 4 (%s)", f.log);
	tap_ok(f.n_reset == 0 && f.n_detach == 0, "no reset unless asked");
	fake_free(&f);

	/* Busy once per block with 40 ms: the host sleeps exactly that, 4 times. */
	fake_init_plain(&f, 4096, 64 * 1024, 0);
	f.busy_replies = 1;
	f.busy_poll_ms = 40;
	uint64_t t0 = dfu_now_ms();
	rc = dfu_download(fake_handle(&f), 0, 4096, img, len, false, NULL, &err);
	uint64_t took = dfu_now_ms() - t0;
	tap_ok(rc == RS_OK && f.n_getstatus == 4 * 2 + 2 && took >= 160 && took < 2000,
	       "busy blocks: 2 GETSTATUS each and 4 sleeps of 40 ms (took %llu ms)",
	       (unsigned long long)took);
	fake_free(&f);

	fake_init_plain(&f, 4096, 64 * 1024, 0);
	f.vanish_on_detach = true;
	f.reset_rc = LIBUSB_ERROR_NOT_FOUND;
	rc = dfu_download(fake_handle(&f), 0, 4096, img, len, true, NULL, &err);
	tap_ok(rc == RS_OK && fake_logged(&f, "DN4:0 GS GS DETACH RESET "),
	       "reset after: DETACH then USB reset; a vanished device is success (%s)", f.log);
	fake_free(&f);

	fake_init_plain(&f, 4096, 64 * 1024, 0);
	f.manifestation_tolerant = false;
	rc = dfu_download(fake_handle(&f), 0, 4096, img, len, false, NULL, &err);
	tap_ok(rc == RS_OK && f.n_reset == 1 && f.n_detach == 0,
	       "dfuMANIFEST-WAIT-RESET gets a USB reset even when not asked (%s)", err.msg);
	fake_free(&f);
	free(img);
}

static void test_download_errors(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	size_t len = 512 * 64;
	uint8_t *img = pattern(len);

	fake_init_plain(&f, 64, 37 * 64, 0);
	int rc = dfu_download(fake_handle(&f), 0, 64, img, len, false, NULL, &err);
	tap_ok(rc == RS_E_DEVICE && strcmp(err.msg, "the camera reported errADDRESS (address out "
					   "of range) at block 37 of 512") == 0,
	       "partition full at block 37: \"%s\"", err.msg);
	fake_free(&f);

	size_t len900 = 900 * 64;
	uint8_t *img900 = pattern(len900);
	fake_init_plain(&f, 64, len900, 0);
	f.gone_block = 312;
	rc = dfu_download(fake_handle(&f), 0, 64, img900, len900, false, NULL, &err);
	tap_ok(rc == RS_E_GONE && strcmp(err.msg, "the camera disconnected during DNLOAD at block "
					 "312 of 900") == 0, "unplugged: \"%s\"", err.msg);
	fake_free(&f);
	free(img900);

	fake_init_plain(&f, 64, len, 0);
	f.stall_block = 5;
	rc = dfu_download(fake_handle(&f), 0, 64, img, len, false, NULL, &err);
	tap_ok(rc == RS_E_PROTOCOL && strcmp(err.msg, "the device stalled the DNLOAD request at "
					     "block 5 of 512") == 0, "stall: \"%s\"", err.msg);
	fake_free(&f);

	fake_init_plain(&f, 64, len, 0);
	f.fail_block = 3;
	f.fail_status = DFU_STATUS_ERR_WRITE;
	rc = dfu_download(fake_handle(&f), 0, 64, img, len, false, NULL, &err);
	tap_ok(rc == RS_E_DEVICE && strstr(err.msg, "errWRITE") && strstr(err.msg, "block 3 of 512"),
	       "read-only partition: \"%s\"", err.msg);
	fake_free(&f);

	fake_init_plain(&f, 64, len, 0);
	f.garbage_len = 3;
	rc = dfu_download(fake_handle(&f), 0, 64, img, len, false, NULL, &err);
	tap_ok(rc == RS_E_PROTOCOL && strstr(err.msg, "garbage status") &&
	       strstr(err.msg, "block 0 of 512"), "3-byte status: \"%s\"", err.msg);
	fake_free(&f);

	/* A device that asks for more time than the deadline fails at once, never hangs. */
	fake_init_plain(&f, 64, len, 0);
	f.forever_busy = true;
	f.busy_poll_ms = DFU_BLOCK_DEADLINE_MS + 1000;
	uint64_t t0 = dfu_now_ms();
	rc = dfu_download(fake_handle(&f), 0, 64, img, len, false, NULL, &err);
	tap_ok(rc == RS_E_TIMEOUT && dfu_now_ms() - t0 < 1000 && strstr(err.msg, "dfuDNBUSY"),
	       "a poll timeout beyond the deadline: RS_E_TIMEOUT at once (%s)", err.msg);
	fake_free(&f);

	/* A device that stays busy with short polls: the wait ends at its deadline. */
	fake_init_plain(&f, 64, len, 0);
	f.forever_busy = true;
	f.busy_poll_ms = 30;
	dfu_req_dnload(fake_handle(&f), 0, 0, img, 64, NULL);
	struct dfu_status st;
	t0 = dfu_now_ms();
	rc = dfu_wait_while_busy(fake_handle(&f), 0, DFU_BUSY_DNLOAD, NULL, 200, &st, &err);
	uint64_t took = dfu_now_ms() - t0;
	tap_ok(rc == RS_E_TIMEOUT && took >= 150 && took <= 2000 && f.n_getstatus >= 2 &&
	       f.n_getstatus <= 8, "dfuDNBUSY forever: RS_E_TIMEOUT after %llu ms, %u polls",
	       (unsigned long long)took, f.n_getstatus);
	fake_free(&f);

	tap_ok(dfu_download(NULL, 0, 0, img, len, false, NULL, &err) == RS_E_INPUT &&
	       dfu_download(NULL, 0, 64, img, 0, false, NULL, &err) == RS_E_INPUT &&
	       dfu_download(NULL, 0, 1, img, 70000, false, NULL, &err) == RS_E_INPUT,
	       "zero transfer size, empty image and > 65535 blocks are refused before sending");
	free(img);
}

struct stopper {
	unsigned reports, stop_after;
	uint64_t last_done, last_total;
};

static void on_report(void *ctx, uint64_t done, uint64_t total)
{
	struct stopper *s = ctx;
	s->reports++;
	s->last_done = done;
	s->last_total = total;
}

static bool on_should_stop(void *ctx)
{
	struct stopper *s = ctx;
	return s->stop_after && s->reports > s->stop_after;
}

static void test_progress_and_cancel(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	size_t len = 10 * 4096;
	uint8_t *img = pattern(len);
	struct stopper s = { 0 };
	struct rs_progress p = { on_report, on_should_stop, &s };

	fake_init_plain(&f, 4096, len, 0);
	int rc = dfu_download(fake_handle(&f), 0, 4096, img, len, false, &p, &err);
	tap_ok(rc == RS_OK && s.reports == 11 && s.last_done == len && s.last_total == len,
	       "progress: one report before and one per block, ending at %zu of %zu", len, len);
	fake_free(&f);

	fake_init_plain(&f, 4096, len, 0);
	s = (struct stopper){ .stop_after = 3 };
	rc = dfu_download(fake_handle(&f), 0, 4096, img, len, false, &p, &err);
	tap_ok(rc == RS_E_CANCELLED && f.n_dnload == 3 && fake_logged(&f, "DN2:4096 GS ABORT"),
	       "stop between blocks: 3 blocks sent, then ABORT (%s)", err.msg);
	fake_free(&f);
	free(img);
}

static void test_upload(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	fake_init_plain(&f, 4096, 10000, 0);
	uint8_t *src = pattern(10000);
	memcpy(f.mem, src, 10000);
	uint8_t *buf = malloc(65536);
	size_t got = 0;
	int rc = dfu_upload(fake_handle(&f), 0, 4096, buf, 65536, &got, NULL, &err);
	tap_ok(rc == RS_OK && got == 10000 && memcmp(buf, src, got) == 0 &&
	       strcmp(f.log, "UP0:4096 UP1:4096 UP2:4096 ") == 0,
	       "upload until the short frame: 10000 bytes in 3 blocks (%s)", f.log);
	fake_free(&f);

	fake_init_plain(&f, 4096, 10000, 0);
	rc = dfu_upload(fake_handle(&f), 0, 4096, buf, 5000, &got, NULL, &err);
	tap_ok(rc == RS_OK && got == 5000 && strcmp(f.log, "UP0:4096 UP1:904 ABORT ") == 0,
	       "upload stopped by the limit ends with ABORT (%s)", f.log);
	fake_free(&f);
	free(buf);
	free(src);
}

int main(void)
{
	test_names_and_status();
	test_usb_error_map();
	test_func_desc();
	test_prepare();
	test_download();
	test_download_errors();
	test_progress_and_cancel();
	test_upload();
	return tap_done();
}
