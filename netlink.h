/*
 * netlink.h - rtnetlink over a raw NETLINK_ROUTE socket: what `ip link`,
 * `ip addr` and `ip route` do, without them.  runc: vishvananda/netlink,
 * libcontainer/network_linux.go; bubblewrap network.c for the shape.
 * Message builders write into a caller's buffer and are pure (unit-tested
 * byte for byte).  Operations return 0, or -1 with errno = the kernel's
 * error and e->msg carrying the extended-ack text when the kernel gives one.
 */
#ifndef MINIRUNC_NETLINK_H
#define MINIRUNC_NETLINK_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/netlink.h>

#include "util.h"

/* Bring "lo" up in the caller's network namespace (a new netns's init does
 * this; runc: network_linux.go loopback strategy). */
int nl_loopback_up(struct err *e);

/* ---- names ---------------------------------------------------------------------------- */

#define NL_IFNAME_MAX 15 /* IFNAMSIZ - 1 */

/* 1 if name is a usable interface name: 1..15 bytes of [A-Za-z0-9_.-], not "." or "..". */
int nl_ifname_valid(const char *name);

/* A fixed, locally administered, unicast MAC derived from name (02:xx:xx:xx:xx:xx), so a
 * bridge keeps one address while ports come and go. */
void nl_mac_from_name(const char *name, unsigned char mac[6]);

/* ---- the socket ----------------------------------------------------------------------- */

struct nl_sock {
	int fd;
	uint32_t seq;	     /* last sequence number used */
	uint32_t portid;     /* our address, as the kernel bound it */
	unsigned char *rbuf; /* NL_RECV_BUF bytes, malloc'd by nl_open */
};

#define NL_RECV_BUF 32768 /* >= 8 KiB: a link dump message never spans two reads */

/*
 * Open and bind an rtnetlink socket (SOCK_CLOEXEC, NETLINK_EXT_ACK on).  netns_fd >= 0: an
 * fd of a network namespace (/proc/PID/ns/net, /run/netns/NAME); the socket is created in
 * there and stays bound to it while the calling thread returns to its own namespace.
 */
int nl_open(struct nl_sock *s, int netns_fd, struct err *e);
void nl_close(struct nl_sock *s);

/* ---- pure message builders ------------------------------------------------------------ */

/*
 * Each writes one complete request into buf (any alignment) and returns its length, or -1
 * with errno = ENOSPC when cap is too small (EINVAL for a bad name).  Sequence number and
 * port id are left 0: nl_request() fills them.  No syscalls.  Addresses are in network
 * byte order (struct in_addr).
 */
#define NL_MSG_MAX 512 /* enough for every request below */

int nl_build_link_flags(void *buf, size_t cap, int ifindex, int up);
int nl_build_link_get(void *buf, size_t cap, const char *name);
int nl_build_link_del(void *buf, size_t cap, const char *name);
int nl_build_bridge(void *buf, size_t cap, const char *name, const unsigned char *mac);
int nl_build_set_master(void *buf, size_t cap, int ifindex, int master);
int nl_build_move(void *buf, size_t cap, int ifindex, int netns_fd, const char *newname);
int nl_build_addr_add(void *buf, size_t cap, int ifindex, struct in_addr addr, int prefix);
int nl_build_addr_del(void *buf, size_t cap, int ifindex, struct in_addr addr, int prefix);
int nl_build_addr_dump(void *buf, size_t cap, int ifindex);
int nl_build_route_default(void *buf, size_t cap, struct in_addr gw, int oif);

/* A veth pair: host end created here (up, enslaved to master when master > 0), its peer
 * born in peer_netns_fd (when >= 0) under its final name, left down. mtu 0 = default. */
struct nl_veth {
	const char *host;
	const char *peer;
	int peer_netns_fd;
	int master;
	int mtu;
};
int nl_build_veth(void *buf, size_t cap, const struct nl_veth *v);

/* ---- pure reply parsing --------------------------------------------------------------- */

/* Called for every data message (type >= NLMSG_MIN_TYPE) of the expected exchange; a
 * non-zero return stops the parse and is returned. */
typedef int (*nl_msg_fn)(const struct nlmsghdr *nlh, void *arg);

struct nl_reply {
	uint32_t seq;	   /* in: the request's sequence number */
	uint32_t portid;   /* in: our port id; 0 = do not check nlmsg_pid */
	int done;	   /* out: 1 once the ack, the error or NLMSG_DONE came */
	int error;	   /* out: the kernel's errno (positive), 0 for an ack */
	char ext_msg[256]; /* out: NLMSGERR_ATTR_MSG, "" if none */
};

/*
 * Parse one datagram (buf 4-byte aligned) received from sender (the nl_pid of its source
 * address: only 0, the kernel, is believed).  Messages of another seq or port id are
 * skipped.  Returns 0 (look at r->done), -1 with errno = EBADMSG for a malformed datagram,
 * or what fn returned.
 */
int nl_reply_parse(const void *buf, size_t len, uint32_t sender, struct nl_reply *r, nl_msg_fn fn,
		   void *arg);

/* What an RTM_NEWLINK message says about a link. */
struct nl_link {
	int index;
	unsigned int flags; /* IFF_* */
	int master;	    /* 0 = none */
	int mtu;
	char name[NL_IFNAME_MAX + 1];
	char kind[32]; /* IFLA_INFO_KIND: "bridge", "veth", "" */
};
/* 0, or -1 with errno = EBADMSG (not an RTM_NEWLINK, or lengths that do not add up). */
int nl_link_parse(const struct nlmsghdr *nlh, struct nl_link *out);

/* One IPv4 address of an RTM_NEWADDR message. */
struct nl_addr4 {
	int index;
	int prefix;
	struct in_addr local;
};
/* 1 = an IPv4 address, 0 = another family, -1 with errno = EBADMSG. */
int nl_addr_parse(const struct nlmsghdr *nlh, struct nl_addr4 *out);

/* ---- operations ----------------------------------------------------------------------- */

/*
 * Send req (len bytes, from a builder), wait for its ack.  Data replies go to fn.  what
 * names the step in e ("create bridge runc0").  -1 with errno = the kernel's error.
 */
int nl_request(struct nl_sock *s, void *req, size_t len, nl_msg_fn fn, void *arg, const char *what,
	       struct err *e);

/* Link lookup: fills out; -1 with errno = ENODEV when there is no such link. */
int nl_link_get(struct nl_sock *s, const char *name, struct nl_link *out, struct err *e);
/* The ifindex (> 0) of name, or -1 (ENODEV). */
int nl_link_index(struct nl_sock *s, const char *name, struct err *e);
int nl_link_up(struct nl_sock *s, int ifindex, struct err *e);
int nl_link_down(struct nl_sock *s, int ifindex, struct err *e);
/* A bridge, up; mac may be NULL.  1: made here; 0: it exists already and is a bridge (then
 * set up); -1 with errno = EEXIST when the link of that name is something else. */
int nl_bridge_create(struct nl_sock *s, const char *name, const unsigned char *mac, struct err *e);
int nl_veth_create(struct nl_sock *s, const struct nl_veth *v, struct err *e);
int nl_link_set_master(struct nl_sock *s, int ifindex, int master, struct err *e);
/* Move a link into netns_fd and rename it there (newname NULL: keep the name). */
int nl_link_move(struct nl_sock *s, int ifindex, int netns_fd, const char *newname, struct err *e);
/* Add addr/prefix (with its broadcast); the same address already there is success. */
int nl_addr_add(struct nl_sock *s, int ifindex, struct in_addr addr, int prefix, struct err *e);
/* The IPv4 addresses of ifindex (0: of every link), at most max into out; returns how many
 * there are. */
int nl_addr_list(struct nl_sock *s, int ifindex, struct nl_addr4 *out, int max, struct err *e);
/* Remove addr/prefix from ifindex; errno EADDRNOTAVAIL when it is not there. */
int nl_addr_del(struct nl_sock *s, int ifindex, struct in_addr addr, int prefix, struct err *e);
/* default via gw dev oif; errno as the kernel says (EEXIST: a default route exists). */
int nl_route_add_default(struct nl_sock *s, struct in_addr gw, int oif, struct err *e);
/* Delete a link by name; errno ENODEV when it is gone already (the caller decides). */
int nl_link_delete(struct nl_sock *s, const char *name, struct err *e);

#endif
