/*
 * iptables_exec.h - the bridge's NAT and FORWARD rules through iptables(8), exec'd by
 * absolute path with a clean environment, never through a shell (NETWORK.md).
 */
#ifndef MINIRUNC_IPTABLES_EXEC_H
#define MINIRUNC_IPTABLES_EXEC_H

#include <netinet/in.h>

#include "util.h"

/* What the rules are about: one bridge, its subnet, and optionally the uplink. */
struct ipt_net {
	const char *bridge;  /* 1-15 bytes of [A-Za-z0-9_.-] (nl_ifname_valid) */
	struct in_addr addr; /* the subnet's network address, host bits zero */
	int prefix;	     /* 0..32 */
	const char *uplink;  /* NULL: MASQUERADE `! -o BRIDGE`; else `-o UPLINK` */
};

enum ipt_op { IPT_CHECK, IPT_INSERT, IPT_DELETE };

/* The three rules of a bridge, in the order they are installed. */
enum ipt_rule { IPT_RULE_MASQ, IPT_RULE_FWD_OUT, IPT_RULE_FWD_BACK, IPT_RULE_COUNT };

#define IPT_ARGV_MAX 32

/* One argument vector; argv points into the struct itself and into string literals. */
struct ipt_argv {
	char *argv[IPT_ARGV_MAX];
	int argc;
	char subnet[24];  /* "10.213.0.0/16" */
	char comment[32]; /* "minirunc:runc0" */
	char bin[256];
};

/*
 * Build the vector of one rule for one operation (pure: no syscalls).  The rule's matches are
 * the same bytes for -C, -I and -D, so a check finds exactly what an insert made.  Returns
 * argc, or -1 with errno = EINVAL (bad name, address or prefix; e filled).
 */
int ipt_build(const char *bin, enum ipt_op op, enum ipt_rule rule, const struct ipt_net *n,
	      struct ipt_argv *out, struct err *e);

/* What an iptables exit status means ("lock or resource problem"). */
const char *ipt_status_text(int status);

/*
 * The binary: opt when given (must be an absolute path to an executable), else
 * /usr/sbin/iptables, else /sbin/iptables.  Copies it into buf (cap bytes).
 */
int ipt_find(const char *opt, char *buf, size_t cap, struct err *e);

/*
 * fork + execve of a vector with env PATH=/usr/sbin:/usr/bin:/sbin:/bin only, stdin and
 * stdout /dev/null, stderr captured, no other fd.  Returns the exit status (0..255, 128+sig
 * for a signal), or -1 with e filled when it could not run at all.  errbuf gets the first
 * line of its stderr.
 */
int ipt_exec(const struct ipt_argv *v, char *errbuf, size_t errcap, struct err *e);

/* -C, then -I only when -C said 1 (absent).  0: it was there, 1: inserted now, or -1 with e
 * naming rule and status. */
int ipt_ensure(const char *bin, enum ipt_rule rule, const struct ipt_net *n, struct err *e);
/* -D; absent (status 1 after a -C) is success. */
int ipt_remove(const char *bin, enum ipt_rule rule, const struct ipt_net *n, struct err *e);

#endif
