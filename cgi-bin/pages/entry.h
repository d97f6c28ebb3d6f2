/*
 * entry.h - the invitation-code entry (GET /register?code=), shown on the
 * registration page and on the home page (issue 23 item 8).
 */
#ifndef SME_ENTRY_H
#define SME_ENTRY_H

struct req;

/* The form: one labelled input for the slip's code (typed: the value to
 * show again, or NULL) and a submit button. */
void h_code_entry(struct req *r, const char *typed);

#endif
