#!/usr/bin/perl
# 48-paired-growth.t - growth and ratio of two sums over one form are paired
# (indicators README; issue 23 item 4), exactly the case the issue met:
# region A's hub and window report 2010 and 2013, region B's only 2013 (2010
# left empty, as optional). Before, the national 2013 sum took B's figures
# while the 2010 sum could not, and 枢纽平台服务中小企业户数增长 read
# 1,581.4 % nationally (n = 1) against 42.4 % in the only region with both
# years. Now B adds to neither side: A's figures are 42.4 % (hub served),
# 60.0 % (hub technical staff), 50.0 % (window served), n = 1 each; B's are
# undefined with n = 0; the national rows do not move when B submits; the
# e2_partner_ratio (paired too) is defined for both. All through real
# submits (the maintained aggregates), then the same after
# rebuild-aggregates.
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

my ($RA, $RB) = ('T48A', 'T48B');
my $a = Forms::fresh_accounts('t48a', $RA, 'T48A 两年都填省', [qw(hub window)]);
my $b = Forms::fresh_accounts('t48b', $RB, 'T48B 未填2010省', [qw(hub window)]);
# Earlier runs' rows were deleted with SQL: count again (as after any bulk change).
T::rebuild_aggregates();
my @GROWTH = qw(e3_hub_served_growth e3_hub_tech_growth e3_window_served_growth);

# Submits a complete form through the web, with the given numbers set and
# the given fields left empty.
sub submit {
	my ($acc, $form, $set, $empty) = @_;
	my $f = Forms::load($form);
	my $v = Forms::valid_values($f);
	$v->{$_} = $set->{$_} for keys %$set;
	delete $v->{$_} for @$empty;
	my $ua = Forms::login_as($acc);
	my $csrf = $ua->csrf_of("/form/$form");
	my $res = $ua->post("/form/$form", [ csrf => $csrf, action => 'submit', confirm => 1,
		@{ Forms::post_params($f, $v) } ]);
	is $res->{status}, 303, "$acc->{username}: $form submitted"
		or diag join "\n", $res->{text} =~ /class="(?:field-)?error[^"]*"[^>]*>([^<]+)/g;
}

# indicator => scope => [value, n] from the national CSV export.
sub csv_values {
	my $admin = T::demo_login('admin');
	my $res = $admin->get('/admin/indicators.csv');
	is $res->{status}, 200, 'indicators.csv';
	my %v;
	for my $line (split /\r\n/, Encode::decode('UTF-8', $res->{content})) {
		my @c = split /,/, $line;
		$v{ $c[2] }{ $c[0] } = [ $c[5], $c[7] ] if @c >= 8;
	}
	return \%v;
}

my %HUB_A = (s1_sme_served_y2010 => 1000, s1_sme_served_y2013e => 1424,
	s1_staff_y2010 => 100, s1_staff_tech_y2010 => 50, s1_staff_y2013e => 200, s1_staff_tech_y2013e => 80);
submit($a->{hub}, 'hub', \%HUB_A, []);
submit($a->{window}, 'window', { s1_ent_served_y2010 => 200, s1_ent_served_y2013e => 300 }, []);
my $before = csv_values();

# Region B: 2013 only, the 2010 column left empty.
submit($b->{hub}, 'hub', { s1_sme_served_y2013e => 15390, s1_staff_y2013e => 900, s1_staff_tech_y2013e => 800 },
	[qw(s1_sme_served_y2010 s1_staff_y2010 s1_staff_tech_y2010)]);
submit($b->{window}, 'window', { s1_ent_served_y2013e => 9000 }, [qw(s1_ent_served_y2010)]);

sub check {
	my ($got, $when) = @_;
	is_deeply $got->{e3_hub_served_growth}{$RA}, [ '42.4', 1 ], "$when: A hub served growth 42.4 %, n 1";
	is_deeply $got->{e3_hub_tech_growth}{$RA}, [ '60.0', 1 ], "$when: A hub technical staff growth 60.0 %, n 1";
	is_deeply $got->{e3_window_served_growth}{$RA}, [ '50.0', 1 ], "$when: A window served growth 50.0 %, n 1";
	is_deeply $got->{$_}{$RB}, [ '', 0 ], "$when: B (2010 empty): $_ undefined, n 0" for @GROWTH;
	is_deeply $got->{$_}{all}, $before->{$_}{all},
		"$when: national $_ unchanged by B ($before->{$_}{all}[0], n $before->{$_}{all}[1])" for @GROWTH;
	is $got->{e2_partner_ratio}{$RB}[1], 1, "$when: B's e2_partner_ratio (both sides answered) counts, n 1";
	is $got->{e2_partner_ratio}{all}[1], $before->{e2_partner_ratio}{all}[1] + 1,
		"$when: ... and nationally one more";
}
check(csv_values(), 'maintained');
T::rebuild_aggregates();
check(csv_values(), 'after rebuild-aggregates');

# The page says how the figure is taken.
{
	my $admin = T::demo_login('admin');
	like $admin->get('/admin/indicators')->{text}, qr/只计两项都填报的答卷/, 'the definition says it is paired';
}

done_testing;
