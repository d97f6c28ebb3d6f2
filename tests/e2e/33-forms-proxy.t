#!/usr/bin/perl
# 33-forms-proxy.t - a region enters paper questionnaires for the resource
# and sme accounts of its own region: /form/<form>/proxy lists them,
# /form/<form>?for=<user id> shows "代为录入：<org>" and posts back to itself,
# the response belongs to the respondent with proxy_user_id = the region
# user. Other regions' accounts, other roles and other forms are refused.
# Fresh accounts in regions T30E01 and T30E02.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $a = Forms::fresh_accounts('t30e', 'T30E01', 'T30E 测试省', [qw(region sme sme resource hub)]);
my $b = Forms::fresh_accounts('t30f', 'T30E02', 'T30F 测试省', [qw(region sme resource)]);
my $reg = Forms::login_as($a->{region});

sub form_action { my ($html) = @_; return $html =~ /<form class="survey" method="post" action="([^"]*)"/ ? Forms::unescape($1) : undef }

# ------------------------------------------------------------ the list
my $res = $reg->get('/form/sme/proxy');
is $res->{status}, 200, 'region opens the sme proxy list';
for my $k (qw(sme sme2)) {
	like $res->{text}, qr/\Q$a->{$k}{org_name}\E/, "lists $k of its region";
	like $res->{text}, qr{href="/form/sme\?for=$a->{$k}{id}"}, "links to /form/sme?for=<id> for $k";
}
unlike $res->{text}, qr/\Q$b->{sme}{org_name}\E/, "does not list another region's sme";
unlike $res->{text}, qr/\Q$a->{resource}{org_name}\E/, 'does not list accounts of another role';
$res = $reg->get('/form/resource/proxy');
like $res->{text}, qr{href="/form/resource\?for=$a->{resource}{id}"}, 'resource proxy list links to the resource account';
is $reg->get('/form/hub/proxy')->{status}, 403, 'no proxy entry for the hub form';
is $reg->get('/form/window?for=1')->{status}, 403, 'nor for the window form';
$res = $reg->get('/form/sme');
is $res->{status}, 303, 'a region opening /form/sme without for= ...';
is $res->{headers}{location}, '/form/sme/proxy', '... is sent to the list';

# ---------------------------------------------------- entering a paper form
my $f = Forms::load('sme');
my $vals = Forms::valid_values($f);
my $sme = $a->{sme};
$res = $reg->get("/form/sme?for=$sme->{id}");
is $res->{status}, 200, 'region opens the form for its sme';
like $res->{text}, qr/代为录入：\Q$sme->{org_name}\E/, 'banner names the organisation';
is form_action($res->{text}), "/form/sme?for=$sme->{id}", 'the form posts back with for=';
$res = $reg->post(form_action($res->{text}), [ @{ Forms::post_params($f, $vals) },
	csrf => T::csrf_from($res->{text}), version => 0, action => 'save' ]);
is $res->{status}, 303, 'draft saved by proxy';
is $res->{headers}{location}, "/form/sme?for=$sme->{id}&saved=1", 'redirect keeps for=';
my $row = Forms::response_row('sme', $sme->{id});
ok $row, "the response belongs to the sme account";
is $row->{proxy}, $a->{region}{id}, 'proxy_user_id is the region user';
is $row->{region}, 'T30E01', 'region of the respondent';
is Forms::response_row('sme', $a->{region}{id}), undef, 'no response under the region account';

$res = $reg->get("/form/sme?for=$sme->{id}&saved=1");
my @diff = Forms::diff_shown($f, Forms::form_values($res->{text}), Forms::expected_shown($f, $vals));
is scalar(@diff), 0, 'the proxied draft shows back' or diag join "\n", @diff;
like $res->{text}, qr{href="/form/sme/print\?for=$sme->{id}"}, 'print link keeps for=';
$res = $reg->post("/form/sme?for=$sme->{id}", [ @{ Forms::post_params($f, $vals) },
	csrf => T::csrf_from($res->{text}), version => 1, action => 'submit', confirm => 1 ]);
is $res->{status}, 303, 'submitted by proxy';
is $res->{headers}{location}, "/form/sme?for=$sme->{id}&submitted=1", 'thank-you redirect keeps for=';
$row = Forms::response_row('sme', $sme->{id});
is $row->{status}, 'submitted', 'status submitted';
is $row->{proxy}, $a->{region}{id}, 'still marked as entered by the region';
is_deeply Forms::stored_answers($row->{id}), Forms::stored($f, $vals), 'answers stored exactly';
like T::db_value("SELECT detail FROM audit_log WHERE action = 'form_submit' AND user_id = $a->{region}{id} ORDER BY id DESC LIMIT 1") // '',
	qr/^form=sme for=$sme->{id}$/, 'audit names the respondent (key=value, shown in Chinese on /admin/audit)';
like $reg->get("/form/sme/print?for=$sme->{id}")->{text}, qr/代为录入：.*状态：已提交/s, 'print view by proxy';
like $reg->get('/form/sme/proxy')->{text}, qr/已提交（代录）/, 'the list shows it as submitted by proxy';

# The respondent sees the submitted response as their own.
my $own = Forms::login_as($sme);
$res = $own->get('/form/sme');
like $res->{text}, qr/状态：已提交/, 'the sme sees its response as submitted';
unlike $res->{text}, qr/代为录入：/, 'without the proxy banner';

# ------------------------------------------------------------ refusals
for my $case ([ "another region's sme", $b->{sme}{id} ], [ 'an account of another role', $a->{resource}{id} ],
	[ 'a hub account', $a->{hub}{id} ], [ 'the region itself', $a->{region}{id} ],
	[ 'an unknown id', 999999999 ], [ 'a non-number', 'abc' ], [ 'an empty id', '' ]) {
	my ($what, $id) = @$case;
	is $reg->get("/form/sme?for=$id")->{status}, 403, "for= $what refused";
}
my $csrf = $reg->csrf_of("/form/sme?for=$a->{sme2}{id}");
$res = $reg->post("/form/sme?for=$b->{sme}{id}", [ @{ Forms::post_params($f, $vals) }, csrf => $csrf, action => 'save' ]);
is $res->{status}, 403, "POST for another region's sme refused";
is Forms::response_row('sme', $b->{sme}{id}), undef, 'nothing stored for it';
$res = $reg->post('/form/sme', [ @{ Forms::post_params($f, $vals) }, csrf => $csrf, action => 'save' ]);
is $res->{status}, 400, 'a region POST without for= refused';
is Forms::response_row('sme', $a->{sme2}{id}), undef, 'nothing stored for sme2';
my $breg = Forms::login_as($b->{region});
is $breg->get("/form/sme?for=$sme->{id}")->{status}, 403, "region 2 cannot open region 1's sme by proxy";
is $breg->get("/form/sme/print?for=$sme->{id}")->{status}, 403, 'nor its print view';
is $own->get("/form/sme?for=$a->{sme2}{id}")->{status}, 403, 'an sme cannot use for=';

# ------------------------------------------------------ resource by proxy
{
	my $rf = Forms::load('resource');
	my $rv = Forms::valid_values($rf);
	my $res = $reg->get("/form/resource?for=$a->{resource}{id}");
	like $res->{text}, qr/代为录入：\Q$a->{resource}{org_name}\E/, 'resource form by proxy shows the banner';
	$res = $reg->post(form_action($res->{text}), [ @{ Forms::post_params($rf, $rv) },
		csrf => T::csrf_from($res->{text}), action => 'save' ]);
	is $res->{status}, 303, 'resource draft saved by proxy';
	my $row = Forms::response_row('resource', $a->{resource}{id});
	is $row && $row->{proxy}, $a->{region}{id}, 'resource response marked as proxy entry';
	is $row && $row->{status}, 'draft', 'still a draft';
}

done_testing;
