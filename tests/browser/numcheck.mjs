// numcheck.mjs - format problems in number fields show at the field at once
// (issue 23 item 10), on a phone (360x740) and a desktop (1280x900), in the
// SME questionnaire as a fresh account: typing 约45 or 1,350 into 从业人数
// (an integer) shows the server's message under the field and marks it
// aria-invalid, before anything is saved; 1350 clears it; 12.34567 in 资产总额
// (4 decimals kept) is flagged, 12.5 is not; full-width digits are numbers.
// Then 保存草稿 with 约45 still there: the server says the same at the field.
import { run, stackProblem, createAccounts, openBrowser, login, baseUrl, MOBILE, DESKTOP } from './lib.mjs';

async function state(page, id) {
	return page.evaluate((i) => {
		const el = document.getElementById(i);
		const msgs = [...el.parentNode.querySelectorAll('.field-error')].map((p) => p.textContent);
		return { invalid: el.getAttribute('aria-invalid'), msgs };
	}, id);
}

run(async (t) => {
	const problem = await stackProblem();
	if (problem) { t.skipAll(problem); return; }
	const acc = createAccounts('T23N', 'T23N 浏览器测试省', [{ key: 'num-phone', role: 'sme' }, { key: 'num-desk', role: 'sme' }]);
	for (const [device, key, what] of [[MOBILE, 'num-phone', '360x740'], [DESKTOP, 'num-desk', '1280x900']]) {
		const { page, close } = await openBrowser(device);
		await login(page, acc[key]);
		await page.goto(baseUrl() + '/form/sme');
		const staff = page.locator('#f-q1_staff');
		await staff.fill('约45');
		let s = await state(page, 'f-q1_staff');
		t.ok(s.invalid === 'true' && s.msgs.some((m) => /请输入整数/.test(m)), `${what}: 约45 flagged while typing`, s);
		await staff.fill('1350');
		s = await state(page, 'f-q1_staff');
		t.ok(s.invalid === null && s.msgs.length === 0, `${what}: 1350 clears it`, s);
		await staff.fill('1,350');
		await page.locator('#f-q1_assets').focus();
		s = await state(page, 'f-q1_staff');
		t.ok(s.invalid === 'true' && s.msgs.some((m) => /千位分隔符/.test(m)), `${what}: 1,350 flagged when the field is left`, s);
		await staff.fill('１３５０');
		s = await state(page, 'f-q1_staff');
		t.ok(s.invalid === null, `${what}: full-width digits are a number`, s);
		await page.locator('#f-q1_assets').fill('12.34567');
		s = await state(page, 'f-q1_assets');
		t.ok(s.msgs.some((m) => /最多保留 4 位小数/.test(m)), `${what}: too many decimals flagged`, s);
		await page.locator('#f-q1_assets').fill('12.5');
		s = await state(page, 'f-q1_assets');
		t.ok(s.msgs.length === 0, `${what}: 12.5 is fine`, s);
		// The server on save says the same at the field.
		await staff.fill('约45');
		await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: '保存草稿' }).click()]);
		const server = await page.locator('#e-q1_staff').textContent().catch(() => null);
		t.like(server, /请输入整数（只填数字，不加“约”等文字或千位分隔符）/, `${what}: 保存草稿 flags it at the field too`);
		t.is(await page.locator('#f-q1_staff').inputValue(), '约45', `${what}: and keeps what was typed`);
		t.ok(page.errors.length === 0, `${what}: no console errors`, page.errors.join('\n'));
		await close();
	}
});
