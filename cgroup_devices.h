/*
 * cgroup_devices.h - the device cgroup, enforced: linux.resources.devices plus
 * runc's default allow list, written to a v1 devices cgroup or compiled to a
 * cgroup v2 eBPF program (cgroup_devices.c has the story).
 */
#ifndef MINIRUNC_CGROUP_DEVICES_H
#define MINIRUNC_CGROUP_DEVICES_H

#include <linux/bpf.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* Access bits as cgroup v1 spells them ("rwm"). */
#define CGDEV_R	   1u
#define CGDEV_W	   2u
#define CGDEV_M	   4u
#define CGDEV_RWM  7u
#define CGDEV_WILD (-1) /* major or minor: any */

/* One rule, as runc's devices.Rule: type 'a' (every device, every access),
 * 'c' or 'b'; major/minor CGDEV_WILD for "*". */
struct cgdev_rule {
	char type;
	int64_t major, minor;
	unsigned access; /* CGDEV_R | CGDEV_W | CGDEV_M, never 0 */
	bool allow;
};

/* A growing list of rules (caller frees v). */
struct cgdev_rules {
	struct cgdev_rule *v;
	size_t n, cap;
};

/*
 * The state of a devices cgroup as runc's devices.Emulator keeps it: a
 * default (allow or deny everything) and the exceptions to it, one per
 * (type, major, minor) with their access merged.
 */
struct cgdev_emu {
	bool default_allow;
	struct cgdev_rules exc; /* .allow of each is !default_allow */
};

/* Append one rule; -1 with errno ENOMEM. */
int cgdev_rules_add(struct cgdev_rules *l, const struct cgdev_rule *r);
void cgdev_rules_free(struct cgdev_rules *l);

/*
 * The rules runc 1.1 applies for a config: the config's own rules in order,
 * then its default allow list (specconv.AllowedDevices: mknod of any char or
 * block device, null, zero, full, random, urandom, tty, ptmx, /dev/pts/N,
 * tun).  runc also drops a default whose path linux.devices names, and then
 * cannot start the container (its init reopens /dev/null): minirunc keeps
 * them all (intended difference, cgroup_devices.bats).
 */
int cgdev_rules_with_defaults(const struct cgdev_rule *cfg, size_t n_cfg, struct cgdev_rules *out);

/* Parse an access string ("rwm", "r", ...) into bits; -1 when empty or when
 * it holds anything but r, w, m. */
int cgdev_access_parse(const char *s, unsigned *out);

/* The emulator: start at deny-all (runc: a zero Emulator), apply rules in
 * order.  Apply fails (EINVAL, e names the rule) where cgroup v1 would
 * silently ignore the rule: a deny that punches a hole in a wildcard allow. */
void cgdev_emu_init(struct cgdev_emu *m, bool default_allow);
int cgdev_emu_apply(struct cgdev_emu *m, const struct cgdev_rule *r, struct err *e);
void cgdev_emu_free(struct cgdev_emu *m);
/* Build the emulator of a devices.list text (v1's view of a cgroup). */
int cgdev_emu_from_list(struct cgdev_emu *m, const char *list, struct err *e);

/*
 * The rules that take a cgroup from state src to state dst with the least
 * disruption (runc: Emulator.Transition): a leading "a *:* rwm" only when
 * the default changes (or src is allow-all, whose denies v1 cannot list),
 * then what dst drops, then what it gains, each in (major, minor, type)
 * order.  out is appended to.
 */
int cgdev_transition(const struct cgdev_emu *src, const struct cgdev_emu *dst,
		     struct cgdev_rules *out);

/* "c 1:3 rwm", "a *:* rwm", "b 8:* m": the form devices.allow/deny read. */
void cgdev_rule_string(const struct cgdev_rule *r, char *buf, size_t len);

/*
 * cgroup v1: bring the devices cgroup open at dirfd to the rules, as runc's
 * fs.DevicesGroup.Set: read devices.list, write the transition rule by rule
 * to devices.deny / devices.allow, read devices.list again and check it is
 * what was asked (fail closed).
 */
int cgdev_v1_apply(int dirfd, const struct cgdev_rule *rules, size_t n, struct err *e);

/*
 * cgroup v2: the eBPF program (BPF_PROG_TYPE_CGROUP_DEVICE) for the rules,
 * as runc's devicefilter.DeviceFilter builds it.  *prog is malloc'd (caller
 * frees), *n_insns its length.
 */
int cgdev_bpf_build(const struct cgdev_rule *rules, size_t n, struct bpf_insn **prog,
		    size_t *n_insns, struct err *e);

/*
 * Load the program for the rules and attach it to the cgroup2 directory open
 * at dirfd (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI), replacing the device
 * programs minirunc attached there before (runc: ebpf.LoadAttachCgroupDeviceFilter).
 */
int cgdev_v2_apply(int dirfd, const struct cgdev_rule *rules, size_t n, struct err *e);

/* The name minirunc gives its programs (bpf_prog_info.name), so that a later
 * apply replaces only its own. */
#define CGDEV_PROG_NAME "minirunc_dev"

#endif
