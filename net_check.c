/*
 * net_check.c - what the bridge recipe checks before it touches anything, and before it
 * deletes anything (NETWORK.md; SECURITY.md: minirunc changes only what it made).
 *
 * Before `net create` or a hook makes its first change: interface names that the kernel takes
 * and that iptables cannot mistake for options, an --uplink that exists, a --bridge name that
 * is free or already a bridge, and a subnet that overlaps no address of this network namespace
 * (the pool's own rules are net_pool_check()'s).  Before a delete: the link of the recorded
 * name is still the one minirunc made - its kind (RTM_GETLINK's IFLA_INFO_KIND), its master,
 * its ifindex - since a name alone can be taken over by anyone once ours is gone.
 *
 * runc counterpart: none (runc leaves networks to hooks); CNI's bridge plugin checks a found
 * link's kind the same way (it refuses a non-bridge of the bridge's name).
 * Left out: IPv6 addresses, routes that overlap without an address.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "network.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netlink.h"

int
net_ifname_check(const char *opt, const char *name, struct err *e)
{
	/* The kernel's dev_valid_name() refuses "", ".", "..", '/', ':' and whitespace, and
	 * more than IFNAMSIZ - 1 bytes; nl_ifname_valid() keeps to a plain charset inside that.
	 * A leading '-' is a name the kernel takes but iptables would read as an option. */
	if (nl_ifname_valid(name) && name[0] != '-')
		return 0;
	errno = EINVAL;
	return err_set(
	    e,
	    "invalid interface name \"%.64s\" (%s): 1-15 bytes of [A-Za-z0-9_.-] "
	    "(IFNAMSIZ), not \".\" or \"..\", not starting with '-' (iptables would take "
	    "it for an option)",
	    name ? name : "", opt);
}

/* The IPv4 addresses of every link of this netns, malloc'd (caller frees); *n gets how many. */
static struct nl_addr4 *
net_all_addresses(struct nl_sock *s, int *n, struct err *e)
{
	int max = 64;
	struct nl_addr4 *a = NULL;

	for (;;) {
		free(a);
		a = calloc((size_t)max, sizeof(*a));
		if (!a) {
			err_set(e, "list the addresses of this network namespace:");
			return NULL;
		}
		*n = nl_addr_list(s, 0, a, max, e);
		if (*n < 0) {
			free(a);
			return NULL;
		}
		if (*n <= max)
			return a;
		max = *n + 16; /* more came than fit: ask again with room for them */
	}
}

/* The subnet overlaps no address of this netns but those on the bridge itself (its gateway:
 * net_bridge_address() decides about those). */
static int
net_check_overlap(struct nl_sock *s, int br, const struct net_pool *p, struct err *e)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], ifname[IF_NAMESIZE] = "?";
	struct nl_addr4 *have;
	int n, rc = 0;

	have = net_all_addresses(s, &n, e);
	if (!have)
		return -1;
	for (int i = 0; i < n && rc == 0; i++) {
		if (have[i].index == br || !net_overlap(ntohl(have[i].local.s_addr), have[i].prefix,
							ntohl(p->net.s_addr), p->prefix))
			continue;
		inet_ntop(AF_INET, &p->net, a, sizeof(a));
		inet_ntop(AF_INET, &have[i].local, b, sizeof(b));
		(void)if_indextoname((unsigned)have[i].index, ifname);
		errno = EADDRINUSE;
		rc = err_set(e,
			     "subnet %s/%d overlaps %s/%d on %s, an address of this network "
			     "namespace: give another --subnet",
			     a, p->prefix, b, have[i].prefix, ifname);
	}
	free(have);
	return rc;
}

int
net_check_host(struct nl_sock *s, const char *bridge, const char *uplink, const struct net_pool *p,
	       struct err *e)
{
	struct nl_link l;
	int br = 0;

	if (uplink && nl_link_get(s, uplink, &l, e) < 0) {
		if (errno == ENODEV)
			err_set(e, "--uplink %s: no such interface in this network namespace",
				uplink);
		return -1;
	}
	if (nl_link_get(s, bridge, &l, e) == 0) {
		if (strcmp(l.kind, "bridge") != 0) {
			errno = EEXIST;
			return err_set(e,
				       "--bridge %s: a link of that name exists and is %s%s, not "
				       "a bridge",
				       bridge, l.kind[0] ? "a " : "a link of no kind", l.kind);
		}
		br = l.index;
	} else if (errno != ENODEV) {
		return -1;
	}
	return net_check_overlap(s, br, p, e);
}

/* "a veth", "a bridge", "a link of no kind (a physical device?)" */
static const char *
net_kind_text(const struct nl_link *l, char *buf, size_t cap)
{
	if (!l->kind[0])
		return "a link of no kind (a physical device?)";
	snprintf(buf, cap, "a %s", l->kind);
	return buf;
}

int
net_link_owned(struct nl_sock *s, const struct net_owned *want, struct nl_link *out, struct err *e)
{
	char kind[48];

	if (nl_link_get(s, want->name, out, e) < 0)
		return errno == ENODEV ? 0 : -1;
	errno = EPERM;
	if (strcmp(out->kind, want->kind) != 0)
		return err_set(e,
			       "%s %s: the link of that name is %s, not the %s minirunc made; "
			       "left alone",
			       want->kind, want->name, net_kind_text(out, kind, sizeof(kind)),
			       want->kind);
	if (want->master >= 0 && out->master != want->master)
		return err_set(e,
			       "%s %s: not a port of bridge %s, so not the %s minirunc made; "
			       "left alone",
			       want->kind, want->name, want->master_name, want->kind);
	if (want->ifindex > 0 && out->index != want->ifindex)
		return err_set(e,
			       "%s %s: ifindex %d, not %d as minirunc made it (deleted and made "
			       "again by someone else?); left alone",
			       want->kind, want->name, out->index, want->ifindex);
	return 1;
}
