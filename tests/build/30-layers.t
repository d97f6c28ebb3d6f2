#!/usr/bin/perl
# 30-layers.t - the rooms of cgi-bin keep their layering (doc/layers.md) and
# their functions stay short:
#   - each layer is compiled with only the include paths it may use (read
#     from the compile commands `make -n -B` would run), so the compiler
#     refuses an upward #include;
#   - after a build, no object of the library references a symbol defined
#     in a layer it may not use, and the objects' references have no circle
#     (aggr <-> form_store, form <-> form_file, frame <-> xlsx were three);
#   - no file outside a program's folder includes that program's header;
#   - no function in cgi-bin is longer than 80 lines.
use strict;
use warnings;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use Cycles;
use Cwd qw(abs_path);

my $root = abs_path("$FindBin::Bin/../..");
chdir $root or die "$root: $!";

# What each layer may use, itself included; programs (cgi-bin/*.c and the
# folders of programs) may use everything.
my %may = (
	core   => [qw(core)],
	forms  => [qw(core forms)],
	eval   => [qw(core forms eval)],
	sample => [qw(core forms eval sample)],
	pages  => [qw(core forms eval pages)],
);
my @layers = sort keys %may;
my $layer_re = join '|', @layers;

# 1. Include paths per layer, from the compile commands.
{
	my %seen;
	for my $line (`make --no-print-directory -n -B all 2>/dev/null`) {
		next unless $line =~ m{\s-c\s+-o\s+\S*/obj/cgi-bin/($layer_re)/\S+\.o\s};
		my $layer = $1;
		my @inc = sort map { m{^-Icgi-bin/(\w+)$} ? $1 : () } split ' ', $line;
		my $want = join ' ', sort @{ $may{$layer} };
		my $got = join ' ', @inc;
		$seen{$layer}{$got}++;
		next if $got eq $want;
		fail "cgi-bin/$layer compiled with -I for '$got', wants '$want'";
	}
	for my $layer (@layers) {
		is_deeply [ keys %{ $seen{$layer} || {} } ], [ join ' ', sort @{ $may{$layer} } ],
			"cgi-bin/$layer/ is compiled with the include paths of " . join(', ', @{ $may{$layer} }) . ' only';
	}
}

# 2. Symbols: who defines what, who uses what.
system('make', '--no-print-directory', '-s', 'all') == 0 or BAIL_OUT('make all failed');
my (%def, %uses);
for my $o (glob("build/obj/cgi-bin/{" . join(',', @layers) . "}/*.o")) {
	my ($layer, $name) = $o =~ m{cgi-bin/(\w+)/(\w+)\.o$};
	my $mod = "$layer/$name";
	for (`nm $o`) {
		if (/^\s+U (\S+)/) { $uses{$mod}{$1} = 1 }
		elsif (/^\S+ [TDBRC] (\S+)/) { $def{$1} = $mod }
	}
}
ok scalar(keys %uses) > 20, scalar(keys %uses) . ' library objects read';
my (%edge, @wrong);
for my $mod (sort keys %uses) {
	my ($layer) = $mod =~ m{^(\w+)/};
	my %ok = map { $_ => 1 } @{ $may{$layer} };
	for my $sym (sort keys %{ $uses{$mod} }) {
		my $to = $def{$sym} or next;
		next if $to eq $mod;
		$edge{$mod}{$to} = 1;
		my ($tl) = $to =~ m{^(\w+)/};
		push @wrong, "$mod uses $sym of $to" unless $ok{$tl};
	}
}
is_deeply \@wrong, [], 'no library object uses a symbol of a layer above it' or diag join "\n", @wrong;

my @cycles = Cycles::find(\%edge, sort keys %uses);
is_deeply \@cycles, [], 'the objects of the library reference each other without a circle'
	or diag join "\n", map { "circle: $_" } @cycles;

sub slurp { open my $f, '<', $_[0] or die "$_[0]: $!"; local $/; <$f> }

# 3. A program's folder header is its own.
my @sources = grep { !m{^cgi-bin/(?:forms/codebook|eval/indicators)/} } split /\n/, `find cgi-bin bench tests/unit -name '*.[ch]' | sort`;
my %prog_header;
for my $main (glob('cgi-bin/*/main.c')) {
	my ($dir) = $main =~ m{^(cgi-bin/\w+)/};
	$prog_header{ $_ =~ s{.*/}{}r } = $dir for glob("$dir/*.h");
}
ok scalar(keys %prog_header) >= 2, 'program folders with their headers: ' . join(' ', sort values %prog_header);
my @leaks;
for my $file (@sources) {
	for my $inc (slurp($file) =~ /^\s*#\s*include\s+"([^"]+)"/mg) {
		my $dir = $prog_header{$inc} or next;
		push @leaks, "$file includes $inc of $dir" unless index($file, "$dir/") == 0;
	}
}
is_deeply \@leaks, [], 'no program is a library: its header is included only in its folder'
	or diag join "\n", @leaks;

# 4. Function length: from the line that names the function to its closing
# brace (the house style puts both braces of a function in column 0).
my @long;
for my $file (grep { /^cgi-bin\/.*\.c$/ } @sources) {
	my @lines = split /\n/, slurp($file), -1;
	my ($start, $name);
	for my $i (0 .. $#lines) {
		if (!defined $start && $lines[$i] =~ /^\{/) {
			my $k = $i - 1;
			$k-- while $k > 0 && $lines[$k] =~ /^\s/;
			($name) = $lines[$k] =~ /(\w+)\s*\(/;
			$start = $k;
		} elsif (defined $start && $lines[$i] =~ /^\}/) {
			my $n = $i - $start + 1;
			push @long, sprintf('%s:%d %s: %d lines', $file, $start + 1, $name, $n) if $name && $n > 80;
			undef $start;
		}
	}
}
is_deeply \@long, [], 'no function in cgi-bin is longer than 80 lines' or diag join "\n", @long;

done_testing;
