#!/usr/bin/perl
# 41-audit-chinese.t - the audit log reads in Chinese (issue 23 item 9):
# every action the programs write has a Chinese name on /admin/audit, and
# the details ("form=sme region=all status=submitted format=csv rows=4")
# are written out with Chinese names for their keys and codes; the stored
# codes stay in the rows' data-* attributes. The export's status column is
# 已提交/草稿 (40-admin.t checks the CSV). The web server's own error pages
# (404, 413, 50x) are Chinese pages from htdocs/errors/.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $tag = 't41-' . time;
my %rows = (
	export => "form=sme region=all status=submitted format=csv rows=4",
	followup => "region=110000 unit=12 outcome=refused note=$tag 不再参加",
	'slips-print' => "stratum=all unit=0 n=15",
	'paper-account' => "unit=7 username=sme-110000-7 paper=1",
	'sample-draw' => "cli operator=root region=110000 kind=resource sample=3 seed=00c0ffee algo=1 frame=2 checksum=ab quota=5/10/100",
	'sample-replace' => "region=110000 unit=4 name=某某 公司 reserve=9 reserve_name=备选公司 position=6 reason=已注销 $tag",
	'aggregates-rebuild' => "responses=3",
	'import-accounts' => "charset=utf8 accounts=4",
	'password-reset' => "user=bj-hub role=hub",
	'flag-review' => "response=5 decision=accepted note=$tag",
);
for my $a (sort keys %rows) {
	T::db_query("INSERT INTO audit_log (action, detail, ip) VALUES (" . T::sql_quote($a) . ', '
		. T::sql_quote($rows{$a}) . ", '127.0.0.41')");
}
my $admin = T::demo_login('admin');
my %cells;
for my $a (sort keys %rows) {
	my $page = $admin->get('/admin/audit?action=' . $a)->{text};
	my ($tr) = $page =~ m{(<tr data-id="\d+" data-action="\Q$a\E".*?</tr>)}s;
	ok $tr, "$a: listed (and offered in the filter)" or next;
	my @td = map { s/<[^>]+>//gr } $tr =~ m{<td[^>]*>(.*?)</td>}sg;
	$cells{$a} = [ $td[4], $td[5] ];
	unlike $td[4], qr/[a-z]/, "$a: the action is named in Chinese ($td[4])";
}
is $cells{export}[1], '调查表：中小企业调查表；地区：全部；状态：已提交；格式：CSV；行数：4', 'export details written out';
like $cells{followup}[1], qr/^地区：110000；单位编号：12；结果：拒绝；备注：\Q$tag\E 不再参加$/, 'followup: the outcome named, the note as written';
is $cells{'slips-print'}[1], '抽样层：全部；单位编号：0；份数：15', 'slips-print';
is $cells{'password-reset'}[1], '用户：bj-hub；角色：地区枢纽平台', 'a role named';
like $cells{'flag-review'}[1], qr/^答卷编号：5；审核结论：已接受/, 'an integrity decision named';
is $cells{'paper-account'}[1], '单位编号：7；用户名：sme-110000-7；纸质表代录：是', 'paper-account';
like $cells{'sample-draw'}[1], qr/^命令行操作；操作系统用户：root；地区：110000；类别：服务资源单位；样本编号：3；随机种子：00c0ffee/, 'a CLI row';
like $cells{'sample-replace'}[1], qr/单位名称：某某 公司；递补单位编号：9；递补单位名称：备选公司；顺位：6；原因：已注销 \Q$tag\E$/,
	'a value with a space stays whole';
{
	my $page = $admin->get('/admin/audit?action=export')->{text};
	like $page, qr{<td data-detail="form=sme region=all status=submitted format=csv rows=4">}, 'the stored detail stays in data-detail';
}
T::db_query("DELETE FROM audit_log WHERE ip = '127.0.0.41'");

# The web server's own error pages are Chinese too (a missing static file
# here; a program not answering and an oversized body get theirs).
{
	my $res = T::new_agent()->get('/static/no-such-file-41.css');
	is $res->{status}, 404, 'a missing static file: 404';
	like $res->{text}, qr{<html lang="zh-CN">.*<h1>页面不存在</h1>}s, '... with a Chinese page';
	unlike $res->{text}, qr/Not Found|nginx|Apache/, '... not the web server\'s English one';
	my $app = $admin->get('/admin/responses/view?id=999999999');
	is $app->{status}, 404, 'a program\'s own 404';
	unlike $app->{text}, qr{您要找的页面或文件不存在}, '... passes through with its own message';
}
done_testing;
