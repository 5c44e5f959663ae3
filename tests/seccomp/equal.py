#!/usr/bin/python3
"""
equal.py - minirunc's seccomp program against the one runc 1.1.5 loads, on
every input that matters.

For each profile (a linux.seccomp object in a .json file, or podman's
default profile converted as podman converts it), this builds:
  * runc's program: libseccomp's filter made the way runc's InitSeccomp()
    and matchCall() make it (python3-seccomp, the same libseccomp 2.5 runc
    links), exported as BPF, behind runc's -ENOSYS stub (modelled here from
    patchbpf/enosys_linux.go's rules, not from minirunc's code);
  * minirunc's program: build/tools/seccomp_bpf on a config.json holding it.
Both run in a small classic-BPF interpreter over every architecture token
(the four minirunc knows and one it does not), every syscall number of the
tables and the edges of each numbering (x32's bit 30, arm's private calls,
-1, the largest numbers named +-1), and for every syscall with argument
rules, argument values at and around each compared constant, in both 32-bit
halves.  Any difference in the returned action is a failure.

A profile libseccomp refuses (a conflicting rule) must be refused by
minirunc too.

Usage: equal.py SECCOMP_BPF_TOOL PROFILE... ('podman' for podman's default,
       'random:N' or 'random:FIRST+N' for N generated overlapping profiles)
       equal.py --podman     print podman's default profile as linux.seccomp
Prints one line per profile and "equal: N profiles, M inputs, 0 differences".
"""
import itertools
import json
import os
import random
import struct
import subprocess
import sys
import tempfile

import seccomp as S

TOKENS = {"x86_64": 0xC000003E, "x86": 0x40000003, "aarch64": 0xC00000B7, "arm": 0x40000028}
FOREIGN_TOKEN = 0xC0000015  # AUDIT_ARCH_PPC64: in no profile here
SCMP = {"SCMP_ARCH_X86_64": S.Arch.X86_64, "SCMP_ARCH_X86": S.Arch.X86,
        "SCMP_ARCH_X32": S.Arch.X32, "SCMP_ARCH_AARCH64": S.Arch.AARCH64,
        "SCMP_ARCH_ARM": S.Arch.ARM}
X32_BIT = 0x40000000
ENOSYS = 0x00050000 | 38
# libseccomp resolves these to pseudo numbers on 32-bit x86 (they are
# multiplexed through socketcall/ipc), so runc's stub never counts them there.
X86_MUX = set("""socket bind connect listen accept getsockname getpeername socketpair send recv
sendto recvfrom shutdown setsockopt getsockopt sendmsg recvmsg accept4 recvmmsg sendmmsg semop
semget semctl semtimedop msgsnd msgrcv msgget msgctl shmat shmdt shmget shmctl""".split())
# The direct numbers of those calls on x86 (python3-seccomp only tells the
# multiplexer's), from the kernel's own list.
X86_DIRECT = {}
for _line in open("/usr/include/x86_64-linux-gnu/asm/unistd_32.h"):
    _f = _line.split()
    if len(_f) == 3 and _f[0] == "#define" and _f[1][5:] in X86_MUX and _f[1].startswith("__NR_"):
        X86_DIRECT[_f[1][5:]] = int(_f[2])
OPS = {"SCMP_CMP_NE": S.NE, "SCMP_CMP_LT": S.LT, "SCMP_CMP_LE": S.LE, "SCMP_CMP_EQ": S.EQ,
       "SCMP_CMP_GE": S.GE, "SCMP_CMP_GT": S.GT, "SCMP_CMP_MASKED_EQ": S.MASKED_EQ}


def action(name, errno_ret):
    """runc getAction()."""
    e = 1 if errno_ret is None else errno_ret
    return {"SCMP_ACT_KILL": S.KILL, "SCMP_ACT_KILL_THREAD": S.KILL,
            "SCMP_ACT_KILL_PROCESS": S.KILL_PROCESS, "SCMP_ACT_TRAP": S.TRAP,
            "SCMP_ACT_ALLOW": S.ALLOW, "SCMP_ACT_LOG": S.LOG, "SCMP_ACT_NOTIFY": S.NOTIFY,
            "SCMP_ACT_ERRNO": S.ERRNO(e), "SCMP_ACT_TRACE": S.TRACE(e)}[name]


def expand(profile):
    """specconv SetupSeccomp: one call per name."""
    for entry in profile.get("syscalls") or []:
        for name in entry.get("names") or []:
            yield name, entry


def libseccomp_program(profile):
    """runc InitSeccomp + matchCall through python3-seccomp; None if refused."""
    f = libseccomp_filter(profile)
    if f is None:
        return None
    with tempfile.TemporaryFile() as t:
        f.export_bpf(t)
        t.seek(0)
        return t.read()


def libseccomp_filter(profile):
    default = action(profile["defaultAction"], profile.get("defaultErrnoRet"))
    f = S.SyscallFilter(defaction=default)
    for a in profile.get("architectures") or []:
        if a in SCMP and SCMP[a] != S.Arch.NATIVE and f.exist_arch(SCMP[a]) is False:
            f.add_arch(SCMP[a])
    f.set_attr(S.Attr.CTL_NNP, 0)
    for name, entry in expand(profile):
        act = action(entry["action"], entry.get("errnoRet"))
        if act == default:
            continue
        if S.resolve_syscall(S.Arch.NATIVE, name) == -1:
            continue  # runc: "unknown seccomp syscall %q ignored" (__NR_SCMP_ERROR)
        args = entry.get("args") or []
        conds = [S.Arg(a["index"], OPS[a["op"]], a["value"], a.get("valueTwo", 0)) for a in args]
        counts = [a["index"] for a in args]
        groups = [[c] for c in conds] if len(set(counts)) != len(counts) else [conds]
        for g in groups:
            try:
                f.add_rule(act, name, *g)
            except (OSError, RuntimeError, ValueError):
                return None
    return f


def resolve_for_stub(arch, name):
    """libseccomp's seccomp_syscall_resolve_name_arch, which runc's stub uses."""
    if arch == "SCMP_ARCH_X86" and name in X86_MUX:
        return -1
    return S.resolve_syscall(SCMP[arch], name)


def stub_model(profile):
    """runc patchbpf: token -> {mode: largest number}; mode 'x32' or 'native'."""
    if profile["defaultAction"] in ("SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE"):
        return {}
    model = {}
    for arch in dict.fromkeys(profile.get("architectures") or []):
        if arch not in SCMP:
            continue
        largest = max([resolve_for_stub(arch, n) for n, _ in expand(profile)] + [0])
        if largest <= 0:
            continue
        tok = TOKENS["x86_64" if arch == "SCMP_ARCH_X32" else
                     {"SCMP_ARCH_X86_64": "x86_64", "SCMP_ARCH_X86": "x86",
                      "SCMP_ARCH_AARCH64": "aarch64", "SCMP_ARCH_ARM": "arm"}[arch]]
        model.setdefault(tok, {})["x32" if arch == "SCMP_ARCH_X32" else "native"] = largest
    return model


def stub_decides(model, tok, nr):
    modes = model.get(tok)
    if not modes:
        return None
    if tok == TOKENS["x86_64"]:
        mode = "x32" if nr & X32_BIT else "native"
        if mode not in modes:
            return None
        return ENOSYS if nr > modes[mode] else None
    return ENOSYS if nr > modes["native"] else None


def run_bpf(prog, data):
    """Classic BPF as the kernel runs a seccomp filter over seccomp_data."""
    a = x = 0
    mem = [0] * 16
    pc = 0
    while True:
        code, jt, jf, k = prog[pc]
        pc += 1
        cls = code & 7
        if cls == 0:  # LD
            mode = code & 0xE0
            if mode == 0x20:
                a = struct.unpack_from("<I", data, k)[0]
            elif mode == 0x00:
                a = k
            elif mode == 0x60:
                a = mem[k]
            else:
                raise ValueError("ld mode %#x" % code)
        elif cls == 1:  # LDX
            x = k if (code & 0xE0) == 0 else mem[k]
        elif cls == 2:
            mem[k] = a
        elif cls == 3:
            mem[k] = x
        elif cls == 4:  # ALU
            v = x if code & 8 else k
            op = code & 0xF0
            a = {0x00: lambda: a + v, 0x10: lambda: a - v, 0x20: lambda: a * v,
                 0x40: lambda: a | v, 0x50: lambda: a & v, 0x60: lambda: a << v,
                 0x70: lambda: a >> v, 0x80: lambda: -a, 0xA0: lambda: a ^ v}[op]() & 0xFFFFFFFF
        elif cls == 5:  # JMP
            op = code & 0xF0
            v = x if code & 8 else k
            if op == 0x00:
                pc += k
                continue
            cond = {0x10: a == v, 0x20: a > v, 0x30: a >= v, 0x40: (a & v) != 0}[op]
            pc += jt if cond else jf
        elif cls == 6:
            return a if code & 0x10 else k
        elif cls == 7:
            if code & 0xF8 == 0:
                x = a
            else:
                a = x
        else:
            raise ValueError("op %#x" % code)


def libseccomp_pfc(profile):
    """The same filter as libseccomp's own text form (seccomp_export_pfc):
    its rule trees as it holds them, before its BPF generator."""
    f = libseccomp_filter(profile)
    with tempfile.TemporaryFile("w+") as t:
        f.export_pfc(t)
        t.seek(0)
        return parse_pfc(t.read())


def parse_pfc(text):
    """PFC text into nested statements: ("if", cond, then, else) / ("act", value)."""
    lines = []
    for raw in text.splitlines():
        body = raw.split("#")[0].rstrip()
        if body.strip():
            lines.append(((len(body) - len(body.lstrip())) // 2, body.strip()))
    pos = 0

    def block(depth):
        nonlocal pos
        out = []
        while pos < len(lines) and lines[pos][0] == depth:
            text = lines[pos][1]
            pos += 1
            if text.startswith("if ("):
                then = block(depth + 1)
                other = None
                if pos < len(lines) and lines[pos] == (depth, "else"):
                    pos += 1
                    other = block(depth + 1)
                out.append(("if", text[4:-1], then, other))
            elif text.startswith("action "):
                out.append(("act", pfc_action(text[7:-1])))
            else:
                raise ValueError("pfc: " + text)
        return out
    return block(0)


def pfc_action(t):
    fixed = {"KILL_PROCESS": 0x80000000, "KILL": 0, "TRAP": 0x30000, "LOG": 0x7FFC0000,
             "ALLOW": 0x7FFF0000}
    if t in fixed:
        return fixed[t]
    if t.startswith("ERRNO("):
        return 0x50000 | int(t[6:-1])
    if t.startswith("TRACE("):
        return 0x7FF00000 | int(t[6:-1])
    return int(t, 16)


def pfc_cond(cond, nr, tok, args):
    lhs, op, rhs = cond.rsplit(" ", 2)
    if lhs == "$arch":
        val = tok
    elif lhs == "$syscall":
        val = nr
    else:
        mask = 0xFFFFFFFF
        if " & " in lhs:
            lhs, m = lhs.split(" & ")
            mask = int(m, 16)
        a = args[int(lhs[2])]
        val = ((a >> 32) if lhs.endswith(".hi32") else a) & 0xFFFFFFFF & mask
    k = int(rhs)
    return {"==": val == k, ">=": val >= k, ">": val > k}[op]


def run_pfc(stmts, nr, tok, args):
    """Structured fall-through: an if that decides nothing goes on to the next
    statement.  libseccomp prints x86_64 and x32 as two sections with one
    token (its BPF merges them), so a call not found in the first section of
    a token is looked for in the next before the default."""
    def run(block):
        for s in block:
            if s[0] == "act":
                return s[1]
            if s[1].startswith("$arch"):
                continue
            branch = s[2] if pfc_cond(s[1], nr, tok, args) else s[3]
            if branch:
                r = run(branch)
                if r is not None:
                    return r
        return None
    sections = [s for s in stmts if s[0] == "if" and pfc_cond(s[1], nr, tok, args)]
    for sec in sections:
        for s in sec[2]:
            if s[0] == "if" and pfc_cond(s[1], nr, tok, args):
                r = run(s[2])
                if r is not None:
                    return r
                break
    if sections:
        return [s for s in sections[-1][2] if s[0] == "act"][0][1]
    return [s for s in stmts if s[0] == "act"][0][1]


def decode(raw):
    return [struct.unpack_from("<HBBI", raw, i) for i in range(0, len(raw), 8)]


def edges(v):
    """A 64-bit constant and its neighbours, and the same in each 32-bit half."""
    lo, hi = v & 0xFFFFFFFF, v >> 32
    out = {v, v - 1, v + 1, lo, hi << 32, (hi << 32) | 0xFFFFFFFF, ((hi + 1) << 32) | lo,
           ((hi - 1) << 32) | lo, (hi << 32) | ((lo + 1) & 0xFFFFFFFF),
           (hi << 32) | ((lo - 1) & 0xFFFFFFFF), ~v, v | (1 << 63)}
    return {w & 0xFFFFFFFFFFFFFFFF for w in out}


def arg_inputs(profile, names):
    """Argument vectors for the calls in names: each constant's edges per index,
    all combinations when they are few, else each index alone and 1000 mixes."""
    per = [{0, 0xFFFFFFFFFFFFFFFF, 0xFFFFFFFF, 1 << 32} for _ in range(6)]
    for name, entry in expand(profile):
        if name in names:
            for a in entry.get("args") or []:
                for v in (a["value"], a.get("valueTwo", 0)):
                    per[a["index"]] |= edges(v)
                    # socketcall/ipc call numbers live in argument 0
    per[0] |= set(range(0, 26))
    used = sorted({a["index"] for n, e in expand(profile) if n in names
                   for a in (e.get("args") or [])} | {0})
    pools = [sorted(per[i]) for i in used]
    size = 1
    for pool in pools:
        size *= len(pool)
    rnd = random.Random(1)
    if size <= 2000:
        combos = list(itertools.product(*pools))
    else:
        # every value of each index with the others at 0, then random mixes
        combos = [tuple(v if j == i else 0 for j in range(len(pools)))
                  for i, pool in enumerate(pools) for v in pool]
        combos += [tuple(rnd.choice(pool) for pool in pools) for _ in range(1000)]
    vecs = []
    for c in combos:
        v = [0] * 6
        for i, val in zip(used, c):
            v[i] = val
        vecs.append(v)
    return vecs


def numbers(profile):
    nrs = set(range(0, 600)) | {0x3FFFFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFE, 0xFFFFFFFF}
    nrs |= {X32_BIT + i for i in range(0, 600)} | {0x0F0000 + i for i in range(0, 16)}
    for arch in SCMP:
        for n, _ in expand(profile):
            r = resolve_for_stub(arch, n)
            if r >= 0:
                nrs |= {r - 1, r, r + 1}
    return sorted(n & 0xFFFFFFFF for n in nrs)


def arg_calls(profile):
    """(token, nr) -> the names with argument rules that reach it."""
    names = {n for n, e in expand(profile) if e.get("args")}
    pairs = {}
    for arch, tokname in (("SCMP_ARCH_X86_64", "x86_64"), ("SCMP_ARCH_X86", "x86"),
                          ("SCMP_ARCH_X32", "x86_64"), ("SCMP_ARCH_AARCH64", "aarch64"),
                          ("SCMP_ARCH_ARM", "arm")):
        for n in names:
            keys = []
            nr = S.resolve_syscall(SCMP[arch], n)
            if nr >= 0:
                keys.append((TOKENS[tokname], nr))
            if arch == "SCMP_ARCH_X86" and n in X86_MUX:
                keys += [(TOKENS["x86"], 102), (TOKENS["x86"], 117)]
                if n in X86_DIRECT:
                    keys.append((TOKENS["x86"], X86_DIRECT[n]))
            for k in keys:
                pairs.setdefault(k, set()).add(n)
    return pairs


def minirunc_program(tool, profile):
    cfg = {"ociVersion": "1.0.2", "root": {"path": "rootfs"}, "linux": {"seccomp": profile}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as t:
        json.dump(cfg, t)
    try:
        r = subprocess.run([tool, t.name], capture_output=True)
    finally:
        os.unlink(t.name)
    return (r.stdout if r.returncode == 0 else None), r.stderr.decode().strip()


def compare(tool, label, profile):
    lib = libseccomp_program(profile)
    mine, msg = minirunc_program(tool, {k: v for k, v in profile.items() if k[0] != "_"})
    profile = {k: v for k, v in profile.items() if k[0] != "_"}
    if lib is None or mine is None:
        same = (lib is None) == (mine is None)
        print("%-28s %s (libseccomp %s, minirunc %s: %s)" % (
            label, "both refuse" if same else "DIFFERENT",
            "refuses" if lib is None else "accepts", "refuses" if mine is None else "accepts",
            msg.splitlines()[-1] if msg else ""))
        return 0, (0 if same else 1)
    lib_p, mine_p, model = decode(lib), decode(mine), stub_model(profile)
    pfc = libseccomp_pfc(profile)
    pairs = arg_calls(profile)
    vecs = {k: arg_inputs(profile, v) for k, v in pairs.items()}
    plain = [[0] * 6, [0xFFFFFFFFFFFFFFFF] * 6]
    count = diffs = bpfbug = 0
    for tok in list(TOKENS.values()) + [FOREIGN_TOKEN]:
        for nr in numbers(profile):
            for args in vecs.get((tok, nr), plain):
                data = struct.pack("<IIQ6Q", nr, tok, 0, *args)
                want = stub_decides(model, tok, nr)
                stub = want is not None
                if want is None:
                    want = run_bpf(lib_p, data)
                got = run_bpf(mine_p, data)
                count += 1
                if got != want and not stub and run_pfc(pfc, nr, tok, args) == got:
                    bpfbug += 1  # libseccomp's BPF contradicts its own rules
                elif got != want:
                    diffs += 1
                    if diffs <= 5:
                        print("  DIFF arch %#x nr %#x args %s: runc %#x minirunc %#x" % (
                            tok, nr, [hex(a) for a in args], want, got))
    print("%-28s %6d inputs, %d differences; BPF instructions: libseccomp %d (+ runc's "
          "stub), minirunc %d" % (label, count, diffs, len(lib_p), len(mine_p)))
    if bpfbug:
        print("%-28s %6d inputs where libseccomp 2.5.4's BPF contradicts its own rules (its "
              "PFC export); minirunc follows the rules" % ("", bpfbug))
    return count, diffs


def podman_profile(path="/usr/share/containers/seccomp.json", arch="amd64"):
    """containers/common pkg/seccomp setupSeccomp for podman's default
    capabilities on this architecture."""
    caps = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID",
            "CAP_SYS_CHROOT"}
    src = json.load(open(path))
    native = {"amd64": "SCMP_ARCH_X86_64", "arm64": "SCMP_ARCH_AARCH64"}[arch]
    out = {"defaultAction": src["defaultAction"], "architectures": [], "syscalls": []}
    if "defaultErrnoRet" in src:
        out["defaultErrnoRet"] = src["defaultErrnoRet"]
    for m in src.get("archMap") or []:
        if m["architecture"] == native:
            out["architectures"] = [native] + m.get("subArchitectures", [])
    for s in src["syscalls"]:
        inc, exc = s.get("includes") or {}, s.get("excludes") or {}
        if inc.get("arches") and arch not in inc["arches"]:
            continue
        if exc.get("arches") and arch in exc["arches"]:
            continue
        if inc.get("caps") and not set(inc["caps"]) <= caps:
            continue
        if exc.get("caps") and set(exc["caps"]) & caps:
            continue
        e = {k: s[k] for k in ("names", "action", "errnoRet", "args") if s.get(k) is not None}
        out["syscalls"].append(e)
    return out


def random_profile(seed):
    """Overlapping rules on a few calls, values from a small set so that
    compares meet: the cases where libseccomp's merging and pruning decide."""
    rnd = random.Random(seed)
    vals = [0, 1, 3, 10, 0xFFFFFFFF, 1 << 32, (1 << 32) + 3, 0xFFFFFFFFFFFFFFFF]
    acts = [("SCMP_ACT_ALLOW", None), ("SCMP_ACT_ERRNO", 1), ("SCMP_ACT_ERRNO", 2),
            ("SCMP_ACT_LOG", None), ("SCMP_ACT_TRAP", None)]
    names = ["read", "write", "socket", "ioctl", "socketcall"]
    arches = rnd.choice([["SCMP_ARCH_X86_64", "SCMP_ARCH_X86"], ["SCMP_ARCH_X86_64"],
                         ["SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM"], ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]])
    prof = {"defaultAction": "SCMP_ACT_ERRNO", "architectures": arches, "syscalls": []}
    for _ in range(rnd.randint(1, 7)):
        act, err = rnd.choice(acts)
        e = {"names": [rnd.choice(names)], "action": act, "args": []}
        if err:
            e["errnoRet"] = err
        for _ in range(rnd.choice([0, 1, 1, 2, 2, 3])):
            op = rnd.choice(list(OPS))
            a = {"index": rnd.choice([0, 0, 1, 2]), "value": rnd.choice(vals), "op": op}
            if op == "SCMP_CMP_MASKED_EQ":
                a["valueTwo"] = rnd.choice(vals) & a["value"]
            e["args"].append(a)
        prof["syscalls"].append(e)
    return prof


def main():
    if sys.argv[1] == "--podman":  # the converted profile, for the container tests
        json.dump(podman_profile(), sys.stdout)
        return 0
    tool = sys.argv[1]
    total = bad = profiles = 0
    for p in sys.argv[2:]:
        if p.startswith("random:"):
            first, n = (int(x) for x in p[7:].split("+")) if "+" in p else (0, int(p[7:]))
            for seed in range(first, first + n):
                c, d = compare(tool, "random %d" % seed, random_profile(seed))
                total += c
                bad += d
                profiles += 1
            continue
        if p == "podman":
            prof, label = podman_profile(), "podman default"
        else:
            prof, label = json.load(open(p)), os.path.basename(p)
        n, d = compare(tool, label, prof)
        total += n
        bad += d
        profiles += 1
    print("equal: %d profiles, %d inputs, %d differences" % (profiles, total, bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
