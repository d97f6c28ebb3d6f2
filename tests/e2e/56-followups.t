#!/usr/bin/perl
# 56-followups.t - follow-up lists of a region (issue 11, item 4):
#   /region/followups lists every invited sampled unit and construction unit
#   of the region without a submitted response, exactly once across its
#   key-paged pages, with the states and contacts the database holds; a
#   region records calls (CSRF, audit row) and sees their history; a refusal
#   of a selected unit leads to the existing reserve replacement (with its
#   confirmation); the call sheet and the CSV (UTF-8 with BOM, GB18030) carry
#   the same units, the CSV with the invitation link of printed units and no
#   password; another region and its pages answer 403; the ministry reads
#   any region's list.
#
# Uses its own regions T56A01, T56B01 and accounts t56-*.
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

my @regions = ([ 'T56A01', '测试五六甲省' ], [ 'T56B01', '测试五六乙省' ]);
my $in = join ',', map { T::sql_quote($_->[0]) } @regions;
sub cleanup {
	T::db_query("DELETE FROM followups WHERE region_code IN ($in)");
	T::db_query("UPDATE sample_units SET user_id = NULL WHERE region_code IN ($in)");
	T::db_query("DELETE p FROM responses p JOIN users u ON u.id = p.user_id WHERE u.username LIKE 't56-%'");
	T::db_query("DELETE su FROM sample_units su JOIN samples s ON s.id = su.sample_id WHERE s.region_code IN ($in)");
	T::db_query("DELETE FROM samples WHERE region_code IN ($in)");
	T::db_query("DELETE FROM revoked_codes WHERE region_code IN ($in)");
	T::db_query("DELETE FROM frames WHERE region_code IN ($in)");
	T::db_query("DELETE s FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username LIKE 't56-%'");
	T::db_query("DELETE FROM users WHERE username LIKE 't56-%'");
}
cleanup();
T::db_query('INSERT IGNORE INTO regions (code, name, help_phone) VALUES ' .
	join ',', map { '(' . T::sql_quote($_->[0]) . ',' . T::sql_quote($_->[1]) . ", '0956-5656560')" } @regions);

my %pw = (a => 'T56-Region-A-pass', b => 'T56-Region-B-pass');
sub write_file {
	my ($name, $text) = @_;
	open my $fh, '>:encoding(UTF-8)', "$tmp/$name" or die $!;
	print $fh $text;
	close $fh;
	return "$tmp/$name";
}
sub cli {
	my $out = `'$cli' --conf '$conf' @_ 2>&1`;
	return ($? >> 8, Encode::decode('UTF-8', $out));
}
{
	# The construction units' contact and phone come from the import.
	my $f = write_file('accounts.csv', "username,initial_password,role,region_code,org_name,form,contact,phone\n" .
		"t56-a,$pw{a},region,T56A01,测试五六甲省经信委,selfeval,,\n" .
		"t56-b,$pw{b},region,T56B01,测试五六乙省经信委,selfeval,,\n" .
		"t56-hub,T56-Hub-Account-pass,hub,T56A01,五六枢纽平台,hub,赵枢纽,010-56565656\n" .
		"t56-win1,T56-Win1-Account-pass,window,T56A01,五六窗口平台一,window,钱窗口,13956565656\n" .
		"t56-win2,T56-Win2-Account-pass,window,T56A01,五六窗口平台二,window,,\n");
	my ($rc, $out) = cli('import-accounts', $f);
	is $rc, 0, 'test accounts imported' or diag $out;
}
# Frames with contacts and phones: 7 hub + 13 window organisations, 180 SMEs.
my $res_csv = "名称,组织平台,联系人,电话\n";
$res_csv .= sprintf "五六枢纽机构%02d,枢纽平台,联系人H%02d,0956-10000%02d\n", $_, $_, $_ for 1 .. 7;
$res_csv .= sprintf "五六窗口机构%02d,某市窗口平台,联系人W%02d,0956-20000%02d\n", $_, $_, $_ for 1 .. 13;
my $sme_csv = "企业名称,联系人,电话\n";
$sme_csv .= sprintf "五六企业%03d有限公司,经理%03d,139560%05d\n", $_, $_, $_ for 1 .. 180;
for my $k ([ 'resource', $res_csv ], [ 'sme', $sme_csv ]) {
	my ($rc, $out) = cli('import-frame', 'T56A01', $k->[0], write_file("$k->[0].csv", $k->[1]));
	is $rc, 0, "$k->[0] frame imported" or diag $out;
	($rc, $out) = cli('draw', 'T56A01', $k->[0], '--seed', '5656');
	is $rc, 0, "$k->[0] sample drawn" or diag $out;
}
# Region B has a small SME sample of its own.
{
	my $b = "企业名称\n";
	$b .= sprintf "五六乙企业%03d有限公司\n", $_ for 1 .. 120;
	my ($rc, $out) = cli('import-frame', 'T56B01', 'sme', write_file('b.csv', $b));
	is $rc, 0, 'region B frame imported' or diag $out;
	($rc, $out) = cli('draw', 'T56B01', 'sme', '--seed', '56');
	is $rc, 0, 'region B sample drawn' or diag $out;
}

my $A = T::new_agent();
$A->login('t56-a', $pw{a});
ok $A->logged_in, 'region A logged in';
my $B = T::new_agent();
$B->login('t56-b', $pw{b});
ok $B->logged_in, 'region B logged in';

# Slips of the SMEs printed through the product (codes issued), so that the
# CSV can carry invitation links.
{
	my $csrf = $A->csrf_of('/region/slips');
	my $res = $A->post('/region/slips', [ csrf => $csrf, stratum => 'sme', scope => 'new' ]);
	is $res->{status}, 200, 'SME slips printed';
	like $res->{headers}{'content-type'} // '', qr{application/pdf}, '... as a PDF';
}

# The invited units of A, by id.
my @invited = map { $_->[0] } T::db_query(
	"SELECT id FROM sample_units WHERE region_code = 'T56A01' AND status = 'active'" .
	" AND (role = 'selected' OR replaces_id IS NOT NULL) ORDER BY id");
is scalar @invited, 115, '115 invited units (5 + 10 + 100)';

# States: some SMEs registered (accounts made here), some with a draft, some
# submitted; a hub account with a draft, one window submitted.
my @sme = map { $_->[0] } T::db_query(
	"SELECT id FROM sample_units WHERE region_code = 'T56A01' AND stratum = 'sme' AND role = 'selected' ORDER BY id");
my (@registered, @drafts, @submitted);
for my $i (0 .. 29) {
	my $unit = $sme[$i];
	my $user = "t56-sme-$i";
	T::db_query("INSERT INTO users (username, pw_hash, role, region_code, org_name, form)" .
		" VALUES ('$user', 'x', 'sme', 'T56A01', '五六测试企业$i', 'sme')");
	T::db_query("UPDATE sample_units SET user_id = (SELECT id FROM users WHERE username = '$user')," .
		" registered_at = NOW(), contact = '注册联系人$i', phone = '1395600$i' WHERE id = $unit");
	push @registered, $unit;
	my $status = $i < 10 ? undef : $i < 20 ? 'draft' : 'submitted';
	next unless $status;
	T::db_query("INSERT INTO responses (form, user_id, region_code, status, submitted_at)" .
		" SELECT 'sme', id, 'T56A01', '$status', " . ($status eq 'submitted' ? 'NOW()' : 'NULL') .
		" FROM users WHERE username = '$user'");
	push @{ $status eq 'draft' ? \@drafts : \@submitted }, $unit;
}
T::db_query("UPDATE sample_units SET code_opened_at = NOW() - INTERVAL 2 DAY WHERE id = $sme[40]");
T::db_query("INSERT INTO responses (form, user_id, region_code, status) SELECT 'hub', id, 'T56A01', 'draft'" .
	" FROM users WHERE username = 't56-hub'");
T::db_query("INSERT INTO responses (form, user_id, region_code, status, submitted_at) SELECT 'window', id," .
	" 'T56A01', 'submitted', NOW() FROM users WHERE username = 't56-win2'");

# Expected list from the database: invited, not submitted.
my %state_label = (unreg => '未注册', nostart => '已注册未提交', draft => '草稿');
sub expected_units {
	my %e;
	for my $r (T::db_query(
		"SELECT su.id, su.name, su.contact, su.phone, CASE WHEN su.user_id IS NULL THEN 'unreg'" .
		" WHEN p.status IS NULL THEN 'nostart' ELSE 'draft' END" .
		" FROM sample_units su LEFT JOIN responses p ON p.user_id = su.user_id AND p.form = su.form" .
		" WHERE su.region_code = 'T56A01' AND su.status = 'active'" .
		" AND (su.role = 'selected' OR su.replaces_id IS NOT NULL)" .
		" AND (p.status IS NULL OR p.status <> 'submitted')")) {
		$e{ $r->[0] } = { name => $r->[1], contact => $r->[2], phone => $r->[3], state => $r->[4] };
	}
	return \%e;
}
my $exp = expected_units();
is scalar keys %$exp, 105, '105 units to follow up (115 invited - 10 submitted)';

sub unescape { my $s = shift; $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&#39;/'/g; $s =~ s/&amp;/&/g; return $s }
# Every page of a list, following "下一页": rows by unit id (cells), counts
# of each id, the largest page.
sub walk {
	my ($ua, $path) = @_;
	my (%rows, %seen, $max, $pages);
	my $url = $path;
	while ($url) {
		my $res = $ua->get($url);
		is $res->{status}, 200, "GET $url" or return;
		$pages++;
		$max = length $res->{content} if !$max || length $res->{content} > $max;
		while ($res->{text} =~ m{<tr data-unit="(\d+)">(.*?)</tr>}gs) {
			my ($id, $tr) = ($1, $2);
			$seen{$id}++;
			$rows{$id} = [ map { unescape($_) } $tr =~ m{<td>(.*?)</td>}gs ];
		}
		$url = $res->{text} =~ m{<a href="([^"]+)" rel="next">} ? unescape($1) : undef;
	}
	return (\%rows, \%seen, $max, $pages);
}

my ($rows, $seen, $max, $pages) = walk($A, '/region/followups');
is $pages, 2, 'the list spans two pages of 100';
ok $max < 200_000, "largest page $max bytes < 200 KB";
is_deeply [ sort { $a <=> $b } keys %$seen ], [ sort { $a <=> $b } keys %$exp ], 'every unit to follow up is listed';
is scalar(grep { $_ != 1 } values %$seen), 0, '... exactly once across the pages';
my $bad = 0;
for my $id (keys %$exp) {
	my ($c, $e) = ($rows->{$id}, $exp->{$id});
	next unless $c;
	$bad++, diag "unit $id: @$c" unless $c->[1] eq $e->{name} && $c->[2] eq $e->{contact} &&
		$c->[3] eq $e->{phone} && $c->[4] eq $state_label{ $e->{state} };
}
is $bad, 0, 'name, contact, phone and state of every row as in the database';
is $rows->{ $sme[0] }[2], '注册联系人0', 'a registered unit shows the contact given at registration';
like $rows->{ $sme[40] }[6], qr/^2 天前打开/, 'days since the link was opened';
like $rows->{ $sme[50] }[5], qr/^今天打印/, 'the slip printed today';

{
	my $res = $A->get('/region/followups');
	my @acc = $res->{text} =~ m{<tr data-account="(\d+)">}g;
	my @want = map { $_->[0] } T::db_query("SELECT id FROM users WHERE username IN ('t56-hub', 't56-win1') ORDER BY role, id");
	is_deeply \@acc, \@want, 'construction units without a submission: the hub (draft) and one window';
	like $res->{text}, qr{<tr data-account="$want[0]"><td>[^<]*</td><td>五六枢纽平台</td><td>赵枢纽</td><td>010-56565656</td>},
		'the hub with the contact and phone of its import';
	like $res->{text}, qr{<tr data-account="$want[1]"><td>[^<]*</td><td>五六窗口平台一</td><td>钱窗口</td><td>13956565656</td>},
		'the window likewise';
	like $res->{text}, qr{<a href="/region/followups"[^>]*>跟进名单</a>}, 'linked from the region navigation';
}
# Filters.
for my $st (qw(unreg nostart draft)) {
	my ($r2, $s2) = walk($A, "/region/followups?kind=sme&status=$st");
	my @want = sort { $a <=> $b } grep { $exp->{$_}{state} eq $st && $exp->{$_}{name} =~ /企业/ } keys %$exp;
	is_deeply [ sort { $a <=> $b } keys %$s2 ], \@want, "kind=sme&status=$st: the matching units";
}
{
	my ($r2, $s2) = walk($A, '/region/followups?kind=hub');
	is scalar keys %$s2, 5, 'kind=hub: the 5 hub-stratum organisations';
	my $name = $exp->{ $sme[70] }{name};
	my ($num) = $name =~ /(\d{3})/;
	my $q = join '', map { sprintf '%%%02X', ord } split //, Encode::encode('UTF-8', "企业$num");
	($r2, $s2) = walk($A, "/region/followups?q=$q");
	is_deeply [ keys %$s2 ], [ $sme[70] ], "search by name ($name)";
}

# Recording calls.
my $unit = $sme[15];   # a draft
my $upage = "/region/followups/unit?unit=$unit";
my $csrf = $A->csrf_of($upage);
ok $csrf, 'the unit page has a record form';
my $res = $A->post('/region/followups/unit', [ csrf => $csrf, unit => $unit, note => '没有选结果' ]);
is $res->{status}, 400, 'a call without an outcome is refused';
like $res->{text}, qr/请选择跟进结果/, '... with the message next to the field';
$res = $A->post('/region/followups/unit', [ unit => $unit, outcome => 'called' ]);
is $res->{status}, 403, 'no CSRF token: 403';
$res = $A->post('/region/followups/unit', [ csrf => $csrf, unit => $unit, outcome => 'no_answer' ]);
is $res->{status}, 303, 'a call recorded';
$res = $A->post('/region/followups/unit', [ csrf => $csrf, unit => $unit, outcome => 'will_submit', note => '下周一提交' ]);
is $res->{status}, 303, 'a second call recorded';
is T::db_value("SELECT COUNT(*) FROM followups WHERE unit_id = $unit AND region_code = 'T56A01'"), 2, 'two rows in followups';
is T::db_value("SELECT outcome FROM followups WHERE unit_id = $unit ORDER BY id DESC LIMIT 1"), 'will_submit', '... the last one will_submit';
is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'followup' AND detail LIKE 'region=T56A01 unit=$unit %'"), 2, 'each call audited';
$res = $A->get("$upage&saved=1");
like $res->{text}, qr/跟进记录已保存/, 'saved notice';
like $res->{text}, qr{<td>承诺提交</td><td>下周一提交</td><td>t56-a</td>.*<td>未接通</td>}s, 'history, newest first';
($rows) = walk($A, '/region/followups?kind=sme&status=draft');
like $rows->{$unit}[7], qr/承诺提交.*下周一提交/s, 'the last call on the list';
{
	my $acc = T::db_value("SELECT id FROM users WHERE username = 't56-hub'");
	my $c = $A->csrf_of("/region/followups/unit?account=$acc");
	$res = $A->post('/region/followups/unit', [ csrf => $c, account => $acc, outcome => 'called', note => '已提醒' ]);
	is $res->{status}, 303, 'a call to a construction unit recorded';
	is T::db_value("SELECT COUNT(*) FROM followups WHERE user_id = $acc"), 1, '... by its account';
}

# A refusal offers the existing replacement, which asks for confirmation.
my $refuser = $sme[60];   # selected, not registered
$res = $A->post('/region/followups/unit', [ csrf => $csrf, unit => $refuser, outcome => 'refused', note => '企业不愿参加' ]);
is $res->{status}, 303, 'a refusal recorded';
$res = $A->get("/region/followups/unit?unit=$refuser");
my ($rlink) = $res->{text} =~ m{<a href="(/region/sample/replace\?unit=$refuser[^"]*)">以备选单位替换}
	or fail 'no replacement offered';
ok $rlink, 'the unit page offers the reserve replacement';
$rlink = unescape($rlink);
$res = $A->get($rlink);
is $res->{status}, 200, 'the replacement confirmation page';
like $res->{text}, qr/value="拒绝参加（电话跟进记录）"/, '... with the reason filled in';
is T::db_value("SELECT status FROM sample_units WHERE id = $refuser"), 'active', 'nothing replaced before confirming';
my $reserve = T::db_value("SELECT id FROM sample_units WHERE sample_id = (SELECT sample_id FROM sample_units WHERE id = $refuser)" .
	" AND stratum = 'sme' AND role = 'reserve' AND status = 'active' ORDER BY position LIMIT 1");
$res = $A->post('/region/sample', [ csrf => T::csrf_from($res->{text}), action => 'replace', unit => $refuser,
	reason => '拒绝参加（电话跟进记录）' ]);
is $res->{status}, 303, 'replacement confirmed';
is T::db_value("SELECT status FROM sample_units WHERE id = $refuser"), 'replaced', 'the refusing unit is replaced';
is T::db_value("SELECT replaces_id FROM sample_units WHERE id = $reserve"), $refuser, '... by the next reserve';
($rows, $seen) = walk($A, '/region/followups?kind=sme');
ok !$seen->{$refuser} && $seen->{$reserve}, 'the list now holds the reserve instead';
$res = $A->get("/region/followups/unit?unit=$refuser");
unlike $res->{text}, qr/以备选单位替换/, 'no second replacement offered';

# The call sheet.
$res = $A->get('/region/followups/print?kind=sme');
is $res->{status}, 200, 'call sheet';
like $res->{text}, qr{<th[^>]*>通话结果</th>.*<th[^>]*>备注</th>}s, '... with blank columns for notes';
my @sheet = $res->{text} =~ m{<tr data-unit="(\d+)">}g;
is scalar @sheet, 90, '... the 90 SMEs not submitted, all on one sheet';
ok length $res->{content} < 200_000, '... under 200 KB';

# The CSV.
$exp = expected_units();
$res = $A->get('/region/followups.csv');
is $res->{status}, 200, 'CSV';
like $res->{headers}{'content-type'}, qr{text/csv; charset=utf-8}, '... UTF-8';
is substr($res->{content}, 0, 3), "\xef\xbb\xbf", '... with a BOM';
my @lines = split /\r\n/, Encode::decode('UTF-8', substr($res->{content}, 3));
my @head = split /,/, shift @lines;
is_deeply [ @head[0 .. 4] ], [ qw(单位名称 联系人 电话 状态 邀请链接) ], 'name, contact, phone, status, link first';
ok !grep({ /密码|password/i } @head), 'no password column';
my %csv = map { my @c = split /,/, $_, -1; ($c[0] => \@c) } @lines;
is scalar @lines, (scalar keys %$exp) + 2, 'one row per unit and per construction unit';
my ($links, $linkbad) = (0, 0);
for my $id (keys %$exp) {
	my $c = $csv{ $exp->{$id}{name} } or do { $linkbad++; diag "unit $id missing"; next };
	$linkbad++ unless $c->[1] eq $exp->{$id}{contact} && $c->[2] eq $exp->{$id}{phone} &&
		$c->[3] eq $state_label{ $exp->{$id}{state} };
	if ($c->[4] ne '') {
		$links++;
		my ($code) = $c->[4] =~ m{^\Q${\T::base_url()}\E/register\?code=([2-9A-Z]{16})$} or do { $linkbad++; next };
		$linkbad++ unless T::db_value("SELECT HEX(code_lookup) = UPPER(SHA2('$code', 256)) FROM sample_units WHERE id = $id");
		$linkbad++ unless $exp->{$id}{state} eq 'unreg';
	}
}
is $linkbad, 0, 'CSV rows match the database; every link is the unit\'s valid code';
is join(',', @{ $csv{'五六枢纽平台'} // [] }[1, 2]), '赵枢纽,010-56565656', 'the hub\'s contact and phone in the CSV';
my $unreg_printed = T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = 'T56A01' AND stratum = 'sme'" .
	" AND status = 'active' AND user_id IS NULL AND slip_printed_at IS NOT NULL");
is $links, $unreg_printed, "invitation links for the $unreg_printed printed, unregistered units";
my $gb = $A->get('/region/followups.csv?format=gb18030');
is $gb->{status}, 200, 'CSV GB18030';
like $gb->{headers}{'content-type'}, qr/gb18030/, '... labelled so';
{
	# Perl's core Encode has no GB18030; glibc's iconv(1) has.
	open my $fh, '>:raw', "$tmp/gb.csv" or die $!;
	print $fh $gb->{content};
	close $fh;
	my $gbu = `iconv -f GB18030 -t UTF-8 '$tmp/gb.csv'`;
	is $? >> 8, 0, '... decodes as GB18030 (iconv)';
	is $gbu, substr($res->{content}, 3), '... the same text as the UTF-8 CSV';
	isnt substr($gb->{content}, 0, 3), "\xef\xbb\xbf", '... without a BOM';
}

# Other regions: 403.
for my $u ('/region/followups?region=T56A01', '/region/followups/print?region=T56A01',
           '/region/followups.csv?region=T56A01', "/region/followups/unit?unit=$unit",
           '/admin/followups?region=T56A01', '/admin/followups.csv?region=T56A01') {
	is $B->get($u)->{status}, 403, "region B: GET $u is 403";
}
{
	my $c = $B->csrf_of('/region/followups');
	$res = $B->post('/region/followups/unit', [ csrf => $c, unit => $unit, outcome => 'called' ]);
	is $res->{status}, 403, 'region B cannot record a call for region A\'s unit';
	is T::db_value("SELECT COUNT(*) FROM followups WHERE unit_id = $unit"), 2, '... nothing written';
	my ($r2, $s2) = walk($B, '/region/followups');
	is scalar(grep { $exp->{$_} } keys %$s2), 0, 'region B\'s list holds none of A\'s units';
	is scalar keys %$s2, 100, '... but its own 100 SMEs';
}

# The ministry reads any region's list, read-only.
my $admin = T::demo_login('admin');
{
	my ($r2, $s2) = walk($admin, '/admin/followups?region=T56A01');
	is_deeply [ sort { $a <=> $b } keys %$s2 ], [ sort { $a <=> $b } keys %$exp ], 'admin: region A\'s list';
	$res = $admin->get("/admin/followups/unit?unit=$unit");
	is $res->{status}, 200, 'admin: a unit\'s history';
	like $res->{text}, qr/下周一提交/, '... with the calls';
	unlike $res->{text}, qr/name="outcome"/, '... and no record form';
	$res = $admin->get('/admin/followups.csv?region=T56A01');
	is $res->{status}, 200, 'admin: the CSV';
	is $admin->get('/admin/followups?region=NOPE99')->{status}, 404, 'admin: unknown region 404';
	like $admin->get('/admin/followups')->{text}, qr{href="/admin/followups\?region=T56A01"}, 'admin: region chooser';
	like $admin->get('/admin/samples')->{text}, qr{href="/admin/followups\?region=T56A01"}, 'linked from /admin/samples';
	is $admin->post('/admin/followups/unit', [ unit => $unit, outcome => 'called' ])->{status}, 405,
		'admin cannot record calls';
}

cleanup();
done_testing();
