/*
 * integrity.h - the evaluation agency's review of flagged responses (issue 20,
 * item 3): the queue, one response's reasons and the decision.
 *
 * The pages live in smesurvey-adminweb at /admin/integrity (admin and the
 * agency; adminweb's page table declares the routes and parameters), which
 * already serves the responses and indicators a reviewer moves between.
 *
 * A decision (accepted, excluded from the indicators, asked of the region
 * with a note) is one transaction: the review row, the response's
 * aggregates moved to or from the excluded key (aggr_sync), the audit row
 * flag-review. It can be changed or taken back the same way.
 */
#ifndef SME_INTEGRITY_H
#define SME_INTEGRITY_H

struct req;

enum integrity_decision { ID_NONE, ID_ACCEPTED, ID_EXCLUDED, ID_ASKED, ID__MAX };
/* The decisions' codes as posted and stored ("", "accepted", ...), NULL-ended. */
extern const char *const integrity_decision_codes[];

/* A decision's words ("待审核" for none or an unknown code), a rule's label
 * (its code when unknown). */
const char *integrity_decision_label(const char *code);
const char *integrity_rule_label(const char *code);

/* GET /admin/integrity: flagged responses, filtered (each NULL for all),
 * 100 a page by id after `after`. */
void integrity_queue_page(struct req *r, const char *region, const char *form, const char *rule,
                  unsigned long long after);
/* GET /admin/integrity/response?id=: why, the paradata, the others side by
 * side (near-duplicates), and the decision form. */
void integrity_response_page(struct req *r, unsigned long long id);
/* POST /admin/integrity/response (CSRF checked by the caller). */
void integrity_decide(struct req *r, unsigned long long id, enum integrity_decision d, const char *note);
/* The region's line: how many of its responses are under review. */
void integrity_region_notice(struct req *r, const char *region);

#endif
