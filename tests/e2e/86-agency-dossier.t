#!/usr/bin/perl
# 86-agency-dossier.t - the region's dossier (issue 19, item 6): its
# indicator values (region and nation) equal /admin/indicators.csv for that
# region, on the page and in the XLSX (re-read with openpyxl); the page
# holds progress, reviews and ratings, targets, visit findings and open
# points; the PDF has embedded CJK fonts and the expected text; the
# national XLSX has a sheet each for visits, reviews, ratings, targets and
# the table of all regions' ratings per content. Only the agency.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp qw(tempdir);
use Encode ();
use JSON::PP ();
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
system('/usr/bin/python3', '-c', 'import openpyxl') == 0 or plan skip_all => 'python3-openpyxl missing';
my $tmp = tempdir(CLEANUP => 1);
sub uid_of { return T::db_value('SELECT id FROM users WHERE username = ' . T::sql_quote($_[0])) }
my $tag = "$$-" . time;
my $bj = '110000';

# A submitted hub questionnaire gives Beijing an indicator value of its own.
my $hub_user = T::demo_account('hub', 0, $bj)->{username};
my $hub = uid_of($hub_user);
my $prior = T::db_value("SELECT status FROM responses WHERE user_id = $hub AND form = 'hub'");
T::db_query("INSERT INTO responses (form, user_id, region_code, status, valid, version, submitted_at)"
	. " VALUES ('hub', $hub, '$bj', 'submitted', 1, 1, NOW()) ON DUPLICATE KEY UPDATE status = 'submitted',"
	. " submitted_at = COALESCE(submitted_at, NOW())");
T::rebuild_aggregates();

my $agency = T::demo_login('agency');
my $csrf = T::csrf_from($agency->get('/agency')->{text});
# A review of the hub, Beijing's targets, a visit with findings.
my ($version) = $agency->get("/agency/reviews/unit?unit=$hub")->{text} =~ /name="version" value="(\d+)"/;
is $agency->post("/agency/reviews/unit?unit=$hub", [ csrf => $csrf, version => $version, checklist => 'q3_report',
	findings => "档案齐全 $tag", rating1 => 'A', rating2 => 'B', rating3 => 'C', rating4 => '' ])->{status}, 303,
	'a review of the hub';
is $agency->post_multipart('/agency/targets', [ csrf => $csrf, file => { filename => 't.csv',
	content => "region_code,windows,invest,invest_actual\n$bj,4,100,50\n" } ])->{status}, 303, "Beijing's targets";
my ($visit) = ($agency->post('/agency/visits', [ csrf => $csrf, region => $bj, starts_on => '2013-12-02',
	ends_on => '2013-12-03' ])->{headers}{location} // '') =~ /id=(\d+)/;
($version) = $agency->get("/agency/visits/visit?id=$visit")->{text} =~ /name="version" value="(\d+)"/;
is $agency->post("/agency/visits/visit?id=$visit", [ csrf => $csrf, version => $version, starts_on => '2013-12-02',
	ends_on => '2013-12-03', prepare => 'x', findings => "走访发现 $tag" ])->{status}, 303, 'a visit with findings';

# ------------------------------------------------------- the reference
my %csv;   # region code ('all' for the nation) => indicator => value
{
	my $res = $agency->get("/admin/indicators.csv");
	is $res->{status}, 200, '/admin/indicators.csv';
	my @lines = split /\r?\n/, Encode::decode('UTF-8', $res->{content});
	$lines[0] =~ s/^\x{feff}//;
	shift @lines;
	for (@lines) {
		my @c = split /,/, $_, -1;
		$csv{ $c[0] }{ $c[2] } = $c[5] if @c >= 8;
	}
}
ok scalar(keys %{ $csv{$bj} }) > 20, 'the CSV has Beijing\'s indicators';
is $csv{$bj}{e1_res_hub_rate} // 'missing', '0.0', '... e.g. no service organisation has submitted';

# ------------------------------------------------------------ the page
my $res = $agency->get("/agency/dossier?region=$bj");
is $res->{status}, 200, 'the dossier page';
my ($same, $rows) = (0, 0);
while ($res->{text} =~ m{<tr id="i-(\w+)">.*?data-col="region">([^<]*)</td>.*?data-col="nation">([^<]*)</td>}g) {
	my ($code, $region, $nation) = ($1, $2, $3);
	$rows++;
	$_ = $_ eq '—' ? '' : $_ for $region, $nation;
	$same++ if $region eq ($csv{$bj}{$code} // 'missing') && $nation eq ($csv{all}{$code} // 'missing');
}
ok $rows > 20, "the page lists the indicators ($rows)";
is $same, $rows, '... each region and nation value as /admin/indicators.csv has it';
like $res->{text}, qr/二、填报进度（对照配额）.*?中小企业/s, 'progress against the quotas';
like $res->{text}, qr{三、查阅资料：评审和评分.*?<td>好</td><td>较好</td><td>一般</td><td>未评</td><td>档案齐全 \Q$tag\E</td>}s,
	'the review and its ratings';
like $res->{text}, qr{<tr id="t-windows">.*?<td class="num">4\.00</td>}s, 'the approved targets';
like $res->{text}, qr/走访发现 \Q$tag\E/, "the visit's findings";
like $res->{text}, qr{<ul class="open-points">.*?的评估内容四尚未评分.*?“项目总投资”完成 50\.00%，未达到批复}s, 'the open points';

# ------------------------------------------------------------ the XLSX
sub xlsx_json {
	my ($bytes) = @_;
	my $f = "$tmp/book-" . int(rand 1e9) . '.xlsx';
	{ open my $fh, '>:raw', $f or die $!; print $fh $bytes; close $fh }
	my $json = `/usr/bin/python3 -c '
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({ws.title: [[c for c in row] for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}))
' '$f'`;
	return JSON::PP->new->utf8->decode($json);
}
$res = $agency->get("/agency/dossier.xlsx?region=$bj");
is $res->{status}, 200, 'the dossier XLSX';
my $book = xlsx_json($res->{content});
is_deeply [ sort keys %$book ], [ sort qw(评估指标 填报进度 评审和评分 批复目标 实地走访 座谈会 待办事项 可信度审核 被标记的答卷) ],
	'... its sheets';
my @ind = @{ $book->{评估指标} };
shift @ind;
($same, $rows) = (0, 0);
for my $r (grep { $_->[0] ne 'excluded_responses' } @ind) {
	my ($code, $region, $nation) = @$r[0, 3, 5];
	$rows++;
	my $want_r = $csv{$bj}{$code} // 'missing';
	my $want_n = $csv{all}{$code} // 'missing';
	my $eq = sub { my ($got, $want) = @_; return (!defined $got && $want eq '') || (defined $got && $want ne '' && $got == $want) };
	$same++ if $eq->($region, $want_r) && $eq->($nation, $want_n);
}
ok $rows > 20, "the XLSX has the indicators ($rows), values as numbers";
is $same, $rows, '... each equal to /admin/indicators.csv';
my ($tw) = grep { $_->[0] eq '窗口平台数' } @{ $book->{批复目标} };
is_deeply [ @$tw[2] ], [ 4 ], '... targets as numbers';
ok((grep { ($_->[9] // '') eq "档案齐全 $tag" && $_->[4] eq '好' } @{ $book->{评审和评分} }), '... the review');

# ------------------------------------------------------------- the PDF
$res = $agency->get("/agency/dossier.pdf?region=$bj");
is $res->{status}, 200, 'the dossier PDF';
my $pdf = "$tmp/dossier.pdf";
{ open my $fh, '>:raw', $pdf or die $!; print $fh $res->{content}; close $fh }
like `pdffonts '$pdf' 2>&1`, qr/NotoSansCJK\S*\s.*\byes\s+yes\b/, '... CJK font embedded';
my $text = Encode::decode('UTF-8', `pdftotext '$pdf' - 2>/dev/null`);
like $text, qr/北京市评估材料/, '... its title';
like $text, qr/评估指标图/, '... the indicator charts';
like $text, qr/走访发现 \Q$tag\E/, '... the findings';
like $text, qr/七、待办事项/, '... the open points';

# -------------------------------------------------------- national XLSX
$res = $agency->get('/agency/national.xlsx');
is $res->{status}, 200, 'the national XLSX';
$book = xlsx_json($res->{content});
is_deeply [ sort keys %$book ], [ sort qw(实地走访 评审 评分 批复目标 各地区评分) ], '... its sheets';
is scalar(@{ $book->{各地区评分} }) - 1, T::db_value('SELECT COUNT(*) FROM regions'), '... a ratings row per region';
my ($bjr) = grep { $_->[0] eq $bj } @{ $book->{各地区评分} };
like $bjr->[2] // '', qr/好 \d+/, "... Beijing's content 一 ratings counted";
ok((grep { $_->[0] eq '北京市' && ($_->[7] // '') eq "走访发现 $tag" } @{ $book->{实地走访} }), '... the visits');
ok((grep { $_->[1] eq '北京市中小企业公共服务平台' && $_->[3] eq '好' } @{ $book->{评分} }), '... the ratings');
ok((grep { $_->[0] eq '北京市' && $_->[1] eq '项目总投资' && $_->[6] == 50 } @{ $book->{批复目标} }), '... the targets');

is T::demo_login('region', 0, $bj)->get("/agency/dossier?region=$bj")->{status}, 403, 'the region cannot open it';
is T::demo_login('viewer')->get('/agency/national.xlsx')->{status}, 403, '... nor the viewer';

T::db_query(defined $prior ? "UPDATE responses SET status = '$prior' WHERE user_id = $hub AND form = 'hub'"
	: "DELETE FROM responses WHERE user_id = $hub AND form = 'hub'");
T::rebuild_aggregates();
done_testing;
