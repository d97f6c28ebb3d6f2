/*
 * regions.h - the regions as the ministry keeps them (issue 23 item 7): the
 * list with each region's help-line phone, and the page to change a phone
 * (the admin role; a confirmation step; CSRF; audited region-phone). The
 * regions themselves come from `smesurvey-admin import-regions`.
 */
#ifndef SME_REGIONS_H
#define SME_REGIONS_H

struct req;

/* GET: every region, its phone, and (for the admin role) a link to
 * edit_path?code=; r->arg[saved_key].s names a region just saved. */
void regions_list(struct req *r, unsigned saved_key, const char *edit_path);
/* GET: the form for region r->arg[code_key].s (404 when unknown). */
void region_phone_form(struct req *r, unsigned code_key, const char *path, const char *back);
/* POST (its page row has PAGE_CSRF; keys: the slots of code, step and
 * help_phone): help_phone checked (an error at the field, the typed value kept);
 * step=check shows what changes and asks; step=save stores it with its
 * audit row and redirects to back?saved=CODE. */
void region_phone_post(struct req *r, const unsigned keys[3], const char *path, const char *back);

#endif
