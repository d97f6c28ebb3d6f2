#!/usr/bin/perl
# 59-progress-opens.t - the progress pages open the responses they count
# (issue 23 item 10): on /admin the per-form counts of a region link to the
# response list filtered by region, form and status, whose rows open the
# response; on /region/progress a region opens an SME's response (read-only
# print view) and its own report, not a hub's (which it may not enter).
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

my $R = 'T59A';
my $acc = Forms::fresh_accounts('t59a', $R, 'T59A 测试省', [qw(region hub sme)]);
T::rebuild_aggregates();

# The SME submits, the hub keeps a draft (through the web: the counters move).
for my $k (qw(sme hub)) {
	my $f = Forms::load($k);
	my $ua = Forms::login_as($acc->{$k});
	my $csrf = $ua->csrf_of("/form/$k");
	my $res = $ua->post("/form/$k", [ csrf => $csrf, action => $k eq 'sme' ? 'submit' : 'save',
		($k eq 'sme' ? (confirm => 1) : ()), @{ Forms::post_params($f, Forms::valid_values($f)) } ]);
	ok $res->{status} == 303 || $res->{status} == 200, "$k: " . ($k eq 'sme' ? 'submitted' : 'draft saved');
}

# ------------------------------------------------------------- /admin
my $admin = T::demo_login('admin');
my $page = $admin->get('/admin')->{text};
my $sub = qq{/admin/responses?region=$R&amp;form=sme&amp;status=submitted};
like $page, qr{<a class="done" href="\Q$sub\E">1</a>}, '/admin: the region\'s submitted SME count links to those responses';
like $page, qr{<a class="drafts" href="/admin/responses\?region=$R&amp;form=hub&amp;status=draft">1</a>},
	'... and the draft count to the drafts';
(my $url = $sub) =~ s/&amp;/&/g;
my $list = $admin->get($url);
is $list->{status}, 200, 'the link opens the filtered response list';
my ($view) = $list->{text} =~ m{href="(/admin/responses/view\?id=\d+)"};
ok $view, '... which links the response';
my $one = $admin->get($view // '/none');
is $one->{status}, 200, '... and it opens';
like $one->{text}, qr/T59A 测试省 sme 测试单位/, '... the SME\'s response';

# ---------------------------------------------------- /region/progress
my $reg = Forms::login_as($acc->{region});
$page = $reg->get('/region/progress')->{text};
my ($sme_link) = $page =~ m{<tr data-account="$acc->{sme}{id}">.*?<a href="([^"]+)">查看</a>}s;
is $sme_link, "/form/sme/print?for=$acc->{sme}{id}", '/region/progress: an SME\'s response opens read-only';
my $res = $reg->get($sme_link // '/none');
is $res->{status}, 200, '... and the page opens for the region';
like $res->{text}, qr/T59A 测试省 sme 测试单位/, '... with the SME\'s answers';
like $page, qr{<tr data-account="$acc->{hub}{id}">(?:(?!</tr>).)*<td>—</td></tr>}s,
	'... a hub\'s response is not offered (the region may not enter it)';
like $reg->get('/admin')->{text}, qr/无权访问/, 'the region cannot follow the admin links';
done_testing;
