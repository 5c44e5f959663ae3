/*
 * cli_help.c - what `minirunc -h`, `minirunc help [COMMAND]` and
 * `minirunc COMMAND -h` say: for each command, one line on what it does,
 * its USAGE line and the options minirunc accepts for it.
 *
 * runc counterpart: the Name/Usage/ArgsUsage/Flags of each urfave/cli
 * command (run.go, create.go, ...).  The layout (NAME:, USAGE:, OPTIONS:,
 * "   runc CMD - ...") is runc's, because suites read it: runc's help.bats
 * looks for "NAME:" on the first line and "runc CMD" on the second.  The
 * words are minirunc's own.
 *
 * Every runc 1.1 command has an entry, so `-h` answers for each; the ones
 * minirunc does not implement (checkpoint, restore, init) say so in their
 * NAME line, and running them prints `lacks` (minirunc.c).  `net` is
 * minirunc's own (NETWORK.md).  Left out: runc's long DESCRIPTION and
 * EXAMPLE paragraphs.
 */
#include <string.h>

#include "cli_help.h"

#define OPT_BUNDLE "   --bundle value, -b value  the bundle directory (default: the current one)\n"
#define OPT_CONSOLE                                                                                \
	"   --console-socket value    an AF_UNIX socket that receives the pty master of a\n"       \
	"                             terminal: true process\n"
#define OPT_PIDFILE "   --pid-file value          write the process's pid to this file\n"
#define OPT_PRESERVE                                                                               \
	"   --preserve-fds value      pass N more fds (from 3 on) to the process (default: 0)\n"
#define OPT_CREATE                                                                                 \
	OPT_BUNDLE OPT_CONSOLE OPT_PIDFILE                                                         \
	    "   --no-pivot                enter the rootfs with MS_MOVE + chroot, not "            \
	    "pivot_root\n"                                                                         \
	    "   --no-new-keyring          accepted; minirunc never makes a session keyring\n"      \
	    "   --no-subreaper            accepted; minirunc never makes itself a "                \
	    "subreaper\n" OPT_PRESERVE

/* runc does both with CRIU; minirunc has no CRIU support. */
#define LACKS_CRIU(cmd) "minirunc does not implement " cmd " (runc does it with CRIU)"

static const struct cli_help help[] = {
    {"checkpoint", "not implemented by minirunc (runc: checkpoint a container with CRIU)",
     "[command options] <container-id>", "", LACKS_CRIU("checkpoint")},
    {"create", "create a container; its process waits for `start`",
     "[command options] <container-id>", OPT_CREATE, NULL},
    {"delete", "delete a container and everything it had on the host",
     "[command options] <container-id>",
     "   --force, -f  kill a running container first; no error if it does not exist\n", NULL},
    {"events", "print a container's events (oom) and, with --stats, its usage, as JSON",
     "[command options] <container-id>",
     "   --stats           print the usage once and exit\n"
     "   --interval value  how often to print the usage (default: 5s)\n",
     NULL},
    {"exec", "run a new process inside a running container",
     "[command options] <container-id> <command> [command options]  || "
     "-p process.json <container-id>",
     "   --console-socket value             an AF_UNIX socket that receives the pty master\n"
     "   --cwd value                        the process's working directory\n"
     "   --env value, -e value              add an environment variable (VAR=VALUE)\n"
     "   --tty, -t                          give the process a pseudo-terminal\n"
     "   --user value, -u value             UID[:GID] to run as\n"
     "   --additional-gids value, -g value  add a supplementary group id\n"
     "   --process value, -p value          the process as OCI process JSON\n"
     "   --detach, -d                       do not wait for the process\n"
     "   --pid-file value                   write the process's pid to this file\n"
     "   --no-new-privs                     set no_new_privs for the process\n"
     "   --cap value, -c value              add a capability to the process's sets\n"
     "   --preserve-fds value               pass N more fds (from 3 on) (default: 0)\n"
     "   --ignore-paused                    exec even if the container is paused\n"
     "   (--process-label, --apparmor and --cgroup are refused: not supported)\n",
     NULL},
    {"features", "print the features this build implements, as JSON", "", "", NULL},
    {"init", "runc's internal container init; not a minirunc command", "", "",
     "minirunc has no init command (its container init runs inside create and run)"},
    {"kill", "send a signal (default: SIGTERM) to a container's init",
     "[command options] <container-id> [signal]",
     "   --all, -a  signal every process of the container (its cgroup)\n", NULL},
    {"list", "list the containers under --root", "[command options]",
     "   --format value, -f value  table or json (default: \"table\")\n"
     "   --quiet, -q               print the ids only\n",
     NULL},
    {"pause", "freeze every process of a container (its cgroup)", "<container-id>", "", NULL},
    {"ps", "list the processes of a container (its cgroup) with ps(1)",
     "[command options] <container-id> [ps options]",
     "   --format value, -f value  table or json (default: \"table\")\n", NULL},
    {"restore", "not implemented by minirunc (runc: restore a container with CRIU)",
     "[command options] <container-id>", "", LACKS_CRIU("restore")},
    {"resume", "thaw a paused container", "<container-id>", "", NULL},
    {"run", "create a container and start it",
     "[command options] <container-id>\n   minirunc run <bundle-dir>   (the id is the directory's "
     "name)",
     OPT_CREATE "   --detach, -d              do not wait for the container's process\n"
		"   --keep                    do not delete the container when it exits\n",
     NULL},
    {"spec", "write a default config.json (runc's)", "[command options]",
     OPT_BUNDLE "   --rootless                a config for a container run without root\n", NULL},
    {"start", "start the process of a created container", "<container-id>", "", NULL},
    {"state", "print the state of a container as JSON", "<container-id>", "", NULL},
    {"update", "change a container's cgroup limits", "[command options] <container-id>",
     "   --resources value, -r value  the new linux.resources as JSON (- is stdin);\n"
     "                                the other options are then ignored\n"
     "   --memory value, --memory-swap value, --memory-reservation value  bytes (512m, 1g)\n"
     "   --kernel-memory value, --kernel-memory-tcp value  accepted and ignored, as runc\n"
     "   --cpu-share value, --cpu-quota value, --cpu-period value\n"
     "   --cpu-rt-runtime value, --cpu-rt-period value\n"
     "   --cpuset-cpus value, --cpuset-mems value  lists such as 0-3,5\n"
     "   --pids-limit value           the most tasks the container may have\n"
     "   --blkio-weight value         the block IO weight\n"
     "   (--l3-cache-schema and --mem-bw-schema are refused: no Intel RDT)\n",
     NULL},
    {"net", "minirunc's own: the seed's bridge network (create, delete, hook, ls, reset)",
     "create|delete|hook|ls|reset [options]", "", NULL},
    {"help", "list the commands, or show one command's help", "[command]", "", NULL},
};

const struct cli_help *
cli_help_find(const char *cmd)
{
	for (size_t i = 0; i < sizeof(help) / sizeof(help[0]); i++)
		if (strcmp(help[i].cmd, cmd) == 0)
			return &help[i];
	return NULL;
}

const struct cli_help *
cli_help_all(size_t *n)
{
	*n = sizeof(help) / sizeof(help[0]);
	return help;
}
