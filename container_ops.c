/*
 * container_ops.c - the commands on a container that exists: start, state,
 * kill, delete, list.  Each opens the container's state directory, locks it
 * and reads state.json (ctr_open_existing), then acts only on what that record
 * says is this container's (SECURITY.md: by its own records, checked first).
 *
 * runc counterpart: start.go, state.go, kill.go (and signals.go's
 * parseSignal), delete.go, list.go; libcontainer/container_linux.go (Signal,
 * destroy, State).  create and run are container.c; pause, resume, ps,
 * update and kill --all, which go through the cgroup, are container_cgroup.c.
 *
 * Left out: list's --format table columns runc takes from the image (none).
 */
#include "container.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "state.h"
#include "userns.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_send_signal
#define SYS_pidfd_send_signal 424
#endif

/* ---- start -------------------------------------------------------------- */

/* Step 5: let the waiting init run.  EOF with no text means it exec'd. */
static int
ctr_signal_start(int dirfd, struct err *e)
{
	char buf[512];
	size_t have = 0;
	ssize_t n;
	int fd;

	fd = ctr_start_socket(dirfd, false, e);
	if (fd < 0)
		return -1;
	while (have < sizeof(buf) - 1 &&
	       (n = read_retry(fd, buf + have, sizeof(buf) - 1 - have)) > 0)
		have += (size_t)n;
	close(fd);
	buf[have] = '\0';
	unlinkat(dirfd, "start.sock", 0);
	if (have > 0) {
		errno = EINVAL;
		return err_set(e, "%s", buf);
	}
	return 0;
}

/* start + poststart hooks, on a state already read and locked. */
int
ctr_start_locked(int dirfd, struct state *st, const struct spec *s, struct err *e)
{
	const char *status = state_status(st);

	if (strcmp(status, "created") != 0) {
		errno = EINVAL;
		return err_set(e, "cannot start a container that is %s", status);
	}
	if (ctr_signal_start(dirfd, e) < 0)
		return -1;
	st->started = true;
	if (state_write(dirfd, st, e) < 0)
		return -1;
	/* poststart failing is a warning: the process already runs (config.md). */
	ctr_hooks_warn(s, st, HOOK_POSTSTART, "running");
	log_debug("container %s started  (runc: start.go)", st->id);
	return 0;
}

/* ---- delete ------------------------------------------------------------- */

/* SIGKILL the init and wait until it is gone (it is not our child after
 * `create` returned, so poll /proc). */
static void
ctr_kill_and_wait(const struct state *st)
{
	/* pidfd_open(2) first, then the status check: a pidfd of the right process turns "it
	 * died" into one poll() instead of 1 ms naps (Linux 5.3; the naps stay the fallback). */
	int pfd = (int)syscall(SYS_pidfd_open, st->pid, 0);
	struct pollfd p = {.fd = pfd, .events = POLLIN};

	if (strcmp(state_status(st), "stopped") == 0) {
		if (pfd >= 0)
			close(pfd);
		return;
	}
	/* Through the pidfd when there is one: it names the process we checked,
	 * even if its pid were reused in between (pidfd_send_signal(2)). */
	if (pfd < 0 || syscall(SYS_pidfd_send_signal, pfd, SIGKILL, NULL, 0) < 0)
		kill(st->pid, SIGKILL);
	if (pfd >= 0) {
		(void)poll(&p, 1, 2000);
		close(pfd);
	}
	for (int i = 0; i < 2000 && strcmp(state_status(st), "stopped") != 0; i++) {
		struct timespec ts = {0, 1000000};
		waitpid(st->pid, NULL, WNOHANG);
		nanosleep(&ts, NULL);
	}
}

/* poststop hooks (warnings only, config.md) and the state dir removed. */
int
ctr_destroy(const char *root, int dirfd, struct state *st, struct err *e)
{
	struct spec s;
	struct err warn = {{0}};
	int rc = 0;

	/* A frozen init cannot die (v1) until its cgroup thaws. */
	if (strcmp(state_status(st), "paused") == 0 && kill(st->pid, SIGKILL) == 0)
		ctr_cg_thaw_for_kill(st);
	ctr_kill_and_wait(st);
	/* What is left in the cgroup goes too, and the cgroup with it (runc:
	 * destroy: signalAllProcesses, manager.Destroy), before poststop. */
	if (ctr_cg_remove(st, e) < 0)
		rc = -1;
	st->pid = 0;
	if (state_load_config(dirfd, st->bundle, &s, &warn) == 0) {
		ctr_hooks_warn(&s, st, HOOK_POSTSTOP, "stopped");
		spec_free(&s);
	} else {
		log_warn("%s", warn.msg);
	}
	if (state_dir_remove(root, st->id, dirfd) < 0 && rc == 0)
		return err_set(e, "remove the state of %s:", st->id);
	log_debug("container %s deleted  (runc: delete.go destroy)", st->id);
	return rc;
}

int
cmd_start(const char *root, const char *id)
{
	struct state st;
	struct spec s;
	struct err e = {{0}};
	int dirfd, rc = -1;

	dirfd = ctr_open_existing(root, id, &st, &e);
	if (dirfd < 0)
		return ctr_fail(&e);
	if (state_load_config(dirfd, st.bundle, &s, &e) == 0) {
		rc = ctr_start_locked(dirfd, &st, &s, &e);
		spec_free(&s);
	}
	state_free(&st);
	close(dirfd);
	return rc < 0 ? ctr_fail(&e) : 0;
}

int
cmd_state(const char *root, const char *id)
{
	struct state st;
	struct err e = {{0}};
	const char *status;
	char *json;
	size_t len;
	int dirfd;

	dirfd = ctr_open_existing(root, id, &st, &e);
	if (dirfd < 0)
		return ctr_fail(&e);
	status = state_status(&st);
	if (strcmp(status, "stopped") == 0)
		st.pid = 0; /* runc shows pid 0 once the process is gone */
	json = state_json(&st, status, STATE_JSON_RUNC, &len);
	if (json) {
		write_all(1, json, len);
		write_all(1, "\n", 1);
	}
	free(json);
	state_free(&st);
	close(dirfd);
	return json ? 0 : 1;
}

int
cmd_delete(const char *root, const char *id, bool force)
{
	struct state st;
	struct err e = {{0}};
	const char *status;
	int dirfd, rc;

	dirfd = state_dir_open(root, id, &e);
	if (dirfd < 0 && force && errno == ENOENT) {
		/* runc and crun: `delete -f` of a container that is not there is done, silently
		 * (engines call it after a failed create); plain `delete` keeps the error. */
		log_debug("container %s does not exist: nothing to delete  (runc: delete.go "
			  "--force)",
			  id);
		return 0;
	}
	if (dirfd < 0)
		return ctr_fail(&e);
	if (state_read(dirfd, id, &st, &e) < 0) {
		/* A create killed before its init existed leaves a directory with
		 * no state.json and no process: only the directory to remove. */
		rc = -1;
		if (errno == ENOENT && (rc = state_dir_remove(root, id, dirfd)) < 0)
			err_set(&e, "remove the state of %s:", id);
		close(dirfd);
		return rc < 0 ? ctr_fail(&e) : 0;
	}
	status = state_status(&st);
	if (!force && strcmp(status, "stopped") != 0 && strcmp(status, "created") != 0) {
		errno = EBUSY;
		rc = err_set(&e, "cannot delete container %s that is not stopped: %s", id, status);
	} else {
		rc = ctr_destroy(root, dirfd, &st, &e);
	}
	state_free(&st);
	close(dirfd);
	return rc < 0 ? ctr_fail(&e) : 0;
}

/* ---- kill --------------------------------------------------------------- */

/* The names runc knows (golang.org/x/sys/unix signalList, through unix.SignalNum): no
 * aliases such as IOT, POLL or CLD, and no real-time signals by name - runc refuses those. */
static const struct {
	const char *name;
	int sig;
} ctr_signals[] = {
    {"HUP", SIGHUP},   {"INT", SIGINT},	      {"QUIT", SIGQUIT}, {"ILL", SIGILL},
    {"TRAP", SIGTRAP}, {"ABRT", SIGABRT},     {"BUS", SIGBUS},	 {"FPE", SIGFPE},
    {"KILL", SIGKILL}, {"USR1", SIGUSR1},     {"SEGV", SIGSEGV}, {"USR2", SIGUSR2},
    {"PIPE", SIGPIPE}, {"ALRM", SIGALRM},     {"TERM", SIGTERM}, {"STKFLT", SIGSTKFLT},
    {"CHLD", SIGCHLD}, {"CONT", SIGCONT},     {"STOP", SIGSTOP}, {"TSTP", SIGTSTP},
    {"TTIN", SIGTTIN}, {"TTOU", SIGTTOU},     {"URG", SIGURG},	 {"XCPU", SIGXCPU},
    {"XFSZ", SIGXFSZ}, {"VTALRM", SIGVTALRM}, {"PROF", SIGPROF}, {"WINCH", SIGWINCH},
    {"IO", SIGIO},     {"PWR", SIGPWR},	      {"SYS", SIGSYS},
};

/*
 * As runc's parseSignal (kill.go): a decimal number is taken as it is (strconv.Atoi: an
 * optional sign, "0" probes, "09" is 9) and left to kill(2) to judge ("-1", "65": EINVAL);
 * else a name, any case, with or without "SIG".  0 and *sig set, or -1: unknown.  A number
 * that does not fit an int is unknown here; runc would truncate it to 32 bits and send
 * whatever signal that gives (4294967305 is SIGKILL there).
 */
static int
ctr_parse_signal(const char *s, int *sig)
{
	char name[16], *end;
	long long n;
	size_t i;

	if (isdigit((unsigned char)s[s[0] == '+' || s[0] == '-'])) {
		errno = 0;
		n = strtoll(s, &end, 10);
		if (*end || errno || n < INT_MIN || n > INT_MAX)
			return -1;
		return *sig = (int)n, 0;
	}
	for (i = 0; s[i] && i + 1 < sizeof(name); i++)
		name[i] = (char)toupper((unsigned char)s[i]);
	name[i] = '\0';
	if (s[i])
		return -1;
	s = strncmp(name, "SIG", 3) == 0 ? name + 3 : name;
	for (i = 0; i < sizeof(ctr_signals) / sizeof(ctr_signals[0]); i++)
		if (strcmp(s, ctr_signals[i].name) == 0)
			return *sig = ctr_signals[i].sig, 0;
	return -1;
}

/*
 * The init, by a pidfd opened before its start time is checked: the signal reaches the
 * process we checked even if its pid were reused in between (pidfd_send_signal(2); plain
 * kill() only where pidfds are missing, Linux < 5.3).  1: sent, 0: it is not running.
 */
static int
ctr_signal_init(const struct state *st, int sig, struct err *e)
{
	int pfd = (int)syscall(SYS_pidfd_open, st->pid, 0), rc = 1;

	if (strcmp(state_status(st), "stopped") == 0)
		rc = 0;
	else if (pfd >= 0 ? syscall(SYS_pidfd_send_signal, pfd, sig, NULL, 0) < 0
			  : kill(st->pid, sig) < 0)
		rc = err_set(e, "kill %d:", (int)st->pid);
	if (pfd >= 0)
		close(pfd);
	return rc;
}

int
cmd_kill(const char *root, const char *id, const char *signame, bool all)
{
	struct state st;
	struct err e = {{0}};
	int dirfd, sig, rc;

	/* runc: an empty SIGNAL argument is the default, SIGTERM. */
	if (ctr_parse_signal(signame && *signame ? signame : "SIGTERM", &sig) < 0) {
		errno = EINVAL;
		err_set(&e, "unknown signal \"%s\"", signame);
		return ctr_fail(&e);
	}
	dirfd = ctr_open_existing(root, id, &st, &e);
	if (dirfd < 0)
		return ctr_fail(&e);
	if (all) {
		/* runc: Signal(all) goes to every process of the cgroup, whatever the
		 * init's state; a cgroup already gone is nothing to signal. */
		rc = ctr_cg_kill_all(&st, sig, &e);
		if (rc < 0 && errno == ENOENT && strcmp(state_status(&st), "stopped") == 0)
			rc = 0;
	} else {
		bool paused = strcmp(state_status(&st), "paused") == 0;

		/* runc: a plain kill of a stopped container is "container not running". */
		rc = ctr_signal_init(&st, sig, &e);
		if (rc == 0) {
			errno = ESRCH;
			rc = err_set(&e, "container not running");
		} else if (rc > 0 && paused && sig == SIGKILL) {
			ctr_cg_thaw_for_kill(&st);
		}
	}
	state_free(&st);
	close(dirfd);
	return rc < 0 ? ctr_fail(&e) : 0;
}

/* ---- list --------------------------------------------------------------- */

/* Each container under root, read without taking its lock (runc's list
 * does not lock either); ids in directory order sorted by name. */
static int
ctr_list_ids(const char *root, char ***ids, size_t *n)
{
	struct dirent **names;
	int k = scandir(root, &names, NULL, alphasort);

	*ids = NULL;
	*n = 0;
	if (k < 0)
		return errno == ENOENT ? 0 : -1;
	*ids = calloc((size_t)k + 1, sizeof(char *));
	for (int i = 0; i < k; i++) {
		if (*ids && names[i]->d_name[0] != '.' && names[i]->d_type == DT_DIR)
			(*ids)[(*n)++] = strdup(names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return *ids || k == 0 ? 0 : -1;
}

static int
ctr_read_state(const char *root, const char *id, struct state *st)
{
	char path[4096];
	struct stat sb;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/%s", root, id);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	rc = state_read(fd, id, st, NULL);
	/* runc list: the owner of the state dir by name, "#UID" when unknown. */
	if (rc == 0 && fstat(fd, &sb) == 0)
		userns_user_name(sb.st_uid, st->owner, sizeof(st->owner));
	close(fd);
	return rc;
}

/* runc's table: text/tabwriter with minwidth 12, padding 3 (list.go). */
static void
ctr_list_table(const char *root, char **ids, size_t n)
{
	size_t w[5] = {2, 3, 6, 6, 7};
	const char *head[6] = {"ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER"};
	struct state *sts = calloc(n ? n : 1, sizeof(*sts));
	char pid[24];

	for (size_t i = 0; i < n && sts; i++) {
		if (ctr_read_state(root, ids[i], &sts[i]) < 0)
			continue;
		snprintf(pid, sizeof(pid), "%d",
			 strcmp(state_status(&sts[i]), "stopped") ? (int)sts[i].pid : 0);
		size_t l[5] = {strlen(sts[i].id), strlen(pid), strlen(state_status(&sts[i])),
			       strlen(sts[i].bundle), strlen(sts[i].created)};
		for (int k = 0; k < 5; k++)
			w[k] = l[k] > w[k] ? l[k] : w[k];
	}
	for (int k = 0; k < 5; k++)
		w[k] = w[k] + 3 > 12 ? w[k] + 3 : 12;
	printf("%-*s%-*s%-*s%-*s%-*s%s\n", (int)w[0], head[0], (int)w[1], head[1], (int)w[2],
	       head[2], (int)w[3], head[3], (int)w[4], head[4], head[5]);
	for (size_t i = 0; i < n && sts; i++) {
		const char *status;
		if (!sts[i].id)
			continue;
		status = state_status(&sts[i]);
		snprintf(pid, sizeof(pid), "%d", strcmp(status, "stopped") ? (int)sts[i].pid : 0);
		printf("%-*s%-*s%-*s%-*s%-*s%s\n", (int)w[0], sts[i].id, (int)w[1], pid, (int)w[2],
		       status, (int)w[3], sts[i].bundle, (int)w[4], sts[i].created,
		       sts[i].owner[0] ? sts[i].owner : "root");
		state_free(&sts[i]);
	}
	free(sts);
}

/* runc's `list -f json`: a compact array, or `null` when there is none. */
static void
ctr_list_json(const char *root, char **ids, size_t n)
{
	struct json_writer w;
	struct state st;
	size_t len, shown = 0;
	char *out;

	json_writer_init(&w, 0);
	json_write_array_begin(&w);
	for (size_t i = 0; i < n; i++) {
		if (ctr_read_state(root, ids[i], &st) < 0)
			continue;
		if (strcmp(state_status(&st), "stopped") == 0)
			st.pid = 0;
		state_json_into(&w, &st, state_status(&st), STATE_JSON_LIST);
		state_free(&st);
		shown++;
	}
	json_write_array_end(&w);
	out = json_writer_finish(&w, &len);
	printf("%s\n", shown && out ? out : "null");
	free(out);
}

int
cmd_list(const char *root, bool quiet, const char *format)
{
	char **ids;
	size_t n;

	if (format && strcmp(format, "table") != 0 && strcmp(format, "json") != 0) {
		log_error("list: invalid format option \"%s\" (table or json)", format);
		return 1;
	}
	if (ctr_list_ids(root, &ids, &n) < 0) {
		log_error("list %s: %s", root, strerror(errno));
		return 1;
	}
	if (quiet)
		for (size_t i = 0; i < n; i++)
			printf("%s\n", ids[i]);
	else if (format && strcmp(format, "json") == 0)
		ctr_list_json(root, ids, n);
	else
		ctr_list_table(root, ids, n);
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	return 0;
}
