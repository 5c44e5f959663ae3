/*
 * probe.c - the comparison tests' witness: run as a container's process, it
 * prints the container as the process inside sees it, one "key: value" a
 * line, always in the same order, so that two runtimes can be compared with
 * a plain diff (tests/integration/compare.bats, TESTING.md "Comparison").
 *
 * Counterpart: none in runc itself; runc's own bats tests look at the same
 * facts one at a time with busybox (`cat /proc/self/status`, `ip a`, ...).
 *
 * What it prints, in order: hostname, domainname, ids and groups, the user
 * namespace's uid_map, gid_map and setgroups, the capability sets + NoNewPrivs + Seccomp + the
 * blocked and ignored signals (SigBlk, SigIgn) from /proc/self/status, every rlimit, umask, cwd,
 * the environment (sorted), each namespace as "host", "new" or a label the test gave, mounts (from
 * /proc/self/mountinfo, sorted by mount point, without mount ids or device numbers), network
 * interfaces with flags and addresses, the /dev tree, oom_score_adj, the open fds. Anything that
 * legitimately varies from run to run (mount ids, namespace inodes, pipe/socket inode numbers, peer
 * group ids) is left out or replaced by a word here; what varies between *runtimes* is normalised
 * in one place, tests/integration/helpers.bash.
 *
 * Arguments (never the environment: the environment is part of the report):
 *   --host-ns TYPE:INO[,TYPE:INO...]   inodes that print as "host"
 *   --path-ns TYPE:INO:LABEL           an inode that prints as LABEL
 *   --exit N                           exit with N after printing
 *   --signal N                         kill itself with signal N after printing
 *   --touch PATH                       create PATH first (its owner is read outside)
 *
 * Leaves out: cgroup membership (minirunc does no cgroup management), the
 * seccomp filter itself, IPv6 routes, anything that needs a privilege the
 * process might not have.
 *
 * Build: musl-gcc -static -O2 -o probe tests/probe.c  (or gcc -static).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/utsname.h>
#include <unistd.h>

#define PROBE_MAX_NS	32
#define PROBE_MAX_LINES 4096

extern char **environ;

/* A namespace inode the test told us about, and the word to print for it. */
struct probe_ns {
	char type[32];
	unsigned long ino;
	char label[64];
};

static struct probe_ns probe_known[PROBE_MAX_NS];
static int probe_nknown;

/* A growable list of lines, so that sections can be sorted before printing. */
struct probe_lines {
	char *line[PROBE_MAX_LINES];
	int n;
};

static void
lines_add(struct probe_lines *l, const char *s)
{
	if (l->n < PROBE_MAX_LINES)
		l->line[l->n++] = strdup(s);
}

static int
lines_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Print (sorted or not) with a key prefix and free. */
static void
lines_flush(struct probe_lines *l, const char *key, int sort)
{
	if (sort)
		qsort(l->line, (size_t)l->n, sizeof(l->line[0]), lines_cmp);
	for (int i = 0; i < l->n; i++) {
		if (l->line[i])
			printf("%s: %s\n", key, l->line[i]);
		free(l->line[i]);
	}
	l->n = 0;
}

static void
probe_known_add(const char *type, unsigned long ino, const char *label)
{
	struct probe_ns *k;

	if (probe_nknown >= PROBE_MAX_NS)
		return;
	k = &probe_known[probe_nknown++];
	snprintf(k->type, sizeof(k->type), "%s", type);
	k->ino = ino;
	snprintf(k->label, sizeof(k->label), "%s", label);
}

/* "--host-ns net:4026531840,pid:4026531836" */
static void
probe_parse_host_ns(char *arg)
{
	char *save = NULL;

	for (char *tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *colon = strchr(tok, ':');

		if (!colon)
			continue;
		*colon = '\0';
		probe_known_add(tok, strtoul(colon + 1, NULL, 10), "host");
	}
}

/* "--path-ns net:4026532300:path" */
static void
probe_parse_path_ns(char *arg)
{
	char *c1 = strchr(arg, ':'), *c2;

	if (!c1)
		return;
	*c1 = '\0';
	c2 = strchr(c1 + 1, ':');
	if (!c2)
		return;
	*c2 = '\0';
	probe_known_add(arg, strtoul(c1 + 1, NULL, 10), c2 + 1);
}

static void
probe_identity(void)
{
	struct utsname u;
	gid_t groups[NGROUPS_MAX];
	int n;

	if (uname(&u) == 0) {
		printf("hostname: %s\n", u.nodename);
		printf("domainname: %s\n", u.domainname);
	}
	printf("uid: %u\ngid: %u\neuid: %u\negid: %u\n", (unsigned)getuid(), (unsigned)getgid(),
	       (unsigned)geteuid(), (unsigned)getegid());
	n = getgroups(NGROUPS_MAX, groups);
	printf("groups:");
	for (int i = 0; i < n; i++)
		printf(" %u", (unsigned)groups[i]);
	printf("\n");
}

/* The user namespace's maps and setgroups, whitespace collapsed ("0 100000 65536"). */
static void
probe_idmaps(void)
{
	static const char *const files[] = {"uid_map", "gid_map", "setgroups"};
	char path[64], buf[512];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *f;

		snprintf(path, sizeof(path), "/proc/self/%s", files[i]);
		f = fopen(path, "re");
		if (!f) {
			printf("%s: unreadable: %s\n", files[i], strerror(errno));
			continue;
		}
		while (fgets(buf, sizeof(buf), f)) {
			unsigned long a, b, c;
			if (sscanf(buf, "%lu %lu %lu", &a, &b, &c) == 3)
				printf("%s: %lu %lu %lu\n", files[i], a, b, c);
			else
				printf("%s: %s", files[i], buf);
		}
		fclose(f);
	}
}

/* --touch PATH: a file made from inside, whose owner the test reads outside. */
static void
probe_touch(const char *path)
{
	int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);

	printf("touch: %s %s\n", path, fd < 0 ? strerror(errno) : "ok");
	if (fd >= 0)
		close(fd);
}

/* The lines of /proc/self/status that the runtime sets up. */
static void
probe_status(void)
{
	/* SigBlk/SigIgn survive execve (signal(7)): a runtime must not leak its own. */
	static const char *const keys[] = {
	    "CapInh:",	   "CapPrm:",  "CapEff:", "CapBnd:", "CapAmb:",
	    "NoNewPrivs:", "Seccomp:", "Umask:",  "SigBlk:", "SigIgn:"};
	char buf[512];
	FILE *f = fopen("/proc/self/status", "re");

	if (!f) {
		printf("status: unreadable: %s\n", strerror(errno));
		return;
	}
	while (fgets(buf, sizeof(buf), f)) {
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
			size_t kl = strlen(keys[i]);
			char *v = buf + kl;

			if (strncmp(buf, keys[i], kl) != 0)
				continue;
			while (*v == ' ' || *v == '\t')
				v++;
			printf("%.*s: %s", (int)kl - 1, buf, v);
		}
	}
	fclose(f);
}

static void
probe_print_limit(rlim_t v)
{
	if (v == RLIM_INFINITY)
		printf("unlimited");
	else
		printf("%llu", (unsigned long long)v);
}

static void
probe_rlimits(void)
{
	static const struct {
		int res;
		const char *name;
	} rl[] = {
	    {RLIMIT_AS, "AS"},
	    {RLIMIT_CORE, "CORE"},
	    {RLIMIT_CPU, "CPU"},
	    {RLIMIT_DATA, "DATA"},
	    {RLIMIT_FSIZE, "FSIZE"},
	    {RLIMIT_LOCKS, "LOCKS"},
	    {RLIMIT_MEMLOCK, "MEMLOCK"},
	    {RLIMIT_MSGQUEUE, "MSGQUEUE"},
	    {RLIMIT_NICE, "NICE"},
	    {RLIMIT_NOFILE, "NOFILE"},
	    {RLIMIT_NPROC, "NPROC"},
	    {RLIMIT_RSS, "RSS"},
	    {RLIMIT_RTPRIO, "RTPRIO"},
	    {RLIMIT_RTTIME, "RTTIME"},
	    {RLIMIT_SIGPENDING, "SIGPENDING"},
	    {RLIMIT_STACK, "STACK"},
	};

	for (size_t i = 0; i < sizeof(rl) / sizeof(rl[0]); i++) {
		struct rlimit r;

		if (getrlimit(rl[i].res, &r) != 0)
			continue;
		printf("rlimit.%s: ", rl[i].name);
		probe_print_limit(r.rlim_cur);
		printf(" ");
		probe_print_limit(r.rlim_max);
		printf("\n");
	}
}

static void
probe_cwd_env(void)
{
	char cwd[PATH_MAX];
	struct probe_lines *l = calloc(1, sizeof(*l));

	printf("cwd: %s\n", getcwd(cwd, sizeof(cwd)) ? cwd : strerror(errno));
	for (char **e = environ; *e; e++)
		lines_add(l, *e);
	lines_flush(l, "env", 1);
	free(l);
}

static const char *
probe_ns_word(const char *type, unsigned long ino)
{
	/* pid_for_children is the pid namespace's twin: compare it with "pid". */
	const char *us = strstr(type, "_for_children");
	size_t len = us ? (size_t)(us - type) : strlen(type);

	for (int i = 0; i < probe_nknown; i++)
		if (strlen(probe_known[i].type) == len &&
		    strncmp(probe_known[i].type, type, len) == 0 && probe_known[i].ino == ino)
			return probe_known[i].label;
	return "new";
}

static void
probe_namespaces(void)
{
	struct probe_lines *l = calloc(1, sizeof(*l));
	DIR *d = opendir("/proc/self/ns");
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char path[PATH_MAX], line[sizeof(de->d_name) + 128];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/ns/%s", de->d_name);
		if (stat(path, &st) != 0)
			snprintf(line, sizeof(line), "%s unreadable", de->d_name);
		else
			snprintf(line, sizeof(line), "%s %s", de->d_name,
				 probe_ns_word(de->d_name, (unsigned long)st.st_ino));
		lines_add(l, line);
	}
	if (d)
		closedir(d);
	lines_flush(l, "ns", 1);
	free(l);
}

/* mountinfo's optional fields without the peer group numbers: "shared,master". */
static void
probe_propagation(char *opt_fields, char *out, size_t outsz)
{
	char *save = NULL;

	out[0] = '\0';
	for (char *t = strtok_r(opt_fields, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
		char *colon = strchr(t, ':');

		if (colon)
			*colon = '\0';
		if (out[0])
			strncat(out, ",", outsz - strlen(out) - 1);
		strncat(out, t, outsz - strlen(out) - 1);
	}
	if (!out[0])
		snprintf(out, outsz, "private");
}

/*
 * One mountinfo line (proc(5)):
 *   36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue
 * becomes "/mnt2 ext3 rw,noatime private|shared|master root=/mnt1 src=/dev/root rw,..."
 * Mount ids and major:minor vary from run to run and are dropped.
 */
static int
probe_mount_line(char *buf, char *out, size_t outsz)
{
	char *f[6], *save = NULL, *sep = strstr(buf, " - "), prop[128];
	char fstype[64], src[1024], sopts[1024];

	if (!sep)
		return -1;
	*sep = '\0';
	if (sscanf(sep + 3, "%63s %1023s %1023s", fstype, src, sopts) != 3)
		return -1;
	for (int i = 0; i < 6; i++)
		f[i] = strtok_r(i ? NULL : buf, " ", &save);
	if (!f[5])
		return -1;
	probe_propagation(save ? save : (char *)"", prop, sizeof(prop));
	snprintf(out, outsz, "%s %s %s %s root=%s src=%s %s", f[4], fstype, f[5], prop, f[3], src,
		 sopts);
	return 0;
}

static void
probe_mounts(void)
{
	struct probe_lines *l = calloc(1, sizeof(*l));
	char buf[4096], out[4096];
	FILE *f = fopen("/proc/self/mountinfo", "re");

	while (f && fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\n")] = '\0';
		if (probe_mount_line(buf, out, sizeof(out)) == 0)
			lines_add(l, out);
	}
	if (f)
		fclose(f);
	/* Sorted by mount point: the set matters, not the kernel's list order. */
	lines_flush(l, "mount", 1);
	free(l);
}

static void
probe_if_flags(unsigned int fl, char *out, size_t outsz)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} names[] = {
	    {IFF_UP, "UP"},
	    {IFF_BROADCAST, "BROADCAST"},
	    {IFF_DEBUG, "DEBUG"},
	    {IFF_LOOPBACK, "LOOPBACK"},
	    {IFF_POINTOPOINT, "POINTOPOINT"},
	    {IFF_RUNNING, "RUNNING"},
	    {IFF_NOARP, "NOARP"},
	    {IFF_PROMISC, "PROMISC"},
	    {IFF_ALLMULTI, "ALLMULTI"},
	    {IFF_MULTICAST, "MULTICAST"},
	    {0x10000, "LOWER_UP"},
	    {0x20000, "DORMANT"},
	    {0x40000, "ECHO"},
	};

	out[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(fl & names[i].bit))
			continue;
		if (out[0])
			strncat(out, ",", outsz - strlen(out) - 1);
		strncat(out, names[i].name, outsz - strlen(out) - 1);
	}
}

static int
probe_prefixlen(const struct sockaddr *mask)
{
	const unsigned char *p;
	size_t len;
	int bits = 0;

	if (!mask)
		return -1;
	if (mask->sa_family == AF_INET) {
		p = (const unsigned char *)&((const struct sockaddr_in *)mask)->sin_addr;
		len = 4;
	} else {
		p = (const unsigned char *)&((const struct sockaddr_in6 *)mask)->sin6_addr;
		len = 16;
	}
	for (size_t i = 0; i < len; i++)
		bits += __builtin_popcount(p[i]);
	return bits;
}

static void
probe_if_addr(struct ifaddrs *a, struct probe_lines *l)
{
	char addr[INET6_ADDRSTRLEN], line[256];
	const void *src;

	if (a->ifa_addr->sa_family == AF_INET)
		src = &((struct sockaddr_in *)a->ifa_addr)->sin_addr;
	else
		src = &((struct sockaddr_in6 *)a->ifa_addr)->sin6_addr;
	if (!inet_ntop(a->ifa_addr->sa_family, src, addr, sizeof(addr)))
		return;
	snprintf(line, sizeof(line), "%s %s/%d", a->ifa_name, addr,
		 probe_prefixlen(a->ifa_netmask));
	lines_add(l, line);
}

/* Interfaces (AF_PACKET entries carry the link flags) then their addresses. */
static void
probe_interfaces(void)
{
	struct probe_lines *links = calloc(1, sizeof(*links)), *addrs = calloc(1, sizeof(*addrs));
	struct ifaddrs *ifa = NULL;

	if (getifaddrs(&ifa) != 0) {
		printf("if: getifaddrs: %s\n", strerror(errno));
		goto out;
	}
	for (struct ifaddrs *a = ifa; a; a = a->ifa_next) {
		char flags[256], line[512];

		if (!a->ifa_addr)
			continue;
		if (a->ifa_addr->sa_family == AF_PACKET) {
			probe_if_flags(a->ifa_flags, flags, sizeof(flags));
			snprintf(line, sizeof(line), "%s %s", a->ifa_name, flags);
			lines_add(links, line);
		} else if (a->ifa_addr->sa_family == AF_INET ||
			   a->ifa_addr->sa_family == AF_INET6) {
			probe_if_addr(a, addrs);
		}
	}
	freeifaddrs(ifa);
out:
	lines_flush(links, "if", 1);
	lines_flush(addrs, "addr", 1);
	free(links);
	free(addrs);
}

static char
probe_type_char(mode_t m)
{
	if (S_ISCHR(m))
		return 'c';
	if (S_ISBLK(m))
		return 'b';
	if (S_ISDIR(m))
		return 'd';
	if (S_ISLNK(m))
		return 'l';
	if (S_ISFIFO(m))
		return 'p';
	if (S_ISSOCK(m))
		return 's';
	return 'f';
}

/* One /dev entry: "null c 1:3 0666 0:0", "fd l -> /proc/self/fd". */
static void probe_dev_entry(const char *path, struct probe_lines *l, int depth);

static void
probe_dev_dir(const char *dir, struct probe_lines *l, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char path[PATH_MAX];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		probe_dev_entry(path, l, depth + 1);
	}
	if (d)
		closedir(d);
}

static void
probe_dev_entry(const char *path, struct probe_lines *l, int depth)
{
	char line[PATH_MAX + 128], extra[PATH_MAX + 8] = "";
	struct stat st;

	if (lstat(path, &st) != 0)
		return;
	if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
		snprintf(extra, sizeof(extra), " %u:%u", major(st.st_rdev), minor(st.st_rdev));
	} else if (S_ISLNK(st.st_mode)) {
		char target[PATH_MAX];
		ssize_t n = readlink(path, target, sizeof(target) - 1);

		target[n > 0 ? n : 0] = '\0';
		snprintf(extra, sizeof(extra), " -> %s", target);
	}
	snprintf(line, sizeof(line), "%s %c%s %04o %u:%u", path, probe_type_char(st.st_mode), extra,
		 (unsigned)(st.st_mode & 07777), (unsigned)st.st_uid, (unsigned)st.st_gid);
	lines_add(l, line);
	/* /dev/pts and /dev/mqueue are listed; /dev/shm's files belong to the workload. */
	if (S_ISDIR(st.st_mode) && depth < 2 && strcmp(path, "/dev/shm") != 0)
		probe_dev_dir(path, l, depth);
}

static void
probe_dev(void)
{
	struct probe_lines *l = calloc(1, sizeof(*l));

	probe_dev_dir("/dev", l, 0);
	lines_flush(l, "dev", 1);
	free(l);
}

static void
probe_oom(void)
{
	char buf[64] = "";
	FILE *f = fopen("/proc/self/oom_score_adj", "re");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	buf[strcspn(buf, "\n")] = '\0';
	printf("oom_score_adj: %s\n", buf);
}

/* "pipe:[1234]" -> "pipe": inode numbers vary from run to run. */
static void
probe_fd_target(char *t)
{
	char *br = strstr(t, ":[");

	if (br && (strncmp(t, "pipe", 4) == 0 || strncmp(t, "socket", 6) == 0))
		*br = '\0';
}

/* Collected first (before stdio opens anything of its own), printed last. */
static void
probe_fds(struct probe_lines *l)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char path[PATH_MAX], target[PATH_MAX], line[PATH_MAX + sizeof(de->d_name) + 2];
		ssize_t n;

		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		snprintf(path, sizeof(path), "/proc/self/fd/%s", de->d_name);
		n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		probe_fd_target(target);
		snprintf(line, sizeof(line), "%s %s", de->d_name, target);
		lines_add(l, line);
	}
	if (d)
		closedir(d);
}

int
main(int argc, char **argv)
{
	static struct probe_lines fds;
	int exit_code = 0, sig = 0;
	const char *touch = NULL;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--host-ns") == 0)
			probe_parse_host_ns(argv[i + 1]);
		else if (strcmp(argv[i], "--path-ns") == 0)
			probe_parse_path_ns(argv[i + 1]);
		else if (strcmp(argv[i], "--exit") == 0)
			exit_code = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--signal") == 0)
			sig = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--touch") == 0)
			touch = argv[i + 1];
	}
	probe_fds(&fds);
	probe_identity();
	probe_idmaps();
	if (touch)
		probe_touch(touch);
	probe_status();
	probe_rlimits();
	probe_cwd_env();
	probe_namespaces();
	probe_mounts();
	probe_interfaces();
	probe_dev();
	probe_oom();
	lines_flush(&fds, "fd", 0);
	fflush(stdout);
	if (sig) {
		signal(sig, SIG_DFL);
		kill(getpid(), sig);
	}
	return exit_code;
}
