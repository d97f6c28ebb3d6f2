#!/usr/bin/perl
# 35-forms-conditions.t - the codebook's skip logic and required flags end to
# end (codebook revision 2), derived from the TSVs through lib/Forms.pm:
#
# - every single choice that switches conditional questions, set to each of
#   its options in turn, with a value posted for EVERY field (as a browser
#   without script posts hidden questions): the answers table holds exactly
#   the applicable ones, and the page hides the others ("na off") and shows
#   none of their values;
# - each form submits with its required fields only (hub: no 2010/2011
#   figures; self-evaluation: the report file and the figures);
# - an SME that answers 不知道 to Q2, and a service organisation that never
#   cooperated, submit without the questions that presuppose otherwise;
# - a value stored under an earlier codebook revision for a question that no
#   longer applies is not shown, exported or counted, and stays stored.
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

my $R = 'T35A01';
my @roles = map { Forms::role_of($_) } Forms::names();
my $acc = Forms::fresh_accounts('t35a', $R, 'T35A 测试省',
	[ @roles, @roles, qw(sme resource) ]);
# role => [ first account, second account ]
sub account { my ($role, $k) = @_; return $acc->{ $k == 1 ? $role : "$role$k" } }

sub version_of { my ($html) = @_; return $html =~ /name="version" value="(\d+)"/ ? $1 : undef }
sub errors_of  { my ($html) = @_; return join "\n", $html =~ /<li><a href="#f-[^"]+">(.*?)<\/a><\/li>/g }

# Posts vals (and the report file, when the form has one) with action
# save|submit; returns the response.
sub post_form {
	my ($ua, $f, $vals, $action, $file) = @_;
	my $res = $ua->get("/form/$f->{name}");
	my @params = (@{ Forms::post_params($f, $vals) }, csrf => T::csrf_from($res->{text}),
		version => version_of($res->{text}), action => $action, confirm => 1);
	my ($ff) = grep { $_->{type} eq 'file' } @{ $f->{fields} };
	return $ua->post("/form/$f->{name}", \@params) unless $ff;
	return $ua->post_multipart("/form/$f->{name}", [ @params,
		$ff->{code} => $file ? { filename => 'report.pdf', content => $file, content_type => 'application/pdf' }
		                     : { filename => '', content => '', content_type => 'application/octet-stream' } ]);
}

sub only_applicable {
	my ($f, $vals) = @_;
	my $app = Forms::applicable($f, $vals);
	return { map { $_ => $vals->{$_} } grep { $app->{$_} } keys %$vals };
}

# The class attribute of a field's wrapper on the page.
sub wrapper_class {
	my ($html, $code) = @_;
	return $html =~ /<(?:div|td)[^>]*class="([^"]*)" id="w-\Q$code\E"/ ? $1 : undef;
}

# ------------------------------------------ conditions switched both ways
for my $name (Forms::names()) {
	my $f = Forms::load($name);
	my $who = account($f->{role}, 1);
	my $ua = Forms::login_as($who);
	my $pdf = Forms::small_pdf("t35 $name");
	my $first = 1;
	for my $code (sort { $f->{by}{$a}{idx} <=> $f->{by}{$b}{idx} } Forms::cond_singles($f)) {
		for my $o (map { $_->[0] } @{ $f->{by}{$code}{opts} }) {
			my $all = Forms::full_values($f);
			$all->{$code} = $o;
			my $want = only_applicable($f, $all);
			my $off = grep { !exists $want->{$_} } keys %$all;
			my $res = post_form($ua, $f, $all, 'save', $first ? $pdf : undef);
			$first = 0;
			is $res->{status}, 303, "$name: $code=$o with every field posted saves cleanly"
				or diag errors_of($res->{text});
			my $row = Forms::response_row($name, $who->{id});
			my $got = Forms::stored_answers($row->{id});
			delete $got->{report_file};
			is_deeply $got, Forms::stored($f, $want),
				"$name: $code=$o stores the " . scalar(keys %$want) . " applicable values, not the $off others";
			$res = $ua->get("/form/$name");
			my $shown = Forms::form_values($res->{text});
			my (@visible, @leaked);
			for my $fd (grep { !exists $want->{ $_->{code} } && exists $all->{ $_->{code} } } @{ $f->{fields} }) {
				my $c = wrapper_class($res->{text}, $fd->{code}) // '';
				push @visible, "$fd->{code} ($c)" unless $c =~ /\bna\b/ && $c =~ /\boff\b/;
				my $v = $shown->{ $fd->{code} } // $shown->{"$fd->{code}_1"};
				push @leaked, $fd->{code} if defined $v && (ref $v ? @$v : length $v);
			}
			is scalar(@visible), 0, "$name: $code=$o: the $off questions it rules out are hidden, also without script"
				or diag join ', ', @visible;
			is scalar(@leaked), 0, "$name: $code=$o: no value of a hidden question on the page"
				or diag join ', ', @leaked;
		}
	}
}

# ------------------------------------------------- required fields only
for my $name (Forms::names()) {
	my $f = Forms::load($name);
	my $who = account($f->{role}, 2);
	my $ua = Forms::login_as($who);
	my $vals = Forms::valid_values($f);
	my $min = { map { $_ => $vals->{$_} } grep { $f->{by}{$_}{required} } keys %$vals };
	$min = only_applicable($f, $min);
	my $pdf = Forms::small_pdf("t35 min $name");
	my $res = post_form($ua, $f, $min, 'submit', $pdf);
	is $res->{status}, 303, "$name: submitted with its " . scalar(keys %$min) . " required answers only"
		or diag errors_of($res->{text});
	my $row = Forms::response_row($name, $who->{id});
	is $row && $row->{status}, 'submitted', "$name: stored as submitted";
	my $got = Forms::stored_answers($row->{id});
	delete $got->{report_file};
	is_deeply $got, Forms::stored($f, $min), "$name: exactly the required answers stored";
	if ($name eq 'hub') {
		my @old = grep { /_y201[01]$/ } keys %$got;
		is scalar(@old), 0, 'hub: no 2010 or 2011 figure was needed';
	}
	if ($name eq 'selfeval') {
		my @narr = grep { $f->{by}{$_}{type} eq 'textarea' } keys %$got;
		is scalar(@narr), 0, 'selfeval: no narrative box was needed beside the report file';
		ok exists Forms::stored_answers($row->{id})->{report_file}, 'selfeval: the report file is stored';
	}
}

# ---------------------------------- the audit's two respondents, by name
{
	my $f = Forms::load('sme');
	my $who = $acc->{sme3};
	my $ua = Forms::login_as($who);
	my $vals = Forms::valid_values($f);
	$vals->{q2_aware} = '2';
	$vals->{q2_sought} = '2';
	my $v = only_applicable($f, $vals);
	my @skipped = grep { !exists $v->{$_} } qw(q2_channel q3_change q4_used q5_services q6_times q7_help
		q8_response q9_hotline q10_quality q11_free q12_price q13_complaint q14_assured q15_suggestions);
	is scalar(@skipped), 14, 'sme 不知道: Q2 channel, Q3, Q4 used and Q5-Q15 are left out';
	my $res = post_form($ua, $f, $v, 'submit');
	is $res->{status}, 303, 'sme 不知道: submitted' or diag errors_of($res->{text});
	is Forms::response_row('sme', $who->{id})->{status}, 'submitted', 'sme 不知道: stored as submitted';
}
{
	my $f = Forms::load('resource');
	my $who = $acc->{resource3};
	my $ua = Forms::login_as($who);
	my $vals = Forms::valid_values($f);
	$vals->{q6_coop} = '2';
	my $v = only_applicable($f, $vals);
	my @skipped = grep { !exists $v->{$_} }
		qw(q6_services q9_free_share q10_impact q11_volume_share q12_income_share q14_brand);
	is scalar(@skipped), 6, 'resource never cooperated: Q6 services, Q9 free share, Q10-Q12, Q14 left out';
	ok exists $v->{q9_subsidy} && exists $v->{q13_free_cost_share}, '... Q9 subsidy and Q13 still asked';
	my $res = post_form($ua, $f, $v, 'submit');
	is $res->{status}, 303, 'resource never cooperated: submitted' or diag errors_of($res->{text});
}

# --------------------- values kept from an earlier codebook revision
{
	my $f = Forms::load('sme');
	my $who = $acc->{sme3};
	my $rid = Forms::response_row('sme', $who->{id})->{id};
	# Revision 1 asked Q6 and Q15 of everybody: such rows exist in databases
	# that were filled before the revision.
	T::db_query("INSERT INTO answers (response_id, code, value) VALUES ($rid, 'q6_times', '4'),"
		. " ($rid, 'q15_suggestions', 'T35 旧版本的建议')");
	my $admin = T::demo_login('admin');
	my $res = $admin->get("/admin/responses/view?id=$rid");
	is $res->{status}, 200, 'stale: admin view';
	unlike $res->{text}, qr/T35 旧版本的建议/, 'stale: the old Q15 text is not shown';
	my $cls = wrapper_class($res->{text}, 'q6_times') // '';
	like $cls, qr/\bna\b/, 'stale: Q6 is marked not applicable in the view';
	unlike $res->{text}, qr/id="w-q6_times".*?\bchecked\b.*?id="w-q7_help"/s, 'stale: no Q6 option shown as chosen';

	$res = $admin->get("/admin/export/data?form=sme&format=csv&region=$R");
	is $res->{status}, 200, 'stale: export';
	my $csv = Encode::decode('UTF-8', $res->{content});
	my ($head, @rows) = split /\r?\n/, $csv;
	my @cols = split /,/, $head;
	my ($ci) = grep { $cols[$_] eq 'q6_times' } 0 .. $#cols;
	my ($row) = grep { /^$rid,/ } @rows;
	ok defined $ci && defined $row, 'stale: the response is exported with a q6_times column';
	is((split /,/, $row, -1)[$ci], '', 'stale: q6_times exported empty') if defined $row && defined $ci;
	unlike $csv, qr/T35 旧版本的建议/, 'stale: the old Q15 text is not exported';

	$res = $admin->get("/admin/stats?form=sme&region=$R");
	like $res->{text}, qr{<tr data-code="q6_times" data-answered="(\d+)">}, 'stale: statistics page';
	my ($answered) = $res->{text} =~ m{<tr data-code="q6_times" data-answered="(\d+)">};
	my $expect = T::db_value("SELECT COUNT(*) FROM answers a JOIN responses p ON p.id = a.response_id"
		. " JOIN answers k ON k.response_id = p.id AND k.code = 'q2_aware' AND k.value = '1'"
		. " WHERE p.form = 'sme' AND p.status = 'submitted' AND p.region_code = '$R' AND a.code = 'q6_times'");
	is $answered, $expect, "stale: Q6 counted only where Q2 = 知道 ($expect), not the stale row";
	is T::db_value("SELECT value FROM answers WHERE response_id = $rid AND code = 'q6_times'"), '4',
		'stale: the stored value itself is kept (nothing deleted)';
}

done_testing;
