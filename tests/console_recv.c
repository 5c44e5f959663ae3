/*
 * console_recv.c - the other end of --console-socket for the tests
 * (tests/integration/lifecycle.bats): listen on a unix socket, take the pty
 * master a runtime sends with SCM_RIGHTS, type a command into it and copy
 * what comes back to stdout until the container's side closes (EIO) or a
 * few seconds pass.
 *
 * runc counterpart: contrib/cmd/recvtty (which proxies a terminal for a
 * person); this one is scripted instead.
 *
 *   console_recv SOCKET COMMAND [SECONDS]
 *
 * Prints "fd: received" once a fd arrived, then the terminal's output.
 * Exits 0 when a fd arrived, 1 otherwise.  Left out: window size, raw mode.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static int
cr_listen(const char *path)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || strlen(path) >= sizeof(sa.sun_path))
		return -1;
	strcpy(sa.sun_path, path);
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 1) < 0)
		return -1;
	return fd;
}

/* One message carrying one fd (runc sends the pty's name as the data). */
static int
cr_recv_fd(int conn)
{
	char data[256], ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = {.iov_base = data, .iov_len = sizeof(data)};
	struct msghdr mh = {
	    .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof(ctl)};
	struct cmsghdr *c;
	int fd = -1;

	if (recvmsg(conn, &mh, MSG_CMSG_CLOEXEC) < 0)
		return -1;
	c = CMSG_FIRSTHDR(&mh);
	if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/* Copy the terminal to stdout until EIO/EOF or the deadline. */
static void
cr_copy(int pty, int seconds)
{
	struct pollfd pf = {.fd = pty, .events = POLLIN};
	time_t end = time(NULL) + seconds;
	char buf[4096];
	ssize_t n;

	while (time(NULL) < end) {
		if (poll(&pf, 1, 200) <= 0)
			continue;
		n = read(pty, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (write(1, buf, (size_t)n) < 0)
			break;
	}
}

int
main(int argc, char **argv)
{
	int lfd, conn, pty;

	if (argc < 3) {
		fprintf(stderr, "usage: console_recv SOCKET COMMAND [SECONDS]\n");
		return 2;
	}
	lfd = cr_listen(argv[1]);
	if (lfd < 0) {
		perror(argv[1]);
		return 1;
	}
	conn = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	pty = conn < 0 ? -1 : cr_recv_fd(conn);
	if (pty < 0) {
		fprintf(stderr, "console_recv: no fd received\n");
		return 1;
	}
	printf("fd: received\n");
	fflush(stdout);
	if (write(pty, argv[2], strlen(argv[2])) < 0 || write(pty, "\n", 1) < 0)
		perror("write to the pty");
	cr_copy(pty, argc > 3 ? atoi(argv[3]) : 3);
	return 0;
}
