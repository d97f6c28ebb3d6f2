#!/usr/bin/perl
# 10-sme-fill.t - browser test: the SME questionnaire filled on a phone and a desktop; a missing required field.
# A TAP wrapper for prove: runs sme-fill.mjs under node (headless Chromium via
# playwright-core; see lib.mjs). scripts/run-tests installs node_modules.
use strict;
use warnings;
use FindBin;

my $dir = $FindBin::Bin;
if (!-d "$dir/node_modules/playwright-core" || !-d "$dir/node_modules/axe-core") {
	print "1..0 # SKIP no tests/browser/node_modules: run npm ci --prefix tests/browser\n";
	exit 0;
}
exec 'node', "$dir/sme-fill.mjs" or do {
	print "1..0 # SKIP cannot run node: $!\n";
	exit 0;
};
