/* test_dfuse_usb.c — DfuSe write, upload, leave and the device quirks (src/proto/dfuse*.c)
 * against the in-process ST-ROM-like fake of test_dfu_fake.c. */
#include "dfuse.h"
#include "dfuse_quirks.h"
#include "test_dfu_fake.h"
#include "../common/tap.h"

#include <stdlib.h>
#include <string.h>

#define F4_FLASH "@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg"
#define H7_FLASH "@Internal Flash   /0x08000000/16*128Kg"
#define F4_BCD 0x2200
#define H7_BCD 0x0200 /* §1.14 item 10 */

static uint8_t *pattern(size_t len)
{
	uint8_t *p = malloc(len);
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 13 + (i >> 9) + 1);
	return p;
}

static void test_write_f4(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	struct dfuse_stats st;
	uint8_t *img = pattern(3000);
	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0xA5);
	int rc = dfuse_write(fake_handle(&f), 0, &f.layout, 2048, 0x08000000, img, 3000, 0, &st,
			     NULL, &err);
	tap_ok(rc == RS_OK && memcmp(fake_mem(&f, 0x08000000), img, 3000) == 0,
	       "3000 bytes at 0x08000000 are written (%s)", err.msg);
	/* §1.12 does SET_ADDRESS before each chunk and sleeps after every reply; we send one
	 * SET_ADDRESS and number the blocks 2, 3. */
	tap_ok(strcmp(f.log, "ERASE:08000000 GS GS SET:08000000 GS GS DN2:2048 GS GS DN3:952 GS GS "
			     "ABORT GS ") == 0, "wire: erase, one SET_ADDRESS, blocks 2 and 3, ABORT (%s)",
	       f.log);
	tap_ok(st.pages_erased == 1 && st.set_addresses == 1 && st.blocks == 2 &&
	       st.quirk_recoveries == 0 && f.writes_to_unerased == 0,
	       "stats: 1 page, 1 SET_ADDRESS, 2 blocks, no quirk, nothing written unerased");
	bool rest_erased = true;
	for (uint32_t a = 0x08000000 + 3000; a < 0x08004000; a++)
		rest_erased = rest_erased && *fake_mem(&f, a) == 0xFF;
	tap_ok(rest_erased && *fake_mem(&f, 0x08004000) == 0xA5,
	       "the rest of the 16K sector is erased, the next sector untouched");
	fake_free(&f);

	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0xA5);
	rc = dfuse_write(fake_handle(&f), 0, &f.layout, 2048, 0x08000000, img, 3000,
			 DFUSE_WRITE_ADDRESS_EVERY_BLOCK, &st, NULL, &err);
	tap_ok(rc == RS_OK && st.set_addresses == 2 && fake_logged(&f, "SET:08000800 GS GS DN2:952") &&
	       memcmp(fake_mem(&f, 0x08000000), img, 3000) == 0,
	       "dfu-util's addressing on request: SET_ADDRESS per block, each block 2");
	fake_free(&f);
	free(img);
}

static void test_write_unaligned(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	struct dfuse_stats st;
	size_t len = 0x10002;
	uint8_t *img = pattern(len);
	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0x00);
	int rc = dfuse_write(fake_handle(&f), 0, &f.layout, 2048, 0x08003FFF, img, len, 0, &st,
			     NULL, &err);
	tap_ok(rc == RS_OK && memcmp(fake_mem(&f, 0x08003FFF), img, len) == 0 &&
	       f.writes_to_unerased == 0, "an unaligned write across 5 sectors lands intact (%s)",
	       err.msg);
	tap_ok(st.pages_erased == 5 && f.n_erase == 5 && st.set_addresses == 1 && st.blocks == 33,
	       "5 sector erases, one SET_ADDRESS, 33 blocks (%u, %u, %u)", st.pages_erased,
	       st.set_addresses, st.blocks);
	tap_ok(*fake_mem(&f, 0x08003FFE) == 0xFF && *fake_mem(&f, 0x08014001) == 0xFF &&
	       *fake_mem(&f, 0x08020000) == 0x00,
	       "bytes before and after the data in erased sectors are 0xFF, sector 5 untouched");
	fake_free(&f);
	free(img);
}

static void test_write_refusals(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	uint8_t img[64] = { 0 };
	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0xFF);
	int rc = dfuse_write(fake_handle(&f), 0, &f.layout, 2048, 0x080FFFF0, img, 64, 0, NULL,
			     NULL, &err);
	tap_ok(rc == RS_E_INPUT && f.log_len == 0 && strstr(err.msg, "Internal Flash"),
	       "a write running past flash is refused before anything is sent: %s", err.msg);
	rc = dfuse_write(fake_handle(&f), 0, &f.layout, 2048, 0x20000000, img, 64, 0, NULL, NULL,
			 &err);
	tap_ok(rc == RS_E_INPUT && f.log_len == 0, "a write to RAM is refused, nothing sent");
	struct dfuse_layout ob;
	dfuse_layout_parse("@Internal Flash  /0x08000000/04*016Ka", &ob, NULL);
	rc = dfuse_write(fake_handle(&f), 0, &ob, 2048, 0x08000000, img, 64, 0, NULL, NULL, &err);
	tap_ok(rc == RS_E_INPUT && f.log_len == 0, "a read-only segment (type a) is refused");
	rc = dfuse_write(fake_handle(&f), 0, &f.layout, 0, 0x08000000, img, 64, 0, NULL, NULL, &err);
	tap_ok(rc == RS_E_INPUT && f.log_len == 0, "transfer size 0 is refused");
	fake_free(&f);
}

static void test_option_bytes_no_erase(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	struct dfuse_stats st;
	uint8_t ob[16];
	memset(ob, 0x5A, sizeof ob);
	fake_init_dfuse(&f, "@Option Bytes  /0x1FFFC000/01*016 e", 2048, F4_BCD, 0xFF);
	int rc = dfuse_write(fake_handle(&f), 0, &f.layout, 2048, 0x1FFFC000, ob, 16, 0, &st, NULL,
			     &err);
	tap_ok(rc == RS_OK && f.n_erase == 0 && st.blocks == 1 &&
	       memcmp(fake_mem(&f, 0x1FFFC000), ob, 16) == 0,
	       "option bytes (not erasable) are written without an erase (%s)", f.log);
	fake_free(&f);

	fake_init_dfuse(&f, "@Option Bytes  /0x1FFFC000/01*016 e", 2048, F4_BCD, 0xFF);
	f.gone_block = 2; /* the ROM resets after the option-byte write (§1.14 item 3) */
	rc = dfuse_write(fake_handle(&f), 0, &f.layout, 2048, 0x1FFFC000, ob, 16,
			 DFUSE_WRITE_WILL_RESET, &st, NULL, &err);
	tap_ok(rc == RS_OK && f.n_abort == 0, "will-reset: the device vanishing on its last "
	       "block is success, no ABORT (%s)", err.msg);
	fake_free(&f);
}

static void test_mass_erase_and_stalls(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	uint8_t *img = pattern(4096);
	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0x00);
	f.busy_poll_ms = 20;
	int rc = dfuse_write(fake_handle(&f), 0, &f.layout, 2048, 0x08000000, img, 4096,
			     DFUSE_WRITE_MASS_ERASE, NULL, NULL, &err);
	tap_ok(rc == RS_OK && fake_logged(&f, "CMD41:1 GS GS SET:08000000") && f.n_erase == 0 &&
	       *fake_mem(&f, 0x080FFFFF) == 0xFF, "mass erase: one 0x41 command, no page erases");
	fake_free(&f);

	/* STM32L4: GETSTATUS stalls while erasing after a non-zero poll (§1.6): tolerated. */
	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0x00);
	f.busy_poll_ms = 5;
	f.stall_getstatus = 2;
	rc = dfuse_write(fake_handle(&f), 0, &f.layout, 2048, 0x08000000, img, 4096, 0, NULL, NULL,
			 &err);
	tap_ok(rc == RS_OK && memcmp(fake_mem(&f, 0x08000000), img, 4096) == 0,
	       "two stalled GETSTATUS during an erase are tolerated (%s)", err.msg);
	fake_free(&f);

	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0x00);
	f.busy_poll_ms = 5;
	f.stall_getstatus = 4;
	rc = dfuse_write(fake_handle(&f), 0, &f.layout, 2048, 0x08000000, img, 4096, 0, NULL, NULL,
			 &err);
	tap_ok(rc == RS_E_PROTOCOL && strstr(err.msg, "stalled") && f.n_set_address == 0,
	       "a fourth stall fails the erase before any data: %s", err.msg);
	fake_free(&f);

	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0x00);
	f.commands_instant = true;
	rc = dfuse_write(fake_handle(&f), 0, &f.layout, 2048, 0x08000000, img, 4096, 0, NULL, NULL,
			 &err);
	tap_ok(rc == RS_E_PROTOCOL && strstr(err.msg, "instead of dfuDNBUSY") &&
	       strstr(err.msg, "ERASE of the page at 0x08000000"),
	       "a command whose first status is not dfuDNBUSY: %s", err.msg);
	fake_free(&f);
	free(img);
}

static void test_h7_quirk(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	struct dfuse_stats st;
	uint8_t *img = pattern(4096);

	tap_ok((dfuse_quirks_for_device(0x0483, 0xDF11, H7_BCD) & DFUSE_QUIRK_H7_BANK2_ERASE) &&
	       !(dfuse_quirks_for_device(0x0483, 0xDF11, F4_BCD) & DFUSE_QUIRK_H7_BANK2_ERASE) &&
	       !(dfuse_quirks_for_device(0x37C5, 0x9204, H7_BCD) & DFUSE_QUIRK_H7_BANK2_ERASE),
	       "the H7 bank-2 quirk applies to 0483:df11 with bcdDevice 0x0200 only");
	tap_ok(dfuse_quirk_first_poll_ms(DFUSE_QUIRK_MASS_ERASE_100MS, true, 100) == 35000 &&
	       dfuse_quirk_first_poll_ms(DFUSE_QUIRK_MASS_ERASE_100MS, true, 99) == 99 &&
	       dfuse_quirk_first_poll_ms(DFUSE_QUIRK_MASS_ERASE_100MS, false, 100) == 100,
	       "a mass erase reporting exactly 100 ms waits 35 s, as dfu-util does");

	/* [R] rev V: the erase at 0x08100000 never leaves dfuDNBUSY; recovered by 2 CLRSTATUS. */
	fake_init_dfuse(&f, H7_FLASH, 1024, H7_BCD, 0x00);
	f.h7_bank2_stuck = true;
	f.stuck_poll_ms = 700;
	uint64_t t0 = dfu_now_ms();
	int rc = dfuse_write(fake_handle(&f), 0, &f.layout, 1024, 0x08100000, img, 4096, 0, &st,
			     NULL, &err);
	uint64_t took = dfu_now_ms() - t0;
	tap_ok(rc == RS_OK && st.quirk_recoveries == 1 && st.recovered_pages[0] == 0x08100000 &&
	       memcmp(fake_mem(&f, 0x08100000), img, 4096) == 0 && f.writes_to_unerased == 0,
	       "H7 rev V bank-2 erase recovered, counted and the data written (%s)", err.msg);
	tap_ok(fake_logged(&f, "ERASE:08100000 GS GS GS GS CLR GS CLR GS SET:08100000") &&
	       took >= 2000 && took < 4000,
	       "recovery after 4 busy replies over %llu ms: CLRSTATUS, GETSTATUS twice",
	       (unsigned long long)took);
	fake_free(&f);

	fake_init_dfuse(&f, H7_FLASH, 1024, H7_BCD, 0x00);
	f.h7_bank2_stuck = true;
	f.h7_clrstatus_ignored = true;
	f.stuck_poll_ms = 700;
	rc = dfuse_write(fake_handle(&f), 0, &f.layout, 1024, 0x08100000, img, 4096, 0, &st, NULL,
			 &err);
	tap_ok(rc == RS_E_DEVICE && strstr(err.msg, "revision V ROM stalls erasing bank 2") &&
	       strstr(err.msg, "bootloader.bin") && f.n_set_address == 0,
	       "failed recovery: RS_E_DEVICE with the advice, no data sent: %s", err.msg);
	fake_free(&f);

	/* Same hang on a device without the quirk: bounded by the deadline, never a hang. */
	fake_init_dfuse(&f, H7_FLASH, 1024, F4_BCD, 0x00);
	f.h7_bank2_stuck = true;
	f.stuck_poll_ms = DFUSE_ERASE_DEADLINE_MS + 1;
	t0 = dfu_now_ms();
	rc = dfuse_write(fake_handle(&f), 0, &f.layout, 1024, 0x08100000, img, 4096, 0, &st, NULL,
			 &err);
	took = dfu_now_ms() - t0;
	tap_ok(rc == RS_E_TIMEOUT && f.n_clrstatus == 0 && took < 1000,
	       "without the quirk a stuck erase is RS_E_TIMEOUT after %llu ms: %s",
	       (unsigned long long)took, err.msg);
	fake_free(&f);

	/* Bank 1 on the same H7 identity erases normally, no recovery. */
	fake_init_dfuse(&f, H7_FLASH, 1024, H7_BCD, 0x00);
	f.h7_bank2_stuck = true;
	rc = dfuse_write(fake_handle(&f), 0, &f.layout, 1024, 0x08000000, img, 4096, 0, &st, NULL,
			 &err);
	tap_ok(rc == RS_OK && st.quirk_recoveries == 0 && f.n_clrstatus == 0,
	       "bank-1 erases on the H7 need no recovery");
	fake_free(&f);
	free(img);
}

static void test_leave_and_upload(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0x00);
	int rc = dfuse_leave(fake_handle(&f), 0, 0x08000000, &err);
	tap_ok(rc == RS_OK && strcmp(f.log, "SET:08000000 GS GS DN2:0 GS ") == 0 && f.gone,
	       "leave: SET_ADDRESS(base), zero-length block 2, GETSTATUS says dfuMANIFEST (%s)",
	       f.log);
	fake_free(&f);

	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0x00);
	f.gone_block = 2;
	rc = dfuse_leave(fake_handle(&f), 0, 0x08000000, &err);
	tap_ok(rc == RS_OK, "leave: the device vanishing at the zero-length DNLOAD is success");
	fake_free(&f);

	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0x00);
	uint8_t *src = pattern(4096);
	memcpy(fake_mem(&f, 0x08000000), src, 4096);
	uint8_t buf[4096];
	size_t got = 0;
	rc = dfuse_upload(fake_handle(&f), 0, 2048, 0x08000000, buf, 4096, &got, NULL, &err);
	tap_ok(rc == RS_OK && got == 4096 && memcmp(buf, src, 4096) == 0 &&
	       strcmp(f.log, "SET:08000000 GS GS ABORT GS UP2:2048 UP3:2048 ABORT GS ") == 0,
	       "upload 4096 bytes: SET_ADDRESS, ABORT, blocks 2 and 3, ABORT (%s)", f.log);
	fake_free(&f);

	fake_init_dfuse(&f, F4_FLASH, 2048, F4_BCD, 0x00);
	memcpy(fake_mem(&f, 0x080FF000), src, 4096);
	rc = dfuse_upload(fake_handle(&f), 0, 2048, 0x080FF000, buf, 4096, &got, NULL, &err);
	tap_ok(rc == RS_OK && got == 4096 && memcmp(buf, src, 4096) == 0,
	       "upload of the last 4 KiB of flash");
	rc = dfuse_upload(fake_handle(&f), 0, 2048, 0x080FF800, buf, 4096, &got, NULL, &err);
	tap_ok(rc == RS_OK && got == 2048, "an upload past the end stops at the short frame");
	fake_free(&f);
	free(src);
}

/* Block numbers are 16 bits: past 65534 blocks a second SET_ADDRESS starts a new run. */
static void test_long_runs(void)
{
	struct fake_dev f;
	struct rs_error err = { 0 };
	struct dfuse_stats st;
	size_t len = 65536;
	uint8_t *img = pattern(len);
	fake_init_dfuse(&f, "@SPI Flash /0x90000000/16*4Kg", 1, 0x0100, 0x00);
	int rc = dfuse_write(fake_handle(&f), 0, &f.layout, 1, 0x90000000, img, len, 0, &st, NULL,
			     &err);
	tap_ok(rc == RS_OK && st.set_addresses == 2 && st.blocks == len &&
	       memcmp(fake_mem(&f, 0x90000000), img, len) == 0,
	       "65536 one-byte blocks: 2 SET_ADDRESS, every byte in place (%s)", err.msg);

	uint8_t *buf = malloc(len);
	size_t got = 0;
	rc = dfuse_upload(fake_handle(&f), 0, 1, 0x90000000, buf, len, &got, NULL, &err);
	tap_ok(rc == RS_OK && got == len && memcmp(buf, img, len) == 0,
	       "65536 one-byte upload blocks across two runs read back intact (%s)", err.msg);
	fake_free(&f);
	free(buf);
	free(img);
}

int main(void)
{
	test_write_f4();
	test_write_unaligned();
	test_write_refusals();
	test_option_bytes_no_erase();
	test_mass_erase_and_stalls();
	test_h7_quirk();
	test_leave_and_upload();
	test_long_runs();
	return tap_done();
}
