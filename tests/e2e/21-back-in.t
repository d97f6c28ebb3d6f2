#!/usr/bin/perl
# 21-back-in.t - getting back in (issue 9 item 1): a region resets the
# password of an account of its own region and nobody else's, the ministry
# any account's, the command line creates admins and resets passwords; a
# one-time password leads to /password until changed; generated passwords
# are typed forgivingly; the login page says whom to ask; a used slip shows
# the username (never the password).
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $GEN = qr/[2-9A-HJ-NP-Z]{4}(?:-[2-9A-HJ-NP-Z]{4}){3}/;
my $sme1 = T::demo_account('sme', 0, '110000');

sub uid_of { return T::db_value('SELECT id FROM users WHERE username = ' . T::sql_quote($_[0])) }
sub hash_of { return T::db_value('SELECT pw_hash FROM users WHERE username = ' . T::sql_quote($_[0])) }

# Test accounts with the password of bj's first demo SME.
sub make_account {
	my ($name, $role, $region) = @_;
	T::db_query('DELETE FROM users WHERE username = ' . T::sql_quote($name));
	T::db_query('INSERT INTO users (username, pw_hash, role, region_code, org_name, form) SELECT '
		. join(', ', map { T::sql_quote($_) } $name) . ', pw_hash, ' . T::sql_quote($role) . ', '
		. ($region ? T::sql_quote($region) : 'NULL') . ", 'e2e 测试单位', "
		. T::sql_quote($role eq 'admin' ? '' : $role) . ' FROM users WHERE username = ' . T::sql_quote($sme1->{username}));
	return uid_of($name);
}

sub cli {
	my ($stdin, @args) = @_;
	my $cmd = join ' ', map { "'$_'" } T::bindir() . '/smesurvey-admin', '--conf', T::conf_path(), @args;
	my $out;
	if (defined $stdin) {
		$out = `printf '%s\\n' '$stdin' | $cmd 2>/dev/null`;
	} else {
		$out = `$cmd 2>/dev/null`;
	}
	return ($? >> 8, $out);
}

my $bj_sme = make_account('e2e-back-sme', 'sme', '110000');
my $sh_sme = make_account('e2e-back-sh-sme', 'sme', '310000');

# --- the login page says whom to ask
{
	my $ua = T::new_agent();
	my $res = $ua->get('/login');
	like $res->{text}, qr{<a href="/forgot">忘记用户名或密码？</a>}, 'login page links to /forgot';
	$res = $ua->get('/forgot');
	is $res->{status}, 200, '/forgot is open to everybody';
	like $res->{text}, qr{<td>北京市</td><td><a class="tel" href="tel:01012345678">010-12345678</a></td>}, "the region's help line from the regions table, a tel: link (issue 23 item 10)";
	like $res->{text}, qr/二维码.*用户名/s, 'a forgotten username: scan the slip again';
}

# --- a region resets an account of its own region
my $onetime;
{
	my $victim = T::new_agent();
	$victim->login('e2e-back-sme', $sme1->{password});
	ok $victim->logged_in, 'the SME is logged in before the reset';

	my $reg = T::demo_login('region', 0, '110000');
	my $res = $reg->get('/region/accounts');
	is $res->{status}, 200, '/region/accounts lists the accounts';
	like $res->{text}, qr{href="/region/accounts/reset\?id=$bj_sme"}, 'with a reset link for the SME';
	unlike $res->{text}, qr/e2e-back-sh-sme/, "another region's accounts are not listed";
	$res = $reg->get("/region/accounts/reset?id=$bj_sme");
	is $res->{status}, 200, 'the reset asks for confirmation first';
	like $res->{text}, qr/确认重置密码/, 'confirmation button';
	is hash_of('e2e-back-sme'), hash_of($sme1->{username}), 'nothing changed by the confirmation page';
	my $csrf = T::csrf_from($res->{text});
	my $audits = T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'password-reset' AND detail LIKE 'user=e2e-back-sme %'");
	$res = $reg->post('/region/accounts/reset', [ csrf => $csrf, id => $bj_sme ]);
	is $res->{status}, 200, 'reset done';
	($onetime) = $res->{text} =~ /class="onetime-password">($GEN)</;
	ok $onetime, 'the one-time password is shown';
	is $res->{headers}{'cache-control'} // '', 'no-store', 'and not kept by the browser';
	is T::db_value("SELECT must_change_pw FROM users WHERE id = $bj_sme"), 1, 'must_change_pw set';
	is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'password-reset' AND detail LIKE 'user=e2e-back-sme %'"),
		$audits + 1, 'audited';
	is $victim->get('/form/sme')->{status}, 303, "the account's sessions ended";
	is T::new_agent()->login('e2e-back-sme', $sme1->{password})->{status}, 401, 'the old password no longer works';

	# Another region's account, and roles a region may not reset: 403, nothing changes.
	my $h = hash_of('e2e-back-sh-sme');
	is $reg->get("/region/accounts/reset?id=$sh_sme")->{status}, 403, "another region's account: 403 (confirmation)";
	is $reg->post('/region/accounts/reset', [ csrf => $csrf, id => $sh_sme ])->{status}, 403,
		"another region's account: 403 (reset)";
	is hash_of('e2e-back-sh-sme'), $h, 'and its password is unchanged';
	is T::db_value("SELECT must_change_pw FROM users WHERE id = $sh_sme"), 0, 'nor must it change it';
	my $admin_id = uid_of('admin');
	is $reg->post('/region/accounts/reset', [ csrf => $csrf, id => $admin_id ])->{status}, 403,
		'a region cannot reset the ministry';
	is $reg->post('/region/accounts/reset', [ id => $bj_sme ])->{status}, 403, 'CSRF checked';
}

# --- the one-time password: typed forgivingly, then /password until changed
{
	my $ua = T::new_agent();
	(my $sloppy = lc $onetime) =~ s/-//g;
	my $res = $ua->login('e2e-back-sme', $sloppy);
	is $res->{status}, 303, 'the generated password typed in lower case without dashes logs in';
	is $res->{headers}{location}, '/password', 'and leads to /password';
	$res = $ua->get('/form/sme');
	is $res->{status}, 303, 'every other page redirects ...';
	is $res->{headers}{location}, '/password', '... to /password';
	is $ua->get('/logout')->{status}, 200, 'logout stays possible';
	$res = $ua->get('/password');
	like $res->{text}, qr/一次性密码/, 'the page says why';
	my $csrf = T::csrf_from($res->{text});
	$res = $ua->post('/password', [ csrf => $csrf, old_password => $onetime,
		new_password => 'Own-Password-2013', new_password2 => 'Own-Password-2013' ]);
	like $res->{text}, qr/密码已修改/, 'changed';
	is T::db_value("SELECT must_change_pw FROM users WHERE id = $bj_sme"), 0, 'must_change_pw cleared';
	is $ua->get('/form/sme')->{status}, 200, 'the questionnaire opens again';
	# Forgiveness is for the generated alphabet only.
	is T::new_agent()->login('e2e-back-sme', 'own-password-2013')->{status}, 401,
		'a chosen password is compared exactly';
}

# --- the ministry resets any account; the viewer cannot
{
	my $admin = T::demo_login('admin', 0);
	my $res = $admin->get('/admin/accounts?region=310000');
	like $res->{text}, qr{href="/admin/accounts/reset\?id=$sh_sme"}, 'reset link on the accounts page';
	$res = $admin->get("/admin/accounts/reset?id=$sh_sme");
	like $res->{text}, qr/确认重置密码/, 'confirmation first';
	$res = $admin->post('/admin/accounts/reset', [ csrf => T::csrf_from($res->{text}), id => $sh_sme ]);
	like $res->{text}, qr/class="onetime-password">$GEN</, 'the ministry resets an account of any region';
	my $viewer = T::demo_login('viewer', 0);
	is $viewer->get("/admin/accounts/reset?id=$bj_sme")->{status}, 403, 'the read-only viewer cannot';
}

# --- the command line
{
	T::db_query("DELETE FROM users WHERE username = 'e2e-admin2'");
	my $audits = T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'create-admin' AND detail LIKE '%user=e2e-admin2%'");
	my ($rc, $out) = cli(undef, 'create-admin', 'e2e-admin2');
	is $rc, 0, 'create-admin: exit 0';
	like $out, qr/\Apassword: ($GEN)\n\z/, 'create-admin prints exactly one line';
	my ($pw) = $out =~ /password: (\S+)/;
	($rc, $out) = cli(undef, 'create-admin', 'e2e-admin2');
	is $rc, 1, 'create-admin of an existing username: exit 1';
	is $out, '', 'and nothing on stdout';
	my $ua = T::new_agent();
	my $res = $ua->login('e2e-admin2', $pw);
	is $res->{headers}{location}, '/password', 'the new admin must change the password first';
	is T::db_value("SELECT role FROM users WHERE username = 'e2e-admin2'"), 'admin', 'role admin';
	is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'create-admin' AND detail LIKE '%user=e2e-admin2%'"),
		$audits + 1, 'create-admin audited';

	($rc, $out) = cli(undef, 'reset-password', 'e2e-back-sme');
	is $rc, 0, 'reset-password: exit 0';
	like $out, qr/\Apassword: $GEN\n\z/, 'reset-password prints exactly one line';
	($rc, $out) = cli('Stdin-Password-2013', 'reset-password', 'e2e-back-sme', '--stdin');
	is $rc, 0, 'reset-password --stdin: exit 0';
	is $out, '', '--stdin prints nothing secret';
	$res = T::new_agent()->login('e2e-back-sme', 'Stdin-Password-2013');
	is $res->{headers}{location}, '/password', 'the password from stdin works, and must be changed';
	($rc, $out) = cli('short', 'reset-password', 'e2e-back-sme', '--stdin');
	is $rc, 1, 'a password from stdin that breaks the rules: exit 1';
	($rc) = cli(undef, 'reset-password', 'e2e-no-such-user');
	is $rc, 1, 'reset-password of an unknown user: exit 1';
	($rc) = cli(undef, 'reset-password');
	is $rc, 2, 'reset-password without a username: exit 2';
	T::db_query("DELETE FROM users WHERE username = 'e2e-admin2'");
}

# --- a used slip shows the username, not the password, and whom to ask
{
	my $uid = uid_of($sme1->{username});
	my $old = T::db_value("SELECT HEX(code_lookup) FROM sample_units WHERE user_id = $uid");
	T::db_query("UPDATE sample_units SET code_lookup = UNHEX(SHA2('ABCDEFGHJKLMNPQR', 256)) WHERE user_id = $uid");
	my $res = T::new_agent()->get('/register?code=abcd-efgh-jklm-npqr');
	is $res->{status}, 409, 'a used code: 409';
	like $res->{text}, qr{class="username">\Q$sme1->{username}\E<}, 'shows the username';
	unlike $res->{text}, qr/\Q$sme1->{password}\E/, 'never the password';
	like $res->{text}, qr/010-12345678/, "and the region's help line";
	T::db_query("UPDATE sample_units SET code_lookup = " . (defined $old && $old ne 'NULL' && $old ne '' ? "UNHEX('$old')" : 'NULL')
		. " WHERE user_id = $uid");
}

T::db_query("DELETE FROM sessions WHERE user_id IN ($bj_sme, $sh_sme)");
T::db_query("DELETE FROM users WHERE id IN ($bj_sme, $sh_sme)");
done_testing();
