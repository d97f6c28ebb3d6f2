/*
 * symposium.c - the symposiums (座谈会) of a visit (issue 19 item 5).
 */
#include "visits.h"
#include "html.h"

void visit_symposiums_section(struct req *r, const struct dbrows *v)
{
	(void)v;
	h_raw(r, "");
}
