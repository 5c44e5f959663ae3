/*
 * state.c - <root>/<id>/: the state directory of one container, its lock,
 * state.json, the config copy, and the status of a container as it is now.
 *
 * runc counterpart: libcontainer/state_linux.go and container_linux.go
 * (currentState, refreshState), list.go, state.go.  runc keeps the whole
 * libcontainer config in state.json; minirunc keeps a copy of config.json
 * beside a small state.json instead, and re-reads it for `delete`.
 * The status is never trusted from the file alone: a pid is the container's
 * only while /proc/PID/stat shows the same start time (runc does the same).
 */
#include "state.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroups.h"
#include "json.h"

/* mkdir -p for <root>, each level 0700 (SECURITY.md, "State"). */
static int
state_mkdir_root(const char *root, struct err *e)
{
	char path[4096];
	size_t n = strlen(root);

	if (n == 0 || n >= sizeof(path))
		return errno = EINVAL, err_set(e, "--root \"%s\": bad path", root);
	memcpy(path, root, n + 1);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0700) < 0 && errno != EEXIST)
			return err_set(e, "mkdir %s:", path);
		*p = '/';
	}
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return err_set(e, "mkdir %s:", path);
	return 0;
}

/* Open <root>/<id> and take its lock, so two commands on one id cannot race. */
static int
state_open_locked(const char *root, const char *id, struct err *e)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, id);
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX) < 0) {
		close(fd);
		return err_set(e, "lock %s:", path);
	}
	return fd;
}

int
state_dir_create(const char *root, const char *id, struct err *e)
{
	char path[4096];
	int fd;

	if (state_mkdir_root(root, e) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", root, id);
	if (mkdir(path, 0700) < 0) {
		if (errno == EEXIST)
			return err_set(e, "container with id exists: %s", id);
		return err_set(e, "mkdir %s:", path);
	}
	fd = state_open_locked(root, id, e);
	if (fd < 0) {
		err_set(e, "open %s:", path);
		rmdir(path);
	}
	return fd;
}

bool
state_dir_alive(int dirfd)
{
	struct stat st;

	return fstat(dirfd, &st) == 0 && st.st_nlink > 0;
}

int
state_dir_open(const char *root, const char *id, struct err *e)
{
	struct stat st;
	int fd;

	if (id_check(id, e) < 0)
		return -1;
	fd = state_open_locked(root, id, e);
	if (fd >= 0 && !state_dir_alive(fd)) {
		close(fd); /* deleted while we waited for the lock */
		fd = -1;
		errno = ENOENT;
	}
	if (fd < 0 && errno == ENOENT)
		return err_set(e, "container does not exist: %s", id);
	if (fd < 0)
		return err_set(e, "open state of %s:", id);
	/* A directory that lost its state.json (a create killed half-way) is
	 * still a container for `delete` to clean up. */
	if (fstatat(fd, "state.json", &st, 0) < 0 && errno != ENOENT) {
		close(fd);
		return err_set(e, "stat state of %s:", id);
	}
	return fd;
}

int
state_dir_remove(const char *root, const char *id, int dirfd)
{
	char path[4096];
	DIR *d;
	struct dirent *de;
	int fd = dup(dirfd);

	if (fd >= 0 && (d = fdopendir(fd))) {
		while ((de = readdir(d)))
			if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
				unlinkat(dirfd, de->d_name, 0);
		closedir(d);
	} else if (fd >= 0) {
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/%s", root, id);
	return rmdir(path);
}

/* Write name in dirfd atomically: a temp file, fsync-free rename (runc:
 * utils.WriteJSON + os.Rename in saveState). */
static int
state_write_file(int dirfd, const char *name, const char *buf, size_t len, struct err *e)
{
	char tmp[64];
	int fd;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return err_set(e, "write %s:", name);
	if (write_all(fd, buf, len) < 0) {
		err_set(e, "write %s:", name);
		close(fd);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	close(fd);
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		err_set(e, "rename %s:", name);
		unlinkat(dirfd, tmp, 0);
		return -1;
	}
	return 0;
}

void
state_json_into(struct json_writer *w, const struct state *st, const char *status,
		enum state_json_kind kind)
{
	json_write_object_begin(w);
	json_write_key(w, "ociVersion");
	json_write_string(w, st->oci_version ? st->oci_version : "1.0.2-dev");
	json_write_key(w, "id");
	json_write_string(w, st->id);
	/* Key order as runc's: `runc state` puts pid before status, the OCI
	 * state a hook reads (specs.State) puts status first and omits the pid
	 * once the container has stopped. */
	if (kind == STATE_JSON_OCI) {
		json_write_key(w, "status");
		json_write_string(w, status);
	}
	if (kind != STATE_JSON_OCI || st->pid > 0) {
		json_write_key(w, "pid");
		json_write_int(w, st->pid);
	}
	if (kind != STATE_JSON_OCI) {
		json_write_key(w, "status");
		json_write_string(w, status);
	}
	json_write_key(w, "bundle");
	json_write_string(w, st->bundle);
	if (kind != STATE_JSON_OCI) {
		json_write_key(w, "rootfs");
		json_write_string(w, st->rootfs);
		json_write_key(w, "created");
		json_write_string(w, st->created);
		/* `runc state` prints "" here and `runc list` the user name. */
		json_write_key(w, "owner");
		json_write_string(w, kind != STATE_JSON_LIST ? ""
				     : st->owner[0]	     ? st->owner
							     : "root");
	}
	if (st->annotations_json) {
		struct json_err jerr;
		struct json_doc *doc =
		    json_parse(st->annotations_json, strlen(st->annotations_json), &jerr);
		const struct json_value *a = doc ? json_root(doc) : NULL;

		if (a && a->type == JSON_OBJECT && a->u.obj.n > 0) {
			json_write_key(w, "annotations");
			json_write_object_begin(w);
			for (size_t i = 0; i < a->u.obj.n; i++) {
				const struct json_value *v = a->u.obj.members[i].value;
				json_write_key(w, a->u.obj.members[i].key);
				json_write_string_len(w, v->u.str.s, v->u.str.len);
			}
			json_write_object_end(w);
		}
		json_free(doc);
	}
	json_write_object_end(w);
}

char *
state_json(const struct state *st, const char *status, enum state_json_kind kind, size_t *len)
{
	struct json_writer w;

	json_writer_init(&w, kind == STATE_JSON_RUNC ? 2 : 0);
	state_json_into(&w, st, status, kind);
	return json_writer_finish(&w, len);
}

/* The annotations object (kept as compact JSON text) into w as an object, not as a string
 * holding JSON: escaped twice, a config's annotations would grow past SPEC_MAX_STATE. */
static void
state_write_annotations(struct json_writer *w, const char *text)
{
	struct json_err jerr;
	struct json_doc *doc = json_parse(text, strlen(text), &jerr);

	json_write_value(w, doc ? json_root(doc) : NULL); /* NULL fails the writer: EINVAL */
	json_free(doc);
}

/* "cgroups": the record cgroups.c made, kept as an object (runc keeps
 * "cgroup_paths" in its state.json for the same reason: later commands act on
 * exactly that cgroup). */
static void
state_write_cgroups(struct json_writer *w, const char *text)
{
	struct json_err jerr;
	struct json_doc *doc = text ? json_parse(text, strlen(text), &jerr) : NULL;

	if (!doc)
		return;
	json_write_key(w, "cgroups");
	json_write_value(w, json_root(doc));
	json_free(doc);
}

static char *
state_read_cgroups(const struct json_value *root)
{
	const struct json_value *v = json_get(root, "cgroups");
	struct json_writer w;
	size_t len;

	if (!v || v->type != JSON_OBJECT)
		return NULL;
	json_writer_init(&w, 0);
	json_write_value(&w, v);
	return json_writer_finish(&w, &len);
}

/* Our own record: runc's keys plus what we need to tell a recycled pid. */
int
state_write(int dirfd, const struct state *st, struct err *e)
{
	struct json_writer w;
	char *buf;
	size_t len;
	int rc;

	json_writer_init(&w, 0);
	json_write_object_begin(&w);
	json_write_key(&w, "id");
	json_write_string(&w, st->id);
	json_write_key(&w, "ociVersion");
	json_write_string(&w, st->oci_version ? st->oci_version : "");
	json_write_key(&w, "pid");
	json_write_int(&w, st->pid);
	json_write_key(&w, "pidStartTime");
	json_write_uint(&w, st->start_time);
	json_write_key(&w, "ready");
	json_write_bool(&w, st->ready);
	json_write_key(&w, "started");
	json_write_bool(&w, st->started);
	json_write_key(&w, "bundle");
	json_write_string(&w, st->bundle);
	json_write_key(&w, "rootfs");
	json_write_string(&w, st->rootfs);
	json_write_key(&w, "created");
	json_write_string(&w, st->created);
	if (st->annotations_json) {
		json_write_key(&w, "annotations");
		state_write_annotations(&w, st->annotations_json);
	}
	state_write_cgroups(&w, st->cgroups_json);
	json_write_object_end(&w);
	buf = json_writer_finish(&w, &len);
	if (!buf)
		return err_set(e, "encode state.json:");
	if (len > SPEC_MAX_STATE) {
		free(buf);
		errno = EFBIG;
		return err_set(e,
			       "state.json would be %zu bytes, more than every later command "
			       "reads (%u, SPEC_MAX_STATE)",
			       len, SPEC_MAX_STATE);
	}
	rc = state_write_file(dirfd, "state.json", buf, len, e);
	free(buf);
	return rc;
}

/*
 * A string member as a malloc'd C string: NULL when it is absent, not a string or holds a NUL
 * (then the record is damaged).  absolute: it must be an absolute path (bundle, rootfs).
 */
static char *
state_dup_member(const struct json_value *obj, const char *key, bool absolute)
{
	const struct json_value *v = json_get(obj, key);

	if (!v || v->type != JSON_STRING || strlen(v->u.str.s) != v->u.str.len)
		return NULL;
	if (absolute && v->u.str.s[0] != '/')
		return NULL;
	return strdup(v->u.str.s);
}

/*
 * The kernel's hard ceiling on a pid (PID_MAX_LIMIT, include/linux/threads.h: 4 * 1024 * 1024
 * on 64-bit, less on 32-bit), not today's /proc/sys/kernel/pid_max: pid_max can be lowered
 * while a container with a higher pid runs, and that container must stay running.
 */
#define STATE_PID_LIMIT (4 * 1024 * 1024)

/*
 * pid and pidStartTime.  A pid outside 1..STATE_PID_LIMIT (a value that would be truncated to
 * another process's pid once cast to pid_t), or one without a start time, means "not
 * running" (pid 0), as runc, whose status check finds no /proc/PID for it.  Not a number at
 * all: damaged.
 */
static int
state_parse_pid(const struct json_value *root, struct state *st)
{
	const struct json_value *pid = json_get(root, "pid"),
				*start = json_get(root, "pidStartTime");
	int64_t p = 0;
	uint64_t t = 0;

	if ((pid && pid->type != JSON_NUMBER) || (start && start->type != JSON_NUMBER))
		return -1;
	if (pid && json_to_int64(pid, &p) < 0)
		p = 0;
	if (start && json_to_uint64(start, &t) < 0)
		t = 0;
	if (p < 1 || p > STATE_PID_LIMIT || t == 0)
		p = 0, t = 0;
	st->pid = (pid_t)p;
	st->start_time = t;
	return 0;
}

/* A boolean member: absent is false; anything but true/false is damage. */
static int
state_parse_bool(const struct json_value *root, const char *key, bool *out)
{
	const struct json_value *v = json_get(root, key);

	*out = v && v->type == JSON_TRUE;
	return !v || v->type == JSON_TRUE || v->type == JSON_FALSE ? 0 : -1;
}

/* annotations: absent, or an object of strings (state_json_into() relies on it), kept as
 * compact JSON text. */
static int
state_parse_annotations(const struct json_value *root, struct state *st)
{
	const struct json_value *a = json_get(root, "annotations");
	struct json_writer w;
	size_t len;

	if (!a)
		return 0;
	if (a->type != JSON_OBJECT)
		return -1;
	for (size_t i = 0; i < a->u.obj.n; i++)
		if (a->u.obj.members[i].value->type != JSON_STRING)
			return -1;
	json_writer_init(&w, 0);
	json_write_value(&w, a);
	st->annotations_json = json_writer_finish(&w, &len);
	return st->annotations_json ? 0 : -1;
}

/* Every field checked: state.json is a file on disk, and whoever can write it must not be
 * able to steer minirunc's kill() or rmdir() elsewhere. */
static int
state_parse(const struct json_value *root, const char *id, struct state *st)
{
	if (!root || root->type != JSON_OBJECT)
		return -1;
	st->id = state_dup_member(root, "id", false);
	st->oci_version = state_dup_member(root, "ociVersion", false);
	st->bundle = state_dup_member(root, "bundle", true);
	st->rootfs = state_dup_member(root, "rootfs", true);
	st->created = state_dup_member(root, "created", false);
	if (!st->id || strcmp(st->id, id) != 0 || !st->oci_version || !st->bundle || !st->rootfs ||
	    !st->created)
		return -1;
	if (state_parse_pid(root, st) < 0 || state_parse_bool(root, "ready", &st->ready) < 0 ||
	    state_parse_bool(root, "started", &st->started) < 0)
		return -1;
	st->cgroups_json = state_read_cgroups(root);
	return state_parse_annotations(root, st);
}

int
state_read(int dirfd, const char *id, struct state *st, struct err *e)
{
	struct json_err jerr;
	struct json_doc *doc;
	char *buf;
	size_t len;
	int fd, rc;

	memset(st, 0, sizeof(*st));
	fd = openat(dirfd, "state.json", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return err_set(e, "read state.json:");
	buf = read_file_fd(fd, SPEC_MAX_STATE, &len);
	close(fd);
	if (!buf)
		return err_set(e, "read state.json of %s:", id);
	doc = json_parse(buf, len, &jerr);
	free(buf);
	rc = doc ? state_parse(json_root(doc), id, st) : -1;
	json_free(doc);
	if (rc < 0) {
		state_free(st);
		errno = EINVAL;
		return err_set(e, "state.json of %s is damaged", id);
	}
	return 0;
}

void
state_free(struct state *st)
{
	free(st->id);
	free(st->oci_version);
	free(st->bundle);
	free(st->rootfs);
	free(st->created);
	free(st->annotations_json);
	free(st->cgroups_json);
	memset(st, 0, sizeof(*st));
}

/* Field 22 of /proc/PID/stat, and whether the process is a zombie.  The
 * command name (field 2) may hold spaces and ')', so parse after the last ')'
 * (proc(5)). */
static unsigned long long
state_proc_stat(pid_t pid, char *statec)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read_retry(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	/* After "pid (comm) ": field 3 is the state, field 22 the start time (proc(5)).  A walk
	 * over the spaces rather than sscanf(), which would pull all of scanf into the static
	 * binary for one line. */
	if (!p || p[1] != ' ' || !p[2])
		return 0;
	p += 2;
	*statec = *p;
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return 0;
		p++;
	}
	if (*p < '0' || *p > '9')
		return 0;
	start = strtoull(p, NULL, 10);
	return start;
}

unsigned long long
state_pid_start_time(pid_t pid)
{
	char c;

	return pid > 0 ? state_proc_stat(pid, &c) : 0;
}

/* Is the container's cgroup frozen (runc: currentStatus asks the freezer)? */
static bool
state_frozen(const char *cgroups_json)
{
	struct cg cg;
	bool frozen;

	if (cg_decode(cgroups_json, strlen(cgroups_json), &cg, NULL) < 0)
		return false;
	frozen = cg_open(&cg, NULL) == 0 && cg_is_frozen(&cg) == 1;
	cg_free(&cg);
	return frozen;
}

const char *
state_status(const struct state *st)
{
	char c = 0;
	unsigned long long start = st->pid > 0 ? state_proc_stat(st->pid, &c) : 0;

	/* 0: no /proc/PID/stat (gone), never a match even for a record without a start time. */
	if (start == 0 || start != st->start_time || c == 'Z' || c == 'X')
		return "stopped";
	if (!st->ready)
		return "creating";
	if (st->cgroups_json && state_frozen(st->cgroups_json))
		return "paused";
	return st->started ? "running" : "created";
}

int
state_save_config(int dirfd, const char *bundle, struct err *e)
{
	char path[4096], *buf;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), "%s/config.json", bundle);
	buf = read_file(path, SPEC_MAX_FILE, &len);
	if (!buf)
		return err_set(e, "read %s:", path);
	rc = state_write_file(dirfd, "config.json", buf, len, e);
	free(buf);
	return rc;
}

int
state_load_config(int dirfd, const char *bundle, struct spec *s, struct err *e)
{
	char *buf;
	size_t len;
	int fd, rc;

	fd = openat(dirfd, "config.json", O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return err_set(e, "read the saved config.json:");
	buf = read_file_fd(fd, SPEC_MAX_FILE, &len);
	close(fd);
	if (!buf)
		return err_set(e, "read the saved config.json:");
	rc = spec_parse("config.json", buf, len, bundle, s, e);
	free(buf);
	return rc;
}
