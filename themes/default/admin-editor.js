/* admin-editor.js: autosave for the story editor. Every 30 seconds, when
 * the form's text has changed since the last autosave, it posts the form
 * (without the file input) with its CSRF token to the form's
 * data-autosave address. The server keeps it beside the story for this
 * account, never in it: an autosave never publishes and never overwrites
 * a save. A 409 (the story was saved elsewhere since the form was opened)
 * stops it. Loaded with defer from admin-editor.html; no inline script
 * (CSP). The editor works without it. */
(function () {
	'use strict';
	var SECONDS = 30;
	var form = document.getElementById('editor');
	var status = document.getElementById('autosave-status');
	if (!form || !status || !form.getAttribute('data-autosave') ||
	    typeof window.fetch !== 'function' || typeof window.URLSearchParams !== 'function')
		return;
	var url = form.getAttribute('data-autosave');

	function fields() {
		var p = new URLSearchParams();
		var els = form.elements;
		for (var i = 0; i < els.length; i++) {
			var el = els[i];
			if (!el.name || el.disabled || el.type === 'file' || el.type === 'submit')
				continue;
			if ((el.type === 'checkbox' || el.type === 'radio') && !el.checked)
				continue;
			p.append(el.name, el.value);
		}
		return p;
	}

	var last = fields().toString(); /* what the page was opened with */
	var busy = false, timer = null;

	function say(text) { status.textContent = text; }

	function stop(text) {
		say(text);
		if (timer !== null)
			window.clearInterval(timer);
		timer = null;
	}

	function tick() {
		var body = fields(), text = body.toString();
		if (busy || text === last)
			return;
		busy = true;
		window.fetch(url, {
			method: 'POST', body: body, credentials: 'same-origin',
			headers: { 'Accept': 'application/json' }
		}).then(function (r) {
			if (r.redirected || /\/admin\/sign-in/.test(r.url)) {
				say('Not autosaved: your session has ended. Saving keeps your text and asks you to sign in again.');
				return null;
			}
			if (!/json/.test(r.headers.get('Content-Type') || '')) {
				say('Not autosaved (the server answered ' + r.status + '). Your text is still here.');
				return null;
			}
			return r.json().then(function (j) {
				if (r.status === 409)
					stop(j.message);
				else {
					if (r.ok)
						last = text;
					say(j.message);
				}
			});
		}).catch(function () {
			say('Not autosaved: the server could not be reached. Your text is still here.');
		}).then(function () { busy = false; });
	}

	timer = window.setInterval(tick, SECONDS * 1000);
	form.addEventListener('submit', function () {
		if (timer !== null)
			window.clearInterval(timer);
		timer = null;
	});
})();
