#!/usr/bin/perl
# 54-region-pages.t - pages sized for the job (issue 10 item 6): the region
# home's checklist (frame -> sample -> slips -> construction units -> self-
# evaluation) with each step's state and link; the sample page with the
# strata as tabs with counts, a search, the technical details (seed,
# algorithm, checksum) behind a disclosure, and replacement through a
# confirmation page that returns to the unit with the confirmation there;
# the funnel shows "—" instead of percentages of nothing.
#
# Uses its own region T54A01 and account t54-a.
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
my $tmp = tempdir(CLEANUP => 1);
my $R = 'T54A01';
sub cleanup {
	T::db_query("DELETE FROM sample_units WHERE region_code = '$R'");
	T::db_query("DELETE FROM samples WHERE region_code = '$R'");
	T::db_query("DELETE FROM frames WHERE region_code = '$R'");
	T::db_query("DELETE FROM frame_mappings WHERE region_code = '$R'");
	T::db_query("DELETE FROM users WHERE username LIKE 't54-%'");
}
cleanup();
T::db_query("INSERT IGNORE INTO regions (code, name) VALUES ('$R', '测试五四省')");
my $pw = 'T54-Region-A-pass';
sub cli {
	my $out = `'$cli' --conf '$conf' @_ 2>&1`;
	return ($? >> 8, Encode::decode('UTF-8', $out));
}
sub write_file {
	my ($name, $text) = @_;
	open my $fh, '>:encoding(UTF-8)', "$tmp/$name" or die $!;
	print $fh $text;
	close $fh;
	return "$tmp/$name";
}
my ($rc, $out) = cli('import-accounts', write_file('a.csv', "username,initial_password,role,region_code,org_name,form\n"
	. "t54-a,$pw,region,$R,测试五四省经信委,selfeval\n"));
is $rc, 0, 'region account imported' or diag $out;
my $A = T::new_agent();
$A->login('t54-a', $pw);
ok $A->logged_in, 'region logs in';

# ------------------------------------------------------ form names, not codes
{
	my $prog = $A->get('/region/progress')->{text};
	like $prog, qr{<td>t54-a</td><td>测试五四省经信委</td><td>[^<]*自评估[^<]*</td>}, 'progress names the form';
	unlike $prog, qr{<td>selfeval</td>}, '... not its code';
}

# ------------------------------------------------------ checklist, empty funnel
my $p = $A->get('/region')->{text};
like $p, qr{<ol class="checklist">}, 'the region home has a checklist';
like $p, qr{<li class="todo"><strong>导入样本框（服务资源单位、中小企业）</strong>：未开始 <a href="/region/frames">}, '... frame: not started, with its link';
like $p, qr{<li class="todo"><strong>抽样</strong>：未开始 <a href="/region/sample">}, '... sample: not started';
like $p, qr{<strong>提交自评估报告</strong>：未开始 <a href="/form/selfeval">}, '... self-evaluation: not started';
$p = $A->get('/region/slips')->{text};
like $p, qr{<th scope="row">抽中单位</th><td>0</td><td>—</td>}, 'funnel without units: "—", not 100%';
like $p, qr{<th scope="row">已提交</th><td>0</td><td>—</td>}, '... for every step';

my $res_csv = "名称,组织平台\n" . join('', map { "五四枢纽机构$_,枢纽平台\n" } 1 .. 7)
	. join('', map { "五四窗口机构$_,某窗口平台\n" } 1 .. 12);
($rc, $out) = cli('import-frame', $R, 'resource', write_file('r.csv', $res_csv));
is $rc, 0, 'frame imported' or diag $out;
($rc, $out) = cli('draw', $R, 'resource', '--seed', '54');
is $rc, 0, 'drawn' or diag $out;
$p = $A->get('/region')->{text};
like $p, qr{<li class="partial"><strong>导入样本框（服务资源单位、中小企业）</strong>：1 / 2}, 'checklist: 1 of 2 frames';
like $p, qr{<li class="partial"><strong>抽样</strong>：1 / 2}, 'checklist: 1 of 2 samples';
like $p, qr{<li class="todo"><strong>打印邀请单并送达抽中单位</strong>：未开始}, 'checklist: no slip printed yet';

# ------------------------------------------------------ the sample page
$p = $A->get('/region/sample')->{text};
like $p, qr{<details class="sample-meta"><summary>抽样技术信息.*?<code class="seed">0000000000000054</code>}s,
	'seed, algorithm and checksum behind a disclosure';
like $p, qr{<nav class="strata-tabs".*?<a href="#resource-hub">地区枢纽平台（入样 5 / 应抽 5）</a>.*?<a href="#resource-window">窗口平台（入样 10 / 应抽 10）</a>}s,
	'strata as tabs with their counts';
unlike $p, qr{name="reason"}, 'no reason box per row: replacement goes through its own page';
my @rows = $p =~ m{<tr id="unit-\d+">}g;
is scalar(@rows), 15, 'every selected unit has an anchor';
my $q = $A->get('/region/sample?q=' . join('', map { sprintf '%%%02X', $_ } unpack 'C*', Encode::encode('UTF-8', '枢纽机构3')))->{text};
my @hits = $q =~ m{<tr id="unit-\d+"><td>\d+</td><td>(五四[^<]+)</td>}g;
ok @hits <= 1 && !grep({ $_ ne '五四枢纽机构3' } @hits), 'search filters the units by name';
like $q, qr{显示全部}, '... with a way back';

# Replace the first selected hub unit.
my ($victim, $vname) = $p =~ m{<tr id="unit-(\d+)"><td>1</td><td>(五四枢纽机构\d)</td>};
ok $victim, "a selected hub unit ($vname)";
my $r = $A->get("/region/sample/replace?unit=$victim");
is $r->{status}, 200, 'replacement: a confirmation page';
like $r->{text}, qr{要替换的单位：<strong>\Q$vname\E</strong>}, '... names the unit';
like $r->{text}, qr{将由备选名单第 6 位的<strong>五四枢纽机构\d</strong>递补}, '... and the reserve that comes in';
my $csrf = T::csrf_from($r->{text});
$r = $A->post('/region/sample', [ csrf => $csrf, action => 'replace', unit => $victim, reason => '单位已注销' ]);
is $r->{status}, 303, 'replaced';
my $new = T::db_value("SELECT id FROM sample_units WHERE replaces_id = $victim");
is $r->{headers}{location}, "/region/sample?done=$new#unit-$new", '... back to the unit that came in';
$p = $A->get("/region/sample?done=$new")->{text};
like $p, qr{<tr id="unit-$new">.*?<p class="notice" role="status">已替换：本单位（备选第 6 位）替补“\Q$vname\E”，原因：单位已注销。}s,
	'... with the confirmation at that unit';
is $A->get('/region/sample/replace?unit=999999999')->{status}, 404, 'an unknown unit: 404';

# ------------------------------------------------- paging of a large sample
{
	my $sme_csv = "企业名称,联系人\n" . join('', map { sprintf "五四企业%03d,联系人%d\n", $_, $_ } 1 .. 260);
	($rc, $out) = cli('import-frame', $R, 'sme', write_file('s.csv', $sme_csv));
	is $rc, 0, 'a frame of 260 SMEs imported' or diag $out;
	my $csrf2 = T::csrf_from($A->get('/region/sample')->{text});
	my $d = $A->post('/region/sample', [ csrf => $csrf2, action => 'draw', kind => 'sme', seed => '5454', sme_n => 220 ]);
	is $d->{status}, 303, 'a sample of 220 SMEs drawn (more than the 100 the notice requires)';
	my $pg = $A->get('/region/sample')->{text};
	my ($sme_part) = $pg =~ m{(<h3 id="sme-sme">.*?)(?:<h3|$)}s;
	is scalar(() = ($sme_part // '') =~ m{<tr id="unit-\d+">}g), 100, 'page 1 shows 100 selected SMEs, not 220';
	# Paged by key (issue 13 item 3): the next page starts after the last
	# position shown, never at an offset.
	my ($next) = $sme_part =~ m{<a href="(/region/sample\?stratum=sme&amp;q=&amp;after=100&amp;after_id=\d+#sme-sme)" rel="next">下一页</a>};
	ok $next, '... with the way to page 2 (after position 100)';
	$next =~ s/&amp;/&/g;
	my $p2 = $A->get($next)->{text};
	($sme_part) = $p2 =~ m{(<h3 id="sme-sme">.*?)(?:<h3|$)}s;
	($next) = ($sme_part // '') =~ m{<a href="([^"]+)" rel="next">下一页</a>};
	$next =~ s/&amp;/&/g if $next;
	my $p3 = $next ? $A->get($next)->{text} : '';
	($sme_part) = $p3 =~ m{(<h3 id="sme-sme">.*?)(?:<h3|$)}s;
	is scalar(() = ($sme_part // '') =~ m{<tr id="unit-\d+">}g), 20, 'page 3 shows the last 20';
	like $sme_part, qr{rel="first">第一页</a>}, '... and the way back';
	unlike $sme_part, qr{rel="next"}, '... and no next page';
	ok length($pg) < 200_000, 'the page stays small (' . length($pg) . ' bytes)';
}

cleanup();
done_testing();
