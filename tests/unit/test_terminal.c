/*
 * test_terminal.c - the parts of terminal.c that need no root: passing an fd
 * with its name over a socketpair (SCM_RIGHTS, as runc's utils/cmsg.go), the
 * console socket checks, raw mode and its exact restore on a fresh pty, the
 * window size copy, and the byte pump.  term_setup_init() needs root and a
 * devpts of its own; it is exercised by the integration tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "terminal.h"
#include "unit.h"

static char tmp[256];

TEST(send_recv_fd_with_name)
{
	int sv[2], pp[2], got;
	char name[64] = "", buf[8] = "";

	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	CHECK(pipe2(pp, O_CLOEXEC) == 0);
	CHECK(term_send_fd(sv[0], pp[1], TERM_PTY_NAME) == 0);
	got = term_recv_fd_name(sv[1], name, sizeof(name));
	CHECK(got >= 0);
	CHECK_STR(name, "/dev/ptmx");
	CHECK(got != pp[1] && (fcntl(got, F_GETFD) & FD_CLOEXEC));
	/* It is the same pipe: what goes in the received fd comes out of pp[0]. */
	CHECK(write(got, "hi", 2) == 2);
	CHECK(read(pp[0], buf, sizeof(buf)) == 2 && memcmp(buf, "hi", 2) == 0);
	close(got);
	/* A name cut to the caller's buffer; an empty name still carries the fd. */
	CHECK(term_send_fd(sv[0], pp[1], "") == 0);
	got = term_recv_fd(sv[1]);
	CHECK(got >= 0);
	close(got);
	close(pp[0]);
	close(pp[1]);
	close(sv[0]);
	close(sv[1]);
}

TEST(send_recv_errors)
{
	static char longname[5000];
	int sv[2];

	memset(longname, 'a', sizeof(longname) - 1);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
	CHECK(term_send_fd(sv[0], 0, longname) < 0 && errno == ENAMETOOLONG);
	/* Data but no fd: refused. */
	CHECK(write(sv[0], "x", 1) == 1);
	CHECK(term_recv_fd(sv[1]) < 0 && errno == EBADMSG);
	/* The sender gone: an error, not a hang. */
	close(sv[0]);
	CHECK(term_recv_fd(sv[1]) < 0 && errno == ECONNRESET);
	close(sv[1]);
}

TEST(connect_socket_checks)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char path[300], want[600], longp[200];
	struct err e = {""};
	int ls, fd;

	snprintf(path, sizeof(path), "%s/file", tmp);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	close(fd);
	CHECK(term_connect_socket(path, &e) < 0 && errno == ENOTSOCK);
	snprintf(want, sizeof(want), "console socket %s: not a Unix socket", path);
	CHECK_STR(e.msg, want);
	snprintf(path, sizeof(path), "%s/missing", tmp);
	CHECK(term_connect_socket(path, &e) < 0);
	snprintf(want, sizeof(want), "console socket %s: No such file or directory", path);
	CHECK_STR(e.msg, want);
	memset(longp, 'x', sizeof(longp) - 1);
	longp[sizeof(longp) - 1] = '\0';
	CHECK(term_connect_socket(longp, &e) < 0);

	snprintf(path, sizeof(path), "%s/sock", tmp);
	if (strlen(path) < sizeof(sa.sun_path))
		memcpy(sa.sun_path, path, strlen(path) + 1);
	ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	CHECK(bind(ls, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(ls, 1) == 0);
	fd = term_connect_socket(path, &e);
	CHECK(fd >= 0 && (fcntl(fd, F_GETFD) & FD_CLOEXEC));
	if (fd >= 0)
		close(fd);
	close(ls);
}

/* A fresh pty pair (no root needed): master and peer. */
static int
open_pty(int *peer)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);

	if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0)
		return -1;
	*peer = open(ptsname(m), O_RDWR | O_NOCTTY | O_CLOEXEC);
	return *peer < 0 ? -1 : m;
}

TEST(raw_mode_and_exact_restore)
{
	struct term_saved saved = {0};
	struct termios before, during, after;
	int peer, m = open_pty(&peer);

	CHECK(m >= 0);
	if (m < 0)
		return;
	/* Zeroed: a libc's c_cc may be longer than the kernel's (musl: 32 vs 19). */
	memset(&before, 0, sizeof(before));
	memset(&after, 0, sizeof(after));
	CHECK(tcgetattr(peer, &before) == 0);
	CHECK(term_raw_enter(peer, &saved) == 0 && saved.active);
	CHECK(tcgetattr(peer, &during) == 0);
	CHECK(!(during.c_lflag & (ICANON | ECHO | ISIG)));
	CHECK(!(during.c_oflag & OPOST) && !(during.c_iflag & ICRNL));
	CHECK(during.c_cc[VMIN] == 1 && during.c_cc[VTIME] == 0);
	term_raw_leave(&saved);
	CHECK(!saved.active);
	CHECK(tcgetattr(peer, &after) == 0);
	CHECK(after.c_iflag == before.c_iflag && after.c_oflag == before.c_oflag);
	CHECK(after.c_cflag == before.c_cflag && after.c_lflag == before.c_lflag);
	CHECK(memcmp(after.c_cc, before.c_cc, sizeof(before.c_cc)) == 0);
	term_raw_leave(&saved); /* twice is harmless */
	/* Not a tty: an error, and nothing to restore. */
	CHECK(term_raw_enter(open("/dev/null", O_RDONLY | O_CLOEXEC), &saved) < 0);
	CHECK(!saved.active);
	close(saved.fd);
	close(peer);
	close(m);
}

TEST(copy_winsize)
{
	struct winsize ws = {.ws_row = 33, .ws_col = 111}, got = {0};
	int p1, p2, m1 = open_pty(&p1), m2 = open_pty(&p2);

	CHECK(m1 >= 0 && m2 >= 0);
	CHECK(ioctl(p1, TIOCSWINSZ, &ws) == 0);
	CHECK(term_copy_winsize(p1, m2) == 0);
	CHECK(ioctl(p2, TIOCGWINSZ, &got) == 0 && got.ws_row == 33 && got.ws_col == 111);
	CHECK(term_copy_winsize(-1, m2) < 0);
	close(p1);
	close(p2);
	close(m1);
	close(m2);
}

TEST(pump)
{
	int a[2], b[2], peer, m;
	char buf[16] = "";

	CHECK(pipe2(a, O_CLOEXEC) == 0 && pipe2(b, O_CLOEXEC) == 0);
	CHECK(write(a[1], "hello", 5) == 5);
	CHECK(term_pump(a[0], b[1]) == 5);
	CHECK(read(b[0], buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);
	close(a[1]);
	CHECK(term_pump(a[0], b[1]) == 0); /* end of file */
	close(a[0]);
	close(b[0]);
	close(b[1]);
	/* The pty master after its last peer closed reads EIO: that is the end too. */
	m = open_pty(&peer);
	CHECK(m >= 0);
	close(peer);
	CHECK(term_pump(m, 1) == 0);
	close(m);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");
	char path[300];

	snprintf(tmp, sizeof(tmp), "%s/test_terminal.XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(send_recv_fd_with_name);
	RUN(send_recv_errors);
	RUN(connect_socket_checks);
	RUN(raw_mode_and_exact_restore);
	RUN(copy_winsize);
	RUN(pump);
	snprintf(path, sizeof(path), "%s/file", tmp);
	unlink(path);
	snprintf(path, sizeof(path), "%s/sock", tmp);
	unlink(path);
	rmdir(tmp);
	UNIT_END();
}
