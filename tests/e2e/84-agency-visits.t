#!/usr/bin/perl
# 84-agency-visits.t - site visits (issue 19, item 4): the agency plans a
# visit to Beijing (dates, team, objects on days, contact, what to
# prepare, findings); bad fields are refused at the field with what was
# typed kept; a stale form is refused; a unit of another region cannot be
# made an object. State changes are asked first (notify, done, cancel with
# a reason) and a change from the wrong state is refused. The region sees
# its visit once notified - schedule, team, what to prepare, never the
# findings - and confirms it; another region neither sees nor confirms it;
# the visited hub sees its visit, a window not visited does not. The A4
# notice is a PDF with embedded CJK fonts and the expected text.
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

my $agency = T::demo_login('agency');
my ($hub_u, $win1_u, $win2_u) = (T::demo_account('hub', 0, '110000'), T::demo_account('window', 0, '110000'),
	T::demo_account('window', 1, '110000'));
my ($hub, $win1, $win2, $sh_hub) = (uid_of($hub_u->{username}), uid_of($win1_u->{username}),
	uid_of($win2_u->{username}), uid_of(T::demo_account('hub', 0, '310000')->{username}));
my $me = uid_of('agency');

# ------------------------------------------------------------ create
my $csrf = T::csrf_from($agency->get('/agency/visits')->{text});
my $res = $agency->post('/agency/visits', [ csrf => $csrf, region => '110000', starts_on => '2013-11-20',
	ends_on => '2013-11-22' ]);
is $res->{status}, 303, 'the agency plans a visit';
my ($id) = ($res->{headers}{location} // '') =~ /id=(\d+)/;
ok $id, '... and lands on it';
my $page = "/agency/visits/visit?id=$id";
$res = $agency->get($page);
is $res->{status}, 200, 'the visit page';
like $res->{text}, qr/状态：计划中/, '... planned';
like $res->{text}, qr{name="unit\d+" value="$hub"}, "... offers the region's hub";
unlike $res->{text}, qr{name="unit\d+" value="$sh_hub"}, "... not another region's";
like $res->{text}, qr/2013年三季度建设情况和工作小结/, '... what to prepare, by default the notice\'s documents';
is $agency->post('/agency/visits', [ csrf => $csrf, region => '110000', starts_on => '2013-11-22',
	ends_on => '2013-11-20' ])->{status}, 400, 'an end before the start is refused';

my ($version) = $res->{text} =~ /name="version" value="(\d+)"/;
my $form = $res->{text};
my @plan = (csrf => $csrf, version => $version, starts_on => '2013-11-20', ends_on => '2013-11-22',
	team => $me, T::visit_objects($form, { 0 => '2013-11-20', $hub => '2013-11-21', $win1 => '2013-11-25' }),
	contact => '王联系', phone => 'not a phone', prepare => '项目批复文件', findings => "发现 <i>$tag</i>");
$res = $agency->post($page, \@plan);
is $res->{status}, 422, 'a day outside the visit and a bad phone are refused';
like $res->{text}, qr{<span class="field-error" id="e-objects">每个走访对象都要填写走访期间内的日期}, '... the day at the objects';
like $res->{text}, qr{<span class="field-error" id="e-phone">电话号码格式不对}, '... the phone at its field';
like $res->{text}, qr{name="unit(\d+)" value="$win1"></td><td><input type="date" name="day\1" value="2013-11-25"}, '... what was typed kept';
like $res->{text}, qr{发现 &lt;i&gt;\Q$tag\E&lt;/i&gt;</textarea>}, '... the findings too (escaped)';
is T::db_value("SELECT COUNT(*) FROM visit_objects WHERE visit_id = $id"), 0, '... nothing saved';

@plan = (csrf => $csrf, version => $version, starts_on => '2013-11-20', ends_on => '2013-11-22',
	team => $me, T::visit_objects($form, { 0 => '2013-11-20', $hub => '2013-11-21', $win1 => '2013-11-22' },
	[ [ $sh_hub, '2013-11-21' ] ]),
	contact => '王联系', phone => '010-68881234', prepare => '项目批复文件', findings => "发现 <i>$tag</i>");
$res = $agency->post($page, \@plan);
is $res->{status}, 303, 'a good plan is saved';
is_deeply [ T::db_query("SELECT COALESCE(unit_id, 0), day FROM visit_objects WHERE visit_id = $id ORDER BY day") ],
	[ [ 0, '2013-11-20' ], [ $hub, '2013-11-21' ], [ $win1, '2013-11-22' ] ],
	"... its objects, without the other region's hub slipped in";
is T::db_value("SELECT COUNT(*) FROM visit_team WHERE visit_id = $id AND user_id = $me"), 1, '... its team';
is $agency->post($page, \@plan)->{status}, 409, 'the same form again (stale version) is refused';

# -------------------------------------------------- before notification
my $bj = T::demo_login('region', 0, '110000');
unlike $bj->get('/agency/region')->{text}, qr/id="visit-$id"/, 'the region does not see a planned visit';

# --------------------------------------------------------------- states
$res = $agency->post("/agency/visits/state?id=$id", [ csrf => $csrf, action => 'done', confirm => 1 ]);
is $res->{status}, 409, 'done from planned is refused';
$res = $agency->post("/agency/visits/state?id=$id", [ csrf => $csrf, action => 'notify' ]);
is $res->{status}, 200, 'notify asks first';
like $res->{text}, qr/确认已将走访通知发给地区/, '... with the question';
is T::db_value("SELECT state FROM visits WHERE id = $id"), 'planned', '... nothing changed yet';
is $agency->post("/agency/visits/state?id=$id", [ csrf => $csrf, action => 'notify', confirm => 1 ])->{status}, 303,
	'confirmed: notified';
is T::db_value("SELECT state FROM visits WHERE id = $id"), 'notified', '... stored';

# ------------------------------------------------------ the region's view
$res = $bj->get('/agency/region');
like $res->{text}, qr{<article class="visit" id="visit-$id"><h3>2013-11-20 至 2013-11-22 · 已通知</h3>}, 'the region sees it';
like $res->{text}, qr{<li>2013-11-21：北京市中小企业公共服务平台</li>}, '... the schedule';
like $res->{text}, qr/评估机构走访人员：中国国际工程咨询公司/, '... the team';
unlike $res->{text}, qr/\Q$tag\E|发现/, '... never the findings';
my $sh = T::demo_login('region', 0, '310000');
unlike $sh->get('/agency/region')->{text}, qr/visit-$id/, 'another region does not see it';
my $sh_csrf = T::csrf_from($sh->get('/agency/region')->{text});
is $sh->post("/agency/region/confirm?id=$id", [ csrf => $sh_csrf ])->{status}, 404, '... nor confirms it';
my $bj_csrf = T::csrf_from($res->{text});
is $bj->post("/agency/region/confirm?id=$id", [ csrf => $bj_csrf ])->{status}, 303, 'the region confirms';
ok T::db_value("SELECT confirmed_at IS NOT NULL FROM visits WHERE id = $id"), '... recorded';
like $bj->get('/agency/region')->{text}, qr/本地区已于 \S+ \S+ 确认/, '... and shown';

# --------------------------------------------------- the visited units
my $hub_ua = T::demo_login('hub', 0, '110000');
$res = $hub_ua->get('/agency/unit/visits');
like $res->{text}, qr/走访本单位的日期：2013-11-21/, 'the visited hub sees its day';
like $res->{text}, qr{<li>2013-11-20：地区项目责任主体</li><li>2013-11-21：北京市中小企业公共服务平台</li>},
	'... the visit\'s schedule';
like $res->{text}, qr/评估机构走访人员：中国国际工程咨询公司/, '... and team';
my $win2_ua = T::demo_login('window', 1, '110000');
unlike $win2_ua->get('/agency/unit/visits')->{text}, qr/2013-11-20 至 2013-11-22/, 'a window not visited does not';

# --------------------------------------------------------------- notice
$res = $agency->get("/agency/visits/notice.pdf?id=$id");
is $res->{status}, 200, 'the visit notice';
like $res->{headers}{'content-type'}, qr{^application/pdf}, '... a PDF';
my $pdf = "$tmp/notice.pdf";
{ open my $fh, '>:raw', $pdf or die $!; print $fh $res->{content}; close $fh }
my $fonts = `pdffonts '$pdf' 2>&1`;
like $fonts, qr/NotoSansCJK\S*\s.*\byes\s+yes\b/, '... CJK font embedded (as a subset)';
unlike $fonts, qr/\bno\s+(?:yes|no)\s+(?:yes|no)\s+\d+\s+\d+\s*$/m, '... every font embedded';
my $text = Encode::decode('UTF-8', `pdftotext -layout '$pdf' - 2>/dev/null`);
like $text, qr/实地走访调查通知/, '... its title';
like $text, qr/北京市中小企业主管部门/, '... addressed to the region';
like $text, qr/2013-11-21\s+北京市中小企业公共服务平台/, '... the schedule';
like $text, qr/项目批复文件/, '... what to prepare';
like $text, qr/王联系，电话 010-68881234/, '... the contact';
unlike $text, qr/\Q$tag\E/, '... no findings';

# --------------------------------------------------------- cancel, done
$res = $agency->post("/agency/visits/state?id=$id", [ csrf => $csrf, action => 'cancel', confirm => 1, reason => '' ]);
is $res->{status}, 422, 'cancel without a reason is refused';
like $res->{text}, qr{<span class="field-error" id="e-reason">请填写取消原因}, '... at the field';
is $agency->post("/agency/visits/state?id=$id", [ csrf => $csrf, action => 'done', confirm => 1 ])->{status}, 303,
	'the visit is done';
$res = $agency->post('/agency/visits', [ csrf => $csrf, region => '110000', starts_on => '2013-12-10',
	ends_on => '2013-12-11' ]);
my ($id2) = ($res->{headers}{location} // '') =~ /id=(\d+)/;
$agency->post("/agency/visits/state?id=$id2", [ csrf => $csrf, action => 'notify', confirm => 1 ]);
is $agency->post("/agency/visits/state?id=$id2", [ csrf => $csrf, action => 'cancel', confirm => 1,
	reason => "日程冲突 $tag" ])->{status}, 303, 'a second visit is cancelled with a reason';
$res = $bj->get('/agency/region');
like $res->{text}, qr{2013-12-10 至 2013-12-11 · 已取消</h3><p>取消原因：日程冲突 \Q$tag\E}, '... the region sees why';
# The schedules and teams of all visits are read at once (issue 21): each
# stays with its own visit.
my %article = $res->{text} =~ m{<article class="visit" id="visit-(\d+)">(.*?)</article>}sg;
like $article{$id}, qr{<li>2013-11-21：北京市中小企业公共服务平台</li>.*评估机构走访人员：中国国际工程咨询公司}s,
	'... the first visit keeps its schedule and team';
like $article{$id2}, qr{<ul class="schedule"></ul><p>评估机构走访人员：待定</p>}, '... the second has none of them';
is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'visit-state' AND detail LIKE 'visit=$id2 %'"), 2,
	'state changes are audited';
is $bj->get($page)->{status}, 403, 'the region cannot open the agency\'s visit page';
is $hub_ua->get("/agency/visits/notice.pdf?id=$id")->{status}, 403, '... nor a unit the notice';

done_testing;
