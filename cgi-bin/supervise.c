/*
 * supervise.c - smesurvey-supervise: run N workers of one FastCGI program on
 * one unix socket, and keep N running.
 *
 *   smesurvey-supervise -s SOCKET -p PIDFILE [-n WORKERS] [-u USER[:GROUP]]
 *                       [-o SOCKET_OWNER[:GROUP]] [-m MODE] [-l LOGFILE] [-d]
 *                       -- PROGRAM [ARG...]
 *   smesurvey-supervise --version
 *
 * It does what spawn-fcgi does (bind the socket, hand it to each worker as
 * fd 0, the FastCGI listen socket) and what spawn-fcgi does not: a worker
 * that dies, however (SIGKILL, a crash, an OOM kill), is replaced at once
 * (after a short back-off when workers keep dying young), so a program never
 * runs on fewer workers than configured until someone notices.
 *
 * Why a supervisor per program rather than systemd socket activation: the
 * same binary serves hosts with and without systemd (init script, private
 * test stack), and libfcgi workers are single-threaded accept loops that
 * share the listening socket directly, so the supervisor sits on no request
 * path and costs nothing per request.
 *
 * Signals: TERM/INT stop (workers get TERM, finish their request, then KILL
 * after 10 s); HUP replaces every worker one by one (configuration reload:
 * the programs read their config at start). The pid file holds the
 * supervisor's pid; a second start with a live pid file or a socket that
 * still accepts connections is refused without touching either. A stale
 * socket or pid file (the owner is gone) is cleaned up; both are removed
 * at stop.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_WORKERS      64
#define STOP_GRACE_SEC   10
#define YOUNG_DEATH_SEC  2    /* a worker dying sooner than this backs off */
#define MAX_BACKOFF_SEC  5

struct opts {
	const char *sock, *pidfile, *logfile;
	int         workers;
	uid_t       uid;  gid_t gid;  int drop;          /* run workers as */
	uid_t       suid; gid_t sgid; int sown;          /* socket owner */
	mode_t      mode;
	int         daemonize;
	char      **argv;                                /* PROGRAM ARG... */
};

struct worker {
	pid_t  pid;
	time_t started;
	int    fails;          /* consecutive young deaths */
	time_t restart_at;     /* 0: running or start now */
};

static volatile sig_atomic_t got_chld, got_term, got_hup;

static void say(const char *fmt, ...)
{
	char ts[32];
	time_t now = time(NULL);
	va_list ap;
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	fprintf(stderr, "%s smesurvey-supervise[%d] ", ts, (int)getpid());
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void on_signal(int sig)
{
	if (sig == SIGCHLD)
		got_chld = 1;
	else if (sig == SIGHUP)
		got_hup = 1;
	else
		got_term = 1;
}

static int usage(void)
{
	fprintf(stderr, "usage: smesurvey-supervise -s SOCKET -p PIDFILE [-n WORKERS] [-u USER[:GROUP]]\n"
	                "         [-o OWNER[:GROUP]] [-m MODE] [-l LOGFILE] [-d] -- PROGRAM [ARG...]\n");
	return 2;
}

/* "user[:group]" -> ids; the group defaults to the user's. */
static int parse_owner(const char *s, uid_t *uid, gid_t *gid)
{
	char name[256], *colon;
	struct passwd *pw;
	snprintf(name, sizeof name, "%s", s);
	if ((colon = strchr(name, ':')))
		*colon++ = 0;
	if (!(pw = getpwnam(name))) {
		say("unknown user %s", name);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (colon && *colon) {
		struct group *gr = getgrnam(colon);
		if (!gr) {
			say("unknown group %s", colon);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	int c;
	memset(o, 0, sizeof *o);
	o->workers = 3;
	o->mode = 0660;
	while ((c = getopt(argc, argv, "s:p:n:u:o:m:l:d")) != -1) {
		char *end;
		switch (c) {
		case 's': o->sock = optarg; break;
		case 'p': o->pidfile = optarg; break;
		case 'l': o->logfile = optarg; break;
		case 'd': o->daemonize = 1; break;
		case 'n':
			o->workers = (int)strtol(optarg, &end, 10);
			if (*end || o->workers < 1 || o->workers > MAX_WORKERS) {
				say("-n: 1 to %d workers", MAX_WORKERS);
				return -1;
			}
			break;
		case 'm':
			o->mode = (mode_t)strtol(optarg, &end, 8);
			if (*end || o->mode > 0777)
				return -1;
			break;
		case 'u':
			if (parse_owner(optarg, &o->uid, &o->gid) < 0)
				return -1;
			o->drop = 1;
			break;
		case 'o':
			if (parse_owner(optarg, &o->suid, &o->sgid) < 0)
				return -1;
			o->sown = 1;
			break;
		default:
			return -1;
		}
	}
	if (!o->sock || !o->pidfile || optind >= argc)
		return -1;
	if (strlen(o->sock) >= sizeof ((struct sockaddr_un *)0)->sun_path) {
		say("socket path too long: %s", o->sock);
		return -1;
	}
	o->argv = argv + optind;
	return 0;
}

/* The pid in path, if that process is alive; 0 otherwise. */
static pid_t live_pid(const char *path)
{
	char buf[32] = "";
	FILE *fp = fopen(path, "r");
	long pid;
	if (!fp)
		return 0;
	if (!fgets(buf, sizeof buf, fp))
		buf[0] = 0;
	fclose(fp);
	pid = strtol(buf, NULL, 10);
	if (pid <= 1 || (kill((pid_t)pid, 0) < 0 && errno == ESRCH))
		return 0;
	return (pid_t)pid;
}

static int socket_answers(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), rc;
	if (fd < 0)
		return 0;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	rc = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
	close(fd);
	return rc;
}

static int write_pidfile(const char *path)
{
	char buf[32];
	int fd, n = snprintf(buf, sizeof buf, "%d\n", (int)getpid());
	/* O_EXCL: a concurrent start loses here instead of truncating ours. */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0) {
		say("pid file %s: %s", path, strerror(errno));
		return -1;
	}
	if (write(fd, buf, (size_t)n) != n) {
		close(fd);
		unlink(path);
		return -1;
	}
	return close(fd);
}

static int bind_socket(const struct opts *o)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	mode_t old;
	if (fd < 0)
		return -1;
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", o->sock);
	/* Bind with no permissions, then open it up: no moment where another
	 * user can connect before the owner and mode are set. */
	old = umask(0777);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		umask(old);
		say("bind %s: %s", o->sock, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	if ((o->sown && chown(o->sock, o->suid, o->sgid) < 0) || chmod(o->sock, o->mode) < 0 ||
	    listen(fd, 1024) < 0) {
		say("socket %s: %s", o->sock, strerror(errno));
		close(fd);
		unlink(o->sock);
		return -1;
	}
	return fd;
}

static pid_t start_worker(const struct opts *o, int lfd, const sigset_t *oldmask)
{
	pid_t pid = fork();
	if (pid != 0) {
		if (pid < 0)
			say("fork: %s", strerror(errno));
		return pid;
	}
	/* The child: FastCGI's listen socket is fd 0. */
	signal(SIGCHLD, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	sigprocmask(SIG_SETMASK, oldmask, NULL);
	if (dup2(lfd, 0) < 0)
		_exit(127);
	if (lfd != 0)
		close(lfd);
	if (o->drop && (setgroups(0, NULL) < 0 || setgid(o->gid) < 0 || setuid(o->uid) < 0)) {
		say("cannot drop privileges: %s", strerror(errno));
		_exit(127);
	}
	execv(o->argv[0], o->argv);
	say("exec %s: %s", o->argv[0], strerror(errno));
	_exit(127);
}

static void reap(struct worker *w, int n, int stopping)
{
	pid_t pid;
	int status;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (int i = 0; i < n; i++) {
			time_t now = time(NULL);
			if (w[i].pid != pid)
				continue;
			w[i].pid = 0;
			if (stopping)
				break;
			if (WIFSIGNALED(status))
				say("worker %d killed by signal %d; replacing it", (int)pid, WTERMSIG(status));
			else
				say("worker %d exited with status %d; replacing it", (int)pid, WEXITSTATUS(status));
			/* A worker that cannot even start (bad config, database
			 * refused) would otherwise be restarted in a tight loop. */
			w[i].fails = now - w[i].started < YOUNG_DEATH_SEC ? w[i].fails + 1 : 0;
			w[i].restart_at = now + (w[i].fails < MAX_BACKOFF_SEC ? w[i].fails : MAX_BACKOFF_SEC);
			break;
		}
	}
}

static int running(const struct worker *w, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++)
		k += w[i].pid > 0;
	return k;
}

static void stop_all(struct worker *w, int n, sigset_t *waitmask)
{
	time_t deadline = time(NULL) + STOP_GRACE_SEC;
	for (int i = 0; i < n; i++)
		if (w[i].pid > 0)
			kill(w[i].pid, SIGTERM);
	while (running(w, n) && time(NULL) < deadline) {
		struct timespec ts = { 0, 100 * 1000 * 1000 };
		sigprocmask(SIG_SETMASK, waitmask, NULL);
		nanosleep(&ts, NULL);
		reap(w, n, 1);
	}
	for (int i = 0; i < n; i++)
		if (w[i].pid > 0) {
			say("worker %d did not stop in %d s: killing it", (int)w[i].pid, STOP_GRACE_SEC);
			kill(w[i].pid, SIGKILL);
		}
	while (running(w, n) && waitpid(-1, NULL, 0) > 0)
		reap(w, n, 1);
}

static int daemonize(const char *logfile)
{
	pid_t pid = fork();
	int fd;
	if (pid < 0)
		return -1;
	if (pid > 0)
		_exit(0);
	setsid();
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	fd = logfile ? open(logfile, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640)
	             : open("/dev/null", O_WRONLY);
	if (fd < 0)
		return -1;
	dup2(fd, 1);
	dup2(fd, 2);
	close(fd);
	return 0;
}

/* Starts the workers whose (re)start is due; returns when the next
 * delayed one is due, or 0 when none waits. */
static time_t start_due(struct worker *w, const struct opts *o, int lfd, const sigset_t *old)
{
	time_t now = time(NULL), next_at = 0;
	for (int i = 0; i < o->workers; i++) {
		if (w[i].pid > 0)
			continue;
		if (w[i].restart_at > now) {
			if (!next_at || w[i].restart_at < next_at)
				next_at = w[i].restart_at;
			continue;
		}
		w[i].pid = start_worker(o, lfd, old);
		w[i].started = now;
		w[i].restart_at = 0;
		if (w[i].pid < 0) {
			w[i].pid = 0;
			w[i].restart_at = now + 1;
		}
	}
	return next_at;
}

/* A reload: one worker at a time, so the program keeps serving while its
 * workers pick up the new configuration. */
static void replace_all(struct worker *w, const struct opts *o, int lfd, const sigset_t *old,
                        const sigset_t *block)
{
	say("reload: replacing workers one by one");
	for (int i = 0; i < o->workers; i++)
		if (w[i].pid > 0) {
			pid_t old_pid = w[i].pid;
			kill(old_pid, SIGTERM);
			while (w[i].pid == old_pid && !got_term) {
				struct timespec t = { 0, 50 * 1000 * 1000 };
				sigprocmask(SIG_SETMASK, old, NULL);
				nanosleep(&t, NULL);
				sigprocmask(SIG_BLOCK, block, NULL);
				reap(w, o->workers, 1);
			}
			w[i].restart_at = 0;
			w[i].fails = 0;
			if (!got_term && (w[i].pid = start_worker(o, lfd, old)) > 0)
				w[i].started = time(NULL);
			else
				w[i].pid = 0;
		}
}

/* The handlers, and the four signals blocked (block) outside the waits;
 * old gets the mask before. */
static void signals_setup(sigset_t *block, sigset_t *old)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigemptyset(block);
	sigaddset(block, SIGCHLD);
	sigaddset(block, SIGTERM);
	sigaddset(block, SIGINT);
	sigaddset(block, SIGHUP);
	sigprocmask(SIG_BLOCK, block, old);
}

/* Checks, detaching, the socket and the pid file. The listening socket,
 * or -1 (said why on stderr where there is something to say). */
static int take_over(const struct opts *o)
{
	pid_t other;
	int lfd;

	if (access(o->argv[0], X_OK) < 0) {
		say("%s: %s", o->argv[0], strerror(errno));
		return -1;
	}
	if ((other = live_pid(o->pidfile))) {
		say("already running (pid %d in %s); nothing changed", (int)other, o->pidfile);
		return -1;
	}
	if (socket_answers(o->sock)) {
		say("%s is in use by another process; nothing changed", o->sock);
		return -1;
	}
	/* Both left behind by a process that is gone. */
	unlink(o->pidfile);
	unlink(o->sock);
	if (o->logfile && !o->daemonize && !freopen(o->logfile, "a", stderr))
		return -1;
	if (o->daemonize && daemonize(o->logfile) < 0)
		return -1;
	if ((lfd = bind_socket(o)) < 0)
		return -1;
	if (write_pidfile(o->pidfile) < 0) {
		unlink(o->sock);
		close(lfd);
		return -1;
	}
	return lfd;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct worker w[MAX_WORKERS] = { { 0 } };
	sigset_t block, old;
	int lfd;

	if (argc == 2 && strcmp(argv[1], "--version") == 0) {
		printf("smesurvey-supervise %s\n", SMESURVEY_VERSION);
		return 0;
	}
	if (parse_args(argc, argv, &o) < 0)
		return usage();
	if ((lfd = take_over(&o)) < 0)
		return 1;
	signals_setup(&block, &old);

	say("%s: %d workers on %s", o.argv[0], o.workers, o.sock);
	while (!got_term) {
		struct timespec ts = { 1, 0 };
		time_t next_at = start_due(w, &o, lfd, &old);
		if (got_hup) {
			got_hup = 0;
			replace_all(w, &o, lfd, &old, &block);
			continue;
		}
		/* Wait for a signal (blocked, so none is lost between the
		 * checks above and here), or until the next delayed restart. */
		if (!got_term && !got_hup) {
			int sig = sigtimedwait(&block, NULL, next_at ? &ts : NULL);
			if (sig == SIGTERM || sig == SIGINT)
				got_term = 1;
			else if (sig == SIGHUP)
				got_hup = 1;
		}
		got_chld = 0;
		reap(w, o.workers, 0);
	}
	say("stopping %d workers", running(w, o.workers));
	stop_all(w, o.workers, &old);
	close(lfd);
	unlink(o.sock);
	unlink(o.pidfile);
	say("stopped");
	return 0;
}
