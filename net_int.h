/*
 * net_int.h - what network.c (options, one container, the subcommands) and net_bridge.c (the
 * bridge's own steps, and `net reset`) share.  Private to the network chapter.
 */
#ifndef MINIRUNC_NET_INT_H
#define MINIRUNC_NET_INT_H

#include <stdbool.h>

#include "netlink.h"
#include "network.h"

struct net_opts {
	const char *root;
	const char *bridge, *subnet, *ip, *ifname, *uplink, *iptables;
	int mtu;
	bool nat, bridge_given;
	/* resolved by net_opts_resolve() */
	struct net_pool pool;
	struct in_addr want;
	bool have_want;
	char ipt_bin[256];
};

/* Names, subnet, --ip and the iptables binary: all checked before anything is made. */
int net_opts_resolve(struct net_opts *o, struct err *e);

/*
 * What one create made of the bridge's parts, so that a failure undoes exactly that, and
 * what `net reset` may later delete: <dir>/made records "bridge=IFINDEX" when minirunc
 * created the bridge, "found=IFINDEX" when it reused one, and "address=1" when it added the
 * gateway to a found one.
 */
struct net_made {
	int br;		/* the bridge's ifindex */
	bool bridge;	/* created by this call */
	bool address;	/* gateway added by this call */
	unsigned rules; /* bit r: rule r inserted by this call */
	bool record;	/* <dir>/bridge and <dir>/made written by this call */
};

/* The bridge's steps, under the lease lock: its ifindex, or -1 with what this call made undone. */
int net_bridge_prepare(struct nl_sock *s, int dirfd, const struct net_opts *o, struct net_made *m,
		       struct err *e);
/* After a container's own steps failed: undo m unless another container uses the bridge. */
void net_bridge_rollback(struct nl_sock *s, int dirfd, const struct net_opts *o,
			 const struct net_made *m);
/* No lease and no record in the bridge's directory. */
bool net_bridge_unused(int dirfd);
/* The bridge's record, if any, agrees with o (before the lock; again under it). */
int net_record_agrees(const struct net_opts *o, struct err *e);
/* net reset --bridge B. */
int net_cmd_reset(struct net_opts *o, struct err *e);

#endif
