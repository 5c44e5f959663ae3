/*
 * iptables_exec.c - the three rules a bridge needs (NETWORK.md, "The bridge recipe"): a
 * MASQUERADE in nat POSTROUTING for the bridge's subnet, and two FORWARD ACCEPTs (out of the
 * bridge; back in when the connection is known).  The seed types them by hand; here they are
 * argument vectors, checked with -C and inserted with -I only when -C says "absent", so a
 * second container or a second run never duplicates a rule.
 *
 * iptables(8) is exec'd, never run through a shell: found by absolute path (a hook may run
 * with no PATH at all; runtime-spec config.md "Hooks"), with an environment of PATH alone, no
 * inherited fds, stdin and stdout on /dev/null, stderr captured for the message: util.c's
 * run_program, which runs newuidmap the same way.
 *
 * runc counterpart: none (runc leaves networking to hooks); this is the part of the seed's
 * recipe that genuinetools/netns and CNI's bridge plugin do with go-iptables.  Left out:
 * ip6tables, port mappings (DNAT), chains of our own.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "iptables_exec.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netlink.h"

/* ---- vectors (pure) ------------------------------------------------------------------- */

static const char *const ipt_op_flag[] = {
    [IPT_CHECK] = "-C", [IPT_INSERT] = "-I", [IPT_DELETE] = "-D"};

/* Names and the subnet checked before any byte of them reaches a vector (SECURITY.md). */
static int
ipt_check_net(const struct ipt_net *n, struct err *e)
{
	uint32_t host, mask;

	errno = EINVAL;
	/* A leading '-' is a valid interface name but reads like an option to a human. */
	if (!nl_ifname_valid(n->bridge) || n->bridge[0] == '-')
		return err_set(e, "iptables: invalid bridge name \"%.32s\"",
			       n->bridge ? n->bridge : "(null)");
	if (n->uplink && (!nl_ifname_valid(n->uplink) || n->uplink[0] == '-'))
		return err_set(e, "iptables: invalid uplink name \"%.32s\"", n->uplink);
	if (n->prefix < 0 || n->prefix > 32)
		return err_set(e, "iptables: invalid prefix length %d", n->prefix);
	host = ntohl(n->addr.s_addr);
	mask = n->prefix ? ~0U << (32 - n->prefix) : 0;
	if (host & ~mask)
		return err_set(e, "iptables: subnet address has host bits set");
	return 0;
}

static void
ipt_push(struct ipt_argv *v, const char *s)
{
	if (v->argc < IPT_ARGV_MAX - 1)
		v->argv[v->argc++] = (char *)s;
	v->argv[v->argc] = NULL;
}

/* The part after the chain: identical bytes for -C, -I and -D (the comment is a match too). */
static void
ipt_push_rule(struct ipt_argv *v, enum ipt_rule rule, const struct ipt_net *n)
{
	if (rule == IPT_RULE_MASQ) {
		ipt_push(v, "-s");
		ipt_push(v, v->subnet);
		if (!n->uplink)
			ipt_push(v, "!");
		ipt_push(v, "-o");
		ipt_push(v, n->uplink ? n->uplink : n->bridge);
	} else if (rule == IPT_RULE_FWD_OUT) {
		ipt_push(v, "-i");
		ipt_push(v, n->bridge);
	} else {
		ipt_push(v, "-o");
		ipt_push(v, n->bridge);
		ipt_push(v, "-m");
		ipt_push(v, "conntrack");
		ipt_push(v, "--ctstate");
		ipt_push(v, "RELATED,ESTABLISHED");
	}
	ipt_push(v, "-m");
	ipt_push(v, "comment");
	ipt_push(v, "--comment");
	ipt_push(v, v->comment);
	ipt_push(v, "-j");
	ipt_push(v, rule == IPT_RULE_MASQ ? "MASQUERADE" : "ACCEPT");
}

int
ipt_build(const char *bin, enum ipt_op op, enum ipt_rule rule, const struct ipt_net *n,
	  struct ipt_argv *out, struct err *e)
{
	char a[INET_ADDRSTRLEN];

	memset(out, 0, sizeof(*out));
	if (ipt_check_net(n, e) < 0)
		return -1;
	if (!bin || bin[0] != '/' || strlen(bin) >= sizeof(out->bin) || (unsigned)op > IPT_DELETE ||
	    (unsigned)rule >= IPT_RULE_COUNT) {
		errno = EINVAL;
		return err_set(e, "iptables: invalid binary path or rule");
	}
	snprintf(out->bin, sizeof(out->bin), "%s", bin);
	inet_ntop(AF_INET, &n->addr, a, sizeof(a));
	snprintf(out->subnet, sizeof(out->subnet), "%s/%d", a, n->prefix);
	snprintf(out->comment, sizeof(out->comment), "minirunc:%s", n->bridge);
	ipt_push(out, out->bin);
	ipt_push(out, "-w"); /* wait for the xtables lock rather than fail (status 4) */
	ipt_push(out, "-t");
	ipt_push(out, rule == IPT_RULE_MASQ ? "nat" : "filter");
	/* -I without a position inserts at 1: before a DROP Docker or firewalld may keep. */
	ipt_push(out, ipt_op_flag[op]);
	ipt_push(out, rule == IPT_RULE_MASQ ? "POSTROUTING" : "FORWARD");
	ipt_push_rule(out, rule, n);
	return out->argc;
}

const char *
ipt_status_text(int status)
{
	switch (status) {
	case 0:
		return "success";
	case 1:
		return "rule or chain absent";
	case 2:
		return "usage error: iptables refused the arguments";
	case 3:
		return "version problem: the kernel lacks a needed match or target";
	case 4:
		return "lock or resource problem (xtables lock, or a kernel module missing)";
	case 126:
		return "binary not executable";
	case 127:
		return "binary not found or could not be executed";
	default:
		return status > 128 ? "killed by a signal" : "failed";
	}
}

/* ---- running it ----------------------------------------------------------------------- */

int
ipt_find(const char *opt, char *buf, size_t cap, struct err *e)
{
	static const char *const known[] = {"/usr/sbin/iptables", "/sbin/iptables"};

	if (opt) {
		if (opt[0] != '/') {
			errno = EINVAL;
			return err_set(e, "--iptables %.200s: not an absolute path", opt);
		}
		if (access(opt, X_OK) < 0)
			return err_set(e, "iptables binary %.200s:", opt);
		snprintf(buf, cap, "%s", opt);
		return strlen(opt) < cap ? 0 : (errno = ENAMETOOLONG, err_set(e, "--iptables:"));
	}
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++) {
		if (access(known[i], X_OK) == 0) {
			snprintf(buf, cap, "%s", known[i]);
			return 0;
		}
	}
	errno = ENOENT;
	return err_set(e, "iptables not found in /usr/sbin or /sbin (give --iptables PATH)");
}

int
ipt_exec(const struct ipt_argv *v, char *errbuf, size_t errcap, struct err *e)
{
	int status = run_program(v->bin, v->argv, errbuf, errcap);

	return status < 0 ? err_set(e, "iptables: run %s:", v->bin) : status;
}

/* "iptables -t nat -I POSTROUTING (minirunc:runc0): exit status 4 (lock ...): text" */
static int
ipt_fail(const struct ipt_argv *v, int status, const char *text, struct err *e)
{
	errno = status == 127 ? ENOENT : EIO;
	return err_set(e, "%s -t %s %s %s (%s): exit status %d (%s)%s%.200s", v->bin, v->argv[3],
		       v->argv[4], v->argv[5], v->comment, status, ipt_status_text(status),
		       text[0] ? ": " : "", text);
}

static int
ipt_run(const char *bin, enum ipt_op op, enum ipt_rule rule, const struct ipt_net *n, struct err *e)
{
	struct ipt_argv v;
	char text[256] = "";
	int st;

	if (ipt_build(bin, op, rule, n, &v, e) < 0)
		return -1;
	log_debug("iptables -w -t %s %s %s ... (%s)  (seed: iptables -t %s %s by hand)", v.argv[3],
		  v.argv[4], v.argv[5], v.comment, v.argv[3], v.argv[5]);
	st = ipt_exec(&v, text, sizeof(text), e);
	if (st == 0 || st == 1)
		return st;
	return st < 0 ? -1 : ipt_fail(&v, st, text, e);
}

int
ipt_ensure(const char *bin, enum ipt_rule rule, const struct ipt_net *n, struct err *e)
{
	int st = ipt_run(bin, IPT_CHECK, rule, n, e);

	if (st != 1)
		return st; /* 0: present; -1: error */
	st = ipt_run(bin, IPT_INSERT, rule, n, e);
	if (st == 1) {
		struct ipt_argv v;

		ipt_build(bin, IPT_INSERT, rule, n, &v, NULL);
		return ipt_fail(&v, 1, "", e);
	}
	return st == 0 ? 1 : st;
}

int
ipt_remove(const char *bin, enum ipt_rule rule, const struct ipt_net *n, struct err *e)
{
	int st = ipt_run(bin, IPT_CHECK, rule, n, e);

	if (st != 0)
		return st == 1 ? 0 : -1;
	st = ipt_run(bin, IPT_DELETE, rule, n, e);
	return st == 0 ? 0 : (st == 1 ? 0 : -1);
}
