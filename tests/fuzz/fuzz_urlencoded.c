/* fuzz_urlencoded.c - query strings and urlencoded bodies (core/http.c). */
#include "fuzz.h"
#include "http.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct param *ps = NULL;
	size_t np = 0;
	parse_urlencoded((const char *)data, size, &ps, &np, 4000);
	params_free(ps, np);
	return 0;
}
