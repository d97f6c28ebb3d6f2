/* fuzz_codebook.c - one codebook TSV (forms/form.c form_parse: fields,
 * options, rules). The codebook is embedded, but a new revision is copied
 * in by hand: its parser must refuse anything, never crash. */
#include "fuzz.h"
#include "form.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tsv = fuzz_cstr(data, size);
	struct form f;
	char err[256];
	memset(&f, 0, sizeof f);
	f.name = "fuzz";
	form_parse(&f, tsv, err, sizeof err);
	form_free(&f);   /* also after a refusal, as forms_load() does */
	free(tsv);
	return 0;
}
