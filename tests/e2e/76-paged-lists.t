#!/usr/bin/perl
# 76-paged-lists.t - the large lists paged by key, counted from maintained
# counters (issue 21 item 4):
#   /admin/accounts: at most 50 accounts a page in id order, next/previous
#     links by key (after=, before=; never page= or OFFSET), following them
#     reaches every account once and comes back to the same rows; the total
#     comes from agg_accounts, which follows inserts, role changes and
#     deletes made by any statement (its triggers);
#   /admin/samples: a sample's units and registrations from agg_sample_units;
#   /region/accounts: at most 100 accounts a page, next links by key, and a
#     search that finds an account that is on a later page;
#   /admin/indicators/texts: a page of text answers with its next link.
#
# Uses its own region T76A01 and accounts t76-*.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $conf = T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my $cli = T::bindir() . '/smesurvey-admin';
-x $cli or BAIL_OUT("$cli is missing: run make first");
my $tmp = tempdir(CLEANUP => 1);
my $R = 'T76A01';
my $N = 230;   # respondent accounts: five admin pages, three region pages

sub cleanup {
	T::db_query("DELETE su FROM sample_units su JOIN samples s ON s.id = su.sample_id WHERE s.region_code = '$R'");
	T::db_query("DELETE FROM samples WHERE region_code = '$R'");
	T::db_query("DELETE s FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username LIKE 't76-%'");
	T::db_query("DELETE FROM users WHERE username LIKE 't76-%'");
}
cleanup();
T::db_query("INSERT IGNORE INTO regions (code, name, help_phone) VALUES ('$R', '测试七六省', '0958-5858580')");

my $pw = 'T76-Region-pass-word';
{
	open my $fh, '>:encoding(UTF-8)', "$tmp/accounts.csv" or die $!;
	print $fh "username,initial_password,role,region_code,org_name,form\n",
		"t76-a,$pw,region,$R,测试七六省经信委,selfeval\n";
	close $fh;
	my $out = `'$cli' --conf '$conf' import-accounts '$tmp/accounts.csv' 2>&1`;
	is $? >> 8, 0, 'region account imported' or diag $out;
}
# The respondents, with SQL (the counters follow any statement).
T::db_query("INSERT INTO users (username, pw_hash, role, region_code, org_name, form)" .
	" SELECT CONCAT('t76-sme-', LPAD(seq, 3, '0')), 'x', 'sme', '$R', CONCAT('七六企业', LPAD(seq, 3, '0'), '有限公司'), 'sme'" .
	" FROM seq_1_to_$N");
my @all = map { $_->[0] } T::db_query("SELECT id FROM users WHERE region_code = '$R' ORDER BY id");
my @smes = map { $_->[0] } T::db_query("SELECT id FROM users WHERE region_code = '$R' AND role = 'sme' ORDER BY id");
is scalar @all, $N + 1, 'the region has its accounts';

sub unescape { my $s = shift; $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&#39;/'/g; $s =~ s/&amp;/&/g; return $s }
sub link_of { my ($t, $rel) = @_; return ($t // '') =~ m{<a href="([^"]+)" rel="$rel"} ? unescape($1) : undef }

# Follows the next links from $path; the ids matched by $re per page.
sub walk {
	my ($ua, $path, $re) = @_;
	my (@pages, $url);
	$url = $path;
	while ($url && @pages < 100) {
		my $res = $ua->get($url);
		$res->{status} == 200 or do { fail "GET $url: $res->{status}"; last };
		push @pages, { url => $url, ids => [ $res->{text} =~ m{$re}g ], text => $res->{text}, size => length $res->{content} };
		$url = link_of($res->{text}, 'next');
	}
	return @pages;
}

# ------------------------------------------------------------ /admin/accounts
my $admin = T::demo_login('admin');
{
	my $res = $admin->get("/admin/accounts?region=$R");
	is $res->{status}, 200, 'admin: accounts of the region';
	like $res->{text}, qr{<span id="total">@{[ $N + 1 ]}</span>}, 'the total, from the counter';
	my @pages = walk($admin, "/admin/accounts?region=$R", qr{<tr data-id="(\d+)" data-username=});
	is scalar @pages, 5, 'five pages of at most 50';
	is scalar(grep { @{ $_->{ids} } > 50 } @pages), 0, 'no page has more than 50 accounts';
	is_deeply [ map { @{ $_->{ids} } } @pages ], \@all, 'the next links reach every account once, in id order';
	unlike $pages[0]{text}, qr{rel="prev"|rel="first"}, 'the first page has no previous link';
	unlike $pages[-1]{text}, qr{rel="next"}, 'the last page has no next link';
	unlike join('', map { $_->{text} } @pages), qr{[?&](?:amp;)?page=}, 'no page numbers (no OFFSET)';
	like $pages[1]{url}, qr{after=$pages[0]{ids}[-1]\b}, 'the next link is keyed by the last id shown';
	my $prev = link_of($pages[2]{text}, 'prev');
	like $prev // '', qr{before=$pages[2]{ids}[0]\b}, 'the previous link is keyed by the first id shown';
	my $back = $admin->get($prev);
	is_deeply [ $back->{text} =~ m{<tr data-id="(\d+)" data-username=}g ], $pages[1]{ids},
		'... and shows the page before, in the same order';
	like link_of($pages[2]{text}, 'first') // '', qr{^/admin/accounts\?role=&region=$R$}, 'a link back to the first page';
	# Filters kept along the pages.
	my @sme = walk($admin, "/admin/accounts?region=$R&role=sme", qr{<tr data-id="(\d+)" data-username=});
	is_deeply [ map { @{ $_->{ids} } } @sme ], \@smes, 'filtered by role: every SME account, the filter kept';
	like $sme[0]{text}, qr{<span id="total">$N</span>}, '... counted';
}
# The counter follows any statement: a role change and a delete.
{
	T::db_query("UPDATE users SET role = 'hub', form = 'hub' WHERE username = 't76-sme-001'");
	T::db_query("DELETE FROM users WHERE username = 't76-sme-002'");
	like $admin->get("/admin/accounts?region=$R&role=sme")->{text}, qr{<span id="total">@{[ $N - 2 ]}</span>},
		'a role change and a delete leave the SME total right';
	like $admin->get("/admin/accounts?region=$R&role=hub")->{text}, qr{<span id="total">1</span>}, '... and the hub total';
	like $admin->get("/admin/accounts?region=$R")->{text}, qr{<span id="total">$N</span>}, '... and the region total';
	@all = map { $_->[0] } T::db_query("SELECT id FROM users WHERE region_code = '$R' ORDER BY id");
}

# ------------------------------------------------------------ /admin/samples
{
	T::db_query("INSERT INTO samples (region_code, kind, method, seed, algo_version, created_at)" .
		" VALUES ('$R', 'sme', 'uploaded', '', '', NOW())");
	my $sid = T::db_value("SELECT id FROM samples WHERE region_code = '$R' AND kind = 'sme'");
	T::db_query("INSERT INTO sample_units (sample_id, region_code, form, stratum, name, contact, phone, role, position, status)" .
		" SELECT $sid, '$R', 'sme', 'sme', CONCAT('七六样本', seq), '联系人', '0958-5858580', 'selected', seq, 'active'" .
		" FROM seq_1_to_3");
	T::db_query("UPDATE sample_units SET user_id = $smes[5] WHERE sample_id = $sid AND position = 1");
	my $t = $admin->get('/admin/samples')->{text};
	like $t, qr{<tr data-region="$R" data-kind="sme" data-sampled="1">.*?<td>3</td><td>1</td>}s,
		'/admin/samples: units and registrations from the counter';
}

# ------------------------------------------------------------ /region/accounts
my $A = T::new_agent();
$A->login('t76-a', $pw);
ok $A->logged_in, 'region logs in';
{
	my @resp = grep { $_ != $all[0] } @all;   # not the region's own account
	my @pages = walk($A, '/region/accounts', qr{href="/region/accounts/reset\?id=(\d+)"});
	is scalar @pages, 3, 'region: three pages of at most 100';
	is scalar(grep { @{ $_->{ids} } > 100 } @pages), 0, 'no page has more than 100 accounts';
	is_deeply [ map { @{ $_->{ids} } } @pages ], \@resp, 'the next links reach every respondent account once';
	ok !(grep { $_->{size} >= 200 * 1024 } @pages), 'every page under 200 KB';
	like $pages[1]{url}, qr{after=$pages[0]{ids}[-1]\b}, 'keyed by the last id shown';
	my $late = 't76-sme-' . sprintf('%03d', $N - 3);
	unlike $pages[0]{text}, qr{data-username="$late"}, "$late is not on the first page";
	my $res = $A->get("/region/accounts?q=$late");
	is $res->{status}, 200, 'search';
	like $res->{text}, qr{data-username="$late"}, '... finds it';
	is scalar(() = $res->{text} =~ /<tr data-username=/g), 1, '... alone';
	my $q = '七六企业22';
	utf8::encode($q);
	$q =~ s/([^A-Za-z0-9])/sprintf('%%%02X', ord $1)/ge;
	$res = $A->get("/region/accounts?q=$q");
	is scalar(() = $res->{text} =~ /<tr data-username=/g), 10, 'a search by organisation name (220..229)';
	like $A->get('/region/accounts?q=nothing-like-this')->{text}, qr{没有符合条件的账户}, 'no match: said so';
}

# ------------------------------------------------------------ texts
{
	my $res = $admin->get('/admin/indicators/texts');
	is $res->{status}, 200, 'the text answers page, first indicator by default';
	like $res->{text}, qr{<ul class="texts" data-code="e4_}, '... lists the texts of one indicator';
	unlike $res->{text}, qr{rel="first"}, '... first page';
}

cleanup();
done_testing;
