/*
 * seccomp.c - linux.seccomp compiled to a classic BPF program, without
 * libseccomp: the same decisions runc 1.1.5 (with libseccomp 2.5) loads,
 * laid out as minirunc's own program.
 *
 * Two halves:
 *  1. The decisions.  runc's InitSeccomp()/matchCall() (libcontainer/seccomp/
 *     seccomp_linux.go) turn each profile entry into libseccomp rules; the
 *     rules of one syscall are merged into libseccomp's per-syscall decision
 *     tree (its db.c: each argument compare becomes 32-bit nodes, a 64-bit
 *     one a high and a low word; nodes on one level are tried in libseccomp's
 *     order, and a level that fails falls through to the next node of the
 *     level above).  minirunc builds the same trees, by the same rules, so
 *     that overlapping entries resolve as they do under runc, conflicts
 *     included (libseccomp refuses them: so does minirunc).  32-bit x86 also
 *     filters the socket and ipc calls on their socketcall(2)/ipc(2) paths.
 *  2. The program.  The architecture first (x32 told from x86_64 by bit 30 of
 *     the number), then runc's -ENOSYS stub (patchbpf/enosys_linux.go: a
 *     number above the largest one the profile names gets ENOSYS, so that a
 *     libc falls back from a syscall newer than the profile), then a binary
 *     search over the syscall numbers (JGE down to groups of four JEQ), then
 *     the argument trees.  It is written back to front, so every jump target
 *     already has its place; a conditional jump cannot reach past 255
 *     instructions, so a farther target gets an unconditional JA trampoline
 *     (or a fresh RET when the target is a return).
 *
 * Left out: libseccomp's tree pruning (an optimisation that drops branches a
 * later, shorter rule makes redundant; the decisions do not change), and
 * architectures without a table here (their sections would never run on the
 * hosts minirunc builds for; seccomp_arch_from_name()).
 */
#include "seccomp.h"
#include "seccomp_int.h"

#include <errno.h>
#include <linux/seccomp.h>
#include <stdlib.h>
#include <string.h>

#define SC_MAX_INSNS	4096	     /* BPF_MAXINSNS, linux/bpf_common.h */
#define SC_MAX_DEPTH	4096	     /* nodes on one path: far beyond any real profile */
#define SC_SLOTS	(1024 + 256) /* syscall numbers below 1024, arm's 0x0f0000 + 0..255 */
#define SC_ERRNO_ENOSYS (SECCOMP_ACT_ERRNO | 38)
#define SC_BADARCH	SECCOMP_ACT_KILL_THREAD /* libseccomp's default bad-arch action */

/* AUDIT_ARCH_* of linux/audit.h: what seccomp_data.arch holds. */
static const uint32_t sc_token[SECCOMP_ARCHS] = {
    [SECCOMP_ARCH_X86_64] = 0xc000003e, [SECCOMP_ARCH_X86] = 0x40000003,
    [SECCOMP_ARCH_X32] = 0xc000003e,	[SECCOMP_ARCH_AARCH64] = 0xc00000b7,
    [SECCOMP_ARCH_ARM] = 0x40000028,
};
static const bool sc_is64[SECCOMP_ARCHS] = {
    [SECCOMP_ARCH_X86_64] = true, [SECCOMP_ARCH_AARCH64] = true};

/* ---- the decision trees (libseccomp db.c's model) ------------------------ */

struct sc_state {
	const struct seccomp_profile *p;
	struct err *e;
	unsigned filter;			 /* 1 << arch: the arches in libseccomp's filter */
	struct sc_sys *sys[SECCOMP_ARCHS];	 /* by table index */
	uint32_t max_nr[SECCOMP_ARCHS];		 /* for the -ENOSYS stub */
	uint16_t by_nr[SECCOMP_ARCHS][SC_SLOTS]; /* 1 + table index, by number (sc_slot) */
	struct sc_pool *pool;			 /* the trees' nodes */
	/* the program, back to front */
	struct sock_filter *rev;
	size_t n, cap;
	struct {
		uint32_t k;
		size_t lbl;
	} rets[32];
	size_t n_rets;
	size_t depth;
	bool nomem;
};

/* A number's place in by_nr: 0..1023, then arm's private calls, in order. */
static int
sc_slot(uint32_t nr)
{
	nr &= ~SECCOMP_X32_BIT;
	if (nr < 1024)
		return (int)nr;
	if (nr >= SECCOMP_ARM_BASE && nr < SECCOMP_ARM_BASE + SC_SLOTS - 1024)
		return (int)(1024 + nr - SECCOMP_ARM_BASE);
	return -1;
}

static int
sc_rule_add(struct sc_state *st, enum seccomp_arch a, int idx, uint32_t nr, const struct sc_rule *r)
{
	int slot = sc_slot(nr);

	if (slot < 0)
		return -E2BIG; /* no table has such a number */
	st->by_nr[a][slot] = (uint16_t)(idx + 1);
	return sc_tree_rule_add(&st->pool, &st->sys[a][idx], nr, sc_is64[a], r);
}

/* abi_rule_add of libseccomp for 32-bit x86: a socket or ipc call is also
 * filtered as socketcall(call, ...) / ipc(call, ...), argument 0 replaced. */
static int
sc_rule_add_x86(struct sc_state *st, int idx, const struct sc_rule *r)
{
	static int i_socketcall = -2, i_ipc = -2;
	uint8_t mux = seccomp_systab[idx].mux;
	int64_t nr = seccomp_sys_nr(idx, SECCOMP_ARCH_X86);
	int rc;

	if (mux) {
		struct sc_rule m = *r;
		int via;

		if (i_socketcall == -2) {
			i_socketcall = seccomp_sys_lookup("socketcall");
			i_ipc = seccomp_sys_lookup("ipc");
		}
		via = (mux & 0x80) ? i_ipc : i_socketcall;
		m.a[0].valid = true;
		m.a[0].op = SECCOMP_OP_EQ;
		m.a[0].mask = ~(uint64_t)0;
		m.a[0].datum = mux & 0x7f;
		rc = sc_rule_add(st, SECCOMP_ARCH_X86, via,
				 (uint32_t)seccomp_sys_nr(via, SECCOMP_ARCH_X86), &m);
		if (rc)
			return rc;
	}
	if (nr < 0)
		return 0;
	return sc_rule_add(st, SECCOMP_ARCH_X86, idx, (uint32_t)nr, r);
}

/* One libseccomp rule into every architecture of the filter (one transaction:
 * any refusal fails the whole profile, as runc's AddRule error does). */
static int
sc_rule_add_all(struct sc_state *st, int idx, const struct sc_rule *r)
{
	for (int a = 0; a < SECCOMP_ARCHS; a++) {
		int64_t nr;
		int rc;

		if (!(st->filter & (1u << a)))
			continue;
		if (a == SECCOMP_ARCH_X86) {
			rc = sc_rule_add_x86(st, idx, r);
		} else {
			nr = seccomp_sys_nr(idx, a);
			rc = nr < 0 ? 0 : sc_rule_add(st, a, idx, (uint32_t)nr, r);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* ---- the profile into rules (runc seccomp_linux.go matchCall) ------------ */

static int
sc_fail(struct sc_state *st, size_t i, const char *fmt, const char *name)
{
	const struct seccomp_rule *r = &st->p->rules[i];

	return err_set(st->e, "%s:%u:%u: linux.seccomp.syscalls[%zu]: %s \"%s\"",
		       st->p->file ? st->p->file : "config.json", r->line, r->col, i, fmt, name);
}

/* matchCall: no args, one rule; args on distinct indexes, one rule ANDing
 * them; an index named twice, one rule per compare (runc's "old behaviour"). */
static int
sc_entry_name(struct sc_state *st, size_t i, int idx)
{
	const struct seccomp_rule *pr = &st->p->rules[i];
	struct sc_rule r;
	unsigned seen = 0;
	bool split = false;
	int rc = 0;

	for (size_t k = 0; k < pr->n_args; k++) {
		split |= (seen >> pr->args[k].index) & 1;
		seen |= 1u << pr->args[k].index;
	}
	for (size_t k = 0; k < (split ? pr->n_args : 1) && !rc; k++) {
		memset(&r, 0, sizeof(r));
		r.action = pr->action;
		for (size_t j = split ? k : 0; j < (split ? k + 1 : pr->n_args); j++) {
			const struct seccomp_arg *g = &pr->args[j];
			unsigned x = g->index;

			r.a[x].valid = true;
			r.a[x].op = g->op;
			r.a[x].mask = g->op == SECCOMP_OP_MASKED_EQ ? g->value : ~(uint64_t)0;
			r.a[x].datum = g->op == SECCOMP_OP_MASKED_EQ ? g->value_two : g->value;
		}
		rc = sc_rule_add_all(st, idx, &r);
	}
	return rc;
}

/* The number runc's stub compares with: libseccomp's per-arch resolution,
 * under which x86's socket and ipc calls are pseudo numbers (never largest). */
static void
sc_note_max(struct sc_state *st, int idx)
{
	for (int a = 0; a < SECCOMP_ARCHS; a++) {
		int64_t nr = seccomp_sys_nr(idx, a);

		if (!(st->p->arches & (1u << a)) || nr < 0)
			continue;
		if (a == SECCOMP_ARCH_X86 && seccomp_systab[idx].mux)
			continue;
		if ((uint32_t)nr > st->max_nr[a])
			st->max_nr[a] = (uint32_t)nr;
	}
}

static int
sc_build_db(struct sc_state *st, struct seccomp_prog *out)
{
	const struct seccomp_profile *p = st->p;

	for (size_t i = 0; i < p->n_rules; i++) {
		const struct seccomp_rule *r = &p->rules[i];

		for (size_t k = 0; k < r->n_names; k++) {
			int idx = seccomp_sys_lookup(r->names[k]), rc;

			if (idx < 0) {
				/* runc: logrus.Debugf("unknown seccomp syscall %q ignored") */
				log_debug("seccomp: unknown syscall \"%s\" ignored  (runc: "
					  "seccomp_linux.go "
					  "matchCall)",
					  r->names[k]);
				out->n_unknown++;
				continue;
			}
			sc_note_max(st, idx);
			if (r->action == p->default_action)
				continue; /* runc skips it: libseccomp refuses such a rule */
			out->n_syscalls++;
			rc = sc_entry_name(st, i, idx);
			if (rc == -EEXIST)
				return sc_fail(st, i, "conflicts with an earlier rule for",
					       r->names[k]);
			if (rc == -E2BIG)
				return sc_fail(st, i, "too many argument rules for", r->names[k]);
			if (rc)
				return errno = ENOMEM, err_set(st->e, "seccomp: out of memory");
		}
	}
	return 0;
}

/* ---- the program, written back to front ---------------------------------- */

/* A place to jump to: a return of k, or the instruction with label lbl
 * (a label counts the instructions from it to the end). */
struct sc_tgt {
	bool ret;
	uint32_t k;
	size_t lbl;
};

static struct sc_tgt
sc_ret(uint32_t k)
{
	return (struct sc_tgt){.ret = true, .k = k};
}

static struct sc_tgt
sc_at(size_t lbl)
{
	return (struct sc_tgt){.lbl = lbl};
}

static size_t
sc_put(struct sc_state *st, uint16_t code, uint8_t jt, uint8_t jf, uint32_t k)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 512;
		struct sock_filter *v = realloc(st->rev, cap * sizeof(*v));

		if (!v || cap > 16 * SC_MAX_INSNS) {
			free(v == st->rev ? NULL : v);
			st->nomem = true;
			return st->n;
		}
		st->rev = v;
		st->cap = cap;
	}
	st->rev[st->n++] = (struct sock_filter){code, jt, jf, k};
	return st->n;
}

/* A label a conditional jump from here can reach (at most 255 ahead). */
static size_t
sc_reach(struct sc_state *st, struct sc_tgt *t)
{
	if (t->ret) {
		for (size_t i = 0; i < st->n_rets; i++)
			if (st->rets[i].k == t->k && st->n - st->rets[i].lbl <= 255)
				return st->rets[i].lbl;
		size_t lbl = sc_put(st, BPF_RET | BPF_K, 0, 0, t->k);
		size_t slot = st->n_rets < 32 ? st->n_rets++ : 31;

		st->rets[slot].k = t->k;
		st->rets[slot].lbl = lbl;
		return lbl;
	}
	if (st->n - t->lbl > 255)
		t->lbl = sc_put(st, BPF_JMP | BPF_JA, 0, 0, (uint32_t)(st->n - t->lbl));
	return t->lbl;
}

/* code (a BPF_JMP test against k), true -> tt, false -> tf. */
static size_t
sc_jump(struct sc_state *st, uint16_t code, uint32_t k, struct sc_tgt tt, struct sc_tgt tf)
{
	size_t lt = 0, lf = 0;

	for (int pass = 0; pass < 3; pass++) {
		lt = sc_reach(st, &tt);
		lf = sc_reach(st, &tf);
		tt = sc_at(lt);
		tf = sc_at(lf);
		if (st->n - lt <= 255 && st->n - lf <= 255)
			break;
	}
	return sc_put(st, BPF_JMP | code | BPF_K, (uint8_t)(st->n - lt), (uint8_t)(st->n - lf), k);
}

/* Make t the instruction right after the next one written (a fall-through). */
static void
sc_here(struct sc_state *st, struct sc_tgt t)
{
	if (t.ret)
		sc_put(st, BPF_RET | BPF_K, 0, 0, t.k);
	else if (t.lbl != st->n)
		sc_put(st, BPF_JMP | BPF_JA, 0, 0, (uint32_t)(st->n - t.lbl));
}

/* seccomp_data: nr at 0, arch at 4, args[i] at 16 + 8i (little-endian words). */
static uint32_t
sc_arg_off(const struct sc_node *n)
{
	return 16 + 8u * n->arg + (n->hi ? 4 : 0);
}

static struct sc_tgt sc_level(struct sc_state *st, const struct sc_node *n, struct sc_tgt fall);

/* One node: jt/jf to its next levels or actions; with neither, the next node
 * of the level (gen_bpf.c _gen_bpf_node, TGT_NXT). */
static struct sc_tgt
sc_node_code(struct sc_state *st, const struct sc_node *n, struct sc_tgt next)
{
	struct sc_tgt tt = next, tf = next;
	uint16_t code = n->op == SECCOMP_OP_GT	 ? BPF_JGT
			: n->op == SECCOMP_OP_GE ? BPF_JGE
						 : BPF_JEQ;
	size_t lbl;

	if (n->nxt_t)
		tt = sc_level(st, n->nxt_t, next);
	else if (n->act_t_flg)
		tt = sc_ret(n->act_t);
	if (n->nxt_f)
		tf = sc_level(st, n->nxt_f, next);
	else if (n->act_f_flg)
		tf = sc_ret(n->act_f);
	sc_jump(st, code, n->datum, tt, tf);
	if (n->mask != 0xffffffffU)
		sc_put(st, BPF_ALU | BPF_AND | BPF_K, 0, 0, n->mask);
	lbl = sc_put(st, BPF_LD | BPF_W | BPF_ABS, 0, 0, sc_arg_off(n));
	return sc_at(lbl);
}

/* The nodes from n to the end of its level; the last one falls to fall. */
static struct sc_tgt
sc_level_from(struct sc_state *st, const struct sc_node *n, struct sc_tgt fall)
{
	struct sc_tgt next;

	if (!n)
		return fall;
	if (++st->depth > SC_MAX_DEPTH) {
		st->nomem = true;
		return fall;
	}
	next = sc_level_from(st, n->lvl_nxt, fall);
	next = sc_node_code(st, n, next);
	st->depth--;
	return next;
}

/* A whole level, from its first node (gen_bpf.c _gen_bpf_chain). */
static struct sc_tgt
sc_level(struct sc_state *st, const struct sc_node *n, struct sc_tgt fall)
{
	while (n->lvl_prv)
		n = n->lvl_prv;
	return sc_level_from(st, n, fall);
}

struct sc_entry {
	uint32_t nr;
	struct sc_tgt to;
};

static bool
sc_same(struct sc_tgt a, struct sc_tgt b)
{
	return a.ret == b.ret && (a.ret ? a.k == b.k : a.lbl == b.lbl);
}

/* The number line cut where the decision changes: numbers in a row with the
 * same unconditional action are one interval, gaps are the default's.
 * v is sorted; iv gets at most 2n + 1 intervals (start, target). */
static size_t
sc_intervals(const struct sc_entry *v, size_t n, struct sc_tgt def, struct sc_entry *iv)
{
	size_t k = 0;
	uint64_t next = 0; /* the first number not yet covered */

	for (size_t i = 0; i < n; i++) {
		if (v[i].nr > next && !(k && sc_same(iv[k - 1].to, def)))
			iv[k++] = (struct sc_entry){(uint32_t)next, def};
		if (!(k && sc_same(iv[k - 1].to, v[i].to) && v[i].nr == next))
			iv[k++] = (struct sc_entry){v[i].nr, v[i].to};
		next = (uint64_t)v[i].nr + 1;
	}
	if (next <= 0xffffffffU && !(k && sc_same(iv[k - 1].to, def)))
		iv[k++] = (struct sc_entry){(uint32_t)next, def};
	return k;
}

/* Binary search over the intervals: one JGE per cut, the leaves jump straight
 * to their decision. */
static struct sc_tgt
sc_search(struct sc_state *st, const struct sc_entry *iv, size_t n)
{
	struct sc_tgt hi, lo;

	if (n == 1)
		return iv[0].to;
	hi = sc_search(st, iv + n / 2, n - n / 2);
	lo = sc_search(st, iv, n / 2);
	return sc_at(sc_jump(st, BPF_JGE, iv[n / 2].nr, hi, lo));
}

/* The syscalls of the architectures sharing one token (x86_64 and x32),
 * each to its tree or its action; NULL-terminated list in *out. */
static int
sc_entries(struct sc_state *st, unsigned arches, struct sc_entry **out, size_t *n)
{
	struct sc_tgt def = sc_ret(st->p->default_action);
	struct sc_entry *v = malloc((6 * seccomp_systab_len + 1) * sizeof(*v));

	*n = 0;
	if (!v)
		return -1;
	/* x86_64's numbers all lie below x32's (bit 30): arch order is number order */
	for (int a = 0; a < SECCOMP_ARCHS; a++) {
		if (!(arches & (1u << a)))
			continue;
		for (unsigned slot = 0; slot < SC_SLOTS; slot++) {
			const struct sc_sys *s;

			if (!st->by_nr[a][slot])
				continue;
			s = &st->sys[a][st->by_nr[a][slot] - 1];
			v[*n].nr = s->nr;
			v[*n].to = s->chains ? sc_level(st, s->chains, def) : sc_ret(s->action);
			(*n)++;
		}
	}
	*out = v;
	return 0;
}

/* libseccomp's x86_64 / x32 split when only one of them is filtered:
 * x86_64 alone sends numbers with bit 30 (but -1, a tracer's skip) to the
 * bad-arch action; x32 alone sends those without it. */
static struct sc_tgt
sc_abi_split(struct sc_state *st, unsigned arches, struct sc_tgt tree)
{
	bool x64 = arches & (1u << SECCOMP_ARCH_X86_64), x32 = arches & (1u << SECCOMP_ARCH_X32);
	size_t l;

	if (x64 && !x32) {
		l = sc_jump(st, BPF_JEQ, 0xffffffffU, tree, sc_ret(SC_BADARCH));
		return sc_at(sc_jump(st, BPF_JGE, SECCOMP_X32_BIT, sc_at(l), tree));
	}
	if (x32 && !x64)
		return sc_at(sc_jump(st, BPF_JGE, SECCOMP_X32_BIT, tree, sc_ret(SC_BADARCH)));
	return tree;
}

/* runc's -ENOSYS stub for this token (patchbpf generateEnosysStub): only for
 * the architectures listed, only when one of their numbers is named. */
static struct sc_tgt
sc_stub(struct sc_state *st, unsigned arches, struct sc_tgt go)
{
	unsigned listed = arches & st->p->arches;
	bool m64, m32;
	struct sc_tgt enosys = sc_ret(SC_ERRNO_ENOSYS), t64 = go, t32 = go;

	if (st->p->default_permissive)
		return go;
	if (!(arches & ((1u << SECCOMP_ARCH_X86_64) | (1u << SECCOMP_ARCH_X32)))) {
		for (int a = 0; a < SECCOMP_ARCHS; a++)
			if ((listed & (1u << a)) && st->max_nr[a])
				return sc_at(sc_jump(st, BPF_JGT, st->max_nr[a], enosys, go));
		return go;
	}
	m64 = (listed & (1u << SECCOMP_ARCH_X86_64)) && st->max_nr[SECCOMP_ARCH_X86_64];
	m32 = (listed & (1u << SECCOMP_ARCH_X32)) && st->max_nr[SECCOMP_ARCH_X32];
	if (m64)
		t64 = sc_at(sc_jump(st, BPF_JGT, st->max_nr[SECCOMP_ARCH_X86_64], enosys, go));
	if (m32)
		t32 = sc_at(sc_jump(st, BPF_JGT, st->max_nr[SECCOMP_ARCH_X32], enosys, go));
	if (!m64 && !m32)
		return go;
	return sc_at(sc_jump(st, BPF_JSET, SECCOMP_X32_BIT, t32, t64));
}

/* One architecture token: load the number, stub, ABI split, search. */
static int
sc_section(struct sc_state *st, unsigned arches, struct sc_tgt *out)
{
	struct sc_entry *v;
	size_t n, k;
	struct sc_tgt t;

	if (sc_entries(st, arches, &v, &n) < 0)
		return -1;
	/* the intervals go in the same buffer, after the entries */
	k = sc_intervals(v, n, sc_ret(st->p->default_action), v + n);
	t = sc_search(st, v + n, k);
	free(v);
	t = sc_abi_split(st, arches, t);
	t = sc_stub(st, arches, t);
	sc_here(st, t); /* the load below falls through to it */
	*out = sc_at(sc_put(st, BPF_LD | BPF_W | BPF_ABS, 0, 0, 0));
	return 0;
}

/* The sections, each behind a JEQ on its token; unknown tokens: bad arch. */
static int
sc_program(struct sc_state *st)
{
	static const unsigned groups[] = {(1u << SECCOMP_ARCH_X86_64) | (1u << SECCOMP_ARCH_X32),
					  1u << SECCOMP_ARCH_X86, 1u << SECCOMP_ARCH_AARCH64,
					  1u << SECCOMP_ARCH_ARM};
	struct sc_tgt sec[4], next = sc_ret(SC_BADARCH);
	uint32_t tok[4];
	size_t n = 0;

	for (size_t g = 0; g < 4; g++) {
		unsigned arches = groups[g] & st->filter;

		if (!arches)
			continue;
		if (sc_section(st, arches, &sec[n]) < 0)
			return -1;
		tok[n++] = sc_token[__builtin_ctz(arches)];
	}
	while (n-- > 0)
		next = sc_at(sc_jump(st, BPF_JEQ, tok[n], sec[n], next));
	sc_here(st, next);
	sc_put(st, BPF_LD | BPF_W | BPF_ABS, 0, 0, 4);
	return 0;
}

static void
sc_state_free(struct sc_state *st)
{
	sc_pool_free(&st->pool);
	for (int a = 0; a < SECCOMP_ARCHS; a++)
		free(st->sys[a]);
	free(st->rev);
}

static int
sc_finish(struct sc_state *st, struct seccomp_prog *out)
{
	const struct seccomp_profile *p = st->p;

	if (st->nomem)
		return errno = ENOMEM, err_set(st->e, "seccomp: out of memory");
	if (st->n > SC_MAX_INSNS)
		return errno = E2BIG,
		       err_set(
			   st->e,
			   "%s:%u:%u: linux.seccomp: the filter needs %zu BPF instructions, more "
			   "than the kernel's limit of %d (BPF_MAXINSNS)",
			   p->file ? p->file : "config.json", p->line, p->col, st->n, SC_MAX_INSNS);
	out->insns = malloc(st->n * sizeof(*out->insns));
	if (!out->insns)
		return errno = ENOMEM, err_set(st->e, "seccomp: out of memory");
	for (size_t i = 0; i < st->n; i++)
		out->insns[i] = st->rev[st->n - 1 - i];
	out->len = st->n;
	out->flags = p->flags | (p->notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0);
	return 0;
}

int
seccomp_compile(const struct seccomp_profile *p, struct seccomp_prog *out, struct err *e)
{
	struct sc_state st;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	memset(&st, 0, sizeof(st));
	st.p = p;
	st.e = e;
	/* libseccomp's filter always holds the native architecture (seccomp_init). */
	st.filter = (1u << p->native) | (p->arches & ((1u << SECCOMP_ARCHS) - 1));
	for (int a = 0; a < SECCOMP_ARCHS; a++)
		if (st.filter & (1u << a)) {
			st.sys[a] = calloc(seccomp_systab_len, sizeof(*st.sys[a]));
			if (!st.sys[a]) {
				err_set(e, "seccomp: out of memory");
				goto out;
			}
		}
	if (sc_build_db(&st, out) < 0 || sc_program(&st) < 0 || sc_finish(&st, out) < 0)
		goto out;
	rc = 0;
out:
	sc_state_free(&st);
	return rc;
}

void
seccomp_prog_free(struct seccomp_prog *prog)
{
	if (!prog)
		return;
	free(prog->insns);
	memset(prog, 0, sizeof(*prog));
}
