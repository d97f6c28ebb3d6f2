#!/usr/bin/perl
# 25-reconnect.t - the FastCGI workers survive a MariaDB restart: their next
# query reconnects (db.c) instead of failing or crashing the worker.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

my $acct = T::demo_account('region', 0);
my $ua = T::new_agent();
$ua->login($acct->{username}, $acct->{password});
ok $ua->logged_in, 'logged in';
# Touch every worker so each holds a connection that the restart will break.
is $ua->get('/region')->{status}, 200, 'page served before the restart' for 1 .. 6;

my $out = `"@{[T::root()]}/scripts/stack" restart-db 2>&1`;
is $?, 0, 'scripts/stack restart-db succeeded' or diag $out;

my $ok = 0;
$ok += $ua->get('/region')->{status} == 200 for 1 .. 9;
is $ok, 9, 'every request after the restart is served (workers reconnected)';
like $ua->get('/region')->{text}, qr/填报进度|已提交/, 'and the page shows data from the database';
done_testing;
