#!/usr/bin/perl
# 26-durability.t - "nothing lost": a submission the server has answered is in
# the database after MariaDB is killed with SIGKILL (no clean shutdown) and
# started again; and a FastCGI worker killed with SIGKILL is replaced by a
# sibling without losing the next request. Uses its own test region T26A01.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $acc = Forms::fresh_accounts('t26a', 'T26A01', 'T26A 测试省', [qw(sme sme)]);
my $f = Forms::load('sme');
my $vals = Forms::valid_values($f);

# Submit one complete SME questionnaire and wait for the server's answer.
my $ua = Forms::login_as($acc->{sme});
my $csrf = T::csrf_from($ua->get('/form/sme')->{text});
my $res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, action => 'submit', confirm => 1, csrf => $csrf ]);
is $res->{status}, 303, 'submission accepted (303)';

# Kill the database hard, right after the answer.
my $pidfile = T::vardir() . '/run/mysqld.pid';
open my $pf, '<', $pidfile or die "$pidfile: $!";
chomp(my $pid = <$pf>);
close $pf;
ok kill('KILL', $pid), "mariadbd ($pid) killed with SIGKILL";
for (1 .. 100) { last unless kill 0, $pid; select undef, undef, undef, 0.1 }
ok !kill(0, $pid), 'mariadbd is gone';
my $out = `"@{[T::root()]}/scripts/stack" restart-db 2>&1`;
is $?, 0, 'mariadbd started again (crash recovery)' or diag $out;

# Everything that was acknowledged is there.
my $uid = $acc->{sme}{id};
is T::db_value("SELECT status FROM responses WHERE form = 'sme' AND user_id = $uid"), 'submitted',
	'the acknowledged submission survived the crash';
my %got = map { $_->[0] => $_->[1] } T::db_query(
	"SELECT a.code, a.value FROM answers a JOIN responses p ON p.id = a.response_id"
	. " WHERE p.form = 'sme' AND p.user_id = $uid");
is_deeply \%got, Forms::stored($f, $vals), 'every answer survived the crash';

# The workers reconnect by themselves: the next submission works too.
my $ua2 = Forms::login_as($acc->{sme2});
$csrf = T::csrf_from($ua2->get('/form/sme')->{text});
$res = $ua2->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, action => 'submit', confirm => 1, csrf => $csrf ]);
is $res->{status}, 303, 'a submission after the restart is accepted';
is T::db_value("SELECT status FROM responses WHERE form = 'sme' AND user_id = $acc->{sme2}{id}"), 'submitted',
	'and stored';

# A worker killed with SIGKILL: its siblings keep serving the form, and its
# supervisor (the pid in the program's pid file) replaces it.
my $sup = do { local $/; open my $w, '<', T::vardir() . '/run/smesurvey-form-sme.pid' or die $!; <$w> };
chomp $sup;
my @workers = split ' ', `pgrep -P $sup`;
ok @workers >= 2, 'several SME form workers run under their supervisor';
kill 'KILL', $workers[0];
my $ok = 0;
$ok += $ua2->get('/form/sme')->{status} == 200 for 1 .. 6;
is $ok, 6, 'every request after a worker crash is served by the others';
my @now;
for (1 .. 50) {
	@now = split ' ', `pgrep -P $sup`;
	last if @now == @workers && !grep { $_ == $workers[0] } @now;
	select undef, undef, undef, 0.1;
}
is scalar(@now), scalar(@workers), 'the killed worker was replaced within seconds';
ok !(grep { $_ == $workers[0] } @now), '... by a new process';
is $ua2->get('/form/sme')->{status}, 200, 'the replacement serves';
$out = `"@{[T::root()]}/scripts/stack" restart-fcgi 2>&1`;
is $?, 0, 'workers restarted to full strength for the following tests' or diag $out;
done_testing;
