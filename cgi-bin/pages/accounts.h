/*
 * accounts.h - account pages shared by the region (smesurvey-region) and the
 * ministry (smesurvey-adminweb): the one-time password reset (issue 9).
 *
 * Who may reset whom is auth.c's password_reset_allowed(); the reset itself
 * is auth.c's password_set_onetime(), which the command line
 * (smesurvey-admin reset-password) uses too.
 */
#ifndef SME_ACCOUNTS_H
#define SME_ACCOUNTS_H

struct req;

/* GET: the confirmation page for resetting account r->arg[key].id; the
 * form posts to path. Another region's account (or a role the user may not
 * reset): 403. */
void account_reset_confirm(struct req *r, unsigned key, const char *path, const char *back);
/* POST: resets it and shows the one-time password, this once. */
void account_reset_post(struct req *r, unsigned key, const char *back);
/* The respondent accounts of the region of r->user, each with its reset
 * link (reset_path?id=): ACCOUNTS_PAGE at a time from after the account id
 * after (0: the first page), those whose username or organisation holds q
 * ("" for all); list_path is the page's own path, for its links. */
#define ACCOUNTS_PAGE 100
void region_accounts_page(struct req *r, const char *list_path, const char *reset_path, const char *q,
                          unsigned long long after);

#endif
