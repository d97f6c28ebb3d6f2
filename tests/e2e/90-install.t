#!/usr/bin/perl
# 90-install.t - installing on a host as a stranger would, following INSTALL:
#
# - `make install` into a staging root (a 027 umask must not matter), no demo
#   data installed, `hardening-check` on every installed binary;
# - smesurvey-setup against a private MariaDB (the test stack's server, its
#   own database): idempotent init, an extra migration applied alone, a
#   failing migration that exits non-zero and is not recorded, grants that
#   refuse UPDATE/DELETE on audit_log to the application user;
# - smesurvey-admin create-admin / check, the programs started by the SysV
#   init script (no systemd here), a double start that damages nothing, a
#   SIGKILLed worker replaced within seconds;
# - nginx and Apache (mod_proxy_fcgi) each from the SHIPPED site files, with
#   only the lines marked EDIT changed (host name, certificate): HTTP
#   redirected to HTTPS, HSTS, no version banner, login -> draft -> submit
#   through both, a 300 MB chunked POST refused by both, Apache's
#   /server-status and /icons/ not answered;
# - every command of INSTALL appears in this test (INSTALL cannot drift);
# - the init script's stop cleans up; `make uninstall` removes the programs.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;
use File::Temp qw(tempdir);
use POSIX qw(WNOHANG);
use IO::Socket::INET;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $mycnf = T::env('MYCNF') or plan skip_all => 'no private MariaDB (MYCNF unknown)';
for my $cmd (qw(nginx apache2 openssl hardening-check curl)) {
	plan skip_all => "$cmd is not installed (scripts/stack deps)" unless grep { -x "$_/$cmd" } split /:/, "$ENV{PATH}:/usr/sbin";
}
my $ROOT = T::root();
# Four free ports for the two web servers (plain and TLS each).
sub free_port {
	my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Proto => 'tcp', Listen => 1)
		or die "no free port: $!";
	my $p = $s->sockport;
	close $s;
	return $p;
}
my ($HTTP_N, $HTTPS_N, $HTTP_A, $HTTPS_A) = map { free_port() } 1 .. 4;

# A staging root outside the checkout, reachable by www-data whatever the
# checkout's parents allow. INSTALL's five settings point into it.
my $STAGE = tempdir('smesurvey-install-XXXXXX', TMPDIR => 1, CLEANUP => 0);
chmod 0755, $STAGE;
my %SET = (PREFIX => "$STAGE/usr", ETC => "$STAGE/etc", DATA => "$STAGE/data", RUNDIR => "$STAGE/run",
	LOGDIR => "$STAGE/log");
my ($PREFIX, $ETC, $DATA, $RUNDIR) = @SET{qw(PREFIX ETC DATA RUNDIR)};
my $CONF = "$ETC/smesurvey/smesurvey.conf";
my $DB = 'smesurvey_inst';
my @started;    # cleanup actions, last first
# The private MariaDB's root, and backups inside the stage (smesurvey-setup
# reads both from the environment, so INSTALL's commands run unchanged).
$ENV{SMESURVEY_ADMIN_CNF} = $mycnf;
$ENV{SMESURVEY_BACKUP_DIR} = "$STAGE/backups";

sub run {       # run a shell command; returns (exit status, output)
	my ($cmd) = @_;
	my $out = `$cmd 2>&1`;
	return ($? >> 8, $out);
}
sub ok_run {
	my ($cmd, $name) = @_;
	my ($rc, $out) = run($cmd);
	is $rc, 0, $name or diag "$cmd\n$out";
	return $out;
}
sub spit { my ($f, $s) = @_; open my $fh, '>:encoding(UTF-8)', $f or die "$f: $!"; print $fh $s; close $fh }
sub slurp { my ($f) = @_; open my $fh, '<:encoding(UTF-8)', $f or die "$f: $!"; local $/; return <$fh> }
sub is_elf { my ($p) = @_; open(my $f, '<:raw', $p) or return 0; read($f, my $m, 4); return ($m // '') eq "\x7fELF" }
# TERM the process in a pid file and wait until it is gone (KILL after 10 s).
sub stop_pid {
	my ($file) = @_;
	open my $fh, '<', $file or return;
	my ($pid) = <$fh> =~ /(\d+)/;
	close $fh;
	return unless $pid && kill 0, $pid;
	kill 'TERM', $pid;
	for (1 .. 100) { return unless kill 0, $pid; select undef, undef, undef, 0.1 }
	kill 'KILL', $pid;
}
sub cleanup { $_->() for reverse @started; @started = () }
END { cleanup() }

# INSTALL's commands, run in its words: settings expanded, in the checkout
# (or another folder) as their working directory.
my @ran;
my %LATEST;
sub expand {
	my ($c) = @_;
	$c =~ s/\$\{?(PREFIX|ETC|DATA|RUNDIR|LOGDIR)\}?/$SET{$1}/g;
	$c =~ s/LATEST/$LATEST{name}/g if $LATEST{name};
	return $c;
}
sub step {
	my ($cmd, $name, $dir) = @_;
	push @ran, $cmd;
	return ok_run("cd '" . ($dir // $ROOT) . "' && " . expand($cmd), $name);
}

# The FastCGI programs: the one list, conf/programs.
my @PROGRAMS = do {
	open my $pf, '<', "$ROOT/conf/programs" or die "conf/programs: $!";
	grep { /\S/ && !/^#/ } map { chomp; $_ } <$pf>;
};

# ------------------------------------------------------------- install
step('PREFIX=/usr/local ETC=/etc DATA=/var/lib/smesurvey RUNDIR=/run/smesurvey LOGDIR=/var/log/smesurvey',
	'INSTALL\'s settings (the test uses its own)');
step('apt-get install -y --no-install-recommends build-essential pkg-config libfcgi-dev libmariadb-dev libssl-dev mariadb-server mariadb-client libqrencode-dev libsodium-dev libcrypt-dev libcairo2-dev libxlsxwriter-dev libreadstat-dev libzip-dev libexpat1-dev libfreexl-dev fonts-noto-cjk',
	'packages');
{
	push @ran, 'make && make install PREFIX=$PREFIX SYSCONFDIR=$ETC RUNDIR=$RUNDIR LOGDIR=$LOGDIR';
	ok_run("cd '$ROOT' && umask 027 && make -s && " . expand('make install PREFIX=$PREFIX SYSCONFDIR=$ETC RUNDIR=$RUNDIR LOGDIR=$LOGDIR'),
		'make && make install into a staging root, under umask 027');
}
push @started, sub { system("make -s -C '$ROOT' uninstall PREFIX='$PREFIX' >/dev/null 2>&1") };
{
	my $mode = (stat "$PREFIX/share/smesurvey/htdocs/style.css")[2] & 07777;
	is sprintf('%04o', $mode), '0644', 'static files readable by the web server despite umask 027';
	ok !-e "$PREFIX/share/smesurvey/sql/demo", 'demo data (clear-text demo passwords) not installed';
	ok -s "$PREFIX/share/smesurvey/VERSION", 'VERSION installed';
	my @man = map { "$PREFIX/share/man/$_" } qw(man5/smesurvey.conf.5 man8/smesurvey-admin.8
		man8/smesurvey-setup.8 man8/smesurvey-supervise.8);
	is scalar(grep { -s $_ && ((stat $_)[2] & 07777) == 0644 } @man), 4, 'the four manual pages installed, readable';
	like((run("MANPATH='$PREFIX/share/man' man -P cat smesurvey-admin 2>&1"))[1], qr/bind-account/,
		'man smesurvey-admin finds the installed page');
	my @bins = (glob("$PREFIX/lib/smesurvey/cgi-bin/*"), glob("$PREFIX/bin/smesurvey-*"));
	my @elf = grep { is_elf($_) } @bins;
	is scalar(@elf), @PROGRAMS + 2, scalar(@PROGRAMS) . ' FastCGI programs (conf/programs), smesurvey-admin and smesurvey-supervise installed';
	# Debian 12's toolchain never marks a binary CET-complete (its own nginx
	# fails that check too), so control-flow integrity is not asked for.
	my ($rc, $out) = run("hardening-check --nocfprotection @elf");
	is $rc, 0, 'hardening-check passes on every installed binary' or diag $out;
	like((run("$PREFIX/bin/smesurvey-admin --version"))[1], qr/^smesurvey-admin \d+\.\d+/, 'smesurvey-admin --version');
	like((run("$PREFIX/lib/smesurvey/cgi-bin/smesurvey-home --version"))[1], qr/^smesurvey-home \d+\.\d+/,
		'FastCGI programs answer --version');
}

# --------------------------------------------------------------- config
step('adduser --system --group --no-create-home --home /nonexistent smesurvey', 'the programs\' user');
step('install -d -o smesurvey -g smesurvey -m 0750 $DATA/uploads', 'upload folder for the programs\' user');
step('install -D -o root -g smesurvey -m 0640 $PREFIX/share/smesurvey/conf/smesurvey.conf.example $ETC/smesurvey/smesurvey.conf',
	'configuration installed from the example');
{
	my $c = slurp($CONF);
	my $sock = T::env('DB_SOCKET');
	my %set = (db_socket => $sock, db_name => $DB, db_user => 'smesurvey_inst', upload_dir => "$DATA/uploads",
		base_url => "https://localhost:$HTTPS_N", deadline_survey => '2099-12-31 23:59:59',
		deadline_selfeval => '2099-12-31 23:59:59');
	$c =~ s/^(\s*$_\s*=).*$/$1 $set{$_}/m for keys %set;
	spit($CONF, $c);
	like $c, qr/^db_password = change-me$/m, 'the example leaves the password to the setup tool';
}

# -------------------------------------------------------------- database
T::db_query("DROP DATABASE IF EXISTS $DB");
T::db_query("DROP USER IF EXISTS 'smesurvey_inst'\@'localhost'");
push @started, sub { eval { T::db_query("DROP DATABASE IF EXISTS $DB"); T::db_query("DROP USER IF EXISTS 'smesurvey_inst'\@'localhost'") } };
my $setup = '$PREFIX/bin/smesurvey-setup --conf $ETC/smesurvey/smesurvey.conf';
{
	my $out = step("$setup init", 'smesurvey-setup init: database, user, migrations, grants');
	like $out, qr/generated the database password/, 'the database password was generated into the config';
	unlike $out, qr/db_password = \S/, '... and not printed';
	unlike slurp($CONF), qr/^db_password = change-me$/m, 'config now holds the password';
	is sprintf('%04o', (stat $CONF)[2] & 07777), '0640', 'config mode kept';
	$out = ok_run(expand("$setup init"), 'init again (idempotent)');
	like $out, qr/0 migration\(s\) applied/, '... applies nothing the second time';
	$out = ok_run(expand("$setup migrate --status"), 'migrate --status');
	my @files = map { m{/(\d{3}_[^/]+)\.sql$} ? $1 : () } glob("$PREFIX/share/smesurvey/sql/*.sql");
	is scalar(() = $out =~ /^applied /mg), scalar(@files), 'every shipped migration applied';
	unlike $out, qr/^pending/m, 'nothing pending';

	spit("$PREFIX/share/smesurvey/sql/900_install_probe.sql",
		"CREATE TABLE install_probe (id INT PRIMARY KEY) ENGINE=InnoDB;\n");
	$out = ok_run(expand("$setup migrate"), 'an extra migration');
	like $out, qr/applying migration 900_install_probe\n/, 'the new migration is applied';
	like $out, qr/1 migration\(s\) applied/, '... and only it';
	like $out, qr/backup written/, 'a backup was taken before migrating a database with data';
	my @bk = glob("$STAGE/backups/*.sql.gz");
	ok @bk >= 1, 'backup file present';
	is sprintf('%04o', (stat $bk[0])[2] & 07777), '0600', 'backup file is 0600';

	spit("$PREFIX/share/smesurvey/sql/901_broken.sql",
		"CREATE TABLE install_half (id INT PRIMARY KEY) ENGINE=InnoDB;\nSELECT no_such_column FROM install_probe;\n");
	my ($rc, $o2) = run(expand("$setup migrate"));
	isnt $rc, 0, 'a failing migration exits non-zero';
	like $o2, qr/migration 901_broken FAILED and was not recorded/, '... says which and that it is not recorded';
	is T::db_value("SELECT COUNT(*) FROM $DB.schema_migrations WHERE version = '901_broken'"), 0,
		'... and records nothing';
	unlink "$PREFIX/share/smesurvey/sql/901_broken.sql";
	T::db_query("DROP TABLE IF EXISTS $DB.install_half");
}
{
	my %c = map { /^\s*(\w+)\s*=\s*(.*?)\s*$/ ? ($1 => $2) : () } split /\n/, slurp($CONF);
	my $as_app = sub {
		my ($sql) = @_;
		return run("mariadb --no-defaults -u$c{db_user} -p'$c{db_password}' --socket='$c{db_socket}' $DB -e \"$sql\"");
	};
	my ($rc, $out) = $as_app->("UPDATE audit_log SET action = 'x'");
	isnt $rc, 0, 'application user: UPDATE audit_log refused';
	like $out, qr/command denied/i, '... by a grant error';
	($rc, $out) = $as_app->("DELETE FROM audit_log");
	like $out, qr/command denied/i, 'application user: DELETE FROM audit_log refused by a grant error';
	($rc, $out) = $as_app->("DELETE FROM schema_migrations");
	like $out, qr/command denied/i, 'application user: DELETE FROM schema_migrations refused';
	($rc, $out) = $as_app->("INSERT INTO audit_log (action, detail) VALUES ('install-test', 'grant probe')");
	is $rc, 0, 'application user: INSERT INTO audit_log allowed' or diag $out;
	($rc, $out) = $as_app->("UPDATE users SET org_name = org_name WHERE id = 0");
	is $rc, 0, 'application user: UPDATE on other tables allowed' or diag $out;
}

# -------------------------------------------------------------- accounts
my $ADMIN_PW;
my $admin_cli = '$PREFIX/bin/smesurvey-admin --conf $ETC/smesurvey/smesurvey.conf';
{
	mkdir "$STAGE/work";
	spit("$STAGE/work/regions.csv", "code,name,help_phone\n650000,安装测试省,0991-1234567\n");
	step("$admin_cli import-regions regions.csv", 'the regions imported', "$STAGE/work");
	is T::db_value("SELECT help_phone FROM $DB.regions WHERE code = '650000'"), '0991-1234567', '... with the help phone';
	my $out = step("$admin_cli create-admin ministry", 'create the first administrator');
	($ADMIN_PW) = $out =~ /^password: (\S+)$/m;
	ok $ADMIN_PW, 'a one-time password is printed once';
	spit("$STAGE/work/accounts.csv", "username,initial_password,role,region_code,org_name,form\n"
		. "inst-sme1,Install-Sme1-Pass,sme,650000,安装测试企业一,sme\n"
		. "inst-sme2,Install-Sme2-Pass,sme,650000,安装测试企业二,sme\n");
	step("$admin_cli import-accounts accounts.csv", 'respondent accounts imported', "$STAGE/work");
}

# --------------------------------------------------------------- programs
mkdir "$ETC/default";
spit("$ETC/default/smesurvey", "WORKERS=2\n");
step('install -D -m 0755 $PREFIX/share/smesurvey/conf/smesurvey.init $ETC/init.d/smesurvey', 'init script installed');
my $init = '$ETC/init.d/smesurvey';
step("$init start", 'init script starts the programs');
push @started, sub { system(expand("$init stop") . ' >/dev/null 2>&1') };
{
	my $out = step("$init status", 'init script status');
	is scalar(() = $out =~ / running \(supervisor \d+, 2 workers\)/g), scalar(@PROGRAMS),
		'every program of conf/programs, two workers each';
	my $pid1 = slurp("$RUNDIR/smesurvey-home.pid");
	my ($rc, $o2) = run(expand("$init start"));
	is $rc, 0, 'a second start is harmless';
	like $o2, qr/smesurvey-home already running/, '... and says so';
	is slurp("$RUNDIR/smesurvey-home.pid"), $pid1, '... the pid file is untouched';
	my @s = stat "$RUNDIR/smesurvey-form-sme.sock";
	is sprintf('%04o', $s[2] & 0777), '0660', 'sockets are 0660';
	is scalar(getgrgid($s[5])), 'www-data', '... owned by the web server\'s group';
	chomp $pid1;
	my $w = (split ' ', `pgrep -P $pid1`)[0];
	is scalar(getpwuid((stat "/proc/$w")[4])), 'smesurvey', 'workers run as smesurvey';
	$out = step("$admin_cli check", 'smesurvey-admin check passes');
	like $out, qr/time zone/i, 'check states the time zone';
}
step('install -D -m 0644 $PREFIX/share/smesurvey/conf/smesurvey.logrotate $ETC/logrotate.d/smesurvey', 'logrotate file');
ok_run(expand('logrotate -d $ETC/logrotate.d/smesurvey'), 'logrotate accepts it');
like slurp("$SET{LOGDIR}/smesurvey-home.log"), qr/ready/, 'the programs log where logrotate looks';

# ------------------------------------------------------------------ TLS
ok_run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost "
	. "-keyout $STAGE/tls.key -out $STAGE/tls.crt", 'a self-signed certificate for the test');

# The shipped site file with only the EDIT lines changed, as an administrator would.
sub edit_site {
	my ($text, %map) = @_;
	my @out;
	my @lines = split /\n/, $text;
	for (my $i = 0; $i < @lines; $i++) {
		my $l = $lines[$i];
		if ($l =~ /# EDIT (host name|certificate|private key)/) {
			my $what = $1;
			# nginx marks the line itself, Apache the line above.
			my $target = $l =~ /^\s*#/ ? ++$i : $i;
			my $t = $lines[$target];
			if ($what eq 'host name') { $t =~ s/survey\.example\.gov\.cn/localhost/g; $t =~ s{https://localhost/}{https://localhost:$map{https}/} }
			if ($what eq 'certificate') { $t =~ s{/etc/ssl/certs/smesurvey\.crt}{$STAGE/tls.crt} }
			if ($what eq 'private key') { $t =~ s{/etc/ssl/private/smesurvey\.key}{$STAGE/tls.key} }
			push @out, $l if $l =~ /^\s*#/;
			push @out, $t;
			next;
		}
		push @out, $l;
	}
	return join("\n", @out) . "\n";
}

step('install -D -m 0644 $PREFIX/share/smesurvey/conf/nginx-site.conf $ETC/nginx/sites-available/smesurvey', 'nginx site file');
step('install -D -m 0644 $PREFIX/share/smesurvey/conf/apache-site.conf $ETC/apache2/sites-available/smesurvey.conf', 'Apache site file');
my $site_n = edit_site(slurp("$ETC/nginx/sites-available/smesurvey"), https => $HTTPS_N);
# Ports: this machine's 80/443 are not ours; IPv6 listeners dropped.
$site_n =~ s/^\s*listen\s+\[::\].*\n//mg;
$site_n =~ s/listen\s+80;/listen 127.0.0.1:$HTTP_N;/;
$site_n =~ s/listen\s+443 ssl http2;/listen 127.0.0.1:$HTTPS_N ssl http2;/;
$site_n =~ s{/var/log/nginx/}{$SET{LOGDIR}/nginx-}g;
$site_n =~ s{return 301 https://\$host\$request_uri;}{return 301 https://\$host:$HTTPS_N\$request_uri;};
mkdir "$STAGE/nginx";
spit("$STAGE/nginx/smesurvey-site.conf", $site_n);
spit("$STAGE/nginx/nginx.conf", <<"EOF");
user www-data;
worker_processes 1;
pid $STAGE/nginx/nginx.pid;
error_log $SET{LOGDIR}/nginx-main-error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $STAGE/nginx/body;
    fastcgi_temp_path $STAGE/nginx/fastcgi;
    proxy_temp_path $STAGE/nginx/proxy;
    uwsgi_temp_path $STAGE/nginx/uwsgi;
    scgi_temp_path $STAGE/nginx/scgi;
    include $STAGE/nginx/smesurvey-site.conf;
}
EOF
ok_run("nginx -t -p $STAGE/nginx/ -c $STAGE/nginx/nginx.conf -e $SET{LOGDIR}/nginx-main-error.log", 'nginx accepts the shipped site file');
ok_run("nginx -p $STAGE/nginx/ -c $STAGE/nginx/nginx.conf -e $SET{LOGDIR}/nginx-main-error.log", 'nginx started');
push @started, sub { stop_pid("$STAGE/nginx/nginx.pid") };

my $site_a = edit_site(slurp("$ETC/apache2/sites-available/smesurvey.conf"), https => $HTTPS_A);
$site_a =~ s/<VirtualHost \*:80>/<VirtualHost 127.0.0.1:$HTTP_A>/;
$site_a =~ s/<VirtualHost \*:443>/<VirtualHost 127.0.0.1:$HTTPS_A>/;
mkdir "$STAGE/apache";
spit("$STAGE/apache/smesurvey-site.conf", $site_a);
my $mods = join "\n", map { "LoadModule ${_}_module /usr/lib/apache2/modules/mod_$_.so" }
	qw(mpm_event authz_core mime alias headers expires proxy proxy_fcgi ssl socache_shmcb reqtimeout);
spit("$STAGE/apache/apache2.conf", <<"EOF");
ServerRoot "$STAGE/apache"
DefaultRuntimeDir "$STAGE/apache"
PidFile "$STAGE/apache/apache.pid"
Mutex file:$STAGE/apache default
Define APACHE_LOG_DIR $SET{LOGDIR}
$mods
User www-data
Group www-data
ServerName localhost
Listen 127.0.0.1:$HTTP_A
Listen 127.0.0.1:$HTTPS_A
TypesConfig /etc/mime.types
ErrorLog "$SET{LOGDIR}/apache-main-error.log"
<Directory />
    Require all denied
</Directory>
Include "$STAGE/apache/smesurvey-site.conf"
EOF
ok_run("apache2 -d $STAGE/apache -f $STAGE/apache/apache2.conf -t", 'Apache accepts the shipped site file');
ok_run("apache2 -d $STAGE/apache -f $STAGE/apache/apache2.conf -k start", 'Apache started');
push @started, sub { stop_pid("$STAGE/apache/apache.pid") };
sleep 1;

# --------------------------------------------------- through both servers
for my $srv ([ nginx => $HTTP_N, $HTTPS_N, 'inst-sme1' ], [ apache => $HTTP_A, $HTTPS_A, 'inst-sme2' ]) {
	my ($name, $http, $https, $user) = @$srv;
	my $plain = T::new_agent(base_url => "http://127.0.0.1:$http");
	my $res = $plain->get('/form/sme');
	is $res->{status}, 301, "$name: plain HTTP is redirected";
	like $res->{headers}{location} // '', qr{^https://(?:127\.0\.0\.1|localhost):$https/form/sme$}, "$name: ... to HTTPS";
	my $ua = T::new_agent(base_url => "https://localhost:$https");
	$res = $ua->get('/');
	is $res->{status}, 200, "$name: the home page over HTTPS" or diag $res->{content};
	like $res->{headers}{'strict-transport-security'} // '', qr/max-age=31536000/, "$name: HSTS";
	unlike $res->{headers}{server} // '', qr{\d}, "$name: no version in the Server header";
	like $res->{headers}{'content-security-policy'} // '', qr/default-src 'self'/, "$name: the application's headers";
	is $ua->get('/static/style.css')->{status}, 200, "$name: static files";
	is $ua->get('/nosuch')->{status}, 404, "$name: unknown paths are 404";

	$ua->login($user, $user eq 'inst-sme1' ? 'Install-Sme1-Pass' : 'Install-Sme2-Pass');
	ok $ua->logged_in, "$name: login";
	my $f = Forms::load('sme');
	my $vals = Forms::valid_values($f);
	# A file part over max_upload (20 MiB) passes the server's body limit
	# (65 MiB) and reaches the program, which skips it and keeps the rest
	# (issue 9): the draft is saved, not a bare 413.
	{
		my $page = $ua->get('/form/sme');
		my ($ver) = $page->{text} =~ /name="version" value="(\d+)"/;
		$res = $ua->post_multipart('/form/sme', [ @{ Forms::post_params($f, $vals) },
			csrf => T::csrf_from($page->{text}), version => $ver, action => 'save',
			big_file => { filename => 'big.pdf', content => '%PDF-1.4' . ("\0" x (21 * 1024 * 1024)),
				content_type => 'application/pdf' } ]);
		is $res->{status}, 303, "$name: a 21 MiB file part reaches the program (no 413) and the draft is saved";
	}
	for my $action (qw(save submit)) {
		my $page = $ua->get('/form/sme');
		my ($ver) = $page->{text} =~ /name="version" value="(\d+)"/;
		$res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => T::csrf_from($page->{text}),
			version => $ver, action => $action, confirm => 1 ]);
		is $res->{status}, 303, "$name: $action";
	}
	my $uid = T::db_value("SELECT id FROM $DB.users WHERE username = '$user'");
	is T::db_value("SELECT status FROM $DB.responses WHERE form = 'sme' AND user_id = $uid"), 'submitted',
		"$name: the submission is in the installed database";

	my $code = `head -c 300000000 /dev/zero | curl -sk -o /dev/null -w '%{http_code}' -m 60 -X POST -H 'Transfer-Encoding: chunked' -H 'Content-Type: application/octet-stream' --data-binary \@- https://localhost:$https/form/sme`;
	like $code, qr/^(411|413)$/, "$name: a 300 MB chunked POST is refused ($code)";
}
{
	my $ua = T::new_agent(base_url => "https://localhost:$HTTPS_A");
	isnt $ua->get('/server-status')->{status}, 200, 'apache: /server-status does not answer';
	isnt $ua->get('/icons/apache_pb.png')->{status}, 200, 'apache: /icons/ does not answer';
	my $admin = T::new_agent(base_url => "https://localhost:$HTTPS_A");
	my $res = $admin->login('ministry', $ADMIN_PW // '');
	ok $admin->logged_in, 'the created administrator logs in with the one-time password';
	like $res->{headers}{location} // '', qr{/password}, '... and must change it first';
	is T::new_agent(base_url => "https://localhost:$HTTPS_A")->get('/healthz')->{status}, 200,
		'/healthz answers through Apache';
}

# ---------------------------------------------------------- worker crash
{
	my $sup = slurp("$RUNDIR/smesurvey-form-sme.pid");
	chomp $sup;
	my @w = split ' ', `pgrep -P $sup`;
	kill 'KILL', $w[0];
	my @now;
	for (1 .. 50) {
		@now = split ' ', `pgrep -P $sup`;
		last if @now == @w && !grep { $_ == $w[0] } @now;
		select undef, undef, undef, 0.1;
	}
	ok @now == @w && !grep({ $_ == $w[0] } @now), 'a SIGKILLed worker is replaced within seconds';
}

# ------------------------------------------------------- backup, restore
{
	my $before = T::db_value("SELECT COUNT(*) FROM $DB.responses WHERE status = 'submitted'");
	step("$setup backup \$DATA/backups", 'backup');
	my ($newest) = sort { -M $a <=> -M $b } glob("$DATA/backups/*.sql.gz");
	ok $newest, 'a dump was written';
	is sprintf('%04o', (stat $newest)[2] & 07777), '0600', 'the dump is 0600';
	ok -e ($newest =~ s/\.sql\.gz$/-uploads.tar.gz/r), 'the uploads archive beside it';
	($LATEST{name}) = $newest =~ m{/([^/]+)\.sql\.gz$};
	# A fresh host: no database, no application user.
	T::db_query("DROP DATABASE $DB");
	T::db_query("DROP USER 'smesurvey_inst'\@'localhost'");
	step("$setup restore \$DATA/backups/LATEST.sql.gz \$DATA/backups/LATEST-uploads.tar.gz", 'restore into a fresh database');
	is T::db_value("SELECT COUNT(*) FROM $DB.responses WHERE status = 'submitted'"), $before,
		'every submitted response is back';
	my $ua = T::new_agent(base_url => "https://localhost:$HTTPS_N");
	$ua->login('inst-sme1', 'Install-Sme1-Pass');
	ok $ua->logged_in, 'the programs work on the restored database (its user re-created)';
}

# --------------------------------------------------------------- INSTALL
{
	# Chapter 7 (more than one host) is run by tests/cluster/91-install-cluster.t.
	my ($single) = split /^7\. More than one host$/m, slurp("$ROOT/INSTALL");
	my @cmds = grep { /\S/ } map { s/^ {4}//r } grep { /^ {4}\S/ && !/^ {4}#/ } split /\n/, $single;
	my %have = map { $_ => 1 } @ran;
	my @missing = grep { !$have{$_} } @cmds;
	is scalar(@missing), 0, 'every command in INSTALL is run by this test' or diag join "\n", @missing;
}

# ----------------------------------------------------------------- stop
{
	ok_run(expand("$init stop"), 'init script stops the programs');
	my @left = glob("$RUNDIR/*.sock $RUNDIR/*.pid");
	is scalar(@left), 0, 'no socket or pid file left behind' or diag "@left";
	ok_run("make -s -C '$ROOT' uninstall PREFIX='$PREFIX'", 'make uninstall');
	ok !-e "$PREFIX/bin/smesurvey-admin" && !-e "$PREFIX/lib/smesurvey/cgi-bin/smesurvey-home",
		'the programs are gone';
	ok -e $CONF, 'the configuration stays';
}
cleanup();
system("rm -rf '$STAGE'");
done_testing;
