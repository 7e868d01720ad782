/* flashlayout.h — reads an STM32CubeProgrammer FlashLayout.tsv and checks every row.
 *
 * The file is tab-separated text; lines starting with '#' are headers or comments.  Each
 * row has seven columns: Opt, Id, Name, Type, IP, Offset, Binary (reference
 * alif-isp-openmv-ide-n6.md §4.1).  Opt is P (program), PE (program with erase) or '-'
 * (not used); Id is the phase or partition number the STM32 DFU phase protocol asks for;
 * IP is the target memory ("none" = RAM, "nor0" = the first NOR on xSPI); Offset is the
 * place in that memory; Binary is a path relative to the TSV's folder.
 *
 * Reading is pure (flashlayout_parse works on bytes in memory); flashlayout_load also reads
 * the file and checks that each binary a row programs exists and is not empty.  Every
 * error names the file and line: "FlashLayout.tsv:3: Id 0xF1 is reserved for ...".
 * No device is touched here.
 */
#ifndef RESCUE_FLASHLAYOUT_H
#define RESCUE_FLASHLAYOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

#define FLASHLAYOUT_MAX_ROWS 16
#define FLASHLAYOUT_MAX_BYTES (64 * 1024) /* a layout is a few hundred bytes; refuse anything huge */
#define FLASHLAYOUT_MAX_LINE 1024

enum flashlayout_opt {
	FLASHLAYOUT_SKIP,          /* '-': the row is not used */
	FLASHLAYOUT_PROGRAM,       /* P */
	FLASHLAYOUT_PROGRAM_ERASE, /* PE */
};

struct flashlayout_row {
	int line;                  /* 1-based line in the TSV */
	enum flashlayout_opt opt;
	char opt_text[4];          /* as written: "P", "PE", "-" */
	uint8_t id;                /* phase / partition id, 0x01..0xF0 */
	char name[64];
	char type[32];             /* "Binary", ... */
	char ip[32];               /* "none" (RAM) or a memory such as "nor0" */
	uint32_t offset;
	char binary[256];          /* as written in the TSV */
	char path[768];            /* binary resolved against the TSV's folder */
	uint64_t size;             /* filled in by flashlayout_check_files; 0 before */
};

struct flashlayout {
	char path[512];            /* the TSV itself */
	struct flashlayout_row rows[FLASHLAYOUT_MAX_ROWS];
	int nrows;
};

/* Is this row written to the device (P or PE)? */
static inline bool flashlayout_row_programs(const struct flashlayout_row *r)
{
	return r->opt != FLASHLAYOUT_SKIP;
}

/* Parse text[0..len) as the TSV found at tsv_path (used for messages and to resolve the
 * binaries).  Pure: touches no file.  Returns 0 or RS_E_INPUT with "path:line: reason". */
int flashlayout_parse(const char *text, size_t len, const char *tsv_path, struct flashlayout *out,
                      struct rs_error *err);

/* Check that the binary of every P/PE row is a readable, non-empty regular file, and fill
 * each row's size.  RS_E_INPUT with "path:line: ..." for the first row that fails. */
int flashlayout_check_files(struct flashlayout *fl, struct rs_error *err);

/* Read tsv_path, parse it and check its files: everything needed before a run. */
int flashlayout_load(const char *tsv_path, struct flashlayout *out, struct rs_error *err);

/* The sum of the sizes of the rows that program something (after check_files). */
uint64_t flashlayout_total_bytes(const struct flashlayout *fl);

#endif
