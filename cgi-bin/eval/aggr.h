/*
 * aggr.h - the maintained aggregates of the submitted answers (issue 13,
 * item 1; tables in sql/005_aggregates.sql).
 *
 * The statistics and indicator pages read per-region sums instead of
 * scanning the answers. One function, aggr_delta(), turns one response's
 * effective answers (form_drop_inapplicable) into the rows it adds to
 * agg_fields, agg_values and agg_ind (sign +1) or takes away (sign -1);
 * the live paths (aggr_sync) and the rebuild (aggr_rebuild) both use it,
 * so they cannot count differently.
 *
 * Invariant: the answers of a counted (submitted) response do not change
 * while it is counted (a submitted response is locked; only reopening
 * makes it editable, and reopening uncounts it first).
 */
#ifndef SME_AGGR_H
#define SME_AGGR_H

#include <stddef.h>
#include "form.h"

struct db;
struct dbrows;
#include "stmts.h"
struct indset;

enum aggr_kind { AK_FIELD, AK_VALUE, AK_IND };

/* One row of a delta: the key and the amounts to add. */
struct aggr_row {
	enum aggr_kind kind;
	char      form[17], region[17];
	int       in_sample;
	char      code[65];        /* field code ('' = the response itself); AK_IND: indicator code */
	char      opt[33];         /* AK_FIELD: option code or ''; AK_IND: "a" or "b" */
	long long value;           /* AK_VALUE: the scaled number */
	long long n, first, rsum;  /* AK_IND: first holds k */
	__extension__ __int128 sum;
};

struct aggr_delta {
	struct aggr_row *v;
	size_t           n, cap;
};

void aggr_delta_init(struct aggr_delta *d);
void aggr_delta_free(struct aggr_delta *d);
/* Appends the rows of one submitted response of form f, counted under
 * region (never NULL; '' for none) and in_sample, with its effective
 * answers eff; set may be NULL (no indicator rows). sign is +1 or -1. */
void aggr_delta(struct aggr_delta *d, const struct form *f, const char *region, int in_sample,
                const struct answers *eff, const struct indset *set, int sign);
/* Sorts d by key and merges rows with equal keys (amounts added); rows
 * whose amounts are all 0 are dropped. */
void aggr_delta_compact(struct aggr_delta *d);

/* Brings the answer aggregates of one response up to date after any
 * change of its status, region or sample membership: takes it out under
 * the key it was counted with (agg_counted) and counts it again when it
 * is submitted. Inside an open transaction. Returns 0 or -1. */
int aggr_sync(struct db *db, unsigned long long response_id);
/* The same, when the caller has just written the response's answers
 * (stored: every value as stored, in codebook order; NULL: read them). */
int aggr_sync_answers(struct db *db, unsigned long long response_id, const struct answers *stored);
/* Reopens a submitted response (back to draft, response_reopen) and takes
 * it out of the aggregates, in one transaction of its own. 0 or -1. */
int aggr_response_reopen(struct db *db, unsigned long long response_id);
/* aggr_sync for every response id in column 0 of ids. */
int aggr_sync_ids(struct db *db, const struct dbrows *ids);
/* aggr_sync for the responses of the accounts of the sample units q finds
 * with args (STMT_AGGR_UNIT_RESPONSES, STMT_AGGR_SAMPLE_RESPONSES). */
int aggr_sync_units(struct db *db, enum stmt q, const char *id);

/* Recomputes every aggregate table from the data. Inside an open
 * transaction (smesurvey-admin rebuild-aggregates). *counted gets the
 * number of submitted responses counted. Returns 0 or -1. */
int aggr_rebuild(struct db *db, long long *counted);

/* The fingerprint (SHA-256, hex) of the definitions the answer tallies
 * depend on: the codebook, the form catalog and the indicators built into
 * these programs. aggr_rebuild() records it (agg_meta). */
void aggr_definitions(char hex[65]);
/* 1 when the tallies were computed with other definitions (or never),
 * so they need `smesurvey-admin rebuild-aggregates`; 0 when current;
 * -1 on a database error. */
int aggr_stale(struct db *db);

#endif
