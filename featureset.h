/*
 * featureset.h - `minirunc features` (featureset.c): the runtime-spec Features
 * structure, each entry probed against minirunc's own parser and checks.
 */
#ifndef MINIRUNC_FEATURESET_H
#define MINIRUNC_FEATURESET_H

#include <stddef.h>

/* The JSON text, four-space indented as runc prints it; malloc'd (caller
 * frees), *len its length; NULL with errno on failure. */
char *features_json(const char *oci_max, const char *version, const char *commit, size_t *len);

#endif
