#!/usr/bin/perl
# 34-selfeval-file.t - GET /form/selfeval/file: the region's own uploaded
# self-evaluation report, byte-identical, as an attachment with the original
# name (RFC 5987 filename*), its type detected from the bytes, nosniff; no
# other region (whatever parameters) and no other role can fetch it.
# Fresh accounts in regions T30G01 and T30G02.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;
use Digest::SHA qw(sha256_hex);
use Encode ();

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $a = Forms::fresh_accounts('t30g', 'T30G01', 'T30G 测试省', [qw(region sme)]);
my $b = Forms::fresh_accounts('t30h', 'T30G02', 'T30H 测试省', [qw(region)]);
my $f = Forms::load('selfeval');
my ($ff) = grep { $_->{type} eq 'file' } @{ $f->{fields} };

sub upload {
	my ($ua, $filename, $content, $type) = @_;
	my $page = $ua->get('/form/selfeval');
	return $ua->post_multipart('/form/selfeval', [ csrf => T::csrf_from($page->{text}), action => 'save',
		$ff->{code} => { filename => $filename, content => $content, content_type => $type } ]);
}

sub header { my ($res, $h) = @_; my $v = $res->{headers}{$h}; return ref $v ? join(', ', @$v) : $v // '' }

sub filename_star {
	my ($cd) = @_;
	return undef unless $cd =~ /filename\*=UTF-8''([^;\s]+)/;
	(my $s = $1) =~ s/%([0-9A-Fa-f]{2})/chr hex $1/ge;
	return Encode::decode('UTF-8', $s);
}

my $r1 = Forms::login_as($a->{region});
my $r2 = Forms::login_as($b->{region});

is $r1->get('/form/selfeval/file')->{status}, 404, 'nothing to download before an upload';

my $pdf = Forms::small_pdf('T30G01 report');
my $name = "北京市 自评估; 报告 (盖章版) 'v2' 100%.pdf";
# A draft reports only format problems, never unanswered required fields
# (issue 9): the draft is saved and the page redirects (303).
is upload($r1, $name, $pdf, 'application/octet-stream')->{status}, 303,
	'report uploaded with the draft (other required fields still missing, not reported)';
my $res = $r1->get('/form/selfeval');
like $res->{text}, qr{href="/form/selfeval/file"}, 'the form links to the uploaded file';

$res = $r1->get('/form/selfeval/file');
is $res->{status}, 200, 'owner downloads the report';
is sha256_hex($res->{content}), sha256_hex($pdf), 'byte-identical (sha256)';
is header($res, 'content-type'), 'application/pdf', 'Content-Type detected as PDF (not the posted octet-stream)';
my $cd = header($res, 'content-disposition');
like $cd, qr/^attachment;/, 'served as an attachment';
like $cd, qr/filename="[\x20-\x7e]+"/, 'with an ASCII fallback filename';
unlike $cd =~ /filename="([^"]*)"/ ? $1 : '', qr/[";\\]/, 'the fallback name has no quote, semicolon or backslash';
is filename_star($cd), $name, 'filename* (RFC 5987) carries the original name';
like header($res, 'x-content-type-options'), qr/nosniff/, 'X-Content-Type-Options: nosniff';
like header($res, 'cache-control'), qr/no-store/, 'not cached';

# Another region: its own file only, whatever the parameters.
my $rid = Forms::response_row('selfeval', $a->{region}{id})->{id};
for my $q ('', "?id=$rid", "?response_id=$rid", "?user_id=$a->{region}{id}", '?region=T30G01') {
	my $res = $r2->get("/form/selfeval/file$q");
	ok $res->{status} == 404 || $res->{status} == 403, "region 2 GET /form/selfeval/file$q refused ($res->{status})";
	isnt sha256_hex($res->{content} // ''), sha256_hex($pdf), "region 2 GET /form/selfeval/file$q: not region 1's bytes";
}
is $r2->get("/form/selfeval/file?for=$a->{region}{id}")->{status}, 403, 'for= refused on the file';
my $pdf2 = Forms::small_pdf('T30G02 report');
upload($r2, 'report.pdf', $pdf2, 'application/pdf');
$res = $r2->get("/form/selfeval/file?id=$rid");
is sha256_hex($res->{content}), sha256_hex($pdf2), "region 2 with region 1's id still gets only its own file";

my $sme = Forms::login_as($a->{sme});
is $sme->get('/form/selfeval/file')->{status}, 403, 'an sme account cannot download reports';
is T::new_agent()->get('/form/selfeval/file')->{status}, 303, 'anonymous is sent to login';
is $sme->get('/form/sme/file')->{status}, 404, 'forms without a file field have no /file';

# Replacing the report with a DOCX: type from its bytes.
my $docx = T::zip_of('[Content_Types].xml' => '<Types/>', 'word/document.xml' => '<w:document/>');
is upload($r1, '报告.docx', $docx, 'application/pdf')->{status}, 303, 'report replaced by a DOCX';
$res = $r1->get('/form/selfeval/file');
is sha256_hex($res->{content}), sha256_hex($docx), 'the new file is served';
is header($res, 'content-type'), 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	'Content-Type detected as DOCX';
is filename_star(header($res, 'content-disposition')), '报告.docx', 'with its own name';

# A file whose content does not match its extension is not stored.
$res = upload($r1, 'evil.pdf', "<html><script>alert(1)</script></html>", 'application/pdf');
like $res->{text}, qr/文件内容与扩展名不符/, 'HTML disguised as PDF refused';
is sha256_hex($r1->get('/form/selfeval/file')->{content}), sha256_hex($docx), 'the stored report is unchanged';

done_testing;
