/*
 * cgroup_devices.c - which device nodes a container may open, read, write or
 * make, enforced by the kernel's device cgroup.
 *
 * Mknod and bind mounts put device nodes in a container; the device cgroup
 * decides whether the container may use them.  The rules are the config's
 * linux.resources.devices, in order, then runc's default allow list.  They
 * are first run through an emulator of the v1 controller (runc:
 * cgroups/devices/devices_emulator.go), which folds them into a default
 * (allow or deny everything) plus exceptions and refuses rules v1 would
 * silently ignore.  Then:
 *   - cgroup v1: the smallest sequence of "a *:* rwm" / "c 1:3 rwm" lines
 *     written to devices.deny / devices.allow (runc: fs/devices.go Set,
 *     Emulator.Transition), checked against devices.list afterwards;
 *   - cgroup v2 has no devices files: a BPF_PROG_TYPE_CGROUP_DEVICE program,
 *     generated here instruction by instruction from the emulator's
 *     exceptions (runc: ebpf/devicefilter), loaded and attached with raw
 *     bpf(2) calls (runc: ebpf/ebpf_linux.go; no libbpf).
 *
 * Differences from runc, on purpose:
 *   - on v2 a deny rule (of an allow-all list) matches any access it names,
 *     as v1 decides; runc's program lets open(O_RDWR) past a "w" deny;
 *   - on v2 a later apply detaches only the device programs minirunc
 *     attached (named CGDEV_PROG_NAME); runc detaches every program on the
 *     cgroup.  One someone else attached stays and can only deny more (the
 *     kernel allows only what all of them allow);
 *   - runc's default list is kept whole when linux.devices names one of its
 *     paths; runc drops that rule and then cannot start the container.
 */
#include "cgroup_devices.h"

#include "cgroups.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ------------------------------------------------------------ rule lists */

int
cgdev_rules_add(struct cgdev_rules *l, const struct cgdev_rule *r)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct cgdev_rule *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *r;
	return 0;
}

void
cgdev_rules_free(struct cgdev_rules *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
cgdev_access_parse(const char *s, unsigned *out)
{
	unsigned bits = 0;

	for (; *s; s++) {
		switch (*s) {
		case 'r':
			bits |= CGDEV_R;
			break;
		case 'w':
			bits |= CGDEV_W;
			break;
		case 'm':
			bits |= CGDEV_M;
			break;
		default:
			errno = EINVAL;
			return -1;
		}
	}
	if (!bits) {
		errno = EINVAL;
		return -1;
	}
	*out = bits;
	return 0;
}

/* runc: libcontainer/specconv/spec_linux.go AllowedDevices, appended after
 * the config's own rules (CreateCgroupConfig).  /dev/console is not here:
 * runc's console is a pty (136:*). */
static const struct cgdev_rule cgdev_defaults[] = {
    {'c', CGDEV_WILD, CGDEV_WILD, CGDEV_M, true},
    {'b', CGDEV_WILD, CGDEV_WILD, CGDEV_M, true},
    {'c', 1, 3, CGDEV_RWM, true},	     /* /dev/null */
    {'c', 1, 8, CGDEV_RWM, true},	     /* /dev/random */
    {'c', 1, 7, CGDEV_RWM, true},	     /* /dev/full */
    {'c', 5, 0, CGDEV_RWM, true},	     /* /dev/tty */
    {'c', 1, 5, CGDEV_RWM, true},	     /* /dev/zero */
    {'c', 1, 9, CGDEV_RWM, true},	     /* /dev/urandom */
    {'c', 136, CGDEV_WILD, CGDEV_RWM, true}, /* /dev/pts/N */
    {'c', 5, 2, CGDEV_RWM, true},	     /* /dev/ptmx */
    {'c', 10, 200, CGDEV_RWM, true},	     /* /dev/net/tun */
};

int
cgdev_rules_with_defaults(const struct cgdev_rule *cfg, size_t n_cfg, struct cgdev_rules *out)
{
	for (size_t i = 0; i < n_cfg; i++)
		if (cgdev_rules_add(out, &cfg[i]) < 0)
			return -1;
	for (size_t i = 0; i < sizeof(cgdev_defaults) / sizeof(cgdev_defaults[0]); i++)
		if (cgdev_rules_add(out, &cgdev_defaults[i]) < 0)
			return -1;
	return 0;
}

void
cgdev_rule_string(const struct cgdev_rule *r, char *buf, size_t len)
{
	char maj[24] = "*", min[24] = "*", acc[4];
	size_t k = 0;

	if (r->major != CGDEV_WILD)
		snprintf(maj, sizeof(maj), "%lld", (long long)r->major);
	if (r->minor != CGDEV_WILD)
		snprintf(min, sizeof(min), "%lld", (long long)r->minor);
	if (r->access & CGDEV_R)
		acc[k++] = 'r';
	if (r->access & CGDEV_W)
		acc[k++] = 'w';
	if (r->access & CGDEV_M)
		acc[k++] = 'm';
	acc[k] = '\0';
	snprintf(buf, len, "%c %s:%s %s", r->type, maj, min, acc);
}

/* ------------------------------------------------------------- emulator */

void
cgdev_emu_init(struct cgdev_emu *m, bool default_allow)
{
	memset(m, 0, sizeof(*m));
	m->default_allow = default_allow;
}

void
cgdev_emu_free(struct cgdev_emu *m)
{
	cgdev_rules_free(&m->exc);
}

static struct cgdev_rule *
cgdev_emu_find(const struct cgdev_emu *m, char type, int64_t major, int64_t minor)
{
	for (size_t i = 0; i < m->exc.n; i++) {
		struct cgdev_rule *x = &m->exc.v[i];

		if (x->type == type && x->major == major && x->minor == minor)
			return x;
	}
	return NULL;
}

/* An exception gains access bits (runc: Emulator.addRule, a union). */
static int
cgdev_emu_add(struct cgdev_emu *m, const struct cgdev_rule *r)
{
	struct cgdev_rule *x = cgdev_emu_find(m, r->type, r->major, r->minor);
	struct cgdev_rule n = *r;

	if (x) {
		x->access |= r->access;
		return 0;
	}
	n.allow = !m->default_allow;
	return cgdev_rules_add(&m->exc, &n);
}

/*
 * An exception loses access bits (runc: Emulator.rmRule).  v1 cannot take a
 * part out of a wildcard exception ("c 1:* r" then "deny c 1:3 r") and
 * ignores such a write without an error; runc refuses the rule instead, so
 * that the container never gets access the config meant to take away.
 */
static int
cgdev_emu_remove(struct cgdev_emu *m, const struct cgdev_rule *r, struct err *e)
{
	const int64_t partial[3][2] = {
	    {CGDEV_WILD, r->minor}, {r->major, CGDEV_WILD}, {CGDEV_WILD, CGDEV_WILD}};
	struct cgdev_rule *x;
	char a[48], b[48];

	for (int i = 0; i < 3; i++) {
		if (partial[i][0] == r->major && partial[i][1] == r->minor)
			continue;
		x = cgdev_emu_find(m, r->type, partial[i][0], partial[i][1]);
		if (x && (x->access & r->access)) {
			cgdev_rule_string(r, a, sizeof(a));
			cgdev_rule_string(x, b, sizeof(b));
			errno = EINVAL;
			return err_set(e,
				       "rule \"%s\" would punch a hole in the wildcard rule \"%s\","
				       " which the device cgroup cannot do",
				       a, b);
		}
	}
	x = cgdev_emu_find(m, r->type, r->major, r->minor);
	if (!x)
		return 0;
	x->access &= ~r->access;
	if (!x->access)
		*x = m->exc.v[--m->exc.n];
	return 0;
}

int
cgdev_emu_apply(struct cgdev_emu *m, const struct cgdev_rule *r, struct err *e)
{
	/* "a": every device and every access, whatever the rule's access says;
	 * it resets the cgroup to allow-all or deny-all (runc: Emulator.allow/deny). */
	if (r->type == 'a') {
		cgdev_emu_free(m);
		cgdev_emu_init(m, r->allow);
		return 0;
	}
	if (r->type != 'c' && r->type != 'b') {
		errno = EINVAL;
		return err_set(e, "device type '%c' cannot be in a cgroup rule (a, b or c)",
			       r->type);
	}
	if (r->allow == m->default_allow)
		return cgdev_emu_remove(m, r, e);
	if (cgdev_emu_add(m, r) < 0)
		return err_set(e, "device rules:");
	return 0;
}

/* One devices.list line, "c 1:3 rwm" or "a *:* rwm" (runc: parseLine). */
static int
cgdev_parse_list_line(const char *line, struct cgdev_rule *r)
{
	char type, maj[24], min[24], acc[8];
	char *end;

	if (sscanf(line, "%c %23[^:]:%23s %7s", &type, maj, min, acc) != 4)
		return -1;
	r->type = type;
	r->allow = true;
	r->major = strtoll(maj, &end, 10);
	if (strcmp(maj, "*") == 0)
		r->major = CGDEV_WILD;
	else if (*end || r->major < 0)
		return -1;
	r->minor = strtoll(min, &end, 10);
	if (strcmp(min, "*") == 0)
		r->minor = CGDEV_WILD;
	else if (*end || r->minor < 0)
		return -1;
	return cgdev_access_parse(acc, &r->access);
}

int
cgdev_emu_from_list(struct cgdev_emu *m, const char *list, struct err *e)
{
	/* devices.list shows what is allowed: "a *:* rwm" alone for an
	 * allow-all cgroup, else one line per allowed exception. */
	cgdev_emu_init(m, false);
	while (*list) {
		const char *nl = strchr(list, '\n');
		size_t len = nl ? (size_t)(nl - list) : strlen(list);
		char line[96];
		struct cgdev_rule r;

		if (len > 0) {
			snprintf(line, sizeof(line), "%.*s", (int)len, list);
			if (len >= sizeof(line) || cgdev_parse_list_line(line, &r) < 0) {
				errno = EINVAL;
				return err_set(e, "devices.list: malformed line \"%s\"", line);
			}
			if (cgdev_emu_apply(m, &r, e) < 0)
				return -1;
		}
		list += len + (nl ? 1 : 0);
	}
	return 0;
}

/* ----------------------------------------------------------- transition */

static int
cgdev_cmp_meta(const void *pa, const void *pb)
{
	const struct cgdev_rule *a = pa, *b = pb;

	/* runc: deviceRules.orderedEntries sorts by (major, minor, type). */
	if (a->major != b->major)
		return a->major < b->major ? -1 : 1;
	if (a->minor != b->minor)
		return a->minor < b->minor ? -1 : 1;
	return (a->type > b->type) - (a->type < b->type);
}

/* The exceptions of m, sorted; *out is malloc'd (NULL when there are none). */
static int
cgdev_sorted(const struct cgdev_emu *m, struct cgdev_rule **out)
{
	*out = NULL;
	if (!m->exc.n)
		return 0;
	*out = malloc(m->exc.n * sizeof(**out));
	if (!*out)
		return -1;
	memcpy(*out, m->exc.v, m->exc.n * sizeof(**out));
	qsort(*out, m->exc.n, sizeof(**out), cgdev_cmp_meta);
	return 0;
}

static unsigned
cgdev_access_of(const struct cgdev_emu *m, const struct cgdev_rule *meta)
{
	const struct cgdev_rule *x = cgdev_emu_find(m, meta->type, meta->major, meta->minor);

	return x ? x->access : 0;
}

/* For each exception of from: the access bits not in other, as a rule with allow. */
static int
cgdev_diff(const struct cgdev_emu *from, const struct cgdev_emu *other, bool allow,
	   struct cgdev_rules *out)
{
	struct cgdev_rule *v;
	int rc = 0;

	if (cgdev_sorted(from, &v) < 0)
		return -1;
	for (size_t i = 0; i < from->exc.n && rc == 0; i++) {
		struct cgdev_rule r = v[i];

		r.access = v[i].access & ~(other ? cgdev_access_of(other, &v[i]) : 0);
		r.allow = allow;
		if (r.access)
			rc = cgdev_rules_add(out, &r);
	}
	free(v);
	return rc;
}

int
cgdev_transition(const struct cgdev_emu *src, const struct cgdev_emu *dst, struct cgdev_rules *out)
{
	const struct cgdev_emu *old = src;

	/* v1 lists only allows, so the denies of an allow-all cgroup are
	 * unknown: start over from the new default then (runc: Transition). */
	if (src->default_allow || src->default_allow != dst->default_allow) {
		struct cgdev_rule all = {'a', CGDEV_WILD, CGDEV_WILD, CGDEV_RWM,
					 dst->default_allow};

		if (cgdev_rules_add(out, &all) < 0)
			return -1;
		old = NULL;
	}
	if (old && cgdev_diff(old, dst, dst->default_allow, out) < 0)
		return -1;
	return cgdev_diff(dst, old, !dst->default_allow, out);
}

/* ------------------------------------------------------------ cgroup v1 */

static int
cgdev_v1_read_list(int dirfd, struct cgdev_emu *m, struct err *e)
{
	int fd = openat(dirfd, "devices.list", O_RDONLY | O_CLOEXEC);
	size_t len;
	char *buf;
	int rc;

	if (fd < 0)
		return err_set(e, "open devices.list:");
	buf = read_file_fd(fd, 1u << 20, &len);
	close(fd);
	if (!buf)
		return err_set(e, "read devices.list:");
	rc = cgdev_emu_from_list(m, buf, e);
	free(buf);
	return rc;
}

static int
cgdev_v1_write(int dirfd, const struct cgdev_rule *r, struct err *e)
{
	const char *file = r->allow ? "devices.allow" : "devices.deny";
	char line[64];
	int fd, rc;

	/* The kernel strips the newline (devcgroup_access_write: strstrip);
	 * O_APPEND keeps every line when the directory is not a cgroup (tests). */
	cgdev_rule_string(r, line, sizeof(line) - 1);
	strcat(line, "\n");
	fd = openat(dirfd, file, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, "open %s:", file);
	rc = write_all(fd, line, strlen(line));
	close(fd);
	if (rc < 0) {
		line[strlen(line) - 1] = '\0';
		return err_set(e, "write \"%s\" to %s:", line, file);
	}
	return 0;
}

/* Same default and the same exceptions with the same access, in any order. */
static bool
cgdev_emu_equal(const struct cgdev_emu *a, const struct cgdev_emu *b)
{
	if (a->default_allow != b->default_allow || a->exc.n != b->exc.n)
		return false;
	for (size_t i = 0; i < a->exc.n; i++)
		if (cgdev_access_of(b, &a->exc.v[i]) != a->exc.v[i].access)
			return false;
	return true;
}

/* runc's final safety check in fs/devices.go Set: exact for an allow list,
 * the mode only for a deny list (whose denies devices.list does not show). */
static int
cgdev_v1_check(int dirfd, const struct cgdev_emu *want, struct err *e)
{
	struct cgdev_emu now;
	bool ok;

	if (cgdev_v1_read_list(dirfd, &now, e) < 0) {
		cgdev_emu_free(&now);
		return -1;
	}
	ok = want->default_allow ? now.default_allow : cgdev_emu_equal(&now, want);
	cgdev_emu_free(&now);
	if (!ok) {
		errno = EIO;
		return err_set(e, "devices.list after the update is not what the rules ask for");
	}
	return 0;
}

static int
cgdev_emu_build(const struct cgdev_rule *rules, size_t n, struct cgdev_emu *m, struct err *e)
{
	/* runc starts from a zero Emulator: deny everything (buildEmulator). */
	cgdev_emu_init(m, false);
	for (size_t i = 0; i < n; i++)
		if (cgdev_emu_apply(m, &rules[i], e) < 0)
			return -1;
	return 0;
}

int
cgdev_v1_apply(int dirfd, const struct cgdev_rule *rules, size_t n, struct err *e)
{
	struct cgdev_emu cur, want;
	struct cgdev_rules tr = {0};
	int rc = -1;

	cgdev_emu_init(&cur, false);
	if (cgdev_emu_build(rules, n, &want, e) < 0 || cgdev_v1_read_list(dirfd, &cur, e) < 0)
		goto out;
	if (cgdev_transition(&cur, &want, &tr) < 0) {
		err_set(e, "device rules:");
		goto out;
	}
	for (size_t i = 0; i < tr.n; i++)
		if (cgdev_v1_write(dirfd, &tr.v[i], e) < 0)
			goto out;
	rc = cgdev_v1_check(dirfd, &want, e);
out:
	cgdev_rules_free(&tr);
	cgdev_emu_free(&cur);
	cgdev_emu_free(&want);
	return rc;
}

/* ------------------------------------------------- cgroup v2: the program */

/*
 * The program sees struct bpf_cgroup_dev_ctx (linux/bpf.h): access_type
 * (device type in the low 16 bits, BPF_DEVCG_ACC_* in the high 16), major,
 * minor; it returns 1 to allow, 0 to deny.  Registers, as runc's
 * devicefilter lays them out:
 *   r2 = type, r3 = access asked, r4 = major, r5 = minor; r1 scratch.
 * Then one block per exception, first match wins (the emulator's
 * exceptions all have the same verdict, so their order does not matter):
 *   if r2 != TYPE goto next
 *   [w1 = w3; w1 &= ACCESS; if r1 != r3 goto next]    allow, unless ACCESS is rwm
 *   [w1 = w3; w1 &= ACCESS; if r1 == 0 goto next]     deny, unless ACCESS is rwm
 *   [if r4 != MAJOR goto next]                          unless major is *
 *   [if r5 != MINOR goto next]                          unless minor is *
 *   w0 = VERDICT; exit
 * and at the end: w0 = DEFAULT; exit.
 *
 * An allow matches when it covers all the access asked (open(O_RDWR) asks
 * read and write at once), as runc's does.  A deny (in allow-all mode)
 * matches when it takes away any of the access asked: that is how v1 decides
 * (security/device_cgroup.c match_exception_partial), and what a deny means.
 * runc's program uses the allow test for denies too, so under runc a
 * "deny c 10:229 w" does not stop open(O_RDWR); minirunc's does (intended
 * difference, unit test bpf_deny_list).
 */
#define CGDEV_INSN(c, d, s, o, i)                                                                  \
	((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})

struct cgdev_prog {
	struct bpf_insn *v;
	size_t n, cap;
};

static int
cgdev_emit(struct cgdev_prog *p, struct bpf_insn insn)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct bpf_insn *v = realloc(p->v, cap * sizeof(*v));

		if (!v)
			return -1;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n++] = insn;
	return 0;
}

static int
cgdev_emit_prologue(struct cgdev_prog *p)
{
	int rc = 0;

	rc |= cgdev_emit(p, CGDEV_INSN(BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0));
	rc |= cgdev_emit(p, CGDEV_INSN(BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff));
	rc |= cgdev_emit(p, CGDEV_INSN(BPF_LDX | BPF_MEM | BPF_W, 3, 1, 0, 0));
	rc |= cgdev_emit(p, CGDEV_INSN(BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16));
	rc |= cgdev_emit(p, CGDEV_INSN(BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0));
	rc |= cgdev_emit(p, CGDEV_INSN(BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0));
	return rc ? -1 : 0;
}

static int
cgdev_emit_verdict(struct cgdev_prog *p, bool allow)
{
	if (cgdev_emit(p, CGDEV_INSN(BPF_ALU | BPF_MOV | BPF_K, 0, 0, 0, allow ? 1 : 0)) < 0)
		return -1;
	return cgdev_emit(p, CGDEV_INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

static unsigned
cgdev_bpf_access(unsigned access)
{
	return ((access & CGDEV_R) ? BPF_DEVCG_ACC_READ : 0) |
	       ((access & CGDEV_W) ? BPF_DEVCG_ACC_WRITE : 0) |
	       ((access & CGDEV_M) ? BPF_DEVCG_ACC_MKNOD : 0);
}

/* One exception's block; every "goto next" jumps just past the block. */
static int
cgdev_emit_rule(struct cgdev_prog *p, const struct cgdev_rule *r)
{
	bool has_acc = r->access != CGDEV_RWM;
	bool has_maj = r->major != CGDEV_WILD, has_min = r->minor != CGDEV_WILD;
	int len = 1 + (has_acc ? 3 : 0) + has_maj + has_min + 2;
	size_t end = p->n + (size_t)len;
	int type = r->type == 'c' ? BPF_DEVCG_DEV_CHAR : BPF_DEVCG_DEV_BLOCK;
	int rc = 0;

#define CGDEV_NEXT ((short)(end - p->n - 1))
	rc |= cgdev_emit(p, CGDEV_INSN(BPF_JMP | BPF_JNE | BPF_K, 2, 0, CGDEV_NEXT, type));
	if (has_acc) {
		rc |= cgdev_emit(p, CGDEV_INSN(BPF_ALU | BPF_MOV | BPF_X, 1, 3, 0, 0));
		rc |= cgdev_emit(p, CGDEV_INSN(BPF_ALU | BPF_AND | BPF_K, 1, 0, 0,
					       (int)cgdev_bpf_access(r->access)));
		if (r->allow)
			rc |= cgdev_emit(
			    p, CGDEV_INSN(BPF_JMP | BPF_JNE | BPF_X, 1, 3, CGDEV_NEXT, 0));
		else
			rc |= cgdev_emit(
			    p, CGDEV_INSN(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, CGDEV_NEXT, 0));
	}
	if (has_maj)
		rc |= cgdev_emit(
		    p, CGDEV_INSN(BPF_JMP | BPF_JNE | BPF_K, 4, 0, CGDEV_NEXT, (int32_t)r->major));
	if (has_min)
		rc |= cgdev_emit(
		    p, CGDEV_INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, CGDEV_NEXT, (int32_t)r->minor));
#undef CGDEV_NEXT
	rc |= cgdev_emit_verdict(p, r->allow);
	return rc ? -1 : 0;
}

static int
cgdev_rule_check_bpf(const struct cgdev_rule *r, struct err *e)
{
	char s[48];

	/* The program compares 32-bit fields (runc: "invalid major"). */
	if (r->major > UINT32_MAX || r->minor > UINT32_MAX) {
		cgdev_rule_string(r, s, sizeof(s));
		errno = EINVAL;
		return err_set(e, "device rule \"%s\": major and minor must fit in 32 bits", s);
	}
	return 0;
}

int
cgdev_bpf_build(const struct cgdev_rule *rules, size_t n, struct bpf_insn **prog, size_t *n_insns,
		struct err *e)
{
	struct cgdev_emu m, none;
	struct cgdev_rules clean = {0};
	struct cgdev_prog p = {0};
	int rc = -1;

	cgdev_emu_init(&none, false);
	if (cgdev_emu_build(rules, n, &m, e) < 0)
		goto out;
	/* The emulator's rules from deny-all (runc: Emulator.Rules): a leading
	 * "a" rule only says the default is allow, which the epilogue returns. */
	if (cgdev_transition(&none, &m, &clean) < 0 || cgdev_emit_prologue(&p) < 0) {
		err_set(e, "device program:");
		goto out;
	}
	for (size_t i = 0; i < clean.n; i++) {
		if (clean.v[i].type == 'a')
			continue;
		if (cgdev_rule_check_bpf(&clean.v[i], e) < 0)
			goto out;
		if (cgdev_emit_rule(&p, &clean.v[i]) < 0) {
			err_set(e, "device program:");
			goto out;
		}
	}
	if (cgdev_emit_verdict(&p, m.default_allow) < 0) {
		err_set(e, "device program:");
		goto out;
	}
	*prog = p.v;
	*n_insns = p.n;
	p.v = NULL;
	rc = 0;
out:
	free(p.v);
	cgdev_rules_free(&clean);
	cgdev_emu_free(&m);
	return rc;
}

/* ------------------------------------------ cgroup v2: load and attach */

static long
cgdev_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static int
cgdev_prog_load(const struct bpf_insn *prog, size_t n)
{
	union bpf_attr a;
	struct rlimit inf = {RLIM_INFINITY, RLIM_INFINITY}, old;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uintptr_t)prog;
	a.insn_cnt = (uint32_t)n;
	/* The program calls no helper, so no GPL-only one: the license string
	 * is never checked, but it must be a readable string (bpf_prog_load). */
	a.license = (uintptr_t) "";
	memcpy(a.prog_name, CGDEV_PROG_NAME, sizeof(CGDEV_PROG_NAME));
	fd = (int)cgdev_bpf(BPF_PROG_LOAD, &a);
	if (fd >= 0 || errno != EPERM)
		return fd;
	/* Before Linux 5.11 programs count against RLIMIT_MEMLOCK; runc raises
	 * it always, minirunc only when the load needs it, and puts it back so
	 * that hooks do not inherit it. */
	if (getrlimit(RLIMIT_MEMLOCK, &old) < 0 || setrlimit(RLIMIT_MEMLOCK, &inf) < 0) {
		errno = EPERM;
		return -1;
	}
	fd = (int)cgdev_bpf(BPF_PROG_LOAD, &a);
	int saved = errno;
	setrlimit(RLIMIT_MEMLOCK, &old);
	errno = saved;
	return fd;
}

/* The ids of the device programs attached to the cgroup (at most cap). */
static int
cgdev_prog_query(int dirfd, uint32_t *ids, uint32_t cap, uint32_t *n)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.query.target_fd = (uint32_t)dirfd;
	a.query.attach_type = BPF_CGROUP_DEVICE;
	a.query.prog_ids = (uintptr_t)ids;
	a.query.prog_cnt = cap;
	if (cgdev_bpf(BPF_PROG_QUERY, &a) < 0)
		return -1;
	*n = a.query.prog_cnt;
	return 0;
}

/* An fd for program id when it is one of minirunc's, else -1 (errno 0). */
static int
cgdev_prog_mine(uint32_t id)
{
	union bpf_attr a;
	struct bpf_prog_info info;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_id = id;
	fd = (int)cgdev_bpf(BPF_PROG_GET_FD_BY_ID, &a);
	if (fd < 0)
		return -1;
	memset(&info, 0, sizeof(info));
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uintptr_t)&info;
	if (cgdev_bpf(BPF_OBJ_GET_INFO_BY_FD, &a) == 0 &&
	    strncmp(info.name, CGDEV_PROG_NAME, sizeof(info.name)) == 0)
		return fd;
	close(fd);
	errno = 0;
	return -1;
}

static int
cgdev_prog_attach(int dirfd, int prog_fd, int replace_fd)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)dirfd;
	a.attach_bpf_fd = (uint32_t)prog_fd;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (replace_fd >= 0) {
		a.attach_flags |= BPF_F_REPLACE;
		a.replace_bpf_fd = (uint32_t)replace_fd;
	}
	return (int)cgdev_bpf(BPF_PROG_ATTACH, &a);
}

static int
cgdev_prog_detach(int dirfd, int prog_fd)
{
	union bpf_attr a;

	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)dirfd;
	a.attach_bpf_fd = (uint32_t)prog_fd;
	a.attach_type = BPF_CGROUP_DEVICE;
	return (int)cgdev_bpf(BPF_PROG_DETACH, &a);
}

#define CGDEV_MAX_PROGS 64 /* the kernel's limit per cgroup and attach type */

/* fds of minirunc's programs on the cgroup now; returns how many, or -1. */
static int
cgdev_find_mine(int dirfd, int *fds, struct err *e)
{
	uint32_t ids[CGDEV_MAX_PROGS], n = 0;
	int k = 0;

	if (cgdev_prog_query(dirfd, ids, CGDEV_MAX_PROGS, &n) < 0)
		return err_set(e, "bpf(BPF_PROG_QUERY, BPF_CGROUP_DEVICE):");
	for (uint32_t i = 0; i < n && i < CGDEV_MAX_PROGS; i++) {
		int fd = cgdev_prog_mine(ids[i]);

		if (fd >= 0)
			fds[k++] = fd;
		else if (errno != 0 && errno != EPERM && errno != EACCES && errno != ENOENT) {
			/* runc skips programs an LSM hides; one that went
			 * away meanwhile is gone anyway. */
			err_set(e, "bpf(BPF_PROG_GET_FD_BY_ID %u):", ids[i]);
			while (k > 0)
				close(fds[--k]);
			return -1;
		}
	}
	return k;
}

/*
 * Attach the new program, then take minirunc's old ones off.  With one old
 * program, BPF_F_REPLACE swaps them in one step (Linux 5.6); without it the
 * new one is attached first, so that there is no moment with no filter.
 */
static int
cgdev_attach_replacing(int dirfd, int prog_fd, const int *old, int n_old, struct err *e)
{
	int i = 0;

	if (n_old == 1 && cgdev_prog_attach(dirfd, prog_fd, old[0]) == 0)
		return 0;
	if (cgdev_prog_attach(dirfd, prog_fd, -1) < 0)
		return err_set(e, "bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI):");
	for (; i < n_old; i++)
		if (cgdev_prog_detach(dirfd, old[i]) < 0)
			return err_set(
			    e, "bpf(BPF_PROG_DETACH, BPF_CGROUP_DEVICE) of the old program:");
	return 0;
}

int
cgdev_v2_apply(int dirfd, const struct cgdev_rule *rules, size_t n, struct err *e)
{
	struct bpf_insn *prog = NULL;
	size_t n_insns = 0;
	int old[CGDEV_MAX_PROGS], n_old = 0, fd = -1, rc = -1;

	if (cgdev_bpf_build(rules, n, &prog, &n_insns, e) < 0)
		return -1;
	n_old = cgdev_find_mine(dirfd, old, e);
	if (n_old < 0)
		goto out;
	fd = cgdev_prog_load(prog, n_insns);
	if (fd < 0) {
		err_set(e, "bpf(BPF_PROG_LOAD, BPF_PROG_TYPE_CGROUP_DEVICE):");
		goto out;
	}
	rc = cgdev_attach_replacing(dirfd, fd, old, n_old, e);
out:
	if (fd >= 0)
		close(fd);
	while (n_old > 0)
		close(old[--n_old]);
	free(prog);
	return rc;
}

/* ------------------------------------------------- the container's cgroup */

/* The config's rules, then runc's defaults.  spec_resources.c checked type,
 * major and minor; the access letters are checked here once more. */
static int
cgdev_rules_from_spec(const struct spec_resources *r, struct cgdev_rules *out, struct err *e)
{
	struct cgdev_rules cfg = {0};
	int rc = -1;

	for (size_t i = 0; i < r->n_devices; i++) {
		const struct spec_device_rule *d = &r->devices[i];
		struct cgdev_rule x = {d->type, d->major, d->minor, 0, d->allow};

		if (cgdev_access_parse(d->access, &x.access) < 0) {
			err_set(e, "linux.resources.devices[%zu].access: \"%s\": not r, w, m", i,
				d->access);
			goto out;
		}
		if (cgdev_rules_add(&cfg, &x) < 0) {
			err_set(e, "linux.resources.devices:");
			goto out;
		}
	}
	rc = cgdev_rules_with_defaults(cfg.v, cfg.n, out);
	if (rc < 0)
		err_set(e, "linux.resources.devices:");
out:
	cgdev_rules_free(&cfg);
	return rc;
}

/* Is this process in a user namespace other than the first (runc:
 * userns.RunningInUserNS: uid_map is not the identity of all 2^32 ids)? */
static bool
cgdev_in_userns(void)
{
	char *map = read_file("/proc/self/uid_map", 4096, &(size_t){0});
	unsigned long a, b, n;
	bool in = false;

	if (map && sscanf(map, "%lu %lu %lu", &a, &b, &n) == 3)
		in = !(a == 0 && b == 0 && n == 4294967295ul);
	free(map);
	return in;
}

int
cgdev_apply(const struct cg *cg, const struct spec_resources *r, struct err *e)
{
	bool v2 = cg->layout == CG_V2;
	struct cgdev_rules rules = {0};
	struct err why = {""};
	int pfd, fd, rc;

	if (cg->layout == CG_NONE || cg->n == 0)
		return 0;
	/* Inside a user namespace devices.allow cannot be written nor a
	 * program loaded: runc leaves the rules out (fs/devices.go Set,
	 * fs2 canSkipEBPFError); a container made there cannot mknod either. */
	if (cgdev_in_userns()) {
		log_debug("device rules left out: the runtime is in a user namespace  (runc: "
			  "userns.RunningInUserNS)");
		return 0;
	}
	/* On hybrid hosts the rules go to v1's devices controller, as runc's fs
	 * manager does.  Without one runc fails: the devices cgroup "is a hard
	 * requirement for container's security" (fs/devices.go Apply). */
	pfd = cg_dirfd(cg, v2 ? "" : "devices");
	if (pfd < 0) {
		errno = ENOENT;
		return err_set(e, "linux.resources.devices: this host has no devices cgroup");
	}
	/* cg's fds are O_PATH: bpf(2) needs a real open directory */
	fd = openat(pfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return err_set(
		    e, "linux.resources.devices: open %s:", cg_path(cg, v2 ? "" : "devices"));
	rc = cgdev_rules_from_spec(r, &rules, e);
	if (rc == 0)
		rc = v2 ? cgdev_v2_apply(fd, rules.v, rules.n, &why)
			: cgdev_v1_apply(fd, rules.v, rules.n, &why);
	/* runc ignores a device cgroup error of a rootless caller (fs2 Set:
	 * "&& !m.config.Rootless"): it may only use the devices it can open. */
	if (rc < 0 && geteuid() != 0 && why.msg[0]) {
		log_debug("device rules not applied (rootless, as runc): %s", why.msg);
		rc = 0;
	}
	if (rc < 0 && why.msg[0])
		err_set(e, "linux.resources.devices: %s", why.msg);
	if (rc == 0)
		log_debug("device rules: %zu, %s  (runc: %s)", rules.n,
			  v2 ? "eBPF program attached" : "devices.allow/deny written",
			  v2 ? "ebpf/devicefilter, LoadAttachCgroupDeviceFilter"
			     : "fs/devices.go Set");
	close(fd);
	cgdev_rules_free(&rules);
	return rc;
}
