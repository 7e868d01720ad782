/* Keeps umockdev 0.17.16's uevent sender from aborting this process.
 *
 * The sender (uevent_sender.c, linked into libumockdev) delivers each uevent to every
 * $UMOCKDEV_DIR/event<N> socket it finds, and calls abort() when
 *   - sendmsg() fails because the listener closed its socket after connect() — a
 *     tool (dfu-util) exiting at that moment; seen about once in a hundred runs;
 *   - connect() fails with ENOENT because a starting tool is re-creating a socket of
 *     the same name (it unlinks, then binds).
 * Both are races with other processes, not errors: a listener that is gone needs no
 * message, and one being created is there a few microseconds later.  This process
 * defines connect() and sendmsg() (ahead of libc and the preload, which it then
 * calls) and changes the outcome of exactly those two cases on uevent sockets. */
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "usbsim_priv.h"

static int (*real_connect)(int, const struct sockaddr *, socklen_t);
static ssize_t (*real_sendmsg)(int, const struct msghdr *, int);

void usbsim_uevent_guard_init(void)
{
	if (!real_connect)
		real_connect = (int (*)(int, const struct sockaddr *, socklen_t))dlsym(RTLD_NEXT, "connect");
	if (!real_sendmsg)
		real_sendmsg = (ssize_t(*)(int, const struct msghdr *, int))dlsym(RTLD_NEXT, "sendmsg");
}

static bool is_uevent_socket(const void *addr)
{
	const struct sockaddr_un *un = addr;
	const char *root = getenv("UMOCKDEV_DIR");

	if (!un || un->sun_family != AF_UNIX || !root)
		return false;
	size_t n = strlen(root);
	if (strncmp(un->sun_path, root, n) || strncmp(un->sun_path + n, "/event", 6))
		return false;
	const char *d = un->sun_path + n + 6; /* "<UMOCKDEV_DIR>/event<digits>": a client's socket */
	if (!*d)
		return false;
	for (; *d; d++)
		if (*d < '0' || *d > '9')
			return false;
	return true;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	usbsim_uevent_guard_init();
	int r = real_connect(fd, addr, len);
	if (r == 0 || !is_uevent_socket(addr))
		return r;
	/* Being re-created (ENOENT), or maybe stale (ECONNREFUSED: the sender will unlink
	 * it — make sure no new listener has just bound that name): look again. */
	for (int i = 0; r < 0 && ((errno == ENOENT && i < 20) || (errno == ECONNREFUSED && i < 2)); i++) {
		usleep(250);
		r = real_connect(fd, addr, len);
	}
	if (r < 0 && errno == ENOENT)
		errno = ECONNREFUSED; /* gone for good: the sender forgets it */
	return r;
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	usbsim_uevent_guard_init();
	ssize_t r = real_sendmsg(fd, msg, flags);
	if (r < 0 && errno == ECONNREFUSED && msg && is_uevent_socket(msg->msg_name)) {
		size_t total = 0; /* the listener exited after connect(): nothing to deliver */
		for (size_t i = 0; i < msg->msg_iovlen; i++)
			total += msg->msg_iov[i].iov_len;
		return (ssize_t)total;
	}
	return r;
}
