#!/usr/bin/perl
# 00-stack.t - the private stack is up and wired together: the web server
# answers, routes to the FastCGI programs, sends the security headers, gives
# 404 for unknown URLs, and the database holds the migrations and demo data.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $ua = T::new_agent();
my $res = $ua->get('/');
if ($res->{status} == 599) {
	BAIL_OUT('web server not reachable at ' . T::base_url() . ": $res->{content}");
}

# The home page is the login page for anonymous users (possibly by redirect).
if ($res->{status} =~ /^30[23]$/) {
	like $res->{headers}{location} // '', qr{/login}, '/ redirects anonymous users to the login page';
	$res = $ua->get('/login');
}
is $res->{status}, 200, 'login page: 200';
like $res->{headers}{'content-type'} // '', qr{^text/html;\s*charset=utf-8}i, 'HTML in UTF-8';
like $res->{text}, qr/登录/, 'page shows 登录';
ok defined T::csrf_from($res->{text}), 'login form carries a csrf token';

# Security headers on dynamic and static responses.
for my $h ([ 'x-content-type-options', qr/^nosniff$/ ],
           [ 'referrer-policy', qr/^same-origin$/ ],
           [ 'content-security-policy', qr/default-src 'self'.*frame-ancestors 'none'/ ]) {
	my $v = $res->{headers}{ $h->[0] };
	$v = join ', ', @$v if ref $v;
	like $v // '', $h->[1], "dynamic page has $h->[0]";
}

# Every program is reachable through its URL prefix (any answer but a
# gateway error or 404 from the web server means the socket is wired up).
for my $path ('/login', '/register', '/form/selfeval', '/form/hub', '/form/window',
              '/form/resource', '/form/sme', '/region', '/admin') {
	my $r = $ua->get($path);
	ok $r->{status} != 502 && $r->{status} != 503 && $r->{status} != 504 && $r->{status} != 599,
		"$path reaches its program (HTTP $r->{status})";
}

# Unknown URLs are 404 from the web server; so are near-misses of prefixes.
for my $path ('/no-such-page', '/form/', '/form/unknown', '/formx', '/adminx', '/login/x',
              '/static/../scripts/stack', '/.git/config', '/smesurvey.conf') {
	is $ua->get($path)->{status}, 404, "$path gives 404";
}

# Static files, when the stylesheet exists.
SKIP: {
	skip 'htdocs/style.css not present', 3 unless -f T::root() . '/htdocs/style.css';
	my $s = $ua->get('/static/style.css');
	is $s->{status}, 200, '/static/style.css served';
	like $s->{headers}{'content-type'} // '', qr{^text/css}, 'as text/css';
	is $s->{headers}{'x-content-type-options'}, 'nosniff', 'static response has nosniff';
}

# Database: migrations recorded, demo data loaded.
my @mig = map { $_->[0] } T::db_query('SELECT version FROM schema_migrations ORDER BY version');
my @files = map { (m{/([0-9]{3}_[^/]+)\.sql$})[0] } glob(T::root() . '/sql/[0-9][0-9][0-9]_*.sql');
ok scalar(@files), 'there are migration files';
for my $v (@files) {
	ok((grep { $_ eq $v } @mig), "migration $v recorded in schema_migrations");
}
ok((grep { $_ eq 'demo' } @mig), 'demo data recorded in schema_migrations');
is T::db_value("SELECT name FROM regions WHERE code = '110000'"), '北京市', 'demo region 北京市';

my @demo = T::demo_accounts();
cmp_ok scalar(@demo), '>=', 20, 'demo-logins.tsv lists the demo accounts';
my %roles = map { $_->{role} => 1 } @demo;
is_deeply [ sort keys %roles ], [ sort qw(admin viewer agency region hub window resource sme) ],
	'every role has a demo account';
is T::db_value('SELECT COUNT(*) FROM users WHERE username IN (' .
	join(',', map { T::sql_quote($_->{username}) } @demo) . ')'), scalar(@demo),
	'every demo account exists in the database';
ok !(grep { length($_->{password}) < 12 } @demo), 'demo passwords have at least 12 characters';

# The application's DB account is limited to its own database.
my $grants = join "\n", map { $_->[0] } T::db_query("SHOW GRANTS FOR 'smesurvey'\@'localhost'");
unlike $grants, qr/GRANT (ALL|SELECT|INSERT)[^\n]* ON \*\.\*/,
	'app account has no global privileges';
# Table by table (smesurvey-setup grants): the audit trail and the migration
# record can be read and added to, never rewritten.
like $grants, qr/GRANT SELECT, INSERT, UPDATE, DELETE ON `smesurvey`\.`answers`/, 'app account may change answers';
like $grants, qr/GRANT SELECT, INSERT ON `smesurvey`\.`audit_log`/, 'audit_log: select and insert only';
like $grants, qr/GRANT SELECT, INSERT ON `smesurvey`\.`schema_migrations`/, 'schema_migrations: select and insert only';
unlike $grants, qr/ON `smesurvey`\.\*/, 'no database-wide privileges';

done_testing();
