#!/usr/bin/perl
# 38-save-unchanged.t - a save writes only answers that changed (issue 21
# item 2, sql/081_response_save_unchanged.sql): the stored answers are
# compared with the posted ones under the row's lock, and when they are the
# same none is deleted or inserted; any difference - a value differing only
# in letter case, one answer more or fewer, one answer swapped for another -
# replaces them as before. Every save still counts (version, paradata), and
# the submit after its confirmation step (the same answers again) submits.
# Fresh accounts in the test region T38U01.
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

my $f = Forms::load('sme');
my $sme = Forms::fresh_accounts('t38u', 'T38U01', 'T38U 测试省', [qw(sme)])->{sme};
my $ua = Forms::login_as($sme);
my $csrf = T::csrf_from($ua->get('/form/sme')->{text});

# Rows inserted and deleted in the whole server (the test stack runs one
# test at a time; a draft save inserts or deletes nothing but answers).
sub rows_written {
	my %s = map { $_->[0] => $_->[1] } T::db_query("SHOW GLOBAL STATUS WHERE Variable_name IN "
		. "('Handler_write', 'Handler_delete')");
	return $s{Handler_write} + $s{Handler_delete};
}

sub save {
	my ($vals, $what) = @_;
	my $res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => $csrf, action => 'save' ]);
	is $res->{status}, 303, "$what: saved";
}

my $vals = Forms::valid_values($f);
$vals->{q1_name} = 'Alpha 测试企业';
save($vals, 'a full draft');
my $row = Forms::response_row('sme', $sme->{id});
my $id = $row->{id};
my $stored = Forms::stored_answers($id);
my $n = keys %$stored;
ok $n >= 10, "the draft has its answers ($n)";
my $version = T::db_value("SELECT version FROM responses WHERE id = $id");
my $saves = T::db_value("SELECT saves FROM paradata WHERE form = 'sme' AND user_id = $sme->{id}");

my $before = rows_written();
save($vals, 'the same answers again');
is rows_written() - $before, 0, '... no answer row deleted or inserted';
is_deeply Forms::stored_answers($id), $stored, '... the stored answers are as they were';
is T::db_value("SELECT version FROM responses WHERE id = $id"), $version + 1, '... the version counts the save';
is T::db_value("SELECT saves FROM paradata WHERE form = 'sme' AND user_id = $sme->{id}"), $saves + 1,
	'... and so does the paradata';

# Letter case only: the comparison is of bytes, not of the collation's
# idea of equal.
$vals->{q1_name} = 'ALPHA 测试企业';
$before = rows_written();
save($vals, 'one value differing in letter case only');
ok rows_written() - $before >= 2 * $n, '... the answers are replaced';
is Forms::stored_answers($id)->{q1_name}, 'ALPHA 测试企业', '... the new value is stored';

# One answer fewer (an optional field emptied), then one swapped: the same
# number of answers as stored, one code different.
my ($optional) = grep { !$_->{required} && $_->{type} =~ /^(text|textarea)$/ && defined $vals->{ $_->{code} } }
	@{ $f->{fields} };
SKIP: {
	skip 'the SME form has no optional text answer', 4 unless $optional;
	my $code = $optional->{code};
	my $kept = delete $vals->{$code};
	save($vals, "without $code");
	ok !exists Forms::stored_answers($id)->{$code}, "... $code is no longer stored";
	is scalar(keys %{ Forms::stored_answers($id) }), $n - 1, '... one answer fewer';

	$vals->{$code} = $kept;
	my $other = $vals->{q1_name};
	delete $vals->{q1_name};
	# q1_name is required: the draft keeps it out and says so, as any draft.
	save($vals, "with $code again and without q1_name");
	my $now = Forms::stored_answers($id);
	ok exists $now->{$code} && !exists $now->{q1_name}, '... the swapped answers are stored';
	$vals->{q1_name} = $other;
}

# The submit: saved as a draft at the confirmation step, then the same
# answers again with confirm=1.
save($vals, 'the full draft once more');
my $res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => $csrf, action => 'submit' ]);
is $res->{status}, 200, 'submit: the confirmation step';
my $v = T::db_value("SELECT version FROM responses WHERE id = $id");
$before = rows_written();
$res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => $csrf, action => 'submit',
	confirm => 1, version => $v ]);
ok $res->{status} == 303 || $res->{status} == 200, 'submit confirmed';
is Forms::response_row('sme', $sme->{id})->{status}, 'submitted', '... the response is submitted';
is_deeply Forms::stored_answers($id), Forms::stored($f, $vals), '... with the answers posted';

done_testing;
