// sticky.mjs - the buttons of long forms stay usable (issue 23 item 3), for
// the hub and window questionnaires (the longest, with year grids) on a
// phone (360x740) and a desktop (1280x900), as fresh accounts:
//  - the page is scrolled from top to bottom in steps of a third of the
//    viewport; at every step the 保存草稿 and 提交 buttons (sticky at the
//    bottom of the page) are the topmost element at their own centre
//    (document.elementFromPoint), not a sticky grid row label painted over
//    them, and are clickable there;
//  - the year columns' headers of a grid stick below the section index
//    while its rows scroll past: at every step where a grid's body is under
//    the index, the grid's header row is in view, below the index and not
//    covered by it (elementFromPoint at the header's centre is the header).
// Screenshots of a failing step: tests/artifacts/sticky-<form>-<size>-<y>.png.
import { run, stackProblem, createAccounts, openBrowser, login, baseUrl, screenshot, MOBILE, DESKTOP } from './lib.mjs';

// The problems at the current scroll position (strings).
async function problemsHere(page) {
	return page.evaluate(() => {
		const out = [];
		const y = Math.round(window.scrollY);
		for (const name of ['保存草稿', '提交']) {
			const b = [...document.querySelectorAll('.actions button')].find((x) => x.textContent.trim() === name);
			if (!b) { out.push(`y=${y}: no ${name} button`); continue; }
			const r = b.getBoundingClientRect();
			const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
			if (cy < 0 || cy > window.innerHeight) { out.push(`y=${y}: ${name} out of view (${Math.round(cy)})`); continue; }
			const top = document.elementFromPoint(cx, cy);
			if (!top || !(top === b || b.contains(top)))
				out.push(`y=${y}: ${name} covered by ${top ? top.tagName.toLowerCase() + (top.className ? '.' + top.className : '') + ' "' + top.textContent.trim().slice(0, 20) + '"' : 'nothing'}`);
		}
		const toc = document.querySelector('nav.toc');
		const tocBottom = toc ? toc.getBoundingClientRect().bottom : 0;
		const actionsTop = document.querySelector('.actions').getBoundingClientRect().top;
		for (const [k, table] of [...document.querySelectorAll('table.grid')].entries()) {
			const head = table.tHead;
			const body = table.tBodies[0];
			if (!head || !body || body.rows.length < 2) continue;
			const br = body.getBoundingClientRect();
			// The body passes under the index with its last row still wholly
			// below the header's place: the header must be in view there.
			const lastRow = body.rows[body.rows.length - 1].getBoundingClientRect();
			const headH = head.getBoundingClientRect().height;
			if (!(br.top < tocBottom && lastRow.top > tocBottom + headH + 1 && lastRow.top < actionsTop)) continue;
			// A header cell in the visible part of the grid (it may scroll sideways).
			const wrap = table.closest('.table-wrap').getBoundingClientRect();
			const th = [...head.rows[head.rows.length - 1].cells].filter((c) => c.tagName === 'TH').find((c) => {
				const r = c.getBoundingClientRect();
				return r.left + r.width / 2 > wrap.left && r.left + r.width / 2 < Math.min(wrap.right, window.innerWidth);
			});
			if (!th) { out.push(`y=${y}: grid ${k}: no header cell in view`); continue; }
			const hr = th.getBoundingClientRect();
			const cx = hr.left + hr.width / 2, cy = hr.top + hr.height / 2;
			const top = document.elementFromPoint(cx, cy);
			if (hr.top < tocBottom - 1 || !top || !(top === th || th.contains(top)))
				out.push(`y=${y}: grid ${k} header "${th.textContent.trim()}" not in view (top ${Math.round(hr.top)}, index ends ${Math.round(tocBottom)}, topmost ${top ? top.tagName.toLowerCase() + '.' + top.className : 'none'})`);
		}
		return out;
	});
}

async function scrollCheck(t, page, what) {
	const { height, view } = await page.evaluate(() => ({ height: document.scrollingElement.scrollHeight, view: window.innerHeight }));
	const step = Math.floor(view / 3);
	const problems = [];
	let steps = 0, shot = false;
	for (let y = 0; y <= height; y += step) {
		await page.evaluate((yy) => window.scrollTo(0, yy), y);
		await page.evaluate(() => new Promise((res) => requestAnimationFrame(() => requestAnimationFrame(res))));
		steps++;
		const p = await problemsHere(page);
		if (p.length && !shot) {
			shot = true;
			await page.screenshot({ path: `${process.cwd()}/tests/artifacts/sticky-${what.replace(/ /g, '-')}-${y}.png` }).catch(() => {});
		}
		problems.push(...p);
	}
	return { problems, steps };
}

run(async (t) => {
	const problem = await stackProblem();
	if (problem) { t.skipAll(problem); return; }
	const acc = createAccounts('T23S', 'T23S 浏览器测试省', [{ key: 'st-hub', role: 'hub' }, { key: 'st-win', role: 'window' }]);
	for (const [key, path] of [['st-hub', '/form/hub'], ['st-win', '/form/window']]) {
		for (const [device, size] of [[MOBILE, '360x740'], [DESKTOP, '1280x900']]) {
			const what = `${path.split('/').pop()} ${size}`;
			const { page, close } = await openBrowser(device);
			await login(page, acc[key]);
			await page.goto(baseUrl() + path);
			const { problems, steps } = await scrollCheck(t, page, what);
			t.ok(steps > 10, `${what}: scrolled the form in ${steps} steps`);
			const buttons = problems.filter((p) => /保存草稿|提交/.test(p));
			const headers = problems.filter((p) => /header/.test(p));
			t.is(buttons.length, 0, `${what}: 保存草稿 and 提交 are the topmost element at their centre at every step`)
				|| t.diag(buttons.slice(0, 10).join('\n'));
			t.is(headers.length, 0, `${what}: a grid's year headers stay in view below the index while its rows scroll past`)
				|| t.diag(headers.slice(0, 10).join('\n'));
			t.ok(page.errors.length === 0, `${what}: no console errors`, page.errors.join('\n'));
			await close();
		}
	}
}, { timeoutMs: 480000 });
