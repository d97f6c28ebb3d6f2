package Frames;
# Frames.pm - what the frame-import tests share (51-frame-import.t,
# 59-frame-office.t): region accounts of their own, a login, an upload to
# /region/frames, and the fields of a pending preview as a browser posts
# them.
use strict;
use warnings;
use utf8;
use Test::More;
use T;

# Imports region accounts (username, password, region code, org name) for
# regions that exist already.
sub region_accounts {
	my ($tmp, @accounts) = @_;
	my $cli = T::bindir() . '/smesurvey-admin';
	my $conf = T::conf_path();
	my $f = "$tmp/accounts.csv";
	open my $fh, '>:encoding(UTF-8)', $f or die $!;
	print $fh "username,initial_password,role,region_code,org_name,form\n";
	print $fh "$_->[0],$_->[1],region,$_->[2],$_->[3],selfeval\n" for @accounts;
	close $fh;
	my $out = `'$cli' --conf '$conf' import-accounts '$f' 2>&1`;
	is $? >> 8, 0, 'test region accounts imported' or diag $out;
}

sub login {
	my ($user, $pw) = @_;
	my $ua = T::new_agent();
	$ua->login($user, $pw);
	ok $ua->logged_in, "login $user";
	return $ua;
}

# Uploads bytes as the kind's frame file.
sub upload {
	my ($ua, $kind, $name, $bytes, $type) = @_;
	my $csrf = $ua->csrf_of('/region/frames');
	return $ua->post_multipart('/region/frames', [ csrf => $csrf, kind => $kind, action => 'upload',
		file => { filename => $name, content => $bytes, content_type => $type // 'application/octet-stream' } ]);
}

sub unescape { my ($s) = @_; $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&#39;/'/g; $s =~ s/&amp;/&/g; return $s }

# The kind's pending section of the frames page.
sub pending_section {
	my ($html, $kind) = @_;
	my ($s) = $html =~ m{(<section class="panel" id="pending-$kind">.*?</section>)}s;
	return $s // '';
}

# The fields of the kind's pending preview form, as the browser would post them.
sub preview_fields {
	my ($html, $kind) = @_;
	my $sec = pending_section($html, $kind) or return;
	my @f;
	while ($sec =~ m{<input type="hidden" name="(\w+)" value="([^"]*)">}g) { push @f, $1 => unescape($2) }
	while ($sec =~ m{<select (?:id="\w+" )?name="(\w+)"[^>]*>(.*?)</select>}gs) {
		my ($n, $opts) = ($1, $2);
		my ($v) = $opts =~ m{<option value="([^"]*)" selected>};
		push @f, $n => $v if defined $v;
	}
	return @f;
}
sub set_field { my ($f, $k, $v) = @_; for (my $i = 0; $i < @$f; $i += 2) { $f->[$i + 1] = $v if $f->[$i] eq $k } }
sub field { my ($f, $k) = @_; for (my $i = 0; $i < @$f; $i += 2) { return $f->[$i + 1] if $f->[$i] eq $k } return }

1;
