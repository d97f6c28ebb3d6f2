/* fuzz_form_validate.c - the form validator: a urlencoded post collected
 * (form_collect) and validated (form_validate) against each questionnaire
 * in turn; the input's first byte picks the form. */
#include "fuzz.h"
#include "form.h"
#include "http.h"

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
	size_t nforms = 0;
	while (form_at(nforms))
		nforms++;
	if (size == 0 || nforms == 0)
		return 0;
	const struct form *f = form_at(data[0] % nforms);
	struct param *ps = NULL;
	size_t np = 0;
	if (parse_urlencoded((const char *)data + 1, size - 1, &ps, &np, 4000) == 0) {
		struct answers raw, clean;
		struct fcheck chk;
		answers_init(&raw, f);
		form_collect(f, ps, np, &raw);
		form_validate(f, &raw, &clean, &chk);
		fcheck_keep_format(&chk);
		fcheck_free(&chk);
		answers_free(&clean);
		answers_free(&raw);
	}
	params_free(ps, np);
	return 0;
}
