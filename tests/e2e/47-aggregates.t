#!/usr/bin/perl
# 47-aggregates.t - the maintained aggregates (issue 13, sql/005_aggregates.sql,
# cgi-bin/eval/aggr.h) equal the ones rebuilt from the data after a random
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
# Region A has an SME sample (selected units and reserves) for paper entries
# and replacements; earlier runs' units, paper accounts and answers go first.
T::db_query($_) for (
	"DELETE p FROM responses p JOIN users u ON u.id = p.user_id WHERE u.username LIKE 'sme-T47A01-%'",
	"DELETE FROM sample_units WHERE region_code = 'T47A01'",
	"DELETE FROM samples WHERE region_code = 'T47A01'",
	"DELETE FROM users WHERE username LIKE 'sme-T47A01-%'");
my %acc = (
	A => Forms::fresh_accounts('t47a', 'T47A01', 'T47A 测试省', [ qw(region), (qw(sme)) x 5, (qw(resource)) x 3 ]),
	B => Forms::fresh_accounts('t47b', 'T47B01', 'T47B 测试省', [ (qw(sme)) x 4, qw(resource) ]),
);
T::db_query("INSERT INTO samples (region_code, kind, method) VALUES ('T47A01', 'sme', 'uploaded')");
my $sid = T::db_value("SELECT id FROM samples WHERE region_code = 'T47A01' AND kind = 'sme'");
for my $i (1 .. 8) {
	my $role = $i <= 5 ? 'selected' : 'reserve';
	T::db_query("INSERT INTO sample_units (sample_id, region_code, form, stratum, name, role, position, status)"
		. " VALUES ($sid, 'T47A01', 'sme', 'sme', '四七企业$i', '$role', $i, 'active')");
}
my @units = map { $_->[0] } T::db_query("SELECT id FROM sample_units WHERE sample_id = $sid AND role = 'selected' ORDER BY id");
# The fixtures (and earlier tests) changed rows with SQL: start from a rebuild.
my ($rc, $out) = admin_cli('rebuild-aggregates');
is $rc, 0, 'baseline rebuild' or diag $out;
my %form = map { $_ => Forms::load($_) } qw(sme resource);
my @who = grep { $_->{role} ne 'region' }
	map { my $r = $_; map { $acc{$r}{$_} } sort keys %{ $acc{$r} } } sort keys %acc;
my $region = Forms::login_as($acc{A}{region});
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
		csrf => T::csrf_from($res->{text}), version => version_of($res->{text}), action => $action,
		($action eq 'submit' ? (confirm => 1) : ()));
	return $ua->post("/form/$name", \@p)->{status} == 303;
}

my $admin = T::demo_login('admin');
my %n;
for my $step (1 .. 90) {
	my $a = $who[ int rand @who ];
	my $x = rand();
	if ($x < 0.2) {
		$n{save} += save($a, 'save');
	} elsif ($x < 0.45) {
		$n{submit} += save($a, 'submit');
	} elsif ($x < 0.6) {
		# The region enters a sampled unit's paper form (creating its account
		# the first time; then the list sends it straight to the form).
		my $u = $units[ int rand @units ];
		my $r = $region->get("/form/sme/proxy/unit?unit=$u");
		if ($r->{status} == 200) {
			$r = $region->post('/form/sme/proxy/unit', [ csrf => T::csrf_from($r->{text}), unit => $u ]);
		}
		my ($uid) = ($r->{headers}{location} // '') =~ /for=(\d+)/ or next;
		$r = $region->get("/form/sme?for=$uid");
		next unless $r->{status} == 200 && defined version_of($r->{text});
		my $vals = rand() < 0.5 ? Forms::valid_values($form{sme}) : random_values($form{sme});
		$r = $region->post("/form/sme?for=$uid", [ csrf => T::csrf_from($r->{text}), action => 'submit', confirm => 1,
			version => version_of($r->{text}), @{ Forms::post_params($form{sme}, $vals) } ]);
		$n{paper}++ if $r->{status} == 303;
	} elsif ($x < 0.65) {
		# The region replaces a selected unit (its answers leave "sample only").
		my $u = $units[ int rand @units ];
		my $r = $region->get("/region/sample/replace?unit=$u");
		next unless $r->{status} == 200;
		$r = $region->post('/region/sample', [ csrf => T::csrf_from($r->{text}), action => 'replace',
			unit => $u, reason => '测试替换' ]);
		$n{replace}++ if $r->{status} == 303;
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
my ($rc0, $before_reset) = admin_cli('dump-aggregates');
# The CLI resets the sample: its units go, their answers leave "sample only".
($rc, $out) = admin_cli("reset-sample T47A01 sme --reason '四七测试重置'");
is $rc, 0, 'reset-sample by the CLI' or diag $out;
diag join ', ', map { "$_=$n{$_}" } sort keys %n;
ok $n{submit} && $n{reopen} && $n{paper}, 'the workload submitted, reopened and entered paper forms';
like $before_reset, qr/^agg_fields\tsme\tT47A01\t1\t/m, 'paper entries counted in the sample before the reset';

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

# ------------------------------------------------ /admin/responses by key
# Newest first, 50 a page, next/previous by key (after=/before=): walking
# forward visits every response once in id order, walking back from the
# last page gives the same pages, and the total comes from the counters.
{
	# Enough drafts for several pages (SQL: the counters' triggers see them).
	T::db_query("INSERT INTO users (username, pw_hash, role, region_code, org_name, form)"
		. " SELECT CONCAT('t47b-bulk-', seq), 'x', 'sme', 'T47B01', '批量企业', 'sme' FROM seq_1_to_120");
	T::db_query("INSERT INTO responses (form, user_id, region_code, status) SELECT 'sme', id, 'T47B01', 'draft'"
		. " FROM users WHERE username LIKE 't47b-bulk-%'");
	my @want = map { $_->[0] } T::db_query('SELECT id FROM responses ORDER BY id DESC');
	my (@pages, @seen);
	my $url = '/admin/responses?status=all';
	while ($url && @pages < 100) {
		my $res = $admin->get($url);
		last unless $res->{status} == 200;
		my @ids = $res->{text} =~ /<tr data-id="(\d+)">/g;
		push @pages, [ $url, \@ids ];
		push @seen, @ids;
		($url) = $res->{text} =~ /<a href="([^"]+)" rel="next">/;
		$url = Forms::unescape($url) if $url;
	}
	is_deeply \@seen, \@want, 'walking "next" lists every response once, newest first (' . scalar(@pages) . ' pages)';
	ok @pages >= 2, 'more than one page';
	unlike $pages[0][0], qr/page=|offset/i, 'no page numbers';
	ok !(grep { @{ $_->[1] } > 50 } @pages), 'at most 50 a page';
	my $res = $admin->get($pages[-1][0]);
	my @back;
	my ($prev) = $res->{text} =~ /<a href="([^"]+)" rel="prev">/;
	while ($prev) {
		$res = $admin->get(Forms::unescape($prev));
		unshift @back, [ $res->{text} =~ /<tr data-id="(\d+)">/g ];
		($prev) = $res->{text} =~ /<a href="([^"]+)" rel="prev">/;
	}
	is_deeply [ map { @$_ } @back, $pages[-1][1] ], \@want, 'walking "previous" back from the last page gives them all again';
	like $admin->get('/admin/responses?status=all')->{text}, qr{<span id="total">\Q${\ scalar @want}\E</span>},
		'the total (maintained counters) is the number of responses';
	is $admin->get('/admin/responses?after=abc&before=-1')->{status}, 200, 'a bad key is ignored';
}

# ------------------------------------------------- stale definitions
# After an upgrade with another codebook or indicator set, the recorded
# fingerprint differs (simulated here): check fails, /admin warns, and
# --if-stale (what smesurvey-setup migrate runs) recounts once.
{
	($rc, $out) = admin_cli('rebuild-aggregates', '--if-stale');
	is $rc, 0, '--if-stale right after a rebuild' or diag $out;
	like $out, qr/aggregates are current/, '... does nothing: the aggregates are current';
	my $fp = T::db_value("SELECT definitions FROM agg_meta WHERE id = 1");
	like $fp, qr/^[0-9a-f]{64}\z/, 'the rebuild recorded the definitions fingerprint';
	unlike $admin->get('/admin')->{text}, qr/旧版问卷或指标定义/, 'no warning on /admin while current';
	T::db_query("UPDATE agg_meta SET definitions = REPEAT('0', 64) WHERE id = 1");
	($rc, $out) = admin_cli('check');
	like $out, qr/^FAIL\s+aggregates: computed with another codebook/m, 'check names stale aggregates';
	like $admin->get('/admin')->{text}, qr/旧版问卷或指标定义.*rebuild-aggregates/s, '/admin warns the administrators';
	my $n = T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'aggregates-rebuild'");
	($rc, $out) = admin_cli('rebuild-aggregates', '--if-stale');
	is $rc, 0, '--if-stale when stale' or diag $out;
	like $out, qr/aggregates rebuilt/, '... rebuilds';
	is T::db_value("SELECT definitions FROM agg_meta WHERE id = 1"), $fp, '... and records the current fingerprint';
	is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'aggregates-rebuild'"), $n + 1, '... audited';
	unlike $admin->get('/admin')->{text}, qr/旧版问卷或指标定义/, 'the warning is gone';
	($rc, $out) = admin_cli('rebuild-aggregates', '--bogus');
	isnt $rc, 0, 'an unknown option is refused';
}

done_testing;
