#!/usr/bin/perl
# 41-regions.t - regions are data the ministry imports (issue 23 item 7):
# `smesurvey-admin import-regions FILE` creates regions (GB/T 2260 code,
# name, help phone) from a GB18030 CSV with Chinese headings, a re-import
# updates them, an empty phone keeps the stored one, every change is
# audited with the old values, a file with a bad line writes nothing,
# --dry-run writes nothing; the ministry changes a help phone on
# /admin/regions/phone (admin only, CSRF, an error at the field keeping
# what was typed, a confirmation step, an audit row), the viewer reads
# the list only.
#
# Uses the regions 540000 and 660000 (not in the demo data), removed after.
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
my $tmp = tempdir(CLEANUP => 1);

sub cleanup {
	T::db_query("DELETE FROM regions WHERE code IN ('540000', '660000')");
	T::db_query("DELETE FROM audit_log WHERE action IN ('region-import', 'region-phone')"
		. " AND (detail LIKE '%region=540000 %' OR detail LIKE '%region=660000 %')");
}
sub cli {
	my @args = @_;
	my $out = `'$cli' --conf '$conf' @args 2>&1`;
	return ($? >> 8, Encode::decode('UTF-8', $out));
}
# A CSV as the ministry's Excel saves it: GB18030.
sub gb_csv {
	my ($name, $text) = @_;
	open my $fh, '>:encoding(UTF-8)', "$tmp/u.csv" or die $!;
	print $fh $text;
	close $fh;
	system("iconv -f UTF-8 -t GB18030 '$tmp/u.csv' > '$tmp/$name'") == 0 or die 'iconv failed';
	return "$tmp/$name";
}
sub region { my ($c) = @_; my @r = T::db_query("SELECT name, help_phone FROM regions WHERE code = '$c'"); return $r[0] ? "$r[0][0]|" . ($r[0][1] // '') : undef }
sub audits { my ($c) = @_; return T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'region-import' AND detail LIKE '%region=$c %'") }
cleanup();

# ------------------------------------------------------------ import-regions
my ($rc, $out) = cli('import-regions', gb_csv('r1.csv', "代码,名称,咨询电话\r\n540000,西藏自治区,0891-6333333\r\n660000,新疆生产建设兵团,\r\n"));
is $rc, 0, 'import-regions: two new regions imported' or diag $out;
like $out, qr/2 regions: 2 created, 0 updated, 0 unchanged/, '... reported';
is region('540000'), '西藏自治区|0891-6333333', 'code, name and help phone stored';
is region('660000'), '新疆生产建设兵团|', '... a region without a phone';
is audits('540000'), 1, 'the creation is audited';

($rc, $out) = cli('import-regions', gb_csv('r2.csv', "code,name,help_phone\r\n540000,西藏自治区,\r\n660000,新疆生产建设兵团,0991-2222222\r\n"));
is $rc, 0, 're-import';
like $out, qr/2 regions: 0 created, 1 updated, 1 unchanged/, '... one updated, one unchanged';
is region('540000'), '西藏自治区|0891-6333333', 'an empty phone keeps the stored one';
is region('660000'), '新疆生产建设兵团|0991-2222222', 'a phone updated';
like T::db_value("SELECT detail FROM audit_log WHERE action = 'region-import' AND detail LIKE '%region=660000 %' ORDER BY id DESC LIMIT 1"),
	qr/help_phone=0991-2222222 updated was name=新疆生产建设兵团 help_phone=$/, 'the update is audited with the old values';
is audits('540000'), 1, 'an unchanged region leaves no audit row';

($rc, $out) = cli('import-regions', gb_csv('bad.csv', "代码,名称,咨询电话\r\n540000,西藏,0891-6999999\r\n12345,某地,\r\n660000,,\r\n540000,重复,\r\n660000,兵团,0891-1\r\n"));
is $rc, 1, 'a file with bad lines: exit 1';
like $out, qr/line 3: code must be a GB\/T 2260 code/, 'a bad code named with its line';
like $out, qr/line 4: name must be/, 'an empty name';
like $out, qr/line 5: the code is already in an earlier line/, 'a doubled code';
like $out, qr/line 6: help_phone/, 'a bad phone';
unlike $out, qr/line 2:/, 'the good line is not blamed';
is region('540000'), '西藏自治区|0891-6333333', 'nothing written';

($rc, $out) = cli('import-regions', '--dry-run', gb_csv('dry.csv', "code,name\r\n540000,西藏\r\n"));
is $rc, 0, '--dry-run';
like $out, qr/1 updated.*dry run/s, '... says what it would do';
is region('540000'), '西藏自治区|0891-6333333', '... and writes nothing';

# ------------------------------------------------------------ the ministry's page
my $V = T::demo_login('viewer');
my $r = $V->get('/admin/regions');
is $r->{status}, 200, 'the viewer reads the regions';
like $r->{text}, qr{<td>540000</td><td>西藏自治区</td><td>0891-6333333</td>}, '... with their phones';
unlike $r->{text}, qr{/admin/regions/phone}, '... without edit links';
is $V->get('/admin/regions/phone?code=540000')->{status}, 403, 'the viewer cannot open the edit page';

my $G = T::demo_login('agency');
is $G->get('/admin/regions')->{status}, 200, 'the evaluation agency reads the regions';
is $G->get('/admin/regions/phone?code=540000')->{status}, 403, '... but cannot change a phone';

my $A = T::demo_login('admin');
$r = $A->get('/admin/regions');
like $r->{text}, qr{<a href="/admin/regions/phone\?code=540000">修改咨询电话</a>}, 'the ministry gets an edit link';
is $A->get('/admin/regions/phone?code=999999')->{status}, 404, 'an unknown region: 404';
$r = $A->get('/admin/regions/phone?code=540000');
is $r->{status}, 200, 'the edit page';
like $r->{text}, qr{<input id="help_phone" name="help_phone" type="tel"[^>]*value="0891-6333333"}, '... with the stored phone';
my $csrf = T::csrf_from($r->{text});

$r = $A->post('/admin/regions/phone', [ code => '540000', help_phone => '0891-6888888', step => 'save' ]);
is $r->{status}, 403, 'no CSRF token: refused';
$r = $V->post('/admin/regions/phone', [ csrf => T::csrf_from($V->get('/admin/regions')->{text}), code => '540000',
	help_phone => '0891-6888888', step => 'save' ]);
is $r->{status}, 403, 'the viewer cannot change a phone';
is region('540000'), '西藏自治区|0891-6333333', '... unchanged';

$r = $A->post('/admin/regions/phone', [ csrf => $csrf, code => '540000', help_phone => '拨打 6333', step => 'check' ]);
is $r->{status}, 422, 'a bad phone: 422';
like $r->{text}, qr{value="拨打 6333" aria-invalid="true" aria-describedby="help_phone-error"><span class="field-error" id="help_phone-error">咨询电话格式不正确},
	'... the message at the field, what was typed kept';

$r = $A->post('/admin/regions/phone', [ csrf => $csrf, code => '540000', help_phone => '0891-6888888', step => 'check' ]);
is $r->{status}, 200, 'a good phone: the confirmation';
like $r->{text}, qr{由“0891-6333333”改为“<strong>0891-6888888</strong>”}, '... old and new number shown';
like $r->{text}, qr{name="step" value="save">确认修改}, '... asked to confirm';
is region('540000'), '西藏自治区|0891-6333333', '... nothing saved yet';

$r = $A->post('/admin/regions/phone', [ csrf => $csrf, code => '540000', help_phone => '0891-6888888', step => 'save' ]);
is $r->{status}, 303, 'confirmed';
like $r->{headers}{location} // '', qr{/admin/regions\?saved=540000$}, '... back to the list';
is region('540000'), '西藏自治区|0891-6888888', 'the phone saved';
like T::db_value("SELECT detail FROM audit_log WHERE action = 'region-phone' ORDER BY id DESC LIMIT 1") // '',
	qr/^region=540000 help_phone=0891-6888888 was=0891-6333333$/, 'audited with the old number';
like $A->get('/admin/regions?saved=540000')->{text}, qr/已保存地区 540000 的咨询电话/, 'the list says so';

cleanup();
done_testing();
