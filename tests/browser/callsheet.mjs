// callsheet.mjs - the printed call sheet (/region/followups/print, issue 23
// item 10) of the demo region 110000 (bj-region, demo sample: 100 SMEs and
// 15 service organisations, most not yet submitted), printed by Chromium:
//  - A4 landscape (the sheet's named page);
//  - no page ends on a section heading (项目承建单位, 抽中单位): the heading
//    is followed on its page by the table it names;
//  - in print, no cell wraps except the unit's name (line boxes counted
//    per cell);
//  - the print button shows and calls the print dialog (an inline onclick
//    was blocked by the site's CSP).
// The PDF goes to tests/artifacts/callsheet.pdf.
import { execFileSync } from 'node:child_process';
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { run, stackProblem, openBrowser, login, baseUrl, env, ARTIFACTS } from './lib.mjs';

function demoAccount(role) {
	const lines = readFileSync(env('DEMO_LOGINS'), 'utf8').split('\n').map((l) => l.split('\t'));
	const row = lines.find((c) => c[0] === role && c[3] === '110000');
	return { username: row[1], password: row[2] };
}

run(async (t) => {
	const problem = await stackProblem();
	if (problem) { t.skipAll(problem); return; }
	if (!env('DEMO_LOGINS')) { t.skipAll('no DEMO_LOGINS'); return; }
	mkdirSync(ARTIFACTS, { recursive: true });
	const { page, close } = await openBrowser({ viewport: { width: 1280, height: 900 } });
	await login(page, demoAccount('region'));
	await page.goto(baseUrl() + '/region/followups/print');
	const rows = await page.locator('table.callsheet tbody tr').count();
	t.ok(rows > 40, `the sheet lists ${rows} units (more than a page)`);

	// The print button works under the CSP.
	await page.evaluate(() => { window.printed = 0; window.print = () => { window.printed++; }; });
	const button = page.getByRole('button', { name: '打印' });
	t.ok(await button.isVisible(), 'the print button shows');
	await button.click();
	t.is(await page.evaluate(() => window.printed), 1, '... and calls the print dialog');

	// Printed: which cells wrap (A4 landscape, 10 mm margins: 277 mm wide).
	await page.emulateMedia({ media: 'print' });
	await page.setViewportSize({ width: Math.round(277 / 25.4 * 96), height: 700 });
	const wrapped = await page.evaluate(() => {
		const out = [];
		for (const cell of document.querySelectorAll('table.callsheet th, table.callsheet td')) {
			if (cell.tagName === 'TD' && cell.cellIndex === 1) continue;   // the name may wrap
			const range = document.createRange();
			range.selectNodeContents(cell);
			const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
			// A <br> is a line break meant (a date under its label).
			if (tops.size > cell.querySelectorAll('br').length + 1) out.push(`${cell.tagName} ${cell.cellIndex} "${cell.textContent.trim().slice(0, 24)}"`);
		}
		return out;
	});
	t.is(wrapped.length, 0, 'printed, no column but the name wraps') || t.diag(wrapped.slice(0, 10).join('\n'));

	const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: false });
	const path = join(ARTIFACTS, 'callsheet.pdf');
	writeFileSync(path, pdf);
	const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
	const [, w, h] = /Page size:\s+([\d.]+) x ([\d.]+)/.exec(info) || [];
	t.ok(Number(w) > Number(h), `A4 landscape (${w} x ${h} pt)`);
	const pages = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' }).split('\f').filter((p) => p.trim());
	t.ok(pages.length >= 2, `${pages.length} pages`);
	const orphans = pages.map((p, i) => [i + 1, p.trim().split('\n').pop().trim()])
		.filter(([, last]) => /^(项目承建单位|抽中单位)$/.test(last));
	t.is(orphans.length, 0, 'no page ends on a section heading') || t.diag(orphans.map(([n, l]) => `page ${n}: ${l}`).join('\n'));
	t.ok(page.errors.length === 0, 'no console errors', page.errors.join('\n'));
	await close();
});
