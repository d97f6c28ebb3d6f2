#!/usr/bin/perl
# 70-answers-writes.t - the packed answers (sql/085_response_packed.sql)
# stay right only if every write of a response's answers bumps the
# response's version: the export trusts a pack made at the current version
# (issue 21 item 5, doc/exports.md). So answers are written in one place,
# app_response_write (sql/060_response_save.sql, redefined by later
# migrations such as 081), which bumps it: no statement of the table
# (cgi-bin/core/stmts.c) and no migration other than one that defines
# app_response_write with the version bump may INSERT, UPDATE, DELETE or
# REPLACE answer rows. A new write path must go through it, or bump
# responses.version itself and be allowed here with why.
use strict;
use warnings;
use Test::More;
use FindBin;

my $root = "$FindBin::Bin/../..";
my %allowed;
my $write = qr/\b(?:INSERT\s+(?:IGNORE\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+(?:\w+\s+)?FROM)\s+answers\b/i;

my @files = ('cgi-bin/core/stmts.c', map { s{^\Q$root\E/}{}r } glob "$root/sql/[0-9]*.sql");
ok @files > 10, scalar(@files) . ' files with SQL';
my @found;
for my $rel (@files) {
	open my $fh, '<', "$root/$rel" or die "$rel: $!";
	my $src = do { local $/; <$fh> };
	$src =~ s{/\*.*?\*/}{}gs;      # C comments
	$src =~ s{--[^\n]*}{}g;        # SQL comments
	$src =~ s{"\s*\n\s*"}{}g;      # C string pieces joined
	$allowed{$rel} = 1 if $rel =~ m{^sql/}
		&& $src =~ /CREATE\s+PROCEDURE\s+app_response_write\b/i && $src =~ /r\.version\s*=\s*r\.version\s*\+\s*1/;
	push @found, $rel while $src =~ /$write/g;
}
my @where = sort keys %{ { map { $_ => 1 } @found } };
is_deeply [ grep { !$allowed{$_} } @where ], [], 'answers are written only by app_response_write'
	or diag "write to answers in: @where";
ok scalar(grep { $allowed{$_} } @where), 'app_response_write writes them (the check sees a write)';

done_testing;
