/*
 * codebook.h - the codebook TSVs (cgi-bin/forms/codebook/), embedded at
 * build time by embed.sh. The form engine parses them at start-up.
 */
#ifndef SME_CODEBOOK_H
#define SME_CODEBOOK_H

#include <stddef.h>

struct codebook_file {
	const char *name;   /* "sme", "hub", ... (file name without .tsv) */
	const char *tsv;    /* the whole file, header line included */
};

extern const struct codebook_file codebook_files[];
extern const size_t codebook_nfiles;

#endif
