/* cli_udev.c — "openmv-rescue udev-rules" prints the udev rules generated from boards.ini;
 * "openmv-rescue udev-install" (as root) writes them where udev reads local rules and makes
 * udev apply them to the devices already plugged in. */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "boarddb.h"
#include "cli_internal.h"
#include "udev_rules.h"

extern char **environ;

/* Where an administrator's own rules go (udev(7): /etc/udev/rules.d takes precedence over the
 * packaged /usr/lib/udev/rules.d, so an installed copy is replaced, not duplicated). */
#define LOCAL_RULES_DIR "/etc/udev/rules.d"

struct udev_args {
	bool install, dry_run, help;
	const char *boards, *group, *rules_dir;
};

/* The udevadm commands that apply new rules to devices already present: reload the rule
 * files, replay a "change" event for the device kinds the rules name, and wait for udev. */
static char *const reload_cmd[] = {"udevadm", "control", "--reload", NULL};
static char *const trigger_cmd[] = {"udevadm", "trigger", "--action=change", "--subsystem-match=usb",
                                    "--subsystem-match=tty", "--subsystem-match=hidraw", NULL};
static char *const settle_cmd[] = {"udevadm", "settle", "--timeout=10", NULL};

static void udev_usage(FILE *out, bool install)
{
	if (install)
		fprintf(out, "Usage: openmv-rescue udev-install [--group GROUP] [--dry-run] [--rules-dir DIR]\n"
		        "Install the udev rules (as root) so that you can open the cameras without root, and\n"
		        "apply them to the devices already plugged in (udevadm control --reload, udevadm trigger).\n"
		        "  --group GROUP    also install the rules for machines without a desktop session:\n"
		        "                   members of GROUP (e.g. plugdev) may open the devices\n"
		        "  --dry-run        print what it would write and run; change nothing\n"
		        "  --rules-dir DIR  write the rules into DIR instead of " LOCAL_RULES_DIR "\n"
		        "  --boards FILE    take the USB IDs from this board database\n");
	else
		fprintf(out, "Usage: openmv-rescue udev-rules [--group GROUP] [--boards FILE]\n"
		        "Print the udev rules for every USB ID of every board in boards.ini: TAG+=\"uaccess\"\n"
		        "(the desktop session's user), or with --group GROUP the rules for machines without\n"
		        "a desktop session (MODE 0660, GROUP GROUP).\n");
}

static int udev_parse(int argc, char **argv, struct udev_args *a)
{
	a->install = !strcmp(argv[1], "udev-install");
	if (!a->install && strcmp(argv[1], "udev-rules")) {
		fprintf(stderr, "openmv-rescue: unknown command '%s'; choose udev-rules or udev-install\n", argv[1]);
		return -1;
	}
	for (int i = 2; i < argc; i++) {
		const char *s = argv[i];
		const char **value = !strcmp(s, "--boards") ? &a->boards : !strcmp(s, "--group") ? &a->group
		                     : (a->install && !strcmp(s, "--rules-dir")) ? &a->rules_dir : NULL;
		if (value) {
			if (i + 1 >= argc || !argv[i + 1][0]) {
				fprintf(stderr, "openmv-rescue: %s needs a value\n", s);
				return -1;
			}
			*value = argv[++i];
		} else if (a->install && !strcmp(s, "--dry-run")) {
			a->dry_run = true;
		} else if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
			a->help = true;
		} else {
			fprintf(stderr, "openmv-rescue: %s does not take %s (see openmv-rescue %s --help)\n",
			        argv[1], s, argv[1]);
			return -1;
		}
	}
	return 0;
}

static int load(const struct udev_args *a, struct boarddb *db)
{
	char path[512];
	struct rs_error err = {0};
	if (a->boards)
		snprintf(path, sizeof path, "%s", a->boards);
	else if (boarddb_default_path(path, sizeof path, &err))
		goto fail;
	if (!boarddb_load(db, path, &err))
		return 0;
fail:
	fprintf(stderr, "openmv-rescue: %s\n", err.msg);
	return -1;
}

/* The rules text of one flavour, in memory (free it).  NULL for a bad group name. */
static char *rules_text(const struct boarddb *db, const char *group, int *nids)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (!f)
		return NULL;
	*nids = udev_rules_write(f, db, group);
	fclose(f);
	if (*nids < 0) {
		free(text);
		return NULL;
	}
	return text;
}

/* Write text to dir/name through a temporary file, so udev never reads half a file. */
static int write_rules(const char *dir, const char *name, const char *text, const char *fix)
{
	char path[700], tmp[720];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
	FILE *f = fopen(tmp, "w");
	int e = errno;
	if (f) {
		bool ok = fputs(text, f) >= 0;
		ok = (fclose(f) == 0) && ok;
		if (ok && chmod(tmp, 0644) == 0 && rename(tmp, path) == 0) {
			printf("wrote %s\n", path);
			return 0;
		}
		e = errno;
		unlink(tmp);
	}
	if (e == EACCES || e == EPERM || e == EROFS)
		fprintf(stderr, "openmv-rescue: cannot write %s: %s; run it as root: %s\n", path, strerror(e), fix);
	else
		fprintf(stderr, "openmv-rescue: cannot write %s: %s\n", path, strerror(e));
	return -1;
}

static void show_cmd(const char *prefix, char *const *argv)
{
	printf("%s", prefix);
	for (int i = 0; argv[i]; i++)
		printf("%s%s", i ? " " : "", argv[i]);
	printf("\n");
}

static int run_cmd(char *const *argv)
{
	pid_t pid;
	fflush(stdout);
	int rc = posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ);
	if (rc) {
		fprintf(stderr, "openmv-rescue: could not run %s: %s\n", argv[0], strerror(rc));
		return -1;
	}
	int status;
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		fprintf(stderr, "openmv-rescue: %s %s failed\n", argv[0], argv[1]);
		return -1;
	}
	show_cmd("ran ", argv);
	return 0;
}

static int udev_install(const struct udev_args *a, const struct boarddb *db)
{
	const char *dir = a->rules_dir ? a->rules_dir : LOCAL_RULES_DIR;
	const char *names[2] = {UDEV_RULES_FILE, UDEV_GROUP_RULES_FILE};
	char *text[2] = {NULL, NULL};
	int nids = 0, nfiles = a->group ? 2 : 1, rc = 0, written = 0;
	for (int i = 0; i < nfiles; i++)
		text[i] = rules_text(db, i ? a->group : NULL, &nids);
	if (!text[0] || (a->group && !text[1])) {
		fprintf(stderr, "openmv-rescue: --group takes a group name such as plugdev\n");
		rc = 2;
		goto out;
	}
	char fix[700];
	udev_fix_command(fix, sizeof fix);
	for (int i = 0; i < nfiles && !rc; i++) {
		if (a->dry_run)
			printf("would write %s/%s (rules for %d USB IDs from %s)\n", dir, names[i], nids, db->path);
		else if (write_rules(dir, names[i], text[i], fix))
			rc = 1;
		else
			written++;
	}
	char *const *cmds[] = {reload_cmd, trigger_cmd, settle_cmd};
	for (size_t i = 0; i < sizeof cmds / sizeof cmds[0] && !rc; i++) {
		if (a->dry_run)
			show_cmd("would run ", cmds[i]);
		else if (run_cmd(cmds[i]))
			rc = 1;
	}
	if (rc == 1 && written == nfiles)
		fprintf(stderr, "openmv-rescue: the rules are written but udev could not apply them: "
		        "unplug the camera and plug it in again (or restart the computer)\n");
	else if (!rc && !a->dry_run)
		printf("done: the cameras can be opened without root now (unplug and plug in one that "
		       "still cannot)\n");
out:
	free(text[0]);
	free(text[1]);
	return rc;
}

int cli_udev_main(int argc, char **argv)
{
	static struct udev_args a;
	static struct boarddb db;
	memset(&a, 0, sizeof a);
	if (udev_parse(argc, argv, &a))
		return 2;
	if (a.help) {
		udev_usage(stdout, a.install);
		return 0;
	}
	if (load(&a, &db))
		return 2;
	if (a.install)
		return udev_install(&a, &db);
	int nids;
	char *text = rules_text(&db, a.group, &nids);
	if (!text) {
		fprintf(stderr, "openmv-rescue: --group takes a group name such as plugdev\n");
		return 2;
	}
	fputs(text, stdout);
	free(text);
	return 0;
}
