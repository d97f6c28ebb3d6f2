/*
 * region/region.h - what the files of smesurvey-region share: the slots of
 * the typed page parameters, the sample kinds and strata, and the pages
 * that main.c's page table dispatches to. Internal to this program.
 */
#ifndef SMESURVEY_REGION_H
#define SMESURVEY_REGION_H

#include "draw.h"
#include "http.h"

/* Typed page parameters: their slots in r->arg[] (the page table in main.c). */
enum key {
	KEY_KIND, KEY_UNIT, KEY_ID, KEY_REASON, KEY_FORM, KEY_Q, KEY_AFTER, KEY_STRATUM, KEY_AFTER_ID,
	/* the POSTs of frames, sample and slips */
	KEY_ACTION, KEY_FILE, KEY_HEADER_ROW, KEY_SHOWN_HEADER_ROW, KEY_MAP, KEY_PV, KEY_PS,
	KEY_SHOWN_COUNTS, KEY_FRAME_ID, KEY_SME_N, KEY_CONFIRM, KEY_SEED, KEY_SCOPE, KEY_REVOKED,
	KEY_DRAW_CONFIRMED    /* confirm=1: the draw's confirmation page was answered (issue 23 item 10) */
};

/* action= of POST /region/frames and POST /region/sample, by index. */
/* action= of /region/frames, in frame_actions' order (main.c). */
enum frame_action { FA_UPLOAD, FA_PREVIEW, FA_CONFIRM, FA_DISCARD, FA_CONFIRM_VALID };
enum sample_action { SA_DRAW, SA_UPLOAD, SA_REPLACE };

#define RESERVE_SHOWN      100   /* reserves listed per stratum; all in the CSV */
#define SME_SIZE_MAX 10000   /* largest SME sample a region may ask for */

/* kind= of frames and samples: "resource", "sme", NULL; frames.c. */
extern const char *const kinds[3];
/* kind= as posted: the kind, or NULL when absent or unknown. */
const char *kind_arg(const struct req *r);

/* frames.c: kinds, quotas and whether a sample exists. */
const char *kind_label(const char *k);
const char *kind_of(const char *k);
int quota(const struct req *r, int st);
int sample_exists(struct req *r, const char *kind);
/* frames.c: the upload, its errors and the strata counts, shared with the
 * region's own list in sample.c. */
struct frame_parse;
const struct param *upload_param(const struct req *r, const char **why);
void show_errors(struct req *r, const struct frame_parse *fp);
void frame_strata(struct req *r, const char *frame_id, size_t count[ST_COUNT]);
void strata_counts(struct req *r, const char *kind, const size_t count[ST_COUNT]);

/* home.c */
void region_title(struct req *r, const char *suffix);
void home(struct req *r);
struct dbarg;
/* The constants of the home's statement (STMT_PAGE_REGION_HOME): k.cu1,
 * k.cu2, k.rep, k.role (pagedef.session_args). */
int  home_session_args(const struct req *r, struct dbarg *out);
void progress(struct req *r);

/* frames.c */
void frames_get(struct req *r);
/* The constants of its statement (STMT_PAGE_FRAMES). */
int  frames_session_args(const struct req *r, struct dbarg *out);
void frames_post(struct req *r);

/* sample.c */
void sample_get(struct req *r);
void sample_post(struct req *r);
void sample_csv(struct req *r);
void sample_replace_get(struct req *r);
/* The constant of its statement (STMT_PAGE_SAMPLE_REPLACE): k.unit. */
int  sample_replace_session_args(const struct req *r, struct dbarg *out);

/* slips.c */
void slips_get(struct req *r);
void slips_post(struct req *r);
void slip_one_get(struct req *r);
void slip_one_post(struct req *r);
void slip_revoke_get(struct req *r);
void slip_revoke_post(struct req *r);

#endif
