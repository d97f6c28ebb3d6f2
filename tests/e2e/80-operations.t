#!/usr/bin/perl
# 80-operations.t - what an administrator runs the system with:
#
# - /healthz: 200 "ok" while the database answers, 503 while it is down,
#   200 again once it is back (load balancers take a worker out and back);
# - an audit row for every login: success, wrong password, throttled - with
#   the name as typed and the client address;
# - smesurvey-admin check: passes on a working stack, names what is wrong
#   (a past deadline, an unwritable upload folder) with exit 1;
# - smesurvey-admin purge: expired sessions, old throttle rows and upload
#   files that no answer refers to (older than a day) go; live sessions,
#   referenced uploads and recent files stay; --dry-run changes nothing;
#   an audit row;
# - --version on the programs.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use File::Temp qw(tempdir);
use Digest::SHA qw(sha256_hex);

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $conf = T::conf_path() or plan skip_all => 'no stack (SMESURVEY_CONF unknown)';
my $cli = T::bindir() . '/smesurvey-admin';
my $appconf = T::app_conf();

sub run { my ($cmd) = @_; my $out = `$cmd 2>&1`; return ($? >> 8, $out) }

# ------------------------------------------------------------- version
like((run("$cli --version"))[1], qr/^smesurvey-admin \d+\.\d+\.\d+$/m, 'smesurvey-admin --version');
like((run(T::bindir() . '/smesurvey-form-sme --version'))[1], qr/^smesurvey-form-sme \d+\.\d+\.\d+$/m,
	'a FastCGI program --version');
is((run(T::bindir() . '/smesurvey-form-sme --bogus'))[0], 2, 'a FastCGI program refuses other arguments');

# ------------------------------------------------------------- healthz
{
	my $ua = T::new_agent();
	my $res = $ua->get('/healthz');
	is $res->{status}, 200, '/healthz answers 200 with the database up';
	is $res->{content}, "ok\n", '... "ok"';
	like $res->{headers}{'content-type'}, qr{^text/plain}, '... as plain text';
	is $ua->head('/healthz')->{status}, 200, 'HEAD /healthz';

	my $mycnf = T::env('MYCNF');
	my ($rc, $out) = run("mariadb-admin --defaults-file='$mycnf' shutdown");
	is $rc, 0, 'MariaDB shut down' or diag $out;
	is $ua->get('/healthz')->{status}, 503, '/healthz answers 503 while the database is down';
	($rc, $out) = run('"' . T::root() . '/scripts/stack" start-db');
	is $rc, 0, 'MariaDB started again' or diag $out;
	my $st = 0;
	for (1 .. 20) { $st = $ua->get('/healthz')->{status}; last if $st == 200; select undef, undef, undef, 0.25 }
	is $st, 200, '/healthz answers 200 again';
}

# --------------------------------------------------------- login audit
{
	my $acct = T::demo_account('sme', 0);
	my $max = T::db_value('SELECT COALESCE(MAX(id), 0) FROM audit_log');
	my $ua = T::new_agent();
	is $ua->login($acct->{username}, 'wrong-password-80')->{status}, 401, 'wrong password';
	$ua->login("nosuchuser-80\x{4e2d}", 'whatever-password');
	$ua->login($acct->{username}, $acct->{password});
	ok $ua->logged_in, 'right password';
	my @rows = T::db_query("SELECT action, detail, ip, COALESCE(user_id, 0) FROM audit_log WHERE id > $max"
		. " AND action LIKE 'login%' ORDER BY id");
	is_deeply [ map { [ @$_[0, 1] ] } @rows ], [
		[ 'login-failed', "username=$acct->{username}" ],
		[ 'login-failed', "username=nosuchuser-80\x{4e2d}" ],
		[ 'login', "username=$acct->{username}" ],
	], 'one audit row per attempt: two failures (an unknown name too), one success';
	is $rows[0][2], '127.0.0.1', 'the client address is recorded';
	ok $rows[2][3] > 0, 'the successful login names the account';

	# The audit log page: in Chinese, filterable, paged by key.
	my $admin = T::demo_login('admin');
	my $page = $admin->get('/admin/audit?action=login-failed');
	is $page->{status}, 200, 'audit log filtered by action';
	my @acts = $page->{text} =~ /<tr data-id="\d+" data-action="([^"]+)">/g;
	ok @acts >= 2 && !(grep { $_ ne 'login-failed' } @acts), 'only that action is listed';
	like $page->{text}, qr{<td>登录失败</td><td data-detail="username=nosuchuser-80\x{4e2d}">用户名：nosuchuser-80\x{4e2d}</td>},
		'actions and details in Chinese (issue 23 item 9), the stored detail in data-detail';
	like $page->{text}, qr{username=nosuchuser-80\x{4e2d}}, 'the unknown name is there';
	my @ids = $page->{text} =~ /<tr data-id="(\d+)"/g;
	is_deeply \@ids, [ sort { $b <=> $a } @ids ], 'newest first';
	my $older = $admin->get("/admin/audit?action=login-failed&before=$ids[0]")->{text};
	my @ids2 = $older =~ /<tr data-id="(\d+)"/g;
	ok !(grep { $_ >= $ids[0] } @ids2), 'before=<id> shows only older rows (paged by key)';
	my $mine = $admin->get("/admin/audit?user=$acct->{username}&action=login")->{text};
	my @who = $mine =~ m{<tr data-id="\d+" data-action="login"><td>[^<]*</td><td>([^<]*)</td>}g;
	ok @who && !(grep { $_ ne $acct->{username} } @who), 'filtered by user';
	is T::demo_login('viewer')->get('/admin/audit')->{status}, 200, 'the viewer reads the log';
}

# ---------------------------------------------------------------- check
{
	my ($rc, $out) = run("$cli --conf '$conf' check --user root");
	is $rc, 0, 'check passes on the test stack' or diag $out;
	like $out, qr/^ok\s+time zone: Asia\/Shanghai/m, 'the time zone is stated';
	like $out, qr/^ok\s+database schema: (\d{3}_\w+), expected \1$/m, 'the schema is the expected one';
	my $newest = T::db_value("SELECT MAX(version) FROM schema_migrations WHERE version REGEXP '^[0-9]{3}_'");
	T::db_query("DELETE FROM schema_migrations WHERE version = '$newest'");
	($rc, $out) = run("$cli --conf '$conf' check --user root");
	is $rc, 1, 'check fails on a database older than the programs';
	like $out, qr/^FAIL\s+database schema: .*run smesurvey-setup migrate/m, '... and says what to run';
	T::db_query("INSERT INTO schema_migrations (version) VALUES ('$newest')");
	my $dir = tempdir(CLEANUP => 1);
	my $c = do { local $/; open my $f, '<:raw', $conf or die $!; <$f> };
	$c =~ s/^deadline_survey\s*=.*$/deadline_survey = 2001-01-01 00:00:00/m;
	$c =~ s/^upload_dir\s*=.*$/upload_dir = $dir\/missing/m;
	open my $f, '>:raw', "$dir/bad.conf" or die $!;
	print $f $c;
	close $f;
	($rc, $out) = run("$cli --conf '$dir/bad.conf' check --user root");
	is $rc, 1, 'check fails on a broken configuration';
	like $out, qr/^FAIL\s+deadline_survey: 2001-01-01 00:00:00 has passed/m, '... names the past deadline';
	like $out, qr/^FAIL\s+upload folder: .*missing/m, '... and the missing upload folder';
	like $out, qr/^ok\s+deadline_selfeval/m, '... and still says what is fine';
}

# ---------------------------------------------------------------- purge
{
	my $acct = T::demo_account('hub', 0);
	my $uid = T::db_value("SELECT id FROM users WHERE username = " . T::sql_quote($acct->{username}));
	my ($old, $new) = (sha256_hex("purge-old-$$"), sha256_hex("purge-new-$$"));
	T::db_query("INSERT INTO sessions (token_hash, user_id, created_at, last_seen) VALUES"
		. " (UNHEX('$old'), $uid, NOW() - INTERVAL 2 DAY, NOW() - INTERVAL 2 DAY),"
		. " (UNHEX('$new'), $uid, NOW(), NOW())");
	my $lf = "purge-80-$$";
	T::db_query("INSERT INTO login_failures (username, ip, at) VALUES ('$lf', '127.0.0.9', NOW() - INTERVAL 3 DAY),"
		. " ('$lf', '127.0.0.9', NOW())");
	my $up = $appconf->{upload_dir};
	my %f = map { $_ => sha256_hex("purge-file-$_-$$") } qw(orphan used recent);
	for my $k (keys %f) {
		open my $fh, '>', "$up/$f{$k}" or die $!;
		print $fh "file $k";
		close $fh;
		utime time - 3 * 86400, time - 3 * 86400, "$up/$f{$k}" unless $k eq 'recent';
	}
	# An answer that refers to "used" (the form and field do not matter to purge).
	T::db_query("INSERT INTO responses (form, user_id, region_code, status, valid, version)"
		. " SELECT 'hub', id, region_code, 'draft', 0, 0 FROM users WHERE id = $uid"
		. " ON DUPLICATE KEY UPDATE responses.id = responses.id");
	my $rid = T::db_value("SELECT id FROM responses WHERE form = 'hub' AND user_id = $uid");
	T::db_query("INSERT INTO answers (response_id, code, value) VALUES ($rid, 'purge_test_80', 'sha256:$f{used}:x.pdf')");

	my ($rc, $out) = run("$cli --conf '$conf' purge --dry-run");
	is $rc, 0, 'purge --dry-run' or diag $out;
	like $out, qr/uploads=[1-9]\d* \(dry run\)/, '... counts the orphan file';
	ok -e "$up/$f{orphan}", '... and deletes nothing';
	is T::db_value("SELECT COUNT(*) FROM sessions WHERE token_hash = UNHEX('$old')"), 1, '... not even sessions';

	($rc, $out) = run("$cli --conf '$conf' purge");
	is $rc, 0, 'purge' or diag $out;
	ok !-e "$up/$f{orphan}", 'an upload no answer refers to is deleted';
	ok -e "$up/$f{used}", 'a referenced upload stays';
	ok -e "$up/$f{recent}", 'a recent upload stays (a save may be committing it)';
	is T::db_value("SELECT COUNT(*) FROM sessions WHERE token_hash = UNHEX('$old')"), 0, 'an expired session is deleted';
	is T::db_value("SELECT COUNT(*) FROM sessions WHERE token_hash = UNHEX('$new')"), 1, 'a live session stays';
	is T::db_value("SELECT COUNT(*) FROM login_failures WHERE username = '$lf'"), 1,
		'login failures older than a day are deleted, recent ones stay';
	like T::db_value("SELECT detail FROM audit_log WHERE action = 'purge' ORDER BY id DESC LIMIT 1"),
		qr/^cli operator=\S+ sessions=[1-9]\d* login_failures=[1-9]\d* code_failures=\d+ uploads=[1-9]\d*$/, 'audited';

	T::db_query("DELETE FROM answers WHERE code = 'purge_test_80'");
	T::db_query("DELETE FROM sessions WHERE token_hash = UNHEX('$new')");
	unlink "$up/$f{used}", "$up/$f{recent}";
}

done_testing;
