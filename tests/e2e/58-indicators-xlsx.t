#!/usr/bin/perl
# 58-indicators-xlsx.t - the indicators as XLSX (issue 11 item 7):
#   /admin/indicators.xlsx holds the rows of /admin/indicators.csv in the
#   column order of the shared README (region_code, region_name, indicator,
#   content, label, value, unit, n), value and n stored as numbers with the
#   CSV's values, a frozen header and an autofilter; also with sample=1. A
#   region gets 403. When LibreOffice is installed, it converts the workbook
#   headless to CSV with the same numbers (optional; skipped otherwise).
use strict;
use warnings;
use utf8;
use Test::More;
use Encode ();
use File::Temp qw(tempdir);
use IO::Uncompress::Unzip qw($UnzipError);
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;
T::conf_path() or plan skip_all => 'SMESURVEY_CONF unknown (start the stack first)';
my $tmp = tempdir(CLEANUP => 1);

sub parse_csv {
	my ($t) = @_;
	my (@rows, @row, $q);
	my $cell = '';
	for (my $i = 0; $i < length $t; $i++) {
		my $c = substr $t, $i, 1;
		if ($q) {
			if ($c eq '"') {
				if (substr($t, $i + 1, 1) eq '"') { $cell .= '"'; $i++ } else { $q = 0 }
			} else { $cell .= $c }
		} elsif ($c eq '"') { $q = 1 }
		elsif ($c eq ',') { push @row, $cell; $cell = '' }
		elsif ($c eq "\r") { }
		elsif ($c eq "\n") { push @row, $cell; push @rows, [@row]; @row = (); $cell = '' }
		else { $cell .= $c }
	}
	push @row, $cell if length $cell || @row;
	push @rows, [@row] if @row;
	return @rows;
}
sub xml_text { my $s = shift; $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&apos;/'/g; $s =~ s/&amp;/&/g; return $s }
sub col_index { my $l = shift; my $n = 0; $n = $n * 26 + ord($_) - 64 for split //, $l; return $n - 1 }

# The rows of the first sheet: strings (shared or inline), numbers as
# numbers (a marker says which).
sub xlsx_rows {
	my ($bytes) = @_;
	my %part;
	my $z = IO::Uncompress::Unzip->new(\$bytes) or die "unzip: $UnzipError";
	for (my $st = 1; $st > 0; $st = $z->nextStream) {
		my $name = $z->getHeaderInfo->{Name};
		my $data = '';
		while ((my $n = $z->read(my $chunk)) > 0) { $data .= $chunk }
		$part{$name} = Encode::decode('UTF-8', $data);
	}
	my @ss = map { xml_text(join '', /<t[^>]*>(.*?)<\/t>/gs) } ($part{'xl/sharedStrings.xml'} // '') =~ m{<si>(.*?)</si>}gs;
	my $sheet = $part{'xl/worksheets/sheet1.xml'} // '';
	my @rows;
	while ($sheet =~ m{<row r="(\d+)"[^>]*>(.*?)</row>}gs) {
		my ($r, $body) = ($1, $2);
		my @row = ('') x 8;
		my @num = (0) x 8;
		while ($body =~ m{<c r="([A-Z]+)\d+"([^>]*?)(?:/>|>(.*?)</c>)}gs) {
			my ($col, $attr, $inner) = (col_index($1), $2, $3 // '');
			# Inline strings: the workbook is written in constant-memory mode.
			if ($attr =~ /t="inlineStr"/) { $row[$col] = xml_text(join '', $inner =~ m{<t[^>]*>(.*?)</t>}gs); next }
			my ($v) = $inner =~ m{<v>(.*?)</v>}s;
			next unless defined $v;
			if ($attr =~ /t="s"/) { $row[$col] = $ss[$v] }
			else { $row[$col] = $v; $num[$col] = 1 }
		}
		$rows[$r - 1] = { cells => \@row, num => \@num };
	}
	return (\@rows, $sheet);
}

my $admin = T::demo_login('admin');
for my $sample (0, 1) {
	my $csv = $admin->get("/admin/indicators.csv?sample=$sample");
	is $csv->{status}, 200, "indicators.csv?sample=$sample";
	my $text = Encode::decode('UTF-8', $csv->{content});
	$text =~ s/^\x{feff}//;
	my @c = parse_csv($text);
	my $x = $admin->get("/admin/indicators.xlsx?sample=$sample");
	is $x->{status}, 200, "indicators.xlsx?sample=$sample";
	like $x->{headers}{'content-type'}, qr{spreadsheetml\.sheet}, '... XLSX content type';
	like $x->{headers}{'content-disposition'} // '', qr{indicators(-sample)?\.xlsx}, '... file name';
	is substr($x->{content}, 0, 4), "PK\x03\x04", '... a zip file';
	my ($rows, $sheet) = xlsx_rows($x->{content});
	is_deeply $rows->[0]{cells}, [qw(region_code region_name indicator content label value unit n)],
		'... the README\'s column order';
	is scalar @$rows, scalar @c, '... as many rows as the CSV (' . scalar(@c) . ')';
	my ($bad, $numbers) = (0, 0);
	for my $i (1 .. $#c) {
		my ($cr, $xr) = ($c[$i], $rows->[$i]);
		$bad++, diag("row $i missing"), next unless $xr;
		for my $k (0 .. 7) {
			my ($cv, $xv) = ($cr->[$k] // '', $xr->{cells}[$k] // '');
			if ($k == 5 || $k == 7) {
				if ($cv eq '') { $bad++, diag "row $i col $k: '$xv' for empty" if $xv ne '' }
				else {
					$bad++, diag "row $i col $k: not a number" unless $xr->{num}[$k];
					$bad++, diag "row $i col $k: $xv vs $cv" unless $xv ne '' && abs($xv - $cv) < 1e-9;
					$numbers++;
				}
			} elsif ($cv ne $xv) {
				$bad++;
				diag "row $i col $k: '$xv' vs '$cv'";
			}
		}
	}
	is $bad, 0, "... every cell as in the CSV ($numbers numbers stored as numbers)";
	like $sheet, qr{<pane [^>]*ySplit="1"}, '... frozen header';
	like $sheet, qr{<autoFilter ref="A1:H\d+"}, '... autofilter';

	SKIP: {
		my ($lo) = grep { -x $_ } qw(/usr/bin/libreoffice /usr/bin/soffice);
		skip 'LibreOffice is not installed (optional check)', 1 unless $lo;
		open my $fh, '>:raw', "$tmp/ind.xlsx" or die $!;
		print $fh $x->{content};
		close $fh;
		system("cd '$tmp' && HOME='$tmp' timeout 120 '$lo' --headless --convert-to csv ind.xlsx >/dev/null 2>&1");
		my @lc = -f "$tmp/ind.csv" ? parse_csv(Encode::decode('UTF-8', do { local $/; open my $h, '<:raw', "$tmp/ind.csv" or die $!; <$h> })) : ();
		my $lbad = @lc == @c ? 0 : 1;
		for my $i (1 .. $#c) {
			for my $k (5, 7) {
				my ($cv, $lv) = ($c[$i][$k] // '', $lc[$i][$k] // '');
				$lbad++ if ($cv eq '') != ($lv eq '') || ($cv ne '' && abs($lv - $cv) > 1e-6);
			}
		}
		is $lbad, 0, 'LibreOffice converts the XLSX with the same numbers';
	}
}

my $region = T::demo_login('region');
is $region->get('/admin/indicators.xlsx')->{status}, 403, 'a region gets 403 on the national XLSX';

done_testing();
