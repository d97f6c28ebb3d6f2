#!/usr/bin/perl
# 40-admin.t - the administrators' pages (smesurvey-adminweb): response list
# and read-only view, reopen, uploaded-file download, deadlines per region,
# exports (CSV UTF-8, CSV GB18030, XLSX, codebook), statistics, accounts;
# the viewer's read-only rights and the other roles' 403.
#
# Fixtures are private to this run: a region T40<n>, accounts imported with
# smesurvey-admin, and responses inserted directly into responses/answers
# (the form programs are tested elsewhere). Field codes come from the
# codebook TSVs, never from a list written here.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Encode ();
use File::Temp qw(tempdir);
use Digest::SHA qw(sha256_hex);
use IO::Uncompress::Unzip qw($UnzipError);

binmode STDOUT, ':encoding(UTF-8)';
binmode STDERR, ':encoding(UTF-8)';
my $builder = Test::More->builder;
binmode $builder->$_, ':encoding(UTF-8)' for qw(output failure_output todo_output);

my $conf = T::conf_path() or plan skip_all => 'no stack (SMESURVEY_CONF unknown)';
my $cli = T::bindir() . '/smesurvey-admin';
-x $cli or BAIL_OUT("$cli is missing: run make first");
my $appconf = T::app_conf();

# ------------------------------------------------------------- codebook
# Fields of a form in codebook order: {code, type, opts => [codes]}.
sub codebook {
	my ($form) = @_;
	my $f = T::root() . "/cgi-bin/forms/codebook/$form.tsv";
	open my $fh, '<:encoding(UTF-8)', $f or die "$f: $!";
	my $head = <$fh>;
	my @fields;
	while (<$fh>) {
		chomp;
		next unless /\S/;
		my @c = split /\t/, $_, -1;
		my @opts = map { /^\s*([^=]+?)\s*=/ ? $1 : () } split /\|/, $c[4] // '';
		push @fields, { code => $c[0], type => $c[3], opts => \@opts };
	}
	return @fields;
}

# The sme form's respondents are drawn from the sample: its exports say
# whether each account came through an invitation code (#11).
my @lead = qw(response_id region_code region_name username account_org_name status proxy submitted_at
	in_sample stratum replaces);
sub export_columns {
	my @cols = @lead;
	for my $fd (@_) {
		if ($fd->{type} eq 'multi' || $fd->{type} eq 'rank') {
			push @cols, map { "$fd->{code}__$_" } @{ $fd->{opts} };
		} else {
			push @cols, $fd->{code};
		}
	}
	return @cols;
}

# A small RFC 4180 reader (quoted fields, doubled quotes, CRLF).
sub parse_csv {
	my ($text) = @_;
	my (@rows, @row, $cell);
	my $i = 0;
	my $n = length $text;
	$cell = '';
	while ($i < $n) {
		my $ch = substr($text, $i, 1);
		if ($ch eq '"') {
			my $j = $i + 1;
			while (1) {
				my $q = index($text, '"', $j);
				die 'unterminated quote' if $q < 0;
				$cell .= substr($text, $j, $q - $j);
				if (substr($text, $q + 1, 1) eq '"') { $cell .= '"'; $j = $q + 2; next }
				$i = $q + 1;
				last;
			}
		} elsif ($ch eq ',') {
			push @row, $cell; $cell = ''; $i++;
		} elsif ($ch eq "\r" || $ch eq "\n") {
			push @row, $cell; push @rows, [@row]; @row = (); $cell = '';
			$i += ($ch eq "\r" && substr($text, $i + 1, 1) eq "\n") ? 2 : 1;
		} else {
			$cell .= $ch; $i++;
		}
	}
	if (@row || $cell ne '') { push @row, $cell; push @rows, [@row] }
	return @rows;
}

# ------------------------------------------------------------- fixtures
my $tag = substr(time, -4) . sprintf('%03d', $$ % 1000);
my $R = "T40$tag";
my $p = "t40${tag}-";
my $PW = 'T40-Test-Pass-2013';
T::db_query("INSERT INTO regions (code, name) VALUES ('$R', '测试省四十')");

my $tmp = tempdir(CLEANUP => 1);
{
	open my $f, '>:encoding(UTF-8)', "$tmp/accounts.csv" or die $!;
	print $f "username,initial_password,role,region_code,org_name,form\n";
	print $f "${p}region,$PW,region,$R,测试省中小企业局,selfeval\n";
	print $f "${p}sme$_,$PW,sme,$R,测试企业$_,sme\n" for 1 .. 5;
	close $f;
	my $out = `'$cli' --conf '$conf' import-accounts '$tmp/accounts.csv' 2>&1`;
	is $? >> 8, 0, 'test accounts imported' or diag $out;
}
my %uid = map { $_->[0] => $_->[1] }
	T::db_query("SELECT username, id FROM users WHERE username LIKE '${p}%'");
is scalar(keys %uid), 6, 'six test accounts';

my @sme = codebook('sme');
my ($S) = grep { $_->{type} eq 'single' } @sme;
my ($M) = grep { $_->{type} eq 'multi' && @{ $_->{opts} } >= 3 } @sme;
my ($K) = grep { $_->{type} eq 'rank' && @{ $_->{opts} } >= 3 } @sme;
my ($I) = grep { $_->{type} eq 'int' } @sme;
my ($X) = grep { $_->{type} eq 'text' } @sme;
ok $S && $M && $K && $I && $X, "sme codebook has single $S->{code}, multi $M->{code}, rank $K->{code}, " .
	"int $I->{code}, text $X->{code}";

# Inserts a response with answers; returns its id.
sub add_response {
	my ($form, $user, $status, %ans) = @_;
	my $sub = $status eq 'submitted' ? 'NOW()' : 'NULL';
	T::db_query("INSERT INTO responses (form, user_id, region_code, status, valid, version, submitted_at) " .
		"VALUES ('$form', $uid{$user}, '$R', '$status', 1, 1, $sub)");
	my $id = T::db_value("SELECT id FROM responses WHERE form = '$form' AND user_id = $uid{$user}");
	T::db_query("INSERT INTO answers (response_id, code, value) VALUES ($id, " . T::sql_quote($_) .
		', ' . T::sql_quote($ans{$_}) . ')') for sort keys %ans;
	return $id;
}
my ($s1, $s2, $s3) = map { $S->{opts}[$_] } 0 .. 2;
my ($m1, $m2, $m3) = map { $M->{opts}[$_] } 0 .. 2;
my ($k1, $k2, $k3) = map { $K->{opts}[$_] } 0 .. 2;
my $addr = '北京市海淀区测试路 1 号, "甲" 座';
my $r1 = add_response('sme', "${p}sme1", 'submitted', $S->{code} => $s1, $M->{code} => "$m1,$m2",
	$K->{code} => "$k2,$k1", $I->{code} => 10, $X->{code} => $addr);
my $r2 = add_response('sme', "${p}sme2", 'submitted', $S->{code} => $s1, $M->{code} => $m1,
	$I->{code} => 32, $X->{code} => '=1+2');
my $r3 = add_response('sme', "${p}sme3", 'draft', $S->{code} => $s2, $I->{code} => 1000);

my $pdf = "%PDF-1.4\n% smesurvey test $tag\n%%EOF\n";
my $hex = sha256_hex($pdf);
{
	my $path = "$appconf->{upload_dir}/$hex";
	open my $f, '>:raw', $path or die "$path: $!";
	print $f $pdf;
	close $f;
}
my $rsel = add_response('selfeval', "${p}region", 'submitted',
	report_file => "sha256:$hex:自评估报告 $tag.pdf");
# The fixtures went in with SQL: count them (as after any bulk load).
T::rebuild_aggregates();

my $admin = T::demo_login('admin');
my $viewer = T::demo_login('viewer');

# ------------------------------------------------------- other roles: 403
my @get_pages = ('/admin', '/admin/audit', '/admin/responses', "/admin/responses/view?id=$r1",
	"/admin/file?id=$rsel&code=report_file", '/admin/deadlines', '/admin/export',
	'/admin/export/data?form=sme&format=csv', '/admin/export/codebook?form=sme', '/admin/stats',
	'/admin/accounts');
for my $who ("${p}region", "${p}sme4") {
	my $ua = T::new_agent();
	$ua->login($who, $PW);
	ok $ua->logged_in, "login $who";
	for my $path (@get_pages) {
		is $ua->get($path)->{status}, 403, "$who: GET $path is 403";
	}
	my $csrf = $ua->csrf_of('/password');
	is $ua->post('/admin/responses/reopen', [ id => $r1, csrf => $csrf ])->{status}, 403,
		"$who: POST reopen is 403";
}
is T::new_agent()->get('/admin/responses')->{status}, 303, 'anonymous: redirected to login';

# ------------------------------------------------------ responses list, view
{
	my $res = $admin->get("/admin/responses?form=sme&region=$R&status=submitted");
	is $res->{status}, 200, 'response list';
	like $res->{text}, qr{<span id="total">2</span>}, 'two submitted sme responses in the test region';
	like $res->{text}, qr{data-id="$r1"}, 'first listed';
	like $res->{text}, qr{data-id="$r2"}, 'second listed';
	unlike $res->{text}, qr{data-id="$r3"}, 'the draft is filtered out';
	$res = $admin->get("/admin/responses?region=$R&status=all");
	like $res->{text}, qr{<span id="total">4</span>}, 'all forms and statuses: 4';
	like $res->{text}, qr{\Q${p}sme1\E}, 'username shown';
	is $admin->get('/admin/responses?page=999999&status=all')->{status}, 200, 'page number is bounded';

	$res = $admin->get("/admin/responses/view?id=$r1");
	is $res->{status}, 200, 'read-only view';
	like $res->{text}, qr{<dd id="status">已提交</dd>}, 'status shown';
	my $esc = $addr =~ s/"/&quot;/gr;
	like $res->{text}, qr{\Q$esc\E}, 'answer shown, escaped';
	unlike $res->{text}, qr{<input[^>]+name="\Q$X->{code}\E"}, 'no editable input';
	like $res->{text}, qr{重新开放}, 'admin gets the reopen button';
	is $admin->get('/admin/responses/view?id=999999999')->{status}, 404, 'unknown id: 404';

	$res = $viewer->get("/admin/responses/view?id=$r1");
	is $res->{status}, 200, 'viewer can view';
	unlike $res->{text}, qr{action="/admin/responses/reopen"}, 'viewer gets no reopen form';
}

# ------------------------------------------------------------ file download
{
	my $res = $admin->get("/admin/responses/view?id=$rsel");
	like $res->{text}, qr{/admin/file\?id=$rsel&amp;code=report_file}, 'view links the report';
	$res = $viewer->get("/admin/file?id=$rsel&code=report_file");
	is $res->{status}, 200, 'file download';
	is $res->{content}, $pdf, 'the stored bytes';
	like $res->{headers}{'content-type'}, qr{^application/pdf}, 'PDF content type';
	like $res->{headers}{'content-disposition'}, qr{^attachment; .*filename\*=UTF-8''}, 'attachment, UTF-8 name';
	is $admin->get("/admin/file?id=$rsel&code=p1_1_progress")->{status}, 404, 'not a file field: 404';
	is $admin->get("/admin/file?id=$r1&code=report_file")->{status}, 404, 'field of another form: 404';
	T::db_query("UPDATE answers SET value = 'sha256:" . ('0' x 64) . ":gone.pdf' " .
		"WHERE response_id = $rsel AND code = 'report_file'");
	is $admin->get("/admin/file?id=$rsel&code=report_file")->{status}, 404, 'file missing on disk: 404';
}

# ------------------------------------------------------------------ viewer
{
	my $csrf = $viewer->csrf_of('/admin/deadlines');
	ok $csrf, 'viewer has a csrf token';
	is $viewer->post('/admin/responses/reopen', [ id => $r1, csrf => $csrf ])->{status}, 403,
		'viewer: reopen refused';
	is T::db_value("SELECT status FROM responses WHERE id = $r1"), 'submitted', '... still submitted';
	is $viewer->post('/admin/deadlines', [ action => 'set', form => 'sme', region => $R,
		due => '2098-01-01 00:00:00', csrf => $csrf ])->{status}, 403, 'viewer: deadline refused';
	is T::db_value("SELECT COUNT(*) FROM deadline_overrides WHERE region_code = '$R'"), 0, '... no override';
	is $viewer->post('/admin/accounts', [ id => $uid{"${p}sme5"}, action => 'disable',
		csrf => $csrf ])->{status}, 403, 'viewer: disable refused';
	is T::db_value("SELECT disabled FROM users WHERE id = " . $uid{"${p}sme5"}), 0, '... still enabled';
	is $viewer->get('/admin/accounts')->{status}, 403, 'viewer: accounts page 403';
	unlike $viewer->get('/admin/deadlines')->{text}, qr{method="post" action="/admin/deadlines"},
		'viewer sees no deadline forms';
}

# ------------------------------------------------------------------ export
my @cols = export_columns(@sme);
my %col;
@col{@cols} = 0 .. $#cols;
my $csv_text;
{
	my $res = $admin->get("/admin/export/data?form=sme&format=csv&region=$R");
	is $res->{status}, 200, 'CSV export';
	like $res->{headers}{'content-type'}, qr{^text/csv; charset=utf-8}, 'CSV content type';
	like $res->{headers}{'content-disposition'}, qr{attachment; filename="sme-$R-submitted\.csv"}, 'file name';
	is substr($res->{content}, 0, 3), "\xEF\xBB\xBF", 'UTF-8 with a BOM (Excel on a Chinese Windows reads it right)';
	($csv_text = $res->{text}) =~ s/^\x{feff}//;
	my @rows = parse_csv($csv_text);
	is_deeply $rows[0], \@cols, 'header = leading columns + codebook codes in order (multi/rank expanded)';
	is scalar(@rows), 3, 'header + 2 submitted responses (draft excluded by default)';
	my ($a) = grep { $_->[0] eq $r1 } @rows;
	my ($b) = grep { $_->[0] eq $r2 } @rows;
	ok $a && $b, 'both responses exported';
	is scalar(@$a), scalar(@cols), 'row as wide as the header';
	is $a->[$col{region_code}], $R, 'region_code';
	is $a->[$col{username}], "${p}sme1", 'username';
	is $a->[$col{account_org_name}], '测试企业1', 'account organisation';
	is $a->[$col{status}], '已提交', 'status, in Chinese (issue 23 item 9)';
	is $a->[$col{proxy}], '0', 'not proxy-entered';
	is_deeply [ @$a[ @col{qw(in_sample stratum replaces)} ] ], [ '0', '', '0' ],
		'not a sample account: in_sample 0, no stratum, not a replacement';
	like $a->[$col{submitted_at}], qr/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'submitted_at';
	is $a->[$col{ $I->{code} }], '10', 'int value in its column';
	is $a->[$col{ $S->{code} }], $s1, 'single value';
	is $a->[$col{ $X->{code} }], $addr, 'text with comma and quotes round-trips';
	is $a->[$col{"$M->{code}__$m1"}], '1', 'multi option selected: 1';
	is $a->[$col{"$M->{code}__$m3"}], '0', 'multi option not selected: 0';
	is $a->[$col{"$K->{code}__$k2"}], '1', 'rank: first position';
	is $a->[$col{"$K->{code}__$k1"}], '2', 'rank: second position';
	is $a->[$col{"$K->{code}__$k3"}], '', 'rank: unranked option blank';
	is $b->[$col{"$K->{code}__$k1"}], '', 'unanswered rank stays blank';
	is $b->[$col{ $X->{code} }], "'=1+2", 'formula-like text is defused';

	$res = $admin->get("/admin/export/data?form=sme&format=csv&region=$R&status=all");
	is scalar(parse_csv($res->{text})), 4, 'status=all includes the draft';
	$res = $admin->get("/admin/export/data?form=sme&format=csv&region=$R&status=draft");
	my @d = parse_csv($res->{text});
	is_deeply [ scalar(@d), $d[1][0] ], [ 2, $r3 ], 'status=draft: only the draft';

	$res = $admin->get("/admin/export/data?form=sme&format=gb18030&region=$R");
	is $res->{status}, 200, 'GB18030 export';
	like $res->{headers}{'content-type'}, qr{charset=gb18030}, 'GB18030 content type';
	# Perl's core Encode has no GB18030; glibc's iconv(1) has.
	open my $gf, '>:raw', "$tmp/gb.csv" or die $!;
	print $gf $res->{content};
	close $gf;
	my $gbu = `iconv -f GB18030 -t UTF-8 '$tmp/gb.csv'`;
	is $? >> 8, 0, 'decodes as GB18030 (iconv)';
	my $gb = Encode::decode('UTF-8', $gbu);
	is $gb, $csv_text, 'same text as the UTF-8 export';
	isnt $res->{content}, Encode::encode('UTF-8', $csv_text), 'but different bytes';

	# A second header row of Chinese labels when asked for (issue 23 item 9).
	$res = $admin->get("/admin/export/data?form=sme&format=csv&region=$R&labels=1");
	(my $lt = $res->{text}) =~ s/^\x{feff}//;
	my @l = parse_csv($lt);
	is_deeply $l[0], \@cols, 'labels=1: the codes first';
	is_deeply [ @{ $l[1] }[0 .. 7] ], [ qw(答卷编号 地区代码 地区 用户名 账户单位名称 状态 代为录入 提交时间) ],
		'... then a row of Chinese labels';
	is scalar(@l), 4, '... then the same 2 rows';
	like $admin->get('/admin/export')->{text}, qr{<input type="checkbox" name="labels" value="1">}, 'the export page offers it';

	$res = $admin->get("/admin/export/data?form=sme&format=xlsx&region=$R");
	is $res->{status}, 200, 'XLSX export';
	like $res->{headers}{'content-type'}, qr{spreadsheetml\.sheet}, 'XLSX content type';
	is substr($res->{content}, 0, 4), "PK\x03\x04", 'a zip file';
	my %part;
	my $z = IO::Uncompress::Unzip->new(\$res->{content}) or die "unzip: $UnzipError";
	for (my $st = 1; $st > 0; $st = $z->nextStream) {
		my $name = $z->getHeaderInfo->{Name};
		my $data = '';
		while ((my $n = $z->read(my $chunk)) > 0) { $data .= $chunk }
		$part{$name} = $data;
	}
	like $part{'xl/workbook.xml'} // '', qr{<sheet name="sme"}, 'sheet named after the form';
	my $sheet = Encode::decode('UTF-8', $part{'xl/worksheets/sheet1.xml'} // '');
	my $strings = Encode::decode('UTF-8', $part{'xl/sharedStrings.xml'} // '');
	like $sheet . $strings, qr{\Q$I->{code}\E}, 'header cell present';
	like $sheet . $strings, qr{\Q${p}sme1\E}, 'username cell present';
	like $sheet, qr{<v>32</v>}, 'numbers stored as numbers';
	like $sheet, qr{<c r="[A-Z]+3" s="\d+"><v>\d{5}\.\d+</v></c>}, 'submitted_at stored as a date-time number';
	like $sheet . $strings, qr{提交时间}, 'a second header row of Chinese labels';
	like $sheet, qr{<pane [^>]*ySplit="2"}, 'both header rows frozen';
	like $sheet, qr{<autoFilter ref="A2:}, 'an autofilter on the label row';
	like $part{'xl/workbook.xml'} // '', qr{<sheet name="codebook"}, 'a codebook sheet with the value labels';
	my $cbsheet = Encode::decode('UTF-8', $part{'xl/worksheets/sheet2.xml'} // '') . $strings;
	like $cbsheet, qr{\Q$S->{code}\E}, '... listing the fields';

	# SPSS: PSPP reads the file back with the same values, the question
	# labels as variable labels and the option texts as value labels.
	$res = $admin->get("/admin/export/data?form=sme&format=sav&region=$R");
	is $res->{status}, 200, 'SPSS export';
	like $res->{headers}{'content-disposition'}, qr{filename="sme-$R-submitted\.sav"}, '.sav file name';
	SKIP: {
		skip 'pspp is not installed (scripts/stack deps)', 14 unless -x '/usr/bin/pspp-convert';
		open my $sf, '>:raw', "$tmp/sme.sav" or die $!;
		print $sf $res->{content};
		close $sf;
		system("pspp-convert '$tmp/sme.sav' '$tmp/sav.csv' 2>/dev/null");
		is $? >> 8, 0, 'pspp-convert reads the .sav';
		my @sv = parse_csv(Encode::decode('UTF-8', do { local $/; open my $h, '<:raw', "$tmp/sav.csv" or die $!; <$h> }));
		is_deeply $sv[0], \@cols, 'the same variables in the same order';
		my ($sa) = grep { $_->[0] eq $r1 } @sv;
		ok $sa, 'the response is a case';
		is $sa->[$col{ $I->{code} }] + 0, 10, 'a number stays a number';
		is $sa->[$col{ $X->{code} }], $addr, 'a text round-trips';
		system("pspp-convert --labels '$tmp/sme.sav' '$tmp/savl.csv' 2>/dev/null");
		my @sl = parse_csv(Encode::decode('UTF-8', do { local $/; open my $h, '<:raw', "$tmp/savl.csv" or die $!; <$h> }));
		my ($la) = grep { $_->[0] eq $r1 } @sl;
		my ($opt) = grep { $_->[0] eq $s1 } map { [ split /=/, $_, 2 ] } split / \| /,
			(grep { $_->{code} eq $S->{code} } map { { code => (split /\t/)[0], opts => (split /\t/)[4] } }
			 do { open my $h, '<:encoding(UTF-8)', T::root() . '/cgi-bin/forms/codebook/sme.tsv' or die $!; <$h> })[0]{opts};
		is $la->[$col{ $S->{code} }], $opt->[1], 'a single choice carries its option text as value label';
		my ($ilabel) = map { (split /\t/)[2] } grep { /^\Q$I->{code}\E\t/ }
			do { open my $h, '<:encoding(UTF-8)', T::root() . '/cgi-bin/forms/codebook/sme.tsv' or die $!; <$h> };
		$ilabel =~ s/(\p{Han}) (?=\p{Han})/$1/g;   # the display label (line-wrap spaces dropped)
		open my $sps, '>', "$tmp/d.sps" or die $!;
		print $sps "GET FILE='$tmp/sme.sav'.\nDISPLAY DICTIONARY /VARIABLES=$I->{code}.\n";
		close $sps;
		like Encode::decode('UTF-8', `pspp -O format=csv '$tmp/d.sps' 2>&1`), qr/^\Q$I->{code}\E,\d+,\Q$ilabel\E,/m,
			'the question label is the variable label';
		# Dates are SPSS dates and every variable has its measure level
		# (issue 23 item 9): scale for numbers and dates, ordinal for
		# ratings, nominal for the rest.
		open $sps, '>', "$tmp/m.sps" or die $!;
		print $sps "GET FILE='$tmp/sme.sav'.\nDISPLAY DICTIONARY /VARIABLES=submitted_at q1_founded $I->{code} q10_quality status response_id.\n";
		close $sps;
		my $dict = Encode::decode('UTF-8', `pspp -O format=csv '$tmp/m.sps' 2>&1`);
		my %dv = map { my @c = split /,/; ($c[0] => [ $c[3], $c[7] ]) } grep { /^\w+,\d+,/ } split /\n/, $dict;
		is_deeply $dv{submitted_at}, [ 'Scale', 'DATETIME20.0' ], 'submitted_at: an SPSS date-time, scale';
		is_deeply $dv{q1_founded}, [ 'Scale', 'DATE11' ], 'a date field: an SPSS date, scale';
		is $dv{ $I->{code} }[0], 'Scale', 'a number: scale';
		is $dv{q10_quality}[0], 'Ordinal', 'a satisfaction rating: ordinal';
		is $dv{status}[0], 'Nominal', 'a text: nominal';
		is $dv{response_id}[0], 'Nominal', 'the response id: nominal';
		my ($csv_a) = grep { $_->[0] eq $r1 } parse_csv($csv_text);
		my ($y, $mo, $d) = $csv_a->[$col{submitted_at}] =~ /^(\d{4})-(\d\d)-(\d\d)/;
		# pspp-convert writes SPSS dates as MM/DD/YYYY.
		like $sa->[$col{submitted_at}], qr{^\Q$mo/$d/$y\E \d}, "... holding the CSV's date ($y-$mo-$d)";
	}

	is $admin->get('/admin/export/data?form=nope&format=csv')->{status}, 400, 'unknown form: 400';
	is $admin->get('/admin/export/data?form=sme&format=pdf')->{status}, 400, 'unknown format: 400';

	$res = $viewer->get('/admin/export/codebook?form=sme');
	is $res->{status}, 200, 'codebook export (viewer)';
	my @cb = parse_csv($res->{text});
	is_deeply $cb[0], [qw(code section label type options unit required rule)], 'codebook header';
	is_deeply [ map { $_->[0] } @cb[1 .. $#cb] ], [ map { $_->{code} } @sme ], 'codebook codes in order';
	my ($row) = grep { $_->[0] eq $S->{code} } @cb;
	like $row->[4], qr/^\Q$s1\E=/, 'options listed';
	ok T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND detail LIKE '%region=$R%'") >= 1,
		'exports are audited';
}

# ------------------------------------------------------------------- stats
{
	my $res = $viewer->get("/admin/stats?form=sme&region=$R");
	is $res->{status}, 200, 'statistics page';
	my $t = $res->{text};
	like $t, qr{<tr data-region="$R"><td>$R</td><td>测试省四十</td><td class="num">2</td>}, 'submitted per region';
	like $t, qr{id="stats-total">2<}, 'total';
	my $opt = sub {
		my ($code, $o) = @_;
		return $t =~ m{<tr data-code="\Q$code\E" data-opt="\Q$o\E"><td>.*?</td><td class="num">(\d+)</td><td class="num">([^<]*)</td>}
			? [ $1, $2 ] : undef;
	};
	like $t, qr{<tr data-code="\Q$S->{code}\E" data-answered="2">}, 'single: 2 answered (draft excluded)';
	is_deeply $opt->($S->{code}, $s1), [ 2, '100.0%' ], 'single option 1: 2, 100%';
	is_deeply $opt->($S->{code}, $s2), [ 0, '0.0%' ], 'single option 2: 0 (only the draft chose it)';
	is_deeply $opt->($M->{code}, $m1), [ 2, '100.0%' ], 'multi option 1: 2';
	is_deeply $opt->($M->{code}, $m2), [ 1, '50.0%' ], 'multi option 2: 1, 50%';
	is_deeply $opt->($M->{code}, $m3), [ 0, '0.0%' ], 'multi option 3: 0';
	my %num;
	if ($t =~ m{<tr data-code="\Q$I->{code}\E">(.*?)</tr>}s) {
		my $row = $1;
		$num{$1} = $2 while $row =~ m{data-k="(\w+)">([^<]*)<}g;
	}
	is_deeply \%num, { n => 2, sum => 42, mean => 21, min => 10, max => 32 }, 'numeric: n, sum, mean, min, max';
	# Ranking: first choices and the mean position, not only how many ranked.
	my $rank = sub {
		my ($o) = @_;
		return $t =~ m{<tr data-code="\Q$K->{code}\E" data-opt="\Q$o\E">.*?data-k="first">(\d+)</td><td class="num" data-k="meanrank">([^<]+)</td>}
			? [ $1, $2 ] : undef;
	};
	is_deeply $rank->($k2), [ 1, '1.00' ], 'rank: option ranked first once, mean position 1';
	is_deeply $rank->($k1), [ 0, '2.00' ], 'rank: option ranked second, mean position 2';
	like $t, qr{<tr data-code="\Q$M->{code}\E" data-opt="\Q$m2\E">.*?<rect x="0" y="1" width="50\.0" height="10" class="bar"/>},
		'a bar shows the share (50%)';
}

# ----------------------------------------------------------------- reopen
{
	my $csrf = $admin->csrf_of("/admin/responses/view?id=$r1");
	is $admin->post('/admin/responses/reopen', [ id => $r1 ])->{status}, 403, 'reopen without csrf: 403';
	is T::db_value("SELECT status FROM responses WHERE id = $r1"), 'submitted', '... unchanged';
	my $res = $admin->post('/admin/responses/reopen', [ id => $r1, csrf => $csrf ]);
	is $res->{status}, 303, 'reopen';
	like $res->{headers}{location}, qr{/admin/responses/view\?id=$r1&reopened=1}, 'back to the view';
	is_deeply [ T::db_query("SELECT status, submitted_at FROM responses WHERE id = $r1") ], [ [ 'draft', undef ] ],
		'now a draft';
	like T::db_value("SELECT detail FROM audit_log WHERE action = 'response_reopen' ORDER BY id DESC LIMIT 1"),
		qr/^response=$r1 form=sme user=\Q${p}sme1\E$/, 'audited';
	is $admin->post('/admin/responses/reopen', [ id => $r1, csrf => $csrf ])->{status}, 409,
		'a draft cannot be reopened again';
	my $sme = T::new_agent();
	$sme->login("${p}sme1", $PW);
	unlike $sme->get('/form/sme')->{text}, qr{本表已提交}, 'the respondent can edit again';
}

# --------------------------------------------------------------- deadlines
{
	my $sme = T::new_agent();
	$sme->login("${p}sme4", $PW);
	ok $sme->logged_in, 'sme4 logged in';
	my $default = $appconf->{deadline_survey};
	like $sme->get('/form/sme')->{text}, qr{截止时间：\Q$default\E}, 'form shows the default deadline';

	my $csrf = $admin->csrf_of('/admin/deadlines');
	my $res = $admin->post('/admin/deadlines', [ action => 'set', form => 'sme', region => $R,
		due => '2098-07-06 05:04', csrf => $csrf ]);
	is $res->{status}, 303, 'deadline set';
	is T::db_value("SELECT due FROM deadline_overrides WHERE form = 'sme' AND region_code = '$R'"),
		'2098-07-06 05:04:00', 'stored, seconds added';
	like $sme->get('/form/sme')->{text}, qr{截止时间：2098-07-06 05:04:00}, 'the form program uses the override';
	like $admin->get('/admin/deadlines')->{text}, qr{<tr data-form="sme" data-region="$R">.*?2098-07-06 05:04:00}s,
		'listed';
	like T::db_value("SELECT detail FROM audit_log WHERE action = 'deadline_set' ORDER BY id DESC LIMIT 1"),
		qr/^form=sme region=$R due=2098-07-06 05:04:00$/, 'audited';

	# A past deadline is refused (#11); a region closed earlier (as an
	# override stored by an older version would) stays closed.
	$res = $admin->post('/admin/deadlines', [ action => 'set', form => 'sme', region => $R,
		due => '2001-01-01T08:00', csrf => $csrf ]);
	is $res->{status}, 400, 'a deadline in the past is refused (datetime-local format)';
	like $res->{text}, qr{截止时间 2001-01-01 08:00:00 已经过去，不能设为过去的时间}, '... with a message';
	is T::db_value("SELECT due FROM deadline_overrides WHERE form = 'sme' AND region_code = '$R'"),
		'2098-07-06 05:04:00', '... and nothing changed';
	T::db_query("UPDATE deadline_overrides SET due = '2001-01-01 08:00:00' WHERE form = 'sme' AND region_code = '$R'");
	like $sme->get('/form/sme')->{text}, qr{填报已于 2001-01-01 08:00:00 截止}, 'the form is closed for that region';
	unlike T::demo_login('sme')->get('/form/sme')->{text}, qr{2001-01-01}, 'other regions unaffected';

	for my $bad ('2013-02-30 10:00:00', '2013-13-01', 'tomorrow', '2013-11-30 24:00', '2013-11-30 10:00:00; DROP') {
		$res = $admin->post('/admin/deadlines', [ action => 'set', form => 'sme', region => $R,
			due => $bad, csrf => $csrf ]);
		is $res->{status}, 400, "invalid date-time '$bad' refused";
	}
	is T::db_value("SELECT due FROM deadline_overrides WHERE form = 'sme' AND region_code = '$R'"),
		'2001-01-01 08:00:00', '... nothing changed';

	# The national deadline, set on the page: every region without its own.
	my $other = T::demo_login('sme');
	$res = $admin->post('/admin/deadlines', [ action => 'set-national', form => 'sme', due => '2097-05-04 03:02:01',
		csrf => $csrf ]);
	is $res->{status}, 303, 'national deadline set on the page';
	like $other->get('/form/sme')->{text}, qr{截止时间：2097-05-04 03:02:01}, 'a region without an extension uses it';
	like $sme->get('/form/sme')->{text}, qr{2001-01-01 08:00:00}, "a region's own deadline still wins";
	like $admin->get('/admin/deadlines')->{text}, qr{<tr data-form="sme" data-national="2097-05-04 03:02:01">.*?在本页设置}s,
		'listed as set on the page';
	like T::db_value("SELECT detail FROM audit_log WHERE action = 'deadline_set' ORDER BY id DESC LIMIT 1"),
		qr/^form=sme region=all due=2097-05-04 03:02:01$/, 'audited as region=all';
	is $admin->post('/admin/deadlines', [ action => 'set-national', form => 'sme', due => '2000-01-01',
		csrf => $csrf ])->{status}, 400, 'a national deadline in the past is refused';
	$res = $admin->post('/admin/deadlines', [ action => 'remove-national', form => 'sme', csrf => $csrf ]);
	is $res->{status}, 303, 'national deadline removed';
	like $other->get('/form/sme')->{text}, qr{截止时间：\Q$default\E}, 'back to the configuration file';
	is $admin->post('/admin/deadlines', [ action => 'set', form => 'sme', region => 'T40NOPE',
		due => '2098-01-01', csrf => $csrf ])->{status}, 400, 'unknown region refused';

	$res = $admin->post('/admin/deadlines', [ action => 'remove', form => 'sme', region => $R, csrf => $csrf ]);
	is $res->{status}, 303, 'override removed';
	is T::db_value("SELECT COUNT(*) FROM deadline_overrides WHERE region_code = '$R'"), 0, '... gone';
	like $sme->get('/form/sme')->{text}, qr{截止时间：\Q$default\E}, 'back to the default deadline';
	ok T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'deadline_remove' AND detail = 'form=sme region=$R'"),
		'removal audited';
}

# ---------------------------------------------------------------- accounts
{
	my $res = $admin->get("/admin/accounts?role=sme&region=$R");
	is $res->{status}, 200, 'accounts page';
	like $res->{text}, qr{<span id="total">5</span>}, 'filtered by role and region: 5 sme accounts';
	unlike $res->{text}, qr{\Q${p}region\E}, 'the region account is filtered out';

	my $victim = T::new_agent();
	$victim->login("${p}sme5", $PW);
	ok $victim->logged_in, 'sme5 logged in';
	is $victim->get('/form/sme')->{status}, 200, 'sme5 can open the form';

	my $csrf = $admin->csrf_of('/admin/accounts');
	$res = $admin->post('/admin/accounts', [ id => $uid{"${p}sme5"}, action => 'disable', csrf => $csrf ]);
	is $res->{status}, 303, 'disable';
	is T::db_value("SELECT disabled FROM users WHERE id = " . $uid{"${p}sme5"}), 1, 'disabled in the database';
	like $victim->get('/form/sme')->{headers}{location} // '', qr{/login}, 'the session stopped working';
	my $again = T::new_agent();
	$again->login("${p}sme5", $PW);
	ok !$again->logged_in, 'cannot log in while disabled';
	like T::db_value("SELECT detail FROM audit_log WHERE action = 'account_disable' ORDER BY id DESC LIMIT 1"),
		qr/^user=\Q${p}sme5\E$/, 'audited';
	like $admin->get("/admin/accounts?role=sme&region=$R")->{text},
		qr{data-username="\Q${p}sme5\E">.*?<td class="state">已停用</td>}s, 'listed as disabled';

	$res = $admin->post('/admin/accounts', [ id => $uid{"${p}sme5"}, action => 'enable', csrf => $csrf ]);
	is $res->{status}, 303, 'enable';
	$again = T::new_agent();
	$again->login("${p}sme5", $PW);
	ok $again->logged_in, 'can log in again';

	my $self = T::db_value("SELECT id FROM users WHERE username = 'admin'");
	is $admin->post('/admin/accounts', [ id => $self, action => 'disable', csrf => $csrf ])->{status}, 400,
		'an administrator cannot disable their own account';
	is $admin->post('/admin/accounts', [ id => $uid{"${p}sme5"}, action => 'disable' ])->{status}, 403,
		'disable without csrf: 403';
}

done_testing;
