#!/usr/bin/perl
# 51-frame-import.t - frame import that takes what regions have (issue 10):
#   a resource frame whose platform column names the platforms by their real
#   names (the hub as 浙江省中小企业公共服务平台), with a title row and a blank
#   row above the headings and the optional columns 统一社会信用代码, 地址,
#   邮编, uploaded as CSV in GB18030 and as XLSX; the preview finds the
#   heading row (and lets the region choose another), lists the distinct
#   platform values with their counts, the region assigns the hub's name to
#   枢纽平台, sees 8 hub / 24 window against the quotas, confirms, and the
#   draw gives the 5/10 split; the optional columns are on the sample page
#   and in its CSV. A mapping changed after the counts were shown is not
#   confirmed unseen.
#
# Uses its own regions T51A01, T51B01 and accounts t51-*.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp qw(tempdir);
use Encode ();
use IO::Compress::Zip qw(zip $ZipError);
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Frames;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $conf = T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my $tmp = tempdir(CLEANUP => 1);

my @regions = ([ 'T51A01', '测试五一甲省' ], [ 'T51B01', '测试五一乙省' ]);
my $in = join ',', map { T::sql_quote($_->[0]) } @regions;
sub cleanup {
	T::db_query("DELETE su FROM sample_units su JOIN samples s ON s.id = su.sample_id WHERE s.region_code IN ($in)");
	T::db_query("DELETE FROM samples WHERE region_code IN ($in)");
	T::db_query("DELETE FROM frames WHERE region_code IN ($in)");
	T::db_query("DELETE FROM frame_mappings WHERE region_code IN ($in)");
	T::db_query("DELETE FROM users WHERE username LIKE 't51-%'");
}
cleanup();
T::db_query('INSERT IGNORE INTO regions (code, name) VALUES ' .
	join ',', map { '(' . T::sql_quote($_->[0]) . ',' . T::sql_quote($_->[1]) . ')' } @regions);
my %pw = (a => 'T51-Region-A-pass', b => 'T51-Region-B-pass');
Frames::region_accounts($tmp, [ 't51-a', $pw{a}, 'T51A01', '测试五一甲省经信委' ],
	[ 't51-b', $pw{b}, 'T51B01', '测试五一乙省经信委' ]);

# The frame as a region has it: title row, blank row, its own headings.
my $HUB = '浙江省中小企业公共服务平台';
my @head = ('单位名称', '所属平台', '联系人', '统一社会信用代码', '地址', '邮编');
my @rows = ([ '浙江省服务资源单位名单（2013年）', ('') x 5 ], [ ('') x 6 ], [ @head ]);
push @rows, [ sprintf('枢纽服务机构%02d', $_), $HUB, "联系人$_", sprintf('9133010012345678%02d', $_),
	"杭州市西湖区文三路${_}号", '310012' ] for 1 .. 8;
push @rows, [ sprintf('窗口服务机构%02d', $_), ($_ % 2 ? '杭州市中小企业服务中心' : '宁波市中小企业服务中心'),
	"联系人W$_", '', "宁波市海曙区${_}号", '315000' ] for 1 .. 24;
my $csv_text = join '', map { join(',', @$_) . "\r\n" } @rows;

sub login { Frames::login(@_) }
sub upload { my ($ua, $name, $bytes, $type) = @_; return Frames::upload($ua, 'resource', $name, $bytes, $type) }
sub preview_fields { Frames::preview_fields($_[0], 'resource') }
sub set_field { Frames::set_field(@_) }
sub field { Frames::field(@_) }

# Imports @rows through the web preview as $ua, returns the page after the
# mapping (before confirming) and the fields.
sub map_and_check {
	my ($ua, $label) = @_;
	my $page = $ua->get('/region/frames')->{text};
	like $page, qr/表头在第 3 行/, "$label: the heading row below the title is found";
	like $page, qr{<option value="1">第 1 行：浙江省服务资源单位名单（2013年）}, "$label: the first rows are offered as heading rows";
	like $page, qr{<table id="platform-map">}, "$label: the platform values are listed";
	like $page, qr{\Q$HUB\E<input type="hidden" name="pv0" value="\Q$HUB\E"></td><td>8</td>}, "$label: ... with their counts";
	like $page, qr{地区枢纽平台组织的服务资源单位：0 家（应抽 5 家）}, "$label: unmapped: 0 hub units shown against the quota";
	like $page, qr/地区枢纽平台只有 0 家，少于应抽的 5 家/, "$label: ... with a warning";
	my @f = preview_fields($page);
	is field(\@f, 'ps0'), 'window', "$label: the hub's own name is not guessed as hub";
	set_field(\@f, 'ps0', 'hub');
	my $csrf = T::csrf_from($page);
	my $r = $ua->post('/region/frames', [ @f, csrf => $csrf, action => 'preview' ]);
	is $r->{status}, 200, "$label: preview with the value mapping";
	like $r->{text}, qr{地区枢纽平台组织的服务资源单位：8 家（应抽 5 家）；窗口平台组织的：24 家（应抽 10 家）},
		"$label: mapped: 8 hub and 24 window units against the quotas";
	unlike $r->{text}, qr/少于应抽/, "$label: ... no shortfall";
	like $r->{text}, qr/91330100123456780[1]/, "$label: the optional columns in the preview";
	return ($r->{text}, [ preview_fields($r->{text}) ]);
}

# ------------------------------------------------------ CSV in GB18030
my $A = login('t51-a', $pw{a});
my $gb;
{
	open my $fh, '>:encoding(UTF-8)', "$tmp/frame-utf8.csv" or die $!;
	print $fh $csv_text;
	close $fh;
	$gb = `iconv -f UTF-8 -t GB18030 '$tmp/frame-utf8.csv'`;
	die 'iconv failed' if $?;
}
my $r = upload($A, '服务资源单位名单.csv', $gb, 'text/csv');
is $r->{status}, 303, 'GB18030 CSV with a title row uploaded';
my ($page, $f) = map_and_check($A, 'CSV');
like $page, qr/检测到的文件编码：<strong>GB18030<\/strong>/, 'CSV: charset detected';
{
	# Changing the mapping and confirming at once: the counts shown are stale.
	my @g = @$f;
	set_field(\@g, 'ps0', 'window');
	my $csrf = T::csrf_from($page);
	my $x = $A->post('/region/frames', [ @g, csrf => $csrf, action => 'confirm' ]);
	is $x->{status}, 409, 'a mapping changed after the counts were shown is not confirmed';
	like $x->{text}, qr/请核对下方的数量后再确认导入/, '... the region is asked to look at the counts';
	is T::db_value("SELECT COUNT(*) FROM frames WHERE region_code = 'T51A01' AND status = 'confirmed'"), 0,
		'... nothing imported';
}
my $csrf = T::csrf_from($page);
$r = $A->post('/region/frames', [ @$f, csrf => $csrf, action => 'confirm' ]);
is $r->{status}, 303, 'CSV: confirmed with the value mapping';
is T::db_value("SELECT COUNT(*) FROM frame_units fu JOIN frames f ON f.id = fu.frame_id"
	. " WHERE f.region_code = 'T51A01' AND f.status = 'confirmed' AND fu.stratum = 'hub' AND fu.platform = '$HUB'"),
	8, 'CSV: the 8 units of the hub are in the hub stratum, the platform name kept';
like T::db_value("SELECT detail FROM audit_log WHERE action = 'frame-confirm' AND detail LIKE 'region=T51A01 %'"
	. " ORDER BY id DESC LIMIT 1") // '', qr/header_row=3 strata=8\/24\/0/, 'CSV: audit row with heading row and strata';

$csrf = $A->csrf_of('/region/sample');
$r = $A->post('/region/sample', [ csrf => $csrf, action => 'draw', kind => 'resource', seed => '51' ]);
is $r->{status}, 303, 'CSV: drawn without any shortfall confirmation';
my %n = map { ("$_->[0]/$_->[1]" => $_->[2]) } T::db_query("SELECT stratum, role, COUNT(*) FROM sample_units"
	. " WHERE region_code = 'T51A01' GROUP BY stratum, role");
is_deeply [ @n{qw(hub/selected window/selected hub/reserve window/reserve)} ], [ 5, 10, 3, 14 ],
	'CSV: the 5/10 split (3 hub and 14 window reserves)';
$page = $A->get('/region/sample')->{text};
like $page, qr{<th scope="col">统一社会信用代码</th><th scope="col">地址</th><th scope="col">邮编</th>},
	'the sample list shows the optional columns';
like $page, qr{913301001234567\d{3}</td><td>杭州市西湖区文三路\d号</td><td>310012</td>}, '... with their values';
$r = $A->get('/region/sample.csv?kind=resource');
my $t = Encode::decode('UTF-8', $r->{content});
like $t, qr{^\x{feff}层,角色,顺位,名称,组织平台,联系人,电话,邮箱,状态,替换原因,统一社会信用代码,地址,邮编\r\n},
	'the sample CSV has the optional columns';
like $t, qr{"913301001234567\d{3}","杭州市西湖区文三路\d号","310012"\r\n}, '... with their values';

# ------------------------------------------------------ XLSX
# The same frame as an .xlsx workbook (written here with IO::Compress::Zip:
# a workbook, its relations and a sheet with inline strings; the blank row
# is simply absent, as Excel leaves it).
sub xml_escape { my ($s) = @_; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g; return $s }
sub col_name { my ($i) = @_; return chr(ord('A') + $i) }
my $xlsx;
{
	my $sheet = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
		. '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
	for my $i (0 .. $#rows) {
		next unless grep { length } @{ $rows[$i] };
		my $r = $i + 1;
		$sheet .= qq{<row r="$r">};
		for my $c (0 .. $#{ $rows[$i] }) {
			my $v = $rows[$i][$c];
			next unless length $v;
			my $ref = col_name($c) . $r;
			$sheet .= $v =~ /^\d{6}$/ ? qq{<c r="$ref"><v>$v</v></c>}
				: qq{<c r="$ref" t="inlineStr"><is><t>} . xml_escape($v) . '</t></is></c>';
		}
		$sheet .= '</row>';
	}
	$sheet .= '</sheetData></worksheet>';
	my %parts = (
		'[Content_Types].xml' => '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
		'xl/workbook.xml' => '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
			. ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
			. '<sheet name="名单" sheetId="1" r:id="rId7"/></sheets></workbook>',
		'xl/_rels/workbook.xml.rels' => '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
			. '<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/list.xml"/>'
			. '</Relationships>',
		'xl/worksheets/list.xml' => $sheet,
	);
	my $z = IO::Compress::Zip->new(\$xlsx, Name => '[Content_Types].xml') or die $ZipError;
	my $first = 1;
	for my $name ('[Content_Types].xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/list.xml') {
		$z->newStream(Name => $name) unless $first;
		$first = 0;
		$z->print(Encode::encode('UTF-8', $parts{$name}));
	}
	$z->close;
}
{
	my $B = login('t51-b', $pw{b});
	$r = upload($B, '服务资源单位名单.xlsx', $xlsx, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
	is $r->{status}, 303, 'XLSX frame uploaded (not "无法识别文件编码")';
	my ($p, $g) = map_and_check($B, 'XLSX');
	like $p, qr/检测到的文件编码：<strong>XLSX<\/strong>/, 'XLSX: recognised as a workbook';
	$r = $B->post('/region/frames', [ @$g, csrf => T::csrf_from($p), action => 'confirm' ]);
	is $r->{status}, 303, 'XLSX: confirmed with the value mapping';
	my $c = $B->csrf_of('/region/sample');
	$r = $B->post('/region/sample', [ csrf => $c, action => 'draw', kind => 'resource', seed => '51' ]);
	is $r->{status}, 303, 'XLSX: drawn';
	my %m = map { ("$_->[0]/$_->[1]" => $_->[2]) } T::db_query("SELECT stratum, role, COUNT(*) FROM sample_units"
		. " WHERE region_code = 'T51B01' GROUP BY stratum, role");
	is_deeply [ @m{qw(hub/selected window/selected)} ], [ 5, 10 ], 'XLSX: the 5/10 split';
	is T::db_value("SELECT COUNT(*) FROM frame_units fu JOIN frames f ON f.id = fu.frame_id WHERE f.region_code = 'T51B01'"
		. " AND fu.line_no = 4 AND fu.name = '枢纽服务机构01' AND fu.zip = '310012'"), 1,
		'XLSX: units keep the row numbers Excel shows, and number cells';
	# The same units and strata as the CSV import: the same checksum and sample.
	is T::db_value("SELECT checksum FROM frames WHERE region_code = 'T51B01' AND status = 'confirmed'"),
		T::db_value("SELECT checksum FROM frames WHERE region_code = 'T51A01' AND status = 'confirmed'"),
		'XLSX and CSV of the same list: the same frame checksum';
	T::db_query("DELETE su FROM sample_units su JOIN samples s ON s.id = su.sample_id WHERE s.region_code = 'T51B01'");
	T::db_query("DELETE FROM samples WHERE region_code = 'T51B01'");
	T::db_query("DELETE FROM frames WHERE region_code = 'T51B01'");
	my $old = $B->csrf_of('/region/frames');
	$r = $B->post_multipart('/region/frames', [ csrf => $old, kind => 'resource', action => 'upload',
		file => { filename => 'old.xls', content => "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" . ("\0" x 600),
		          content_type => 'application/vnd.ms-excel' } ]);
	# A real .xls is read (59-frame-office.t); a damaged one is refused.
	is $r->{status}, 400, 'a damaged old .xls file is refused';
	like $r->{text}, qr/无法读取此 Excel 文件：不是有效的 Excel（\.xls）文件，或文件已损坏/, '... saying so';
}

# ------------------------------------------------------ the heading-row choice
{
	my $B = login('t51-b', $pw{b});
	upload($B, 'x.csv', $gb, 'text/csv');
	my $p = $B->get('/region/frames')->{text};
	my @g = preview_fields($p);
	set_field(\@g, 'header_row', 1);
	my $x = $B->post('/region/frames', [ @g, csrf => T::csrf_from($p), action => 'preview' ]);
	like $x->{text}, qr/表头在第 1 行/, 'another heading row can be chosen';
	like $x->{text}, qr/缺少“名称”列，请在下方选择表头所在的行/, '... and the title row as headings is explained';
	unlike $x->{text}, qr/name="action" value="confirm"/, '... nothing to confirm then';
	T::db_query("DELETE FROM frames WHERE region_code = 'T51B01'");
}

cleanup();
done_testing();
