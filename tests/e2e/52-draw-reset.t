#!/usr/bin/perl
# 52-draw-reset.t - a draw that cannot go wrong silently (issue 10):
#   a frame short of a stratum's quota is drawn only with an explicit
#   confirmation stating the consequence (web: confirm_short; CLI:
#   --allow-short), the region may choose an SME sample size of at least the
#   configured minimum (100), and the ministry resets a region's sample and
#   frame: as admin on /admin/samples/reset (confirmed; a reason required once
#   units registered through their codes; codes revoked; audit row) and with
#   `smesurvey-admin reset-sample`; a region or a viewer is refused.
#
# Uses its own regions T52A01, T52B01 and accounts t52-*.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp qw(tempdir);
use Encode ();
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $conf = T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my $cli = T::bindir() . '/smesurvey-admin';
-x $cli or BAIL_OUT("$cli is missing: run make first");
my $tmp = tempdir(CLEANUP => 1);

my @regions = ([ 'T52A01', '测试五二甲省' ], [ 'T52B01', '测试五二乙省' ]);
my $in = join ',', map { T::sql_quote($_->[0]) } @regions;
sub cleanup {
	T::db_query("UPDATE sample_units SET user_id = NULL WHERE region_code IN ($in)");
	T::db_query("DELETE su FROM sample_units su JOIN samples s ON s.id = su.sample_id WHERE s.region_code IN ($in)");
	T::db_query("DELETE FROM samples WHERE region_code IN ($in)");
	T::db_query("DELETE FROM revoked_codes WHERE region_code IN ($in)");
	T::db_query("DELETE FROM frames WHERE region_code IN ($in)");
	T::db_query("DELETE FROM users WHERE username LIKE 't52-%'");
}
cleanup();
T::db_query('INSERT IGNORE INTO regions (code, name, help_phone) VALUES ' .
	join ',', map { '(' . T::sql_quote($_->[0]) . ',' . T::sql_quote($_->[1]) . ", '0952-5252520')" } @regions);

my $pw = 'T52-Region-A-pass';
{
	my $f = "$tmp/accounts.csv";
	open my $fh, '>:encoding(UTF-8)', $f or die $!;
	print $fh "username,initial_password,role,region_code,org_name,form\n",
		"t52-a,$pw,region,T52A01,测试五二甲省经信委,selfeval\n",
		"t52-sme,T52-Sme-Account-pass,sme,T52A01,测试五二企业,sme\n";
	close $fh;
	my $out = `'$cli' --conf '$conf' import-accounts '$f' 2>&1`;
	is $? >> 8, 0, 'test accounts imported' or diag $out;
}
sub cli {
	my @args = @_;
	my $out = `'$cli' --conf '$conf' @args 2>&1`;
	return ($? >> 8, Encode::decode('UTF-8', $out));
}
sub write_csv {
	my ($name, $text) = @_;
	open my $fh, '>:encoding(UTF-8)', "$tmp/$name" or die $!;
	print $fh $text;
	close $fh;
	return "$tmp/$name";
}
# 3 hub units (quota 5) and 12 window units: the hub stratum is short.
my $short = "名称,组织平台\n";
$short .= "枢纽机构$_,枢纽平台\n" for 1 .. 3;
$short .= "窗口机构$_,某市窗口平台\n" for 1 .. 12;
my $short_csv = write_csv('short.csv', $short);
my $sme = "企业名称\n";
$sme .= sprintf "五二企业%03d有限公司\n", $_ for 1 .. 130;
my $sme_csv = write_csv('sme.csv', $sme);

my ($rc, $out) = cli('import-frame', 'T52A01', 'resource', $short_csv);
is $rc, 0, 'short resource frame imported (CLI)' or diag $out;
($rc, $out) = cli('import-frame', 'T52A01', 'sme', $sme_csv);
is $rc, 0, 'SME frame of 130 imported (CLI)' or diag $out;

my $A = T::new_agent();
$A->login('t52-a', $pw);
ok $A->logged_in, 'region logs in';

# ------------------------------------------------------ the short draw
my $page = $A->get('/region/sample')->{text};
like $page, qr/地区枢纽平台只有 3 家，少于应抽的 5 家/, 'the draw page names the short stratum';
like $page, qr/name="confirm_short" value="1" required/, '... and asks for a confirmation';
like $page, qr/没有备选单位，抽样结果不能再更改/, '... stating the consequence';
my $csrf = $A->csrf_of('/region/sample');
my $r = $A->post('/region/sample', [ csrf => $csrf, action => 'draw', kind => 'resource', seed => '52', confirm => 1 ]);
is $r->{status}, 409, 'a short frame cannot be drawn without the confirmation (409)';
like $r->{text}, qr/样本框不足：地区枢纽平台只有 3 家，少于应抽的 5 家/, '... the message says which stratum';
like $r->{text}, qr/只能由工业和信息化部重置/, '... and what it means';
is T::db_value("SELECT COUNT(*) FROM samples WHERE region_code = 'T52A01' AND kind = 'resource'"), 0,
	'... nothing stored';
$r = $A->post('/region/sample', [ csrf => $csrf, action => 'draw', kind => 'resource', seed => '52', confirm => 1,
	confirm_short => 1 ]);
is $r->{status}, 303, 'with the confirmation the short frame is drawn';
is T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = 'T52A01' AND stratum = 'hub'"
	. " AND role = 'selected'"), 3, '... every hub unit selected';
like T::db_value("SELECT detail FROM audit_log WHERE action = 'sample-draw' AND detail LIKE 'region=T52A01 kind=resource%'"),
	qr/short-confirmed=hub:3\/5/, '... the audit row records the confirmed shortfall';

# ------------------------------------------------------ SME sample size
$page = $A->get('/region/sample')->{text};
like $page, qr/name="sme_n" value="100" min="100"/, 'SME sample size offered, at least 100';
$r = $A->post('/region/sample', [ csrf => $csrf, action => 'draw', kind => 'sme', seed => '52', confirm => 1, sme_n => 99 ]);
is $r->{status}, 400, 'an SME sample size below 100 is refused';
like $r->{text}, qr/中小企业抽样数量应为 100 至/, '... with a message';
$r = $A->post('/region/sample', [ csrf => $csrf, action => 'draw', kind => 'sme', seed => '52', confirm => 1, sme_n => 120 ]);
is $r->{status}, 303, 'SMEs drawn with a sample size of 120';
is T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = 'T52A01' AND form = 'sme' AND role = 'selected'"),
	120, '... 120 selected';
is T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = 'T52A01' AND form = 'sme' AND role = 'reserve'"),
	10, '... the other 10 on the reserve list';

# ------------------------------------------------------ CLI short draw
($rc, $out) = cli('import-frame', 'T52B01', 'resource', $short_csv);
is $rc, 0, 'short frame imported for region B';
($rc, $out) = cli('draw', 'T52B01', 'resource', '--seed', '52');
is $rc, 1, 'CLI draw of a short frame without --allow-short: exit 1';
like $out, qr/hub stratum has 3 units, fewer than its quota of 5/, '... saying why';
is T::db_value("SELECT COUNT(*) FROM samples WHERE region_code = 'T52B01'"), 0, '... nothing stored';
($rc, $out) = cli('draw', 'T52B01', 'resource', '--seed', '52', '--allow-short');
is $rc, 0, 'with --allow-short: drawn' or diag $out;

# ------------------------------------------------------ reset refused
$r = $A->get('/admin/samples');
is $r->{status}, 403, 'a region cannot open /admin/samples';
$r = $A->post('/admin/samples/reset', [ csrf => $csrf, region => 'T52A01', kind => 'resource', confirm => 1,
	reason => 'x' ]);
is $r->{status}, 403, 'a region cannot reset its sample';
is T::db_value("SELECT COUNT(*) FROM samples WHERE region_code = 'T52A01' AND kind = 'resource'"), 1,
	'... the sample is still there';
{
	my $viewer = T::demo_login('viewer');
	is $viewer->get('/admin/samples')->{status}, 200, 'a viewer sees /admin/samples';
	is $viewer->get('/admin/samples/reset?region=T52A01&kind=resource')->{status}, 403,
		'... but not the reset page';
}

# ------------------------------------------------------ reset as admin
# One unit registered through its code, one more with a printed code.
my $sme_uid = T::db_value("SELECT id FROM users WHERE username = 't52-sme'");
my @hub = map { $_->[0] } T::db_query("SELECT id FROM sample_units WHERE region_code = 'T52A01'"
	. " AND stratum = 'hub' ORDER BY position");
T::db_query("UPDATE sample_units SET user_id = $sme_uid, code_lookup = UNHEX(SHA2('t52-code-1', 256)),"
	. " registered_at = NOW() WHERE id = $hub[0]");
T::db_query("UPDATE sample_units SET code_lookup = UNHEX(SHA2('t52-code-2', 256)) WHERE id = $hub[1]");

my $admin = T::demo_login('admin');
$r = $admin->get('/admin/samples');
is $r->{status}, 200, 'admin: /admin/samples';
like $r->{text}, qr{T52A01 测试五二甲省}, '... lists the region';
like $r->{text}, qr{href="/admin/samples/reset\?region=T52A01&amp;kind=resource"}, '... with a reset link';
$r = $admin->get('/admin/samples/reset?region=T52A01&kind=resource');
is $r->{status}, 200, 'reset page';
like $r->{text}, qr/此操作不可撤销/, '... warns that it cannot be undone';
like $r->{text}, qr/其中 1 家已通过邀请码注册/, '... counts the registered unit';
like $r->{text}, qr/name="reason" maxlength="200" required/, '... and then requires a reason';
my $acsrf = T::csrf_from($r->{text});
$r = $admin->post('/admin/samples/reset', [ csrf => $acsrf, region => 'T52A01', kind => 'resource', reason => 'x' ]);
is $r->{status}, 422, 'reset without the confirmation box: 422';
$r = $admin->post('/admin/samples/reset', [ csrf => $acsrf, region => 'T52A01', kind => 'resource', confirm => 1 ]);
is $r->{status}, 422, 'reset of a sample with a registered unit without a reason: 422';
like $r->{text}, qr/请填写重置原因/, '... asks for the reason';
is T::db_value("SELECT COUNT(*) FROM samples WHERE region_code = 'T52A01' AND kind = 'resource'"), 1,
	'... nothing reset';
$r = $admin->post('/admin/samples/reset', [ csrf => $acsrf, region => 'T52A01', kind => 'resource', confirm => 1,
	reason => '组织平台列填写有误，枢纽平台被识别为窗口平台' ]);
is $r->{status}, 303, 'reset with a reason: 303';
is T::db_value("SELECT COUNT(*) FROM samples WHERE region_code = 'T52A01' AND kind = 'resource'"), 0,
	'... the sample is gone';
is T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = 'T52A01' AND form = 'resource'"), 0,
	'... with its units';
is T::db_value("SELECT COUNT(*) FROM frames WHERE region_code = 'T52A01' AND kind = 'resource'"), 0,
	'... and its frame';
is T::db_value("SELECT COUNT(*) FROM samples WHERE region_code = 'T52A01' AND kind = 'sme'"), 1,
	'... the SME sample untouched';
is T::db_value("SELECT COUNT(*) FROM revoked_codes WHERE region_code = 'T52A01' AND reason = 'reset'"
	. " AND code_lookup IN (UNHEX(SHA2('t52-code-1', 256)), UNHEX(SHA2('t52-code-2', 256)))"), 2,
	'... its printed codes revoked';
my $audit = T::db_value("SELECT detail FROM audit_log WHERE action = 'sample-reset'"
	. " AND detail LIKE 'region=T52A01 kind=resource%' ORDER BY id DESC LIMIT 1");
ok $audit, 'audit row sample-reset';
like $audit // '', qr/registered=1 codes_revoked=2 frames=1 reason=组织平台列填写有误/, '... with counts and the reason';
is T::db_value("SELECT COUNT(*) FROM users WHERE id = $sme_uid"), 1, 'the registered account stays';
# The region stays on /admin/samples, its resource sample shown as not
# drawn (issue 23 item 10), its SME sample as before.
$r = $admin->get('/admin/samples');
like $r->{text}, qr{<tr data-region="T52A01" data-kind="resource" data-sampled="0"><td>T52A01 测试五二甲省</td>.*?未抽样}s,
	'after the reset the region stays on /admin/samples, its resource sample 未抽样';
unlike $r->{text}, qr{href="/admin/samples/reset\?region=T52A01&amp;kind=resource"}, '... without a reset link';
like $r->{text}, qr{<tr data-region="T52A01" data-kind="sme" data-sampled="1">}, '... its SME sample still listed';
$page = $A->get('/region/sample')->{text};
like $page, qr/尚未抽样。请先在<a href="\/region\/frames">样本框<\/a>页面导入样本框/,
	'the region can import a frame and draw again';
($rc, $out) = cli('import-frame', 'T52A01', 'resource', $short_csv);
is $rc, 0, '... a new frame is accepted';

# ------------------------------------------------------ CLI reset
($rc, $out) = cli('reset-sample', 'T52B01', 'resource');
is $rc, 0, 'CLI reset-sample of a sample nobody registered from: no reason needed' or diag $out;
like $out, qr/reset/, '... says so';
like T::db_value("SELECT detail FROM audit_log WHERE action = 'sample-reset'"
	. " AND detail LIKE 'cli operator=%region=T52B01 kind=resource%' ORDER BY id DESC LIMIT 1") // '',
	qr/units=15 registered=0/, '... audit row sample-reset';
($rc, $out) = cli('reset-sample', 'T52B01', 'resource');
is $rc, 1, 'CLI reset-sample without a sample: exit 1';
T::db_query("UPDATE sample_units SET user_id = $sme_uid WHERE region_code = 'T52A01' AND form = 'sme'"
	. " AND role = 'selected' AND position = 1");
($rc, $out) = cli('reset-sample', 'T52A01', 'sme');
is $rc, 1, 'CLI reset-sample with a registered unit and no --reason: exit 1';
like $out, qr/give --reason/, '... asks for --reason';
($rc, $out) = cli('reset-sample', 'T52A01', 'sme', '--reason', "'样本量设置错误'");
is $rc, 0, 'with --reason: reset' or diag $out;
like T::db_value("SELECT detail FROM audit_log WHERE action = 'sample-reset'"
	. " AND detail LIKE 'cli operator=%region=T52A01 kind=sme%' ORDER BY id DESC LIMIT 1") // '',
	qr/registered=1 .*reason=样本量设置错误/, '... audit row with the reason';

cleanup();
done_testing();
