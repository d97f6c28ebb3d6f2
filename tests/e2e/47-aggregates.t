#!/usr/bin/perl
# 47-aggregates.t - the maintained aggregates (issue 13, sql/005_aggregates.sql,
# cgi-bin/forms/aggr.h) equal the ones rebuilt from the data after a random
# workload: saves, submits with and without errors, reopens by the
# administrator and account changes, through HTTP and the CLI, across two
# regions and two forms. The aggregates are first rebuilt (earlier tests load
# rows with SQL, which only the rebuild counts), then the workload runs, then
# `smesurvey-admin dump-aggregates` before and after `rebuild-aggregates`
# must be identical.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;

my $cli = T::bindir() . '/smesurvey-admin';
my $conf = T::conf_path();
sub admin_cli {
	my $out = `'$cli' --conf '$conf' @_ 2>&1`;
	return ($? >> 8, $out);
}

srand(47);
my %acc = (
	A => Forms::fresh_accounts('t47a', 'T47A01', 'T47A 测试省', [ (qw(sme)) x 5, (qw(resource)) x 3 ]),
	B => Forms::fresh_accounts('t47b', 'T47B01', 'T47B 测试省', [ (qw(sme)) x 4, qw(resource) ]),
);
# The fixtures (and earlier tests) changed rows with SQL: start from a rebuild.
my ($rc, $out) = admin_cli('rebuild-aggregates');
is $rc, 0, 'baseline rebuild' or diag $out;
my %form = map { $_ => Forms::load($_) } qw(sme resource);
my @who = map { my $r = $_; map { $acc{$r}{$_} } sort keys %{ $acc{$r} } } sort keys %acc;
my %ua;
sub version_of { my ($html) = @_; return $html =~ /name="version" value="(\d+)"/ ? $1 : undef }

# Random answers: valid ones with some single choices changed (a change
# may break a rule; then the submit keeps a draft, also part of the mix).
sub random_values {
	my ($f) = @_;
	my $v = Forms::valid_values($f);
	for my $fd (@{ $f->{fields} }) {
		next unless $fd->{type} eq 'single' && defined $v->{ $fd->{code} } && rand() < 0.5;
		$v->{ $fd->{code} } = $fd->{opts}[ int rand @{ $fd->{opts} } ][0];
	}
	for my $fd (grep { Forms::is_numeric($_) } @{ $f->{fields} }) {
		next unless defined $v->{ $fd->{code} } && rand() < 0.3;
		delete $v->{ $fd->{code} };
	}
	return $v;
}

sub save {
	my ($a, $action) = @_;
	my $name = $a->{role};
	return 0 if T::db_value("SELECT disabled FROM users WHERE id = $a->{id}");
	my $ua = $ua{ $a->{username} } //= Forms::login_as($a);
	my $res = $ua->get("/form/$name");
	return 0 unless $res->{status} == 200 && defined version_of($res->{text});
	my @p = (@{ Forms::post_params($form{$name}, random_values($form{$name})) },
		csrf => T::csrf_from($res->{text}), version => version_of($res->{text}), action => $action);
	return $ua->post("/form/$name", \@p)->{status} == 303;
}

my $admin = T::demo_login('admin');
my %n;
for my $step (1 .. 60) {
	my $a = $who[ int rand @who ];
	my $x = rand();
	if ($x < 0.25) {
		$n{save} += save($a, 'save');
	} elsif ($x < 0.7) {
		$n{submit} += save($a, 'submit');
	} elsif ($x < 0.9) {
		my $id = T::db_value("SELECT id FROM responses WHERE user_id = $a->{id} AND status = 'submitted'");
		next unless $id;
		my $csrf = $admin->csrf_of("/admin/responses/view?id=$id");
		$n{reopen}++ if $admin->post('/admin/responses/reopen', [ id => $id, csrf => $csrf ])->{status} == 303;
	} else {
		# Disabling and enabling an account moves the progress counters.
		my $d = T::db_value("SELECT disabled FROM users WHERE id = $a->{id}");
		T::db_query("UPDATE users SET disabled = " . (1 - $d) . " WHERE id = $a->{id}");
		$n{account}++;
	}
}
T::db_query("UPDATE users SET disabled = 0 WHERE username LIKE 't47%'");
diag join ', ', map { "$_=$n{$_}" } sort keys %n;
ok $n{submit} && $n{reopen}, 'the workload submitted and reopened';

my ($rc1, $before) = admin_cli('dump-aggregates');
is $rc1, 0, 'dump of the maintained aggregates';
like $before, qr/^agg_fields\tsme\tT47A01\t/m, 'the test region is counted';
($rc, $out) = admin_cli('rebuild-aggregates');
is $rc, 0, 'rebuild-aggregates' or diag $out;
like $out, qr/aggregates rebuilt: submitted responses counted=\d+/, 'it says what it counted';
is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'aggregates-rebuild'") > 0, 1, 'audited';
my ($rc2, $after) = admin_cli('dump-aggregates');
is $rc2, 0, 'dump of the rebuilt aggregates';
my @b = split /\n/, $before;
my @a = split /\n/, $after;
my %in_b = map { $_ => 1 } @b;
my %in_a = map { $_ => 1 } @a;
my @diff = ((map { "maintained only: $_" } grep { !$in_a{$_} } @b), (map { "rebuilt only: $_" } grep { !$in_b{$_} } @a));
is scalar(@diff), 0, 'maintained aggregates equal the rebuilt ones (' . scalar(@a) . ' rows)'
	or diag join "\n", @diff[0 .. ($#diff < 19 ? $#diff : 19)];

# The statistics page counts the submitted responses of the test region.
my $sub = T::db_value("SELECT COUNT(*) FROM responses WHERE form = 'sme' AND region_code = 'T47A01' AND status = 'submitted'");
my $res = $admin->get('/admin/stats?form=sme&region=T47A01');
is $res->{status}, 200, 'stats page';
like $res->{text}, qr{id="stats-total">\Q$sub\E<}, "stats total is the $sub submitted responses";

done_testing;
