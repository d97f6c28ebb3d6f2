// axe.mjs - axe-core (node_modules/axe-core/axe.min.js) on the login page,
// the five questionnaires as their role's account (region -> /form/selfeval,
// hub -> /form/hub, window -> /form/window, resource -> /form/resource,
// sme -> /form/sme), each questionnaire after an empty submit (validation
// errors shown), a submitted read-only form, /forgot, and a region's
// password reset of one of its accounts with the forced change after it. No violation of impact
// serious or critical is allowed; lesser ones are printed as notes.
//
// Accounts are fresh ones of the test region T70002 (same roles as the demo
// accounts) so the demo data stay untouched and every form starts empty.
// axe is injected with addInitScript, which works under the site's CSP
// (default-src 'self'), left in force.
import { run, stackProblem, createAccounts, login, baseUrl, screenshot, HOME_OF, DESKTOP, MOBILE,
	AXE, axeCheck as check, openBrowserWithAxe as withAxe } from './lib.mjs';

run(async (t) => {
	const problem = await stackProblem();
	if (problem) { t.skipAll(problem); return; }
	const roles = Object.keys(HOME_OF);
	const acc = createAccounts('T70002', '浏览器测试地区二', roles.map((role) => ({ key: `axe-${role}`, role })));
	t.note(`stack ${baseUrl()}, axe-core ${AXE}`);

	for (const device of [DESKTOP, MOBILE]) {
		const dev = device.isMobile ? 'mobile' : 'desktop';
		const { page, close } = await withAxe(device);
		await page.goto(baseUrl() + '/login');
		t.ok(await page.evaluate(() => typeof axe === 'object'), `${dev}: axe-core is loaded despite the CSP`);
		await check(t, page, `${dev} /login`);
		// A failed login shows its error.
		await page.getByLabel('用户名').fill('nobody-here');
		await page.getByLabel('密码', { exact: true }).fill('wrong-password-1');
		await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '登录' }).click()]);
		await page.locator('.error').first().waitFor();
		await check(t, page, `${dev} /login with an error`);
		// Whom to ask for a forgotten username or password (issue 9).
		await Promise.all([page.waitForURL((u) => u.pathname === '/forgot'),
			page.getByRole('link', { name: '忘记用户名或密码？' }).click()]);
		await check(t, page, `${dev} /forgot`);
		await screenshot(page, `forgot-${dev}.png`);
		await close();
	}

	for (const role of roles) {
		const path = HOME_OF[role];
		const { page, close } = await withAxe(DESKTOP);
		await login(page, acc[`axe-${role}`]);
		t.is(new URL(page.url()).pathname, role === 'region' ? '/region' : path, `${role}: logs in to its home`);
		await page.goto(baseUrl() + path);
		await check(t, page, `${role} ${path}`);
		// An empty submit: every required field reports its error.
		await Promise.all([page.waitForURL((u) => u.pathname === path, { waitUntil: 'load' }),
			page.getByRole('button', { name: '提交', exact: true }).click()]);
		await page.locator('#form-errors').waitFor();
		t.ok(await page.locator('.field-error').count() > 0, `${role} ${path}: an empty submit shows field errors`);
		await check(t, page, `${role} ${path} with validation errors`);
		await screenshot(page, `axe-${role}-errors.png`);
		t.ok(page.errors.length === 0, `${role}: no console errors (CSP, script)`, page.errors.join('\n'));
		await close();
	}

	// The read-only view of a submitted questionnaire (sme-fill.mjs submits
	// the same form through the UI; here the stored answers just need to exist).
	const { page, close } = await withAxe(MOBILE);
	await login(page, acc['axe-sme']);
	await page.goto(baseUrl() + '/form/sme/blank');
	await check(t, page, 'mobile /form/sme/blank (printable blank form)');
	await page.goto(baseUrl() + '/form/sme/print');
	await check(t, page, 'mobile /form/sme/print');
	await close();

	// A region resets its hub's password (issue 9): the list, the
	// confirmation, the one-time password; the hub then must change it.
	{
		const { page: rp, close: rclose } = await withAxe(MOBILE);
		await login(rp, acc['axe-region']);
		await rp.goto(baseUrl() + '/region/accounts');
		await check(t, rp, 'mobile /region/accounts');
		await rp.locator(`tr[data-username="${acc['axe-hub'].username}"] a`, { hasText: '重置密码' }).click();
		await rp.getByRole('button', { name: '确认重置密码' }).waitFor();
		await check(t, rp, 'mobile /region/accounts/reset (confirmation)');
		await Promise.all([rp.waitForLoadState('load'), rp.getByRole('button', { name: '确认重置密码' }).click()]);
		const onetime = (await rp.locator('.onetime-password').textContent()).trim();
		t.ok(/^[2-9A-HJ-NP-Z]{4}(-[2-9A-HJ-NP-Z]{4}){3}$/.test(onetime), 'the one-time password is shown');
		await check(t, rp, 'mobile the one-time password');
		await screenshot(rp, 'reset-onetime-mobile.png');
		await rclose();
		const { page: hp, close: hclose } = await withAxe(MOBILE);
		await login(hp, { username: acc['axe-hub'].username, password: onetime.toLowerCase() });
		t.is(new URL(hp.url()).pathname, '/password', 'the one-time password leads to /password');
		await check(t, hp, 'mobile /password after a reset');
		await screenshot(hp, 'password-must-change-mobile.png');
		await hclose();
	}
});
