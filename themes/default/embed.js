/* embed.js: privacy-first embeds (docs/embeds.md). A story's embed is a
 * facade: a link card to the original and, once this script runs, a button.
 * Nothing is asked of the provider until the reader presses it; then the
 * iframe whose src the server built (data-embed-src) replaces the card.
 * The size comes from the figure's ratio class (style.css), never a style
 * attribute: the CSP forbids both inline script and inline style. Loaded
 * with defer from story.html when the story holds an embed. */
(function () {
	'use strict';
	if (typeof document.querySelectorAll !== 'function') return;
	var figures = document.querySelectorAll('figure.embed[data-embed-src]');

	function load(figure) {
		var src = figure.getAttribute('data-embed-src') || '';
		if (src.indexOf('https://') !== 0) return; /* only what the server built */
		var frame = document.createElement('iframe');
		frame.src = src;
		frame.title = figure.getAttribute('data-embed-title') || 'Embedded content';
		frame.className = 'embed-frame';
		frame.setAttribute('loading', 'lazy');
		frame.setAttribute('referrerpolicy', 'strict-origin-when-cross-origin');
		frame.setAttribute('allowfullscreen', '');
		var allow = figure.getAttribute('data-embed-allow');
		if (allow) frame.setAttribute('allow', allow);
		var sandbox = figure.getAttribute('data-embed-sandbox');
		if (sandbox !== null) frame.setAttribute('sandbox', sandbox);
		var consent = figure.querySelector('.embed-consent');
		if (consent) consent.parentNode.removeChild(consent);
		var card = figure.querySelector('.embed-card');
		if (card) card.className = 'embed-card embed-card-after';
		figure.insertBefore(frame, figure.firstChild);
		figure.classList.add('embed-loaded');
		frame.focus();
	}

	for (var i = 0; i < figures.length; i++) {
		(function (figure) {
			var consent = figure.querySelector('.embed-consent');
			var button = figure.querySelector('.embed-load');
			if (!consent || !button) return;
			consent.hidden = false;
			button.addEventListener('click', function () { load(figure); });
		})(figures[i]);
	}
})();
