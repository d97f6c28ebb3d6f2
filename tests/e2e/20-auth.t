#!/usr/bin/perl
# 20-auth.t - accounts, sessions and CSRF against the real stack: every demo
# role lands on its home, wrong passwords and missing CSRF tokens are refused,
# sessions expire (idle and absolute), logout kills the session server-side,
# page views do not write, legacy hashes are upgraded, logins are throttled
# (per account and client, issue 9),
# passwords can be changed, bad bodies get clear errors.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my %home = (admin => '/admin', viewer => '/admin', agency => '/agency', region => '/region', hub => '/form/hub',
            window => '/form/window', resource => '/form/resource', sme => '/form/sme');

sub session_count { return T::db_value('SELECT COUNT(*) FROM sessions') }
sub uid_of { return T::db_value('SELECT id FROM users WHERE username = ' . T::sql_quote($_[0])) }

# --- every role lands on its home page
for my $role (sort keys %home) {
	my $acct = T::demo_account($role, 0);
	my $ua = T::new_agent();
	my $res = $ua->login($acct->{username}, $acct->{password});
	is $res->{status}, 303, "$role: login answers 303";
	is $res->{headers}{location}, $home{$role}, "$role: lands on $home{$role}";
	my $page = $ua->get($home{$role});
	is $page->{status}, 200, "$role: home page 200";
	like $page->{text}, qr/退出/, "$role: home page shows the logout button";
	my $c = $ua->jar->attrs('sid');
	ok $c && $c->{httponly} && lc($c->{samesite} // '') eq 'lax', "$role: sid cookie is HttpOnly, SameSite=Lax";
	like $c->{value}, qr/^[0-9a-f]{64}$/, "$role: session token is 256 bits";
}

my $sme = T::demo_account('sme', 0);
my $win = T::demo_account('window', 0);
my $reg = T::demo_account('region', 0);

# --- wrong password / unknown user
{
	my $ua = T::new_agent();
	my $res = $ua->login($sme->{username}, 'wrong-password-123');
	is $res->{status}, 401, 'wrong password: 401';
	like $res->{text}, qr/用户名或密码不正确/, 'wrong password: Chinese message';
	like $res->{text}, qr/value="\Q$sme->{username}\E"/, 'wrong password: username kept';
	ok !$ua->cookie('sid'), 'wrong password: no session cookie';
	$res = $ua->login('no-such-user', 'whatever-password');
	is $res->{status}, 401, 'unknown user: same answer as a wrong password';
}

# --- CSRF on login, logout and password change
{
	my $ua = T::new_agent();
	$ua->get('/login');
	my $res = $ua->post('/login', [ username => $sme->{username}, password => $sme->{password} ]);
	is $res->{status}, 403, 'login without csrf token: 403';
	ok !$ua->cookie('sid'), 'login without csrf: no session';
	$res = $ua->post('/login', [ username => $sme->{username}, password => $sme->{password}, csrf => 'f' x 64 ]);
	is $res->{status}, 403, 'login with a forged csrf token: 403';

	$ua->login($sme->{username}, $sme->{password});
	ok $ua->logged_in, 'logged in for csrf checks';
	$res = $ua->post('/logout', []);
	is $res->{status}, 403, 'logout without csrf: 403';
	is $ua->get('/form/sme/blank')->{status}, 200, 'session survives a forged logout';
	$res = $ua->post('/password', [ old_password => $sme->{password},
		new_password => 'A-new-password-1', new_password2 => 'A-new-password-1' ]);
	is $res->{status}, 403, 'password change without csrf: 403';
	my $again = T::new_agent();
	$again->login($sme->{username}, $sme->{password});
	ok $again->logged_in, 'password unchanged after the forged change';
}

# --- a plain page view never writes; anonymous visitors get no session row
{
	my $before = session_count();
	my $ua = T::new_agent();
	$ua->get('/') for 1 .. 5;
	$ua->get('/login');
	is session_count(), $before, 'anonymous GETs create no session row';

	$ua->login($reg->{username}, $reg->{password});
	my $sid = $ua->cookie('sid');
	my $uid = uid_of($reg->{username});
	T::db_query("UPDATE sessions SET last_seen = NOW() - INTERVAL 30 SECOND WHERE user_id = $uid");
	my $seen = T::db_value("SELECT MAX(last_seen) FROM sessions WHERE user_id = $uid");
	$ua->get('/region');
	is T::db_value("SELECT MAX(last_seen) FROM sessions WHERE user_id = $uid"), $seen,
		'a page view within a minute does not write last_seen';
	T::db_query("UPDATE sessions SET last_seen = NOW() - INTERVAL 2 MINUTE WHERE user_id = $uid");
	$seen = T::db_value("SELECT MAX(last_seen) FROM sessions WHERE user_id = $uid");
	$ua->get('/region');
	isnt T::db_value("SELECT MAX(last_seen) FROM sessions WHERE user_id = $uid"), $seen,
		'after a minute the page view refreshes last_seen';
	ok((T::db_value("SELECT COUNT(*) FROM sessions WHERE token_hash = UNHEX(SHA2(UNHEX('$sid'), 256))") // 0) == 1,
		'only the SHA-256 of the token is stored');

	# A new session id at every login.
	my $ua2 = T::new_agent();
	$ua2->login($reg->{username}, $reg->{password});
	isnt $ua2->cookie('sid'), $sid, 'a new login gets a new session token';
}

# --- idle and absolute timeouts
{
	my $ua = T::new_agent();
	$ua->login($win->{username}, $win->{password});
	my $sid = $ua->cookie('sid');
	my $h = "UNHEX(SHA2(UNHEX('$sid'), 256))";
	is $ua->get('/form/window')->{status}, 200, 'fresh session works';
	T::db_query("UPDATE sessions SET last_seen = NOW() - INTERVAL 31 MINUTE WHERE token_hash = $h");
	my $res = $ua->get('/form/window');
	is $res->{status}, 303, 'idle for 31 minutes: redirected';
	like $res->{headers}{location}, qr{^/login\?next=%2Fform%2Fwindow$}, 'idle: to /login with next';
	is T::db_value("SELECT COUNT(*) FROM sessions WHERE token_hash = $h"), 0, 'idle session deleted';

	$ua->login($win->{username}, $win->{password});
	$sid = $ua->cookie('sid');
	$h = "UNHEX(SHA2(UNHEX('$sid'), 256))";
	T::db_query("UPDATE sessions SET created_at = NOW() - INTERVAL 721 MINUTE, last_seen = NOW() WHERE token_hash = $h");
	is $ua->get('/form/window')->{status}, 303, 'older than 12 hours: redirected despite activity';
}

# --- logout invalidates the session server-side
{
	my $ua = T::new_agent();
	$ua->login($win->{username}, $win->{password});
	my $sid = $ua->cookie('sid');
	my $res = $ua->logout;
	is $res->{status}, 303, 'logout: 303';
	is $res->{headers}{location}, '/login', 'logout: to the login page';
	is T::db_value("SELECT COUNT(*) FROM sessions WHERE token_hash = UNHEX(SHA2(UNHEX('$sid'), 256))"), 0,
		'logout deleted the session row';
	my $replay = T::new_agent();
	$replay->jar->set(sid => $sid);
	is $replay->get('/form/window')->{status}, 303, 'the old token no longer works';
}

# --- role boundaries and redirects
{
	my $ua = T::new_agent();
	my $res = $ua->get('/admin');
	is $res->{status}, 303, 'anonymous /admin: redirect';
	is $res->{headers}{location}, '/login?next=%2Fadmin', 'anonymous /admin: to login with next';
	$ua->login($win->{username}, $win->{password}, next => '/region');
	is $ua->get('/admin')->{status}, 403, 'window account: /admin is 403';
	is $ua->get('/region')->{status}, 403, 'window account: /region is 403';
	like $ua->get('/admin')->{text}, qr/无权访问/, '403 page explains in Chinese';

	my $ua2 = T::new_agent();
	my $r2 = $ua2->login($reg->{username}, $reg->{password}, next => '//evil.example/');
	is $r2->{headers}{location}, '/region', 'next=//host is not followed (no open redirect)';
	my $ua3 = T::new_agent();
	my $r3 = $ua3->login($reg->{username}, $reg->{password}, next => '/region/progress');
	is $r3->{headers}{location}, '/region/progress', 'a local next is followed';
}

# --- legacy crypt(3) hash verified and upgraded to argon2id
{
	my $legacy = crypt('Legacy-Pass-2013', '$6$e2esalt$');
	like $legacy, qr/^\$6\$/, 'made a sha512crypt hash';
	T::db_query('DELETE FROM users WHERE username = ' . T::sql_quote('e2e-legacy'));
	T::db_query("INSERT INTO users (username, pw_hash, role, region_code, org_name, form) VALUES "
		. "('e2e-legacy', " . T::sql_quote($legacy) . ", 'hub', '110000', 'e2e legacy hub', 'hub')");
	my $ua = T::new_agent();
	$ua->login('e2e-legacy', 'Legacy-Pass-2013');
	ok $ua->logged_in, 'legacy hash logs in';
	like T::db_value("SELECT pw_hash FROM users WHERE username = 'e2e-legacy'"), qr/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/,
		'hash upgraded to argon2id at login';
	my $ua2 = T::new_agent();
	$ua2->login('e2e-legacy', 'Legacy-Pass-2013');
	ok $ua2->logged_in, 'upgraded hash still logs in';

	# --- throttling (issue 9): failures from elsewhere never lock the
	# account; 10 failures of this client for this account in 15 minutes do,
	# for this client only.
	my $uid = uid_of('e2e-legacy');
	T::db_query("INSERT INTO login_failures (username, ip, at) SELECT 'e2e-legacy', '192.0.2.1', NOW() FROM seq_1_to_100");
	my $ua3 = T::new_agent();
	my $res = $ua3->login('e2e-legacy', 'Legacy-Pass-2013');
	ok $ua3->logged_in, '100 failures from another client: the right password still logs in';
	T::db_query("INSERT INTO login_failures (username, ip, at) SELECT 'e2e-legacy', '127.0.0.1', NOW() FROM seq_1_to_10");
	my $ua4 = T::new_agent();
	$res = $ua4->login('e2e-legacy', 'Legacy-Pass-2013');
	is $res->{status}, 429, '10 failures from this client: this client is refused';
	like $res->{text}, qr/登录失败次数过多/, 'throttling explained in Chinese';
	like $res->{text}, qr{href="/forgot"}, 'and where to get help';
	T::db_query("UPDATE login_failures SET at = NOW() - INTERVAL 16 MINUTE WHERE username = 'e2e-legacy'");
	$ua4->login('e2e-legacy', 'Legacy-Pass-2013');
	ok $ua4->logged_in, 'failures older than 15 minutes no longer count';
	T::db_query("DELETE FROM login_failures WHERE username = 'e2e-legacy'");
}

# --- change password
{
	my $ua = T::new_agent();
	$ua->login('e2e-legacy', 'Legacy-Pass-2013');
	my $other = T::new_agent();
	$other->login('e2e-legacy', 'Legacy-Pass-2013');
	my $csrf = $ua->csrf_of('/password');
	my $res = $ua->post('/password', [ csrf => $csrf, old_password => 'Legacy-Pass-2013',
		new_password => 'short', new_password2 => 'short' ]);
	is $res->{status}, 422, 'too short a new password: 422';
	like $res->{text}, qr/至少需要 12 个字符/, 'length rule explained';
	$res = $ua->post('/password', [ csrf => $csrf, old_password => 'wrong-old-password',
		new_password => 'New-Password-2013', new_password2 => 'New-Password-2013' ]);
	like $res->{text}, qr/原密码不正确/, 'wrong old password refused';
	is T::db_value("SELECT COUNT(*) FROM login_failures WHERE username = 'e2e-legacy'"), 1,
		'a wrong old password counts as a failed login';
	$res = $ua->post('/password', [ csrf => $csrf, old_password => 'Legacy-Pass-2013',
		new_password => 'New-Password-2013', new_password2 => 'New-Password-2014' ]);
	like $res->{text}, qr/两次输入的新密码不一致/, 'mismatch refused';
	$res = $ua->post('/password', [ csrf => $csrf, old_password => 'Legacy-Pass-2013',
		new_password => 'New-Password-2013', new_password2 => 'New-Password-2013' ]);
	is $res->{status}, 200, 'password changed';
	like $res->{text}, qr/密码已修改/, 'confirmation shown';
	is $ua->get('/form/hub/blank')->{status}, 200, 'the changing session stays valid';
	is $other->get('/form/hub')->{status}, 303, 'other sessions of the account are logged out';
	my $n = T::new_agent();
	is $n->login('e2e-legacy', 'Legacy-Pass-2013')->{status}, 401, 'old password no longer works';
	$n->login('e2e-legacy', 'New-Password-2013');
	ok $n->logged_in, 'new password works';
	# Guessing the old password through a session is throttled like logins:
	# per account and client.
	T::db_query("INSERT INTO login_failures (username, ip, at) SELECT 'e2e-legacy', '192.0.2.2', NOW() FROM seq_1_to_100");
	$csrf = $n->csrf_of('/password');
	$res = $n->post('/password', [ csrf => $csrf, old_password => 'New-Password-2013',
		new_password => 'Third-Password-2013', new_password2 => 'Third-Password-2013' ]);
	like $res->{text}, qr/密码已修改/, 'failures of another client do not block a password change';
	T::db_query("INSERT INTO login_failures (username, ip, at) SELECT 'e2e-legacy', '127.0.0.1', NOW() FROM seq_1_to_10");
	$res = $n->post('/password', [ csrf => $csrf, old_password => 'Third-Password-2013',
		new_password => 'Fourth-Password-2013', new_password2 => 'Fourth-Password-2013' ]);
	like $res->{text}, qr/密码错误次数过多/, 'password change throttled after 10 failures of this client';
	T::db_query("DELETE FROM login_failures WHERE username = 'e2e-legacy'");
	T::db_query("DELETE FROM users WHERE username = 'e2e-legacy'");
}

# --- bad bodies: oversized, malformed multipart, wrong method
{
	my $ua = T::new_agent();
	my $conf = T::app_conf();
	my $big = 'a=' . ('x' x ($conf->{max_body} + 1024));
	my $res = $ua->request('POST', '/login', { headers => { 'content-type' => 'application/x-www-form-urlencoded' },
		content => $big });
	is $res->{status}, 413, 'body over max_body: 413';
	like $res->{text}, qr/提交的内容过大/, 'oversized body explained in Chinese';
	$res = $ua->request('POST', '/login', { headers => { 'content-type' => 'multipart/form-data; boundary=zzz' },
		content => "--zzz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno closing boundary" });
	is $res->{status}, 400, 'malformed multipart: 400';
	like $res->{text}, qr/提交的数据格式不正确/, 'malformed multipart explained in Chinese';
	$res = $ua->request('POST', '/login', { headers => { 'content-type' => 'application/x-www-form-urlencoded' },
		content => 'username=%FF%FE&password=x' });
	is $res->{status}, 400, 'invalid UTF-8 in a form: 400';
	$res = $ua->request('DELETE', '/login');
	is $res->{status}, 405, 'DELETE: 405';
	is $ua->get('/')->{status}, 200, 'the program still serves after bad requests';
}

done_testing;
