// register.mjs - an SME registers with the code on its slip, on a phone
// (360x740) and a desktop (1280x900), in test region T23R (issue 23):
//  item 8: the home page has a code entry that opens the unit's
//    registration;
//  item 1: a post with several problems (a bad phone, a short password, a
//    mistyped confirmation) lists them all at once, each at its field, and
//    the page keeps every choice: 自行设置密码 stays chosen, the typed
//    passwords and contact details stay, the generated password shown stays
//    the same; a password typed while 系统生成 is chosen is refused, not
//    silently replaced by the generated one; after the fixes the account
//    logs in with the person's own password (and not the generated one);
//  item 8: the page after registration shows the username with a login
//    note that prints (the site header and buttons do not), and every page
//    after login shows the username in the header.
// Screenshots: tests/artifacts/register-*.png.
import { randomInt } from 'node:crypto';
import { run, stackProblem, openBrowser, baseUrl, dbQuery, dbValue, sqlQuote, screenshot, MOBILE, DESKTOP,
	login, openBrowserWithAxe, axeCheck } from './lib.mjs';

const R = 'T23R';
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const newCode = () => Array.from({ length: 16 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');

// A sampled SME unit of region R with a fresh code: { id, code, name }.
function sampledUnit(name) {
	dbQuery(`INSERT INTO regions (code, name, help_phone) VALUES ('${R}', '注册测试省', '0991-2323230转12')
		ON DUPLICATE KEY UPDATE help_phone = VALUES(help_phone)`);
	let sample = dbValue(`SELECT id FROM samples WHERE region_code = '${R}' AND kind = 'sme'`);
	if (!sample) {
		dbQuery(`INSERT INTO samples (region_code, kind, method) VALUES ('${R}', 'sme', 'uploaded')`);
		sample = dbValue(`SELECT id FROM samples WHERE region_code = '${R}' AND kind = 'sme'`);
	}
	const code = newCode();
	const pos = Number(dbValue(`SELECT COALESCE(MAX(position), 0) + 1 FROM sample_units WHERE sample_id = ${sample}`));
	dbQuery(`INSERT INTO sample_units (sample_id, region_code, form, stratum, name, role, position, status, code_lookup)
		VALUES (${sample}, '${R}', 'sme', 'sme', ${sqlQuote(name)}, 'selected', ${pos}, 'active', UNHEX(SHA2('${code}', 256)))`);
	const id = dbValue(`SELECT id FROM sample_units WHERE sample_id = ${sample} AND position = ${pos}`);
	return { id, code, name };
}

// The state of the registration form, as the person sees it.
async function formState(page) {
	return page.evaluate(() => ({
		own: document.querySelector('input[name=pw_mode][value=own]').checked,
		gen: document.querySelector('input[name=pw_mode][value=gen]').checked,
		shown: document.querySelector('.generated-password').textContent,
		password: document.getElementById('password').value,
		password2: document.getElementById('password2').value,
		contact: document.getElementById('contact').value,
		phone: document.getElementById('phone').value,
		email: document.getElementById('email').value,
		listed: [...document.querySelectorAll('#reg-errors li')].map((li) => li.textContent),
		atField: Object.fromEntries([...document.querySelectorAll('.field-error')].map((p) => [p.id, p.textContent])),
		invalid: [...document.querySelectorAll('[aria-invalid=true]')].map((e) => e.id),
	}));
}

async function register(t, device, dev) {
	const unit = sampledUnit(`注册测试科技有限公司（${dev}）`);
	const username = `sme-${R}-${unit.id}`;
	const { page, close } = await openBrowserWithAxe(device);

	// Item 8: the code entry on the home page.
	await page.goto(baseUrl() + '/');
	await page.getByLabel(/邀请码/).fill(unit.code.replace(/(.{4})(?!$)/g, '$1-').toLowerCase());
	await Promise.all([page.waitForURL(/\/register\?code=/), page.getByRole('button', { name: '下一步' }).click()]);
	t.ok(await page.getByText(unit.name).isVisible(), `${dev}: the home page's code entry opens the unit's registration`);
	const shownFirst = await page.locator('.generated-password').textContent();

	// Item 1: several problems at once; every choice kept.
	await page.getByLabel('联系人姓名').fill('王注册');
	await page.getByLabel('联系电话').fill('电话号码');
	await page.getByLabel('电子邮箱（选填）').fill('wang@example.com');
	await page.getByLabel('自行设置密码').check();
	await page.getByLabel('密码（12 至 128 个字符）').fill('short-pw');
	await page.getByLabel('再次输入密码').fill('short-pv');
	await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '注册并开始填写' }).click()]);
	await page.locator('#reg-errors').waitFor();
	let s = await formState(page);
	t.ok(s.own && !s.gen, `${dev}: after the errors 自行设置密码 is still chosen`, s);
	t.is(s.password, 'short-pw', `${dev}: the typed password is kept`);
	t.is(s.password2, 'short-pv', `${dev}: the typed confirmation is kept`);
	t.ok(s.contact === '王注册' && s.phone === '电话号码' && s.email === 'wang@example.com',
		`${dev}: contact, phone and e-mail are kept`, s);
	t.is(s.shown, shownFirst, `${dev}: the generated password shown stays the same`);
	t.is(s.listed.length, 3, `${dev}: all three problems listed at once`) || t.diag(s.listed.join('\n'));
	t.ok(s.listed.some((m) => /联系电话/.test(m)) && s.listed.some((m) => /至少需要 12 个字符/.test(m))
		&& s.listed.some((m) => /两次输入的密码不一致/.test(m)), `${dev}: phone, length and mismatch named`, s.listed);
	t.ok(s.atField['err-phone'] && s.atField['err-password'] && s.atField['err-password2'],
		`${dev}: each message also stands at its field`, s.atField);
	t.ok(['phone', 'password', 'password2'].every((id) => s.invalid.includes(id)),
		`${dev}: the fields are marked aria-invalid`, s.invalid);
	await axeCheck(t, page, `${dev} registration with errors`);
	await screenshot(page, `register-${dev}-errors.png`);

	// The trap itself: a password typed, the generated one chosen.
	await page.getByLabel('联系电话').fill('0991-2323231');
	await page.getByLabel(/使用系统生成的密码/).check();
	await page.getByLabel('密码（12 至 128 个字符）').fill('My-Own-Password-2013');
	await page.getByLabel('再次输入密码').fill('My-Own-Password-2013');
	await Promise.all([page.waitForLoadState('load'), page.getByRole('button', { name: '注册并开始填写' }).click()]);
	await page.locator('#reg-errors').waitFor();
	s = await formState(page);
	t.ok(s.listed.length === 1 && /选中的是“使用系统生成的密码”/.test(s.listed[0]),
		`${dev}: a typed password with 系统生成 chosen is refused with a message, not replaced`, s.listed);
	t.is(dbValue(`SELECT COUNT(*) FROM users WHERE username = ${sqlQuote(username)}`), '0', `${dev}: no account yet`);
	t.ok(s.gen && s.password === 'My-Own-Password-2013', `${dev}: the choice and the passwords are kept`, s);

	await page.getByLabel('自行设置密码').check();
	await Promise.all([page.waitForURL(/\/account\b/), page.getByRole('button', { name: '注册并开始填写' }).click()]);
	t.ok(true, `${dev}: registered after the fixes`);

	// Item 8: the username on the page after registration, and a note to print.
	const note = page.locator('.login-note');
	t.is(await note.locator('.username').textContent(), username, `${dev}: the page after registration shows the username`);
	t.ok(await page.getByRole('button', { name: '打印登录信息' }).isVisible(), `${dev}: a print button`);
	t.like(await note.textContent(), /注册测试省.*0991-2323230转12.*\/login/s, `${dev}: the note names the region, its help line and where to log in`);
	t.is(await note.locator('a[href^="tel:"]').getAttribute('href'), 'tel:09912323230,12', `${dev}: the help line is a tel: link`);
	await screenshot(page, `register-${dev}-done.png`);
	await page.emulateMedia({ media: 'print' });
	t.ok(await note.isVisible() && !(await page.locator('header.site nav').isVisible())
		&& !(await page.getByRole('button', { name: '打印登录信息' }).isVisible()),
	`${dev}: printed, the note shows and the header and buttons do not`);
	await page.emulateMedia({ media: 'screen' });

	// Every page after login shows the username.
	for (const path of ['/form/sme', '/form/sme/print', '/account', '/password', '/']) {
		await page.goto(baseUrl() + path);
		t.is(await page.locator('header.site .who .username').textContent().catch(() => null), username,
			`${dev}: ${path} shows the username in the header`);
	}
	await page.goto(baseUrl() + '/form/sme');
	await screenshot(page, `register-${dev}-form.png`);
	// The refused posts' 422 is the page working, not an error.
	const errors = page.errors.filter((e) => !/status of 422 .*\/register$/.test(e));
	t.ok(errors.length === 0, `${dev}: no console errors`, errors.join('\n'));
	await close();

	// The person's own password works; the generated one does not.
	const again = await openBrowser(device);
	await login(again.page, { username, password: 'My-Own-Password-2013' });
	t.ok(!/\/login/.test(new URL(again.page.url()).pathname), `${dev}: the account logs in with its own password`);
	await again.close();
	const other = await openBrowser(device);
	await other.page.goto(baseUrl() + '/login');
	await other.page.getByLabel('用户名').fill(username);
	await other.page.getByLabel('密码', { exact: true }).fill(shownFirst);
	await Promise.all([other.page.waitForLoadState('load'), other.page.getByRole('button', { name: '登录' }).click()]);
	t.ok(await other.page.getByText('用户名或密码不正确').isVisible(), `${dev}: the generated password was not used`);
	await other.close();
}

run(async (t) => {
	const problem = await stackProblem();
	if (problem) { t.skipAll(problem); return; }
	await register(t, MOBILE, '360x740');
	await register(t, DESKTOP, '1280x900');
});
