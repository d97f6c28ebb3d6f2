#!/usr/bin/perl
# 01-sql-table.t - all SQL lives in the statement table (cgi-bin/core/stmts.c):
# scripts/check-sql finds no SQL literal anywhere else under cgi-bin/, and
# it does find one planted in a scratch tree (so a passing check means
# something). Needs no stack; it sits with the e2e tests so that prove runs it.
use strict;
use warnings;
use Test::More;
use FindBin;
use File::Temp qw(tempdir);
use File::Path qw(make_path);

my $root = "$FindBin::Bin/../..";
my $check = "$root/scripts/check-sql";

my $out = `cd '$root' && '$check' cgi-bin 2>&1`;
is $? >> 8, 0, 'scripts/check-sql: no SQL outside cgi-bin/core/stmts.c' or diag $out;

my $tmp = tempdir(CLEANUP => 1);
make_path("$tmp/core", "$tmp/forms");
sub put { my ($f, $t) = @_; open my $fh, '>', $f or die "$f: $!"; print $fh $t; close $fh }
put("$tmp/core/stmts.c", qq{static const char *s = "SELECT id FROM t";\n});
put("$tmp/forms/ok.c", qq{/* SELECT id FROM t */\nstatic const char *m = "no sql here";\n});
$out = `'$check' '$tmp' 2>&1`;
is $? >> 8, 0, 'the table itself and comments are allowed' or diag $out;

put("$tmp/forms/bad.c", qq{int f(void)\n{\n\treturn q(db, "UPDATE t"\n\t         " SET a = ?", COLS);\n}\n});
put("$tmp/forms/bad.h", qq{#define X "SELECT " COLS \\\n\t" FROM t"\n});
$out = `'$check' '$tmp' 2>&1`;
is $? >> 8, 1, 'a planted SQL literal fails the check';
like $out, qr{forms/bad\.c:3: }, 'split literal reported with its file and line';
like $out, qr{forms/bad\.h:1: }, 'literal joined across a macro name reported';

done_testing;
