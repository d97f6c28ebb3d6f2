/* print.js - a button (data-print, hidden without script) that prints the
 * page: the login note of /account (issue 23 item 8). */
(function () {
	'use strict';
	var buttons = document.querySelectorAll('[data-print]');
	for (var i = 0; i < buttons.length; i++) {
		buttons[i].hidden = false;
		buttons[i].addEventListener('click', function () { window.print(); });
	}
})();
