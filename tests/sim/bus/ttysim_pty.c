/*
 * Kernel-level pty functions for ttysim. This file uses the kernel's termios2 structure
 * (needed for baud rates such as 12000000 that have no Bxxx constant), which cannot be
 * mixed with glibc's <termios.h>, so it lives on its own.
 */
#include <asm/ioctls.h>
#include <asm/termbits.h>
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ttysim_internal.h"

static int raw_ioctl(int fd, unsigned long req, void *arg)
{
    /* Direct system call: the umockdev preload interposes ioctl() and would route a
     * descriptor it wrapped to its default handler. */
    long r = syscall(SYS_ioctl, fd, req, arg);
    return r < 0 ? -errno : (int)r;
}

int ttysim_pty_setup(int master)
{
    struct termios2 t;
    int on = 1;
    int r = raw_ioctl(master, TCGETS2, &t);
    if (r < 0)
        return r;
    /* Raw 8N1 at 9600: the initial termios of the cdc_acm and usb-serial tty drivers. */
    t.c_iflag = 0;
    t.c_oflag = 0;
    t.c_cflag = B9600 | CS8 | CREAD | HUPCL | CLOCAL;
    t.c_ispeed = t.c_ospeed = 9600;
    /* EXTPROC makes the pty report termios changes in packet mode (TIOCPKT_IOCTL). */
    t.c_lflag = EXTPROC;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    r = raw_ioctl(master, TCSETS2, &t);
    if (r < 0)
        return r;
    return raw_ioctl(master, TIOCPKT, &on);
}

int ttysim_pty_termios(int master, unsigned *baud, bool *hupcl)
{
    struct termios2 t;
    /* On a pty master, termios requests act on the slave side. */
    int r = raw_ioctl(master, TCGETS2, &t);
    if (r < 0)
        return r;
    if (baud)
        *baud = (t.c_cflag & CBAUD) == B0 ? 0 : t.c_ospeed;
    if (hupcl)
        *hupcl = (t.c_cflag & HUPCL) != 0;
    return 0;
}

void ttysim_pty_flush_input(int slave)
{
    syscall(SYS_ioctl, slave, TCFLSH, (long)TCIFLUSH);
}

bool ttysim_req_sets_termios(unsigned long req)
{
    return req == TCSETS || req == TCSETSW || req == TCSETSF || req == TCSETS2 ||
           req == TCSETSW2 || req == TCSETSF2;
}
