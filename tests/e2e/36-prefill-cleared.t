#!/usr/bin/perl
# 36-prefill-cleared.t - a cleared prefilled answer stays cleared (issue 17,
# defect 2). Prefill belongs to the first opening of a form, before any
# draft is saved: a service-resource organisation clears the e-mail address
# the registration knew, saves, reloads, submits what the page shows, and
# the address is empty on the page, in the stored answers and in the
# export. And the first autosave of a new draft keeps the prefilled values
# it did not name (they are part of the draft from then on).
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output,
	Test::More->builder->failure_output, Test::More->builder->todo_output;

my $R = 'T36C';
my $MAIL = 'frame36c@example.com';
my $acc = Forms::fresh_accounts('t36c', $R, '清空预填测试省', [qw(resource resource)]);
my $f = Forms::load('resource');

sub cleanup {
	T::db_query($_) for ("DELETE FROM sample_units WHERE region_code = '$R'",
		"DELETE FROM samples WHERE region_code = '$R'");
}
cleanup();
T::db_query("INSERT INTO samples (region_code, kind, method) VALUES ('$R', 'resource', 'uploaded')");
my $sample = T::db_value("SELECT id FROM samples WHERE region_code = '$R' AND kind = 'resource'");
my $pos = 0;
for my $k (qw(resource resource2)) {
	$pos++;
	T::db_query("INSERT INTO sample_units (sample_id, region_code, form, stratum, name, role, position, status,"
		. " contact, phone, email, user_id, registered_at) VALUES ($sample, '$R', 'resource', 'hub',"
		. " '清空预填测试机构$pos', 'selected', $pos, 'active', '钱七', '010-36363636', '$MAIL', $acc->{$k}{id}, NOW())");
}

sub value_of { my ($html, $code) = @_; my $v = Forms::form_values($html)->{$code}; return $v }
sub stored_email {
	my ($user) = @_;
	my $row = Forms::response_row('resource', $user) or return undef;
	return Forms::stored_answers($row->{id})->{q1_email} // '';
}

# ------------------------------------------- clear, save, reload, submit
my $ua = Forms::login_as($acc->{resource});
my $res = $ua->get('/form/resource');
is value_of($res->{text}, 'q1_email'), $MAIL, 'the new form opens with the registration\'s e-mail';

my $vals = Forms::valid_values($f);
$vals->{q1_email} = '';
$res = $ua->post('/form/resource', [ @{ Forms::post_params($f, $vals) }, csrf => T::csrf_from($res->{text}),
	version => 0, action => 'save' ]);
ok $res->{status} == 303 || $res->{status} == 200, 'a draft with the e-mail cleared is saved'
	or diag substr($res->{text}, 0, 600);
is stored_email($acc->{resource}{id}), '', '... stored empty';

$res = $ua->get('/form/resource');
is value_of($res->{text}, 'q1_email'), '', 'reloaded: the cleared e-mail is not filled in again';
is value_of($res->{text}, 'q1_contact'), $vals->{q1_contact}, '... the saved contact is shown';

# Submit exactly what the page shows, as a browser would.
my $shown = Forms::form_values($res->{text});
my ($ver) = $res->{text} =~ /name="version" value="(\d+)"/;
my @post = map { my $k = $_; ref $shown->{$k} ? (map { ($k => $_) } @{ $shown->{$k} }) : ($k => $shown->{$k}) }
	sort keys %$shown;
$res = $ua->post('/form/resource', [ @post, csrf => T::csrf_from($res->{text}), version => $ver,
	action => 'submit', confirm => 1 ]);
is $res->{status}, 303, 'submitted what the page showed' or diag substr($res->{text}, 0, 1500);
is Forms::response_row('resource', $acc->{resource}{id})->{status}, 'submitted', '... the response is submitted';
is stored_email($acc->{resource}{id}), '', '... with the e-mail empty';
$res = $ua->get('/form/resource');
unlike $res->{text}, qr/\Q$MAIL\E/, 'the submitted form does not show the cleared e-mail';

# ------------------------------------------------------------ export
my $admin = T::demo_login('admin');
$res = $admin->get("/admin/export/data?form=resource&format=csv&region=$R");
is $res->{status}, 200, 'CSV export of the region';
(my $csv = $res->{text}) =~ s/^\x{feff}//;
# RFC 4180 rows (quoted fields may hold commas, quotes and line breaks).
my (@rows, @cur);
while ($csv =~ /\G(?:"((?:[^"]|"")*)"|([^,\r\n]*))(,|\r?\n|\z)/g) {
	my ($quoted, $plain, $end) = ($1, $2, $3);
	push @cur, defined $quoted ? $quoted =~ s/""/"/gr : $plain;
	next if $end eq ',';
	push @rows, [ @cur ];
	@cur = ();
	last if $end eq '';
}
my %col;
@col{ @{ $rows[0] } } = 0 .. $#{ $rows[0] };
ok defined $col{q1_email}, 'the export has a q1_email column';
my ($row) = grep { ($_->[ $col{username} ] // '') eq 't36c-resource' } @rows;
ok $row, 'the submitted response is exported';
is $row ? $row->[ $col{q1_email} ] : undef, '', '... its q1_email cell is empty';

# ------------------------- the first autosave keeps the prefilled values
my $ua2 = Forms::login_as($acc->{resource2});
$res = $ua2->get('/form/resource');
is value_of($res->{text}, 'q1_email'), $MAIL, 'a second unit opens with the e-mail prefilled';
$res = $ua2->post('/form/resource/autosave', [ csrf => T::csrf_from($res->{text}), fields => 'q1_contact',
	q1_contact => '孙八' ]);
is $res->{status}, 200, 'an autosave of one changed field' or diag $res->{text};
is stored_email($acc->{resource2}{id}), $MAIL, '... stores the prefilled e-mail with the new draft';
$res = $ua2->get('/form/resource');
is value_of($res->{text}, 'q1_email'), $MAIL, '... which the reloaded form shows';
is value_of($res->{text}, 'q1_contact'), '孙八', '... beside the autosaved contact';

cleanup();
done_testing();
