/*
 * net_lease.c - the addresses of the bridge recipe (NETWORK.md, "Address allocation"): CIDR
 * parsing, a bridge's pool, and the leases: one file per address under <root>/net/<bridge>/,
 * named by the address, holding "id\nveth\n", taken O_CREAT|O_EXCL under a flock on
 * <dir>/lock, round-robin from the last address handed out.
 *
 * runc counterpart: none - CNI's host-local IPAM plugin does this job (one file per address
 * under /var/lib/cni/networks/NAME, "last_reserved_ip").  Left out: IPv6, ranges inside the
 * subnet, reservations that outlive /run.
 */
#include "network.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "netlink.h"

/* ---- addresses ------------------------------------------------------------------------ */

uint32_t
net_mask(int prefix)
{
	return prefix ? ~0U << (32 - prefix) : 0;
}

struct in_addr
net_addr(uint32_t host_order)
{
	struct in_addr a = {.s_addr = htonl(host_order)};

	return a;
}

int
net_cidr_parse(const char *s, struct in_addr *addr, int *prefix, struct err *e)
{
	char buf[INET_ADDRSTRLEN + 4], *slash, *end;
	long p;

	errno = EINVAL;
	if (!s || strlen(s) >= sizeof(buf))
		return err_set(e, "invalid address \"%.40s\": want A.B.C.D/N", s ? s : "");
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (!slash)
		return err_set(e, "invalid address \"%s\": no /prefix", s);
	*slash = '\0';
	p = strtol(slash + 1, &end, 10);
	if (slash[1] < '0' || slash[1] > '9' || *end || p < 0 || p > 32)
		return err_set(e, "invalid address \"%s\": prefix must be 0..32", s);
	if (inet_pton(AF_INET, buf, addr) != 1)
		return err_set(e, "invalid address \"%s\": not an IPv4 address", s);
	*prefix = (int)p;
	return 0;
}

/*
 * Address blocks no bridge subnet may touch (RFC 6890): "this network" (0/8, RFC 1122
 * 3.2.1.3), loopback (127/8), multicast (224/4, RFC 5771) and reserved (240/4, RFC 1112,
 * with the limited broadcast 255.255.255.255 at its end).  The kernel accepts most of them on a
 * bridge, and the recipe then fails at the default route or leaves unroutable NAT rules.
 */
static const struct {
	uint32_t net;
	int prefix;
	const char *what;
} net_reserved[] = {
    {0x00000000, 8, "0.0.0.0/8 (\"this network\")"},
    {0x7f000000, 8, "127.0.0.0/8 (loopback)"},
    {0xe0000000, 4, "224.0.0.0/4 (multicast)"},
    {0xf0000000, 4, "240.0.0.0/4 (reserved, and the broadcast address)"},
};

/* 1 if a/pa and b/pb share an address: both are the same network at the shorter prefix. */
int
net_overlap(uint32_t a, int pa, uint32_t b, int pb)
{
	uint32_t m = net_mask(pa < pb ? pa : pb);

	return (a & m) == (b & m);
}

int
net_pool_check(const struct net_pool *p, struct err *e)
{
	uint32_t n = ntohl(p->net.s_addr);
	char a[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &p->net, a, sizeof(a));
	errno = EINVAL;
	if (p->prefix >= 31 || p->prefix < 1)
		return err_set(e,
			       "subnet %s/%d: prefix must be 1..30 (a /31 or /32 has no room "
			       "for a gateway and a container)",
			       a, p->prefix);
	if (n & ~net_mask(p->prefix))
		return err_set(e, "subnet %s/%d: host bits set (the network address is %s)", a,
			       p->prefix, inet_ntoa(net_addr(n & net_mask(p->prefix))));
	for (size_t i = 0; i < sizeof(net_reserved) / sizeof(net_reserved[0]); i++)
		if (net_overlap(n, p->prefix, net_reserved[i].net, net_reserved[i].prefix))
			return err_set(e, "subnet %s/%d overlaps %s: not usable for a bridge", a,
				       p->prefix, net_reserved[i].what);
	return 0;
}

struct in_addr
net_pool_gateway(const struct net_pool *p)
{
	return net_addr(ntohl(p->net.s_addr) + 1);
}

/* 1 if a can be a container's address: inside the pool, not net, gateway or broadcast. */
int
net_pool_usable(const struct net_pool *p, struct in_addr a)
{
	uint32_t n = ntohl(p->net.s_addr), h = ntohl(a.s_addr), m = net_mask(p->prefix);

	return (h & m) == n && h > n + 1 && h < (n | ~m);
}

/* ---- leases --------------------------------------------------------------------------- */

static int
net_mkdir(const char *path, struct err *e)
{
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return err_set(e, "mkdir %s:", path);
	return 0;
}

int
net_leases_open(const char *root, const char *bridge, struct err *e)
{
	char path[4096];
	int fd;

	if (!nl_ifname_valid(bridge)) {
		errno = EINVAL;
		return err_set(e, "invalid bridge name \"%.32s\" (1-15 of [A-Za-z0-9_.-])", bridge);
	}
	if (snprintf(path, sizeof(path), "%s/net/%s", root, bridge) >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return err_set(e, "--root %.64s...:", root);
	}
	if (net_mkdir(root, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/net", root);
	if (net_mkdir(path, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/net/%s", root, bridge);
	if (net_mkdir(path, e) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, "open %s:", path);
	return fd;
}

int
net_leases_lock(int dirfd, struct err *e)
{
	int fd = openat(dirfd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return err_set(e, "open the lease lock:");
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			err_set(e, "flock the lease lock:");
			close(fd);
			return -1;
		}
	}
	return fd;
}

/* Read a small file of dirfd into buf (NUL-terminated); -1 with errno on failure. */
int
net_read_small(int dirfd, const char *name, char *buf, size_t cap)
{
	int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read_retry(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* Write name in dirfd whole: a temp file renamed over it, so a reader never sees half. */
int
net_write_small(int dirfd, const char *name, const char *text, struct err *e)
{
	char tmp[64];
	int fd;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return err_set(e, "write %s:", name);
	if (write_all(fd, text, strlen(text)) < 0) {
		close(fd);
		return err_set(e, "write %s:", name);
	}
	close(fd);
	if (renameat(dirfd, tmp, dirfd, name) < 0)
		return err_set(e, "rename %s:", name);
	return 0;
}

/* Parse a lease file's text "id\nveth\n" into l. */
static int
net_lease_parse(const char *text, struct net_lease *l)
{
	const char *nl = strchr(text, '\n');
	size_t n;

	if (!nl || (size_t)(nl - text) >= sizeof(l->id))
		return -1;
	memcpy(l->id, text, (size_t)(nl - text));
	l->id[nl - text] = '\0';
	n = strcspn(nl + 1, "\n");
	if (n >= sizeof(l->veth))
		return -1;
	memcpy(l->veth, nl + 1, n);
	l->veth[n] = '\0';
	return 0;
}

static int
net_lease_read(int dirfd, const char *name, struct net_lease *l)
{
	char text[1100];

	if (inet_pton(AF_INET, name, &l->addr) != 1)
		return -1;
	if (net_read_small(dirfd, name, text, sizeof(text)) < 0)
		return -1;
	return net_lease_parse(text, l);
}

/* Create the file of l->addr with O_EXCL: 0, or -1 with errno = EEXIST when it is taken. */
static int
net_lease_create(int dirfd, const struct net_lease *l, struct err *e)
{
	char name[INET_ADDRSTRLEN], text[1100];
	int fd;

	inet_ntop(AF_INET, &l->addr, name, sizeof(name));
	fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno == EEXIST ? -1 : err_set(e, "create lease %s:", name);
	snprintf(text, sizeof(text), "%s\n%s\n", l->id, l->veth);
	if (write_all(fd, text, strlen(text)) < 0) {
		err_set(e, "write lease %s:", name);
		close(fd);
		unlinkat(dirfd, name, 0);
		errno = EIO;
		return -1;
	}
	close(fd);
	return 0;
}

/* Round-robin: the first free address after the last one handed out, wrapping around. */
static int
net_lease_pick(int dirfd, const struct net_pool *p, struct net_lease *l, struct err *e)
{
	uint32_t n = ntohl(p->net.s_addr), bcast = n | ~net_mask(p->prefix);
	uint32_t first = n + 2, count = bcast - first, last = 0, h;
	char text[INET_ADDRSTRLEN + 2];
	struct in_addr a;

	if (net_read_small(dirfd, "last", text, sizeof(text)) == 0) {
		text[strcspn(text, "\n")] = '\0';
		if (inet_pton(AF_INET, text, &a) == 1 && net_pool_usable(p, a))
			last = ntohl(a.s_addr);
	}
	h = last ? last : bcast - 1;
	for (uint32_t i = 0; i < count; i++) {
		h = h + 1 >= bcast ? first : h + 1;
		l->addr = net_addr(h);
		if (net_lease_create(dirfd, l, e) == 0) {
			inet_ntop(AF_INET, &l->addr, text, sizeof(text));
			strcat(text, "\n");
			return net_write_small(dirfd, "last", text, e) < 0 ? -1 : 0;
		}
		if (errno != EEXIST)
			return -1;
	}
	inet_ntop(AF_INET, &p->net, text, sizeof(text));
	errno = ENOSPC;
	return err_set(e, "no free address left in %s/%d (%" PRIu32 " in use)", text, p->prefix,
		       count);
}

/* --ip: exactly that address, or a message naming who holds it. */
static int
net_lease_want(int dirfd, const struct net_pool *p, struct in_addr want, struct net_lease *l,
	       struct err *e)
{
	char a[INET_ADDRSTRLEN];
	struct net_lease other;

	inet_ntop(AF_INET, &want, a, sizeof(a));
	if (!net_pool_usable(p, want)) {
		errno = EINVAL;
		return err_set(e,
			       "address %s is not a container address of the subnet (not the "
			       "network, gateway or broadcast address, and inside it)",
			       a);
	}
	l->addr = want;
	if (net_lease_create(dirfd, l, e) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	if (net_lease_read(dirfd, a, &other) < 0)
		snprintf(other.id, sizeof(other.id), "?");
	errno = EADDRINUSE;
	return err_set(e, "address %s is already taken by container %.200s", a, other.id);
}

int
net_lease_take(int dirfd, const struct net_pool *p, const struct in_addr *want, struct net_lease *l,
	       struct err *e)
{
	int lock, rc, saved;

	if (net_pool_check(p, e) < 0)
		return -1;
	lock = net_leases_lock(dirfd, e);
	if (lock < 0)
		return -1;
	rc = want ? net_lease_want(dirfd, p, *want, l, e) : net_lease_pick(dirfd, p, l, e);
	saved = errno;
	close(lock);
	errno = saved;
	return rc;
}

int
net_lease_drop(int dirfd, struct in_addr addr, struct err *e)
{
	char name[INET_ADDRSTRLEN];
	int lock, rc = 0;

	inet_ntop(AF_INET, &addr, name, sizeof(name));
	lock = net_leases_lock(dirfd, e);
	if (lock < 0)
		return -1;
	if (unlinkat(dirfd, name, 0) < 0 && errno != ENOENT)
		rc = err_set(e, "release address %s:", name);
	close(lock);
	return rc;
}

int
net_lease_each(int dirfd, int (*fn)(const struct net_lease *l, void *arg), void *arg, struct err *e)
{
	struct net_lease l;
	struct dirent *d;
	int fd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0), rc = 0;
	DIR *dir;

	if (fd < 0 || !(dir = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return err_set(e, "read the leases:");
	}
	rewinddir(dir);
	while (rc == 0 && (d = readdir(dir))) {
		if (d->d_name[0] == '.' || net_lease_read(dirfd, d->d_name, &l) < 0)
			continue;
		rc = fn(&l, arg);
	}
	closedir(dir);
	return rc;
}

struct net_find {
	const char *id;
	struct net_lease *out;
};

static int
net_find_one(const struct net_lease *l, void *arg)
{
	struct net_find *f = arg;

	if (strcmp(l->id, f->id) != 0)
		return 0;
	*f->out = *l;
	return 1;
}

int
net_lease_find(int dirfd, const char *id, struct net_lease *out, struct err *e)
{
	struct net_find f = {id, out};

	return net_lease_each(dirfd, net_find_one, &f, e);
}
