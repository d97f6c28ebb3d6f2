#!/usr/bin/perl
# 40-params-db.t - parameters from the page table, database outcomes as
# values (issue 17, items 4 and 6). In cgi-bin, code only (comments removed):
#   - req_param(), req_param_p() and req_param_all() appear only in the
#     parser (core/page.c) and where they are defined (core/http.c): every
#     page declares its parameters in its pages[] row (core/page.h);
#   - no MariaDB error number (1062 duplicate key, 1205/1213 lock
#     conflicts, 1452 missing parent) and no db_errno() outside core/db.c:
#     callers compare enum db_rc values;
#   - db_begin/db_commit/db_rollback only in core/db.c: every transaction
#     runs through db_transaction, which retries a lock conflict;
#   - every statement named with its arguments (scripts/stmt-calls) passes
#     as many as core/stmt_params.c declares, of the declared types;
#   - every M_POST row of a page table carries PAGE_CSRF;
#   - the parameters several pages read (region, form, after, before,
#     confirm, reason, file, the passwords) are rows of core/params.h's
#     macros, never written out again with their own type and bounds;
#   - csrf_check() and csrf_check_lapsed() only in the dispatcher
#     (core/app.c) and where they are defined (core/auth.c): a handler
#     never checks a token again, it reads r->post_origin (core/http.h).
use strict;
use warnings;
use Test::More;
use FindBin;
use File::Find;

my $root = "$FindBin::Bin/../..";
my @files;
find({ no_chdir => 1, wanted => sub { push @files, $_ if -f $_ && /\.[ch]$/ } }, "$root/cgi-bin");
@files = sort @files;
ok @files > 20, scalar(@files) . ' C files under cgi-bin';

sub code_of {
	my ($f) = @_;
	open my $fh, '<', $f or die "$f: $!";
	my $src = do { local $/; <$fh> };
	$src =~ s{/\*.*?\*/}{ my $c = $&; $c =~ tr/\n//cd; $c }gse;
	$src =~ s{//[^\n]*}{}g;
	$src =~ s{"(?:[^"\\\n]|\\.)*"}{""}g;    # string contents say nothing
	return $src;
}

# Lines of the files (relative names) where $re matches, except in @allowed.
sub hits {
	my ($re, @allowed) = @_;
	my %ok = map { ("$root/cgi-bin/$_" => 1) } @allowed;
	my @h;
	for my $f (grep { !$ok{$_} } @files) {
		my $n = 0;
		for my $line (split /\n/, code_of($f), -1) {
			$n++;
			(my $rel = $f) =~ s{^\Q$root\E/}{};
			push @h, "$rel:$n: $line" if $line =~ $re;
		}
	}
	return @h;
}

my @h = hits(qr/\breq_param(?:_p|_all)?\s*\(/, 'core/page.c', 'core/http.c', 'core/http.h');
is_deeply \@h, [], 'req_param() only in the page parser: pages declare their parameters (core/page.h)'
	or diag join "\n", @h;

@h = hits(qr/\b(?:1062|1205|1213|1452)\b|\bdb_errno\s*\(/, 'core/db.c', 'core/db.h');
is_deeply \@h, [], 'no MariaDB error numbers outside core/db.c: enum db_rc' or diag join "\n", @h;

@h = hits(qr/\bdb_(?:begin|commit|rollback)\s*\(/, 'core/db.c', 'core/db.h');
is_deeply \@h, [], 'transactions only through db_transaction' or diag join "\n", @h;

# Declared parameters (core/stmt_params.c).
my %sig;
{
	open my $fh, '<', "$root/cgi-bin/core/stmt_params.c" or die $!;
	while (<$fh>) {
		$sig{$1} = $2 if /\[(STMT_\w+)\]\s*=\s*"([^"]*)"/;
		$sig{$1} = $2 x 8 if /\[(STMT_\w+)\]\s*=\s*ROWS8\("([^"]*)"\)/;
	}
}
ok keys(%sig) > 100, scalar(keys %sig) . ' statements declare their parameters';
my @calls = `'$root/scripts/stmt-calls' '$root/cgi-bin'`;
is $?, 0, 'scripts/stmt-calls ran';
ok @calls > 100, scalar(@calls) . ' statements named with their arguments';
my @bad;
for (@calls) {
	chomp;
	my ($where, $stmt, $types) = split /\t/, $_, -1;
	$where =~ s{^\Q$root\E/}{};
	my $want = $sig{$stmt};
	if (!defined $want) { push @bad, "$where: $stmt has no line in core/stmt_params.c"; next }
	if (length $types != length $want) {
		push @bad, "$where: $stmt takes " . length($want) . " arguments, given " . length($types);
		next;
	}
	for my $k (0 .. length($types) - 1) {
		my ($got, $decl) = (substr($types, $k, 1), substr($want, $k, 1));
		push @bad, "$where: $stmt argument " . ($k + 1) . " is '$got', declared '$decl'"
			unless $got eq 'n' || $got eq '?' || $got eq $decl;
	}
}
is_deeply \@bad, [], 'every call passes the declared number and types of arguments' or diag join "\n", @bad;

# Page rows: "{ path, M_POST, roles, flags, ..." (one row may span lines).
@bad = ();
for my $f (@files) {
	my $src = code_of($f);
	(my $rel = $f) =~ s{^\Q$root\E/}{};
	while ($src =~ /\{\s*[^{},]+,\s*M_POST\s*,\s*[^,]+,\s*([^,]+),/g) {
		push @bad, "$rel: a POST row with flags '$1'" unless $1 =~ /\bPAGE_CSRF\b/;
	}
}
is_deeply \@bad, [], 'every POST row of a page table carries PAGE_CSRF' or diag join "\n", @bad;

# String contents are blanked by code_of, so the rows are read from the source.
@bad = ();
for my $f (grep { !m{/core/params\.h$} } @files) {
	open my $fh, '<', $f or die "$f: $!";
	(my $rel = $f) =~ s{^\Q$root\E/}{};
	while (<$fh>) {
		push @bad, "$rel:$.: $1" if /(\{\s*\w+,\s*"(?:region|form|after|before|confirm|reason|file|\w*password\d?)",\s*PT_\w+)/;
	}
}
is_deeply \@bad, [], 'shared parameters declared once (core/params.h)' or diag join "\n", @bad;

@h = hits(qr/\bcsrf_check\w*\s*\(/, 'core/app.c', 'core/auth.c', 'core/auth.h');
is_deeply \@h, [], 'CSRF tokens checked only by the dispatcher (PAGE_CSRF)' or diag join "\n", @h;

done_testing();
