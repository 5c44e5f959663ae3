/*
 * state.h - what minirunc keeps about a container between commands:
 * <root>/<id>/ (0700, locked with flock), state.json, and a copy of the
 * config.json it was created from.  runc: libcontainer/state_linux.go,
 * container_linux.go currentState(), list.go, state.go.
 */
#ifndef MINIRUNC_STATE_H
#define MINIRUNC_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "spec.h"
#include "util.h"

#define STATE_DEFAULT_ROOT "/run/minirunc"

struct state {
	char *id;
	char *oci_version;
	char *bundle;
	char *rootfs;
	char *created; /* RFC 3339 with nanoseconds, UTC, as runc */
	pid_t pid;
	unsigned long long start_time; /* /proc/PID/stat field 22: tells a recycled pid apart */
	bool ready;		       /* the init reported ready: "created", not "creating" */
	bool started;		       /* `start` has let the process run */
	char *annotations_json;	       /* the annotations object, compact JSON, or NULL */
	char owner[64];		       /* `list`: who owns the state dir ("" = "root") */
	char *cgroups_json;	       /* the container's cgroup (cg_encode), or NULL */
};

/* Create <root>/<id> (and <root>) 0700 and lock it; EEXIST -> "container with
 * id exists: ID".  Returns the locked directory fd. */
int state_dir_create(const char *root, const char *id, struct err *e);
/* Open and lock an existing one; missing -> "container does not exist". */
int state_dir_open(const char *root, const char *id, struct err *e);
/* Is the locked directory still there (not removed by a `delete` that held
 * the lock before us)? */
bool state_dir_alive(int dirfd);
/* Remove <root>/<id> and everything in it. */
int state_dir_remove(const char *root, const char *id, int dirfd);

int state_write(int dirfd, const struct state *st, struct err *e);
/* Read and check state.json of id (it must name the same id); a pid out of range reads as
 * 0 (not running).  -1 with errno = EINVAL: "state.json of ID is damaged". */
int state_read(int dirfd, const char *id, struct state *st, struct err *e);
void state_free(struct state *st);

/* The process start time of pid (0 if it is gone). */
unsigned long long state_pid_start_time(pid_t pid);
/* "creating", "created", "running", "paused" (its cgroup is frozen) or
 * "stopped", from the process and its cgroup as they are now. */
const char *state_status(const struct state *st);

/*
 * JSON for a state.  STATE_JSON_RUNC is `runc state`'s shape (indented,
 * with rootfs, created, owner); STATE_JSON_OCI is the runtime-spec state a
 * hook gets on stdin (compact; pid omitted when pid <= 0).  Caller frees.
 */
enum state_json_kind { STATE_JSON_RUNC, STATE_JSON_OCI, STATE_JSON_LIST };
char *state_json(const struct state *st, const char *status, enum state_json_kind kind,
		 size_t *len);
/* Write the state JSON with every key into w (for `list -f json`). */
struct json_writer;
void state_json_into(struct json_writer *w, const struct state *st, const char *status,
		     enum state_json_kind kind);

/* The config.json copy kept in the state dir (for delete's poststop hooks). */
int state_save_config(int dirfd, const char *bundle, struct err *e);
int state_load_config(int dirfd, const char *bundle, struct spec *s, struct err *e);

#endif
