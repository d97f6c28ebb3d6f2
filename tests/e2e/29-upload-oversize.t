#!/usr/bin/perl
# 29-upload-oversize.t - an uploaded file over max_upload is refused at its
# field, not with a 413 for the whole post (issue 9): the web server's body
# limit (65 MiB) and the program's max_body (64 MiB) sit well above
# max_upload (20 MiB), the multipart parser skips the oversized part, and
# the page comes back with the Chinese message at the file field and every
# other answer kept (saved as a draft). Truly absurd bodies are still
# refused: over max_body by the program (413, Chinese), over 65 MiB by nginx.
# The self-evaluation form (附件1, the form with a file field) of a fresh
# region account in the test region T29A01.
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

my $acc = Forms::fresh_accounts('t29', 'T29A01', 'T29A 测试省', [qw(region)]);
my $conf = T::app_conf();
my $max_upload = $conf->{max_upload};
my $f = Forms::load('selfeval');
my $vals = Forms::valid_values($f);
my $reg = $acc->{region};
my $ua = Forms::login_as($reg);

my $page = $ua->get('/form/selfeval');
my $csrf = T::csrf_from($page->{text});
my ($ver) = $page->{text} =~ /name="version" value="(\d+)"/;

my $big = Forms::small_pdf('big') . ('%' x ($max_upload + 1024 * 1024));
my $res = $ua->post_multipart('/form/selfeval', [ @{ Forms::post_params($f, $vals) }, csrf => $csrf,
	version => $ver, action => 'save',
	report_file => { filename => '太大的报告.pdf', content => $big, content_type => 'application/pdf' } ]);
is $res->{status}, 200, 'a file over max_upload: the form again (200), not 413';
like $res->{text}, qr/id="w-report_file".*?文件过大（不能超过 \d+ MB）/s,
	'the Chinese message stands at the file field';
my %shown = %{ Forms::form_values($res->{text}) };
my @lost = grep { my $v = $vals->{$_}; !ref $v && $f->{by}{$_}{type} =~ /^(text|org_name|int|decimal|percent|date|email|phone|zip)$/
	&& ($shown{$_} // '') ne $v } sort keys %$vals;
is scalar(@lost), 0, 'every other answer is shown again' or diag join ', ', @lost;
my $row = Forms::response_row('selfeval', $reg->{id});
ok $row && $row->{status} eq 'draft', 'the other answers are saved as a draft';
my $stored = Forms::stored_answers($row->{id});
my $want = Forms::stored($f, $vals);
my @d = grep { ($stored->{$_} // '') ne ($want->{$_} // '') } sort keys %$want;
is scalar(@d), 0, '... every one of them' or diag join ', ', @d;
ok !defined $stored->{report_file}, '... and no file';

# The same file at the limit is stored.
$page = $ua->get('/form/selfeval');
($ver) = $page->{text} =~ /name="version" value="(\d+)"/;
$res = $ua->post_multipart('/form/selfeval', [ @{ Forms::post_params($f, $vals) }, csrf => T::csrf_from($page->{text}),
	version => $ver, action => 'save',
	report_file => { filename => '报告.pdf', content => Forms::small_pdf('ok'), content_type => 'application/pdf' } ]);
ok $res->{status} == 303 || $res->{status} == 200, 'a small file afterwards is accepted';
like Forms::stored_answers($row->{id})->{report_file} // '', qr/^sha256:[0-9a-f]{64}:报告\.pdf$/, '... and stored';

# Absurd bodies: over max_body the program answers 413 in Chinese; over the
# web server's limit nginx refuses before the program.
{
	my $body = 'a=' . ('x' x ($conf->{max_body} + 1024));
	$res = $ua->request('POST', '/form/selfeval', { headers => { 'content-type' => 'application/x-www-form-urlencoded' },
		content => $body });
	is $res->{status}, 413, 'a body over max_body: 413';
	like $res->{text}, qr/提交的内容过大/, '... explained in Chinese';
	$body = 'a=' . ('x' x (66 * 1024 * 1024));
	$res = $ua->request('POST', '/form/selfeval', { headers => { 'content-type' => 'application/x-www-form-urlencoded' },
		content => $body });
	is $res->{status}, 413, 'a body over the web server limit: 413';
}

done_testing;
