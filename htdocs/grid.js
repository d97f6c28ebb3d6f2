/* grid.js - the column headers of a grid (the years) stay in view while its
 * rows scroll up the page (issue 23 item 3). A grid scrolls sideways inside
 * its .table-wrap, a scroll container, so `position: sticky; top` would stick
 * to the wrap, not the page; instead each header cell is moved down (a
 * transform) to just below the sticky section index, whatever its current
 * height (folded, open), and never past the grid's last row. Without
 * script the headers stay at the top of their grid. */
(function () {
	'use strict';
	var toc = document.querySelector('nav.toc');
	var grids = Array.prototype.slice.call(document.querySelectorAll('table.grid')).filter(function (t) {
		return t.tHead && t.tBodies.length && t.tBodies[0].rows.length > 1;
	});
	if (!grids.length) return;
	var queued = false;

	function place() {
		queued = false;
		var top = toc ? Math.max(0, toc.getBoundingClientRect().bottom) : 0;
		grids.forEach(function (t) {
			var box = t.getBoundingClientRect(), head = t.tHead.offsetHeight;
			var rows = t.tBodies[0].rows, last = rows[rows.length - 1].offsetHeight;
			/* Below the index, but never over the last row. */
			var shift = Math.min(top - box.top, box.height - head - last);
			var css = shift > 0 ? 'translateY(' + Math.round(shift) + 'px)' : '';
			if (t.getAttribute('data-shift') === css) return;
			t.setAttribute('data-shift', css);
			t.classList.toggle('head-stuck', shift > 0);
			var cells = t.tHead.querySelectorAll('th, td');
			for (var i = 0; i < cells.length; i++) cells[i].style.transform = css;
		});
	}
	function queue() {
		if (!queued) {
			queued = true;
			window.requestAnimationFrame(place);
		}
	}
	window.addEventListener('scroll', queue, { passive: true });
	window.addEventListener('resize', queue);
	if (toc) toc.addEventListener('toggle', queue, true);
	place();
})();
