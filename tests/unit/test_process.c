/*
 * test_process.c - the pure parts of process.c: capability masks, Go's
 * filepath.Clean and exec.LookPath as runc 1.1.5 uses them (against a temp
 * dir), the environment runc hands to execve, the home directory from a
 * passwd file, creating cwd, and the fd closing helpers.  No root needed;
 * the capability and user steps themselves are checked as root against runc
 * (see the report / integration tests).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "process.h"
#include "unit.h"

static char tmp[256];

static void
make_file(const char *rel, mode_t mode, const char *text)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd >= 0) {
		if (text)
			write_all(fd, text, strlen(text));
		fchmod(fd, mode);
		close(fd);
	}
}

static void
make_dir(const char *rel)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	mkdir(path, 0755);
}

TEST(cap_masks)
{
	uint32_t w[2];
	int last = proc_cap_last();

	CHECK(proc_cap_known(40) == 0x1ffffffffffull);
	CHECK(proc_cap_known(63) == ~0ull);
	CHECK(proc_cap_known(0) == 1);
	CHECK(proc_cap_known(-1) == 0);
	CHECK(last >= 36 && last <= 63);
	proc_cap_split(0x0000012320000420ull, w);
	CHECK(w[0] == 0x20000420u && w[1] == 0x123u);
	proc_cap_split(~0ull, w);
	CHECK(w[0] == 0xffffffffu && w[1] == 0xffffffffu);
}

static const char *
clean(const char *in)
{
	static char out[64];

	if (proc_path_clean(in, out, sizeof(out)) < 0)
		return "(error)";
	return out;
}

TEST(path_clean_like_go)
{
	char small[4];

	CHECK_STR(clean("/bin/../bin//sh"), "/bin/sh");
	CHECK_STR(clean(""), ".");
	CHECK_STR(clean("/"), "/");
	CHECK_STR(clean("//"), "/");
	CHECK_STR(clean("/.."), "/");
	CHECK_STR(clean("/a/b/../../.."), "/");
	CHECK_STR(clean("./x"), "x");
	CHECK_STR(clean("a/.."), ".");
	CHECK_STR(clean("a/../../b"), "../b");
	CHECK_STR(clean("../../x"), "../../x");
	CHECK_STR(clean("../a/../.."), "../..");
	CHECK_STR(clean("x/./y/"), "x/y");
	CHECK_STR(clean("/usr/local/../bin/"), "/usr/bin");
	CHECK(proc_path_clean("/abcdef", small, sizeof(small)) < 0 && errno == ENAMETOOLONG);
}

/* tmp/bin/prog (0755), tmp/bin/noexec (0644), tmp/xdir/prog a directory. */
static void
lookpath_tree(void)
{
	make_dir("bin");
	make_dir("xdir");
	make_dir("xdir/prog");
	make_file("bin/prog", 0755, "#!/bin/sh\n");
	make_file("bin/noexec", 0644, "");
}

TEST(lookpath_through_path)
{
	char path[600], want[512], out[512];
	struct err e = {""};

	lookpath_tree();
	/* A directory and a non-executable are skipped; the PATH is cleaned. */
	snprintf(path, sizeof(path), "%s/xdir:%s//bin/", tmp, tmp);
	snprintf(want, sizeof(want), "%s/bin/prog", tmp);
	CHECK(proc_lookpath("prog", path, out, sizeof(out), &e) == 0);
	CHECK_STR(out, want);
	CHECK(proc_lookpath("noexec", path, out, sizeof(out), &e) < 0);
	CHECK_STR(e.msg, "exec: \"noexec\": executable file not found in $PATH");
	/* No PATH at all, or an empty one: nothing is searched (runc has no default). */
	CHECK(proc_lookpath("prog", NULL, out, sizeof(out), &e) < 0);
	CHECK_STR(e.msg, "exec: \"prog\": executable file not found in $PATH");
	CHECK(proc_lookpath("prog", "", out, sizeof(out), &e) < 0);
	/* Too small an output buffer is an error, not a cut path. */
	CHECK(proc_lookpath("prog", path, out, 8, &e) < 0 && errno == ENAMETOOLONG);
}

TEST(lookpath_relative_elements)
{
	char cwd[512], out[512], bin[512], both[520];
	struct err e = {""};

	lookpath_tree();
	snprintf(bin, sizeof(bin), "%s/bin", tmp);
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir(bin) == 0);
	/* Go >= 1.19: found through "." or "" is refused (exec.ErrDot). */
	CHECK(proc_lookpath("prog", "/nonexistent:", out, sizeof(out), &e) < 0);
	CHECK_STR(e.msg, "exec: \"prog\": cannot run executable found relative to current "
			 "directory");
	CHECK(proc_lookpath("prog", ":/nonexistent", out, sizeof(out), &e) < 0);
	CHECK(proc_lookpath("prog", "/nonexistent::/x", out, sizeof(out), &e) < 0);
	CHECK(strstr(e.msg, "relative") != NULL);
	CHECK(proc_lookpath("prog", ".", out, sizeof(out), &e) < 0);
	CHECK(strstr(e.msg, "relative") != NULL);
	/* An absolute element before the relative one wins. */
	CHECK(proc_lookpath("prog", "/nonexistent", out, sizeof(out), &e) < 0);
	snprintf(both, sizeof(both), "%s:.", bin);
	CHECK(proc_lookpath("prog", both, out, sizeof(out), &e) == 0);
	CHECK(chdir(cwd) == 0);
}

TEST(lookpath_with_slash)
{
	char name[512], out[512], want[1200];
	struct err e = {""};

	lookpath_tree();
	snprintf(name, sizeof(name), "%s//bin/prog", tmp);
	CHECK(proc_lookpath(name, NULL, out, sizeof(out), &e) == 0);
	CHECK_STR(out, name); /* used as is, not cleaned */
	snprintf(name, sizeof(name), "%s/bin/missing", tmp);
	CHECK(proc_lookpath(name, "/bin", out, sizeof(out), &e) < 0);
	snprintf(want, sizeof(want), "exec: \"%s\": stat %s: no such file or directory", name,
		 name);
	CHECK_STR(e.msg, want);
	snprintf(name, sizeof(name), "%s/bin", tmp);
	CHECK(proc_lookpath(name, NULL, out, sizeof(out), &e) < 0);
	snprintf(want, sizeof(want), "exec: \"%s\": permission denied", name);
	CHECK_STR(e.msg, want);
	snprintf(name, sizeof(name), "%s/bin/noexec", tmp);
	CHECK(proc_lookpath(name, NULL, out, sizeof(out), &e) < 0);
	CHECK(strstr(e.msg, "permission denied") != NULL);
}

static int
env_len(char **env)
{
	int n = 0;

	while (env && env[n])
		n++;
	return n;
}

TEST(env_dedup_and_home)
{
	char *in[] = {"PATH=/bin", "A=1", "TERM=xterm", "A=2", "HOME=", NULL};
	char *keep[] = {"HOME=/mine", NULL};
	struct err e = {""};
	char **env;

	env = proc_env_build(in, "/home/u", &e);
	CHECK(env && env_len(env) == 4);
	if (env) {
		CHECK_STR(env[0], "PATH=/bin");
		CHECK_STR(env[1], "A=2"); /* first place, last value: Go's os.Setenv */
		CHECK_STR(env[2], "TERM=xterm");
		CHECK_STR(env[3], "HOME=/home/u"); /* empty HOME replaced in place */
		CHECK_STR(proc_env_get(env, "A"), "2");
		CHECK(proc_env_get(env, "AB") == NULL);
	}
	free(env);
	env = proc_env_build(keep, "/", &e);
	CHECK(env && env_len(env) == 1);
	CHECK_STR(env ? env[0] : NULL, "HOME=/mine");
	free(env);
	env = proc_env_build(NULL, "/", &e);
	CHECK(env && env_len(env) == 1);
	CHECK_STR(env ? env[0] : NULL, "HOME=/");
	free(env);
}

TEST(env_errors_like_runc)
{
	char *noeq[] = {"PATH=/bin", "NOEQ", NULL};
	char *noname[] = {"=x", NULL};
	struct err e = {""};

	CHECK(proc_env_build(noeq, "/", &e) == NULL);
	CHECK_STR(e.msg, "invalid environment variable: \"NOEQ\"");
	CHECK(proc_env_build(noname, "/", &e) == NULL);
	CHECK_STR(e.msg, "environment variable name can't be empty: \"=x\"");
}

TEST(passwd_home)
{
	char path[512], home[64];

	make_file("passwd", 0644,
		  "root:x:0:0:root:/root:/bin/sh\n"
		  "broken line\n"
		  "bad:x:notanumber:0::/bad:/bin/sh\n"
		  "u1000:x:1000:1000::/home/u1000:/bin/sh\n"
		  "dup:x:1000:1000::/second:/bin/sh\n"
		  "nohome:x:7:7:::/bin/sh");
	snprintf(path, sizeof(path), "%s/passwd", tmp);
	proc_passwd_home(path, 0, home, sizeof(home));
	CHECK_STR(home, "/root");
	proc_passwd_home(path, 1000, home, sizeof(home));
	CHECK_STR(home, "/home/u1000"); /* the first match */
	proc_passwd_home(path, 7, home, sizeof(home));
	CHECK_STR(home, "");
	proc_passwd_home(path, 1234, home, sizeof(home));
	CHECK_STR(home, "/");
	proc_passwd_home("/nonexistent/passwd", 0, home, sizeof(home));
	CHECK_STR(home, "/");
}

TEST(make_cwd)
{
	char path[512], want[600];
	struct err e = {""};
	struct stat st;

	snprintf(path, sizeof(path), "%s/cwd/a//b/c", tmp);
	CHECK(proc_make_cwd(path, &e) == 0);
	CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	CHECK(proc_make_cwd(path, &e) == 0); /* already there */
	make_file("cwdfile", 0644, "");
	snprintf(path, sizeof(path), "%s/cwdfile/x", tmp);
	CHECK(proc_make_cwd(path, &e) < 0);
	snprintf(want, sizeof(want), "mkdir %s/cwdfile: Not a directory", tmp);
	CHECK_STR(e.msg, want);
}

/* In a child: fds 3..9 open; apply fn(first=6); report which are open / CLOEXEC. */
static int
fds_child(int (*fn)(int, bool), bool cloexec_only)
{
	int fd, bad = 0;
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		for (fd = 3; fd <= 9; fd++)
			dup2(0, fd);
		if (fn(6, cloexec_only) < 0)
			_exit(2);
		for (fd = 3; fd <= 9; fd++) {
			int fl = fcntl(fd, F_GETFD);
			bool want_open = fd < 6 || cloexec_only;
			if ((fl >= 0) != want_open)
				bad = 1;
			if (fl >= 0 && fd >= 6 && !(fl & FD_CLOEXEC))
				bad = 1;
			if (fl >= 0 && fd < 6 && (fl & FD_CLOEXEC))
				bad = 1;
		}
		_exit(bad);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(fds_close_and_cloexec)
{
	CHECK(fds_child(proc_fds_from, false) == 0);
	CHECK(fds_child(proc_fds_from, true) == 0);
	CHECK(fds_child(proc_fds_walk, false) == 0);
	CHECK(fds_child(proc_fds_walk, true) == 0);
}

/* proc_exec in a child: preserved fd 3 reaches the program, fd 4 does not. */
TEST(exec_preserves_fds)
{
	char *args[] = {"sh", "-c", "test -e /proc/self/fd/3 && ! test -e /proc/self/fd/4", NULL};
	char *env[] = {"PATH=/bin", NULL};
	struct spec_process p = {.args = args, .n_args = 3, .env = env, .n_env = 1};
	struct err e = {""};
	int status = -1;
	pid_t pid = fork();

	if (pid == 0) {
		dup3(0, 3, O_CLOEXEC); /* CLOEXEC as the runtime leaves it; must be cleared */
		dup2(0, 4);
		proc_exec(&p, "/bin/sh", 1, &e);
		_exit(99);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(exec_failure_message)
{
	char *args[] = {"nope", NULL};
	struct spec_process p = {.args = args, .n_args = 1};
	int fds[2], status;
	pid_t pid;

	CHECK(pipe2(fds, O_CLOEXEC) == 0);
	pid = fork();
	if (pid == 0) {
		struct err e = {""};
		/* The pipe stays usable after a failed exec: fds are only CLOEXEC. */
		proc_exec(&p, "/nonexistent/nope", 0, &e);
		write_all(fds[1], e.msg, strlen(e.msg) + 1);
		_exit(0);
	}
	close(fds[1]);
	char msg[256] = "";
	read_retry(fds[0], msg, sizeof(msg) - 1);
	close(fds[0]);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK_STR(msg, "exec /nonexistent/nope: No such file or directory");
}

static void
rm_tree(void)
{
	char cmd[600];
	pid_t pid;

	/* No shell: rm with an argument vector. */
	snprintf(cmd, sizeof(cmd), "%s", tmp);
	pid = fork();
	if (pid == 0) {
		char *argv[] = {"rm", "-rf", cmd, NULL};
		execv("/bin/rm", argv);
		_exit(127);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

int
main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(tmp, sizeof(tmp), "%s/test_process.XXXXXX", t ? t : "/tmp");
	if (!mkdtemp(tmp)) {
		perror("mkdtemp");
		return 1;
	}
	RUN(cap_masks);
	RUN(path_clean_like_go);
	RUN(lookpath_through_path);
	RUN(lookpath_relative_elements);
	RUN(lookpath_with_slash);
	RUN(env_dedup_and_home);
	RUN(env_errors_like_runc);
	RUN(passwd_home);
	RUN(make_cwd);
	RUN(fds_close_and_cloexec);
	RUN(exec_preserves_fds);
	RUN(exec_failure_message);
	rm_tree();
	UNIT_END();
}
