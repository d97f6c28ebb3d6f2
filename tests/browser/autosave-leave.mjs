// autosave-leave.mjs - the last answers are not lost when the page goes
// (issue 23 item 2), on a phone (360x740) and a desktop (1280x900), each as
// fresh sme accounts. form.js autosaves 2.5 s after a change but at most
// every 20 s; an answer given within those 20 s must still be stored when:
//  1. the page is closed: a first answer is autosaved, a second one is
//     typed, the page waits (past the debounce, under the 20 s gap: not yet
//     stored, and the status does not claim 已自动保存), then is closed -
//     the second answer is in the database;
//  2. another page is opened in the same tab (a link, a typed address);
//  3. the page is hidden (a phone locked, another app): the answer is
//     stored while the page stays, its version moves on, and a 保存草稿
//     clicked afterwards is no conflict.
import { run, stackProblem, createAccounts, openBrowser, login, baseUrl, storedResponse, MOBILE, DESKTOP } from './lib.mjs';

// Polls the stored answer of (account, code) until it equals want.
async function storedSoon(account, code, want) {
	let got;
	for (let i = 0; i < 50; i++) {
		const r = storedResponse(account.username, 'sme');
		got = r ? r.answers[code] : undefined;
		if (got === want) break;
		await new Promise((res) => setTimeout(res, 100));
	}
	return got;
}

// Opens the form and gives a first answer, autosaved: the next autosave
// is now held back by the 20 s gap.
async function firstSaved(t, account, device, what) {
	const b = await openBrowser(device);
	await login(b.page, account);
	await b.page.goto(baseUrl() + '/form/sme');
	await b.page.locator('#f-q1_name').fill(`离开测试公司（${what}）`);
	await b.page.locator('#autosave-status').getByText(/已自动保存 \d\d:\d\d/).waitFor({ timeout: 15000 });
	return b;
}

async function closed(t, account, device, what) {
	const { page, close } = await firstSaved(t, account, device, what);
	const contact = `关闭前填写（${what}）`;
	await page.locator('#f-q1_contact').fill(contact);
	await page.waitForTimeout(4000);   // past the 2.5 s debounce, well under the 20 s gap
	t.ok(storedResponse(account.username, 'sme').answers.q1_contact !== contact,
		`${what}: within the 20 s gap the second answer is not stored yet (the case to cover)`);
	const status = await page.locator('#autosave-status').textContent();
	t.ok(!/已自动保存/.test(status), `${what}: with a change waiting the status does not say 已自动保存 ("${status}")`);
	await page.close();
	t.is(await storedSoon(account, 'q1_contact', contact), contact, `${what}: closing the page stored the second answer`);
	await close();
}

async function navigated(t, account, device, what) {
	const { page, close } = await firstSaved(t, account, device, what);
	const tel = '0991-2323235';
	await page.locator('#f-q1_tel').fill(tel);
	await page.goto(baseUrl() + '/account');
	t.is(await storedSoon(account, 'q1_tel', tel), tel, `${what}: opening another page stored the answer given just before`);
	await close();
}

async function hidden(t, account, device, what) {
	const { page, close } = await firstSaved(t, account, device, what);
	const contact = `锁屏前填写（${what}）`;
	await page.locator('#f-q1_contact').fill(contact);
	const before = await page.locator('input[name=version]').inputValue();
	// What the browser does when the phone is locked or another app opens.
	await page.evaluate(() => {
		Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
		document.dispatchEvent(new Event('visibilitychange'));
	});
	t.is(await storedSoon(account, 'q1_contact', contact), contact, `${what}: hiding the page stored the answer`);
	await page.waitForFunction((v) => document.querySelector('input[name=version]').value !== v, before);
	await page.locator('#autosave-status').getByText(/已自动保存 \d\d:\d\d/).waitFor();
	t.ok(true, `${what}: the page took the new version and says 已自动保存`);
	await page.evaluate(() => {
		Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true });
		document.dispatchEvent(new Event('visibilitychange'));
	});
	await page.locator('#f-q1_email').fill('leave@example.com');
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '保存草稿' }).click()]);
	t.ok((await page.getByText(/已在其他窗口或由他人保存过/).count()) === 0, `${what}: a save afterwards is no conflict`);
	t.is(storedResponse(account.username, 'sme').answers.q1_email, 'leave@example.com', `${what}: and is stored`);
	t.ok(page.errors.length === 0, `${what}: no console errors`, page.errors.join('\n'));
	await close();
}

run(async (t) => {
	const problem = await stackProblem();
	if (problem) { t.skipAll(problem); return; }
	const acc = createAccounts('T23A', 'T23A 浏览器测试省', ['phone', 'desk'].flatMap((d) =>
		['close', 'nav', 'hide'].map((k) => ({ key: `${k}-${d}`, role: 'sme' }))));
	for (const [device, d, what] of [[MOBILE, 'phone', '360x740'], [DESKTOP, 'desk', '1280x900']]) {
		await closed(t, acc[`close-${d}`], device, what);
		await navigated(t, acc[`nav-${d}`], device, what);
		await hidden(t, acc[`hide-${d}`], device, what);
	}
});
