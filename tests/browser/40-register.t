#!/usr/bin/perl
# 40-register.t - browser test: registration keeps every choice after an error and lists all errors at once; the username stays in view after login, with a printable note; a code entry on the home page (issue 23 items 1 and 8).
# A TAP wrapper for prove: runs register.mjs under node (headless Chromium via
# playwright-core; see lib.mjs). scripts/run-tests installs node_modules.
use strict;
use warnings;
use FindBin;

my $dir = $FindBin::Bin;
if (!-d "$dir/node_modules/playwright-core" || !-d "$dir/node_modules/axe-core") {
	print "1..0 # SKIP no tests/browser/node_modules: run npm ci --prefix tests/browser\n";
	exit 0;
}
exec 'node', "$dir/register.mjs" or do {
	print "1..0 # SKIP cannot run node: $!\n";
	exit 0;
};
