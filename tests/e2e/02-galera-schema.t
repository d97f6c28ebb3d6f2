#!/usr/bin/perl
# 02-galera-schema.t - the schema and the SQL work on a Galera cluster with
# writes going to any node (issue 22, item 2):
# - every table of the database has a primary key and is InnoDB (Galera
#   replicates only InnoDB, and rows without a key replicate badly or not at
#   all); a table planted without a key IS reported (the query can fail);
# - no statement, migration or script relies on LOCK TABLES or GET_LOCK
#   (local to one node) or names another engine;
# - the migration lock is a row every node sees: a planted lock row makes
#   `smesurvey-setup migrate` refuse with the way to remove it, and after
#   the row is gone it runs.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;

T::env('MYCNF') or plan skip_all => 'no private MariaDB (MYCNF unknown)';
my $ROOT = T::root();

my $BAD_TABLES = q{
	SELECT t.table_name, t.engine FROM information_schema.tables t
	 WHERE t.table_schema = DATABASE() AND t.table_type = 'BASE TABLE'
	   AND (t.engine <> 'InnoDB' OR NOT EXISTS (
	        SELECT 1 FROM information_schema.table_constraints c
	         WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name
	           AND c.constraint_type = 'PRIMARY KEY'))
	 ORDER BY t.table_name};
my @bad = T::db_query($BAD_TABLES);
is scalar(@bad), 0, 'every table has a primary key and is InnoDB'
	or diag join "\n", map { "$_->[0] ($_->[1])" } @bad;
cmp_ok T::db_value("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()
	AND table_type = 'BASE TABLE'"), '>=', 20, 'the check looked at the whole schema';

# The query finds what it must: a keyless table and a MyISAM one.
T::db_query('CREATE TABLE galera_probe_nokey (a INT) ENGINE=InnoDB');
# A cluster node refuses other engines outright (enforce_storage_engine,
# scripts/cluster): then there is nothing to find.
my $enforced = !eval { T::db_query('CREATE TABLE galera_probe_myisam (a INT PRIMARY KEY) ENGINE=MyISAM'); 1 };
my %found = map { $_->[0] => $_->[1] } T::db_query($BAD_TABLES);
T::db_query('DROP TABLE IF EXISTS galera_probe_nokey, galera_probe_myisam');
ok exists $found{galera_probe_nokey}, 'a table without a primary key is reported';
ok $enforced ? T::db_value('SELECT @@enforce_storage_engine') eq 'InnoDB' : exists $found{galera_probe_myisam},
	$enforced ? 'the server refuses a MyISAM table (enforce_storage_engine)' : 'a MyISAM table is reported';

# No node-local locks and no other engine in any statement, migration or script.
my @files = (glob("$ROOT/cgi-bin/core/stmts.c"), glob("$ROOT/sql/[0-9][0-9][0-9]_*.sql"),
	"$ROOT/scripts/smesurvey-setup", "$ROOT/scripts/stack");
my @hits;
for my $f (@files) {
	open my $fh, '<', $f or die "$f: $!";
	while (my $l = <$fh>) {
		next if $l =~ /^\s*(--|#|\/\*|\*)/;    # comments may name them
		push @hits, "$f:$.: $l" if $l =~ /\b(GET_LOCK|RELEASE_LOCK|LOCK\s+TABLES?)\b|ENGINE\s*=\s*(?!InnoDB)\w+/i;
	}
}
is scalar(@hits), 0, 'no LOCK TABLES, GET_LOCK or non-InnoDB engine in statements, migrations, setup'
	or diag join '', @hits;

# The migration lock row.
my $setup = "$ROOT/scripts/smesurvey-setup --conf '" . T::conf_path() . "' --admin-cnf '" . T::env('MYCNF')
	. "' --sql-dir '$ROOT/sql' --backup-dir '" . T::vardir() . "/backups'";
T::db_query("INSERT INTO schema_migrations (version) VALUES ('~lock')");
my $out = `$setup migrate 2>&1`;
my $rc = $? >> 8;
T::db_query("DELETE FROM schema_migrations WHERE version = '~lock'");
is $rc, 1, 'migrate refuses while another run holds the lock row';
like $out, qr/another migration .* is running.*DELETE FROM schema_migrations WHERE version = '~lock'/s,
	'and says how to remove a stale lock' or diag $out;
$out = `$setup migrate 2>&1`;
is $? >> 8, 0, 'migrate runs once the lock row is gone' or diag $out;
is T::db_value("SELECT COUNT(*) FROM schema_migrations WHERE version = '~lock'"), 0,
	'and leaves no lock row behind';

done_testing;
