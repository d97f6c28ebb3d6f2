/*
 * catalog.h - the list of questionnaires and their facts, as data: the
 * form catalog cgi-bin/forms/codebook/forms.tsv (next to the codebook),
 * embedded at build time and parsed once at start-up (app_run, the CLI and
 * forms_load call catalog_load). Nothing in C lists the forms.
 *
 * forms.tsv: UTF-8, tab-separated, one header line, one row per form in
 * attachment order, columns
 *   name annex role deadline proxy sampled label doc menu proxy_menu title intro
 * (see the struct below for what each means).
 */
#ifndef SME_CATALOG_H
#define SME_CATALOG_H

#include <stddef.h>
#include "auth.h"

#define CATALOG_MAX_FORMS 16

/* Which configured deadline applies: forms.tsv names the conf key,
 * deadline_survey or deadline_selfeval. */
enum deadline_kind { DK_SURVEY, DK_SELFEVAL };

struct form_info {
	const char *name;        /* [a-z]+: URL /form/<name>, codebook <name>.tsv */
	const char *annex;       /* 附件N, N = position in the catalog */
	enum role   role;        /* the role that fills it (one form per role) */
	enum deadline_kind deadline;
	int         proxy;       /* a region account may enter it for its accounts */
	int         sampled;     /* respondents are drawn from sample frames and
	                            invited with slips, or register themselves */
	const char *label;       /* short: 中小企业 (progress columns, choices) */
	const char *doc;         /* the document: 中小企业调查表 */
	const char *menu;        /* navigation label of the form */
	const char *proxy_menu;  /* navigation label of proxy entry ("" unless proxy) */
	const char *title;       /* the seed's title */
	const char *intro;       /* the seed's preamble, "" when none */
	const char *path;        /* "/form/<name>" */
};

/* Parses the embedded catalog (idempotent). A malformed row is a hard
 * error: returns -1 with the reason in err. */
int  catalog_load(char *err, size_t errsz);
/* Parses tsv into the catalog (catalog_load and unit tests). */
int  catalog_parse(const char *tsv, char *err, size_t errsz);
void catalog_free(void);

size_t catalog_count(void);
const struct form_info *catalog_at(size_t i);              /* NULL past the end */
const struct form_info *catalog_get(const char *name);     /* NULL when unknown */
const struct form_info *catalog_for_role(enum role r);     /* NULL when none */

/* The catalog TSV, generated from forms.tsv by embed.sh -s. */
extern const char form_catalog_tsv[];

#endif
