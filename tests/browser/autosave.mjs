// autosave.mjs - nothing typed is lost (issue 9), in headless Chromium on a
// phone (360x740) and a desktop (1280x900), each as a fresh sme account:
//  1. typing into the SME questionnaire autosaves in the background within
//     a few seconds: the status "已自动保存 HH:MM" (role=status) appears next
//     to the save button, the value is in the database, and a reload shows it;
//  2. a session that lapses mid-form (its row aged past the idle limit)
//     loses nothing: 保存草稿 brings the re-login form, logging in there
//     saves what was typed;
//  3. 保存草稿 clicked while an autosave's answer is still on its way (the
//     server has stored it, the page does not know its new version yet)
//     waits for it, and is not refused as a conflict.
// Screenshots: tests/artifacts/autosave-*.png.
import { createRequire } from 'node:module';
import { run, stackProblem, createAccounts, openBrowser, login, baseUrl, storedResponse, dbQuery,
	sqlQuote, screenshot, MOBILE, DESKTOP } from './lib.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

// axe-core on the page: no violation of impact serious or critical.
async function axeCheck(t, page, what) {
	const bad = await page.evaluate(async () => {
		// eslint-disable-next-line no-undef
		const r = await axe.run(document, { resultTypes: ['violations'] });
		return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
			.map((v) => `${v.impact} ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
	});
	t.ok(bad.length === 0, `axe: ${what}: no serious or critical violations`, bad.join('\n'));
}

async function autosaves(t, account, device, name) {
	const { page, close } = await openBrowser(device);
	await login(page, account);
	await page.goto(baseUrl() + '/form/sme');
	const input = page.getByRole('textbox', { name: '企业名称' });
	const value = `自动保存测试公司（${name}）`;
	if (device.hasTouch) await input.tap();
	await input.fill(value);
	const status = page.locator('#autosave-status');
	await status.getByText(/已自动保存 \d\d:\d\d/).waitFor({ timeout: 15000 });
	t.ok(await status.isVisible(), `${name}: "${await status.textContent()}" is shown`);
	t.is(await status.getAttribute('aria-live'), 'polite', `${name}: the status is announced (aria-live)`);
	const r = storedResponse(account.username, 'sme');
	t.is(r && r.answers.q1_name, value, `${name}: the typed value is in the database`);
	t.is(r && r.status, 'draft', `${name}: as a draft`);
	await screenshot(page, `autosave-${name}.png`);
	await page.reload();
	t.is(await page.getByRole('textbox', { name: '企业名称' }).inputValue(), value, `${name}: a reload shows it`);
	t.ok(page.errors.length === 0, `${name}: no console errors`, page.errors.join('\n'));
	await close();
}

async function lapsed(t, account, device, name) {
	const { context, page, close } = await openBrowser(device);
	await context.addInitScript({ path: AXE });
	await login(page, account);
	await page.goto(baseUrl() + '/form/sme');
	const contact = `李四（${name}）`;
	dbQuery(`UPDATE sessions s JOIN users u ON u.id = s.user_id SET s.last_seen = NOW() - INTERVAL 2 DAY
		WHERE u.username = ${sqlQuote(account.username)}`);
	await page.getByRole('textbox', { name: '联系人' }).fill(contact);
	await page.getByRole('button', { name: '保存草稿' }).click();
	await page.getByRole('heading', { name: '登录已超时' }).waitFor();
	t.ok(true, `${name}: an expired session brings the re-login form, not the login page`);
	await screenshot(page, `autosave-${name}-relogin.png`);
	await axeCheck(t, page, `${name} re-login page`);
	await page.getByLabel('用户名').fill(account.username);
	await page.getByLabel('密码', { exact: true }).fill(account.password);
	await page.getByRole('button', { name: '登录并继续' }).click();
	await page.waitForURL((u) => /\/form\/sme/.test(u.pathname) && !/relogin/.test(u.search));
	const r = storedResponse(account.username, 'sme');
	t.is(r && r.answers.q1_contact, contact, `${name}: after the re-login what was typed is saved`);
	t.ok(await page.getByText(/草稿已保存/).first().isVisible(), `${name}: the saved confirmation is shown`);
	await axeCheck(t, page, `${name} form with the saved confirmation`);
	await close();
}

async function clickDuringAutosave(t, account, device, name) {
	const { page, close } = await openBrowser(device);
	await login(page, account);
	await page.goto(baseUrl() + '/form/sme');
	// Every autosave reaches the server (and commits there), but its answer
	// is held for 3 s on the way back, as on a slow network.
	let held = 0;
	await page.route('**/autosave*', async (route) => {
		const response = await route.fetch();
		held++;
		await new Promise((res) => setTimeout(res, 3000));
		await route.fulfill({ response });
	});
	const contact = `在途测试（${name}）`;
	await page.locator('#f-q1_contact').fill(contact);
	// The debounce is 2.5 s: wait until the autosave has been sent.
	for (let i = 0; i < 100 && held === 0; i++) await page.waitForTimeout(100);
	t.ok(held > 0, `${name}: an autosave is stored, its answer on its way`);
	await page.locator('#f-q1_name').fill(`在途测试公司（${name}）`);
	await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '保存草稿' }).click()]);
	t.ok((await page.getByText(/已在其他窗口或由他人保存过/).count()) === 0,
		`${name}: the save is not refused as a conflict with the autosave`);
	t.ok(await page.getByText(/草稿已保存/).first().isVisible(), `${name}: the draft is saved`);
	const r = storedResponse(account.username, 'sme');
	t.is(r && r.answers.q1_contact, contact, `${name}: the autosaved field is stored`);
	t.is(r && r.answers.q1_name, `在途测试公司（${name}）`, `${name}: the field typed after it too`);
	await close();
}

run(async (t) => {
	const problem = await stackProblem();
	if (problem) { t.skipAll(problem); return; }
	const acc = createAccounts('T36B01', 'T36B 浏览器测试省', [
		{ key: 'as-phone', role: 'sme' }, { key: 'as-desk', role: 'sme' },
		{ key: 'lapse-phone', role: 'sme' }, { key: 'lapse-desk', role: 'sme' },
		{ key: 'race-desk', role: 'sme' }]);
	await autosaves(t, acc['as-phone'], MOBILE, 'phone');
	await autosaves(t, acc['as-desk'], DESKTOP, 'desktop');
	await lapsed(t, acc['lapse-phone'], MOBILE, 'phone');
	await lapsed(t, acc['lapse-desk'], DESKTOP, 'desktop');
	await clickDuringAutosave(t, acc['race-desk'], DESKTOP, 'desktop');
});
