#!/usr/bin/perl
# 59-frame-office.t - frames as offices and attackers send them.
#
# Issue 18 gap 1: an .xlsx whose 64 columns x 20,000 rows all point to one
# 1,024-byte shared string, and one of 3 million nested elements (~21 KB),
# are refused at upload with a message naming the limit, nothing pending is
# kept, and /region/frames answers afterwards; a pending upload is parsed
# once: a view reads its stored preview (it renders with the stored cells
# destroyed), a new choice reads the stored cells (never the file).
# Issue 23 item 6: an XLSX with a title row, headings known only by their
# synonyms (服务机构名称, 法定代表人/联系人) and footer rows (填表人, 审核人,
# 日期) shown as skipped; a GB18030 CSV of 300 SMEs with duplicates, an empty
# row, a placeholder (暂无, —) and an implausible phone (6888-123): warnings
# with row numbers, duplicates named side by side, the choice to import the
# valid rows; the last mapping remembered and offered on the next upload;
# an old .xls (written by Spreadsheet::WriteExcel, an independent BIFF8
# writer) read through the same heading detection, mapping and bounds.
#
# Uses its own regions T59A01, T59B01 and accounts t59-*.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp qw(tempdir);
use Encode ();
use IO::Compress::Zip qw($ZipError);
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Frames;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $conf = T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my $tmp = tempdir(CLEANUP => 1);

my @regions = ([ 'T59A01', '测试五九甲省' ], [ 'T59B01', '测试五九乙省' ]);
my $in = join ',', map { T::sql_quote($_->[0]) } @regions;
sub cleanup {
	T::db_query("DELETE FROM frames WHERE region_code IN ($in)");
	T::db_query("DELETE FROM frame_mappings WHERE region_code IN ($in)");
	T::db_query("DELETE FROM users WHERE username LIKE 't59-%'");
}
cleanup();
T::db_query('INSERT IGNORE INTO regions (code, name) VALUES ' .
	join ',', map { '(' . T::sql_quote($_->[0]) . ',' . T::sql_quote($_->[1]) . ')' } @regions);
my %pw = (a => 'T59-Region-A-pass', b => 'T59-Region-B-pass');
Frames::region_accounts($tmp, [ 't59-a', $pw{a}, 'T59A01', '测试五九甲省经信委' ],
	[ 't59-b', $pw{b}, 'T59B01', '测试五九乙省经信委' ]);
sub login { Frames::login(@_) }
sub upload { Frames::upload(@_) }
sub pending_count {
	my ($region) = @_;
	return T::db_value("SELECT COUNT(*) FROM frames WHERE region_code = '$region' AND status = 'pending'");
}
sub preview_fields { Frames::preview_fields(@_) }
sub set_field { Frames::set_field(@_) }
sub pending_section { Frames::pending_section(@_) }

# An .xlsx of the given parts (name => text), deflated at the best level.
sub zip_parts {
	my (@parts) = @_;
	my $out;
	my $z;
	while (my ($name, $text) = splice @parts, 0, 2) {
		if ($z) { $z->newStream(Name => $name, Level => 9) }
		else { $z = IO::Compress::Zip->new(\$out, Name => $name, Level => 9) or die $ZipError }
		$z->print(ref $text ? $$text : Encode::encode('UTF-8', $text));
	}
	$z->close;
	return $out;
}
my $WB = '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
	. ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
	. '<sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>';
my $RELS = '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
	. '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"'
	. ' Target="worksheets/sheet1.xml"/></Relationships>';
sub xml_escape { my ($s) = @_; $s =~ s/&/&amp;/g; $s =~ s/</&lt;/g; $s =~ s/>/&gt;/g; return $s }
# A workbook of rows (array of arrays; Excel row numbers are the indexes + 1,
# empty rows left out as Excel does), text in shared strings.
sub xlsx_of_rows {
	my (@rows) = @_;
	my (%idx, @sst);
	my $sheet = '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
	for my $i (0 .. $#rows) {
		next unless grep { length } @{ $rows[$i] };
		$sheet .= '<row r="' . ($i + 1) . '">';
		for my $c (0 .. $#{ $rows[$i] }) {
			my $v = $rows[$i][$c];
			next unless length $v;
			my $ref = chr(ord('A') + $c) . ($i + 1);
			$idx{$v} //= do { push @sst, $v; $#sst };
			$sheet .= qq{<c r="$ref" t="s"><v>$idx{$v}</v></c>};
		}
		$sheet .= '</row>';
	}
	$sheet .= '</sheetData></worksheet>';
	my $sst = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
		. join('', map { '<si><t>' . xml_escape($_) . '</t></si>' } @sst) . '</sst>';
	return zip_parts('xl/workbook.xml' => $WB, 'xl/_rels/workbook.xml.rels' => $RELS,
		'xl/sharedStrings.xml' => $sst, 'xl/worksheets/sheet1.xml' => $sheet);
}

my $A = login('t59-a', $pw{a});

# ------------------------------------------------ hostile files (#18 gap 1)
{
	my $sheet = '<worksheet><sheetData>';
	my $row = '<c t="s"><v>0</v></c>' x 64;
	$sheet .= qq{<row r="$_">$row</row>} for 1 .. 20000;
	$sheet .= '</sheetData></worksheet>';
	my $bomb = zip_parts('xl/workbook.xml' => $WB, 'xl/_rels/workbook.xml.rels' => $RELS,
		'xl/sharedStrings.xml' => '<sst><si><t>' . ('x' x 1024) . '</t></si></sst>',
		'xl/worksheets/sheet1.xml' => \$sheet);
	cmp_ok length($bomb), '<', 200_000, sprintf('the shared-string workbook is small (%d KB)', length($bomb) / 1024);
	my $r = upload($A, 'sme', 'bomb.xlsx', $bomb);
	is $r->{status}, 400, '64 x 20,000 cells all pointing to one 1,024-byte shared string: refused';
	like $r->{text}, qr/单元格文字合计超过 4 MB（上限）/, '... with a message naming the limit';
	is pending_count('T59A01'), 0, '... nothing kept';

	my $nest = '<worksheet><sheetData><row r="1"><c t="inlineStr"><is>' . ('<a>' x 3_000_000)
		. ('</a>' x 3_000_000) . '</is></c></row></sheetData></worksheet>';
	my $deep = zip_parts('xl/workbook.xml' => $WB, 'xl/_rels/workbook.xml.rels' => $RELS,
		'xl/worksheets/sheet1.xml' => \$nest);
	cmp_ok length($deep), '<', 40_000, sprintf('the nested workbook is small (%d KB)', length($deep) / 1024);
	$r = upload($A, 'sme', 'deep.xlsx', $deep);
	is $r->{status}, 400, '3 million nested elements: refused';
	like $r->{text}, qr/文件结构嵌套超过 32 层（上限）/, '... with a message naming the limit';
	is pending_count('T59A01'), 0, '... nothing kept';
	$r = $A->get('/region/frames');
	is $r->{status}, 200, 'the frames page answers afterwards';
	unlike $r->{text}, qr/待确认的上传/, '... with nothing pending to show';
}

# ------------------------------------------- an office XLSX (#23 item 6)
my $HUB = '某省中小企业公共服务平台';
my @office = ([ '某省中小企业公共服务平台网络服务机构名单（2013年）' ], [],
	[ '序号', '服务机构名称', '所属平台', '法定代表人/联系人', '联系电话', '电子邮箱' ]);
push @office, [ $_, "服务机构$_", $_ <= 4 ? $HUB : '某市窗口平台', "联系人$_", sprintf('0571-8888%04d', $_), '' ] for 1 .. 12;
push @office, [], [ '填表人：张三', '', '', '联系电话：0571-88880000' ], [ '审核人：李四', '', '', '日期：2013年10月8日' ];
{
	my $r = upload($A, 'resource', '服务机构名单.xlsx', xlsx_of_rows(@office));
	is $r->{status}, 303, 'office XLSX uploaded';
	my $p = $A->get('/region/frames')->{text};
	my $sec = pending_section($p, 'resource');
	like $sec, qr/表头在第 3 行；数据行：12。/, 'the heading row found below the title by its synonyms; 12 data rows';
	like $sec, qr{<select name="map1"[^>]*>.*?<option value="name" selected>}s, '服务机构名称 read as the name';
	like $sec, qr{<select name="map3"[^>]*>.*?<option value="contact" selected>}s, '法定代表人/联系人 read as the contact';
	like $sec, qr/表尾，已跳过（2 行）/, 'the two footer rows are shown as skipped';
	like $sec, qr/第 17 行：表尾“填表人：张三”，已跳过/, '... with their Excel row numbers';
	like $sec, qr/第 18 行：表尾“审核人：李四”，已跳过/, '... each';
	my @f = preview_fields($p, 'resource');
	set_field(\@f, 'ps0', 'hub');
	$r = $A->post('/region/frames', [ @f, csrf => T::csrf_from($p), action => 'preview' ]);
	@f = preview_fields($r->{text}, 'resource');
	$r = $A->post('/region/frames', [ @f, csrf => T::csrf_from($r->{text}), action => 'confirm' ]);
	is $r->{status}, 303, 'confirmed';
	is T::db_value("SELECT COUNT(*) FROM frame_units fu JOIN frames f ON f.id = fu.frame_id WHERE f.region_code = 'T59A01'"
		. " AND f.status = 'confirmed'"), 12, '12 units, no footer among them';
	is T::db_value("SELECT COUNT(*) FROM frame_units fu JOIN frames f ON f.id = fu.frame_id WHERE f.region_code = 'T59A01'"
		. " AND fu.stratum = 'hub' AND fu.contact = '联系人1'"), 1, 'the contact column imported';
	is T::db_value("SELECT COUNT(*) FROM frame_tables t JOIN frames f ON f.id = t.frame_id WHERE f.region_code = 'T59A01'"),
		0, 'the stored table is dropped once confirmed';
}

# ------------------------------ a GB18030 CSV of 300 SMEs (#23 item 6)
my @sme = ([ '企业名称', '联系人', '联系电话', '电子邮箱' ]);
push @sme, [ sprintf('测试企业%03d有限公司', $_), "联系人$_", sprintf('1380013%04d', $_), "sme$_\@example.cn" ] for 1 .. 300;
$sme[10][1] = '暂无';                 # line 11
$sme[11][3] = '—';                    # line 12
$sme[20][2] = '6888-123';             # line 21: implausible, kept and flagged
$sme[30][2] = '见附件';               # line 31: no phone, left empty
splice @sme, 101, 0, [ '', '', '', '' ];                           # line 102: an empty row
splice @sme, 151, 0, [ $sme[5][0], '重复的人', '13800000000', '' ];  # line 152: duplicate of line 6
push @sme, [ $sme[7][0], '又一个', '', '' ];                       # line 304: duplicate of line 8
my $gb;
{
	open my $fh, '>:encoding(UTF-8)', "$tmp/sme.csv" or die $!;
	print $fh join '', map { join(',', @$_) . "\r\n" } @sme;
	close $fh;
	$gb = `iconv -f UTF-8 -t GB18030 '$tmp/sme.csv'`;
	die 'iconv failed' if $?;
}
{
	my $r = upload($A, 'sme', '中小企业名单.csv', $gb);
	is $r->{status}, 303, 'GB18030 CSV of 300 SMEs uploaded';
	my $p = $A->get('/region/frames')->{text};
	my $sec = pending_section($p, 'sme');
	like $sec, qr/检测到的文件编码：<strong>GB18030<\/strong>；表头在第 1 行；数据行：300。/, 'charset and 300 importable rows';
	like $sec, qr/<div class="error problems" id="problems-0" role="alert"><p>不能导入的行（2 行）/,
		'two rows cannot be imported (announced as an alert)';
	like $sec, qr/第 152 行：名称“测试企业005有限公司”与第 6 行重复：只导入第 6 行，本行不导入/, 'a duplicate named beside its first row';
	like $sec, qr/第 304 行：名称“测试企业007有限公司”与第 8 行重复/, '... and the other';
	like $sec, qr/第 21 行：电话“6888-123”不像有效的号码/, 'the implausible phone flagged with its row';
	like $sec, qr/第 31 行：电话“见附件”格式不正确.*?导入时留空/, 'a phone that is no phone left empty';
	unlike $sec, qr/第 1[12] 行/, '暂无 and — are no problems (read as empty)';
	unlike $sec, qr/第 102 行/, 'the empty row is no problem';
	unlike $sec, qr/name="action" value="confirm"/, 'no plain confirmation';
	like $sec, qr/value="confirm-valid">只导入无误的 300 行（不导入上列 2 行）/, 'the choice to import the valid rows';
	my @f = preview_fields($p, 'sme');
	$r = $A->post('/region/frames', [ @f, csrf => T::csrf_from($p), action => 'confirm' ]);
	is $r->{status}, 422, 'confirming all rows is refused';
	like $r->{text}, qr/有 2 行不能导入，未导入/, '... saying why';
	is T::db_value("SELECT COUNT(*) FROM frames WHERE region_code = 'T59A01' AND kind = 'sme' AND status = 'confirmed'"),
		0, '... nothing imported';
	$r = $A->post('/region/frames', [ @f, csrf => T::csrf_from($r->{text}), action => 'confirm-valid' ]);
	is $r->{status}, 303, 'the valid rows imported';
	is T::db_value("SELECT nunits FROM frames WHERE region_code = 'T59A01' AND kind = 'sme' AND status = 'confirmed'"),
		300, '300 SMEs';
	my $units = "frame_units fu JOIN frames f ON f.id = fu.frame_id WHERE f.region_code = 'T59A01' AND f.kind = 'sme'";
	is T::db_value("SELECT COUNT(*) FROM $units AND fu.line_no = 11 AND fu.contact = ''"), 1, '暂无 stored empty';
	is T::db_value("SELECT COUNT(*) FROM $units AND fu.line_no = 12 AND fu.email = ''"), 1, '— stored empty';
	is T::db_value("SELECT phone FROM $units AND fu.line_no = 21"), '6888-123', 'the implausible phone kept';
	is T::db_value("SELECT COUNT(*) FROM $units AND fu.line_no = 31 AND fu.phone = ''"), 1, 'the non-phone left empty';
	is T::db_value("SELECT COUNT(*) FROM $units AND fu.contact IN ('重复的人', '又一个')"), 0, 'the duplicates left out';
	like T::db_value("SELECT detail FROM audit_log WHERE action = 'frame-confirm' AND detail LIKE 'region=T59A01 kind=sme %'"
		. " ORDER BY id DESC LIMIT 1") // '', qr/units=300 skipped=2 /, 'the audit row counts the rows left out';
}

# ------------------------------------------------ parsed once (#18 gap 1)
my $B = login('t59-b', $pw{b});
{
	my $odd = Encode::encode('UTF-8', "名单（测试）,\r\n甲栏,丙栏\r\n一号企业,13800138000\r\n二号企业,010-12345678\r\n");
	my $r = upload($B, 'sme', 'odd.csv', $odd);
	is $r->{status}, 303, 'a sheet with headings nobody could guess uploaded';
	my $p = $B->get('/region/frames')->{text};
	like pending_section($p, 'sme'), qr/缺少“名称”列/, '... its name column is not found';
	my $id = T::db_value("SELECT id FROM frames WHERE region_code = 'T59B01' AND status = 'pending'");
	T::db_query("UPDATE frame_tables SET cells = 'damaged' WHERE frame_id = $id");
	$r = $B->get('/region/frames');
	like pending_section($r->{text}, 'sme'), qr/缺少“名称”列/,
		'a view shows the stored checks (the stored cells are not read: nothing is parsed per view)';
	my @f = preview_fields($p, 'sme');
	set_field(\@f, 'header_row', 2);
	set_field(\@f, 'map0', 'name');
	$r = $B->post('/region/frames', [ @f, csrf => T::csrf_from($p), action => 'preview' ]);
	is $r->{status}, 410, 'a new choice reads the stored cells (here destroyed), never the file';

	# The mapping chosen is remembered and offered on the next upload.
	$r = upload($B, 'sme', 'odd.csv', $odd);
	$p = $B->get('/region/frames')->{text};
	@f = preview_fields($p, 'sme');
	set_field(\@f, 'header_row', 2);
	$r = $B->post('/region/frames', [ @f, csrf => T::csrf_from($p), action => 'preview' ]);
	@f = preview_fields($r->{text}, 'sme');
	set_field(\@f, 'map0', 'name');
	set_field(\@f, 'map1', 'phone');
	$r = $B->post('/region/frames', [ @f, csrf => T::csrf_from($r->{text}), action => 'preview' ]);
	like pending_section($r->{text}, 'sme'), qr/表头在第 2 行；数据行：2。/, 'the region chooses the heading row, then the columns';
	$r = upload($B, 'sme', 'odd-again.csv', $odd . Encode::encode('UTF-8', "三号企业,13900139000\r\n"));
	$p = $B->get('/region/frames')->{text};
	my $sec = pending_section($p, 'sme');
	like $sec, qr/已按本地区上次选择的表头行、列和组织平台的对应关系预填/, 'the next upload says the last mapping is offered';
	like $sec, qr/表头在第 2 行；数据行：3。/, '... its heading row applied';
	like $sec, qr{<select name="map0"[^>]*>.*?<option value="name" selected>}s, '... and its columns';
	like $sec, qr/name="action" value="confirm"/, '... ready to confirm';
	$B->post('/region/frames', [ preview_fields($p, 'sme'), csrf => T::csrf_from($p), action => 'discard' ]);
}

# -------------------------------------------------- an old .xls (#23 item 6)
SKIP: {
	eval { require Spreadsheet::WriteExcel; 1 } or skip 'Spreadsheet::WriteExcel not installed', 9;
	my $xls_of = sub {
		my ($fill) = @_;
		my $path = "$tmp/f.xls";
		my $wb = Spreadsheet::WriteExcel->new($path) or die "WriteExcel: $!";
		my $ws = $wb->add_worksheet('名单');
		$fill->($ws);
		$wb->add_worksheet('说明');
		$wb->close;
		open my $fh, '<:raw', $path or die $!;
		local $/;
		return scalar <$fh>;
	};
	my $xls = $xls_of->(sub {
		my ($ws) = @_;
		$ws->write(0, 0, '某省服务资源单位名单');
		$ws->write_row(2, 0, [ '服务机构名称', '所属平台', '法定代表人/联系人', '联系电话' ]);
		$ws->write_row(2 + $_, 0, [ "旧表机构$_", $_ <= 2 ? '某省枢纽平台' : '某市窗口平台', "联系人$_", 13800138000 + $_ ])
			for 1 .. 6;
		$ws->write(10, 0, '填表人：王五');
	});
	is substr($xls, 0, 4), "\xd0\xcf\x11\xe0", 'Spreadsheet::WriteExcel wrote an OLE2 .xls';
	my $r = upload($B, 'resource', '旧版名单.xls', $xls);
	is $r->{status}, 303, 'the .xls uploaded';
	my $p = $B->get('/region/frames')->{text};
	my $sec = pending_section($p, 'resource');
	like $sec, qr/检测到的文件编码：<strong>XLS<\/strong>；表头在第 3 行；数据行：6。/, 'read: its heading row by synonyms, 6 rows';
	like $sec, qr/第 11 行：表尾“填表人：王五”，已跳过/, 'its footer skipped, with the Excel row number';
	like $sec, qr/13800138001/, 'a phone typed as a number read as its digits';
	my @f = preview_fields($p, 'resource');
	$r = $B->post('/region/frames', [ @f, csrf => T::csrf_from($p), action => 'confirm' ]);
	is $r->{status}, 303, 'the .xls frame confirmed';
	is T::db_value("SELECT nunits FROM frames WHERE region_code = 'T59B01' AND kind = 'resource' AND status = 'confirmed'"),
		6, '6 units';

	my $big = $xls_of->(sub {
		my ($ws) = @_;
		my $s = 'y' x 1000;
		for my $row (0 .. 199) { $ws->write($row, $_, $s) for 0 .. 40 }
	});
	$r = upload($B, 'sme', 'big.xls', $big);
	is $r->{status}, 400, 'an .xls of 8,200 cells of one 1,000-byte string: refused';
	like $r->{text}, qr/单元格文字合计超过 4 MB（上限）/, '... by the same bound as CSV and XLSX';
}

cleanup();
done_testing();
