#!/usr/bin/perl
# 30-forms-markup.t - the markup of every questionnaire, as its respondent
# edits it and as the blank form prints: no element carries an attribute
# twice (a browser keeps the first: number fields said maxlength="20" and
# then maxlength="200"), and what is the same for every number field of a
# type (the messages of htdocs/numcheck.js) is on the page once, not on
# each of the hub form's ~190 number fields (it made the page 28 KB larger
# and its rendering a third dearer).
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

my $acc = Forms::fresh_accounts('t30m', 'T30M01', 'T30M 测试省', [qw(region hub window resource sme)]);

# Tags (name and the attributes it repeats) where an attribute stands twice.
sub repeated_attributes {
	my ($html) = @_;
	my @bad;
	while ($html =~ /<([a-zA-Z][\w-]*)((?:\s+[\w:-]+(?:="[^"]*"|='[^']*')?)*)\s*\/?>/g) {
		my ($tag, $attrs, %seen) = ($1, $2);
		$seen{ lc $1 }++ while $attrs =~ /\s([\w:-]+)(?:="[^"]*"|='[^']*')?/g;
		my @twice = grep { $seen{$_} > 1 } sort keys %seen;
		push @bad, "<$tag> @twice" if @twice;
	}
	return @bad;
}

for my $name (Forms::names()) {
	my $f = Forms::load($name);
	my $numbers = grep { Forms::is_numeric($_) } @{ $f->{fields} };
	my $ua = Forms::login_as($acc->{ $f->{role} });
	for my $page ("/form/$name", "/form/$name/blank") {
		my $res = $ua->get($page);
		is $res->{status}, 200, "$page: 200";
		my @bad = repeated_attributes($res->{text});
		ok !@bad, "$page: no element carries an attribute twice" or diag join "\n", @bad[0 .. ($#bad < 4 ? $#bad : 4)];
		next unless $page !~ /blank/ && $numbers > 1;
		my $in_fields = () = $res->{text} =~ /<input[^>]*不加“约”等文字或千位分隔符/g;
		my $on_page = () = $res->{text} =~ /不加“约”等文字或千位分隔符/g;
		ok $in_fields == 0 && $on_page <= 3,
			"$page: the number fields' message is on the page once per type ($on_page times, $in_fields in fields; $numbers number fields)";
	}
}
done_testing;
