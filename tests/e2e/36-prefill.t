#!/usr/bin/perl
# 36-prefill.t - known facts are not asked again (issue 9, item 6):
#   an SME registers with its invitation code; its questionnaire opens with
#   企业名称, 通信地址 and 邮编 from the sample frame and 联系人, 电话, Email
#   from the registration, as ordinary editable values; a different value
#   saved by the respondent is kept, never overwritten by the prefill; a hub
#   account opens its form with 单位名称 = its organisation name; a submitted
#   form shows what was stored, nothing prefilled.
# Test region T36P with a sample inserted directly (as 60-slips.t does).
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $R = 'T36P';
my $CODE = 'PQRS2345TUVW6789';
my $NAME = '预填测试科技有限公司';
sub q_ { T::sql_quote(@_) }

sub cleanup {
	T::db_query($_) for (
		"DELETE a FROM answers a JOIN responses p ON p.id = a.response_id"
		. " JOIN users u ON u.id = p.user_id WHERE u.region_code = '$R'",
		"DELETE p FROM responses p JOIN users u ON u.id = p.user_id WHERE u.region_code = '$R'",
		"DELETE FROM sample_units WHERE region_code = '$R'",
		"DELETE FROM samples WHERE region_code = '$R'",
		"DELETE s FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.region_code = '$R'",
		"DELETE FROM users WHERE region_code = '$R'",
		"DELETE FROM regions WHERE code = '$R'");
}

# The value attribute of the input f-CODE in a page (unescaped), or undef.
sub value_of {
	my ($html, $code) = @_;
	my ($tag) = $html =~ /(<input[^>]* id="f-\Q$code\E"[^>]*>)/ or return undef;
	my ($v) = $tag =~ / value="([^"]*)"/;
	$v //= '';
	$v =~ s/&quot;/"/g; $v =~ s/&lt;/</g; $v =~ s/&gt;/>/g; $v =~ s/&#39;/'/g; $v =~ s/&amp;/&/g;
	return $v;
}

cleanup();
T::db_query("INSERT INTO regions (code, name, help_phone) VALUES ('$R', '预填测试省', '0991-3636360')");
T::db_query("INSERT INTO samples (region_code, kind, method) VALUES ('$R', 'sme', 'uploaded')");
my $sample = T::db_value("SELECT id FROM samples WHERE region_code = '$R' AND kind = 'sme'");
T::db_query("INSERT INTO sample_units (sample_id, region_code, form, stratum, name, role, position, status,"
	. " address, zip, contact, phone, email, code_lookup) VALUES ($sample, '$R', 'sme', 'sme', " . q_($NAME)
	. ", 'selected', 1, 'active', '预填市测试路 36 号', '100036', '框架联系人', '010-00000000', '',"
	. " UNHEX(SHA2('$CODE', 256)))");

# ---------------------------------------------- register with the code
my $ua = T::new_agent();
my $res = $ua->get("/register?code=$CODE");
is $res->{status}, 200, 'the code opens the registration' or diag substr($res->{text}, 0, 600);
my $pw = 'Prefill-Test-Pass-2013';
$res = $ua->post('/register', [ csrf => T::csrf_from($res->{text}), action => 'code', code => $CODE,
	contact => '王五', phone => '010-36363636', email => 'wang@example.com', pw_mode => 'own',
	password => $pw, password2 => $pw ]);
is $res->{status}, 303, 'registered' or diag substr($res->{text}, 0, 600);

$res = $ua->get('/form/sme');
is $res->{status}, 200, 'the questionnaire opens';
my %want = (q1_name => $NAME, q1_addr => '预填市测试路 36 号', q1_zip => '100036',
	q1_contact => '王五', q1_tel => '010-36363636', q1_email => 'wang@example.com');
for my $code (sort keys %want) {
	is value_of($res->{text}, $code), $want{$code}, "$code prefilled ($want{$code})";
}
unlike $res->{text}, qr/<input[^>]* id="f-q1_(name|contact)"[^>]*(readonly|disabled)/, 'prefilled fields stay editable';
like $res->{text}, qr/状态：尚未填写/, 'nothing is stored by opening the form';
is T::db_value("SELECT COUNT(*) FROM responses p JOIN users u ON u.id = p.user_id WHERE u.region_code = '$R'"),
	0, '... no response row';

# ---------------------------- a value the respondent saved is kept
$res = $ua->post('/form/sme', [ csrf => T::csrf_from($res->{text}), action => 'save',
	version => 0, q1_contact => '赵六', q1_name => $NAME ]);
ok $res->{status} == 303 || $res->{status} == 200, 'a draft with another contact saved'
	or diag "status $res->{status}";
is T::db_value("SELECT a.value FROM answers a JOIN responses p ON p.id = a.response_id JOIN users u"
	. " ON u.id = p.user_id WHERE u.region_code = '$R' AND a.code = 'q1_contact'"), '赵六', '... stored';
$res = $ua->get('/form/sme');
is value_of($res->{text}, 'q1_contact'), '赵六', 'the saved contact is shown, not the registration\'s';
is value_of($res->{text}, 'q1_tel'), '', 'a field the saved draft left empty is not prefilled again (#17)';
T::db_query("UPDATE sample_units SET name = '改名后的企业' WHERE region_code = '$R'");
$res = $ua->get('/form/sme');
is value_of($res->{text}, 'q1_name'), $NAME, 'a saved name is not overwritten by a changed frame';

# ------------------------------- submitted: what was stored, nothing else
T::db_query("UPDATE responses p JOIN users u ON u.id = p.user_id SET p.status = 'submitted',"
	. " p.submitted_at = NOW() WHERE u.region_code = '$R'");
$res = $ua->get('/form/sme');
unlike $res->{text}, qr/010-36363636/, 'a submitted form shows no prefilled phone';

# ------------------------------------------ hub: its organisation name
T::db_query("INSERT INTO users (username, pw_hash, role, region_code, org_name, form) SELECT 'e2e-prefill-hub',"
	. " pw_hash, 'hub', '$R', '预填测试省中小企业公共服务平台', 'hub' FROM users u JOIN sample_units su"
	. " ON su.user_id = u.id WHERE su.region_code = '$R'");
my $hub = T::new_agent();
$res = $hub->login('e2e-prefill-hub', $pw);
$res = $hub->get('/form/hub');
is $res->{status}, 200, 'the hub form opens';
is value_of($res->{text}, 'org_name'), '预填测试省中小企业公共服务平台', "单位名称 is the account's organisation name";

cleanup();
done_testing();
