#!/usr/bin/perl
# 60-programs.t - conf/programs is the one list of FastCGI programs: the
# Makefile builds exactly those, scripts/stack and the installed init script
# take it from there, and each web-server template routes to each program's
# socket and to no other.
use strict;
use warnings;
use Test::More;
use FindBin;
use Cwd qw(abs_path);

my $root = abs_path("$FindBin::Bin/../..");
chdir $root or die "$root: $!";
sub slurp { open my $f, '<', $_[0] or die "$_[0]: $!"; local $/; <$f> }

my @progs = grep { /\S/ && !/^#/ } split /\n/, slurp('conf/programs');
ok @progs >= 10, scalar(@progs) . ' programs listed';

my ($line) = grep { /^FCGI_PROGS :=/ } `make --no-print-directory -pn 2>/dev/null`;
my @built = split ' ', ($line // '') =~ s/^FCGI_PROGS :=\s*//r;
is_deeply \@built, \@progs, 'the Makefile builds and installs the programs of conf/programs';

for my $file (qw(scripts/stack conf/smesurvey.init)) {
	my $src = slurp($file);
	my @named = grep { $src =~ /\Q$_\E/ } @progs;
	is_deeply \@named, [], "$file names no program itself (it takes conf/programs)";
}
like slurp('conf/smesurvey.init'), qr/^PROGRAMS="\@PROGRAMS\@"$/m, 'the init script gets the list at install';

for my $t (qw(conf/nginx-app.conf.in conf/apache-app.conf.in)) {
	my %routed = map { $_ => 1 } slurp($t) =~ /\@RUNDIR\@\/(smesurvey-[a-z-]+)\.sock/g;
	is_deeply [ sort keys %routed ], [ sort @progs ], "$t routes to every program's socket and no other";
}

done_testing;
