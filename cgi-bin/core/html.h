/*
 * html.h - HTML output. Escaping is the default: h_text() and every %s of
 * h_printf() are escaped for text and double-quoted attribute contexts.
 * h_raw() is the exception, for markup literals written in the program.
 */
#ifndef SME_HTML_H
#define SME_HTML_H

#include <stddef.h>

struct req;
struct buf;
struct dbrows;

void h_raw(struct req *r, const char *markup);
void h_text(struct req *r, const char *s);
void h_textn(struct req *r, const char *s, size_t n);
/* Supports %s (escaped; NULL prints nothing), %d %u %ld %lu %lld %llu %zu %%
 * and %f / %.Nf (N one digit).
 * Checked by the compiler like printf (the subset above is all it accepts). */
void h_printf(struct req *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Escape into any buffer (used by unit tests and exports). */
void html_escape(struct buf *b, const char *s, size_t n);

/* One link of the site navigation, shown to the roles in the mask. The
 * programs own the list (which pages exist); the accept loop puts it in
 * r->nav. */
struct nav_item {
	unsigned    roles;
	const char *href;
	const char *label;
};

/* Page frame: doctype, head, site header, navigation for the user's role
 * (r->nav), then the caller's content, then the footer. */
void page_begin(struct req *r, const char *title);
void page_end(struct req *r);
/* A complete error page with a Chinese message. */
void page_error(struct req *r, int status, const char *message);
/* <input type="hidden" name="csrf" value="..."> */
void h_csrf_field(struct req *r);

/* A message above a page's content, nothing when msg is NULL: h_alert()
 * for what went wrong (class error, role alert), h_notice() for what was
 * done (class notice, role status). */
void h_alert(struct req *r, const char *msg);
void h_notice(struct req *r, const char *msg);
/* One <option> of a <select>, value and label escaped; h_option_of()
 * selects it when current (may be NULL) is its value. */
void h_option(struct req *r, const char *value, const char *label, int selected);
void h_option_of(struct req *r, const char *value, const char *label, const char *current);

/* Tables. h_table_begin() writes <div class="table-wrap"><table>, the
 * caption and a header row of ncols column names, and opens <tbody>; cls
 * (the table's class) and caption may be NULL. h_table_end() closes them. */
void h_table_begin(struct req *r, const char *cls, const char *caption,
                   const char *const cols[], size_t ncols);
void h_table_end(struct req *r);
/* The same without opening <tbody>, for a table of several <tbody>
 * groups; the caller closes with </table></div>. */
void h_table_head(struct req *r, const char *cls, const char *caption,
                  const char *const cols[], size_t ncols);
/* A phone number as a tel: link (its digits; an extension as a pause),
 * or as text when it has no digits (issue 23 item 10). */
void h_tel(struct req *r, const char *phone);
/* The pager of a list paged by key (never OFFSET): a link to the first
 * page unless this is it (first_href NULL), a link to the next page when
 * there is one (next_href NULL: none). label names the list for screen
 * readers; cls adds classes ("" for none). The hrefs are escaped here. */
void h_seek_pager(struct req *r, const char *label, const char *cls, const char *first_href,
                  const char *next_href);
/* The same with a link to the previous page too (prev_href NULL: none), for
 * lists that page by key both ways (the key of the first row shown). */
void h_key_pager(struct req *r, const char *label, const char *cls, const char *first_href,
                 const char *prev_href, const char *next_href);
/* The pager of a list paged forward by one key: base is the list's URL
 * with its filters and a query part (the first page), on_first says this
 * page is it, next_key is the key of the last row shown when more rows
 * follow (NULL: none), appended URL-encoded as &after=. */
void h_after_pager(struct req *r, const char *label, const char *cls, const char *base, int on_first,
                   const char *next_key);
/* A list's search box inside the caller's <form>: the label, the field
 * "q" (its id id, q its value, maxlen the bound of the page's parameter)
 * and the 查找 button; when q is not empty and all_href is not NULL, a
 * link to the whole list again. */
void h_search_field(struct req *r, const char *id, const char *label, const char *q, int maxlen,
                    const char *all_href);
/* A list's URL into b: path?name=value&... (keep: name, value, ..., NULL;
 * a NULL value is sent empty), values URL-encoded; the pagers' links
 * append their key to it. */
struct buf;
void url_with_params(struct buf *b, const char *path, const char *const *keep);
/* A whole table of query rows, one escaped <td> per cell (SQL NULL: empty);
 * when there are no rows and empty is not NULL, one row spanning the table
 * says so. rows must have ncols columns. */
void h_dbtable(struct req *r, const char *caption, const char *const cols[], size_t ncols,
               const struct dbrows *rows, const char *empty);

#endif
