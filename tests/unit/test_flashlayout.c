/* test_flashlayout.c — the FlashLayout.tsv reader (src/plan/flashlayout.c) and the image check
 * that refuses a bad layout before anything runs (src/images.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../common/tap.h"
#include "boarddb.h"
#include "flashlayout.h"
#include "images.h"
#include "plan.h"

/* OpenMV's file exactly as OpenMV IDE ships it (reference alif-isp-openmv-ide-n6.md §4.1):
 * a '#' header, single tabs, no newline after the last row. */
static const char openmv_tsv[] =
	"#Opt\tId\tName\tType\tIP\tOffset\tBinary\n"
	"P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tOpenBootloader_STM32N6570-DK-trusted.stm32\n"
	"P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\tMX66UW1G45G_STM32N6570-DK-OBL.bin\n"
	"P\t0x4\tfsbl-app\tBinary\tnor0\t0x0000000\tbootloader.bin";

static char dir[512];

static void write_file(const char *name, const void *data, size_t n)
{
	char path[700];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	if (!f) {
		perror(path);
		exit(99);
	}
	fwrite(data, 1, n, f);
	fclose(f);
}

static void remove_file(const char *name)
{
	char path[700];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	unlink(path);
}

/* Parse text as "<dir>/FlashLayout.tsv"; returns the code, err filled. */
static int parse(const char *text, struct flashlayout *fl, struct rs_error *err)
{
	char path[700];
	snprintf(path, sizeof path, "%s/FlashLayout.tsv", dir);
	rs_clear(err);
	return flashlayout_parse(text, strlen(text), path, fl, err);
}

static bool says(const struct rs_error *err, const char *what)
{
	bool yes = strstr(err->msg, what) != NULL;
	if (!yes)
		tap_diag("message was: %s", err->msg);
	return yes;
}

static void test_openmv_layout(void)
{
	static struct flashlayout fl;
	struct rs_error err;
	ok(parse(openmv_tsv, &fl, &err) == 0, "OpenMV's FlashLayout.tsv parses");
	ok(fl.nrows == 3, "it has three rows");
	ok(fl.rows[0].id == 0x01 && fl.rows[1].id == 0x03 && fl.rows[2].id == 0x04, "ids 0x1, 0x3, 0x4 in file order");
	ok(fl.rows[0].line == 2 && fl.rows[2].line == 4, "rows remember their line (header is line 1)");
	ok(!strcmp(fl.rows[0].name, "fsbl-openbl") && !strcmp(fl.rows[2].name, "fsbl-app"), "names kept");
	ok(!strcmp(fl.rows[1].ip, "none") && !strcmp(fl.rows[2].ip, "nor0"), "IP none for RAM, nor0 for the NOR");
	ok(fl.rows[2].offset == 0 && fl.rows[2].opt == FLASHLAYOUT_PROGRAM, "offset 0x0000000, option P");
	char want[700];
	snprintf(want, sizeof want, "%s/bootloader.bin", dir);
	ok(!strcmp(fl.rows[2].path, want), "binaries resolve against the TSV's folder");
	ok(!strcmp(fl.rows[2].binary, "bootloader.bin"), "the binary as written is kept");
}

static void test_line_endings(void)
{
	static struct flashlayout fl;
	struct rs_error err;
	const char *crlf = "#Opt\tId\tName\tType\tIP\tOffset\tBinary\r\n"
	                   "PE\t0x1\tfsbl\tBinary\tnone\t0x0\ta.stm32\r\n"
	                   "\r\n"
	                   "# a comment\r\n"
	                   "-\t0x5\tspare\tBinary\tnor0\t0x100000\tnone\r\n";
	ok(parse(crlf, &fl, &err) == 0, "CRLF line endings, blank lines and comments are accepted");
	ok(fl.nrows == 2 && fl.rows[0].opt == FLASHLAYOUT_PROGRAM_ERASE && fl.rows[1].opt == FLASHLAYOUT_SKIP,
	   "PE and - rows read");
	ok(!strcmp(fl.rows[0].binary, "a.stm32") && fl.rows[1].offset == 0x100000, "CR is not part of the last column");
	ok(fl.rows[1].line == 5, "line numbers count blank and comment lines");
	const char *bom = "\xEF\xBB\xBFP\t0x1\tfsbl\tBinary\tnone\t0\ta.bin\n";
	ok(parse(bom, &fl, &err) == 0 && fl.rows[0].offset == 0, "a UTF-8 byte order mark is skipped; decimal offsets");
}

struct bad_case {
	const char *text, *expect, *name;
};

static void test_bad_rows(void)
{
	static const struct bad_case cases[] = {
		{"#Opt\tId\tName\tType\tIP\tOffset\tBinary\n", "no rows", "a header alone has no rows"},
		{"", "no rows", "an empty file has no rows"},
		{"#h\nX\t0x1\tn\tBinary\tnone\t0x0\ta.bin\n", "FlashLayout.tsv:2: option 'X'", "unknown option, with file:line"},
		{"P\t0xF1\tn\tBinary\tnone\t0x0\ta.bin\n", ":1: Id 0xF1 is reserved", "Id 0xF1 (the command alt) refused"},
		{"P\t0x0\tn\tBinary\tnone\t0x0\ta.bin\n", "reserved for the flash layout", "Id 0x00 refused"},
		{"P\t0xFF\tn\tBinary\tnone\t0x0\ta.bin\n", "reserved", "Id 0xFF refused"},
		{"P\t0x100\tn\tBinary\tnone\t0x0\ta.bin\n", "is not a phase number", "Id above 0xFF refused"},
		{"P\tabc\tn\tBinary\tnone\t0x0\ta.bin\n", "Id 'abc'", "non-numeric Id refused"},
		{"P\t0x1\tn\tBinary\tnone\t0x0\ta.bin\nP\t0x1\tm\tBinary\tnone\t0x0\tb.bin\n",
		 ":2: Id 0x01 is used twice (first on line 1)", "duplicate Id refused"},
		{"P\t0x4\tn\tBinary\tnor0\tboot1\ta.bin\n", "Offset 'boot1'", "non-numeric offset refused"},
		{"P\t0x4\tn\tBinary\tnor0\t0x100000000\ta.bin\n", "fits 32 bits", "offset beyond 32 bits refused"},
		{"P\t0x4\tn\tBinary\tnor0\t-1\ta.bin\n", "Offset '-1'", "negative offset refused"},
		{"P\t0x1\tn\tBinary\tnone\t0x400\ta.bin\n", "must be 0", "RAM row with an offset refused"},
		{"P\t0x1\tn\tBinary\tnone\t0x0\n", "6 columns where 7", "six columns refused"},
		{"P 0x1 n Binary none 0x0 a.bin\n", "1 column where 7", "spaces instead of tabs refused"},
		{"P\t0x1\tn\tBinary\tnone\t0x0\ta.bin\textra\n", "more than 7", "eight columns refused"},
		{"P\t0x1\t\tBinary\tnone\t0x0\ta.bin\n", "the Name column is empty", "empty column refused"},
		{"P\t0x4\tn\tBinary\tnor 0\t0x0\ta.bin\n", "IP 'nor 0'", "IP with a space refused"},
		{"-\t0x1\tn\tBinary\tnone\t0x0\ta.bin\n", "nothing to program", "all rows unused refused"},
		{"P\t0x1\tn\x01x\tBinary\tnone\t0x0\ta.bin\n", "control characters", "control characters refused"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		static struct flashlayout fl;
		struct rs_error err;
		int rc = parse(cases[i].text, &fl, &err);
		ok(rc == RS_E_INPUT && says(&err, cases[i].expect), "%s", cases[i].name);
	}
	/* a NUL byte: not a text file */
	static struct flashlayout fl;
	struct rs_error err = {0};
	const char nul[] = "P\t0x1\tn\tBinary\tnone\t0x0\ta\0.bin\n";
	ok(flashlayout_parse(nul, sizeof nul - 1, "x.tsv", &fl, &err) == RS_E_INPUT && says(&err, "NUL"),
	   "NUL bytes refused");
	/* a line longer than the limit */
	char *longline = malloc(FLASHLAYOUT_MAX_LINE + 64);
	memset(longline, 'a', FLASHLAYOUT_MAX_LINE + 10);
	longline[FLASHLAYOUT_MAX_LINE + 10] = '\0';
	ok(parse(longline, &fl, &err) == RS_E_INPUT && says(&err, ":1: the line is longer"), "over-long line refused");
	free(longline);
	/* more rows than the reader keeps */
	char many[4096] = "";
	for (int i = 1; i <= FLASHLAYOUT_MAX_ROWS + 1; i++) {
		char row[80];
		snprintf(row, sizeof row, "P\t0x%X\tp%d\tBinary\tnor0\t0x%X\ta.bin\n", i + 3, i, i * 0x1000);
		strcat(many, row);
	}
	ok(parse(many, &fl, &err) == RS_E_INPUT && says(&err, "more than"), "too many rows refused");
}

static void test_files(void)
{
	static struct flashlayout fl;
	struct rs_error err = {0};
	char tsv[700];
	snprintf(tsv, sizeof tsv, "%s/FlashLayout.tsv", dir);
	write_file("FlashLayout.tsv", openmv_tsv, strlen(openmv_tsv));
	ok(flashlayout_load(tsv, &fl, &err) == RS_E_INPUT && says(&err, "FlashLayout.tsv:2:") &&
	   says(&err, "OpenBootloader_STM32N6570-DK-trusted.stm32"), "a missing binary is named with its line");
	write_file("OpenBootloader_STM32N6570-DK-trusted.stm32", "OBL-image-123", 13);
	write_file("MX66UW1G45G_STM32N6570-DK-OBL.bin", "", 0);
	write_file("bootloader.bin", "boot", 4);
	ok(flashlayout_load(tsv, &fl, &err) == RS_E_INPUT && says(&err, "FlashLayout.tsv:3:") && says(&err, "is empty"),
	   "an empty binary is refused with its line");
	write_file("MX66UW1G45G_STM32N6570-DK-OBL.bin", "loader", 6);
	ok(flashlayout_load(tsv, &fl, &err) == 0, "complete layout loads");
	ok(fl.rows[0].size == 13 && fl.rows[1].size == 6 && fl.rows[2].size == 4, "sizes filled in");
	ok(flashlayout_total_bytes(&fl) == 23, "total bytes is the sum of programmed rows");

	/* a '-' row whose file does not exist is fine; a directory is not a binary */
	const char *skip = "P\t0x1\tf\tBinary\tnone\t0x0\tbootloader.bin\n-\t0x4\tx\tBinary\tnor0\t0x0\tmissing.bin\n";
	write_file("skip.tsv", skip, strlen(skip));
	char path[700];
	snprintf(path, sizeof path, "%s/skip.tsv", dir);
	ok(flashlayout_load(path, &fl, &err) == 0 && flashlayout_total_bytes(&fl) == 4, "unused rows need no file");
	char sub[700];
	snprintf(sub, sizeof sub, "%s/adir", dir);
	mkdir(sub, 0700);
	const char *isdir = "P\t0x1\tf\tBinary\tnone\t0x0\tadir\n";
	write_file("dir.tsv", isdir, strlen(isdir));
	snprintf(path, sizeof path, "%s/dir.tsv", dir);
	ok(flashlayout_load(path, &fl, &err) == RS_E_INPUT && says(&err, "not a regular file"), "a folder is refused");
	rmdir(sub);
	/* an absolute binary path is used as written */
	char absrow[900];
	snprintf(absrow, sizeof absrow, "P\t0x1\tf\tBinary\tnone\t0x0\t%s/bootloader.bin\n", dir);
	ok(parse(absrow, &fl, &err) == 0 && !strcmp(fl.rows[0].path, fl.rows[0].binary), "absolute path kept as is");
	ok(flashlayout_load("/nonexistent-dir/FlashLayout.tsv", &fl, &err) == RS_E_INPUT, "missing TSV refused");
	remove_file("skip.tsv");
	remove_file("dir.tsv");
}

/* The image checks refuse a bad layout before anything runs (exit 2 in the CLI). */
static void test_image_check(void)
{
	static struct boarddb db;
	static struct plan p;
	struct rs_error err = {0};
	const char *ini = getenv("OPENMV_RESCUE_BOARDS");
	if (!ini || boarddb_load(&db, ini, &err)) {
		ok(0, "boards.ini loads for the image check (%s)", err.msg);
		return;
	}
	const struct board *b = boarddb_find(&db, "OPENMV_N6");
	char tsv[700];
	snprintf(tsv, sizeof tsv, "%s/FlashLayout.tsv", dir);
	struct plan_files files = {.ngiven = 1};
	snprintf(files.given[0].name, sizeof files.given[0].name, "file");
	files.given[0].path = tsv;
	ok(b && plan_build(b, ACTION_RESTORE, &files, &p, &err) == 0, "N6 restore plan with the layout");
	struct image_problems probs;
	ok(images_check(&p, false, &probs) == 0, "a good layout passes the image checks");
	const char *bad = "#Opt\tId\tName\tType\tIP\tOffset\tBinary\nP\t0x1\tf\tBinary\tnone\t0x0\tbootloader.bin\n"
	                  "Q\t0x4\tapp\tBinary\tnor0\t0x0\tbootloader.bin\n";
	write_file("FlashLayout.tsv", bad, strlen(bad));
	int n = images_check(&p, false, &probs);
	ok(n == 1 && strstr(probs.line[0], "FlashLayout.tsv:3: option 'Q'"), "a bad row is one problem naming file:line");
	remove_file("bootloader.bin");
	write_file("FlashLayout.tsv", openmv_tsv, strlen(openmv_tsv));
	n = images_check(&p, false, &probs);
	ok(n == 1 && strstr(probs.line[0], ":4:") && strstr(probs.line[0], "bootloader.bin"),
	   "a missing binary is a problem naming its line");
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/flashlayout-XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 99;
	}
	test_openmv_layout();
	test_line_endings();
	test_bad_rows();
	test_files();
	test_image_check();
	const char *left[] = {"bootloader.bin", "FlashLayout.tsv", "OpenBootloader_STM32N6570-DK-trusted.stm32",
	                      "MX66UW1G45G_STM32N6570-DK-OBL.bin"};
	for (size_t i = 0; i < sizeof left / sizeof left[0]; i++)
		remove_file(left[i]);
	if (rmdir(dir))
		ok(0, "temporary folder left empty (%s)", dir);
	return tap_done();
}
