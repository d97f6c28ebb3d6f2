#!/usr/bin/perl
# 57-large-region.t - region pages for large regions (issue 13 item 3):
#   a region with a frame of 3,000 SMEs (imported with the CLI) and a sample
#   of 2,500 (drawn on the web page), 2,500 SME accounts: the progress page,
#   the sample page (SME stratum), the slips funnel and the follow-up list
#   are paged by key; following their "下一页" links reaches every account
#   or unit exactly once, no page is over 200 KB, and the search finds a
#   unit by name.
#
# Uses its own region T57A01 and accounts t57-*.
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
-x $cli or BAIL_OUT("$cli is missing: run make first");
my $tmp = tempdir(CLEANUP => 1);
my $R = 'T57A01';
my ($NFRAME, $NSAMPLE) = (3000, 2500);

sub cleanup {
	T::db_query("DELETE FROM followups WHERE region_code = '$R'");
	T::db_query("UPDATE sample_units SET user_id = NULL WHERE region_code = '$R'");
	T::db_query("DELETE p FROM responses p JOIN users u ON u.id = p.user_id WHERE u.username LIKE 't57-%'");
	T::db_query("DELETE su FROM sample_units su JOIN samples s ON s.id = su.sample_id WHERE s.region_code = '$R'");
	T::db_query("DELETE FROM samples WHERE region_code = '$R'");
	T::db_query("DELETE FROM revoked_codes WHERE region_code = '$R'");
	T::db_query("DELETE FROM frames WHERE region_code = '$R'");
	T::db_query("DELETE s FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username LIKE 't57-%'");
	T::db_query("DELETE FROM users WHERE username LIKE 't57-%'");
}
cleanup();
T::db_query("INSERT IGNORE INTO regions (code, name, help_phone) VALUES ('$R', '测试五七省', '0957-5757570')");

my $pw = 'T57-Region-pass-word';
{
	open my $fh, '>:encoding(UTF-8)', "$tmp/accounts.csv" or die $!;
	print $fh "username,initial_password,role,region_code,org_name,form\n",
		"t57-a,$pw,region,$R,测试五七省经信委,selfeval\n";
	close $fh;
	my $out = `'$cli' --conf '$conf' import-accounts '$tmp/accounts.csv' 2>&1`;
	is $? >> 8, 0, 'region account imported' or diag $out;
}
# The frame, generated here: 3,000 SMEs with contacts and phones.
{
	open my $fh, '>:encoding(UTF-8)', "$tmp/sme.csv" or die $!;
	print $fh "企业名称,联系人,电话\n";
	printf $fh "五七企业%05d有限公司,联系人%05d,1395700%04d\n", $_, $_, $_ for 1 .. $NFRAME;
	close $fh;
	my $out = `'$cli' --conf '$conf' import-frame $R sme '$tmp/sme.csv' 2>&1`;
	is $? >> 8, 0, "a frame of $NFRAME SMEs imported (CLI)" or diag $out;
}
my $A = T::new_agent();
$A->login('t57-a', $pw);
ok $A->logged_in, 'region logs in';
{
	my $csrf = T::csrf_from($A->get('/region/sample')->{text});
	my $d = $A->post('/region/sample', [ csrf => $csrf, action => 'draw', kind => 'sme', seed => '5757', sme_n => $NSAMPLE, confirm => 1 ]);
	is $d->{status}, 303, "a sample of $NSAMPLE SMEs drawn";
}
my @selected = map { $_->[0] } T::db_query(
	"SELECT id FROM sample_units WHERE region_code = '$R' AND role = 'selected' ORDER BY id");
is scalar @selected, $NSAMPLE, "$NSAMPLE selected units";
# An account for every selected SME, bound to its unit (as registration does).
T::db_query("INSERT INTO users (username, pw_hash, role, region_code, org_name, form)" .
	" SELECT CONCAT('t57-sme-', id), 'x', 'sme', '$R', name, 'sme' FROM sample_units" .
	" WHERE region_code = '$R' AND role = 'selected'");
T::db_query("UPDATE sample_units su JOIN users u ON u.username = CONCAT('t57-sme-', su.id)" .
	" SET su.user_id = u.id, su.registered_at = NOW() WHERE su.region_code = '$R' AND su.id MOD 2 = 0");
my @accounts = map { $_->[0] } T::db_query("SELECT id FROM users WHERE region_code = '$R' AND form <> '' ORDER BY id");

sub unescape { my $s = shift; $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&#39;/'/g; $s =~ s/&amp;/&/g; return $s }
# Follows "下一页" (rel="next") from $path; returns the ids matched by $re on
# each page (with counts), the number of pages and the largest page.
sub walk {
	my ($path, $re, $section) = @_;
	my (%seen, $pages, $max);
	my $url = $path;
	while ($url && $pages++ < 500) {
		my $res = $A->get($url);
		is $res->{status}, 200, "GET $url" if $pages == 1;
		$res->{status} == 200 or do { fail "GET $url: $res->{status}"; last };
		$max = length $res->{content} if !$max || length $res->{content} > $max;
		my $t = $res->{text};
		($t) = $t =~ $section if $section;
		$seen{$_}++ for ($t // '') =~ m{$re}g;
		$url = ($t // '') =~ m{<a rel="next" href="([^"]+)"|<a href="([^"]+)" rel="next"} ? unescape($1 // $2) : undef;
	}
	return (\%seen, $pages, $max);
}
sub once {
	my ($what, $want, $seen, $pages, $max) = @_;
	is_deeply [ sort { $a <=> $b } keys %$seen ], [ sort { $a <=> $b } @$want ], "$what: every one reached ($pages pages)";
	is scalar(grep { $_ != 1 } values %$seen), 0, "$what: each exactly once";
	ok $max < 200_000, "$what: largest page $max bytes < 200 KB";
}

# The progress page: every account of the region.
once('progress', \@accounts, walk('/region/progress', qr{<tr data-account="(\d+)">}));
# The sample page, SME stratum: every selected unit.
once('sample', \@selected, walk('/region/sample', qr{<tr id="unit-(\d+)">}, qr{(<h3 id="sme-sme">.*?)(?:<h3|</section>)}s));
# The slips funnel: every invited unit.
once('slips', \@selected, walk('/region/slips', qr{<tr data-unit="(\d+)">}));
# The follow-up list: every unit not yet submitted (all of them).
once('followups', \@selected, walk('/region/followups', qr{<tr data-unit="(\d+)">}));

# Search by name on each page.
{
	my $name = T::db_value("SELECT name FROM sample_units WHERE id = $selected[1234]");
	my ($num) = $name =~ /(\d{5})/;
	my $q = join '', map { sprintf '%%%02X', ord } split //, Encode::encode('UTF-8', "企业$num");
	my ($s) = walk("/region/sample?q=$q", qr{<tr id="unit-(\d+)">}, qr{(<h3 id="sme-sme">.*?)(?:<h3|</section>)}s);
	is_deeply [ keys %$s ], [ $selected[1234] ], "sample: search finds $name";
	($s) = walk("/region/slips?q=$q", qr{<tr data-unit="(\d+)">});
	is_deeply [ keys %$s ], [ $selected[1234] ], 'slips: search finds it';
	($s) = walk("/region/followups?q=$q", qr{<tr data-unit="(\d+)">});
	is_deeply [ keys %$s ], [ $selected[1234] ], 'followups: search finds it';
	my $acc = T::db_value("SELECT id FROM users WHERE username = 't57-sme-$selected[1234]'");
	($s) = walk("/region/progress?q=$q", qr{<tr data-account="(\d+)">});
	is_deeply [ keys %$s ], [ $acc ], 'progress: search finds its account';
	($s) = walk('/region/progress?form=selfeval', qr{<tr data-account="(\d+)">});
	is scalar(keys %$s), 1, 'progress: filter by form';
}
# The funnel's counts are over the whole region, not the page shown.
{
	my $t = $A->get('/region/slips')->{text};
	like $t, qr{<th scope="row">抽中单位</th><td>$NSAMPLE</td>}, 'funnel counts every invited unit';
	like $t, qr{<th scope="row">已注册</th><td>1250</td><td>50%</td>}, '... and every registration';
}

cleanup();
done_testing();
