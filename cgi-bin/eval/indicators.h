/*
 * indicators.h - the evaluation indicators (the notice's four evaluation
 * contents), defined as data in indicators.tsv (a copy of
 * ../shared/indicators/) and computed from submitted responses.
 *
 * The file and its formula language are specified in the shared README:
 *
 *   formula := agg | ratio(agg, agg) | growth(agg, agg)
 *   agg     := count(F) | share(F, cond) | sum(F, codes) | mean(F, codes)
 *            | items(F, CODE) | rate(STRATUM, STATE) | texts(F, codes)
 *   cond    := CODE = N | CODE in N|N... | CODE has N | CODE any
 *
 * Parsing is as strict as the codebook's: an unknown form, code, option or
 * token is an error at start-up. Adding a row adds an indicator; nothing
 * here names one.
 *
 * Computing is split from reading the database: the caller feeds every
 * submitted response in scope (its effective answers, form_drop_inapplicable)
 * and every active selected sample unit to an ind_tally, then asks for each
 * indicator's value. One tally per scope (a region, or the nation).
 */
#ifndef SME_INDICATORS_H
#define SME_INDICATORS_H

#include <stddef.h>
#include "form.h"
#include "strata.h"

enum ind_agg { IA_COUNT, IA_SHARE, IA_SUM, IA_MEAN, IA_ITEMS, IA_RATE, IA_TEXTS };
enum ind_combine { IC_NONE, IC_RATIO, IC_GROWTH };
enum ind_cond { ICOND_EQ, ICOND_IN, ICOND_HAS, ICOND_ANY };
/* Sample strata of rate(): service organisations organised by the hub
 * platform, by the window platforms, and SMEs. */
enum ind_state { IST_REGISTERED, IST_SUBMITTED };

struct ind_term {
	enum ind_agg       agg;
	const struct form *form;      /* NULL for rate() */
	enum stratum   stratum;   /* rate() */
	enum ind_state     state;     /* rate() */
	enum ind_cond      cond;      /* share() */
	int               *fields;    /* field indexes of form (codes, or the cond's CODE) */
	size_t             nfields;
	char             **opts;      /* share(): option codes of the cond */
	size_t             nopts;
};

struct indicator {
	char            *code;
	char            *content;      /* 一 二 三 四 */
	char            *requirement;  /* 信息畅通 ... or "-" */
	char            *label;
	char            *unit;
	char            *formula;      /* as written */
	enum ind_combine combine;
	struct ind_term  a, b;         /* b only for ratio/growth */
	/* ratio/growth of two sums or means over the same form (README): only
	 * responses that count on both sides count on either, so a unit that
	 * left the base year empty adds to neither (issue 23 item 4). */
	int              paired;
};

struct indset {
	struct indicator *v;
	size_t            n;
};

/* Parse a whole indicators TSV (header line first) against the loaded
 * forms. Returns 0, or -1 with the line and reason in err. */
int  indset_parse(struct indset *set, const char *tsv, char *err, size_t errsz);
void indset_free(struct indset *set);
const struct indicator *indset_get(const struct indset *set, const char *code);
/* 1 when the indicator's figures depend on resource/sme responses or the
 * sample, so that the "sample only" filter changes it. */
int  indicator_sample_sensitive(const struct indicator *ind);

/* ---- Tallies: one per scope ---- */
__extension__ typedef __int128 ind_sum;

struct ind_acc {
	long long n;     /* the denominator / the responses counted */
	long long k;     /* share/rate: the numerator; texts: the texts */
	ind_sum   sum;   /* sum/mean/items: scaled by FNUM_SCALE */
};

struct ind_tally {
	const struct indset *set;
	struct ind_acc      *a, *b;  /* per indicator */
};

void ind_tally_init(struct ind_tally *t, const struct indset *set);
void ind_tally_free(struct ind_tally *t);
/* One submitted response of form f with its effective answers. */
void ind_tally_response(struct ind_tally *t, const struct form *f, const struct answers *a);
/* One active selected sample unit of a stratum, and how far its account got. */
void ind_tally_unit(struct ind_tally *t, enum stratum s, int registered, int submitted);

/* Adds stored accumulators (the maintained aggregates, forms/aggr.h) to
 * indicator i's term a (b = 0) or b (b = 1). */
void ind_tally_add(struct ind_tally *t, size_t i, int b, long long n, long long k, ind_sum sum);
/* n active selected units of a stratum, of which registered registered
 * and submitted submitted (ind_tally_unit n times). */
void ind_tally_units(struct ind_tally *t, enum stratum s, long long n, long long registered,
                     long long submitted);
/* 1 when term t of a response counts only in the sample ("sample only"). */
int  ind_term_sampled(const struct ind_term *t);

struct ind_value {
	int       defined;   /* 0: shown as —, exported empty */
	long long n;
	double    value;
};
/* The value of indicator i of t->set. texts() indicators are never defined
 * (n is the number of texts). */
void ind_value_of(const struct ind_tally *t, size_t i, struct ind_value *out);
/* Display/export rounding (README): % one decimal, mean/items two, counts
 * and integer sums as they are, decimal sums two. out gets "" when the
 * value is undefined. */
void ind_format(const struct indicator *ind, const struct ind_value *v, char *out, size_t n);
/* Too few answers to read much into (n < 5): shown as 样本不足. */
#define IND_MIN_N 5

/* The formula in words, for the pages (caller frees). */
char *ind_describe(const struct indicator *ind);

/* The set of the embedded indicators.tsv, parsed once against the loaded
 * forms (call after forms_load); in this module, not the views', so that
 * a program that only maintains the counters links no XLSX writer. A bad
 * row stops the program: -1 with the reason in err. */
int  indicators_load(char *err, size_t errsz);
const struct indset *indicators(void);       /* NULL before indicators_load */

#endif
