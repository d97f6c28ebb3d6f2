#!/usr/bin/perl
# 48-callsheet.t - browser test: the printed call sheet (/region/followups/print) on A4 landscape: no page ends on a heading, no column but the name wraps, the print button works under the CSP (issue 23 item 10).
# A TAP wrapper for prove: runs callsheet.mjs under node (headless Chromium via
# playwright-core; see lib.mjs). scripts/run-tests installs node_modules.
use strict;
use warnings;
use FindBin;

my $dir = $FindBin::Bin;
if (!-d "$dir/node_modules/playwright-core" || !-d "$dir/node_modules/axe-core") {
	print "1..0 # SKIP no tests/browser/node_modules: run npm ci --prefix tests/browser\n";
	exit 0;
}
exec 'node', "$dir/callsheet.mjs" or do {
	print "1..0 # SKIP cannot run node: $!\n";
	exit 0;
};
