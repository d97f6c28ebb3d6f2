/* numcheck.js - a number field says at once when what was typed is no
 * number the server would take (issue 23 item 10): "约45" or "1,350" is
 * flagged at the field while typing and when the field is left, with the
 * server's own message (form_render.c puts the format on the input:
 * data-num = decimals kept, data-num-pct; and each number type's messages
 * once on the form: data-num-msg-D, data-num-frac-D for D decimals). The server checks again on every save; this only saves a
 * round trip. */
(function () {
	'use strict';
	var form = document.querySelector('form.survey');
	if (!form) return;

	function fold(s) {   /* full-width characters and spaces, as the server folds them */
		return s.replace(/[\uFF01-\uFF5E]/g, function (c) {
			return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
		}).replace(/\u3000/g, ' ').trim();
	}
	/* The message for the field's value, or null when it is a number. */
	function problem(el) {
		var v = fold(el.value);
		if (el.hasAttribute('data-num-pct')) v = v.replace(/\s*%$/, '');
		if (v === '') return null;
		var m = /^-?\d+(?:\.(\d+))?$/.exec(v);
		var d = el.getAttribute('data-num');
		if (!m) return form.getAttribute('data-num-msg-' + d);
		if (m[1] && m[1].length > Number(d)) return form.getAttribute('data-num-frac-' + d);
		return null;
	}
	function mark(el, msg) {
		var id = 'x-' + el.id, p = document.getElementById(id);
		var ids = (el.getAttribute('aria-describedby') || '').split(' ').filter(function (x) { return x && x !== id; });
		if (!msg) {
			if (p) p.parentNode.removeChild(p);
			if (!document.getElementById('e-' + el.name)) el.removeAttribute('aria-invalid');
			if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
			else el.removeAttribute('aria-describedby');
			return;
		}
		if (!p) {
			p = document.createElement('p');
			p.id = id;
			p.className = 'field-error';
			el.insertAdjacentElement('afterend', p);
		}
		p.textContent = msg;
		el.setAttribute('aria-invalid', 'true');
		ids.push(id);
		el.setAttribute('aria-describedby', ids.join(' '));
	}
	function check(ev) {
		var el = ev.target;
		if (el && el.hasAttribute && el.hasAttribute('data-num')) mark(el, problem(el));
	}
	form.addEventListener('input', check);
	form.addEventListener('focusout', check);
})();
