// layout.mjs - long forms on a phone (360x740) and a desktop (1280x900),
// issue 9 item 5, for each of the five questionnaires as a fresh account of
// its role (test region T70005):
//   - the page never scrolls sideways (document.scrollingElement.scrollWidth
//     <= innerWidth); a grid wider than the page scrolls inside its own
//     .table-wrap;
//   - a grid scrolled to its last column (the 2013 column) still shows the
//     row label beside it (element geometry: the sticky th inside the
//     wrap's box, left of the last input, not overlapping it);
//   - no grid header narrower than about three characters (no label
//     wrapping one character per line);
//   - the section index (目录): a labelled nav, one link per section whose
//     target exists, each with "已答 x / y"; open on a desktop, folded on a
//     phone; typing an answer updates the counts;
//   - prefill: the SME's 企业名称 is the account's organisation name;
//   - axe-core: no serious or critical violation at either size.
// Full-page screenshots go to tests/artifacts/layout-<form>-<size>.png and
// a scrolled grid to layout-<form>-<size>-grid.png.
import { run, stackProblem, createAccounts, login, baseUrl, screenshot, ARTIFACTS, HOME_OF, DESKTOP, MOBILE,
	axeCheck, openBrowserWithAxe } from './lib.mjs';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// Page geometry of the form: overflow, grids, headers, the index.
async function geometry(page) {
	return page.evaluate(() => {
		const se = document.scrollingElement;
		const px = parseFloat(getComputedStyle(document.body).fontSize);
		const narrow = [];
		for (const th of document.querySelectorAll('table.grid th')) {
			const w = th.getBoundingClientRect().width;
			if (w < 3 * px && th.textContent.trim().length > 2)
				narrow.push(`${th.textContent.trim().slice(0, 16)} (${Math.round(w)} px)`);
		}
		const toc = document.querySelector('nav.toc');
		const links = toc ? [...toc.querySelectorAll('li a')] : [];
		return {
			scrollWidth: se.scrollWidth, innerWidth: window.innerWidth, narrow,
			grids: document.querySelectorAll('.table-wrap').length,
			wide: [...document.querySelectorAll('.table-wrap')].filter((w) => w.scrollWidth > w.clientWidth + 1).length,
			toc: !!toc, tocLabel: toc ? toc.getAttribute('aria-label') : null,
			tocOpen: toc ? toc.querySelector('details').open : null,
			links: links.length, sections: document.querySelectorAll('.survey .sec').length,
			missing: links.filter((a) => !document.getElementById(a.getAttribute('href').slice(1))).map((a) => a.textContent),
			counts: toc ? [...toc.querySelectorAll('li .toc-n')].map((s) => s.textContent) : [],
			total: toc ? toc.querySelector('.toc-total').textContent : '',
		};
	});
}

// Scrolls every grid of the page to its last column and checks that its
// row labels stay beside it. Returns the problems found (strings).
async function stickyProblems(page) {
	return page.evaluate(() => {
		const out = [];
		for (const [k, wrap] of [...document.querySelectorAll('.table-wrap')].entries()) {
			if (wrap.scrollWidth <= wrap.clientWidth + 1) continue;
			wrap.scrollLeft = wrap.scrollWidth;
			const box = wrap.getBoundingClientRect();
			for (const tr of wrap.querySelectorAll('tbody tr')) {
				const th = [...tr.querySelectorAll('th.rh')].pop();
				const cells = [...tr.querySelectorAll('td')];
				const last = cells.pop();
				if (!th || !last) continue;
				const a = th.getBoundingClientRect(), b = last.getBoundingClientRect();
				if (a.left < box.left - 1 || a.right > box.right + 1)
					out.push(`grid ${k}: label "${th.textContent.trim()}" out of view (${Math.round(a.left)}..${Math.round(a.right)} in ${Math.round(box.left)}..${Math.round(box.right)})`);
				else if (b.right > box.right + 1 || b.left < a.right - 1)
					out.push(`grid ${k}: last column of "${th.textContent.trim()}" not beside its label`);
			}
			wrap.setAttribute('data-scrolled', '1');
		}
		return out;
	});
}

run(async (t) => {
	const problem = await stackProblem();
	if (problem) { t.skipAll(problem); return; }
	mkdirSync(ARTIFACTS, { recursive: true });
	const roles = Object.keys(HOME_OF);
	const acc = createAccounts('T70005', '浏览器测试地区五', roles.map((role) => ({ key: `lay-${role}`, role })));

	for (const role of roles) {
		const path = HOME_OF[role];
		const form = path.split('/').pop();
		for (const device of [MOBILE, DESKTOP]) {
			const dev = device.isMobile ? '360x740' : '1280x900';
			const what = `${form} ${dev}`;
			const { page, close } = await openBrowserWithAxe(device);
			await login(page, acc[`lay-${role}`]);
			await page.goto(baseUrl() + path);
			const g = await geometry(page);
			t.ok(g.scrollWidth <= g.innerWidth, `${what}: no horizontal page overflow (${g.scrollWidth} <= ${g.innerWidth})`);
			t.is(g.narrow.length, 0, `${what}: no grid header narrower than three characters`) || t.diag(g.narrow.join('\n'));
			t.ok(g.toc && g.tocLabel === '本表目录', `${what}: the section index is a labelled nav`);
			t.ok(g.links > 0 && g.links === g.sections && g.missing.length === 0,
				`${what}: ${g.links} index links, one per section, every target exists`, g);
			t.ok(g.counts.length === g.links && g.counts.every((c) => /已答 \d+ \/ \d+/.test(c)),
				`${what}: every index entry shows 已答 x / y`, g.counts);
			t.is(g.tocOpen, !device.isMobile, `${what}: the index is ${device.isMobile ? 'folded on a phone' : 'open on a desktop'}`);
			if (!device.isMobile)
				t.is(g.wide, 0, `${what}: every grid fits the 1280-px page, none cut off`);
			const sticky = await stickyProblems(page);
			t.is(sticky.length, 0, `${what}: scrolled to the last column, every grid keeps its row labels in view`)
				|| t.diag(sticky.slice(0, 8).join('\n'));
			if (g.grids) {
				const wrap = page.locator('.table-wrap[data-scrolled]').first();
				if (await wrap.count())
					await wrap.screenshot({ path: join(ARTIFACTS, `layout-${form}-${dev}-grid.png`) });
			}
			if (form === 'sme') {
				t.is(await page.locator('#f-q1_name').inputValue(), `浏览器测试单位（lay-sme）`,
					`${what}: 企业名称 prefilled from the account`);
				// A typed answer moves the first section's count on. Emptied
				// first: the other device's pass may have autosaved it.
				await page.locator('#f-q1_contact').fill('');
				const before = await page.locator('nav.toc li .toc-n').first().textContent();
				await page.locator('#f-q1_contact').fill('测试联系人');
				const after = await page.locator('nav.toc li .toc-n').first().textContent();
				const n = (s) => Number(/已答 (\d+)/.exec(s)[1]);
				t.is(n(after), n(before) + 1, `${what}: typing an answer updates the index (${before} -> ${after})`);
			}
			if (device.isMobile) {
				// The folded index opens, and choosing a section folds it again.
				await page.locator('nav.toc summary').click();
				await page.locator('nav.toc li a').nth(Math.min(1, g.links - 1)).click();
				t.is(await page.locator('#toc').evaluate((d) => d.open), false, `${what}: choosing a section folds the index`);
			}
			await axeCheck(t, page, what);
			await page.evaluate(() => window.scrollTo(0, 0));
			await screenshot(page, `layout-${form}-${dev}.png`);
			t.ok(page.errors.length === 0, `${what}: no console errors`, page.errors.join('\n'));
			await close();
		}
	}
}, { timeoutMs: 540000 });
