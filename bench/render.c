/*
 * bench/render.c - instruction counts of the form renderer (issue 21,
 * item 3), for `valgrind --tool=callgrind`, which counts the same on a
 * loaded machine as on a quiet one (wall clock does not). Renders one
 * form argv[2] times in argv[3] mode (blank | edit) into a discarded body;
 * the per-render cost is (count at N) - (count at 0), divided by N.
 *   usage: smesurvey-render-bench FORM N [blank|edit]
 * A measuring instrument, not part of the product.
 */
#include "form.h"
#include "http.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	char err[256];
	if (forms_load(err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	const struct form *f = argc > 2 ? form_get(argv[1]) : NULL;
	long n = argc > 2 ? strtol(argv[2], NULL, 10) : -1;
	int edit = argc > 3 && strcmp(argv[3], "edit") == 0;
	size_t bytes = 0;
	if (!f || n < 0) {
		fprintf(stderr, "usage: %s FORM N [blank|edit]\n", argv[0]);
		return 2;
	}
	for (long i = 0; i < n; i++) {
		struct req r;
		struct fview v = { .f = f, .mode = edit ? FV_EDIT : FV_BLANK, .action = "/form/x" };
		memset(&r, 0, sizeof r);
		form_render(&r, &v);
		bytes = r.body.len;
		free(r.body.data);
	}
	printf("%s: %ld renders, %zu bytes each\n", f->name, n, bytes);
	return 0;
}
