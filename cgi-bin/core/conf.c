/*
 * conf.c - load the "key = value" configuration file.
 */
#include "conf.h"
#include "log.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
}

static void conf_defaults(struct conf *c)
{
	memset(c, 0, sizeof *c);
	set_str(&c->db_socket, "");
	set_str(&c->db_host, "127.0.0.1");
	c->db_port = 3306;
	set_str(&c->db_name, "smesurvey");
	set_str(&c->db_user, "smesurvey");
	set_str(&c->db_password, "");
	set_str(&c->db_failover, "");
	set_str(&c->db_user_hosts, "localhost");
	set_str(&c->code_secret, "");
	set_str(&c->paradata_secret, "");
	set_str(&c->base_url, "http://127.0.0.1:8080");
	set_str(&c->upload_dir, "/var/lib/smesurvey/uploads");
	/* Deadlines of the notice (工信厅企业函〔2013〕782号). */
	set_str(&c->deadline_survey, "2013-11-25 23:59:59");
	set_str(&c->deadline_selfeval, "2013-11-30 23:59:59");
	set_str(&c->time_zone, "Asia/Shanghai");
	set_str(&c->site_name, "首批中小企业公共服务平台网络评估调查");
	set_str(&c->help_line, "");
	c->secure_cookies = 0;
	c->session_idle_min = 30;
	c->session_abs_min = 720;
	c->max_body = 64L * 1024 * 1024;
	c->max_upload = 20L * 1024 * 1024;
	c->sample_hub = 5;
	c->sample_window = 10;
	c->sample_sme = 100;
	c->login_slowdown_max_ms = 1000;
	c->count_round_trips = 0;
	c->relax_throttles = 0;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	char *e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

static int parse_long(const char *v, long min, long max, long *out)
{
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < min || n > max)
		return -1;
	*out = n;
	return 0;
}

/* Applies one key; returns -1 for an unknown key or a bad value. */
static int conf_set(struct conf *c, const char *k, const char *v)
{
	struct { const char *key; char **dst; } strs[] = {
		{ "db_socket", &c->db_socket }, { "db_host", &c->db_host },
		{ "db_name", &c->db_name }, { "db_user", &c->db_user },
		{ "db_password", &c->db_password }, { "base_url", &c->base_url },
		{ "upload_dir", &c->upload_dir }, { "deadline_survey", &c->deadline_survey },
		{ "deadline_selfeval", &c->deadline_selfeval }, { "site_name", &c->site_name },
		{ "time_zone", &c->time_zone }, { "help_line", &c->help_line },
		{ "db_failover", &c->db_failover }, { "db_user_hosts", &c->db_user_hosts },
	};
	/* A short secret would make the codes guessable from a few slips. */
	if (strcmp(k, "code_secret") == 0 || strcmp(k, "paradata_secret") == 0) {
		if (strlen(v) < CODE_SECRET_MIN)
			return -1;
		set_str(k[0] == 'c' ? &c->code_secret : &c->paradata_secret, v);
		return 0;
	}
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++)
		if (strcmp(k, strs[i].key) == 0) {
			set_str(strs[i].dst, v);
			return 0;
		}

	struct { const char *key; long min, max; } nums[] = {
		{ "db_port", 1, 65535 }, { "secure_cookies", 0, 1 },
		{ "session_idle_min", 1, 24 * 60 }, { "session_abs_min", 1, 7 * 24 * 60 },
		{ "max_body", 1024, 1L << 30 }, { "max_upload", 1024, 1L << 30 },
		{ "sample_hub", 1, 10000 }, { "sample_window", 1, 10000 }, { "sample_sme", 100, 10000 },
		{ "login_slowdown_max_ms", 0, 10000 }, { "relax_throttles", 0, 1 }, { "count_round_trips", 0, 1 },
	};
	for (size_t i = 0; i < sizeof nums / sizeof nums[0]; i++) {
		long n;
		if (strcmp(k, nums[i].key) != 0)
			continue;
		if (parse_long(v, nums[i].min, nums[i].max, &n) < 0)
			return -1;
		switch (i) {
		case 0: c->db_port = (unsigned)n; break;
		case 1: c->secure_cookies = (int)n; break;
		case 2: c->session_idle_min = (int)n; break;
		case 3: c->session_abs_min = (int)n; break;
		case 4: c->max_body = n; break;
		case 5: c->max_upload = n; break;
		case 6: c->sample_hub = (int)n; break;
		case 7: c->sample_window = (int)n; break;
		case 8: c->sample_sme = (int)n; break;
		case 9: c->login_slowdown_max_ms = (int)n; break;
		case 10: c->relax_throttles = (int)n; break;
		default: c->count_round_trips = (int)n; break;
		}
		return 0;
	}
	return -1;
}

int conf_load(struct conf *c, const char *path)
{
	conf_defaults(c);
	if (path == NULL)
		path = getenv("SMESURVEY_CONF");
	if (path == NULL || *path == '\0')
		path = "/etc/smesurvey/smesurvey.conf";

	FILE *f = fopen(path, "r");
	if (f == NULL) {
		log_err("cannot open config %s: %s", path, strerror(errno));
		return -1;
	}
	char line[2048];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *s = trim(line);
		if (*s == '\0' || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (eq == NULL) {
			log_err("%s:%d: expected key = value", path, lineno);
			rc = -1;
			continue;
		}
		*eq = '\0';
		char *k = trim(s), *v = trim(eq + 1);
		if (conf_set(c, k, v) < 0) {
			log_err("%s:%d: unknown key or bad value for '%s'", path, lineno, k);
			rc = -1;
		}
	}
	fclose(f);
	/* A trailing slash would double up in every generated URL. */
	size_t n = strlen(c->base_url);
	while (n > 0 && c->base_url[n - 1] == '/')
		c->base_url[--n] = '\0';
	return rc;
}

void conf_free(struct conf *c)
{
	char **strs[] = { &c->db_socket, &c->db_host, &c->db_name, &c->db_user,
	                  &c->db_password, &c->code_secret, &c->paradata_secret, &c->base_url, &c->upload_dir,
	                  &c->deadline_survey, &c->deadline_selfeval, &c->site_name,
	                  &c->time_zone, &c->help_line, &c->db_failover, &c->db_user_hosts };
	for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
		free(*strs[i]);
		*strs[i] = NULL;
	}
}
