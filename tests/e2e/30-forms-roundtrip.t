#!/usr/bin/perl
# 30-forms-roundtrip.t - all five questionnaires end to end, every field
# filled from the codebook (lib/Forms.pm): save a draft, reload and see every
# value again, submit, find exactly the sent values in the answers table
# (multi ascending, rank in rank order), and a replayed submit changes
# nothing and adds no second response. Uses fresh accounts in its own test
# region (T30A01), never the demo accounts.
use strict;
use warnings;
use utf8;
use Test::More;
use FindBin;
use lib "$FindBin::Bin/lib";
use T;
use Forms;
use Digest::SHA qw(sha256_hex);

binmode $_, ':encoding(UTF-8)' for Test::More->builder->output, Test::More->builder->failure_output,
	Test::More->builder->todo_output;

my $acc = Forms::fresh_accounts('t30a', 'T30A01', 'T30A 测试省', [qw(region hub window resource sme)]);

# The hidden version field of the editable form.
sub version_of { my ($html) = @_; return $html =~ /name="version" value="(\d+)"/ ? $1 : undef }

for my $name (Forms::names()) {
	my $f = Forms::load($name);
	my $a = $acc->{ $f->{role} };
	my $ua = Forms::login_as($a);
	my $vals = Forms::valid_values($f);
	my ($file_field) = grep { $_->{type} eq 'file' } @{ $f->{fields} };
	my $pdf = Forms::small_pdf("roundtrip $name");
	my $pdf_name = "自评估报告 $name (最终版).pdf";

	my $res = $ua->get("/form/$name");
	is $res->{status}, 200, "$name: GET form";
	my $csrf = T::csrf_from($res->{text});
	ok $csrf, "$name: form carries a csrf token";
	my $ver = version_of($res->{text});
	is $ver, 0, "$name: a new response starts at version 0";

	# Conditional fields carry their codebook conditions for form.js, in
	# the syntax it evaluates (CODE, CODE<op>N, CODE has N; no "if").
	my @bad;
	for my $fd (grep { Forms::if_rules($_) } @{ $f->{fields} }) {
		my $want = join ';', map { (my $c = $_->{src}) =~ s/^if //; $c } Forms::if_rules($fd);
		my ($got) = $res->{text} =~ /\bid="w-\Q$fd->{code}\E" data-if="([^"]*)"/;
		push @bad, "$fd->{code}: " . ($got // '<none>') . " (want $want)"
			unless defined $got && Forms::unescape($got) eq $want;
	}
	is scalar(@bad), 0, "$name: data-if of every conditional field is in form.js syntax" or diag join "\n", @bad;

	# ---- save a draft with every field
	my @params = (@{ Forms::post_params($f, $vals) }, csrf => $csrf, version => $ver, action => 'save');
	if ($file_field) {
		$res = $ua->post_multipart("/form/$name", [ @params,
			$file_field->{code} => { filename => $pdf_name, content => $pdf, content_type => 'application/pdf' } ]);
	} else {
		$res = $ua->post("/form/$name", \@params);
	}
	is $res->{status}, 303, "$name: draft saved without any error or warning"
		or diag(join "\n", $res->{text} =~ /<li><a href="#f-[^"]+">(.*?)<\/a><\/li>/g);
	like $res->{headers}{location} // '', qr{/form/$name\?saved=1$}, "$name: redirected to the saved notice";
	my $row = Forms::response_row($name, $a->{id});
	is $row && $row->{status}, 'draft', "$name: stored as a draft";

	# ---- reload: every value shows back
	$res = $ua->get("/form/$name?saved=1");
	is $res->{status}, 200, "$name: reload";
	like $res->{text}, qr/草稿已保存/, "$name: saved notice";
	my @diff = Forms::diff_shown($f, Forms::form_values($res->{text}), Forms::expected_shown($f, $vals));
	is scalar(@diff), 0, "$name: all " . scalar(keys %$vals) . " values show back in the form"
		or diag(join "\n", @diff[0 .. ($#diff < 9 ? $#diff : 9)]);
	unlike $res->{text}, qr/<script>alert/, "$name: typed markup is escaped";
	if ($file_field) {
		like $res->{text}, qr/已上传：\Q$pdf_name\E/, "$name: the uploaded file's name is shown";
	}

	# ---- submit (as a browser does: multipart with an empty file part)
	$ver = version_of($res->{text});
	is $ver, 1, "$name: version 1 after one save";
	@params = (@{ Forms::post_params($f, $vals) }, csrf => T::csrf_from($res->{text}), version => $ver,
		action => 'submit', confirm => 1);
	my $submit = sub {
		return $file_field
			? $ua->post_multipart("/form/$name", [ @params,
				$file_field->{code} => { filename => '', content => '', content_type => 'application/octet-stream' } ])
			: $ua->post("/form/$name", \@params);
	};
	$res = $submit->();
	is $res->{status}, 303, "$name: submitted"
		or diag(join "\n", $res->{text} =~ /<li><a href="#f-[^"]+">(.*?)<\/a><\/li>/g);
	like $res->{headers}{location} // '', qr{/form/$name\?submitted=1$}, "$name: redirected to the thank-you notice";

	# ---- the database holds exactly what was sent
	$row = Forms::response_row($name, $a->{id});
	is $row->{status}, 'submitted', "$name: status submitted";
	is $row->{valid}, 1, "$name: marked valid";
	is $row->{proxy}, 0, "$name: not a proxy entry";
	is $row->{region}, 'T30A01', "$name: region of the account";
	my $expected = Forms::stored($f, $vals);
	$expected->{ $file_field->{code} } = 'sha256:' . sha256_hex($pdf) . ":$pdf_name" if $file_field;
	my $got = Forms::stored_answers($row->{id});
	is_deeply $got, $expected, "$name: answers table holds exactly the " . scalar(keys %$expected) . " sent values";
	if ($file_field) {
		my $path = T::app_conf()->{upload_dir} . '/' . sha256_hex($pdf);
		ok -f $path, "$name: upload stored content-addressed";
	}

	$res = $ua->get("/form/$name?submitted=1");
	like $res->{text}, qr/提交成功/, "$name: thank-you notice";
	like $res->{text}, qr/本表已提交，不能再修改/, "$name: read-only after submission";
	unlike $res->{text}, qr/<form class="survey"/, "$name: no editable form any more";

	# ---- replay of the very same submit POST
	$res = $submit->();
	is $res->{status}, 200, "$name: replayed submit answered";
	like $res->{text}, qr/本表已提交，本次修改未保存/, "$name: replay refused with a message";
	is T::db_value("SELECT COUNT(*) FROM responses WHERE form = " . T::sql_quote($name)
		. " AND user_id = $a->{id}"), 1, "$name: still exactly one response row";
	is_deeply Forms::stored_answers($row->{id}), $expected, "$name: answers unchanged by the replay";
	is T::db_value("SELECT version FROM responses WHERE id = $row->{id}"), 2, "$name: version unchanged by the replay";

	# ---- the printable view shows the submitted response
	$res = $ua->get("/form/$name/print");
	is $res->{status}, 200, "$name: print view";
	like $res->{text}, qr/状态：已提交/, "$name: print view shows the status";
}

done_testing;
