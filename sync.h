/*
 * sync.h - the handshake between the runtime and the init it cloned, over a
 * SOCK_SEQPACKET socketpair (one message = one record, never merged).
 * runc: libcontainer/sync.go (procHooks, procReady, procError) and the
 * SYNC_* values of nsenter/nsexec.c.  Both sides number the steps alike.
 *
 *   runtime                                   init
 *   mkdir the cgroup, write the init's pid
 *   into cgroup.procs (cgroups.c)
 *                          --> 0 SYNC_PLACED      first of all: the init waits for it
 *   [a new user namespace, or idmapped mounts:]
 *   write uid_map, setgroups, gid_map;            (waits, still "nobody")
 *   make each idmapped mount's detached tree
 *                          --> 0 SYNC_IDMAP (+fd)  one per idmapped mount, in order
 *                          --> 0 SYNC_USERNS       maps written: become root, go on
 *                          <-- 1 SYNC_HOOKS       namespaces, hostname, lo, mounts, /dev done
 *   prestart, createRuntime hooks
 *                          --> 2 SYNC_HOOKS_DONE
 *                          <-- 3 SYNC_PTY (+fd)   only with terminal: true
 *                          <-- 4a SYNC_SECCOMP (+fd) only with SCMP_ACT_NOTIFY, once the
 *   send it to listenerPath                       filter is loaded
 *                          --> 4b SYNC_SECCOMP_DONE
 *                          <-- 4 SYNC_READY       pivot_root, masks, user, caps, seccomp done
 *   write state.json: created
 *   `start` connects to the start socket -->  5   the init accepts, runs startContainer
 *                                                  hooks, execve()s; the connection
 *                                                  closes (CLOEXEC) on success or
 *                                                  carries the error text on failure
 *   Any step may fail:    <-- SYNC_ERROR (msg) and the init exits 1.
 */
#ifndef MINIRUNC_SYNC_H
#define MINIRUNC_SYNC_H

enum sync_type {
	SYNC_HOOKS = 1,	   /* init: my namespaces and mounts exist; run prestart/createRuntime */
	SYNC_HOOKS_DONE,   /* runtime: hooks ran, go on to pivot_root */
	SYNC_PTY,	   /* init: the pty master comes with this message (SCM_RIGHTS) */
	SYNC_READY,	   /* init: ready to exec, waiting for start */
	SYNC_ERROR,	   /* init: msg says what failed; I exit 1 */
	SYNC_IDMAP,	   /* runtime: an idmapped mount's tree comes with this message */
	SYNC_USERNS,	   /* runtime: your uid/gid maps are written, go on */
	SYNC_SECCOMP,	   /* init: the seccomp listener fd comes with this (SCMP_ACT_NOTIFY) */
	SYNC_SECCOMP_DONE, /* runtime: the agent at listenerPath has it */
	SYNC_PLACED,	   /* runtime: you are in your cgroup; go on (before any other step) */
};

struct sync_msg {
	int type;
	char msg[512];
};

#endif
