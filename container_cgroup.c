/*
 * container_cgroup.c - the commands that act on a container through its
 * cgroup: kill --all, pause, resume, ps, update, and the cgroup part of
 * delete.  Each reads the cgroup record from state.json and checks that the
 * directories are still the ones made for this container (cg_open) before
 * it signals, freezes or writes anything.
 *
 * runc counterpart: kill.go (--all), pause.go, ps.go, update.go,
 * libcontainer/container_linux.go (Signal, Pause, Resume, Processes, Set).
 * Left out: update's Intel RDT flags (--l3-cache-schema, --mem-bw-schema:
 * refused, as linux.intelRdt is).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroups.h"
#include "container.h"
#include "json.h"
#include "state.h"

/* The container's cgroup from its state, opened and checked. */
int
ctr_cg_load(const struct state *st, struct cg *cg, struct err *e)
{
	memset(cg, 0, sizeof(*cg));
	if (!st->cgroups_json)
		return errno = ENOENT, err_set(e, "container %s has no cgroup record", st->id);
	if (cg_decode(st->cgroups_json, strlen(st->cgroups_json), cg, e) < 0)
		return -1;
	if (cg_open(cg, e) < 0) {
		cg_free(cg);
		return -1;
	}
	return 0;
}

/* delete: whatever is left in the cgroup is killed, then the directories
 * minirunc made are removed (runc: destroy -> signalAllProcesses, Destroy). */
int
ctr_cg_remove(const struct state *st, struct err *e)
{
	struct cg cg;
	struct err e2;
	int rc;

	if (!st->cgroups_json)
		return 0;
	if (cg_decode(st->cgroups_json, strlen(st->cgroups_json), &cg, e) < 0)
		return -1;
	/* A replaced directory is reported and left alone; the rest is removed. */
	rc = cg_open(&cg, e);
	if ((rc == 0 || errno == ESTALE) && cg_destroy(&cg, rc < 0 ? &e2 : e) < 0)
		rc = -1;
	cg_free(&cg);
	return rc;
}

/* kill --all: every process of the cgroup, never by pid namespace. */
int
ctr_cg_kill_all(const struct state *st, int sig, struct err *e)
{
	struct cg cg;
	int rc;

	if (ctr_cg_load(st, &cg, e) < 0)
		return -1;
	rc = cg_kill_all(&cg, sig, e);
	cg_free(&cg);
	return rc;
}

/* A SIGKILL to a paused container's init does nothing on v1 until the
 * cgroup thaws: runc thaws it then (container_linux.go Signal). */
void
ctr_cg_thaw_for_kill(const struct state *st)
{
	struct cg cg;
	struct err e;

	if (ctr_cg_load(st, &cg, &e) == 0) {
		cg_freeze(&cg, false, &e);
		cg_free(&cg);
	}
}

static int
ctr_cg_fail(const struct err *e)
{
	log_error("%s", e->msg);
	return 1;
}

/* pause / resume (runc: Pause needs running or created; Resume needs paused). */
int
cmd_pause(const char *root, const char *id, bool pause)
{
	struct state st;
	struct cg cg;
	struct err e = {{0}};
	const char *status;
	int dirfd, rc = -1;

	dirfd = ctr_open_existing(root, id, &st, &e);
	if (dirfd < 0)
		return ctr_cg_fail(&e);
	status = state_status(&st);
	errno = EINVAL;
	if (pause && strcmp(status, "running") && strcmp(status, "created"))
		err_set(&e, "container not running");
	else if (!pause && strcmp(status, "paused"))
		err_set(&e, "container not paused");
	else if (ctr_cg_load(&st, &cg, &e) == 0) {
		rc = cg_freeze(&cg, pause, &e);
		cg_free(&cg);
	}
	if (rc == 0)
		log_debug("container %s %s  (runc: %s.go)", id, pause ? "paused" : "resumed",
			  pause ? "pause" : "pause");
	state_free(&st);
	close(dirfd);
	return rc < 0 ? ctr_cg_fail(&e) : 0;
}

/* ---- ps ---------------------------------------------------------------------- */

static int
ctr_pid_cmp(const void *a, const void *b)
{
	return *(const pid_t *)a - *(const pid_t *)b;
}

/* json: the pids as Go's encoder writes a []int, "null" when there are none. */
static void
ctr_ps_json(const pid_t *pids, size_t n)
{
	if (n == 0) {
		printf("null\n");
		return;
	}
	putchar('[');
	for (size_t i = 0; i < n; i++)
		printf("%s%d", i ? "," : "", (int)pids[i]);
	printf("]\n");
}

/* Run ps(1) with args, its stdout and stderr together in one malloc'd buffer
 * (runc: exec.Command("ps", ...).CombinedOutput()). */
static char *
ctr_ps_run(char **args, int *status)
{
	int p[2];
	pid_t pid;
	char *out;
	size_t len;

	if (pipe2(p, O_CLOEXEC) < 0)
		return NULL;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		execvp("ps", args);
		dprintf(2, "exec: \"ps\": %s\n", strerror(errno));
		_exit(127);
	}
	close(p[1]);
	out = pid > 0 ? read_file_fd(p[0], 64u << 20, &len) : NULL;
	close(p[0]);
	*status = 1;
	if (pid > 0)
		while (waitpid(pid, status, 0) < 0 && errno == EINTR)
			;
	return out;
}

/* Which column of the header is PID (runc: getPidIndex). */
static int
ctr_ps_pid_index(const char *header)
{
	int i = 0;

	for (const char *p = header; *p; i++) {
		size_t n;
		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n == 3 && strncmp(p, "PID", 3) == 0)
			return i;
		if (n == 0)
			break;
		p += n;
	}
	return -1;
}

/* The n-th whitespace-separated field of line as a pid (-1 if not a number). */
static long
ctr_ps_field(const char *line, int idx)
{
	const char *p = line;
	char *end;
	long v;

	for (int i = 0; i <= idx; i++) {
		p += strspn(p, " \t");
		if (i < idx)
			p += strcspn(p, " \t");
	}
	v = strtol(p, &end, 10);
	return end == p || (*end && *end != ' ' && *end != '\t') ? -1 : v;
}

/* table: ps(1)'s header, then only the lines of the cgroup's pids (runc: ps.go). */
static int
ctr_ps_table(char **ps_args, const pid_t *pids, size_t n, struct err *e)
{
	char *out, *line, *next;
	int status, idx;

	out = ctr_ps_run(ps_args, &status);
	if (!out)
		return err_set(e, "ps:");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		errno = EINVAL;
		err_set(e, "exit status %d: %s", WIFEXITED(status) ? WEXITSTATUS(status) : 1, out);
		free(out);
		return -1;
	}
	next = strchr(out, '\n');
	if (next)
		*next++ = '\0';
	idx = ctr_ps_pid_index(out);
	if (idx < 0) {
		free(out);
		return errno = EINVAL, err_set(e, "couldn't find PID field in ps output");
	}
	printf("%s\n", out);
	for (line = next; line && *line; line = next) {
		long pid;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		pid = ctr_ps_field(line, idx);
		if (pid < 0) {
			free(out);
			return errno = EINVAL, err_set(e, "unable to parse pid: %s", line);
		}
		if (bsearch(&(pid_t){(pid_t)pid}, pids, n, sizeof(pid_t), ctr_pid_cmp))
			printf("%s\n", line);
	}
	free(out);
	return 0;
}

int
cmd_ps(const char *root, const char *id, const char *format, char **ps_args)
{
	static char *def_args[] = {"ps", "-ef", NULL};
	struct state st;
	struct cg cg;
	struct err e = {{0}};
	pid_t *pids = NULL;
	size_t n = 0;
	int dirfd, rc;

	dirfd = ctr_open_existing(root, id, &st, &e);
	if (dirfd < 0)
		return ctr_cg_fail(&e);
	rc = ctr_cg_load(&st, &cg, &e);
	if (rc == 0) {
		rc = cg_pids(&cg, &pids, &n, &e);
		cg_free(&cg);
	}
	state_free(&st);
	close(dirfd);
	if (rc < 0)
		return ctr_cg_fail(&e);
	qsort(pids, n, sizeof(pid_t), ctr_pid_cmp);
	if (format && strcmp(format, "json") == 0)
		ctr_ps_json(pids, n);
	else
		rc = ctr_ps_table(ps_args && ps_args[1] ? ps_args : def_args, pids, n, &e);
	free(pids);
	fflush(stdout);
	return rc < 0 ? ctr_cg_fail(&e) : 0;
}

/* ---- update ------------------------------------------------------------------ */

/* The resources an update writes, parsed from -r FILE|- (a LinuxResources
 * object) into owner->resources.  Device rules are never changed by update,
 * as runc's (SkipDevices). */
static int
ctr_update_file(const char *path, struct spec *owner, struct err *e)
{
	char *buf;
	size_t len;
	int rc;

	buf = strcmp(path, "-") == 0 ? read_file_fd(0, SPEC_MAX_FILE, &len)
				     : read_file(path, SPEC_MAX_FILE, &len);
	if (!buf)
		return err_set(e, "update: --resources %s:", path);
	rc = spec_parse_resources(strcmp(path, "-") == 0 ? "stdin" : path, buf, len, owner, e);
	free(buf);
	owner->resources.n_devices = 0;
	return rc;
}

int
cmd_update(const char *root, const char *id, const char *resources_file,
	   const struct spec_resources *flags)
{
	struct state st;
	struct spec owner = {0};
	struct cg cg;
	struct err e = {{0}};
	const struct spec_resources *r = flags;
	int dirfd, rc = -1;

	dirfd = ctr_open_existing(root, id, &st, &e);
	if (dirfd < 0)
		return ctr_cg_fail(&e);
	if (strcmp(state_status(&st), "stopped") == 0) {
		errno = EINVAL;
		err_set(&e, "container not running");
	} else if (!resources_file || ctr_update_file(resources_file, &owner, &e) == 0) {
		if (resources_file)
			r = &owner.resources;
		for (size_t i = 0; i < owner.n_warnings; i++)
			log_warn("%s", owner.warnings[i]);
		if (ctr_cg_load(&st, &cg, &e) == 0) {
			rc = cg_update(&cg, r, &e);
			cg_free(&cg);
		}
	}
	spec_free(&owner);
	state_free(&st);
	close(dirfd);
	return rc < 0 ? ctr_cg_fail(&e) : 0;
}
