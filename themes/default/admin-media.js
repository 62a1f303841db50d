/* admin-media.js: progressive enhancement for the media library. On the
 * library page, pictures dropped onto the upload form are put in its file
 * input and the form is sent as if chosen and submitted by hand (the same
 * POST /admin/media, the same answer). On an item's page, a click on the
 * preview sets the focal point fields (0 to 1 from the top left). Loaded
 * with defer; no inline script (CSP). Both pages work without it. */
(function () {
	'use strict';
	var form = document.getElementById('media-upload');
	var input = document.getElementById('media-files');
	if (form && input && 'DataTransfer' in window) {
		var hint = document.getElementById('drop-hint');
		if (hint)
			hint.hidden = false;
		var over = function (e) {
			e.preventDefault();
			form.classList.add('dragging');
		};
		form.addEventListener('dragenter', over);
		form.addEventListener('dragover', over);
		form.addEventListener('dragleave', function () {
			form.classList.remove('dragging');
		});
		form.addEventListener('drop', function (e) {
			e.preventDefault();
			form.classList.remove('dragging');
			if (!e.dataTransfer || !e.dataTransfer.files.length)
				return;
			input.files = e.dataTransfer.files;
			if (typeof form.requestSubmit === 'function')
				form.requestSubmit();
			else
				form.submit();
		});
	}
	var img = document.getElementById('focal-image');
	var fx = document.getElementById('focal_x');
	var fy = document.getElementById('focal_y');
	if (img && fx && fy) {
		img.addEventListener('click', function (e) {
			var r = img.getBoundingClientRect();
			if (!r.width || !r.height)
				return;
			var round = function (v) {
				return String(Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000);
			};
			fx.value = round((e.clientX - r.left) / r.width);
			fy.value = round((e.clientY - r.top) / r.height);
		});
	}
})();
