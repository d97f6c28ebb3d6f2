#!/usr/bin/perl
# 72-access-matrix.t - the access matrix (tests/access/matrix.tsv) walked
# over HTTP: every route of every program's page table (`PROGRAM --routes`)
# for every principal (anonymous, each role, a region's own and another
# region's objects) answers what the matrix says. A route without rows that
# cover every principal fails, and so does a row for a route no program
# serves: the matrix grows with the page tables.
#
# POST rows are sent without a CSRF token and with an empty body, so that
# nothing changes: a principal the page table admits reaches the handler
# and gets its CSRF refusal (`csrf`), any other the dispatcher's answer
# (`login` or `403`). What a valid token may do is 73-csrf-methods.t's.
#
# ACCESS_RECORD=FILE writes what every route answered to every principal
# (TSV, the matrix's format, one row each) instead of failing, to help
# write rows for a new route.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Access;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my @routes = Access::routes();
ok @routes > 50, scalar(@routes) . ' routes from the page tables';
my $m = Access::matrix();
my @everyone = @{ $m->{order} };

# ---- the matrix covers the page tables, and only them
my %route = map { ("$_->[0] $_->[1]" => $_) } @routes;
my %bare;    # "METHOD path" => { principal => 1 } from rows without a query
for my $r (@{ $m->{rows} }) {
	my $k = "$r->{method} $r->{path}";
	(my $unslashed = $k) =~ s{(.)/$}{$1};
	my $known = $route{$k} || ($route{$unslashed} && $route{$unslashed}[3] =~ /slash/);
	ok $known, "matrix line $r->{line}: $k is a route of a page table" unless $known;
	next if $r->{target} ne $r->{path};
	$bare{$k}{$_} = 1 for @{ $r->{who} };
}
for my $rt (@routes) {
	my $k = "$rt->[0] $rt->[1]";
	my @missing = grep { !$bare{$k}{$_} } @everyone;
	ok !@missing, "$k ($rt->[4]): every principal has a row" or diag "missing: @missing";
}

# ---- the walk
my $record;
if (my $f = $ENV{ACCESS_RECORD}) {
	open $record, '>:encoding(UTF-8)', $f or die "$f: $!";
}
sub fetch {
	my ($method, $target, $who) = @_;
	my $ua = Access::agent($m, $who);
	return $method eq 'GET' ? $ua->get($target)
	                        : $ua->post($target, []);
}
my $n = 0;
if ($record) {
	for my $rt (@routes) {
		for my $who (@everyone) {
			my $res = fetch($rt->[0], $rt->[1], $who);
			print $record join("\t", $rt->[0], $rt->[1], $who, Access::observed($res)), "\n";
		}
	}
	pass 'recorded into ' . $ENV{ACCESS_RECORD};
} else {
	for my $r (@{ $m->{rows} }) {
		my $target = Access::resolve($r->{target});
		my @bad;
		for my $who (@{ $r->{who} }) {
			my $res = fetch($r->{method}, $target, $who);
			$n++;
			push @bad, "$who: " . Access::observed($res) unless Access::meets($res, $r->{expect});
		}
		ok !@bad, "$r->{method} $r->{target} -> $r->{expect} for " . join(',', @{ $r->{who} })
			or diag "line $r->{line}; got " . join('; ', @bad);
	}
	note "$n requests";
}

done_testing();
