#!/usr/bin/perl
# 10-core.t - the core library (cgi-bin/core) stays a core: its modules
# include only each other, without a cycle (a module is x.c with x.h), and
# it knows nothing of the questionnaires: no form name appears in its code.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Cycles;

my $root = "$FindBin::Bin/../..";
my $core = "$root/cgi-bin/core";
opendir my $dh, $core or die "$core: $!";
my @files = sort grep { /\.[ch]$/ } readdir $dh;
closedir $dh;
my %module = map { (my $m = $_) =~ s/\.[ch]$//; ($m => 1) } @files;
ok scalar(keys %module) > 5, 'core modules found';

sub slurp { open my $f, '<', $_[0] or die "$_[0]: $!"; local $/; <$f> }

# Module graph: x -> y when x.c or x.h includes "y.h".
my %edges;
for my $file (@files) {
	(my $from = $file) =~ s/\.[ch]$//;
	for my $inc (slurp("$core/$file") =~ /^\s*#\s*include\s+"([^"]+)\.h"/mg) {
		if (!$module{$inc}) {
			fail "$file includes \"$inc.h\", which is not a core header";
			next;
		}
		$edges{$from}{$inc} = 1 if $inc ne $from;
	}
}

# A back edge found by depth-first search closes a cycle (lib/Cycles.pm).
my @cycles = Cycles::find(\%edges, sort keys %module);
is_deeply(\@cycles, [], 'the include graph of cgi-bin/core has no cycle')
	or diag(join "\n", map { "cycle: $_" } @cycles);

# Form names, from the Makefile's list of questionnaires.
my ($forms) = slurp("$root/Makefile") =~ /^FORMS\s*=\s*(.+)$/m;
my @forms = split ' ', $forms;
ok @forms >= 5, "questionnaires from the Makefile: @forms";
my $word = join '|', @forms;

# Code only: comments may describe the survey. A whole word (an identifier
# or config key merely containing one, like ROLE_SME or sample_sme, is not a
# mention). The roles table in auth.c names the respondent roles, whose
# codes are spelled like the forms they fill: that column is the one
# exception, and it says nothing about the forms themselves.
my @hits;
for my $file (@files) {
	my $src = slurp("$core/$file");
	$src =~ s{/\*.*?\*/}{ my $c = $&; $c =~ tr/\n//cd; $c }gse;
	$src =~ s{//[^\n]*}{}g;
	my $n = 0;
	for my $line (split /\n/, $src, -1) {
		$n++;
		next if $file eq 'auth.c' && $line =~ /^\s*\[ROLE_[A-Z]+\]\s*=\s*\{\s*"(?:$word)",\s*"[^"]*",\s*NULL\s*\},\s*$/;
		push @hits, "$file:$n: $line" if $line =~ /(?<![A-Za-z0-9_])(?:$word)(?![A-Za-z0-9_])/i;
	}
}
is_deeply(\@hits, [], 'nothing in cgi-bin/core mentions a questionnaire')
	or diag(join "\n", @hits);

done_testing;
