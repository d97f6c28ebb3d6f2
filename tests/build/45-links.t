#!/usr/bin/perl
# 45-links.t - each program loads only the libraries its pages use (issue 21
# item 3: a worker's memory is mostly the libraries it maps; cairo alone
# brings pixman, X11, xcb, freetype and fontconfig, about 1.7 MB of every
# worker). The libraries a program needs (readelf's NEEDED, after a build)
# come from the objects it links, so one stray call (a label function beside
# the PDF code) pulls a whole library into programs that never draw a PDF.
# Below, which programs may load each heavy library; any other that does
# fails. cairo and libqrencode are linked by none: the slips and the
# agency's documents load them on first use (core/lazylib.h). Measured:
# scripts/bench-rss (make bench).
use strict;
use warnings;
use Test::More;
use FindBin;
use Cwd qw(abs_path);

my $root = abs_path("$FindBin::Bin/../..");
chdir $root or die "$root: $!";
system('make', '--no-print-directory', '-s', 'all') == 0 or BAIL_OUT('make all failed');

# library (NEEDED name prefix) => the programs allowed to load it, and why
my %allowed = (
	'libcairo.so'     => [ [], 'PDFs: loaded by the first one a worker draws' ],
	'libqrencode.so'  => [ [], 'QR codes: loaded with the first slips' ],
	'libfreexl.so'    => [ [qw(smesurvey-region smesurvey-admin smesurvey-agency)], '.xls frames and targets' ],
	'libzip.so'       => [ [qw(smesurvey-region smesurvey-agency smesurvey-admin), map { "smesurvey-form-$_" }
		qw(selfeval hub window resource sme)],
		'.xlsx frames and targets; the questionnaires\' .xlsx/.docx uploads checked for their main part' ],
	'libreadstat.so'  => [ [qw(smesurvey-export smesurvey-adminweb)], 'SPSS exports' ],
	'libxlsxwriter.so' => [ [qw(smesurvey-export smesurvey-adminweb smesurvey-region smesurvey-agency)], 'XLSX exports' ],
);

open my $fh, '<', 'conf/programs' or die "conf/programs: $!";
my @progs = ((grep { !/^#/ && /\S/ } map { chomp; $_ } <$fh>), qw(smesurvey-admin smesurvey-supervise));
ok @progs > 10, scalar(@progs) . ' programs';

for my $p (@progs) {
	my $bin = "build/bin/$p";
	my @needed = map { /\[(.+)\]/ ? $1 : () } grep { /\(NEEDED\)/ } `readelf -d $bin`;
	ok @needed, "$p: readelf lists its libraries" or next;
	my @stray;
	for my $lib (sort keys %allowed) {
		my ($who, $why) = @{ $allowed{$lib} };
		next if grep { $_ eq $p } @$who;
		push @stray, "$lib ($why)" if grep { index($_, $lib) == 0 } @needed;
	}
	is_deeply \@stray, [], "$p loads no library of pages it does not serve" or diag "NEEDED: @needed";
}
done_testing();
