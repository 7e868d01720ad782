/* flows_soak.c — one wizard process, many practice recoveries in a row with "Start over"
 * between them: its peak RSS (VmHWM) and open file descriptors may not grow with the runs
 * (a leak grows per run; the first runs still warm up caches, so run 10 is the baseline).
 *
 * The first run erases the filesystem of the virtual camera in its bootloader; after it the
 * camera restarts into its firmware, so the next runs alternate a flash with the sample
 * images (the proposal for a running camera) and an erase-fs chosen by hand.
 * 50 runs (under a minute with ASan); WIZARD_SOAK_RUNS=N runs N (at least 10) instead.
 * Two parts of ASan's own bookkeeping are turned off for the wizard, as they would read as
 * growth of the program's memory: the quarantine (freed memory held back, as
 * tests/e2e/soak_cli.sh does) and the allocation stack traces (malloc_context_size=0: its
 * stack depot kept growing by ~50 kB a run here, 21.4 -> 23.8 MB from run 10 to 50, and by
 * 0.7 MB in all without it); errors are still caught, without the allocation's stack. */
#include <dirent.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flows.h"

#define RESULT_TITLE "openmv-rescue PRACTICE (virtual camera) - Result"
#define RESULT_MS 30000
/* the tolerances of tests/e2e/soak_cli.sh: 2 MB of peak RSS, no descriptor more */
#define RSS_TOLERANCE_KB 2048
#define FD_TOLERANCE 0

struct usage {
	long hwm_kb;
	int fds;      /* the program's own */
	int mock_fds; /* umockdev's ioctl connections (see is_mock_socket) */
};

/* Is fd target "socket:[INODE]" a Unix stream socket?  The program opens none itself (libusb's
 * hotplug socket is a datagram one under umockdev); umockdev's preload connects one to the
 * simulator for each emulated device node opened (…/ioctl/dev/bus/usb/BBB/DDD or
 * …/ioctl/_default).  Now and then one of these stays after the node's own fd was closed
 * (seen in this soak: the device node's fd gone, its ioctl socket left; [I] a race in the
 * preload between one thread's close and another's open of the same fd number): that is the
 * test bed's, not the program's, so it is counted apart. */
static bool is_mock_socket(const char *target)
{
	unsigned long ino, i;
	unsigned type;
	if (sscanf(target, "socket:[%lu]", &ino) != 1)
		return false;
	FILE *f = fopen("/proc/net/unix", "r");
	char line[512];
	bool yes = false;
	/* Num RefCount Protocol Flags Type St Inode Path; Type 0001 is SOCK_STREAM */
	while (f && !yes && fgets(line, sizeof line, f))
		if (sscanf(line, "%*s %*s %*s %*s %x %*s %lu", &type, &i) == 2 && i == ino && type == 1)
			yes = true;
	if (f)
		fclose(f);
	return yes;
}

static struct usage usage_of(int pid)
{
	struct usage u = {-1, -1, 0};
	char path[64], line[256];
	snprintf(path, sizeof path, "/proc/%d/status", pid);
	FILE *f = fopen(path, "r");
	if (f) {
		while (fgets(line, sizeof line, f))
			if (!strncmp(line, "VmHWM:", 6))
				u.hwm_kb = strtol(line + 6, NULL, 10);
		fclose(f);
	}
	snprintf(path, sizeof path, "/proc/%d/fd", pid);
	DIR *d = opendir(path);
	if (d) {
		u.fds = 0;
		for (struct dirent *e; (e = readdir(d));) {
			if (e->d_name[0] == '.')
				continue;
			char fd_path[400], target[128];
			snprintf(fd_path, sizeof fd_path, "%s/%s", path, e->d_name);
			ssize_t k = readlink(fd_path, target, sizeof target - 1);
			target[k > 0 ? k : 0] = '\0';
			if (is_mock_socket(target))
				u.mock_fds++;
			else
				u.fds++;
		}
		closedir(d);
	}
	return u;
}

static bool at_result(struct vt *v, const char *done)
{
	return vt_wait_text(v, RESULT_TITLE, RESULT_MS) == 0 && vt_contains(v, done);
}

/* From the detect screen after Start over (the camera running its firmware): the proposed
 * firmware update with the sample images, to the end. */
static bool flash_samples(struct vt *v)
{
	if (vt_select(v, "OpenMV Cam H7 is running its firmware - update the firmware?"))
		return false;
	enter(v);
	if (vt_select(v, "Use sample images"))
		return false;
	enter(v);
	if (vt_select(v, "Continue"))
		return false;
	enter(v);
	if (vt_wait_text(v, "openmv-rescue PRACTICE (virtual camera) - Confirm", WAIT_MS))
		return false;
	enter(v);
	return at_result(v, "Done: OpenMV Cam H7 flash");
}

static bool erase_fs(struct vt *v)
{
	to_action(v, "OPENMV4 ", "Erase the internal filesystem");
	enter(v); /* Start */
	return at_result(v, "Done: OpenMV Cam H7 erase-fs");
}

static bool start_over(struct vt *v)
{
	if (vt_select(v, "Start over"))
		return false;
	enter(v);
	return vt_wait_text(v, "OpenMV Cam H7 - running firmware", WAIT_MS) == 0;
}

static void no_growth(const char *what, long tenth, long last, long tolerance, int runs)
{
	ok(tenth > 0 && last >= 0 && last <= tenth + tolerance,
	   "wizard %s does not grow from run 10 to run %d (%ld -> %ld, tolerance %ld)", what, runs,
	   tenth, last, tolerance);
}

void flow_practice_soak(void)
{
	const char *n = getenv("WIZARD_SOAK_RUNS");
	int runs = n && atoi(n) >= 10 ? atoi(n) : 50;
	char *argv[] = {(char *)sim, "--camera", "OPENMV4", "--", (char *)program, "--practice", NULL};
	const char *asan = getenv("ASAN_OPTIONS");
	char asan_env[600];
	snprintf(asan_env, sizeof asan_env, "ASAN_OPTIONS=%s%squarantine_size_mb=0:malloc_context_size=0",
	         asan ? asan : "", asan && *asan ? ":" : "");
	const char *extra[] = {asan_env, NULL};
	struct vt *v = start_argv(argv, "C.UTF-8", extra, 24, 80, "OpenMV DFU bootloader");
	int pid = v ? vt_program_pid(v) : 0;
	struct usage tenth = {-1, -1, 0}, last = {-1, -1, 0};
	int done = 0;
	for (int i = 1; v && i <= runs; i++) {
		bool good = i == 1 ? erase_fs(v) : (start_over(v) && (i % 2 ? erase_fs(v) : flash_samples(v)));
		if (!good) {
			printf("# run %d did not reach its result\n", i);
			vt_dump(v, stdout);
			break;
		}
		done = i;
		if (vt_program_pid(v) != pid) {
			printf("# run %d: the wizard is not the same process any more\n", i);
			break;
		}
		if (i % 10 == 0) {
			struct usage u = usage_of(pid);
			printf("# after run %d: VmHWM %ld kB, %d fds (and %d of umockdev's)\n", i, u.hwm_kb, u.fds,
			       u.mock_fds);
		}
		if (i == 10)
			tenth = usage_of(pid);
		if (i == runs)
			last = usage_of(pid);
	}
	ok(done == runs, "%d practice recoveries in one wizard process, Start over between them (%d done)",
	   runs, done);
	printf("# run 10:  wizard VmHWM %ld kB, %d fds (umockdev's ioctl sockets: %d more)\n",
	       tenth.hwm_kb, tenth.fds, tenth.mock_fds);
	printf("# run %d:  wizard VmHWM %ld kB, %d fds (umockdev's ioctl sockets: %d more)\n", runs,
	       last.hwm_kb, last.fds, last.mock_fds);
	no_growth("peak RSS (kB)", tenth.hwm_kb, last.hwm_kb, RSS_TOLERANCE_KB, runs);
	no_growth("open fds", tenth.fds, last.fds, FD_TOLERANCE, runs);
	vt_free(v);
}
