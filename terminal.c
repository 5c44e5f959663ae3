/*
 * terminal.c - `terminal: true`.  The init makes a pty from the container's
 * own devpts (after pivot_root, so /dev/ptmx is the container's), keeps the
 * peer as its stdio and controlling terminal, and hands the master to the
 * runtime with SCM_RIGHTS.  The runtime either passes it on to
 * --console-socket or, in the foreground, puts the caller's terminal in raw
 * mode and pumps bytes both ways.
 *
 * runc counterparts: libcontainer/init_linux.go setupConsole() and dupStdio(),
 * standard_init_linux.go (Setctty), nsexec.c (setsid), containerd/console
 * NewPty/SetRaw/ClearONLCR, libcontainer/utils/cmsg.go SendFd/RecvFd, tty.go
 * (recvtty, the copy loops), utils_linux.go setupIO().
 *
 * Differences: the peer comes from TIOCGPTPEER, never from /dev/pts/N by
 * path (CVE-2025-52565), so no name is resolved in the container's view.
 * ONLCR stays on, as runc 1.1 leaves it: `runc run -t` of `printf 'a\nb\n'`
 * delivers "a\r\nb\r\n" to the caller's terminal, which the runtime has put
 * in raw mode (no output processing of its own), so an interactive shell
 * needs the pty's "\r\n" to return to column 0 (tests/integration/terminal.bats).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "rootfs.h"

#ifndef TIOCGPTPEER
#define TIOCGPTPEER _IO('T', 0x41) /* Linux 4.13 */
#endif

/* runc's utils.MaxNameLen: the longest name SendFd accepts. */
#define TERM_MAX_NAME 4096

/* Open the container's /dev/ptmx (a link to pts/ptmx) and unlock the pty. */
static int
term_open_master(struct err *e)
{
	int unlock = 0, ptm;

	ptm = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (ptm < 0)
		return err_set(e, "open /dev/ptmx:");
	if (ioctl(ptm, TIOCSPTLCK, &unlock) < 0) {
		err_set(e, "unlockpt:");
		close(ptm);
		return -1;
	}
	return ptm;
}

/*
 * The peer straight from the master (ioctl_tty(2) TIOCGPTPEER): no path
 * lookup that a planted /dev/pts symlink could redirect.  Then the size.
 */
static int
term_open_peer(int ptm, const struct spec_process *p, struct err *e)
{
	int peer;

	peer = ioctl(ptm, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (peer < 0)
		return err_set(e, "ioctl(TIOCGPTPEER):");
	if (p->has_console_size) {
		struct winsize ws = {.ws_row = (unsigned short)p->console_height,
				     .ws_col = (unsigned short)p->console_width};
		log_debug("console size %ux%u  (runc: init_linux.go setupConsole, Resize)",
			  p->console_height, p->console_width);
		if (ioctl(ptm, TIOCSWINSZ, &ws) < 0)
			goto fail_msg;
	}
	return peer;
fail_msg:
	err_set(e, "setting up the console:");
	close(peer);
	return -1;
}

/*
 * The init becomes a session leader (runc's nsexec.c does setsid() for every
 * init; if our caller already did, we are one) and takes the peer as its
 * controlling terminal and its stdio (runc: dupStdio, system.Setctty).
 */
static int
term_take_peer(int peer, struct err *e)
{
	int fd;

	if (getsid(0) != getpid() && setsid() < 0)
		return err_set(e, "setsid:");
	if (ioctl(peer, TIOCSCTTY, 0) < 0)
		return err_set(e, "ioctl(setctty):");
	for (fd = 0; fd <= 2; fd++)
		if (dup2(peer, fd) < 0) /* dup2: the copies are not close-on-exec */
			return err_set(e, "dup2 console to fd %d:", fd);
	return 0;
}

int
term_setup_init(const struct spec_process *p, bool bind_console, struct err *e)
{
	int ptm, peer;

	log_debug("open /dev/ptmx, peer by TIOCGPTPEER  (runc: init_linux.go setupConsole)");
	ptm = term_open_master(e);
	if (ptm < 0)
		return -1;
	peer = term_open_peer(ptm, p, e);
	if (peer < 0)
		goto fail;
	/* exec'd processes get a pty of their own but leave /dev/console as the
	 * init made it (runc: setupConsole(..., mount=false) for setns). */
	if (bind_console) {
		log_debug("bind the pty over /dev/console  (runc: rootfs_linux.go mountConsole)");
		if (rootfs_bind_console(peer, e) < 0)
			goto fail;
	}
	log_debug("setsid, TIOCSCTTY, dup to 0 1 2  (runc: init_linux.go dupStdio, Setctty)");
	if (term_take_peer(peer, e) < 0)
		goto fail;
	if (peer > 2)
		close(peer);
	return ptm;
fail:
	if (peer > 2)
		close(peer);
	close(ptm);
	return -1;
}

int
term_send_fd(int sock, int fd, const char *name)
{
	size_t len = name ? strlen(name) : 0;

	if (len >= TERM_MAX_NAME) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* A stream socket drops ancillary data riding on zero bytes: send one. */
	return send_with_fd(sock, len ? name : "", len ? len : 1, fd) < 0 ? -1 : 0;
}

/* The one fd of an SCM_RIGHTS message, or -1/EBADMSG. */
static int
term_cmsg_fd(struct msghdr *msg)
{
	struct cmsghdr *cm;
	int fd = -1;

	for (cm = CMSG_FIRSTHDR(msg); cm; cm = CMSG_NXTHDR(msg, cm)) {
		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		size_t nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < nfd; i++) {
			int got;
			memcpy(&got, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (fd < 0)
				fd = got;
			else
				close(got); /* more than one: keep the first, as runc */
		}
	}
	if (fd < 0)
		errno = EBADMSG;
	return fd;
}

int
term_recv_fd_name(int sock, char *name, size_t namelen)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * 4)];
		struct cmsghdr align;
	} u;
	char data[TERM_MAX_NAME];
	struct iovec iov = {data, sizeof(data) - 1};
	struct msghdr msg = {0};
	ssize_t n;
	int fd;

	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	msg.msg_control = u.buf;
	msg.msg_controllen = sizeof(u.buf);
	do
		n = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0) {
		errno = ECONNRESET; /* the peer went away without sending */
		return -1;
	}
	fd = term_cmsg_fd(&msg);
	if (fd >= 0 && name && namelen > 0) {
		size_t k = (size_t)n < namelen - 1 ? (size_t)n : namelen - 1;
		memcpy(name, data, k);
		name[k] = '\0';
	}
	return fd;
}

int
term_recv_fd(int sock)
{
	return term_recv_fd_name(sock, NULL, 0);
}

int
term_connect_socket(const char *path, struct err *e)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	struct stat st;
	int fd;

	if (stat(path, &st) < 0)
		return err_set(e, "console socket %s:", path);
	if (!S_ISSOCK(st.st_mode)) {
		errno = ENOTSOCK;
		return err_set(e, "console socket %s: not a Unix socket", path);
	}
	if (strlen(path) >= sizeof(sa.sun_path)) {
		errno = ENAMETOOLONG;
		return err_set(e, "console socket %s:", path);
	}
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return err_set(e, "console socket: socket:");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err_set(e, "connect to console socket %s:", path);
		close(fd);
		return -1;
	}
	return fd;
}

/* containerd/console SetRaw: cfmakeraw(3) (VMIN 1, VTIME 0) on the caller's tty. */
int
term_raw_enter(int fd, struct term_saved *saved)
{
	struct termios raw;

	saved->active = false;
	saved->fd = fd;
	if (tcgetattr(fd, &saved->tio) < 0)
		return -1;
	raw = saved->tio;
	cfmakeraw(&raw);
	raw.c_cc[VMIN] = 1;
	raw.c_cc[VTIME] = 0;
	if (tcsetattr(fd, TCSANOW, &raw) < 0)
		return -1;
	saved->active = true;
	return 0;
}

void
term_raw_leave(struct term_saved *saved)
{
	int saved_errno = errno;

	if (saved->active)
		tcsetattr(saved->fd, TCSANOW, &saved->tio);
	saved->active = false;
	errno = saved_errno;
}

int
term_copy_winsize(int from, int to)
{
	struct winsize ws;

	if (ioctl(from, TIOCGWINSZ, &ws) < 0)
		return -1;
	return ioctl(to, TIOCSWINSZ, &ws);
}

long
term_pump(int from, int to)
{
	char buf[32768];
	ssize_t n = read_retry(from, buf, sizeof(buf));

	/* A pty master reads EIO once every peer fd is closed: that is the end. */
	if (n < 0 && errno == EIO)
		return 0;
	if (n <= 0)
		return n;
	if (write_all(to, buf, (size_t)n) < 0)
		return -1;
	return (long)n;
}
