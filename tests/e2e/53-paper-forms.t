#!/usr/bin/perl
# 53-paper-forms.t - paper questionnaires for every sampled unit (issue 10):
#   the region's proxy-entry list (/form/sme/proxy) holds every selected or
#   replacing unit of its sample, registered or not; entering a paper form
#   for a unit that never registered first creates its account, bound to the
#   unit (confirmation page, CSRF, audit row paper-account), then the form
#   is entered and submitted with proxy_user_id recorded; the unit shows as
#   submitted on paper in the funnel and in the export, and its invitation
#   code then says the form was entered on paper. Reserves, replaced units
#   and other regions' units are not offered.
#
# Sample rows are inserted directly (regions T53A01, T53B01).
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $conf = T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my $cli = T::bindir() . '/smesurvey-admin';
my $tmp = tempdir(CLEANUP => 1);
my @R = ('T53A01', 'T53B01');
my $in = join ',', map { "'$_'" } @R;
sub q_ { T::sql_quote(@_) }

sub cleanup {
	T::db_query($_) for (
		"DELETE a FROM answers a JOIN responses p ON p.id = a.response_id JOIN users u ON u.id = p.user_id"
		. " WHERE u.region_code IN ($in)",
		"DELETE p FROM responses p JOIN users u ON u.id = p.user_id WHERE u.region_code IN ($in)",
		"DELETE FROM sample_units WHERE region_code IN ($in)",
		"DELETE FROM samples WHERE region_code IN ($in)",
		"DELETE FROM users WHERE region_code IN ($in)",
		"DELETE FROM regions WHERE code IN ($in)");
}
cleanup();
T::db_query("INSERT INTO regions (code, name, help_phone) VALUES ('T53A01', '测试五三甲省', '0953-5353531'),"
	. " ('T53B01', '测试五三乙省', '0953-5353532')");
my $pw = 'T53-Region-A-pass';
{
	my $f = "$tmp/accounts.csv";
	open my $fh, '>:encoding(UTF-8)', $f or die $!;
	print $fh "username,initial_password,role,region_code,org_name,form\n",
		"t53-a,$pw,region,T53A01,测试五三甲省经信委,selfeval\n",
		"t53-sme-self,T53-Self-Sme-pass1,sme,T53A01,自行注册的企业,sme\n";
	close $fh;
	my $out = `'$cli' --conf '$conf' import-accounts '$f' 2>&1`;
	is $? >> 8, 0, 'test accounts imported' or diag $out;
}

sub sample {
	my ($region) = @_;
	T::db_query("INSERT INTO samples (region_code, kind, method) VALUES ('$region', 'sme', 'uploaded')");
	return T::db_value("SELECT id FROM samples WHERE region_code = '$region' AND kind = 'sme'");
}
sub unit {
	my (%u) = @_;
	T::db_query(sprintf "INSERT INTO sample_units (sample_id, region_code, form, stratum, name, role, position,"
		. " status, replaces_id) VALUES (%d, %s, 'sme', 'sme', %s, %s, %d, %s, %s)", $u{sample}, q_($u{region}),
		q_($u{name}), q_($u{role}), $u{pos}, q_($u{status} // 'active'), $u{replaces} // 'NULL');
	return T::db_value("SELECT id FROM sample_units WHERE name = " . q_($u{name}));
}
my $sa = sample('T53A01');
my %id;
# (Explicit loop variable: T::db_query clobbers $_.)
for my $i (1 .. 3) {
	$id{$i} = unit(sample => $sa, region => 'T53A01', name => "五三企业$i", role => 'selected', pos => $i);
}
$id{r1} = unit(sample => $sa, region => 'T53A01', name => '五三备选企业', role => 'reserve', pos => 1, status => 'unused');
$id{x} = unit(sample => $sa, region => 'T53A01', name => '五三已替换企业', role => 'selected', pos => 4, status => 'replaced');
$id{r2} = unit(sample => $sa, region => 'T53A01', name => '五三递补企业', role => 'reserve', pos => 2, replaces => $id{x});
my $sb = sample('T53B01');
$id{b} = unit(sample => $sb, region => 'T53B01', name => '五三乙省企业', role => 'selected', pos => 1);
# Unit 1 has a printed code (fixture: SHA-256 of a valid 16-symbol code).
my $CODE = 'ABCDEFGHJKLMNPQR';
T::db_query("UPDATE sample_units SET code_lookup = UNHEX(SHA2('$CODE', 256)), slip_printed_at = NOW(),"
	. " code_expires = '2099-12-31 23:59:59' WHERE id = $id{1}");

my $A = T::new_agent();
$A->login('t53-a', $pw);
ok $A->logged_in, 'region logs in';

# ------------------------------------------------------ the list
my $res = $A->get('/form/sme/proxy');
is $res->{status}, 200, 'proxy list';
for my $k (1, 2, 3, 'r2') {
	like $res->{text}, qr{<tr data-unit="$id{$k}">.*?录入纸质表}s, "unregistered sampled unit $k offered for a paper form";
}
unlike $res->{text}, qr/五三备选企业|五三已替换企业|五三乙省企业/, 'no unused reserve, no replaced unit, no other region';
like $res->{text}, qr/自行注册的企业/, 'accounts outside the sample are still listed';
{
	# A search narrows the list (issue 23 item 10).
	my $q = $A->get('/form/sme/proxy?q=%E4%BC%81%E4%B8%9A2');   # 企业2
	is $q->{status}, 200, 'proxy list with a search';
	like $q->{text}, qr{<input id="proxy-q" type="search" name="q" value="企业2" maxlength="100">}, '... the search box keeps it';
	my @units = $q->{text} =~ /<tr data-unit="(\d+)">/g;
	is_deeply \@units, [ $id{2} ], '... only the unit whose name contains it';
	unlike $q->{text}, qr/自行注册的企业/, '... and no other account';
	like $A->get('/form/sme/proxy?q=self')->{text}, qr/自行注册的企业/, 'a username part finds an account outside the sample';
}
is T::new_agent()->get("/register?code=$CODE")->{status}, 200, 'unit 1\'s code works before';

# ------------------------------------------------------ create the account
$res = $A->get("/form/sme/proxy/unit?unit=$id{1}");
is $res->{status}, 200, 'confirmation page';
like $res->{text}, qr/五三企业1/, '... names the unit';
like $res->{text}, qr/建立账户并录入纸质表/, '... and what will happen';
is $A->get("/form/sme/proxy/unit?unit=$id{b}")->{status}, 404, 'another region\'s unit: 404';
is $A->get("/form/sme/proxy/unit?unit=$id{r1}")->{status}, 404, 'an unused reserve: 404';
my $csrf = T::csrf_from($res->{text});
is $A->post('/form/sme/proxy/unit', [ unit => $id{1} ])->{status}, 403, 'without CSRF: 403';
is T::db_value("SELECT user_id IS NULL FROM sample_units WHERE id = $id{1}"), 1, '... nothing created';
$res = $A->post('/form/sme/proxy/unit', [ csrf => $csrf, unit => $id{1} ]);
is $res->{status}, 303, 'account created: 303';
my $region_uid = T::db_value("SELECT id FROM users WHERE username = 't53-a'");
my ($uid, $uname, $role, $org, $paper_by) = @{ (T::db_query("SELECT u.id, u.username, u.role, u.org_name, su.paper_by"
	. " FROM sample_units su JOIN users u ON u.id = su.user_id WHERE su.id = $id{1}"))[0] // [] };
ok $uid, 'the unit is bound to a new account';
is $res->{headers}{location}, "/form/sme?for=$uid", '... and the region goes on to its form';
is_deeply [ $uname, $role, $org, $paper_by ], [ "sme-T53A01-$id{1}", 'sme', '五三企业1', $region_uid ],
	'account: the name registering would give, role sme, the unit\'s name; paper_by = the region user';
is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'paper-account' AND detail LIKE 'unit=$id{1} %'"), 1,
	'audit row paper-account';
$res = $A->post('/form/sme/proxy/unit', [ csrf => $csrf, unit => $id{1} ]);
is $res->{headers}{location}, "/form/sme?for=$uid", 'a second post creates nothing and goes to the form';
is T::db_value("SELECT COUNT(*) FROM users WHERE region_code = 'T53A01' AND role = 'sme'"), 2, '... one account only';

# ------------------------------------------------------ enter and submit
my $f = Forms::load('sme');
my $vals = Forms::valid_values($f);
$res = $A->get("/form/sme?for=$uid");
is $res->{status}, 200, 'the form for the unit opens';
like $res->{text}, qr/代为录入：五三企业1/, '... marked as proxy entry';
$csrf = T::csrf_from($res->{text});
$res = $A->post("/form/sme?for=$uid", [ csrf => $csrf, action => 'submit', confirm => 1, @{ Forms::post_params($f, $vals) } ]);
is $res->{status}, 303, 'paper form submitted' or diag join "\n", $res->{text} =~ /class="error[^"]*"[^>]*>([^<]+)/g;
is_deeply [ T::db_query("SELECT status, proxy_user_id FROM responses WHERE user_id = $uid AND form = 'sme'") ],
	[ [ 'submitted', $region_uid ] ], 'response submitted with proxy_user_id = the region user';
$res = $A->get("/form/sme?for=$uid");
like $res->{text}, qr/本表已提交，不能再修改。如需更正，请联系评估机构/, 'after the paper entry the region is sent to the evaluation agency';
unlike $res->{text}, qr/请联系本地区中小企业主管部门/, '... not to itself';

# ------------------------------------------------------ funnel, export, code
my $u1 = $id{1};
$res = $A->get('/region/slips');
like $res->{text}, qr{<tr data-unit="$u1">.*?为录入纸质表建立.*?已提交（纸质表，代为录入）}s,
	'funnel: the unit shows as submitted on paper';
$res = $A->get('/form/sme/proxy');
like $res->{text}, qr{<tr data-unit="$u1">.*?sme-T53A01-$u1.*?已提交（代录）.*?查看}s, 'proxy list: submitted (代录)';
{
	my $admin = T::demo_login('admin');
	my $csv = $admin->get('/admin/export/data?form=sme&format=csv&region=T53A01');
	is $csv->{status}, 200, 'export';
	my @lines = split /\r?\n/, $csv->{text};
	my @head = split /,/, $lines[0];
	my %c;
	@c{@head} = 0 .. $#head;
	my $name = "sme-T53A01-$id{1}";
	my ($row) = grep { /(^|,)"?\Q$name\E"?(,|$)/ } @lines;
	ok $row, 'export: the unit\'s row';
	my @cells = map { s/^"|"$//gr } split /,/, $row // '';
	is $cells[ $c{status} ], '已提交', 'export: status 已提交';
	is $cells[ $c{proxy} ], '1', 'export: proxy 1 (entered on paper by the region)';
}
$res = T::new_agent()->get("/register?code=$CODE");
is $res->{status}, 409, 'the unit\'s code after the paper entry: 409';
like $res->{text}, qr/已由测试五三甲省中小企业主管部门根据纸质调查表代为录入/, '... says it was entered on paper';

cleanup();
done_testing();
