#!/usr/bin/perl
# 79-export-packed.t - the answers of a submitted response are packed into
# one row at submit (sql/085_response_packed.sql, issue 21 item 5), and the
# data export reads that row instead of the answer rows. The export must not
# tell the two apart:
#   - every submit leaves a pack of the response's current version;
#   - the export (CSV, GB18030 CSV with the label row, XLSX's data sheet,
#     SAV read back by PSPP) is byte-identical with the packs and with them
#     deleted (every answer from the answer rows), and again after
#     `smesurvey-admin rebuild-packed-answers`;
#   - the export really reads the packs (a pack changed with SQL, at the
#     current version, shows in it);
#   - a response changed after its submit exports its new answers: reopened
#     by the administrator (the pack is stale: its draft answers are read),
#     changed as a draft, then submitted again (a new pack).
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;
use File::Temp qw(tempdir);
use Encode qw(decode encode);

binmode STDOUT, ':encoding(UTF-8)';
binmode STDERR, ':encoding(UTF-8)';
my $builder = Test::More->builder;
binmode $builder->$_, ':encoding(UTF-8)' for qw(output failure_output todo_output);

T::conf_path() or plan skip_all => 'no stack (SMESURVEY_CONF unknown)';
my $tmp = tempdir(CLEANUP => 1);
my $cli = T::bindir() . '/smesurvey-admin';
my $conf = T::conf_path();
sub admin_cli { my $out = `'$cli' --conf '$conf' @_ 2>&1`; return ($? >> 8, $out) }

my $REGION = 'T79A01';
my $acc = Forms::fresh_accounts('t79', $REGION, 'T79 测试省', [ (qw(sme)) x 3 ]);
my $f = Forms::load('sme');
sub version_of { my ($html) = @_; return $html =~ /name="version" value="(\d+)"/ ? $1 : undef }

# Values that would trip a careless packing: a value holding a TAB, a
# newline, digits and a colon, and another answer's code (the pack is
# code TAB length ':' value NL).
sub values_for {
	my ($k, $suggestion) = @_;
	my $v = Forms::valid_values($f);
	my ($ta) = grep { $_->{type} eq 'textarea' && defined $v->{ $_->{code} } } @{ $f->{fields} };
	$v->{ $ta->{code} } = $suggestion // "第${k}条\tq1_addr\t3:abc\n12:34，\"引号\"" if $ta;
	return ($v, $ta ? $ta->{code} : undef);
}

# Saves or submits the SME's form with values; true when it was stored.
sub post_form {
	my ($ua, $vals, $action) = @_;
	my $res = $ua->get('/form/sme');
	return 0 unless $res->{status} == 200 && defined version_of($res->{text});
	my @p = (@{ Forms::post_params($f, $vals) }, csrf => T::csrf_from($res->{text}),
		version => version_of($res->{text}), action => $action, ($action eq 'submit' ? (confirm => 1) : ()));
	return $ua->post('/form/sme', \@p)->{status} == 303;
}

my (%ua, $ta_code);
for my $k (sort keys %$acc) {
	$ua{$k} = Forms::login_as($acc->{$k});
	my ($vals, $code) = values_for($k);
	$ta_code //= $code;
	ok post_form($ua{$k}, $vals, 'submit'), "$k submits";
}
ok $ta_code, 'the SME form has a text area to carry awkward bytes';
my $rq = T::sql_quote($REGION);
my $ids = "SELECT id FROM responses WHERE region_code = $rq AND form = 'sme'";
is T::db_value("SELECT COUNT(*) FROM responses WHERE region_code = $rq AND status = 'submitted'"), 3,
	'three submitted responses';
is T::db_value("SELECT COUNT(*) FROM response_packed pk JOIN responses r ON r.id = pk.response_id"
	. " AND pk.version = r.version WHERE r.region_code = $rq"), 3, '... each packed at its current version';

my $admin = T::demo_login('admin');

# Every format of the region's export, in a comparable form: CSV and GB18030
# as sent, the XLSX's data sheet (the package's timestamps differ), the SAV
# as PSPP reads it (its header carries the time of writing).
sub export_all {
	my ($tag) = @_;
	my %out;
	for my $fmt (qw(csv gb18030 xlsx sav)) {
		my $res = $admin->get("/admin/export/data?form=sme&format=$fmt&status=all&region=$REGION&labels=1");
		is $res->{status}, 200, "$tag: $fmt export";
		my $file = "$tmp/$tag.$fmt";
		open my $o, '>:raw', $file or die "$file: $!";
		print $o $res->{content};
		close $o;
		if ($fmt eq 'xlsx') {
			$out{$fmt} = `unzip -p '$file' xl/worksheets/sheet1.xml xl/sharedStrings.xml`;
		} elsif ($fmt eq 'sav') {
			system('pspp-convert', $file, "$file.csv") == 0 or die 'pspp-convert failed';
			open my $i, '<:raw', "$file.csv" or die $!;
			local $/;
			$out{$fmt} = <$i>;
		} else {
			$out{$fmt} = $res->{content};
		}
	}
	return \%out;
}

sub same_exports {
	my ($a, $b, $what) = @_;
	for my $fmt (qw(csv gb18030 xlsx sav)) {
		ok length($a->{$fmt}) > 0 && $a->{$fmt} eq $b->{$fmt}, "$fmt: $what";
	}
}

my $packed = export_all('packed');
my $csv = decode('UTF-8', $packed->{csv});
like $csv, qr/第sme条\tq1_addr\t3:abc\n12:34，""引号""/, 'the awkward value is exported whole';

T::db_query("DELETE pk FROM response_packed pk JOIN responses r ON r.id = pk.response_id WHERE r.region_code = $rq");
same_exports($packed, export_all('rows'), 'byte-identical from the packs and from the answer rows');

my ($rc, $out) = admin_cli('rebuild-packed-answers');
is $rc, 0, 'rebuild-packed-answers' or diag $out;
is T::db_value("SELECT COUNT(*) FROM response_packed pk JOIN responses r ON r.id = pk.response_id"
	. " AND pk.version = r.version WHERE r.region_code = $rq"), 3, '... packed the three again';
like T::db_value("SELECT detail FROM audit_log WHERE action = 'answers-repack' ORDER BY id DESC LIMIT 1"),
	qr/packed=\d+ dropped=\d+/, '... audited';
same_exports($packed, export_all('rebuilt'), 'byte-identical after the rebuild');

# The export reads the pack: one changed with SQL (at the current version)
# shows in the CSV. Then the rebuild restores it.
my $sme2 = Forms::response_row('sme', $acc->{sme2}{id})->{id};
my $tampered = "第sme2条 已改";
T::db_query("UPDATE response_packed SET answers = CONCAT(answers, "
	. T::sql_quote($ta_code) . ", '\\t', LENGTH(" . T::sql_quote($tampered) . "), ':', "
	. T::sql_quote($tampered) . ", '\\n') WHERE response_id = $sme2");
my $res = $admin->get("/admin/export/data?form=sme&format=csv&status=all&region=$REGION");
like decode('UTF-8', $res->{content}), qr/\Q$tampered\E/, 'a pack changed with SQL shows: the export reads the packs';
($rc, $out) = admin_cli('rebuild-packed-answers');
is $rc, 0, 'rebuild-packed-answers restores it' or diag $out;

# A repair after submit: the administrator reopens sme1's response. Its
# pack is now stale; the export reads its answer rows (status 草稿).
my $sme1 = Forms::response_row('sme', $acc->{sme}{id})->{id};
my $csrf = $admin->csrf_of("/admin/responses/view?id=$sme1");
is $admin->post('/admin/responses/reopen', [ id => $sme1, csrf => $csrf ])->{status}, 303, 'the admin reopens sme1';
my $row_of = sub {
	my ($id) = @_;
	my $r = $admin->get("/admin/export/data?form=sme&format=csv&status=all&region=$REGION");
	my ($line) = grep { /^$id,/ } split /\r?\n(?=\d+,|\z)/, decode('UTF-8', $r->{content});
	return $line // '';
};
like $row_of->($sme1), qr/草稿/, 'the reopened response exports as a draft';
like $row_of->($sme1), qr/第sme条/, '... with its answers';

# The SME changes its answer as a draft: the export shows the new one.
my ($vals) = values_for('sme', '重新填写的建议 一');
ok post_form($ua{sme}, $vals, 'save'), 'sme1 saves a changed draft';
like $row_of->($sme1), qr/重新填写的建议 一/, 'the export shows the changed draft answer';
unlike $row_of->($sme1), qr/第sme条/, '... not the packed one';

# Submitted again: a new pack, and the export shows the new answer.
($vals) = values_for('sme', '重新填写的建议 二');
ok post_form($ua{sme}, $vals, 'submit'), 'sme1 submits again';
is T::db_value("SELECT COUNT(*) FROM response_packed pk JOIN responses r ON r.id = pk.response_id"
	. " AND pk.version = r.version WHERE r.id = $sme1"), 1, '... packed at its new version';
like $row_of->($sme1), qr/已提交.*重新填写的建议 二/, 'the export shows the resubmitted answer';

# And the whole export still agrees with the answer rows.
my $now = export_all('after-repair');
T::db_query("DELETE pk FROM response_packed pk JOIN responses r ON r.id = pk.response_id WHERE r.region_code = $rq");
same_exports($now, export_all('after-repair-rows'), 'after the repair: byte-identical with the answer rows');
admin_cli('rebuild-packed-answers');

done_testing();
