#!/usr/bin/perl
# 50-sampling.t - sample frames and the random draw on the real stack:
# GB18030 and UTF-8 frame uploads with the mapping preview, per-line row
# errors, confirm, the draw with a fixed seed (quotas 5 hub + 10 window,
# 100 of 150 SMEs), reproducibility (same frame + seed in another region,
# and `smesurvey-admin redraw`), replacement from the reserve list with its
# log, the CSV list, a region's own uploaded list, and region isolation.
#
# Uses its own regions T50A01, T50B01, T50C01 and accounts t50-*.
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

# ------------------------------------------------------------ fixtures
my @regions = ([ 'T50A01', '测试甲省' ], [ 'T50B01', '测试乙省' ], [ 'T50C01', '测试丙省' ]);
my $in = join ',', map { T::sql_quote($_->[0]) } @regions;
T::db_query("DELETE su FROM sample_units su JOIN samples s ON s.id = su.sample_id WHERE s.region_code IN ($in)");
T::db_query("DELETE FROM samples WHERE region_code IN ($in)");
T::db_query("DELETE FROM revoked_codes WHERE region_code IN ($in)");
T::db_query("DELETE FROM frames WHERE region_code IN ($in)");
T::db_query("DELETE FROM frame_mappings WHERE region_code IN ($in)");
T::db_query("DELETE FROM users WHERE username LIKE 't50-%'");
T::db_query('INSERT IGNORE INTO regions (code, name) VALUES ' .
	join ',', map { '(' . T::sql_quote($_->[0]) . ',' . T::sql_quote($_->[1]) . ')' } @regions);

my %pw = (a => 'T50-Region-A-pass', b => 'T50-Region-B-pass', c => 'T50-Region-C-pass');
{
	my $f = "$tmp/accounts.csv";
	open my $fh, '>:encoding(UTF-8)', $f or die $!;
	print $fh "username,initial_password,role,region_code,org_name,form\n";
	print $fh "t50-a,$pw{a},region,T50A01,测试甲省经信委,selfeval\n";
	print $fh "t50-b,$pw{b},region,T50B01,测试乙省经信委,selfeval\n";
	print $fh "t50-c,$pw{c},region,T50C01,测试丙省经信委,selfeval\n";
	close $fh;
	my $out = `'$cli' --conf '$conf' import-accounts '$f' 2>&1`;
	is $? >> 8, 0, 'test region accounts imported' or diag $out;
}

sub login {
	my ($user, $pw) = @_;
	my $ua = T::new_agent();
	$ua->login($user, $pw);
	ok $ua->logged_in, "login $user";
	return $ua;
}
my $A = login('t50-a', $pw{a});
my $B = login('t50-b', $pw{b});
my $C = login('t50-c', $pw{c});

sub cli {
	my @args = @_;
	my $out = `'$cli' --conf '$conf' @args 2>&1`;
	return ($? >> 8, Encode::decode('UTF-8', $out));
}

# Frames as character strings.
my $resource_csv = "名称,组织平台,联系人,电话,邮箱\r\n";
$resource_csv .= sprintf "枢纽服务机构%02d,枢纽平台,联系人%d,010-6000%04d,hub%d\@example.cn\r\n", $_, $_, $_, $_ for 1 .. 8;
$resource_csv .= sprintf "窗口服务机构%02d,%s,联系人W%d,0755-8%07d,win%d\@example.cn\r\n", $_,
	($_ % 2 ? '东城区窗口平台' : '海淀区窗口平台'), $_, $_, $_ for 1 .. 25;
my $sme_csv = "企业名称,联系人,联系电话,电子邮箱\n";
$sme_csv .= sprintf "测试企业%03d有限公司,经理%d,1380000%04d,sme%d\@example.com\n", $_, $_, $_, $_ for 1 .. 150;

sub gb18030 {
	my ($text) = @_;
	my $src = "$tmp/utf8.csv";
	open my $fh, '>:encoding(UTF-8)', $src or die $!;
	print $fh $text;
	close $fh;
	my $bytes = `iconv -f UTF-8 -t GB18030 '$src'`;
	die 'iconv failed' if $?;
	return $bytes;
}

sub upload {
	my ($ua, $path, $kind, $action, $name, $bytes) = @_;
	my $csrf = $ua->csrf_of($path);
	return $ua->post_multipart($path, [ csrf => $csrf, kind => $kind, action => $action,
		file => { filename => $name, content => $bytes, content_type => 'text/csv' } ]);
}

sub pending_id {
	my ($region, $kind) = @_;
	return T::db_value("SELECT id FROM frames WHERE region_code = '$region' AND kind = '$kind' AND status = 'pending'");
}

# The mapping currently shown for a kind's pending upload: map0..mapN => code.
sub shown_map {
	my ($html, $kind) = @_;
	my ($sec) = $html =~ m{(<section class="panel" id="pending-$kind">.*?</section>)}s or return;
	my @m;
	while ($sec =~ m{<select name="map(\d+)"[^>]*>(.*?)</select>}gs) {
		my ($i, $opts) = ($1, $2);
		($m[$i]) = $opts =~ m{<option value="(\w+)" selected>};
	}
	return @m;
}

sub confirm {
	my ($ua, $region, $kind, @map) = @_;
	my $id = pending_id($region, $kind);
	my $csrf = $ua->csrf_of('/region/frames');
	my $i = 0;
	return $ua->post('/region/frames', [ csrf => $csrf, kind => $kind, id => $id, action => 'confirm',
		map { ('map' . $i++ => $_) } @map ]);
}

# ------------------------------------------------------------ access
{
	my $anon = T::new_agent();
	my $res = $anon->get('/region/frames');
	like $res->{status}, qr/^30[23]$/, 'anonymous: /region/frames redirects to login';
	my $hub = T::demo_login('hub');
	is $hub->get('/region/sample')->{status}, 403, 'a hub account gets 403 on /region/sample';
	my $res2 = $A->get('/region/frames');
	is $res2->{status}, 200, 'region: /region/frames 200';
	like $res2->{text}, qr{href="/region/sample">抽样</a>}, 'navigation shows 抽样';
	my $nocsrf = $A->post('/region/sample', [ action => 'draw', kind => 'resource', seed => '1' ]);
	is $nocsrf->{status}, 403, 'POST without csrf: 403';
}

# ------------------------------------------------------------ GB18030 resource frame
my $res = upload($A, '/region/frames', 'resource', 'upload', '服务资源单位.csv', gb18030($resource_csv));
is $res->{status}, 303, 'GB18030 resource frame uploaded';
ok pending_id('T50A01', 'resource'), 'kept server-side as a pending frame';
is T::db_value("SELECT COUNT(*) FROM frames WHERE region_code = 'T50A01' AND status = 'confirmed'"), 0,
	'nothing imported before confirmation';
my $page = $A->get('/region/frames')->{text};
like $page, qr{检测到的文件编码：<strong>GB18030</strong>}, 'preview shows the detected charset GB18030';
is_deeply [ shown_map($page, 'resource') ], [qw(name platform contact phone email)], 'mapping guessed from the Chinese header';
like $page, qr{枢纽服务机构01}, 'preview shows the first rows (decoded)';
like $page, qr{地区枢纽平台组织的服务资源单位：8 家.*窗口平台组织的：25 家}s, 'strata counted';
like $page, qr{value="confirm"}, 'confirm offered for a clean file';

# Changing the mapping: without a name column the file is not usable.
{
	my $csrf = $A->csrf_of('/region/frames');
	my $r2 = $A->post('/region/frames', [ csrf => $csrf, kind => 'resource', id => pending_id('T50A01', 'resource'),
		action => 'preview', map0 => 'ignore', map1 => 'platform', map2 => 'contact', map3 => 'phone', map4 => 'email' ]);
	is $r2->{status}, 200, 'preview with another mapping';
	like $r2->{text}, qr{缺少“名称”列}, 'mapping without a name column: explained';
	unlike $r2->{text}, qr{value="confirm"}, '... and no confirm button';
	is_deeply [ shown_map($r2->{text}, 'resource') ], [qw(ignore platform contact phone email)], 'the chosen mapping is kept in the form';
}
$res = confirm($A, 'T50A01', 'resource', qw(name platform contact phone email));
is $res->{status}, 303, 'resource frame confirmed';
my ($fid, $nunits, $sum, $cs) = @{ (T::db_query("SELECT id, nunits, checksum, charset FROM frames WHERE region_code = 'T50A01'"
	. " AND kind = 'resource' AND status = 'confirmed'"))[0] // [] };
is $nunits, 33, '33 units in the confirmed frame';
like $sum // '', qr/^[0-9a-f]{64}$/, 'frame checksum stored';
is $cs, 'GB18030', 'charset stored';
is T::db_value("SELECT COUNT(*) FROM frame_units WHERE frame_id = $fid AND stratum = 'hub'"), 8, '8 hub units';
is T::db_value("SELECT name FROM frame_units WHERE frame_id = $fid AND line_no = 2"), '枢纽服务机构01', 'names decoded from GB18030';
is T::db_value("SELECT COUNT(*) FROM frames WHERE region_code = 'T50A01' AND status = 'pending'"), 0, 'no pending frame left';

# ------------------------------------------------------------ bad rows
{
	my $bad = "名称,联系人,电话,邮箱\n好企业,张,13800138000,a\@b.cn\n,李,13800138001,\n好企业,王,123,\n坏邮箱企业,赵,,not-an-email\n";
	my $r = upload($A, '/region/frames', 'sme', 'upload', 'bad.csv', Encode::encode('UTF-8', $bad));
	is $r->{status}, 303, 'SME frame with bad rows uploaded for checking';
	my $p = $A->get('/region/frames')->{text};
	like $p, qr{第 3 行：名称为空}, 'line 3: empty name reported';
	like $p, qr{第 4 行：名称“好企业”与第 2 行重复}, 'line 4: duplicate name reported';
	like $p, qr{第 4 行：电话“123”格式不正确}, 'line 4: bad phone reported';
	like $p, qr{第 5 行：邮箱“not-an-email”格式不正确}, 'line 5: bad email reported';
	unlike $p =~ s{.*id="pending-sme"}{}sr, qr{value="confirm"}, 'no confirm button for a file with errors';
	my $c = confirm($A, 'T50A01', 'sme', qw(name contact phone email));
	is $c->{status}, 422, 'confirming anyway is refused';
	is T::db_value("SELECT COUNT(*) FROM frames WHERE region_code = 'T50A01' AND kind = 'sme' AND status = 'confirmed'"), 0,
		'nothing imported';
}

# ------------------------------------------------------------ UTF-8 SME frame
$res = upload($A, '/region/frames', 'sme', 'upload', 'sme.csv', "\xef\xbb\xbf" . Encode::encode('UTF-8', $sme_csv));
is $res->{status}, 303, 'UTF-8 SME frame (150 rows) uploaded, replacing the bad pending one';
is T::db_value("SELECT COUNT(*) FROM frames WHERE region_code = 'T50A01' AND kind = 'sme' AND status = 'pending'"), 1,
	'one pending SME upload';
$page = $A->get('/region/frames')->{text};
like $page, qr{检测到的文件编码：<strong>UTF-8</strong>}, 'preview shows UTF-8';
is_deeply [ shown_map($page, 'sme') ], [qw(name contact phone email)], 'SME mapping guessed (企业名称, 联系电话, 电子邮箱)';
is confirm($A, 'T50A01', 'sme', qw(name contact phone email))->{status}, 303, 'SME frame confirmed';
is T::db_value("SELECT nunits FROM frames WHERE region_code = 'T50A01' AND kind = 'sme' AND status = 'confirmed'"), 150, '150 SMEs';

# ------------------------------------------------------------ isolation of frames
{
	my $p = $B->get('/region/frames')->{text};
	unlike $p, qr{\Q$sum\E}, 'another region does not see this frame';
	my $up = upload($A, '/region/frames', 'resource', 'upload', 'again.csv', Encode::encode('UTF-8', $resource_csv));
	my $pid = pending_id('T50A01', 'resource');
	my $csrf = $B->csrf_of('/region/frames');
	my $r = $B->post('/region/frames', [ csrf => $csrf, kind => 'resource', id => $pid, action => 'confirm',
		map0 => 'name', map1 => 'platform' ]);
	is $r->{status}, 404, "another region cannot confirm this region's pending upload";
	$csrf = $A->csrf_of('/region/frames');
	is $A->post('/region/frames', [ csrf => $csrf, kind => 'resource', action => 'discard' ])->{status}, 303, 'pending upload discarded';
	ok !pending_id('T50A01', 'resource'), '... and gone';
}

# ------------------------------------------------------------ the draw
my $seed = '00c0ffee00000001';
sub draw {
	my ($ua, $kind, $s) = @_;
	my $csrf = $ua->csrf_of('/region/sample');
	return $ua->post('/region/sample', [ csrf => $csrf, action => 'draw', kind => $kind, seed => $s ]);
}
$page = $A->get('/region/sample')->{text};
like $page, qr{name="seed" value="[0-9a-f]{16}"}, 'a random 64-bit seed is proposed in hex';
is draw($A, 'resource', 'zz')->{status}, 400, 'a bad seed is refused';
is draw($A, 'resource', $seed)->{status}, 303, 'resource sample drawn with a fixed seed';
is draw($A, 'resource', $seed)->{status}, 409, 'a second draw is refused';

sub units {
	my ($region, $kind, $extra) = @_;
	return T::db_query("SELECT su.id, su.stratum, su.role, su.position, su.name, su.status, su.form, su.region_code"
		. " FROM sample_units su JOIN samples s ON s.id = su.sample_id"
		. " WHERE s.region_code = '$region' AND s.kind = '$kind' " . ($extra // '') . " ORDER BY su.stratum, su.position");
}
my @u = units('T50A01', 'resource');
my %n;
$n{"$_->[1]/$_->[2]"}++ for @u;
is $n{'hub/selected'}, 5, '5 selected from the hub stratum';
is $n{'window/selected'}, 10, '10 selected from the window stratum';
is $n{'hub/reserve'}, 3, 'the other 3 hub units are the ordered reserve';
is $n{'window/reserve'}, 15, 'the other 15 window units are the ordered reserve';
my %names;
$names{ $_->[4] }++ for @u;
is scalar(keys %names), 33, 'no unit drawn twice';
ok !(grep { $_->[1] eq 'hub' && $_->[4] !~ /^枢纽/ } @u), 'hub stratum holds only hub units';
ok !(grep { $_->[6] ne 'resource' || $_->[7] ne 'T50A01' } @u), 'form and region_code filled';
my ($sseed, $algo, $ssum, $method) = @{ (T::db_query("SELECT seed, algo_version, frame_checksum, method FROM samples"
	. " WHERE region_code = 'T50A01' AND kind = 'resource'"))[0] };
is $sseed, $seed, 'seed stored';
is $algo, 'srswor-splitmix64-fy/1', 'algorithm version stored';
is $ssum, $sum, 'frame checksum stored with the sample';
is $method, 'drawn', 'method drawn';
$page = $A->get('/region/sample')->{text};
like $page, qr{<code class="seed">$seed</code>}, 'sample page shows the seed';
like $page, qr{srswor-splitmix64-fy/1}, '... the algorithm';
like $page, qr{\Q$sum\E}, '... and the frame checksum';
like $page, qr{地区枢纽平台：入样 5 家，备选 3 家（应抽 5 家）}, 'hub stratum table';
like $page, qr{窗口平台：入样 10 家，备选 15 家（应抽 10 家）}, 'window stratum table';
like $A->get('/region/frames')->{text}, qr{已经抽样，样本框不能再替换}, 'frame is frozen after the draw';
is upload($A, '/region/frames', 'resource', 'upload', 'x.csv', Encode::encode('UTF-8', $resource_csv))->{status}, 409,
	'uploading a new resource frame is refused after the draw';

is draw($A, 'sme', $seed)->{status}, 303, 'SME sample drawn';
my @s = units('T50A01', 'sme');
is scalar(grep { $_->[2] eq 'selected' } @s), 100, '100 SMEs selected';
is scalar(grep { $_->[2] eq 'reserve' } @s), 50, '50 SMEs on the reserve list';

my ($rc, $out) = cli('redraw', 'T50A01', 'resource');
is $rc, 0, 'redraw T50A01 resource: exit 0';
like $out, qr/^verified$/m, '... prints verified';
($rc, $out) = cli('redraw', 'T50A01', 'sme');
is $rc, 0, 'redraw T50A01 sme verified' or diag $out;

# Same frame (now in UTF-8), same seed, another region: the same sample.
upload($B, '/region/frames', 'resource', 'upload', 'utf8.csv', Encode::encode('UTF-8', $resource_csv));
is confirm($B, 'T50B01', 'resource', qw(name platform contact phone email))->{status}, 303, 'region B: same frame in UTF-8 confirmed';
is T::db_value("SELECT checksum FROM frames WHERE region_code = 'T50B01' AND kind = 'resource' AND status = 'confirmed'"), $sum,
	'same canonical checksum whatever the file encoding';
is draw($B, 'resource', $seed)->{status}, 303, 'region B draws with the same seed';
my @ub = units('T50B01', 'resource');
is_deeply [ map { "$_->[1]/$_->[2]/$_->[3]/$_->[4]" } @ub ], [ map { "$_->[1]/$_->[2]/$_->[3]/$_->[4]" } @u ],
	'same frame + same seed = same sample, position by position';
# A different seed gives a different sample.
upload($B, '/region/frames', 'sme', 'upload', 'sme.csv', Encode::encode('UTF-8', $sme_csv));
confirm($B, 'T50B01', 'sme', qw(name contact phone email));
is draw($B, 'sme', '00c0ffee00000002')->{status}, 303, 'region B draws SMEs with another seed';
my @sb = units('T50B01', 'sme', "AND su.role = 'selected'");
my @sa = units('T50A01', 'sme', "AND su.role = 'selected'");
isnt join(',', sort map { $_->[4] } @sb), join(',', sort map { $_->[4] } @sa), 'different seed, different selection';

# ------------------------------------------------------------ isolation of samples
{
	my $p = $B->get('/region/sample')->{text};
	unlike $p, qr{00c0ffee00000001.*00c0ffee00000001}s, "B's page shows only its own samples";
	my $hub1 = (grep { $_->[1] eq 'hub' && $_->[2] eq 'selected' } @u)[0];
	my $csrf = $B->csrf_of('/region/sample');
	my $r = $B->post('/region/sample', [ csrf => $csrf, action => 'replace', unit => $hub1->[0], reason => '越权' ]);
	is $r->{status}, 404, "another region cannot replace this region's unit";
	is T::db_value("SELECT status FROM sample_units WHERE id = $hub1->[0]"), 'active', '... unit unchanged';
	my $csv = $C->get('/region/sample.csv?kind=resource');
	is $csv->{status}, 404, 'a region without a sample gets no CSV (never another region\'s)';
}

# ------------------------------------------------------------ replacement
{
	my ($victim) = grep { $_->[1] eq 'hub' && $_->[2] eq 'selected' && $_->[3] == 2 } @u;
	my ($next) = grep { $_->[1] eq 'hub' && $_->[2] eq 'reserve' && $_->[3] == 6 } @u;
	T::db_query("UPDATE sample_units SET code_lookup = UNHEX(SHA2('t50-code', 256)) WHERE id = $victim->[0]");
	my $csrf = $A->csrf_of('/region/sample');
	is $A->post('/region/sample', [ csrf => $csrf, action => 'replace', unit => $victim->[0], reason => '' ])->{status}, 400,
		'a replacement needs a reason';
	my $r = $A->post('/region/sample', [ csrf => $csrf, action => 'replace', unit => $victim->[0], reason => '该单位已注销' ]);
	is $r->{status}, 303, 'hub unit replaced from the reserve';
	my ($st, $reason, $code) = @{ (T::db_query("SELECT status, replace_reason, code_lookup IS NULL FROM sample_units WHERE id = $victim->[0]"))[0] };
	is $st, 'replaced', 'replaced unit marked replaced';
	is $reason, '该单位已注销', 'reason stored';
	is $code, 1, 'its invitation code no longer works (code_lookup NULL)';
	is T::db_value("SELECT COUNT(*) FROM revoked_codes WHERE code_lookup = UNHEX(SHA2('t50-code', 256))"
		. " AND unit_id = $victim->[0] AND reason = 'replace'"), 1,
		'... its hash kept in revoked_codes, so its slip is answered "revoked, contact the region"';
	my ($role, $rep, $pos) = @{ (T::db_query("SELECT role, replaces_id, position FROM sample_units WHERE id = $next->[0]"))[0] };
	is $role, 'selected', 'first reserve (position 6) promoted';
	is $rep, $victim->[0], '... recording whom it replaces';
	is $pos, 6, '... keeping its position';
	like T::db_value("SELECT detail FROM audit_log WHERE action = 'sample-replace' ORDER BY id DESC LIMIT 1"),
		qr/region=T50A01.*该单位已注销/, 'replacement in the audit log';
	my $p = $A->get('/region/sample')->{text};
	like $p, qr{替换记录.*\Q$victim->[4]\E（地区枢纽平台 第 2 位）由备选 \Q$next->[4]\E（第 6 位）替换，原因：该单位已注销}s,
		'replacement log on the sample page';
	like $p, qr{地区枢纽平台：入样 5 家，备选 2 家}, 'still 5 selected, 2 reserves left';
	($rc, $out) = cli('redraw', 'T50A01', 'resource');
	is $rc, 0, 'redraw still verifies after a replacement' or diag $out;
	like $out, qr/hub: 5 selected, 2 reserve, 1 promoted/, 'redraw reports the promotion';
}

# Tampering is detected.
{
	my @b = units('T50B01', 'resource', "AND su.stratum = 'window'");
	T::db_query("UPDATE sample_units SET position = 999 WHERE id = $b[0][0]");
	T::db_query("UPDATE sample_units SET position = 1 WHERE id = $b[1][0]");
	T::db_query("UPDATE sample_units SET position = 2 WHERE id = $b[0][0]");
	($rc, $out) = cli('redraw', 'T50B01', 'resource');
	is $rc, 1, 'redraw of a tampered sample: exit 1';
	like $out, qr/window position 1: stored '\Q$b[1][4]\E', recomputed '\Q$b[0][4]\E'/, '... listing the difference';
	like $out, qr/NOT verified/, '... and says so';
}

# ------------------------------------------------------------ CSV
{
	my $r = $A->get('/region/sample.csv?kind=resource');
	is $r->{status}, 200, 'CSV download';
	like $r->{headers}{'content-type'}, qr{^text/csv; charset=utf-8}, 'text/csv UTF-8';
	like $r->{headers}{'content-disposition'}, qr{attachment; filename="sample-T50A01-resource.csv"}, 'as an attachment';
	my $t = Encode::decode('UTF-8', $r->{content});
	like $t, qr{^\x{feff}层,角色,顺位,名称}, 'BOM and header';
	my @lines = split /\r\n/, $t;
	is scalar(@lines), 34, 'header + 33 units';
	like $t, qr{"地区枢纽平台","入样","1","\Q$u[0][4]\E"}, 'first hub unit listed';
	like $t, qr{"已替换","该单位已注销"}, 'replacement in the CSV';
}

# ------------------------------------------------------------ uploaded list
{
	my $list = "名称,组织平台,电话\n";
	$list .= "自选枢纽机构$_,枢纽平台,010-1234567$_\n" for 1 .. 3;
	$list .= "自选窗口机构$_,某窗口平台,010-7654321$_\n" for 0 .. 9;
	my $r = upload($C, '/region/sample', 'resource', 'upload', '抽样名单.csv', gb18030($list));
	is $r->{status}, 303, "a region's own sampled list uploaded (GB18030)";
	is T::db_value("SELECT method FROM samples WHERE region_code = 'T50C01' AND kind = 'resource'"), 'uploaded', 'method uploaded';
	is T::db_value("SELECT COUNT(*) FROM sample_units su JOIN samples s ON s.id = su.sample_id WHERE s.region_code = 'T50C01'"
		. " AND su.role = 'selected' AND su.stratum = 'hub'"), 3, '3 hub units selected';
	my $p = $C->get('/region/sample')->{text};
	like $p, qr{地区枢纽平台入样单位少于应抽数量（少 2 家）}, 'short hub quota warned';
	like $p, qr{窗口平台：入样 10 家，备选 0 家（应抽 10 家）}, 'window quota met';
	like $p, qr{地区上传抽样名单}, 'method shown';
	($rc, $out) = cli('redraw', 'T50C01', 'resource');
	is $rc, 1, 'redraw of an uploaded list: exit 1 (nothing to recompute)';
	my $bad = upload($C, '/region/sample', 'sme', 'upload', 'bad.csv', Encode::encode('UTF-8', "名称\n甲\n甲\n"));
	is $bad->{status}, 422, 'uploaded list with a duplicate refused';
	like $bad->{text}, qr{第 3 行：名称“甲”与第 2 行重复}, '... with its line';
}

done_testing();
