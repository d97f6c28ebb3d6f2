/*
 * test_evalconf.c - the agency's review vocabulary (eval/evalconf.h): the
 * project's contents, scale and documents files load and agree with the
 * indicators; a malformed file is refused with its name and line, so the
 * program that embeds it does not start.
 */
#include <stdio.h>
#include <string.h>

#include "evalconf.h"
#include "form.h"
#include "tap.h"
#include "targets.h"
#include "util.h"

static void test_project_files(void)
{
	char err[256] = "";

	is_int(evalconf_load(err, sizeof err), 0, "the project's review files load");
	if (*err)
		diag(err);
	is_int(ev_contents()->n, 4, "four evaluation contents");
	is_str(ev_contents()->v[0].code, "一", "... the first is 一");
	ok(ev_scale()->n >= 2, "a scale of at least two ratings");
	ok(ev_find(ev_documents(), "q3_report") != NULL, "the Q3 report is a document");
	ok(ev_find(ev_scale(), "Z") == NULL, "a code outside the scale is not found");
	{
		struct buf b = { 0 };
		ev_scale_text(&b);
		is_str(b.data, "好、较好、一般 或 差", "the scale for messages");
		buf_free(&b);
	}
}

/* A file that must be refused, and the words its message must contain. */
static void refused(const char *tsv, const char *want, const char *name)
{
	struct ev_list l;
	char err[256] = "";

	is_int(ev_list_parse(&l, tsv, "scale.tsv", "meaning", err, sizeof err), -1, name);
	ok(strstr(err, want) != NULL, want);
	if (!strstr(err, want))
		diag(err);
}

static void test_bad_files(void)
{
	refused("code\tlabel\n", "line 1: header", "a wrong header");
	refused("code\tlabel\tmeaning\nA\t好\n", "line 2: 3 tab-separated columns", "a short row");
	refused("code\tlabel\tmeaning\nA\t好\tx\nA\t较好\ty\n", "line 3: duplicate code A", "a duplicate code");
	refused("code\tlabel\tmeaning\nA\t\tx\n", "line 2: A: empty or invalid label", "an empty label");
	refused("code\tlabel\tmeaning\nA B\t好\tx\n", "line 2: bad code", "a code with a space");
	refused("code\tlabel\tmeaning\n", "no rows", "no rows");
}

/* targets.tsv: the actual figure must name numeric fields of a form. */
static void test_targets(void)
{
	char err[256] = "";
	size_t n;

	is_int(targets_parse("code\tlabel\tunit\tactual\nw\t窗口\t家\tselfeval:nope\n", err, sizeof err), -1,
	       "a target summing an unknown field is refused");
	ok(strstr(err, "line 2: not a numeric field") != NULL, err);
	is_int(targets_parse("code\tlabel\tunit\tactual\nw\t窗口\t家\tnoform:x\n", err, sizeof err), -1,
	       "... an unknown form");
	is_int(targets_parse("code\tlabel\tunit\tactual\nw\t窗口\t家\tguess\n", err, sizeof err), -1,
	       "... an actual that is neither reported nor FORM:FIELDS");
	*err = 0;
	is_int(targets_parse("code\tlabel\tunit\tactual\nw\t窗口\t家\tselfeval:p1_2_1_win_comp_count+p1_2_1_win_ind_count\n"
	                     "i\t投资\t万元\treported\n", err, sizeof err), 0, "a sum of two fields and a reported one");
	const struct target *t = targets(&n);
	ok(n == 2 && t[0].nfields == 2 && t[1].form == NULL, "... parsed as such");
}

int main(void)
{
	char err[256] = "";
	if (forms_load(err, sizeof err) < 0) {
		printf("1..0 # SKIP codebook: %s\n", err);
		return 1;
	}
	test_project_files();
	test_bad_files();
	test_targets();
	forms_free();
	return done_testing();
}
