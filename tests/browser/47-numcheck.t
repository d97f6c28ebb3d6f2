#!/usr/bin/perl
# 47-numcheck.t - browser test: a number field flags 约45 or 1,350 at the field while typing and when left, before any save, with the server's message (issue 23 item 10).
# A TAP wrapper for prove: runs numcheck.mjs under node (headless Chromium via
# playwright-core; see lib.mjs). scripts/run-tests installs node_modules.
use strict;
use warnings;
use FindBin;

my $dir = $FindBin::Bin;
if (!-d "$dir/node_modules/playwright-core" || !-d "$dir/node_modules/axe-core") {
	print "1..0 # SKIP no tests/browser/node_modules: run npm ci --prefix tests/browser\n";
	exit 0;
}
exec 'node', "$dir/numcheck.mjs" or do {
	print "1..0 # SKIP cannot run node: $!\n";
	exit 0;
};
