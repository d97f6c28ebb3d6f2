/*
 * indview.h - the evaluation indicators (indicators.h) computed for the
 * nation and every region from the submitted responses and the sample, and
 * rendered: grouped by the notice's four contents, each value with its n,
 * "—" when undefined and 样本不足 when n < 5, the definition in words, and
 * the text answers of content 四.
 *
 * The data is read per view (every submitted response's effective answers,
 * the sample units); maintained aggregates are issue #13's.
 */
#ifndef SME_INDVIEW_H
#define SME_INDVIEW_H

#include <stddef.h>

#include "indicators.h"   /* indicators_load: the set the views compute */

struct req;
struct buf;
struct indset;

/* What a view counts (opts of the functions below, bits):
 * IV_SAMPLE_ONLY: resource/SME responses only from accounts registered
 * through an invitation code of the sample; IV_DROP_EXCLUDED: without the
 * responses the evaluation agency excluded (issue 20). Every view says how
 * many were excluded: the page in a notice, CSV and XLSX in one row per
 * scope (indicator "excluded_responses") once any response was excluded. */
enum { IV_SAMPLE_ONLY = 1, IV_DROP_EXCLUDED = 2 };
/* The indicator code of the row that says how many were excluded. */
#define IV_EXCLUDED_CODE "excluded_responses"

/* The nation beside region (NULL or "": the nation alone; every region is
 * in the CSV and XLSX, issue 21 item 4). texts_path NULL: the text answers of
 * content 四 listed in place, of region's responses (a region's page);
 * else a link to texts_path, the indicator's own page (indview_texts).
 * 0, or -1 (nothing rendered is kept by the caller). */
int  indview_render(struct req *r, const char *region, int opts, const char *texts_path);
/* The text answers of indicator code (a texts() one) from TEXTS_PAGE
 * submitted responses after the response id after, of region (NULL or ""
 * for all), with the pager's links to path. 0, 1 when code names no text
 * indicator (nothing rendered), or -1. */
#define TEXTS_PAGE 50
int  indview_texts(struct req *r, const char *path, const char *code, const char *region, int opts,
                   unsigned long long after);
/* indicators.csv (shared README, "Export"): one row per scope and
 * indicator, texts excluded. 0 or -1. */
int  indview_csv(struct req *r, const char *region, int opts, struct buf *out);
/* The same rows as an XLSX workbook (libxlsxwriter, built in a temporary
 * file under $TMPDIR and read back; a few thousand rows): text columns as
 * text, value and n as numbers (value rounded as in the CSV, empty when
 * undefined), a frozen header row and an autofilter. 0 or -1. */
int  indview_xlsx(struct req *r, const char *region, int opts, struct buf *out);

/* The values of every indicator but the texts for region and the nation,
 * formatted as the CSV and the pages show them (the agency's dossier),
 * each without the responses the agency excluded (as the pages show them
 * by default) and with them (_all), and how many were excluded. */
#include "indicators.h"
struct ind_pair {
	const struct indicator *ind;
	struct ind_value        nation, region;          /* without the excluded responses */
	struct ind_value        nation_all, region_all;  /* with them */
	char                    nation_s[64], region_s[64], nation_all_s[64], region_all_s[64];  /* "": undefined */
};
struct ind_pairs {
	struct ind_pair *v;              /* caller frees */
	size_t           n;
	long long        excluded_region, excluded_nation;   /* submitted responses excluded */
};
/* 0, or -1. */
int  indview_pairs(struct req *r, const char *region, struct ind_pairs *out);

#endif
