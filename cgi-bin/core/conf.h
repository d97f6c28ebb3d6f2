/*
 * conf.h - the configuration file (conf/smesurvey.conf.example documents
 * every key). Format: "key = value" lines, '#' comments, no sections.
 */
#ifndef SME_CONF_H
#define SME_CONF_H

#define CODE_SECRET_MIN 32   /* characters of code_secret */

struct conf {
	char *db_socket;          /* unix socket; empty means TCP host/port */
	char *db_host;
	unsigned db_port;
	char *db_name;
	char *db_user;
	char *db_password;
	char *db_failover;        /* further database nodes (a Galera cluster), tried
	                             in order when db_socket/db_host does not answer:
	                             "/path/to.sock, host:port, ..." (db.c); "" none */
	char *db_user_hosts;      /* read by smesurvey-setup only (where db_user may
	                             connect from); kept so the key is known */
	char *code_secret;        /* key the invitation codes are derived from
	                             (sample/codes.h); at least 32 characters */
	char *paradata_secret;    /* key of the paradata's network and browser hashes
	                             (core/paradata.h); "" = derived from code_secret */
	char *base_url;           /* e.g. http://127.0.0.1:8080, no trailing slash */
	char *upload_dir;         /* outside the web root */
	char *deadline_survey;    /* 'YYYY-MM-DD HH:MM:SS' for hub/window/resource/sme */
	char *deadline_selfeval;  /* same, for the self-evaluation report */
	char *time_zone;          /* the zone of every deadline (IANA name, e.g.
	                             Asia/Shanghai, the default); "" = the server's local zone */
	char *site_name;
	char *help_line;          /* the ministry's / evaluation agency's help
	                             desk, shown where a region itself is asked */
	int   secure_cookies;     /* 1 when served over HTTPS */
	int   session_idle_min;   /* default 30 */
	int   session_abs_min;    /* default 720 */
	long  max_body;           /* bytes accepted in a request body */
	long  max_upload;         /* bytes accepted for one uploaded file */
	int   sample_hub, sample_window, sample_sme;   /* draw quotas (notice 四(二)): 5, 10, 100 */
	int   login_slowdown_max_ms;  /* longest delay of a wrong-password answer; default 1000 */
	int   count_round_trips;  /* 1: X-DB-Round-Trips header + log line per request */
	int   relax_throttles;    /* 1: failures are counted but never refuse or slow
	                             anything (make sqlmap's private stack only) */
};

/* Load path (or $SMESURVEY_CONF when path is NULL) into c; fills defaults
 * first. Returns 0, or -1 after logging why. */
int  conf_load(struct conf *c, const char *path);
void conf_free(struct conf *c);

#endif
