/*
 * network.h - the seed's bridge recipe, natively (NETWORK.md): `minirunc net ...` and the
 * address leases under <root>/net/<bridge>/.
 */
#ifndef MINIRUNC_NETWORK_H
#define MINIRUNC_NETWORK_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/*
 * `minirunc net SUBCOMMAND ...`: create, delete, hook, ls, reset.
 * root is the global --root (leases live under <root>/net/<bridge>/).
 * argv[0] is the subcommand.  Returns the exit status.
 */
int cmd_net(const char *root, int argc, char **argv);

/* ---- addresses ------------------------------------------------------------------------ */

/* "10.213.0.0/16" -> addr, prefix (0..32).  Host bits are kept (use it for --ip too). */
int net_cidr_parse(const char *s, struct in_addr *addr, int *prefix, struct err *e);

/* A bridge's subnet.  Gateway = net + 1; containers get net+2 .. broadcast-1. */
struct net_pool {
	struct in_addr net; /* host bits zero */
	int prefix;	    /* 1..30: /31 and /32 leave no room for a gateway and a container */
};

/* Check a pool (prefix 1..30, host bits zero, clear of 0/8, 127/8, 224/4 and 240/4); -1 with
 * errno = EINVAL and a message. */
int net_pool_check(const struct net_pool *p, struct err *e);
struct in_addr net_pool_gateway(const struct net_pool *p);

/* Shared by network.c, net_lease.c and net_check.c. */
/* 1 if a/pa and b/pb (host order) share an address. */
int net_overlap(uint32_t a, int pa, uint32_t b, int pb);
uint32_t net_mask(int prefix); /* host order: /24 -> 0xffffff00 */
struct in_addr net_addr(uint32_t host_order);
/* 1 if a can be a container's address: inside the pool, not net, gateway or broadcast. */
int net_pool_usable(const struct net_pool *p, struct in_addr a);
/* A small file of dirfd into buf (NUL-terminated) / written whole (temp file + rename). */
int net_read_small(int dirfd, const char *name, char *buf, size_t cap);
int net_write_small(int dirfd, const char *name, const char *text, struct err *e);

/* ---- checks (net_check.c) ------------------------------------------------------------- */

struct nl_sock;
struct nl_link;

/* An interface name the kernel takes and iptables cannot read as an option; opt names the
 * option it came from ("--bridge"). */
int net_ifname_check(const char *opt, const char *name, struct err *e);

/* Before the first change, in this netns: uplink (may be NULL) exists, bridge is free or a
 * bridge, and the pool overlaps no address but the bridge's own. */
int net_check_host(struct nl_sock *s, const char *bridge, const char *uplink,
		   const struct net_pool *p, struct err *e);

/* What a link minirunc made must still be for minirunc to delete it. */
struct net_owned {
	const char *name;
	const char *kind;	 /* "veth", "bridge" */
	int master;		 /* >= 0: must be a port of this ifindex (0: of none) */
	const char *master_name; /* for the message */
	int ifindex;		 /* > 0: must have this ifindex */
};
/* 1: it is there and is what minirunc made (out filled); 0: no link of that name; -1 with
 * errno = EPERM and a line saying why when the link of that name is something else. */
int net_link_owned(struct nl_sock *s, const struct net_owned *want, struct nl_link *out,
		   struct err *e);

/* ---- leases: one file per address, named by the address, holding "id\nveth\n" ---------- */

struct net_lease {
	struct in_addr addr;
	char id[1025];
	char veth[16];
};

/*
 * Open (creating, 0700) <root>/net/<bridge>/ and return its fd (O_DIRECTORY|O_CLOEXEC).
 * The bridge name must be a valid interface name (so it is a safe path component).
 */
int net_leases_open(const char *root, const char *bridge, struct err *e);

/* flock(LOCK_EX) on <dir>/lock; returns the lock fd (close it to unlock). */
int net_leases_lock(int dirfd, struct err *e);

/*
 * Take an address for l->id / l->veth: want (when not NULL) exactly, else round-robin from
 * the last address handed out (file "last").  Takes and drops the lock itself.  l->addr gets
 * the address.  Errors: EADDRINUSE (want taken, e names its holder), ENOSPC (subnet full),
 * EINVAL (want outside the pool, or its network, gateway or broadcast address).
 */
int net_lease_take(int dirfd, const struct net_pool *p, const struct in_addr *want,
		   struct net_lease *l, struct err *e);

/* Remove the lease of addr (ENOENT is success).  Under the lock. */
int net_lease_drop(int dirfd, struct in_addr addr, struct err *e);

/* Find the lease of id: 1 found (out filled), 0 none, -1 error.  Caller holds the lock. */
int net_lease_find(int dirfd, const char *id, struct net_lease *out, struct err *e);

/* Call fn for every lease in dirfd (caller holds the lock); stops at fn's non-zero. */
int net_lease_each(int dirfd, int (*fn)(const struct net_lease *l, void *arg), void *arg,
		   struct err *e);

#endif
