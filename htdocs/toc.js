/* toc.js - the section index (目录) of a questionnaire page, rendered by
 * form_render.c with counts computed by the server (it works without this
 * script). Here: the counts follow the answers while typing, and on a phone
 * the index starts folded and folds again after a section is chosen. */
(function () {
	'use strict';
	var toc = document.getElementById('toc');
	var form = document.querySelector('form.survey');
	if (!toc || !form) return;
	var phone = window.matchMedia('(max-width: 719px)');
	if (phone.matches) toc.open = false;
	toc.addEventListener('click', function (e) {
		if (e.target.closest('a') && phone.matches) toc.open = false;
	});

	function answered(w) {
		var els = w.querySelectorAll('input, select, textarea');
		for (var i = 0; i < els.length; i++) {
			var e = els[i];
			if (e.type === 'hidden') continue;
			if (e.type === 'radio' || e.type === 'checkbox') { if (e.checked) return true; continue; }
			if (e.type === 'file') { if (e.files && e.files.length) return true; continue; }
			if ((e.value || '').trim() !== '') return true;
		}
		return !!w.querySelector('.uploaded');
	}
	function update() {
		var total = 0, totalReq = 0;
		Array.prototype.forEach.call(toc.querySelectorAll('li[data-sec]'), function (li) {
			var sec = document.getElementById('sec-' + li.getAttribute('data-sec'));
			if (!sec) return;
			var req = 0, reqDone = 0, all = 0, allDone = 0;
			Array.prototype.forEach.call(sec.querySelectorAll('[id^="w-"]'), function (w) {
				if (w.classList.contains('na')) return;   /* does not apply (form.js) */
				var a = answered(w);
				all++; allDone += a ? 1 : 0;
				if (w.hasAttribute('data-req')) { req++; reqDone += a ? 1 : 0; }
			});
			total += reqDone;
			totalReq += req;
			li.querySelector('.toc-n').textContent = req ? '已答 ' + reqDone + ' / ' + req
				: '选填，已答 ' + allDone + ' / ' + all;
			li.classList.toggle('done', req ? reqDone === req : all > 0 && allDone === all);
		});
		toc.querySelector('.toc-total').textContent = '必答题已答 ' + total + ' / ' + totalReq;
	}
	/* On the document, so that form.js (listening on the form) has shown or
	 * hidden the conditional questions first. */
	document.addEventListener('input', update);
	document.addEventListener('change', update);
	window.addEventListener('load', update);
})();
