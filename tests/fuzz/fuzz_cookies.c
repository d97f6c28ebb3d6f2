/* fuzz_cookies.c - the Cookie header (core/http.c). */
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
	char *s = fuzz_cstr(data, size);
	struct param *ps = NULL;
	size_t np = 0;
	parse_cookies(s, &ps, &np);
	params_free(ps, np);
	free(s);
	return 0;
}
