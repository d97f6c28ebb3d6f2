#!/usr/bin/perl
# 82-agency-review.t - the agency's document review (issue 19, item 2):
# a construction unit uploads its 2013 Q3 report (type checked by the
# bytes; a zip is an .xlsx or .docx only with its main part), sees it listed and downloads it, and cannot fetch another unit's;
# the agency uploads on a unit's behalf and reviews it (checklist,
# findings, a rating per content on scale.tsv): a rating outside the scale
# is refused at its field with everything typed kept, every save is a new
# version and the history shows what each change replaced; a stale form is
# refused. The region sees its own units' receipts only, no findings or
# ratings. purge keeps the documents' files.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Digest::SHA qw(sha256_hex);

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $conf = T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my $cli = T::bindir() . '/smesurvey-admin';

sub uid_of { return T::db_value('SELECT id FROM users WHERE username = ' . T::sql_quote($_[0])) }
sub upload {
	my ($ua, $path, $page, $kind, $name, $bytes) = @_;
	return $ua->post_multipart($path, [ csrf => T::csrf_from($ua->get($page)->{text}), kind => $kind,
		file => { filename => $name, content => $bytes } ]);
}

my $hub = T::demo_login('hub', 0, '110000');
my $win = T::demo_login('window', 0, '110000');
my ($hub_id, $win_id) = (uid_of($hub->{account}{username}), uid_of($win->{account}{username}));
my $tag = "$$-" . time;

# ------------------------------------------------------- a unit uploads
my $res = $hub->get('/agency/unit/documents');
is $res->{status}, 200, 'hub: its documents page';
like $res->{text}, qr/2013年三季度建设情况和工作小结/, '... names the Q3 report';
like $res->{text}, qr/PDF、DOC、DOCX、XLS 或 XLSX/, '... and the accepted types';

my $pdf = "%PDF-1.4\n% Q3 report $tag\n%%EOF\n";
$res = upload($hub, '/agency/unit/documents', '/agency/unit/documents', 'q3_report', '三季度小结.pdf', $pdf);
is $res->{status}, 303, 'hub uploads its Q3 report (PDF)';
my $doc_id = T::db_value("SELECT MAX(id) FROM unit_documents WHERE unit_id = $hub_id");
is_deeply [ T::db_query("SELECT kind, bytes, uploaded_by FROM unit_documents WHERE id = $doc_id") ],
	[ [ 'q3_report', length $pdf, $hub_id ] ], '... stored with its kind, size and uploader';
$res = $hub->get('/agency/unit/documents');
like $res->{text}, qr{<a href="/agency/documents/file\?id=$doc_id">三季度小结\.pdf</a>}, '... listed with its name';
$res = $hub->get("/agency/documents/file?id=$doc_id");
is $res->{status}, 200, '... and served back';
is sha256_hex($res->{content}), sha256_hex($pdf), '... byte for byte';
like $res->{headers}{'content-type'}, qr{^application/pdf}, '... typed by its bytes';

my $xlsx = T::zip_of('[Content_Types].xml' => '<Types/>', 'xl/workbook.xml' => "<workbook>$tag</workbook>");
is upload($hub, '/agency/unit/documents', '/agency/unit/documents', 'funds', '资金.xlsx', $xlsx)->{status}, 303,
	'an XLSX (a zip with xl/workbook.xml) is accepted';

my $n_docs = T::db_value("SELECT COUNT(*) FROM unit_documents WHERE unit_id = $hub_id");
$res = upload($hub, '/agency/unit/documents', '/agency/unit/documents', 'approval', '批复.pdf', "not a pdf $tag");
is $res->{status}, 422, 'a text file named .pdf is refused';
like $res->{text}, qr{<p class="field-error" id="e-file">文件内容与扩展名不符}, '... at the file field';
like $res->{text}, qr{<option value="approval" selected>}, '... the chosen kind kept';
$res = upload($hub, '/agency/unit/documents', '/agency/unit/documents', 'approval', 'notes.txt', "text $tag");
is $res->{status}, 422, 'a .txt is refused';
like $res->{text}, qr/不接受这种文件类型，请上传 PDF、DOC、DOCX、XLS 或 XLSX 文件/, '... naming the types';
is T::db_value("SELECT COUNT(*) FROM unit_documents WHERE unit_id = $hub_id"), $n_docs, '... nothing stored';
# A Word document renamed to .xlsx, and any other zip: the zip signature
# alone does not make a workbook.
for my $case ([ 'a .docx renamed to .xlsx', T::zip_of('word/document.xml' => "<w:document>$tag</w:document>") ],
              [ 'a plain zip named .xlsx', T::zip_of('readme.txt' => "zip $tag") ]) {
	my ($what, $bytes) = @$case;
	$res = upload($hub, '/agency/unit/documents', '/agency/unit/documents', 'funds', '资金.xlsx', $bytes);
	is $res->{status}, 422, "$what is refused";
	like $res->{text}, qr{<p class="field-error" id="e-file">文件内容与扩展名不符：扩展名是 \.xlsx，但文件不是 Excel 工作簿},
		'... saying so at the file field';
	is T::db_value("SELECT COUNT(*) FROM unit_documents WHERE unit_id = $hub_id"), $n_docs, '... no document row';
	ok !-e T::app_conf()->{upload_dir} . '/' . sha256_hex($bytes), '... and no file kept';
}
$res = upload($hub, '/agency/unit/documents', '/agency/unit/documents', 'funds', '小结.docx', $xlsx);
like $res->{text}, qr/扩展名是 \.docx，但文件不是 Word 文档/, 'a workbook renamed to .docx is refused too';

# ------------------------------------------- another unit cannot see it
$res = $win->get('/agency/unit/documents');
unlike $res->{text}, qr/三季度小结\.pdf/, "the window does not see the hub's upload";
is $win->get("/agency/documents/file?id=$doc_id")->{status}, 404, "... nor fetch it by id";
is $win->get('/agency/reviews')->{status}, 403, 'a unit cannot open the reviews';

# ------------------------------------------- the agency uploads, reviews
my $agency = T::demo_login('agency');
$res = $agency->get('/agency/reviews?region=110000');
is $res->{status}, 200, 'agency: the reviews list';
like $res->{text}, qr{href="/agency/reviews/unit\?unit=$hub_id"}, '... lists the hub';
unlike $res->{text}, qr/上海市/, '... of the region asked for only';
my $unit_page = "/agency/reviews/unit?unit=$win_id";
my $paper = "%PDF-1.4\n% received on paper $tag\n%%EOF\n";
$res = upload($agency, "/agency/reviews/upload?unit=$win_id", $unit_page, 'q3_report', '窗口小结.pdf', $paper);
is $res->{status}, 303, "the agency uploads the window's report on its behalf";
is T::db_value("SELECT uploaded_by FROM unit_documents WHERE unit_id = $win_id ORDER BY id DESC LIMIT 1"),
	uid_of('agency'), '... recorded as uploaded by the agency';
like $win->get('/agency/unit/documents')->{text}, qr/窗口小结\.pdf.*?评估机构代传/s, '... the window sees it';
is $agency->get("/agency/documents/file?id=$doc_id")->{status}, 200, "the agency reads the hub's file";

my $versions = T::db_value("SELECT COUNT(*) FROM unit_reviews WHERE unit_id = $hub_id");
my $page = "/agency/reviews/unit?unit=$hub_id";
$res = $agency->get($page);
my ($version) = $res->{text} =~ /name="version" value="(\d+)"/;
ok defined $version, 'the review form carries the version it was read at';
my $csrf = T::csrf_from($res->{text});
my @form = (csrf => $csrf, version => $version, checklist => 'q3_report', checklist => 'funds',
	findings => "三季度小结齐全 <b>$tag</b>", rating1 => 'A', rating2 => 'Z', rating3 => '', rating4 => 'C');
$res = $agency->post($page, \@form);
is $res->{status}, 422, 'a rating outside the scale is refused';
like $res->{text}, qr{<span class="field-error" id="e-rating2">评分须为评分标准中的一项}, '... at its field';
like $res->{text}, qr{<select id="rating2" name="rating2" aria-invalid="true">}, '... marked invalid';
like $res->{text}, qr{三季度小结齐全 &lt;b&gt;\Q$tag\E&lt;/b&gt;</textarea>}, '... the findings kept (escaped)';
like $res->{text}, qr{<option value="A" selected>}, '... the valid ratings kept';
like $res->{text}, qr{value="funds" checked}, '... the checklist kept';
is T::db_value("SELECT COUNT(*) FROM unit_reviews WHERE unit_id = $hub_id"), $versions, '... nothing saved';

$form[-5] = 'B';   # rating2
$res = $agency->post($page, \@form);
is $res->{status}, 303, 'a valid review is saved';
is_deeply [ T::db_query("SELECT version, checklist, rating1, rating2, rating3, rating4 FROM unit_reviews"
	. " WHERE unit_id = $hub_id ORDER BY version DESC LIMIT 1") ],
	[ [ $version + 1, 'q3_report,funds', 'A', 'B', '', 'C' ] ], '... as a new version';
$res = $agency->post($page, \@form);
is $res->{status}, 409, 'the same form posted again (stale version) is refused';
is T::db_value("SELECT COUNT(*) FROM unit_reviews WHERE unit_id = $hub_id"), $versions + 1, '... nothing saved';

$res = $agency->get($page);
($version) = $res->{text} =~ /name="version" value="(\d+)"/;
$res = $agency->post($page, [ csrf => $csrf, version => $version, checklist => 'q3_report',
	findings => "修改后的意见 $tag", rating1 => 'A', rating2 => 'D', rating3 => '', rating4 => 'C' ]);
is $res->{status}, 303, 'a second save';
$res = $agency->get("/agency/reviews/history?unit=$hub_id");
is $res->{status}, 200, 'the history';
like $res->{text}, qr{第 @{[ $version + 1 ]} 版.*?修改后的意见 \Q$tag\E.*?修改前：<del>三季度小结齐全 &lt;b&gt;\Q$tag\E&lt;/b&gt;</del>}s,
	'... the new findings with what they replaced';
like $res->{text}, qr{评估内容二评分：<span class="now">差</span>（修改前：<del>较好</del>）}, '... the changed rating too';
like $res->{text}, qr{材料清单：<span class="now">2013年三季度建设情况和工作小结</span>（修改前：<del>2013年三季度建设情况和工作小结、投资完成和资金到位情况</del>）},
	'... and the checklist';
unlike $res->{text}, qr{第 @{[ $version + 1 ]} 版.*?评估内容一评分.*?第 $version 版}s, '... unchanged fields not repeated';
is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'unit-review-save' AND detail LIKE "
	. T::sql_quote("unit=$hub->{account}{username} version=" . ($version + 1) . ' %')), 1, 'each save is audited';

# --------------------------------------------------- the region's view
my $bj = T::demo_login('region', 0, '110000');
$res = $bj->get('/agency/region');
is $res->{status}, 200, 'region: the agency page';
like $res->{text}, qr{<td>[^<]*</td><td>地区枢纽平台</td><td>2013年三季度建设情况和工作小结</td>}, "... its hub's receipt";
like $res->{text}, qr/评估机构代传/, "... and the one the agency received on paper";
unlike $res->{text}, qr/三季度小结\.pdf|documents\/file/, '... no file';
unlike $res->{text}, qr/\Q$tag\E|修改后的意见|较好/, '... no findings, no ratings';
is $bj->get("/agency/documents/file?id=$doc_id")->{status}, 403, '... cannot fetch the file';
is $bj->get($page)->{status}, 403, '... nor open the review';
my $sh = T::demo_login('region', 0, '310000');
unlike $sh->get('/agency/region')->{text}, qr/北京/, "another region does not see Beijing's receipts";

# ------------------------------------------------ purge keeps the files
{
	my $up = T::app_conf()->{upload_dir};
	my $hex = sha256_hex($pdf);
	utime time - 3 * 86400, time - 3 * 86400, "$up/$hex" or die "$up/$hex: $!";
	my $out = `'$cli' --conf '$conf' purge 2>&1`;
	is $? >> 8, 0, 'purge runs' or diag $out;
	ok -e "$up/$hex", "a unit document's file is kept by purge";
}

done_testing;
