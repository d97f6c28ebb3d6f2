/*
 * stats.h - summary statistics of one questionnaire's submitted responses,
 * tallied from each response's effective answers (form_drop_inapplicable:
 * a stored value that the current codebook does not apply is not counted)
 * and rendered as HTML tables.
 *
 * - submitted responses per region;
 * - single / multi / rank fields: respondents per option, and the share of
 *   the respondents who answered the question (multi shares add up to more
 *   than 100%);
 * - int / decimal / percent fields: n, sum, mean, min, max.
 *
 * Every table row carries data-code (and data-opt for options) so that
 * scripts and tests can read the figures.
 */
#ifndef SME_STATS_H
#define SME_STATS_H

struct req;
struct form;

/* Renders the statistics of f (region NULL: every region) into r.
 * Returns 0, or -1 on a database error (nothing rendered). */
int stats_render(struct req *r, const struct form *f, const char *region);

#endif
