#!/usr/bin/perl
# 40-once.t - each user-facing sentence is written once: a string literal
# in cgi-bin that holds Chinese and ends a sentence (。！？) may appear in
# one place only; what several pages say lives in cgi-bin/core/msg.h.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;

my $root = "$FindBin::Bin/../..";
my @files = split /\n/, `find '$root/cgi-bin' -name '*.[ch]' | sort`;
ok @files > 50, scalar(@files) . ' source files';

my %where;
for my $file (@files) {
	open my $fh, '<:encoding(UTF-8)', $file or die "$file: $!";
	my $src = do { local $/; <$fh> };
	$src =~ s{/\*.*?\*/}{ my $c = $&; $c =~ tr/\n//cd; $c }gse;
	my $line = 1;
	(my $rel = $file) =~ s{^\Q$root\E/}{};
	for my $piece (split /(\n)/, $src) {
		if ($piece eq "\n") { $line++; next }
		while ($piece =~ /"((?:[^"\\]|\\.)*)"/g) {
			my $s = $1;
			next unless $s =~ /\p{Han}/ && $s =~ /[。！？]$/;
			push @{ $where{$s} }, "$rel:$line";
		}
	}
}
ok scalar(keys %where) > 50, scalar(keys %where) . ' sentences found';
my @repeated = map { "\"$_\": " . join(', ', @{ $where{$_} }) } grep { @{ $where{$_} } > 1 } sort keys %where;
is_deeply \@repeated, [], 'no sentence is written in two places (put it in core/msg.h)'
	or diag join "\n", @repeated;

done_testing;
