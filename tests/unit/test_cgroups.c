/*
 * test_cgroups.c - what cgroups.c and spec_resources.c compute without a
 * kernel: runc's v1->v2 conversions, cgroupsPath cleaning, the state.json
 * record, and linux.resources parsing with its messages.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cgroups.h"
#include "../../spec.h"
#include "unit.h"

TEST(shares_become_weights_as_runc_converts_them)
{
	CHECK(cg_shares_to_weight(0) == 0); /* 0 asks for nothing */
	CHECK(cg_shares_to_weight(2) == 1);
	CHECK(cg_shares_to_weight(1024) == 39);
	CHECK(cg_shares_to_weight(262144) == 10000);
	CHECK(cg_blkio_to_io_weight(0) == 0);
	CHECK(cg_blkio_to_io_weight(10) == 1);
	CHECK(cg_blkio_to_io_weight(500) == 4950);
	CHECK(cg_blkio_to_io_weight(1000) == 10000);
}

TEST(memory_swap_is_memory_plus_swap_on_v1_and_swap_alone_on_v2)
{
	int64_t out = 7;

	CHECK(cg_swap_to_v2(0, -1, &out) == 0 && out == -1); /* unlimited memory: swap too */
	CHECK(cg_swap_to_v2(-1, 100, &out) == 0 && out == -1);
	CHECK(cg_swap_to_v2(0, 100, &out) == 0 && out == 0);
	CHECK(cg_swap_to_v2(300, 100, &out) == 0 && out == 200);
	CHECK(cg_swap_to_v2(100, 100, &out) == 0 && out == 0);
	CHECK(cg_swap_to_v2(50, 100, &out) < 0);
	CHECK(cg_swap_to_v2(100, 0, &out) < 0);
	CHECK(cg_swap_to_v2(100, -1, &out) < 0);
}

static const char *
clean(const char *in)
{
	static char out[256];

	cg_clean_path(in, out, sizeof(out));
	return out;
}

TEST(cgroups_path_cannot_climb_out_of_where_it_is_put)
{
	CHECK_STR(clean("a/../../b"), "b");
	CHECK_STR(clean("../../etc"), "etc");
	CHECK_STR(clean("/a//b/./c/.."), "/a/b");
	CHECK_STR(clean("/../x"), "/x");
	CHECK_STR(clean("/"), "/");
	CHECK_STR(clean(".."), "");
	CHECK_STR(clean("docker/abc"), "docker/abc");
}

TEST(the_state_record_round_trips_and_refuses_foreign_paths)
{
	struct cg cg = {.layout = CG_HYBRID, .n = 2};
	struct cg back;
	struct err e;
	char *json;

	cg.d[0] = (struct cg_dir){.ctrl = "memory",
				  .path = "/sys/fs/cgroup/memory/x/c1",
				  .made = "/sys/fs/cgroup/memory/x",
				  .ino = 42,
				  .fd = -1};
	cg.d[1] = (struct cg_dir){.ctrl = "", .path = "/sys/fs/cgroup/unified/c1", .fd = -1};
	json = cg_encode(&cg);
	CHECK(json != NULL);
	CHECK(cg_decode(json, strlen(json), &back, &e) == 0);
	CHECK(back.layout == CG_HYBRID && back.n == 2 && back.d[0].ino == 42);
	CHECK_STR(back.d[0].made, "/sys/fs/cgroup/memory/x");
	CHECK(back.d[1].made == NULL && back.d[1].fd == -1);
	CHECK_STR(cg_path(&back, "memory"), "/sys/fs/cgroup/memory/x/c1");
	CHECK_STR(cg_path(&back, ""), "/sys/fs/cgroup/unified/c1");
	CHECK(cg_path(&back, "pids") == NULL && cg_dirfd(&back, "memory") == -1);
	cg_free(&back);
	free(json);
	json = "{\"layout\":\"v2\",\"dirs\":[{\"controllers\":\"\",\"path\":\"/etc\",\"made\":\"/"
	       "etc\"}]}";
	CHECK(cg_decode(json, strlen(json), &back, &e) < 0 && errno == EINVAL);
	json = "{\"layout\":\"v2\",\"dirs\":[{\"controllers\":\"\",\"path\":\"/sys/fs/cgroup/../../"
	       "etc\"}]}";
	CHECK(cg_decode(json, strlen(json), &back, &e) < 0);
	json = "{\"layout\":\"v2\",\"dirs\":[{\"controllers\":\"\",\"path\":\"/sys/fs/cgroup/a/b\","
	       "\"made\":\"/sys/fs/cgroup/c\"}]}";
	CHECK(cg_decode(json, strlen(json), &back, &e) < 0);
}

static struct spec s;
static struct err e;

static const char *
res(const char *resources)
{
	char doc[4096];

	spec_free(&s);
	snprintf(doc, sizeof(doc),
		 "{\"ociVersion\":\"1.0.2\",\"root\":{\"path\":\"rootfs\"},\"linux\":{"
		 "\"resources\":%s}}",
		 resources);
	e.msg[0] = '\0';
	return spec_parse("config.json", doc, strlen(doc), "/b", &s, &e) == 0 ? "" : e.msg;
}

TEST(every_resource_is_parsed)
{
	CHECK_STR(
	    res("{\"devices\":[{\"allow\":false,\"access\":\"rwm\"},"
		"{\"allow\":true,\"type\":\"c\",\"major\":10,\"minor\":229,\"access\":\"rw\"}],"
		"\"memory\":{\"limit\":1048576,\"reservation\":1,\"swap\":-1,"
		"\"swappiness\":60,\"disableOOMKiller\":false},"
		"\"cpu\":{\"shares\":1024,\"quota\":50000,\"period\":100000,"
		"\"realtimeRuntime\":0,\"realtimePeriod\":0,\"cpus\":\"0\",\"mems\":\"0\","
		"\"idle\":1,\"burst\":10},"
		"\"pids\":{\"limit\":-1},"
		"\"blockIO\":{\"weight\":500,\"leafWeight\":10,\"weightDevice\":"
		"[{\"major\":8,\"minor\":0,\"weight\":100}],\"throttleReadBpsDevice\":"
		"[{\"major\":8,\"minor\":0,\"rate\":1048576}]},"
		"\"hugepageLimits\":[{\"pageSize\":\"2MB\",\"limit\":0}],"
		"\"rdma\":{\"mlx5_1\":{\"hcaHandles\":3}},"
		"\"network\":{\"classID\":1048577,\"priorities\":[{\"name\":\"eth0\","
		"\"priority\":5}]},"
		"\"unified\":{\"memory.high\":\"max\"}}"),
	    "");
	const struct spec_resources *r = &s.resources;
	CHECK(r->present && r->n_devices == 2);
	CHECK(!r->devices[0].allow && r->devices[0].type == 'a' && r->devices[0].major == -1 &&
	      r->devices[0].minor == -1);
	CHECK(r->devices[1].allow && r->devices[1].type == 'c' && r->devices[1].major == 10 &&
	      strcmp(r->devices[1].access, "rw") == 0);
	CHECK(r->memory.has_limit && r->memory.limit == 1048576 && r->memory.swap == -1);
	CHECK(r->memory.has_disable_oom_killer && !r->memory.disable_oom_killer);
	CHECK(r->memory.has_swappiness && r->memory.swappiness == 60);
	CHECK(r->cpu.shares == 1024 && r->cpu.quota == 50000 && r->cpu.has_realtime_runtime &&
	      r->cpu.realtime_runtime == 0 && r->cpu.idle == 1 && r->cpu.burst == 10);
	CHECK_STR(r->cpu.cpus, "0");
	CHECK(r->pids.has_limit && r->pids.limit == -1);
	CHECK(r->blkio.weight == 500 && r->blkio.leaf_weight == 10 &&
	      r->blkio.n_weight_device == 1 && r->blkio.weight_device[0].weight == 100 &&
	      !r->blkio.weight_device[0].has_leaf_weight);
	CHECK(r->blkio.n_throttle[THROTTLE_READ_BPS] == 1 &&
	      r->blkio.throttle[THROTTLE_READ_BPS][0].rate == 1048576 &&
	      r->blkio.n_throttle[THROTTLE_WRITE_BPS] == 0);
	CHECK(r->n_hugepages == 1 && strcmp(r->hugepages[0].pagesize, "2MB") == 0);
	CHECK(r->n_rdma == 1 && r->rdma[0].has_hca_handles && !r->rdma[0].has_hca_objects);
	CHECK_STR(r->rdma[0].device, "mlx5_1");
	CHECK(r->network.class_id == 1048577 && r->network.n_priorities == 1 &&
	      r->network.priorities[0].priority == 5);
	CHECK(r->n_unified == 1 && strcmp(r->unified[0].key, "memory.high") == 0);
}

TEST(bad_resources_name_the_field)
{
	CHECK_STR(res("{\"devices\":[{\"allow\":true,\"access\":\"\"}]}"),
		  "config.json:1:104: linux.resources.devices[0].access: must not be empty");
	CHECK(strstr(res("{\"devices\":[{\"allow\":true,\"type\":\"x\",\"access\":\"r\"}]}"),
		     "linux.resources.devices[0].type: invalid cgroup device type \"x\""));
	CHECK(strstr(res("{\"devices\":[{\"allow\":true,\"access\":\"rwx\"}]}"),
		     "devices[0].access: \"rwx\" is not a set of r, w, m"));
	CHECK(strstr(res("{\"devices\":[{\"access\":\"r\"}]}"),
		     "devices[0].allow: required field is missing"));
	CHECK(strstr(res("{\"pids\":{}}"), "linux.resources.pids: limit: required field"));
	CHECK(strstr(res("{\"memory\":{\"swappiness\":-1}}"),
		     "linux.resources.memory.swappiness: -1 is out of range"));
	CHECK(strstr(res("{\"cpu\":{\"shares\":\"1024\"}}"),
		     "linux.resources.cpu.shares: expected an integer, got string"));
	CHECK(strstr(res("{\"blockIO\":{\"weight\":70000}}"),
		     "linux.resources.blockIO.weight: 70000 is out of range"));
	CHECK(strstr(res("{\"hugepageLimits\":[{\"pageSize\":\"2M/x\",\"limit\":1}]}"),
		     "hugepageLimits[0]: pageSize \"2M/x\""));
	CHECK(strstr(res("{\"memory\":{\"useHierarchy\":false}}"), "useHierarchy: false"));
}

TEST(kernel_memory_is_a_warning_as_in_runc)
{
	CHECK_STR(res("{\"memory\":{\"kernel\":1048576}}"), "");
	CHECK(s.n_warnings == 1 &&
	      strstr(s.warnings[0], "kernel memory settings are ignored and will be removed"));
}

TEST(update_reads_a_resources_object_alone)
{
	struct spec owner = {0};
	const char *doc = "{\"memory\":{\"limit\":\"x\"}}";

	const char *ok = "{\"pids\":{\"limit\":10},\"cpu\":{\"cpus\":\"0\"}}";

	CHECK(spec_parse_resources("stdin", ok, strlen(ok), &owner, &e) == 0);
	CHECK(owner.resources.pids.limit == 10 && owner.resources.cpu.cpus &&
	      strcmp(owner.resources.cpu.cpus, "0") == 0);
	spec_free(&owner);
	CHECK(spec_parse_resources("r.json", doc, strlen(doc), &owner, &e) < 0);
	CHECK_STR(e.msg, "r.json:1:20: memory.limit: expected an integer, got string");
	spec_free(&owner);
}

int
main(void)
{
	RUN(shares_become_weights_as_runc_converts_them);
	RUN(memory_swap_is_memory_plus_swap_on_v1_and_swap_alone_on_v2);
	RUN(cgroups_path_cannot_climb_out_of_where_it_is_put);
	RUN(the_state_record_round_trips_and_refuses_foreign_paths);
	RUN(every_resource_is_parsed);
	RUN(bad_resources_name_the_field);
	RUN(kernel_memory_is_a_warning_as_in_runc);
	RUN(update_reads_a_resources_object_alone);
	spec_free(&s);
	UNIT_END();
}
