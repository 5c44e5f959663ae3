/*
 * netlink.c - rtnetlink over a raw NETLINK_ROUTE socket: links up and down, a bridge, a veth
 * pair whose peer is born in another netns, moving and renaming a link, an IPv4 address, a
 * default route, deleting a link.  What `ip link`, `ip addr`, `ip route` and `brctl` do for
 * the seed's recipe, one message each.
 *
 * runc counterpart: the vishvananda/netlink package as used by libcontainer/network_linux.go
 * (loopback strategy) and by CNI's bridge plugin; bubblewrap's network.c is the model for the
 * size (add_rta, one request helper, one reply reader).
 *
 * Three layers, so that the first two can be tested without root:
 *   1. builders: a request into a caller's buffer, pure (see rtnetlink(7), netlink(7));
 *   2. nl_reply_parse(): one received datagram in, "ack / error / more" out, pure;
 *   3. operations: build, nl_request(), interpret the kernel's answer.
 *
 * Left out: IPv6 addresses and routes, link attributes beyond name, MTU, master and address,
 * multicast groups (nothing here listens for events), NETLINK_GET_STRICT_CHK (dumps are
 * filtered here instead, which works on every kernel).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "netlink.h"

#include <errno.h>
#include <fcntl.h>
#include <arpa/inet.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11 /* linux/netlink.h since 4.12 */
#endif

/* ---- names ---------------------------------------------------------------------------- */

int
nl_ifname_valid(const char *name)
{
	size_t n;

	if (!name)
		return 0;
	n = strlen(name);
	/* dev_valid_name() in net/core/dev.c refuses "", ".", "..", '/', ':' and spaces;
	 * SECURITY.md narrows that to a plain charset. */
	if (n == 0 || n > NL_IFNAME_MAX || !strcmp(name, ".") || !strcmp(name, ".."))
		return 0;
	return strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") ==
	       n;
}

void
nl_mac_from_name(const char *name, unsigned char mac[6])
{
	uint32_t h = 2166136261u; /* FNV-1a: stable across runs and machines */
	int i;

	for (; *name; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	mac[0] = 0x02; /* locally administered (bit 1), unicast (bit 0 clear): IEEE 802 */
	mac[1] = 0x6d; /* not 02:42, which Docker uses for its containers */
	for (i = 2; i < 6; i++)
		mac[i] = (unsigned char)(h >> (8 * (i - 2)));
}

/* ---- builders ------------------------------------------------------------------------- */

/*
 * The request under construction.  Everything is written with memcpy, so buf needs no
 * alignment; attributes are padded to 4 bytes (RTA_ALIGN) as the kernel expects.  full
 * latches the first overflow and the final length check reports it once.
 */
struct nlb {
	unsigned char *p;
	size_t cap, len;
	int full;
};

static void
nlb_put(struct nlb *b, const void *data, size_t n)
{
	size_t padded = RTA_ALIGN(n);

	if (b->full || padded > b->cap - b->len) {
		b->full = 1;
		return;
	}
	memcpy(b->p + b->len, data, n);
	memset(b->p + b->len + n, 0, padded - n);
	b->len += padded;
}

/* nlmsghdr + the family header (ifinfomsg, ifaddrmsg, rtmsg). */
static void
nlb_begin(struct nlb *b, void *buf, size_t cap, uint16_t type, uint16_t flags, const void *fam,
	  size_t famlen)
{
	struct nlmsghdr h = {.nlmsg_type = type, .nlmsg_flags = flags};

	b->p = buf;
	b->cap = cap;
	b->len = 0;
	b->full = 0;
	nlb_put(b, &h, sizeof(h));
	nlb_put(b, fam, famlen);
}

/* One attribute; returns its offset (for a nest, whose length is patched later). */
static size_t
nlb_attr(struct nlb *b, uint16_t type, const void *data, size_t n)
{
	struct rtattr a = {.rta_len = (unsigned short)RTA_LENGTH(n), .rta_type = type};
	size_t off = b->len;

	if (n > USHRT_MAX - RTA_LENGTH(0) || RTA_LENGTH(n) > b->cap - b->len) {
		b->full = 1;
		return off;
	}
	nlb_put(b, &a, sizeof(a));
	if (n)
		nlb_put(b, data, n);
	return off;
}

static void
nlb_u32(struct nlb *b, uint16_t type, uint32_t v)
{
	nlb_attr(b, type, &v, sizeof(v));
}

static void
nlb_str(struct nlb *b, uint16_t type, const char *s)
{
	nlb_attr(b, type, s, strlen(s) + 1);
}

static void
nlb_nest_end(struct nlb *b, size_t off)
{
	unsigned short l = (unsigned short)(b->len - off);

	if (!b->full)
		memcpy(b->p + off + offsetof(struct rtattr, rta_len), &l, sizeof(l));
}

/* Patch nlmsg_len; the message length, or -1/ENOSPC. */
static int
nlb_finish(struct nlb *b)
{
	uint32_t l = (uint32_t)b->len;

	if (b->full || b->len > INT_MAX) {
		errno = ENOSPC;
		return -1;
	}
	memcpy(b->p + offsetof(struct nlmsghdr, nlmsg_len), &l, sizeof(l));
	return (int)b->len;
}

static int
nlb_bad_name(const char *name)
{
	if (nl_ifname_valid(name))
		return 0;
	errno = EINVAL;
	return 1;
}

#define NL_F_ACKED  (NLM_F_REQUEST | NLM_F_ACK)
#define NL_F_CREATE (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)

/* `ip link set IFINDEX up|down`: only IFF_UP changes (ifi_change), see rtnetlink(7). */
int
nl_build_link_flags(void *buf, size_t cap, int ifindex, int up)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC,
				.ifi_index = ifindex,
				.ifi_flags = up ? IFF_UP : 0,
				.ifi_change = IFF_UP};
	struct nlb b;

	nlb_begin(&b, buf, cap, RTM_NEWLINK, NL_F_ACKED, &ifi, sizeof(ifi));
	return nlb_finish(&b);
}

/* RTM_GETLINK or RTM_DELLINK by IFLA_IFNAME with ifi_index 0 (the kernel looks the name up). */
static int
nl_build_by_name(void *buf, size_t cap, uint16_t type, const char *name)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC};
	struct nlb b;

	if (nlb_bad_name(name))
		return -1;
	nlb_begin(&b, buf, cap, type, NL_F_ACKED, &ifi, sizeof(ifi));
	nlb_str(&b, IFLA_IFNAME, name);
	return nlb_finish(&b);
}

int
nl_build_link_get(void *buf, size_t cap, const char *name)
{
	return nl_build_by_name(buf, cap, RTM_GETLINK, name);
}

int
nl_build_link_del(void *buf, size_t cap, const char *name)
{
	return nl_build_by_name(buf, cap, RTM_DELLINK, name);
}

/* `ip link add NAME address MAC type bridge; ip link set NAME up` in one message. */
int
nl_build_bridge(void *buf, size_t cap, const char *name, const unsigned char *mac)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
	struct nlb b;
	size_t li;

	if (nlb_bad_name(name))
		return -1;
	nlb_begin(&b, buf, cap, RTM_NEWLINK, NL_F_CREATE, &ifi, sizeof(ifi));
	nlb_str(&b, IFLA_IFNAME, name);
	if (mac)
		nlb_attr(&b, IFLA_ADDRESS, mac, 6);
	li = nlb_attr(&b, IFLA_LINKINFO, NULL, 0);
	nlb_str(&b, IFLA_INFO_KIND, "bridge");
	nlb_nest_end(&b, li);
	return nlb_finish(&b);
}

/* VETH_INFO_PEER{ifinfomsg, IFLA_IFNAME, [IFLA_MTU], [IFLA_NET_NS_FD]}: drivers/net/veth.c
 * veth_newlink() reads the peer's attributes after its own ifinfomsg. */
static void
nlb_veth_peer(struct nlb *b, const struct nl_veth *v)
{
	struct ifinfomsg peer = {.ifi_family = AF_UNSPEC};
	size_t data, pi;

	data = nlb_attr(b, IFLA_INFO_DATA, NULL, 0);
	pi = nlb_attr(b, VETH_INFO_PEER, &peer, sizeof(peer));
	nlb_str(b, IFLA_IFNAME, v->peer);
	if (v->mtu > 0)
		nlb_u32(b, IFLA_MTU, (uint32_t)v->mtu);
	if (v->peer_netns_fd >= 0)
		nlb_u32(b, IFLA_NET_NS_FD, (uint32_t)v->peer_netns_fd);
	nlb_nest_end(b, pi);
	nlb_nest_end(b, data);
}

/* `ip link add HOST [mtu M] [master BR] up type veth peer name PEER netns FD`. */
int
nl_build_veth(void *buf, size_t cap, const struct nl_veth *v)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_flags = IFF_UP, .ifi_change = IFF_UP};
	struct nlb b;
	size_t li;

	if (nlb_bad_name(v->host) || nlb_bad_name(v->peer))
		return -1;
	nlb_begin(&b, buf, cap, RTM_NEWLINK, NL_F_CREATE, &ifi, sizeof(ifi));
	nlb_str(&b, IFLA_IFNAME, v->host);
	if (v->mtu > 0)
		nlb_u32(&b, IFLA_MTU, (uint32_t)v->mtu);
	if (v->master > 0)
		nlb_u32(&b, IFLA_MASTER, (uint32_t)v->master);
	li = nlb_attr(&b, IFLA_LINKINFO, NULL, 0);
	nlb_str(&b, IFLA_INFO_KIND, "veth");
	nlb_veth_peer(&b, v);
	nlb_nest_end(&b, li);
	return nlb_finish(&b);
}

/* `ip link set IFINDEX master BR` (master 0: nomaster). */
int
nl_build_set_master(void *buf, size_t cap, int ifindex, int master)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	struct nlb b;

	nlb_begin(&b, buf, cap, RTM_NEWLINK, NL_F_ACKED, &ifi, sizeof(ifi));
	nlb_u32(&b, IFLA_MASTER, (uint32_t)master);
	return nlb_finish(&b);
}

/* `ip link set IFINDEX netns FD name NEWNAME`: the kernel renames it inside the target. */
int
nl_build_move(void *buf, size_t cap, int ifindex, int netns_fd, const char *newname)
{
	struct ifinfomsg ifi = {.ifi_family = AF_UNSPEC, .ifi_index = ifindex};
	struct nlb b;

	if (newname && nlb_bad_name(newname))
		return -1;
	nlb_begin(&b, buf, cap, RTM_NEWLINK, NL_F_ACKED, &ifi, sizeof(ifi));
	nlb_u32(&b, IFLA_NET_NS_FD, (uint32_t)netns_fd);
	if (newname)
		nlb_str(&b, IFLA_IFNAME, newname);
	return nlb_finish(&b);
}

/* `ip addr add A/P brd + dev IFINDEX`.  /31 and /32 have no broadcast (RFC 3021). */
int
nl_build_addr_add(void *buf, size_t cap, int ifindex, struct in_addr addr, int prefix)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_INET,
				.ifa_prefixlen = (unsigned char)prefix,
				.ifa_scope = RT_SCOPE_UNIVERSE,
				.ifa_index = (unsigned)ifindex};
	struct in_addr brd;
	struct nlb b;

	if (prefix < 0 || prefix > 32 || ifindex <= 0) {
		errno = EINVAL;
		return -1;
	}
	nlb_begin(&b, buf, cap, RTM_NEWADDR, NL_F_CREATE, &ifa, sizeof(ifa));
	nlb_attr(&b, IFA_LOCAL, &addr, 4);
	nlb_attr(&b, IFA_ADDRESS, &addr, 4);
	if (prefix < 31) {
		brd.s_addr = addr.s_addr | htonl(0xffffffffu >> prefix);
		nlb_attr(&b, IFA_BROADCAST, &brd, 4);
	}
	return nlb_finish(&b);
}

/* `ip addr del ADDR/PREFIX dev IFINDEX`: the kernel matches IFA_LOCAL and the prefix. */
int
nl_build_addr_del(void *buf, size_t cap, int ifindex, struct in_addr addr, int prefix)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_INET,
				.ifa_prefixlen = (unsigned char)prefix,
				.ifa_index = (unsigned)ifindex};
	struct nlb b;

	if (prefix < 0 || prefix > 32 || ifindex <= 0) {
		errno = EINVAL;
		return -1;
	}
	nlb_begin(&b, buf, cap, RTM_DELADDR, NL_F_ACKED, &ifa, sizeof(ifa));
	nlb_attr(&b, IFA_LOCAL, &addr, 4);
	return nlb_finish(&b);
}

/* `ip -4 addr show` as a dump; the kernel may ignore ifa_index (no strict checking), so the
 * reader filters again. */
int
nl_build_addr_dump(void *buf, size_t cap, int ifindex)
{
	struct ifaddrmsg ifa = {.ifa_family = AF_INET, .ifa_index = (unsigned)ifindex};
	struct nlb b;

	nlb_begin(&b, buf, cap, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, &ifa, sizeof(ifa));
	return nlb_finish(&b);
}

/* `ip route add default via GW dev OIF` (the values `ip` itself puts in rtmsg). */
int
nl_build_route_default(void *buf, size_t cap, struct in_addr gw, int oif)
{
	struct rtmsg rtm = {.rtm_family = AF_INET,
			    .rtm_dst_len = 0,
			    .rtm_table = RT_TABLE_MAIN,
			    .rtm_protocol = RTPROT_BOOT,
			    .rtm_scope = RT_SCOPE_UNIVERSE,
			    .rtm_type = RTN_UNICAST};
	struct nlb b;

	nlb_begin(&b, buf, cap, RTM_NEWROUTE, NL_F_CREATE, &rtm, sizeof(rtm));
	nlb_attr(&b, RTA_GATEWAY, &gw, 4);
	nlb_u32(&b, RTA_OIF, (uint32_t)oif);
	return nlb_finish(&b);
}

/* ---- reply parsing -------------------------------------------------------------------- */

/* NLMSG_ALIGN in size_t: the macro's ~3U would cut a size_t to 32 bits. */
static size_t
nl_align(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/* Copy an attribute's string payload, which need not be NUL-terminated on the wire. */
static void
nl_copy_str(char *dst, size_t cap, const struct rtattr *a)
{
	size_t n = RTA_PAYLOAD(a);

	n = strnlen(RTA_DATA(a), n);
	if (n >= cap)
		n = cap - 1;
	memcpy(dst, RTA_DATA(a), n);
	dst[n] = '\0';
}

/*
 * The extended ack TLVs (NLMSGERR_ATTR_*) after an error or NLMSG_DONE payload: only the
 * message text is kept.  off = where they start, counted from the payload.
 */
static void
nl_parse_ext_ack(const struct nlmsghdr *nlh, size_t off, struct nl_reply *r)
{
	size_t plen = nlh->nlmsg_len - NLMSG_HDRLEN;
	const struct rtattr *a;
	int len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || off >= plen)
		return;
	a = (const struct rtattr *)((const char *)NLMSG_DATA(nlh) + off);
	len = (int)(plen - off);
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == NLMSGERR_ATTR_MSG)
			nl_copy_str(r->ext_msg, sizeof(r->ext_msg), a);
}

/*
 * NLMSG_ERROR: struct nlmsgerr, then the request's payload unless NLM_F_CAPPED (the kernel
 * caps acks and NETLINK_CAP_ACK sockets), then the TLVs.  netlink(7), "Netlink error".
 */
static int
nl_parse_error(const struct nlmsghdr *nlh, struct nl_reply *r)
{
	const struct nlmsgerr *err = NLMSG_DATA(nlh);
	size_t off = sizeof(*err);

	if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*err)))
		return -1;
	/* Only -4095..0 is an errno (include/linux/err.h MAX_ERRNO); -INT_MIN would overflow. */
	if (err->error > 0 || err->error < -4095)
		return -1;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err->msg.nlmsg_len < NLMSG_HDRLEN)
			return -1;
		off += nl_align((size_t)err->msg.nlmsg_len - NLMSG_HDRLEN);
	}
	r->error = -err->error;
	r->done = 1;
	nl_parse_ext_ack(nlh, off, r);
	return 0;
}

/* NLMSG_DONE ends a dump; its payload is an int (0 or -errno), then ext-ack TLVs if flagged. */
static int
nl_parse_done(const struct nlmsghdr *nlh, struct nl_reply *r)
{
	int err = 0;

	if (nlh->nlmsg_len >= NLMSG_LENGTH(sizeof(int)))
		memcpy(&err, NLMSG_DATA(nlh), sizeof(err));
	if (err > 0 || err < -4095)
		return -1;
	r->error = -err;
	r->done = 1;
	nl_parse_ext_ack(nlh, nl_align(sizeof(int)), r);
	return 0;
}

/* One message of the datagram: 0 go on, -1 malformed, else fn's verdict. */
static int
nl_reply_one(const struct nlmsghdr *nlh, struct nl_reply *r, nl_msg_fn fn, void *arg)
{
	if (nlh->nlmsg_seq != r->seq || (r->portid && nlh->nlmsg_pid != r->portid))
		return 0; /* an answer to someone else, or to an earlier request */
	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
		return 0;
	case NLMSG_ERROR:
		return nl_parse_error(nlh, r);
	case NLMSG_DONE:
		return nl_parse_done(nlh, r);
	case NLMSG_OVERRUN:
		return -1;
	}
	if (nlh->nlmsg_type < NLMSG_MIN_TYPE || !fn)
		return 0;
	return fn(nlh, arg);
}

int
nl_reply_parse(const void *buf, size_t len, uint32_t sender, struct nl_reply *r, nl_msg_fn fn,
	       void *arg)
{
	const unsigned char *p = buf;
	const struct nlmsghdr *nlh;
	size_t left = len, step;
	int rc;

	if (sender != 0)
		return 0; /* not from the kernel: a forged reply from another process */
	/* NLMSG_OK and NLMSG_NEXT, spelled out over a size_t: the header is there, its length
	 * covers at least the header and stays inside what is left. */
	while (left >= NLMSG_HDRLEN && !r->done) {
		nlh = (const struct nlmsghdr *)p;
		if (nlh->nlmsg_len < NLMSG_HDRLEN || nlh->nlmsg_len > left)
			goto bad;
		rc = nl_reply_one(nlh, r, fn, arg);
		if (rc == -1)
			goto bad;
		if (rc)
			return rc;
		step = nl_align(nlh->nlmsg_len);
		if (step >= left)
			left = 0;
		else {
			p += step;
			left -= step;
		}
	}
	/* Bytes left over that do not make a message: a truncated datagram. */
	if (!r->done && left > 0)
		goto bad;
	return 0;
bad:
	errno = EBADMSG;
	return -1;
}

static void
nl_link_parse_info(const struct rtattr *li, struct nl_link *out)
{
	const struct rtattr *a = RTA_DATA(li);
	int len = (int)RTA_PAYLOAD(li);

	for (; RTA_OK(a, len); a = RTA_NEXT(a, len))
		if (a->rta_type == IFLA_INFO_KIND)
			nl_copy_str(out->kind, sizeof(out->kind), a);
}

static uint32_t
nl_attr_u32(const struct rtattr *a)
{
	uint32_t v = 0;

	if (RTA_PAYLOAD(a) >= sizeof(v))
		memcpy(&v, RTA_DATA(a), sizeof(v));
	return v;
}

int
nl_link_parse(const struct nlmsghdr *nlh, struct nl_link *out)
{
	const struct ifinfomsg *ifi = NLMSG_DATA(nlh);
	const struct rtattr *a;
	int len;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_type != RTM_NEWLINK || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifi))) {
		errno = EBADMSG;
		return -1;
	}
	out->index = ifi->ifi_index;
	out->flags = ifi->ifi_flags;
	a = IFLA_RTA(ifi);
	len = (int)IFLA_PAYLOAD(nlh);
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (a->rta_type == IFLA_IFNAME)
			nl_copy_str(out->name, sizeof(out->name), a);
		else if (a->rta_type == IFLA_MASTER)
			out->master = (int)nl_attr_u32(a);
		else if (a->rta_type == IFLA_MTU)
			out->mtu = (int)nl_attr_u32(a);
		else if (a->rta_type == IFLA_LINKINFO)
			nl_link_parse_info(a, out);
	}
	return 0;
}

int
nl_addr_parse(const struct nlmsghdr *nlh, struct nl_addr4 *out)
{
	const struct ifaddrmsg *ifa = NLMSG_DATA(nlh);
	const struct rtattr *a;
	int len, found = 0;

	memset(out, 0, sizeof(*out));
	if (nlh->nlmsg_type != RTM_NEWADDR || nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ifa))) {
		errno = EBADMSG;
		return -1;
	}
	if (ifa->ifa_family != AF_INET)
		return 0;
	out->index = (int)ifa->ifa_index;
	out->prefix = ifa->ifa_prefixlen;
	a = IFA_RTA(ifa);
	len = (int)IFA_PAYLOAD(nlh);
	/* IFA_LOCAL is the interface's own address; IFA_ADDRESS differs only on point-to-point
	 * links, where it is the peer (rtnetlink(7), linux/if_addr.h). */
	for (; RTA_OK(a, len); a = RTA_NEXT(a, len)) {
		if (RTA_PAYLOAD(a) < 4)
			continue;
		if (a->rta_type == IFA_LOCAL || (a->rta_type == IFA_ADDRESS && !found)) {
			memcpy(&out->local, RTA_DATA(a), 4);
			found = a->rta_type == IFA_LOCAL;
		}
	}
	return 1;
}

/* ---- the socket ----------------------------------------------------------------------- */

/* socket + options + bind in the current netns. */
static int
nl_socket_here(struct nl_sock *s, struct err *e)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	socklen_t salen = sizeof(sa);
	int one = 1;

	s->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s->fd < 0)
		return err_set(e, "netlink socket:");
	/* Extended acks only add text to errors; kernels before 4.12 refuse, which is fine. */
	(void)setsockopt(s->fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	if (bind(s->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&sa, &salen) < 0)
		return err_set(e, "netlink bind:");
	s->portid = sa.nl_pid;
	return 0;
}

/*
 * setns(2) into netns_fd, create the socket, setns back.  A socket belongs to the netns it was
 * created in for its whole life (netlink(7)), so the caller keeps talking to the target while
 * its own thread is home again.  Failing to return is reported loudly: the thread would
 * otherwise go on in the wrong namespace.
 */
static int
nl_socket_in(struct nl_sock *s, int netns_fd, struct err *e)
{
	int self, rc, saved;

	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return err_set(e, "open /proc/thread-self/ns/net:");
	if (setns(netns_fd, CLONE_NEWNET) < 0) {
		err_set(e, "setns into the target network namespace:");
		saved = errno;
		close(self);
		errno = saved;
		return -1;
	}
	rc = nl_socket_here(s, e);
	saved = errno;
	if (setns(self, CLONE_NEWNET) < 0) {
		rc = err_set(e, "setns back to the runtime's network namespace:");
		saved = errno;
	}
	close(self);
	errno = saved;
	return rc;
}

int
nl_open(struct nl_sock *s, int netns_fd, struct err *e)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->rbuf = malloc(NL_RECV_BUF);
	if (!s->rbuf)
		return err_set(e, "netlink buffer:");
	rc = netns_fd >= 0 ? nl_socket_in(s, netns_fd, e) : nl_socket_here(s, e);
	if (rc < 0) {
		int saved = errno;

		nl_close(s);
		errno = saved;
		return -1;
	}
	return 0;
}

void
nl_close(struct nl_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	free(s->rbuf);
	s->rbuf = NULL;
}

/* ---- request and ack ------------------------------------------------------------------ */

static int
nl_send(struct nl_sock *s, void *req, size_t len, const char *what, struct err *e)
{
	struct sockaddr_nl kernel = {.nl_family = AF_NETLINK};
	uint32_t seq = ++s->seq, pid = 0;
	ssize_t n;

	memcpy((char *)req + offsetof(struct nlmsghdr, nlmsg_seq), &seq, sizeof(seq));
	memcpy((char *)req + offsetof(struct nlmsghdr, nlmsg_pid), &pid, sizeof(pid));
	do
		n = sendto(s->fd, req, len, 0, (struct sockaddr *)&kernel, sizeof(kernel));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_set(e, "%s: netlink send:", what);
	if ((size_t)n != len) {
		errno = EMSGSIZE;
		return err_set(e, "%s: netlink send:", what);
	}
	return 0;
}

/* One datagram; its sender's port id in *sender.  MSG_TRUNC: the reply did not fit. */
static ssize_t
nl_recv(struct nl_sock *s, uint32_t *sender, const char *what, struct err *e)
{
	struct sockaddr_nl sa;
	struct iovec iov = {.iov_base = s->rbuf, .iov_len = NL_RECV_BUF};
	struct msghdr mh = {
	    .msg_name = &sa, .msg_namelen = sizeof(sa), .msg_iov = &iov, .msg_iovlen = 1};
	ssize_t n;

	do
		n = recvmsg(s->fd, &mh, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return err_set(e, "%s: netlink receive:", what);
	if (mh.msg_flags & MSG_TRUNC) {
		errno = EMSGSIZE;
		return err_set(e, "%s: netlink reply truncated:", what);
	}
	*sender = mh.msg_namelen >= sizeof(sa) ? sa.nl_pid : UINT32_MAX;
	return n;
}

/* "what: strerror" plus " (kernel: ext-ack text)" when there is one. */
static int
nl_fail(const struct nl_reply *r, const char *what, struct err *e)
{
	errno = r->error;
	if (r->ext_msg[0])
		return err_set(e, "%s: %s (kernel: %s)", what, strerror(r->error), r->ext_msg);
	return err_set(e, "%s:", what);
}

int
nl_request(struct nl_sock *s, void *req, size_t len, nl_msg_fn fn, void *arg, const char *what,
	   struct err *e)
{
	struct nl_reply r = {.portid = s->portid};
	uint32_t sender = UINT32_MAX;
	ssize_t n;
	int rc;

	if (nl_send(s, req, len, what, e) < 0)
		return -1;
	r.seq = s->seq;
	while (!r.done) {
		n = nl_recv(s, &sender, what, e);
		if (n < 0)
			return -1;
		rc = nl_reply_parse(s->rbuf, (size_t)n, sender, &r, fn, arg);
		if (rc == -1)
			return err_set(e, "%s: netlink reply:", what);
		if (rc)
			return rc; /* fn failed and set e */
	}
	return r.error ? nl_fail(&r, what, e) : 0;
}

/* ---- operations ----------------------------------------------------------------------- */

/* A builder's -1 (EINVAL: a bad name, ENOSPC: never with NL_MSG_MAX) as a step error. */
static int
nl_build_fail(const char *what, const char *name, struct err *e)
{
	if (errno == EINVAL && name)
		return err_set(e, "%s: invalid interface name \"%.32s\" (1-15 of [A-Za-z0-9_.-])",
			       what, name);
	return err_set(e, "%s:", what);
}

static int
nl_link_reply(const struct nlmsghdr *nlh, void *arg)
{
	if (nlh->nlmsg_type != RTM_NEWLINK)
		return 0;
	return nl_link_parse(nlh, arg) < 0 ? -1 : 0;
}

int
nl_link_get(struct nl_sock *s, const char *name, struct nl_link *out, struct err *e)
{
	unsigned char req[NL_MSG_MAX];
	char what[64];
	int len;

	snprintf(what, sizeof(what), "look up link %.32s", name ? name : "(null)");
	len = nl_build_link_get(req, sizeof(req), name);
	if (len < 0)
		return nl_build_fail(what, name, e);
	memset(out, 0, sizeof(*out));
	if (nl_request(s, req, (size_t)len, nl_link_reply, out, what, e) < 0)
		return -1;
	if (out->index <= 0) {
		errno = EBADMSG;
		return err_set(e, "%s: no link in the kernel's reply:", what);
	}
	return 0;
}

int
nl_link_index(struct nl_sock *s, const char *name, struct err *e)
{
	struct nl_link l;

	if (nl_link_get(s, name, &l, e) < 0)
		return -1;
	return l.index;
}

static int
nl_link_set_flags(struct nl_sock *s, int ifindex, int up, struct err *e)
{
	unsigned char req[NL_MSG_MAX];
	char what[64];
	int len;

	snprintf(what, sizeof(what), "set link %d %s", ifindex, up ? "up" : "down");
	len = nl_build_link_flags(req, sizeof(req), ifindex, up);
	if (len < 0)
		return nl_build_fail(what, NULL, e);
	return nl_request(s, req, (size_t)len, NULL, NULL, what, e);
}

int
nl_link_up(struct nl_sock *s, int ifindex, struct err *e)
{
	return nl_link_set_flags(s, ifindex, 1, e);
}

int
nl_link_down(struct nl_sock *s, int ifindex, struct err *e)
{
	return nl_link_set_flags(s, ifindex, 0, e);
}

int
nl_loopback_up(struct err *e)
{
	struct nl_sock s;
	int idx, rc = -1;

	log_debug("bring lo up over rtnetlink  (runc: network_linux.go loopback)");
	if (nl_open(&s, -1, e) < 0)
		return -1;
	/* The kernel gives lo 127.0.0.1/8 and ::1 itself once it is up; adding them again with
	 * NLM_F_EXCL would fail with EEXIST. */
	idx = nl_link_index(&s, "lo", e);
	if (idx > 0)
		rc = nl_link_up(&s, idx, e);
	nl_close(&s);
	return rc;
}

/* After EEXIST: accept the link only if it is a bridge, and make sure it is up. */
static int
nl_bridge_existing(struct nl_sock *s, const char *name, struct err *e)
{
	struct nl_link l;

	if (nl_link_get(s, name, &l, e) < 0)
		return -1;
	if (strcmp(l.kind, "bridge") != 0) {
		errno = EEXIST;
		return err_set(e, "create bridge %s: a link of that name exists and is %s%s", name,
			       l.kind[0] ? "a " : "not a bridge", l.kind);
	}
	return (l.flags & IFF_UP) ? 0 : nl_link_up(s, l.index, e);
}

int
nl_bridge_create(struct nl_sock *s, const char *name, const unsigned char *mac, struct err *e)
{
	unsigned char req[NL_MSG_MAX];
	char what[64];
	int len;

	snprintf(what, sizeof(what), "create bridge %.32s", name ? name : "(null)");
	len = nl_build_bridge(req, sizeof(req), name, mac);
	if (len < 0)
		return nl_build_fail(what, name, e);
	if (nl_request(s, req, (size_t)len, NULL, NULL, what, e) == 0)
		return 1;
	if (errno != EEXIST)
		return -1;
	return nl_bridge_existing(s, name, e);
}

int
nl_veth_create(struct nl_sock *s, const struct nl_veth *v, struct err *e)
{
	unsigned char req[NL_MSG_MAX];
	char what[96];
	int len;

	snprintf(what, sizeof(what), "create veth pair %.32s/%.32s", v->host ? v->host : "(null)",
		 v->peer ? v->peer : "(null)");
	len = nl_build_veth(req, sizeof(req), v);
	if (len < 0)
		return nl_build_fail(what, nl_ifname_valid(v->host) ? v->peer : v->host, e);
	return nl_request(s, req, (size_t)len, NULL, NULL, what, e);
}

int
nl_link_set_master(struct nl_sock *s, int ifindex, int master, struct err *e)
{
	unsigned char req[NL_MSG_MAX];
	char what[64];
	int len;

	snprintf(what, sizeof(what), "set master of link %d to %d", ifindex, master);
	len = nl_build_set_master(req, sizeof(req), ifindex, master);
	if (len < 0)
		return nl_build_fail(what, NULL, e);
	return nl_request(s, req, (size_t)len, NULL, NULL, what, e);
}

int
nl_link_move(struct nl_sock *s, int ifindex, int netns_fd, const char *newname, struct err *e)
{
	unsigned char req[NL_MSG_MAX];
	char what[80];
	int len;

	snprintf(what, sizeof(what), "move link %d to another netns%s%.32s", ifindex,
		 newname ? " as " : "", newname ? newname : "");
	len = nl_build_move(req, sizeof(req), ifindex, netns_fd, newname);
	if (len < 0)
		return nl_build_fail(what, newname, e);
	return nl_request(s, req, (size_t)len, NULL, NULL, what, e);
}

int
nl_addr_add(struct nl_sock *s, int ifindex, struct in_addr addr, int prefix, struct err *e)
{
	unsigned char req[NL_MSG_MAX];
	char what[80], a[INET_ADDRSTRLEN];
	int len;

	inet_ntop(AF_INET, &addr, a, sizeof(a));
	snprintf(what, sizeof(what), "add address %s/%d to link %d", a, prefix, ifindex);
	len = nl_build_addr_add(req, sizeof(req), ifindex, addr, prefix);
	if (len < 0)
		return nl_build_fail(what, NULL, e);
	if (nl_request(s, req, (size_t)len, NULL, NULL, what, e) == 0)
		return 0;
	/* EEXIST under NLM_F_EXCL: exactly this address and prefix are there already. */
	return errno == EEXIST ? 0 : -1;
}

struct nl_addr_acc {
	int ifindex, max, n;
	struct nl_addr4 *out;
};

static int
nl_addr_reply(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_addr_acc *acc = arg;
	struct nl_addr4 a;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return 0;
	if (nl_addr_parse(nlh, &a) < 0)
		return -1;
	/* dumps are not filtered without strict checking; ifindex 0 asks for every link */
	if (acc->ifindex && a.index != acc->ifindex)
		return 0;
	if (acc->n < acc->max)
		acc->out[acc->n] = a;
	acc->n++;
	return 0;
}

int
nl_addr_list(struct nl_sock *s, int ifindex, struct nl_addr4 *out, int max, struct err *e)
{
	struct nl_addr_acc acc = {.ifindex = ifindex, .max = max, .out = out};
	unsigned char req[NL_MSG_MAX];
	char what[64];
	int len;

	snprintf(what, sizeof(what), "list addresses of link %d", ifindex);
	len = nl_build_addr_dump(req, sizeof(req), ifindex);
	if (len < 0)
		return nl_build_fail(what, NULL, e);
	if (nl_request(s, req, (size_t)len, nl_addr_reply, &acc, what, e) < 0)
		return -1;
	return acc.n;
}

int
nl_addr_del(struct nl_sock *s, int ifindex, struct in_addr addr, int prefix, struct err *e)
{
	unsigned char req[NL_MSG_MAX];
	char what[80], a[INET_ADDRSTRLEN];
	int len;

	inet_ntop(AF_INET, &addr, a, sizeof(a));
	snprintf(what, sizeof(what), "delete address %s/%d of link %d", a, prefix, ifindex);
	len = nl_build_addr_del(req, sizeof(req), ifindex, addr, prefix);
	if (len < 0)
		return nl_build_fail(what, NULL, e);
	return nl_request(s, req, (size_t)len, NULL, NULL, what, e);
}

int
nl_route_add_default(struct nl_sock *s, struct in_addr gw, int oif, struct err *e)
{
	unsigned char req[NL_MSG_MAX];
	char what[80], a[INET_ADDRSTRLEN];
	int len;

	inet_ntop(AF_INET, &gw, a, sizeof(a));
	snprintf(what, sizeof(what), "add default route via %s dev %d", a, oif);
	len = nl_build_route_default(req, sizeof(req), gw, oif);
	if (len < 0)
		return nl_build_fail(what, NULL, e);
	return nl_request(s, req, (size_t)len, NULL, NULL, what, e);
}

int
nl_link_delete(struct nl_sock *s, const char *name, struct err *e)
{
	unsigned char req[NL_MSG_MAX];
	char what[64];
	int len;

	snprintf(what, sizeof(what), "delete link %.32s", name ? name : "(null)");
	len = nl_build_link_del(req, sizeof(req), name);
	if (len < 0)
		return nl_build_fail(what, name, e);
	return nl_request(s, req, (size_t)len, NULL, NULL, what, e);
}
