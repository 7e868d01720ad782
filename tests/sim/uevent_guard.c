/* uevent_guard.c — keeps umockdev's uevent sender from killing a host of virtual devices.
 *
 * umockdev 0.17.16 sends a uevent by connecting to each event<N> socket that glob() finds in
 * the testbed, one per listening client, and aborts on any connect() error but ECONNREFUSED
 * ("sendmsg_one: cannot connect to client's event socket").  A client that closes its udev
 * monitor between that glob and the connect (libusb_exit in a tool under test, which a
 * recovery does many times) leaves ENOENT instead, and the host dies with SIGABRT.  This
 * connect() reports that one case as the refusal umockdev already handles (it then unlinks
 * the path, which is gone anyway); every other call goes through unchanged.
 *
 * Link it into the program that sends the uevents (the host), never into a tool under test. */
#include <dlfcn.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

typedef int (*connect_fn)(int, const struct sockaddr *, socklen_t);

/* "<UMOCKDEV_DIR>/event<digits>": a client's uevent socket in the testbed */
static int is_event_socket(const struct sockaddr *addr, socklen_t len)
{
	const char *root = getenv("UMOCKDEV_DIR");
	if (!root || !addr || addr->sa_family != AF_UNIX || len <= offsetof(struct sockaddr_un, sun_path))
		return 0;
	const char *path = ((const struct sockaddr_un *)addr)->sun_path;
	size_t n = strlen(root);
	if (strncmp(path, root, n) || strncmp(path + n, "/event", 6))
		return 0;
	const char *d = path + n + 6;
	if (!*d)
		return 0;
	for (; *d; d++)
		if (*d < '0' || *d > '9')
			return 0;
	return 1;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	static connect_fn next;
	connect_fn f = __atomic_load_n(&next, __ATOMIC_ACQUIRE);
	if (!f) {
		f = (connect_fn)dlsym(RTLD_NEXT, "connect");
		__atomic_store_n(&next, f, __ATOMIC_RELEASE);
	}
	int r = f(fd, addr, len);
	if (r < 0 && errno == ENOENT && is_event_socket(addr, len))
		errno = ECONNREFUSED;
	return r;
}
