/*
 * flags.c - the integrity rules' checks (issue 20, item 2). See flags.h
 * and README ("Answers the evaluation can trust") for what each rule means.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "flags.h"
#include "log.h"
#include "util.h"

#define FLAG_BANDS 12        /* signature bands (STMT_FLAG_SIGS_INSERT rows) */
#define FLAG_ROWS  6         /* MinHash values per band */
#define OTHERS_MAX 230       /* characters of the others column */

/* One response under check. */
struct subject {
	struct db *db;
	const struct form *f;
	unsigned long long rid, uid;
	const char *region;
	const struct answers *eff;
	long long active;        /* seconds; -1 without paradata */
	int paper;               /* entered by the region from paper */
	char net[17], at[20];    /* the submit's network and time */
};

static int put(struct subject *s, const struct flag_rule *rule, const char *figures, const char *others)
{
	return db_exec(s->db, STMT_FLAG_PUT,
	               DB_ARGS(A_INT(s->rid), A_STR(rule->code), A_STR(s->region), A_STR(s->f->name),
	                       A_STR(figures), A_STR(others)), NULL, NULL);
}

/* The symmetric flags a check gives the other responses involved,
 * gathered as a JSON array of [id, figures] and written by two statements
 * at the end (others_put), not two per other: a submit of a burst of fifty
 * holds its transaction's locks for a few round trips, not a hundred. */
static void others_add(struct buf *batch, unsigned long long other, const char *figures)
{
	buf_printf(batch, "%s[%llu,", batch->len ? "," : "[", other);
	buf_json_str(batch, figures);
	buf_putc(batch, ']');
}

/* Each other's flag row is created when missing and never rewritten
 * (sql/080 says why); each finding is its own flag_links row. */
static int others_put(struct subject *s, const struct flag_rule *rule, struct buf *batch)
{
	if (!batch->len)
		return 0;
	buf_putc(batch, ']');
	if (db_exec(s->db, STMT_FLAG_ADD_OTHERS, DB_ARGS(A_STR(rule->code), A_STR(batch->data)), NULL, NULL) < 0)
		return -1;
	return db_exec(s->db, STMT_FLAG_LINKS_ADD, DB_ARGS(A_STR(rule->code), A_INT(s->rid), A_STR(batch->data)),
	               NULL, NULL);
}

/* Appends id to the comma-separated list b unless it is there already;
 * returns 1 when added. */
static int add_id(struct buf *b, unsigned long long id)
{
	char s[24];
	snprintf(s, sizeof s, "%llu", id);
	for (const char *p = b->data; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ','))
		if (strcspn(p, ",") == strlen(s) && !strncmp(p, s, strlen(s)))
			return 0;
	if (b->len >= OTHERS_MAX)
		return 0;
	buf_printf(b, "%s%s", b->len ? "," : "", s);
	return 1;
}

static size_t answered(const struct subject *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->eff->n; i++)
		n += s->eff->v[i] && *s->eff->v[i];
	return n;
}

/* fast: active time under sec_per_field x answered fields. */
static int check_fast(struct subject *s, const struct flag_rule *rule)
{
	size_t n = answered(s);
	double limit = rule->p[0] * (double)n;
	char fig[200];
	/* Typing a paper form in is fast by nature; no paradata, no verdict. */
	if (s->paper || s->active < 0 || n < (size_t)rule->p[1] || (double)s->active >= limit)
		return 0;
	snprintf(fig, sizeof fig, "有效作答时间 %lld 秒，已答 %zu 项，下限 %.0f 秒（每项 %g 秒）",
	         s->active, n, limit, rule->p[0]);
	return put(s, rule, fig, "");
}

/* straight: every answered item of a rating grid the same option. */
static int check_straight(struct subject *s, const struct flag_rule *rule)
{
	size_t first[8], len[8], n = flag_grids(s->f, (size_t)rule->p[0], first, len, 8);
	for (size_t g = 0; g < n; g++) {
		if (!flag_straight(s->f, s->eff, first[g], len[g], (size_t)rule->p[0]))
			continue;
		const struct field *fd = &s->f->fields[first[g]];
		const char *v = NULL;
		for (size_t i = first[g]; i < first[g] + len[g] && !v; i++)
			if (s->eff->v[i] && *s->eff->v[i])
				v = s->eff->v[i];
		const char *lab = v ? form_option_label(fd, v) : NULL;
		char fig[300];
		snprintf(fig, sizeof fig, "评分表格“%s”的各项均选“%s”", strstr(fd->label, " / ") + 3,
		         lab ? lab : v ? v : "");
		return put(s, rule, fig, "");
	}
	return 0;
}

/* 64-bit FNV-1a, then a SplitMix64 finaliser per MinHash row. */
static unsigned long long fnv(const char *a, const char *b)
{
	unsigned long long h = 1469598103934665603ULL;
	for (const char *p = a; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	h = (h ^ '=') * 1099511628211ULL;
	for (const char *p = b; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

static unsigned long long mix(unsigned long long x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The bands of the MinHash signature of the "code=value" pairs. */
static void signature(const struct subject *s, unsigned long long band[FLAG_BANDS])
{
	unsigned long long mins[FLAG_BANDS * FLAG_ROWS];
	memset(mins, 0xff, sizeof mins);
	for (size_t i = 0; i < s->eff->n; i++) {
		if (!s->eff->v[i] || !*s->eff->v[i])
			continue;
		unsigned long long h = fnv(s->f->fields[i].code, s->eff->v[i]);
		for (size_t k = 0; k < FLAG_BANDS * FLAG_ROWS; k++) {
			unsigned long long m = mix(h ^ (k * 0x632be59bd9b4e019ULL));
			if (m < mins[k])
				mins[k] = m;
		}
	}
	for (size_t b = 0; b < FLAG_BANDS; b++) {
		unsigned long long h = 0;
		for (size_t k = 0; k < FLAG_ROWS; k++)
			h = mix(h ^ mins[b * FLAG_ROWS + k]);
		band[b] = h >> 1;   /* fits a signed BIGINT argument */
	}
}

static int store_signature(struct subject *s)
{
	unsigned long long band[FLAG_BANDS];
	struct dbarg a[FLAG_BANDS * 5];
	signature(s, band);
	for (size_t b = 0; b < FLAG_BANDS; b++) {
		a[b * 5] = A_INT(s->rid);
		a[b * 5 + 1] = A_STR(s->region);
		a[b * 5 + 2] = A_STR(s->f->name);
		a[b * 5 + 3] = A_INT(b);
		a[b * 5 + 4] = A_INT(band[b]);
	}
	if (db_exec(s->db, STMT_FLAG_SIGS_DELETE, DB_ARGS(A_INT(s->rid)), NULL, NULL) < 0)
		return -1;
	return db_exec(s->db, STMT_FLAG_SIGS_INSERT, a, FLAG_BANDS * 5, NULL, NULL);
}

/* neardup: share of equal answers over the fields both answered. */
static int check_neardup(struct subject *s, const struct flag_rule *rule)
{
	struct dbrows *rows;
	struct buf others = { 0 }, fig = { 0 }, batch = { 0 };
	double best = 0;
	int rc = 0;
	if (store_signature(s) < 0 ||
	    db_query(s->db, STMT_FLAG_SIMILAR, DB_ARGS(A_INT(s->rid), A_INT(s->rid)), &rows) < 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		long long eq = dbrows_int(rows, i, 1), common = dbrows_int(rows, i, 2);
		double share = common ? (double)eq / (double)common : 0;
		if (common < (long long)rule->p[1] || share < rule->p[0])
			continue;
		unsigned long long other = (unsigned long long)dbrows_int(rows, i, 0);
		char f2[200];
		snprintf(f2, sizeof f2, "与答卷 %llu 的 %lld 个共同作答项中 %lld 项相同（%.0f%%）",
		         s->rid, common, eq, share * 100);
		add_id(&others, other);
		if (share > best) {
			best = share;
			buf_reset(&fig);
			buf_printf(&fig, "与答卷 %llu 的 %lld 个共同作答项中 %lld 项相同（%.0f%%）",
			           other, common, eq, share * 100);
		}
		others_add(&batch, other, f2);
	}
	dbrows_free(rows);
	rc = others_put(s, rule, &batch);
	if (rc == 0 && others.len)
		rc = put(s, rule, fig.data, others.data);
	buf_free(&others);
	buf_free(&fig);
	buf_free(&batch);
	return rc;
}

/* burst: >= n submissions of the region from the submit's network within
 * the window before it (the earlier ones get the flag too), or >= n
 * registrations from the network of this account's registration. */
static int check_burst(struct subject *s, const struct flag_rule *rule)
{
	struct dbrows *rows = NULL;
	struct buf others = { 0 }, batch = { 0 };
	char fig[200], *regs = NULL;
	int rc = 0;
	long long nregs = 0;
	if (db_query_str(s->db, STMT_FLAG_BURST_REGS, DB_ARGS(A_INT((long long)rule->p[1]), A_INT(s->uid)),
	                 &regs) < 0)
		return -1;
	nregs = regs ? atoll(regs) : 0;
	free(regs);
	if (s->net[0] && *s->region &&
	    db_query(s->db, STMT_FLAG_BURST_SUBMITS,
	             DB_ARGS(A_STR(s->region), A_STR(s->net), A_STR(s->at), A_INT((long long)rule->p[1]),
	                     A_STR(s->at)), &rows) < 0)
		return -1;
	size_t nsub = rows ? rows->nrows : 0;
	if (nsub >= (size_t)rule->p[0]) {
		snprintf(fig, sizeof fig, "同一网络 %g 分钟内本地区提交 %zu 份（含答卷 %llu）", rule->p[1], nsub, s->rid);
		for (size_t i = 0; i < nsub; i++) {
			unsigned long long other = (unsigned long long)dbrows_int(rows, i, 0);
			if (other != s->rid) {
				add_id(&others, other);
				others_add(&batch, other, fig);
			}
		}
		rc = others_put(s, rule, &batch);
	}
	dbrows_free(rows);
	if (rc == 0 && (nsub >= (size_t)rule->p[0] || nregs >= (long long)rule->p[0])) {
		snprintf(fig, sizeof fig, "同一网络 %g 分钟内：本地区提交 %zu 份；注册时同一网络注册 %lld 个账户",
		         rule->p[1], nsub, nregs);
		rc = put(s, rule, fig, others.data ? others.data : "");
	}
	buf_free(&others);
	buf_free(&batch);
	return rc;
}

/* browser: a browser this account signed in from also signed in to other
 * respondents' accounts (>= accounts in all) or to a region's, hub's or
 * window's account. */
static int check_browser(struct subject *s, const struct flag_rule *rule)
{
	struct dbrows *rows;
	struct buf others = { 0 }, batch = { 0 };
	size_t resp = 0, staff = 0;
	int rc = 0;
	if (db_query(s->db, STMT_FLAG_BROWSER, DB_ARGS(A_INT(s->uid)), &rows) < 0)
		return -1;
	for (size_t i = 0; i < rows->nrows; i++) {
		const char *role = dbrows_get(rows, i, 1);
		if (!strcmp(role, "sme") || !strcmp(role, "resource"))
			resp++;
		else if (!strcmp(role, "region") || !strcmp(role, "hub") || !strcmp(role, "window"))
			staff++;
	}
	if (resp + 1 >= (size_t)rule->p[0] || staff) {
		char fig[200];
		snprintf(fig, sizeof fig, "同一浏览器还登录过 %zu 个其他答卷账户、%zu 个地区或建设单位账户（含答卷 %llu 的账户）",
		         resp, staff, s->rid);
		for (size_t i = 0; i < rows->nrows; i++) {
			unsigned long long other = (unsigned long long)dbrows_int(rows, i, 2);
			if (other && other != s->rid) {
				add_id(&others, other);
				others_add(&batch, other, fig);
			}
		}
		rc = others_put(s, rule, &batch);
		snprintf(fig, sizeof fig, "同一浏览器还登录过 %zu 个其他答卷账户、%zu 个地区或建设单位账户",
		         resp, staff);
		if (rc == 0)
			rc = put(s, rule, fig, others.data ? others.data : "");
	}
	dbrows_free(rows);
	buf_free(&others);
	buf_free(&batch);
	return rc;
}

/* A phone as its digits, an e-mail in lower case; "" when too short. */
static void normalise_contact(const struct field *fd, const char *v, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = v; *p && k + 1 < n; p++)
		if (fd->type == FT_PHONE ? isdigit((unsigned char)*p) : !isspace((unsigned char)*p))
			out[k++] = fd->type == FT_PHONE ? *p : (char)tolower((unsigned char)*p);
	out[k] = '\0';
	if (k < 5)
		out[0] = '\0';
}

/* contact: the same phone or e-mail on more than max_units other units. */
static int check_contact(struct subject *s, const struct flag_rule *rule)
{
	struct buf others = { 0 };
	size_t n = 0;
	int rc = db_exec(s->db, STMT_FLAG_CONTACTS_DELETE, DB_ARGS(A_INT(s->rid)), NULL, NULL);
	for (size_t i = 0; i < s->f->nfields && rc == 0; i++) {
		const struct field *fd = &s->f->fields[i];
		char val[256], kind[2] = { fd->type == FT_PHONE ? 'p' : 'e', 0 };
		struct dbrows *rows;
		if ((fd->type != FT_PHONE && fd->type != FT_EMAIL) || !s->eff->v[i])
			continue;
		normalise_contact(fd, s->eff->v[i], val, sizeof val);
		if (!*val)
			continue;
		if (db_exec(s->db, STMT_FLAG_CONTACT_INSERT, DB_ARGS(A_STR(kind), A_STR(val), A_INT(s->rid),
		            A_INT(s->uid)), NULL, NULL) < 0 ||
		    db_query(s->db, STMT_FLAG_CONTACT_OTHERS, DB_ARGS(A_STR(kind), A_STR(val), A_INT(s->uid)), &rows) < 0)
			return -1;
		for (size_t k = 0; k < rows->nrows; k++)
			n += (size_t)add_id(&others, (unsigned long long)dbrows_int(rows, k, 0));
		dbrows_free(rows);
	}
	if (rc == 0 && n >= (size_t)rule->p[0]) {
		char fig[200];
		snprintf(fig, sizeof fig, "与其他 %zu 份答卷（其他单位）填写了相同的联系电话或电子邮箱", n);
		rc = put(s, rule, fig, others.data);
		struct buf batch = { 0 };
		snprintf(fig, sizeof fig, "与答卷 %llu（其他单位）填写了相同的联系电话或电子邮箱", s->rid);
		for (const char *p = others.data; p && *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ','))
			others_add(&batch, strtoull(p, NULL, 10), fig);
		if (rc == 0)
			rc = others_put(s, rule, &batch);
		buf_free(&batch);
	}
	buf_free(&others);
	return rc;
}

typedef int (*check_fn)(struct subject *, const struct flag_rule *);
static const check_fn checks[FK__MAX] = {
	[FK_FAST] = check_fast, [FK_STRAIGHT] = check_straight, [FK_NEARDUP] = check_neardup,
	[FK_BURST] = check_burst, [FK_BROWSER] = check_browser, [FK_CONTACT] = check_contact,
};

/* The response's facts (STMT_FLAG_FACTS) into s. */
static int load_facts(struct subject *s)
{
	struct dbrows *rows;
	if (db_query(s->db, STMT_FLAG_FACTS, DB_ARGS(A_INT(s->rid)), &rows) < 0)
		return -1;
	if (rows->nrows == 0) {
		dbrows_free(rows);
		return -1;
	}
	s->uid = (unsigned long long)dbrows_int(rows, 0, 0);
	s->active = dbrows_int(rows, 0, 1);
	s->paper = dbrows_int(rows, 0, 2) != 0;
	snprintf(s->net, sizeof s->net, "%s", dbrows_get(rows, 0, 3) ? dbrows_get(rows, 0, 3) : "");
	snprintf(s->at, sizeof s->at, "%s", dbrows_get(rows, 0, 4) ? dbrows_get(rows, 0, 4) : "");
	dbrows_free(rows);
	return 0;
}

int flags_on_submit(struct db *db, const struct form *f, unsigned long long rid,
                    const char *region, const struct answers *eff)
{
	struct subject s = { .db = db, .f = f, .rid = rid, .region = region ? region : "", .eff = eff };
	char err[200];
	if (flag_rules_load(err, sizeof err) < 0) {
		log_err("flag rules: %s", err);
		return -1;
	}
	size_t applies = 0;
	for (size_t i = 0; flag_rule_at(i); i++)
		applies += (size_t)flag_rule_applies(flag_rule_at(i), f);
	if (!applies)
		return 0;          /* e.g. the self-evaluation report: nothing to check */
	if (load_facts(&s) < 0 || db_exec(db, STMT_FLAGS_DELETE_OWN, DB_ARGS(A_INT(rid)), NULL, NULL) < 0 ||
	    db_exec(db, STMT_FLAG_LINKS_DELETE_OWN, DB_ARGS(A_INT(rid)), NULL, NULL) < 0)
		return -1;
	for (size_t i = 0; flag_rule_at(i); i++) {
		const struct flag_rule *rule = flag_rule_at(i);
		if (flag_rule_applies(rule, f) && checks[rule->kind](&s, rule) < 0)
			return -1;
	}
	return 0;
}

/* One response of the rebuild: its effective answers, then the checks. */
static int rebuild_one(struct db *db, unsigned long long rid, const char *form, const char *region)
{
	const struct form *f = form_get(form);
	struct answers a;
	int rc;
	if (!f)
		return 0;           /* a retired form: nothing to check */
	if (response_load_answers(db, f, rid, &a) < 0)
		return -1;
	rc = flags_on_submit(db, f, rid, region, &a);
	answers_free(&a);
	return rc;
}

static int rebuild_body(struct db *db, void *ctx, int attempt)
{
	long long *n = ctx;
	struct dbrows *list;
	int rc = 0;
	(void)attempt;
	*n = 0;
	if (db_exec(db, STMT_FLAGS_CLEAR, DB_NOARGS, NULL, NULL) < 0 ||
	    db_exec(db, STMT_FLAG_LINKS_CLEAR, DB_NOARGS, NULL, NULL) < 0 ||
	    db_exec(db, STMT_FLAG_SIGS_CLEAR, DB_NOARGS, NULL, NULL) < 0 ||
	    db_exec(db, STMT_FLAG_CONTACTS_CLEAR, DB_NOARGS, NULL, NULL) < 0 ||
	    db_query(db, STMT_FLAG_REBUILD_LIST, DB_NOARGS, &list) < 0)
		return -1;
	for (size_t i = 0; i < list->nrows && rc == 0; i++, (*n)++)
		rc = rebuild_one(db, (unsigned long long)dbrows_int(list, i, 0), dbrows_get(list, i, 1),
		                 dbrows_get(list, i, 2));
	dbrows_free(list);
	return rc;
}

int flags_rebuild(struct db *db, long long *n)
{
	return db_transaction(db, rebuild_body, n) < 0 ? -1 : 0;
}
