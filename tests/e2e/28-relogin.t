#!/usr/bin/perl
# 28-relogin.t - a questionnaire post whose session has lapsed loses nothing
# (issue 9): the answer is a re-login form (200) carrying every posted
# answer in hidden fields under a fresh CSRF token; after logging in again
# the save or submit goes through as with a live session. Another account
# logging in gets nothing of it; a wrong token or a cross-site post gets no
# re-login; a chosen file cannot be carried and is asked for again at its
# field; the answers appear in no log file and no table before the login.
# The session is made to lapse by ageing its row past session_idle_min.
# Fresh accounts in the test region T28A01.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $acc = Forms::fresh_accounts('t28', 'T28A01', 'T28A 测试省', [qw(region sme sme)]);
my $f = Forms::load('sme');
my $idle = T::app_conf()->{session_idle_min} // 30;

# Every session of the user idles past the limit.
sub expire { my ($uid) = @_; T::db_query("UPDATE sessions SET last_seen = NOW() - INTERVAL "
	. ($idle + 5) . " MINUTE WHERE user_id = " . int($uid)) }

# name => [values] of the hidden inputs of a page.
sub hidden_of {
	my ($html) = @_;
	my @p;
	while ($html =~ /<input\b([^>]*)>/g) {
		my $a = $1;
		next unless (Forms::attr($a, 'type') // '') eq 'hidden';
		push @p, Forms::attr($a, 'name') => Forms::attr($a, 'value') // '';
	}
	return \@p;
}
sub hidden_value { my ($p, $n) = @_; my %h = @$p; return $h{$n} }

# A marker that must never reach a log file.
my $marker = '重登录测试标记' . join('', map { int rand 10 } 1 .. 8);
my $vals = Forms::valid_values($f);
$vals->{q1_name} = "$marker 科技有限公司";
$vals->{q1_addr} = qq{北京市 "引号" <b>&amp;</b> 1号};

my $sme = $acc->{sme};
my $ua = Forms::login_as($sme);
my $page = $ua->get('/form/sme');
my $csrf = T::csrf_from($page->{text});
my ($ver) = $page->{text} =~ /name="version" value="(\d+)"/;
like $page->{text}, qr/name="owner" value="$sme->{id}"/, 'the form names its owner (hidden field)';

# ---- save after the session lapsed
expire($sme->{id});
my @post = (@{ Forms::post_params($f, $vals) }, csrf => $csrf, version => $ver, action => 'save',
	owner => $sme->{id});
my $res = $ua->post('/form/sme', \@post);
is $res->{status}, 200, 'lapsed save: 200, not a redirect to /login';
like $res->{text}, qr/登录已超时/, 'lapsed save: the re-login page says so in Chinese';
like $res->{text}, qr/保存草稿/, 'lapsed save: it says the draft will be saved after login';
is Forms::response_row('sme', $sme->{id}), undef, 'lapsed save: nothing stored yet';
my $hidden = hidden_of($res->{text});
my %h = @$hidden;
is $h{q1_name}, $vals->{q1_name}, 'the answer is carried in a hidden field';
is $h{q1_addr}, $vals->{q1_addr}, 'quotes and markup are carried escaped, unchanged';
is $h{action}, 'save', 'the action is carried';
is $h{owner}, $sme->{id}, 'the owner is carried';
isnt $h{csrf}, $csrf, 'a fresh CSRF token is issued with the re-login form';
my $relogin_csrf = $h{csrf};
unlike $res->{text}, qr/\Q$sme->{password}\E/, 'no password on the page';

# A wrong token on the re-login: refused, nothing stored.
my @carry = grep { 1 } @$hidden;
{
	my %c = @carry;
	$c{csrf} = 'x' x 64;
	$res = $ua->post('/form/sme', [ %c, relogin_user => $sme->{username}, relogin_password => $sme->{password} ]);
	is $res->{status}, 403, 're-login with a wrong CSRF token: 403';
	is Forms::response_row('sme', $sme->{id}), undef, '... nothing stored';
	like $res->{text}, qr/\Q$marker\E/, '... and the answers are still carried';
}
# A wrong password: the form again, answers still carried.
$res = $ua->post('/form/sme', [ @carry, relogin_user => $sme->{username}, relogin_password => 'wrong-password-123' ]);
is $res->{status}, 401, 're-login with a wrong password: 401';
is hidden_value(hidden_of($res->{text}), 'q1_name'), $vals->{q1_name}, '... the answers are still carried';
$hidden = hidden_of($res->{text});

$res = $ua->post('/form/sme', [ @$hidden, relogin_user => $sme->{username}, relogin_password => $sme->{password} ]);
is $res->{status}, 303, 're-login: the save goes through';
like $res->{headers}{location} // '', qr{^/form/sme\?saved=1$}, '... to the saved draft';
my $row = Forms::response_row('sme', $sme->{id});
is $row->{status}, 'draft', '... stored as a draft';
my $stored = Forms::stored_answers($row->{id});
my $want = Forms::stored($f, $vals);
my @diff = grep { ($stored->{$_} // '') ne ($want->{$_} // '') } sort keys %$want;
is scalar(@diff), 0, '... with every answer as typed' or diag join ', ', @diff;
ok $ua->cookie('sid'), '... and a new session';
is $ua->get('/form/sme')->{status}, 200, '... that opens the form';

# ---- submit after the session lapsed
$page = $ua->get('/form/sme');
($ver) = $page->{text} =~ /name="version" value="(\d+)"/;
$csrf = T::csrf_from($page->{text});
expire($sme->{id});
$res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => $csrf, version => $ver,
	action => 'submit', owner => $sme->{id} ]);
is $res->{status}, 200, 'lapsed submit: the re-login page';
like $res->{text}, qr/提交本表/, '... which says the form will be submitted';
$res = $ua->post('/form/sme', [ @{ hidden_of($res->{text}) }, relogin_user => $sme->{username},
	relogin_password => $sme->{password} ]);
is $res->{status}, 200, 're-login: the submit proceeds to its confirmation step';
like $res->{text}, qr/确认提交/, '... which asks to confirm';
unlike $res->{text}, qr/relogin_password|\Q$sme->{password}\E/, '... and carries no password';
is Forms::response_row('sme', $sme->{id})->{status}, 'draft', '... the answers kept as a draft meanwhile';
$res = $ua->post('/form/sme', [ @{ hidden_of($res->{text}) }, action => 'submit' ]);   # the 确认提交 button
like $res->{headers}{location} // '', qr{submitted=1}, 'confirmed: submitted' or diag "$res->{status} $res->{text}";
is Forms::response_row('sme', $sme->{id})->{status}, 'submitted', '... and the form is submitted';

# ---- another account logs in: nothing of the answers is applied
{
	my $other = $acc->{sme2};
	my $ua1 = Forms::login_as($sme);
	my $ua2 = T::new_agent();
	my $p2 = $ua2->get('/'); # an anonymous browser on the same computer
	# The first user's lapsed page, re-logged in as the second user.
	my $form_csrf = $ua1->csrf_of('/form/sme');
	expire($sme->{id});
	my %v = (%$vals, q1_name => '不应保存的内容');
	$res = $ua1->post('/form/sme', [ @{ Forms::post_params($f, \%v) }, csrf => $form_csrf,
		action => 'save', owner => $sme->{id} ]);
	is $res->{status}, 200, 'another user: re-login page';
	$res = $ua1->post('/form/sme', [ @{ hidden_of($res->{text}) }, relogin_user => $other->{username},
		relogin_password => $other->{password} ]);
	is $res->{status}, 303, 'another user logs in';
	like $res->{headers}{location} // '', qr{relogin_other=1}, '... is sent to their own form';
	is Forms::response_row('sme', $other->{id}), undef, '... and nothing was saved for them';
	unlike join(' ', values %{ Forms::stored_answers(Forms::response_row('sme', $sme->{id})->{id}) }),
		qr/不应保存/, '... nor for the owner';
	like $ua1->get($res->{headers}{location})->{text}, qr/不是原来填写本表的账户/, '... which tells them why';
}

# ---- no proof of origin: the plain login redirect, nothing carried
{
	my $ua3 = T::new_agent();
	$res = $ua3->post('/form/sme', [ q1_name => 'cross-site', action => 'submit', csrf => 'y' x 64 ]);
	is $res->{status}, 303, 'a post with no session cookie and no same-origin proof: redirect';
	like $res->{headers}{location} // '', qr{^/login}, '... to /login';
	$res = $ua3->post('/form/sme', [ q1_name => 'same-origin', action => 'save', csrf => 'y' x 64 ],
		{ 'sec-fetch-site' => 'same-origin' });
	is $res->{status}, 200, 'no cookie (logged out in another tab) but Sec-Fetch-Site same-origin: re-login page';
	$res = $ua3->post('/form/sme', [ q1_name => 'cross-site', action => 'save', csrf => 'y' x 64 ],
		{ 'sec-fetch-site' => 'cross-site' });
	is $res->{status}, 303, 'Sec-Fetch-Site cross-site: redirect to /login';
}

# ---- a file cannot be carried: asked for again at its field (selfeval)
{
	my $reg = $acc->{region};
	my $fs = Forms::load('selfeval');
	my $sv = Forms::valid_values($fs);
	my $ur = Forms::login_as($reg);
	my $p = $ur->get('/form/selfeval');
	my $c = T::csrf_from($p->{text});
	expire($reg->{id});
	$res = $ur->post_multipart('/form/selfeval', [ @{ Forms::post_params($fs, $sv) }, csrf => $c, action => 'save',
		owner => $reg->{id},
		report_file => { filename => '自评估报告.pdf', content => Forms::small_pdf('relogin'),
			content_type => 'application/pdf' } ]);
	is $res->{status}, 200, 'lapsed multipart save: re-login page';
	like $res->{text}, qr/自评估报告\.pdf）无法随重新登录保留，登录后请在该栏重新选择文件/,
		'... says the chosen file cannot be carried and must be chosen again';
	my $hp = hidden_of($res->{text});
	is hidden_value($hp, 'lost_file'), 'report_file', '... and marks it';
	$res = $ur->post('/form/selfeval', [ @$hp, relogin_user => $reg->{username}, relogin_password => $reg->{password} ]);
	is $res->{status}, 200, 're-login: the draft is saved and the form shown again';
	like $res->{text}, qr/id="w-report_file".*?请在此重新选择文件/s, '... with the request at the file field';
	my $rr = Forms::response_row('selfeval', $reg->{id});
	ok $rr && $rr->{status} eq 'draft', '... the other answers are stored as a draft';
	my $st = Forms::stored_answers($rr->{id});
	my $sw = Forms::stored($fs, $sv);
	my @d = grep { ($st->{$_} // '') ne ($sw->{$_} // '') } sort keys %$sw;
	is scalar(@d), 0, '... every one of them' or diag join ', ', @d;
}

# ---- the answers were never written anywhere in the clear before the login
{
	my $logdir = T::vardir() . '/log';
	my $needle = Encode::encode('UTF-8', $marker);
	my @hits;
	for my $file (glob("$logdir/*")) {
		open my $fh, '<:raw', $file or next;
		local $/;
		my $t = <$fh>;
		push @hits, $file if defined $t && index($t, $needle) >= 0;
	}
	is scalar(@hits), 0, 'no log file holds a carried answer' or diag join ', ', @hits;
	is T::db_value("SELECT COUNT(*) FROM audit_log WHERE detail LIKE " . T::sql_quote("%$marker%")), 0,
		'no audit row holds a carried answer';
}

done_testing;
