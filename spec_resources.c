/*
 * spec_resources.c - linux.resources of config.json (config-linux.md
 * "Control groups"): what the container's cgroup must enforce.
 *
 * runc counterpart: runtime-spec specs-go LinuxResources and
 * libcontainer/specconv createCgroupConfig.
 * Today minirunc manages no cgroups: only the first key other than the
 * device rules is noted, so that the runtime refuses it (fail closed).
 */
#include <string.h>

#include "spec_int.h"

/* minirunc manages no cgroups: note the first key other than "devices" (the
 * device rules runc's default writes) so that the runtime can refuse it. */
int
spec_resources_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec *s = out;
	size_t i;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	s->has_resources = true;
	for (i = 0; i < v->u.obj.n && !s->resources_other; i++) {
		const struct json_member *m = &v->u.obj.members[i];

		if (strcmp(m->key, "devices") == 0 || m->value->type == JSON_NULL)
			continue;
		s->resources_other = spec_strndup(c, m->key, m->key_len);
		if (!s->resources_other)
			return -1;
	}
	return 0;
}
