package Access;
# Access.pm - the routes the programs serve (their page tables, printed by
# `PROGRAM --routes`), the access matrix (tests/access/matrix.tsv, format in
# its header) and its principals, shared by 72-access-matrix.t and
# 73-csrf-methods.t.
use strict;
use warnings;
use utf8;
use T;

# Every FastCGI program in BINDIR answers --routes; the command-line tools
# refuse the option and are skipped. Returns [ method, path, roles, flags,
# program, params ] rows (params: the typed parameters' names, "a,b" or "-").
sub routes {
	my $bin = T::bindir();
	my @r;
	for my $p (sort glob "$bin/smesurvey-*") {
		my @lines = `'$p' --routes 2>/dev/null`;
		next if $? != 0;
		(my $prog = $p) =~ s{.*/}{};
		for (@lines) {
			chomp;
			my ($m, $path, $roles, $flags, $params) = split /\t/;
			push @r, [ $m, $path, $roles, $flags, $prog, $params // '-' ];
		}
	}
	return @r;
}

# Reads the matrix: { principals => { name => username or '-' }, order =>
# [names], groups => { name => [names] }, rows => [ { method, target, path,
# who => [names], expect, line } ] }. `others` is resolved per (method,
# target) to the principals no earlier row of it names; `*` is everybody.
sub matrix {
	my $f = T::root() . '/tests/access/matrix.tsv';
	open my $fh, '<:encoding(UTF-8)', $f or die "$f: $!";
	my (%pr, @order, %grp, @rows, %named);
	while (my $l = <$fh>) {
		chomp $l;
		next if $l =~ /^\s*(#|$)/;
		my @c = split /\t+/, $l;
		if ($c[0] eq '@principal') {
			$pr{ $c[1] } = $c[2];
			push @order, $c[1];
			next;
		}
		if ($c[0] eq '@group') {
			$grp{ $c[1] } = [ split /,/, $c[2] ];
			next;
		}
		die "$f:$.: expected METHOD TARGET WHO EXPECT: $l" unless @c == 4;
		my ($m, $target, $who, $expect) = @c;
		(my $path = $target) =~ s/\?.*//;
		my $key = "$m $target";
		my @who;
		for my $w (split /,/, $who) {
			if ($w eq '*') { push @who, @order }
			elsif ($w eq 'others') { push @who, grep { !$named{$key}{$_} } @order }
			elsif ($grp{$w}) { push @who, @{ $grp{$w} } }
			elsif (exists $pr{$w}) { push @who, $w }
			else { die "$f:$.: unknown principal or group '$w'" }
		}
		$named{$key}{$_} = 1 for @who;
		push @rows, { method => $m, target => $target, path => $path, who => \@who, expect => $expect,
			line => $. };
	}
	return { principals => \%pr, order => \@order, groups => \%grp, rows => \@rows };
}

# Placeholders in a target, resolved against the database:
#   {user:NAME}      the id of account NAME
#   {unit:REGION}    the smallest id of REGION's selected, active sample
#                    units that have not registered ({unit:REGION:FORM}: of
#                    that questionnaire when it has any)
#   {response:NAME}  the id of account NAME's response (made as a draft
#                    first when it has none)
sub resolve {
	my ($target) = @_;
	$target =~ s/\{user:([^}]+)\}/id_of("SELECT id FROM users WHERE username = " . T::sql_quote($1), $&)/ge;
	$target =~ s/\{unit:([^}:]+)(?::(\w+))?\}/unit_of($1, $2, $&)/ge;
	$target =~ s/\{response:([^}]+)\}/response_of($1)/ge;
	return $target;
}
sub unit_of {
	my ($region, $form, $what) = @_;
	my $sql = "SELECT MIN(su.id) FROM sample_units su JOIN samples s ON s.id = su.sample_id WHERE s.region_code = "
		. T::sql_quote($region) . " AND su.role = 'selected' AND su.status = 'active' AND su.user_id IS NULL";
	# A questionnaire without a sample (hub, window, selfeval): any unit.
	my $v = defined $form ? T::db_value("$sql AND su.form = " . T::sql_quote($form)) : undef;
	return $v // id_of($sql, $what);
}
sub id_of {
	my ($sql, $what) = @_;
	my $v = T::db_value($sql);
	die "matrix placeholder $what: nothing found" unless defined $v;
	return $v;
}
sub response_of {
	my ($name) = @_;
	my $uq = T::sql_quote($name);
	my $v = T::db_value("SELECT r.id FROM responses r JOIN users u ON u.id = r.user_id WHERE u.username = $uq");
	return $v if defined $v;
	my ($acc) = grep { $_->{username} eq $name } T::demo_accounts();
	die "matrix placeholder {response:$name}: no such demo account" unless $acc;
	my $ua = T::new_agent();
	$ua->login($acc->{username}, $acc->{password});
	my $home = $ua->get('/login')->{headers}{location} // '';
	my $page = $ua->get($home);
	my ($ver) = $page->{text} =~ /name="version" value="(\d+)"/;
	$ua->post($home, [ csrf => T::csrf_from($page->{text}), version => $ver // 0, action => 'save' ]);
	return id_of("SELECT r.id FROM responses r JOIN users u ON u.id = r.user_id WHERE u.username = $uq",
		"{response:$name}");
}

# One logged-in agent per principal (anonymous: a fresh agent each call).
my %AGENT;
sub agent {
	my ($m, $name) = @_;
	my $user = $m->{principals}{$name};
	return T::new_agent() if $user eq '-';
	return $AGENT{$name} if $AGENT{$name} && $AGENT{$name}->logged_in;
	my ($acc) = grep { $_->{username} eq $user } T::demo_accounts();
	die "principal $name: no demo account $user" unless $acc;
	my $ua = T::new_agent();
	$ua->login($acc->{username}, $acc->{password});
	die "principal $name: login as $user failed" unless $ua->logged_in;
	return $AGENT{$name} = $ua;
}

# Does a response meet an expectation?
#   200 403 404 ...  that status; 403 also: not the CSRF refusal
#   login            303 to /login?next=...
#   csrf             403 with the CSRF refusal ("已过期" / "来源无效")
#   redirect         303 anywhere but the login redirect
sub meets {
	my ($res, $expect) = @_;
	my $s = $res->{status};
	my $loc = $res->{headers}{location} // '';
	my $csrf_text = ($res->{text} // '') =~ /已过期|来源无效/;
	return $s == 303 && $loc =~ m{^/login\?next=} if $expect eq 'login';
	return $s == 303 && $loc !~ m{^/login\?next=} if $expect eq 'redirect';
	return $s == 403 && $csrf_text if $expect eq 'csrf';
	return $s == 403 && !$csrf_text if $expect eq '403';
	return $s == $expect;
}

# The short word for what a response was (for the record mode and diags).
sub observed {
	my ($res) = @_;
	my $s = $res->{status};
	my $loc = $res->{headers}{location} // '';
	return 'login' if $s == 303 && $loc =~ m{^/login\?next=};
	return 'redirect' if $s == 303;
	return 'csrf' if $s == 403 && ($res->{text} // '') =~ /已过期|来源无效/;
	return $s;
}

# ---- POST cases: who posts to a state-changing route, and a body that
# would do something with a valid token (73-csrf-methods.t, scripts/sqlmap).
my %FORM_ROLE = (selfeval => 'bj-region', hub => 'bj-hub', window => 'bj-win1', resource => 'bj-res1',
	sme => 'bj-sme1');
# [ path pattern, poster (a demo username, '-' anonymous), body ]
my @CASES = (
	[ qr{^/login$}, '-', [ username => 'bj-sme1', password => 'BjSme1-Demo-2013' ] ],
	[ qr{^/register$}, '-', [ code => 'ABCD-EFGH-JKLM-NPQR', username => 't73-new', password => 'T73-Register-Pass1',
		password2 => 'T73-Register-Pass1' ] ],
	[ qr{^/logout$}, 'bj-sme1', [] ],
	[ qr{^/password$}, 'bj-sme1', [ old_password => 'BjSme1-Demo-2013', new_password => 'T73-Changed-Pass-1',
		new_password2 => 'T73-Changed-Pass-1' ] ],
	[ qr{^/admin/responses/reopen$}, 'admin', [ id => '{response:bj-sme1}', reason => 'T73' ] ],
	[ qr{^/admin/deadlines$}, 'admin', [ action => 'set', region => '110000', due => '2099-06-30' ] ],
	# Accounts changed here are nobody's poster (scripts/sqlmap acts with
	# valid tokens).
	[ qr{^/admin/accounts$}, 'admin', [ id => '{user:gd-win2}', action => 'disable' ] ],
	[ qr{^/admin/accounts/reset$}, 'admin', [ id => '{user:gd-win2}', confirm => 1 ] ],
	[ qr{^/agency/region/confirm$}, 'bj-region', [ id => 1, ok => 1 ] ],
	[ qr{^/agency/unit/documents$}, 'bj-hub', [ kind => 'report' ] ],
	[ qr{^/agency/}, 'agency', [ id => 1, region => '110000', unit => '{unit:110000}', action => 'cancel', confirm => 1 ] ],
	[ qr{^/admin/integrity/response$}, 'agency', [ id => '{response:bj-sme1}', decision => 'asked', note => 'T73' ] ],
	[ qr{^/admin/regions/phone$}, 'admin', [ code => '440000', step => 'save', help_phone => '020-12345678' ] ],
	[ qr{^/admin/samples/reset$}, 'admin', [ region => '110000', kind => 'sme', reason => 'T73', confirm => 1 ] ],
	[ qr{^/region/frames$}, 'bj-region', [ kind => 'sme', action => 'discard' ] ],
	[ qr{^/region/sample$}, 'bj-region', [ kind => 'sme', seed => 'ab12' ] ],
	[ qr{^/region/slips/?$}, 'bj-region', [ stratum => 'sme', scope => 'all' ] ],
	[ qr{^/region/slips/one$}, 'bj-region', [ unit => '{unit:110000}' ] ],
	[ qr{^/region/slips/revoke$}, 'bj-region', [ unit => '{unit:110000}', confirm => 1 ] ],
	[ qr{^/region/accounts/reset$}, 'bj-region', [ id => '{user:bj-win2}', confirm => 1 ] ],
	[ qr{^/region/followups/unit$}, 'bj-region', [ unit => '{unit:110000}', outcome => 'called', note => 'T73' ] ],
	[ qr{^/form/(\w+)/proxy/unit$}, 'bj-region', [ unit => '{unit:110000:FORM}', confirm => 1 ] ],
	[ qr{^/form/(\w+)/autosave$}, 'FORM', [ fields => 'q1_contact', q1_contact => 'T73 自动保存', version => 0 ] ],
	[ qr{^/form/(\w+)/?$}, 'FORM', [ action => 'save', version => 0, q1_contact => 'T73 保存' ] ],
);

# (poster username or '-', [ body ]) for a POST path, placeholders filled;
# () when no case matches.
sub post_case {
	my ($path) = @_;
	my ($case) = grep { $path =~ $_->[0] } @CASES;
	return () unless $case;
	my $who = $case->[1];
	if ($who eq 'FORM') {
		my ($form) = $path =~ m{^/form/(\w+)};
		$who = $FORM_ROLE{$form};
	}
	my ($form) = $path =~ m{^/form/(\w+)};
	my @body = @{ $case->[2] };
	s/:FORM\}/:$form}/ for grep { defined $form } @body;
	return ($who, [ map { resolve($_) } @body ]);
}

1;
