/*
 * hooks.h - running an OCI hook: the state JSON on stdin, only the hook's own
 * env, no inherited fds, a timeout, never a shell.
 * runc: libcontainer/configs/config.go Command.Run(); runtime-spec config.md
 * "POSIX-platform Hooks".
 */
#ifndef MINIRUNC_HOOKS_H
#define MINIRUNC_HOOKS_H

#include <stddef.h>

#include "spec.h"
#include "util.h"

/* "prestart", "createRuntime", ... as config.json spells them. */
const char *hook_kind_name(enum spec_hook_kind k);

/*
 * Run one hook in the caller's namespaces and wait for it.  stdin is a pipe
 * carrying state (len bytes), stdout and stderr are captured (their text goes
 * into the error), argv is h->args (argv[0] included) or {h->path} when empty,
 * envp is h->env only, every other fd closed.  Past h->timeout seconds the
 * hook is killed with SIGKILL.  Returns 0 when it exits 0; else -1 with e like
 *   prestart hook /usr/bin/x: exit status 2: <its stderr, one line>
 *   prestart hook /usr/bin/x: ran past its timeout of 5s, killed
 */
int hook_run(enum spec_hook_kind kind, const struct spec_hook *h, const char *state, size_t len,
	     struct err *e);

/* Every hook of one kind in order; stops at the first that fails. */
int hooks_run(const struct spec *s, enum spec_hook_kind kind, const char *state, size_t len,
	      struct err *e);

/*
 * Every hook of one kind in order, going on past a failure: runtime-spec
 * config.md says a failing poststart or poststop hook is a warning and the
 * remaining hooks and the lifecycle continue.  warn() gets each failure's
 * message; returns how many failed.
 */
int hooks_run_all(const struct spec *s, enum spec_hook_kind kind, const char *state, size_t len,
		  void (*warn)(const char *msg));

#endif
