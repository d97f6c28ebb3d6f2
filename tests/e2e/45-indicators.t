#!/usr/bin/perl
# 45-indicators.t - the evaluation indicators (/admin/indicators,
# /region/indicators, /admin/indicators.csv) against an independent oracle:
# this test reads the raw rows (submitted responses, answers, sample units)
# with SQL and computes EVERY indicator of cgi-bin/eval/indicators/
# indicators.tsv in Perl from the shared README's definitions - applicability
# from the codebook (lib/Forms.pm), the aggregates, undefined values, the
# rounding - then compares value and n, nationally and for every region,
# with and without the sample-only switch. A fresh region gets submitted
# responses of every form (and a draft, which must not count) first. (A row
# added to the TSV is an indicator: tests/unit/test_indicators.c.)
# A region sees only its own column beside the nation's; other roles get 403.
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

my $R = 'T45A01';
my $acc = Forms::fresh_accounts('t45a', $R, 'T45A 测试省', [qw(region hub window window resource resource sme sme sme sme)]);

# --------------------------------------------------------------- fixtures
# Submitted responses with values varied from the codebook's valid ones.
sub submit_direct {
	my ($form, $uid, $vals, $status) = @_;
	T::db_query("INSERT INTO responses (form, user_id, region_code, status, valid, version, submitted_at)"
		. " VALUES ('$form', $uid, '$R', '$status', 1, 1, " . ($status eq 'submitted' ? 'NOW()' : 'NULL') . ")");
	my $rid = T::db_value("SELECT id FROM responses WHERE form = '$form' AND user_id = $uid");
	my $f = Forms::load($form);
	my $st = Forms::stored($f, $vals);
	# One statement per response (one client run each).
	T::db_query("INSERT INTO answers (response_id, code, value) VALUES " . join(', ',
		map { "($rid, " . T::sql_quote($_) . ', ' . T::sql_quote($st->{$_}) . ')' }
		grep { length $st->{$_} } sort keys %$st));
}
{
	my $k = 0;
	for my $key (sort keys %$acc) {
		my $a = $acc->{$key};
		my $form = { region => 'selfeval', hub => 'hub', window => 'window', resource => 'resource', sme => 'sme' }->{$a->{role}};
		my $f = Forms::load($form);
		my $v = Forms::valid_values($f);
		$k++;
		# Vary the singles so that shares are neither 0 nor 100.
		for my $fd (grep { $_->{type} eq 'single' && exists $v->{ $_->{code} } } @{ $f->{fields} }) {
			my @o = map { $_->[0] } @{ $fd->{opts} };
			$v->{ $fd->{code} } = $o[ ($k + $fd->{idx}) % @o ];
		}
		$v = { map { $_ => $v->{$_} } grep { Forms::applicable($f, $v)->{$_} } keys %$v };
		submit_direct($form, $a->{id}, $v, $key eq 'sme4' ? 'draft' : 'submitted');
	}
}
# The fixtures went in with SQL: count them (as after any bulk load).
T::rebuild_aggregates();

# ----------------------------------------------------------------- oracle
my $IND = T::root() . '/cgi-bin/eval/indicators/indicators.tsv';
sub load_indicators {
	my ($path) = @_;
	open my $fh, '<:encoding(UTF-8)', $path or die "$path: $!";
	my $head = <$fh>;
	my @ind;
	while (my $l = <$fh>) {
		chomp $l;
		next unless length $l;
		my ($code, $content, $req, $label, $unit, $formula) = split /\t/, $l;
		push @ind, { code => $code, content => $content, unit => $unit, %{ parse_formula($formula) } };
	}
	return \@ind;
}
sub parse_agg {
	my ($s) = @_;
	$s =~ s/^\s+|\s+$//g;
	$s =~ /^(\w+)\((.*)\)$/ or die "bad aggregate $s";
	my ($agg, $args) = ($1, $2);
	my @a = map { s/^\s+|\s+$//gr } split /,/, $args;
	my %t = (agg => $agg);
	if ($agg eq 'rate') { @t{qw(stratum state)} = @a; return \%t }
	$t{form} = $a[0];
	return \%t if $agg eq 'count';
	if ($agg eq 'share') {
		my $c = $a[1];
		if ($c =~ /^(\w+)\s*=\s*(\d+)$/)         { @t{qw(field cond opts)} = ($1, 'in', [$2]) }
		elsif ($c =~ /^(\w+)\s+in\s+([\d|]+)$/)   { @t{qw(field cond opts)} = ($1, 'in', [ split /\|/, $2 ]) }
		elsif ($c =~ /^(\w+)\s+has\s+(\d+)$/)     { @t{qw(field cond opts)} = ($1, 'has', [$2]) }
		elsif ($c =~ /^(\w+)\s+any$/)             { @t{qw(field cond)} = ($1, 'any') }
		else { die "bad condition $c" }
		return \%t;
	}
	$t{fields} = [ map { s/^\s+|\s+$//gr } split /\+/, $a[1] ];
	return \%t;
}
sub parse_formula {
	my ($f) = @_;
	if ($f =~ /^(ratio|growth)\((\w+\(.*?\)),\s*(\w+\(.*\))\)$/) {
		return { combine => $1, a => parse_agg($2), b => parse_agg($3) };
	}
	return { combine => '', a => parse_agg($f) };
}

my %FORMS = map { $_ => Forms::load($_) } Forms::names();
my %ROLE_OF = (hub => 'hub', window => 'window', resource => 'resource', sme => 'sme', selfeval => 'region');

# Every submitted response: form, region, in_sample, effective answers.
sub responses {
	my @rows = T::db_query("SELECT r.id, r.form, COALESCE(r.region_code, ''),"
		. " EXISTS (SELECT 1 FROM sample_units su WHERE su.user_id = r.user_id AND su.status = 'active'"
		. " AND (su.role = 'selected' OR su.replaces_id IS NOT NULL)), a.code, a.value"
		. " FROM responses r JOIN answers a ON a.response_id = r.id WHERE r.status = 'submitted'");
	my %by;
	for my $row (@rows) {
		my ($id, $form, $region, $in, $code, $value) = @$row;
		my $f = $FORMS{$form} or next;
		my $fd = $f->{by}{$code} or next;
		my $r = $by{$id} //= { form => $form, region => $region, in => $in, v => {} };
		$r->{v}{$code} = ($fd->{type} eq 'multi' || $fd->{type} eq 'rank') ? [ split /,/, $value ] : $value;
	}
	for my $r (values %by) {
		my $app = Forms::applicable($FORMS{ $r->{form} }, $r->{v});
		delete $r->{v}{$_} for grep { !$app->{$_} } keys %{ $r->{v} };
	}
	return [ values %by ];
}
sub units {
	return [ map { { region => $_->[0], stratum => $_->[1], registered => $_->[2], submitted => $_->[3] } }
		T::db_query("SELECT su.region_code, su.stratum, su.user_id IS NOT NULL, EXISTS (SELECT 1 FROM responses p"
		. " WHERE p.user_id = su.user_id AND p.form = su.form AND p.status = 'submitted') FROM sample_units su"
		. " WHERE su.status = 'active' AND (su.role = 'selected' OR su.replaces_id IS NOT NULL)") ];
}

sub num_type { my ($form, $code) = @_; return $FORMS{$form}{by}{$code}{type} }
# value (or undef) and n of one aggregate over a scope's responses/units.
sub term {
	my ($t, $resp, $units) = @_;
	if ($t->{agg} eq 'rate') {
		my @u = grep { $_->{stratum} eq $t->{stratum} } @$units;
		my $k = grep { $t->{state} eq 'registered' ? ($_->{registered} || $_->{submitted}) : $_->{submitted} } @u;
		return (@u ? 100 * $k / @u : undef, scalar @u);
	}
	my @r = grep { $_->{form} eq $t->{form} } @$resp;
	# A count is never undefined: no submitted response is 0 (n 0).
	if ($t->{agg} eq 'count') { return (scalar @r, scalar @r) }
	if ($t->{agg} eq 'share') {
		my @a = grep { defined $_->{v}{ $t->{field} } } @r;
		my $k = grep {
			my $v = $_->{v}{ $t->{field} };
			$t->{cond} eq 'any' ? 1 : $t->{cond} eq 'has' ? (grep { $_ eq $t->{opts}[0] } @$v) : (grep { $_ eq $v } @{ $t->{opts} })
		} @a;
		return (@a ? 100 * $k / @a : undef, scalar @a);
	}
	if ($t->{agg} eq 'items') {
		my @a = grep { defined $_->{v}{ $t->{fields}[0] } } @r;
		my $sum = 0;
		$sum += @{ $_->{v}{ $t->{fields}[0] } } for @a;
		return (@a ? $sum / @a : undef, scalar @a);
	}
	if ($t->{agg} eq 'texts') {
		my $n = 0;
		for my $r (@r) { $n += grep { defined $r->{v}{$_} } @{ $t->{fields} } }
		return (undef, $n);
	}
	my ($n, $sum) = (0, 0);
	for my $r (@r) {
		my @have = grep { defined $r->{v}{$_} } @{ $t->{fields} };
		next if $t->{agg} eq 'sum' ? !@have : @have != @{ $t->{fields} };
		$n++;
		$sum += $r->{v}{$_} for @have;
	}
	return ($n ? ($t->{agg} eq 'mean' ? $sum / $n : $sum) : undef, $n);
}
sub fmt {
	my ($ind, $v) = @_;
	return '' unless defined $v;
	my $d = ($ind->{combine} || $ind->{unit} eq '%') ? 1
	      : ($ind->{a}{agg} eq 'mean' || $ind->{a}{agg} eq 'items') ? 2
	      : ($ind->{a}{agg} eq 'sum' && grep { num_type($ind->{a}{form}, $_) ne 'int' } @{ $ind->{a}{fields} }) ? 2 : 0;
	my $s = sprintf("%.${d}f", $v + ($v < 0 ? -1e-9 : 1e-9));
	$s =~ s/^-(0(\.0+)?)$/$1/;
	return $s;
}
# Does a sum/mean term count in response r?
sub counts {
	my ($t, $r) = @_;
	my @have = grep { defined $r->{v}{$_} } @{ $t->{fields} };
	return $t->{agg} eq 'sum' ? scalar @have : @have == @{ $t->{fields} };
}
# ratio/growth of two sums or means over one form: paired (README), only
# the responses that count on both sides count on either.
sub paired {
	my ($ind) = @_;
	return $ind->{combine} && $ind->{a}{agg} =~ /^(sum|mean)$/ && $ind->{b}{agg} =~ /^(sum|mean)$/
		&& $ind->{a}{form} eq $ind->{b}{form};
}
sub oracle {
	my ($ind, $resp, $units) = @_;
	$resp = [ grep { $_->{form} eq $ind->{a}{form} && counts($ind->{a}, $_) && counts($ind->{b}, $_) } @$resp ]
		if paired($ind);
	my ($va, $na) = term($ind->{a}, $resp, $units);
	return (fmt($ind, $va), $na) unless $ind->{combine};
	my ($vb, $nb) = term($ind->{b}, $resp, $units);
	my $n = $na < $nb ? $na : $nb;
	return ('', $n) unless defined $va && defined $vb && $vb != 0;
	return (fmt($ind, $ind->{combine} eq 'ratio' ? 100 * $va / $vb : 100 * ($va / $vb - 1)), $n);
}

# The page's figures: indicator => scope => [value, n].
sub page_values {
	my ($html) = @_;
	my %got;
	while ($html =~ m{<tr data-code="(\w+)">(.*?)</tr>}gs) {
		my ($code, $row) = ($1, $2);
		$got{$code}{$1} = [ $2, $3 ] while $row =~ m{data-scope="([^"]*)" data-value="([^"]*)" data-n="(\d+)"}g;
	}
	return \%got;
}

my $inds = load_indicators($IND);
is scalar(@$inds), 40, 'the oracle reads all 40 indicators';
my $admin = T::demo_login('admin');
for my $sample (0, 1) {
	my $res = $admin->get("/admin/indicators?sample=$sample");
	is $res->{status}, 200, "admin indicators page (sample=$sample)";
	my $got = page_values($res->{text});
	is_deeply [ sort keys %{ $got->{e2_sme_aware} // {} } ], [ 'all' ], "sample=$sample: the nation alone by default";
	my $all = responses();
	$all = [ grep { !($_->{form} eq 'resource' || $_->{form} eq 'sme') || $_->{in} } @$all ] if $sample;
	my $units = units();
	my @regions = map { $_->[0] } T::db_query('SELECT code FROM regions ORDER BY code');
	# The nation beside one chosen region (issue 21 item 4): each region's
	# column from its own page.
	for my $reg (@regions) {
		my $g = page_values($admin->get("/admin/indicators?sample=$sample&region=$reg")->{text});
		$got->{$_}{$reg} = $g->{$_}{$reg} for keys %$g;
	}
	my (@bad, $checked);
	for my $ind (@$inds) {
		for my $scope ('all', @regions) {
			my @r = $scope eq 'all' ? @$all : grep { $_->{region} eq $scope } @$all;
			my @u = $scope eq 'all' ? @$units : grep { $_->{region} eq $scope } @$units;
			my ($v, $n) = oracle($ind, \@r, \@u);
			my $g = $got->{ $ind->{code} }{$scope};
			$checked++;
			push @bad, "$ind->{code} $scope: page " . ($g ? "$g->[0] n=$g->[1]" : 'missing') . ", oracle $v n=$n"
				unless $g && $g->[0] eq $v && $g->[1] == $n;
		}
	}
	is scalar(@bad), 0, "sample=$sample: all $checked values and n agree with the oracle (40 indicators x nation and "
		. scalar(@regions) . " regions)" or diag join "\n", @bad[0 .. ($#bad < 14 ? $#bad : 14)];
	like $res->{text}, qr/样本不足/, "sample=$sample: small samples are marked" if $sample == 0;
	cmp_ok length($res->{content}), '<', 200 * 1024, "sample=$sample: the page is under 200 KB";
}
{
	my $t = $admin->get('/admin/indicators')->{text};
	like $t, qr{（一）项目建设目标.*（二）.*（三）.*（四）}s, 'grouped by the four contents in order';
	like $t, qr{<details><summary>定义</summary><p>已提交的附件5中，回答了「}, 'each indicator has its definition in words';
	like $t, qr{<p class="texts" data-code="e4_problems"><a href="/admin/indicators/texts\?ind=e4_problems&amp;}s,
		'the text answers are on their own page, linked';
	my $tx = $admin->get('/admin/indicators/texts?ind=e4_problems');
	is $tx->{status}, 200, 'the text answers page';
	like $tx->{text}, qr{<ul class="texts" data-code="e4_problems">.*?<li><strong>}s, 'text answers listed with their organisation';
	is $admin->get('/admin/indicators/texts?ind=e2_sme_aware')->{text} =~ /没有这个指标的文字回答/ ? 1 : 0, 1,
		'a number indicator has no texts page';
	my $res = $admin->get('/admin/indicators.csv');
	is $res->{status}, 200, 'indicators.csv';
	my $csv = Encode::decode('UTF-8', $res->{content});
	like $csv, qr/^\x{feff}region_code,region_name,indicator,content,label,value,unit,n\r\n/, 'CSV header (UTF-8 with BOM)';
	my @lines = split /\r\n/, $csv;
	my $nreg = T::db_value('SELECT COUNT(*) FROM regions');
	my $ntext = grep { $_->{a}{agg} eq 'texts' } @$inds;
	is scalar(@lines) - 1, (1 + $nreg) * (40 - $ntext), 'one row per scope and number indicator';
	ok((grep { /^all,全国,e2_sme_aware,二,/ } @lines), 'national rows have region_code all');
	$res = $admin->get('/admin/indicators.csv?format=gb18030');
	is $res->{status}, 200, 'indicators.csv in GB18030';
	like $res->{headers}{'content-type'}, qr/charset=gb18030/, '... labelled so';
	open my $gf, '>:raw', '/tmp/t45-gb.csv' or die $!;
	print $gf $res->{content};
	close $gf;
	my $gbu = Encode::decode('UTF-8', scalar `iconv -f GB18030 -t UTF-8 /tmp/t45-gb.csv`);
	unlink '/tmp/t45-gb.csv';
	(my $plain = $csv) =~ s/^\x{feff}//;
	is $gbu, $plain, '... the same table as the UTF-8 file';
}

# -------------------------------------------------------- region's view
{
	my $ua = Forms::login_as($acc->{region});
	my $res = $ua->get('/region/indicators');
	is $res->{status}, 200, 'region indicators page';
	my $got = page_values($res->{text});
	my @scopes = sort keys %{ $got->{e2_sme_aware} // {} };
	is_deeply \@scopes, [ $R, 'all' ], 'the region sees the nation and itself only';
	my $all = responses();
	my ($v, $n) = oracle((grep { $_->{code} eq 'e2_sme_aware' } @$inds)[0], [ grep { $_->{region} eq $R } @$all ], []);
	is_deeply $got->{e2_sme_aware}{$R}, [ $v, $n ], 'its own value agrees with the oracle';
	is $ua->get('/admin/indicators')->{status}, 403, 'a region gets 403 on the national page';
	is $ua->get('/admin/indicators.csv')->{status}, 403, '... and on the national export';
	my $sme = Forms::login_as($acc->{sme});
	is $sme->get('/region/indicators')->{status}, 403, 'an SME gets 403 on the region page';
}

done_testing;
