#!/usr/bin/perl
# 81-agency-role.t - the evaluation agency's role (issue 19, item 1): the
# demo agency account lands on its workspace (/agency), reads every page
# the ministry reads (national and per-region pages, indicators, exports,
# responses), and is refused (403, nothing changed) on account management,
# samples and deadlines. Other roles cannot open the workspace.
# import-accounts takes the role without a region and refuses one with it.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $conf = T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my $cli = T::bindir() . '/smesurvey-admin';
-x $cli or BAIL_OUT("$cli is missing: run make first");
my $tmp = tempdir(CLEANUP => 1);

# --------------------------------------------------------- the workspace
my $agency = T::demo_login('agency');
my $res = $agency->get('/agency');
is $res->{status}, 200, 'agency: /agency';
like $res->{text}, qr/评估机构工作台/, '... the workspace';
like $res->{text}, qr{href="/agency"[^>]*>评估工作台}, '... named in the navigation';
like $res->{text}, qr{href="/admin"[^>]*>全国进度}, '... beside the national pages';
unlike $res->{text}, qr{href="/admin/accounts"}, '... but not the accounts page';

for my $role (qw(admin viewer region hub window resource sme)) {
	my $ua = T::demo_login($role);
	is $ua->get('/agency')->{status}, 403, "$role: /agency is 403";
}

# --------------------------------------------------------- what it reads
my $bj = '110000';
my $some_response = T::db_value("SELECT MIN(id) FROM responses") // 0;
for my $path ('/admin', '/admin/progress', '/admin/responses', '/admin/stats?form=sme',
              "/admin/indicators?region=$bj", '/admin/indicators.csv', '/admin/indicators.xlsx',
              '/admin/export', '/admin/export/codebook?form=sme', '/admin/audit',
              "/admin/followups?region=$bj", '/admin/samples', '/admin/deadlines',
              "/admin/export/data?form=sme&region=$bj&format=csv") {
	is $agency->get($path)->{status}, 200, "agency reads $path";
}
SKIP: {
	skip 'no response in the demo data', 1 unless $some_response;
	is $agency->get("/admin/responses/view?id=$some_response")->{status}, 200, 'agency reads a response';
}

# ----------------------------------------------- what it cannot change
my $csrf = $agency->csrf_of('/agency');
ok $csrf, 'agency has a csrf token';
my $sme_uid = T::db_value("SELECT id FROM users WHERE username = 'bj-sme1'");
is $agency->get('/admin/accounts')->{status}, 403, 'agency: accounts page 403';
is $agency->post('/admin/accounts', [ id => $sme_uid, action => 'disable', csrf => $csrf ])->{status}, 403,
	'agency: disabling an account refused';
is T::db_value("SELECT disabled FROM users WHERE id = $sme_uid"), 0, '... still enabled';
my $hash = T::db_value("SELECT pw_hash FROM users WHERE id = $sme_uid");
is $agency->get("/admin/accounts/reset?id=$sme_uid")->{status}, 403, 'agency: password reset page 403';
is $agency->post("/admin/accounts/reset?id=$sme_uid", [ id => $sme_uid, csrf => $csrf ])->{status}, 403,
	'agency: password reset refused';
is T::db_value("SELECT pw_hash FROM users WHERE id = $sme_uid"), $hash, '... password unchanged';

my $overrides = T::db_value('SELECT COUNT(*) FROM deadline_overrides');
my $r = $agency->post('/admin/deadlines', [ action => 'set', form => 'sme', region => $bj,
	due => '2098-01-01 00:00:00', csrf => $csrf ]);
is $r->{status}, 403, 'agency: setting a deadline refused';
like $r->{text}, qr/只有管理员/, '... with a message in Chinese';
is T::db_value('SELECT COUNT(*) FROM deadline_overrides'), $overrides, '... no override written';
unlike $agency->get('/admin/deadlines')->{text}, qr{method="post" action="/admin/deadlines"},
	'agency sees no deadline forms';

my $units = T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = '$bj'");
is $agency->get("/admin/samples/reset?region=$bj&kind=sme")->{status}, 403, 'agency: sample reset page 403';
is $agency->post('/admin/samples/reset', [ csrf => $csrf, region => $bj, kind => 'sme', confirm => 1,
	reason => 'x' ])->{status}, 403, 'agency: sample reset refused';
is T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = '$bj'"), $units, '... sample intact';

# ------------------------------------------------------ import-accounts
sub import_csv {
	my ($body) = @_;
	my $f = "$tmp/acc.csv";
	open my $fh, '>:encoding(UTF-8)', $f or die $!;
	print $fh "username,initial_password,role,region_code,org_name\n$body";
	close $fh;
	my $out = `'$cli' --conf '$conf' import-accounts '$f' 2>&1`;
	return ($? >> 8, $out);
}
T::db_query("DELETE FROM users WHERE username LIKE 't81-%'");   # a rerun on the same stack
my ($rc, $out) = import_csv("t81-agency-bad,T81-Agency-Password,agency,$bj,评估机构\n");
isnt $rc, 0, 'import: an agency account with a region is refused';
like $out, qr/takes no region_code/, '... saying why';
($rc, $out) = import_csv("t81-agency,T81-Agency-Password,agency,,中国国际工程咨询公司\n");
is $rc, 0, 'import: an agency account without a region' or diag $out;
is_deeply [ T::db_query("SELECT role, region_code IS NULL FROM users WHERE username = 't81-agency'") ],
	[ [ 'agency', 1 ] ], '... stored as agency, no region';
my $ua = T::new_agent();
$ua->login('t81-agency', 'T81-Agency-Password');
ok $ua->logged_in, '... and logs in';

done_testing;
