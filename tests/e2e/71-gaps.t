#!/usr/bin/perl
# 71-gaps.t - the gaps of the outside attack of issue 18 (2 to 4; gap 1,
# the spreadsheet bounds, belongs to the frame import), each reproduced:
#   2. login CSRF: the anonymous token is bound by an HMAC under a server
#      key to a short-lived pre-session cookie and its issue time; a pair
#      made up by whoever can plant a cookie, an expired token, another
#      browser's token and a post from a sibling origin (Sec-Fetch-Site:
#      same-site) are refused on /login and on the re-login page's second
#      step; the production HSTS offers includeSubDomains as a choice.
#   3. the read-only viewer (and the evaluation agency) never receives an
#      invitation code: its /admin/followups.csv masks the links the
#      admin's copy carries.
#   4. CSP has form-action 'self' and base-uri 'none'; a download carries
#      X-Content-Type-Options once; a NUL byte in a value is refused at the
#      questionnaire's field with a Chinese message (nothing stored), and by
#      every other page with a Chinese 400, never stored cut short.
# Fresh accounts in region T71A01.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;
use Digest::SHA qw(sha256 hmac_sha256_hex);
use File::Temp qw(tempdir);
use Encode ();

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $acc = Forms::fresh_accounts('t71', 'T71A01', 'T71A 测试省', [qw(region sme)]);
my $sme = $acc->{sme};
my $conf = T::app_conf();

# A token as the server makes it (core/auth.c anon_token), from the
# configuration's secrets: lets the test date one.
sub anon_token {
	my ($pre, $issued) = @_;
	my $key = sha256("smesurvey-anon-csrf-key/1\0" . ($conf->{code_secret} // '') . "\0"
		. ($conf->{db_password} // ''));
	return "$issued." . hmac_sha256_hex("$pre:$issued", $key);
}
sub login_with {
	my ($ua, $csrf, $h) = @_;
	return $ua->post('/login', [ username => $sme->{username}, password => $sme->{password}, csrf => $csrf ], $h);
}
sub sessions_of { return T::db_value("SELECT COUNT(*) FROM sessions WHERE user_id = $_[0]{id}") }

# ------------------------------------------------------------ gap 2
{
	my $before = sessions_of($sme);
	# A made-up pair: the double-submit cookie of old accepted any value
	# that the form repeated.
	my $ua = T::new_agent();
	$ua->jar->set(pcsrf => 'ab' x 32);
	my $res = login_with($ua, 'ab' x 32);
	is $res->{status}, 403, 'a planted cookie with a made-up token: 403';
	like $res->{text}, qr/页面已过期或请求来源无效/, '... said in Chinese';

	# The server's own token for the planted pre-session, but dated
	# beyond its two hours.
	my $pre = 'cd' x 32;
	$ua = T::new_agent();
	$ua->jar->set(pcsrf => $pre);
	is login_with($ua, anon_token($pre, time - 7260))->{status}, 403, 'a token older than two hours: 403';
	is sessions_of($sme), $before, 'no session was created by any of them';
	# The same, fresh: the test makes tokens exactly as the server does.
	$res = login_with($ua, anon_token($pre, time - 60));
	is $res->{status}, 303, 'the same token issued a minute ago logs in';

	# Browser A's genuine token with browser B's pre-session: refused.
	my $A = T::new_agent();
	my $tokA = $A->csrf_of('/login');
	like $tokA, qr/^\d+\.[0-9a-f]{64}$/, 'the login token is "<issued>.<HMAC>"';
	like $A->jar->attrs('pcsrf')->{raw}, qr/Max-Age=7200/i, 'the pre-session cookie lives two hours';
	my $B = T::new_agent();
	$B->csrf_of('/login');
	is login_with($B, $tokA)->{status}, 403, "another browser's login token: 403";
	# A pre-session planted from a sibling subdomain: that browser says
	# same-site, not same-origin.
	my $C = T::new_agent();
	$C->jar->set(pcsrf => $A->cookie('pcsrf'));
	is login_with($C, $tokA, { 'sec-fetch-site' => 'same-site' })->{status}, 403,
		'a genuine pair posted from a sibling origin (Sec-Fetch-Site: same-site): 403';
	is login_with($C, $tokA, { 'sec-fetch-site' => 'cross-site' })->{status}, 403, '... cross-site: 403';
	is login_with($A, $tokA, { 'sec-fetch-site' => 'same-origin' })->{status}, 303,
		'the genuine pair from this origin logs in';
}
# The re-login page's second step: the same binding.
{
	my $ua = Forms::login_as($sme);
	my $page = $ua->get('/form/sme');
	my $csrf = T::csrf_from($page->{text});
	my ($ver) = $page->{text} =~ /name="version" value="(\d+)"/;
	my $idle = $conf->{session_idle_min} // 30;
	T::db_query("UPDATE sessions SET last_seen = NOW() - INTERVAL " . ($idle + 5) . " MINUTE WHERE user_id = $sme->{id}");
	my $res = $ua->post('/form/sme', [ q1_contact => 'T71 重登录', csrf => $csrf, version => $ver,
		action => 'save', owner => $sme->{id} ]);
	like $res->{text}, qr/登录已超时/, 'lapsed save: the re-login page';
	my $tok = T::csrf_from($res->{text});
	like $tok, qr/^\d+\.[0-9a-f]{64}$/, '... with a bound anonymous token';
	my @step2 = (q1_contact => 'T71 重登录', version => $ver, action => 'save', owner => $sme->{id},
		relogin_user => $sme->{username}, relogin_password => $sme->{password});
	my $evil = T::new_agent();
	$evil->jar->set(pcsrf => 'ef' x 32);
	$evil->jar->set(sid => $ua->cookie('sid')) if defined $ua->cookie('sid');
	$res = $evil->post('/form/sme', [ @step2, csrf => 'ef' x 32 ]);
	is $res->{status}, 403, 're-login with a made-up pre-session pair: 403';
	is Forms::response_row('sme', $sme->{id}), undef, '... nothing stored';
	$res = $ua->post('/form/sme', [ @step2, csrf => $tok ], { 'sec-fetch-site' => 'same-site' });
	is $res->{status}, 403, 're-login posted from a sibling origin: 403';
	$res = $ua->post('/form/sme', [ @step2, csrf => $tok ]);
	ok $res->{status} == 303 || $res->{status} == 200, 're-login with its own token goes through';
	isnt Forms::response_row('sme', $sme->{id}), undef, '... and saves';
}
# HSTS with includeSubDomains: a commented choice in both site templates.
for my $f ('conf/nginx-site.conf.in', 'conf/apache-site.conf.in') {
	open my $fh, '<', T::root() . "/$f" or die "$f: $!";
	my $t = do { local $/; <$fh> };
	like $t, qr/^\s*(add_header|Header always set) Strict-Transport-Security "max-age=31536000"/m, "$f: HSTS";
	like $t, qr/^\s*#\s*(add_header|Header always set) Strict-Transport-Security "max-age=31536000; includeSubDomains"/m,
		"$f: includeSubDomains offered, commented";
}

# ------------------------------------------------------------ gap 3
{
	my $tmp = tempdir(CLEANUP => 1);
	my $cli = T::bindir() . '/smesurvey-admin';
	T::db_query("DELETE su FROM sample_units su JOIN samples s ON s.id = su.sample_id WHERE s.region_code = 'T71A01'");
	T::db_query("DELETE FROM samples WHERE region_code = 'T71A01'");
	T::db_query("DELETE FROM revoked_codes WHERE region_code = 'T71A01'");
	T::db_query("DELETE FROM frames WHERE region_code = 'T71A01'");
	open my $fh, '>:encoding(UTF-8)', "$tmp/sme.csv" or die $!;
	print $fh "企业名称\n", map { sprintf "七一企业%03d有限公司\n", $_ } 1 .. 110;
	close $fh;
	for my $cmd ("import-frame T71A01 sme $tmp/sme.csv", 'draw T71A01 sme --seed 71') {
		my $out = `'$cli' --conf '${\ T::conf_path()}' $cmd 2>&1`;
		is $?, 0, "smesurvey-admin $cmd" or diag $out;
	}
	my $R = Forms::login_as($acc->{region});
	my $csrf = $R->csrf_of('/region/slips');
	is $R->post('/region/slips', [ csrf => $csrf, stratum => 'sme', scope => 'new' ])->{status}, 200,
		'the region prints its SME slips (codes issued)';
	my $admin = T::demo_login('admin');
	my $res = $admin->get('/admin/followups.csv?region=T71A01');
	my $links = () = $res->{content} =~ m{/register\?code=[0-9A-Z-]{16,19}}g;
	ok $links >= 90, "the ministry's admin gets the invitation links ($links)";
	my $viewer = T::demo_login('viewer');
	$res = $viewer->get('/admin/followups.csv?region=T71A01');
	is $res->{status}, 200, 'the viewer gets the CSV';
	unlike $res->{content}, qr{register\?code=}, '... without a single invitation link';
	my $text = Encode::decode('UTF-8', $res->{content});
	like $text, qr/邀请码已隐藏/, '... masked, and said so in Chinese';
	# The evaluation agency reads as the ministry, but hands out no codes.
	my $agency = T::demo_login('agency');
	$res = $agency->get('/admin/followups.csv?region=T71A01');
	is $res->{status}, 200, 'the agency gets the CSV';
	unlike $res->{content}, qr{register\?code=}, '... masked as well';
	for my $p ('/admin/followups?region=T71A01', '/admin/followups/print?region=T71A01') {
		unlike $viewer->get($p)->{text}, qr{register\?code=|[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}},
			"viewer: no code on $p";
	}
}

# ------------------------------------------------------------ gap 4
{
	my $ua = T::new_agent();
	my $csp = $ua->get('/login')->{headers}{'content-security-policy'} // '';
	like $csp, qr/form-action 'self'/, "CSP: form-action 'self'";
	like $csp, qr/base-uri 'none'/, "CSP: base-uri 'none'";
	my $admin = T::demo_login('admin');
	for my $p ('/admin/followups.csv?region=T71A01', '/admin/indicators.csv', '/admin/export/codebook',
	           '/admin/export/data?form=sme&format=csv') {
		my $res = $admin->get($p);
		my $x = $res->{headers}{'x-content-type-options'};
		my @x = ref $x ? @$x : defined $x ? ($x) : ();
		is scalar(@x), 1, "$p: X-Content-Type-Options sent once (status $res->{status})";
	}
	# NUL in a questionnaire field: refused at the field, nothing cut short.
	my $u = Forms::login_as($sme);
	my $page = $u->get('/form/sme');
	my ($ver) = $page->{text} =~ /name="version" value="(\d+)"/;
	my $rid = Forms::response_row('sme', $sme->{id})->{id};
	my $res = $u->post('/form/sme', [ q1_contact => "abc\0def", csrf => T::csrf_from($page->{text}),
		version => $ver, action => 'save' ]);
	like $res->{text}, qr/不能包含空字符/, 'NUL in a field: a Chinese message';
	like $res->{text}, qr/id="w-q1_contact"[^>]*>(?:(?!id="w-).)*不能包含空字符/s, '... at that field';
	my $after = Forms::stored_answers($rid);
	isnt $after->{q1_contact} // '', 'abc', '... and never stored as "abc"';
	isnt $after->{q1_contact} // '', "abc\0def", '... nor with the NUL';
	like $res->{text}, qr/name="q1_contact" value="abc\x{FFFD}def"/, '... what was typed is shown, U+FFFD where the NUL was';
	# Everywhere else: the page refuses the post.
	$res = $u->post('/logout', [ csrf => T::csrf_from($u->get('/logout')->{text}), x => "a\0b" ]);
	is $res->{status}, 400, 'NUL in any other post: 400';
	like $res->{text}, qr/空字符/, '... said in Chinese';
	is $u->get('/form/sme?x=a%00b')->{status}, 400, 'NUL in a query: 400';
}

done_testing();
