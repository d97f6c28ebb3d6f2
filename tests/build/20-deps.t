#!/usr/bin/perl
# 20-deps.t - the Makefile tracks headers per object (-MMD -MP): after a
# build, a newer header makes `make` rebuild exactly the objects whose source
# includes it, directly or through other headers, and nothing else.
# `make -n -W header` asks what would be rebuilt without touching anything.
use strict;
use warnings;
use Test::More;
use FindBin;
use Cwd qw(abs_path);

my $root = abs_path("$FindBin::Bin/../..");
chdir $root or die "$root: $!";
my @make = ('make', '--no-print-directory');

system(@make, '-s', 'all') == 0 or BAIL_OUT('make all failed');
my @dry = `@make -n all`;
is_deeply [ grep { /\s-c\s/ } @dry ], [], 'after make all, make -n compiles nothing';

sub slurp { open my $f, '<', $_[0] or die "$_[0]: $!"; local $/; <$f> }

# The objects and their sources, as the Makefile builds them.
my @forms = split ' ', (slurp('Makefile') =~ /^FORMS\s*=\s*(.+)$/m)[0];
my %source;
for my $c (glob('cgi-bin/*.c cgi-bin/*/*.c tests/unit/test_*.c')) {
	next if $c eq 'cgi-bin/form-main.c';
	(my $o = "build/obj/$c") =~ s/\.c$/.o/;
	$source{$o} = $c;
}
$source{"build/obj/cgi-bin/form-$_.o"} = 'cgi-bin/form-main.c' for @forms;
$source{'build/obj/gen/codebook.o'} = 'build/gen/codebook.c';

# Quoted includes, resolved like the compiler: the including file's
# directory, then the -I directories of the Makefile.
my @idirs = ('cgi-bin/core', 'cgi-bin/forms', 'cgi-bin/eval', 'cgi-bin/pages', 'cgi-bin/sample', 'build/gen');
my %inc_cache;
sub includes {
	my ($file) = @_;
	return @{ $inc_cache{$file} } if $inc_cache{$file};
	my ($dir) = $file =~ m{^(.*)/[^/]+$};
	my @out;
	for my $name (slurp($file) =~ /^\s*#\s*include\s+"([^"]+)"/mg) {
		my ($found) = grep { -f } map { "$_/$name" } $dir, @idirs;
		push @out, $found if $found;
	}
	$inc_cache{$file} = \@out;
	return @out;
}
sub closure {
	my (%seen, @todo);
	@todo = includes($_[0]);
	while (defined(my $h = shift @todo)) {
		next if $seen{$h}++;
		push @todo, includes($h);
	}
	return \%seen;
}
my %includers;    # header -> objects
for my $o (keys %source) {
	$includers{$_}{$o} = 1 for keys %{ closure($source{$o}) };
}

my @headers = sort glob('cgi-bin/*/*.h tests/unit/*.h');
ok @headers > 10, scalar(@headers) . ' headers';
for my $h (@headers) {
	my @would = sort map { /\s-o\s+(\S+\.o)\s/ ? $1 : () } `@make -n -W $h all`;
	my @want = sort keys %{ $includers{$h} || {} };
	is_deeply \@would, \@want, "$h: rebuilds exactly its " . scalar(@want) . ' includers';
}

done_testing;
