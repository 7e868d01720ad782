/* flows_udev.c — the wizard on a machine without the udev rules: the program runs as an
 * unprivileged user against a virtual camera whose device node only root may open.  The
 * detect screen names the node and the command that fixes it (whole, as it works); a run that
 * fails for want of permission does not send the person to OpenMV support. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "flows.h"

/* The screen's text without the frame, rows joined and blanks collapsed, so that a command
 * wrapped over two rows still reads as one. */
static void screen_text(struct vt *v, char *out, size_t n)
{
	size_t k = 0;
	for (int r = 0; r < vt_rows(v) && k + 1 < n; r++) {
		char row[1024];
		vt_row(v, r, row, sizeof row);
		for (const char *c = row; *c && k + 1 < n; c++) {
			if (!strncmp(c, "\xe2\x94\x82", 3)) { /* U+2502, the frame's side */
				c += 2;
				continue;
			}
			if (*c == ' ' && (k == 0 || out[k - 1] == ' '))
				continue;
			out[k++] = *c;
		}
		if (k && out[k - 1] != ' ' && k + 1 < n)
			out[k++] = ' ';
	}
	out[k] = '\0';
}

void flow_detect_no_permission(void)
{
	if (getuid() != 0 || access("/usr/bin/setpriv", X_OK)) {
		flows_skip("needs root and setpriv to run the wizard as an unprivileged user");
		return;
	}
	/* the simulator's testbed is root's: open it, keep the usbfs node root's 0644 (the
	 * program needs O_RDWR), let the program reach the simulator's sockets */
	char script[700], abs[PATH_MAX];
	snprintf(script, sizeof script, "%s/as_nobody.sh", home);
	FILE *f = fopen(script, "w");
	if (!f || !realpath(program, abs)) {
		ok(0, "write the helper script");
		if (f)
			fclose(f);
		return;
	}
	/* the unprivileged user must reach the program, its terminfo and boards.ini */
	char probe[3 * PATH_MAX];
	const char *boards = getenv("OPENMV_RESCUE_BOARDS");
	snprintf(probe, sizeof probe, "setpriv --reuid=65534 --regid=65534 --clear-groups test -x '%s' -a "
	         "-r '%s' -a -r '%s'", abs, terminfo, boards ? boards : abs);
	if (system(probe)) {
		fclose(f);
		flows_skip("an unprivileged user cannot read the build tree (is it in root's home?)");
		return;
	}
	fputs("chmod 1777 \"$UMOCKDEV_DIR\"\n"
	      "find \"$UMOCKDEV_DIR/ioctl\" -type s -exec chmod 666 {} +\n"
	      "cd /\n"
	      "exec setpriv --reuid=65534 --regid=65534 --clear-groups env HOME=/ \"$@\"\n", f);
	fclose(f);
	char *argv[] = {(char *)sim, "--camera", "OPENMV4:bootloader", "--", "/bin/sh", script, abs, NULL};
	struct vt *v = start_argv(argv, "C.UTF-8", NULL, 24, 80, "No permission to open");
	ok(shows(v, "No permission to open /dev/bus/usb/001/"), "the detect screen names the node it cannot open");
	char text[8192], cmd[PATH_MAX + 40];
	snprintf(cmd, sizeof cmd, "sudo %s udev-install", abs);
	screen_text(v, text, sizeof text);
	ok(strstr(text, cmd) != NULL, "and shows the command that fixes it, whole: %s", cmd);
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v); /* Start */
	bool result = vt_wait_text(v, "openmv-rescue - Result", 30000) == 0;
	ok(result && shows(v, "Failed: no permission to open /dev/bus/usb/001/"),
	   "a run without permission fails, naming the node");
	screen_text(v, text, sizeof text);
	ok(strstr(text, cmd) != NULL, "the result shows the same command");
	ok(!vt_contains(v, "send the log to OpenMV support"), "and does not send the person to support");
	ok(strstr(text, "Run the command above in another terminal, then run the same action again"),
	   "it says what to do instead");
	vt_free(v);
}
