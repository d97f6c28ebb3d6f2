/*
 * form_int.h - helpers shared by the form engine's .c files (not an API
 * for other programs).
 */
#ifndef SME_FORM_INT_H
#define SME_FORM_INT_H

#include <stddef.h>
#include "form.h"
#include "fileio.h"

struct buf;

/* Integer digits accepted in a number: 10^12 * FNUM_SCALE (1e16) leaves
 * room for sums of hundreds of terms inside a long long. */
#define FNUM_MAX_DIGITS   12
#define FORM_MAX_CHOICES  64        /* posted values per multi field */

/* Byte limits of stored values (answers.value is TEXT, 65535 bytes). */
#define FORM_MAX_TEXT      600      /* text, org_name, other_text, email, phone ... */
#define FORM_MAX_TEXTAREA  60000
/* Character limits shown to users. */
#define FORM_MAX_TEXT_CHARS      200
#define FORM_MAX_TEXTAREA_CHARS  20000

enum fnum_result {
	FN_OK = 0,
	FN_NOT_NUMBER,      /* not a plain decimal number */
	FN_TOO_BIG,         /* more than FNUM_MAX_DIGITS integer digits */
	FN_TOO_PRECISE      /* more than maxfrac decimals */
};
enum fnum_result fnum_parse(const char *s, int maxfrac, fnum *out);
/* The message for a number of type t refused with fr (form_check.c), and
 * the decimals the type keeps: the server's check and the page's. */
const char *form_number_message(enum ftype t, enum fnum_result fr);
int  form_number_decimals(enum ftype t);
void fnum_format(fnum v, char out[32]);
/* YYYY-MM-DD, YYYY-MM or YYYY (1800..2100) -> day number * FNUM_SCALE. */
int  fdate_parse(const char *s, fnum *out);
int  form_option_index(const struct field *fd, const char *code, size_t n);

/* ---- Upload types (form.c; the ext_text for people: form_file.c) ----
 * The file types the engine can check: an ext: rule may name only these,
 * and a stored file must carry its type's magic bytes. */
struct upload_type {
	const char      *ext;            /* lower case, no dot */
	enum file_magic  magic;
	const char      *content_type;
	/* A zip type's main part, which the file must have (zip_has_entry),
	 * and what such a file is called; NULL for the others. */
	const char      *member, *label;
};
const struct upload_type *upload_type_of(const char *ext);   /* NULL when unknown */
/* The Content-Type of a stored upload from its bytes (and its name only
 * between types that share magic bytes). */
const char *upload_content_type(const unsigned char *p, size_t n, const char *filename);
/* The ext: rule of a file field (form_parse makes sure there is one). */
const struct frule *form_ext_rule(const struct field *fd);

#endif
