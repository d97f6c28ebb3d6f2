#!/usr/bin/perl
# 38-quiet-drafts.t - quiet drafts, deliberate submits (issue 9, item 4):
# saving a partial draft reports only format problems (a letter in a number),
# never unanswered required questions, and the saved confirmation carries
# its time at the top and next to the buttons; a submit is a confirmation
# step first (without script: a server-rendered page listing the optional
# questions left unanswered, the answers kept as a draft meanwhile), and the
# submitted form says what happens next. Fresh sme accounts in T38A01.
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

my $acc = Forms::fresh_accounts('t38', 'T38A01', 'T38A 测试省', [qw(sme)]);
my $f = Forms::load('sme');
my $sme = $acc->{sme};
my $ua = Forms::login_as($sme);

sub hidden_of {
	my ($html) = @_;
	my @p;
	while ($html =~ /<input\b([^>]*)>/g) {
		my $a = $1;
		push @p, Forms::attr($a, 'name') => Forms::attr($a, 'value') // ''
			if (Forms::attr($a, 'type') // '') eq 'hidden';
	}
	return \@p;
}
sub page_ver { my ($html) = @_; return $html =~ /name="version" value="(\d+)"/ ? $1 : undef }

# ---- a partial draft with a letter in a number field
my $page = $ua->get('/form/sme');
my $csrf = T::csrf_from($page->{text});
my $res = $ua->post('/form/sme', [ csrf => $csrf, version => page_ver($page->{text}), action => 'save',
	q1_name => '安静草稿公司', q1_staff => '12a' ]);
is $res->{status}, 200, 'a draft with a malformed number: the form again';
like $res->{text}, qr/草稿已保存（\d\d:\d\d）。有 1 处填写格式不正确/, 'the notice counts only the format problem, with the time';
like $res->{text}, qr/id="w-q1_staff".*?class="field-error"/s, 'the error stands at the number field';
unlike $res->{text}, qr/请填写此项|请选择一项|请至少选择一项/, 'no "required" message for the unanswered questions';
my $row = Forms::response_row('sme', $sme->{id});
is $row->{status}, 'draft', 'saved as a draft';
is Forms::stored_answers($row->{id})->{q1_name}, '安静草稿公司', 'with what was typed';

# ---- a partial draft without format problems: the plain confirmation
$page = $ua->get('/form/sme');
$res = $ua->post('/form/sme', [ csrf => $csrf, version => page_ver($page->{text}), action => 'save',
	q1_name => '安静草稿公司', q1_staff => '12' ]);
is $res->{status}, 303, 'a partial draft without format problems: saved, redirected';
$page = $ua->get($res->{headers}{location});
like $page->{text}, qr{<main[^>]*>.*?<p class="notice" role="status">草稿已保存（\d\d:\d\d）。</p>}s,
	'the saved confirmation, with its time, at the top';
like $page->{text}, qr{<div class="actions">.*?<span class="save-note">草稿已保存（\d\d:\d\d）。</span>}s,
	'... and again next to the buttons';
unlike $page->{text}, qr/id="form-errors"/, 'no error summary';

# ---- submit: the confirmation step first
my $vals = Forms::valid_values($f);
delete $vals->{q1_assets};      # optional since codebook revision 2
$page = $ua->get('/form/sme');
$res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => $csrf,
	version => page_ver($page->{text}), action => 'submit' ]);
is $res->{status}, 200, 'a complete submit: the confirmation step (200)';
like $res->{text}, qr{<h2 id="confirm-h">确认提交</h2>}, '... headed 确认提交';
like $res->{text}, qr{选填问题尚未填写.*?<li>资产总额</li>}s, '... listing the optional question left open by its label';
like $res->{text}, qr/提交后本表不能再修改/, '... saying a submit is final';
is Forms::response_row('sme', $sme->{id})->{status}, 'draft', 'nothing is submitted before the confirmation';
my $st = Forms::stored_answers($row->{id});
is $st->{q1_name}, $vals->{q1_name}, '... but the answers are kept as a draft';
like $res->{text}, qr{<a href="/form/sme">返回修改</a>}, 'a way back to the form';

$res = $ua->post('/form/sme', [ @{ hidden_of($res->{text}) }, action => 'submit' ]);
is $res->{status}, 303, 'confirmed: submitted';
is Forms::response_row('sme', $sme->{id})->{status}, 'submitted', '... stored as submitted';
$page = $ua->get($res->{headers}{location});
like $page->{text}, qr/提交成功/, 'the success message';
like $page->{text}, qr/接下来：评估机构将汇总审核/, 'what happens next: who reviews';
like $page->{text}, qr/只能由工业和信息化部（评估机构）.*?重新开放/, '... who can reopen it';
like $page->{text}, qr/填报截止时间 \d{4}-\d\d-\d\d/, '... and the deadline';

done_testing;
