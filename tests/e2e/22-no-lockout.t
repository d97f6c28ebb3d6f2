#!/usr/bin/perl
# 22-no-lockout.t - no lockout by strangers (issue 9 item 2): 500 wrong
# passwords for an account from other addresses, then the correct password
# from a fresh address logs in at once; a wrong-password storm from one
# address is blocked for that address (and that account) only. The whole of
# 127.0.0.0/8 is this machine, so each client is a source address
# 127.0.0.x; the stack trusts REMOTE_ADDR only (no X-Forwarded-For).
use strict;
use warnings;
use utf8;
use Test::More;
use Time::HiRes qw(time);
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $sme = T::demo_account('sme', 0, '440000');
my $victim = 'e2e-lockout';
T::db_query("DELETE FROM users WHERE username = '$victim'");
T::db_query("INSERT INTO users (username, pw_hash, role, region_code, org_name, form) SELECT '$victim',"
	. " pw_hash, 'sme', '440000', 'e2e', 'sme' FROM users WHERE username = " . T::sql_quote($sme->{username}));
T::db_query("DELETE FROM login_failures WHERE username = '$victim'");

# --- 500 wrong passwords from 50 other addresses (10 each, in parallel)
my $t0 = time;
my @kids;
for my $k (0 .. 4) {
	my $pid = fork // die "fork: $!";
	if ($pid == 0) {
		my $bad = 0;
		for my $a (10 * $k + 20 .. 10 * $k + 29) {
			my $ua = T::new_agent(local_address => "127.0.0.$a");
			my $csrf = $ua->csrf_of('/login');
			for (1 .. 10) {
				my $res = $ua->post('/login', [ csrf => $csrf, username => $victim, password => "wrong-$a-$_-pass" ]);
				$bad++ unless $res->{status} == 401 || $res->{status} == 429;
			}
		}
		exit($bad ? 1 : 0);
	}
	push @kids, $pid;
}
my $kids_ok = 1;
for (@kids) { waitpid $_, 0; $kids_ok = 0 if $? }
ok $kids_ok, 'every wrong password answered 401 (or 429)';
is T::db_value("SELECT COUNT(*) FROM login_failures WHERE username = '$victim'"), 500, '500 failures recorded';
is T::db_value("SELECT COUNT(DISTINCT ip) FROM login_failures WHERE username = '$victim'"), 50, 'from 50 addresses';
note sprintf 'the storm took %.1f s', time - $t0;

{
	my $ua = T::new_agent(local_address => '127.0.0.200');
	my $t = time;
	my $res = $ua->login($victim, $sme->{password});
	ok $ua->logged_in, 'the correct password from a fresh address logs in at once';
	ok time - $t < 5, 'without waiting';
}

# --- a storm from one address: blocked for that address (and account) only
{
	my $storm = T::new_agent(local_address => '127.0.0.77');
	my $csrf = $storm->csrf_of('/login');
	my %status;
	for (1 .. 15) {
		my $res = $storm->post('/login', [ csrf => $csrf, username => $victim, password => "storm-$_-password" ]);
		$status{$res->{status}}++;
	}
	is $status{401}, 10, 'the storming address gets 10 answers ...';
	is $status{429}, 5, '... then is refused';
	my $res = $storm->login($victim, $sme->{password});
	is $res->{status}, 429, 'even the right password, from that address, for that account';
	my $other = T::new_agent(local_address => '127.0.0.78');
	$other->login($victim, $sme->{password});
	ok $other->logged_in, 'another address still logs in';
	my $same_addr_other_acct = T::new_agent(local_address => '127.0.0.77');
	$same_addr_other_acct->login($sme->{username}, $sme->{password});
	ok $same_addr_other_acct->logged_in, 'the storming address can still log in to another account';
}

# --- the stack trusts REMOTE_ADDR only
{
	my $ua = T::new_agent(local_address => '127.0.0.77');
	my $csrf = $ua->csrf_of('/login');
	my $res = $ua->post('/login', [ csrf => $csrf, username => $victim, password => $sme->{password} ],
		{ 'x-forwarded-for' => '127.0.0.99', 'x-real-ip' => '127.0.0.99' });
	is $res->{status}, 429, 'X-Forwarded-For / X-Real-IP do not change the client';
}

T::db_query("DELETE FROM login_failures WHERE username = '$victim'");
T::db_query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE username = '$victim')");
T::db_query("DELETE FROM users WHERE username = '$victim'");
done_testing();
