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
})();
