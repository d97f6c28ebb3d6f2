#!/usr/bin/perl
# 87-agency-access.t - every route of smesurvey-agency, read from its page
# table (cgi-bin/agency.c), against every principal: anonymous visitors are
# sent to log in (GET) or refused (POST); each demo role gets 403 unless the
# row names its role, and a role the row names is never refused for its role
# (it may still get 404 for an id that is not its own; the ids used name
# nothing, so no POST changes data). Stored texts of the
# workspace come back escaped (a tag typed into each is shown as text).
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my %masks = (AGENCY => [ 'agency' ], UNITS => [ 'hub', 'window' ], REGION => [ 'region' ]);
my @routes;
{
	open my $fh, '<', T::root() . '/cgi-bin/agency.c' or die $!;
	while (<$fh>) {
		next unless /^\s*\[PAGE_\w+\]\s*=\s*\{\s*"([^"]+)",\s*(M_GET|M_POST),\s*([A-Z_ |]+?),/;
		my ($path, $method, $mask) = ($1, $2 eq 'M_GET' ? 'GET' : 'POST', $3);
		my %ok = map { $_ => 1 } map { @{ $masks{$_} // die "unknown mask $_" } } split /\s*\|\s*/, $mask;
		push @routes, { path => $path, method => $method, ok => \%ok };
	}
}
cmp_ok scalar(@routes), '>=', 30, 'the page table is read (' . scalar(@routes) . ' routes)';

my $hub = T::db_value("SELECT id FROM users WHERE username = " . T::sql_quote(T::demo_account('hub', 0, '110000')->{username}));
# Ids that name nothing, so that an allowed POST changes nothing (404 or a
# refused field) - the demo data stays as it is.
my $q = "?unit=999999999&id=999999999&region=110000";
my $anon = T::new_agent();
for my $r (@routes) {
	my $res = $r->{method} eq 'GET' ? $anon->get("$r->{path}$q") : $anon->post("$r->{path}$q", [ x => 1 ]);
	if ($r->{method} eq 'GET') {
		is $res->{status}, 303, "anonymous GET $r->{path}: to the login";
	} else {
		isnt $res->{status}, 200, "anonymous POST $r->{path}: refused ($res->{status})";
	}
}
for my $role (qw(admin viewer agency region hub window resource sme)) {
	my $ua = T::demo_login($role, 0);
	my $csrf = T::csrf_from($ua->get('/password')->{text});
	for my $r (@routes) {
		my $res = $r->{method} eq 'GET' ? $ua->get("$r->{path}$q") : $ua->post("$r->{path}$q", [ csrf => $csrf ]);
		if ($r->{ok}{$role}) {
			isnt $res->{status}, 403, "$role $r->{method} $r->{path}: allowed ($res->{status})";
		} else {
			is $res->{status}, 403, "$role $r->{method} $r->{path}: 403";
		}
	}
}

# ------------------------------------------------- stored texts escaped
my $agency = T::demo_login('agency');
my $csrf = T::csrf_from($agency->get('/agency/visits')->{text});
my $x = '<script>alert(87)</script>';
my ($visit) = ($agency->post('/agency/visits', [ csrf => $csrf, region => '110000', starts_on => '2013-11-28',
	ends_on => '2013-11-29' ])->{headers}{location} // '') =~ /id=(\d+)/;
my $vpage = $agency->get("/agency/visits/visit?id=$visit")->{text};
my ($version) = $vpage =~ /name="version" value="(\d+)"/;
is $agency->post("/agency/visits/visit?id=$visit", [ csrf => $csrf, version => $version, starts_on => '2013-11-28',
	ends_on => '2013-11-29', T::visit_objects($vpage, { $hub => '2013-11-28' }), contact => $x, phone => '',
	prepare => $x, findings => $x ])->{status}, 303, 'a visit with markup in its texts';
my ($sym) = ($agency->post("/agency/symposiums?id=$visit", [ csrf => $csrf, host => $hub, day => '2013-11-28',
	place => $x ])->{headers}{location} // '') =~ /id=(\d+)/;
$agency->post("/agency/symposiums/attendance?id=$sym", [ csrf => $csrf, minutes => $x ]);
$agency->post("/agency/visits/state?id=$visit", [ csrf => $csrf, action => 'notify', confirm => 1 ]);
my %pages = ("/agency/visits/visit?id=$visit" => $agency, "/agency/symposiums/symposium?id=$sym" => $agency,
	'/agency/dossier?region=110000' => $agency, '/agency/region' => T::demo_login('region', 0, '110000'),
	'/agency/unit/visits' => T::demo_login('hub', 0, '110000'));
for my $p (sort keys %pages) {
	my $text = $pages{$p}->get($p)->{text};
	unlike $text, qr/<script>alert\(87\)/, "$p: no markup from stored text";
	like $text, qr/&lt;script&gt;alert\(87\)/, '... shown as text';
}
$agency->post("/agency/visits/state?id=$visit", [ csrf => $csrf, action => 'cancel', confirm => 1, reason => $x ]);
unlike T::demo_login('region', 0, '110000')->get('/agency/region')->{text}, qr/<script>alert\(87\)/,
	'the cancel reason is escaped for the region';

done_testing;
