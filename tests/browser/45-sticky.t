#!/usr/bin/perl
# 45-sticky.t - browser test: on the long hub and window forms the save and submit buttons stay the topmost element at every scroll step, and grid year headers stay in view below the section index (issue 23 item 3).
# A TAP wrapper for prove: runs sticky.mjs under node (headless Chromium via
# playwright-core; see lib.mjs). scripts/run-tests installs node_modules.
use strict;
use warnings;
use FindBin;

my $dir = $FindBin::Bin;
if (!-d "$dir/node_modules/playwright-core" || !-d "$dir/node_modules/axe-core") {
	print "1..0 # SKIP no tests/browser/node_modules: run npm ci --prefix tests/browser\n";
	exit 0;
}
exec 'node', "$dir/sticky.mjs" or do {
	print "1..0 # SKIP cannot run node: $!\n";
	exit 0;
};
