#!/usr/bin/perl
# 71-csrf-every-post.t - the dispatcher checks the CSRF token of every POST
# (issue 17, item 4: PAGE_CSRF in the page table, no handler can forget).
# Each POST route of every program, posted by a role allowed to use it,
# with a complete request but without the token and with a forged one: 403
# and nothing changed (the audit log gains no row). Pages that answer a
# refusal their own way say so: the login form again, JSON for form.js.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $sme = T::demo_account('sme', 0, '110000');
my $unit = T::db_value("SELECT id FROM sample_units WHERE region_code = '110000' AND role = 'selected'"
	. " AND form = 'sme' ORDER BY id LIMIT 1");
my $user = T::db_value("SELECT id FROM users WHERE username = " . T::sql_quote($sme->{username}));
my $resp = T::db_value("SELECT id FROM responses ORDER BY id LIMIT 1") // 1;

# role => [ path, fields ]
my @routes = (
	[ 'sme', '/form/sme', [ action => 'save', version => 0, q1_contact => 'CSRF' ] ],
	[ 'sme', '/password', [ old_password => 'x', new_password => 'Csrf-Test-Pass-1', new_password2 => 'Csrf-Test-Pass-1' ] ],
	[ 'region', '/region/frames', [ kind => 'sme', action => 'discard' ] ],
	[ 'region', '/region/sample', [ kind => 'sme', action => 'draw' ] ],
	[ 'region', '/region/slips', [ stratum => 'all' ] ],
	[ 'region', '/region/slips/one', [ unit => $unit ] ],
	[ 'region', '/region/slips/revoke', [ unit => $unit, confirm => 1 ] ],
	[ 'region', '/region/accounts/reset', [ id => $user ] ],
	[ 'region', '/region/followups/unit', [ unit => $unit, outcome => 'noanswer', note => 'csrf' ] ],
	[ 'region', '/form/sme/proxy/unit', [ unit => $unit ] ],
	[ 'admin', '/admin/deadlines', [ action => 'set-national', form => 'sme', due => '2098-01-01 00:00:00' ] ],
	[ 'admin', '/admin/accounts', [ id => $user, action => 'disable' ] ],
	[ 'admin', '/admin/accounts/reset', [ id => $user ] ],
	[ 'admin', '/admin/responses/reopen', [ id => $resp ] ],
	[ 'admin', '/admin/samples/reset', [ region => '110000', kind => 'sme', confirm => 1, reason => 'csrf' ] ],
);

my %agent;
my $audit = sub { T::db_value('SELECT COUNT(*) FROM audit_log') };
for my $r (@routes) {
	my ($role, $path, $fields) = @$r;
	my $ua = $agent{$role} //= T::demo_login($role, 0, $role eq 'admin' ? undef : '110000');
	for my $token (undef, 'f' x 64) {
		my $before = $audit->();
		my $res = $ua->post($path, [ @$fields, (defined $token ? (csrf => $token) : ()) ]);
		my $how = defined $token ? 'a forged token' : 'no token';
		is $res->{status}, 403, "POST $path ($role) with $how: 403";
		like $res->{text}, qr/页面已过期/, '... with the Chinese message';
		is $audit->(), $before, '... nothing done (no audit row)';
	}
}

# Pages that answer a refused token their own way.
{
	my $ua = T::new_agent();
	my $res = $ua->post('/login', [ username => $sme->{username}, password => $sme->{password} ]);
	is $res->{status}, 403, 'login without a token: 403';
	like $res->{text}, qr/name="username"[^>]*value="\Q$sme->{username}\E"/, '... the login form again, the username kept';
	ok !$ua->cookie('sid'), '... no session';

	my $s = T::demo_login('sme', 0, '110000');
	$res = $s->post('/form/sme/autosave', [ fields => 'q1_contact', q1_contact => 'x' ]);
	is $res->{status}, 403, 'autosave without a token: 403';
	like $res->{headers}{'content-type'}, qr{^application/json}, '... answered in JSON for form.js';
	like $res->{text}, qr/"ok":false/, '... ok false with a message';

	$res = T::new_agent()->post('/logout', []);
	is $res->{status}, 303, 'logout without a session and token: nothing to end, to the login page';
}

done_testing();
