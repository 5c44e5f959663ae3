/*
 * minirunc.c - main(): runc's command line.
 *
 *   minirunc [global options] COMMAND [command options] ARGS...
 *
 * The same commands, flags, output and exit codes as runc 1.1, so whatever
 * drives runc can drive minirunc (runc: main.go, run.go, create.go, ...).
 * This file only parses; container.c, container_ops.c, container_cgroup.c and
 * exec.c do the work (cli_help.c holds the help text).  Flags come before the
 * positional arguments, as with runc's urfave/cli.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup_stats.h"
#include "cli_help.h"
#include "container.h"
#include "featureset.h"
#include "network.h"
#include "selfexe.h"
#include "spec.h"
#include "state.h"
#include "userns.h"
#include "util.h"

#ifndef MINIRUNC_VERSION
#define MINIRUNC_VERSION "0.1.0"
#endif
#ifndef MINIRUNC_COMMIT
#define MINIRUNC_COMMIT "unknown"
#endif
#define OCI_SPEC_VERSION "1.0.2-dev"

#ifndef SYS_close_range
#define SYS_close_range 436
#endif
#ifndef CLOSE_RANGE_CLOEXEC
#define CLOSE_RANGE_CLOEXEC (1U << 2)
#endif

/* A flag that may be given many times (exec's -e, --cap, -g). */
struct optlist {
	const char *v[257]; /* NULL-terminated */
	size_t n;
};

/* One command-line flag; exactly one of str/flag/num/many is set. */
struct opt {
	const char *name; /* long name, without "--" */
	char shortname;	  /* 0 if none */
	const char **str;
	bool *flag;
	int *num;
	struct optlist *many;
};

struct global {
	const char *root;
	const char *log;
	const char *log_format;
	bool debug;
	bool help;
	bool version;
	bool systemd_cgroup;
	const char *rootless;
	const char *criu;
};

/* The global options as `minirunc -h` lists them (the commands: cli_help.c). */
static const char global_options[] =
    "   --root value        state directory (default: " STATE_DEFAULT_ROOT ",\n"
    "                       $XDG_RUNTIME_DIR/minirunc when not root)\n"
    "   --log value         write errors and --debug lines to this file\n"
    "   --log-format value  text or json (default: \"text\")\n"
    "   --debug             narrate every step of the container's start\n"
    "   --rootless value    false or auto (default: \"auto\"); true is refused\n"
    "   --systemd-cgroup    refused: minirunc has no systemd cgroup driver\n"
    "   --criu value        accepted; minirunc has no checkpoint/restore\n"
    "   --help, -h          show help\n"
    "   --version, -v       print the version\n";

static int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int help_for(const char *cmd);

static int
usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	log_error("%s%s%s", cmd ? cmd : "", cmd ? ": " : "", msg);
	fprintf(stderr, "Run 'minirunc %s%s--help' for usage.\n", cmd ? cmd : "", cmd ? " " : "");
	return 1;
}

static const struct opt *
opt_find(const struct opt *opts, const char *name, size_t len, char shortname)
{
	for (; opts->name; opts++)
		if (shortname ? opts->shortname == shortname
			      : strlen(opts->name) == len && strncmp(opts->name, name, len) == 0)
			return opts;
	return NULL;
}

/* Store one flag's value; returns how many argv entries it used, -1 on error. */
static int
opt_store(const char *cmd, const struct opt *o, const char *inline_val, char **next)
{
	const char *val = inline_val ? inline_val : next ? *next : NULL;
	char *end;

	if (o->flag) {
		if (inline_val)
			*o->flag = strcmp(inline_val, "false") != 0;
		else
			*o->flag = true;
		return 0;
	}
	if (!val)
		return usage_error(cmd, "option --%s needs a value", o->name), -1;
	if (o->many) {
		if (o->many->n == 256)
			return usage_error(cmd, "option --%s given too often", o->name), -1;
		o->many->v[o->many->n++] = val;
	} else if (o->str) {
		*o->str = val;
	} else {
		long n = strtol(val, &end, 10);
		if (*end || n < 0 || n > 4096)
			return usage_error(cmd, "option needs a small number, not \"%s\"", val), -1;
		*o->num = (int)n;
	}
	return inline_val ? 0 : 1;
}

/* Parse flags from argv[*i] on; stops at the first positional argument. */
static int
opt_parse(const char *cmd, const struct opt *opts, int argc, char **argv, int *i)
{
	for (; *i < argc; (*i)++) {
		const char *a = argv[*i], *eq;
		const struct opt *o;
		int used;

		if (strcmp(a, "--") == 0) {
			(*i)++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0')
			break;
		if (a[1] == '-') {
			eq = strchr(a + 2, '=');
			o = opt_find(opts, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2), 0);
		} else {
			eq = a[2] ? (a[2] == '=' ? a + 2 : NULL) : NULL;
			o = (a[2] && !eq) ? NULL : opt_find(opts, NULL, 0, a[1]);
		}
		if (!o && cmd && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0))
			exit(help_for(cmd));
		if (!o)
			return usage_error(cmd, "unknown option %s", a);
		used = opt_store(cmd, o, eq ? eq + 1 : NULL, *i + 1 < argc ? &argv[*i + 1] : NULL);
		if (used < 0)
			return 1;
		*i += used;
	}
	return 0;
}

/* `minirunc -h`: runc's layout (NAME:, USAGE:, ...), since suites read it. */
static void
help_all(void)
{
	size_t n;
	const struct cli_help *h = cli_help_all(&n);

	printf("NAME:\n   minirunc - Open Container Initiative runtime (a minimal one, with runc's "
	       "command line)\n\nUSAGE:\n   minirunc [global options] command [command options] "
	       "[arguments...]\n\nVERSION:\n   %s\ncommit: %s\nspec: %s\n\nCOMMANDS:\n",
	       MINIRUNC_VERSION, MINIRUNC_COMMIT, OCI_SPEC_VERSION);
	for (size_t k = 0; k < n; k++)
		printf("   %-10s  %s\n", h[k].cmd, h[k].what);
	printf("\nGLOBAL OPTIONS:\n%s", global_options);
}

/* `minirunc help CMD`, `minirunc CMD -h`: on stdout, exit 0, as runc. */
static int
help_for(const char *cmd)
{
	const struct cli_help *h = cli_help_find(strcmp(cmd, "h") == 0 ? "help" : cmd);

	if (!h)
		return usage_error(NULL, "no help for unknown command \"%s\"", cmd);
	printf("NAME:\n   minirunc %s - %s\n\nUSAGE:\n   minirunc %s%s%s\n", h->cmd, h->what,
	       h->cmd, h->usage[0] ? " " : "", h->usage);
	if (h->lacks)
		printf("\n%s.\n", h->lacks);
	if (h->options[0])
		printf("\nOPTIONS:\n%s", h->options);
	return 0;
}

/*
 * runc reorders a command's arguments before parsing, so `-h` anywhere among
 * them asks for help (`runc kill ID -h`), except for exec and ps, whose
 * arguments after the id belong to the process (urfave/cli SkipArgReorder);
 * for those, opt_parse sees a -h that comes before the id.
 */
static bool
wants_help(const char *cmd, int argc, char **argv, int i)
{
	if (strcmp(cmd, "exec") == 0 || strcmp(cmd, "ps") == 0 || strcmp(cmd, "net") == 0)
		return false;
	for (; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	return false;
}

/* Check the positional argument count: runc says "requires exactly N argument(s)". */
static int
want_args(const char *cmd, int have, int min, int max)
{
	char msg[128];

	if (have >= min && have <= max)
		return 0;
	if (min == max)
		snprintf(msg, sizeof(msg), "\"%s\" requires exactly %d argument(s)", cmd, min);
	else if (have < min)
		snprintf(msg, sizeof(msg), "\"%s\" requires a minimum of %d argument(s)", cmd, min);
	else
		snprintf(msg, sizeof(msg), "\"%s\" requires a maximum of %d argument(s)", cmd, max);
	return usage_error(cmd, "%s", msg);
}

/* ---- spec ---------------------------------------------------------------- */

static int
cmd_spec(const char *bundle, bool rootless)
{
	char path[4096];
	char *json;
	size_t len;
	int fd;

	snprintf(path, sizeof(path), "%s/config.json", bundle ? bundle : ".");
	/* --rootless: runc's ToRootless for the caller's effective ids (spec.go). */
	json = rootless ? spec_rootless_json(geteuid(), getegid(), &len) : spec_default_json(&len);
	if (!json)
		return log_error("spec: %s", strerror(errno)), 1;
	/* runc refuses to overwrite: "File config.json exists. Remove it first." */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST) {
		free(json);
		log_error("File config.json exists. Remove it first");
		return 1;
	}
	if (fd < 0 || write_all(fd, json, len) < 0) {
		log_error("spec: write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		free(json);
		return 1;
	}
	close(fd);
	free(json);
	return 0;
}

/* ---- features ------------------------------------------------------------- */

static int
cmd_features(void)
{
	size_t len;
	char *json = features_json(OCI_SPEC_VERSION, MINIRUNC_VERSION, MINIRUNC_COMMIT, &len);

	if (!json)
		return log_error("features: %s", strerror(errno)), 1;
	fwrite(json, 1, len, stdout);
	putchar('\n');
	free(json);
	return 0;
}

/* ---- run / create ---------------------------------------------------------- */

/*
 * A relative path on the command line is the caller's, as with runc: the
 * runtime chdirs into the bundle before it writes --pid-file or connects to
 * --console-socket, so make it absolute while the cwd is still the caller's.
 * The copies live in static buffers, as long as the process (a command names
 * at most three such paths), so nothing is left to free at exit.
 */
static int
cli_abs_path(const char **path)
{
	static char pool[3][4096];
	static int used;
	char cwd[4096];
	int n;

	if (!*path || (*path)[0] == '/' || (*path)[0] == '\0')
		return 0;
	if (!getcwd(cwd, sizeof(cwd)))
		return log_error("getcwd: %s", strerror(errno)), -1;
	if (used == 3)
		return log_error("%s: too many relative paths", *path), -1;
	n = snprintf(pool[used], sizeof(pool[used]), "%s/%s", cwd, *path);
	if (n < 0 || (size_t)n >= sizeof(pool[used]))
		return log_error("%s: %s", *path, strerror(ENAMETOOLONG)), -1;
	*path = pool[used++];
	return 0;
}

/*
 * A path naming one of our fds (`-p <(...)` is /dev/fd/63) must survive the
 * re-exec from the sealed copy, which closes every other fd past the
 * preserved ones; the copy marks it close-on-exec again before using it.
 */
static void
cli_keep_named_fd(const char *path)
{
	int fd, n = -1;

	if (!path || (sscanf(path, "/dev/fd/%d%n", &fd, &n) != 1 &&
		      sscanf(path, "/proc/self/fd/%d%n", &fd, &n) != 1))
		return;
	if (n > 0 && path[n] == '\0' && fd > 2)
		fcntl(fd, F_SETFD, 0);
}

/*
 * Before a command that puts processes into a container: only fds 0-2 (and
 * --preserve-fds) may reach the container, and the runtime runs from a
 * sealed copy of itself (SECURITY.md, CVE-2024-21626 and CVE-2019-5736).
 * keep: the CLI_KEEP paths of the command line that may name an fd (or NULL).
 */
#define CLI_KEEP 3
static int
enter_containers(int preserve_fds, char **argv, const char *const keep[CLI_KEEP])
{
	struct err e;

	syscall(SYS_close_range, 3 + preserve_fds, ~0U, CLOSE_RANGE_CLOEXEC);
	for (int k = 0; k < CLI_KEEP; k++)
		cli_keep_named_fd(keep[k]);
	if (selfexe_ensure_sealed(argv, &e) < 0) {
		log_error("%s", e.msg);
		return -1;
	}
	return 0;
}

/* The teaching form `run BUNDLE_DIR`: with no -b, an argument naming a
 * directory that holds config.json is the bundle, and its name the id. */
static void
run_teaching_form(struct create_opts *co, const char *arg, char *idbuf, size_t idlen)
{
	char path[4096], real[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/config.json", arg);
	if (co->bundle || stat(path, &st) < 0 || !realpath(arg, real)) {
		co->id = arg;
		return;
	}
	co->bundle = arg;
	snprintf(idbuf, idlen, "%s", basename(real));
	co->id = idbuf;
}

static int
cmd_create_like(const char *cmd, const char *root, int argc, char **argv, int i)
{
	struct create_opts co = {.root = root};
	bool no_subreaper = false, no_new_keyring = false;
	char idbuf[1100];
	struct opt opts[] = {
	    {"bundle", 'b', &co.bundle, NULL, NULL, NULL},
	    {"console-socket", 0, &co.console_socket, NULL, NULL, NULL},
	    {"pid-file", 0, &co.pid_file, NULL, NULL, NULL},
	    {"no-pivot", 0, NULL, &co.no_pivot, NULL, NULL},
	    {"preserve-fds", 0, NULL, NULL, &co.preserve_fds, NULL},
	    {"no-subreaper", 0, NULL, &no_subreaper, NULL, NULL},
	    {"no-new-keyring", 0, NULL, &no_new_keyring, NULL, NULL},
	    {"detach", 'd', NULL, &co.detach, NULL, NULL},
	    {"keep", 0, NULL, &co.keep, NULL, NULL},
	    {NULL, 0, NULL, NULL, NULL, NULL},
	};

	if (strcmp(cmd, "create") == 0)
		opts[7].name = NULL; /* -d and --keep are run's alone */
	if (opt_parse(cmd, opts, argc, argv, &i) || want_args(cmd, argc - i, 1, 1))
		return 1;
	if (strcmp(cmd, "run") == 0)
		run_teaching_form(&co, argv[i], idbuf, sizeof(idbuf));
	else
		co.id = argv[i];
	{
		struct err e;
		if (id_check(co.id, &e) < 0)
			return log_error("%s", e.msg), 1;
	}
	if (cli_abs_path(&co.pid_file) < 0 || cli_abs_path(&co.console_socket) < 0)
		return 1;
	if (enter_containers(co.preserve_fds, argv,
			     (const char *[CLI_KEEP]){co.pid_file, co.console_socket}) < 0)
		return 1;
	return strcmp(cmd, "run") == 0 ? cmd_run(&co) : cmd_create(&co);
}

/* ---- exec ---------------------------------------------------------------- */

static int
cmd_exec_cli(const char *root, int argc, char **argv, int i)
{
	static struct optlist env, caps, gids;
	struct exec_opts eo = {.root = root};
	const char *apparmor = NULL, *label = NULL, *cgroup = NULL;
	struct opt opts[] = {
	    {"console-socket", 0, &eo.console_socket, NULL, NULL, NULL},
	    {"cwd", 0, &eo.cwd, NULL, NULL, NULL},
	    {"env", 'e', NULL, NULL, NULL, &env},
	    {"tty", 't', NULL, &eo.tty, NULL, NULL},
	    {"user", 'u', &eo.user, NULL, NULL, NULL},
	    {"additional-gids", 'g', NULL, NULL, NULL, &gids},
	    {"process", 'p', &eo.process_json, NULL, NULL, NULL},
	    {"detach", 'd', NULL, &eo.detach, NULL, NULL},
	    {"pid-file", 0, &eo.pid_file, NULL, NULL, NULL},
	    {"process-label", 0, &label, NULL, NULL, NULL},
	    {"apparmor", 0, &apparmor, NULL, NULL, NULL},
	    {"no-new-privs", 0, NULL, &eo.no_new_privs, NULL, NULL},
	    {"cap", 'c', NULL, NULL, NULL, &caps},
	    {"preserve-fds", 0, NULL, NULL, &eo.preserve_fds, NULL},
	    {"cgroup", 0, &cgroup, NULL, NULL, NULL},
	    {"ignore-paused", 0, NULL, &eo.ignore_paused, NULL, NULL},
	    {NULL, 0, NULL, NULL, NULL, NULL},
	};

	if (opt_parse("exec", opts, argc, argv, &i) ||
	    want_args("exec", argc - i, eo.process_json ? 1 : 2, eo.process_json ? 1 : 1 << 20))
		return 1;
	if (apparmor || label || cgroup)
		return log_error("exec: --%s: not supported by minirunc", apparmor ? "apparmor"
									  : label  ? "process-label"
										   : "cgroup"),
		       1;
	eo.id = argv[i];
	eo.args = argv + i + 1;
	eo.env = env.v;
	eo.caps = caps.v;
	eo.gids = gids.v;
	if (cli_abs_path(&eo.pid_file) < 0 || cli_abs_path(&eo.console_socket) < 0 ||
	    cli_abs_path(&eo.process_json) < 0)
		return 255;
	if (enter_containers(
		eo.preserve_fds, argv,
		(const char *[CLI_KEEP]){eo.process_json, eo.pid_file, eo.console_socket}) < 0)
		return 255;
	return cmd_exec(&eo);
}

/* ---- ps, pause, resume, update ------------------------------------------ */

static int
cmd_ps_cli(const char *root, int argc, char **argv, int i)
{
	const char *format = "table";
	struct opt o[] = {{"format", 'f', &format, NULL, NULL, NULL},
			  {NULL, 0, NULL, NULL, NULL, NULL}};
	char **ps_args;

	if (opt_parse("ps", o, argc, argv, &i) || want_args("ps", argc - i, 1, 1 << 20))
		return 1;
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return log_error("invalid format option"), 1;
	/* argv[i] is the id; what follows goes to ps(1) as is (runc: SkipArgReorder).
	 * argv[i] itself becomes ps's argv[0]. */
	ps_args = argv + i;
	if (i + 1 < argc && strcmp(argv[i + 1], "--") == 0) {
		argv[i + 1] = argv[i];
		ps_args = argv + i + 1;
	}
	{
		const char *id = argv[i];
		char *saved = ps_args[0];
		int rc;
		ps_args[0] = "ps";
		rc = cmd_ps(root, id, format, ps_args);
		ps_args[0] = saved;
		return rc;
	}
}

/* docker/go-units RAMInBytes, as runc's update parses sizes: "512m", "1g",
 * "1024", with binary multiples; "-1" is unlimited. */
static int
parse_ram(const char *s, int64_t *out)
{
	static const char units[] = "kmgtp";
	char *end;
	double v;
	const char *u;
	int64_t mult = 1;

	if (strcmp(s, "-1") == 0)
		return *out = -1, 0;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtod(s, &end);
	if (*end == ' ')
		end++;
	if (*end && (u = strchr(units, end[0] | 0x20))) {
		for (long k = 0; k <= u - units; k++)
			mult *= 1024;
		end++;
		if ((*end | 0x20) == 'i')
			end++;
		if ((*end | 0x20) == 'b')
			end++;
	} else if ((*end | 0x20) == 'b') {
		end++;
	}
	if (*end || v * (double)mult > 9.2e18)
		return -1;
	*out = (int64_t)(v * (double)mult);
	return 0;
}

static int
parse_int_flag(const char *name, const char *val, bool is_signed, bool *has, void *out)
{
	char *end;

	if (!val || !*val)
		return 0;
	errno = 0;
	if (is_signed)
		*(int64_t *)out = strtoll(val, &end, 10);
	else if (*val == '-')
		end = (char *)val;
	else
		*(uint64_t *)out = strtoull(val, &end, 10);
	if (*end || errno)
		return log_error("invalid value for %s: \"%s\"", name, val), -1;
	*has = *has || (is_signed ? *(int64_t *)out != 0 : *(uint64_t *)out != 0);
	return 0;
}

struct update_flags {
	const char *file, *memory, *swap, *reservation, *kmem, *kmem_tcp, *shares, *quota, *period,
	    *rt_runtime, *rt_period, *cpus, *mems, *pids, *blkio, *l3, *mba;
};

static int
update_ram(const char *name, const char *val, bool *has, int64_t *out)
{
	if (!val)
		return 0;
	if (parse_ram(val, out) < 0)
		return log_error("invalid value for %s: \"%s\"", name, val), -1;
	*has = *out != 0;
	return 0;
}

/* Flags into resources; only a non-zero value changes anything (runc: update.go). */
static int
update_from_flags(const struct update_flags *f, struct spec_resources *r)
{
	uint64_t blkio = 0;
	bool has_blkio = false;

	r->present = true;
	if (update_ram("memory", f->memory, &r->memory.has_limit, &r->memory.limit) ||
	    update_ram("memory-swap", f->swap, &r->memory.has_swap, &r->memory.swap) ||
	    update_ram("memory-reservation", f->reservation, &r->memory.has_reservation,
		       &r->memory.reservation) ||
	    update_ram("kernel-memory", f->kmem, &r->memory.has_kernel, &r->memory.kernel) ||
	    update_ram("kernel-memory-tcp", f->kmem_tcp, &r->memory.has_kernel_tcp,
		       &r->memory.kernel_tcp) ||
	    parse_int_flag("cpu-share", f->shares, false, &r->cpu.has_shares, &r->cpu.shares) ||
	    parse_int_flag("cpu-quota", f->quota, true, &r->cpu.has_quota, &r->cpu.quota) ||
	    parse_int_flag("cpu-period", f->period, false, &r->cpu.has_period, &r->cpu.period) ||
	    parse_int_flag("cpu-rt-runtime", f->rt_runtime, true, &r->cpu.has_realtime_runtime,
			   &r->cpu.realtime_runtime) ||
	    parse_int_flag("cpu-rt-period", f->rt_period, false, &r->cpu.has_realtime_period,
			   &r->cpu.realtime_period) ||
	    parse_int_flag("pids-limit", f->pids, true, &r->pids.has_limit, &r->pids.limit) ||
	    parse_int_flag("blkio-weight", f->blkio, false, &has_blkio, &blkio))
		return -1;
	if (blkio > 65535)
		return log_error("invalid value for blkio-weight: \"%s\"", f->blkio), -1;
	r->blkio.has_weight = has_blkio;
	r->blkio.weight = (uint16_t)blkio;
	r->cpu.cpus = f->cpus && *f->cpus ? f->cpus : NULL;
	r->cpu.mems = f->mems && *f->mems ? f->mems : NULL;
	if (r->memory.has_kernel || r->memory.has_kernel_tcp)
		log_warn("Kernel memory settings are ignored and will be removed");
	return 0;
}

static int
cmd_update_cli(const char *root, int argc, char **argv, int i)
{
	struct update_flags f = {0};
	struct spec_resources r = {0};
	struct opt o[] = {
	    {"resources", 'r', &f.file, NULL, NULL, NULL},
	    {"memory", 0, &f.memory, NULL, NULL, NULL},
	    {"memory-swap", 0, &f.swap, NULL, NULL, NULL},
	    {"memory-reservation", 0, &f.reservation, NULL, NULL, NULL},
	    {"kernel-memory", 0, &f.kmem, NULL, NULL, NULL},
	    {"kernel-memory-tcp", 0, &f.kmem_tcp, NULL, NULL, NULL},
	    {"cpu-share", 0, &f.shares, NULL, NULL, NULL},
	    {"cpu-quota", 0, &f.quota, NULL, NULL, NULL},
	    {"cpu-period", 0, &f.period, NULL, NULL, NULL},
	    {"cpu-rt-runtime", 0, &f.rt_runtime, NULL, NULL, NULL},
	    {"cpu-rt-period", 0, &f.rt_period, NULL, NULL, NULL},
	    {"cpuset-cpus", 0, &f.cpus, NULL, NULL, NULL},
	    {"cpuset-mems", 0, &f.mems, NULL, NULL, NULL},
	    {"pids-limit", 0, &f.pids, NULL, NULL, NULL},
	    {"blkio-weight", 0, &f.blkio, NULL, NULL, NULL},
	    {"l3-cache-schema", 0, &f.l3, NULL, NULL, NULL},
	    {"mem-bw-schema", 0, &f.mba, NULL, NULL, NULL},
	    {NULL, 0, NULL, NULL, NULL, NULL},
	};

	if (opt_parse("update", o, argc, argv, &i) || want_args("update", argc - i, 1, 1))
		return 1;
	if (f.l3 || f.mba)
		return log_error("update: --%s: Intel RDT is not supported by minirunc",
				 f.l3 ? "l3-cache-schema" : "mem-bw-schema"),
		       1;
	/* runc: with -r, "all other options are ignored". */
	if (!f.file && update_from_flags(&f, &r) < 0)
		return 1;
	return cmd_update(root, argv[i], f.file, &r);
}

/* ---- the rest ----------------------------------------------------------- */

static int
cmd_dispatch(const char *cmd, const char *root, int argc, char **argv, int i)
{
	bool force = false, all = false, quiet = false;
	const char *bundle = NULL, *format = NULL;

	if (strcmp(cmd, "run") == 0 || strcmp(cmd, "create") == 0)
		return cmd_create_like(cmd, root, argc, argv, i);
	if (strcmp(cmd, "exec") == 0)
		return cmd_exec_cli(root, argc, argv, i);
	if (strcmp(cmd, "spec") == 0) {
		bool rootless = false;
		struct opt o[] = {{"bundle", 'b', &bundle, NULL, NULL, NULL},
				  {"rootless", 0, NULL, &rootless, NULL, NULL},
				  {NULL, 0, NULL, NULL, NULL, NULL}};
		if (opt_parse(cmd, o, argc, argv, &i) || want_args(cmd, argc - i, 0, 0))
			return 1;
		return cmd_spec(bundle, rootless);
	}
	if (strcmp(cmd, "start") == 0 || strcmp(cmd, "state") == 0) {
		struct opt o[] = {{NULL, 0, NULL, NULL, NULL, NULL}};
		if (opt_parse(cmd, o, argc, argv, &i) || want_args(cmd, argc - i, 1, 1))
			return 1;
		return cmd[3] == 'r' ? cmd_start(root, argv[i]) : cmd_state(root, argv[i]);
	}
	if (strcmp(cmd, "kill") == 0) {
		struct opt o[] = {{"all", 'a', NULL, &all, NULL, NULL},
				  {NULL, 0, NULL, NULL, NULL, NULL}};
		if (opt_parse(cmd, o, argc, argv, &i) || want_args(cmd, argc - i, 1, 2))
			return 1;
		return cmd_kill(root, argv[i], i + 1 < argc ? argv[i + 1] : NULL, all);
	}
	if (strcmp(cmd, "delete") == 0) {
		struct opt o[] = {{"force", 'f', NULL, &force, NULL, NULL},
				  {NULL, 0, NULL, NULL, NULL, NULL}};
		if (opt_parse(cmd, o, argc, argv, &i) || want_args(cmd, argc - i, 1, 1))
			return 1;
		return cmd_delete(root, argv[i], force);
	}
	if (strcmp(cmd, "ps") == 0)
		return cmd_ps_cli(root, argc, argv, i);
	if (strcmp(cmd, "events") == 0) {
		bool stats = false;
		const char *interval = NULL;
		struct opt o[] = {{"stats", 0, NULL, &stats, NULL, NULL},
				  {"interval", 0, &interval, NULL, NULL, NULL},
				  {NULL, 0, NULL, NULL, NULL, NULL}};
		if (opt_parse(cmd, o, argc, argv, &i) || want_args(cmd, argc - i, 1, 1))
			return 1;
		return cmd_events(root, argv[i], stats, interval);
	}
	if (strcmp(cmd, "update") == 0)
		return cmd_update_cli(root, argc, argv, i);
	if (strcmp(cmd, "pause") == 0 || strcmp(cmd, "resume") == 0) {
		struct opt o[] = {{NULL, 0, NULL, NULL, NULL, NULL}};
		if (opt_parse(cmd, o, argc, argv, &i) || want_args(cmd, argc - i, 1, 1))
			return 1;
		return cmd_pause(root, argv[i], cmd[0] == 'p');
	}
	if (strcmp(cmd, "list") == 0) {
		struct opt o[] = {{"quiet", 'q', NULL, &quiet, NULL, NULL},
				  {"format", 'f', &format, NULL, NULL, NULL},
				  {NULL, 0, NULL, NULL, NULL, NULL}};
		if (opt_parse(cmd, o, argc, argv, &i) || want_args(cmd, argc - i, 0, 0))
			return 1;
		return cmd_list(root, quiet, format);
	}
	if (strcmp(cmd, "features") == 0) {
		struct opt o[] = {{NULL, 0, NULL, NULL, NULL, NULL}};
		if (opt_parse(cmd, o, argc, argv, &i) || want_args(cmd, argc - i, 0, 0))
			return 1;
		return cmd_features();
	}
	if (strcmp(cmd, "net") == 0) {
		/* The bridge, veth, routes and NAT are the host's: no user namespace of
		 * ours can make them (NETWORK.md). */
		if (geteuid() != 0)
			return log_error(
				   "net: the bridge network needs root (it changes the host's "
				   "network); a rootless container gets a network namespace "
				   "with lo only"),
			       1;
		return cmd_net(root, argc - i, argv + i);
	}
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "h") == 0) {
		if (i < argc)
			return help_for(argv[i]);
		help_all();
		return 0;
	}
	/* checkpoint, restore, init: runc's, not minirunc's; say so plainly. */
	if (cli_help_find(cmd) && cli_help_find(cmd)->lacks)
		return log_error("%s: %s", cmd, cli_help_find(cmd)->lacks), 1;
	return usage_error(NULL, "unknown command \"%s\"", cmd);
}

/* --log and --log-format: where and how errors and --debug lines go. */
static int
setup_logging(const struct global *g)
{
	log_debug_on = g->debug;
	if (g->log_format) {
		if (strcmp(g->log_format, "json") == 0)
			log_fmt = LOG_JSON;
		else if (strcmp(g->log_format, "text") != 0)
			return usage_error(NULL, "unknown --log-format \"%s\" (text or json)",
					   g->log_format);
	}
	if (g->log) {
		int fd = open(g->log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0) {
			log_error("--log %s: %s", g->log, strerror(errno));
			return 1;
		}
		log_file = fd;
	}
	return 0;
}

/* No --root: /run/minirunc for root, $XDG_RUNTIME_DIR/minirunc for anyone
 * else, as runc uses $XDG_RUNTIME_DIR/runc (main.go). */
static int
default_root(struct global *g)
{
	static char root[4096];
	struct err e = {{0}};

	if (g->root)
		return 0;
	if (userns_default_root(STATE_DEFAULT_ROOT, root, sizeof(root), &e) < 0) {
		log_error("%s", e.msg);
		return 1;
	}
	g->root = root;
	return 0;
}

int
main(int argc, char **argv)
{
	struct global g = {.root = NULL};
	struct opt gopts[] = {
	    {"root", 0, &g.root, NULL, NULL, NULL},
	    {"log", 0, &g.log, NULL, NULL, NULL},
	    {"log-format", 0, &g.log_format, NULL, NULL, NULL},
	    {"debug", 0, NULL, &g.debug, NULL, NULL},
	    {"help", 'h', NULL, &g.help, NULL, NULL},
	    {"version", 'v', NULL, &g.version, NULL, NULL},
	    {"systemd-cgroup", 0, NULL, &g.systemd_cgroup, NULL, NULL},
	    {"rootless", 0, &g.rootless, NULL, NULL, NULL},
	    {"criu", 0, &g.criu, NULL, NULL, NULL},
	    {NULL, 0, NULL, NULL, NULL, NULL},
	};
	int i = 1;

	userns_note_caller();
	if (opt_parse(NULL, gopts, argc, argv, &i) || setup_logging(&g) || default_root(&g))
		return 1;
	/* The runtime chdirs into the bundle later; keep --root meaning what it
	 * meant where the user typed it. */
	if (g.root[0] != '/') {
		static char abs_root[4096];
		char cwd[4096];
		if (!getcwd(cwd, sizeof(cwd)))
			return log_error("getcwd: %s", strerror(errno)), 1;
		if (snprintf(abs_root, sizeof(abs_root), "%s/%s", cwd, g.root) >=
		    (int)sizeof(abs_root))
			return log_error("--root %s: path too long", g.root), 1;
		g.root = abs_root;
	}
	if (g.version) {
		printf("minirunc version %s\ncommit: %s\nspec: %s\n", MINIRUNC_VERSION,
		       MINIRUNC_COMMIT, OCI_SPEC_VERSION);
		return 0;
	}
	/* No command: the help, exit 0, as runc. */
	if (g.help || i == argc)
		return help_all(), 0;
	if (g.systemd_cgroup)
		return log_error("--systemd-cgroup: not supported by minirunc"), 1;
	if (g.rootless && strcmp(g.rootless, "false") != 0 && strcmp(g.rootless, "auto") != 0)
		return log_error("--rootless %s: not supported by minirunc", g.rootless), 1;
	if (wants_help(argv[i], argc, argv, i + 1))
		return help_for(argv[i]);
	return cmd_dispatch(argv[i], g.root, argc, argv, i + 1);
}
