/*
 * net_bridge.c - the bridge's own part of the recipe (the seed's steps 1 and 4), once for all
 * its containers: the bridge, its gateway address, ip_forward and the NAT/FORWARD rules, the
 * record of what minirunc made of them (<root>/net/<bridge>/bridge and made), undoing exactly
 * that when a create fails, and `net reset`, which removes only what minirunc made.
 *
 * runc counterpart: none (runc leaves networks to hooks); CNI's bridge plugin sets up its
 * bridge and masquerade rules the same way, and leaves a bridge it did not create.
 * Left out: removing ip_forward (never written back to 0, NETWORK.md).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iptables_exec.h"
#include "net_int.h"

static struct ipt_net
net_ipt(const struct net_opts *o)
{
	struct ipt_net n = {.bridge = o->bridge,
			    .addr = o->pool.net,
			    .prefix = o->pool.prefix,
			    .uplink = o->uplink};

	return n;
}

/* ---- the bridge (seed step 1, and step 4's rules) ------------------------------------- */

/* What the bridge was set up with, kept in <dir>/bridge: a second create must agree. */
static void
net_bridge_record(const struct net_opts *o, char *buf, size_t cap)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &o->pool.net, a, sizeof(a));
	snprintf(buf, cap, "subnet=%s/%d\nuplink=%s\nnat=%d\n", a, o->pool.prefix,
		 o->uplink ? o->uplink : "", o->nat);
}

static int
net_bridge_agrees(int dirfd, const struct net_opts *o, bool *recorded, struct err *e)
{
	char want[128], have[256];

	net_bridge_record(o, want, sizeof(want));
	*recorded = net_read_small(dirfd, "bridge", have, sizeof(have)) == 0;
	if (!*recorded || strcmp(want, have) == 0)
		return 0;
	have[strcspn(have, "\n")] = '\0';
	errno = EEXIST;
	return err_set(e,
		       "bridge %s was set up with other options (%s, ...); use them, or "
		       "`minirunc net reset --bridge %s` first",
		       o->bridge, have, o->bridge);
}

/* The gateway on the bridge: already there is fine (0), another address is an error; 1 when
 * it was added now. */
static int
net_bridge_address(struct nl_sock *s, int br, const struct net_opts *o, struct err *e)
{
	struct in_addr gw = net_pool_gateway(&o->pool);
	struct nl_addr4 have[8];
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	int n = nl_addr_list(s, br, have, 8, e);

	if (n < 0)
		return -1;
	inet_ntop(AF_INET, &gw, a, sizeof(a));
	for (int i = 0; i < n && i < 8; i++) {
		if (have[i].local.s_addr == gw.s_addr && have[i].prefix == o->pool.prefix)
			return 0;
		inet_ntop(AF_INET, &have[i].local, b, sizeof(b));
		errno = EEXIST;
		return err_set(e,
			       "bridge %s already has the address %s/%d, not %s/%d (another "
			       "subnet? give --subnet or another --bridge)",
			       o->bridge, b, have[i].prefix, a, o->pool.prefix);
	}
	log_debug("add %s/%d to %s  (seed step 1: ip addr add GW/16 dev runc0)", a, o->pool.prefix,
		  o->bridge);
	return nl_addr_add(s, br, gw, o->pool.prefix, e) < 0 ? -1 : 1;
}

/* net.ipv4.ip_forward in the runtime's netns: 1 when it is not; never written back to 0. */
static int
net_ip_forward(struct err *e)
{
	const char *path = "/proc/sys/net/ipv4/ip_forward";
	char c = 0;
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return err_set(e, "open %s:", path);
	if (read_retry(fd, &c, 1) == 1 && c == '1') {
		close(fd);
		return 0;
	}
	log_debug("write 1 to %s  (missing in the seed; sysctl net.ipv4.ip_forward=1)", path);
	if (pwrite(fd, "1\n", 2, 0) != 2) {
		err_set(e, "write 1 to %s:", path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

struct net_count {
	int n;
	char first[64];
};

static int
net_count_one(const struct net_lease *l, void *arg)
{
	struct net_count *c = arg;

	if (c->n++ == 0)
		snprintf(c->first, sizeof(c->first), "%.63s", l->id);
	return 0;
}

static int
net_rules_ensure(const struct net_opts *o, struct net_made *m, struct err *e)
{
	struct ipt_net n = net_ipt(o);
	int rc;

	for (int r = 0; r < IPT_RULE_COUNT; r++) {
		rc = ipt_ensure(o->ipt_bin, (enum ipt_rule)r, &n, e);
		if (rc < 0)
			return -1;
		if (rc == 1)
			m->rules |= 1u << r;
	}
	return 0;
}

static int
net_made_write(int dirfd, const struct net_opts *o, const struct net_made *m, struct err *e)
{
	char rec[128];

	net_bridge_record(o, rec, sizeof(rec));
	if (net_write_small(dirfd, "bridge", rec, e) < 0)
		return -1;
	snprintf(rec, sizeof(rec), "%s=%d\n%s", m->bridge ? "bridge" : "found", m->br,
		 m->address ? "address=1\n" : "");
	return net_write_small(dirfd, "made", rec, e);
}

/* Undo what this call made, newest first (the lease lock held).  Errors are left out of e:
 * the first error is the one the user sees. */
static void
net_bridge_undo(struct nl_sock *s, int dirfd, const struct net_opts *o, const struct net_made *m)
{
	struct ipt_net n = net_ipt(o);
	struct net_owned want = {
	    .name = o->bridge, .kind = "bridge", .master = -1, .ifindex = m->br};
	struct nl_link l;

	if (m->record) {
		(void)unlinkat(dirfd, "made", 0);
		(void)unlinkat(dirfd, "bridge", 0);
		(void)unlinkat(dirfd, "last", 0);
	}
	for (int r = IPT_RULE_COUNT - 1; r >= 0; r--)
		if (m->rules & (1u << r))
			(void)ipt_remove(o->ipt_bin, (enum ipt_rule)r, &n, NULL);
	if (m->address && !m->bridge)
		(void)nl_addr_del(s, m->br, net_pool_gateway(&o->pool), o->pool.prefix, NULL);
	if (m->bridge && net_link_owned(s, &want, &l, NULL) == 1) {
		log_debug("rollback: ip link del %s", o->bridge);
		(void)nl_link_delete(s, o->bridge, NULL);
	}
}

/* The bridge, its gateway and its rules; m says what was made.  Returns the ifindex. */
static int
net_bridge_make(struct nl_sock *s, const struct net_opts *o, struct net_made *m, struct err *e)
{
	unsigned char mac[6];
	int rc;

	nl_mac_from_name(o->bridge, mac);
	log_debug("create bridge %s, fixed MAC, up  (seed step 1: brctl addbr runc0; ip link "
		  "set runc0 up)",
		  o->bridge);
	rc = nl_bridge_create(s, o->bridge, mac, e);
	if (rc < 0)
		return -1;
	m->bridge = rc == 1;
	m->br = nl_link_index(s, o->bridge, e);
	if (m->br < 0)
		return -1;
	rc = net_bridge_address(s, m->br, o, e);
	if (rc < 0)
		return -1;
	m->address = rc == 1;
	if (o->nat && net_rules_ensure(o, m, e) < 0)
		return -1;
	/* Last, as it is never undone: NETWORK.md, ip_forward is never written back to 0. */
	return net_ip_forward(e) < 0 ? -1 : m->br;
}

/* Steps that belong to the bridge, once for all its containers; under the lease lock so
 * that two creates never both see a rule absent and both insert it.  Returns its ifindex;
 * on failure whatever this call made is undone. */
int
net_bridge_prepare(struct nl_sock *s, int dirfd, const struct net_opts *o, struct net_made *m,
		   struct err *e)
{
	bool recorded;
	int lock, br = -1;

	memset(m, 0, sizeof(*m));
	lock = net_leases_lock(dirfd, e);
	if (lock < 0)
		return -1;
	if (net_bridge_agrees(dirfd, o, &recorded, e) < 0)
		goto out;
	br = net_bridge_make(s, o, m, e);
	/* A bridge made again (deleted behind minirunc's back) is recorded anew. */
	if (br >= 0 && (!recorded || m->bridge)) {
		m->record = true;
		if (net_made_write(dirfd, o, m, e) < 0)
			br = -1;
	}
	if (br < 0)
		net_bridge_undo(s, dirfd, o, m);
out:
	close(lock);
	return br;
}

/* No lease and no record in the bridge's directory: nobody uses it. */
bool
net_bridge_unused(int dirfd)
{
	struct net_count c = {0};
	struct stat st;
	int lock = net_leases_lock(dirfd, NULL);
	bool unused;

	if (lock < 0)
		return false;
	unused = net_lease_each(dirfd, net_count_one, &c, NULL) == 0 && c.n == 0 &&
		 fstatat(dirfd, "bridge", &st, 0) < 0;
	close(lock);
	return unused;
}

/* After a container's own steps failed: undo the bridge's parts this call made, unless
 * another container uses the bridge by now. */
void
net_bridge_rollback(struct nl_sock *s, int dirfd, const struct net_opts *o,
		    const struct net_made *m)
{
	struct net_count c = {0};
	int lock;

	if (!m->bridge && !m->address && !m->rules && !m->record)
		return;
	lock = net_leases_lock(dirfd, NULL);
	if (lock < 0)
		return;
	if (net_lease_each(dirfd, net_count_one, &c, NULL) == 0 && c.n == 0)
		net_bridge_undo(s, dirfd, o, m);
	close(lock);
}

/* The bridge's record, if there is one, agrees with the options (read before the lock, and
 * again under it in net_bridge_prepare()). */
int
net_record_agrees(const struct net_opts *o, struct err *e)
{
	char path[4096];
	bool recorded;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/net/%s", o->root, o->bridge);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : err_set(e, "open %s:", path);
	rc = net_bridge_agrees(fd, o, &recorded, e);
	close(fd);
	return rc;
}

/* Take subnet, uplink and nat from the record the bridge was set up with. */
static int
net_reset_record(int dirfd, struct net_opts *o, char *uplink, struct err *e)
{
	char rec[256], subnet[64] = "";
	int nat = 1;

	if (net_read_small(dirfd, "bridge", rec, sizeof(rec)) < 0)
		return net_opts_resolve(o, e);
	uplink[0] = '\0';
	for (char *line = strtok(rec, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "subnet=", 7))
			snprintf(subnet, sizeof(subnet), "%s", line + 7);
		else if (!strncmp(line, "uplink=", 7))
			snprintf(uplink, 16, "%.15s", line + 7);
		else if (!strncmp(line, "nat=", 4))
			nat = atoi(line + 4);
	}
	o->subnet = subnet;
	o->uplink = uplink[0] ? uplink : NULL;
	o->nat = nat != 0;
	o->ip = NULL;
	nat = net_opts_resolve(o, e);
	o->subnet = NULL; /* a local of this function; o->pool holds it now */
	return nat;
}

/* <dir>/made, as net_made_write() wrote it: 0, or -1 when there is none. */
static int
net_made_read(int dirfd, struct net_made *m)
{
	char rec[128];

	memset(m, 0, sizeof(*m));
	if (net_read_small(dirfd, "made", rec, sizeof(rec)) < 0)
		return -1;
	for (char *line = strtok(rec, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, "bridge=", 7) || !strncmp(line, "found=", 6)) {
			m->bridge = line[0] == 'b';
			m->br = atoi(strchr(line, '=') + 1);
		} else if (!strcmp(line, "address=1")) {
			m->address = true;
		}
	}
	return m->br > 0 ? 0 : -1;
}

static int
net_reset_rules(const struct net_opts *o, struct err *e)
{
	struct ipt_net n = net_ipt(o);

	for (int r = 0; o->nat && r < IPT_RULE_COUNT; r++)
		if (ipt_remove(o->ipt_bin, (enum ipt_rule)r, &n, e) < 0)
			return -1;
	return 0;
}

/*
 * The link named --bridge, when it is the bridge minirunc made and recorded: deleted.  A
 * bridge `net create` found and reused: left, without minirunc's gateway address, *kept set.
 * Anything else of that name (a veth, a bridge of someone else, one made again with another
 * ifindex): refused before anything changes.  Returns 0 when the records may go.
 */
static int
net_reset_link(struct nl_sock *s, int dirfd, const struct net_opts *o, bool *kept, struct err *e)
{
	struct net_made m;
	bool have = dirfd >= 0 && net_made_read(dirfd, &m) == 0;
	struct net_owned want = {
	    .name = o->bridge, .kind = "bridge", .master = -1, .ifindex = have ? m.br : 0};
	struct nl_link l;
	int rc = net_link_owned(s, &want, &l, e);

	if (rc == 1 && !have) {
		errno = EPERM;
		return err_set(
		    e,
		    "bridge %s: no record under %s/net/%s that minirunc made or used it; "
		    "left alone",
		    o->bridge, o->root, o->bridge);
	}
	if (rc < 0 || net_reset_rules(o, e) < 0)
		return -1;
	if (rc == 0)
		return 0;
	if (m.bridge) {
		log_debug("ip link del %s  (seed: brctl delbr runc0)", o->bridge);
		return nl_link_delete(s, o->bridge, e) < 0 && errno != ENODEV ? -1 : 0;
	}
	if (m.address && nl_addr_del(s, m.br, net_pool_gateway(&o->pool), o->pool.prefix, e) < 0 &&
	    errno != EADDRNOTAVAIL)
		return -1;
	*kept = true;
	return 0;
}

/* Remove the rules, the bridge (when minirunc made it) and the records of a bridge nobody
 * uses.  dirfd -1: there is no record directory at all. */
static int
net_reset_bridge(int dirfd, struct net_opts *o, bool *kept, struct err *e)
{
	struct nl_sock s;
	int rc;

	if (nl_open(&s, -1, e) < 0)
		return -1;
	rc = net_reset_link(&s, dirfd, o, kept, e);
	nl_close(&s);
	if (rc < 0 || dirfd < 0)
		return rc;
	(void)unlinkat(dirfd, "last", 0);
	(void)unlinkat(dirfd, "made", 0);
	(void)unlinkat(dirfd, "bridge", 0);
	(void)unlinkat(dirfd, "lock", 0);
	return 0;
}

/* The lock held: no lease in use, then the record's options, then the bridge. */
static int
net_reset_locked(int dirfd, struct net_opts *o, bool *kept, struct err *e)
{
	struct net_count c = {0};
	char uplink[16];

	if (net_lease_each(dirfd, net_count_one, &c, e) < 0)
		return -1;
	if (c.n > 0) {
		errno = EBUSY;
		return err_set(e,
			       "bridge %s is in use by %d container(s) (%s%s); delete them first",
			       o->bridge, c.n, c.first, c.n > 1 ? ", ..." : "");
	}
	if (net_reset_record(dirfd, o, uplink, e) < 0)
		return -1;
	return net_reset_bridge(dirfd, o, kept, e);
}

/* net reset --bridge B: only when no lease of B is in use, and only what minirunc made. */
int
net_cmd_reset(struct net_opts *o, struct err *e)
{
	char path[4096];
	bool kept = false;
	int dirfd, lock, rc;

	if (net_ifname_check("--bridge", o->bridge, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/net/%s", o->root, o->bridge);
	dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 && errno != ENOENT)
		return err_set(e, "open %s:", path);
	if (dirfd < 0) /* never set up here: only a link of that name could be in the way */
		return net_opts_resolve(o, e) < 0 ? -1 : net_reset_bridge(-1, o, &kept, e);
	lock = net_leases_lock(dirfd, e);
	rc = lock < 0 ? -1 : net_reset_locked(dirfd, o, &kept, e);
	if (lock >= 0)
		close(lock);
	close(dirfd);
	if (rc == 0 && rmdir(path) < 0 && errno != ENOENT)
		return err_set(e, "rmdir %s:", path);
	if (rc == 0 && kept) {
		errno = EPERM;
		return err_set(e,
			       "bridge %s left in place: it existed before minirunc used it (its "
			       "minirunc rules, gateway address and records are removed)",
			       o->bridge);
	}
	return rc;
}
