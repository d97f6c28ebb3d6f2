# Cycles.pm - the circles of a directed graph, for the build checks.
#   my @c = Cycles::find(\%edges);   # %edges: node -> { node => 1, ... }
# Each circle is reported once per back edge that closes it, as "a -> b -> a".
package Cycles;
use strict;
use warnings;

sub find {
	my ($edges, @nodes) = @_;
	@nodes = sort keys %$edges unless @nodes;
	my (%state, @stack, @cycles);
	my $visit;
	$visit = sub {
		my ($m) = @_;
		$state{$m} = 1;
		push @stack, $m;
		for my $n (sort keys %{ $edges->{$m} || {} }) {
			if (($state{$n} // 0) == 1) {
				my @c = @stack;
				shift @c while $c[0] ne $n;
				push @cycles, join(' -> ', @c, $n);
			} elsif (!$state{$n}) {
				$visit->($n);
			}
		}
		pop @stack;
		$state{$m} = 2;
	};
	$visit->($_) for grep { !$state{$_} } @nodes;
	undef $visit;
	return @cycles;
}

1;
