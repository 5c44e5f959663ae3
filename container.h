/*
 * container.h - the subcommands that act on containers (runtime side).
 * Each returns the exit status the command should exit with.
 */
#ifndef MINIRUNC_CONTAINER_H
#define MINIRUNC_CONTAINER_H

#include <stdbool.h>

#include "nsutil.h"
#include "spec.h"

struct create_opts {
	const char *root; /* --root */
	const char *id;
	const char *bundle;
	const char *pid_file;
	const char *console_socket;
	bool no_pivot;
	bool detach; /* run -d */
	bool keep;   /* run --keep: no delete after the process exits */
	int preserve_fds;
};

int cmd_run(const struct create_opts *o);
int cmd_create(const struct create_opts *o);
int cmd_start(const char *root, const char *id);
int cmd_state(const char *root, const char *id);
int cmd_kill(const char *root, const char *id, const char *sig, bool all);
int cmd_delete(const char *root, const char *id, bool force);
int cmd_list(const char *root, bool quiet, const char *format);

/* What the init needs, handed over by clone (memory is copied). */
struct init_args {
	const struct spec *spec;
	const char *id;
	struct ns_plan *ns;
	int sync_fd;   /* the init's end of the socketpair */
	int start_fd;  /* listening socket `start` connects to */
	bool no_pivot;
	int preserve_fds;
};

/* The init's whole life (init.c); never returns. */
void init_main(const struct init_args *a) __attribute__((noreturn));

/* Send one sync record (with an fd when fd >= 0) / receive one (fd out). */
int sync_send(int sock, int type, const char *msg, int fd);
int sync_recv(int sock, int *type, char *msg, size_t msglen, int *fd);

#endif
