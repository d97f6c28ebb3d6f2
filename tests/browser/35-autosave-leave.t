#!/usr/bin/perl
# 35-autosave-leave.t - browser test: answers given since the last autosave are saved when the page is closed, left or hidden; the status never says 已自动保存 while changes wait (issue 23 item 2).
# A TAP wrapper for prove: runs autosave-leave.mjs under node (headless Chromium via
# playwright-core; see lib.mjs). scripts/run-tests installs node_modules.
use strict;
use warnings;
use FindBin;

my $dir = $FindBin::Bin;
if (!-d "$dir/node_modules/playwright-core" || !-d "$dir/node_modules/axe-core") {
	print "1..0 # SKIP no tests/browser/node_modules: run npm ci --prefix tests/browser\n";
	exit 0;
}
exec 'node', "$dir/autosave-leave.mjs" or do {
	print "1..0 # SKIP cannot run node: $!\n";
	exit 0;
};
