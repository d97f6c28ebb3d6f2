#!/usr/bin/perl
# 73-csrf-methods.t - every state-changing route (every POST of every page
# table, `PROGRAM --routes`) refuses a request that does not carry the
# token of the very session it comes with: no token, an empty one, another
# account's session's, the same account's other session's, one from before
# a logout (the same browser, logged in again), another browser's anonymous
# login token, and GET instead of POST with a valid token. Each is refused
# (the CSRF refusal: 403, "页面已过期或请求来源无效"; the questionnaires'
# autosave says so in JSON; a GET gets 405, or the GET page of the same
# path, which changes nothing)
# and the database is unchanged (CHECKSUM TABLE of every table but the
# sessions' last-seen column, plus the sessions' count).
#
# Each POST route needs a case (Access.pm post_case): who posts and a body
# that would do something with a valid token. A POST route without one
# fails the test.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Access;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my @posts = grep { $_->[0] eq 'POST' } Access::routes();
ok @posts >= 20, scalar(@posts) . ' state-changing routes in the page tables';

my %ACC = map { $_->{username} => $_ } T::demo_accounts();
sub login { my ($u) = @_; my $ua = T::new_agent(); $ua->login($u, $ACC{$u}{password}) if $u ne '-'; return $ua }
sub token_of { my ($ua) = @_; return T::csrf_from($ua->get('/password')->{text}) }   # any page with a form
sub db_state {
	my @t = map { $_->[0] } T::db_query('SHOW TABLES');
	my @c = map { "$_->[0]=" . ($_->[1] // 'NULL') } T::db_query('CHECKSUM TABLE ' . join(', ', grep { $_ ne 'sessions' } @t));
	return join(' ', @c, 'sessions=' . T::db_value('SELECT COUNT(*) FROM sessions'));
}
sub refused {
	my ($res) = @_;
	return $res->{status} == 403 && ($res->{text} // '') =~ /已过期|来源无效/;
}
sub anon_login_token { return T::new_agent()->csrf_of('/login') }

for my $rt (@posts) {
	my $path = $rt->[1];
	my ($who, $body) = Access::post_case($path);
	ok $who, "POST $path has a case (tests/e2e/lib/Access.pm post_case)" or next;
	my @body = @$body;
	my %variant;
	if ($who eq '-') {
		# Anonymous forms: the token is bound to the browser's pre-session.
		my $ua = T::new_agent();
		$ua->get($path);
		my $other = anon_login_token();
		my $session = token_of(login('bj-hub'));
		%variant = (none => [ $ua, undef ], empty => [ $ua, '' ],
			"another browser's login token" => [ $ua, $other ],
			"a session's token" => [ $ua, $session ]);
	} else {
		my $ua = login($who);
		my $second = login($who);
		my $relog = login($who);
		my $old = token_of($relog);
		$relog->logout;
		$relog->login($who, $ACC{$who}{password});
		my $foreign = token_of(login($who eq 'admin' ? 'viewer' : 'admin'));
		%variant = (none => [ $ua, undef ], empty => [ $ua, '' ],
			"another account's session token" => [ $ua, $foreign ],
			"the same account's other session's token" => [ $ua, token_of($second) ],
			'a token from before logout' => [ $relog, $old ],
			"another browser's login token" => [ $ua, anon_login_token() ],
			'GET with a valid token' => [ $ua, token_of($ua), 'GET' ]);
	}
	# A form's first GET records when it was first opened (paradata, issue
	# 20): a legitimate write, done here before the snapshot so that the GET
	# variant below is judged on the action alone (on a fresh stack this
	# test may be the first to open the form).
	$variant{'GET with a valid token'}[0]->get($path) if $variant{'GET with a valid token'};
	my $before = db_state();
	for my $v (sort keys %variant) {
		my ($ua, $tok, $method) = @{ $variant{$v} };
		my @b = (@body, defined $tok ? (csrf => $tok) : ());
		if (($method // '') eq 'GET') {
			my $q = HTTP::Tiny->new->www_form_urlencode(\@b);
			my $res = $ua->get("$path?$q");
			ok $res->{status} < 500, "GET $path (as $who, valid token): $res->{status} (the database check follows)";
			next;
		}
		my $res = $ua->post($path, \@b);
		ok refused($res), "POST $path as $who, $v: refused" or diag "status $res->{status}";
	}
	is db_state(), $before, "POST $path: the database is unchanged";
}

done_testing();
