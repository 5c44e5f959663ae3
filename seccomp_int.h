/*
 * seccomp_int.h - what seccomp.c (the profile and the program) and
 * seccomp_tree.c (libseccomp's per-syscall decision trees) share.
 * Nothing outside the seccomp*.c files includes it.
 */
#ifndef MINIRUNC_SECCOMP_INT_H
#define MINIRUNC_SECCOMP_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "seccomp.h"

/* One 32-bit compare: (word & mask) op datum, op one of EQ/MASKED_EQ/GT/GE.
 * Nodes are counted references, as libseccomp's are: its pruning walks
 * depend on when a node goes away. */
struct sc_node {
	struct sc_node *nxt_t, *nxt_f;	   /* the next level when true / false */
	struct sc_node *lvl_prv, *lvl_nxt; /* the other nodes of this level */
	uint64_t datum_full;		   /* the rule's 64-bit value */
	uint32_t mask, datum, act_t, act_f;
	unsigned refcnt;
	uint8_t arg, hi, op, op_orig;
	bool act_t_flg, act_f_flg;
};

/* One syscall of one architecture: an unconditional action, or a tree. */
struct sc_sys {
	uint32_t nr;
	uint32_t action; /* when chains is NULL */
	struct sc_node *chains;
	bool used;
};

/* A rule as libseccomp holds it: at most one compare per argument. */
struct sc_rule {
	uint32_t action;
	struct {
		bool valid;
		enum seccomp_op op;
		uint64_t mask, datum;
	} a[6];
};

/* Nodes come from here and are freed all at once (sc_pool_free). */
struct sc_pool {
	struct sc_pool *next;
	size_t used;
	struct sc_node n[256];
};

/* libseccomp's db_rule_add for syscall s (number nr) of a 32- or 64-bit
 * architecture: 0, -EEXIST when libseccomp refuses the rule, -ENOMEM. */
int sc_tree_rule_add(struct sc_pool **pool, struct sc_sys *s, uint32_t nr, bool is64,
		     const struct sc_rule *r);
void sc_pool_free(struct sc_pool **pool);

#endif
