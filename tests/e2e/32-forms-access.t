#!/usr/bin/perl
# 32-forms-access.t - who may open which questionnaire: anonymous visitors
# are sent to /login, other roles get 403, a respondent only ever sees their
# own response (id-like parameters are ignored), one region cannot reach
# another region's self-evaluation, POSTs without or with a wrong CSRF token
# store nothing, and a per-region deadline in the past closes the form.
# Fresh accounts in regions T30C01 and T30C02.
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

my $a1 = Forms::fresh_accounts('t30c', 'T30C01', 'T30C 测试省', [qw(region window sme sme)]);
my $a2 = Forms::fresh_accounts('t30d', 'T30C02', 'T30D 测试省', [qw(region sme)]);
my %F = map { $_ => Forms::load($_) } Forms::names();

sub count_responses {
	my ($user_id) = @_;
	return T::db_value("SELECT COUNT(*) FROM responses WHERE user_id = " . int($user_id));
}

# Saves a draft of form for an agent with a marker in its first text field.
sub save_marked {
	my ($ua, $name, $marker) = @_;
	my $f = $F{$name};
	my $vals = Forms::valid_values($f);
	my ($tf) = grep { $_->{type} =~ /^(text|textarea|org_name)$/ && exists $vals->{ $_->{code} } } @{ $f->{fields} };
	$vals->{ $tf->{code} } = $marker;
	my $page = $ua->get("/form/$name");
	my $res = $ua->post("/form/$name", [ @{ Forms::post_params($f, $vals) },
		csrf => T::csrf_from($page->{text}), action => 'save' ]);
	return $res;
}

# ------------------------------------------------------------ anonymous
{
	my $anon = T::new_agent();
	for my $name (Forms::names()) {
		my $res = $anon->get("/form/$name");
		is $res->{status}, 303, "anonymous GET /form/$name redirected";
		like $res->{headers}{location} // '', qr{^/login\b}, "anonymous GET /form/$name goes to /login";
	}
	my $before = T::db_value('SELECT COUNT(*) FROM responses');
	my $res = $anon->post('/form/sme', [ q1_name => '匿名', action => 'submit', confirm => 1 ]);
	ok $res->{status} == 303 || $res->{status} == 403, "anonymous POST refused (HTTP $res->{status})";
	unlike $res->{headers}{location} // '', qr{^/form}, 'anonymous POST not accepted';
	is T::db_value('SELECT COUNT(*) FROM responses'), $before, 'anonymous POST stored nothing';
	is $anon->get('/form/selfeval/file')->{status}, 303, 'anonymous file download redirected to login';
}

# ------------------------------------------------------------ wrong role
{
	my $win = Forms::login_as($a1->{window});
	is $win->get('/form/hub')->{status}, 403, 'a window account cannot open /form/hub';
	is $win->get('/form/hub/print')->{status}, 403, 'nor /form/hub/print';
	is $win->get('/form/selfeval')->{status}, 403, 'nor the self-evaluation';
	is $win->get('/form/sme/proxy')->{status}, 403, 'nor the proxy list';
	my $csrf = $win->csrf_of('/form/window');
	is $win->post('/form/hub', [ csrf => $csrf, action => 'save', org_name => 'x' ])->{status}, 403,
		'a window account cannot post /form/hub';
	is count_responses($a1->{window}{id}), 0, 'nothing stored for the window account';
	is $win->get('/form/window/blank')->{status}, 200, 'blank forms are open to everyone';
}

# ------------------------------------------- own response only (same region)
{
	my $s1 = Forms::login_as($a1->{sme});
	my $s2 = Forms::login_as($a1->{sme2});
	my $marker = 'T30C-私密标记-sme2';
	is save_marked($s2, 'sme', $marker)->{status}, 303, 'sme2 saved a draft';
	my $rid = Forms::response_row('sme', $a1->{sme2}{id})->{id};
	for my $q ("?id=$rid", "?response_id=$rid", "?user_id=$a1->{sme2}{id}", "?user=$a1->{sme2}{username}") {
		for my $p ('', '/print') {
			my $res = $s1->get("/form/sme$p$q");
			unlike $res->{text}, qr/\Q$marker\E/, "sme1 GET /form/sme$p$q does not show sme2's answers";
		}
	}
	is $s1->get("/form/sme?for=$a1->{sme2}{id}")->{status}, 403, 'an sme account cannot use for= (proxy)';
	is $s1->get("/form/sme/print?for=$a1->{sme2}{id}")->{status}, 403, 'nor for the print view';
	is $s1->get('/form/sme/proxy')->{status}, 403, 'an sme account cannot open the proxy list';
	like $s2->get('/form/sme')->{text}, qr/\Q$marker\E/, 'sme2 sees its own draft';
}

# ------------------------------------- another region's self-evaluation
{
	my $r1 = Forms::login_as($a1->{region});
	my $r2 = Forms::login_as($a2->{region});
	my $marker = 'T30D-自评估-机密';
	my $f = $F{selfeval};
	my $vals = Forms::valid_values($f);
	$vals->{p4_conclusions} = $marker if exists $vals->{p4_conclusions};
	my $page = $r2->get('/form/selfeval');
	my $res = $r2->post_multipart('/form/selfeval', [ @{ Forms::post_params($f, $vals) },
		csrf => T::csrf_from($page->{text}), action => 'save',
		report_file => { filename => 'T30D报告.pdf', content => Forms::small_pdf('T30D'), content_type => 'application/pdf' } ]);
	is $res->{status}, 303, 'region 2 saved its self-evaluation with a report';
	my $rid = Forms::response_row('selfeval', $a2->{region}{id})->{id};
	for my $q ("?id=$rid", "?response_id=$rid", "?user_id=$a2->{region}{id}", "?region=T30C02",
		"?region_code=T30C02", "?for=$a2->{region}{id}") {
		for my $p ('', '/print', '/file') {
			my $res = $r1->get("/form/selfeval$p$q");
			unlike $res->{text} // '', qr/\Q$marker\E|T30D/, "region 1 GET /form/selfeval$p$q shows nothing of region 2";
		}
	}
	is $r1->get("/form/selfeval/print?for=$a2->{region}{id}")->{status}, 403,
		'for= is refused on the self-evaluation';
	is $r1->get('/form/selfeval/file')->{status}, 404, 'region 1 has no report to download';
	is $r1->get("/form/hub?for=$a2->{region}{id}")->{status}, 403, 'a region cannot open the hub form';
}

# ------------------------------------------------------------------ CSRF
{
	my $s1 = Forms::login_as($a1->{sme});
	my $other = Forms::login_as($a1->{sme2});
	my $f = $F{sme};
	my @p = @{ Forms::post_params($f, Forms::valid_values($f)) };
	my $before = count_responses($a1->{sme}{id});
	is $before, 0, 'sme1 has no response yet';
	my $res = $s1->post('/form/sme', [ @p, action => 'submit', confirm => 1 ]);
	is $res->{status}, 403, 'POST without csrf refused';
	like $res->{text}, qr/页面已过期/, 'with a Chinese message';
	$res = $s1->post('/form/sme', [ @p, csrf => 'x' x 64, action => 'submit', confirm => 1 ]);
	is $res->{status}, 403, 'POST with a wrong csrf refused';
	$res = $s1->post('/form/sme', [ @p, csrf => $other->csrf_of('/form/sme'), action => 'submit', confirm => 1 ]);
	is $res->{status}, 403, "POST with another session's csrf refused";
	is count_responses($a1->{sme}{id}), 0, 'nothing stored by the refused POSTs';
	$res = $s1->post('/form/sme', [ @p, csrf => $s1->csrf_of('/form/sme'), action => 'bogus' ]);
	is $res->{status}, 400, 'unknown action refused';
	is count_responses($a1->{sme}{id}), 0, 'nothing stored by an unknown action';
}

# -------------------------------------------------------------- deadline
{
	my $s1 = Forms::login_as($a1->{sme});
	my $f = $F{sme};
	my @p = @{ Forms::post_params($f, Forms::valid_values($f)) };
	my $csrf = $s1->csrf_of('/form/sme');
	T::db_query("REPLACE INTO deadline_overrides (form, region_code, due) VALUES ('sme', 'T30C01', '2013-11-30 18:00:00')");
	my $res = $s1->get('/form/sme');
	like $res->{text}, qr/填报已于 2013-11-30 18:00:00 截止/, 'past deadline shown on the form';
	unlike $res->{text}, qr/<form class="survey"/, 'the form is read-only after the deadline';
	$res = $s1->post('/form/sme', [ @p, csrf => $csrf, action => 'submit', confirm => 1 ]);
	like $res->{text}, qr/填报已截止，本次修改未保存/, 'submit after the deadline refused with a message';
	is count_responses($a1->{sme}{id}), 0, 'nothing stored after the deadline';
	$res = $s1->post('/form/sme', [ @p, csrf => $csrf, action => 'save' ]);
	like $res->{text}, qr/填报已截止/, 'save after the deadline refused too';
	is count_responses($a1->{sme}{id}), 0, 'still nothing stored';
	# Another region's deadline does not apply.
	my $o = Forms::login_as($a2->{sme});
	like $o->get('/form/sme')->{text}, qr/<form class="survey"/, "another region's form stays open";
	T::db_query("DELETE FROM deadline_overrides WHERE form = 'sme' AND region_code = 'T30C01'");
	$res = $s1->post('/form/sme', [ @p, csrf => $csrf, action => 'submit', confirm => 1 ]);
	is $res->{status}, 303, 'after removing the override the submit goes through';
	is Forms::response_row('sme', $a1->{sme}{id})->{status}, 'submitted', 'and is stored as submitted';
}

done_testing;
