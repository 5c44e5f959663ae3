/*
 * test_userns.c - user namespaces without a kernel: the uid_map text, the
 * newuidmap argument vector, which maps an unprivileged caller may write
 * itself, and the mapping checks of spec_linux.c with their messages
 * (config.json:L:C: linux.uidMappings[1]: ...).
 */
#include <errno.h>
#include <stdlib.h>

#include "../../spec.h"
#include "../../userns.h"
#include "unit.h"

static struct spec s;
static struct err e;
static char doc[32768];

/* Parse text (with ' for ") as config.json; "" on success, else the message. */
static const char *
parse(const char *text)
{
	size_t i;

	for (i = 0; text[i] && i + 1 < sizeof(doc); i++)
		doc[i] = text[i] == '\'' ? '"' : text[i];
	doc[i] = '\0';
	spec_free(&s);
	memset(&e, 0, sizeof(e));
	if (spec_parse("config.json", doc, strlen(doc), "/b", &s, &e) == 0)
		return "";
	return e.msg;
}

/* The message with its "config.json:L:C: " cut off (the place is shown by spec's tests). */
static const char *
msg_of(const char *m)
{
	const char *p = strstr(m, ": ");

	return p && strncmp(m, "config.json:", 12) == 0 ? p + 2 : m;
}

#define HEAD   "{'ociVersion':'1.0.2','root':{'path':'rootfs'},'linux':{"
#define USERNS "'namespaces':[{'type':'user'}],"
#define GIDS   "'gidMappings':[{'containerID':0,'hostID':100000,'size':65536}]"
#define UIDS   "'uidMappings':[{'containerID':0,'hostID':100000,'size':65536}]"

TEST(map_text_several_lines)
{
	struct spec_idmap m[] = {{0, 100000, 1000}, {1000, 1000, 1}, {4294967294u, 1, 1}};
	char buf[128];

	CHECK(userns_map_text(m, 3, buf, sizeof(buf)) == (int)strlen(buf));
	CHECK_STR(buf, "0 100000 1000\n1000 1000 1\n4294967294 1 1\n");
	errno = 0;
	CHECK(userns_map_text(m, 3, buf, 10) == -1 && errno == E2BIG);
}

TEST(own_id_only)
{
	struct spec_idmap own = {0, 1000, 1}, two[] = {{0, 1000, 1}, {1, 100000, 65536}};

	CHECK(userns_map_is_own(&own, 1, 1000));
	CHECK(!userns_map_is_own(&own, 1, 1001));
	CHECK(!userns_map_is_own(two, 2, 1000));
	own.size = 2;
	CHECK(!userns_map_is_own(&own, 1, 1000));
}

TEST(helper_argv)
{
	struct spec_idmap m[] = {{0, 1000, 1}, {1, 100000, 65536}};
	char *argv[16], store[256];

	CHECK(userns_helper_argv("/usr/bin/newuidmap", 4242, m, 2, argv, 16, store,
				 sizeof(store)) == 8);
	CHECK_STR(argv[0], "/usr/bin/newuidmap");
	CHECK_STR(argv[1], "4242");
	CHECK_STR(argv[2], "0");
	CHECK_STR(argv[3], "1000");
	CHECK_STR(argv[4], "1");
	CHECK_STR(argv[5], "1");
	CHECK_STR(argv[6], "100000");
	CHECK_STR(argv[7], "65536");
	CHECK(argv[8] == NULL);
	errno = 0;
	CHECK(userns_helper_argv("t", 1, m, 2, argv, 5, store, sizeof(store)) == -1 &&
	      errno == E2BIG);
	CHECK(userns_helper_argv("t", 1, m, 2, argv, 16, store, 8) == -1);
}

TEST(mappings_accepted)
{
	CHECK_STR(parse(HEAD USERNS UIDS "," GIDS "}}"), "");
	CHECK(s.n_uid_mappings == 1 && s.uid_mappings[0].host_id == 100000);
	/* Touching ranges do not overlap; the last id 4294967294 is fine. */
	CHECK_STR(parse(HEAD USERNS "'uidMappings':[{'containerID':0,'hostID':0,'size':10},"
				    "{'containerID':10,'hostID':10,'size':4294967285}]," GIDS "}}"),
		  "");
}

TEST(mapping_overlap_container)
{
	CHECK_STR(
	    msg_of(parse(HEAD USERNS "'uidMappings':[{'containerID':0,'hostID':100000,'size':10},"
				     "{'containerID':5,'hostID':200000,'size':10}]," GIDS "}}")),
	    "linux.uidMappings[1]: container ids overlap those of [0]");
}

TEST(mapping_overlap_host)
{
	CHECK_STR(msg_of(parse(HEAD USERNS UIDS
			       ",'gidMappings':[{'containerID':0,'hostID':100000,"
			       "'size':10},{'containerID':50,'hostID':100009,'size':1}]}}")),
		  "linux.gidMappings[1]: host ids overlap those of [0]");
}

TEST(mapping_overflow)
{
	CHECK_STR(msg_of(parse(HEAD USERNS "'uidMappings':[{'containerID':0,'hostID':4294967290,"
					   "'size':10}]," GIDS "}}")),
		  "linux.uidMappings[0]: hostID 4294967290 + size 10 passes 4294967295");
	CHECK_STR(msg_of(parse(HEAD USERNS "'uidMappings':[{'containerID':4294967295,'hostID':0,"
					   "'size':1}]," GIDS "}}")),
		  "linux.uidMappings[0]: containerID 4294967295 + size 1 passes 4294967295");
}

TEST(mapping_too_many_lines)
{
	char text[32000];
	size_t n = 0;

	n += (size_t)snprintf(text + n, sizeof(text) - n, HEAD USERNS GIDS ",'uidMappings':[");
	for (int i = 0; i < 341; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
				      "%s{'containerID':%d,'hostID':%d,'size':1}", i ? "," : "", i,
				      100000 + i);
	snprintf(text + n, sizeof(text) - n, "]}}");
	CHECK_STR(msg_of(parse(text)),
		  "linux.uidMappings: 341 mappings, the kernel takes at most 340");
}

TEST(user_namespace_needs_mappings)
{
	CHECK_STR(
	    msg_of(parse(HEAD USERNS GIDS "}}")),
	    "linux.uidMappings: required with a user namespace (runc: \"no mappings found\")");
	CHECK_STR(
	    msg_of(parse(HEAD USERNS UIDS "}}")),
	    "linux.gidMappings: required with a user namespace (runc: \"no mappings found\")");
	/* By path too, as runc 1.1 requires (specconv setupUserNamespace). */
	CHECK_STR(
	    msg_of(parse(HEAD "'namespaces':[{'type':'user','path':'/proc/1/ns/user'}]}}")),
	    "linux.uidMappings: required with a user namespace (runc: \"no mappings found\")");
}

TEST(user_namespace_root_mapped)
{
	CHECK_STR(msg_of(parse(HEAD USERNS "'uidMappings':[{'containerID':1,'hostID':100000,"
					   "'size':10}]," GIDS "}}")),
		  "linux.uidMappings: container uid 0 is not mapped (runc: \"no user mapping "
		  "found\")");
}

#define MOUNT_HEAD "{'ociVersion':'1.0.2','root':{'path':'rootfs'},'mounts':[{'destination':'/m',"

TEST(mount_idmap_both_or_none)
{
	CHECK_STR(msg_of(parse(MOUNT_HEAD "'type':'bind','source':'/x'," UIDS "}]}")),
		  "mounts[0].gidMappings: required with uidMappings (an idmapped mount maps both)");
	CHECK_STR(parse(MOUNT_HEAD "'type':'bind','source':'/x'," UIDS "," GIDS "}]}"), "");
	CHECK(s.n_mounts == 1 && s.mounts[0].n_uid_mappings == 1 &&
	      s.mounts[0].gid_mappings[0].size == 65536);
}

TEST(mount_idmap_checked_as_the_kernel_does)
{
	CHECK_STR(msg_of(parse(MOUNT_HEAD "'type':'bind','source':'/x'," GIDS ",'uidMappings':["
					  "{'containerID':0,'hostID':1,'size':5},"
					  "{'containerID':4,'hostID':100,'size':1}]}]}")),
		  "mounts[0].uidMappings[1]: container ids overlap those of [0]");
}

int
main(void)
{
	RUN(map_text_several_lines);
	RUN(own_id_only);
	RUN(helper_argv);
	RUN(mappings_accepted);
	RUN(mapping_overlap_container);
	RUN(mapping_overlap_host);
	RUN(mapping_overflow);
	RUN(mapping_too_many_lines);
	RUN(user_namespace_needs_mappings);
	RUN(user_namespace_root_mapped);
	RUN(mount_idmap_both_or_none);
	RUN(mount_idmap_checked_as_the_kernel_does);
	spec_free(&s);
	UNIT_END();
}
