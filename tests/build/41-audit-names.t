#!/usr/bin/perl
# 41-audit-names.t - every audit row a program writes reads in Chinese on
# /admin/audit: each action code written in cgi-bin has a name in
# pages/auditview.c's actions[], and each key of a detail written next to
# it ("visit=%llu symposium=%llu") has one in its keys[]. An action or key
# without one shows as the English code (e2e/41-audit-chinese.t shows how
# the page writes them; this finds the ones no row of that test covers).
#
# Where actions are written: audit(r, "x", ...), audit_tx(db, r, "x", ...),
# cli_audit(db, "x", ...), a sample writer's ->write(db, ctx, "x", ...),
# the one-time password's .action = "x" and password_set_onetime(..., "x",
# ...), and A_STR("x") beside STMT_AUDIT_INSERT_CLI. The details are the
# format strings of the lines just above such a call.
use strict;
use warnings;
use Test::More;
use FindBin;

my $root = "$FindBin::Bin/../..";
sub slurp { open my $f, '<', $_[0] or die "$_[0]: $!"; local $/; <$f> }

my $view = slurp("$root/cgi-bin/pages/auditview.c");
my ($actions) = $view =~ /\bactions\[\]\s*=\s*\{(.*?)\n\};/s or die 'actions[] not found';
my ($keys)    = $view =~ /\bkeys\[\]\s*=\s*\{(.*?)\n\};/s or die 'keys[] not found';
my %action = map { ($_ => 1) } $actions =~ /\{\s*"([^"]+)",/g;
my %key    = map { ($_ => 1) } $keys =~ /\{\s*"([^"]+)",/g;
ok keys(%action) > 20, scalar(keys %action) . ' actions with a name';

my $call = qr/\b(?:audit|audit_tx|cli_audit|password_set_onetime)\s*\(|->write\s*\(|\.action\s*=|STMT_AUDIT_INSERT_CLI/;
my (%written, @unnamed, @keyless);
for my $file (split /\n/, `find '$root/cgi-bin' -name '*.c' | sort`) {
	(my $rel = $file) =~ s{^\Q$root\E/}{};
	next if $rel eq 'cgi-bin/pages/auditview.c' || $rel eq 'cgi-bin/core/stmt_params.c';
	my $src = slurp($file);
	$src =~ s{/\*.*?\*/}{ my $c = $&; $c =~ tr/\n//cd; $c }gse;
	my @lines = split /\n/, $src, -1;
	for my $i (0 .. $#lines) {
		next unless $lines[$i] =~ $call;
		# The call and its continuation lines (up to the semicolon).
		my $text = $lines[$i];
		for (my $k = $i + 1; $text !~ /;/ && $k <= $#lines && $k < $i + 4; $k++) {
			$text .= $lines[$k];
		}
		$text =~ s/\.cmd\s*=\s*"[^"]*"//g;    # the CLI command's name, not the action
		my @codes = $text =~ /"([a-z][a-z0-9]*(?:[-_][a-z0-9]+)+|[a-z]{4,})"/g;
		@codes = grep { $_ ne 'cli' } @codes;
		next unless @codes;
		for my $c (@codes) {
			$written{$c} = 1;
			push @unnamed, "$rel:" . ($i + 1) . ": $c" unless $action{$c};
		}
		# The detail's keys: key=% in the format strings of the few lines
		# above the call (where the detail is put together).
		my $from = $i >= 6 ? $i - 6 : 0;
		for my $l (@lines[$from .. $i]) {
			while ($l =~ /"((?:[^"\\]|\\.)*)"/g) {
				my $s = $1;
				next if $s =~ /[?&]\w+=/;    # a URL's query, not a detail
				for my $k ($s =~ /(?:^|\s)([a-z][a-z0-9_-]*)=%/g) {
					push @keyless, "$rel:" . ($i + 1) . ": $k" unless $key{$k};
				}
			}
		}
	}
}
ok keys(%written) > 20, scalar(keys %written) . ' action codes written by the programs';
is_deeply \@unnamed, [], 'every action written has a Chinese name (pages/auditview.c actions[])'
	or diag join "\n", @unnamed;
is_deeply \@keyless, [], 'every key of a detail has a Chinese name (pages/auditview.c keys[])'
	or diag join "\n", @keyless;
done_testing;
