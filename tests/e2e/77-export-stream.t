#!/usr/bin/perl
# 77-export-stream.t - exports stream in flat memory from their own program
# (issue 13, item 2). A national data set is generated with
# `scripts/bench-scale` (N=200: 40 regions x 200 SMEs), then every format is
# exported while the export workers' resident memory is sampled:
#   - the peak (VmHWM, reset before each export through clear_refs) stays
#     under 64 MiB, and the worker is back near its baseline afterwards;
#   - the output is complete: as many data rows as submitted SME responses;
#   - the headers arrive before the body is complete (chunked, no length);
#   - the admin pages (smesurvey-adminweb) answer while an export runs.
# No time is asserted (speed goals live in BENCHMARKS.md). The generated
# data is removed at the end.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use File::Temp qw(tempdir);
use Time::HiRes qw(sleep);
use POSIX ();

my $conf = T::conf_path() or plan skip_all => 'no stack (SMESURVEY_CONF unknown)';
my $root = T::root();
my $vardir = T::vardir();
my $tmp = tempdir(CLEANUP => 1);
my $LIMIT_KB = 64 * 1024;

sub bench_scale {
	my (%env) = @_;
	local @ENV{ keys %env } = values %env;
	my $out = `$root/scripts/bench-scale 2>&1`;
	return ($? == 0, $out);
}

my ($ok, $out) = bench_scale(N => 200, GEN_ONLY => 1);
ok $ok, 'bench-scale N=200 generated the national data set' or diag $out;
my $parent = $$;
END { bench_scale(REMOVE => 1) if $root && $$ == $parent }

my $submitted = T::db_value("SELECT COUNT(*) FROM responses WHERE form = 'sme' AND status = 'submitted'");
cmp_ok $submitted, '>=', 40 * 200 * 0.6, "$submitted submitted SME responses to export";

# The export workers: children of smesurvey-export's supervisor.
sub export_workers {
	my $pidfile = "$vardir/run/smesurvey-export.pid";
	open my $fh, '<', $pidfile or return ();
	chomp(my $sup = <$fh> // '');
	my @kids;
	for my $stat (glob '/proc/[0-9]*/stat') {
		open my $s, '<', $stat or next;
		my $line = <$s> // next;
		# pid (comm) state ppid ...
		push @kids, $1 if $line =~ /^(\d+) \(.*\) \S+ (\d+)/ && $2 == $sup;
	}
	return @kids;
}

sub status_kb {
	my ($pid, $key) = @_;
	open my $fh, '<', "/proc/$pid/status" or return 0;
	while (<$fh>) { return $1 if /^$key:\s+(\d+) kB/ }
	return 0;
}

my @workers = export_workers();
ok @workers >= 1, 'smesurvey-export runs (' . scalar(@workers) . ' workers)' or BAIL_OUT('no export workers');

my $admin = T::demo_login('admin');

# One export while the workers are sampled: returns the body, the headers,
# the highest VmRSS seen and the highest VmHWM after (since reset).
sub sampled_export {
	my ($query) = @_;
	for my $pid (@workers) {
		if (open my $c, '>', "/proc/$pid/clear_refs") { print $c "5\n"; close $c }   # resets VmHWM
	}
	my $file = "$tmp/sample.txt";
	my $sampler = fork // die "fork: $!";
	if (!$sampler) {
		my $peak = 0;
		my $stop = 0;
		local $SIG{TERM} = sub { $stop = 1 };
		until ($stop) {
			for my $pid (@workers) {
				my $rss = status_kb($pid, 'VmRSS');
				$peak = $rss if $rss > $peak;
			}
			open my $o, '>', $file or POSIX::_exit(1);
			print $o "$peak\n";
			close $o;
			sleep 0.02;
		}
		POSIX::_exit(0);    # not exit: the END block belongs to the parent
	}
	my $res = $admin->get("/admin/export/data?$query");
	kill 'TERM', $sampler;
	waitpid $sampler, 0;
	open my $in, '<', $file or die "$file: $!";
	chomp(my $peak = <$in> // 0);
	my $hwm = 0;
	for my $pid (@workers) {
		my $h = status_kb($pid, 'VmHWM');
		$hwm = $h if $h > $hwm;
	}
	return ($res, $peak, $hwm);
}

# Data rows of a CSV text: lines that start with a response id (the
# generated values hold no line breaks).
sub csv_rows { my ($t) = @_; return scalar(() = $t =~ /^\d+,/mg) }

my %count = (
	csv => sub { csv_rows($_[0]) },
	gb18030 => sub { csv_rows($_[0]) },
	xlsx => sub {
		my $f = "$tmp/x.xlsx";
		open my $o, '>:raw', $f or die $!;
		print $o $_[0];
		close $o;
		my $xml = `unzip -p '$f' xl/worksheets/sheet1.xml`;
		return scalar(() = $xml =~ /<row /g) - 2;    # two header rows
	},
	sav => sub {
		my $f = "$tmp/x.sav";
		open my $o, '>:raw', $f or die $!;
		print $o $_[0];
		close $o;
		system('pspp-convert', $f, "$tmp/x.csv") == 0 or return -1;
		open my $i, '<', "$tmp/x.csv" or return -1;
		local $/;
		return csv_rows(scalar <$i>);
	},
);

my %body;
for my $fmt (qw(csv gb18030 xlsx sav)) {
	my ($res, $peak, $hwm) = sampled_export("form=sme&format=$fmt&status=submitted");
	$body{$fmt} = $res->{content};
	is $res->{status}, 200, "$fmt export: 200";
	ok !defined $res->{headers}{'content-length'}, "... streamed (no Content-Length; chunked)";
	is $count{$fmt}->($res->{content}), $submitted, "... complete: $submitted data rows";
	cmp_ok $peak, '<', $LIMIT_KB, "... worker VmRSS sampled during the export peaked at $peak kB (< 64 MiB)";
	cmp_ok $hwm, '<', $LIMIT_KB, "... worker VmHWM of this export $hwm kB (< 64 MiB)";
	my $after = 0;
	for my $pid (@workers) { my $r = status_kb($pid, 'VmRSS'); $after = $r if $r > $after }
	cmp_ok $after, '<', 32 * 1024, "... afterwards the largest export worker is $after kB (< 32 MiB)";
}

# The generated answers were packed (bench-scale runs rebuild-packed-answers,
# sql/085): the CSV read from the answer rows instead is the same, byte for
# byte (tests/e2e/79-export-packed.t checks every format and the repairs).
{
	my $packs = T::db_value("SELECT COUNT(*) FROM response_packed pk JOIN responses r ON r.id = pk.response_id"
		. " AND pk.version = r.version WHERE r.form = 'sme' AND r.region_code LIKE '9__000'");
	is $packs, T::db_value("SELECT COUNT(*) FROM responses WHERE form = 'sme' AND status = 'submitted'"
		. " AND region_code LIKE '9__000'"), 'every generated submitted SME response was packed';
	T::db_query("DELETE FROM response_packed");
	my $res = $admin->get('/admin/export/data?form=sme&format=csv&status=submitted');
	ok $res->{content} eq $body{csv}, 'the CSV from the answer rows is byte-identical with the one from the packs';
	my $out = `'${\ T::bindir()}/smesurvey-admin' --conf '$conf' rebuild-packed-answers 2>&1`;
	is $?, 0, 'rebuild-packed-answers' or diag $out;
}

# An export does not hold up the other admin pages: they are another
# program. A large export runs in a child while the admin home is asked.
{
	my $child = fork // die "fork: $!";
	if (!$child) {
		$admin->get('/admin/export/data?form=sme&format=xlsx&status=all');
		POSIX::_exit(0);
	}
	sleep 0.2;
	my $res = $admin->get('/admin/export');
	is $res->{status}, 200, 'the export page answers while an export runs';
	waitpid $child, 0;
}

done_testing();
