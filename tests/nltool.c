/*
 * nltool.c - a test helper: each netlink.c operation as a command, so bats tests and a
 * person at a root shell can drive rtnetlink exactly the way minirunc does, and check the
 * result with `ip`.  Run it inside a test netns (`ip netns exec mr-x nltool ...`) or give
 * -n PATH to open the socket in another netns.  Not installed; not part of minirunc.
 *
 *   nltool [-n NETNS] lo | up NAME | down NAME | index NAME | show NAME | del NAME
 *                     | bridge NAME [auto|XX:XX:XX:XX:XX:XX] | master NAME BRIDGE
 *                     | veth HOST PEER [PEER_NETNS|-] [BRIDGE|-] [MTU]
 *                     | move NAME NETNS [NEWNAME] | addr NAME A.B.C.D/P | addrs NAME
 *                     | route GW DEV
 * Exit status: 0 done, 1 failed, 2 usage, 3 ENODEV (for `del`: already gone).
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
#include <unistd.h>

#include "netlink.h"

static struct nl_sock sock;
static struct err err;

static int
usage(void)
{
	fprintf(stderr, "usage: nltool [-n NETNS] lo | up|down|index|show|del|addrs NAME |\n"
			"  bridge NAME [auto|MAC] | master NAME BRIDGE | addr NAME A.B.C.D/P |\n"
			"  veth HOST PEER [PEER_NETNS|-] [BRIDGE|-] [MTU] |\n"
			"  move NAME NETNS [NEWNAME] | route GW DEV\n");
	return 2;
}

static int
open_ns(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		err_set(&err, "open %s:", path);
	return fd;
}

static int
index_of(const char *name)
{
	return nl_link_index(&sock, name, &err);
}

static int
parse_cidr(const char *s, struct in_addr *a, int *prefix)
{
	char ip[INET_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	char *end;

	if (!slash || (size_t)(slash - s) >= sizeof(ip))
		return -1;
	memcpy(ip, s, (size_t)(slash - s));
	ip[slash - s] = '\0';
	*prefix = (int)strtol(slash + 1, &end, 10);
	return inet_pton(AF_INET, ip, a) == 1 && !*end && end != slash + 1 ? 0 : -1;
}

static int
cmd_show(char **av)
{
	struct nl_link l;

	if (nl_link_get(&sock, av[0], &l, &err) < 0)
		return -1;
	printf("index %d name %s flags 0x%x%s kind %s master %d mtu %d\n", l.index, l.name, l.flags,
	       (l.flags & 1) ? " up" : "", l.kind[0] ? l.kind : "-", l.master, l.mtu);
	return 0;
}

static int
cmd_updown(char **av, int up)
{
	int idx = index_of(av[0]);

	if (idx < 0)
		return -1;
	return up ? nl_link_up(&sock, idx, &err) : nl_link_down(&sock, idx, &err);
}

static int
cmd_bridge(char **av, int ac)
{
	unsigned char mac[6];
	unsigned int m[6];
	int i;

	if (ac < 2)
		return nl_bridge_create(&sock, av[0], NULL, &err);
	if (!strcmp(av[1], "auto")) {
		nl_mac_from_name(av[0], mac);
	} else {
		if (sscanf(av[1], "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) !=
		    6)
			return err_set(&err, "bad MAC %s", av[1]);
		for (i = 0; i < 6; i++)
			mac[i] = (unsigned char)m[i];
	}
	return nl_bridge_create(&sock, av[0], mac, &err);
}

static int
cmd_veth(char **av, int ac)
{
	struct nl_veth v = {.host = av[0], .peer = av[1], .peer_netns_fd = -1};
	int rc;

	if (ac > 2 && strcmp(av[2], "-") && (v.peer_netns_fd = open_ns(av[2])) < 0)
		return -1;
	if (ac > 3 && strcmp(av[3], "-") && (v.master = index_of(av[3])) < 0)
		return -1;
	if (ac > 4)
		v.mtu = atoi(av[4]);
	rc = nl_veth_create(&sock, &v, &err);
	if (v.peer_netns_fd >= 0)
		close(v.peer_netns_fd);
	return rc;
}

static int
cmd_master(char **av)
{
	int idx = index_of(av[0]), br;

	if (idx < 0 || (br = index_of(av[1])) < 0)
		return -1;
	return nl_link_set_master(&sock, idx, br, &err);
}

static int
cmd_move(char **av, int ac)
{
	int idx = index_of(av[0]), fd, rc;

	if (idx < 0 || (fd = open_ns(av[1])) < 0)
		return -1;
	rc = nl_link_move(&sock, idx, fd, ac > 2 ? av[2] : NULL, &err);
	close(fd);
	return rc;
}

static int
cmd_addr(char **av)
{
	struct in_addr a;
	int prefix, idx;

	if (parse_cidr(av[1], &a, &prefix) < 0)
		return err_set(&err, "bad address %s (want A.B.C.D/P)", av[1]);
	if ((idx = index_of(av[0])) < 0)
		return -1;
	return nl_addr_add(&sock, idx, a, prefix, &err);
}

static int
cmd_addrs(char **av)
{
	struct nl_addr4 a[32];
	char ip[INET_ADDRSTRLEN];
	int idx = index_of(av[0]), n, i;

	if (idx < 0 || (n = nl_addr_list(&sock, idx, a, 32, &err)) < 0)
		return -1;
	for (i = 0; i < n && i < 32; i++)
		printf("%s/%d\n", inet_ntop(AF_INET, &a[i].local, ip, sizeof(ip)), a[i].prefix);
	return 0;
}

static int
cmd_route(char **av)
{
	struct in_addr gw;
	int idx;

	if (inet_pton(AF_INET, av[0], &gw) != 1)
		return err_set(&err, "bad gateway %s", av[0]);
	if ((idx = index_of(av[1])) < 0)
		return -1;
	return nl_route_add_default(&sock, gw, idx, &err);
}

/* One command; ac counts the arguments after its name. */
static int
run(const char *cmd, char **av, int ac)
{
	int idx;

	if (!strcmp(cmd, "up") || !strcmp(cmd, "down"))
		return cmd_updown(av, cmd[0] == 'u');
	if (!strcmp(cmd, "index")) {
		if ((idx = index_of(av[0])) < 0)
			return -1;
		printf("%d\n", idx);
		return 0;
	}
	if (!strcmp(cmd, "show"))
		return cmd_show(av);
	if (!strcmp(cmd, "del"))
		return nl_link_delete(&sock, av[0], &err);
	if (!strcmp(cmd, "bridge"))
		return cmd_bridge(av, ac);
	if (!strcmp(cmd, "master") && ac >= 2)
		return cmd_master(av);
	if (!strcmp(cmd, "veth") && ac >= 2)
		return cmd_veth(av, ac);
	if (!strcmp(cmd, "move") && ac >= 2)
		return cmd_move(av, ac);
	if (!strcmp(cmd, "addr") && ac >= 2)
		return cmd_addr(av);
	if (!strcmp(cmd, "addrs"))
		return cmd_addrs(av);
	if (!strcmp(cmd, "route") && ac >= 2)
		return cmd_route(av);
	errno = EINVAL;
	return err_set(&err, "unknown command or missing argument: %s", cmd);
}

int
main(int argc, char **argv)
{
	int nsfd = -1, rc, saved;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		if ((nsfd = open_ns(argv[2])) < 0) {
			fprintf(stderr, "nltool: %s\n", err.msg);
			return 1;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc < 2)
		return usage();
	if (!strcmp(argv[1], "lo") && nsfd < 0) {
		rc = nl_loopback_up(&err);
	} else if (argc < 3 && strcmp(argv[1], "lo")) {
		return usage();
	} else if (nl_open(&sock, nsfd, &err) < 0) {
		rc = -1;
	} else {
		rc = !strcmp(argv[1], "lo") ? cmd_updown((char *[]){"lo"}, 1)
					    : run(argv[1], argv + 2, argc - 2);
		nl_close(&sock);
	}
	if (rc < 0) {
		saved = errno;
		fprintf(stderr, "nltool: %s\n", err.msg);
		return saved == ENODEV ? 3 : 1;
	}
	return 0;
}
