/*
 * test_netlink.c - the rtnetlink builders byte for byte, and the reply parser on acks,
 * errors with extended-ack text, foreign and stale replies, truncated and random input.
 * The expected bytes are laid out by hand as structs of nlmsghdr/ifinfomsg/rtattr (see
 * rtnetlink(7)), independent of netlink.c's builder code.  No root, no network changes: the
 * only socket test reads the links of the current namespace.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>

#include "netlink.h"
#include "unit.h"

/* Fill the header of an expected message whose whole layout is the struct w. */
#define WANT_HDR(w, type, flags)                                                                   \
	do {                                                                                       \
		memset(&(w), 0, sizeof(w));                                                        \
		(w).h.nlmsg_len = sizeof(w);                                                       \
		(w).h.nlmsg_type = (type);                                                         \
		(w).h.nlmsg_flags = (flags);                                                       \
	} while (0)
#define SET_ATTR(a, type, n) ((a).rta_len = (unsigned short)RTA_LENGTH(n), (a).rta_type = (type))
/* A nest runs from its header to the end of the expected struct. */
#define SET_NEST(w, a, type)                                                                       \
	((w).a.rta_len = (unsigned short)(sizeof(w) - offsetof(__typeof__(w), a)),                 \
	 (w).a.rta_type = (type))

#define ACKED  (NLM_F_REQUEST | NLM_F_ACK)
#define CREATE (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)

/* Compare a builder's output with the expected struct; hexdump both on mismatch. */
static int
same_bytes(const unsigned char *got, int gotlen, const void *want, size_t wantlen)
{
	size_t i;

	if (gotlen == (int)wantlen && !memcmp(got, want, wantlen))
		return 1;
	fprintf(stderr, "  got %d bytes, want %zu\n  got :", gotlen, wantlen);
	for (i = 0; gotlen > 0 && i < (size_t)gotlen; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n   ", got[i]);
	fprintf(stderr, "\n  want:");
	for (i = 0; i < wantlen; i++)
		fprintf(stderr, "%s%02x", i % 16 ? " " : "\n   ", ((const unsigned char *)want)[i]);
	fprintf(stderr, "\n");
	return 0;
}

static unsigned char buf[NL_MSG_MAX] __attribute__((aligned(8)));

/* ---- names ---------------------------------------------------------------------------- */

TEST(ifname_accepts_plain_names)
{
	CHECK(nl_ifname_valid("eth0"));
	CHECK(nl_ifname_valid("runc0"));
	CHECK(nl_ifname_valid("veth-a1b2.c_3"));
	CHECK(nl_ifname_valid("abcdefghijklmno")); /* 15 bytes */
	CHECK(nl_ifname_valid("lo"));
}

TEST(ifname_refuses_the_rest)
{
	CHECK(!nl_ifname_valid(NULL));
	CHECK(!nl_ifname_valid(""));
	CHECK(!nl_ifname_valid("abcdefghijklmnop")); /* 16 bytes */
	CHECK(!nl_ifname_valid("."));
	CHECK(!nl_ifname_valid(".."));
	CHECK(!nl_ifname_valid("a/b"));
	CHECK(!nl_ifname_valid("a b"));
	CHECK(!nl_ifname_valid("eth0:1"));
	CHECK(!nl_ifname_valid("eth\n"));
	CHECK(!nl_ifname_valid("\xc3\xa9th0"));
}

TEST(mac_from_name_is_local_unicast_and_stable)
{
	unsigned char a[6], b[6], c[6];

	nl_mac_from_name("runc0", a);
	nl_mac_from_name("runc0", b);
	nl_mac_from_name("runc1", c);
	CHECK((a[0] & 0x02) == 0x02); /* locally administered */
	CHECK((a[0] & 0x01) == 0);    /* unicast */
	CHECK(!memcmp(a, b, 6));
	CHECK(memcmp(a, c, 6) != 0);
}

/* ---- builders ------------------------------------------------------------------------- */

TEST(build_link_up_and_down)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} w;

	WANT_HDR(w, RTM_NEWLINK, ACKED);
	w.i.ifi_family = AF_UNSPEC;
	w.i.ifi_index = 7;
	w.i.ifi_flags = IFF_UP;
	w.i.ifi_change = IFF_UP;
	CHECK(same_bytes(buf, nl_build_link_flags(buf, sizeof(buf), 7, 1), &w, sizeof(w)));
	w.i.ifi_flags = 0;
	CHECK(same_bytes(buf, nl_build_link_flags(buf, sizeof(buf), 7, 0), &w, sizeof(w)));
	_Static_assert(sizeof(w) == 32, "no padding");
}

TEST(build_link_get_and_del_by_name)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr name_a;
		char name[8]; /* "eth0\0" + 3 bytes of padding */
	} w;

	WANT_HDR(w, RTM_GETLINK, ACKED);
	SET_ATTR(w.name_a, IFLA_IFNAME, 5);
	strcpy(w.name, "eth0");
	CHECK(same_bytes(buf, nl_build_link_get(buf, sizeof(buf), "eth0"), &w, sizeof(w)));
	w.h.nlmsg_type = RTM_DELLINK;
	CHECK(same_bytes(buf, nl_build_link_del(buf, sizeof(buf), "eth0"), &w, sizeof(w)));
	_Static_assert(sizeof(w) == 44, "no padding");
}

TEST(build_bridge_with_fixed_mac)
{
	static const unsigned char mac[6] = {0x02, 0x42, 1, 2, 3, 4};
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr name_a;
		char name[8]; /* "runc0\0" + 2 */
		struct rtattr mac_a;
		unsigned char mac[8]; /* 6 + 2 */
		struct rtattr li_a;   /* IFLA_LINKINFO { */
		struct rtattr kind_a; /*   IFLA_INFO_KIND */
		char kind[8];	      /*   "bridge\0" + 1 } */
	} w;

	WANT_HDR(w, RTM_NEWLINK, CREATE);
	w.i.ifi_flags = IFF_UP;
	w.i.ifi_change = IFF_UP;
	SET_ATTR(w.name_a, IFLA_IFNAME, 6);
	strcpy(w.name, "runc0");
	SET_ATTR(w.mac_a, IFLA_ADDRESS, 6);
	memcpy(w.mac, mac, 6);
	SET_NEST(w, li_a, IFLA_LINKINFO);
	SET_ATTR(w.kind_a, IFLA_INFO_KIND, 7);
	strcpy(w.kind, "bridge");
	_Static_assert(sizeof(w) == 72, "no padding");
	CHECK(w.li_a.rta_len == 16);
	CHECK(same_bytes(buf, nl_build_bridge(buf, sizeof(buf), "runc0", mac), &w, sizeof(w)));
}

TEST(build_bridge_without_mac)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr name_a;
		char name[8];
		struct rtattr li_a;
		struct rtattr kind_a;
		char kind[8];
	} w;

	WANT_HDR(w, RTM_NEWLINK, CREATE);
	w.i.ifi_flags = IFF_UP;
	w.i.ifi_change = IFF_UP;
	SET_ATTR(w.name_a, IFLA_IFNAME, 6);
	strcpy(w.name, "runc0");
	SET_NEST(w, li_a, IFLA_LINKINFO);
	SET_ATTR(w.kind_a, IFLA_INFO_KIND, 7);
	strcpy(w.kind, "bridge");
	CHECK(same_bytes(buf, nl_build_bridge(buf, sizeof(buf), "runc0", NULL), &w, sizeof(w)));
}

TEST(build_veth_with_peer_in_other_netns)
{
	struct nl_veth v = {
	    .host = "mr-abc", .peer = "eth0", .peer_netns_fd = 9, .master = 5, .mtu = 1400};
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr name_a;
		char name[8]; /* "mr-abc\0" + 1 */
		struct rtattr mtu_a;
		uint32_t mtu;
		struct rtattr master_a;
		uint32_t master;
		struct rtattr li_a; /* IFLA_LINKINFO { */
		struct rtattr kind_a;
		char kind[8];	      /* "veth\0" + 3 */
		struct rtattr data_a; /* IFLA_INFO_DATA { */
		struct rtattr peer_a; /* VETH_INFO_PEER { */
		struct ifinfomsg pi;
		struct rtattr pname_a;
		char pname[8]; /* "eth0\0" + 3 */
		struct rtattr pmtu_a;
		uint32_t pmtu;
		struct rtattr pfd_a;
		uint32_t pfd; /* }}} */
	} w;

	WANT_HDR(w, RTM_NEWLINK, CREATE);
	w.i.ifi_flags = IFF_UP;
	w.i.ifi_change = IFF_UP;
	SET_ATTR(w.name_a, IFLA_IFNAME, 7);
	strcpy(w.name, "mr-abc");
	SET_ATTR(w.mtu_a, IFLA_MTU, 4);
	w.mtu = 1400;
	SET_ATTR(w.master_a, IFLA_MASTER, 4);
	w.master = 5;
	SET_NEST(w, li_a, IFLA_LINKINFO);
	SET_ATTR(w.kind_a, IFLA_INFO_KIND, 5);
	strcpy(w.kind, "veth");
	SET_NEST(w, data_a, IFLA_INFO_DATA);
	SET_NEST(w, peer_a, VETH_INFO_PEER);
	SET_ATTR(w.pname_a, IFLA_IFNAME, 5);
	strcpy(w.pname, "eth0");
	SET_ATTR(w.pmtu_a, IFLA_MTU, 4);
	w.pmtu = 1400;
	SET_ATTR(w.pfd_a, IFLA_NET_NS_FD, 4);
	w.pfd = 9;
	_Static_assert(sizeof(w) == 128, "no padding");
	CHECK(w.peer_a.rta_len == 48 && w.data_a.rta_len == 52 && w.li_a.rta_len == 68);
	CHECK(same_bytes(buf, nl_build_veth(buf, sizeof(buf), &v), &w, sizeof(w)));
}

TEST(build_veth_minimal)
{
	struct nl_veth v = {.host = "vh", .peer = "vp", .peer_netns_fd = -1};
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr name_a;
		char name[4]; /* "vh\0" + 1 */
		struct rtattr li_a;
		struct rtattr kind_a;
		char kind[8];
		struct rtattr data_a;
		struct rtattr peer_a;
		struct ifinfomsg pi;
		struct rtattr pname_a;
		char pname[4];
	} w;

	WANT_HDR(w, RTM_NEWLINK, CREATE);
	w.i.ifi_flags = IFF_UP;
	w.i.ifi_change = IFF_UP;
	SET_ATTR(w.name_a, IFLA_IFNAME, 3);
	strcpy(w.name, "vh");
	SET_NEST(w, li_a, IFLA_LINKINFO);
	SET_ATTR(w.kind_a, IFLA_INFO_KIND, 5);
	strcpy(w.kind, "veth");
	SET_NEST(w, data_a, IFLA_INFO_DATA);
	SET_NEST(w, peer_a, VETH_INFO_PEER);
	SET_ATTR(w.pname_a, IFLA_IFNAME, 3);
	strcpy(w.pname, "vp");
	CHECK(same_bytes(buf, nl_build_veth(buf, sizeof(buf), &v), &w, sizeof(w)));
}

TEST(build_set_master)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr master_a;
		uint32_t master;
	} w;

	WANT_HDR(w, RTM_NEWLINK, ACKED);
	w.i.ifi_index = 12;
	SET_ATTR(w.master_a, IFLA_MASTER, 4);
	w.master = 3;
	CHECK(same_bytes(buf, nl_build_set_master(buf, sizeof(buf), 12, 3), &w, sizeof(w)));
}

TEST(build_move_and_rename)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr fd_a;
		uint32_t fd;
		struct rtattr name_a;
		char name[8];
	} w;

	WANT_HDR(w, RTM_NEWLINK, ACKED);
	w.i.ifi_index = 4;
	SET_ATTR(w.fd_a, IFLA_NET_NS_FD, 4);
	w.fd = 6;
	SET_ATTR(w.name_a, IFLA_IFNAME, 5);
	strcpy(w.name, "eth1");
	CHECK(same_bytes(buf, nl_build_move(buf, sizeof(buf), 4, 6, "eth1"), &w, sizeof(w)));
	/* Without a new name the message stops after the fd. */
	w.h.nlmsg_len = offsetof(__typeof__(w), name_a);
	CHECK(same_bytes(buf, nl_build_move(buf, sizeof(buf), 4, 6, NULL), &w,
			 offsetof(__typeof__(w), name_a)));
}

TEST(build_addr_add_with_broadcast)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg a;
		struct rtattr local_a;
		struct in_addr local;
		struct rtattr addr_a;
		struct in_addr addr;
		struct rtattr brd_a;
		struct in_addr brd;
	} w;
	struct in_addr ip;

	inet_pton(AF_INET, "10.88.0.1", &ip);
	WANT_HDR(w, RTM_NEWADDR, CREATE);
	w.a.ifa_family = AF_INET;
	w.a.ifa_prefixlen = 16;
	w.a.ifa_scope = RT_SCOPE_UNIVERSE;
	w.a.ifa_index = 3;
	SET_ATTR(w.local_a, IFA_LOCAL, 4);
	w.local = ip;
	SET_ATTR(w.addr_a, IFA_ADDRESS, 4);
	w.addr = ip;
	SET_ATTR(w.brd_a, IFA_BROADCAST, 4);
	inet_pton(AF_INET, "10.88.255.255", &w.brd);
	CHECK(same_bytes(buf, nl_build_addr_add(buf, sizeof(buf), 3, ip, 16), &w, sizeof(w)));
	/* A /32 has no broadcast address. */
	w.a.ifa_prefixlen = 32;
	w.h.nlmsg_len = offsetof(__typeof__(w), brd_a);
	CHECK(same_bytes(buf, nl_build_addr_add(buf, sizeof(buf), 3, ip, 32), &w,
			 offsetof(__typeof__(w), brd_a)));
	errno = 0;
	CHECK(nl_build_addr_add(buf, sizeof(buf), 3, ip, 33) == -1 && errno == EINVAL);
}

TEST(build_addr_del)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg a;
		struct rtattr local_a;
		struct in_addr local;
	} w;
	struct in_addr ip;

	inet_pton(AF_INET, "10.213.0.1", &ip);
	WANT_HDR(w, RTM_DELADDR, NLM_F_REQUEST | NLM_F_ACK);
	w.a.ifa_family = AF_INET;
	w.a.ifa_prefixlen = 16;
	w.a.ifa_index = 5;
	SET_ATTR(w.local_a, IFA_LOCAL, 4);
	w.local = ip;
	CHECK(same_bytes(buf, nl_build_addr_del(buf, sizeof(buf), 5, ip, 16), &w, sizeof(w)));
	CHECK(nl_build_addr_del(buf, sizeof(buf), 0, ip, 16) == -1 && errno == EINVAL);
	CHECK(nl_build_addr_del(buf, sizeof(buf), 5, ip, 33) == -1 && errno == EINVAL);
}

TEST(build_addr_dump)
{
	struct {
		struct nlmsghdr h;
		struct ifaddrmsg a;
	} w;

	WANT_HDR(w, RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP);
	w.a.ifa_family = AF_INET;
	w.a.ifa_index = 8;
	CHECK(same_bytes(buf, nl_build_addr_dump(buf, sizeof(buf), 8), &w, sizeof(w)));
}

TEST(build_default_route)
{
	struct {
		struct nlmsghdr h;
		struct rtmsg r;
		struct rtattr gw_a;
		struct in_addr gw;
		struct rtattr oif_a;
		uint32_t oif;
	} w;
	struct in_addr gw;

	inet_pton(AF_INET, "10.88.0.1", &gw);
	WANT_HDR(w, RTM_NEWROUTE, CREATE);
	w.r.rtm_family = AF_INET;
	w.r.rtm_dst_len = 0;
	w.r.rtm_table = RT_TABLE_MAIN;
	w.r.rtm_protocol = RTPROT_BOOT;
	w.r.rtm_scope = RT_SCOPE_UNIVERSE;
	w.r.rtm_type = RTN_UNICAST;
	SET_ATTR(w.gw_a, RTA_GATEWAY, 4);
	w.gw = gw;
	SET_ATTR(w.oif_a, RTA_OIF, 4);
	w.oif = 2;
	_Static_assert(sizeof(w) == 44, "no padding");
	CHECK(same_bytes(buf, nl_build_route_default(buf, sizeof(buf), gw, 2), &w, sizeof(w)));
}

/* Every builder fits exactly in its own length and fails with ENOSPC one byte short. */
TEST(builders_report_enospc)
{
	struct nl_veth v = {
	    .host = "mr-abc", .peer = "eth0", .peer_netns_fd = 9, .master = 5, .mtu = 1400};
	struct in_addr ip = {htonl(0x0a580001)};
	int n, cap;

	for (cap = 0; cap <= 200; cap++) {
		n = nl_build_veth(buf, (size_t)cap, &v);
		CHECK(cap >= 128 ? n == 128 : (n == -1 && errno == ENOSPC));
		n = nl_build_bridge(buf, (size_t)cap, "runc0", NULL);
		CHECK(cap >= 60 ? n == 60 : (n == -1 && errno == ENOSPC));
		n = nl_build_addr_add(buf, (size_t)cap, 1, ip, 8);
		CHECK(cap >= 48 ? n == 48 : (n == -1 && errno == ENOSPC));
		n = nl_build_link_flags(buf, (size_t)cap, 1, 1);
		CHECK(cap >= 32 ? n == 32 : (n == -1 && errno == ENOSPC));
	}
}

TEST(builders_refuse_bad_names)
{
	struct nl_veth v = {.host = "ok", .peer = "bad/name", .peer_netns_fd = -1};

	errno = 0;
	CHECK(nl_build_bridge(buf, sizeof(buf), "", NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(nl_build_link_get(buf, sizeof(buf), "sixteen-bytes-xx") == -1 && errno == EINVAL);
	errno = 0;
	CHECK(nl_build_link_del(buf, sizeof(buf), NULL) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(nl_build_veth(buf, sizeof(buf), &v) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(nl_build_move(buf, sizeof(buf), 3, 4, "a b") == -1 && errno == EINVAL);
}

/* ---- the reply parser ----------------------------------------------------------------- */

struct ack {
	struct nlmsghdr h;
	struct nlmsgerr err;
};

static void
make_ack(struct ack *a, uint32_t seq, uint32_t pid, int error)
{
	memset(a, 0, sizeof(*a));
	a->h.nlmsg_len = sizeof(*a);
	a->h.nlmsg_type = NLMSG_ERROR;
	a->h.nlmsg_flags = NLM_F_CAPPED; /* the kernel caps every ack */
	a->h.nlmsg_seq = seq;
	a->h.nlmsg_pid = pid;
	a->err.error = error;
	a->err.msg.nlmsg_len = 32;
	a->err.msg.nlmsg_type = RTM_NEWLINK;
	a->err.msg.nlmsg_seq = seq;
}

static int
parse(const void *m, size_t len, uint32_t sender, struct nl_reply *r)
{
	return nl_reply_parse(m, len, sender, r, NULL, NULL);
}

TEST(parse_ack)
{
	struct nl_reply r = {.seq = 5, .portid = 77};
	struct ack a;

	make_ack(&a, 5, 77, 0);
	CHECK(parse(&a, sizeof(a), 0, &r) == 0);
	CHECK(r.done == 1 && r.error == 0 && r.ext_msg[0] == '\0');
}

TEST(parse_error_with_request_and_ext_ack_text)
{
	/* Uncapped: the kernel echoes the whole 72-byte request before the TLVs. */
	struct {
		struct nlmsghdr h;
		struct nlmsgerr err;
		unsigned char req_payload[56];
		struct rtattr msg_a;
		char msg[24];
		struct rtattr offs_a;
		uint32_t offs;
	} m;
	struct nl_reply r = {.seq = 9};

	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = sizeof(m);
	m.h.nlmsg_type = NLMSG_ERROR;
	m.h.nlmsg_flags = NLM_F_ACK_TLVS;
	m.h.nlmsg_seq = 9;
	m.err.error = -EEXIST;
	m.err.msg.nlmsg_len = 72;
	memset(m.req_payload, 0xaa, sizeof(m.req_payload));
	SET_ATTR(m.msg_a, NLMSGERR_ATTR_MSG, 22);
	strcpy(m.msg, "Link name is in use");
	SET_ATTR(m.offs_a, NLMSGERR_ATTR_OFFS, 4);
	CHECK(parse(&m, sizeof(m), 0, &r) == 0);
	CHECK(r.done && r.error == EEXIST);
	CHECK_STR(r.ext_msg, "Link name is in use");
}

TEST(parse_capped_error_with_unterminated_text)
{
	struct {
		struct nlmsghdr h;
		struct nlmsgerr err;
		struct rtattr msg_a;
		char msg[4]; /* "abcd", no NUL on the wire */
	} m;
	struct nl_reply r = {.seq = 1};

	memset(&m, 0, sizeof(m));
	m.h.nlmsg_len = sizeof(m);
	m.h.nlmsg_type = NLMSG_ERROR;
	m.h.nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	m.h.nlmsg_seq = 1;
	m.err.error = -EINVAL;
	m.err.msg.nlmsg_len = 500; /* capped: this length must not be used */
	SET_ATTR(m.msg_a, NLMSGERR_ATTR_MSG, 4);
	memcpy(m.msg, "abcd", 4);
	CHECK(parse(&m, sizeof(m), 0, &r) == 0);
	CHECK(r.done && r.error == EINVAL);
	CHECK_STR(r.ext_msg, "abcd");
}

TEST(parse_skips_other_seq_and_pid)
{
	struct ack two[3];
	struct nl_reply r = {.seq = 5, .portid = 77};

	make_ack(&two[0], 4, 77, -ENOENT); /* an older request's answer */
	make_ack(&two[1], 5, 78, -EPERM);  /* addressed to another socket */
	make_ack(&two[2], 5, 77, -ENODEV); /* ours */
	CHECK(parse(&two[0], sizeof(two[0]) * 2, 0, &r) == 0);
	CHECK(!r.done);
	CHECK(parse(two, sizeof(two), 0, &r) == 0);
	CHECK(r.done && r.error == ENODEV);
}

TEST(parse_ignores_datagrams_not_from_the_kernel)
{
	struct nl_reply r = {.seq = 5};
	struct ack a;

	make_ack(&a, 5, 0, -EPERM);
	CHECK(parse(&a, sizeof(a), 4242, &r) == 0);
	CHECK(!r.done && r.error == 0);
}

TEST(parse_rejects_truncated_and_bad_lengths)
{
	struct ack a[2];
	struct nl_reply r = {.seq = 5};

	make_ack(&a[0], 5, 0, 0);
	CHECK(parse(a, sizeof(a[0]) - 1, 0, &r) == -1 && errno == EBADMSG); /* len past end */
	CHECK(parse(a, 10, 0, &r) == -1 && errno == EBADMSG);		    /* half a header */
	a[0].h.nlmsg_len = 8;						    /* < header */
	CHECK(parse(a, sizeof(a[0]), 0, &r) == -1 && errno == EBADMSG);
	a[0].h.nlmsg_len = 20; /* NLMSG_ERROR too short for struct nlmsgerr */
	CHECK(parse(a, 20, 0, &r) == -1 && errno == EBADMSG);
	make_ack(&a[0], 4, 0, 0); /* a skipped message followed by 3 stray bytes */
	CHECK(parse(a, sizeof(a[0]) + 3, 0, &r) == -1 && errno == EBADMSG);
	CHECK(!r.done);
}

TEST(parse_rejects_impossible_errors)
{
	struct nl_reply r = {.seq = 5};
	struct ack a;

	make_ack(&a, 5, 0, INT_MIN); /* -INT_MIN would overflow */
	CHECK(parse(&a, sizeof(a), 0, &r) == -1 && errno == EBADMSG);
	make_ack(&a, 5, 0, 1);
	CHECK(parse(&a, sizeof(a), 0, &r) == -1 && errno == EBADMSG);
	make_ack(&a, 5, 0, 0);
	a.h.nlmsg_flags = 0; /* uncapped but the echoed header says 3 bytes */
	a.err.msg.nlmsg_len = 3;
	CHECK(parse(&a, sizeof(a), 0, &r) == -1 && errno == EBADMSG);
}

/* An RTM_NEWLINK reply as the kernel sends it for RTM_GETLINK, then the ack. */
struct link_reply {
	struct nlmsghdr h;
	struct ifinfomsg i;
	struct rtattr name_a;
	char name[8];
	struct rtattr mtu_a;
	uint32_t mtu;
	struct rtattr master_a;
	uint32_t master;
	struct rtattr li_a;
	struct rtattr kind_a;
	char kind[8];
	struct ack ack;
};

static void
make_link_reply(struct link_reply *m, uint32_t seq)
{
	memset(m, 0, sizeof(*m));
	m->h.nlmsg_len = offsetof(struct link_reply, ack);
	m->h.nlmsg_type = RTM_NEWLINK;
	m->h.nlmsg_seq = seq;
	m->i.ifi_index = 3;
	m->i.ifi_flags = IFF_UP | IFF_BROADCAST;
	SET_ATTR(m->name_a, IFLA_IFNAME, 6);
	strcpy(m->name, "runc0");
	SET_ATTR(m->mtu_a, IFLA_MTU, 4);
	m->mtu = 1500;
	SET_ATTR(m->master_a, IFLA_MASTER, 4);
	m->master = 0;
	m->li_a.rta_len =
	    (unsigned short)(offsetof(struct link_reply, ack) - offsetof(struct link_reply, li_a));
	m->li_a.rta_type = IFLA_LINKINFO;
	SET_ATTR(m->kind_a, IFLA_INFO_KIND, 7);
	strcpy(m->kind, "bridge");
	make_ack(&m->ack, seq, 0, 0);
}

static int
got_link(const struct nlmsghdr *nlh, void *arg)
{
	return nl_link_parse(nlh, arg) < 0 ? -1 : 0;
}

TEST(parse_link_reply_then_ack)
{
	struct link_reply m;
	struct nl_link l;
	struct nl_reply r = {.seq = 2};

	make_link_reply(&m, 2);
	CHECK(nl_reply_parse(&m, sizeof(m), 0, &r, got_link, &l) == 0);
	CHECK(r.done && r.error == 0);
	CHECK(l.index == 3 && (l.flags & IFF_UP) && l.mtu == 1500 && l.master == 0);
	CHECK_STR(l.name, "runc0");
	CHECK_STR(l.kind, "bridge");
}

TEST(parse_link_with_overlong_nest_is_cut_at_the_message)
{
	struct link_reply m;
	struct nl_link l;

	make_link_reply(&m, 2);
	m.li_a.rta_len = 200; /* claims more than the message holds: RTA_OK stops there */
	CHECK(nl_link_parse(&m.h, &l) == 0);
	CHECK_STR(l.name, "runc0");
	CHECK_STR(l.kind, "");
	m.h.nlmsg_type = RTM_NEWADDR;
	CHECK(nl_link_parse(&m.h, &l) == -1 && errno == EBADMSG);
}

static int
stop_at_first(const struct nlmsghdr *nlh, void *arg)
{
	(void)nlh;
	++*(int *)arg;
	return 42;
}

TEST(parse_callback_verdict_is_returned)
{
	struct link_reply m;
	struct nl_reply r = {.seq = 2};
	int calls = 0;

	make_link_reply(&m, 2);
	CHECK(nl_reply_parse(&m, sizeof(m), 0, &r, stop_at_first, &calls) == 42);
	CHECK(calls == 1 && !r.done);
}

/* A dump: two RTM_NEWADDR (IPv4, IPv6) then NLMSG_DONE. */
struct addr_msg {
	struct nlmsghdr h;
	struct ifaddrmsg a;
	struct rtattr addr_a;
	struct in_addr addr;
	struct rtattr local_a;
	struct in_addr local;
};

static int
got_addr(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_addr4 *out = arg;
	struct nl_addr4 a;
	int rc = nl_addr_parse(nlh, &a);

	if (rc == 1)
		*out = a;
	return rc < 0 ? -1 : 0;
}

TEST(parse_addr_dump_until_done)
{
	struct {
		struct addr_msg v4, v6;
		struct nlmsghdr done;
		int err;
	} m;
	struct nl_reply r = {.seq = 3};
	struct nl_addr4 got;

	memset(&m, 0, sizeof(m));
	m.v4.h.nlmsg_len = sizeof(m.v4);
	m.v4.h.nlmsg_type = RTM_NEWADDR;
	m.v4.h.nlmsg_flags = NLM_F_MULTI;
	m.v4.h.nlmsg_seq = 3;
	m.v4.a.ifa_family = AF_INET;
	m.v4.a.ifa_prefixlen = 16;
	m.v4.a.ifa_index = 4;
	SET_ATTR(m.v4.addr_a, IFA_ADDRESS, 4);
	inet_pton(AF_INET, "10.88.0.9", &m.v4.addr); /* a peer, on point-to-point */
	SET_ATTR(m.v4.local_a, IFA_LOCAL, 4);
	inet_pton(AF_INET, "10.88.0.1", &m.v4.local);
	m.v6 = m.v4;
	m.v6.a.ifa_family = AF_INET6;
	m.done.nlmsg_len = sizeof(m.done) + sizeof(int);
	m.done.nlmsg_type = NLMSG_DONE;
	m.done.nlmsg_seq = 3;
	CHECK(nl_reply_parse(&m, sizeof(m), 0, &r, got_addr, &got) == 0);
	CHECK(r.done && r.error == 0);
	CHECK(got.index == 4 && got.prefix == 16 && got.local.s_addr == m.v4.local.s_addr);
	/* A dump that failed says so in NLMSG_DONE's int. */
	memset(&r, 0, sizeof(r));
	r.seq = 3;
	m.err = -EINTR;
	CHECK(nl_reply_parse(&m.done, sizeof(m.done) + sizeof(int), 0, &r, NULL, NULL) == 0);
	CHECK(r.done && r.error == EINTR);
}

/* Random bytes and random mutations of a good reply: the parser answers, never crashes. */
TEST(parse_survives_garbage)
{
	static uint32_t words[128];
	struct link_reply m;
	uint32_t x = 12345;
	struct nl_link l;
	int i, j, rc;

	for (i = 0; i < 20000; i++) {
		struct nl_reply r = {.seq = (uint32_t)(i & 3)};

		if (i & 1) {
			for (j = 0; j < 128; j++)
				words[j] = (x = x * 1103515245u + 12345u) >> (j & 7);
		} else {
			make_link_reply(&m, (uint32_t)(i & 3));
			x = x * 1103515245u + 12345u;
			((unsigned char *)&m)[(x >> 8) % sizeof(m)] = (unsigned char)(x >> 20);
			memcpy(words, &m, sizeof(m));
		}
		rc = nl_reply_parse(words, (x >> 4) % sizeof(words), 0, &r, got_link, &l);
		CHECK(rc == 0 || rc == -1);
	}
}

/* ---- a real socket, read-only ------------------------------------------------------------ */

TEST(socket_reads_lo_and_reports_enodev)
{
	struct nl_sock s;
	struct nl_link l;
	struct nl_addr4 a[8];
	struct err e = {""};

	if (nl_open(&s, -1, &e) < 0) {
		fprintf(stderr, "  (skipped: %s)\n", e.msg);
		return;
	}
	CHECK(s.fd >= 0 && s.portid != 0);
	CHECK(nl_link_get(&s, "lo", &l, &e) == 0);
	CHECK(l.index > 0);
	CHECK_STR(l.name, "lo");
	CHECK(nl_link_index(&s, "lo", &e) == l.index);
	CHECK(nl_addr_list(&s, l.index, a, 8, &e) >= 0);
	CHECK(nl_link_index(&s, "mr-nosuch0", &e) == -1 && errno == ENODEV);
	CHECK_STR(e.msg, "look up link mr-nosuch0: No such device");
	CHECK(nl_link_get(&s, "bad name", &l, &e) == -1 && errno == EINVAL);
	CHECK(strstr(e.msg, "invalid interface name") != NULL);
	nl_close(&s);
	CHECK(s.fd == -1 && s.rbuf == NULL);
}

int
main(void)
{
	RUN(ifname_accepts_plain_names);
	RUN(ifname_refuses_the_rest);
	RUN(mac_from_name_is_local_unicast_and_stable);
	RUN(build_link_up_and_down);
	RUN(build_link_get_and_del_by_name);
	RUN(build_bridge_with_fixed_mac);
	RUN(build_bridge_without_mac);
	RUN(build_veth_with_peer_in_other_netns);
	RUN(build_veth_minimal);
	RUN(build_set_master);
	RUN(build_move_and_rename);
	RUN(build_addr_add_with_broadcast);
	RUN(build_addr_del);
	RUN(build_addr_dump);
	RUN(build_default_route);
	RUN(builders_report_enospc);
	RUN(builders_refuse_bad_names);
	RUN(parse_ack);
	RUN(parse_error_with_request_and_ext_ack_text);
	RUN(parse_capped_error_with_unterminated_text);
	RUN(parse_skips_other_seq_and_pid);
	RUN(parse_ignores_datagrams_not_from_the_kernel);
	RUN(parse_rejects_truncated_and_bad_lengths);
	RUN(parse_rejects_impossible_errors);
	RUN(parse_link_reply_then_ack);
	RUN(parse_link_with_overlong_nest_is_cut_at_the_message);
	RUN(parse_callback_verdict_is_returned);
	RUN(parse_addr_dump_until_done);
	RUN(parse_survives_garbage);
	RUN(socket_reads_lo_and_reports_enodev);
	UNIT_END();
}
