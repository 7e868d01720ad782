/* test_uevent_guard.c — uevent_guard.c: a connect() to a vanished client uevent socket of the
 * testbed reads as refused (which umockdev's sender ignores), any other failure is unchanged. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "tap.h"

static int try_connect(const char *path)
{
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	snprintf(a.sun_path, sizeof a.sun_path, "%s", path);
	int fd = socket(AF_UNIX, SOCK_RAW | SOCK_CLOEXEC, 0);
	errno = 0;
	int r = connect(fd, (struct sockaddr *)&a, sizeof a);
	int e = r < 0 ? errno : 0;
	close(fd);
	return e;
}

int main(void)
{
	char dir[300], path[400];
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/uevent_guard.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		tap_skip_all("no temporary directory");
		return 77;
	}
	int last;
	setenv("UMOCKDEV_DIR", dir, 1);
	snprintf(path, sizeof path, "%s/event12", dir);
	last = try_connect(path);
	tap_ok(last == ECONNREFUSED, "a testbed's vanished event12 socket: ECONNREFUSED, not ENOENT", "errno %d", last);
	snprintf(path, sizeof path, "%s/eventx", dir);
	last = try_connect(path);
	tap_ok(last == ENOENT, "a name that is not a client's uevent socket keeps ENOENT", "errno %d", last);
	snprintf(path, sizeof path, "%s/sub/event3", dir);
	last = try_connect(path);
	tap_ok(last == ENOENT, "nor does a path elsewhere in the testbed", "errno %d", last);
	unsetenv("UMOCKDEV_DIR");
	snprintf(path, sizeof path, "%s/event12", dir);
	last = try_connect(path);
	tap_ok(last == ENOENT, "without a testbed nothing changes", "errno %d", last);
	rmdir(dir);
	tap_plan(tap_n);
	return tap_exit();
}
