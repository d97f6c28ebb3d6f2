package Forms;
# Forms.pm - codebook-driven helpers for the questionnaire e2e tests.
#
# Everything here is derived from cgi-bin/forms/codebook/<form>.tsv (the one
# definition of every field), so the tests follow the codebook instead of
# hard-coding field lists:
#
#   my $f    = Forms::load('sme');          # fields, options, parsed rules
#   my $vals = Forms::valid_values($f);     # code => value for every field that
#                                           # is applicable; satisfies every rule
#   my $post = Forms::post_params($f, $vals);   # [name => value, ...] as a browser posts
#   my $exp  = Forms::stored($f, $vals);    # code => value as the answers table stores it
#   my $shown = Forms::form_values($html);  # name => value(s) read back from the page
#   my $acc  = Forms::fresh_accounts('t30a', 'T30A01', 'T30 测试省', [qw(region sme)]);
#
# Values: scalars for text-like and numeric fields, array refs of option codes
# for multi (in posting order; deliberately not ascending) and rank (rank order).
use strict;
use warnings;
use utf8;
use Encode ();
use File::Temp qw(tempfile);
use T;

my $CBDIR = T::root() . '/cgi-bin/forms/codebook';

sub names { return qw(selfeval hub window resource sme) }

# The role that fills each form (README URL map).
my %ROLE = (selfeval => 'region', hub => 'hub', window => 'window', resource => 'resource', sme => 'sme');
sub role_of { return $ROLE{ $_[0] } }

# ------------------------------------------------------------ parsing
sub load {
	my ($name) = @_;
	my $path = "$CBDIR/$name.tsv";
	open my $fh, '<:encoding(UTF-8)', $path or die "$path: $!";
	my $head = <$fh>;
	my (@fields, %by);
	while (my $line = <$fh>) {
		chomp $line;
		next unless length $line;
		my ($code, $section, $label, $type, $opts, $unit, $req, $rule) = split /\t/, $line, -1;
		my $fd = { code => $code, section => $section, label => $label, type => $type,
			unit => $unit // '', required => ($req // '') eq 'y', idx => scalar @fields,
			opts => [], rules => [] };
		for my $o (split / \| /, $opts // '') {
			my ($c, $l) = split /=/, $o, 2;
			push @{ $fd->{opts} }, [ $c, $l ];
		}
		$fd->{rules} = [ map { parse_clause($_) } grep { length } split /; /, $rule // '' ];
		push @fields, $fd;
		$by{$code} = $fd;
	}
	close $fh;
	return { name => $name, fields => \@fields, by => \%by, role => $ROLE{$name} };
}

my $OP = qr/<=|>=|!=|=|<|>/;

sub parse_expr {
	my ($s) = @_;
	return [ map {
		my $t = $_;
		$t =~ s/^\s+|\s+$//g;
		$t =~ /^[a-z]/ ? { field => $t } : { num => $t };
	} split /\s*\+\s*/, $s ];
}

sub parse_clause {
	my ($c) = @_;
	my $warn = 0;
	$warn = 1 if $c =~ s/^warn:\s*//;
	my %r = (warn => $warn, src => $c);
	if ($c =~ /^if (\w+) has (\w+)$/)              { @r{qw(kind ref opt)} = ('if_has', $1, $2) }
	elsif ($c =~ /^if (\w+)\s*($OP)\s*(-?[\d.]+)$/) { @r{qw(kind ref op num)} = ('if_cmp', $1, $2, $3) }
	elsif ($c =~ /^if (\w+)$/)                     { @r{qw(kind ref)} = ('if_set', $1) }
	elsif ($c =~ /^count (\d+)\.\.(\d+)$/)         { @r{qw(kind lo hi)} = ('count', $1, $2) }
	elsif ($c =~ /^(-?[\d.]+)\.\.(-?[\d.]+)$/)     { @r{qw(kind lo hi)} = ('range', $1, $2) }
	elsif ($c =~ /^(digits6|email|phone)$/)        { $r{kind} = $1 }
	elsif ($c =~ /^ext:(.*)$/)                     { @r{qw(kind ext)} = ('ext', [ split /,/, $1 ]) }
	elsif ($c =~ /^($OP)\s*(.+)$/)                 { @r{qw(kind op lhs rhs)} = ('cmp', $1, [], parse_expr($2)) }
	elsif ($c =~ /^(.+?)\s*($OP)\s*(.+)$/)         { @r{qw(kind op lhs rhs)} = ('cmp', $2, parse_expr($1), parse_expr($3)) }
	else { die "Forms: cannot parse rule clause '$c'" }
	return \%r;
}

sub is_numeric { my $t = $_[0]{type}; return $t eq 'int' || $t eq 'decimal' || $t eq 'percent' }
sub if_rules   { return grep { $_->{kind} =~ /^if_/ } @{ $_[0]{rules} } }

# ------------------------------------------------------- applicability
# Mirrors the codebook README: every `if` must hold; a field that is not
# applicable counts as empty for the conditions of others.
sub applicable {
	my ($f, $vals) = @_;
	my %app;
	my $eval;
	$eval = sub {
		my ($fd) = @_;
		return $app{ $fd->{code} } if exists $app{ $fd->{code} };
		my $yes = 1;
		for my $r (if_rules($fd)) {
			my $ref = $f->{by}{ $r->{ref} };
			my $v = $eval->($ref) ? $vals->{ $r->{ref} } : undef;
			my $empty = !defined $v || (ref $v ? !@$v : $v eq '');
			if ($empty) { $yes = 0 }
			elsif ($r->{kind} eq 'if_has') { $yes = 0 unless grep { $_ eq $r->{opt} } @$v }
			elsif ($r->{kind} eq 'if_cmp') { $yes = 0 unless cmp_holds($v, $r->{op}, $r->{num}) }
			last unless $yes;
		}
		return $app{ $fd->{code} } = $yes;
	};
	$eval->($_) for @{ $f->{fields} };
	return \%app;
}

sub cmp_holds {
	my ($a, $op, $b) = @_;
	return $op eq '<=' ? $a <= $b : $op eq '>=' ? $a >= $b : $op eq '<' ? $a < $b
	     : $op eq '>' ? $a > $b : $op eq '=' ? $a == $b : $a != $b;
}

# ------------------------------------------------------------ values
# Numbers are computed in hundredths (integers) so that sums are exact.
sub fmt_num {
	my ($fd, $h) = @_;
	return int($h / 100) if $fd->{type} eq 'int';
	my $s = sprintf '%d.%02d', int($h / 100), $h % 100;
	$s =~ s/\.?0+$// if $s =~ /\./;
	return $s;
}

# Text values carry markup characters and a per-field tag, so the tests
# see both escaping and that each value lands in its own field.
sub text_value {
	my ($fd) = @_;
	my $t = $fd->{type};
	my $n = $fd->{idx};
	return "测试机构${n}号（T30）有限公司 & <b>“名称”</b>" if $t eq 'org_name';
	return "所在地区 $n：\"海淀\" & 'x' <i>" if $t eq 'text';
	return "其他原因 $n <注明> & 说明" if $t eq 'other_text';
	return "第一段 $fd->{code}：<script>alert(1)</script> & \"引号\"\n第二段，'单引号' 结束。" if $t eq 'textarea';
	return 'zhang.san+t30@example.com.cn' if $t eq 'email';
	return '010-6820 5678转123' if $t eq 'phone';
	return '100804' if $t eq 'zip';
	return '2008-05-12' if $t eq 'date';
	return undef;
}

# A value for every field (file fields excepted: the test uploads those),
# consistent with every rule, with conditions switched on where the
# codebook allows it; fields that stay not applicable are left out.
sub valid_values {
	my ($f) = @_;
	my $v = full_values($f);
	my $app = applicable($f, $v);
	delete $v->{$_} for grep { !$app->{$_} } keys %$v;
	return $v;
}

# valid_values before the not applicable fields are left out: a value for
# every field, as a careless client (or a browser without script) may post.
sub full_values {
	my ($f) = @_;
	my %v;
	my %num;   # hundredths
	for my $fd (@{ $f->{fields} }) {
		my ($t, $i) = ($fd->{type}, $fd->{idx});
		if ($t eq 'int')        { $num{ $fd->{code} } = (1 + $i % 9) * 100 }
		elsif ($t eq 'decimal') { $num{ $fd->{code} } = (1 + $i % 9) * 100 + 25 }
		elsif ($t eq 'percent') { $num{ $fd->{code} } = (10 + $i % 30) * 100 + 50 }
		elsif ($t eq 'single')  { $v{ $fd->{code} } = $fd->{opts}[ $i % @{ $fd->{opts} } ][0] }
		elsif ($t eq 'multi') {
			# Every other option, posted in descending order (the server
			# must store them ascending).
			my @o = map { $_->[0] } @{ $fd->{opts} };
			$v{ $fd->{code} } = [ reverse @o[ grep { $_ % 2 == 0 } 0 .. $#o ] ];
		}
		elsif ($t eq 'rank') {
			# All options in a non-trivial order: 2nd, 4th ... then 1st, 3rd ...
			my @o = map { $_->[0] } @{ $fd->{opts} };
			$v{ $fd->{code} } = [ @o[ (grep { $_ % 2 == 1 } 0 .. $#o), (grep { $_ % 2 == 0 } 0 .. $#o) ] ];
		}
		elsif ($t ne 'file')    { $v{ $fd->{code} } = text_value($fd) }
	}
	# `has` conditions: the multi must contain that option.
	for my $fd (@{ $f->{fields} }) {
		for my $r (grep { $_->{kind} eq 'if_has' } @{ $fd->{rules} }) {
			my $m = $v{ $r->{ref} };
			push @$m, $r->{opt} unless grep { $_ eq $r->{opt} } @$m;
		}
	}
	solve_numbers($f, \%num);
	$v{$_} = fmt_num($f->{by}{$_}, $num{$_}) for keys %num;
	# Single choices that switch on conditional fields: the option that
	# makes the most fields applicable.
	for my $code (sort { $f->{by}{$a}{idx} <=> $f->{by}{$b}{idx} } cond_singles($f)) {
		my $fd = $f->{by}{$code};
		my ($best, $bestn) = ($v{$code}, -1);
		for my $o (map { $_->[0] } @{ $fd->{opts} }) {
			local $v{$code} = $o;
			my $app = applicable($f, \%v);
			my $n = grep { $_ } values %$app;
			($best, $bestn) = ($o, $n) if $n > $bestn;
		}
		$v{$code} = $best;
	}
	return \%v;
}

sub cond_singles {
	my ($f) = @_;
	my %s;
	for my $fd (@{ $f->{fields} }) {
		$s{ $_->{ref} } = 1 for grep { $_->{kind} eq 'if_cmp' && $f->{by}{ $_->{ref} }{type} eq 'single' }
			@{ $fd->{rules} };
	}
	return keys %s;
}

# Raise totals until every comparison holds (values only grow, so it ends).
sub solve_numbers {
	my ($f, $num) = @_;
	my $sum = sub {
		my ($e) = @_;
		my $s = 0;
		for (@$e) { $s += defined $_->{field} ? ($num->{ $_->{field} } // 0) : $_->{num} * 100 }
		return $s;
	};
	for my $round (1 .. 100) {
		my $changed = 0;
		for my $fd (grep { is_numeric($_) } @{ $f->{fields} }) {
			my $c = $fd->{code};
			for my $r (grep { $_->{kind} eq 'cmp' } @{ $fd->{rules} }) {
				my @refs = grep { defined $_->{field} } @{ $r->{rhs} };
				if (!@{ $r->{lhs} }) {
					next unless @refs;
					my $rhs = $sum->($r->{rhs});
					if (($r->{op} eq '>=' || $r->{op} eq '>') && !cmp_holds($num->{$c}, $r->{op}, $rhs)) {
						$num->{$c} = $rhs + ($r->{op} eq '>' ? 100 : 0); $changed = 1;
					} elsif ($r->{op} eq '=' && $num->{$c} != $rhs) {
						$num->{$c} = $rhs; $changed = 1;
					} elsif (($r->{op} eq '<=' || $r->{op} eq '<') && !cmp_holds($num->{$c}, $r->{op}, $rhs)
						&& @refs == 1) {
						$num->{ $refs[0]{field} } = $num->{$c} + ($r->{op} eq '<' ? 100 : 0); $changed = 1;
					}
				} else {
					# EXPR <op> constant over other fields (percent shares).
					next if grep { defined $_->{field} } @{ $r->{rhs} };
					my $rhs = $sum->($r->{rhs});
					my $lhs = $sum->($r->{lhs});
					next if cmp_holds($lhs, $r->{op}, $rhs);
					my $last = (grep { defined $_->{field} } @{ $r->{lhs} })[-1]{field};
					my $want = $rhs - ($lhs - $num->{$last});
					$want = 0 if $want < 0;
					$num->{$last} = $want; $changed = 1;
				}
			}
		}
		return unless $changed;
	}
	die "Forms::solve_numbers: no fixpoint for $f->{name}";
}

# ------------------------------------------------------------ posting
# Parameters as a browser posts them: multi repeated, rank as code_1..code_n.
sub post_params {
	my ($f, $vals) = @_;
	my @p;
	for my $fd (@{ $f->{fields} }) {
		my $v = $vals->{ $fd->{code} };
		next unless defined $v;
		if ($fd->{type} eq 'multi') { push @p, map { ($fd->{code} => $_) } @$v }
		elsif ($fd->{type} eq 'rank') { my $k = 0; push @p, map { ($fd->{code} . '_' . ++$k => $_) } @$v }
		elsif ($fd->{type} ne 'file') { push @p, $fd->{code} => $v }
	}
	return \@p;
}

# code => stored value (codebook README, Storage): multi ascending, rank in
# rank order, everything else as sent.
sub stored {
	my ($f, $vals) = @_;
	my %s;
	for my $code (keys %$vals) {
		my $fd = $f->{by}{$code};
		my $v = $vals->{$code};
		if ($fd->{type} eq 'multi') {
			my %on = map { $_ => 1 } @$v;
			$v = join ',', map { $_->[0] } grep { $on{ $_->[0] } } @{ $fd->{opts} };
		} elsif ($fd->{type} eq 'rank') {
			$v = join ',', @$v;
		}
		$s{$code} = $v;
	}
	return \%s;
}

# ------------------------------------------------------------ reading pages
sub unescape {
	my ($s) = @_;
	$s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&#39;/'/g;
	$s =~ s/&#x27;/'/g; $s =~ s/&amp;/&/g;
	return $s;
}

sub attr {
	my ($attrs, $name) = @_;
	return unescape($1) if $attrs =~ /\b$name="([^"]*)"/;
	return 1 if $attrs =~ /\s$name(?=[\s>\/]|$)/;
	return undef;
}

# name => value shown in the editable form: text inputs and textareas by
# value, selects by their selected option, radios/checkboxes as an array ref
# of the checked values.
sub form_values {
	my ($html) = @_;
	my %v;
	while ($html =~ /<input\b([^>]*)>/g) {
		my $a = $1;
		my $name = attr($a, 'name') // next;
		my $type = attr($a, 'type') // 'text';
		if ($type eq 'radio' || $type eq 'checkbox') {
			$v{$name} //= [];
			push @{ $v{$name} }, attr($a, 'value') if attr($a, 'checked');
		} elsif ($type eq 'text' || $type eq 'tel') {
			$v{$name} = attr($a, 'value') // '';
		}
	}
	while ($html =~ /<textarea\b([^>]*)>(.*?)<\/textarea>/gs) {
		my ($a, $body) = ($1, $2);
		$v{ attr($a, 'name') } = unescape($body);
	}
	while ($html =~ /<select\b([^>]*)>(.*?)<\/select>/gs) {
		my ($a, $body) = ($1, $2);
		my $sel = '';
		$sel = unescape($1) if $body =~ /<option value="([^"]*)" selected>/;
		$v{ attr($a, 'name') } = $sel;
	}
	return \%v;
}

# What the page should show for vals, in the shape form_values returns.
sub expected_shown {
	my ($f, $vals) = @_;
	my %e;
	for my $code (keys %$vals) {
		my $fd = $f->{by}{$code};
		my $v = $vals->{$code};
		if ($fd->{type} eq 'multi') {
			my %on = map { $_ => 1 } @$v;
			$e{$code} = [ map { $_->[0] } grep { $on{ $_->[0] } } @{ $fd->{opts} } ];
		} elsif ($fd->{type} eq 'rank') {
			my $k = 0;
			$e{ $code . '_' . ++$k } = $_ for @$v;
		} elsif ($fd->{type} eq 'single') {
			$e{$code} = $v;   # a radio group (array) or a select in a grid (scalar)
		} elsif ($fd->{type} ne 'file') {
			$e{$code} = $v;
		}
	}
	return \%e;
}

# Compare the page's values with the expected ones; returns a list of
# differences (empty when equal). Single choices may be radios or selects.
sub diff_shown {
	my ($f, $shown, $exp) = @_;
	my @d;
	for my $k (sort keys %$exp) {
		my $want = $exp->{$k};
		my $got = $shown->{$k};
		my $fd = $f->{by}{$k};
		$got = $got->[0] if $fd && $fd->{type} eq 'single' && ref $got && @$got <= 1;
		my $g = ref $got ? join(',', @$got) : $got // '<absent>';
		my $w = ref $want ? join(',', @$want) : $want;
		push @d, "$k: shown '$g', expected '$w'" unless $g eq $w;
	}
	return @d;
}

# ------------------------------------------------------------ database
sub response_row {
	my ($form, $user_id) = @_;
	my @r = T::db_query("SELECT id, status, valid, IFNULL(proxy_user_id, 0), region_code FROM responses "
		. "WHERE form = " . T::sql_quote($form) . " AND user_id = " . int($user_id));
	return @r ? { id => $r[0][0], status => $r[0][1], valid => $r[0][2], proxy => $r[0][3],
		region => $r[0][4] } : undef;
}

sub stored_answers {
	my ($response_id) = @_;
	return { map { $_->[0] => $_->[1] } T::db_query(
		"SELECT code, value FROM answers WHERE response_id = " . int($response_id)) };
}

# ------------------------------------------------------------ accounts
# Fresh accounts of the given roles in a test region of one's own (created,
# and cleared of earlier runs' data, here), imported with the real CLI.
# Returns role => { username, password, id, org_name }.
sub fresh_accounts {
	my ($prefix, $region, $region_name, $roles) = @_;
	my $rq = T::sql_quote($region);
	my $likeq = T::sql_quote("$prefix-%");
	T::db_query("DELETE FROM responses WHERE user_id IN (SELECT id FROM users WHERE username LIKE $likeq)"
		. " OR region_code = $rq");
	T::db_query("DELETE FROM users WHERE username LIKE $likeq");
	T::db_query("DELETE FROM deadline_overrides WHERE region_code = $rq");
	T::db_query("INSERT IGNORE INTO regions (code, name) VALUES ($rq, " . T::sql_quote($region_name) . ")");
	my %acc;
	my ($fh, $csv) = tempfile('t30-accounts-XXXXXX', TMPDIR => 1, SUFFIX => '.csv', UNLINK => 1);
	binmode $fh, ':encoding(UTF-8)';
	print $fh "username,initial_password,role,region_code,org_name,form\n";
	my %n;
	for my $role (@$roles) {
		my $k = ++$n{$role};
		my $key = $k == 1 ? $role : "$role$k";
		my $u = "$prefix-$key";
		my %form = (region => 'selfeval', hub => 'hub', window => 'window', resource => 'resource', sme => 'sme');
		$acc{$key} = { username => $u, password => "T30-Pass-$key-2013!", role => $role,
			org_name => "$region_name $key 测试单位", region_code => $region };
		print $fh join(',', $u, $acc{$key}{password}, $role, $region, $acc{$key}{org_name}, $form{$role}), "\n";
	}
	close $fh;
	my $cli = T::bindir() . '/smesurvey-admin';
	my $out = `'$cli' --conf '${\ T::conf_path()}' import-accounts '$csv' 2>&1`;
	die "import-accounts failed: $out" if $?;
	for my $a (values %acc) {
		$a->{id} = T::db_value("SELECT id FROM users WHERE username = " . T::sql_quote($a->{username}));
		die "account $a->{username} not imported" unless $a->{id};
	}
	return \%acc;
}

# An agent logged in as one of those accounts.
sub login_as {
	my ($a, %o) = @_;          # %o: T::new_agent's options (timeout)
	my $ua = T::new_agent(%o);
	my $res = $ua->login($a->{username}, $a->{password});
	die "login $a->{username} failed: HTTP $res->{status}" unless $ua->logged_in;
	return $ua;
}

# A minimal valid PDF (one empty page), a few hundred bytes.
sub small_pdf {
	my ($tag) = @_;
	$tag //= 'T30';
	my @obj = (
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
	);
	my $stream = "% $tag\n";
	push @obj, "<< /Length " . length($stream) . " >>\nstream\n${stream}endstream";
	my $pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
	my @off;
	for my $i (0 .. $#obj) {
		push @off, length $pdf;
		$pdf .= ($i + 1) . " 0 obj\n$obj[$i]\nendobj\n";
	}
	my $xref = length $pdf;
	$pdf .= "xref\n0 " . (@obj + 1) . "\n0000000000 65535 f \n";
	$pdf .= sprintf("%010d 00000 n \n", $_) for @off;
	$pdf .= "trailer\n<< /Size " . (@obj + 1) . " /Root 1 0 R >>\nstartxref\n$xref\n%%EOF\n";
	return $pdf;
}

1;
