/* simhost_table.c — the options of openmv-rescue-sim, once: --help and the man page
 * openmv-rescue-sim(1) are written from this table (src/cli/cmdtable.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmdtable.h"
#include "simhost_table.h"

static const struct ct_option sim_options[] = {
	{"--camera", 0, "TYPE[:MODE][,KEY=VALUE...]", CT_TEXT, NULL, "a camera type",
	 "add a virtual camera (see --list). MODE: bootloader (the default), power-up, st-rom, "
	 "arduino-dfu, firmware, off; NXP: sbl (the default), sbl-power-up, sdp, flashloader; N6: "
	 "openbootloader; AE3: se; Nano 33 BLE: samba; Nano RP2040: bootsel. KEYs: "
	 "after-leave=MODE, serial=S, max-packet=N, nor-addressing=layout|set-phase, "
	 "reset=v1+v2+touch|none, sketch, fw=4.4.0..4.7.0|4.8.0|4.8.1|v2, bl=X.Y.Z, "
	 "layout=stock|updated, impostor, no-access, se=seram|serom, se-silent, se-version=X.Y.Z, "
	 "se-keys=prod|dev|blank, se-fault=KIND@N (vanish, silent, nak, garbage, tty-gone, replaced, flip), "
	 "hands=auto|signal, nano-fault=KIND@N (vanish, wrong-reply, bad-ack, timeout, garbage, replaced, "
	 "vanish-byte, stall, error-status).", NULL, 0},
	{"--load", 0, "[CAMERA:]ADDR|altN=FILE", CT_FILE, NULL, "ADDR=FILE",
	 "preload memory before the cameras plug in", NULL, 0},
	{"--fault", 0, "[CAMERA:]SPEC", CT_TEXT, NULL, "a fault",
	 "inject a fault: stall@N, timeout@N, disconnect@block=N, unplug@byte=N (the camera unplugged once N "
	 "bytes of download data arrived, over its life), status=errWRITE@block=N, "
	 "garbage-status@N, short-status@N, vanish@claim=N, h7-rev-v; NXP: vanish@report=N, status=CODE@cmd=N, "
	 "status=CODE@data=N, short-report@N, stall@N, timeout@N (OUT reports); N6: disconnect@phase=N, "
	 "phase=0xNN@N, garbage-phase@N; replaced@block=N, replaced@report=N, replaced@phase=N: that "
	 "disconnect, then another device (another serial number) on the same port",
	 NULL, 0},
	{"--timing", 0, "fast|realistic", CT_WORD, "fast realistic", "fast or realistic",
	 "erase and program times, and with realistic also the bus time of every control "
	 "transfer at USB full speed (default fast)", NULL, 0},
	{"--device-time", 0, NULL, CT_NONE, NULL, NULL,
	 "at the end, print on stderr what the erases, programs and control transfers took in the "
	 "timing model: the least time any tool can take for the same work", NULL, 0},
	{"--dump", 0, "DIR", CT_DIR, NULL, "a folder",
	 "write each memory to DIR/CAMERA.MEMORY.bin at the end", NULL, 0},
	{"--replay", 0, "FILE", CT_FILE, NULL, "a recording",
	 "a virtual device that answers from FILE, a recording of openmv-rescue --record "
	 "--record-payloads; the first request that differs from it is reported (exchange number, "
	 "what was recorded, what came) and the exit status is then non-zero", NULL, 0},
	{"--trace", 0, NULL, CT_NONE, NULL, NULL, "log every USB request on stderr", NULL, 0},
	{"--list", 0, NULL, CT_NONE, NULL, NULL, "list camera types and their modes", NULL, 0},
	{"--help", 'h', NULL, CT_NONE, NULL, NULL, "show this help", NULL, 0},
};

static const struct ct_program sim_program = {
	.name = "openmv-rescue-sim",
	.tagline = "virtual OpenMV cameras on an emulated USB bus and serial ports",
	.synopsis = "[options] -- COMMAND [ARG...]\n[options] serve",
	.description =
		"openmv-rescue-sim starts virtual cameras (models of the OpenMV and Arduino bootloaders, "
		"chip ROMs and running firmware, written from their documentation) on a USB bus and "
		"serial ports emulated with umockdev, then runs COMMAND against them and exits with its "
		"status. The real libusb and libserialport talk to the models, so any flashing tool "
		"(openmv-rescue, dfu-util, bossac) can be run unmodified.\n\n"
		"With serve it prints the environment a program needs to see the cameras and serves "
		"until its standard input closes.\n\n"
		"CAMERA is a label (the TYPE, or TYPE-2 for a second one); without it, --load and "
		"--fault apply to the --camera given before them.",
	.options = sim_options,
	.noptions = sizeof sim_options / sizeof sim_options[0],
	.exit_status = "The exit status of COMMAND (with --replay, 1 when COMMAND succeeded but a request "
	               "diverged from the recording); 2 for bad usage or an unreadable recording; 1 when the "
	               "virtual bus cannot start.",
	.environment = "SIGUSR1\tthe person's hands: a camera with after-leave=MODE is replugged into "
	               "it; the AE3's hard-maintenance switch and user button\n"
	               "SIGUSR2\ta power cycle",
	.see_also = "openmv-rescue(1), dfu-util(1), bossac(1)",
};

void sim_usage(FILE *out)
{
	ct_print_usage(out, &sim_program);
}

void sim_man(FILE *out)
{
	const char *sde = getenv("SOURCE_DATE_EPOCH"); /* reproducible-builds.org */
	time_t t = sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
	struct tm tm;
	char date[16];
	gmtime_r(&t, &tm);
	strftime(date, sizeof date, "%Y-%m-%d", &tm);
	ct_print_man(out, &sim_program, RESCUE_VERSION, date);
}
