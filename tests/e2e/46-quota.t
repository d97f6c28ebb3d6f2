#!/usr/bin/perl
# 46-quota.t - progress against the notice's requirements (/admin and
# /region), checked cell by cell against an oracle that reads the raw rows
# (users, responses, sample_units, deadline_overrides) and applies the rules
# stated in cgi-bin/eval/progress.h in Perl: the self-evaluation report,
# the hub and window questionnaires (x of y), each sample stratum against its
# quota (sampled, printed, opened, registered, submitted), and a status per
# requirement (met / on track / behind). A fresh region with a draw,
# printed slips, registrations and submissions, and a region whose survey
# deadline has passed, make every status appear.
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

my $conf = T::app_conf();
my %QUOTA = (hub => $conf->{sample_hub} // 5, window => $conf->{sample_window} // 10, sme => $conf->{sample_sme} // 100);

# A region with accounts: its report and hub submitted, one window of two.
my $R = 'T46A01';
my $acc = Forms::fresh_accounts('t46a', $R, 'T46A 测试省', [qw(region hub window window)]);
for my $k (qw(region hub window)) {
	my $form = { region => 'selfeval', hub => 'hub', window => 'window' }->{$k};
	T::db_query("INSERT INTO responses (form, user_id, region_code, status, valid, version, submitted_at)"
		. " VALUES ('$form', $acc->{$k}{id}, '$R', 'submitted', 1, 1, NOW())");
}
T::db_query("INSERT INTO responses (form, user_id, region_code, status, valid, version)"
	. " VALUES ('window', $acc->{window2}{id}, '$R', 'draft', 0, 1)");
# A second region whose survey deadline has passed, nothing submitted.
my $R2 = 'T46B01';
Forms::fresh_accounts('t46b', $R2, 'T46B 测试省', [qw(region hub)]);
T::db_query("INSERT INTO deadline_overrides (form, region_code, due) VALUES ('hub', '$R2', '2001-01-01 00:00:00')"
	. " ON DUPLICATE KEY UPDATE due = VALUES(due)");

# ----------------------------------------------------------------- oracle
sub oracle {
	my %reg = map { $_->[0] => { name => $_->[1] } } T::db_query('SELECT code, name FROM regions');
	for my $row (T::db_query("SELECT u.region_code, u.form, p.status FROM users u LEFT JOIN responses p"
		. " ON p.user_id = u.id AND p.form = u.form WHERE u.form <> '' AND u.disabled = 0 AND u.region_code IS NOT NULL")) {
		my ($code, $form, $status) = @$row;
		my $g = $reg{$code} or next;
		$g->{acc}{$form}++;
		$g->{sub}{$form}++ if ($status // '') eq 'submitted';
	}
	for my $row (T::db_query("SELECT su.region_code, su.stratum, su.slip_printed_at IS NOT NULL,"
		. " su.code_opened_at IS NOT NULL, su.user_id IS NOT NULL,"
		. " (SELECT COUNT(*) FROM responses p WHERE p.user_id = su.user_id AND p.form = su.form AND p.status = 'submitted')"
		. " FROM sample_units su WHERE su.status = 'active' AND (su.role = 'selected' OR su.replaces_id IS NOT NULL)")) {
		my ($code, $st, @f) = @$row;
		my $c = $reg{$code}{st}{$st} //= { sampled => 0, printed => 0, opened => 0, registered => 0, submitted => 0 };
		$c->{sampled}++;
		$c->{printed} += $f[0];
		$c->{opened} += $f[1];
		$c->{registered} += $f[2];
		$c->{submitted} += $f[3] ? 1 : 0;
	}
	my %over = map { ("$_->[0]/$_->[1]" => $_->[2]) } T::db_query(
		"SELECT region_code, form, DATE_FORMAT(due, '%Y-%m-%d %H:%i:%s') FROM deadline_overrides");
	my $now = T::db_value("SELECT DATE_FORMAT(CONVERT_TZ(UTC_TIMESTAMP(), '+00:00', '+08:00'), '%Y-%m-%d %H:%i:%s')");
	for my $code (keys %reg) {
		my $g = $reg{$code};
		my $passed = sub { my ($form, $def) = @_; my $d = $over{"$code/$form"} // $def; return $d ne '' && $now gt $d };
		my $sp = $passed->('hub', $conf->{deadline_survey});
		my $rp = $passed->('selfeval', $conf->{deadline_selfeval});
		my $st = sub { my ($done, $possible, $passed) = @_; return $done ? 'met' : ($possible && !$passed) ? 'on-track' : 'behind' };
		$g->{status}{report} = $st->(($g->{sub}{selfeval} // 0) > 0, 1, $rp);
		for my $f (qw(hub window)) {
			my ($a, $s) = ($g->{acc}{$f} // 0, $g->{sub}{$f} // 0);
			$g->{status}{$f} = $st->($a > 0 && $s >= $a, $a > 0, $sp);
		}
		for my $s (qw(hub window sme)) {
			my $c = $g->{st}{$s} //= { map { $_ => 0 } qw(sampled printed opened registered submitted) };
			$g->{status}{ $s eq 'sme' ? 'sme' : "res_$s" } =
				$st->($c->{sampled} >= $QUOTA{$s} && $c->{submitted} >= $c->{sampled}, $c->{sampled} >= $QUOTA{$s}, $sp);
		}
	}
	return \%reg;
}

# The page's cells: region => key => {attr => value, status => ...}.
sub page_cells {
	my ($html) = @_;
	my %got;
	while ($html =~ m{<tr data-region="([^"]+)"[^>]*>(.*?)</tr>}gs) {
		my ($code, $row) = ($1, $2);
		while ($row =~ m{<td data-k="(\w+)"([^>]*)>(.*?)</td>}gs) {
			my ($k, $attrs, $body) = ($1, $2, $3);
			my %a = $attrs =~ /data-(\w+)="([^"]*)"/g;
			$a{status} = $1 if $body =~ /data-status="([\w-]+)"/;
			$got{$code}{$k} = \%a;
		}
	}
	return \%got;
}

my $admin = T::demo_login('admin');
my $res = $admin->get('/admin');
is $res->{status}, 200, 'national progress page';
my $got = page_cells($res->{text});
my $want = oracle();
my (@bad, $cells);
for my $code (sort keys %$want) {
	my ($g, $w) = ($got->{$code}, $want->{$code});
	push(@bad, "$code: row missing"), next unless $g;
	my @checks = (
		[ report => n => $w->{sub}{selfeval} // 0 ],
		[ hub => sub => $w->{sub}{hub} // 0 ], [ hub => acc => $w->{acc}{hub} // 0 ],
		[ window => sub => $w->{sub}{window} // 0 ], [ window => acc => $w->{acc}{window} // 0 ],
	);
	for my $s (qw(hub window sme)) {
		my $k = $s eq 'sme' ? 'sme' : "res_$s";
		push @checks, map { [ $k => $_ => $w->{st}{$s}{$_} ] } qw(sampled printed opened registered submitted);
	}
	push @checks, map { [ $_ => status => $w->{status}{$_} ] } qw(report hub window res_hub res_window sme);
	for my $c (@checks) {
		my ($k, $attr, $v) = @$c;
		$cells++;
		my $have = $g->{$k}{$attr} // '<none>';
		push @bad, "$code $k $attr: page $have, oracle $v" unless $have eq $v;
	}
}
is scalar(@bad), 0, "every cell of " . scalar(keys %$want) . " regions agrees with the oracle ($cells cells)"
	or diag join "\n", @bad[0 .. ($#bad < 14 ? $#bad : 14)];
is $got->{$R}{report}{status}, 'met', 'a submitted report is met';
is $got->{$R}{window}{status}, 'on-track', 'one of two windows submitted, deadline ahead: on track';
is $got->{$R2}{hub}{status}, 'behind', 'nothing submitted after the deadline: behind';
like $res->{text}, qr/✔ 已完成.*… 进行中.*✖ 落后/s, 'statuses are written out (readable without colour)';
like $res->{text}, qr{<tfoot><tr data-region="" class="total">}, 'a totals row';
# The totals row compares the total with the sum of the regions' quotas
# (issue 23 item 5), not with one region's.
{
	my ($foot) = $res->{text} =~ m{<tfoot>(.*?)</tfoot>}s;
	my ($body) = $res->{text} =~ m{<table class="quota">.*?<tbody>(.*?)</tbody>}s;
	for my $k (qw(res_hub res_window sme)) {
		my $sum = 0;
		$sum += $_ for $body =~ /<td data-k="$k"[^>]* data-quota="(\d+)"/g;
		my $nrows = () = $body =~ /<td data-k="$k"[^>]* data-quota="/g;
		my ($sampled, $q) = ($foot // '') =~ /<td data-k="$k" data-sampled="(\d+)"[^>]* data-quota="(\d+)"/;
		is $q, $sum, "totals row, $k: the quota is the sum of the $nrows regions' ($sum)";
		like $foot, qr/data-k="$k"[^>]*>抽中 \Q$sampled\E(?: \/ |（不少于 )$sum\b/, "... and says so";
	}
}
# The SME bar is drawn in colour on a track, not solid black: the style
# sheet gives both parts a fill, and they differ.
{
	my $css = T::new_agent()->get('/static/style.css')->{text};
	my ($bar) = $css =~ /(?:^|\n)svg \.bar \{ fill: ([^;]+);/;
	my ($bg) = $css =~ /(?:^|\n)svg \.bar-bg \{ fill: ([^;]+);/;
	ok defined $bar && defined $bg && $bar ne $bg, "the progress bar has a fill ($bar) and its track another (" . ($bg // 'none') . ')';
	like $res->{text}, qr{<rect [^>]*class="bar-bg"/><rect [^>]*class="bar"/>}, '... and the page uses both classes';
}
is scalar(() = $res->{text} =~ /<tr\b/g), scalar(() = $res->{text} =~ m{</tr>}g), 'every row is closed (charts included)';
is scalar(() = $res->{text} =~ /<svg\b/g), scalar(() = $res->{text} =~ m{</svg>}g), 'every chart is closed';
{
	my $t = $admin->get('/admin?sort=behind')->{text};
	my @b = $t =~ /<tr data-region="[^"]+" data-behind="(\d+)"/g;
	is_deeply \@b, [ sort { $b <=> $a } @b ], 'sort=behind puts the regions with most requirements behind first';
	like $t, qr/<strong data-sort="behind">/, '... and says so';
}
{
	my $ua = Forms::login_as($acc->{region});
	my $r = $ua->get('/region');
	is $r->{status}, 200, 'region home';
	my $g = page_cells($r->{text});
	is_deeply [ keys %$g ], [ $R ], 'the region sees its own row only';
	is_deeply $g->{$R}, $got->{$R}, '... with the same cells as on the national page';
}
done_testing;
