#!/usr/bin/perl
# 37-autosave.t - the partial draft endpoint form.js autosaves to (issue 9):
# POST /form/<name>/autosave with only the changed fields (named in
# fields=) keeps every other stored answer, clears a field named but sent
# empty, answers JSON with the save time and the new version; it refuses a
# wrong CSRF token (403), another account's response (403), a submitted
# response (409), a lapsed session (401). GET /form/<name>/alive keeps the
# session alive (204). Fresh accounts in the test region T37A01.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;
use JSON::PP;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $acc = Forms::fresh_accounts('t37', 'T37A01', 'T37A 测试省', [qw(sme sme)]);
my $f = Forms::load('sme');
my $vals = Forms::valid_values($f);
my $sme = $acc->{sme};
my $ua = Forms::login_as($sme);

sub json_of { my ($res) = @_; return eval { JSON::PP->new->utf8->decode($res->{content}) } // {} }

# A full draft first.
my $page = $ua->get('/form/sme');
my $csrf = T::csrf_from($page->{text});
my $res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => $csrf, version => 0, action => 'save' ]);
is $res->{status}, 303, 'a full draft is saved';
my $row = Forms::response_row('sme', $sme->{id});
my $before = Forms::stored_answers($row->{id});
my $ver = T::db_value("SELECT version FROM responses WHERE id = $row->{id}");
ok $before->{q2_channel}, 'the draft has a multi answer';

# Partial: one text field changed, one multi cleared (named, nothing sent).
$res = $ua->post('/form/sme/autosave', [ csrf => $csrf, fields => 'q1_name,q2_channel', q1_name => '自动保存的新名称' ]);
is $res->{status}, 200, 'autosave: 200';
like $res->{headers}{'content-type'} // '', qr{^application/json}, '... JSON';
my $j = json_of($res);
ok $j->{ok}, '... ok';
like $j->{saved_at} // '', qr/^\d\d:\d\d$/, '... with the time saved (HH:MM)';
is $j->{version}, $ver + 1, '... and the new version';
my $after = Forms::stored_answers($row->{id});
is $after->{q1_name}, '自动保存的新名称', 'the changed field is stored';
ok !defined $after->{q2_channel}, 'the field named but sent empty is cleared';
my @kept = grep { $_ ne 'q1_name' && $_ ne 'q2_channel' && ($after->{$_} // '') ne $before->{$_} } keys %$before;
is scalar(@kept), 0, 'every other stored answer is kept' or diag join ', ', @kept;
is Forms::response_row('sme', $sme->{id})->{status}, 'draft', 'still a draft';

# A full save with the version from the autosave answer is no conflict.
$res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => $csrf, version => $j->{version},
	action => 'save' ]);
is $res->{status}, 303, 'a full save with the version autosave returned: no conflict';

# Refusals.
$res = $ua->post('/form/sme/autosave', [ csrf => 'z' x 64, fields => 'q1_name', q1_name => 'CSRF' ]);
is $res->{status}, 403, 'wrong CSRF token: 403';
ok !json_of($res)->{ok} && json_of($res)->{error}, '... JSON with a message';
isnt Forms::stored_answers($row->{id})->{q1_name}, 'CSRF', '... nothing stored';

my $other = $acc->{sme2};
$res = $ua->post("/form/sme/autosave?for=$other->{id}", [ csrf => $csrf, fields => 'q1_name', q1_name => '别人的' ]);
is $res->{status}, 403, "another account's response: 403";
is Forms::response_row('sme', $other->{id}), undef, '... nothing stored for it';

is $ua->get('/form/sme/alive')->{status}, 204, 'alive: 204';

# Lapsed session: 401, JSON.
{
	my $u2 = Forms::login_as($other);
	my $c2 = $u2->csrf_of('/form/sme');
	T::db_query("UPDATE sessions SET last_seen = NOW() - INTERVAL 2 DAY WHERE user_id = $other->{id}");
	$res = $u2->post('/form/sme/autosave', [ csrf => $c2, fields => 'q1_name', q1_name => 'x' ]);
	is $res->{status}, 401, 'lapsed session: 401';
	like json_of($res)->{error} // '', qr/登录已超时/, '... says so';
}

# Submitted: 409.
$page = $ua->get('/form/sme');
my ($v) = $page->{text} =~ /name="version" value="(\d+)"/;
$res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => $csrf, version => $v, action => 'submit',
	confirm => 1 ]);
if ($res->{status} == 200 && $res->{text} =~ /确认提交/) {
	my @h;
	while ($res->{text} =~ /<input\b([^>]*)>/g) {
		my $a = $1;
		push @h, Forms::attr($a, 'name') => Forms::attr($a, 'value') // '' if (Forms::attr($a, 'type') // '') eq 'hidden';
	}
	$res = $ua->post('/form/sme', [ @h, action => 'submit' ]);
}
is Forms::response_row('sme', $sme->{id})->{status}, 'submitted', 'submitted';
$res = $ua->post('/form/sme/autosave', [ csrf => $csrf, fields => 'q1_name', q1_name => '提交后' ]);
is $res->{status}, 409, 'autosave of a submitted response: 409';
like json_of($res)->{error} // '', qr/已提交/, '... says so';
isnt Forms::stored_answers($row->{id})->{q1_name}, '提交后', '... nothing stored';

done_testing;
