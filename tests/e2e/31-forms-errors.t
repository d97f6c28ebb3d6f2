#!/usr/bin/perl
# 31-forms-errors.t - validation as the respondent sees it. For every field
# type in the codebooks, one field of that type gets an invalid value inside
# an otherwise valid response; the submit is refused, the page names the
# field with a Chinese message next to it (id e-<code>, aria-describedby,
# summary link #f-<code>) and keeps what was typed; nothing is submitted.
# Also: 其中 > total, percent > 100, a conditional field that became
# required, a stale conditional value dropped, a date after the rule's limit.
# Fresh accounts in its own region T30B01.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $acc = Forms::fresh_accounts('t30b', 'T30B01', 'T30B 测试省', [qw(region hub window resource sme)]);
my %F = map { $_ => Forms::load($_) } Forms::names();
my %UA;

# Posts vals (code => value, as Forms::valid_values) with action; returns
# the response. Forms with a file field are posted as multipart.
sub post_vals {
	my ($name, $vals, %o) = @_;
	my $f = $F{$name};
	my $ua = $UA{$name} //= Forms::login_as($acc->{ $f->{role} });
	my $page = $ua->get("/form/$name");
	my @p = (@{ Forms::post_params($f, $vals) }, @{ $o{extra} // [] },
		csrf => T::csrf_from($page->{text}), action => $o{action} // 'submit', confirm => 1);
	my $has_file = grep { $_->{type} eq 'file' } @{ $f->{fields} };
	return $has_file
		? $ua->post_multipart("/form/$name", [ @p, @{ $o{files} // [] } ])
		: $ua->post("/form/$name", \@p);
}

# The error shown for code: message next to the field, the control pointing
# at it, and the summary linking to it. Returns the message.
sub field_error_ok {
	my ($res, $code, $what) = @_;
	my $html = $res->{text};
	my ($msg) = $html =~ /<p class="field-error" id="e-\Q$code\E">([^<]*)<\/p>/;
	ok defined $msg && $msg =~ /\p{Han}/, "$what: Chinese error next to $code" . (defined $msg ? " ($msg)" : '');
	like $html, qr/<(?:input|select|textarea|fieldset)\b[^>]*\bid="f-\Q$code\E(?:-\w+)?"[^>]*aria-describedby="[^"]*\be-\Q$code\E\b/,
		"$what: the control of $code is described by its error";
	like $html, qr/<li><a href="#f-\Q$code\E">[^<]*：\Q${\($msg \/\/ '')}\E<\/a><\/li>/,
		"$what: the error summary links to $code";
	return $msg;
}

sub not_submitted_ok {
	my ($name, $what) = @_;
	my $row = Forms::response_row($name, $acc->{ $F{$name}{role} }{id});
	isnt $row && $row->{status}, 'submitted', "$what: nothing submitted";
}

# ---------------------------------------------------- one test per type
my $long = '长' x 201;
my %BAD = (
	int        => [ '12.5',          qr/整数/ ],
	decimal    => [ '1,234.5',       qr/数字/ ],
	percent    => [ '150',           qr/0 到 100/ ],
	date       => [ '2013/13/45',    qr/YYYY-MM-DD/ ],
	email      => [ 'zhang@@example', qr/邮箱/ ],
	phone      => [ '12-ab',         qr/电话号码/ ],
	zip        => [ '10080',         qr/6 位数字/ ],
	text       => [ $long,           qr/内容过长/ ],
	org_name   => [ $long,           qr/内容过长/ ],
	other_text => [ $long,           qr/内容过长/ ],
	textarea   => [ '长' x 20001,    qr/内容过长/ ],
	single     => [ '99',            qr/请从列表中选择/ ],
	multi      => [ ['99'],          qr/无效的选项/ ],
	rank       => [ 'dup',           qr/不能重复/ ],
	file       => [ 'file',          qr/文件内容与扩展名不符/ ],
);
my %seen;
for my $name (Forms::names()) {
	my $f = $F{$name};
	for my $fd (@{ $f->{fields} }) {
		my $t = $fd->{type};
		next if $seen{$t}++;
		die "no invalid value for type $t" unless $BAD{$t};
		my $vals = Forms::valid_values($f);
		next unless exists $vals->{ $fd->{code} } || $t eq 'file';
		my ($bad, $re) = @{ $BAD{$t} };
		my @files;
		if ($t eq 'rank') {
			my $o = $vals->{ $fd->{code} };
			$vals->{ $fd->{code} } = [ $o->[0], $o->[0], @$o[ 2 .. $#$o ] ];
		} elsif ($t eq 'file') {
			@files = ($fd->{code} => { filename => 'report.pdf', content => "this is not a PDF\n",
				content_type => 'application/pdf' });
		} else {
			$vals->{ $fd->{code} } = $bad;
		}
		my $what = "type $t ($name $fd->{code})";
		my $res = post_vals($name, $vals, files => \@files);
		is $res->{status}, 200, "$what: submit answered with the form";
		like $res->{text}, qr/未能提交/, "$what: submit refused";
		my $msg = field_error_ok($res, $fd->{code}, $what);
		like $msg // '', $re, "$what: the message says what is wrong";
		if (!ref $bad && $t !~ /^(single|multi|rank|file)$/) {
			is Forms::form_values($res->{text})->{ $fd->{code} }, $bad, "$what: the typed value is kept";
		}
		not_submitted_ok($name, $what);
		if ($t eq 'single' || $t eq 'multi') {
			my $row = Forms::response_row($name, $acc->{ $f->{role} }{id});
			ok !exists Forms::stored_answers($row->{id})->{ $fd->{code} },
				"$what: an unknown option code is not stored in the draft";
		}
	}
}

# ------------------------------------------------------------- 其中 > total
{
	my $f = $F{hub};
	my ($fd, $total);
	for my $x (@{ $f->{fields} }) {
		my ($r) = grep { $_->{kind} eq 'cmp' && !@{ $_->{lhs} } && $_->{op} eq '<=' && !$_->{warn}
			&& @{ $_->{rhs} } == 1 && defined $_->{rhs}[0]{field} } @{ $x->{rules} };
		next unless $r && $x->{label} =~ /其中|服务|自有|专业/;
		($fd, $total) = ($x, $f->{by}{ $r->{rhs}[0]{field} });
		last;
	}
	ok $fd, "hub: found a 其中 item with <= total ($fd->{code} <= $total->{code})";
	my $vals = Forms::valid_values($f);
	$vals->{ $fd->{code} } = $vals->{ $total->{code} } + 1;
	my $res = post_vals('hub', $vals);
	my $msg = field_error_ok($res, $fd->{code}, '其中 > total');
	like $msg // '', qr/不能大于/, '其中 > total: says it cannot exceed';
	my $tl = Forms::load('hub')->{by}{ $total->{code} }{label};
	$tl =~ s/(\p{Han}) (?=\p{Han})/$1/g;
	like $msg // '', qr/\Q$tl\E/, '其中 > total: names the total';
	not_submitted_ok('hub', '其中 > total');
}

# --------------------------------------- percent > 100 in a sum of shares
{
	my $f = $F{selfeval};
	my ($fd) = grep { grep { $_->{kind} eq 'cmp' && @{ $_->{lhs} } > 1 && $_->{op} eq '<=' && !$_->{warn} }
		@{ $_->{rules} } } @{ $f->{fields} };
	ok $fd, "selfeval: found a share sum rule on $fd->{code}";
	my ($r) = grep { $_->{kind} eq 'cmp' && @{ $_->{lhs} } > 1 } @{ $fd->{rules} };
	my $vals = Forms::valid_values($f);
	$vals->{ $_->{field} } = '60' for @{ $r->{lhs} };
	my $res = post_vals('selfeval', $vals);
	my $msg = field_error_ok($res, $fd->{code}, 'shares > 100');
	like $msg // '', qr/100/, 'shares > 100: message names the limit';
}

# ------------------------------- conditional field becomes required / stale
{
	my $f = $F{resource};
	my $vals = Forms::valid_values($f);
	my ($fd) = grep { $_->{required} && exists $vals->{ $_->{code} } && $_->{type} eq 'multi'
		&& grep { $_->{kind} eq 'if_cmp' } @{ $_->{rules} } } @{ $f->{fields} };
	ok $fd, "resource: found a conditional required field ($fd->{code})";
	my ($cond) = grep { $_->{kind} eq 'if_cmp' } @{ $fd->{rules} };
	my $kept = delete $vals->{ $fd->{code} };
	my $res = post_vals('resource', $vals);
	my $msg = field_error_ok($res, $fd->{code}, 'conditional required');
	like $msg // '', qr/请至少选择一项/, 'conditional required: asks for a choice';
	not_submitted_ok('resource', 'conditional required');

	# Switch the condition off but still post the stale choices: they are
	# dropped, the rest saves cleanly.
	$vals->{ $fd->{code} } = $kept;
	my ($other) = grep { !Forms::cmp_holds($_->[0], $cond->{op}, $cond->{num}) } @{ $f->{by}{ $cond->{ref} }{opts} };
	$vals->{ $cond->{ref} } = $other->[0];
	$res = post_vals('resource', $vals, action => 'save');
	is $res->{status}, 303, "stale conditional value: draft saves without errors";
	my $row = Forms::response_row('resource', $acc->{resource}{id});
	my $got = Forms::stored_answers($row->{id});
	ok !exists $got->{ $fd->{code} }, "stale conditional value: $fd->{code} not stored";
	is $got->{ $cond->{ref} }, $other->[0], "stale conditional value: the switch is stored";
}

# --------------------------------------------------- date after the limit
{
	my $f = $F{sme};
	my ($fd) = grep { $_->{type} eq 'date' && grep { $_->{kind} eq 'cmp' && $_->{op} eq '<=' } @{ $_->{rules} } }
		@{ $f->{fields} };
	my ($r) = grep { $_->{kind} eq 'cmp' } @{ $fd->{rules} };
	my $limit = $r->{rhs}[0]{num};
	my ($y) = $limit =~ /^(\d{4})/;
	my $vals = Forms::valid_values($f);
	$vals->{ $fd->{code} } = ($y + 1) . '-01-01';
	my $res = post_vals('sme', $vals);
	my $msg = field_error_ok($res, $fd->{code}, 'date after limit');
	like $msg // '', qr/不能晚于 \Q$limit\E/, "date after limit: says not later than $limit";
	is Forms::form_values($res->{text})->{ $fd->{code} }, ($y + 1) . '-01-01', 'date after limit: typed value kept';
	# Full-width digits are folded (codebook README: input normalisation).
	$vals = Forms::valid_values($f);
	(my $fw = $vals->{ $fd->{code} }) =~ tr/0-9-/０-９－/;
	$res = post_vals('sme', { %$vals, $fd->{code} => $fw }, action => 'save');
	is $res->{status}, 303, 'full-width date accepted';
	my $row = Forms::response_row('sme', $acc->{sme}{id});
	is Forms::stored_answers($row->{id})->{ $fd->{code} }, $vals->{ $fd->{code} }, 'full-width date stored folded';
}

done_testing;
