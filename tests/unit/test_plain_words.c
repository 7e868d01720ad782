/* test_plain_words.c — the wizard's rewrite of back-end messages (screens/plain_words.c):
 * no openmv-rescue option is left in what a wizard user reads, the rest of the message is
 * kept, and other programs' options in a command to run (udevadm's) stay. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boarddb.h"
#include "plan.h"
#include "wiz.h"

static int n, failed;

static void check(int cond, const char *name)
{
	n++;
	printf("%sok %d - %s\n", cond ? "" : "not ", n, name);
	failed |= !cond;
}

/* The back end's own notes name no flag: every plan of every board, as the wizard gets it
 * (no files given). */
static void check_plan_notes(void)
{
	static struct boarddb db;
	static struct plan p;
	struct rs_error err = {0};
	const char *path = getenv("OPENMV_RESCUE_BOARDS");
	if (!path || boarddb_load(&db, path, &err)) {
		check(0, "boards.ini loads (OPENMV_RESCUE_BOARDS)");
		return;
	}
	int notes = 0, hints = 0;
	char first[300] = "";
	for (int i = 0; i < db.n; i++)
		for (int a = 0; a < ACTION_COUNT; a++) {
			memset(&p, 0, sizeof p);
			if (plan_build(&db.boards[i], (enum action)a, NULL, &p, &err))
				continue;
			for (int k = 0; k < p.nnotes; k++) {
				notes++;
				hints += p.note_hint[k] != PLAN_HINT_NONE;
				if (strstr(p.notes[k], "--") && !first[0])
					snprintf(first, sizeof first, "%s %s: %.200s", db.boards[i].target,
					         action_name((enum action)a), p.notes[k]);
			}
		}
	check(notes > 0 && !first[0], first[0] ? first : "no plan note names a command-line flag");
	check(hints >= 2, "the notes that a flag would help carry a hint for the CLI instead");
}

static void plain(char *buf, size_t size, const char *msg)
{
	snprintf(buf, size, "%s", msg);
	wiz_plain_words(buf, size);
}

int main(void)
{
	char b[1024];
	plain(b, sizeof b, "Then flash the firmware normally (give --firmware to do it in the same run).");
	check(!strstr(b, "--") && strstr(b, "Then flash the firmware normally"), "the restore note keeps its advice, without --firmware");
	plain(b, sizeof b, "/tmp/x/firmware.bin: no such file (give it with --file, --firmware, --romfs, --image or --dir)");
	check(!strcmp(b, "/tmp/x/firmware.bin: no such file (pick it on the files screen)"), "a missing file points at the files screen");
	plain(b, sizeof b, "step 1 of 3 (isp: x) is not available yet in this build of openmv-rescue; nothing was done. "
	      "Run with --dry-run to see the equivalent commands.");
	check(!strstr(b, "--dry-run") && strstr(b, "Press c on the confirm screen"), "--dry-run becomes the commands view");
	plain(b, sizeof b, "it writes elsewhere (a combined image: use --accept-combined to allow it) and stops");
	check(!strcmp(b, "it writes elsewhere and stops"), "an unknown bracketed clause with our option is left out");
	plain(b, sizeof b, "no permission: install the udev rules (sudo cp a /etc/udev/rules.d/ && sudo udevadm control "
	      "--reload-rules && sudo udevadm trigger) or run as root");
	check(strstr(b, "--reload-rules") != NULL, "udevadm's --reload-rules in the command to run is kept");
	plain(b, sizeof b, "the version of it (--versions-of-things are not ours)");
	check(strstr(b, "--versions-of-things") != NULL, "an option that only starts like ours is kept");
	check_plan_notes();
	printf("1..%d\n", n);
	return failed;
}
