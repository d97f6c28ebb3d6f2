#!/usr/bin/perl
# 63-integrity-workload.t - the integrity rules on a generated region
# (issue 20, items 2 and 5; tests/e2e/lib/Workload.pm): 60 genuine SMEs
# (their own browsers and networks, varied answers, human timings injected
# by SQL), the office pattern (one browser and network registering and
# submitting 30 SMEs within minutes, the same answers) and a window
# answering for 6 client organisations from its own browser. Asserts: every
# office and client response is flagged; genuine responses are flagged at
# the rate README states (under 2 %); the flags maintained at submit are the
# ones rebuild-flags recomputes for the office's (which the backdating does
# not touch); the flags name their rules and figures.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;
use Workload;
use Encode ();

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $R = 'T63W';
Workload::clean_region($R);
my $acc = Forms::fresh_accounts('t63', $R, 'T63W 测试省', [qw(window)]);
my $w = Workload::run(region => $R, genuine => 60, office => 30, clients => 6, seed => 63,
	window => $acc->{window}, keep => 1);
is scalar @{ $w->{genuine} }, 60, '60 genuine SMEs registered and submitted';
is scalar @{ $w->{office} }, 30, 'the office registered and submitted 30';
is scalar @{ $w->{clients} }, 6, 'the window submitted for 6 clients';

sub flagged {
	my ($ids) = @_;
	my $in = join ',', @$ids;
	my %f;
	push @{ $f{ $_->[0] } }, $_->[1] for T::db_query("SELECT response_id, rule FROM flags WHERE response_id IN ($in)");
	return \%f;
}

# At submit (before the backdating): the office is caught live.
my $live = flagged($w->{office});
is scalar(keys %$live), 30, 'at submit: every office response is flagged';

my $cli = T::bindir() . '/smesurvey-admin';
my $out = `'$cli' --conf '${\ T::conf_path()}' rebuild-flags 2>&1`;
is $?, 0, 'rebuild-flags' or diag $out;
my $office = flagged($w->{office});
is scalar(keys %$office), 30, 'after the rebuild: every office response is flagged';
is_deeply [ map { join ',', sort @{ $office->{$_} } } sort keys %$office ],
	[ map { join ',', sort @{ $live->{$_} } } sort keys %$live ], '... with the same rules as at submit';
my %rules;
$rules{$_}++ for map { @$_ } values %$office;
is $rules{browser}, 30, 'all by the shared browser';
is $rules{burst}, 30, 'all by the burst from one network';
is $rules{fast}, 30, 'all as too fast';
is $rules{neardup}, 30, 'all as near-duplicates (the same answers but for the contacts)';
my $clients = flagged($w->{clients});
is scalar(keys %$clients), 6, "every client response the window typed is flagged";
my %crules;
$crules{$_}++ for map { @$_ } values %$clients;
is $crules{browser}, 6, '... by the browser shared with the window account';
is $crules{neardup}, 6, '... as near-duplicates of each other';
is $crules{straight}, 6, '... and as straight-lining on the satisfaction grid';

my $genuine = flagged($w->{genuine});
my $rate = scalar(keys %$genuine) / 60;
diag sprintf 'genuine responses flagged: %d of 60 (%.1f %%): %s', scalar(keys %$genuine), $rate * 100,
	join(' ', map { "$_=" . join('+', @{ $genuine->{$_} }) } sort keys %$genuine);
cmp_ok $rate, '<', 0.02, 'genuine responses flagged under 2 % (README)';

my ($fig) = T::db_value("SELECT figures FROM flags WHERE rule = 'fast' AND response_id = $w->{office}[0]");
like $fig, qr/有效作答时间 \d+ 秒，已答 \d+ 项，下限 \d+ 秒/, 'a flag says why, with the figures';
my $others = T::db_value("SELECT others FROM flags WHERE rule = 'browser' AND response_id = $w->{office}[-1]");
like $others, qr/^\d+(,\d+)+$/, '... and names the other responses involved';

# ------------------------------------------------ excluding them (items 3, 4)
# The agency excludes every flagged response through the review page; the
# region's SME indicators then equal those of the genuine responses alone.
my $ag = T::demo_login('agency');
my @flagged = map { $_->[0] } T::db_query("SELECT DISTINCT response_id FROM flags WHERE region_code = '$R'");
my $csrf = T::csrf_from($ag->get("/admin/integrity/response?id=$flagged[0]")->{text});
my $ok = grep { $ag->post("/admin/integrity/response?id=$_", [ csrf => $csrf, decision => 'excluded',
	note => '代填' ])->{status} == 303 } @flagged;
is $ok, scalar @flagged, 'the agency excludes every flagged response (' . scalar(@flagged) . ')';
sub region_values {
	my ($q) = @_;
	my %v;
	for (split /\r\n/, Encode::decode('UTF-8', $ag->get("/admin/indicators.csv?$q")->{content})) {
		my @c = split /,/;
		$v{ $c[2] } = $c[5] if @c >= 8 && $c[0] eq $R;
	}
	return \%v;
}
my ($drop, $keep) = (region_values(''), region_values('excluded=keep'));
is $drop->{excluded_responses}, scalar @flagged, 'the CSV says how many were excluded';
my $gids = join ',', @{ $w->{genuine} };
my $moved = 0;
for my $ind ([ 'e3_quality', 'q10_quality', 3 ], [ 'e3_free', 'q11_free', 1 ], [ 'e3_assured', 'q14_assured', 1 ],
             [ 'e3_complaint', 'q13_complaint', 1 ]) {
	my ($code, $field, $opt) = @$ind;
	my ($yes, $n) = @{ (T::db_query("SELECT SUM(value = '$opt'), COUNT(*) FROM answers WHERE code = '$field'"
		. " AND response_id IN ($gids)"))[0] };
	next unless $n;
	my $g = 100 * $yes / $n;
	cmp_ok abs($drop->{$code} - $g), '<=', 0.06, "$code without the excluded: the genuine value ("
		. sprintf('%.1f', $g) . " %, was $keep->{$code})";
	$moved++ if abs($keep->{$code} - $g) > abs($drop->{$code} - $g);
}
cmp_ok $moved, '>=', 1, 'excluding them moves the indicators back toward the genuine values';

# The decisions taken back (SQL, then the recount): the other tests' oracles
# (45-indicators.t) count every submitted response.
T::db_query('DELETE FROM flag_reviews WHERE response_id IN (' . join(',', @flagged) . ')');
T::rebuild_aggregates();

done_testing;
