#!/usr/bin/perl
# 91-install-cluster.t - INSTALL's chapter 7 (more than one host) run on the
# private cluster of scripts/cluster, as 90-install.t runs the single-host
# chapters: its commands in its words, settings expanded (PREFIX, ETC, DATA
# in a staging root; `mariadb` and `mariabackup` reach a node through
# $HOME/.my.cnf, as root's client file would on a node):
# - the shipped galera.cnf installed; its settings are the ones the
#   running nodes use (so what INSTALL ships is what the fault test proved);
# - every node reports cluster size 3, Primary, Synced, ready;
# - init from one host with db_user_hosts: the application's account works
#   over TCP from the listed address, on a node other than the host's own;
# - check passes on both hosts; a host with another code_secret, or with an
#   upload folder that is not the shared one, fails it (and would not be
#   started); check --adopt makes a changed secret the agreed one;
# - the balancer site files: nginx's passes `nginx -t`; Apache's runs over
#   the two private hosts (members edited to them) and sends requests to
#   both in turn, and when a host is down its /healthz check takes it out
#   (no request fails);
# - rolling upgrade: migrate from one host, migrate --status on the other;
# - backup: the dump from one host and mariabackup --galera-info on a node;
# - every indented command of chapter 7 is run here (it cannot drift).
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/../e2e/lib";
use T;
use File::Temp qw(tempdir);
use IO::Socket::INET;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $CL = T::env('CLUSTER_DIR') or plan skip_all => 'no cluster (run through scripts/test-cluster)';
my $ROOT = T::root();
my $STAGE = tempdir('smesurvey-cluster-install-XXXXXX', TMPDIR => 1, CLEANUP => 1);
chmod 0755, $STAGE;
my %SET = (PREFIX => "$STAGE/usr", ETC => "$STAGE/etc", DATA => "$STAGE/data");
my ($PREFIX, $ETC, $DATA) = @SET{qw(PREFIX ETC DATA)};
my %NODE = map { $_ => T::env("NODE${_}_MYCNF") } 1 .. 3;
my @started;
END { $_->() for reverse @started }

sub run { my ($cmd) = @_; my $out = `$cmd 2>&1`; return ($? >> 8, $out) }
sub ok_run {
	my ($cmd, $name) = @_;
	my ($rc, $out) = run($cmd);
	is $rc, 0, $name or diag "$cmd\n$out";
	return $out;
}
sub slurp { my ($f) = @_; open my $fh, '<:encoding(UTF-8)', $f or die "$f: $!"; local $/; return <$fh> }
sub spit { my ($f, $s) = @_; open my $fh, '>:encoding(UTF-8)', $f or die "$f: $!"; print $fh $s; close $fh }
sub free_port {
	my $s = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Proto => 'tcp', Listen => 1) or die $!;
	my $p = $s->sockport;
	close $s;
	return $p;
}
# A client file for root on node N, as /root/.my.cnf on that node.
sub home_of {
	my ($n) = @_;
	my $home = "$STAGE/home$n";
	mkdir $home;
	my ($sock) = slurp($NODE{$n}) =~ /^socket\s*=\s*(\S+)/m;
	spit("$home/.my.cnf", "[client]\nsocket = $sock\nuser = root\n");
	return $home;
}

my @ran;
sub expand {
	my ($c) = @_;
	$c =~ s/\$\{?(PREFIX|ETC|DATA)\}?/$SET{$1}/g;
	return $c;
}
# step(COMMAND, NAME, CONF, NODE): CONF the smesurvey.conf $ETC points at
# (one per host), NODE the node `mariadb`/`mariabackup` reach.
sub step {
	my ($cmd, $name, %o) = @_;
	push @ran, $cmd;
	my $home = home_of($o{node} // 1);
	return ok_run("cd '$ROOT' && HOME='$home' " . expand($cmd), $name) unless $o{fail};
	my ($rc, $out) = run("cd '$ROOT' && HOME='$home' " . expand($cmd));
	isnt $rc, 0, $name or diag $out;
	return $out;
}

# The programs and files of step 1, into the staging root.
ok_run("cd '$ROOT' && make -s && make -s install PREFIX='$PREFIX' SYSCONFDIR='$ETC' RUNDIR='$STAGE/run' LOGDIR='$STAGE/log'",
	'make install into a staging root (step 1)');
push @started, sub { system("make -s -C '$ROOT' uninstall PREFIX='$PREFIX' >/dev/null 2>&1") };

# ------------------------------------------------------------ nodes
step('apt-get install -y --no-install-recommends mariadb-server galera-4 mariadb-backup socat rsync', 'node packages');
step('install -D -m 0644 $PREFIX/share/smesurvey/conf/galera.cnf $ETC/mysql/mariadb.conf.d/60-galera.cnf',
	'galera.cnf installed');
{
	my %want = slurp("$ETC/mysql/mariadb.conf.d/60-galera.cnf") =~ /^(\w+)\s*=\s*(.*?)\s*$/mg;
	my @differ;
	for my $k (sort keys %want) {
		# Per machine (the EDIT lines), or sized for a production node.
		next if $k =~ /^wsrep_(cluster_address|node_address|node_name|provider_options|slave_threads|sst_auth)$/;
		my $v = $want{$k} =~ s/^"|"$//gr;
		local $ENV{MYCNF} = $NODE{2};
		my $have = T::db_value("SELECT \@\@GLOBAL.$k") // '';
		$have = 'ON' if $have eq '1' && $v eq 'ON';
		push @differ, "$k: shipped $v, running $have" unless lc $have eq lc $v;
	}
	is scalar(@differ), 0, 'the running nodes use the shipped galera.cnf settings' or diag join "\n", @differ;
}
for my $n (1 .. 3) {
	my $out = step(q{mariadb -e "SHOW GLOBAL STATUS WHERE Variable_name IN ('wsrep_cluster_size', 'wsrep_cluster_status', 'wsrep_local_state_comment', 'wsrep_ready')"},
		"node $n answers the status query", node => $n);
	my %st = $out =~ /^(wsrep_\w+)\s+(\S+)/mg;
	is_deeply [ @st{qw(wsrep_cluster_size wsrep_cluster_status wsrep_local_state_comment wsrep_ready)} ],
		[ 3, 'Primary', 'Synced', 'ON' ], "node $n: 3 nodes, Primary, Synced, ready";
}

# ------------------------------------------------------------ database
my $conf1 = T::conf_path();
my $conf2 = T::env('HOST2_CONF');
my $etc_conf = "$ETC/smesurvey/smesurvey.conf";
sub use_conf {     # $ETC/smesurvey/smesurvey.conf := a host's, with changes
	my ($from, %set) = @_;
	my $c = slurp($from);
	for my $k (keys %set) {
		$c =~ s/^\Q$k\E\s*=.*\n//mg;
		$c .= "$k = $set{$k}\n";
	}
	system('mkdir', '-p', "$ETC/smesurvey");
	spit($etc_conf, $c);
	chmod 0600, $etc_conf;
}
use_conf($conf1, db_user_hosts => 'localhost, 127.0.0.1');
step('$PREFIX/bin/smesurvey-setup --conf $ETC/smesurvey/smesurvey.conf init', 'init from one host (idempotent)');
{
	my %c = slurp($conf1) =~ /^(\w+)\s*=\s*(.*?)\s*$/mg;
	my ($port3) = slurp($NODE{3}) =~ /^port\s*=\s*(\d+)/m;
	my ($rc, $out) = run("mariadb --no-defaults --protocol=tcp -h 127.0.0.1 -P $port3 -u '$c{db_user}' "
		. "-p'$c{db_password}' -N -e 'SELECT COUNT(*) FROM users' '$c{db_name}'");
	is $rc, 0, 'the application account connects over TCP from a db_user_hosts address to another node'
		or diag $out;
}

# ------------------------------------------------------------ hosts
# The programs' user of step 2 owns the shared folder (check tests that it
# may write there), as on a real host.
system('getent passwd smesurvey >/dev/null || adduser --system --group --no-create-home --home /nonexistent smesurvey >/dev/null');
system('chgrp', 'smesurvey', "$CL/uploads");
chmod 0770, "$CL/uploads";
use_conf($conf1);
step('$PREFIX/bin/smesurvey-admin --conf $ETC/smesurvey/smesurvey.conf check', 'check passes on host 1');
use_conf($conf2);
step('$PREFIX/bin/smesurvey-admin --conf $ETC/smesurvey/smesurvey.conf check', 'check passes on host 2');
{
	use_conf($conf2, code_secret => 'f' x 64);
	my $out = step('$PREFIX/bin/smesurvey-admin --conf $ETC/smesurvey/smesurvey.conf check',
		'check fails on a host with another code_secret', fail => 1);
	like $out, qr/^FAIL\s+code_secret.*differs/m, '... saying the secret differs' or diag $out;
	my $local = "$STAGE/local-uploads";
	mkdir $local;
	use_conf($conf2, upload_dir => $local);
	$out = step('$PREFIX/bin/smesurvey-admin --conf $ETC/smesurvey/smesurvey.conf check',
		'check fails on a host whose upload_dir is not the shared folder', fail => 1);
	like $out, qr/^FAIL\s+shared upload folder.*not the folder the other hosts share/m, '... saying so' or diag $out;
	# A deliberate change is adopted on one host, and then the old one fails.
	use_conf($conf2, code_secret => 'e' x 64);
	my ($rc, $o) = run("'$PREFIX/bin/smesurvey-admin' --conf '$etc_conf' check --adopt");
	is $rc, 0, 'check --adopt records a deliberately changed secret' or diag $o;
	is T::db_value("SELECT COUNT(*) FROM audit_log WHERE action = 'host-agreement-adopt'") > 0, 1, '... audited';
	($rc, $o) = run("'$PREFIX/bin/smesurvey-admin' --conf '$conf1' check");
	isnt $rc, 0, '... after which a host with the old secret fails';
	($rc, $o) = run("'$PREFIX/bin/smesurvey-admin' --conf '$conf1' check --adopt");
	is $rc, 0, '... until the old one is adopted back' or diag $o;
	use_conf($conf2);
}

# ------------------------------------------------------------ balancer
step('install -D -m 0644 $PREFIX/share/smesurvey/conf/nginx-balancer-site.conf $ETC/nginx/sites-available/smesurvey-balancer',
	'nginx balancer site file');
step('install -D -m 0644 $PREFIX/share/smesurvey/conf/apache-balancer-site.conf $ETC/apache2/sites-available/smesurvey-balancer.conf',
	'Apache balancer site file');
my @hosts = (T::env('HOST1_URL'), T::env('HOST2_URL'));
ok_run("openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -keyout '$STAGE/lb.key' -out '$STAGE/lb.crt'",
	'a certificate for the balancer');
{
	# nginx: the site as shipped, only the EDIT lines changed; `nginx -t`.
	my $site = slurp("$ETC/nginx/sites-available/smesurvey-balancer");
	my ($p80, $p443) = (free_port(), free_port());
	my $i = 0;
	my @hostport = map { s{^http://}{}r } @hosts;
	$site =~ s/^(\s*)server 10\.0\.0\.\d+:443 (.*?# EDIT application host)$/$1 . "server " . $hostport[$i++] . " $2"/mge;
	$site =~ s/listen\s+80;/listen 127.0.0.1:$p80;/; $site =~ s/listen\s+\[::\]:80;//;
	$site =~ s/listen\s+443 ssl http2;/listen 127.0.0.1:$p443 ssl http2;/; $site =~ s/listen\s+\[::\]:443 ssl http2;//;
	$site =~ s{/etc/ssl/certs/smesurvey\.crt}{$STAGE/lb.crt}; $site =~ s{/etc/ssl/private/smesurvey\.key}{$STAGE/lb.key};
	$site =~ s{/var/log/nginx/}{$STAGE/}g;
	mkdir "$STAGE/nginx";
	spit("$STAGE/nginx/nginx.conf", "pid $STAGE/nginx/pid; error_log $STAGE/nginx/error.log;\nevents {}\n"
		. "http { include /etc/nginx/mime.types; client_body_temp_path $STAGE/nginx/cb; proxy_temp_path $STAGE/nginx/p;\n$site\n}\n");
	ok_run("nginx -q -t -p '$STAGE/nginx/' -c '$STAGE/nginx/nginx.conf' -e '$STAGE/nginx/error.log'",
		'the nginx balancer site (EDIT lines filled) passes nginx -t');
}
{
	# Apache: members edited to the private hosts (plain HTTP there), run for real.
	my $site = slurp("$ETC/apache2/sites-available/smesurvey-balancer.conf");
	my $i = 0;
	$site =~ s{^(\s*)BalancerMember "https://10\.0\.0\.\d+"}{$1 . qq{BalancerMember "$hosts[$i++]"}}mge;
	$site =~ s/hcinterval=2/hcinterval=1/g;
	my ($p80, $p443) = (free_port(), free_port());
	$site =~ s/<VirtualHost \*:80>/<VirtualHost 127.0.0.1:$p80>/; $site =~ s/<VirtualHost \*:443>/<VirtualHost 127.0.0.1:$p443>/;
	$site =~ s{/etc/ssl/certs/smesurvey\.crt}{$STAGE/lb.crt}; $site =~ s{/etc/ssl/private/smesurvey\.key}{$STAGE/lb.key};
	$site =~ s/ServerName survey\.example\.gov\.cn/ServerName localhost/g;
	my $d = "$STAGE/apache";
	mkdir $d;
	my $mods = join '', map { "LoadModule ${_}_module /usr/lib/apache2/modules/mod_$_.so\n" }
		qw(mpm_event authz_core alias mime ssl headers proxy proxy_http proxy_balancer lbmethod_byrequests
		   slotmem_shm proxy_hcheck socache_shmcb);
	spit("$d/apache.conf", "ServerRoot $d\nDefaultRuntimeDir $d\nPidFile $d/pid\nErrorLog $d/error.log\n"
		. "TypesConfig /etc/mime.types\nListen 127.0.0.1:$p80\nListen 127.0.0.1:$p443\n$mods"
		. "SSLSessionCache shmcb:$d/ssl_cache(512000)\nMutex file:$d default\n$site\n");
	ok_run("apache2 -d '$d' -f '$d/apache.conf' -k start", 'the Apache balancer runs over the two hosts');
	push @started, sub { system("apache2 -d '$d' -f '$d/apache.conf' -k stop >/dev/null 2>&1"); sleep 1 };
	sleep 3;    # the first health checks
	my $ua = T::new_agent(base_url => "https://localhost:$p443");
	$ua->{http}{verify_SSL} = 0;
	my $ok = 0;
	$ok += ($ua->get('/login')->{status} // 0) == 200 for 1 .. 6;
	is $ok, 6, 'requests through the Apache balancer are served';
	my $log1 = -s "$CL/app1/log/nginx-access.log";
	my $log2 = -s "$CL/app2/log/nginx-access.log";
	$ua->get('/login') for 1 .. 6;
	ok -s "$CL/app1/log/nginx-access.log" > $log1 && -s "$CL/app2/log/nginx-access.log" > $log2,
		'... by both hosts';
	my ($rc, $out) = run("'$ROOT/scripts/cluster' kill-host 2");
	is $rc, 0, 'host 2 killed' or diag $out;
	sleep 3;    # its /healthz check fails
	$ok = 0;
	$ok += ($ua->get('/login')->{status} // 0) == 200 for 1 .. 10;
	is $ok, 10, 'with host 2 down, its health check takes it out: every request is served';
	($rc, $out) = run("'$ROOT/scripts/cluster' start-host 2");
	is $rc, 0, 'host 2 back' or diag $out;
}

# ------------------------------------------------------------ upgrade, backup
use_conf($conf1);
step('$PREFIX/bin/smesurvey-setup --conf $ETC/smesurvey/smesurvey.conf migrate', 'migrate once, from host 1');
use_conf($conf2);
{
	my $out = step('$PREFIX/bin/smesurvey-setup --conf $ETC/smesurvey/smesurvey.conf migrate --status',
		'migrate --status on host 2');
	unlike $out, qr/^pending/m, '... nothing pending there' or diag $out;
}
$ENV{SMESURVEY_ADMIN_CNF} = $NODE{1};
step('$PREFIX/bin/smesurvey-setup --conf $ETC/smesurvey/smesurvey.conf backup $DATA/backups', 'the dump from one host');
ok scalar(glob("$DATA/backups/*.sql.gz")), '... written';
step('mariabackup --backup --galera-info --target-dir=$DATA/backups/node', 'mariabackup on node 1', node => 1);
ok -s "$DATA/backups/node/xtrabackup_galera_info" || -s "$DATA/backups/node/mariadb_backup_galera_info",
	'... with the node\'s cluster position';

# ------------------------------------------------------------ the chapter
{
	my (undef, $chapter) = split /^7\. More than one host$/m, slurp("$ROOT/INSTALL");
	my @cmds = grep { /\S/ } map { s/^ {4}//r } grep { /^ {4}\S/ && !/^ {4}#/ } split /\n/, $chapter // '';
	ok scalar(@cmds) >= 8, 'INSTALL has the multi-host chapter';
	my %have = map { $_ => 1 } @ran;
	my @missing = grep { !$have{$_} } @cmds;
	is scalar(@missing), 0, 'every command of the chapter is run by this test' or diag join "\n", @missing;
}
done_testing;
