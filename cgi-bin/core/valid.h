/*
 * valid.h - the one implementation of each contact-detail rule, as the
 * codebook README defines them (../shared/codebook/README.md, "Named
 * checks"); the form engine, registration and sample-frame imports all call
 * these. Input typed by people is folded (full-width -> ASCII) by the caller
 * first where it applies (form_fold).
 */
#ifndef SME_VALID_H
#define SME_VALID_H

/* phone: 7-30 characters from 0-9 + - ( ) / , space and 转 (extension),
 * at least 7 of them digits. */
enum phone_check { PHONE_OK, PHONE_BAD_CHAR, PHONE_BAD_LENGTH };
enum phone_check phone_check(const char *s);
int phone_valid(const char *s);                /* phone_check(s) == PHONE_OK */
/* The rule as users read it, for messages. */
#define PHONE_RULE_TEXT "7 到 30 个字符，可含数字、空格、+ - ( ) / , 和“转”，至少 7 位数字"

/* email: one @ with text before it, a dot inside the domain (not at its
 * start or end, no empty label), no white space, control characters or
 * < > " ', valid UTF-8, at most 254 bytes. */
int email_valid(const char *s);

/* postcode (zip, the digits6 check): exactly 6 ASCII digits. */
int postcode_valid(const char *s);

/* The name an uploaded file is kept and shown under: the last path
 * component (old browsers send C:\...), control characters dropped, at most
 * 200 bytes cut on a UTF-8 boundary; fallback when nothing valid is left.
 * Malloc'd. */
char *upload_filename(const char *name, const char *fallback);

#endif
