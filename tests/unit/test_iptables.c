/*
 * test_iptables.c - iptables_exec.c: the rules' argument vectors byte for byte (NETWORK.md
 * table), the same match for -C/-I/-D, refusal of bad names and subnets, and the exec
 * itself (clean env, no inherited fd, exit status and stderr) with /bin/sh standing in.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "iptables_exec.h"
#include "unit.h"

static struct ipt_net
net_of(const char *bridge, const char *addr, int prefix, const char *uplink)
{
	struct ipt_net n = {.bridge = bridge, .prefix = prefix, .uplink = uplink};

	inet_pton(AF_INET, addr, &n.addr);
	return n;
}

/* The vector joined with spaces. */
static const char *
joined(const struct ipt_argv *v)
{
	static char buf[1024];

	buf[0] = '\0';
	for (int i = 0; i < v->argc; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, v->argv[i]);
	}
	return v->argv[v->argc] == NULL ? buf : "(not NULL-terminated)";
}

TEST(masquerade_without_uplink)
{
	struct ipt_net n = net_of("runc0", "10.213.0.0", 16, NULL);
	struct ipt_argv v;

	CHECK(ipt_build("/usr/sbin/iptables", IPT_INSERT, IPT_RULE_MASQ, &n, &v, NULL) == 17);
	CHECK_STR(joined(&v), "/usr/sbin/iptables -w -t nat -I POSTROUTING -s 10.213.0.0/16 ! -o "
			      "runc0 -m comment --comment minirunc:runc0 -j MASQUERADE");
}

TEST(masquerade_with_uplink)
{
	struct ipt_net n = net_of("br1", "192.168.7.0", 24, "wlan0");
	struct ipt_argv v;

	CHECK(ipt_build("/sbin/iptables", IPT_CHECK, IPT_RULE_MASQ, &n, &v, NULL) > 0);
	CHECK_STR(joined(&v), "/sbin/iptables -w -t nat -C POSTROUTING -s 192.168.7.0/24 -o wlan0 "
			      "-m comment --comment minirunc:br1 -j MASQUERADE");
}

TEST(forward_rules)
{
	struct ipt_net n = net_of("runc0", "10.213.0.0", 16, NULL);
	struct ipt_argv v;

	CHECK(ipt_build("/usr/sbin/iptables", IPT_INSERT, IPT_RULE_FWD_OUT, &n, &v, NULL) > 0);
	CHECK_STR(joined(&v), "/usr/sbin/iptables -w -t filter -I FORWARD -i runc0 -m comment "
			      "--comment minirunc:runc0 -j ACCEPT");
	CHECK(ipt_build("/usr/sbin/iptables", IPT_DELETE, IPT_RULE_FWD_BACK, &n, &v, NULL) > 0);
	CHECK_STR(joined(&v), "/usr/sbin/iptables -w -t filter -D FORWARD -o runc0 -m conntrack "
			      "--ctstate RELATED,ESTABLISHED -m comment --comment minirunc:runc0 "
			      "-j ACCEPT");
}

/* -C, -I and -D differ in the op alone: what -C finds is exactly what -I made. */
TEST(same_vector_for_every_op)
{
	struct ipt_net n = net_of("runc0", "10.213.0.0", 16, NULL);
	struct ipt_argv c, i, d;

	for (int r = 0; r < IPT_RULE_COUNT; r++) {
		CHECK(ipt_build("/x/iptables", IPT_CHECK, (enum ipt_rule)r, &n, &c, NULL) > 0);
		CHECK(ipt_build("/x/iptables", IPT_INSERT, (enum ipt_rule)r, &n, &i, NULL) > 0);
		CHECK(ipt_build("/x/iptables", IPT_DELETE, (enum ipt_rule)r, &n, &d, NULL) > 0);
		CHECK(c.argc == i.argc && i.argc == d.argc);
		CHECK_STR(c.argv[4], "-C");
		CHECK_STR(i.argv[4], "-I");
		CHECK_STR(d.argv[4], "-D");
		for (int k = 0; k < c.argc; k++) {
			if (k == 4)
				continue;
			CHECK(strcmp(c.argv[k], i.argv[k]) == 0 &&
			      strcmp(i.argv[k], d.argv[k]) == 0);
		}
	}
}

TEST(bad_input_refused)
{
	struct err e;
	struct ipt_argv v;
	struct ipt_net n;

	n = net_of("a-bridge-name-too-long", "10.0.0.0", 8, NULL);
	CHECK(ipt_build("/sbin/iptables", IPT_CHECK, IPT_RULE_MASQ, &n, &v, &e) == -1);
	CHECK(errno == EINVAL && strstr(e.msg, "bridge"));
	n = net_of("br 0", "10.0.0.0", 8, NULL);
	CHECK(ipt_build("/sbin/iptables", IPT_CHECK, IPT_RULE_MASQ, &n, &v, &e) == -1);
	n = net_of("-j", "10.0.0.0", 8, NULL);
	CHECK(ipt_build("/sbin/iptables", IPT_CHECK, IPT_RULE_MASQ, &n, &v, &e) == -1);
	n = net_of("runc0", "10.0.0.0", 8, "eth0;rm");
	CHECK(ipt_build("/sbin/iptables", IPT_CHECK, IPT_RULE_MASQ, &n, &v, &e) == -1);
	CHECK(strstr(e.msg, "uplink") != NULL);
	n = net_of("runc0", "10.0.0.1", 8, NULL); /* host bits */
	CHECK(ipt_build("/sbin/iptables", IPT_CHECK, IPT_RULE_MASQ, &n, &v, &e) == -1);
	n = net_of("runc0", "10.0.0.0", 33, NULL);
	CHECK(ipt_build("/sbin/iptables", IPT_CHECK, IPT_RULE_MASQ, &n, &v, &e) == -1);
	n = net_of("runc0", "10.0.0.0", 8, NULL);
	CHECK(ipt_build("iptables", IPT_CHECK, IPT_RULE_MASQ, &n, &v, &e) == -1);
	CHECK(ipt_build(NULL, IPT_CHECK, IPT_RULE_MASQ, &n, &v, &e) == -1);
}

TEST(status_texts)
{
	CHECK(strstr(ipt_status_text(1), "absent") != NULL);
	CHECK(strstr(ipt_status_text(2), "usage") != NULL);
	CHECK(strstr(ipt_status_text(4), "lock") != NULL);
	CHECK(strstr(ipt_status_text(127), "not found") != NULL);
	CHECK(strstr(ipt_status_text(137), "signal") != NULL);
}

TEST(find_binary)
{
	char buf[256];
	struct err e;

	CHECK(ipt_find("/nonexistent/iptables", buf, sizeof(buf), &e) == -1);
	CHECK(strstr(e.msg, "/nonexistent/iptables") != NULL);
	CHECK(ipt_find("iptables", buf, sizeof(buf), &e) == -1);
	CHECK(strstr(e.msg, "absolute") != NULL);
	CHECK(ipt_find("/bin/sh", buf, sizeof(buf), &e) == 0);
	CHECK_STR(buf, "/bin/sh");
}

/* A hand-made vector run through ipt_exec: /bin/sh stands in for iptables. */
static int
run_sh(const char *script, char *text, size_t cap)
{
	struct ipt_argv v = {.argc = 3};
	struct err e;

	strcpy(v.bin, "/bin/sh");
	v.argv[0] = v.bin;
	v.argv[1] = "-c";
	v.argv[2] = (char *)script;
	return ipt_exec(&v, text, cap, &e);
}

TEST(exec_status_and_stderr)
{
	char text[128];

	CHECK(run_sh("exit 0", text, sizeof(text)) == 0);
	CHECK(run_sh("echo 'Another app holds the lock' >&2; echo more >&2; exit 4", text,
		     sizeof(text)) == 4);
	CHECK_STR(text, "Another app holds the lock");
	CHECK(run_sh("kill -9 $$", text, sizeof(text)) == 128 + 9);
}

TEST(exec_clean_env_and_fds)
{
	char text[128];
	int leak = open("/dev/null", O_RDONLY); /* not O_CLOEXEC on purpose */

	setenv("MR_SECRET", "x", 1);
	CHECK(run_sh("test \"$(env | grep -v '^PWD=\\|^SHLVL=\\|^_=' | sort | tr '\\n' ' ')\" = "
		     "'PATH=/usr/sbin:/usr/bin:/sbin:/bin '",
		     text, sizeof(text)) == 0);
	CHECK(run_sh("for f in /proc/self/fd/*; do n=${f##*/}; [ $n -le 3 ] || exit 9; done", text,
		     sizeof(text)) == 0);
	close(leak);
}

int
main(void)
{
	RUN(masquerade_without_uplink);
	RUN(masquerade_with_uplink);
	RUN(forward_rules);
	RUN(same_vector_for_every_op);
	RUN(bad_input_refused);
	RUN(status_texts);
	RUN(find_binary);
	RUN(exec_status_and_stderr);
	RUN(exec_clean_env_and_fds);
	UNIT_END();
}
