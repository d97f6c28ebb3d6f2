#!/usr/bin/perl
# 60-slips.t - invitation codes, QR slips, registration and the funnel
# (issue 4, part B), end to end against the test stack:
#   a region prints the slips of its sampled units as a PDF; every QR code on
#   every page is decoded (pdftoppm + zbarimg) and followed; one unit
#   registers, lands on its questionnaire, fills and submits it, and the
#   response is found bound to that sampled unit. Wrong, malformed, expired,
#   revoked (one unit, confirmed), reused and re-printed codes get their messages (a reprint carries the same codes, issue 10); 1,000 wrong
#   guesses from one address end throttled (429), a valid code
#   never is; a region cannot issue codes
#   for another region's units; the PDF embeds its fonts and its text shows
#   the organisation names.
# Sample rows are inserted directly (test regions T60A and T60B), so this
# does not depend on the frame upload and draw pages.
# Needs: pdftoppm, pdftotext, pdffonts (poppler-utils), zbarimg (zbar-tools).
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp qw(tempdir);
use Encode qw(decode encode);
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

for my $tool (qw(pdftoppm pdftotext pdffonts zbarimg)) {
	system("command -v $tool >/dev/null 2>&1") == 0
		or plan skip_all => "$tool not installed (scripts/stack deps)";
}
my $cli = T::bindir() . '/smesurvey-admin';
-x $cli or BAIL_OUT("$cli is missing: run make first");

my $tmp = tempdir(CLEANUP => 1);
my @R = ('T60A', 'T60B');
my $in = join ',', map { "'$_'" } @R;
my $IP = '127.0.0.1';

sub q_ { T::sql_quote(@_) }

sub cleanup {
	T::db_query($_) for (
		"DELETE a FROM answers a JOIN responses p ON p.id = a.response_id"
		. " JOIN users u ON u.id = p.user_id WHERE u.region_code IN ($in)",
		"DELETE p FROM responses p JOIN users u ON u.id = p.user_id WHERE u.region_code IN ($in)",
		"DELETE FROM sample_units WHERE region_code IN ($in)",
		"DELETE FROM samples WHERE region_code IN ($in)",
		"DELETE FROM revoked_codes WHERE region_code IN ($in)",
		"DELETE FROM deadline_overrides WHERE region_code IN ($in)",
		"DELETE FROM users WHERE region_code IN ($in)",
		"DELETE FROM code_failures WHERE ip = '$IP'",
		"DELETE FROM audit_log WHERE action = 'register-self' AND ip = '$IP'",
		"DELETE FROM regions WHERE code IN ($in)");
}

# ------------------------------------------------------------------ setup
cleanup();
T::db_query("INSERT INTO regions (code, name, help_phone) VALUES"
	. " ('T60A', '测试甲省', '0991-6060601'), ('T60B', '测试乙省', '0992-6060602')");
my $region_pw = 'T60a-Region-Pass-2013';
{
	my $csv = "$tmp/accounts.csv";
	open my $f, '>:encoding(UTF-8)', $csv or die $!;
	print $f "username,initial_password,role,region_code,org_name,form\n",
		"t60a-region,$region_pw,region,T60A,测试甲省经济和信息化委员会,selfeval\n";
	close $f;
	my $out = `'$cli' --conf '@{[T::conf_path()]}' import-accounts '$csv' 2>&1`;
	is $?, 0, 'region account for the test region imported' or diag $out;
}

# Sample of T60A: 10 selected SMEs, 2 unused reserves, 1 replaced unit and the
# reserve that took its place; 1 hub and 2 window resource units.
# T60B: 2 selected SMEs.
sub insert_sample {
	my ($region, $kind) = @_;
	T::db_query("INSERT INTO samples (region_code, kind, method) VALUES ('$region', '$kind', 'uploaded')");
	return T::db_value("SELECT id FROM samples WHERE region_code = '$region' AND kind = '$kind'");
}
sub insert_unit {
	my (%u) = @_;
	T::db_query(sprintf "INSERT INTO sample_units (sample_id, region_code, form, stratum, name, role,"
		. " position, status, replaces_id) VALUES (%d, %s, %s, %s, %s, %s, %d, %s, %s)",
		$u{sample}, q_($u{region}), q_($u{form}), q_($u{stratum}), q_($u{name}), q_($u{role}),
		$u{pos}, q_($u{status} // 'active'), $u{replaces} // 'NULL');
	return T::db_value("SELECT id FROM sample_units WHERE region_code = " . q_($u{region})
		. " AND name = " . q_($u{name}));
}
my $sa = insert_sample('T60A', 'sme');
my %unit;    # name => id
my @sme_names = map { sprintf '测试甲省样本企业%02d有限公司', $_ } 1 .. 10;
# (Explicit loop variables: T::db_query clobbers $_.)
for my $i (1 .. 10) {
	$unit{$sme_names[$i - 1]} = insert_unit(sample => $sa, region => 'T60A', form => 'sme',
		stratum => 'sme', name => $sme_names[$i - 1], role => 'selected', pos => $i);
}
$unit{'备选企业甲'} = insert_unit(sample => $sa, region => 'T60A', form => 'sme', stratum => 'sme',
	name => '备选企业甲', role => 'reserve', pos => 1, status => 'unused');
$unit{'备选企业乙'} = insert_unit(sample => $sa, region => 'T60A', form => 'sme', stratum => 'sme',
	name => '备选企业乙', role => 'reserve', pos => 2);
$unit{'已替换企业'} = insert_unit(sample => $sa, region => 'T60A', form => 'sme', stratum => 'sme',
	name => '已替换企业', role => 'selected', pos => 11, status => 'replaced');
$unit{'递补企业丙'} = insert_unit(sample => $sa, region => 'T60A', form => 'sme', stratum => 'sme',
	name => '递补企业丙', role => 'reserve', pos => 3, replaces => $unit{'已替换企业'});
my @invited_sme = (@sme_names, '递补企业丙');
my $ra = insert_sample('T60A', 'resource');
$unit{'枢纽服务机构一'} = insert_unit(sample => $ra, region => 'T60A', form => 'resource', stratum => 'hub',
	name => '枢纽服务机构一', role => 'selected', pos => 1);
for my $i (1 .. 2) {
	$unit{"窗口服务机构$i"} = insert_unit(sample => $ra, region => 'T60A', form => 'resource',
		stratum => 'window', name => "窗口服务机构$i", role => 'selected', pos => $i);
}
my $sb = insert_sample('T60B', 'sme');
for my $i (1 .. 2) {
	$unit{"乙省企业$i"} = insert_unit(sample => $sb, region => 'T60B', form => 'sme', stratum => 'sme',
		name => "乙省企业$i", role => 'selected', pos => $i);
}

# ------------------------------------------------------------- helpers
my $n_file = 0;
sub save { my ($bytes, $ext) = @_; my $p = "$tmp/f" . ++$n_file . ".$ext";
	open my $f, '>:raw', $p or die $!; print $f $bytes; close $f; return $p }

# Every QR code on every page of a PDF (300 dpi), in page order.
sub qr_of_pdf {
	my ($pdf) = @_;
	my $prefix = "$tmp/p" . ++$n_file;
	system('pdftoppm', '-r', '300', '-png', $pdf, $prefix) == 0 or die "pdftoppm failed";
	my @pages = sort { ($a =~ /-(\d+)\.png$/)[0] <=> ($b =~ /-(\d+)\.png$/)[0] } glob("$prefix-*.png");
	my @urls;
	for my $png (@pages) {
		push @urls, qr_of_png($png);
		unlink $png;
	}
	return (\@urls, scalar @pages);
}
# zbar sometimes misses one of eight codes on a page in its default pass;
# a second pass of the same 300 dpi image with only the QR decoder enabled
# finds it, so a page's codes are the union of both, in page order.
sub qr_of_png {
	my ($png) = @_;
	my @found;
	my %seen;
	for my $opts ('', '-Sdisable -Sqrcode.enable') {
		my $out = `zbarimg --raw -q $opts '$png' 2>/dev/null`;
		push @found, grep { length && !$seen{$_}++ } split /\n/, $out;
	}
	return @found;
}
sub pdf_text { my ($pdf) = @_; return decode('UTF-8', scalar `pdftotext -enc UTF-8 '$pdf' - 2>/dev/null`) }
sub local_path { my ($url) = @_; (my $p = $url) =~ s{^https?://[^/]+}{}; return $p }
sub code_of { my ($url) = @_; return $url =~ /[?&]code=([A-Z0-9]+)/ ? $1 : undef }

my $region = T::new_agent();
$region->login('t60a-region', $region_pw);
ok $region->logged_in, 'region account logs in' or BAIL_OUT('cannot log in as the test region');

sub print_slips {
	my (%o) = @_;
	my $csrf = $region->csrf_of('/region/slips');
	return $region->post('/region/slips', [ csrf => $csrf, stratum => $o{stratum} // 'all',
		scope => $o{scope} // 'all' ]);
}

# ------------------------------------------------------- the slips page
my $res = $region->get('/region/slips');
is $res->{status}, 200, 'GET /region/slips: 200';
like $res->{text}, qr/生成邀请码并下载/, 'page offers to generate the slips';
like $res->{text}, qr/邀请进度/, 'page shows the funnel';

$res = $region->post('/region/slips', [ stratum => 'sme' ]);
is $res->{status}, 403, 'POST without CSRF token refused';
is T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = 'T60A' AND code_lookup IS NOT NULL"),
	0, '... and no code issued';

# -------------------------------------------------- print the SME slips
$res = print_slips(stratum => 'sme');
is $res->{status}, 200, 'POST /region/slips stratum=sme: 200';
like $res->{headers}{'content-type'} // '', qr{^application/pdf}, 'answer is a PDF';
like $res->{headers}{'content-disposition'} // '', qr{attachment; filename="slips-T60A-sme-unregistered\.pdf"},
	'PDF comes as a download, named for what it holds (issue 23 item 10)';
my $pdf = save($res->{content}, 'pdf');

my $fonts = `pdffonts '$pdf' 2>&1`;
my @font_lines = split /\n/, $fonts;
splice @font_lines, 0, 2;    # header lines
ok @font_lines >= 1, 'PDF has fonts' or diag $fonts;
# Columns: name type encoding emb sub uni object ID; emb is the 4th from the end.
my @not_embedded = grep { my @c = split ' ', $_; @c < 7 || $c[-4] ne 'yes' } @font_lines;
is scalar @not_embedded, 0, 'every font is embedded (pdffonts emb = yes)' or diag $fonts;
like $fonts, qr/CJK/i, 'a CJK font is used';

my $text = pdf_text($pdf);
for my $name (@invited_sme) {
	like $text, qr/\Q$name\E/, "pdftotext shows $name";
}
unlike $text, qr/备选企业甲|备选企业乙|已替换企业/, 'reserves and replaced units get no slip';
like $text, qr/测试甲省/, 'slips name the region';
like $text, qr/0991-6060601/, 'slips give the region help phone';
like $text, qr/中小企业调查表/, 'slips name the questionnaire';
like $text, qr/2099年12月31日/, 'slips give the deadline';
like $text, qr/邀请码：[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}/,
	'slips show the code in groups of four';

my ($urls, $pages) = qr_of_pdf($pdf);
is $pages, 2, '11 slips at 8 per page: 2 pages';
is scalar @$urls, scalar @invited_sme, 'one decodable QR code per slip (pdftoppm -r 300 + zbarimg)';
my $base = T::base_url();
is scalar(grep { m{^\Q$base\E/register\?code=[A-HJ-NP-Z2-9]{16}$} } @$urls), scalar @$urls,
	'every QR holds BASE_URL/register?code=<16 symbols>';
my %uniq = map { $_ => 1 } @$urls;
is scalar keys %uniq, scalar @$urls, 'all codes differ';
ok length($urls->[0]) <= 62, 'URL fits a version-4 QR symbol (<= 62 bytes)';
like $text, qr/\Q$urls->[0]\E/, 'the URL is printed in text too';

is T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = 'T60A' AND form = 'sme'"
	. " AND slip_printed_at IS NOT NULL AND code_lookup IS NOT NULL"
	. " AND code_expires = '2099-12-31 23:59:59'"), scalar @invited_sme,
	'slip_printed_at, code_lookup and code_expires (the deadline) set for the printed units';
is T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = 'T60A'"
	. " AND name IN ('备选企业甲', '备选企业乙', '已替换企业') AND code_lookup IS NOT NULL"), 0,
	'no code for reserves or the replaced unit';
{
	my %codes = map { code_of($_) => 1 } @$urls;
	my @stored = map { $_->[0] } T::db_query("SELECT HEX(code_lookup) FROM sample_units"
		. " WHERE region_code = 'T60A' AND code_lookup IS NOT NULL");
	my $clear = grep { my $h = $_; grep { index(lc $h, lc unpack('H*', $_)) >= 0 } keys %codes } @stored;
	is $clear, 0, 'the database holds hashes, not the codes';
}

# --------------------------------------------- follow every decoded URL
my %name_of;    # url => unit name shown
for my $url (@$urls) {
	my $r = T::new_agent()->get(local_path($url));
	my ($shown) = $r->{text} =~ m{<dd class="org-name">([^<]*)</dd>};
	$name_of{$url} = $shown;
	is $r->{status}, 200, "GET " . local_path($url) . ": 200" or diag substr($r->{text}, 0, 400);
}
is_deeply [ sort grep { defined } values %name_of ], [ sort @invited_sme ],
	'each decoded URL opens the registration of a different sampled unit';
is T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = 'T60A' AND code_opened_at IS NOT NULL"),
	scalar @invited_sme, 'code_opened_at set on first open';
my %url_of = reverse %name_of;

# ------------------------------------------------ register with S01
my $s01 = $sme_names[0];
my $person = T::new_agent();
$res = $person->get(local_path($url_of{$s01}));
like $res->{text}, qr/\Q$s01\E/, 'registration page shows the organisation name from the sample';
like $res->{text}, qr/联系人/, '... asks for the contact person';
my ($username) = $res->{text} =~ m{<strong class="username">([^<]+)</strong>};
like $username // '', qr/^sme-T60A-\d+$/, "readable user name shown before registering ($username)";
my $csrf = T::csrf_from($res->{text});
ok $csrf, 'registration form carries a CSRF token';
my $pw = 'S01-Register-Pass-2013';

$res = $person->post('/register', [ csrf => $csrf, action => 'code', code => code_of($url_of{$s01}),
	contact => '张三', phone => '010-6060 6001', email => 'not-an-email', pw_mode => 'own',
	password => $pw, password2 => $pw ]);
is $res->{status}, 422, 'invalid e-mail: 422';
like $res->{text}, qr/电子邮箱/, '... with a message about the e-mail';
$res = $person->post('/register', [ csrf => $csrf, action => 'code', code => code_of($url_of{$s01}),
	contact => '张三', phone => '010-6060 6001', email => 'zhang@example.com', pw_mode => 'own',
	password => $pw, password2 => 'different-password-2013' ]);
is $res->{status}, 422, 'passwords differ: 422';
$res = $person->post('/register', [ action => 'code', code => code_of($url_of{$s01}),
	contact => '张三', phone => '010-6060 6001', email => 'zhang@example.com', pw_mode => 'own',
	password => $pw, password2 => $pw ]);
is $res->{status}, 403, 'registration without CSRF token: 403';
is T::db_value("SELECT COUNT(*) FROM users WHERE region_code = 'T60A' AND role = 'sme'"), 0,
	'... no account created by the refused posts';

$res = $person->post('/register', [ csrf => $csrf, action => 'code', code => code_of($url_of{$s01}),
	contact => '张三', phone => '010-6060 6001', email => 'zhang@example.com', pw_mode => 'own',
	password => $pw, password2 => $pw ]);
is $res->{status}, 303, 'registration: 303';
is $res->{headers}{location}, '/account?new=code', '... to the page that shows the username (issue 23)';
my @acc = T::db_query("SELECT u.id, u.username, u.role, u.region_code, u.org_name, u.form,"
	. " su.registered_at IS NOT NULL, su.contact, su.phone, su.email"
	. " FROM sample_units su JOIN users u ON u.id = su.user_id WHERE su.id = $unit{$s01}");
is scalar @acc, 1, 'sample unit bound to the new account (user_id)';
my $uid = $acc[0][0];
is_deeply [ @{ $acc[0] }[1 .. 9] ], [ $username, 'sme', 'T60A', $s01, 'sme', 1, '张三', '010-6060 6001',
	'zhang@example.com' ], 'account: name shown, role/form sme, region, org_name from the sample;'
	. ' registered_at and contact stored';
like T::db_value("SELECT pw_hash FROM users WHERE id = $uid"), qr/^\$argon2id\$/, 'password stored as argon2id';

$res = $person->get('/form/sme');
is $res->{status}, 200, 'logged in: the questionnaire opens';
like $res->{text}, qr/\Q$s01\E/, '... for the organisation';

# Fill every required field of the codebook and submit.
my @fields;
{
	open my $f, '<:encoding(UTF-8)', T::root() . '/cgi-bin/forms/codebook/sme.tsv' or die $!;
	my $head = <$f>;
	while (<$f>) {
		chomp;
		my ($code, $section, $label, $type, $options, $unit, $required, $rule) = split /\t/, $_, -1;
		next unless ($required // '') eq 'y';
		my ($first) = ($options // '') =~ /^\s*([^=|\s]+)\s*=/;
		push @fields, [ $code, $type, $first ];
	}
}
ok @fields >= 10, scalar(@fields) . ' required fields in the SME codebook';
my %value_for = (org_name => $s01, text => '测试内容', textarea => '测试内容', zip => '100081',
	phone => '010-60606001', email => 'zhang@example.com', date => '2008-05-01', int => '25',
	decimal => '120.5', percent => '10');
my @answers;
for my $fd (@fields) {
	my ($code, $type, $first) = @$fd;
	if ($type eq 'rank') { push @answers, "${code}_1" => $first }
	elsif ($type eq 'single' || $type eq 'multi') { push @answers, $code => $first }
	elsif (exists $value_for{$type}) { push @answers, $code => $value_for{$type} }
	else { fail "no test value for field type $type ($code)" }
}
$csrf = T::csrf_from($res->{text});
$res = $person->post('/form/sme', [ csrf => $csrf, action => 'submit', confirm => 1, @answers ]);
is $res->{status}, 303, 'questionnaire submitted' or diag join "\n", $res->{text} =~ /class="error[^"]*"[^>]*>([^<]+)/g;
my @resp = T::db_query("SELECT p.status, p.form, p.region_code FROM responses p JOIN sample_units su"
	. " ON su.user_id = p.user_id AND su.form = p.form WHERE su.id = $unit{$s01}");
is_deeply \@resp, [ [ 'submitted', 'sme', 'T60A' ] ], 'the submitted response is bound to the sample unit';
is T::db_value("SELECT a.value FROM answers a JOIN responses p ON p.id = a.response_id"
	. " WHERE p.user_id = $uid AND a.code = 'q1_name'"), $s01, '... with its answers';

# The new account can log in with the name it was shown.
{
	my $again = T::new_agent();
	$again->login($username, $pw);
	ok $again->logged_in, 'the registered account logs in with its user name and password';
}

# ------------------------------------------------------- reused code
$res = T::new_agent()->get(local_path($url_of{$s01}));
is $res->{status}, 409, 'reused code: 409';
like $res->{text}, qr/此邀请码已注册，请直接登录/, '... "此邀请码已注册，请直接登录"';
like $res->{text}, qr{href="/login"}, '... with a link to /login';
like $res->{text}, qr{class="username">$username<}, '... and the username (issue 9)';
{
	my $other = T::new_agent();
	my $c = $other->csrf_of('/register');
	$res = $other->post('/register', [ csrf => $c, action => 'code', code => code_of($url_of{$s01}),
		contact => '李四', phone => '010-60606002', email => '', pw_mode => 'own',
		password => 'Another-Pass-2013', password2 => 'Another-Pass-2013' ]);
	is $res->{status}, 409, 'second registration with the same code refused';
	is T::db_value("SELECT COUNT(*) FROM users WHERE region_code = 'T60A' AND role = 'sme'"), 1,
		'... one code registers one account';
}

# ----------------------------------------------------- wrong codes
$res = T::new_agent()->get('/register?code=2222-2222-2222-2222');
is $res->{status}, 404, 'unknown code: 404';
like $res->{text}, qr/邀请码无效/, '... clear message';
like $res->{text}, qr/name="code"/, '... and a form to type the code';
$res = T::new_agent()->get('/register?code=hello');
is $res->{status}, 404, 'malformed code: 404 with the same message';
like $res->{text}, qr/邀请码无效/, '... 邀请码无效';

# Typed by hand: lower case, full-width, ideographic spaces.
my $s03 = $sme_names[2];
{
	my $c = lc code_of($url_of{$s03});
	$c =~ s/(.{4})(?=.)/$1\x{3000}/g;
	$c =~ tr/a-z0-9/ａ-ｚ０-９/;
	my $q = join '', map { sprintf '%%%02X', $_ } unpack 'C*', encode('UTF-8', $c);
	$res = T::new_agent()->get("/register?code=$q");
	is $res->{status}, 200, 'full-width, lower-case, spaced code accepted';
	like $res->{text}, qr/\Q$s03\E/, '... for the right unit';
	my $d = code_of($url_of{$s03});
	$d =~ s/(.{4})(?=.)/$1-/g;
	$res = T::new_agent()->get("/register?code=$d");
	is $res->{status}, 200, 'code with dashes (as printed) accepted';
}

# ------------------------------------------------------- expired code
my $s02 = $sme_names[1];
T::db_query("UPDATE sample_units SET code_expires = '2013-11-25 23:59:59' WHERE id = $unit{$s02}");
T::db_query("INSERT INTO deadline_overrides (form, region_code, due) VALUES ('sme', 'T60A', '2013-11-25 23:59:59')");
$res = T::new_agent()->get(local_path($url_of{$s02}));
is $res->{status}, 410, 'expired code: 410';
like $res->{text}, qr/邀请码已过期/, '... "邀请码已过期"';
T::db_query("DELETE FROM deadline_overrides WHERE region_code = 'T60A'");
$res = T::new_agent()->get(local_path($url_of{$s02}));
is $res->{status}, 200, 'code past code_expires works again once the deadline is extended';
# The region's current deadline decides: one brought forward (here, the
# national one set on the admin page) closes registration even though the
# slip's own date is ahead, and no account is made.
T::db_query("INSERT INTO deadline_overrides (form, region_code, due) VALUES ('sme', '', '2013-11-25 23:59:59')");
my $users_before = T::db_value("SELECT COUNT(*) FROM users");
$res = T::new_agent()->get(local_path($url_of{$s03}));
is $res->{status}, 410, 'a deadline brought forward closes registration though the slip says 2099';
like $res->{text}, qr/邀请码已过期：调查已截止/, '... with the message';
is T::db_value("SELECT COUNT(*) FROM users"), $users_before, '... and no account is created';
T::db_query("DELETE FROM deadline_overrides WHERE region_code = ''");

# ------------------------------------------------------- revoked code
my $s05 = $sme_names[4];
T::db_query("UPDATE sample_units SET status = 'replaced' WHERE id = $unit{$s05}");
$res = T::new_agent()->get(local_path($url_of{$s05}));
is $res->{status}, 410, 'code of a replaced unit: 410';
like $res->{text}, qr/已失效/, '... "已失效"';

# -------------------------------------------------------- re-printing
# Issue 10: a unit keeps its code; printing again prints the same code and
# every slip already handed out stays valid.
like $region->get('/region/slips')->{text}, qr/name="scope" value="new" checked/,
	'the default print scope is "units never printed"';
$res = print_slips(stratum => 'sme', scope => 'new');
is $res->{status}, 422, 'only never-printed units: nothing to print (422)';
like $res->{text}, qr/没有需要生成邀请单的单位/, '... with a message';
{
	my $c = $region->csrf_of('/region/slips');
	$res = $region->post('/region/slips', [ csrf => $c, stratum => 'sme' ]);
	is $res->{status}, 422, 'a print without a scope prints only never-printed units (none here)';
}
$res = print_slips(stratum => 'sme');
is $res->{status}, 200, 're-print: 200';
my $pdf2 = save($res->{content}, 'pdf');
my ($urls2) = qr_of_pdf($pdf2);
is scalar @$urls2, scalar(@invited_sme) - 2, 're-print: every unit except the registered and the replaced one';
my $text2 = pdf_text($pdf2);
unlike $text2, qr/\Q$s01\E|\Q$s05\E/, '... registered and replaced units left out';
my %new_name;
for my $u (@$urls2) {
	my $r = T::new_agent()->get(local_path($u));
	($new_name{$u}) = $r->{text} =~ m{<dd class="org-name">([^<]*)</dd>};
}
is scalar(grep { defined } values %new_name), scalar @$urls2, 'every reprinted code works';
is_deeply [ map { $name_of{$_} } grep { exists $name_of{$_} } @$urls2 ], [ map { $new_name{$_} } @$urls2 ],
	'both prints decoded: every reprinted slip carries the code its unit got on the first print';
is scalar(grep { exists $name_of{$_} } @$urls2), scalar @$urls2, '... no new code was issued';

sub register_with {
	my ($code, $who) = @_;
	my $a = T::new_agent();
	my $c = $a->csrf_of('/register?code=' . $code);
	my $pw_ = "Reg-$who-Pass-2013";
	return $a->post('/register', [ csrf => $c, action => 'code', code => $code, contact => $who,
		phone => '010-60606009', email => '', pw_mode => 'own', password => $pw_, password2 => $pw_ ]);
}
my ($s03_, $s04) = ($sme_names[2], $sme_names[3]);
my %url2_of = reverse %new_name;
$res = register_with(code_of($url_of{$s03_}), 'first');
is $res->{status}, 303, 'a slip of the first print registers';
$res = register_with(code_of($url2_of{$s04}), 'second');
is $res->{status}, 303, 'a slip of the reprint registers';
is T::db_value("SELECT COUNT(*) FROM sample_units WHERE id IN ($unit{$s03_}, $unit{$s04}) AND user_id IS NOT NULL"),
	2, '... both units bound to their new accounts';

# ---------------------------------------------- revoke and reissue one code
my $s06 = $sme_names[5];
my $old06 = code_of($url_of{$s06});
$res = $region->get("/region/slips/revoke?unit=$unit{$s06}");
is $res->{status}, 200, 'revoke: a confirmation page';
like $res->{text}, qr/\Q$s06\E/, '... names the unit';
like $res->{text}, qr/不可撤销/, '... says it cannot be undone';
$csrf = T::csrf_from($res->{text});
$res = $region->post('/region/slips/revoke', [ csrf => $csrf, unit => $unit{$s06} ]);
is $res->{status}, 422, 'revoke without the confirmation box: 422';
is T::new_agent()->get("/register?code=$old06")->{status}, 200, '... and the code still works';
$res = $region->post('/region/slips/revoke', [ csrf => $csrf, unit => $unit{$s06}, confirm => 1 ]);
is $res->{status}, 303, 'revoke confirmed: 303';
like $res->{headers}{location} // '', qr{^/region/slips/one\?unit=$unit{$s06}}, '... to the unit\'s slip';
is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'code-revoke' AND detail = 'unit=$unit{$s06}'"),
	1, '... audit row code-revoke';
$res = T::new_agent()->get("/register?code=$old06");
is $res->{status}, 410, 'the revoked code: 410';
like $res->{text}, qr/已失效/, '... "已失效"';
like $res->{text}, qr/请与测试甲省中小企业主管部门联系/, '... tells the holder to contact the region';
like $res->{text}, qr/0991-6060601/, '... with the region\'s phone';
$res = $region->get("/region/slips/one?unit=$unit{$s06}&revoked=1");
like $res->{text}, qr/原邀请码已作废/, 'the slip page says the code was reissued';
$csrf = T::csrf_from($res->{text});
$res = $region->post('/region/slips/one', [ csrf => $csrf, unit => $unit{$s06} ]);
is $res->{status}, 200, 'the new slip of the unit: 200';
like $res->{headers}{'content-type'} // '', qr{^application/pdf}, '... a PDF';
my ($one06, $pages06) = qr_of_pdf(save($res->{content}, 'pdf'));
is $pages06, 1, '... of one page';
is scalar @$one06, 1, '... with one QR code';
my $new06 = code_of($one06->[0] // '');
ok $new06 && $new06 ne $old06, '... carrying a new code';
$res = T::new_agent()->get("/register?code=$new06");
like $res->{text}, qr/\Q$s06\E/, '... that opens the unit\'s registration';
is T::new_agent()->get("/register?code=$old06")->{status}, 410, 'the old code stays revoked';

# ------------------------------------------ resource slips, one slip PNG
$res = print_slips(stratum => 'hub', scope => 'new');
is $res->{status}, 200, 'hub stratum slips: 200';
like $res->{headers}{'content-disposition'} // '', qr{filename="slips-T60A-hub-new\.pdf"},
	'... named for the units never printed, not "all" (issue 23 item 10)';
my $pdf3 = save($res->{content}, 'pdf');
my ($urls3) = qr_of_pdf($pdf3);
is scalar @$urls3, 1, 'one slip for the one hub-stratum unit';
like pdf_text($pdf3), qr/枢纽服务机构一.*服务资源单位调查表|服务资源单位调查表.*枢纽服务机构一/s,
	'resource slip names the unit and the 服务资源单位调查表';

my $w1 = $unit{'窗口服务机构1'};
$res = $region->get("/region/slips/one?unit=$w1");
is $res->{status}, 200, 'one slip: confirmation page';
like $res->{text}, qr/窗口服务机构1/, '... names the unit';
$csrf = T::csrf_from($res->{text});
$res = $region->post('/region/slips/one', [ csrf => $csrf, unit => $w1 ]);
is $res->{status}, 200, 'one slip: 200';
like $res->{headers}{'content-type'} // '', qr{^application/pdf}, '... as a PDF';
my ($one, $one_pages) = qr_of_pdf(save($res->{content}, 'pdf'));
is $one_pages, 1, '... of one page';
is scalar @$one, 1, '... with one decodable QR code';
$res = T::new_agent()->get(local_path($one->[0] // ''));
like $res->{text}, qr/窗口服务机构1/, '... that opens the unit\'s registration';
like $res->{text}, qr/服务资源单位调查表/, '... for the resource questionnaire';
{
	my $again = $region->post('/region/slips/one', [ csrf => $csrf, unit => $w1 ]);
	my ($one2) = qr_of_pdf(save($again->{content}, 'pdf'));
	is_deeply $one2, $one, 'the slip printed again carries the same code';
}

# ------------------------------------------------- other region's units
my $b1 = $unit{'乙省企业1'};
$res = $region->get("/region/slips/one?unit=$b1");
is $res->{status}, 404, 'another region\'s unit: not found';
$res = $region->post('/region/slips/one', [ csrf => $csrf, unit => $b1 ]);
is $res->{status}, 404, 'issuing a code for another region\'s unit refused';
$res = print_slips(stratum => 'all');
is $res->{status}, 200, 'print all strata';
like $res->{headers}{'content-disposition'} // '', qr{filename="slips-T60A-unregistered\.pdf"}, "... named for every unregistered unit of every stratum";
my ($urls_all) = qr_of_pdf(save($res->{content}, 'pdf'));
is scalar @$urls_all, 7 + 3, 'all strata: 7 SME (9 less two registered since) and 3 resource slips';
is T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = 'T60B'"
	. " AND (code_lookup IS NOT NULL OR slip_printed_at IS NOT NULL)"), 0,
	'T60B units untouched by T60A\'s printing';
is $person->get('/region/slips')->{status}, 403, 'an SME account cannot open /region/slips';

# ------------------------------------------------------------- funnel
$res = $region->get('/region/slips');
like $res->{text}, qr{<tr data-unit="$unit{$s01}">.*?已提交}s, 'funnel: the registered unit shows 已提交';
like $res->{text}, qr{\Q$username\E}, 'funnel: shows its user name';
like $res->{text}, qr{<th scope="row">已注册</th><td>3</td>}, 'funnel: 3 registered';
like $res->{text}, qr{<th scope="row">已提交</th><td>1</td>}, 'funnel: 1 submitted';
like $res->{text}, qr{<th scope="row">已打开邀请链接</th><td>\d+</td>}, 'funnel: opened count';

# ------------------------------------------------- self-registration
{
	my $self = T::new_agent();
	$res = $self->get('/register');
	is $res->{status}, 200, 'GET /register without code: 200';
	like $res->{text}, qr/自行注册/, '... offers self-registration';
	like $res->{text}, qr/<option value="T60A">测试甲省<\/option>/, '... with a select of regions';
	my ($gen) = $res->{text} =~ m{<strong class="generated-password">([^<]+)</strong>};
	like $gen // '', qr/^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$/, '... and a generated password';
	my $c = T::csrf_from($res->{text});
	$res = $self->post('/register', [ csrf => $c, action => 'self', form => 'sme', region => 'T60A',
		org_name => '自行注册测试企业', pw_mode => 'gen', gen => $gen ]);
	is $res->{status}, 303, 'self-registration: 303';
	is $res->{headers}{location}, '/account?new=self', '... to the page that shows the username';
	$res = $self->get($res->{headers}{location});
	like $res->{text}, qr/不属于本地区的抽样名单/, '... says the response is not from the sample';
	my ($u) = $res->{text} =~ m{<strong class="username">([^<]+)</strong>};
	like $u // '', qr/^sme-T60A-[a-z2-9]{5}$/, "... shows the user name ($u)";
	my @row = T::db_query("SELECT role, form, org_name, (SELECT COUNT(*) FROM sample_units su"
		. " WHERE su.user_id = users.id) FROM users WHERE username = " . q_($u));
	is_deeply \@row, [ [ 'sme', 'sme', '自行注册测试企业', 0 ] ], '... account not bound to a sample unit';
	is $self->get('/form/sme')->{status}, 200, '... logged in: the questionnaire opens';
	my $again = T::new_agent();
	$again->login($u, $gen);
	ok $again->logged_in, 'the generated password works';
}

# ------------------------------------------------------------ throttle
# The earlier wrong codes counted too; start from a clean slate.
T::db_query("DELETE FROM code_failures WHERE ip = '$IP'");
my %st;
my $first_429;
for my $i (1 .. 1000) {
	my $guess = join '', map { substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', int rand 32, 1) } 1 .. 16;
	my $s = T::new_agent()->get("/register?code=$guess")->{status};
	$st{$s}++;
	$first_429 //= $i if $s == 429;
}
is $st{404} // 0, 30, '1,000 random guesses: 30 answered "invalid"';
is $st{429} // 0, 970, '... the remaining 970 throttled (429)';
is $first_429, 31, '... from the 31st guess on';
ok T::db_value("SELECT COUNT(*) FROM code_failures WHERE ip = '$IP'") <= 30,
	'throttled guesses do not grow the failure table';
my $valid = $urls_all->[0];
$res = T::new_agent()->get(local_path($valid));
# Issue 9: the limit only sheds load; a valid code is never refused.
is $res->{status}, 200, 'while throttled a valid code still works';
$res = T::new_agent()->get('/register?code=2345-6789-ABCD-EFGH');
is $res->{status}, 429, 'while a wrong one gets 429';
like $res->{text}, qr/10 分钟后再试/, '... with a message';
T::db_query("DELETE FROM code_failures WHERE ip = '$IP'");
is T::new_agent()->get(local_path($valid))->{status}, 200, 'after the window the valid code works';

cleanup();
done_testing();
