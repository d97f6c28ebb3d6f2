/*
 * catalog.c - parsing the form catalog (catalog.h).
 */
#include "catalog.h"
#include "util.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CATALOG_MAX CATALOG_MAX_FORMS
enum col { C_NAME, C_ANNEX, C_ROLE, C_DEADLINE, C_PROXY, C_SAMPLED, C_LABEL, C_DOC, C_MENU,
           C_PROXY_MENU, C_TITLE, C_INTRO, C_COUNT };
static const char *const col_names[C_COUNT] = {
	"name", "annex", "role", "deadline", "proxy", "sampled", "label", "doc", "menu",
	"proxy_menu", "title", "intro"
};

static struct form_info infos[CATALOG_MAX];
static size_t ninfos;
static char *text;   /* the parsed copy every string of infos points into */

static const struct form_info *find_name(const char *name)
{
	for (size_t i = 0; name && i < ninfos; i++)
		if (!strcmp(infos[i].name, name))
			return &infos[i];
	return NULL;
}

static const struct form_info *find_role(enum role r)
{
	for (size_t i = 0; i < ninfos; i++)
		if (infos[i].role == r)
			return &infos[i];
	return NULL;
}

/* Splits one line into exactly C_COUNT columns, in place. */
static int split(char *line, char *cols[C_COUNT])
{
	size_t n = 0;
	cols[n++] = line;
	for (char *p = line; *p; p++)
		if (*p == '\t') {
			if (n == C_COUNT)
				return -1;
			*p = 0;
			cols[n++] = p + 1;
		}
	return n == C_COUNT ? 0 : -1;
}

static int yes_no(const char *s, int *out)
{
	if (strcmp(s, "y") && strcmp(s, "n"))
		return -1;
	*out = s[0] == 'y';
	return 0;
}

static int valid_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 16)
		return 0;
	for (; *s; s++)
		if (*s < 'a' || *s > 'z')
			return 0;
	return 1;
}

/* Checks one row and fills fi; the strings stay in the parsed copy. */
static int parse_row(char *cols[C_COUNT], size_t index, struct form_info *fi,
                     char *err, size_t errsz)
{
	char annex[16];
	const char *name = cols[C_NAME];

	if (!valid_name(name)) {
		seterr(err, errsz, "forms.tsv: bad form name '%s'", name);
		return -1;
	}
	if (find_name(name)) {
		seterr(err, errsz, "forms.tsv: duplicate form %s", name);
		return -1;
	}
	/* 附件N numbers the rows: the attachments of the notice, in order. */
	snprintf(annex, sizeof annex, "附件%zu", index + 1);
	if (strcmp(cols[C_ANNEX], annex)) {
		seterr(err, errsz, "forms.tsv: %s: annex must be %s", name, annex);
		return -1;
	}
	fi->role = role_parse(cols[C_ROLE]);
	if (fi->role == ROLE_NONE || ROLE_NATIONAL(fi->role)) {
		seterr(err, errsz, "forms.tsv: %s: '%s' is not a respondent role", name, cols[C_ROLE]);
		return -1;
	}
	/* A respondent's home page (role_home) is its questionnaire. */
	if (!strncmp(role_home(fi->role), "/form/", 6) && strcmp(role_home(fi->role) + 6, name)) {
		seterr(err, errsz, "forms.tsv: %s: role %s fills %s", name, cols[C_ROLE],
		       role_home(fi->role) + 6);
		return -1;
	}
	if (find_role(fi->role)) {
		seterr(err, errsz, "forms.tsv: %s: role %s already fills another form", name, cols[C_ROLE]);
		return -1;
	}
	/* The deadline column names the configuration key that applies. */
	if (!strcmp(cols[C_DEADLINE], "deadline_survey")) {
		fi->deadline = DK_SURVEY;
	} else if (!strcmp(cols[C_DEADLINE], "deadline_selfeval")) {
		fi->deadline = DK_SELFEVAL;
	} else {
		seterr(err, errsz, "forms.tsv: %s: deadline must be deadline_survey or deadline_selfeval", name);
		return -1;
	}
	if (yes_no(cols[C_PROXY], &fi->proxy) < 0 || yes_no(cols[C_SAMPLED], &fi->sampled) < 0) {
		seterr(err, errsz, "forms.tsv: %s: proxy and sampled must be y or n", name);
		return -1;
	}
	/* Only an account of a region's own respondents can be entered for. */
	if (fi->proxy && fi->role == ROLE_REGION) {
		seterr(err, errsz, "forms.tsv: %s: a region form cannot allow proxy entry", name);
		return -1;
	}
	if (!!*cols[C_PROXY_MENU] != fi->proxy) {
		seterr(err, errsz, "forms.tsv: %s: proxy_menu is required exactly when proxy is y", name);
		return -1;
	}
	for (int c = C_LABEL; c <= C_TITLE; c++)
		if (c != C_PROXY_MENU && !*cols[c]) {
			seterr(err, errsz, "forms.tsv: %s: %s is empty", name, col_names[c]);
			return -1;
		}
	for (int c = 0; c < C_COUNT; c++)
		if (!utf8_valid(cols[c], strlen(cols[c]))) {
			seterr(err, errsz, "forms.tsv: %s: %s is not UTF-8", name, col_names[c]);
			return -1;
		}
	fi->name = name;
	fi->annex = cols[C_ANNEX];
	fi->label = cols[C_LABEL];
	fi->doc = cols[C_DOC];
	fi->menu = cols[C_MENU];
	fi->proxy_menu = cols[C_PROXY_MENU];
	fi->title = cols[C_TITLE];
	fi->intro = cols[C_INTRO];
	return 0;
}

int catalog_parse(const char *tsv, char *err, size_t errsz)
{
	char *save = NULL, *line;
	size_t lineno = 0;
	static char paths[CATALOG_MAX][24];

	catalog_free();
	text = xstrdup(tsv);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *cols[C_COUNT];
		if (lineno++ == 0) {
			if (split(line, cols) < 0)
				goto bad_header;
			for (int c = 0; c < C_COUNT; c++)
				if (strcmp(cols[c], col_names[c]))
					goto bad_header;
			continue;
		}
		if (split(line, cols) < 0) {
			seterr(err, errsz, "forms.tsv line %zu: expected %d columns", lineno, C_COUNT);
			goto fail;
		}
		if (ninfos == CATALOG_MAX) {
			seterr(err, errsz, "forms.tsv: more than %d forms", CATALOG_MAX);
			goto fail;
		}
		memset(&infos[ninfos], 0, sizeof infos[ninfos]);
		if (parse_row(cols, ninfos, &infos[ninfos], err, errsz) < 0)
			goto fail;
		snprintf(paths[ninfos], sizeof paths[ninfos], "/form/%s", infos[ninfos].name);
		infos[ninfos].path = paths[ninfos];
		ninfos++;
	}
	if (lineno == 0)
		goto bad_header;
	if (ninfos == 0) {
		seterr(err, errsz, "forms.tsv: no forms");
		goto fail;
	}
	return 0;
bad_header:
	seterr(err, errsz, "forms.tsv: bad header");
fail:
	catalog_free();
	return -1;
}

int catalog_load(char *err, size_t errsz)
{
	return ninfos ? 0 : catalog_parse(form_catalog_tsv, err, errsz);
}

void catalog_free(void)
{
	free(text);
	text = NULL;
	ninfos = 0;
}

/* Programs load the catalog at start-up; a library user that did not
 * (a unit test) gets the embedded one on first use. */
static void ensure_loaded(void)
{
	if (!ninfos)
		catalog_load(NULL, 0);
}

size_t catalog_count(void)
{
	ensure_loaded();
	return ninfos;
}

const struct form_info *catalog_at(size_t i)
{
	ensure_loaded();
	return i < ninfos ? &infos[i] : NULL;
}

const struct form_info *catalog_get(const char *name)
{
	ensure_loaded();
	return find_name(name);
}

const struct form_info *catalog_for_role(enum role r)
{
	ensure_loaded();
	return find_role(r);
}
