#!/usr/bin/perl
# 75-csv-neutralise.t - every CSV the system writes goes through the one
# writer (core/csv.c), which neutralises cells a spreadsheet would run as a
# formula (issue 10 item 6): values starting with TAB, CR, =, +, - or @ are
# put into the data a region or a respondent controls (sample unit names and
# contacts, an account's organisation, a text answer, a region's name), and
# every CSV endpoint is fetched and parsed: no cell may start with one of
# those characters unless it is a plain number such as -12.5, and each
# injected value comes back with a leading apostrophe.
#
# The endpoints are listed below; the test also counts the places in
# cgi-bin/*.c and cgi-bin/sample/*.c that send text/csv, so that a new CSV endpoint fails here
# until it is added to the list.
use strict;
use warnings;
use utf8;
use Test::More;
use Encode ();
use File::Temp ();
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;
T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';

my $R = 'T75A01';
my @evil = ("=1+2", "+SUM(A1)", "-2+3", "\@SUM(A1)", "\tTAB", "\rCR");
my %name = map { ($evil[$_] => "$evil[$_] 测试企业$_") } 0 .. $#evil;

# ------------------------------------------------------------ fixtures
sub cleanup {
	T::db_query("DELETE FROM sample_units WHERE region_code = '$R'");
	T::db_query("DELETE FROM samples WHERE region_code = '$R'");
}
cleanup();
my $acc = Forms::fresh_accounts('t75', $R, '=T75 测试省', [qw(region sme)]);
T::db_query("UPDATE regions SET name = '=T75 测试省' WHERE code = '$R'");
T::db_query("UPDATE users SET org_name = '\@T75 企业' WHERE id = $acc->{sme}{id}");
T::db_query("INSERT INTO samples (region_code, kind, method) VALUES ('$R', 'sme', 'uploaded')");
my $sid = T::db_value("SELECT id FROM samples WHERE region_code = '$R' AND kind = 'sme'");
for my $i (0 .. $#evil) {
	T::db_query(sprintf "INSERT INTO sample_units (sample_id, region_code, form, stratum, name, contact, phone,"
		. " email, role, position) VALUES (%d, '%s', 'sme', 'sme', %s, %s, %s, %s, 'selected', %d)", $sid, $R,
		T::sql_quote($name{ $evil[$i] }), T::sql_quote($evil[$i]), T::sql_quote('-010'), T::sql_quote('=x@y.cn'), $i + 1);
}
# A submitted SME response with a text answer starting with '='.
my $f = Forms::load('sme');
my $vals = Forms::valid_values($f);
my ($text) = grep { $_->{type} eq 'text' && defined $vals->{ $_->{code} } && $_->{code} ne 'q1_name' } @{ $f->{fields} };
ok $text, "a text field to answer ($text->{code})";
$vals->{ $text->{code} } = '=HYPERLINK("http://x","y")';
{
	my $ua = Forms::login_as($acc->{sme});
	my $csrf = $ua->csrf_of('/form/sme');
	my $r = $ua->post('/form/sme', [ csrf => $csrf, action => 'submit', confirm => 1, @{ Forms::post_params($f, $vals) } ]);
	is $r->{status}, 303, 'SME response with a formula-like answer submitted';
}

# ------------------------------------------------------------ CSV parsing
sub parse_csv {
	my ($t) = @_;
	my (@rows, @row, $cell, $q);
	$cell = '';
	my $i = 0;
	my $n = length $t;
	while ($i < $n) {
		my $c = substr $t, $i++, 1;
		if ($q) {
			if ($c eq '"') {
				if ($i < $n && substr($t, $i, 1) eq '"') { $cell .= '"'; $i++ } else { $q = 0 }
			} else { $cell .= $c }
		} elsif ($c eq '"') { $q = 1 }
		elsif ($c eq ',') { push @row, $cell; $cell = '' }
		elsif ($c eq "\r" && $i < $n && substr($t, $i, 1) eq "\n") { $i++; push @row, $cell; push @rows, [@row]; @row = (); $cell = '' }
		elsif ($c eq "\n") { push @row, $cell; push @rows, [@row]; @row = (); $cell = '' }
		else { $cell .= $c }
	}
	push @row, $cell if length $cell || @row;
	push @rows, [@row] if @row;
	return @rows;
}
sub dangerous { my ($c) = @_; return $c =~ /^[=+\-\@\t\r]/ && $c !~ /^-?\d+(\.\d+)?$/ }

my $region = Forms::login_as($acc->{region});
my $admin = T::demo_login('admin');
my @endpoints = (
	[ $region, '/region/sample.csv?kind=sme', 'UTF-8', [ values %name ] ],
	[ $region, '/region/followups.csv', 'UTF-8', [ values %name ] ],
	[ $region, '/region/followups.csv?format=gb18030', 'GB18030', [ values %name ] ],
	[ $admin, "/admin/export/data?form=sme&format=csv&region=$R", 'UTF-8', [ '@T75 企业', '=T75 测试省', '=HYPERLINK' ] ],
	[ $admin, "/admin/export/data?form=sme&format=gb18030&region=$R", 'GB18030', [ '@T75 企业', '=T75 测试省', '=HYPERLINK' ] ],
	[ $admin, '/admin/export/codebook?form=sme', 'UTF-8', [] ],
	[ $admin, '/admin/indicators.csv', 'UTF-8', [ '=T75 测试省' ] ],
	[ $admin, '/admin/indicators.csv?format=gb18030', 'GB18030', [ '=T75 测试省' ] ],
	[ $admin, '/admin/indicators.csv?sample=1', 'UTF-8', [ '=T75 测试省' ] ],
);
for my $e (@endpoints) {
	my ($ua, $path, $cs, $injected) = @$e;
	my $res = $ua->get($path);
	is $res->{status}, 200, "GET $path: 200";
	like $res->{headers}{'content-type'} // '', qr{^text/csv}, "... text/csv";
	my $t = $cs eq 'GB18030' ? gb_decode($res->{content}) : Encode::decode('UTF-8', $res->{content});
	$t =~ s/^\x{feff}//;
	my @rows = parse_csv($t);
	ok @rows > 1, "... " . scalar(@rows) . " rows";
	my @bad = grep { dangerous($_) } map { @$_ } @rows;
	is scalar(@bad), 0, "... no cell starts with TAB, CR, =, +, - or @" or diag explain [ @bad[0 .. ($#bad < 4 ? $#bad : 4)] ];
	for my $v (@$injected) {
		ok((grep { index($_, "'$v") == 0 } map { @$_ } @rows), "... \"$v...\" neutralised with an apostrophe")
			or diag "not found: $v";
	}
}

# Every place that sends text/csv is one of the endpoints above.
{
	my %sends;
	for my $file (glob(T::root() . '/cgi-bin/*.c'), glob(T::root() . '/cgi-bin/*/*.c')) {
		open my $fh, '<:encoding(UTF-8)', $file or die $!;
		my $n = grep { /"text\/csv/ && !/accept=/ } <$fh>;
		(my $b = $file) =~ s{.*/cgi-bin/}{};
		$sends{$b} = $n if $n;
	}
	is_deeply \%sends, { 'region/sample.c' => 1, 'adminweb.c' => 3, 'export.c' => 2, 'sample/followup.c' => 1 },
		'the CSV senders are the ones this test covers (region/sample.c: sample.csv; adminweb: codebook, indicators UTF-8 and GB18030; export: export data UTF-8 and GB18030; sample/followup.c: the follow-up list UTF-8 and GB18030, region and admin)';
}

sub gb_decode {
	my ($bytes) = @_;
	my $tmp = File::Temp->new;
	binmode $tmp;
	print $tmp $bytes;
	close $tmp;
	my $out = `iconv -f GB18030 -t UTF-8 '$tmp'`;
	return Encode::decode('UTF-8', $out);
}

cleanup();
T::db_query("UPDATE regions SET name = 'T75 测试省' WHERE code = '$R'");
done_testing();
