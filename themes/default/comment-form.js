/* comment-form.js: make the browser's own validation bubble say the
 * server's words. Each field carrying data-missing gets that text as its
 * custom validity when it is found invalid, and loses it as soon as the
 * reader types, so the browser re-checks the real value on the next submit.
 * Loaded with defer from comment-form.html; no inline script (CSP). */
(function () {
	'use strict';
	var form = document.getElementById('commentform');
	if (!form || typeof form.querySelectorAll !== 'function') return;
	var fields = form.querySelectorAll('[data-missing]');
	for (var i = 0; i < fields.length; i++) {
		(function (field) {
			if (typeof field.setCustomValidity !== 'function') return;
			field.addEventListener('invalid', function () {
				field.setCustomValidity(field.getAttribute('data-missing') || '');
			});
			field.addEventListener('input', function () {
				field.setCustomValidity('');
			});
		})(fields[i]);
	}
})();
