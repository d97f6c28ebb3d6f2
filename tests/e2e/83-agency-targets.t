#!/usr/bin/perl
# 83-agency-targets.t - approved targets (issue 19, item 3): the import page
# explains its header (from targets.tsv); a file with errors is refused as a
# whole, each error with its line; a CSV and an XLSX (written by openpyxl)
# import, and an old .xls (Spreadsheet::WriteExcel, read by FreeXL in a
# limited child like the frames); a .docx renamed to .xlsx is refused in
# words; completion = actual / approved, the actual from the region's
# submitted self-evaluation (windows, service organisations) or from the
# import's *_actual columns (investment, funds); a re-import replaces.
# Uses its own regions T83A01, T83B01.
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

T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my $tmp = tempdir(CLEANUP => 1);

T::db_query("INSERT IGNORE INTO regions (code, name) VALUES ('T83A01', '测试八三甲省'), ('T83B01', '测试八三乙省')");
T::db_query("DELETE FROM region_targets WHERE region_code IN ('T83A01', 'T83B01')");
# A submitted self-evaluation of T83A01: 6 + 2 windows, 30 + 15 signed organisations.
{
	my $uid = T::db_value("SELECT id FROM users WHERE username = 'agency'");
	T::db_query("DELETE a FROM answers a JOIN responses p ON p.id = a.response_id WHERE p.region_code = 'T83A01'");
	T::db_query("DELETE FROM responses WHERE region_code = 'T83A01'");
	T::db_query("INSERT INTO responses (form, user_id, region_code, status, valid, version, submitted_at)"
		. " VALUES ('selfeval', $uid, 'T83A01', 'submitted', 1, 1, NOW())");
	my $rid = T::db_value("SELECT id FROM responses WHERE region_code = 'T83A01'");
	T::db_query("INSERT INTO answers (response_id, code, value) VALUES ($rid, 'p1_2_1_win_comp_count', '6'),"
		. " ($rid, 'p1_2_1_win_ind_count', '2'), ($rid, 'p2_4_2_hub_signed', '30'), ($rid, 'p2_4_2_win_signed', '15')");
}

my $agency = T::demo_login('agency');
my $res = $agency->get('/agency/targets');
is $res->{status}, 200, 'the targets page';
like $res->{text}, qr{<code>region_code,windows,orgs,invest,invest_actual,fund_central,fund_central_actual,fund_local,fund_local_actual,fund_self,fund_self_actual</code>},
	'... explains the header, from targets.tsv';
like $res->{text}, qr{<code>invest_actual</code>：截至 2013 年 9 月底已完成的项目总投资}, '... and each column';

my $head = "region_code,windows,orgs,invest,invest_actual,fund_central,fund_central_actual\n";
sub import_file {
	my ($name, $bytes) = @_;
	my $csrf = T::csrf_from($agency->get('/agency/targets')->{text});
	return $agency->post_multipart('/agency/targets', [ csrf => $csrf,
		file => { filename => $name, content => $bytes } ]);
}
sub count { return T::db_value("SELECT COUNT(*) FROM region_targets WHERE region_code IN ('T83A01', 'T83B01')") }

# ------------------------------------------------------------- refused
$res = import_file('t.csv', "region_code,windows,bogus\nT83A01,10,1\n");
is $res->{status}, 422, 'an unknown column is refused';
like $res->{text}, qr{<li>第 1 行：表头“bogus”不是导入说明中的列名</li>}, '... naming it and its line';
$res = import_file('t.csv', $head . "T83A01,10,-1,,,,\nT83X99,1,1,1,1,1,1\nT83B01,abc,1,1,1,1,1\nT83A01,1,1,1,1,1,1\n");
is $res->{status}, 422, 'bad rows are refused';
like $res->{text}, qr{<li>第 2 行：“-1”不是不小于 0、最多两位小数的数</li>}, '... a negative number';
like $res->{text}, qr{<li>第 3 行：地区代码“T83X99”不存在</li>}, '... an unknown region';
like $res->{text}, qr{<li>第 4 行：“abc”不是}, '... not a number';
like $res->{text}, qr{<li>第 5 行：地区代码“T83A01”在文件中出现了不止一次</li>}, '... a region twice';
like $res->{text}, qr{id="e-file"}, '... at the file field';
is count(), 0, '... and nothing is written';
$res = import_file('t.doc', "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" . ("\0" x 100));
is $res->{status}, 422, 'a .doc is refused';
like $res->{text}, qr/无法读取此 Excel 文件：不是有效的 Excel（\.xls）文件/, '... saying what it is not';
# A Word document (a zip with word/document.xml) renamed to .xlsx: a zip,
# but no workbook.
my $docx = T::zip_of('word/document.xml' => '<w:document/>', '[Content_Types].xml' => '<Types/>');
$res = import_file('targets.xlsx', $docx);
is $res->{status}, 422, 'a .docx renamed to .xlsx is refused';
like $res->{text}, qr{<div class="field-error" id="e-file">这个文件不是 Excel 工作簿：其中没有工作表（可能是 Word 文档或其他压缩包）},
	'... in words, at the file field';
is count(), 0, '... and nothing is written';

# --------------------------------------------------------------- a CSV
$res = import_file('targets.csv', $head . "T83A01,10,50,1000,800.5,300,300\n");
is $res->{status}, 303, 'a CSV imports';
is_deeply [ T::db_query("SELECT code, COALESCE(approved, '-'), COALESCE(reported, '-') FROM region_targets"
	. " WHERE region_code = 'T83A01' ORDER BY code") ],
	[ [ 'fund_central', '300.00', '300.00' ], [ 'fund_local', '-', '-' ], [ 'fund_self', '-', '-' ],
	  [ 'invest', '1000.00', '800.50' ], [ 'orgs', '50.00', '-' ], [ 'windows', '10.00', '-' ] ],
	'... every target stored, empty ones as NULL';
$res = $agency->get('/agency/targets/region?region=T83A01');
is $res->{status}, 200, "the region's targets";
like $res->{text}, qr{<tr id="t-windows"><th scope="row">窗口平台数</th><td>家</td><td class="num">10\.00</td><td class="num">8\.00</td><td>自评估报告</td><td class="num">80\.00%</td></tr>},
	'windows: 8 of 10 from the self-evaluation, 80%';
like $res->{text}, qr{<tr id="t-orgs">.*?<td class="num">50\.00</td><td class="num">45\.00</td><td>自评估报告</td><td class="num">90\.00%</td>},
	'organisations: 45 of 50, 90%';
like $res->{text}, qr{<tr id="t-invest">.*?<td class="num">1000\.00</td><td class="num">800\.50</td><td>三季度建设情况</td><td class="num">80\.05%</td>},
	'investment: reported 800.5 of 1000';
like $res->{text}, qr{<tr id="t-fund_local">.*?<td class="num">—</td><td class="num">—</td><td>三季度建设情况</td><td class="num">—</td>},
	'a target left empty shows —';
is $agency->get('/agency/targets/region?region=T83X99')->{status}, 404, 'an unknown region is 404';

# ------------------------------------------------------------- an XLSX
SKIP: {
	system('/usr/bin/python3', '-c', 'import openpyxl') == 0 or skip 'python3-openpyxl missing', 3;
	my $x = "$tmp/targets.xlsx";
	system('/usr/bin/python3', '-c', <<'PY', $x) == 0 or die 'openpyxl failed';
import sys, openpyxl
wb = openpyxl.Workbook(); ws = wb.active
ws.append(['region_code', 'windows', 'invest', 'invest_actual'])
ws.append(['T83B01', 12, 2000, 1500])
ws.append(['T83A01', 20, None, None])
wb.save(sys.argv[1])
PY
	open my $fh, '<:raw', $x or die $!;
	my $bytes = do { local $/; <$fh> };
	is import_file('targets.xlsx', $bytes)->{status}, 303, 'an XLSX imports';
	is T::db_value("SELECT approved FROM region_targets WHERE region_code = 'T83B01' AND code = 'invest'"), '2000.00',
		'... its numbers stored';
	is_deeply [ T::db_query("SELECT code, COALESCE(approved, '-') FROM region_targets WHERE region_code = 'T83A01'"
		. " AND code IN ('windows', 'invest') ORDER BY code") ], [ [ 'invest', '-' ], [ 'windows', '20.00' ] ],
		'... and a re-import replaces the region\'s targets';
}
# ------------------------------------------------------------ an old .xls
SKIP: {
	eval { require Spreadsheet::WriteExcel; 1 } or skip 'Spreadsheet::WriteExcel not installed', 4;
	my $x = "$tmp/targets.xls";
	my $wb = Spreadsheet::WriteExcel->new($x) or die "WriteExcel: $!";
	my $ws = $wb->add_worksheet('批复');
	$ws->write_row(0, 0, [ qw(region_code windows invest invest_actual fund_self) ]);
	$ws->write_row(1, 0, [ 'T83B01', 14, 2500.5, 1000, '' ]);
	$wb->close;
	open my $fh, '<:raw', $x or die $!;
	my $bytes = do { local $/; <$fh> };
	is substr($bytes, 0, 4), "\xd0\xcf\x11\xe0", 'Spreadsheet::WriteExcel wrote an OLE2 .xls';
	is import_file('批复目标.xls', $bytes)->{status}, 303, 'an .xls imports';
	is_deeply [ T::db_query("SELECT code, COALESCE(approved, '-'), COALESCE(reported, '-') FROM region_targets"
		. " WHERE region_code = 'T83B01' AND code IN ('windows', 'invest', 'fund_self') ORDER BY code") ],
		[ [ 'fund_self', '-', '-' ], [ 'invest', '2500.50', '1000.00' ], [ 'windows', '14.00', '-' ] ],
		'... its numbers stored (a decimal kept, an empty cell NULL)';
	like $agency->get('/agency/targets')->{text}, qr/accept="\.csv,\.xlsx,\.xls"/, '... and the form offers .xls';
}
is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'targets-import'") > 0, 1, 'imports are audited';
is T::demo_login('region', 0, '110000')->get('/agency/targets')->{status}, 403, 'a region cannot open the targets';

done_testing;
