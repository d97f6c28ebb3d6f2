#!/usr/bin/perl
# 78-worker-memory.t - a worker that answers the same page a thousand more
# times does not grow: each page that a session check carries (stmts.c,
# "Pages in one round trip"; tests/e2e/55-round-trips.t) and the pages
# beside them are requested straight from one worker of their program
# (scripts/fcgi-get, no web server), WARM times and then WARM + MORE
# times, and the worker's VmRSS (/proc) may not grow by more than SLACK_KB
# between the two. A leak of 1 KB a request shows as 1 MB here.
#
# Found by scripts/bench-rss on a quiet machine: the copies of carried
# rows (core/db.c) were allocated cell by cell while dbrows_free frees one
# arena, so adminweb grew by ~24 KB per /admin/progress.
#
# A memory size, not a time: what is asserted does not depend on the load.
use strict;
use warnings;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

my ($WARM, $MORE, $SLACK_KB) = (200, 1000, 1024);
my $bindir = T::bindir();
my $fcgi_get = T::root() . '/scripts/fcgi-get';
my $tmp = tempdir(CLEANUP => 1);

# role => "sid=..." of a fresh login of that demo role's first account
my %cookie;
sub cookie_of {
	my ($role) = @_;
	return '' if $role eq '-';
	return $cookie{$role} //= do {
		my ($acc) = grep { $_->{role} eq $role } T::demo_accounts();
		my $ua = T::new_agent();
		$ua->login($acc->{username}, $acc->{password});
		'sid=' . ($ua->cookie('sid') // '');
	};
}

# [ program, page, role ]
my @PAGES = (
	[ 'smesurvey-adminweb',      '/admin',                 'admin' ],
	[ 'smesurvey-adminweb',      '/admin/progress',        'admin' ],
	[ 'smesurvey-adminweb',      '/admin/deadlines',       'admin' ],
	[ 'smesurvey-adminweb',      '/admin/export',          'admin' ],
	[ 'smesurvey-adminweb',      '/admin/followups/print', 'admin' ],
	[ 'smesurvey-region',        '/region',                'region' ],
	[ 'smesurvey-region',        '/region/progress',       'region' ],
	[ 'smesurvey-agency',        '/agency',                'agency' ],
	[ 'smesurvey-form-sme',      '/form/sme',              'sme' ],
	[ 'smesurvey-form-hub',      '/form/hub',              'hub' ],
	[ 'smesurvey-form-selfeval', '/form/selfeval',         'region' ],
	[ 'smesurvey-home',          '/',                      '-' ],
);

sub rss_kb {
	my ($pid) = @_;
	open my $fh, '<', "/proc/$pid/status" or return undef;
	while (<$fh>) { return $1 if /^VmRSS:\s+(\d+)/ }
	return undef;
}

# Sends n requests of uri to sock; the head of the last answer.
sub hammer {
	my ($sock, $uri, $n, $cookie) = @_;
	my $out = qx{"$fcgi_get" "$sock" "$uri" $n "$cookie"};
	return $out // '';
}

my $i = 0;
for my $p (@PAGES) {
	my ($prog, $uri, $role) = @$p;
	$i++;
	my ($sock, $pidf) = ("$tmp/w$i.sock", "$tmp/w$i.pid");
	my $cookie = cookie_of($role);
	system("$bindir/smesurvey-supervise", '-d', '-n', '1', '-m', '0600', '-s', $sock, '-p', $pidf,
		'-l', "$tmp/w$i.log", '--', "$bindir/$prog") == 0 or BAIL_OUT("$prog did not start under smesurvey-supervise");
	my $head = hammer($sock, $uri, $WARM, $cookie);
	chomp(my $super = do { local (@ARGV, $/) = $pidf; <> } // '');
	chomp(my ($worker) = qx{pgrep -P $super});
	my $before = rss_kb($worker);
	# libfcgi's answers carry a Status line only when it is not 200.
	ok $head =~ /^\d+ / && $head !~ /Status: [345]\d\d/, "$prog $uri answers 200 as $role" or diag $head;
	hammer($sock, $uri, $MORE, $cookie);
	my $after = rss_kb($worker);
	ok defined $before && defined $after && $after - $before <= $SLACK_KB,
		"$prog $uri: worker grew by " . (defined $after && defined $before ? $after - $before : '?')
		. " kB in $MORE requests (at most $SLACK_KB)";
	kill 'TERM', $super;
	for (1 .. 50) { last unless -e $pidf; select undef, undef, undef, 0.1 }
}
done_testing;
