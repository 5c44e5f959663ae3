/*
 * selfexe.h - run from a sealed memfd copy of ourselves (CVE-2019-5736).
 */
#ifndef MINIRUNC_SELFEXE_H
#define MINIRUNC_SELFEXE_H

#include "util.h"

/*
 * If /proc/self/exe is not already a sealed memfd, copy it into one, seal it
 * and re-execute from it with the same argv and environment.  Returns 0 when
 * already running from the copy; on success of the re-exec it does not return;
 * -1 with e filled on failure.
 */
int selfexe_ensure_sealed(char **argv, struct err *e);

#endif
