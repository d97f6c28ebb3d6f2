#!/usr/bin/perl
# 30-autosave.t - browser test: autosave within seconds, survives a reload; a session lapsed mid-form loses nothing (issue 9).
# A TAP wrapper for prove: runs autosave.mjs under node (headless Chromium via
# playwright-core; see lib.mjs). scripts/run-tests installs node_modules.
use strict;
use warnings;
use FindBin;

my $dir = $FindBin::Bin;
if (!-d "$dir/node_modules/playwright-core" || !-d "$dir/node_modules/axe-core") {
	print "1..0 # SKIP no tests/browser/node_modules: run npm ci --prefix tests/browser\n";
	exit 0;
}
exec 'node', "$dir/autosave.mjs" or do {
	print "1..0 # SKIP cannot run node: $!\n";
	exit 0;
};
