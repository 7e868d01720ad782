/* Cross-checks: Debian's unmodified dfu-util against the virtual cameras.
 * A case = images to generate, openmv-rescue-sim options, the seeds' commands
 * (verbatim apart from file names), the exit status each may end with, text the
 * log must show, and what the dumped memories and uploaded files must contain. */
#ifndef XVAL_H
#define XVAL_H

#include <stddef.h>
#include <stdint.h>

struct xval_image {
	const char *name;
	size_t size;
	int fill; /* -1: random bytes (seeded by the name), XVAL_AE3_KEY, else this byte */
};

#define XVAL_AE3_KEY (-2)

struct xval_cmd {
	const char *line;   /* run by sh in the case's directory */
	int ok[3];          /* accepted exit statuses; the list ends at the first -1... */
	int n_ok;           /* ...or after n_ok entries */
};

enum xval_check_kind {
	XC_IMAGE,     /* dump[offset..] holds image `what` */
	XC_FILL,      /* dump[offset..offset+len) is all `byte` */
	XC_UPLOAD,    /* file `what` = dump[offset..offset+len) then `tail` bytes of `byte` */
};

struct xval_check {
	enum xval_check_kind kind;
	const char *dump;   /* "OPENMV4.flash" -> OPENMV4.flash.bin */
	uint32_t offset;
	const char *what;
	uint32_t len;
	uint8_t byte;
	uint32_t tail;
};

struct xval_case {
	const char *group;  /* the meson test runs one group */
	const char *name;
	struct xval_image images[7];
	const char *sim_args[12];
	struct xval_cmd cmds[6];
	const char *log_has[3];      /* substrings the log must contain */
	const char *log_repeats;     /* ...and this one at least twice */
	struct xval_check checks[8];
	unsigned timeout_s;          /* 0: 40 s */
};

extern const struct xval_case xval_cases[];
extern const int xval_case_count;

#endif
