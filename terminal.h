/*
 * terminal.h - `terminal: true`: the pty made from the container's devpts,
 * the console socket, and the foreground proxy.  runc: tty.go,
 * utils_linux.go setupIO(), libcontainer/console_linux.go.
 */
#ifndef MINIRUNC_TERMINAL_H
#define MINIRUNC_TERMINAL_H

#include <stdbool.h>
#include <stddef.h>
#include <termios.h>

#include "spec.h"
#include "util.h"

/*
 * In the init, after pivot_root: open /dev/ptmx (the container's devpts),
 * unlock it, take the peer with TIOCGPTPEER (never /dev/pts/N by path), set
 * the console size if given (ONLCR left on, as runc does), bind the peer over
 * /dev/console (rootfs_bind_console), make it the controlling terminal and
 * fds 0, 1, 2.  Returns the master fd (to be sent to the runtime) or -1.
 */
int term_setup_init(const struct spec_process *p, bool bind_console, struct err *e);

/*
 * SCM_RIGHTS: send fd with a name as the payload / receive one.  runc sends
 * the master's name, "/dev/ptmx" (utils/cmsg.go SendFd, names < 4096 bytes).
 * Received fds are close-on-exec (MSG_CMSG_CLOEXEC).
 */
#define TERM_PTY_NAME "/dev/ptmx"
int term_send_fd(int sock, int fd, const char *name);
int term_recv_fd(int sock); /* returns the fd, or -1 with errno */
/* The same, also giving the name (NUL-terminated, cut to namelen). */
int term_recv_fd_name(int sock, char *name, size_t namelen);

/* Connect to --console-socket PATH (must be a Unix socket); returns fd or -1. */
int term_connect_socket(const char *path, struct err *e);

/* The caller's terminal in raw mode for the foreground proxy, and back. */
struct term_saved {
	bool active;
	int fd;
	struct termios tio;
};
int term_raw_enter(int fd, struct term_saved *saved);
void term_raw_leave(struct term_saved *saved);

/* Copy the window size of from (the caller's tty) to to (the pty master). */
int term_copy_winsize(int from, int to);

/* Move what is readable on from to to (one read, all written).  Returns the
 * bytes moved, 0 at end of file / hangup, -1 on error. */
long term_pump(int from, int to);

#endif
