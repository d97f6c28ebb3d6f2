/*
 * evalconf.h - the agency's review vocabulary, defined as data beside the
 * indicators (cgi-bin/eval/review/<name>.tsv, embedded at build time and parsed
 * at start-up like the codebook: a malformed file stops the program):
 *
 *   contents.tsv   the notice's four evaluation contents 一..四 (code,
 *                  label, notice): every content indicators.tsv names, and
 *                  nothing else
 *   scale.tsv      the rating scale of a review (code, label, meaning)
 *   documents.tsv  the documents a construction unit hands in and the
 *                  review's checklist (code, label, note)
 *
 * Each file has the header "code\tlabel\t<third>"; codes are unique,
 * 1..32 bytes of [A-Za-z0-9_] or one CJK numeral (contents), labels
 * non-empty.
 */
#ifndef SME_EVALCONF_H
#define SME_EVALCONF_H

#include <stddef.h>

struct ev_item {
	char *code;
	char *label;
	char *note;     /* the third column: notice / meaning / note */
};

struct ev_list {
	struct ev_item *v;
	size_t          n;
};

/* Parses one TSV whose header is "code\tlabel\t<third>". 0, or -1 with the
 * file name, line and reason in err. */
int  ev_list_parse(struct ev_list *l, const char *tsv, const char *name, const char *third,
                   char *err, size_t errsz);
void ev_list_free(struct ev_list *l);
const struct ev_item *ev_find(const struct ev_list *l, const char *code);

/* Loads the three lists once, and targets.tsv (targets.h); the contents
 * are checked against the indicators (loaded here first). 0, or -1 with
 * the reason in err. */
int  evalconf_load(char *err, size_t errsz);
const struct ev_list *ev_contents(void);
const struct ev_list *ev_scale(void);
const struct ev_list *ev_documents(void);

/* "好、较好、一般 或 差": the scale's labels for messages. */
struct buf;
void ev_scale_text(struct buf *out);

#endif
