package T;
# T.pm - helpers for the end-to-end tests (core Perl modules only).
#
#   use FindBin; use lib "$FindBin::Bin/lib"; use T;
#   my $ua  = T::new_agent();                 # cookie jar, no redirects followed
#   my $res = $ua->get('/login');             # HTTP::Tiny response hash + {text}
#   my $res = $ua->login('bj-hub', 'pw');     # GET /login, POST with csrf
#   my $ua  = T::demo_login('hub');           # new agent logged in as the first demo hub
#   my @rows = T::db_query('SELECT ...');     # array refs, UTF-8 decoded, NULL = undef
#
# Responses are HTTP::Tiny hashes: status, reason, headers (lower-case
# names; repeated headers are array refs), content (bytes), plus
# text (content decoded as UTF-8). Request data must be Perl character
# strings (`use utf8;` in the test file).
#
# Where things are comes from the environment (scripts/run-tests exports it):
#   BASE_URL  VARDIR  MYCNF (root client config of the private MariaDB)
#   DEMO_LOGINS  SMESURVEY_CONF  DB_SOCKET  BINDIR
# Without BASE_URL the values are taken from `scripts/stack env`, i.e. the
# stack started by `make run` (VARDIR, PORT from the environment or defaults).
use strict;
use warnings;
use HTTP::Tiny;
use Encode ();
use File::Basename qw(dirname);
use File::Spec;
use Test::More ();

my $ROOT = File::Spec->rel2abs(dirname(__FILE__) . '/../../..');
my %ENVC;

sub root { return $ROOT }

# Settings: the environment first, then `scripts/stack env`.
sub env {
	my ($name) = @_;
	return $ENV{$name} if defined $ENV{$name} && $ENV{$name} ne '';
	if (!%ENVC) {
		open my $p, '-|', "$ROOT/scripts/stack", 'env' or die "scripts/stack env: $!";
		while (<$p>) {
			chomp;
			$ENVC{$1} = $2 if /^(\w+)=(.*)$/;
		}
		close $p;
	}
	return $ENVC{$name};
}

sub base_url { my $u = env('BASE_URL') // 'http://127.0.0.1:8080'; $u =~ s{/+$}{}; return $u }
sub vardir   { return env('VARDIR') }
sub conf_path { return env('SMESURVEY_CONF') }
sub bindir   { return env('BINDIR') // "$ROOT/build/bin" }

# The application's config file as a hash (key => value).
sub app_conf {
	my %c;
	my $f = conf_path() or die 'SMESURVEY_CONF unknown';
	open my $fh, '<:encoding(UTF-8)', $f or die "$f: $!";
	while (<$fh>) {
		next if /^\s*(#|$)/;
		$c{$1} = $2 if /^\s*(\w+)\s*=\s*(.*?)\s*$/;
	}
	return \%c;
}

sub new_agent { return T::Agent->new(@_) }

# Extracts the CSRF token from <input type="hidden" name="csrf" value="...">
# (attributes in any order, either quote style). undef when absent.
sub csrf_from {
	my ($html) = @_;
	return undef unless defined $html;
	while ($html =~ /<input\b([^>]*)>/gi) {
		my $attrs = $1;
		next unless $attrs =~ /\bname\s*=\s*["']?csrf["'\s\/>]/i;
		return $1 if $attrs =~ /\bvalue\s*=\s*"([^"]*)"/i;
		return $1 if $attrs =~ /\bvalue\s*=\s*'([^']*)'/i;
	}
	return undef;
}

# Demo accounts from demo-logins.tsv: role, username, password, region_code.
sub demo_accounts {
	my $f = env('DEMO_LOGINS') // (vardir() ? vardir() . '/demo-logins.tsv' : undef);
	die 'demo-logins.tsv unknown (start the stack with demo data)' unless $f && -r $f;
	open my $fh, '<:encoding(UTF-8)', $f or die "$f: $!";
	my $head = <$fh>;
	my @a;
	while (<$fh>) {
		chomp;
		next unless /\S/;
		my ($role, $user, $pw, $region) = split /\t/, $_, -1;
		push @a, { role => $role, username => $user, password => $pw, region_code => $region // '' };
	}
	return @a;
}

# The n-th (0-based) demo account of a role, optionally of one region.
sub demo_account {
	my ($role, $n, $region) = @_;
	my @m = grep { $_->{role} eq $role && (!defined $region || $_->{region_code} eq $region) }
		demo_accounts();
	my $a = $m[$n // 0] or die "no demo account for role $role" . (defined $region ? " in $region" : '');
	return $a;
}

# A new agent logged in as a demo account; a failed login fails the test.
sub demo_login {
	my ($role, $n, $region) = @_;
	my $a = demo_account($role, $n, $region);
	my $ua = new_agent();
	my $res = $ua->login($a->{username}, $a->{password});
	Test::More::ok($ua->logged_in, "login as demo $role $a->{username}")
		or Test::More::diag("login: HTTP $res->{status}");
	$ua->{account} = $a;
	return $ua;
}

# The objects of an agency visit's plan form (/agency/visits/visit): every
# row's unit<k> as the page has it, and obj = k with day<k> for each unit
# (0: the region's authority) of %$days => day. Extra rows for units the
# page does not offer: @$extra of [unit, day]. A list of form fields.
sub visit_objects {
	my ($html, $days, $extra) = @_;
	my @f;
	my $k = 0;
	while ($html =~ /name="unit(\d+)" value="(\d+)"/g) {
		my ($row, $unit) = ($1, $2);
		push @f, "unit$row" => $unit, "day$row" => $days->{$unit} // '';
		push @f, obj => $row if exists $days->{$unit};
		$k = $row + 1;
	}
	for my $x (@{ $extra // [] }) {
		push @f, "unit$k" => $x->[0], "day$k" => $x->[1], obj => $k;
		$k++;
	}
	return @f;
}

# ------------------------------------------------------------ database
# Runs SQL through the mariadb client as root on the private server (MYCNF),
# or with the application's account when MYCNF is unknown. Returns rows as
# array refs; dies when the client fails.
sub db_query {
	my ($sql) = @_;
	my @args;
	if (my $mycnf = env('MYCNF')) {
		@args = ("--defaults-file=$mycnf");
	} else {
		my $c = app_conf();
		@args = ('--no-defaults', "--user=$c->{db_user}", "--password=$c->{db_password}",
			($c->{db_socket} // '') ne '' ? ("--socket=$c->{db_socket}")
				: ("--host=$c->{db_host}", "--port=$c->{db_port}", '--protocol=tcp'));
	}
	my $db = eval { app_conf()->{db_name} } // 'smesurvey';
	my $bytes = Encode::encode('UTF-8', $sql);
	my $pid = open(my $p, '-|') // die "fork: $!";
	if (!$pid) {
		exec 'mariadb', @args, '--default-character-set=utf8mb4', '-N', '-B', '-e', $bytes, $db;
		die "exec mariadb: $!";
	}
	my @rows;
	while (my $line = <$p>) {
		chomp $line;
		push @rows, [ map { _unbatch($_) } split /\t/, $line, -1 ];
	}
	close $p or die "mariadb failed (exit " . ($? >> 8) . ") on: $sql\n";
	return @rows;
}

sub _unbatch {
	my ($v) = @_;
	return undef if $v eq 'NULL';
	$v =~ s/\\(.)/$1 eq 'n' ? "\n" : $1 eq 't' ? "\t" : $1 eq '0' ? "\0" : $1/ge;
	return Encode::decode('UTF-8', $v);
}

# First column of the first row, or undef.
sub db_value { my @r = db_query(@_); return @r ? $r[0][0] : undef }

# SQL string literal.
# Rows loaded with SQL (fixtures) are not in the maintained aggregates
# (sql/005_aggregates.sql) until they are rebuilt, as after any bulk load.
sub rebuild_aggregates {
	my $cli = bindir() . '/smesurvey-admin';
	my $out = `'$cli' --conf '${\ conf_path()}' rebuild-aggregates 2>&1`;
	die "rebuild-aggregates failed: $out" if $?;
	return $out;
}

sub sql_quote {
	my ($s) = @_;
	return 'NULL' unless defined $s;
	$s =~ s/([\\'])/\\$1/g;
	$s =~ s/\0/\\0/g;
	return "'$s'";
}

# The bytes of a zip of (name => content, ...) pairs, in order: the
# containers of .docx and .xlsx files (IO::Compress::Zip, core Perl).
sub zip_of {
	my @parts = @_;
	require IO::Compress::Zip;
	my $out;
	my $z = IO::Compress::Zip->new(\$out, Name => shift @parts) or die $IO::Compress::Zip::ZipError;
	$z->print(shift @parts);
	while (@parts) {
		$z->newStream(Name => shift @parts) or die $IO::Compress::Zip::ZipError;
		$z->print(shift @parts);
	}
	$z->close;
	return $out;
}

# =====================================================================
package T::Jar;
# A minimal cookie jar for our own host, with the interface HTTP::Tiny
# expects (add, cookie_header). Honours Max-Age / Expires deletion and
# Secure; ignores Domain and treats every cookie as Path=/.

sub new { return bless { c => {} }, shift }

sub add {
	my ($self, $url, $header) = @_;
	my ($pair, @attrs) = split /;\s*/, $header;
	return unless defined $pair && $pair =~ /^\s*([^=\s]+)\s*=\s*(.*?)\s*$/;
	my ($name, $value) = ($1, $2);
	my %a;
	for (@attrs) {
		my ($k, $v) = split /=/, $_, 2;
		$a{lc $k} = $v // 1;
	}
	my $expired = 0;
	$expired = 1 if defined $a{'max-age'} && $a{'max-age'} =~ /^-?\d+$/ && $a{'max-age'} <= 0;
	if (!defined $a{'max-age'} && defined $a{expires}) {
		my $t = _http_date($a{expires});
		$expired = 1 if defined $t && $t <= time;
	}
	if ($expired) { delete $self->{c}{$name}; return }
	$self->{c}{$name} = { value => $value, secure => exists $a{secure},
		httponly => exists $a{httponly}, samesite => $a{samesite}, raw => $header };
}

sub cookie_header {
	my ($self, $url) = @_;
	my $https = $url =~ /^https:/i;
	return join '; ', map { "$_=$self->{c}{$_}{value}" }
		grep { $https || !$self->{c}{$_}{secure} } sort keys %{ $self->{c} };
}

sub get    { my ($s, $n) = @_; return $s->{c}{$n} ? $s->{c}{$n}{value} : undef }
sub attrs  { my ($s, $n) = @_; return $s->{c}{$n} }
sub set    { my ($s, $n, $v) = @_; $s->{c}{$n} = { value => $v, raw => "$n=$v" } }
sub remove { my ($s, $n) = @_; delete $s->{c}{$n} }
sub names  { return sort keys %{ $_[0]{c} } }

my %MON = (jan => 0, feb => 1, mar => 2, apr => 3, may => 4, jun => 5,
           jul => 6, aug => 7, sep => 8, oct => 9, nov => 10, dec => 11);
sub _http_date {
	my ($s) = @_;
	return undef unless $s =~ /(\d{1,2})[ -]([A-Za-z]{3})[ -](\d{2,4}) (\d\d):(\d\d):(\d\d)/;
	require Time::Local;
	my $y = $3 < 100 ? $3 + ($3 < 70 ? 2000 : 1900) : $3;
	return eval { Time::Local::timegm($6, $5, $4, $1, $MON{lc $2}, $y) };
}

# =====================================================================
package T::Agent;
# One browser: a cookie jar and a base URL. Redirects are not followed
# unless new_agent(follow => 1).

sub new {
	my ($class, %o) = @_;
	my $jar = T::Jar->new;
	my $self = bless {
		base => $o{base_url} // T::base_url(),
		jar  => $jar,
		http => HTTP::Tiny->new(
			agent        => 'smesurvey-e2e/1',
			cookie_jar   => $jar,
			max_redirect => $o{follow} ? 5 : 0,
			timeout      => $o{timeout} // 30,
			keep_alive   => 0,
			# new_agent(local_address => '127.0.0.9'): another client
			# (the whole of 127.0.0.0/8 is this machine).
			($o{local_address} ? (local_address => $o{local_address}) : ()),
		),
		last => undef,
	}, $class;
	return $self;
}

sub jar    { return $_[0]{jar} }
sub cookie { return $_[0]{jar}->get($_[1]) }
sub last_response { return $_[0]{last} }
sub url    { my ($s, $p) = @_; return $p =~ m{^https?://} ? $p : $s->{base} . $p }

# request(METHOD, PATH, {headers => {...}, content => BYTES})
sub request {
	my ($self, $method, $path, $opt) = @_;
	my $res = $self->{http}->request($method, $self->url($path), $opt // {});
	$res->{text} = eval { Encode::decode('UTF-8', $res->{content} // '', Encode::FB_CROAK | Encode::LEAVE_SRC) }
		// $res->{content};
	$self->{last} = $res;
	return $res;
}

sub get  { my ($s, $p, $h) = @_; return $s->request('GET', $p, { headers => $h // {} }) }
sub head { my ($s, $p, $h) = @_; return $s->request('HEAD', $p, { headers => $h // {} }) }

# post($path, [name => value, ...] or {name => value}); urlencoded, UTF-8.
sub post {
	my ($self, $path, $form, $h) = @_;
	my $body = $self->{http}->www_form_urlencode($form // []);
	return $self->request('POST', $path, {
		headers => { 'content-type' => 'application/x-www-form-urlencoded', %{ $h // {} } },
		content => $body });
}

# post_multipart($path, [name => value, name => {filename => F, content => BYTES,
#   content_type => T}, ...]). Plain values are character strings (sent as
# UTF-8); file content is bytes.
sub post_multipart {
	my ($self, $path, $parts, $h) = @_;
	my $boundary = '----smesurvey' . join('', map { int rand 10 } 1 .. 24);
	my $body = '';
	my @p = @{ $parts // [] };
	while (@p) {
		my ($name, $v) = splice @p, 0, 2;
		my $n = Encode::encode('UTF-8', $name);
		$body .= "--$boundary\r\n";
		if (ref $v eq 'HASH') {
			my $fn = Encode::encode('UTF-8', $v->{filename} // '');
			$body .= "Content-Disposition: form-data; name=\"$n\"; filename=\"$fn\"\r\n";
			$body .= "Content-Type: " . ($v->{content_type} // 'application/octet-stream') . "\r\n\r\n";
			$body .= $v->{content} // '';
		} else {
			$body .= "Content-Disposition: form-data; name=\"$n\"\r\n\r\n";
			$body .= Encode::encode('UTF-8', $v // '');
		}
		$body .= "\r\n";
	}
	$body .= "--$boundary--\r\n";
	return $self->request('POST', $path, {
		headers => { 'content-type' => "multipart/form-data; boundary=$boundary", %{ $h // {} } },
		content => $body });
}

# GET a page and return the csrf token in it (undef when none).
sub csrf_of {
	my ($self, $path) = @_;
	my $res = $self->get($path);
	return T::csrf_from($res->{text});
}

# GET /login, then POST username, password and csrf. Returns the POST's
# response (303 on success). Field names follow the login form.
sub login {
	my ($self, $user, $pw, %extra) = @_;
	my $csrf = $self->csrf_of('/login');
	my $res = $self->post('/login', [ username => $user, password => $pw,
		(defined $csrf ? (csrf => $csrf) : ()), %extra ]);
	$self->{logged_in} = ($res->{status} == 303 || $res->{status} == 302) &&
		($res->{headers}{location} // '') !~ m{/login\b};
	return $res;
}

sub logged_in { return $_[0]{logged_in} }

sub logout {
	my ($self) = @_;
	my $csrf = $self->csrf_of('/');
	my $res = $self->post('/logout', [ (defined $csrf ? (csrf => $csrf) : ()) ]);
	$self->{logged_in} = 0;
	return $res;
}

1;
