/*
 * tap.h - a tiny Test Anything Protocol helper for the unit tests.
 *
 *   ok(cond, "name");  is_int(got, want, "name");  is_str(got, want, "name");
 *   return done_testing();     // prints the plan "1..N"; exit 1 on failures
 *
 * Functions are static inline so that a test using only some of them still
 * compiles cleanly with -Wunused-function -Werror.
 */
#ifndef SME_TAP_H
#define SME_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_run, tap_failed;

static inline int tap_ok(int cond, const char *name, const char *file, int line)
{
	tap_run++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_run, name);
	if (!cond) {
		tap_failed++;
		printf("#   Failed test '%s'\n#   at %s line %d.\n", name, file, line);
	}
	fflush(stdout);
	return cond;
}

static inline int tap_is_int(long long got, long long want, const char *name,
                             const char *file, int line)
{
	int r = tap_ok(got == want, name, file, line);
	if (!r)
		printf("#          got: %lld\n#     expected: %lld\n", got, want);
	return r;
}

static inline int tap_is_str(const char *got, const char *want, const char *name,
                             const char *file, int line)
{
	int same = (got == NULL && want == NULL) ||
	           (got != NULL && want != NULL && strcmp(got, want) == 0);
	int r = tap_ok(same, name, file, line);
	if (!r)
		printf("#          got: '%s'\n#     expected: '%s'\n",
		       got ? got : "(null)", want ? want : "(null)");
	return r;
}

static inline void tap_diag(const char *msg)
{
	printf("# %s\n", msg);
}

static inline int done_testing(void)
{
	printf("1..%d\n", tap_run);
	if (tap_failed)
		printf("# Looks like you failed %d test%s of %d.\n",
		       tap_failed, tap_failed == 1 ? "" : "s", tap_run);
	return tap_failed ? 1 : 0;
}

#define ok(cond, name)           tap_ok(!!(cond), (name), __FILE__, __LINE__)
#define is_int(got, want, name)  tap_is_int((long long)(got), (long long)(want), (name), __FILE__, __LINE__)
#define is_str(got, want, name)  tap_is_str((got), (want), (name), __FILE__, __LINE__)
#define diag(msg)                tap_diag(msg)

#endif
