/*
 * review.h - the agency's document review (issue 19 item 2; notice 三、
 * 查阅资料). Documents (documents.tsv kinds) a construction unit uploads,
 * or the agency uploads on its behalf, are checked by their bytes (PDF,
 * DOC, DOCX, XLS, XLSX) and stored by forms/form_file.c's functions, as
 * the self-evaluation report is. The agency's review of a unit (checklist,
 * findings, a scale.tsv rating per content) is append-only: every save a
 * new version (unit_reviews), so the history keeps who changed what when.
 * The region sees receipts only; a unit only its own uploads.
 */
#ifndef SME_REVIEW_H
#define SME_REVIEW_H

struct req;
struct ws_unit;

/* ---- documents (review.c) ---- */
/* GET/POST /agency/unit/documents: a unit's own documents and upload. */
void review_unit_docs_get(struct req *r);
void review_unit_docs_post(struct req *r);
/* GET /agency/documents/file?id=: a unit its own file, the agency any. */
void review_doc_file(struct req *r);
/* The region's receipts section (its units' documents, no file, no
 * findings); 0, or -1 on a database error (nothing written). */
int  review_receipts_section(struct req *r);
/* The unit's documents table, file links when links. 0 or -1. */
int  review_docs_table(struct req *r, unsigned long long unit, int links);
/* The upload form posting to action; kind and err (at the file field)
 * when a post failed. */
void review_upload_form(struct req *r, const char *action, const char *kind, const char *err);
/* Checks and stores the posted "file" of kind "kind" for the unit (audit
 * row). NULL, or the file field's message; an unknown kind sets *kind_err. */
const char *review_store_document(struct req *r, const struct ws_unit *u, const char **kind_err);
/* The documents.tsv label of a kind (the code when unknown). */
const char *review_doc_label(const char *kind);

/* ---- the agency's reviews (unitreview.c) ---- */
/* GET /agency/reviews?region=: every construction unit, its review. */
void review_list(struct req *r);
/* GET/POST /agency/reviews/unit?unit=: documents, upload on the unit's
 * behalf (POST /agency/reviews/upload), the review form. */
void review_unit_get(struct req *r);
void review_unit_post(struct req *r);
void review_upload_post(struct req *r);
/* GET /agency/reviews/history?unit=: every version, each with what changed. */
void review_history(struct req *r);

#endif
