/*
 * seccomp_tree.c - the decisions for one syscall, as libseccomp 2.5 makes
 * them (its src/db.c, read for behaviour; this is minirunc's own code).
 *
 * Each rule becomes a chain of 32-bit compares: on a 32-bit architecture one
 * per argument (NE, LT, LE turned into EQ, GE, GT whose false side goes on),
 * on a 64-bit one a high-word and a low-word compare per argument, three for
 * the orderings (high >, high ==, then low).  The chains of one syscall are
 * merged into one tree: equal nodes shared, others placed on a level in
 * libseccomp's order; before a merge, branches the new rule makes redundant
 * are pruned, and the walks that do it (with their counted references) are
 * libseccomp's, since what they leave decides some overlapping profiles.
 * A rule whose action contradicts a branch it would share is refused
 * (-EEXIST), as libseccomp refuses it and runc then fails the container.
 *
 * runc counterpart: none (runc hands its rules to libseccomp).
 * Left out: the node counts libseccomp keeps for its syscall priorities (they
 * order its program, not its decisions).
 */
#include "seccomp_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define SC_MAX_DEPTH 4096 /* nodes on one path: far beyond any real profile */

/* libseccomp's pruning state (db.c struct db_iter_state) */
#define IST_MATCH      0x001
#define IST_MATCH_ONCE 0x002
#define IST_X_FINISHED 0x010
#define IST_N_FINISHED 0x020
#define IST_X_PREFIX   0x100
#define IST_N_PREFIX   0x200
#define IST_MATCHSET   (IST_MATCH | IST_MATCH_ONCE)
#define IST_REDUNDANT  (IST_MATCH | IST_X_FINISHED | IST_N_PREFIX)

struct sc_ist {
	unsigned flags;
	uint32_t action;
	struct sc_sys *sx;
};

static struct sc_node *
sc_node_new(struct sc_pool **pool)
{
	struct sc_pool *p = *pool;

	if (!p || p->used == sizeof(p->n) / sizeof(p->n[0])) {
		p = calloc(1, sizeof(*p));
		if (!p)
			return NULL;
		p->next = *pool;
		*pool = p;
	}
	return &p->n[p->used++];
}

void
sc_pool_free(struct sc_pool **pool)
{
	while (*pool) {
		struct sc_pool *p = (*pool)->next;

		free(*pool);
		*pool = p;
	}
}

static struct sc_node *
sc_get(struct sc_node *n)
{
	if (n)
		n->refcnt++;
	return n;
}

static unsigned sc_tree_put(struct sc_node **tree);

/* Drop a reference; the last one unlinks the node from its level (db.c
 * _db_node_put: *node moves to a neighbour) and drops its subtrees.  The
 * memory stays in the pool: nothing reads a dropped node. */
static unsigned
sc_put(struct sc_node **node)
{
	struct sc_node *n = *node, *lp, *ln, *t, *f;
	unsigned cnt = 0;

	if (!n || --n->refcnt > 0)
		return 0;
	lp = n->lvl_prv, ln = n->lvl_nxt, t = n->nxt_t, f = n->nxt_f;
	if (lp)
		lp->lvl_nxt = NULL;
	if (ln)
		ln->lvl_prv = NULL;
	if (lp)
		cnt += sc_put(&lp);
	if (ln)
		cnt += sc_put(&ln);
	if (lp)
		lp->lvl_nxt = sc_get(ln);
	if (ln)
		ln->lvl_prv = sc_get(lp);
	*node = lp ? lp : ln;
	cnt += sc_tree_put(&t);
	cnt += sc_tree_put(&f);
	return cnt + 1;
}

/* A level nothing else points into goes as a whole (db.c _db_level_clean). */
static unsigned
sc_level_clean(struct sc_node *n)
{
	struct sc_node *start;
	unsigned cnt = 0;

	while (n->lvl_prv)
		n = n->lvl_prv;
	start = n;
	for (; n; n = n->lvl_nxt)
		if (n->refcnt > (unsigned)(!!n->lvl_prv + !!n->lvl_nxt))
			return 0;
	for (n = start; n;)
		cnt += sc_put(&n);
	return cnt;
}

static unsigned
sc_tree_put(struct sc_node **tree)
{
	unsigned cnt = sc_put(tree);

	if (*tree)
		cnt += sc_level_clean(*tree);
	return cnt;
}

/* libseccomp's order of nodes on a level (db.c _db_chain_lt): by argument and
 * word, then EQ-like before LT/LE before GT/GE, then by datum (LT/LE descending). */
static unsigned
sc_op_rank(uint8_t op)
{
	switch (op) {
	case SECCOMP_OP_MASKED_EQ:
	case SECCOMP_OP_EQ:
	case SECCOMP_OP_NE:
		return 3;
	case SECCOMP_OP_LE:
	case SECCOMP_OP_LT:
		return 2;
	default:
		return 1;
	}
}

static bool
sc_lt(const struct sc_node *a, const struct sc_node *b)
{
	unsigned pa = (a->arg << 1) + a->hi, pb = (b->arg << 1) + b->hi;

	if (pa != pb)
		return pa < pb;
	if (sc_op_rank(a->op_orig) != sc_op_rank(b->op_orig))
		return sc_op_rank(a->op_orig) < sc_op_rank(b->op_orig);
	if (a->op_orig == SECCOMP_OP_LE || a->op_orig == SECCOMP_OP_LT)
		return a->datum > b->datum;
	return a->datum < b->datum;
}

static bool
sc_eq(const struct sc_node *a, const struct sc_node *b)
{
	return a->arg == b->arg && a->hi == b->hi && a->op == b->op && a->datum == b->datum &&
	       a->mask == b->mask;
}

static bool
sc_leaf(const struct sc_node *n)
{
	return !n->nxt_t && !n->nxt_f;
}

/* Every action in the tree equals act (db.c _db_tree_act_check). */
static bool
sc_acts_are(const struct sc_node *t, uint32_t act, size_t depth)
{
	if (!t)
		return true;
	if (depth > SC_MAX_DEPTH)
		return false;
	while (t->lvl_prv)
		t = t->lvl_prv;
	for (; t; t = t->lvl_nxt) {
		if ((t->act_t_flg && t->act_t != act) || (t->act_f_flg && t->act_f != act))
			return false;
		if (!sc_acts_are(t->nxt_t, act, depth + 1) ||
		    !sc_acts_are(t->nxt_f, act, depth + 1))
			return false;
	}
	return true;
}

static struct sc_node *
sc_mk(struct sc_pool **st, unsigned arg, bool hi, uint8_t op, uint8_t orig, uint32_t mask,
      uint32_t datum, uint64_t full)
{
	struct sc_node *n = sc_node_new(st);

	if (!n)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->arg = arg;
	n->hi = hi;
	n->op = op;
	n->op_orig = orig;
	n->mask = mask;
	n->datum = datum & mask;
	n->datum_full = full;
	return n;
}

/* A 32-bit architecture's chain (db.c _db_rule_gen_32): the low word only;
 * NE, LT, LE become EQ, GE, GT whose false branch goes on. */
static int
sc_gen32(struct sc_pool **st, const struct sc_rule *r, struct sc_node **out)
{
	struct sc_node *prev = NULL, *n = NULL;
	bool tf = true;

	*out = NULL;
	for (unsigned i = 0; i < 6; i++) {
		enum seccomp_op op = r->a[i].op;
		uint8_t nop = op == SECCOMP_OP_NE   ? SECCOMP_OP_EQ
			      : op == SECCOMP_OP_LT ? SECCOMP_OP_GE
			      : op == SECCOMP_OP_LE ? SECCOMP_OP_GT
						    : op;

		if (!r->a[i].valid || (uint32_t)r->a[i].mask == 0)
			continue;
		n = sc_mk(st, i, false, nop, op, (uint32_t)r->a[i].mask, (uint32_t)r->a[i].datum,
			  r->a[i].datum);
		if (!n)
			return -1;
		if (!prev)
			*out = sc_get(n);
		else if (tf)
			prev->nxt_t = sc_get(n);
		else
			prev->nxt_f = sc_get(n);
		tf = !(op == SECCOMP_OP_NE || op == SECCOMP_OP_LT || op == SECCOMP_OP_LE);
		prev = n;
	}
	if (n && tf)
		n->act_t_flg = true, n->act_t = r->action;
	else if (n)
		n->act_f_flg = true, n->act_f = r->action;
	return 0;
}

/* The nodes of one 64-bit compare (db.c _db_rule_gen_64's diagrams): c[0] c[1]
 * on the high word, c[2] on the low one for the orderings; c[0] high, c[1]
 * low for EQ, MASKED_EQ and NE. */
static int
sc_gen64_level(struct sc_pool **st, unsigned i, enum seccomp_op op, uint64_t mask, uint64_t datum,
	       struct sc_node *c[3])
{
	uint32_t mh = (uint32_t)(mask >> 32), ml = (uint32_t)mask;
	uint32_t dh = (uint32_t)(datum >> 32), dl = (uint32_t)datum;
	bool order = op == SECCOMP_OP_GT || op == SECCOMP_OP_GE || op == SECCOMP_OP_LT ||
		     op == SECCOMP_OP_LE;

	c[2] = NULL;
	if (order) {
		uint8_t lo =
		    (op == SECCOMP_OP_GT || op == SECCOMP_OP_LE) ? SECCOMP_OP_GT : SECCOMP_OP_GE;
		c[0] = sc_mk(st, i, true, SECCOMP_OP_GT, op, mh, dh, datum);
		c[1] = sc_mk(st, i, true, SECCOMP_OP_EQ, op, mh, dh, datum);
		c[2] = sc_mk(st, i, false, lo, op, ml, dl, datum);
		if (!c[0] || !c[1] || !c[2])
			return -1;
		c[0]->nxt_f = sc_get(c[1]);
		c[1]->nxt_t = sc_get(c[2]);
		return 0;
	}
	uint8_t eq = op == SECCOMP_OP_MASKED_EQ ? SECCOMP_OP_MASKED_EQ : SECCOMP_OP_EQ;
	c[0] = sc_mk(st, i, true, eq, op, mh, dh, datum);
	c[1] = sc_mk(st, i, false, eq, op, ml, dl, datum);
	if (!c[0] || !c[1])
		return -1;
	c[0]->nxt_t = sc_get(c[1]);
	return 0;
}

/* Where the rule goes on after level p (op) is satisfied: link it to c0 ... */
static void
sc_gen64_link(enum seccomp_op op, struct sc_node *p[3], struct sc_node *c0)
{
	switch (op) {
	case SECCOMP_OP_GT:
	case SECCOMP_OP_GE:
		p[0]->nxt_t = sc_get(c0), p[2]->nxt_t = sc_get(c0);
		break;
	case SECCOMP_OP_EQ:
	case SECCOMP_OP_MASKED_EQ:
		p[1]->nxt_t = sc_get(c0);
		break;
	case SECCOMP_OP_LE:
	case SECCOMP_OP_LT:
		p[1]->nxt_f = sc_get(c0), p[2]->nxt_f = sc_get(c0);
		break;
	case SECCOMP_OP_NE:
		p[0]->nxt_f = sc_get(c0), p[1]->nxt_f = sc_get(c0);
		break;
	}
}

/* ... or to the action, when it was the last compare. */
static void
sc_gen64_act(enum seccomp_op op, struct sc_node *c[3], uint32_t act)
{
	switch (op) {
	case SECCOMP_OP_GT:
	case SECCOMP_OP_GE:
		c[0]->act_t_flg = c[2]->act_t_flg = true;
		c[0]->act_t = c[2]->act_t = act;
		break;
	case SECCOMP_OP_LE:
	case SECCOMP_OP_LT:
		c[1]->act_f_flg = c[2]->act_f_flg = true;
		c[1]->act_f = c[2]->act_f = act;
		break;
	case SECCOMP_OP_EQ:
	case SECCOMP_OP_MASKED_EQ:
		c[1]->act_t_flg = true;
		c[1]->act_t = act;
		break;
	case SECCOMP_OP_NE:
		c[0]->act_f_flg = c[1]->act_f_flg = true;
		c[0]->act_f = c[1]->act_f = act;
		break;
	}
}

static int
sc_gen64(struct sc_pool **st, const struct sc_rule *r, struct sc_node **out)
{
	struct sc_node *c[3], *p[3] = {NULL, NULL, NULL};
	enum seccomp_op prev_op = SECCOMP_OP_EQ;

	*out = NULL;
	for (unsigned i = 0; i < 6; i++) {
		if (!r->a[i].valid || (r->a[i].op == SECCOMP_OP_MASKED_EQ && r->a[i].mask == 0))
			continue;
		if (sc_gen64_level(st, i, r->a[i].op, r->a[i].mask, r->a[i].datum, c) < 0)
			return -1;
		if (p[0])
			sc_gen64_link(prev_op, p, c[0]);
		else
			*out = sc_get(c[0]);
		memcpy(p, c, sizeof(p));
		prev_op = r->a[i].op;
	}
	if (p[0])
		sc_gen64_act(prev_op, p, r->action);
	return 0;
}

static int sc_tree_add(struct sc_node **existing, struct sc_node *n, size_t depth);

/* The true (or false) side of two equal nodes (db.c _db_tree_add).  The
 * 64-bit tie-break and its act_t in the false case are libseccomp's own. */
static int
sc_tree_merge_side(struct sc_node *x, struct sc_node *n, bool t)
{
	bool *xf = t ? &x->act_t_flg : &x->act_f_flg;
	uint32_t *xa = t ? &x->act_t : &x->act_f, na = t ? n->act_t : n->act_f;
	struct sc_node **xn = t ? &x->nxt_t : &x->nxt_f;

	if (!(t ? n->act_t_flg : n->act_f_flg))
		return 0;
	if (!*xf) {
		if (!sc_acts_are(*xn, na, 0))
			return -EEXIST;
		sc_put(xn);
		*xn = NULL;
		*xa = na;
		*xf = true;
	} else if (na != *xa) {
		if (n->hi && (t ? n->datum_full > x->datum_full : n->datum_full < x->datum_full))
			x->act_t = n->act_t;
		if (sc_leaf(x) || sc_leaf(n))
			return -EEXIST;
	}
	return 0;
}

/* Descend into the next level on one side; 1 = done (the existing tree is shorter). */
static int
sc_tree_descend(struct sc_node *x, struct sc_node *n, bool t, size_t depth)
{
	struct sc_node **xn = t ? &x->nxt_t : &x->nxt_f, *nn = t ? n->nxt_t : n->nxt_f;

	if (!nn)
		return 0;
	if (*xn)
		return sc_tree_add(xn, nn, depth + 1);
	if (!(t ? x->act_t_flg : x->act_f_flg)) {
		*xn = sc_get(nn);
		return 0;
	}
	return 1;
}

static int
sc_tree_add(struct sc_node **existing, struct sc_node *n, size_t depth)
{
	struct sc_node *x = *existing;
	int rc;

	if (depth > SC_MAX_DEPTH)
		return -E2BIG;
	while (x) {
		if (sc_eq(x, n)) {
			if ((rc = sc_tree_merge_side(x, n, true)) ||
			    (rc = sc_tree_merge_side(x, n, false)))
				return rc;
			rc = sc_tree_descend(x, n, true, depth);
			if (rc)
				return rc < 0 ? rc : 0;
			rc = sc_tree_descend(x, n, false, depth);
			return rc < 0 ? rc : 0;
		}
		if (!sc_lt(x, n)) {
			if (!x->lvl_nxt) {
				n->lvl_prv = sc_get(x);
				x->lvl_nxt = sc_get(n);
				return 0;
			}
			x = x->lvl_nxt;
			continue;
		}
		/* n goes before x on this level */
		if (x->lvl_prv) {
			x->lvl_prv->lvl_nxt = sc_get(n);
			n->lvl_prv = x->lvl_prv;
			x->lvl_prv = sc_get(n);
			n->lvl_nxt = x;
		} else {
			x->lvl_prv = sc_get(n);
			n->lvl_nxt = sc_get(x);
		}
		if (*existing == x) {
			*existing = sc_get(n);
			sc_put(&x);
		}
		return 0;
	}
	return 0;
}

static bool
sc_zombie(const struct sc_node *n)
{
	return sc_leaf(n) && !n->act_t_flg && !n->act_f_flg;
}

/* Find node in the tree and drop it with its subtrees; empty leaves met on
 * the way go too (db.c _db_tree_remove). */
static unsigned
sc_tree_remove(struct sc_node **tree, struct sc_node *node, size_t depth)
{
	struct sc_node *c;
	unsigned cnt = 0;

	if (!tree || !*tree || !node || depth > SC_MAX_DEPTH)
		return 0;
	for (c = *tree; c->lvl_prv;)
		c = c->lvl_prv;
	do {
		if (c == node)
			goto remove;
		cnt += sc_tree_remove(&c->nxt_t, node, depth + 1);
		cnt += sc_tree_remove(&c->nxt_f, node, depth + 1);
		if (sc_zombie(c))
			goto remove;
		c = c->lvl_nxt;
	} while (c && cnt == 0);
	return cnt;
remove:
	if (c == *tree)
		*tree = c->lvl_prv ? c->lvl_prv : c->lvl_nxt;
	if (c->lvl_prv)
		c->lvl_prv->lvl_nxt = c->lvl_nxt;
	if (c->lvl_nxt)
		c->lvl_nxt->lvl_prv = c->lvl_prv;
	c->lvl_prv = c->lvl_nxt = NULL;
	return cnt + sc_put(&c);
}

static unsigned sc_prune(struct sc_node **existing, struct sc_node *n, struct sc_ist *state,
			 size_t depth);

/* Prune one side's next level (x's or n's, per which), holding a reference on
 * x across it; *x becomes NULL when the walk dropped it. */
static unsigned
sc_prune_down(struct sc_node **x, struct sc_node **xlvl, struct sc_node *nlvl,
	      const struct sc_ist *state, unsigned set, unsigned clear, struct sc_ist *nxt,
	      size_t depth)
{
	unsigned cnt;

	sc_get(*x);
	*nxt = *state;
	nxt->flags &= ~clear;
	nxt->flags |= set;
	cnt = sc_prune(xlvl ? xlvl : x, nlvl, nxt, depth + 1);
	cnt += sc_put(x);
	return cnt;
}

/* Two equal nodes: can the new chain drop x, or is it itself redundant?
 * Returns 1 to stop the walk of this level, 2 when x went away. */
static int
sc_prune_match(struct sc_node **xp, struct sc_node *n, struct sc_ist *state, struct sc_ist *snew,
	       unsigned *cnt, size_t depth)
{
	struct sc_node *x = *xp;
	struct sc_ist nxt;

	snew->flags |= IST_MATCHSET;
	if (sc_leaf(n))
		snew->flags |= IST_N_FINISHED;
	if (sc_leaf(x))
		snew->flags |= IST_X_FINISHED;
	if ((x->act_t_flg || x->nxt_t) && !(n->act_t_flg || n->nxt_t))
		return 1;
	if ((x->act_f_flg || x->nxt_f) && !(n->act_f_flg || n->nxt_f))
		return 1;
	if ((snew->flags & IST_N_FINISHED) && (snew->flags & IST_X_FINISHED) &&
	    (n->act_t_flg != x->act_t_flg || n->act_t != x->act_t || n->act_f_flg != x->act_f_flg ||
	     n->act_f != x->act_f))
		return 1;
	for (int side = 0; side < 2; side++) {
		struct sc_node *nn = side ? n->nxt_f : n->nxt_t;

		if (!nn)
			continue;
		*cnt += sc_prune_down(xp, side ? &(*xp)->nxt_f : &(*xp)->nxt_t, nn, state,
				      IST_MATCHSET, 0, &nxt, depth);
		if (nxt.flags & IST_MATCH)
			snew->flags |= nxt.flags;
		if (!*xp)
			return 2;
	}
	x = *xp;
	if (!sc_acts_are(x, snew->action, 0) || !(snew->flags & IST_MATCH))
		return 0;
	if ((snew->flags & IST_N_FINISHED) && (snew->flags & IST_X_PREFIX)) {
		/* the new chain is shorter: drop x */
		*cnt += sc_tree_remove(&state->sx->chains, x, 0);
		return state->sx->chains ? 0 : 1;
	}
	if ((snew->flags & IST_X_FINISHED) && (snew->flags & IST_N_PREFIX))
		return 1; /* the new chain is longer */
	return 0;
}

/* x before n on the level (x_first) or after it: look one level further
 * down the one that comes first.  1 = stop the walk, 2 = x went away. */
static int
sc_prune_skew(struct sc_node **xp, struct sc_node *n, struct sc_ist *state, struct sc_ist *snew,
	      bool x_first, unsigned *cnt, size_t depth)
{
	struct sc_ist nxt;

	if (state->flags & (x_first ? IST_N_PREFIX : IST_X_PREFIX))
		return 1;
	for (int side = 0; side < 2; side++) {
		struct sc_node *down =
		    x_first ? (side ? (*xp)->nxt_f : (*xp)->nxt_t) : (side ? n->nxt_f : n->nxt_t);

		if (!down)
			continue;
		if (x_first)
			*cnt += sc_prune_down(xp, side ? &(*xp)->nxt_f : &(*xp)->nxt_t, n, state,
					      IST_X_PREFIX, IST_MATCH, &nxt, depth);
		else
			*cnt += sc_prune_down(xp, NULL, down, state, IST_N_PREFIX, IST_MATCH, &nxt,
					      depth);
		if (nxt.flags & IST_MATCH) {
			snew->flags |= nxt.flags;
			return 1;
		}
		if (!*xp)
			return 2;
	}
	return 0;
}

/* db.c _db_tree_prune: walk the existing tree along the new (one-branch)
 * chain, dropping what the new chain makes redundant. */
static unsigned
sc_prune(struct sc_node **existing, struct sc_node *n, struct sc_ist *state, size_t depth)
{
	struct sc_ist snew = *state;
	struct sc_node *x = *existing, *x_next;
	unsigned cnt = 0;
	int rc;

	if (!n || !x || depth > SC_MAX_DEPTH || (state->flags & IST_MATCHSET) == IST_MATCH_ONCE)
		goto out;
	while (x->lvl_prv)
		x = x->lvl_prv;
	do {
		x_next = x->lvl_nxt;
		if (sc_eq(x, n))
			rc = sc_prune_match(&x, n, state, &snew, &cnt, depth);
		else
			rc = sc_prune_skew(&x, n, state, &snew, sc_lt(x, n), &cnt, depth);
		if (rc == 1)
			goto out;
		x = x_next;
	} while (x);
	snew.flags &= ~IST_MATCH;
out:
	if (snew.flags & IST_MATCH)
		state->flags |= snew.flags;
	else
		state->flags &= ~IST_MATCH;
	return cnt;
}

/* db.c db_rule_add: the first unconditional rule of a syscall wins over
 * everything after it; an unconditional rule replaces an earlier tree;
 * otherwise prune, then merge. */
int
sc_tree_rule_add(struct sc_pool **pool, struct sc_sys *s, uint32_t nr, bool is64,
		 const struct sc_rule *r)
{
	struct sc_node *chain;
	struct sc_ist st;
	bool removed = false;
	int rc;

	if ((is64 ? sc_gen64(pool, r, &chain) : sc_gen32(pool, r, &chain)) < 0)
		return -ENOMEM;
	if (!s->used) {
		s->used = true;
		s->nr = nr;
		s->chains = chain;
		s->action = r->action;
		return 0;
	}
again:
	if (!s->chains) {
		if (removed) { /* pruning emptied the tree: the new chain is it */
			s->chains = chain;
			s->action = r->action;
		}
		return 0;
	}
	if (!chain) {
		sc_tree_put(&s->chains);
		s->chains = NULL;
		s->action = r->action;
		return 0;
	}
	st = (struct sc_ist){.action = r->action, .sx = s};
	if (sc_prune(&s->chains, chain, &st, 0) > 0) {
		removed = true;
		if (!s->chains)
			goto again;
	} else if ((st.flags & IST_REDUNDANT) == IST_REDUNDANT) {
		return 0; /* the existing tree is shorter */
	}
	rc = sc_tree_add(&s->chains, chain, 0);
	sc_tree_put(&chain);
	return rc;
}
