/*
 * symposium.h - the symposiums (座谈会) of a visit (issue 19 item 5).
 * visits.h's visit page lists them (visit_symposiums_section).
 */
#ifndef SME_SYMPOSIUM_H
#define SME_SYMPOSIUM_H

struct req;
struct dbrows;

/* STMT_SYMPOSIUM_GET's columns. */
enum sym_col { SC_ID, SC_VISIT, SC_REGION, SC_REGION_NAME, SC_DAY, SC_HOST, SC_HOST_ROLE, SC_PLACE, SC_MINUTES };

/* Messages at the fields of a refused post (NULL: none). */
struct sym_errors {
	const char *units, *minutes, *file;
	const char *minutes_value;    /* what was typed, kept */
};

const char *sym_stratum_label(const char *stratum);   /* 中小企业 ... */
struct dbrows *symposium_load(struct req *r);           /* ?id=; NULL after 404/503 */
void symposium_body(struct req *r, const struct dbrows *s, const struct sym_errors *e);

void symposium_create(struct req *r);          /* POST /agency/symposiums?id=<visit> */
void symposium_page(struct req *r);            /* GET /agency/symposiums/symposium?id= */
void symposium_invite(struct req *r);          /* POST /agency/symposiums/invite?id= */
void symposium_attendance(struct req *r);      /* POST /agency/symposiums/attendance?id= */
void symposium_upload(struct req *r);          /* POST /agency/symposiums/upload?id= */
void symposium_file(struct req *r);            /* GET /agency/symposiums/file?id=<file> */
void symposium_invitations_pdf(struct req *r); /* GET /agency/symposiums/invitations.pdf?id= */
void symposium_attendance_pdf(struct req *r);  /* GET /agency/symposiums/attendance.pdf?id= */

#endif
