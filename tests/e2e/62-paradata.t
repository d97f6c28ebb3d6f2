#!/usr/bin/perl
# 62-paradata.t - how each response came about (issue 20, item 1): the
# login and registration pages give the browser a device cookie; the first
# GET of a form records when it was opened; every save, autosave and
# keep-alive adds the gap since the previous one to the active time when it
# is at most 5 minutes (gaps are made by moving last_at back with SQL: the
# test-only path, no waiting); sessions, browsers and networks are counted
# as distinct keyed hashes, never addresses; a submit records its time and
# network; the region's paper entry is recorded as such; a registration
# with a code records its redemption; `smesurvey-admin purge --paradata`
# removes it all; the save's join finds the paradata row by its primary
# key (migration 075). Clients come from 127.0.62.x and 127.0.63.x (two /24s).
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

my $R = 'T62P';
my $acc = Forms::fresh_accounts('t62', $R, 'T62P 测试省', [qw(sme sme region)]);
my $f = Forms::load('sme');
my $vals = Forms::valid_values($f);
my $sme = $acc->{sme};
T::db_query("DELETE FROM paradata WHERE user_id IN ($sme->{id}, $acc->{sme2}{id})");

sub pd {
	my ($uid) = @_;
	my @r = T::db_query("SELECT opened_at IS NOT NULL, first_saved_at IS NOT NULL, submitted_at IS NOT NULL,"
		. " active_s, saves, sessions, devices, nets, uas, COALESCE(submit_net, ''), by_own, by_paper,"
		. " TIMESTAMPDIFF(SECOND, opened_at, NOW()) FROM paradata WHERE form = 'sme' AND user_id = $uid");
	return undef unless @r;
	my %h;
	@h{qw(opened saved submitted active saves sessions devices nets uas submit_net own paper age)} = @{ $r[0] };
	$h{"n_$_"} = scalar grep { length } split /,/, $h{$_} for qw(sessions devices nets uas);
	return \%h;
}
sub back { my ($uid, $s) = @_;
	T::db_query("UPDATE paradata SET last_at = NOW() - INTERVAL $s SECOND WHERE form = 'sme' AND user_id = $uid") }

# ------------------------------------------------ the device cookie
my $ua = T::new_agent(local_address => '127.0.62.10');
my $res = $ua->get('/login');
my $dev = $ua->cookie('dev');
like $dev // '', qr/^[0-9a-f]{32}$/, 'the login page gives the browser a device cookie';
my $attrs = $ua->jar->attrs('dev')->{raw} // '';
like $attrs, qr/HttpOnly/i, '... HttpOnly';
like $attrs, qr/Max-Age=3456\d{4}/, '... kept for 400 days';
$res = $ua->login($sme->{username}, $sme->{password});
ok $ua->logged_in, 'login';
is $ua->cookie('dev'), $dev, '... the cookie stays the same';
is T::db_value("SELECT COUNT(*) FROM device_accounts WHERE user_id = $sme->{id}"), 1,
	'the sign-in records the browser for the account';

# ------------------------------------------------ opened, saved, active time
is pd($sme->{id}), undef, 'no paradata before the form is opened';
$res = $ua->get('/form/sme');
is $res->{status}, 200, 'the form opens';
my $p = pd($sme->{id});
ok $p && $p->{opened} && !$p->{saved}, 'the first GET records the opening, nothing saved yet';
my $csrf = T::csrf_from($res->{text});
back($sme->{id}, 90);
$res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => $csrf, version => 0, action => 'save' ]);
is $res->{status}, 303, 'a draft is saved';
$p = pd($sme->{id});
ok $p->{saved}, 'first save recorded';
is $p->{saves}, 1, 'one save';
cmp_ok $p->{active}, '>=', 90, 'the 90 s since the opening are active time';
cmp_ok $p->{active}, '<', 100, '... and not more';
is_deeply [ @$p{qw(n_sessions n_devices n_nets own paper)} ], [ 1, 1, 1, 1, 0 ],
	'one session, one browser, one network, typed through the own account';
like $p->{uas}, qr/^other$/, 'the browser family (this agent is none of the known ones)';

back($sme->{id}, 400);
is $ua->get('/form/sme/alive')->{status}, 204, 'keep-alive after a 400 s pause';
my $after = pd($sme->{id});
is $after->{active}, $p->{active}, '... the pause (over 5 minutes) is not counted';
back($sme->{id}, 120);
$ua->get('/form/sme/alive');
my $ping = pd($sme->{id});
cmp_ok $ping->{active} - $after->{active}, '>=', 120, 'a keep-alive 2 minutes after the last one adds them';
cmp_ok $ping->{active} - $after->{active}, '<', 130, '... and no more';
back($sme->{id}, 30);
$res = $ua->post('/form/sme/autosave', [ csrf => $csrf, fields => 'q1_name', q1_name => '自动保存' ]);
is $res->{status}, 200, 'autosave';
$p = pd($sme->{id});
cmp_ok $p->{active} - $ping->{active}, '>=', 30, 'the autosave adds its 30 s';
is $p->{saves}, 2, 'saves and autosaves are counted';

# ------------------------------------------------ a second browser on another network
my $ua2 = T::new_agent(local_address => '127.0.63.20');
$ua2->login($sme->{username}, $sme->{password});
ok $ua2->logged_in, 'the same account logs in from another browser and network';
my $page = $ua2->get('/form/sme');
my $ver = T::db_value("SELECT version FROM responses WHERE form = 'sme' AND user_id = $sme->{id}");
$res = $ua2->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => T::csrf_from($page->{text}),
	version => $ver, action => 'submit', confirm => 1 ]);
is $res->{status}, 303, 'submitted from there';
$p = pd($sme->{id});
is_deeply [ @$p{qw(n_sessions n_devices n_nets)} ], [ 2, 2, 2 ], 'two sessions, two browsers, two networks';
ok $p->{submitted}, 'the submit is recorded';
my @nets = split /,/, $p->{nets};
is $p->{submit_net}, $nets[1], "... with the submit's network";
like $p->{nets}, qr/^[0-9a-f]{16},[0-9a-f]{16}$/, 'networks are 16-hex-digit hashes';
my $all = join ' ', map { join ' ', map { $_ // '' } @$_ } T::db_query("SELECT * FROM paradata WHERE user_id = $sme->{id}");
unlike $all, qr/127\.0\.|\Q$dev\E/, 'no address and no cookie value is stored';

# Same /24, another address: the same network.
my $ua3 = T::new_agent(local_address => '127.0.63.99');
$ua3->login($acc->{sme2}{username}, $acc->{sme2}{password});
$page = $ua3->get('/form/sme');
$ua3->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => T::csrf_from($page->{text}),
	version => 0, action => 'save' ]);
is pd($acc->{sme2}{id})->{nets}, $nets[1], 'another address of the same /24 is the same network';

# ------------------------------------------------ the region's paper entry
my $reg = Forms::login_as($acc->{region});
$page = $reg->get("/form/sme?for=$acc->{sme2}{id}");
is $page->{status}, 200, 'the region opens the paper entry';
$ver = T::db_value("SELECT version FROM responses WHERE form = 'sme' AND user_id = $acc->{sme2}{id}");
$res = $reg->post("/form/sme?for=$acc->{sme2}{id}", [ @{ Forms::post_params($f, $vals) },
	csrf => T::csrf_from($page->{text}), version => $ver, action => 'save' ]);
is $res->{status}, 303, '... and saves';
$p = pd($acc->{sme2}{id});
is_deeply [ @$p{qw(own paper)} ], [ 1, 1 ], 'typed both through the own account and by the paper entry';

# ------------------------------------------------ found by its key
# The save's UPDATE, the rules' facts at each submit and the review page
# join paradata to responses on (form, user_id): its primary key must serve
# that join, or every save reads (and locks) the whole table.
{
	my $rid = T::db_value("SELECT id FROM responses WHERE form = 'sme' AND user_id = $acc->{sme2}{id}");
	my @plan = T::db_query("EXPLAIN UPDATE responses r LEFT JOIN paradata p ON p.form = r.form AND p.user_id = r.user_id"
		. " SET r.version = r.version, p.saves = p.saves WHERE r.id = $rid");
	my ($prow) = grep { $_->[2] eq 'p' } @plan;
	like $prow->[5] // 'NULL', qr/\bPRIMARY\b/, "the save's join finds the paradata row by its primary key"
		or diag explain \@plan;
	is T::db_value("SELECT COUNT(DISTINCT CHARACTER_SET_NAME, COLLATION_NAME) FROM information_schema.COLUMNS"
		. " WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME = 'form' AND TABLE_NAME IN ('responses', 'paradata')"), 1,
		'... paradata.form has the character set and collation of responses.form';
}

# ------------------------------------------------ the redemption of a code
my $CODE = 'T62PXQDE2345ABCD';
T::db_query("DELETE FROM sample_units WHERE region_code = '$R'");
T::db_query("DELETE FROM samples WHERE region_code = '$R'");
T::db_query("INSERT INTO samples (region_code, kind, method) VALUES ('$R', 'sme', 'uploaded')");
my $sid = T::db_value("SELECT id FROM samples WHERE region_code = '$R' AND kind = 'sme'");
T::db_query("INSERT INTO sample_units (sample_id, region_code, form, stratum, name, role, position, status,"
	. " code_lookup) VALUES ($sid, '$R', 'sme', 'sme', '码注册企业', 'selected', 1, 'active', UNHEX(SHA2('$CODE', 256)))");
my $ur = T::new_agent(local_address => '127.0.62.11');
$res = $ur->get("/register?code=$CODE");
like $ur->cookie('dev') // '', qr/^[0-9a-f]{32}$/, 'the registration page gives a device cookie';
my $pw = 'Paradata-Test-Pass-2013';
$res = $ur->post('/register', [ csrf => T::csrf_from($res->{text}), action => 'code', code => $CODE,
	contact => '王五', phone => '010-62626262', email => 'p@example.com', pw_mode => 'own',
	password => $pw, password2 => $pw ]);
is $res->{status}, 303, 'registered with the code';
my $uid = T::db_value("SELECT user_id FROM sample_units WHERE region_code = '$R'");
my @rp = T::db_query("SELECT region_code, form, net, device, with_code FROM reg_paradata WHERE user_id = $uid");
is_deeply [ @{ $rp[0] }[0, 1, 2, 4] ], [ $R, 'sme', $nets[0], 1 ],
	'the redemption is recorded: region, form, the network (same /24 as the first login), with a code';
is T::db_value("SELECT COUNT(*) FROM device_accounts WHERE user_id = $uid AND device = " . T::sql_quote($rp[0][3])), 1,
	'... and the browser behind the new account';

# ------------------------------------------------ purge
my $cli = T::bindir() . '/smesurvey-admin';
my $conf = T::conf_path();
my $out = `'$cli' --conf '$conf' purge --paradata 2>&1`;
is $?, 0, 'purge --paradata' or diag $out;
is T::db_value("SELECT (SELECT COUNT(*) FROM paradata) + (SELECT COUNT(*) FROM reg_paradata)"
	. " + (SELECT COUNT(*) FROM device_accounts)"), 0, '... leaves no paradata';
like $out, qr/paradata/, '... and says what it removed';

done_testing;
