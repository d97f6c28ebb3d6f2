#!/usr/bin/perl
# 64-integrity-review.t - the agency's review (issue 20, items 3 and 4):
# two SMEs of region T64R submit the same answers (near-duplicates, the same
# contact); the queue at /admin/integrity lists them (filters by region,
# form, rule), each with its reasons, paradata and the other side by side;
# a decision (excluded) is audited, moves the response out of the
# indicators - CSV, XLSX and page say how many were excluded, excluded=keep
# counts it again - and the maintained aggregates equal rebuilt ones; a
# question to the region needs a note; taking the decision back restores
# everything. The region's dossier (page, XLSX, PDF) shows every indicator
# without and with the excluded response, how many were excluded, and the
# review's counts and reasons. The region sees only how many are under review; region and
# viewer get 403 on the review; national progress shows the flagged share.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;
use Encode ();
use JSON::PP ();

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $R = 'T64R';
T::db_query("DELETE FROM flag_reviews WHERE response_id IN (SELECT response_id FROM flags WHERE region_code = '$R')");
T::db_query("DELETE FROM flags WHERE region_code = '$R'");
T::db_query("DELETE FROM flag_sigs WHERE region_code = '$R'");
my $acc = Forms::fresh_accounts('t64', $R, 'T64R 测试省', [qw(sme sme region)]);
my $f = Forms::load('sme');
my $vals = Forms::valid_values($f);
my @rid;
for my $k (qw(sme sme2)) {
	my $ua = Forms::login_as($acc->{$k});
	my $p = $ua->get('/form/sme');
	my $res = $ua->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => T::csrf_from($p->{text}),
		version => 0, action => 'submit', confirm => 1 ]);
	is $res->{status}, 303, "$k submits";
	push @rid, T::db_value("SELECT id FROM responses WHERE form = 'sme' AND user_id = $acc->{$k}{id}");
}
my ($r1, $r2) = @rid;
T::rebuild_aggregates();
my $cli = T::bindir() . '/smesurvey-admin';
my $conf = T::conf_path();
sub dump_aggr { my $o = `'$cli' --conf '$conf' dump-aggregates 2>&1`; return $o }
sub maintained_is_rebuilt {
	my ($what) = @_;
	my $before = dump_aggr();
	`'$cli' --conf '$conf' rebuild-aggregates 2>&1`;
	is dump_aggr(), $before, "maintained aggregates equal rebuilt ones $what";
}
is T::db_value("SELECT COUNT(*) FROM flags WHERE rule = 'neardup' AND response_id IN ($r1, $r2)"), 2,
	'both are flagged as near-duplicates at submit';
is T::db_value("SELECT COUNT(*) FROM flags WHERE rule = 'contact' AND response_id IN ($r1, $r2)"), 2,
	'... and for the same contact phone and e-mail on two units';

# ------------------------------------------------ the queue
my $ag = T::demo_login('agency');
my $q = $ag->get("/admin/integrity?region=$R");
is $q->{status}, 200, 'the agency opens the queue';
like $q->{text}, qr/data-id="$r1".*data-id="$r2"/s, '... both responses listed';
like $q->{text}, qr/与本地区其他答卷高度雷同/, '... with the rule in words';
$q = $ag->get("/admin/integrity?region=$R&rule=burst");
unlike $q->{text}, qr/data-id="$r1"/, 'filtered by another rule: not listed';
$q = $ag->get("/admin/integrity?region=$R&form=sme&rule=neardup");
like $q->{text}, qr/data-id="$r1"/, 'filtered by form and rule: listed';

my $page = $ag->get("/admin/integrity/response?id=$r1");
is $page->{status}, 200, 'one response';
like $page->{text}, qr/共同作答项中 \d+ 项相同/, '... the figures';
like $page->{text}, qr{<a class="other" href="/admin/integrity/response\?id=$r2">}, '... the other response';
like $page->{text}, qr/<table class="side-by-side">.*<tr class="same">/s, '... side by side';
like $page->{text}, qr/有效作答时间（秒）/, '... and the paradata';

# ------------------------------------------------ indicators before
sub csv_rows {
	my ($ua, $q) = @_;
	my $res = $ua->get("/admin/indicators.csv?$q");
	my %n;
	for (split /\r\n/, Encode::decode('UTF-8', $res->{content})) {
		my @c = split /,/;
		# Only this region's rows: other tests' regions may have exclusions too.
		$n{"$c[0]/$c[2]"} = $c[-1] if @c >= 8 && $c[-1] =~ /^\d+$/ && $c[0] eq $R;
	}
	return \%n;
}
my $keep0 = csv_rows($ag, 'excluded=keep');
my $drop0 = csv_rows($ag, '');
is_deeply $drop0, $keep0, 'nothing excluded: both views agree';

# ------------------------------------------------ exclude
my $csrf = T::csrf_from($page->{text});
my $res = $ag->post("/admin/integrity/response?id=$r1", [ csrf => $csrf, decision => 'excluded', note => '同一人代填' ]);
is $res->{status}, 303, 'excluded';
is T::db_value("SELECT decision FROM flag_reviews WHERE response_id = $r1"), 'excluded', '... stored';
like T::db_value("SELECT detail FROM audit_log WHERE action = 'flag-review' ORDER BY id DESC LIMIT 1"),
	qr/response=$r1 decision=excluded/, '... audited';
is T::db_value("SELECT in_sample FROM agg_counted WHERE response_id = $r1") & 2, 2,
	'... counted under the excluded key';
maintained_is_rebuilt('after the exclusion');
my $drop = csv_rows($ag, '');
my $keep = csv_rows($ag, 'excluded=keep');
is $drop->{"$R/excluded_responses"}, 1, 'the CSV says one response of the region was excluded';
my @less = grep { /^$R\// && $_ !~ /excluded/ && $keep->{$_} - $drop->{$_} == 1 } keys %$keep;
ok @less > 0, 'some indicators of the region count one response less without it' or diag scalar keys %$keep;
ok !(grep { ($drop->{$_} // 0) > ($keep->{$_} // 0) } grep { !/excluded/ } keys %$keep), '... none more';
my $all = T::db_value("SELECT COUNT(*) FROM flag_reviews fr JOIN responses r ON r.id = fr.response_id"
	. " WHERE fr.decision = 'excluded' AND r.status = 'submitted'");
like $ag->get('/admin/indicators')->{text}, qr/排除的答卷：$all 份，本页指标<strong>不含<\/strong>/,
	'the page says how many (nationally) it leaves out';
like $ag->get('/admin/indicators?excluded=keep')->{text}, qr/排除的答卷：$all 份，本页指标<strong>包含/,
	'... and when they are counted';
my $x = $ag->get('/admin/indicators.xlsx');
open my $xf, '>:raw', "/tmp/t64-$$.xlsx" or die $!;
print $xf $x->{content};
close $xf;
# Shared or inline strings, whichever the writer chose: every part of the file.
like scalar(`unzip -p /tmp/t64-$$.xlsx`), qr/excluded_responses/, 'the XLSX has the row too';
unlink "/tmp/t64-$$.xlsx";

# ------------------------------------------------ asked, with a note
$res = $ag->post("/admin/integrity/response?id=$r2", [ csrf => $csrf, decision => 'asked', note => '' ]);
is $res->{status}, 422, 'asking the region without a note: refused';
like $res->{text}, qr/请写明需要地区核实的内容/, '... says why at the field';
like $res->{text}, qr/value="asked" checked/, '... the choice kept';
# The note holds markup: the dossier shows it as text.
my $note2 = '请核实联系人 <img src=x onerror=alert(64)>';
$res = $ag->post("/admin/integrity/response?id=$r2", [ csrf => $csrf, decision => 'asked', note => $note2 ]);
is $res->{status}, 303, 'asked with a note';

# ------------------------------------------------ the region, the viewer
my $reg = Forms::login_as($acc->{region});
like $reg->get('/region/indicators')->{text}, qr/排除的答卷：1 份，本页指标<strong>不含/,
	"the region's indicators leave its excluded response out and say so";
my $home = $reg->get('/region');
like $home->{text}, qr/本地区有 2 份答卷正在接受评估机构的可信度审核，其中 1 份评估机构请本地区核实/,
	'the region sees how many are under review';
unlike $home->{text}, qr/雷同|neardup|作答过快/, '... never the rules';
is $reg->get('/admin/integrity')->{status}, 403, 'the region cannot open the queue';
is $reg->post("/admin/integrity/response?id=$r1", [ csrf => T::csrf_from($home->{text}), decision => 'none' ])->{status},
	403, '... nor decide';
my $viewer = T::demo_login('viewer');
is $viewer->get("/admin/integrity/response?id=$r1")->{status}, 403, 'the viewer cannot either';
like $ag->get('/admin')->{text}, qr/data-region="$R".*?class="flagged" data-flagged="2"/s,
	'national progress shows the flagged SME submissions beside the quota';

# ------------------------------------------------ the region's dossier
# Every indicator with and without the excluded response, how many were
# excluded, and the review's counts with its reasons: page, XLSX, PDF.
sub csv_values {
	my ($ua, $q) = @_;
	my %v;
	for (split /\r\n/, Encode::decode('UTF-8', $ua->get("/admin/indicators.csv?$q")->{content})) {
		my @c = split /,/, $_, -1;
		$v{ $c[2] } = [ $c[5], $c[7] ] if @c >= 8 && $c[0] eq $R;
	}
	return \%v;
}
my $without = csv_values($ag, '');
my $with = csv_values($ag, 'excluded=keep');
my @differ = grep { $_ ne 'excluded_responses' && $with->{$_}[1] != $without->{$_}[1] } keys %$with;
ok @differ > 0, 'some indicators of the region differ with and without the excluded response';
my $d = $ag->get("/agency/dossier?region=$R");
is $d->{status}, 200, 'the dossier page';
my %page;
while ($d->{text} =~ m{<tr id="i-(\w+)">(.*?)</tr>}gs) {
	my ($code, $row) = ($1, $2);
	my %col = $row =~ m{data-col="([\w-]+)">([^<]*)<}g;
	$_ = $_ eq '—' ? '' : $_ for values %col;
	$page{$code} = \%col;
}
my ($same, $n) = (0, 0);
for my $code (grep { $_ ne 'excluded_responses' } keys %$with) {
	next unless $page{$code};
	$n++;
	$same++ if $page{$code}{region} eq $without->{$code}[0] && $page{$code}{'region-all'} eq $with->{$code}[0]
		&& $page{$code}{n} == $without->{$code}[1] && $page{$code}{'n-all'} == $with->{$code}[1];
}
ok $n > 20, "... lists the region's indicators ($n)";
is $same, $n, '... each without the excluded response and with it, as /admin/indicators.csv has them';
ok((grep { $page{$_}{'n-all'} == $page{$_}{n} + 1 } @differ) == @differ, '... the excluded one counted only "with"');
like $d->{text}, qr/class="notice excluded-note" data-excluded="1" data-excluded-nation="$all">[^<]*本地区 1 份，全国 $all 份/,
	'... says how many were excluded';
like $d->{text}, qr/data-flagged="2" data-accepted="0" data-excluded="1" data-asked="1" data-pending="0">/,
	'... the review: 2 flagged, 1 excluded, 1 asked of the region';
like $d->{text}, qr{<tr data-rule="neardup"><td>与本地区其他答卷高度雷同</td><td class="num">2</td>}, '... per rule';
like $d->{text}, qr{<tr data-id="$r1">.*?与本地区其他答卷高度雷同.*?已排除（不计入评估指标）</td><td>同一人代填</td>}s,
	'... each flagged response with its rules, the decision and the note';
like $d->{text}, qr{<ul class="open-points">.*?1 份答卷已请地区核实}s, '... the question to the region is an open point';
ok index($d->{text}, '<img src=x') < 0 && index($d->{text}, '请核实联系人 &lt;img src=x onerror=alert(64)&gt;') >= 0,
	'... a note with markup shown as text';

my $xfile = "/tmp/t64-dossier-$$.xlsx";
{ open my $fh, '>:raw', $xfile or die $!; print $fh $ag->get("/agency/dossier.xlsx?region=$R")->{content}; close $fh }
my $json = `/usr/bin/python3 -c '
import sys, json, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(json.dumps({ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}))
' '$xfile'`;
unlink $xfile;
my $book = JSON::PP->new->utf8->decode($json || '{}');
my @ind = @{ $book->{评估指标} // [[]] };
is_deeply [ @{ $ind[0] }[3, 4, 8, 9] ], [ '本地区', '本地区（含排除的答卷）', '本地区n', '本地区n（含）' ],
	'the dossier XLSX: columns without and with';
my $num = sub { my ($got, $want) = @_; return (!defined $got && $want eq '') || (defined $got && $want ne '' && $got == $want) };
($same, $n) = (0, 0);
for my $row (@ind[1 .. $#ind]) {
	my $w = $with->{ $row->[0] } or next;
	next if $row->[0] eq 'excluded_responses';
	$n++;
	$same++ if $num->($row->[3], $without->{ $row->[0] }[0]) && $num->($row->[4], $w->[0])
		&& $row->[8] == $without->{ $row->[0] }[1] && $row->[9] == $w->[1];
}
ok $n > 20 && $same == $n, "... each value without and with as the CSV has them ($same of $n)";
my ($xrow) = grep { $_->[0] eq 'excluded_responses' } @ind;
is_deeply [ @{ $xrow // [] }[3, 5] ], [ 1, $all ], '... and the excluded count, region and nation';
my ($total) = grep { $_->[0] eq 'all' } @{ $book->{可信度审核} // [] };
is_deeply [ @{ $total // [] }[2 .. 6] ], [ 2, 0, 1, 1, 0 ], '... the review\'s counts';
ok((grep { $_->[0] eq $r1 && $_->[5] =~ /已排除/ && ($_->[6] // '') eq '同一人代填' } @{ $book->{被标记的答卷} // [] }),
	'... the flagged responses with decision and note');

my $pfile = "/tmp/t64-dossier-$$.pdf";
{ open my $fh, '>:raw', $pfile or die $!; print $fh $ag->get("/agency/dossier.pdf?region=$R")->{content}; close $fh }
my $text = Encode::decode('UTF-8', scalar `pdftotext -layout '$pfile' - 2>/dev/null`);
unlink $pfile;
$text =~ s/[ \t]+/ /g;
like $text, qr/排除的答卷：本地区 1 份，全国 $all 份/, 'the dossier PDF says how many were excluded';
like $text, qr/含排除的/, '... has the columns with them';
# A row whose code fits its column on one line: the code, content, the
# label's first line, the four values, the unit and the n without and with.
my ($pick) = grep { length($_) <= 11 && !grep { $_ eq '' } @{ $page{$_} }{qw(region region-all nation nation-all)} }
	sort @differ;
ok $pick, "an indicator to find in the PDF ($pick)";
my $p = $page{$pick} // {};
like $text, qr/\Q$pick\E [一二三四] \S+ \Q$p->{region}\E \Q$p->{'region-all'}\E \Q$p->{nation}\E \Q$p->{'nation-all'}\E \S+ $p->{n} $p->{'n-all'} /,
	"... its row without ($p->{region}, n $p->{n}) and with the excluded response ($p->{'region-all'}, n $p->{'n-all'})";
like $text, qr/被可信度规则标记的答卷 2 份：已接受 0 份，已排除 1 份，已请地区核实 1 份，尚待审核 0 份/,
	'... the review\'s counts';
like $text, qr/同一人代填/, '... and the agency\'s note';

# ------------------------------------------------ taken back
$res = $ag->post("/admin/integrity/response?id=$r1", [ csrf => $csrf, decision => 'none' ]);
is $res->{status}, 303, 'the exclusion is taken back';
is T::db_value("SELECT COUNT(*) FROM flag_reviews WHERE response_id = $r1"), 0, '... no decision left';
my $back = csv_rows($ag, '');
is_deeply { map { $_ => $keep->{$_} } grep { !/excluded/ } keys %$keep },
	{ map { $_ => $back->{$_} } grep { !/excluded/ } keys %$keep }, '... the indicators count it again';
maintained_is_rebuilt('after taking it back');

done_testing;
