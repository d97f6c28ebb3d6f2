#!/usr/bin/perl
# 27-concurrent-saves.t - 50 respondents saving at the same instant for
# 30 seconds (STRESS_SECONDS), then submitting at the same instant (issue 9
# item 3): no answer is a 5xx (deadlocks and lock-wait timeouts are retried
# by db_transaction, first saves take no gap lock), and every acknowledged
# answer is in the database.
use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time sleep);
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $N = 50;
my $SECONDS = $ENV{STRESS_SECONDS} // 30;
my $f = Forms::load('sme');
my %base = %{ Forms::full_values($f) };
my $acc = Forms::fresh_accounts('e2e-c27', 'T27C', '并发测试地区', [ ('sme') x $N ]);
my @keys = sort keys %$acc;
is scalar(@keys), $N, "$N respondents";

# The clients wait as long as the web servers do (fastcgi_read_timeout,
# the balancer's proxy_read_timeout: 300 s), not the agents' default 30 s:
# fifty submits of one region at the same instant take turns on the
# region's aggregate rows, and on a loaded two-core machine running three
# Galera nodes the last of them can take longer than 30 s. This test is
# about answers, not time (speed is make bench's); a client that gave up
# would count as a 5xx (HTTP::Tiny's 599) without the server failing.
my @agents = map { Forms::login_as($acc->{$_}, timeout => 300) } @keys;
my $dir = tempdir(CLEANUP => 1);
my $start = time + 2;           # the same instant for everybody
my @kids;
for my $i (0 .. $#keys) {
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		my ($ua, $key) = ($agents[$i], $keys[$i]);
		my $csrf = $ua->csrf_of('/form/sme');
		my ($n, $n5xx, $nok, $last) = (0, 0, 0, '');
		# One reading of the clock: on a loaded machine it may pass $start
		# between a check and the sleep, and a negative sleep dies.
		{ my $d = $start - time; sleep($d) if $d > 0 }
		while (time < $start + $SECONDS) {
			my $v = "地址-$key-" . ++$n;
			my $p = Forms::post_params($f, { %base, q1_addr => $v });
			my $res = $ua->post('/form/sme', [ csrf => $csrf, action => 'save', @$p ]);
			if ($res->{status} >= 500) { $n5xx++ }
			elsif ($res->{status} == 303 || $res->{status} == 200) { $nok++; $last = $v }
		}
		# Everybody submits at the next whole second.
		my $at = int(time) + 1;
		{ my $d = $at - time; sleep($d) if $d > 0 }
		my $v = "地址-$key-final";
		my $p = Forms::post_params($f, { %base, q1_addr => $v });
		my $res = $ua->post('/form/sme', [ csrf => $csrf, action => 'submit', confirm => 1, @$p ]);
		my $submitted = $res->{status} == 303 && ($res->{headers}{location} // '') =~ /submitted=1/;
		$n5xx++ if $res->{status} >= 500;
		$last = $v if $submitted;
		open my $out, '>:encoding(UTF-8)', "$dir/$i" or exit 2;
		print $out join("\t", $acc->{$key}{username}, $n, $nok, $n5xx, $submitted ? 1 : 0, $last), "\n";
		close $out;
		exit 0;
	}
	push @kids, $pid;
}
waitpid $_, 0 for @kids;

my ($saves, $acked, $errors, $submitted, $lost) = (0, 0, 0, 0, 0);
for my $i (0 .. $#keys) {
	open my $in, '<:encoding(UTF-8)', "$dir/$i" or do { fail "respondent $i reported nothing"; next };
	chomp(my $line = <$in>);
	my ($user, $n, $nok, $n5xx, $sub, $last) = split /\t/, $line, -1;
	$saves += $n;
	$acked += $nok;
	$errors += $n5xx;
	$submitted += $sub;
	my $stored = T::db_value("SELECT a.value FROM answers a JOIN responses p ON p.id = a.response_id"
		. " JOIN users u ON u.id = p.user_id WHERE u.username = " . T::sql_quote($user)
		. " AND p.form = 'sme' AND a.code = 'q1_addr'");
	$lost++ unless defined $stored && $stored eq $last;
}
note "$saves saves in $SECONDS s by $N respondents, $acked acknowledged";
ok $saves >= $N, 'every respondent saved';
is $errors, 0, 'no answer was a 5xx';
is $acked, $saves, 'every save was acknowledged';
is $submitted, $N, 'every submit at the same instant succeeded';
is $lost, 0, 'every last acknowledged answer is in the database';
is T::db_value("SELECT COUNT(*) FROM responses WHERE region_code = 'T27C' AND status = 'submitted'"), $N,
	"$N responses submitted";

T::db_query("DELETE FROM responses WHERE region_code = 'T27C'");
T::db_query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username LIKE 'e2e-c27-%')");
T::db_query("DELETE FROM users WHERE username LIKE 'e2e-c27-%'");
done_testing();
