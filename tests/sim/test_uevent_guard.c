/* test_uevent_guard.c — uevent_guard.c: a connect() to a vanished client uevent socket of the
 * testbed reads as refused (which umockdev's sender ignores), any other failure is unchanged. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "../common/tap.h"

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
	/* socket paths hold 108 bytes: keep the directory well inside that */
	char dir[72], path[96];
	const char *tmp = getenv("TMPDIR");
	if (snprintf(dir, sizeof dir, "%s/uevent_guard.XXXXXX", tmp && *tmp ? tmp : "/tmp") >= (int)sizeof dir)
		snprintf(dir, sizeof dir, "/tmp/uevent_guard.XXXXXX");
	if (!mkdtemp(dir)) {
		tap_skip_plan("no temporary directory");
		return 77;
	}
	int last;
	setenv("UMOCKDEV_DIR", dir, 1);
	snprintf(path, sizeof path, "%s/event12", dir);
	last = try_connect(path);
	tap_check(last == ECONNREFUSED, "a testbed's vanished event12 socket: ECONNREFUSED, not ENOENT", "errno %d", last);
	snprintf(path, sizeof path, "%s/eventx", dir);
	last = try_connect(path);
	tap_check(last == ENOENT, "a name that is not a client's uevent socket keeps ENOENT", "errno %d", last);
	snprintf(path, sizeof path, "%s/sub/event3", dir);
	last = try_connect(path);
	tap_check(last == ENOENT, "nor does a path elsewhere in the testbed", "errno %d", last);
	/* a listener that closes after the connect: the send is refused, and reported as sent */
	snprintf(path, sizeof path, "%s/event8", dir);
	struct sockaddr_un a = {.sun_family = AF_UNIX};
	memcpy(a.sun_path, path, strlen(path) + 1);
	int listener = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int sender = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	bool setup = !bind(listener, (struct sockaddr *)&a, sizeof a) && !connect(sender, (struct sockaddr *)&a, sizeof a);
	close(listener);
	char byte[3] = "abc";
	struct iovec iov = {byte, sizeof byte};
	struct msghdr m = {.msg_name = &a, .msg_namelen = sizeof a, .msg_iov = &iov, .msg_iovlen = 1};
	errno = 0;
	ssize_t sent = sendmsg(sender, &m, 0);
	last = errno;
	tap_check(setup && sent == 3, "a send to a testbed event socket whose listener closed is reported as sent",
	       "sent %zd, errno %d", sent, last);
	if (snprintf(a.sun_path, sizeof a.sun_path, "%s/other", dir) >= (int)sizeof a.sun_path)
		a.sun_path[0] = '\0';
	int other = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	errno = 0;
	sent = sendmsg(other, &m, 0);
	last = errno;
	tap_check(sent < 0, "a send elsewhere still fails", "sent %zd, errno %d", sent, last);
	close(sender);
	close(other);
	unlink(path);
	unsetenv("UMOCKDEV_DIR");
	snprintf(path, sizeof path, "%s/event12", dir);
	last = try_connect(path);
	tap_check(last == ENOENT, "without a testbed nothing changes", "errno %d", last);
	rmdir(dir);
	tap_plan(tap_count);
	return tap_exit();
}
