#!/bin/sh
# tests/hostile/make.sh BASE OUT: the corpus of broken and malicious
# config.json files (issue 6), made from BASE (a valid config.json whose
# root.path is absolute) into OUT/<group>-<name>.json.  Groups:
#   type   every field with the wrong type
#   nul    "\u0000" in a string that becomes a C string
#   size   absurd sizes (a 5 MiB config, a 100 KB hostname, 200k args)
#   nest   deep nesting
#   num    huge, fractional and negative numbers where an integer goes
#   dup    duplicate keys
#   utf8   invalid UTF-8, lone surrogates, and other non-JSON
#   path   path tricks: may run, but only inside the rootfs (hostile.bats
#          checks "fails cleanly or stays inside")
# Generated at test time so that the tree stays small.
# runc counterpart: none (runc has no such corpus); tests/fuzz holds the
# fuzzer's seeds, this is the end-to-end set.
set -eu
exec python3 - "$1" "$2" <<'PY'
import copy, json, os, sys
base = json.load(open(sys.argv[1]))
out = sys.argv[2]
os.makedirs(out, exist_ok=True)

def raw(name, text):
    with open(os.path.join(out, name + ".json"), "wb") as f:
        f.write(text if isinstance(text, bytes) else text.encode())

def put(c, path, v):
    node = c
    for k in path[:-1]:
        node = node[k] if isinstance(node, list) or k in node else node.setdefault(k, {})
    node[path[-1]] = v

def case(name, path, v):
    c = copy.deepcopy(base)
    if path == ():
        c = v
    else:
        put(c, path, v)
    raw(name, json.dumps(c))

P, L = "process", "linux"
m0 = ("mounts", 0)
types = {
    "whole-array": ((), []), "whole-string": ((), "x"), "whole-null": ((), None),
    "ociVersion-int": (("ociVersion",), 1),
    "process-string": ((P,), "sh"),
    "args-string": ((P, "args"), "sh"), "args-int": ((P, "args"), [1]),
    "args-empty": ((P, "args"), []), "args-null": ((P, "args"), [None]),
    "env-object": ((P, "env"), {"A": "b"}), "env-int": ((P, "env"), [7]),
    "cwd-int": ((P, "cwd"), 5), "cwd-relative": ((P, "cwd"), "tmp"),
    "user-array": ((P, "user"), []), "uid-string": ((P, "user", "uid"), "0"),
    "gids-string": ((P, "user", "additionalGids"), "1"),
    "terminal-string": ((P, "terminal"), "yes"),
    "caps-string": ((P, "capabilities", "bounding"), "CAP_KILL"),
    "caps-int": ((P, "capabilities", "effective"), [5]),
    "rlimits-object": ((P, "rlimits"), {}), "rlimit-soft-string": ((P, "rlimits", 0, "soft"), "x"),
    "rlimit-type-unknown": ((P, "rlimits", 0, "type"), "RLIMIT_BOGUS"),
    "nnp-int": ((P, "noNewPrivileges"), 1),
    "consoleSize-string": ((P, "consoleSize"), "80x25"),
    "oom-string": ((P, "oomScoreAdj"), "1"),
    "root-string": (("root",), "rootfs"), "root-path-array": (("root", "path"), []),
    "root-readonly-string": (("root", "readonly"), "no"),
    "hostname-int": (("hostname",), 7),
    "mounts-object": (("mounts",), {}), "mount-string": (m0, "x"),
    "mount-dest-null": (m0 + ("destination",), None),
    "mount-dest-relative": (m0 + ("destination",), "proc"),
    "mount-options-string": (m0 + ("options",), "ro"),
    "linux-array": ((L,), []), "namespaces-string": ((L, "namespaces"), "pid"),
    "namespace-type-int": ((L, "namespaces", 0, "type"), 5),
    "namespace-type-unknown": ((L, "namespaces", 0, "type"), "bogus"),
    "masked-string": ((L, "maskedPaths"), "/proc"), "readonly-int": ((L, "readonlyPaths"), [1]),
    "hooks-array": (("hooks",), []), "prestart-object": (("hooks", "prestart"), {}),
    "hook-path-int": (("hooks", "prestart"), [{"path": 1}]),
    "hook-path-relative": (("hooks", "prestart"), [{"path": "hook.sh"}]),
    "hook-timeout-string": (("hooks", "prestart"), [{"path": "/bin/true", "timeout": "1"}]),
    "hook-timeout-zero": (("hooks", "prestart"), [{"path": "/bin/true", "timeout": 0}]),
    "annotations-array": (("annotations",), []), "annotation-int": (("annotations",), {"a": 1}),
    "devices-object": ((L, "devices"), {}), "sysctl-array": ((L, "sysctl"), []),
}
for n, (p, v) in types.items():
    case("type-" + n, p, v)

nul = {
    "args": ((P, "args"), ["/bin/sh\u0000x"]), "env": ((P, "env"), ["A=b\u0000c"]),
    "env-name": ((P, "env"), ["A\u0000=b"]), "cwd": ((P, "cwd"), "/\u0000tmp"),
    "hostname": (("hostname",), "a\u0000b"), "root": (("root", "path"), base["root"]["path"] + "\u0000x"),
    "mount-dest": (m0 + ("destination",), "/proc\u0000x"), "mount-src": (m0 + ("source",), "pr\u0000oc"),
    "mount-option": (m0 + ("options",), ["nosuid\u0000,suid"]),
    "masked": ((L, "maskedPaths"), ["/proc/kcore\u0000"]),
    "hook-path": (("hooks", "prestart"), [{"path": "/bin/true\u0000"}]),
    "hook-arg": (("hooks", "prestart"), [{"path": "/bin/true", "args": ["t\u0000x"]}]),
    "cap": ((P, "capabilities", "bounding"), ["CAP_KILL\u0000"]),
    "ns-path": ((L, "namespaces"), [{"type": "mount"}, {"type": "network", "path": "/proc/1/ns/net\u0000x"}]),
}
for n, (p, v) in nul.items():
    case("nul-" + n, p, v)

# Sizes: over the 4 MiB cap; big but under it.
c = copy.deepcopy(base); c["annotations"] = {"pad": "x" * (5 << 20)}
raw("size-5mib", json.dumps(c))
case("size-hostname-100k", ("hostname",), "h" * 100000)
case("size-args-200k", (P, "args"), ["x"] * 200000)
case("size-cwd-64k", (P, "cwd"), "/" + "a" * 65536)
case("size-mount-dest-64k", m0 + ("destination",), "/" + "d/" * 32768)

t = json.dumps(base)
raw("nest-arrays-100k", t[:-1] + ', "annotations": {"a": ' + "[" * 100000 + "]" * 100000 + "}}")
raw("nest-objects-300", t[:-1] + ', "x": ' + '{"a":' * 300 + "1" + "}" * 300 + "}")
raw("nest-unclosed-1m", t[:-1] + ', "x": ' + "[" * 1000000)

nums = {
    "uid-huge": "1e400", "uid-20digits": "99999999999999999999", "uid-2pow32": "4294967296",
    "uid-negative": "-1", "uid-fraction": "1.5", "uid-exp": "1e2",
    "uid-leading-zero": "01", "uid-hex": "0x10", "uid-plus": "+1", "uid-nan": "NaN",
    "uid-inf": "Infinity",
}
for n, v in nums.items():
    raw("num-" + n, t.replace('"uid": 0', '"uid": ' + v, 1))
raw("num-rlimit-2pow64", t.replace('"soft": 1024', '"soft": 18446744073709551616', 1))
case("num-oom-range", (P, "oomScoreAdj"), 100000)
case("num-console-negative", (P, "consoleSize"), {"height": -1, "width": 80})
case("num-hook-timeout-negative", ("hooks", "prestart"), [{"path": "/bin/true", "timeout": -5}])

raw("dup-top", t[:-1] + ', "ociVersion": "1.0.2"}')
raw("dup-process", t.replace('"terminal": false', '"terminal": false, "terminal": false', 1))
raw("dup-hostname", t[:-1] + ', "hostname": "a", "hostname": "b"}')

raw("utf8-ff", t[:-1].encode() + b', "hostname": "a\xffb"}')
raw("utf8-overlong", t[:-1].encode() + b', "hostname": "\xc0\xaf"}')
raw("utf8-surrogate-bytes", t[:-1].encode() + b', "hostname": "\xed\xa0\x80"}')
raw("utf8-truncated", t[:-1].encode() + b', "hostname": "\xe2\x82"}')
raw("utf8-lone-surrogate", t[:-1] + ', "hostname": "\\ud800"}')
raw("utf8-bad-pair", t[:-1] + ', "hostname": "\\udc00\\ud800"}')
raw("utf8-bom", b"\xef\xbb\xbf" + t.encode())
raw("syntax-trailing", t + " x")
raw("syntax-two-docs", t + t)
raw("syntax-comment", "// c\n" + t)
raw("syntax-trailing-comma", t[:-1] + ",}")
raw("syntax-truncated", t[: len(t) // 2])
raw("syntax-empty", "")
raw("syntax-formfeed", "\f" + t)
raw("syntax-single-quotes", t.replace('"', "'"))
raw("syntax-control-char", t[:-1] + ', "hostname": "a\tb"}')
raw("syntax-bad-escape", t[:-1] + ', "hostname": "\\x41"}')
raw("syntax-key-case", t.replace('"process"', '"Process"', 1))

paths = {
    "mount-dotdot": (("mounts",), base["mounts"] + [{"destination": "/../../../../tmp/mr-hostile-escape", "type": "tmpfs", "source": "tmpfs"}]),
    "mount-dotdot-mid": (("mounts",), base["mounts"] + [{"destination": "/tmp/../../../mr-hostile-escape", "type": "tmpfs", "source": "tmpfs"}]),
    "cwd-dotdot": ((P, "cwd"), "/../../../tmp/mr-hostile-escape"),
    "masked-dotdot": ((L, "maskedPaths"), ["/../../../../tmp/mr-hostile-escape"]),
    "readonly-dotdot": ((L, "readonlyPaths"), ["/../../../../tmp/mr-hostile-escape"]),
}
for n, (p, v) in paths.items():
    case("path-" + n, p, v)
PY
