#!/usr/bin/perl
# 64-integrity-review.t - the agency's review (issue 20, items 3 and 4):
# two SMEs of region T64R submit the same answers (near-duplicates, the same
# contact); the queue at /admin/integrity lists them (filters by region,
# form, rule), each with its reasons, paradata and the other side by side;
# a decision (excluded) is audited, moves the response out of the
# indicators - CSV, XLSX and page say how many were excluded, excluded=keep
# counts it again - and the maintained aggregates equal rebuilt ones; a
# question to the region needs a note; taking the decision back restores
# everything. The region sees only how many are under review; region and
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
$res = $ag->post("/admin/integrity/response?id=$r2", [ csrf => $csrf, decision => 'asked', note => '请核实联系人' ]);
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

# ------------------------------------------------ taken back
$res = $ag->post("/admin/integrity/response?id=$r1", [ csrf => $csrf, decision => 'none' ]);
is $res->{status}, 303, 'the exclusion is taken back';
is T::db_value("SELECT COUNT(*) FROM flag_reviews WHERE response_id = $r1"), 0, '... no decision left';
my $back = csv_rows($ag, '');
is_deeply { map { $_ => $keep->{$_} } grep { !/excluded/ } keys %$keep },
	{ map { $_ => $back->{$_} } grep { !/excluded/ } keys %$keep }, '... the indicators count it again';
maintained_is_rebuilt('after taking it back');

done_testing;
