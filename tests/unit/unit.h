/*
 * unit.h - the whole unit-test framework: CHECK() records a failure with its
 * place and goes on; TEST() names a test; main() comes from UNIT_MAIN().
 * Each tests/unit/test_*.c is one program; tests/run.sh adds up their
 * "unit: N passed, N failed" lines.
 */
#ifndef MINIRUNC_UNIT_H
#define MINIRUNC_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_passed, unit_failed, unit_cur_failed;
static const char *unit_cur;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "  FAIL %s: %s:%d: %s\n", unit_cur, __FILE__, __LINE__,    \
				#cond);                                                            \
			unit_cur_failed = 1;                                                       \
		}                                                                                  \
	} while (0)

#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		const char *g_ = (got), *w_ = (want);                                              \
		if (!g_ || strcmp(g_, w_) != 0) {                                                  \
			fprintf(stderr, "  FAIL %s: %s:%d: got \"%s\", want \"%s\"\n", unit_cur,   \
				__FILE__, __LINE__, g_ ? g_ : "(null)", w_);                       \
			unit_cur_failed = 1;                                                       \
		}                                                                                  \
	} while (0)

/* Run one test function: TEST(name) { ... } then RUN(name) in the list. */
#define TEST(name) static void name(void)
#define RUN(name)                                                                                  \
	do {                                                                                       \
		unit_cur = #name;                                                                  \
		unit_cur_failed = 0;                                                               \
		name();                                                                            \
		if (unit_cur_failed)                                                               \
			unit_failed++;                                                             \
		else                                                                               \
			unit_passed++;                                                             \
	} while (0)

#define UNIT_END()                                                                                 \
	do {                                                                                       \
		printf("unit %s: %d passed, %d failed\n", __FILE__, unit_passed, unit_failed);     \
		return unit_failed ? 1 : 0;                                                        \
	} while (0)

#endif
