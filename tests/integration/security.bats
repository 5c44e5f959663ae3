#!/usr/bin/env bats
# security.bats - the known runc escapes (SECURITY.md, one test or more per
# row) end to end through minirunc's CLI (issue 6).  Each test says what it
# proves and which defence would have to go for it to fail; where that was
# tried (a build of minirunc with the defence removed), the comment says so.
# tests/rootfs_selftest.c checks some of the same at the rootfs.c level.
#
# runc counterpart: tests/integration/cve-2019-5736.bats, cwd.bats, fd
# checks in exec.bats, mask.bats, dev.bats, tty.bats of runc.

load helpers
load security_helpers

setup() {
	mr_setup
	U=${TAG#mr-test.} # unique word for host paths outside $T
}

teardown() {
	rm -rf "/tmp/mr-x-$U" "/tmp/mr-hostdir-$U" "/tmp/mr-fakeproc-$U"
	mr_teardown
}

# ------------------------------------------------------------ CVE-2019-5736

@test "CVE-2019-5736: a created container's /proc/<init>/exe is a sealed memfd, not writable" {
	# Fails if selfexe.c's re-exec is removed: exe would be the host binary.
	sec_install try
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
	mr create --bundle "$B" "$ID" </dev/null
	pid=$(mr_pid)
	target=$(readlink "/proc/$pid/exe")
	echo "exe -> $target"
	[[ "$target" == /memfd:* ]]
	run "$SEC_BIN/try" w "/proc/$pid/exe"
	echo "$output"
	[[ "$output" != *" ok" ]]
	# The seals hold even through a fresh open of the same file.
	run python3 -c 'import fcntl,os,sys; fd=os.open(sys.argv[1], os.O_RDONLY); print(fcntl.fcntl(fd, 1034))' "/proc/$pid/exe"
	echo "F_GET_SEALS: $output"
	[ "$status" = 0 ]
	(( (output & 15) == 15 )) # SEAL|SHRINK|GROW|WRITE
	mr delete -f "$ID"
}

# The attack of the CVE: a process in the container holds the exe of a
# runtime process and, once nothing runs it any more, reopens it for writing
# through /proc/self/fd.  minirunc is a COPY in $T/bin, so nothing real is at
# risk; the test fails on that copy's hash.
setup_5736() {
	sec_install ow
	mkdir -p "$T/bin"
	cp "$MINIRUNC" "$T/bin/minirunc"
	MINIRUNC=$T/bin/minirunc
	HASH=$(sha "$MINIRUNC")
}

@test "CVE-2019-5736: a process inside holding the waiting init's exe cannot write the host binary" {
	# The container gets CAP_SYS_PTRACE so that PR_SET_DUMPABLE (the other
	# layer) does not stop the attacker from opening /proc/1/exe: this test
	# isolates the sealed memfd.  Tried: with selfexe_ensure_sealed() made a
	# no-op, the attacker writes into $T/bin/minirunc and this test fails.
	setup_5736
	cfg "$B" 'p["args"] = ["/bin/sleep", "5"]' \
		'p["capabilities"] = {k: ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE", "CAP_SYS_PTRACE"] for k in ("bounding", "effective", "permitted")}'
	mr create --bundle "$B" "$ID" </dev/null
	mr exec -d "$ID" /bin/ow pid:1 - </dev/null >"$T/ow.out" 2>&1
	wait_for grep -q '^direct open' "$T/ow.out"
	mr start "$ID"
	wait_for grep -q '^RESULT' "$T/ow.out"
	cat "$T/ow.out"
	grep -q '^exe 1 -> /memfd:' "$T/ow.out"
	! grep -q '^RESULT wrote' "$T/ow.out" || false
	[ "$(sha "$MINIRUNC")" = "$HASH" ]
	mr delete -f "$ID"
}

# The `#!/proc/self/exe` forms.  The script passes --log=FIFO so that the
# runtime-as-interpreter blocks until the attacker holds its exe: no race.
# Measured on the 6.18 kernel here: execve of such a script from a minirunc
# process inside the container fails with ENOENT (with or without the memfd
# re-exec), so the attacker finds nothing to hold; on a kernel that runs it,
# the attacker gets the exe and the hash check is what decides.
setup_shebang() {
	setup_5736
	mkfifo "$B/rootfs/tmp/fifo"
	printf '#!/proc/self/exe --log=/tmp/fifo\n' >"$B/rootfs/bin/evil"
	chmod 755 "$B/rootfs/bin/evil"
}

check_shebang() {
	echo "attacker:"
	cat "$T/ow.out"
	grep -q '^RESULT' "$T/ow.out"
	! grep -q '^RESULT wrote' "$T/ow.out" || false
	if ! grep -q '^exe ' "$T/ow.out"; then
		echo "the script never ran as the runtime: $1"
		[[ "$1" == *"/bin/evil: No such file or directory"* ]]
	fi
	[ "$(sha "$MINIRUNC")" = "$HASH" ]
}

@test "CVE-2019-5736: #!/proc/self/exe run by \`minirunc exec\` leaves the host binary's hash unchanged" {
	setup_shebang
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
	mr run -d --bundle "$B" "$ID" </dev/null >/dev/null
	mr exec -d "$ID" /bin/ow /proc/self/exe /tmp/fifo </dev/null >"$T/ow.out" 2>&1
	# The host side: a process joining via exec runs the script.
	err=$(timeout 15 "$MINIRUNC" --root "$T/root-mr" exec "$ID" /bin/evil </dev/null 2>&1) || true
	wait_for grep -q '^RESULT' "$T/ow.out" || wait_for grep -q '^RESULT' "$T/ow.out"
	check_shebang "$err"
	mr delete -f "$ID"
}

@test "CVE-2019-5736: a #!/proc/self/exe entrypoint leaves the host binary's hash unchanged" {
	# No pid namespace, as in the original exploit (a host-pid container):
	# the attacker must outlive the init.
	setup_shebang
	cfg "$B" 'p["args"] = ["/bin/evil"]' \
		'l["namespaces"] = [n for n in l["namespaces"] if n["type"] != "pid"]'
	mr create --bundle "$B" "$ID" </dev/null
	mr exec -d "$ID" /bin/ow /proc/self/exe /tmp/fifo </dev/null >"$T/ow.out" 2>&1
	err=$(mr start "$ID" 2>&1) || true
	wait_for grep -q '^RESULT' "$T/ow.out" || wait_for grep -q '^RESULT' "$T/ow.out"
	check_shebang "$err"
	mr delete -f "$ID"
}

# ------------------------------------------------------------ CVE-2024-21626

@test "CVE-2024-21626: the container's process holds only fds 0-2, even with fds leaked by the caller" {
	echo secret >"$T/hostfile"
	# 7 is the host's /, 8 a host file: inherited by minirunc, without CLOEXEC.
	( exec 7</ 8<"$T/hostfile"; run_rt "$MINIRUNC" mr "$B" )
	cat "$T/mr.err"
	[ "$RT_STATUS" = 0 ] || true
	grep '^fd: ' "$T/mr.out"
	[ "$(grep -c '^fd: ' "$T/mr.out")" = 3 ]
	[ "$(grep '^fd: ' "$T/mr.out" | cut -d' ' -f2 | tr '\n' ' ')" = "0 1 2 " ]
}

@test "CVE-2024-21626: /proc/self/fd/7 of a caller-leaked fd reaches nothing from inside" {
	sec_install try
	echo secret >"$T/hostfile"
	cfg "$B" 'p["args"] = ["/bin/try", "l", "/proc/self/fd/7", "/proc/self/fd/8", "/proc/1/fd/7", "r", "/proc/self/fd/8", "c", "/proc/self/fd/7"]'
	( exec 7</ 8<"$T/hostfile"; mr run --bundle "$B" "$ID" </dev/null >"$T/out" 2>&1 )
	cat "$T/out"
	grep -qx '/proc/self/fd/7 ENOENT' "$T/out"
	grep -qx '/proc/self/fd/8 ENOENT' "$T/out"
	! grep -q ' ok$\| -> \| cwd ' "$T/out" || false
}

@test "CVE-2024-21626: cwd /proc/self/fd/3 ... /proc/self/fd/20 fails or lands inside the rootfs" {
	# With every fd layer removed (close_range at start, CLOEXEC, the close
	# before execve) the raw getcwd check (process.c proc_verify_cwd) is what
	# still stops a cwd outside the root; an fd of the caller is leaked on
	# purpose at 7 and 9 so that there is something to reach.
	cfg "$B" 'p["args"] = ["/bin/probe"]'
	for n in $(seq 3 20); do
		cfg_set "$B" .process.cwd "\"/proc/self/fd/$n\""
		st=0
		( exec 7</ 9</tmp; timeout 20 "$MINIRUNC" --root "$T/root-mr" run --bundle "$B" "$ID-$n" \
			</dev/null >"$T/out" 2>"$T/err" ) || st=$?
		cwd=$(sed -n 's/^cwd: //p' "$T/out")
		echo "fd $n: status $st, cwd '$cwd', err: $(cat "$T/err")"
		if [ "$st" = 0 ]; then
			# Inside: a path in the container, never the host's.
			[[ "$cwd" == /* ]]
			[[ "$cwd" != /tmp* ]] || [ -d "$B/rootfs$cwd" ]
		else
			[ "$(wc -l <"$T/err")" = 1 ]
			grep -q '^minirunc: ' "$T/err"
		fi
		[ ! -e "$T/root-mr/$ID-$n" ]
	done
}

# ------------------------------------------------------------ CVE-2021-30465

@test "CVE-2021-30465: a mount under a symlink to ../../../../tmp/x lands in the rootfs, not on the host" {
	# Fails if mount destinations are resolved by string in the host view.
	x=/tmp/mr-x-$U
	ln -s "../../../..$x" "$B/rootfs/a"
	cfg "$B" 'c["mounts"].append({"destination": "/a/b", "type": "tmpfs", "source": "tmpfs"})'
	snapshot "$T/snap.before"
	run_rt "$MINIRUNC" mr "$B"
	cat "$T/mr.err"
	grep '^mount: ' "$T/mr.out" | grep -e "$x" -e ' /a' || true
	[ "$RT_STATUS" = 0 ]
	grep -q "^mount: $x/b tmpfs" "$T/mr.out"
	[ -d "$B/rootfs$x/b" ]
	[ ! -e "$x" ]
	assert_nothing_left "$T/snap.before"
}

@test "CVE-2021-30465: an absolute symlink (/a -> /tmp/x) also stays in the rootfs" {
	x=/tmp/mr-x-$U
	mkdir "$x"
	ln -s "$x" "$B/rootfs/a"
	cfg "$B" 'c["mounts"].append({"destination": "/a/b", "type": "tmpfs", "source": "tmpfs"})'
	run_rt "$MINIRUNC" mr "$B"
	cat "$T/mr.err"
	[ "$RT_STATUS" = 0 ]
	[ -z "$(ls -A "$x")" ]
	[ -d "$B/rootfs$x/b" ]
}

# ------------------------------------------------------------ CVE-2019-16884

@test "CVE-2019-16884: rootfs/proc a symlink: run fails with a clear error, nothing left" {
	mkdir -p "/tmp/mr-fakeproc-$U"
	rmdir "$B/rootfs/proc"
	ln -s "/tmp/mr-fakeproc-$U" "$B/rootfs/proc"
	expect_bad_input 'proc'
	[ -z "$(ls -A "/tmp/mr-fakeproc-$U")" ]
}

@test "CVE-2019-16884: rootfs/proc a relative symlink to a directory of the rootfs: refused" {
	rmdir "$B/rootfs/proc"
	mkdir "$B/rootfs/fakeproc"
	ln -s fakeproc "$B/rootfs/proc"
	expect_bad_input 'proc'
}

# ------------------------------------------------------------ CVE-2025-31133

@test "CVE-2025-31133: rootfs/dev/null a symlink to a host file: fails, or the masks are still 1:3" {
	# Fails if the mask source is opened by path and followed: the masked
	# paths would then be binds of the host file, written through below.
	busybox_links stat
	no_dev_tmpfs
	echo "host data" >"$T/hostfile"
	h=$(sha "$T/hostfile")
	ln -sf "$T/hostfile" "$B/rootfs/dev/null"
	cfg "$B" 'p["args"] = ["sh", "-c", "for f in /proc/kcore /proc/keys /proc/timer_list; do stat -c \"$f %t:%T %F\" $f; echo pwned >$f; done; true"]'
	st=0
	mr run --bundle "$B" "$ID" </dev/null >"$T/out" 2>"$T/err" || st=$?
	echo "status $st"
	cat "$T/out" "$T/err"
	if [ "$st" = 0 ]; then
		grep -q '^/proc/kcore 1:3 character special file$' "$T/out"
		! grep -v ' 1:3 character special file$' "$T/out" || false
	else
		[ "$(wc -l <"$T/err")" = 1 ]
		grep -q '^minirunc: ' "$T/err"
	fi
	[ "$(sha "$T/hostfile")" = "$h" ]
	[ ! -L "$T/hostfile" ]
}

# ------------------------------------------------------------ CVE-2025-52565

@test "CVE-2025-52565: a planted /dev/console symlink is never followed; console has stdin's rdev" {
	require_cmd python3
	busybox_links stat
	no_dev_tmpfs
	echo "host data" >"$T/hostfile"
	h=$(sha "$T/hostfile")
	ln -sf "$T/hostfile" "$B/rootfs/dev/console"
	cfg "$B" 'p["terminal"] = True' \
		'p["args"] = ["sh", "-c", "echo C=$(stat -L -c %t:%T /dev/console) I=$(stat -L -c %t:%T /proc/self/fd/0) L=$(stat -c %F /dev/console); echo pwned >/dev/console"]'
	timeout 20 python3 "$MR_TOP/tests/ptyrun.py" '' "$MINIRUNC" --root "$T/root-mr" run \
		--bundle "$B" "$ID" >"$T/pty"
	cat "$T/pty"
	if grep -qx 'status 0' "$T/pty"; then
		c=$(grep -o 'C=[0-9a-f:]*' "$T/pty")
		i=$(grep -o 'I=[0-9a-f:]*' "$T/pty")
		[ "${c#C=}" = "${i#I=}" ]
		grep -q 'L=character special file' "$T/pty"
	else
		grep -q 'minirunc: ' "$T/pty"
	fi
	[ "$(sha "$T/hostfile")" = "$h" ]
	[ ! -L "$T/hostfile" ] && [ -f "$T/hostfile" ]
}

# ------------------------------------------------------------ CVE-2026-41579

@test "CVE-2026-41579: rootfs/dev -> /tmp/hostdir: nothing new appears there (no /dev tmpfs)" {
	# Fails if device nodes or /dev links are made by path through rootfs/dev.
	d=/tmp/mr-hostdir-$U
	mkdir "$d"
	no_dev_tmpfs
	cfg "$B" 'c["mounts"] = [m for m in c["mounts"] if not m["destination"].startswith("/dev")]' \
		'p["args"] = ["true"]'
	rm -rf "$B/rootfs/dev"
	ln -s "$d" "$B/rootfs/dev"
	st=0
	mr run --bundle "$B" "$ID" </dev/null >"$T/out" 2>"$T/err" || st=$?
	echo "status $st"
	cat "$T/out" "$T/err"
	ls -la "$d"
	[ -z "$(ls -A "$d")" ]
	[ "$st" = 0 ] || { [ "$(wc -l <"$T/err")" = 1 ] && grep -q '^minirunc: ' "$T/err"; }
}

@test "CVE-2026-41579: rootfs/dev -> /tmp/hostdir with the default /dev tmpfs: nothing appears there" {
	d=/tmp/mr-hostdir-$U
	mkdir "$d"
	cfg "$B" 'p["args"] = ["true"]'
	rm -rf "$B/rootfs/dev"
	ln -s "$d" "$B/rootfs/dev"
	st=0
	mr run --bundle "$B" "$ID" </dev/null >"$T/out" 2>"$T/err" || st=$?
	echo "status $st"
	cat "$T/out" "$T/err"
	[ -z "$(ls -A "$d")" ]
	! grep -q " $d " /proc/self/mounts || false
}

# ------------------------------------------------------------ CVE-2016-9962

@test "CVE-2016-9962: the init waiting for start is not reachable through /proc from inside" {
	# While `create` has returned, pid 1 of the container is still minirunc
	# (holding the start socket, the host's environment). A process joining
	# by `minirunc exec` has the same uid and capabilities, so only
	# PR_SET_DUMPABLE 0 (init.c) denies it /proc/1/{environ,fd,exe,cwd,mem}.
	# Tried: without that prctl every line below reads "ok" or a target.
	# (Listing /proc/1/fd shows fd numbers even so: names only, no targets.)
	sec_install try
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
	MR_SECRET=host-secret-$U mr create --bundle "$B" "$ID" </dev/null
	run mr exec "$ID" /bin/try r /proc/1/environ /proc/1/mem L /proc/1/fd l /proc/1/exe /proc/1/cwd /proc/1/root /proc/1/fd/0 c /proc/1/cwd
	echo "$output"
	[ "$status" = 0 ]
	[ "$(echo "$output" | grep -c .)" = 8 ]
	! echo "$output" | grep -q ' ok$\| -> \| cwd ' || false
	mr delete -f "$ID"
}

@test "CVE-2016-9962: a process joining via exec is not readable from inside while it is still minirunc" {
	# /etc/passwd is swapped for a FIFO once the container runs: the joining
	# process (after setns, before execve) blocks reading it (process.c
	# proc_passwd_home), and the container's own process looks at it then.
	sec_install try
	cat >"$B/rootfs/bin/watch" <<'EOF'
#!/bin/sh
rm /etc/passwd; mkfifo /etc/passwd; touch /tmp/ready
for i in $(seq 200); do
	for p in /proc/[0-9]*; do
		n=${p#/proc/}
		[ "$n" = 1 ] || [ "$n" = $$ ] && continue
		[ -e /tmp/seen ] && break
		grep -q . $p/cmdline 2>/dev/null || continue
		case $(cat $p/cmdline | tr '\0' ' ') in *"/bin/true"*) ;; *) continue ;; esac
		/bin/try r $p/environ L $p/fd l $p/exe $p/cwd > /tmp/seen
	done
	[ -e /tmp/seen ] && break
	sleep 0.05
done
echo "root:x:0:0:root:/root:/bin/sh" > /etc/passwd
sleep 30
EOF
	chmod 755 "$B/rootfs/bin/watch"
	busybox_links rm mkfifo touch seq grep tr
	cfg "$B" 'p["args"] = ["/bin/watch"]' 'c["root"]["readonly"] = False'
	mr run -d --bundle "$B" "$ID" </dev/null >/dev/null
	wait_for test -e "$B/rootfs/tmp/ready"
	timeout 20 "$MINIRUNC" --root "$T/root-mr" exec "$ID" /bin/true
	cat "$B/rootfs/tmp/seen"
	[ "$(grep -c . "$B/rootfs/tmp/seen")" = 4 ]
	! grep -q ' ok$\| -> ' "$B/rootfs/tmp/seen" || false
	mr delete -f "$ID"
}

# ------------------------------------------------------------ capabilities

@test "CVE-2022-29162: default spec: CapInh/CapAmb 0, the rest exactly the configured set, NoNewPrivs 1" {
	cfg "$B" 'p["capabilities"] = {k: ["CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"] for k in ("bounding", "effective", "permitted")}'
	run_rt "$MINIRUNC" mr "$B"
	cat "$T/mr.err"
	[ "$RT_STATUS" = 0 ]
	grep -E '^(Cap|NoNew)' "$T/mr.out" || cat "$T/mr.out"
	grep -qx 'CapInh: 0000000000000000' "$T/mr.out"
	grep -qx 'CapAmb: 0000000000000000' "$T/mr.out"
	grep -qx 'CapBnd: 0000000020000420' "$T/mr.out"
	grep -qx 'CapPrm: 0000000020000420' "$T/mr.out"
	grep -qx 'CapEff: 0000000020000420' "$T/mr.out"
	grep -qx 'NoNewPrivs: 1' "$T/mr.out"
}

@test "capabilities: inheritable and ambient only as listed, bounding exactly the configured set" {
	cfg "$B" 'p["capabilities"] = {"bounding": ["CAP_KILL", "CAP_CHOWN"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL", "CAP_CHOWN"], "inheritable": ["CAP_CHOWN"], "ambient": ["CAP_CHOWN"]}'
	run_rt "$MINIRUNC" mr "$B"
	cat "$T/mr.err"
	[ "$RT_STATUS" = 0 ]
	grep -E '^Cap' "$T/mr.out"
	# CAP_CHOWN = bit 0, CAP_KILL = bit 5.  Ambient needs the cap in
	# inheritable and permitted, so the ambient CHOWN shows in effective too.
	grep -qx 'CapBnd: 0000000000000021' "$T/mr.out"
	grep -qx 'CapInh: 0000000000000001' "$T/mr.out"
	grep -qx 'CapAmb: 0000000000000001' "$T/mr.out"
	grep -qx 'CapPrm: 0000000000000021' "$T/mr.out"
}

@test "capabilities: none configured: every set empty" {
	cfg "$B" 'del p["capabilities"]'
	run_rt "$MINIRUNC" mr "$B"
	[ "$RT_STATUS" = 0 ]
	for s in Inh Prm Eff Bnd Amb; do
		grep -qx "Cap$s: 0000000000000000" "$T/mr.out"
	done
}

# ------------------------------------------------------------ fail closed

@test "fail closed: a linux.seccomp minirunc cannot compile is refused, never ignored" {
	cfg "$B" 'l["seccomp"] = {"defaultAction": "SCMP_ACT_ERRNO", "syscalls": [{"names": ["read"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "value": 1, "op": "SCMP_CMP_SOMETIMES"}]}]}'
	expect_bad_input 'linux\.seccomp\.syscalls\[0\]\.args\[0\]\.op'
}

@test "fail closed: process.apparmorProfile is refused" {
	cfg "$B" 'p["apparmorProfile"] = "docker-default"'
	expect_bad_input 'apparmor'
}

@test "fail closed: process.selinuxLabel is refused" {
	cfg "$B" 'p["selinuxLabel"] = "system_u:system_r:container_t:s0"'
	expect_bad_input 'selinux'
}

@test "fail closed: linux.mountLabel is refused" {
	cfg "$B" 'l["mountLabel"] = "system_u:object_r:container_file_t:s0"'
	expect_bad_input 'mountLabel'
}

@test "fail closed: linux.intelRdt is refused" {
	cfg "$B" 'l["intelRdt"] = {"closID": "x"}'
	expect_bad_input 'intelRdt'
}

@test "fail closed: a user namespace without mappings is refused" {
	cfg "$B" 'l["namespaces"].append({"type": "user"})'
	expect_bad_input 'uidMappings'
}

@test "fail closed: uidMappings without a user namespace are refused" {
	cfg "$B" 'l["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]' \
		'l["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]'
	expect_bad_input 'mappings'
}

@test "fail closed: exec refuses --apparmor and --process-label" {
	cfg "$B" 'p["args"] = ["/bin/sleep", "30"]'
	mr run -d --bundle "$B" "$ID" </dev/null >/dev/null
	for opt in --apparmor=x --process-label=x; do
		run mr exec "$opt" "$ID" /bin/true
		echo "$opt: $status $output"
		[ "$status" != 0 ]
		[ "${#lines[@]}" = 1 ]
		[[ "$output" == minirunc:* ]]
	done
	mr delete -f "$ID"
}
