#!/usr/bin/perl
# 85-agency-symposiums.t - symposiums (issue 19, item 5): held only at a
# construction unit the visit goes to; participants only from the region's
# own sample (another region's unit refuses the whole list, at its field);
# the unit that submitted its questionnaire is offered first; the
# invitation list and the attendance sheet are PDFs with embedded CJK fonts
# and the participants' names; attendance and minutes (escaped) and a file
# of the minutes are recorded.
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

T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my $tmp = tempdir(CLEANUP => 1);
sub uid_of { return T::db_value('SELECT id FROM users WHERE username = ' . T::sql_quote($_[0])) }
my $tag = "$$-" . time;
my $invited = "status = 'active' AND (role = 'selected' OR replaces_id IS NOT NULL)";

my $agency = T::demo_login('agency');
my $hub = uid_of(T::demo_account('hub', 0, '110000')->{username});
my $win2 = uid_of(T::demo_account('window', 1, '110000')->{username});
my $csrf = T::csrf_from($agency->get('/agency/visits')->{text});

# A visit to Beijing whose only unit is the hub.
my $res = $agency->post('/agency/visits', [ csrf => $csrf, region => '110000', starts_on => '2013-11-26',
	ends_on => '2013-11-27' ]);
my ($visit) = ($res->{headers}{location} // '') =~ /id=(\d+)/;
my $vpage = $agency->get("/agency/visits/visit?id=$visit")->{text};
my ($version) = $vpage =~ /name="version" value="(\d+)"/;
is $agency->post("/agency/visits/visit?id=$visit", [ csrf => $csrf, version => $version, starts_on => '2013-11-26',
	ends_on => '2013-11-27', T::visit_objects($vpage, { $hub => '2013-11-26' }), prepare => 'x', findings => '' ])->{status},
	303, 'a visit to the hub';

# ------------------------------------------------------------- create
is $agency->post("/agency/symposiums?id=$visit", [ csrf => $csrf, host => $win2, day => '2013-11-26', place => '' ])
	->{status}, 400, 'a symposium at a unit the visit does not go to is refused';
$res = $agency->post("/agency/symposiums?id=$visit", [ csrf => $csrf, host => $hub, day => '2013-11-26',
	place => '枢纽平台会议室' ]);
is $res->{status}, 303, 'a symposium at the visited hub';
my ($sym) = ($res->{headers}{location} // '') =~ /id=(\d+)/;
my $page = "/agency/symposiums/symposium?id=$sym";
like $agency->get("/agency/visits/visit?id=$visit")->{text}, qr{href="\Q$page\E">2013-11-26</a></td><td>北京市中小企业公共服务平台},
	'... listed on the visit';

# ----------------------------------------------------- who is offered
# The demo SME bj-sme1 is bound to a selected unit: submitted, it comes first.
my $sme_user = uid_of(T::demo_account('sme', 0, '110000')->{username});
my $sme_unit = T::db_value("SELECT id FROM sample_units WHERE user_id = $sme_user");
T::db_query("INSERT INTO responses (form, user_id, region_code, status, valid, version, submitted_at)"
	. " VALUES ('sme', $sme_user, '110000', 'submitted', 1, 1, NOW()) ON DUPLICATE KEY UPDATE status = 'submitted',"
	. " submitted_at = COALESCE(submitted_at, NOW())");
$res = $agency->get($page);
is $res->{status}, 200, 'the symposium page';
my @offered = $res->{text} =~ /name="unit" value="(\d+)"/g;
is $offered[0], $sme_unit, 'the unit that submitted is offered first';
my @bj = map { $_->[0] } T::db_query("SELECT id FROM sample_units WHERE region_code = '110000' AND $invited"
	. " AND id <> $sme_unit ORDER BY id LIMIT 2");
my ($sh) = map { $_->[0] } T::db_query("SELECT id FROM sample_units WHERE region_code = '310000' AND $invited LIMIT 1");
is scalar(@offered), T::db_value("SELECT COUNT(*) FROM sample_units WHERE region_code = '110000' AND $invited"),
	"every invited unit of the region's sample is offered";
ok !(grep { $_ == $sh } @offered), "... none of another region's";

# ---------------------------------------------------------- invitations
$res = $agency->post("/agency/symposiums/invite?id=$sym", [ csrf => $csrf, unit => $sme_unit, unit => $sh ]);
is $res->{status}, 422, "another region's unit is refused";
like $res->{text}, qr{<p class="field-error" id="e-units" role="alert">只能从本地区的样本中选择参会单位}, '... at the list';
is T::db_value("SELECT COUNT(*) FROM symposium_participants WHERE symposium_id = $sym"), 0, '... nothing saved';
is $agency->post("/agency/symposiums/invite?id=$sym", [ csrf => $csrf, unit => 999999999 ])->{status}, 422,
	'a unit that does not exist is refused too';
$res = $agency->post("/agency/symposiums/invite?id=$sym", [ csrf => $csrf, unit => $sme_unit, unit => $bj[0],
	unit => $bj[1] ]);
is $res->{status}, 303, 'three units of the sample are invited';
is T::db_value("SELECT COUNT(*) FROM symposium_participants WHERE symposium_id = $sym"), 3, '... stored';
is $agency->post("/agency/symposiums/invite?id=$sym", [ csrf => $csrf, unit => $sme_unit, unit => $bj[0] ])->{status},
	303, 'the list changes';
is_deeply [ map { $_->[0] } T::db_query("SELECT sample_unit_id FROM symposium_participants WHERE symposium_id = $sym"
	. " ORDER BY sample_unit_id") ], [ sort { $a <=> $b } $sme_unit, $bj[0] ], '... to the units posted';
is T::db_value("SELECT detail FROM audit_log WHERE action = 'symposium-invite' ORDER BY id DESC LIMIT 1"),
	"symposium=$sym invited=2", '... audited';

# ------------------------------------------------------------------ PDFs
my %names = map { $_->[0] => $_->[1] } T::db_query("SELECT id, name FROM sample_units WHERE id IN ($sme_unit, $bj[0])");
for my $which ([ 'invitations', '座谈会邀请名单' ], [ 'attendance', '座谈会签到表' ]) {
	my ($path, $title) = @$which;
	$res = $agency->get("/agency/symposiums/$path.pdf?id=$sym");
	is $res->{status}, 200, "the $path PDF";
	my $f = "$tmp/$path.pdf";
	{ open my $fh, '>:raw', $f or die $!; print $fh $res->{content}; close $fh }
	like `pdffonts '$f' 2>&1`, qr/NotoSansCJK\S*\s.*\byes\s+yes\b/, '... CJK font embedded';
	my $text = Encode::decode('UTF-8', `pdftotext -layout '$f' - 2>/dev/null`);
	like $text, qr/\Q$title\E/, "... titled $title";
	like $text, qr/2013-11-26/, '... dated';
	for my $n (values %names) {
		(my $start = substr($n, 0, 6)) =~ s/\s+//g;
		like $text, qr/\Q$start\E/, "... lists $start";
	}
	like $text, qr/签到/, '... with a column to sign' if $path eq 'attendance';
}

# ------------------------------------------------- attendance, minutes, files
$res = $agency->post("/agency/symposiums/attendance?id=$sym", [ csrf => $csrf, came => $sme_unit,
	minutes => "企业反映服务好 <b>$tag</b>" ]);
is $res->{status}, 303, 'attendance and minutes are saved';
is_deeply [ T::db_query("SELECT sample_unit_id, attended FROM symposium_participants WHERE symposium_id = $sym"
	. " ORDER BY attended DESC") ], [ [ $sme_unit, 1 ], [ $bj[0], 0 ] ], '... who came and who did not';
is T::db_value("SELECT detail FROM audit_log WHERE action = 'symposium-attendance' ORDER BY id DESC LIMIT 1"),
	"symposium=$sym came=1", '... audited';
# Nobody ticked: every participant did not come (the empty list of ids).
is $agency->post("/agency/symposiums/attendance?id=$sym", [ csrf => $csrf, minutes => "x" ])->{status}, 303,
	'an attendance with nobody ticked is saved';
is T::db_value("SELECT COUNT(*) FROM symposium_participants WHERE symposium_id = $sym AND attended = 0"), 2,
	'... nobody came';
$agency->post("/agency/symposiums/attendance?id=$sym", [ csrf => $csrf, came => $sme_unit,
	minutes => "企业反映服务好 <b>$tag</b>" ]);
$res = $agency->get($page);
like $res->{text}, qr{企业反映服务好 &lt;b&gt;\Q$tag\E&lt;/b&gt;</textarea>}, '... the minutes shown, escaped';
like $res->{text}, qr{name="came" value="$sme_unit" checked}, '... the attendance shown';
my $pdf = "%PDF-1.4\n% minutes scan $tag\n%%EOF\n";
$res = $agency->post_multipart("/agency/symposiums/upload?id=$sym", [ csrf => $csrf,
	file => { filename => '纪要扫描.pdf', content => $pdf } ]);
is $res->{status}, 303, 'a file of the minutes is uploaded';
$res = $agency->get($page);
my ($fid) = $res->{text} =~ m{href="/agency/symposiums/file\?id=(\d+)">纪要扫描\.pdf</a>};
ok $fid, '... listed';
is $agency->get("/agency/symposiums/file?id=$fid")->{content}, $pdf, '... and served back';
$res = $agency->post_multipart("/agency/symposiums/upload?id=$sym", [ csrf => $csrf,
	file => { filename => 'x.pdf', content => "plain text $tag" } ]);
is $res->{status}, 422, 'a file that is no PDF is refused';
like $res->{text}, qr{<span class="field-error" id="e-file">文件内容与扩展名不符}, '... at the field';
like $agency->get("/agency/visits/visit?id=$visit")->{text}, qr{<td>2</td><td>1</td><td>已记录</td>},
	'the visit shows invited, came, minutes';
is T::demo_login('region', 0, '110000')->get($page)->{status}, 403, 'the region cannot open a symposium';

T::db_query("DELETE FROM responses WHERE user_id = $sme_user AND form = 'sme'");
done_testing;
