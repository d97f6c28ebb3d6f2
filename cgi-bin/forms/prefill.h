/*
 * prefill.h - known facts fill the matching fields of a new draft (issue 9):
 * what the sample frame and the registration know about an account's unit
 * (name, contact, phone, email, address, postcode) and the account's own
 * organisation name. Which field takes which fact is data,
 * cgi-bin/forms/prefill/prefill.tsv (form, field, source; alternatives
 * "a|b": the first non-empty), embedded at build time and checked against
 * the codebook at start-up. Only a response never written (no draft yet)
 * is filled, and only for display: the respondent sees ordinary editable
 * values, saved with the first save; after that an empty field is the
 * respondent's answer (issue 17).
 */
#ifndef SME_PREFILL_H
#define SME_PREFILL_H

#include <stddef.h>

struct db;
struct form;
struct answers;

/* The facts a source may name. Their order is the column order of
 * STMT_PREFILL_FACTS (core/stmts.c). */
enum fact {
	FACT_ACCOUNT_ORG_NAME,  /* users.org_name (imported, or typed at registration) */
	FACT_UNIT_NAME,         /* sample_units.*: the frame's unit, as registered */
	FACT_UNIT_CONTACT,
	FACT_UNIT_PHONE,
	FACT_UNIT_EMAIL,
	FACT_UNIT_ADDRESS,
	FACT_UNIT_ZIP,
	FACT__MAX
};

#define PREFILL_MAX_ALT 4

struct prefill_rule {
	const struct form *f;
	int                field;                  /* index in f->fields */
	enum fact          src[PREFILL_MAX_ALT];
	size_t             nsrc;
};

struct prefill_set {
	struct prefill_rule *v;
	size_t               n;
};

/* Parse a prefill TSV against the loaded codebook (forms_load first): an
 * unknown form, field or source, a field that takes no free text, or a
 * field named twice is refused with its line in err. Returns 0 or -1. */
int  prefill_parse(struct prefill_set *s, const char *tsv, char *err, size_t errsz);
void prefill_set_free(struct prefill_set *s);
/* The embedded prefill.tsv, parsed once at start-up. Returns 0 or -1. */
int  prefill_load(char *err, size_t errsz);

/* Fill the empty values of a (for form f, the answers of user_id's
 * response) from the facts the database holds. Returns the number of
 * values filled, or -1 on a database error (a is unchanged then). */
int  form_prefill(struct db *db, const struct form *f, unsigned long long user_id,
                  struct answers *a);
/* The same from facts already read (NULL: unknown), for tests. */
int  prefill_apply(const struct prefill_set *s, const struct form *f,
                   const char *const facts[FACT__MAX], struct answers *a);

#endif
