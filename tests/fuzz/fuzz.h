/*
 * fuzz.h - shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c; README
 * "Fuzzing"). Each harness defines LLVMFuzzerTestOneInput over one parser
 * of untrusted input; libFuzzer, ASan and UBSan report any crash, leak,
 * undefined behaviour, and (make fuzz / tests/fuzz/10-short.t set the
 * limits) any single input that costs too much memory or time.
 */
#ifndef SME_FUZZ_H
#define SME_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The input as a NUL-terminated copy (parsers of C strings). Caller frees. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
