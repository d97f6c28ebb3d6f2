/*
 * fwords.c - the words of real office files (words/headings.tsv, embedded):
 * heading synonyms, footer markers and placeholders for "nothing" (frame.h).
 */
#include "frame.h"
#include "util.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const char frame_words_tsv[];

/* The fields' codes and labels live with the words that name them (the
 * frame uses them; this module uses nothing of the frame's). */
static const char *const ff_codes[FF_COUNT] = { "ignore", "name", "platform", "contact", "phone", "email",
                                                "org_code", "address", "zip" };
static const char *const ff_labels[FF_COUNT] = { "（不导入）", "名称", "组织平台", "联系人", "电话", "邮箱",
                                                 "统一社会信用代码", "地址", "邮编" };

const char *ffield_code(int f)  { return f >= 0 && f < FF_COUNT ? ff_codes[f] : ""; }
const char *ffield_label(int f) { return f >= 0 && f < FF_COUNT ? ff_labels[f] : ""; }

int ffield_parse(const char *s)
{
	for (int i = 0; s && i < FF_COUNT; i++)
		if (strcmp(s, ff_codes[i]) == 0)
			return i;
	return -1;
}

#define FW_MAX 400   /* lines of the list */

enum { FW_FOOTER = FF_COUNT, FW_EMPTY };

struct fword {
	int   kind;        /* an ffield, FW_FOOTER or FW_EMPTY */
	char *text;        /* normalised (fwords_norm) */
};

static struct fword words[FW_MAX];
static size_t nwords;
static pthread_once_t once = PTHREAD_ONCE_INIT;

/* The kind named in the list's first column, -1 when unknown. */
static int kind_of(const char *k)
{
	if (strcmp(k, "footer") == 0)
		return FW_FOOTER;
	if (strcmp(k, "empty") == 0)
		return FW_EMPTY;
	int f = ffield_parse(k);
	return f > FF_IGNORE ? f : -1;
}

/* A wrong list is a build mistake: stop at start-up, naming the line. */
static void load(void)
{
	char *copy = xstrdup(frame_words_tsv), *save = NULL;
	unsigned lineno = 0;
	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		lineno++;
		if (l[0] == '#' || l[0] == '\0')
			continue;
		char *tab = strchr(l, '\t');
		int k = -1;
		if (tab) {
			*tab = '\0';
			k = kind_of(l);
		}
		if (k < 0 || nwords == FW_MAX || !tab[1]) {
			fprintf(stderr, "words/headings.tsv line %u: unknown kind or empty text\n", lineno);
			abort();
		}
		words[nwords].kind = k;
		words[nwords].text = fwords_norm(tab + 1);
		nwords++;
	}
	free(copy);
}

size_t fwords_count(void)
{
	pthread_once(&once, load);
	return nwords;
}

char *fwords_norm(const char *s)
{
	struct buf b = { 0 };
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p <= ' ' || *p == '*')
			continue;
		/* strncmp: stops at the string's end, unlike memcmp. */
		if (strncmp((const char *)p, "\xe3\x80\x80", 3) == 0 || strncmp((const char *)p, "\xef\xbc\x8a", 3) == 0) {
			p += 2;     /* ideographic space, full-width asterisk */
			continue;
		}
		buf_putc(&b, (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p));
	}
	buf_putc(&b, '\0');
	return buf_steal(&b);
}

/* A trailing colon ("名称：") is no part of a heading (but is of a footer
 * marker: "注：" is a note, "注册…" a name). */
static void strip_colon(char *n)
{
	size_t len = strlen(n);
	if (len && n[len - 1] == ':')
		n[len - 1] = '\0';
	else if (len >= 3 && memcmp(n + len - 3, "\xef\xbc\x9a", 3) == 0)
		n[len - 3] = '\0';
}

/* 1 when a word of kind k is equal to (prefix 0) or starts (prefix 1) s. */
static int find(int k, const char *s, int prefix)
{
	pthread_once(&once, load);
	char *n = fwords_norm(s);
	int hit = 0;
	for (size_t i = 0; i < nwords && !hit; i++) {
		if (words[i].kind != k)
			continue;
		size_t len = strlen(words[i].text);
		hit = prefix ? strncmp(n, words[i].text, len) == 0 : strcmp(n, words[i].text) == 0;
	}
	free(n);
	return hit;
}

int fwords_heading(const char *cell)
{
	pthread_once(&once, load);
	char *n = fwords_norm(cell);
	int f = FF_IGNORE;
	strip_colon(n);
	for (size_t i = 0; i < nwords && f == FF_IGNORE; i++)
		if (words[i].kind < FF_COUNT && strcmp(n, words[i].text) == 0)
			f = words[i].kind;
	free(n);
	return f;
}

int fwords_footer(const char *cell)
{
	return cell[0] && find(FW_FOOTER, cell, 1);
}

int fwords_empty(const char *value)
{
	return value[0] && find(FW_EMPTY, value, 0);
}
