#!/usr/bin/perl
# 10-import.t - `smesurvey-admin import-accounts` against the test stack's
# database: UTF-8 and GB18030 files, legacy $6$ hashes and initial passwords,
# whole-file rejection, --dry-run, duplicate usernames.
#
# Needs: SMESURVEY_CONF (the stack's config; scripts/stack env prints it),
# the mariadb client, iconv, and the CLI at $BINDIR/smesurvey-admin
# (default build/bin). Self-contained on purpose: it talks to MariaDB with
# the credentials from the config file, so it runs with or without lib/T.pm.
use strict;
use warnings;
use utf8;
use Test::More;
use File::Temp qw(tempdir);
use FindBin;

binmode STDOUT, ':encoding(UTF-8)';
binmode STDERR, ':encoding(UTF-8)';
my $builder = Test::More->builder;
binmode $builder->$_, ':encoding(UTF-8)' for qw(output failure_output todo_output);

my $root = "$FindBin::Bin/../..";
my $conf = $ENV{SMESURVEY_CONF} or plan skip_all => 'SMESURVEY_CONF not set (start the stack first)';
-r $conf or plan skip_all => "cannot read $conf";
my $cli = ($ENV{BINDIR} // "$root/build/bin") . '/smesurvey-admin';
-x $cli or BAIL_OUT("$cli is missing: run make first");

# ---------------------------------------------------------------- helpers
my %c;
open my $cf, '<', $conf or die "$conf: $!";
while (<$cf>) {
	next if /^\s*(#|$)/;
	$c{$1} = $2 if /^\s*(\w+)\s*=\s*(.*?)\s*$/;
}
close $cf;

my $tmp = tempdir(CLEANUP => 1);
my $mycnf = "$tmp/my.cnf";
{
	open my $f, '>', $mycnf or die $!;
	chmod 0600, $mycnf;
	print $f "[client]\nuser=$c{db_user}\npassword=$c{db_password}\n";
	if (($c{db_socket} // '') ne '') { print $f "socket=$c{db_socket}\n" }
	else { print $f "host=$c{db_host}\nport=$c{db_port}\nprotocol=tcp\n" }
	print $f "default-character-set=utf8mb4\n";
	close $f;
}

# Runs SQL (values already quoted by q_()) and returns rows as array refs.
sub db_rows {
	my ($sql) = @_;
	open my $p, '-|:encoding(UTF-8)', 'mariadb', "--defaults-extra-file=$mycnf", '-N', '-B',
		'-e', $sql, $c{db_name} or die "mariadb: $!";
	my @rows = map { chomp; [ split /\t/, $_, -1 ] } <$p>;
	close $p or die "mariadb failed ($?) on: $sql";
	return @rows;
}
sub db_val { my @r = db_rows(@_); return @r ? $r[0][0] : undef }
sub q_ { my $s = shift; $s =~ s/([\\'])/\\$1/g; return "'$s'" }

sub write_file {
	my ($name, $text) = @_;
	my $path = "$tmp/$name";
	open my $f, '>:encoding(UTF-8)', $path or die "$path: $!";
	print $f $text;
	close $f;
	return $path;
}

# Runs the CLI; returns (exit code, stdout+stderr decoded).
sub admin {
	my @args = @_;
	my $out = "$tmp/out.txt";
	my $pid = fork // die "fork: $!";
	if (!$pid) {
		open STDOUT, '>', $out or die;
		open STDERR, '>&', \*STDOUT or die;
		exec $cli, '--conf', $conf, @args or die "exec $cli: $!";
	}
	waitpid $pid, 0;
	my $rc = $? >> 8;
	open my $f, '<:encoding(UTF-8)', $out or die;
	local $/;
	my $text = <$f> // '';
	close $f;
	return ($rc, $text);
}

# -------------------------------------------------------------- fixtures
# Unique names per run, so the test can be repeated on the same database.
my $p = 't10' . substr(time, -5) . $$ % 1000 . '_';
my ($r1, $r2) = ('T10R1', 'T10R2');
db_rows("INSERT IGNORE INTO regions (code, name) VALUES ('$r1', '测试省一'), ('$r2', '测试省二')");
my $noregion = 'T10NONE';
db_rows("DELETE FROM regions WHERE code = '$noregion'");

my $legacy_pw = 'legacy-password-2013';
my $h6 = crypt($legacy_pw, '$6$saltsalt$');
like $h6, qr/^\$6\$saltsalt\$[.\/0-9A-Za-z]{86}$/, 'test sha512crypt hash made';

sub users_like { return db_val("SELECT COUNT(*) FROM users WHERE username LIKE " . q_("$p%")) }
END {
	if (defined $p && %c) {
		eval { db_rows("DELETE FROM users WHERE username LIKE " . q_("$p%")) };
	}
}

# ------------------------------------------------- UTF-8, legacy + initial
my $utf8 = write_file('utf8.csv', <<"EOF");
Username,Role,Region_Code,Org_Name,Form,Password_Hash,Initial_Password
${p}region,region,$r1,测试省中小企业局,selfeval,$h6,
${p}hub, hub ,$r1,"测试枢纽平台, 第一",,,initial-password-123
${p}window,window,$r2,"窗口 ""平台""",window,$h6,
${p}viewer,viewer,,,,,viewer-password-456
EOF
my $audit_before = db_val("SELECT COUNT(*) FROM audit_log WHERE action = 'import-accounts'");
my ($rc, $out) = admin('import-accounts', $utf8);
is $rc, 0, 'UTF-8 file imported' or diag $out;
like $out, qr/UTF-8, 4 account rows/, 'charset and row count reported';
like $out, qr/imported 4 accounts/, 'summary';
is users_like(), 4, '4 users created';

my %u = map { $_->[0] => $_ } db_rows(
	"SELECT username, pw_hash, role, IFNULL(region_code, 'NULL'), org_name, form FROM users " .
	"WHERE username LIKE " . q_("$p%"));
is_deeply [ @{ $u{"${p}region"} }[1 .. 5] ], [ $h6, 'region', $r1, '测试省中小企业局', 'selfeval' ],
	'region account keeps its legacy $6$ hash, form selfeval';
is_deeply [ @{ $u{"${p}hub"} }[2 .. 5] ], [ 'hub', $r1, '测试枢纽平台, 第一', 'hub' ],
	'hub: role trimmed, quoted org name with comma, form derived';
like $u{"${p}hub"}[1], qr/^\$argon2id\$v=19\$/, 'initial password stored as argon2id';
is $u{"${p}window"}[4], '窗口 "平台"', 'doubled quotes in a quoted field';
is_deeply [ @{ $u{"${p}viewer"} }[2 .. 5] ], [ 'viewer', 'NULL', '', '' ], 'viewer has no region or form';
is db_val("SELECT COUNT(*) FROM audit_log WHERE action = 'import-accounts'"), $audit_before + 1,
	'one audit row';
like db_val("SELECT detail FROM audit_log WHERE action = 'import-accounts' ORDER BY id DESC LIMIT 1"),
	qr/file=utf8\.csv charset=UTF-8 accounts=4 .*password_hash=2 initial_password=2/, 'audit detail';

# ------------------------------------------------------------- GB18030
my $gbsrc = write_file('gb-src.csv',
	"username,initial_password,role,region_code,org_name\r\n" .
	"${p}gbhub,gb-initial-password,hub,$r2,广东省中小企业服务中心（枢纽）\r\n" .
	"${p}gbres,gb-initial-password,resource,$r2,\"深圳市某某服务机构,资源\"\r\n");
my $gb = "$tmp/gb18030.csv";
system('iconv', '-f', 'UTF-8', '-t', 'GB18030', '-o', $gb, $gbsrc) == 0 or die 'iconv failed';
($rc, $out) = admin('import-accounts', $gb);
is $rc, 0, 'GB18030 file imported' or diag $out;
like $out, qr/GB18030, 2 account rows/, 'GB18030 detected';
is db_val("SELECT org_name FROM users WHERE username = " . q_("${p}gbhub")),
	'广东省中小企业服务中心（枢纽）', 'GB18030 org name stored as UTF-8';
is db_val("SELECT CONCAT(role, '/', form) FROM users WHERE username = " . q_("${p}gbres")),
	'resource/resource', 'resource role and form';
is users_like(), 6, '6 users now';

# ------------------------------------------- contacts (sql/012_contacts)
my $ct = write_file('contacts.csv', "username,initial_password,role,region_code,contact,phone,email\n" .
	"${p}cthub,ct-initial-password,hub,$r1,孙联系,010-1234 5678转9,hub\@example.cn\n" .
	"${p}ctwin,ct-initial-password,window,$r1,,,\n");
($rc, $out) = admin('import-accounts', $ct);
is $rc, 0, 'contact, phone and email columns imported' or diag $out;
is db_val("SELECT CONCAT_WS('|', contact, phone, email) FROM users WHERE username = " . q_("${p}cthub")),
	'孙联系|010-1234 5678转9|hub@example.cn', 'contact facts stored';
is db_val("SELECT CONCAT_WS('|', contact, phone, email) FROM users WHERE username = " . q_("${p}ctwin")),
	'||', 'empty contact facts are allowed';
my $ctbad = write_file('contacts-bad.csv', "username,initial_password,role,region_code,phone,email\n" .
	"${p}ctbad1,ct-initial-password,hub,$r1,call me,\n" .
	"${p}ctbad2,ct-initial-password,hub,$r1,010-12345678,not-an-address\n");
($rc, $out) = admin('import-accounts', $ctbad);
is $rc, 1, 'a bad phone or email rejects the file';
like $out, qr/^line 2: rejected: .*电话号码格式不对/m, '... the phone named on its line';
like $out, qr/^line 3: rejected: .*电子邮箱格式不对/m, '... the email on its line';
is users_like(), 8, 'two contact accounts, nothing of the bad file';
db_val("DELETE FROM users WHERE username IN (" . q_("${p}cthub") . ", " . q_("${p}ctwin") . ")");

# ----------------------------------------- unknown region: whole file out
my $bad = write_file('bad-region.csv', <<"EOF");
username,password_hash,role,region_code
${p}ok1,$h6,sme,$r1
${p}ok2,$h6,sme,$noregion
${p}ok3,$h6,sme,$r2
EOF
($rc, $out) = admin('import-accounts', $bad);
is $rc, 1, 'file with an unknown region rejected (exit 1)';
like $out, qr/^line 3: rejected: unknown region code $noregion/m, 'line number and reason';
like $out, qr/^line 2: ok: ${p}ok1/m, 'accepted rows listed too';
like $out, qr/nothing imported/, 'nothing imported';
is users_like(), 6, 'no rows added';

# ------------------------------------------------------------- dry run
my $dry = write_file('dry.csv', "username,password_hash,role,region_code\n${p}dry1,$h6,sme,$r1\n");
my $audit_n = db_val("SELECT COUNT(*) FROM audit_log");
($rc, $out) = admin('import-accounts', '--dry-run', $dry);
is $rc, 0, 'dry run of a valid file succeeds';
like $out, qr/dry run: 1 account would be imported; nothing written/, 'dry-run summary';
is users_like(), 6, 'dry run wrote no user';
is db_val("SELECT COUNT(*) FROM audit_log"), $audit_n, 'dry run wrote no audit row';
($rc, $out) = admin('import-accounts', '--dry-run', $bad);
is $rc, 1, 'dry run still reports rejections (exit 1)';
like $out, qr/^line 3: rejected: unknown region code/m, 'dry run checks regions in the DB';

# ----------------------------------------------------- duplicate usernames
my $dup = write_file('dup.csv', <<"EOF");
username,password_hash,role,region_code
${p}dupe,$h6,sme,$r1
${p}other,$h6,sme,$r1
\U${p}dupe\E,$h6,sme,$r1
EOF
($rc, $out) = admin('import-accounts', $dup);
is $rc, 1, 'duplicate usernames in the file rejected';
like $out, qr/^line 2: rejected: duplicate username .* \(also on line 4\)/m, 'first line names the second';
like $out, qr/^line 4: rejected: duplicate username .* \(also on line 2\)/m, 'second line names the first';
is users_like(), 6, 'no rows added';

($rc, $out) = admin('import-accounts', $utf8);
is $rc, 1, 're-importing existing usernames rejected';
like $out, qr/^line 2: rejected: username already exists \(已存在\)/m, 'existing username: 已存在';
is users_like(), 6, 'nothing changed';

# ----------------------------------------------------- file-level errors
($rc, $out) = admin('import-accounts', write_file('syntax.csv', "username,role,initial_password\n${p}q,sme,\"open\n"));
is $rc, 2, 'CSV syntax error: exit 2';
like $out, qr/line 2: unterminated quoted field/, 'syntax error with line number';
($rc, $out) = admin('import-accounts', "$tmp/missing.csv");
is $rc, 2, 'missing file: exit 2';
($rc, $out) = admin('import-accounts');
is $rc, 2, 'no file: usage, exit 2';
is users_like(), 6, 'still 6 users';

done_testing();
