/* fuzz_release_zip.c — libFuzzer target for reading a release zip (src/plan/release_zip.c): any
 * bytes must be copied or refused with one line, never crash, leak or read out of bounds;
 * whatever is copied lands only in the private folder, as regular files with safe names,
 * none larger than the per-entry limit. */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "release_src.h"

static char dir[64];

/* Every name in dir is one we reported, a regular file within the limit; then remove it. */
static void check_and_empty(const struct release_src *rs)
{
	DIR *d = opendir(dir);
	if (!d)
		abort();
	struct dirent *e;
	int seen = 0;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		bool known = false;
		for (int i = 0; i < rs->nnames; i++)
			known |= !strcmp(rs->names[i], e->d_name);
		char path[600];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		struct stat st;
		if (!known || lstat(path, &st) || !S_ISREG(st.st_mode) || st.st_size > RELEASE_MAX_ENTRY ||
		    e->d_name[0] == '.' || strchr(e->d_name, '/'))
			abort();
		unlink(path);
		seen++;
	}
	closedir(d);
	if (seen != rs->nnames)
		abort();
}

static void remove_dir(void)
{
	rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!dir[0]) {
		const char *tmp = getenv("TMPDIR");
		snprintf(dir, sizeof dir, "%.40s/fuzz-release-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
		if (!mkdtemp(dir))
			abort();
		atexit(remove_dir);
	}
	static struct release_src rs;
	memset(&rs, 0, sizeof rs);
	struct rs_error err = {0};
	int rc = release_zip_extract_buffer(data, size, "OPENMV4", dir, &rs, &err);
	if (rc && (!err.msg[0] || strchr(err.msg, '\n')))
		abort(); /* every refusal is one line */
	if (rc && rs.nnames)
		abort(); /* a refused zip leaves nothing behind */
	check_and_empty(&rs);
	return 0;
}
