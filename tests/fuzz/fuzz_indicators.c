/* fuzz_indicators.c - the indicators TSV and its formula language
 * (eval/indicators.c), parsed against the embedded codebook. */
#include "fuzz.h"
#include "form.h"
#include "indicators.h"

#include <stdio.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];
	(void)argc;
	(void)argv;
	if (forms_load(err, sizeof err) < 0) {
		fprintf(stderr, "forms_load: %s\n", err);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tsv = fuzz_cstr(data, size);
	struct indset set;
	char err[256];
	memset(&set, 0, sizeof set);
	if (indset_parse(&set, tsv, err, sizeof err) == 0)
		indset_free(&set);
	free(tsv);
	return 0;
}
