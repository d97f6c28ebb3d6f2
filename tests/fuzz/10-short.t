#!/usr/bin/perl
# 10-short.t - every libFuzzer harness (tests/fuzz/fuzz_*.c, built by
# `make fuzz-build` into build-fuzz/fuzz/) runs a fixed number of inputs
# (FUZZ_RUNS, 10000) from its seed corpus (tests/fuzz/corpus/NAME) with
# scripts/fuzz's limits (512 MB per input in all, 256 MB per allocation,
# 10 s per input): any crash, sanitizer report, leak or limit fails.
# `make fuzz` runs the same harnesses for minutes each.
use strict;
use warnings;
use Test::More;
use FindBin;

my $root = "$FindBin::Bin/../..";
my $runs = $ENV{FUZZ_RUNS} // 10000;
my @names = map { m{/(fuzz_\w+)\.c$} ? $1 : () } sort glob "$root/tests/fuzz/fuzz_*.c";
ok @names >= 8, scalar(@names) . ' harnesses';
for my $n (@names) {
	ok -d "$root/tests/fuzz/corpus/$n", "$n has a seed corpus";
	my $out = `cd '$root' && scripts/fuzz --runs $runs $n 2>&1`;
	is $?, 0, "$n: $runs inputs, no crash and no limit exceeded" or diag $out;
}
done_testing();
