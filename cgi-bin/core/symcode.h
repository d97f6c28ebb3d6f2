/*
 * symcode.h - codes of 16 symbols of a 32-symbol alphabet without 0/O/1/I
 * (80 bits from getrandom), shown as XXXX-XXXX-XXXX-XXXX.
 *
 * Two things use this shape: invitation codes (sample/codes.h) and the
 * passwords the system generates (registration, one-time passwords set by
 * a region, the ministry or smesurvey-admin), which are typed forgivingly
 * (auth.c: case, spaces and dashes do not matter for them).
 * Input is normalised: full-width ASCII is folded, letters upper-cased,
 * spaces and dashes of any width removed.
 */
#ifndef SME_SYMCODE_H
#define SME_SYMCODE_H

#include <stddef.h>

#define CODE_ALPHABET  "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
#define CODE_LEN       16                 /* symbols */
#define CODE_RAW_BYTES 10                 /* 16 * 5 bits */
#define CODE_GROUPED   (CODE_LEN + 3)     /* with dashes, without NUL */

/* The randomness source; tests may point it elsewhere. Default random_bytes. */
extern int (*codes_random)(void *p, size_t n);

/* Encode 10 raw bytes as 16 symbols (out: 17 bytes, NUL-terminated). */
void code_from_bytes(const unsigned char raw[CODE_RAW_BYTES], char out[CODE_LEN + 1]);
/* A fresh random code (17 bytes). Returns 0, or -1 when getrandom fails. */
int  code_generate(char out[CODE_LEN + 1]);
/* XXXX-XXXX-XXXX-XXXX (20 bytes with NUL). */
void code_group(const char code[CODE_LEN + 1], char out[CODE_GROUPED + 1]);
/* Normalise user input; 0 with out filled when the result is exactly 16
 * alphabet symbols, -1 otherwise. Input longer than 256 bytes is refused. */
int  code_normalise(const char *in, char out[CODE_LEN + 1]);

#endif
