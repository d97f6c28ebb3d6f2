// lib.mjs - helpers for the browser tests (tests/browser/*.mjs): TAP output,
// the stack's settings, test accounts in a region of their own, the
// database, and headless Chromium driven by playwright-core.
//
// Where things are comes from the environment (scripts/run-tests exports
// it): BASE_URL MYCNF SMESURVEY_CONF BINDIR. Without BASE_URL the values
// come from `scripts/stack env`, i.e. the stack of `make run` (VARDIR, PORT
// from the environment or their defaults).
//
// Chromium is the Debian package (/usr/bin/chromium, or $CHROMIUM); it is
// never downloaded. Every browser gets a fresh user-data dir, removed on close.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(HERE, '../..');
export const ARTIFACTS = join(ROOT, 'tests', 'artifacts');

// ------------------------------------------------------------------ TAP
// Plan printed at the end ("1..N" after the tests is valid TAP).
export class Tap {
	constructor() {
		this.n = 0;
		this.failed = 0;
		this.done = false;
	}
	ok(cond, name, diag) {
		this.n++;
		const line = `${cond ? 'ok' : 'not ok'} ${this.n} - ${String(name).replace(/[\r\n#]/g, ' ')}`;
		process.stdout.write(line + '\n');
		if (!cond) {
			this.failed++;
			if (diag !== undefined) this.diag(typeof diag === 'string' ? diag : JSON.stringify(diag, null, 2));
		}
		return !!cond;
	}
	is(got, want, name) {
		return this.ok(got === want, name, `     got: ${JSON.stringify(got)}\nexpected: ${JSON.stringify(want)}`);
	}
	like(got, re, name) {
		return this.ok(re.test(String(got ?? '')), name, `     got: ${JSON.stringify(got)}\nexpected to match: ${re}`);
	}
	diag(msg) {
		process.stderr.write(String(msg).split('\n').map((l) => `# ${l}`).join('\n') + '\n');
	}
	note(msg) {
		process.stdout.write(String(msg).split('\n').map((l) => `# ${l}`).join('\n') + '\n');
	}
	finish() {
		if (this.done) return;
		this.done = true;
		process.stdout.write(`1..${this.n}\n`);
		process.exitCode = this.failed ? 1 : 0;
	}
	skipAll(why) {
		this.done = true;
		process.stdout.write(`1..0 # SKIP ${why}\n`);
	}
}

// Runs body(t); an exception becomes a failed test, the plan is always
// printed, and a watchdog stops a hung run.
export async function run(body, { timeoutMs = 240000 } = {}) {
	const t = new Tap();
	const dog = setTimeout(() => {
		process.stdout.write(`Bail out! timed out after ${timeoutMs / 1000} s\n`);
		process.exit(255);
	}, timeoutMs);
	try {
		await body(t);
	} catch (e) {
		t.ok(false, `no exception: ${e && e.message ? e.message.split('\n')[0] : e}`, e && e.stack ? e.stack : String(e));
	} finally {
		clearTimeout(dog);
		for (const close of openBrowsers.splice(0)) await close().catch(() => {});
		t.finish();
	}
}

// ------------------------------------------------------------- settings
let stackEnv = null;
export function env(name) {
	if (process.env[name]) return process.env[name];
	if (!stackEnv) {
		stackEnv = {};
		try {
			const out = execFileSync(join(ROOT, 'scripts', 'stack'), ['env'], { encoding: 'utf8' });
			for (const line of out.split('\n')) {
				const m = /^(\w+)=(.*)$/.exec(line);
				if (m) stackEnv[m[1]] = m[2];
			}
		} catch { /* no stack: callers see undefined */ }
	}
	return stackEnv[name];
}
export const baseUrl = () => (env('BASE_URL') || 'http://127.0.0.1:8080').replace(/\/+$/, '');
export const bindir = () => env('BINDIR') || join(ROOT, 'build', 'bin');

// Is the stack answering? (A skip reason, or null.)
export async function stackProblem() {
	const chrome = chromiumPath();
	if (!existsSync(chrome)) return `${chrome} missing (apt-get install chromium)`;
	if (!env('SMESURVEY_CONF') || !existsSync(env('SMESURVEY_CONF'))) return 'SMESURVEY_CONF unknown: start the stack first';
	try {
		await fetch(baseUrl() + '/login', { signal: AbortSignal.timeout(5000) });
	} catch (e) {
		return `${baseUrl()} does not answer (${e.message})`;
	}
	return null;
}

// ------------------------------------------------------------- database
function appConf() {
	const c = {};
	for (const line of readFileSync(env('SMESURVEY_CONF'), 'utf8').split('\n')) {
		const m = /^\s*(\w+)\s*=\s*(.*?)\s*$/.exec(line);
		if (m && !/^\s*#/.test(line)) c[m[1]] = m[2];
	}
	return c;
}

// SQL through the mariadb client: as root over the private socket (MYCNF,
// like tests/e2e/lib/T.pm), else with the application's account. Rows are
// arrays of strings (NULL -> null).
export function dbQuery(sql) {
	const c = appConf();
	let args;
	if (env('MYCNF')) {
		args = [`--defaults-file=${env('MYCNF')}`];
	} else {
		args = ['--no-defaults', `--user=${c.db_user}`, `--password=${c.db_password}`,
			...(c.db_socket ? [`--socket=${c.db_socket}`] : [`--host=${c.db_host}`, `--port=${c.db_port}`, '--protocol=tcp'])];
	}
	const out = execFileSync('mariadb', [...args, '--default-character-set=utf8mb4', '-N', '-B', '-e', sql, c.db_name || 'smesurvey'],
		{ encoding: 'utf8' });
	return out.split('\n').filter((l) => l !== '').map((l) => l.split('\t').map((v) => (v === 'NULL' ? null : v)));
}
export const dbValue = (sql) => { const r = dbQuery(sql); return r.length ? r[0][0] : null; };
export const sqlQuote = (s) => `'${String(s).replace(/[\\']/g, '\\$&')}'`;

// The stored response of (user, form): { status, answers: {code: value} } or null.
export function storedResponse(username, form) {
	const rows = dbQuery(`SELECT r.id, r.status FROM responses r JOIN users u ON u.id = r.user_id
		WHERE u.username = ${sqlQuote(username)} AND r.form = ${sqlQuote(form)}`);
	if (!rows.length) return null;
	const answers = {};
	for (const [code, value] of dbQuery(`SELECT code, value FROM answers WHERE response_id = ${rows[0][0]}`))
		answers[code] = value;
	return { status: rows[0][1], answers };
}

// ------------------------------------------------------------- accounts
const FORM_OF = { region: 'selfeval', hub: 'hub', window: 'window', resource: 'resource', sme: 'sme' };
export const HOME_OF = { region: '/form/selfeval', hub: '/form/hub', window: '/form/window',
	resource: '/form/resource', sme: '/form/sme' };

// Creates fresh accounts in a test region of their own (inserted when
// missing), through `smesurvey-admin import-accounts` like real ones, so
// the demo accounts' data stay untouched. Usernames carry a per-run
// suffix: a second run against the same stack starts from empty forms.
// specs: [{ key, role }] -> { key: { username, password, role, region } }
export function createAccounts(region, regionName, specs) {
	dbQuery(`INSERT INTO regions (code, name, help_phone) VALUES (${sqlQuote(region)}, ${sqlQuote(regionName)}, '010-00000000')
		ON DUPLICATE KEY UPDATE name = VALUES(name)`);
	const run = Date.now().toString(36) + process.pid.toString(36);
	const accounts = {};
	const lines = ['username,initial_password,role,region_code,org_name,form'];
	for (const { key, role } of specs) {
		const a = { username: `bt-${key}-${run}`, password: `Browser-Test-${run}!`, role, region };
		accounts[key] = a;
		lines.push([a.username, a.password, role, region, `浏览器测试单位（${key}）`, FORM_OF[role] || ''].join(','));
	}
	const dir = mkdtempSync(join(tmpdir(), 'smesurvey-bt-'));
	try {
		const csv = join(dir, 'accounts.csv');
		writeFileSync(csv, lines.join('\n') + '\n', { mode: 0o600 });
		execFileSync(join(bindir(), 'smesurvey-admin'), ['--conf', env('SMESURVEY_CONF'), 'import-accounts', csv],
			{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	return accounts;
}

// -------------------------------------------------------------- browser
export function chromiumPath() {
	return process.env.CHROMIUM || '/usr/bin/chromium';
}

const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync'];

export const MOBILE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
export const DESKTOP = { viewport: { width: 1280, height: 900 } };

const openBrowsers = [];

// A new browser with a fresh profile: { context, page, close }. The page
// collects console errors (CSP violations among them) in page.errors.
export async function openBrowser(options = {}) {
	const profile = mkdtempSync(join(tmpdir(), 'smesurvey-chromium-'));
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: chromiumPath(),
		headless: true,
		args: CHROMIUM_ARGS,
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai',
		...options,
	});
	context.setDefaultTimeout(15000);
	const page = context.pages()[0] || (await context.newPage());
	page.errors = [];
	// The browser's own /favicon.ico request (no icon is served) is no page error.
	page.on('console', (m) => {
		if (m.type() === 'error' && !/\/favicon\.ico$/.test(m.location().url || ''))
			page.errors.push(`${m.text()} ${m.location().url || ''}`);
	});
	page.on('pageerror', (e) => page.errors.push(String(e)));
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		await context.close().catch(() => {});
		rmSync(profile, { recursive: true, force: true });
	};
	openBrowsers.push(close);
	return { context, page, close };
}

// Logs in through the login form, like a person; resolves after the
// redirect to the role's home page.
export async function login(page, account) {
	await page.goto(baseUrl() + '/login');
	await page.getByLabel('用户名').fill(account.username);
	await page.getByLabel('密码', { exact: true }).fill(account.password);
	await Promise.all([
		page.waitForURL((u) => !/\/login\b/.test(u.pathname)),
		page.getByRole('button', { name: '登录' }).click(),
	]);
}

export async function screenshot(page, name) {
	mkdirSync(ARTIFACTS, { recursive: true });
	const path = join(ARTIFACTS, name);
	await page.screenshot({ path, fullPage: true });
	return path;
}

// Horizontal overflow of the document: widths wider than the viewport.
export async function horizontalOverflow(page) {
	return page.evaluate(() => {
		const vw = document.documentElement.clientWidth;
		const wide = [];
		for (const el of document.body.querySelectorAll('*')) {
			if (el.closest('.table-wrap') && !el.classList.contains('table-wrap')) continue;
			const r = el.getBoundingClientRect();
			if (r.width && (r.right > vw + 0.5 || r.left < -0.5) && getComputedStyle(el).position !== 'absolute')
				wide.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className ? '.' + String(el.className).split(' ').join('.') : ''} ${Math.round(r.left)}..${Math.round(r.right)}`);
		}
		return {
			viewport: vw,
			docScroll: document.documentElement.scrollWidth,
			bodyScroll: document.body.scrollWidth,
			wide: wide.slice(0, 10),
		};
	});
}

// ----------------------------------------------------------------- axe
// axe-core (node_modules/axe-core/axe.min.js), injected with addInitScript,
// which works under the site's CSP (default-src 'self'), left in force.
export const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const AXE_BAD = ['serious', 'critical'];

// A browser (openBrowser) whose every page has axe loaded.
export async function openBrowserWithAxe(device) {
	const b = await openBrowser(device);
	await b.context.addInitScript({ path: AXE });
	return b;
}

// axe on the page: no violation of impact serious or critical; lesser ones
// are printed as notes.
export async function axeCheck(t, page, what) {
	const res = await page.evaluate(async () => {
		// eslint-disable-next-line no-undef
		const r = await axe.run(document, { resultTypes: ['violations'] });
		return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary.replace(/\s+/g, ' ')}`) }));
	});
	const bad = res.filter((v) => AXE_BAD.includes(v.impact));
	for (const v of res.filter((x) => !AXE_BAD.includes(x.impact)))
		t.note(`${what}: ${v.impact} ${v.id} (${v.nodes.length}): ${v.help}`);
	t.ok(bad.length === 0, `axe: ${what}: no serious or critical violations`,
		bad.map((v) => `${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.slice(0, 8).join('\n  ')}${v.nodes.length > 8 ? `\n  ... ${v.nodes.length} nodes` : ''}`).join('\n'));
}
