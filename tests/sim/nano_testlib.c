/* nano_testlib.c — see nano_testlib.h. */
#include "nano_testlib.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static char dir[512];

const char *nano_tmpdir(void)
{
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "%s/nano.XXXXXX", g_get_tmp_dir());
		if (!g_mkdtemp(dir))
			dir[0] = '\0';
	}
	return dir;
}

void nano_tmpdir_remove(void)
{
	if (!dir[0])
		return;
	GDir *d = g_dir_open(dir, 0, NULL);
	const char *name;
	while (d && (name = g_dir_read_name(d))) {
		char *p = g_build_filename(dir, name, NULL);
		remove(p);
		g_free(p);
	}
	if (d)
		g_dir_close(d);
	remove(dir);
	dir[0] = '\0';
}

char *nano_write_file(const char *name, size_t len, uint32_t seed, uint8_t **data)
{
	char *path = g_build_filename(nano_tmpdir(), name, NULL);
	uint8_t *buf = malloc(len ? len : 1);
	uint32_t x = seed ? seed : 1;
	for (size_t i = 0; i < len; i++) { /* xorshift: repeatable, no zero runs */
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		buf[i] = (uint8_t)x;
	}
	FILE *f = fopen(path, "wb");
	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
	if (data)
		*data = buf;
	else
		free(buf);
	return path;
}

void nano_run(char **argv, struct child_result *r)
{
	char **env = g_environ_setenv(g_get_environ(), "LD_PRELOAD", "libumockdev-preload.so.0", TRUE);
	GError *gerr = NULL;
	int status = 0;
	memset(r, 0, sizeof *r);
	r->exit_code = -1;
	if (g_spawn_sync(NULL, argv, env, G_SPAWN_DEFAULT, NULL, NULL, &r->out, &r->err, &status, &gerr)) {
		if (WIFEXITED(status))
			r->exit_code = WEXITSTATUS(status);
		else if (WIFSIGNALED(status)) /* the shell's way, so a test can name the signal */
			r->exit_code = 128 + WTERMSIG(status);
	} else {
		r->err = g_strdup(gerr ? gerr->message : "could not run");
	}
	g_clear_error(&gerr);
	g_strfreev(env);
	if (!r->out)
		r->out = g_strdup("");
	if (!r->err)
		r->err = g_strdup("");
}

void nano_result_free(struct child_result *r)
{
	g_free(r->out);
	g_free(r->err);
	r->out = r->err = NULL;
}
