/*
 * test_hooks.c - hooks.c without root: what a hook gets (argv, env, stdin,
 * fds, signals, cwd) and how each way of failing reads.
 *
 * The hooks are this same binary run again: "<self> --hook MODE ARG" acts as
 * the hook named MODE (see fake_hook_main), so no shell is involved anywhere.
 */
#include "hooks.h"
#include "unit.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char unit_self[PATH_MAX]; /* this binary, absolute */
static char unit_dir[64];	 /* a temporary directory for the run */
static const char unit_state[] = "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"creating\"}";

/* ---- the hook side -------------------------------------------------- */

/* "fds 0 1 2": the open fds, minus the one used to list them. */
static void
fake_list_fds(char *out, size_t cap)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *de;
	size_t o;

	o = (size_t)snprintf(out, cap, "fds");
	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || atoi(de->d_name) == dirfd(d))
			continue;
		o += (size_t)snprintf(out + o, cap - o, " %s", de->d_name);
	}
	if (d)
		closedir(d);
}

/* The lines of /proc/self/status that say how signals were left. */
static void
fake_print_signals(FILE *f)
{
	char line[256];
	FILE *st = fopen("/proc/self/status", "r");

	while (st && fgets(line, sizeof(line), st))
		if (strncmp(line, "SigBlk:", 7) == 0 || strncmp(line, "SigIgn:", 7) == 0)
			fputs(line, f);
	if (st)
		fclose(st);
}

/* Record argv, env, fds, cwd, signals and stdin into path. */
static int
fake_record(int argc, char **argv, const char *path)
{
	extern char **environ;
	char fds[512], cwd[PATH_MAX], buf[4096];
	FILE *f;
	size_t n;
	int i;

	fake_list_fds(fds, sizeof(fds));
	f = fopen(path, "w");
	if (!f)
		return 99;
	for (i = 0; i < argc; i++)
		fprintf(f, "argv %s\n", argv[i]);
	for (i = 0; environ[i]; i++)
		fprintf(f, "env %s\n", environ[i]);
	fprintf(f, "%s\ncwd %s\n", fds, getcwd(cwd, sizeof(cwd)) ? cwd : "?");
	fake_print_signals(f);
	fputs("stdin ", f);
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		fwrite(buf, 1, n, f);
	fputs("\n", f);
	fclose(f);
	return 0;
}

/* Read all of stdin and write its length to path. */
static int
fake_count_stdin(const char *path)
{
	char buf[65536];
	size_t n, total = 0;
	FILE *f;

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0)
		total += n;
	f = fopen(path, "w");
	if (!f)
		return 99;
	fprintf(f, "%zu\n", total);
	fclose(f);
	return 0;
}

/* Fork a child that keeps stdout open for 30 s; write its pid to path; exit 0. */
static int
fake_leave_grandchild(const char *path)
{
	pid_t pid = fork();
	FILE *f;

	if (pid == 0) {
		sleep(30);
		_exit(0);
	}
	f = fopen(path, "w");
	if (!f)
		return 99;
	fprintf(f, "%d\n", (int)pid);
	fclose(f);
	return 0;
}

static int
fake_spam(void)
{
	static char big[1 << 20];

	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = '\n';
	fwrite(big, 1, sizeof(big), stderr);
	fwrite(big, 1, sizeof(big), stdout);
	return 3;
}

/* argv: <name> --hook MODE [ARG] */
static int
fake_hook_main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[2] : "", *arg = argc > 3 ? argv[3] : "";

	if (strcmp(mode, "record") == 0)
		return fake_record(argc, argv, arg);
	if (strcmp(mode, "count") == 0)
		return fake_count_stdin(arg);
	if (strcmp(mode, "fail") == 0) {
		fputs("some stdout\n", stdout);
		fputs("\nbad thing:\tit broke\nsecond line\n", stderr);
		return atoi(arg);
	}
	if (strcmp(mode, "stdout-only") == 0) {
		fputs("only on stdout\n", stdout);
		return 1;
	}
	if (strcmp(mode, "sleep") == 0)
		sleep(30);
	if (strcmp(mode, "noread-slow") == 0)
		usleep(300 * 1000);
	if (strcmp(mode, "signal") == 0)
		raise(SIGTERM);
	if (strcmp(mode, "spam") == 0)
		return fake_spam();
	if (strcmp(mode, "grandchild") == 0)
		return fake_leave_grandchild(arg);
	return 0; /* "noread" and the rest: exit 0 without touching stdin */
}

/* ---- the runtime side ----------------------------------------------- */

/* A hook that runs this binary in MODE with ARG; argv and env are static. */
struct unit_hook {
	struct spec_hook h;
	char *argv[8];
	char *env[4];
};

static void
unit_hook_init(struct unit_hook *u, const char *mode, const char *arg)
{
	memset(u, 0, sizeof(*u));
	u->argv[0] = "hookname";
	u->argv[1] = "--hook";
	u->argv[2] = (char *)mode;
	u->argv[3] = (char *)arg;
	u->h.path = unit_self;
	u->h.args = u->argv;
	u->h.n_args = arg ? 4 : 3;
	u->env[0] = NULL;
	u->h.env = u->env;
	u->h.has_env = true;
}

static void
unit_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", unit_dir, name);
}

/* The recorded file as a string (static buffer freed by the next call). */
static const char *
unit_slurp(const char *path)
{
	static char *last;
	size_t len;

	free(last);
	last = read_file(path, 1 << 22, &len);
	return last ? last : "";
}

/* No hook left unreaped: runtime.md wants nothing behind. */
static int
unit_no_children(void)
{
	return waitpid(-1, NULL, WNOHANG) == -1 && errno == ECHILD;
}

static double
unit_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

TEST(kind_names_as_config_json_spells_them)
{
	CHECK_STR(hook_kind_name(HOOK_PRESTART), "prestart");
	CHECK_STR(hook_kind_name(HOOK_CREATE_RUNTIME), "createRuntime");
	CHECK_STR(hook_kind_name(HOOK_CREATE_CONTAINER), "createContainer");
	CHECK_STR(hook_kind_name(HOOK_START_CONTAINER), "startContainer");
	CHECK_STR(hook_kind_name(HOOK_POSTSTART), "poststart");
	CHECK_STR(hook_kind_name(HOOK_POSTSTOP), "poststop");
	CHECK_STR(hook_kind_name(HOOK_KINDS), "unknown");
}

TEST(hook_gets_its_argv_env_and_state_on_stdin)
{
	struct unit_hook u;
	struct err e = {""};
	char out[PATH_MAX], cwd[PATH_MAX], want[PATH_MAX + 300];
	const char *rec;

	unit_path(out, sizeof(out), "rec1");
	unit_hook_init(&u, "record", out);
	u.env[0] = "A=1";
	u.env[1] = "PATH=/nowhere";
	u.env[2] = NULL;
	u.h.n_env = 2;
	setenv("UNIT_LEAK", "should-not-reach-the-hook", 1);
	CHECK(hook_run(HOOK_PRESTART, &u.h, unit_state, strlen(unit_state), &e) == 0);
	rec = unit_slurp(out);
	CHECK(strstr(rec, "argv hookname\nargv --hook\nargv record\nargv ") == rec);
	CHECK(strstr(rec, "\nenv A=1\nenv PATH=/nowhere\nfds") != NULL);
	CHECK(strstr(rec, "UNIT_LEAK") == NULL);
	CHECK(strstr(rec,
		     "stdin {\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"creating\"}\n"));
	/* the runtime's cwd (the bundle, as runc runs hooks) is inherited */
	snprintf(want, sizeof(want), "cwd %s\n", getcwd(cwd, sizeof(cwd)));
	CHECK(strstr(rec, want) != NULL);
	CHECK(unit_no_children());
	unsetenv("UNIT_LEAK");
}

TEST(empty_args_mean_argv_is_the_path_and_empty_env_is_empty)
{
	struct spec_hook h = {0};
	struct err e = {""};
	char link[PATH_MAX], out[PATH_MAX], want[PATH_MAX + 300];
	const char *rec;

	/* A symlink named *plainhook* to this binary: main() records argv for it. */
	unit_path(link, sizeof(link), "plainhook");
	unit_path(out, sizeof(out), "plainhook.out");
	CHECK(symlink(unit_self, link) == 0);
	h.path = link;
	h.has_env = true; /* "env": [] */
	CHECK(hook_run(HOOK_POSTSTOP, &h, unit_state, strlen(unit_state), &e) == 0);
	rec = unit_slurp(out);
	snprintf(want, sizeof(want), "argv %s\nfds", link);
	CHECK(strstr(rec, want) == rec); /* argv = {path}, and not one env line */
}

TEST(no_env_key_means_the_runtime_environment_as_with_runc)
{
	struct spec_hook h = {0};
	struct err e = {""};
	char link[PATH_MAX], out[PATH_MAX];

	unit_path(link, sizeof(link), "plainhook");
	unit_path(out, sizeof(out), "plainhook.out");
	unlink(link);
	CHECK(symlink(unit_self, link) == 0);
	h.path = link;
	setenv("MINIRUNC_HOOK_INHERIT", "yes", 1);
	CHECK(hook_run(HOOK_POSTSTOP, &h, unit_state, strlen(unit_state), &e) == 0);
	CHECK(strstr(unit_slurp(out), "env MINIRUNC_HOOK_INHERIT=yes") != NULL);
	unsetenv("MINIRUNC_HOOK_INHERIT");
}

TEST(hook_inherits_no_fd_but_0_1_2)
{
	struct unit_hook u;
	struct err e = {""};
	char out[PATH_MAX];
	/* deliberately without close-on-exec, and above 2 even if stdin is closed */
	int leak = fcntl(STDERR_FILENO, F_DUPFD, 10);

	CHECK(leak >= 10);
	unit_path(out, sizeof(out), "rec-fds");
	unit_hook_init(&u, "record", out);
	CHECK(hook_run(HOOK_CREATE_RUNTIME, &u.h, "{}", 2, &e) == 0);
	CHECK(strstr(unit_slurp(out), "\nfds 0 1 2\n") != NULL);
	close(leak);
}

/* A runtime started with fd 0 closed: the pipes land low and must not clash. */
TEST(runtime_without_stdin_still_gives_the_hook_three_streams)
{
	struct unit_hook u;
	struct err e = {""};
	char out[PATH_MAX];
	const char *rec;
	int saved0 = fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 10);

	close(STDIN_FILENO);
	unit_path(out, sizeof(out), "rec-nostdin");
	unit_hook_init(&u, "record", out);
	CHECK(hook_run(HOOK_PRESTART, &u.h, unit_state, strlen(unit_state), &e) == 0);
	if (saved0 >= 0) {
		dup2(saved0, STDIN_FILENO);
		close(saved0);
	}
	rec = unit_slurp(out);
	CHECK(strstr(rec, "\nfds 0 1 2\n") != NULL);
	CHECK(strstr(rec, "stdin {\"ociVersion\"") != NULL);
}

TEST(hook_starts_with_default_signals_and_none_blocked)
{
	struct unit_hook u;
	struct err e = {""};
	sigset_t block, old;
	char out[PATH_MAX];
	const char *rec;

	/* A runtime that blocks signals for a signalfd and ignores some. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGCHLD);
	sigprocmask(SIG_BLOCK, &block, &old);
	signal(SIGUSR1, SIG_IGN);
	unit_path(out, sizeof(out), "rec-sig");
	unit_hook_init(&u, "record", out);
	CHECK(hook_run(HOOK_START_CONTAINER, &u.h, "{}", 2, &e) == 0);
	rec = unit_slurp(out);
	CHECK(strstr(rec, "SigBlk:\t0000000000000000\n") != NULL);
	{
		/* SIGUSR1 (ignored above) is back to default.  Signals 32-34 are
		 * libc's reserved ones: if our own caller ignored them, libc
		 * cannot reset them, so they are not looked at. */
		const char *ign = strstr(rec, "SigIgn:\t");
		unsigned long long v = ign ? strtoull(ign + 8, NULL, 16) : ~0ull;
		CHECK((v & ~(7ull << 31)) == 0);
	}
	/* and the runtime's own mask is as it was */
	sigset_t now;
	sigprocmask(SIG_SETMASK, NULL, &now);
	CHECK(sigismember(&now, SIGTERM) && sigismember(&now, SIGCHLD) &&
	      !sigismember(&now, SIGPIPE));
	signal(SIGUSR1, SIG_DFL);
	sigprocmask(SIG_SETMASK, &old, NULL);
}

TEST(exit_status_and_first_stderr_line_in_the_error)
{
	struct unit_hook u;
	struct err e = {""};
	char want[PATH_MAX + 300];

	unit_hook_init(&u, "fail", "2");
	CHECK(hook_run(HOOK_PRESTART, &u.h, unit_state, strlen(unit_state), &e) == -1);
	snprintf(want, sizeof(want), "prestart hook %s: exit status 2: bad thing:?it broke",
		 unit_self);
	CHECK_STR(e.msg, want);
	CHECK(unit_no_children());
}

TEST(stdout_is_quoted_when_stderr_is_silent)
{
	struct unit_hook u;
	struct err e = {""};
	char want[PATH_MAX + 300];

	unit_hook_init(&u, "stdout-only", NULL);
	CHECK(hook_run(HOOK_POSTSTART, &u.h, "{}", 2, &e) == -1);
	snprintf(want, sizeof(want), "poststart hook %s: exit status 1: only on stdout", unit_self);
	CHECK_STR(e.msg, want);
}

TEST(hook_output_does_not_reach_the_runtime_streams)
{
	struct unit_hook u;
	struct err e = {""};
	char out[PATH_MAX];
	int fd, save1, save2;

	unit_path(out, sizeof(out), "runtime-streams");
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	fflush(stdout);
	fflush(stderr);
	save1 = dup(1);
	save2 = dup(2);
	dup2(fd, 1);
	dup2(fd, 2);
	unit_hook_init(&u, "fail", "1");
	hook_run(HOOK_PRESTART, &u.h, "{}", 2, &e);
	dup2(save1, 1);
	dup2(save2, 2);
	close(save1);
	close(save2);
	close(fd);
	CHECK_STR(unit_slurp(out), "");
}

TEST(killed_by_a_signal)
{
	struct unit_hook u;
	struct err e = {""};
	char want[PATH_MAX + 300];

	unit_hook_init(&u, "signal", NULL);
	CHECK(hook_run(HOOK_POSTSTOP, &u.h, "{}", 2, &e) == -1);
	snprintf(want, sizeof(want),
		 "poststop hook %s: error running hook: killed by signal %d (terminated)",
		 unit_self, SIGTERM);
	CHECK_STR(e.msg, want);
}

TEST(timeout_kills_the_hook_and_reaps_it)
{
	struct unit_hook u;
	struct err e = {""};
	char want[PATH_MAX + 300];
	double t0, took;

	unit_hook_init(&u, "sleep", NULL);
	u.h.timeout = 1;
	t0 = unit_now();
	CHECK(hook_run(HOOK_PRESTART, &u.h, unit_state, strlen(unit_state), &e) == -1);
	took = unit_now() - t0;
	CHECK(took >= 0.9 && took < 3.0);
	snprintf(want, sizeof(want), "prestart hook %s: ran past its timeout of 1s, killed",
		 unit_self);
	CHECK_STR(e.msg, want);
	CHECK(unit_no_children());
}

TEST(missing_path_is_an_exec_error)
{
	struct spec_hook h = {.path = "/nonexistent/hook"};
	struct err e = {""};

	CHECK(hook_run(HOOK_PRESTART, &h, "{}", 2, &e) == -1);
	CHECK_STR(e.msg, "prestart hook /nonexistent/hook: exec: No such file or directory");
	CHECK(unit_no_children());
}

TEST(non_executable_path_is_an_exec_error)
{
	struct spec_hook h = {0};
	struct err e = {""};
	char path[PATH_MAX], want[PATH_MAX + 300];
	int fd;

	unit_path(path, sizeof(path), "not-exec");
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	CHECK(fd >= 0 && write(fd,
			       "\x7f"
			       "ELF",
			       4) == 4);
	close(fd);
	h.path = path;
	CHECK(hook_run(HOOK_CREATE_CONTAINER, &h, "{}", 2, &e) == -1);
	snprintf(want, sizeof(want), "createContainer hook %s: exec: Permission denied", path);
	CHECK_STR(e.msg, want);
}

TEST(relative_path_is_refused_before_running)
{
	struct spec_hook h = {.path = "bin/hook"};
	struct err e = {""};

	CHECK(hook_run(HOOK_PRESTART, &h, "{}", 2, &e) == -1);
	CHECK_STR(e.msg, "prestart hook: path must be absolute");
}

/* A 1 MiB state, '{' + spaces + '}', built once. */
static char *
unit_big_state(size_t *len)
{
	static char *big;

	*len = 1 << 20;
	if (!big) {
		big = malloc(*len);
		memset(big, ' ', *len);
		big[0] = '{';
		big[*len - 1] = '}';
	}
	return big;
}

TEST(big_state_reaches_a_hook_that_reads_it)
{
	struct unit_hook u;
	struct err e = {""};
	char out[PATH_MAX];
	size_t len;
	const char *big = unit_big_state(&len);

	unit_path(out, sizeof(out), "count");
	unit_hook_init(&u, "count", out);
	u.h.timeout = 10;
	CHECK(hook_run(HOOK_PRESTART, &u.h, big, len, &e) == 0);
	CHECK_STR(unit_slurp(out), "1048576\n");
}

TEST(hook_that_never_reads_stdin_neither_hangs_nor_kills_the_runtime)
{
	struct unit_hook u;
	struct err e = {""};
	sigset_t pending, mask;
	size_t len;
	const char *big = unit_big_state(&len);

	unit_hook_init(&u, "noread", NULL);
	u.h.timeout = 10;
	CHECK(hook_run(HOOK_PRESTART, &u.h, big, len, &e) == 0);
	unit_hook_init(&u, "noread-slow", NULL); /* the runtime blocks on a full pipe */
	u.h.timeout = 10;
	CHECK(hook_run(HOOK_PRESTART, &u.h, big, len, &e) == 0);
	/* SIGPIPE neither left pending nor left blocked */
	sigpending(&pending);
	sigprocmask(SIG_SETMASK, NULL, &mask);
	CHECK(!sigismember(&pending, SIGPIPE));
	CHECK(!sigismember(&mask, SIGPIPE));
	CHECK(unit_no_children());
}

TEST(megabytes_of_output_are_cut_not_waited_on)
{
	struct unit_hook u;
	struct err e = {""};
	char want[PATH_MAX + 300];
	int o;

	unit_hook_init(&u, "spam", NULL);
	u.h.timeout = 10;
	CHECK(hook_run(HOOK_PRESTART, &u.h, "{}", 2, &e) == -1);
	o = snprintf(want, sizeof(want), "prestart hook %s: exit status 3: ", unit_self);
	memset(want + o, 'x', 200);
	want[o + 200] = '\0';
	CHECK_STR(e.msg, want);
}

TEST(a_grandchild_holding_stdout_does_not_stall_the_runtime)
{
	struct unit_hook u;
	struct err e = {""};
	char out[PATH_MAX];
	double t0;
	int pid;

	unit_path(out, sizeof(out), "grandchild");
	unit_hook_init(&u, "grandchild", out);
	t0 = unit_now();
	CHECK(hook_run(HOOK_POSTSTART, &u.h, "{}", 2, &e) == 0);
	CHECK(unit_now() - t0 < 5.0);
	pid = atoi(unit_slurp(out));
	CHECK(pid > 1);
	if (pid > 1)
		kill(pid, SIGKILL); /* ours, by pid: the hook's orphan */
}

TEST(hooks_run_goes_in_order_and_stops_at_the_first_failure)
{
	struct unit_hook ok, bad, never;
	struct spec_hook list[3];
	struct spec s;
	struct err e = {""};
	char a[PATH_MAX], c[PATH_MAX], want[PATH_MAX + 300];

	unit_path(a, sizeof(a), "first");
	unit_path(c, sizeof(c), "third");
	unit_hook_init(&ok, "record", a);
	unit_hook_init(&bad, "fail", "4");
	unit_hook_init(&never, "record", c);
	list[0] = ok.h, list[1] = bad.h, list[2] = never.h;
	memset(&s, 0, sizeof(s));
	s.hooks[HOOK_CREATE_RUNTIME].v = list;
	s.hooks[HOOK_CREATE_RUNTIME].n = 3;
	CHECK(hooks_run(&s, HOOK_PRESTART, "{}", 2, &e) == 0); /* none of that kind */
	CHECK(hooks_run(&s, HOOK_CREATE_RUNTIME, "{}", 2, &e) == -1);
	snprintf(want, sizeof(want), "createRuntime hook %s: exit status 4: bad thing:?it broke",
		 unit_self);
	CHECK_STR(e.msg, want);
	CHECK(access(a, F_OK) == 0);
	CHECK(access(c, F_OK) == -1);
}

static void
unit_cleanup(void)
{
	DIR *d = opendir(unit_dir);
	struct dirent *de;
	char p[PATH_MAX + 256];

	while (d && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", unit_dir, de->d_name);
		unlink(p);
	}
	if (d)
		closedir(d);
	rmdir(unit_dir);
}

/* The plainhook symlink: record argv and env next to itself. */
static int
unit_plain_hook(char **argv)
{
	char out[PATH_MAX];

	snprintf(out, sizeof(out), "%s.out", argv[0]);
	return fake_record(1, argv, out);
}

int
main(int argc, char **argv)
{
	ssize_t n;

	if (argc > 1 && strcmp(argv[1], "--hook") == 0)
		return fake_hook_main(argc, argv);
	if (strstr(argv[0], "plainhook"))
		return unit_plain_hook(argv);
	n = readlink("/proc/self/exe", unit_self, sizeof(unit_self) - 1);
	if (n <= 0)
		return 1;
	unit_self[n] = '\0';
	snprintf(unit_dir, sizeof(unit_dir), "/tmp/test_hooks.XXXXXX");
	if (!mkdtemp(unit_dir))
		return 1;

	RUN(kind_names_as_config_json_spells_them);
	RUN(hook_gets_its_argv_env_and_state_on_stdin);
	RUN(empty_args_mean_argv_is_the_path_and_empty_env_is_empty);
	RUN(no_env_key_means_the_runtime_environment_as_with_runc);
	RUN(hook_inherits_no_fd_but_0_1_2);
	RUN(runtime_without_stdin_still_gives_the_hook_three_streams);
	RUN(hook_starts_with_default_signals_and_none_blocked);
	RUN(exit_status_and_first_stderr_line_in_the_error);
	RUN(stdout_is_quoted_when_stderr_is_silent);
	RUN(hook_output_does_not_reach_the_runtime_streams);
	RUN(killed_by_a_signal);
	RUN(timeout_kills_the_hook_and_reaps_it);
	RUN(missing_path_is_an_exec_error);
	RUN(non_executable_path_is_an_exec_error);
	RUN(relative_path_is_refused_before_running);
	RUN(big_state_reaches_a_hook_that_reads_it);
	RUN(hook_that_never_reads_stdin_neither_hangs_nor_kills_the_runtime);
	RUN(megabytes_of_output_are_cut_not_waited_on);
	RUN(a_grandchild_holding_stdout_does_not_stall_the_runtime);
	RUN(hooks_run_goes_in_order_and_stops_at_the_first_failure);
	unit_cleanup();
	unit_slurp("/nonexistent");
	UNIT_END();
}
