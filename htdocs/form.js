/* form.js - show/hide conditional questions while the form is filled in.
 * The server decides applicability again on every save/submit (values of
 * hidden questions are dropped there), so this is only a convenience.
 * data-if holds the codebook's `if` clauses joined by ';':
 *   CODE | CODE<op>N | CODE has N                                        */
(function () {
	'use strict';
	var form = document.querySelector('form.survey');
	if (!form) return;
	form.classList.add('js');
	var nodes = Array.prototype.slice.call(form.querySelectorAll('[data-if]'));

	function wrapperHidden(code) {
		var w = document.getElementById('w-' + code);
		return w && w.classList.contains('na');
	}
	function values(code) {
		if (wrapperHidden(code)) return [];
		var out = [];
		var els = form.querySelectorAll('[name="' + code + '"]');
		for (var i = 0; i < els.length; i++) {
			var e = els[i];
			if ((e.type === 'radio' || e.type === 'checkbox') && !e.checked) continue;
			var v = (e.value || '').trim();
			if (v !== '') out.push(v);
		}
		return out;
	}
	function fold(s) {   /* full-width digits as typed on Chinese keyboards */
		return s.replace(/[\uFF01-\uFF5E]/g, function (c) {
			return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
		});
	}
	function holds(clause) {
		var m;
		if ((m = /^(\w+) has (\d+)$/.exec(clause))) return values(m[1]).indexOf(m[2]) >= 0;
		if ((m = /^(\w+)\s*(<=|>=|!=|<|>|=)\s*(-?[\d.]+)$/.exec(clause))) {
			var v = values(m[1]);
			if (!v.length) return false;
			var a = parseFloat(fold(v[0])), b = parseFloat(m[3]);
			if (isNaN(a)) return false;
			switch (m[2]) {
			case '<=': return a <= b; case '>=': return a >= b;
			case '<': return a < b;   case '>': return a > b;
			case '=': return a === b; default: return a !== b;
			}
		}
		if ((m = /^(\w+)$/.exec(clause))) return values(m[1]).length > 0;
		return true;
	}
	/* The server's "off" (ruled out at the last save) is for pages without
	 * script; from here on .na alone decides, as answers change. */
	nodes.forEach(function (n) { n.classList.remove('off'); });
	function update() {
		/* Repeat until stable: hiding a parent can hide its children. */
		for (var pass = 0; pass < 5; pass++) {
			var changed = false;
			nodes.forEach(function (n) {
				var show = n.getAttribute('data-if').split(';').every(holds);
				if (show === n.classList.contains('na')) {
					n.classList.toggle('na', !show);
					changed = true;
				}
			});
			if (!changed) break;
		}
	}
	form.addEventListener('change', update);
	form.addEventListener('input', update);
	update();
	var errs = document.getElementById('form-errors');
	if (errs) errs.focus();

	/* Autosave (issue 9): the fields changed since the last save are
	 * posted to <form URL>/autosave 2.5 s after the last change, at most
	 * every 20 s; the server merges them into the stored draft. The status
	 * next to the save button says when (aria-live). Activity on the page
	 * (typing, scrolling) keeps the session alive with a cheap GET
	 * <form URL>/alive at most every 4 minutes. The buttons keep working
	 * without any of this. */
	var action = form.getAttribute('action') || location.pathname;
	var q = action.indexOf('?');
	var basePath = q < 0 ? action : action.slice(0, q), query = q < 0 ? '' : action.slice(q);
	var DEBOUNCE = 2500, MIN_GAP = 20000, ALIVE_GAP = 240000;
	var PENDING = '有修改尚未保存，稍后自动保存';
	var dirty = {}, timer = null, lastSave = 0, lastContact = Date.now(), busy = 0, submitting = false;
	var inflight = null;   /* the running autosaves (a promise), while busy (their number) */
	var status = document.createElement('span');
	status.id = 'autosave-status';
	status.className = 'autosave-status';
	status.setAttribute('role', 'status');
	status.setAttribute('aria-live', 'polite');
	var actions = form.querySelector('.actions');
	if (actions) actions.appendChild(status);

	function codeOf(el) {
		var w = el.closest ? el.closest('[id^="w-"]') : null;
		return w ? w.id.slice(2) : el.name;
	}
	function show(text, isError) {
		status.textContent = text;
		status.classList.toggle('error', !!isError);
	}
	function schedule() {
		if (timer) clearTimeout(timer);
		var wait = Math.max(DEBOUNCE, lastSave + MIN_GAP - Date.now());
		timer = setTimeout(function () { save(false); }, wait);
	}
	/* urgent: the page is being left or hidden (flush below): sent at once,
	 * beside an autosave still on its way, as a keepalive request that
	 * outlives the page. */
	function save(urgent) {
		timer = null;
		var codes = Object.keys(dirty);
		if (!codes.length || submitting) return;
		if (busy && !urgent) { schedule(); return; }
		var sent = dirty;
		dirty = {};
		var body = new URLSearchParams();
		body.append('csrf', form.elements.csrf.value);
		body.append('fields', codes.join(','));
		for (var i = 0; i < form.elements.length; i++) {
			var e = form.elements[i];
			if (!e.name || e.disabled || e.type === 'file' || !sent[codeOf(e)]) continue;
			if ((e.type === 'radio' || e.type === 'checkbox') && !e.checked) continue;
			body.append(e.name, e.value);
		}
		busy++;
		lastSave = Date.now();
		var req = fetch(basePath + '/autosave' + query, {
			method: 'POST', body: body, credentials: 'same-origin', keepalive: !!urgent,
			headers: { 'Accept': 'application/json' }
		}).then(function (res) {
			return res.json().catch(function () { return { ok: false }; });
		}).then(function (j) {
			busy--;
			lastContact = Date.now();
			if (j && j.ok) {
				/* Two saves on their way (an urgent one beside another)
				 * may answer in either order: the newest version counts. */
				var v = form.elements.version;
				if (v && !(Number(v.value) > j.version)) v.value = j.version;
				/* Never "saved" while later changes wait (issue 23 item 2). */
				if (Object.keys(dirty).length) show(PENDING, false);
				else show('已自动保存 ' + j.saved_at, false);
			} else {
				/* Not saved: keep the fields for the next attempt. */
				for (var k in sent) dirty[k] = 1;
				show((j && j.error) || '自动保存未成功，请点“保存草稿”。', true);
			}
		}, function () {
			busy--;
			for (var k in sent) dirty[k] = 1;
			show('网络中断，自动保存未成功；恢复后将自动重试，也可点“保存草稿”。', true);
			schedule();
		});
		inflight = busy > 1 && inflight ? Promise.all([inflight, req]) : req;
	}
	function changed(ev) {
		var el = ev.target;
		if (!el || !el.name || el.type === 'file' || el.name === 'csrf' || el.name === 'version') return;
		dirty[codeOf(el)] = 1;
		if (!status.classList.contains('error')) show(PENDING, false);
		schedule();
	}
	/* Leaving the page (closed, another page opened) or hiding it (a
	 * phone locked, the app switched) saves what changed since the last
	 * autosave at once, not after the debounce or the 20 s gap, which
	 * the page may not live to see (issue 23 item 2). A save or submit
	 * clicked carries everything itself. */
	function flush() {
		if (timer) clearTimeout(timer);
		save(true);
	}
	document.addEventListener('visibilitychange', function () {
		if (document.visibilityState === 'hidden') flush();
	});
	window.addEventListener('pagehide', flush);
	/* A page restored from the back-forward cache after a save or submit
	 * was clicked autosaves again. */
	window.addEventListener('pageshow', function (ev) {
		if (ev.persisted) submitting = false;
	});
	function activity() {
		var now = Date.now();
		if (now - lastContact < ALIVE_GAP) return;
		lastContact = now;
		fetch(basePath + '/alive' + query, { credentials: 'same-origin' }).then(function (res) {
			if (res.redirected || res.status === 401)
				show('登录已超时，请点“保存草稿”，按提示重新登录后即可保存。', true);
		}, function () {});
	}
	form.addEventListener('input', changed);
	form.addEventListener('change', changed);
	/* A save or submit clicked while an autosave is on its way waits for
	 * it: the autosave moves the response's version on, and a post with
	 * the version the page had would be refused as a conflict. form.submit()
	 * fires no submit event; the clicked button's name/value go along in a
	 * hidden field. */
	form.addEventListener('submit', function (ev) {
		submitting = true;
		if (timer) clearTimeout(timer);
		timer = null;
		if (!busy || !inflight) return;
		ev.preventDefault();
		var btn = ev.submitter;
		show('正在保存，请稍候…', false);
		function resubmit() {
			if (btn && btn.name) {
				var h = document.createElement('input');
				h.type = 'hidden';
				h.name = btn.name;
				h.value = btn.value;
				form.appendChild(h);
			}
			form.submit();
		}
		inflight.then(resubmit, resubmit);
	});
	['keydown', 'scroll', 'input', 'pointerdown'].forEach(function (t) {
		window.addEventListener(t, activity, { passive: true });
	});
})();
