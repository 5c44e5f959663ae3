/*
 * test_network.c - the address leases of network.c against a temp dir: gateway = net + 1,
 * round-robin from the last address handed out, exhaustion, release, --ip taken, /31 and /32
 * refused, and twenty processes allocating at once under the flock.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "network.h"
#include "unit.h"

static char root[64];

static struct net_pool
pool(const char *cidr)
{
	struct net_pool p;
	struct err e;

	net_cidr_parse(cidr, &p.net, &p.prefix, &e);
	return p;
}

static const char *
take(int dirfd, const struct net_pool *p, const char *id)
{
	static char out[INET_ADDRSTRLEN];
	static struct err e;
	struct net_lease l = {0};

	snprintf(l.id, sizeof(l.id), "%s", id);
	snprintf(l.veth, sizeof(l.veth), "mrtest");
	if (net_lease_take(dirfd, p, NULL, &l, &e) < 0)
		return e.msg;
	return inet_ntop(AF_INET, &l.addr, out, sizeof(out));
}

static void
drop(int dirfd, const char *addr)
{
	struct in_addr a;

	inet_pton(AF_INET, addr, &a);
	net_lease_drop(dirfd, a, NULL);
}

static int
fresh(const char *bridge)
{
	struct err e;

	return net_leases_open(root, bridge, &e);
}

TEST(cidr_parse)
{
	struct in_addr a;
	struct err e;
	int p;

	CHECK(net_cidr_parse("10.213.0.0/16", &a, &p, &e) == 0 && p == 16);
	CHECK(a.s_addr == htonl(0x0ad50000));
	CHECK(net_cidr_parse("10.213.0.0", &a, &p, &e) == -1 && errno == EINVAL);
	CHECK(net_cidr_parse("10.213.0.0/33", &a, &p, &e) == -1);
	CHECK(net_cidr_parse("10.213.0.0/", &a, &p, &e) == -1);
	CHECK(net_cidr_parse("10.213.0/16", &a, &p, &e) == -1);
	CHECK(net_cidr_parse("10.213.0.0/-1", &a, &p, &e) == -1);
}

TEST(overlap_and_names)
{
	struct err e;

	CHECK(net_overlap(0x0a000000, 8, 0x0a0a0000, 16));
	CHECK(net_overlap(0x0a0a0000, 16, 0x0a000000, 8));
	CHECK(net_overlap(0xc0000201, 24, 0xc0000280, 25));
	CHECK(!net_overlap(0xc0000201, 25, 0xc0000280, 25));
	CHECK(!net_overlap(0x0ad50000, 16, 0x0ad60000, 16));
	CHECK(net_overlap(0x01020304, 0, 0x0ad60000, 16));
	CHECK(net_ifname_check("--bridge", "runc0", &e) == 0);
	CHECK(net_ifname_check("--bridge", "a-b.c_d", &e) == 0);
	CHECK(net_ifname_check("--bridge", "-F", &e) == -1 && errno == EINVAL &&
	      strstr(e.msg, "\"-F\" (--bridge)") && strstr(e.msg, "'-'"));
	CHECK(net_ifname_check("--uplink", "a b", &e) == -1);
	CHECK(net_ifname_check("--uplink", "a:b", &e) == -1);
	CHECK(net_ifname_check("--uplink", "a/b", &e) == -1);
	CHECK(net_ifname_check("--ifname", "", &e) == -1);
	CHECK(net_ifname_check("--ifname", "..", &e) == -1);
	CHECK(net_ifname_check("--ifname", "sixteen-bytes-xx", &e) == -1);
}

TEST(pool_checks)
{
	struct net_pool p;
	struct err e;
	char gw[INET_ADDRSTRLEN];
	struct in_addr g;

	p = pool("10.0.0.0/31");
	CHECK(net_pool_check(&p, &e) == -1 && strstr(e.msg, "/31"));
	p = pool("10.0.0.0/32");
	CHECK(net_pool_check(&p, &e) == -1);
	p = pool("10.0.0.4/16");
	CHECK(net_pool_check(&p, &e) == -1 && strstr(e.msg, "host bits"));
	/* Blocks no bridge may touch (RFC 6890), whole or in part. */
	p = pool("224.1.0.0/16");
	CHECK(net_pool_check(&p, &e) == -1 && strstr(e.msg, "multicast"));
	p = pool("0.1.0.0/16");
	CHECK(net_pool_check(&p, &e) == -1 && strstr(e.msg, "0.0.0.0/8"));
	p = pool("127.0.0.0/16");
	CHECK(net_pool_check(&p, &e) == -1 && strstr(e.msg, "loopback"));
	p = pool("255.255.255.0/24");
	CHECK(net_pool_check(&p, &e) == -1 && strstr(e.msg, "broadcast"));
	p = pool("0.0.0.0/1");
	CHECK(net_pool_check(&p, &e) == -1 && strstr(e.msg, "0.0.0.0/8"));
	p = pool("128.0.0.0/1");
	CHECK(net_pool_check(&p, &e) == -1 && strstr(e.msg, "224.0.0.0/4"));
	p = pool("223.255.255.0/24");
	CHECK(net_pool_check(&p, &e) == 0);
	p = pool("1.0.0.0/8");
	CHECK(net_pool_check(&p, &e) == 0);
	p = pool("10.0.0.0/30");
	CHECK(net_pool_check(&p, &e) == 0);
	g = net_pool_gateway(&p);
	CHECK_STR(inet_ntop(AF_INET, &g, gw, sizeof(gw)), "10.0.0.1");
}

/* A /29: .2 to .6 are for containers (.0 net, .1 gateway, .7 broadcast). */
TEST(exhaustion_and_release)
{
	struct net_pool p = pool("10.1.0.0/29");
	int d = fresh("exh");

	CHECK_STR(take(d, &p, "a"), "10.1.0.2");
	CHECK_STR(take(d, &p, "b"), "10.1.0.3");
	CHECK_STR(take(d, &p, "c"), "10.1.0.4");
	CHECK_STR(take(d, &p, "d"), "10.1.0.5");
	CHECK_STR(take(d, &p, "e"), "10.1.0.6");
	CHECK(strstr(take(d, &p, "f"), "no free address left in 10.1.0.0/29") != NULL);
	CHECK(errno == ENOSPC);
	drop(d, "10.1.0.4");
	CHECK_STR(take(d, &p, "g"), "10.1.0.4");
	close(d);
}

/* Round robin: a released address is not handed out again before the others. */
TEST(round_robin)
{
	struct net_pool p = pool("10.2.0.0/24");
	int d = fresh("rr");

	CHECK_STR(take(d, &p, "a"), "10.2.0.2");
	drop(d, "10.2.0.2");
	CHECK_STR(take(d, &p, "b"), "10.2.0.3");
	drop(d, "10.2.0.3");
	CHECK_STR(take(d, &p, "c"), "10.2.0.4");
	close(d);
}

TEST(want_and_find)
{
	struct net_pool p = pool("10.3.0.0/24");
	struct net_lease l = {0}, f;
	struct in_addr want;
	struct err e;
	int d = fresh("want");

	inet_pton(AF_INET, "10.3.0.9", &want);
	strcpy(l.id, "first");
	strcpy(l.veth, "mr1");
	CHECK(net_lease_take(d, &p, &want, &l, &e) == 0);
	strcpy(l.id, "second");
	CHECK(net_lease_take(d, &p, &want, &l, &e) == -1 && errno == EADDRINUSE);
	CHECK(strstr(e.msg, "10.3.0.9 is already taken by container first") != NULL);
	inet_pton(AF_INET, "10.3.0.1", &want); /* the gateway */
	CHECK(net_lease_take(d, &p, &want, &l, &e) == -1 && errno == EINVAL);
	inet_pton(AF_INET, "10.4.0.5", &want); /* outside */
	CHECK(net_lease_take(d, &p, &want, &l, &e) == -1);
	CHECK(net_lease_find(d, "first", &f, &e) == 1);
	CHECK_STR(f.veth, "mr1");
	CHECK_STR(inet_ntoa(f.addr), "10.3.0.9");
	CHECK(net_lease_find(d, "nobody", &f, &e) == 0);
	close(d);
}

TEST(bad_bridge_name_is_not_a_path)
{
	struct err e;

	CHECK(net_leases_open(root, "../x", &e) == -1);
	CHECK(net_leases_open(root, "a/b", &e) == -1);
	CHECK(net_leases_open(root, "..", &e) == -1);
}

static int
count_one(const struct net_lease *l, void *arg)
{
	(void)l;
	++*(int *)arg;
	return 0;
}

/* Twenty processes at once: twenty distinct addresses (one file each, O_EXCL + flock). */
TEST(concurrent_allocation)
{
	struct net_pool p = pool("10.5.0.0/24");
	int d = fresh("conc"), n = 0, ok = 1, status;
	struct err e;

	for (int i = 0; i < 20; i++) {
		if (fork() == 0) {
			char id[16];

			snprintf(id, sizeof(id), "c%d", i);
			_exit(strncmp(take(d, &p, id), "10.5.0.", 7) == 0 ? 0 : 1);
		}
	}
	for (int i = 0; i < 20; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
			ok = 0;
	CHECK(ok);
	CHECK(net_lease_each(d, count_one, &n, &e) == 0);
	CHECK(n == 20);
	close(d);
}

int
main(void)
{
	char cmd[128];

	snprintf(root, sizeof(root), "/tmp/mr-unit-net.XXXXXX");
	if (!mkdtemp(root))
		return 1;
	RUN(cidr_parse);
	RUN(overlap_and_names);
	RUN(pool_checks);
	RUN(exhaustion_and_release);
	RUN(round_robin);
	RUN(want_and_find);
	RUN(bad_bridge_name_is_not_a_path);
	RUN(concurrent_allocation);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", root);
	UNIT_END();
}
