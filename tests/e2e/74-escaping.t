#!/usr/bin/perl
# 74-escaping.t - the escaping corpus (tests/access/payloads.txt): every
# payload is put, through the product's own paths, into the texts a
# respondent or a region controls - a questionnaire's text answers (one SME
# account per payload, submitted), a sample unit's name (a frame imported
# with smesurvey-admin import-frame, drawn, slips printed) and a follow-up
# note (POST /region/followups/unit) - and every view that shows them is
# fetched: the HTML pages and the printable ones must show no live markup
# (no payload verbatim where it holds <, > or a quote; no javascript: URL
# in an attribute), the CSV exports (UTF-8 and GB18030) no cell that starts
# a formula, the XLSX export (openpyxl) no formula cell, the SAV export
# (pspp-convert) and the slips' PDF text layer (pdftotext) the payloads
# as text. A NUL byte is refused and never stored cut short.
# Fresh accounts and a frame in region T74A01.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;
use Encode ();
use File::Temp qw(tempdir);

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $R = 'T74A01';
my $tmp = tempdir(CLEANUP => 1);
my $cli = T::bindir() . '/smesurvey-admin';

# ---- the corpus
my @P;
{
	open my $fh, '<:encoding(UTF-8)', T::root() . '/tests/access/payloads.txt' or die $!;
	while (<$fh>) {
		chomp;
		next if /^\s*(#|$)/;
		my ($id, $text) = split /\t/, $_, 2;
		$text =~ s/\\x\{([0-9A-Fa-f]+)\}/chr hex $1/ge;
		# The marker ends the value: a formula starter stays at its start.
		push @P, { id => $id, text => $text, value => "$text Z74$id" };
	}
}
ok @P >= 15, scalar(@P) . ' payloads';
my $markup = qr/[<>"']/;

# What would be live in an HTML page.
sub live_in_html {
	my ($html) = @_;
	my @bad;
	for my $p (@P) {
		push @bad, "$p->{id} verbatim" if $p->{text} =~ $markup && index($html, $p->{text}) >= 0;
	}
	push @bad, 'javascript: URL' if $html =~ /\b(?:href|src|action|formaction)\s*=\s*["']?\s*javascript:/i;
	push @bad, 'injected tag' if $html =~ /<(?:script>alert|img src=x|svg\/onload|b>bold7)/;
	return @bad;
}
sub markers_in { my ($t) = @_; return scalar grep { index($t, "Z74$_->{id}") >= 0 } @P }

# ---- fixtures through the product
T::db_query("DELETE f FROM followups f WHERE f.region_code = '$R'");
T::db_query("UPDATE sample_units SET user_id = NULL WHERE region_code = '$R'");
T::db_query("DELETE su FROM sample_units su JOIN samples s ON s.id = su.sample_id WHERE s.region_code = '$R'");
T::db_query("DELETE FROM samples WHERE region_code = '$R'");
T::db_query("DELETE FROM revoked_codes WHERE region_code = '$R'");
T::db_query("DELETE FROM frames WHERE region_code = '$R'");
my $acc = Forms::fresh_accounts('t74', $R, 'T74A 测试省', [ 'region', ('sme') x @P ]);

# A frame whose first units are named by the payloads (CSV quoting).
{
	open my $fh, '>:encoding(UTF-8)', "$tmp/sme.csv" or die $!;
	print $fh "企业名称\n";
	for my $p (@P) { (my $q = $p->{value}) =~ s/"/""/g; print $fh "\"$q\"\n" }
	printf $fh "七四企业%03d有限公司\n", $_ for 1 .. 110;
	close $fh;
	for my $cmd ("import-frame $R sme $tmp/sme.csv", "draw $R sme --seed 74") {
		my $out = `'$cli' --conf '${\ T::conf_path()}' $cmd 2>&1`;
		is $?, 0, "smesurvey-admin $cmd" or diag $out;
	}
}
my %unit;   # payload id => sample unit id
# Control characters: a frame turns them into spaces, a questionnaire
# refuses them at the field (below).
sub spaced { (my $v = $_[0]) =~ s/[\x00-\x1f\x7f]/ /g; return $v }
for my $p (@P) {
	$unit{ $p->{id} } = T::db_value("SELECT su.id FROM sample_units su JOIN samples s ON s.id = su.sample_id"
		. " WHERE s.region_code = '$R' AND su.name = " . T::sql_quote(spaced($p->{value})));
}
is scalar(grep { defined } values %unit), scalar @P, 'every payload is a unit name, as imported (control characters as spaces)';

# Each SME account answers its payload in every text field and submits.
my $f = Forms::load('sme');
my @texts = map { $_->{code} } grep { $_->{type} =~ /^(text|textarea|org_name)$/ } @{ $f->{fields} };
ok @texts >= 3, "text fields: @texts";
my (%rid, %uid);
for my $i (0 .. $#P) {
	my $p = $P[$i];
	my $a = $acc->{ $i ? 'sme' . ($i + 1) : 'sme' };
	$uid{ $p->{id} } = $a->{id};
	my $vals = Forms::valid_values($f);
	$vals->{$_} = $p->{value} for grep { exists $vals->{$_} } @texts;
	my $ua = Forms::login_as($a);
	my $csrf = $ua->csrf_of('/form/sme');
	my $res;
	if (spaced($p->{value}) ne $p->{value}) {
		$res = $ua->post('/form/sme', [ csrf => $csrf, action => 'submit', confirm => 1, @{ Forms::post_params($f, $vals) } ]);
		is $res->{status}, 200, "$p->{id}: control characters refused";
		like $res->{text}, qr/class="field-error"/, '... at the field';
		is_deeply [ live_in_html($res->{text}) ], [], '... the page showing them has no live markup';
		$p->{value} = spaced($p->{value});
		$vals->{$_} = $p->{value} for grep { exists $vals->{$_} } @texts;
	}
	$res = $ua->post('/form/sme', [ csrf => $csrf, action => 'submit', confirm => 1, @{ Forms::post_params($f, $vals) } ]);
	is $res->{status}, 303, "$p->{id}: the SME form with the payload submitted";
	$rid{ $p->{id} } = Forms::response_row('sme', $a->{id})->{id};
	my $stored = Forms::stored_answers($rid{ $p->{id} });
	is $stored->{q1_contact}, $p->{value}, "$p->{id}: stored as typed";
	# The respondent's own views.
	for my $v ('/form/sme', '/form/sme/print') {
		my $page = $ua->get($v);
		is_deeply [ live_in_html($page->{text}) ], [], "$p->{id}: $v shows no live markup";
		ok markers_in($page->{text}) >= 1, "$p->{id}: ... and shows the payload";
	}
}

# The region: follow-up notes with the payloads, then its views.
my $region = Forms::login_as($acc->{region});
my $nselected = 0;   # payload units drawn as selected (the follow-up lists show those)
{
	my $csrf = $region->csrf_of('/region/slips');
	my $res = $region->post('/region/slips', [ csrf => $csrf, stratum => 'sme', scope => 'new' ]);
	is $res->{status}, 200, 'slips printed';
	my $pdf = "$tmp/slips.pdf";
	open my $fh, '>:raw', $pdf or die $!;
	print $fh $res->{content};
	close $fh;
	my $txt = Encode::decode('UTF-8', scalar `pdftotext -enc UTF-8 '$pdf' - 2>/dev/null`);
	# (T::db_value reads with while (<>): no $_ around it.)
	my @selected;
	for my $p (@P) {
		push @selected, $p if T::db_value("SELECT role FROM sample_units WHERE id = $unit{$p->{id}}") eq 'selected';
	}
	(my $flat = $txt) =~ s/\s+//g;   # a long name wraps
	my $shown = grep { index($flat, "Z74$_->{id}") >= 0 } @selected;
	is $shown, scalar @selected, "the slips' text layer names the selected payload units ($shown)"
		or diag 'missing: ' . join(' ', map { $_->{id} } grep { index($flat, "Z74$_->{id}") < 0 } @selected);
	$nselected = @selected;
}
for my $p (@P) {
	my $csrf = $region->csrf_of("/region/followups/unit?unit=$unit{$p->{id}}");
	my $res = $region->post('/region/followups/unit', [ csrf => $csrf, unit => $unit{ $p->{id} },
		outcome => 'called', note => $p->{value} ]);
	ok $res->{status} == 303 || $res->{status} == 200, "$p->{id}: follow-up note recorded ($res->{status})";
}
my $admin = T::demo_login('admin');
my @html = (
	[ $region, '/region/sample' ], [ $region, '/region/progress' ], [ $region, '/region/followups?kind=sme' ],
	[ $region, '/region/followups/print?kind=sme' ], [ $region, '/region/slips' ], [ $region, '/form/sme/proxy' ],
	[ $admin, '/admin/responses?status=all' ], [ $admin, "/admin/followups?region=$R&kind=sme" ],
	[ $admin, "/admin/followups/print?region=$R&kind=sme" ], [ $admin, '/admin/audit' ],
	[ $admin, '/admin/indicators' ],
	(map { ([ $region, "/region/followups/unit?unit=$unit{$_->{id}}" ], [ $admin, "/admin/followups/unit?unit=$unit{$_->{id}}" ],
	        [ $admin, "/admin/responses/view?id=$rid{$_->{id}}" ], [ $region, "/form/sme/print?for=$uid{$_->{id}}" ]) } @P),
);
for my $h (@html) {
	my ($ua, $path) = @$h;
	my $res = $ua->get($path);
	is $res->{status}, 200, "GET $path: 200";
	is_deeply [ live_in_html($res->{text}) ], [], "... no live markup (" . markers_in($res->{text}) . ' payloads shown)';
}

# ---- exports
sub parse_csv {
	my ($t) = @_;
	my (@cells, $q);
	my $cell = '';
	my @c = split //, $t;
	for (my $i = 0; $i < @c; $i++) {
		my $c = $c[$i];
		if ($q) {
			if ($c ne '"') { $cell .= $c }
			elsif (($c[$i + 1] // '') eq '"') { $cell .= '"'; $i++ }
			else { $q = 0 }
		} elsif ($c eq '"') { $q = 1 }
		elsif ($c eq ',' || $c eq "\n") { push @cells, $cell; $cell = '' }
		elsif ($c ne "\r") { $cell .= $c }
	}
	push @cells, $cell;
	return @cells;
}
sub formula_cells { return grep { /^[=+\-\@\t\r]/ && !/^-?\d+(\.\d+)?$/ } @_ }
sub iconv_gb { my ($b) = @_; my $fh = File::Temp->new; binmode $fh; print $fh $b; close $fh;
	return Encode::decode('UTF-8', scalar `iconv -f GB18030 -t UTF-8 '$fh'`) }
for my $e ([ $admin, "/admin/export/data?form=sme&format=csv&region=$R&status=all", 'UTF-8', scalar @P ],
           [ $admin, "/admin/export/data?form=sme&format=gb18030&region=$R&status=all", 'GB18030', scalar @P ],
           [ $region, '/region/followups.csv?kind=sme', 'UTF-8', $nselected ],
           [ $region, '/region/followups.csv?kind=sme&format=gb18030', 'GB18030', $nselected ],
           [ $admin, "/admin/followups.csv?region=$R&kind=sme", 'UTF-8', $nselected ],
           [ $region, '/region/sample.csv?kind=sme', 'UTF-8', scalar @P ]) {
	my ($ua, $path, $cs, $want) = @$e;
	my $res = $ua->get($path);
	is $res->{status}, 200, "GET $path: 200";
	my $t = $cs eq 'GB18030' ? iconv_gb($res->{content}) : Encode::decode('UTF-8', $res->{content});
	my @cells = parse_csv($t);
	ok markers_in($t) >= $want, '... carries the payloads (' . markers_in($t) . " of $want)";
	is_deeply [ formula_cells(@cells) ], [], '... no cell starts a formula';
}
# XLSX through openpyxl: no cell is a formula, the payloads are text.
{
	my $res = $admin->get("/admin/export/data?form=sme&format=xlsx&region=$R&status=all");
	is $res->{status}, 200, 'XLSX export';
	open my $fh, '>:raw', "$tmp/e.xlsx" or die $!;
	print $fh $res->{content};
	close $fh;
	my $py = q{
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
f = t = 0
for ws in wb.worksheets:
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f": f += 1
            if isinstance(c.value, str) and "Z74P" in c.value: t += 1
print(f, t)
};
	my $o = `/usr/bin/python3 -c '$py' '$tmp/e.xlsx' 2>&1`;
	my ($formulas, $texts) = split ' ', $o;
	diag $o if $formulas !~ /^\d+$/;
	is $formulas, 0, 'XLSX: no formula cell';
	ok(($texts // 0) >= @P, "XLSX: the payloads are text cells ($texts)");
}
# SAV through pspp-convert: the payloads come back as values.
{
	my $res = $admin->get("/admin/export/data?form=sme&format=sav&region=$R&status=all");
	is $res->{status}, 200, 'SAV export';
	open my $fh, '>:raw', "$tmp/e.sav" or die $!;
	print $fh $res->{content};
	close $fh;
	system('pspp-convert', "$tmp/e.sav", "$tmp/sav.csv") == 0 or diag 'pspp-convert failed';
	open my $c, '<:encoding(UTF-8)', "$tmp/sav.csv" or die "sav.csv: $!";
	my $t = do { local $/; <$c> };
	is markers_in($t), scalar @P, 'SAV: the payloads come back';
}

# ---- NUL: refused at the field, never stored cut short
{
	my $a = $acc->{sme};
	my $ua = Forms::login_as($a);
	T::db_query("UPDATE responses SET status = 'draft' WHERE id = $rid{P01}");
	my $page = $ua->get('/form/sme');
	my ($ver) = $page->{text} =~ /name="version" value="(\d+)"/;
	my $res = $ua->post('/form/sme', [ csrf => T::csrf_from($page->{text}), version => $ver, action => 'save',
		q1_contact => "abc\0def" ]);
	like $res->{text}, qr/不能包含空字符/, 'NUL: refused at the field';
	isnt Forms::stored_answers($rid{P01})->{q1_contact} // '', 'abc', '... not stored cut short';
	$res = $region->post('/region/followups/unit', [ csrf => $region->csrf_of('/region/followups'),
		unit => $unit{P02}, outcome => 'called', note => "abc\0def" ]);
	is $res->{status}, 400, 'NUL in a follow-up note: 400';
	is T::db_value("SELECT COUNT(*) FROM followups WHERE note = 'abc'"), 0, '... nothing stored';
}

done_testing();
