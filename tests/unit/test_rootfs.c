/*
 * test_rootfs.c - the parts of rootfs.c that need no root: runc's mount option
 * vocabulary, mount kinds, propagation names, the sysctl rules, path
 * comparison, mountinfo lines, rootfs_check's messages, and the in-rootfs
 * path resolver on a scratch directory (symlinks must never climb out).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rootfs.h"
#include "unit.h"

TEST(options_runc_dev_tmpfs)
{
	const char *opts[] = {"nosuid", "strictatime", "mode=755", "size=65536k", NULL};
	struct rootfs_mopts o;

	CHECK(rootfs_parse_options(opts, &o) == 0);
	CHECK(o.flags == (MS_NOSUID | MS_STRICTATIME));
	CHECK_STR(o.data, "mode=755,size=65536k");
	CHECK(o.n_propagation == 0);
	CHECK(rootfs_mount_kind("tmpfs", &o) == ROOTFS_TMPFS);
}

TEST(options_runc_devpts_data_kept_in_order)
{
	const char *opts[] = {"nosuid",	   "noexec", "newinstance", "ptmxmode=0666",
			      "mode=0620", "gid=5",  NULL};
	struct rootfs_mopts o;

	CHECK(rootfs_parse_options(opts, &o) == 0);
	CHECK(o.flags == (MS_NOSUID | MS_NOEXEC));
	CHECK_STR(o.data, "newinstance,ptmxmode=0666,mode=0620,gid=5");
	CHECK(rootfs_mount_kind("devpts", &o) == ROOTFS_OTHER);
}

TEST(options_later_word_wins)
{
	const char *a[] = {"ro", "rw", NULL}, *b[] = {"rw", "ro", NULL};
	const char *c[] = {"nosuid", "suid", "nodev", "dev", "noexec", "exec", NULL};
	struct rootfs_mopts o;

	CHECK(rootfs_parse_options(a, &o) == 0 && !(o.flags & MS_RDONLY));
	CHECK(rootfs_parse_options(b, &o) == 0 && (o.flags & MS_RDONLY));
	CHECK(rootfs_parse_options(c, &o) == 0 && o.flags == 0);
}

TEST(options_full_vocabulary)
{
	const char *opts[] = {"sync",	    "dirsync",	"remount", "mand",     "noatime",
			      "nodiratime", "relatime", "silent",  "iversion", "lazytime",
			      "acl",	    "defaults", NULL};
	const char *undo[] = {"async",	    "nomand",	     "atime", "diratime",
			      "norelatime", "nostrictatime", "loud",  "noiversion",
			      "nolazytime", "noacl",	     NULL};
	struct rootfs_mopts o;

	CHECK(rootfs_parse_options(opts, &o) == 0);
	CHECK(o.flags ==
	      (MS_SYNCHRONOUS | MS_DIRSYNC | MS_REMOUNT | MS_MANDLOCK | MS_NOATIME | MS_NODIRATIME |
	       MS_RELATIME | MS_SILENT | MS_I_VERSION | MS_LAZYTIME | MS_POSIXACL));
	CHECK_STR(o.data, "");
	CHECK(rootfs_parse_options(undo, &o) == 0 && o.flags == 0 && o.data[0] == '\0');
}

TEST(options_bind_and_propagation)
{
	const char *opts[] = {"rbind", "ro", "rprivate", "slave", NULL};
	struct rootfs_mopts o;

	CHECK(rootfs_parse_options(opts, &o) == 0);
	CHECK(o.flags == (MS_BIND | MS_REC | MS_RDONLY));
	CHECK(o.n_propagation == 2);
	CHECK(o.propagation[0] == (MS_PRIVATE | MS_REC));
	CHECK(o.propagation[1] == MS_SLAVE);
	/* runc: a bind is a bind whatever "type" says. */
	CHECK(rootfs_mount_kind("tmpfs", &o) == ROOTFS_BIND);
	CHECK(rootfs_mount_kind("none", &o) == ROOTFS_BIND);
	CHECK(rootfs_mount_kind(NULL, &o) == ROOTFS_BIND);
}

TEST(options_recursive_attrs_and_extension)
{
	const char *opts[] = {"rro", "rnosuid", "rnoatime", "rrelatime", "tmpcopyup", NULL};
	struct rootfs_mopts o;

	CHECK(rootfs_parse_options(opts, &o) == 0);
	CHECK(o.flags == 0);
	CHECK(o.attr_set == (0x1 | 0x2)); /* MOUNT_ATTR_RDONLY | NOSUID, relatime is 0 */
	CHECK(o.attr_clr == 0x70);	  /* MOUNT_ATTR__ATIME */
	CHECK(o.tmpcopyup);
	CHECK_STR(o.data, "");
}

TEST(options_data_too_long_is_e2big)
{
	static char big[5000];
	const char *opts[] = {big, NULL};
	struct rootfs_mopts o;

	memset(big, 'x', sizeof(big) - 1);
	errno = 0;
	CHECK(rootfs_parse_options(opts, &o) == -1 && errno == E2BIG);
	CHECK(rootfs_parse_options(NULL, &o) == 0 && o.flags == 0);
}

TEST(mount_kinds)
{
	struct rootfs_mopts o;

	CHECK(rootfs_parse_options(NULL, &o) == 0);
	CHECK(rootfs_mount_kind(NULL, &o) == ROOTFS_NOTYPE);
	CHECK(rootfs_mount_kind("", &o) == ROOTFS_NOTYPE);
	CHECK(rootfs_mount_kind("proc", &o) == ROOTFS_PROC);
	CHECK(rootfs_mount_kind("sysfs", &o) == ROOTFS_SYSFS);
	CHECK(rootfs_mount_kind("cgroup", &o) == ROOTFS_CGROUP);
	CHECK(rootfs_mount_kind("mqueue", &o) == ROOTFS_OTHER);
}

TEST(propagation_names)
{
	CHECK(rootfs_propagation_flags("rslave") == (MS_SLAVE | MS_REC));
	CHECK(rootfs_propagation_flags("shared") == MS_SHARED);
	CHECK(rootfs_propagation_flags("private") == MS_PRIVATE);
	CHECK(rootfs_propagation_flags("runbindable") == (MS_UNBINDABLE | MS_REC));
	CHECK(rootfs_propagation_flags("rshared") == (MS_SHARED | MS_REC));
	CHECK(rootfs_propagation_flags("ro") == 0);
	CHECK(rootfs_propagation_flags("bogus") == 0);
	CHECK(rootfs_propagation_flags(NULL) == 0);
}

TEST(sysctl_rules_follow_runc_validator)
{
	int all = CLONE_NEWIPC | CLONE_NEWNET | CLONE_NEWUTS;

	CHECK(rootfs_sysctl_refusal("kernel.shmmax", all) == NULL);
	CHECK(rootfs_sysctl_refusal("kernel.shm_rmid_forced", CLONE_NEWIPC) == NULL);
	CHECK(rootfs_sysctl_refusal("fs.mqueue.msg_max", CLONE_NEWIPC) == NULL);
	CHECK(rootfs_sysctl_refusal("kernel.msgmax", CLONE_NEWNET) != NULL);
	CHECK(rootfs_sysctl_refusal("net.ipv4.ip_forward", CLONE_NEWNET) == NULL);
	CHECK(rootfs_sysctl_refusal("net.ipv4.ip_forward", CLONE_NEWIPC) != NULL);
	CHECK(rootfs_sysctl_refusal("kernel.domainname", CLONE_NEWUTS) == NULL);
	CHECK(rootfs_sysctl_refusal("kernel.domainname", 0) != NULL);
	CHECK(strstr(rootfs_sysctl_refusal("kernel.hostname", all), "hostname") != NULL);
	CHECK(rootfs_sysctl_refusal("kernel.msgmaxx", all) != NULL);
	CHECK(rootfs_sysctl_refusal("vm.swappiness", all) != NULL);
	CHECK(rootfs_sysctl_refusal("kernel.pid_max", all) != NULL);
}

TEST(paths_compare_by_component)
{
	CHECK(rootfs_path_same("/dev", "/dev/"));
	CHECK(rootfs_path_same("//dev/./", "/dev"));
	CHECK(!rootfs_path_same("/dev", "/dev/shm"));
	CHECK(!rootfs_path_same("/devx", "/dev"));
	CHECK(rootfs_path_same("/", "//"));
	CHECK(rootfs_path_under("/proc/sys", "/proc"));
	CHECK(rootfs_path_under("/proc", "/proc"));
	CHECK(!rootfs_path_under("/procx", "/proc"));
	CHECK(!rootfs_path_under("/a/bc", "/a/b"));
	CHECK(rootfs_path_under("/anything", "/"));
	CHECK(!rootfs_path_under("/", "/a"));
}

/* root.path is compared, cleaned, with its realpath (runc: configs/validate rootfs). */
TEST(paths_clean_as_go_filepath_clean)
{
	char out[64];

	CHECK(rootfs_path_clean("/a/./b/../c/", out, sizeof(out)) == 0 && !strcmp(out, "/a/c"));
	CHECK(rootfs_path_clean("//a//b", out, sizeof(out)) == 0 && !strcmp(out, "/a/b"));
	CHECK(rootfs_path_clean("/..", out, sizeof(out)) == 0 && !strcmp(out, "/"));
	CHECK(rootfs_path_clean("/a/../..", out, sizeof(out)) == 0 && !strcmp(out, "/"));
	CHECK(rootfs_path_clean("/", out, sizeof(out)) == 0 && !strcmp(out, "/"));
	CHECK(rootfs_path_clean("/abcdefgh", out, 6) < 0 && errno == ENAMETOOLONG);
}

TEST(mountinfo_line_split)
{
	char line[] = "73 72 0:29 /a\\040b /sys/fs/cgroup/cpu ro,nosuid shared:5 master:2 - cgroup "
		      "cgroup rw,cpu\n";
	char bad[] = "73 72 0:29 / /x rw no-separator";
	struct rootfs_mountinfo mi;

	CHECK(rootfs_mountinfo_parse(line, &mi) == 0);
	CHECK_STR(mi.root, "/a b");
	CHECK_STR(mi.mountpoint, "/sys/fs/cgroup/cpu");
	CHECK_STR(mi.mount_opts, "ro,nosuid");
	CHECK_STR(mi.optional, "shared:5");
	CHECK_STR(mi.fstype, "cgroup");
	CHECK_STR(mi.source, "cgroup");
	CHECK_STR(mi.super_opts, "rw,cpu");
	CHECK(rootfs_mountinfo_parse(bad, &mi) == -1);
}

TEST(mountinfo_no_optional_fields)
{
	char line[] = "22 27 0:21 / /proc rw,relatime - proc proc rw";
	struct rootfs_mountinfo mi;

	CHECK(rootfs_mountinfo_parse(line, &mi) == 0);
	CHECK_STR(mi.optional, "");
	CHECK_STR(mi.fstype, "proc");
	CHECK_STR(mi.super_opts, "rw");
}

/* ---- the resolver, on a scratch tree ---- */

static char scratch[PATH_MAX];

static int
scratch_root(void)
{
	char p[PATH_MAX + 16];

	snprintf(scratch, sizeof(scratch), "/tmp/test_rootfs.XXXXXX");
	if (!mkdtemp(scratch))
		return -1;
	snprintf(p, sizeof(p), "%s/root", scratch);
	mkdir(p, 0755);
	return open(p, O_PATH | O_DIRECTORY | O_CLOEXEC);
}

static int
exists(const char *rel, mode_t type)
{
	char p[PATH_MAX * 2];
	struct stat st;

	snprintf(p, sizeof(p), "%s/root/%s", scratch, rel);
	return lstat(p, &st) == 0 && (st.st_mode & S_IFMT) == type;
}

static void
scratch_clean(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", scratch);
	if (system(cmd) != 0)
		fprintf(stderr, "  could not remove %s\n", scratch);
}

TEST(resolve_symlink_climbing_out_lands_inside)
{
	int root = scratch_root(), fd;
	char link[PATH_MAX * 2], escape[64], hostpath[128];
	struct stat st;

	CHECK(root >= 0);
	/* rootfs/a -> ../../../../<unique>: the host twin must never appear. */
	snprintf(escape, sizeof(escape), "mr-escape-%d", (int)getpid());
	snprintf(link, sizeof(link), "%s/root/a", scratch);
	snprintf(hostpath, sizeof(hostpath), "../../../../../../../../%s", escape);
	CHECK(symlink(hostpath, link) == 0);
	fd = rootfs_resolve(root, "/a/b", ROOTFS_MKDIR);
	CHECK(fd >= 0);
	snprintf(link, sizeof(link), "%s/b", escape);
	CHECK(exists(link, S_IFDIR));
	snprintf(hostpath, sizeof(hostpath), "/%s", escape);
	CHECK(stat(hostpath, &st) < 0 && errno == ENOENT);
	if (fd >= 0)
		close(fd);
	close(root);
	scratch_clean();
}

TEST(resolve_absolute_symlink_is_rooted)
{
	int root = scratch_root(), fd;
	char link[PATH_MAX * 2];

	snprintf(link, sizeof(link), "%s/root/etc", scratch);
	CHECK(symlink("/", link) == 0); /* rootfs/etc -> / means the rootfs itself */
	fd = rootfs_resolve(root, "/etc/x/y", ROOTFS_MKDIR);
	CHECK(fd >= 0);
	CHECK(exists("x/y", S_IFDIR));
	if (fd >= 0)
		close(fd);
	fd = rootfs_resolve(root, "/../../../x", 0); /* ".." clamps at the root */
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	close(root);
	scratch_clean();
}

TEST(resolve_creates_file_and_refuses_symlinks_when_asked)
{
	int root = scratch_root(), fd;
	char link[PATH_MAX * 2];

	fd = rootfs_resolve(root, "/etc/resolv.conf", ROOTFS_MKFILE);
	CHECK(fd >= 0);
	CHECK(exists("etc", S_IFDIR));
	CHECK(exists("etc/resolv.conf", S_IFREG));
	if (fd >= 0)
		close(fd);
	snprintf(link, sizeof(link), "%s/root/proc", scratch);
	CHECK(symlink("/etc", link) == 0);
	errno = 0;
	CHECK(rootfs_resolve(root, "/proc", ROOTFS_MKDIR | ROOTFS_NOSYMLINKS) == -1);
	CHECK(errno == ELOOP);
	errno = 0;
	CHECK(rootfs_resolve(root, "/missing", 0) == -1 && errno == ENOENT);
	close(root);
	scratch_clean();
}

TEST(resolve_dangling_symlink_to_file_is_created_inside)
{
	int root = scratch_root(), fd;
	char link[PATH_MAX * 2];

	snprintf(link, sizeof(link), "%s/root/hosts", scratch);
	CHECK(symlink("../../../../etc/minirunc-test-hosts", link) == 0);
	fd = rootfs_resolve(root, "/hosts", ROOTFS_MKFILE);
	CHECK(fd >= 0);
	CHECK(exists("etc/minirunc-test-hosts", S_IFREG));
	CHECK(access("/etc/minirunc-test-hosts", F_OK) < 0);
	if (fd >= 0)
		close(fd);
	close(root);
	scratch_clean();
}

TEST(resolve_symlink_loop_is_eloop)
{
	int root = scratch_root();
	char link[PATH_MAX * 2];

	snprintf(link, sizeof(link), "%s/root/loop", scratch);
	CHECK(symlink("loop", link) == 0);
	errno = 0;
	CHECK(rootfs_resolve(root, "/loop/x", ROOTFS_MKDIR) == -1 && errno == ELOOP);
	close(root);
	scratch_clean();
}

/* ---- rootfs_check's messages ---- */

static struct spec_mount test_mounts[4];
static const char *no_opts[] = {NULL};

static void
spec_with_root(struct spec *s, const char *root)
{
	memset(s, 0, sizeof(*s));
	s->root_path = (char *)root;
	for (int i = 0; i < 4; i++)
		test_mounts[i] = (struct spec_mount){
		    .destination = "/proc", .type = "proc", .source = "proc", .options = no_opts};
	s->mounts = test_mounts;
	s->n_mounts = 4;
}

TEST(check_messages)
{
	struct spec s;
	struct err e;
	struct spec_device dev = {.type = 'x', .path = "/dev/foo"};
	struct spec_kv kv = {"kernel.hostname", "x"};
	struct spec_namespace uts = {.flag = CLONE_NEWUTS, .type = "uts"};

	spec_with_root(&s, "/x/rootfs");
	CHECK(rootfs_check(&s, &e) == -1);
	CHECK_STR(e.msg, "rootfs /x/rootfs: No such file or directory");
	spec_with_root(&s, "/");
	CHECK(rootfs_check(&s, &e) == -1 && strstr(e.msg, "invalid rootfs"));
	spec_with_root(&s, "/usr/.");
	CHECK(rootfs_check(&s, &e) == 0);
	test_mounts[3].type = "foo";
	CHECK(rootfs_check(&s, &e) == -1);
	CHECK_STR(e.msg, "mounts[3]: unknown mount type \"foo\"");
	test_mounts[3].type = NULL;
	CHECK(rootfs_check(&s, &e) == -1 && strstr(e.msg, "no type"));
	spec_with_root(&s, "/usr");
	s.rootfs_propagation = "sideways";
	CHECK(rootfs_check(&s, &e) == -1 && strstr(e.msg, "rootfsPropagation"));
	s.rootfs_propagation = "rshared";
	s.devices = &dev;
	s.n_devices = 1;
	CHECK(rootfs_check(&s, &e) == -1);
	CHECK_STR(e.msg, "linux.devices[0]: unknown device type 'x'");
	dev.type = 'c';
	/* Anywhere in the rootfs, as runc; "/", "." or ".." last names no node. */
	dev.path = "/etc/foo";
	CHECK(rootfs_check(&s, &e) == 0);
	dev.path = "/../../foo-dev/";
	CHECK(rootfs_check(&s, &e) == 0);
	dev.path = "/";
	CHECK(rootfs_check(&s, &e) == -1);
	CHECK_STR(e.msg, "linux.devices[0]: path / is not an absolute path ending in a file name");
	dev.path = "//";
	CHECK(rootfs_check(&s, &e) == -1 &&
	      strstr(e.msg, "is not an absolute path ending in a file name"));
	dev.path = "/dev/..";
	CHECK(rootfs_check(&s, &e) == -1 &&
	      strstr(e.msg, "is not an absolute path ending in a file name"));
	dev.path = "/a/./";
	CHECK(rootfs_check(&s, &e) == -1 &&
	      strstr(e.msg, "is not an absolute path ending in a file name"));
	dev.path = "foo";
	CHECK(rootfs_check(&s, &e) == -1 &&
	      strstr(e.msg, "is not an absolute path ending in a file name"));
	dev.path = "/dev/net/tun";
	CHECK(rootfs_check(&s, &e) == 0);
	s.sysctl = &kv;
	s.n_sysctl = 1;
	s.namespaces = &uts;
	s.n_namespaces = 1;
	CHECK(rootfs_check(&s, &e) == -1 && strstr(e.msg, "kernel.hostname"));
}

TEST(check_bind_without_type_is_fine)
{
	const char *opts[] = {"rbind", "ro", NULL};
	struct spec s;
	struct err e;

	spec_with_root(&s, "/usr");
	test_mounts[1] =
	    (struct spec_mount){.destination = "/data", .source = "/tmp", .options = opts};
	CHECK(rootfs_check(&s, &e) == 0);
	test_mounts[1].source = NULL;
	CHECK(rootfs_check(&s, &e) == -1 && strstr(e.msg, "no source"));
}

int
main(void)
{
	RUN(options_runc_dev_tmpfs);
	RUN(options_runc_devpts_data_kept_in_order);
	RUN(options_later_word_wins);
	RUN(options_full_vocabulary);
	RUN(options_bind_and_propagation);
	RUN(options_recursive_attrs_and_extension);
	RUN(options_data_too_long_is_e2big);
	RUN(mount_kinds);
	RUN(propagation_names);
	RUN(sysctl_rules_follow_runc_validator);
	RUN(paths_compare_by_component);
	RUN(paths_clean_as_go_filepath_clean);
	RUN(mountinfo_line_split);
	RUN(mountinfo_no_optional_fields);
	RUN(resolve_symlink_climbing_out_lands_inside);
	RUN(resolve_absolute_symlink_is_rooted);
	RUN(resolve_creates_file_and_refuses_symlinks_when_asked);
	RUN(resolve_dangling_symlink_to_file_is_created_inside);
	RUN(resolve_symlink_loop_is_eloop);
	RUN(check_messages);
	RUN(check_bind_without_type_is_fine);
	UNIT_END();
}
