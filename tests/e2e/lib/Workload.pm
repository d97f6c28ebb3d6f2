package Workload;
# Workload.pm - a region's respondents, genuine and not (issue 20, item 5).
#
#   my $w = Workload::run(region => 'T63W', genuine => 60, office => 30, clients => 6, seed => 63,
#                         window => {username, password}, keep => 1);
#
# The region's accounts and responses are deleted first (clean_region)
# unless keep => 1 (the caller cleaned it and made the window account).
#
# Everything goes through the web pages as a browser would - registration
# with the invitation code, the form opened, saved and submitted - each
# actor with its own cookie jar (its own device cookie) and source address:
#
# - genuine SMEs: one browser each, each from its own network (its own /24
#   of 127.0.0.0/8: 127.(100+i/200).(i%200).7), varied answers, their own
#   contact phone and e-mail;
# - the office pattern: one browser at one address (127.99.1.1) registers
#   `office` SMEs with their codes one after another and submits each at
#   once with the same answers;
# - a window answering for its clients: the window's account logs in from a
#   browser (127.98.1.1), which then registers `clients` service
#   organisations with their codes and submits their resource forms, with
#   the same answers and the satisfaction grid all "满意".
#
# Tests cannot wait days, so the time is injected afterwards by direct SQL
# (the documented test-only path, `backdate`): the genuine respondents'
# registrations and submits are spread over ten days and their active time
# set to human values (4-25 minutes), while the office's and the window's
# stay what the server measured (seconds, within the hour). Then
# `smesurvey-admin rebuild-flags` recomputes the flags in submit order.
# Returns { genuine => [response ids], office => [...], clients => [...] }.
use strict;
use warnings;
use utf8;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;

my $ALPHA = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

sub code_for {
	my ($region, $kind, $i) = @_;
	my $seed = "$region$kind$i";
	my $h = 0;
	my $c = '';
	for my $k (0 .. 15) {
		$h = ($h * 31 + ord(substr($seed, $k % length $seed, 1)) + $k * 7 + $i * 13) % 1000003;
		$c .= substr($ALPHA, $h % 32, 1);
	}
	return $c;
}

sub clean_region {
	my ($R) = @_;
	my @users = map { $_->[0] } T::db_query("SELECT id FROM users WHERE region_code = '$R'");
	my $ids = @users ? join(',', @users) : '0';
	T::db_query($_) for (
		"DELETE fr FROM flag_reviews fr JOIN responses p ON p.id = fr.response_id WHERE p.user_id IN ($ids)",
		"DELETE l FROM flag_links l JOIN responses p ON p.id = l.response_id WHERE p.user_id IN ($ids)",
		"DELETE FROM flags WHERE region_code = '$R'",
		"DELETE f FROM flag_sigs f WHERE f.region_code = '$R'",
		"DELETE FROM flag_contacts WHERE user_id IN ($ids)",
		"DELETE FROM paradata WHERE user_id IN ($ids)",
		"DELETE FROM reg_paradata WHERE user_id IN ($ids)",
		"DELETE FROM device_accounts WHERE user_id IN ($ids)",
		"DELETE FROM agg_counted WHERE region_code = '$R'",
		"DELETE a FROM answers a JOIN responses p ON p.id = a.response_id WHERE p.user_id IN ($ids)",
		"DELETE FROM responses WHERE user_id IN ($ids)",
		"DELETE FROM sample_units WHERE region_code = '$R'",
		"DELETE FROM samples WHERE region_code = '$R'",
		"DELETE FROM sessions WHERE user_id IN ($ids)",
		"DELETE FROM users WHERE id IN ($ids)");
	T::rebuild_aggregates();   # rows deleted with SQL: the tallies follow
}

# A sample of `n` units of kind (sme, or resource in the window stratum).
sub make_units {
	my ($R, $kind, $prefix, $n) = @_;
	my $stratum = $kind eq 'sme' ? 'sme' : 'window';
	T::db_query("INSERT IGNORE INTO samples (region_code, kind, method) VALUES ('$R', '$kind', 'uploaded')");
	my $sid = T::db_value("SELECT id FROM samples WHERE region_code = '$R' AND kind = '$kind'");
	my @codes;
	for my $i (1 .. $n) {
		my $code = code_for($R, $prefix, $i);
		push @codes, $code;
		T::db_query("INSERT INTO sample_units (sample_id, region_code, form, stratum, name, role, position,"
			. " status, code_lookup) VALUES ($sid, '$R', '$kind', '$stratum', "
			. T::sql_quote("$prefix 测试单位 $i 号") . ", 'selected', $i, 'active', UNHEX(SHA2('$code', 256)))");
	}
	return @codes;
}

# Registers with a code from agent ua; returns the new user's id.
sub register {
	my ($ua, $code, $i, $phone, $email) = @_;
	my $res = $ua->get("/register?code=$code");
	die "registration page for $code: HTTP $res->{status}" unless $res->{status} == 200;
	my $pw = "Workload-Pass-$i-2013";
	$res = $ua->post('/register', [ csrf => T::csrf_from($res->{text}), action => 'code', code => $code,
		contact => "联系人$i", phone => $phone, email => $email, pw_mode => 'own',
		password => $pw, password2 => $pw ]);
	die "registration with $code: HTTP $res->{status}" unless $res->{status} == 303;
	return T::db_value("SELECT user_id FROM sample_units WHERE code_lookup = UNHEX(SHA2('$code', 256))");
}

# Opens the form, saves, submits (confirmed); returns the response id.
sub fill {
	my ($ua, $f, $vals, $uid) = @_;
	my $page = $ua->get("/form/$f->{name}");
	my $csrf = T::csrf_from($page->{text});
	my $res = $ua->post("/form/$f->{name}", [ @{ Forms::post_params($f, $vals) }, csrf => $csrf,
		version => 0, action => 'save' ]);
	my $ver = T::db_value("SELECT version FROM responses WHERE form = '$f->{name}' AND user_id = $uid") // 0;
	$res = $ua->post("/form/$f->{name}", [ @{ Forms::post_params($f, $vals) }, csrf => $csrf,
		version => $ver, action => 'submit', confirm => 1 ]);
	my ($id, $st) = @{ (T::db_query("SELECT id, status FROM responses WHERE form = '$f->{name}'"
		. " AND user_id = $uid"))[0] // [] };
	die "submit of user $uid: HTTP $res->{status}, status " . ($st // 'none') unless ($st // '') eq 'submitted';
	return $id;
}

# Fields a genuine respondent answers freely: choices that switch no
# condition on or off, and numbers that no rule ties to another field
# (their own `if` conditions only say whether they are asked).
sub free_fields {
	my ($f) = @_;
	my %ref;
	for my $fd (@{ $f->{fields} }) {
		for my $r (@{ $fd->{rules} }) {
			$ref{ $r->{ref} } = 1 if defined $r->{ref};
			$ref{ $_->{field} } = 1 for grep { defined $_->{field} } @{ $r->{lhs} // [] }, @{ $r->{rhs} // [] };
			$ref{ $fd->{code} } = 1 if $r->{kind} eq 'cmp';
		}
	}
	# Conditions (if ...) only decide whether the field is asked at all.
	return grep { !$ref{ $_->{code} } && !grep { $_->{kind} !~ /^if_/ } @{ $_->{rules} } } @{ $f->{fields} };
}

sub genuine_values {
	my ($f, $base, $i, $rand) = @_;
	my %v = %$base;
	for my $fd (free_fields($f)) {
		next unless exists $v{ $fd->{code} };
		my @o = map { $_->[0] } @{ $fd->{opts} };
		if ($fd->{type} eq 'single') { $v{ $fd->{code} } = $o[ $rand->(scalar @o) ] }
		elsif ($fd->{type} eq 'multi') {
			my @pick = grep { $rand->(2) } @o;
			$v{ $fd->{code} } = [ @pick ? @pick : $o[0] ];
		}
		elsif ($fd->{type} eq 'int') { $v{ $fd->{code} } = 3 + $rand->(400) }
		elsif ($fd->{type} eq 'decimal') { $v{ $fd->{code} } = sprintf '%d.%02d', 10 + $rand->(5000), $rand->(100) }
		elsif ($fd->{type} eq 'org_name') { $v{ $fd->{code} } = "真实企业 $i 号有限公司" }
		elsif ($fd->{type} eq 'text') { $v{ $fd->{code} } = "某市某区某路 $i 号" }
		elsif ($fd->{type} eq 'textarea') { $v{ $fd->{code} } = "希望平台网络多提供第 " . $rand->(90) . " 类服务，企业 $i" }
		elsif ($fd->{type} eq 'date') { $v{ $fd->{code} } = sprintf '%04d-%02d-%02d', 1990 + $rand->(22), 1 + $rand->(12), 1 + $rand->(28) }
	}
	return \%v;
}

sub contact_values {
	my ($f, $v, $phone, $email) = @_;
	for my $fd (@{ $f->{fields} }) {
		$v->{ $fd->{code} } = $phone if $fd->{type} eq 'phone' && exists $v->{ $fd->{code} };
		$v->{ $fd->{code} } = $email if $fd->{type} eq 'email' && exists $v->{ $fd->{code} };
	}
	return $v;
}

# Contact numbers of unit i of region R: unique across regions too (the
# contact rule compares all units), as real ones are.
sub phone_of {
	my ($R, $kind, $i) = @_;
	my $salt = unpack('%32C*', "$R$kind") * 7919;
	return sprintf '0%03d-%08d', 100 + $i % 900, 10000000 + ($salt + $i * 7) % 89999999;
}

sub run {
	my (%o) = @_;
	my $R = $o{region};
	my $state = $o{seed} // 63;
	my $rand = sub { $state = ($state * 1103515245 + 12345) % 2147483648; return int(($state >> 8) % $_[0]) };
	clean_region($R) unless $o{keep};
	T::db_query("INSERT IGNORE INTO regions (code, name) VALUES ('$R', " . T::sql_quote("$R 测试省") . ")");
	my $sme = Forms::load('sme');
	my $res_f = Forms::load('resource');
	my $base = Forms::valid_values($sme);
	my %out = (genuine => [], office => [], clients => []);

	my @gcodes = make_units($R, 'sme', "G$R", $o{genuine});
	for my $i (1 .. $o{genuine}) {
		my $addr = sprintf '127.%d.%d.7', 100 + int($i / 200), $i % 200;
		my $ua = T::new_agent(local_address => $addr);
		my ($phone, $email) = (phone_of($R, 'g', $i), lc("sme$i\@genuine$i.$R.example.cn"));
		my $uid = register($ua, $gcodes[$i - 1], $i, $phone, $email);
		my $v = contact_values($sme, genuine_values($sme, $base, $i, $rand), $phone, $email);
		push @{ $out{genuine} }, fill($ua, $sme, $v, $uid);
	}

	# The office: one browser, one address, the same answers for everybody.
	my @ocodes = make_units($R, 'sme', "O$R", $o{office});
	my $office = T::new_agent(local_address => '127.99.1.1');
	for my $i (1 .. $o{office}) {
		my ($phone, $email) = (phone_of($R, 'o', $i), lc("office$i\@$R.example.cn"));
		my $uid = register($office, $ocodes[$i - 1], 1000 + $i, $phone, $email);
		push @{ $out{office} }, fill($office, $sme, contact_values($sme, {%$base}, $phone, $email), $uid);
	}

	# A window answering for its client organisations from its own browser.
	if ($o{clients}) {
		my $win = $o{window} or die 'Workload: clients need window => {username, password}';
		my $ua = T::new_agent(local_address => '127.98.1.1');
		$ua->login($win->{username}, $win->{password});
		die 'Workload: window login failed' unless $ua->logged_in;
		my @ccodes = make_units($R, 'resource', "C$R", $o{clients});
		my $rv = Forms::valid_values($res_f);
		$rv->{$_->{code}} = '3' for grep { $_->{code} =~ /_sat$/ } @{ $res_f->{fields} };
		for my $i (1 .. $o{clients}) {
			my ($phone, $email) = (phone_of($R, 'c', $i), lc("client$i\@window.$R.example.cn"));
			my $uid = register($ua, $ccodes[$i - 1], 2000 + $i, $phone, $email);
			push @{ $out{clients} }, fill($ua, $res_f, contact_values($res_f, {%$rv}, $phone, $email), $uid);
		}
	}
	backdate($R, $out{genuine}, $rand);
	return \%out;
}

# The test-only path for time: the genuine respondents registered and
# submitted over the last ten days, each after 4-25 minutes of activity.
sub backdate {
	my ($R, $ids, $rand) = @_;
	for my $id (@$ids) {
		my $mins = 14400 - $rand->(14000);
		my $active = 240 + $rand->(1260);
		my ($uid) = T::db_value("SELECT user_id FROM responses WHERE id = $id");
		T::db_query("UPDATE paradata SET submitted_at = NOW() - INTERVAL $mins MINUTE,"
			. " opened_at = NOW() - INTERVAL " . ($mins + 30) . " MINUTE, active_s = $active"
			. " WHERE form = 'sme' AND user_id = $uid");
		T::db_query("UPDATE responses SET submitted_at = NOW() - INTERVAL $mins MINUTE WHERE id = $id");
		T::db_query("UPDATE reg_paradata SET at = NOW() - INTERVAL " . ($mins + 60 + $rand->(2000))
			. " MINUTE WHERE user_id = $uid");
	}
}

1;
