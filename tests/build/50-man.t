#!/usr/bin/perl
# 50-man.t - the operator's reference, doc/man/*.[58] (installed by `make
# install`): every page lints clean with mandoc (warnings and errors; style
# notes aside), every command of smesurvey-admin's command table is
# described in smesurvey-admin(8), and every key the programs read
# (cgi-bin/core/conf.c) in smesurvey.conf(5).
use strict;
use warnings;
use Test::More;
use FindBin;
use Cwd qw(abs_path);

my $root = abs_path("$FindBin::Bin/../..");
chdir $root or die "$root: $!";
my @pages = sort glob('doc/man/*.[58]');
is_deeply \@pages, [qw(doc/man/smesurvey-admin.8 doc/man/smesurvey-setup.8 doc/man/smesurvey-supervise.8
	doc/man/smesurvey.conf.5)], 'the four manual pages';
for my $p (@pages) {
	my $out = `mandoc -T lint -W warning '$p' 2>&1`;
	is $?, 0, "$p: mandoc -T lint -W warning passes" or diag $out;
	is $out, '', "$p: nothing to say" or diag $out;
}

sub slurp { open my $f, '<', $_[0] or die "$_[0]: $!"; local $/; <$f> }

my $admin = slurp('doc/man/smesurvey-admin.8');
my $table = slurp('cgi-bin/admin/main.c');
my @cmds = $table =~ /^\t\{ "([a-z-]+)", cmd_/mg;
ok @cmds >= 12, scalar(@cmds) . ' commands in the command table';
is_deeply [ grep { $admin !~ /^\.It Cm \Q$_\E\b/m } @cmds ], [], 'smesurvey-admin(8) describes every command';

my $conf = slurp('doc/man/smesurvey.conf.5');
my $src = slurp('cgi-bin/core/conf.c');
my %keys = map { $_ => 1 } $src =~ /\{\s*"([a-z_]+)",/g;
ok keys(%keys) >= 20, scalar(keys %keys) . ' configuration keys read by conf.c';
is_deeply [ grep { $conf !~ /^\.It Cm \Q$_\E$/m } sort keys %keys ], [], 'smesurvey.conf(5) describes every key';

done_testing;
