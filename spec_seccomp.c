/*
 * spec_seccomp.c - linux.seccomp of config.json (config-linux.md "Seccomp").
 *
 * runc counterpart: runtime-spec specs-go LinuxSeccomp and
 * libcontainer/specconv SetupSeccomp.
 * Today only its presence is noted, so that the runtime refuses it (fail
 * closed, SECURITY.md).
 */
#include "spec_int.h"

/* Only the presence of the section matters (the runtime refuses it). */
int
spec_seccomp_cb(struct spec_ctx *c, const struct json_value *v, void *out)
{
	struct spec *s = out;

	if (spec_expect(c, v, JSON_OBJECT))
		return -1;
	s->has_seccomp = true;
	return 0;
}
