#!/usr/bin/perl
# 39-deadline-shown.t - the deadline a page shows is the deadline enforced
# (issue 17, defect 1): with a national override for one form and regional
# overrides for others, the landing page (anonymous and logged in), the
# region's home, the ministry's progress page and the questionnaire itself
# show the date at which a save is refused, never the configured one.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $NATIONAL_SME = '2013-01-05 10:00:00';   # national, past: closes sme everywhere ...
my $SH_SME       = '2098-03-03 12:00:00';   # ... but 上海 has its own extension
my $BJ_HUB       = '2013-01-06 11:00:00';   # 北京's hub form closed early

sub cleanup {
	T::db_query("DELETE FROM deadline_overrides WHERE (form = 'sme' AND region_code IN ('', '310000'))"
		. " OR (form = 'hub' AND region_code = '110000')");
}
cleanup();
T::db_query("INSERT INTO deadline_overrides (form, region_code, due) VALUES ('sme', '', '$NATIONAL_SME'),"
	. " ('sme', '310000', '$SH_SME'), ('hub', '110000', '$BJ_HUB')");

# The date a save is refused with, from the refusal itself.
sub refused_at {
	my ($ua, $form) = @_;
	my $csrf = $ua->csrf_of('/');
	my $res = $ua->post("/form/$form", [ csrf => $csrf, action => 'save', version => 0 ]);
	my ($at) = $res->{text} =~ /填报已于 (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) 截止/;
	return $at;
}

my $bj_sme = T::demo_login('sme', 0, '110000');
my $bj_hub = T::demo_login('hub', 0, '110000');
my $sh_sme = T::demo_login('sme', 0, '310000');

is refused_at($bj_sme, 'sme'), $NATIONAL_SME, 'bj sme: a save is refused at the national override';
is refused_at($bj_hub, 'hub'), $BJ_HUB, 'bj hub: a save is refused at the regional override';
is refused_at($sh_sme, 'sme'), undef, 'sh sme: the regional extension keeps the form open';

# Every page that shows a deadline, and what it must show.
my $anon = T::new_agent();
my @pages = (
	[ 'landing, anonymous', $anon, '/', [ $NATIONAL_SME ] ],
	[ 'landing, bj sme', $bj_sme, '/', [ $NATIONAL_SME ] ],
	[ 'landing, sh sme', $sh_sme, '/', [ $SH_SME ] ],
	[ 'sme form, bj', $bj_sme, '/form/sme', [ $NATIONAL_SME ] ],
	[ 'hub form, bj', $bj_hub, '/form/hub', [ $BJ_HUB ] ],
	[ 'sme form, sh', $sh_sme, '/form/sme', [ $SH_SME ] ],
	[ 'region home, bj', T::demo_login('region', 0, '110000'), '/region', [ $NATIONAL_SME, $BJ_HUB ] ],
	[ 'region home, sh', T::demo_login('region', 0, '310000'), '/region', [ $SH_SME ] ],
	[ 'national progress', T::demo_login('admin'), '/admin', [ $NATIONAL_SME ] ],
);
for my $p (@pages) {
	my ($what, $ua, $path, $want) = @$p;
	my $res = $ua->get($path);
	is $res->{status}, 200, "$what: $path";
	like $res->{text}, qr/\Q$_\E/, "$what shows $_" for @$want;
}

# The configured survey deadline is still what the forms without an override show.
my $conf = T::app_conf()->{deadline_survey} // '';
like $anon->get('/')->{text}, qr/\Q$conf\E/, "the landing page shows the configured deadline ($conf) of the other forms"
	if $conf ne '';
unlike $bj_hub->get('/')->{text}, qr/中小企业调查表[^<]*截止时间：\Q$conf\E/,
	'the landing page does not give the configured date for the closed sme form';

cleanup();
done_testing();
