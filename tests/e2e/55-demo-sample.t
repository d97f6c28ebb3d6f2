#!/usr/bin/perl
# 55-demo-sample.t - the demo samples that `make run` (scripts/stack,
# DEMO=1) loads through `smesurvey-admin import-frame` and `draw`: each demo
# region has confirmed frames, a drawn resource sample with 5 hub + 10 window
# units selected and an SME sample with 100 selected, both verified by
# `smesurvey-admin redraw`; the demo resource/sme accounts are bound to a
# selected unit of their region and the region's pages show the sample.
# CLI errors: import-frame/draw for an unknown region, a frame with row
# errors, a second draw and a frame import after the draw write nothing.
# bind-account binds imported accounts to selected units, refusing unknown,
# non-respondent and bound accounts. Reads the demo data; the only rows it
# writes are for its own region T55A01, removed again.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp qw(tempdir);
use Encode ();
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $conf = T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my $cli = T::bindir() . '/smesurvey-admin';
-x $cli or BAIL_OUT("$cli is missing: run make first");
my $tmp = tempdir(CLEANUP => 1);

sub cli {
	my @args = map { my $a = $_; $a =~ s/'/'\\''/g; "'$a'" } @_;
	my $out = `'$cli' --conf '$conf' @args 2>&1`;
	return ($? >> 8, Encode::decode('UTF-8', $out));
}

sub counts {
	return join '/', map { T::db_value("SELECT COUNT(*) FROM $_") }
		qw(frames frame_units samples sample_units audit_log);
}

my %seed = ('110000' => '5eed20131101b001', '310000' => '5eed20131101c002', '440000' => '5eed20131101d003');
ok T::db_value("SELECT COUNT(*) FROM schema_migrations WHERE version = 'demo-sample'"),
	'demo samples recorded in schema_migrations';

for my $region (sort keys %seed) {
	for my $kind (qw(resource sme)) {
		my @s = T::db_query("SELECT s.id, s.method, s.seed, s.algo_version, s.frame_checksum, f.checksum, f.status,"
			. " f.nunits FROM samples s JOIN frames f ON f.id = s.frame_id"
			. " WHERE s.region_code = '$region' AND s.kind = '$kind'");
		is scalar(@s), 1, "$region $kind: one sample" or next;
		my ($sid, $method, $seed, $algo, $ssum, $fsum, $fstatus, $nunits) = @{ $s[0] };
		is $method, 'drawn', "$region $kind: method drawn";
		is $seed, $seed{$region}, "$region $kind: the fixed demo seed";
		like $algo, qr/^srswor-splitmix64-fy\/\d+$/, "$region $kind: algorithm version recorded";
		ok $fstatus eq 'confirmed' && $ssum eq $fsum && $ssum =~ /^[0-9a-f]{64}$/,
			"$region $kind: drawn from the confirmed frame, checksum recorded";
		my %sel = map { $_->[0] => $_->[1] } T::db_query("SELECT stratum, COUNT(*) FROM sample_units"
			. " WHERE sample_id = $sid AND role = 'selected' AND status = 'active' GROUP BY stratum");
		my %all = map { $_->[0] => $_->[1] } T::db_query("SELECT stratum, COUNT(*) FROM sample_units"
			. " WHERE sample_id = $sid GROUP BY stratum");
		if ($kind eq 'resource') {
			is_deeply \%sel, { hub => 5, window => 10 }, "$region resource: 5 hub + 10 window selected";
			is_deeply \%all, { hub => 8, window => 24 }, "$region resource: 8 hub + 24 window units (the rest in reserve)";
			is T::db_value("SELECT COUNT(DISTINCT platform) FROM frame_units fu JOIN samples s ON s.frame_id = fu.frame_id"
				. " WHERE s.id = $sid AND fu.stratum = 'window'"), 2, "$region resource: two window platforms";
		} else {
			is_deeply \%sel, { sme => 100 }, "$region sme: 100 selected";
			is $nunits, 150, "$region sme: 150 SMEs in the frame";
		}
		my ($rc, $out) = cli('redraw', $region, $kind);
		is $rc, 0, "redraw $region $kind: exit 0";
		like $out, qr/^verified$/m, "redraw $region $kind: verified" or diag $out;
		ok T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'sample-draw' AND detail LIKE 'cli %'"
			. " AND detail LIKE '%region=$region kind=$kind %'"), "$region $kind: the draw is audited";
	}
	# Demo accounts bound to a selected unit of their own region and form.
	for my $role (qw(resource sme)) {
		my $acc = T::demo_account($role, 0, $region);
		my @b = T::db_query("SELECT su.role, su.status, su.region_code, su.form, su.name, u.org_name,"
			. " su.registered_at IS NOT NULL FROM sample_units su JOIN users u ON u.id = su.user_id"
			. " WHERE u.username = " . T::sql_quote($acc->{username}));
		is scalar(@b), 1, "$acc->{username} is bound to one sample unit" or next;
		my ($r, $st, $rc_, $form, $name, $org, $reg) = @{ $b[0] };
		ok $r eq 'selected' && $st eq 'active' && $rc_ eq $region && $form eq $role && $reg,
			"$acc->{username}: a selected, active $role unit of $region, registered";
		is $org, $name, "$acc->{username}: org_name is the unit's name ($name)";
	}
}

# The region's pages show the demo sample and the bound account.
{
	my $ua = T::demo_login('region', 0, '110000');
	my $p = $ua->get('/region/sample');
	is $p->{status}, 200, 'bj region: /region/sample 200';
	like $p->{text}, qr/5eed20131101b001/, 'the sample page shows the demo seed';
	my $unit = T::db_value("SELECT su.name FROM sample_units su JOIN users u ON u.id = su.user_id"
		. " WHERE u.username = " . T::sql_quote(T::demo_account('sme', 0, '110000')->{username}));
	my $csv = $ua->get('/region/sample.csv?kind=sme');
	is $csv->{status}, 200, 'bj region: sample.csv 200';
	like $csv->{text}, qr/\Q$unit\E/, 'the sample list holds the bound SME';
	is scalar(() = $csv->{text} =~ /\n/g) >= 101, 1, 'the SME list has at least 100 rows';
	my $prog = $ua->get('/region/progress');
	like $prog->{text}, qr/\Q$unit\E/, "progress shows the bound account under the unit's name";
}

# ------------------------------------------------------------ CLI errors
my $before = counts();
{
	my ($rc, $out) = cli('import-frame', 'ZZ9999', 'resource', T::root() . '/sql/demo/frame-resource-110000.csv');
	ok $rc == 1 || $rc == 2, "import-frame for an unknown region: exit 1/2 (got $rc)";
	like $out, qr/unknown region code 'ZZ9999'.*nothing written/, 'clear message' or diag $out;
	($rc, $out) = cli('draw', 'ZZ9999', 'sme', '--seed', '1');
	is $rc, 1, 'draw for an unknown region: exit 1';
	like $out, qr/unknown region code 'ZZ9999'/, 'draw: clear message';
	($rc, $out) = cli('import-frame', '110000', 'resource', T::root() . '/sql/demo/frame-resource-110000.csv');
	is $rc, 1, 'import-frame after the draw: exit 1';
	like $out, qr/already has a resource sample/, 'refused like the web page' or diag $out;
	($rc, $out) = cli('draw', '110000', 'sme', '--seed', 'abc');
	is $rc, 1, 'a second draw: exit 1';
	like $out, qr/already has a sme sample/, 'second draw refused' or diag $out;
	($rc, $out) = cli('import-frame', '110000', 'people', '/dev/null');
	is $rc, 2, 'import-frame with a bad KIND: usage, exit 2';
	($rc, $out) = cli('draw', '110000', 'sme', '--seed', 'xyz');
	is $rc, 2, 'draw with a bad seed: exit 2';
}
is counts(), $before, 'no frame, sample or audit row written by the refused commands';

# A fresh region: row errors, then a GB18030 frame imported and drawn by the CLI.
T::db_query("DELETE FROM samples WHERE region_code = 'T55A01'");
T::db_query("DELETE FROM frames WHERE region_code = 'T55A01'");
T::db_query("INSERT IGNORE INTO regions (code, name) VALUES ('T55A01', '测试五五省')");
{
	my $bad = "名称,组织平台,电话\n甲服务机构,枢纽平台,12\n乙服务机构,,010-12345678\n甲服务机构,窗口一,010-12345679\n";
	open my $fh, '>:encoding(UTF-8)', "$tmp/bad.csv" or die $!;
	print $fh $bad;
	close $fh;
	my $b2 = counts();
	my ($rc, $out) = cli('import-frame', 'T55A01', 'resource', "$tmp/bad.csv");
	is $rc, 1, 'frame with row errors: exit 1';
	like $out, qr/line 2: .*电话/, 'phone error on line 2';
	like $out, qr/line 3: .*组织平台为空/, 'platform error on line 3';
	like $out, qr/line 4: .*重复/, 'duplicate name on line 4';
	is counts(), $b2, 'nothing written';
	($rc, $out) = cli('draw', 'T55A01', 'resource', '--seed', '1');
	is $rc, 1, 'draw without a frame: exit 1';
	like $out, qr/no confirmed resource frame/, 'draw without a frame: message';

	my $good = "单位名称,所属平台,联系人\n" . join '', map { sprintf "测试机构%02d,%s,联系人%d\n", $_,
		$_ <= 3 ? '地区枢纽平台' : '测试窗口平台', $_ } 1 .. 12;
	open $fh, '>:encoding(UTF-8)', "$tmp/good-utf8.csv" or die $!;
	print $fh $good;
	close $fh;
	system("iconv -f UTF-8 -t GB18030 '$tmp/good-utf8.csv' > '$tmp/gb.csv'") == 0 or die 'iconv failed';
	($rc, $out) = cli('import-frame', 'T55A01', 'resource', "$tmp/gb.csv");
	is $rc, 0, 'GB18030 frame imported' or diag $out;
	like $out, qr/GB18030/, 'charset detected';
	like $out, qr/hub 3, window 9/, 'strata counted';
	is T::db_value("SELECT COUNT(*) FROM frames WHERE region_code = 'T55A01' AND status = 'confirmed' AND filename = 'gb.csv'"
		. " AND uploaded_by IS NULL AND charset = 'GB18030'"), 1, 'confirmed frame stored';
	# A short stratum needs --allow-short (issue 10).
	($rc, $out) = cli('draw', 'T55A01', 'resource');
	is $rc, 1, 'draw of a frame short of a quota refused without --allow-short' or diag $out;
	($rc, $out) = cli('draw', 'T55A01', 'resource', '--allow-short');
	is $rc, 0, 'draw with a random seed' or diag $out;
	my ($seed) = $out =~ /^seed ([0-9a-f]{16})$/m;
	ok $seed, 'the seed is printed';
	is T::db_value("SELECT seed FROM samples WHERE region_code = 'T55A01' AND kind = 'resource'"), $seed, 'and stored';
	like $out, qr/window: 9 selected of 9, 0 in reserve - fewer units than the quota of 10/, 'shortfall reported';
	is scalar(() = $out =~ /^  (hub|window) /mg), 12, 'the 12 selected units are listed';
	($rc, $out) = cli('redraw', 'T55A01', 'resource');
	is $rc, 0, 'redraw verifies the CLI draw' or diag $out;

	# bind-account: accounts that did not register through a code take a
	# selected unit of their region (how the demo accounts are bound).
	T::db_query("DELETE FROM users WHERE username LIKE 't55-%'");
	open $fh, '>:encoding(UTF-8)', "$tmp/acc.csv" or die $!;
	print $fh "username,initial_password,role,region_code,org_name,form\n",
		"t55-res1,T55-Pass-res1-2013!,resource,T55A01,旧系统名称一,resource\n",
		"t55-res2,T55-Pass-res2-2013!,resource,T55A01,旧系统名称二,resource\n",
		"t55-region,T55-Pass-region-2013!,region,T55A01,测试五五省,selfeval\n";
	close $fh;
	($rc, $out) = cli('import-accounts', "$tmp/acc.csv");
	is $rc, 0, 'bind-account: accounts imported' or diag $out;
	my $first = T::db_value("SELECT id FROM sample_units WHERE region_code = 'T55A01' AND role = 'selected'"
		. " ORDER BY stratum, position, id LIMIT 1");
	my $audits = T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'account-bind'");
	($rc, $out) = cli('bind-account', 't55-nobody');
	is $rc, 1, 'bind-account of an unknown account: exit 1';
	like $out, qr/no account 't55-nobody'.*nothing changed/, '... says so' or diag $out;
	($rc, $out) = cli('bind-account', 't55-region');
	is $rc, 1, 'bind-account of a region account: exit 1';
	like $out, qr/only resource and sme accounts/, '... says why' or diag $out;
	($rc, $out) = cli('bind-account', 't55-res1', '999999999');
	is $rc, 1, 'bind-account to a unit that is not a free selected one: exit 1';
	is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'account-bind'"), $audits, '... nothing audited';
	($rc, $out) = cli('bind-account', 't55-res1');
	is $rc, 0, 'bind-account: exit 0' or diag $out;
	my @b = T::db_query("SELECT su.id, su.name, u.org_name, su.registered_at IS NOT NULL, su.slip_printed_at IS NOT NULL"
		. " FROM sample_units su JOIN users u ON u.id = su.user_id WHERE u.username = 't55-res1'");
	is scalar(@b), 1, '... bound to one unit';
	is $b[0][0], $first, '... the first selected unit of its region and form';
	is $b[0][2], $b[0][1], "... the account takes the unit's name ($b[0][1])";
	ok $b[0][3] && $b[0][4], '... recorded as printed and registered';
	like $out, qr/^t55-res1 bound to unit $first /m, '... and says so' or diag $out;
	is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'account-bind' AND detail LIKE 'cli %user=t55-res1 unit=$first %'"), 1,
		'... audited (account-bind)';
	($rc, $out) = cli('bind-account', 't55-res1');
	is $rc, 1, 'a second bind-account of the same account: exit 1';
	like $out, qr/bound to unit $first already/, '... refused' or diag $out;
	my $third = T::db_value("SELECT id FROM sample_units WHERE region_code = 'T55A01' AND role = 'selected'"
		. " ORDER BY stratum, position, id LIMIT 1 OFFSET 2");
	($rc, $out) = cli('bind-account', 't55-res2', $third);
	is $rc, 0, 'bind-account to a chosen unit: exit 0' or diag $out;
	is T::db_value("SELECT su.id FROM sample_units su JOIN users u ON u.id = su.user_id WHERE u.username = 't55-res2'"),
		$third, '... that unit';
}
T::db_query("DELETE FROM samples WHERE region_code = 'T55A01'");
T::db_query("DELETE FROM frames WHERE region_code = 'T55A01'");
T::db_query("DELETE FROM users WHERE username LIKE 't55-%'");
T::db_query("DELETE FROM regions WHERE code = 'T55A01'");

done_testing;
