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
/* Would create accept this parsed config?  0, or -1 with the refusal in e. */
struct spec;
int ctr_config_supported(const struct spec *s, struct err *e);

/* Through the container's cgroup (container_cgroup.c). */
int cmd_pause(const char *root, const char *id, bool pause); /* pause / resume */
int cmd_ps(const char *root, const char *id, const char *format, char **ps_args);
struct spec_resources;
int cmd_update(const char *root, const char *id, const char *resources_file,
	       const struct spec_resources *flags);

struct exec_opts {
	const char *root, *id;
	bool detach, tty, no_new_privs;
	bool ignore_paused; /* --ignore-paused: exec into a frozen cgroup (it waits there) */
	const char *console_socket, *pid_file, *process_json, *cwd, *user;
	const char **env;  /* -e, NULL-terminated */
	const char **caps; /* --cap, NULL-terminated */
	const char **gids; /* --additional-gids, NULL-terminated */
	int preserve_fds;
	char **args; /* CMD ARG..., NULL-terminated */
};

int cmd_exec(const struct exec_opts *o);

/* Shared by container.c and exec.c. */
struct state;
int ctr_open_existing(const char *root, const char *id, struct state *st, struct err *e);
int ctr_signalfd(struct err *e);
int ctr_wait(pid_t pid, int sfd, int pty);
int ctr_write_pid_file(const char *path, pid_t pid, struct err *e);
int ctr_send_console(const char *path, int master, struct err *e);
/* Shared by container.c and container_ops.c. */
int ctr_fail(const struct err *e); /* the error's one line, then exit status 1 */
int ctr_start_socket(int dirfd, bool listening, struct err *e);
int ctr_start_locked(int dirfd, struct state *st, const struct spec *s, struct err *e);
int ctr_destroy(const char *root, int dirfd, struct state *st, struct err *e);
void ctr_hooks_warn(const struct spec *s, const struct state *st, enum spec_hook_kind kind,
		    const char *status);
/* The container's cgroup as state.json records it (container_cgroup.c). */
struct cg;
int ctr_cg_load(const struct state *st, struct cg *cg, struct err *e);
int ctr_cg_remove(const struct state *st, struct err *e);
int ctr_cg_kill_all(const struct state *st, int sig, struct err *e);
void ctr_cg_thaw_for_kill(const struct state *st);

/* What the init needs, handed over by clone (memory is copied). */
struct init_args {
	const struct spec *spec;
	const char *id;
	struct ns_plan *ns;
	int sync_fd;  /* the init's end of the socketpair */
	int start_fd; /* listening socket `start` connects to */
	bool no_pivot;
	bool detached; /* create, run -d: nobody of the caller's waits for the init */
	int preserve_fds;
	bool dumpable_until_mapped;	    /* stay dumpable until SYNC_USERNS (rootless) */
	const struct seccomp_prog *seccomp; /* NULL: no linux.seccomp */
};

/* Step 0 of the init and of an exec'd process alike: wait for SYNC_PLACED
 * (the runtime has written our pid into cgroup.procs) (init.c). */
int init_wait_placed(int sync_fd, struct err *e);

/* The init's whole life (init.c); never returns. */
void init_main(const struct init_args *a) __attribute__((noreturn));

/* Load the filter as runc does; a notify listener goes to the runtime
 * (SYNC_SECCOMP) and is closed once it says the agent has it (init.c). */
struct seccomp_prog;
int init_seccomp_load(const struct seccomp_prog *prog, int sync_fd, struct err *e);

/* Send one sync record (with an fd when fd >= 0) / receive one (fd out). */
int sync_send(int sock, int type, const char *msg, int fd);
int sync_recv(int sock, int *type, char *msg, size_t msglen, int *fd);

#endif
