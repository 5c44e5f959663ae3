/*
 * network.c - the seed's bridge recipe done natively (NETWORK.md, "The bridge recipe"), as
 * `minirunc net create|delete|hook|ls|reset`.
 *
 * The seed (a blog post on runc's networking, method 2) builds by hand: a bridge runc0 with a
 * gateway address (step 1), a veth pair with one end on the bridge (step 2), the other end
 * moved into /run/netns/runc, renamed, addressed, up, with a default route (step 3), and
 * MASQUERADE + FORWARD rules (step 4).  Here each step is one rtnetlink message (netlink.c) or
 * one iptables vector (iptables_exec.c); the peer of the veth is born in the container's netns
 * under its final name, so nothing is ever half-moved.  Addresses come from leases (net_lease.c):
 * one file per address under <root>/net/<bridge>/, taken O_CREAT|O_EXCL under a flock.  The
 * bridge's own steps and `net reset` are net_bridge.c's; the checks before the first change and
 * before any delete are net_check.c's.  This file: options, one container, the subcommands.
 *
 * runc counterpart: none - runc leaves this to prestart hooks (the seed uses
 * genuinetools/netns); CNI's bridge + host-local IPAM plugins do the same job.
 * Left out: IPv6, port mappings, DNS (resolv.conf), more than one interface per container.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "network.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iptables_exec.h"
#include "net_int.h"
#include "json.h"
#include "netlink.h"
#include "spec.h"

/*
 * 10.213.0.0/16: private (RFC 1918) - the seed's 176.10.0.0/16 is publicly routed space - and
 * clear of the usual neighbours: Docker 172.17/16, Podman 10.88/16, libvirt 192.168.122/24,
 * Kubernetes pods 10.244/16 and services 10.96/12.
 */
#define NET_DEF_BRIDGE "runc0"
#define NET_DEF_SUBNET "10.213.0.0/16"
#define NET_DEF_IFNAME "eth0"
#define NET_NETNS_DIR  "/run/netns"

/* ---- options -------------------------------------------------------------------------- */

/* "--name VALUE" or "--name=VALUE" at argv[*i]; 1 when it matched (value in *val). */
static int
net_opt_value(int argc, char **argv, int *i, const char *name, const char **val, struct err *e)
{
	size_t n = strlen(name);
	const char *a = argv[*i];

	if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (*i + 1 >= argc) {
		errno = EINVAL;
		return err_set(e, "option %s needs a value", name);
	}
	*val = argv[++*i];
	return 1;
}

static int
net_opts_one(struct net_opts *o, int argc, char **argv, int *i, struct err *e)
{
	static const struct {
		const char *name;
		size_t off;
	} str[] = {
	    {"--bridge", offsetof(struct net_opts, bridge)},
	    {"--subnet", offsetof(struct net_opts, subnet)},
	    {"--ip", offsetof(struct net_opts, ip)},
	    {"--ifname", offsetof(struct net_opts, ifname)},
	    {"--uplink", offsetof(struct net_opts, uplink)},
	    {"--iptables", offsetof(struct net_opts, iptables)},
	};
	const char *v = NULL;
	char *end;
	int rc;

	for (size_t k = 0; k < sizeof(str) / sizeof(str[0]); k++) {
		rc = net_opt_value(argc, argv, i, str[k].name, &v, e);
		if (rc) {
			if (rc > 0)
				*(const char **)((char *)o + str[k].off) = v;
			o->bridge_given |= k == 0;
			return rc;
		}
	}
	if ((rc = net_opt_value(argc, argv, i, "--mtu", &v, e)) != 0) {
		long m = rc > 0 ? strtol(v, &end, 10) : 0;

		if (rc > 0 && (!*v || *end || m < 68 || m > 65535)) {
			errno = EINVAL;
			return err_set(e, "--mtu %.20s: want a number 68..65535", v);
		}
		o->mtu = (int)m;
		return rc;
	}
	if (strcmp(argv[*i], "--no-nat") == 0)
		return o->nat = false, 1;
	errno = EINVAL;
	return err_set(e, "unknown option \"%.64s\"", argv[*i]);
}

/* Options and at most one positional (NAME); *name NULL when there is none. */
static int
net_opts_parse(struct net_opts *o, int argc, char **argv, const char **name, struct err *e)
{
	*name = NULL;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1] == '-') {
			if (net_opts_one(o, argc, argv, &i, e) < 0)
				return -1;
		} else if (!*name) {
			*name = argv[i];
		} else {
			errno = EINVAL;
			return err_set(e, "unexpected argument \"%.64s\"", argv[i]);
		}
	}
	return 0;
}

/* The subnet: --subnet as given (host bits set are an error), else the network of --ip, else
 * the default. */
static int
net_opts_pool(struct net_opts *o, struct err *e)
{
	struct in_addr a;
	int prefix;

	if (net_cidr_parse(o->subnet ? o->subnet : (o->ip ? o->ip : NET_DEF_SUBNET), &a, &prefix,
			   e) < 0)
		return -1;
	o->pool.prefix = prefix;
	o->pool.net = o->subnet ? a : net_addr(ntohl(a.s_addr) & net_mask(prefix));
	return net_pool_check(&o->pool, e);
}

/* --ip: same prefix as the subnet, and a container address of it. */
static int
net_opts_want(struct net_opts *o, struct err *e)
{
	int prefix;

	if (!o->ip)
		return 0;
	if (net_cidr_parse(o->ip, &o->want, &prefix, e) < 0)
		return -1;
	errno = EINVAL;
	if (prefix != o->pool.prefix)
		return err_set(e, "--ip %s: prefix differs from the subnet's /%d", o->ip,
			       o->pool.prefix);
	if (!net_pool_usable(&o->pool, o->want))
		return err_set(e,
			       "--ip %s: not a container address of the subnet (inside it, and "
			       "not its network, gateway or broadcast address)",
			       o->ip);
	o->have_want = true;
	return 0;
}

/* Names, subnet, --ip and the iptables binary: all checked before anything is made. */
int
net_opts_resolve(struct net_opts *o, struct err *e)
{
	if (net_ifname_check("--bridge", o->bridge, e) < 0 ||
	    net_ifname_check("--ifname", o->ifname, e) < 0 ||
	    (o->uplink && net_ifname_check("--uplink", o->uplink, e) < 0))
		return -1;
	if (net_opts_pool(o, e) < 0 || net_opts_want(o, e) < 0)
		return -1;
	return o->nat ? ipt_find(o->iptables, o->ipt_bin, sizeof(o->ipt_bin), e) : 0;
}

/* ---- one container (seed steps 2 and 3) ----------------------------------------------- */

/*
 * The host end's name, from the container id alone so that teardown (a poststop hook gets no
 * pid) finds it again: "mr" + 48 bits of FNV-1a 64 of the id = 14 bytes, under IFNAMSIZ.
 */
static void
net_veth_name(const char *id, char out[16])
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)id; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	snprintf(out, 16, "mr%012" PRIx64, (uint64_t)(h & 0xffffffffffffULL));
}

/* Inside the container's netns, in the order that works: address, link up, route
 * (a route before its address fails with ENETUNREACH). */
static int
net_inside(int nsfd, const struct net_opts *o, struct in_addr addr, struct err *e)
{
	struct in_addr gw = net_pool_gateway(&o->pool);
	struct nl_sock in;
	int idx, lo, rc = -1;

	if (nl_open(&in, nsfd, e) < 0)
		return -1;
	idx = nl_link_index(&in, o->ifname, e);
	if (idx < 0)
		goto out;
	log_debug("add %s/%d to %s in the container  (seed step 3: ip netns exec runc ip addr "
		  "add IP/16 dev eth1)",
		  inet_ntoa(addr), o->pool.prefix, o->ifname);
	if (nl_addr_add(&in, idx, addr, o->pool.prefix, e) < 0)
		goto out;
	log_debug("set %s up  (seed step 3: ip link set eth1 up)", o->ifname);
	if (nl_link_up(&in, idx, e) < 0)
		goto out;
	lo = nl_link_index(&in, "lo", e);
	if (lo < 0 || nl_link_up(&in, lo, e) < 0)
		goto out;
	log_debug("default via %s dev %s  (seed step 3: ip route add default via GW)",
		  inet_ntoa(gw), o->ifname);
	rc = nl_route_add_default(&in, gw, idx, e);
out:
	nl_close(&in);
	return rc;
}

/* Which of <root>, <root>/net, <root>/net/<bridge> are there before a create makes them. */
static void
net_dirs_before(const char *root, const char *bridge, bool had[3])
{
	char path[4096];
	struct stat st;

	had[0] = stat(root, &st) == 0;
	snprintf(path, sizeof(path), "%s/net", root);
	had[1] = stat(path, &st) == 0;
	snprintf(path, sizeof(path), "%s/net/%s", root, bridge);
	had[2] = stat(path, &st) == 0;
}

/* A failed first create leaves no record directory it made: the lock file, then each
 * directory this call made, innermost first (rmdir(2) leaves any that is not empty). */
static void
net_dirs_undo(const char *root, const char *bridge, int dirfd, const bool had[3])
{
	char path[4096];

	if (had[2])
		return;
	(void)unlinkat(dirfd, "lock", 0);
	snprintf(path, sizeof(path), "%s/net/%s", root, bridge);
	(void)rmdir(path);
	snprintf(path, sizeof(path), "%s/net", root);
	if (!had[1])
		(void)rmdir(path);
	if (!had[0])
		(void)rmdir(root);
}

/*
 * The whole recipe for container id whose netns is nsfd.  Any failure once the lease or the
 * veth exists undoes them, and the bridge's parts this call made when nobody else uses them
 * (NETWORK.md: "Nothing is leaked on any error path").
 */
static int
net_attach(const struct net_opts *o, int nsfd, const char *id, struct err *e)
{
	struct net_lease l = {0};
	struct nl_sock host;
	struct nl_veth v = {.peer = o->ifname, .peer_netns_fd = nsfd, .mtu = o->mtu};
	struct net_made made = {0};
	bool had[3];
	int dirfd, rc = -1;

	net_dirs_before(o->root, o->bridge, had);
	dirfd = net_leases_open(o->root, o->bridge, e);
	if (dirfd < 0)
		return -1;
	if (nl_open(&host, -1, e) < 0)
		goto out_dir;
	v.master = net_bridge_prepare(&host, dirfd, o, &made, e);
	if (v.master < 0)
		goto out_nl;
	snprintf(l.id, sizeof(l.id), "%s", id);
	net_veth_name(id, l.veth);
	v.host = l.veth;
	if (net_lease_take(dirfd, &o->pool, o->have_want ? &o->want : NULL, &l, e) < 0)
		goto out_bridge;
	log_debug("lease %s for %s  (seed: the address picked by hand)", inet_ntoa(l.addr), id);
	log_debug(
	    "ip link add %s type veth peer name %s netns <container>, master %s, up  "
	    "(seed step 2: ip link add veth-host type veth peer name veth-guest; brctl addif)",
	    l.veth, o->ifname, o->bridge);
	if (nl_veth_create(&host, &v, e) < 0) {
		if (errno == EEXIST)
			err_set(e,
				"create veth %s/%s: a link of that name exists already (in "
				"this netns or the container's)",
				l.veth, o->ifname);
		goto out_lease;
	}
	if (net_inside(nsfd, o, l.addr, e) == 0) {
		rc = 0;
		goto out_nl;
	}
	(void)nl_link_delete(&host, l.veth, NULL); /* rollback: the first error stays in e */
out_lease:
	(void)net_lease_drop(dirfd, l.addr, NULL);
out_bridge:
	net_bridge_rollback(&host, dirfd, o, &made);
out_nl:
	nl_close(&host);
out_dir:
	if (rc < 0 && net_bridge_unused(dirfd))
		net_dirs_undo(o->root, o->bridge, dirfd, had);
	close(dirfd);
	return rc;
}

/*
 * Teardown of one lease: the veth by name, when it is still the one minirunc made - a veth,
 * a port of the lease's bridge (ENODEV: the kernel removed the pair with the netns already) -
 * then the address.  Another link of that name is refused, and the lease kept.
 */
static int
net_detach_lease(struct nl_sock *s, int dirfd, const char *bridge, const struct net_lease *l,
		 struct err *e)
{
	struct net_owned want = {.name = l->veth, .kind = "veth", .master_name = bridge};
	char name[INET_ADDRSTRLEN];
	struct nl_link link;
	int rc;

	want.master = nl_link_index(s, bridge, NULL);
	if (want.master < 0)
		want.master = 0; /* the bridge is gone: so is every port it had */
	rc = net_link_owned(s, &want, &link, e);
	if (rc < 0)
		return -1;
	log_debug("ip link del %s  (seed: none; runc: poststop hook)", l->veth);
	if (rc == 1 && nl_link_delete(s, l->veth, e) < 0 && errno != ENODEV)
		return -1;
	inet_ntop(AF_INET, &l->addr, name, sizeof(name));
	log_debug("release %s of %s", name, l->id);
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
		return err_set(e, "release address %s:", name);
	return 0;
}

/* Every lease of id in one bridge's directory. */
static int
net_detach_in(struct nl_sock *s, const char *root, const char *bridge, const char *id, int *found,
	      struct err *e)
{
	struct net_lease l;
	int dirfd, lock, rc = 0;

	dirfd = net_leases_open(root, bridge, e);
	if (dirfd < 0)
		return -1;
	lock = net_leases_lock(dirfd, e);
	if (lock < 0) {
		close(dirfd);
		return -1;
	}
	while (rc == 0 && (rc = net_lease_find(dirfd, id, &l, e)) == 1) {
		++*found;
		rc = net_detach_lease(s, dirfd, bridge, &l, e);
	}
	close(lock);
	close(dirfd);
	return rc;
}

/*
 * Remove what was made for id, from the stored leases: in the bridge given with --bridge,
 * else in every bridge under <root>/net.  Nothing found is success (rollback did it, or a
 * second poststop).  *found counts the leases released.
 */
static int
net_detach(const struct net_opts *o, const char *id, int *found, struct err *e)
{
	char path[4096];
	struct nl_sock s;
	struct dirent *d;
	DIR *dir;
	int rc = 0;

	if (nl_open(&s, -1, e) < 0)
		return -1;
	if (o->bridge_given) {
		rc = net_detach_in(&s, o->root, o->bridge, id, found, e);
		nl_close(&s);
		return rc;
	}
	snprintf(path, sizeof(path), "%s/net", o->root);
	dir = opendir(path);
	while (dir && rc == 0 && (d = readdir(dir)))
		if (d->d_name[0] != '.' && nl_ifname_valid(d->d_name))
			rc = net_detach_in(&s, o->root, d->d_name, id, found, e);
	if (dir)
		closedir(dir);
	nl_close(&s);
	return rc;
}

/* ---- /run/netns/NAME, as `ip netns add` makes it (the seed's method 2) ----------------- */

/*
 * /run/netns a shared mount point, so the bind mounts under it reach every mount namespace
 * that was copied from ours (iproute2 ip/ipnetns.c netns_add(): make it MS_SHARED, and when
 * it is not a mount point yet, bind it onto itself first).
 */
static int
net_netns_dir(struct err *e)
{
	if (mkdir(NET_NETNS_DIR, 0755) < 0 && errno != EEXIST)
		return err_set(e, "mkdir %s:", NET_NETNS_DIR);
	if (mount("", NET_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return err_set(e, "make %s a shared mount:", NET_NETNS_DIR);
	if (mount(NET_NETNS_DIR, NET_NETNS_DIR, "none", MS_BIND | MS_REC, NULL) < 0 ||
	    mount("", NET_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
		return err_set(e, "make %s a shared mount:", NET_NETNS_DIR);
	return 0;
}

static void
net_netns_remove(const char *path)
{
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		log_warn("umount %s: %s", path, strerror(errno));
	(void)unlink(path);
}

/* A child unshares a new netns and binds its /proc/self/ns/net onto path; the netns lives
 * on through the mount after the child exits. */
static int
net_netns_bind(const char *path, struct err *e)
{
	int status, err = 0;
	pid_t pid = fork();

	if (pid < 0)
		return err_set(e, "fork:");
	if (pid == 0) {
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		if (mount("/proc/self/ns/net", path, "none", MS_BIND, NULL) < 0)
			_exit(2);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return err_set(e, "waitpid:");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		err = WIFEXITED(status) && WEXITSTATUS(status) == 1 ? 1 : 2;
	errno = EPERM;
	if (err)
		return err_set(e, "%s %s: %s",
			       err == 1 ? "unshare(CLONE_NEWNET) for"
					: "bind /proc/self/ns/net onto",
			       path, "failed (root? mount ns?)");
	return 0;
}

/* Make path (/run/netns/NAME) and open it: the netns fd, or -1. */
static int
net_netns_make(const char *path, struct err *e)
{
	int fd;

	if (net_netns_dir(e) < 0)
		return -1;
	log_debug("create %s  (seed step 3: ip netns add runc)", path);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return err_set(e, errno == EEXIST ? "%s exists already:" : "create %s:", path);
	close(fd);
	if (net_netns_bind(path, e) < 0) {
		(void)unlink(path);
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		err_set(e, "open %s:", path);
		net_netns_remove(path);
	}
	return fd;
}

/* ---- subcommands ---------------------------------------------------------------------- */

static int
net_name_check(const char *name, struct err *e)
{
	if (!name) {
		errno = EINVAL;
		return err_set(e, "missing NAME");
	}
	if (strlen(name) > 200) {
		errno = ENAMETOOLONG;
		return err_set(e, "name \"%.32s...\" longer than 200 bytes", name);
	}
	return id_check(name, e);
}

/* Everything that can be known before the first change (STYLE.md: fail before touching). */
static int
net_precheck(struct net_opts *o, struct err *e)
{
	struct nl_sock s;
	int rc;

	if (net_opts_resolve(o, e) < 0 || nl_open(&s, -1, e) < 0)
		return -1;
	rc = net_check_host(&s, o->bridge, o->uplink, &o->pool, e);
	nl_close(&s);
	return rc < 0 ? -1 : net_record_agrees(o, e);
}

/* net create NAME: /run/netns/NAME, wired to the bridge. */
static int
net_cmd_create(struct net_opts *o, const char *name, struct err *e)
{
	char path[256];
	struct stat st;
	int fd, rc;

	if (net_name_check(name, e) < 0 || net_precheck(o, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", NET_NETNS_DIR, name);
	if (lstat(path, &st) == 0) {
		errno = EEXIST;
		return err_set(e, "%s exists already:", path);
	}
	fd = net_netns_make(path, e);
	if (fd < 0)
		return -1;
	rc = net_attach(o, fd, name, e);
	close(fd);
	if (rc < 0)
		net_netns_remove(path);
	return rc;
}

/* net delete NAME: the lease and veth, then the netns file. */
static int
net_cmd_delete(struct net_opts *o, const char *name, struct err *e)
{
	char path[256];
	struct stat st;
	int found = 0, exists;

	if (net_name_check(name, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", NET_NETNS_DIR, name);
	exists = stat(path, &st) == 0;
	if (net_detach(o, name, &found, e) < 0)
		return -1;
	if (!exists && !found) {
		errno = ENOENT;
		return err_set(e, "no network %s (no %s, no lease)", name, path);
	}
	if (exists) {
		log_debug("umount and remove %s  (seed: ip netns del runc)", path);
		net_netns_remove(path);
	}
	return 0;
}

/* The OCI state on stdin (runtime-spec runtime.md "State"): id, and pid unless stopped. */
struct net_hook_state {
	char id[1025];
	int64_t pid;  /* 0: none */
	bool stopped; /* "status": "stopped" */
};

static int
net_hook_read(struct net_hook_state *hs, struct err *e)
{
	const struct json_value *root, *id, *pid, *status;
	struct json_err je;
	struct json_doc *doc;
	size_t len;
	char *buf = read_file_fd(0, SPEC_MAX_STATE, &len);

	if (!buf)
		return err_set(e, "read the container state on stdin:");
	doc = json_parse(buf, len, &je);
	free(buf);
	if (!doc)
		return err_set(e, "state on stdin:%u:%u: %s", je.line, je.col, je.msg);
	root = json_root(doc);
	id = json_get(root, "id");
	pid = json_get(root, "pid");
	status = json_get(root, "status");
	memset(hs, 0, sizeof(*hs));
	if (!id || id->type != JSON_STRING || id->u.str.len >= sizeof(hs->id) ||
	    strlen(id->u.str.s) != id->u.str.len) {
		json_free(doc);
		errno = EINVAL;
		return err_set(e, "state on stdin: no string \"id\" (is this an OCI hook?)");
	}
	memcpy(hs->id, id->u.str.s, id->u.str.len + 1);
	if (pid && pid->type == JSON_NUMBER && (json_to_int64(pid, &hs->pid) < 0 || hs->pid < 0))
		hs->pid = 0;
	hs->stopped = status && status->type == JSON_STRING && !strcmp(status->u.str.s, "stopped");
	json_free(doc);
	return id_check(hs->id, e);
}

/* /proc/PID/ns/net, opened once (no pid-reuse race after this), and not our own netns. */
static int
net_hook_netns(int64_t pid, struct err *e)
{
	char path[64];
	struct stat a, b;
	int fd;

	snprintf(path, sizeof(path), "/proc/%" PRId64 "/ns/net", pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT)
		return err_set(e, "container process %" PRId64 " is gone (%s):", pid, path);
	if (fd < 0)
		return err_set(e, "open %s:", path);
	if (fstat(fd, &a) < 0 || stat("/proc/self/ns/net", &b) < 0) {
		err_set(e, "stat %s:", path);
		close(fd);
		return -1;
	}
	if (a.st_dev == b.st_dev && a.st_ino == b.st_ino) {
		close(fd);
		errno = EINVAL;
		return err_set(e,
			       "container %" PRId64 " shares the runtime's network namespace: "
			       "add {\"type\": \"network\"} to linux.namespaces",
			       pid);
	}
	return fd;
}

/* net hook: prestart/createRuntime (a pid) sets up, poststop (no pid) tears down. */
static int
net_cmd_hook(struct net_opts *o, struct err *e)
{
	struct net_hook_state hs;
	int fd, rc, found = 0;

	if (net_hook_read(&hs, e) < 0)
		return -1;
	if (hs.pid <= 0 || hs.stopped) {
		log_debug("hook for %s without a live pid: teardown  (runc: poststop hook)", hs.id);
		return net_detach(o, hs.id, &found, e);
	}
	if (net_precheck(o, e) < 0)
		return -1;
	log_debug("hook for %s: configure /proc/%" PRId64 "/ns/net  (runc: prestart hook, "
		  "genuinetools/netns in the seed)",
		  hs.id, hs.pid);
	fd = net_hook_netns(hs.pid, e);
	if (fd < 0)
		return -1;
	rc = net_attach(o, fd, hs.id, e);
	close(fd);
	return rc;
}

static int
net_ls_one(const struct net_lease *l, void *arg)
{
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &l->addr, a, sizeof(a));
	printf("%-24s %-16s %-15s %s\n", l->id, a, l->veth, (const char *)arg);
	return 0;
}

/* net ls: every lease of every bridge under <root>/net. */
static int
net_cmd_ls(const struct net_opts *o, struct err *e)
{
	char path[4096];
	struct dirent *d;
	DIR *dir;
	int dirfd, lock, rc = 0;

	printf("%-24s %-16s %-15s %s\n", "ID", "ADDRESS", "VETH", "BRIDGE");
	snprintf(path, sizeof(path), "%s/net", o->root);
	dir = opendir(path);
	while (dir && rc == 0 && (d = readdir(dir))) {
		if (d->d_name[0] == '.' || !nl_ifname_valid(d->d_name))
			continue;
		dirfd = net_leases_open(o->root, d->d_name, e);
		lock = dirfd < 0 ? -1 : net_leases_lock(dirfd, e);
		rc = lock < 0 ? -1 : net_lease_each(dirfd, net_ls_one, d->d_name, e);
		if (lock >= 0)
			close(lock);
		if (dirfd >= 0)
			close(dirfd);
	}
	if (dir)
		closedir(dir);
	fflush(stdout);
	return rc;
}

int
cmd_net(const char *root, int argc, char **argv)
{
	struct net_opts o = {.root = root ? root : "/run/minirunc",
			     .bridge = NET_DEF_BRIDGE,
			     .ifname = NET_DEF_IFNAME,
			     .nat = true};
	const char *sub = argc > 0 ? argv[0] : "", *name;
	struct err e = {""};
	int rc = -1;

	if (net_opts_parse(&o, argc, argv, &name, &e) < 0)
		;
	else if (strcmp(sub, "create") == 0)
		rc = net_cmd_create(&o, name, &e);
	else if (strcmp(sub, "delete") == 0)
		rc = net_cmd_delete(&o, name, &e);
	else if (name)
		rc = err_set(&e, "unexpected argument \"%.64s\"", name);
	else if (strcmp(sub, "hook") == 0)
		rc = net_cmd_hook(&o, &e);
	else if (strcmp(sub, "ls") == 0)
		rc = net_cmd_ls(&o, &e);
	else if (strcmp(sub, "reset") == 0)
		rc = net_cmd_reset(&o, &e);
	else
		rc = err_set(&e, "unknown subcommand \"%.32s\" (create, delete, hook, ls, reset)",
			     sub);
	if (rc < 0) {
		log_error("net %.32s: %s", sub, e.msg);
		return 1;
	}
	return 0;
}
