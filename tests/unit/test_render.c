/*
 * test_render.c - what form_render writes for long forms (issue 9, item 5):
 * grids with sticky row-header classes, and the section index (目录) with
 * its groups, links and server-side counts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"
#include "form.h"
#include "http.h"
#include "tap.h"

static char *render(const char *name, enum fview_mode mode, const struct answers *a)
{
	struct req r;
	struct fview v = { .f = form_get(name), .vals = a, .mode = mode, .action = "/form/x" };
	char *out;
	memset(&r, 0, sizeof r);
	form_render(&r, &v);
	out = r.body.data;    /* the caller frees */
	return out;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void test_sme_index(void)
{
	const struct form *f = form_get("sme");
	struct answers a;
	char *html;

	answers_init(&a, f);
	answers_set(&a, (size_t)form_field_index(f, "q1_name"), "测试企业");
	answers_set(&a, (size_t)form_field_index(f, "q1_contact"), "张三");
	html = render("sme", FV_EDIT, &a);
	ok(strstr(html, "<nav class=\"toc\" aria-label=\"本表目录\"><details id=\"toc\" open>") != NULL,
	   "the index is a labelled nav, open without script");
	ok(strstr(html, ">1. 企业基本信息</a> <span class=\"toc-n\">已答 2 / 7</span>") != NULL,
	   "a heading is one entry, its required fields counted from the shown answers");
	ok(strstr(html, ">第 2–15 题</a>") != NULL, "the bare question numbers are one entry");
	is_int((long long)count(html, "<div class=\"sec\" id=\"sec-"), 2, "one section wrapper per entry");
	is_int((long long)count(html, "<a href=\"#sec-"), 2, "one link per entry");
	ok(strstr(html, "必答题已答 2 / ") != NULL, "the summary totals the required answers");
	ok(strstr(html, " data-req=\"1\"") != NULL, "required fields are marked for toc.js");
	free(html);

	html = render("sme", FV_READONLY, &a);
	ok(strstr(html, "class=\"toc\"") == NULL && strstr(html, "data-req") == NULL,
	   "no index on a read-only view");
	free(html);
	html = render("sme", FV_BLANK, NULL);
	ok(strstr(html, "class=\"toc\"") == NULL, "no index on the blank form");
	free(html);
	answers_free(&a);
}

static void test_hub_grids(void)
{
	char *html = render("hub", FV_EDIT, NULL);
	ok(strstr(html, ">单位名称</a> <span class=\"toc-n\">已答 0 / 1</span>") != NULL,
	   "fields under the form's title are an entry named by their label");
	ok(strstr(html, ">一、机构基本情况</a>") != NULL && strstr(html, ">十、简述</a> <span class=\"toc-n\">选填，已答 0 / ") != NULL,
	   "headed sections; one without required fields is 选填");
	ok(strstr(html, "<table class=\"grid\">") != NULL, "a one-level grid");
	ok(strstr(html, "<table class=\"grid rows2\">") != NULL, "a grid with two row-header levels");
	ok(strstr(html, "<th scope=\"row\" class=\"rh\">") != NULL, "row headers are sticky (th.rh)");
	ok(strstr(html, "<th scope=\"rowgroup\" class=\"rh rg\"") != NULL && strstr(html, "<th scope=\"row\" class=\"rh r2\">") != NULL,
	   "two levels: outer th.rg, inner th.r2");
	ok(strstr(html, "<td class=\"corner\"") != NULL, "the corner cell sticks with them");
	free(html);
}

/* The blank form is rendered once per form and settings, then copied
 * (issue 21, item 3): the copy is the same page, and other settings get
 * their own. */
static char *render_blank(const char *name, const struct conf *conf)
{
	struct req r;
	struct fview v = { .f = form_get(name), .mode = FV_BLANK };
	memset(&r, 0, sizeof r);
	r.conf = conf;
	form_render(&r, &v);
	return r.body.data;
}

static void test_blank_once(void)
{
	static struct conf ten, twenty;
	char *a, *b, *c, *h;
	ten.max_upload = 10L * 1024 * 1024;
	twenty.max_upload = 20L * 1024 * 1024;
	a = render_blank("selfeval", &ten);
	b = render_blank("selfeval", &ten);
	c = render_blank("selfeval", &twenty);
	h = render_blank("hub", &ten);
	ok(a && b && !strcmp(a, b), "a second blank render is the same page");
	ok(a && c && !strcmp(a, c), "the blank page does not depend on the settings");
	ok(h && a && strcmp(h, a) && strstr(h, "一、机构基本情况") && !strstr(a, "一、机构基本情况"),
	   "each form has its own blank page");
	ok(a && strstr(a, "class=\"survey blank-form\"") && !strstr(a, "name=\"csrf\""),
	   "the blank page has no form and no token");
	free(a);
	free(b);
	free(c);
	free(h);
}

int main(void)
{
	char err[256];
	if (forms_load(err, sizeof err) < 0) {
		printf("Bail out! %s\n", err);
		return 1;
	}
	test_sme_index();
	test_hub_grids();
	test_blank_once();
	forms_free();
	return done_testing();
}
