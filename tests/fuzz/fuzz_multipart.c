/* fuzz_multipart.c - multipart/form-data bodies (core/http.c). The input's
 * first line is the Content-Type header's value (so the boundary parameter
 * is fuzzed too), the rest the body. */
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
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hlen = nl ? (size_t)(nl - data) : size;
	char *ctype = fuzz_cstr(data, hlen);
	const char *body = nl ? (const char *)nl + 1 : "";
	size_t blen = nl ? size - hlen - 1 : 0;
	struct param *ps = NULL;
	size_t np = 0;
	/* A small file limit, so that the skip path of an oversized part runs. */
	parse_multipart(body, blen, ctype, &ps, &np, 4000, 256);
	params_free(ps, np);
	free(ctype);
	return 0;
}
