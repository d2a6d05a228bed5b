/*!
 * quick-exit.js: leave a page fast (the GOV.UK "Exit this page" pattern). No dependencies, no cookies, no storage.
 *
 * Markup (the link's href is the neutral site; without JavaScript the link still leaves, with a history entry):
 *
 *   <a href="https://www.google.com/" class="quick-exit" role="button" data-quick-exit
 *      data-quick-exit-pressed-2="Shift, press 2 more times to exit."
 *      data-quick-exit-pressed-1="Shift, press 1 more time to exit."
 *      data-quick-exit-expired="Exit this page expired.">Exit this page</a>
 *   <p class="visually-hidden" data-quick-exit-status aria-live="polite"></p>   (optional: announces Shift presses)
 *   <script src="/js/quick-exit.js" defer></script>
 *
 * With the script:
 *  - activating the link (click, Enter, or Space as for a button), or pressing Shift on its own 3 times within 5 seconds, hides the page at once and replaces
 *    the top window's location with the neutral site: location.replace leaves no history entry, so Back does not
 *    return here. Shift held to type a capital letter does not count;
 *  - a page that comes back from the back/forward cache is shown again (pageshow).
 * The messages come from the link's data-quick-exit-* attributes (English by default). window.QuickExit.exit()
 * leaves from code (e.g. a widget's own button).
 */
(function () {
  'use strict';

  var PRESSES = 3;
  var WINDOW_MS = 5000;
  var DEFAULT_URL = 'https://www.google.com/';

  var presses = 0;
  var timer = null;
  var shiftDown = false;
  var shiftModified = false;

  function trigger() {
    return document.querySelector('[data-quick-exit]');
  }

  function neutralUrl() {
    var link = trigger();
    return (link && link.getAttribute('href')) || DEFAULT_URL;
  }

  function message(name, fallback) {
    var link = trigger();
    return (link && link.getAttribute('data-quick-exit-' + name)) || fallback;
  }

  function announce(text) {
    var region = document.querySelector('[data-quick-exit-status]');
    if (region) region.textContent = text;
  }

  function reset() {
    presses = 0;
    if (timer !== null) {
      window.clearTimeout(timer);
      timer = null;
    }
  }

  function hide() {
    document.documentElement.classList.add('quick-exit-leaving');
    if (document.body) document.body.hidden = true;
  }

  function show() {
    document.documentElement.classList.remove('quick-exit-leaving');
    if (document.body) document.body.hidden = false;
  }

  function exit() {
    var url = neutralUrl();
    reset();
    announce('');
    hide();
    try {
      window.top.location.replace(url);
    } catch (e) {
      // A frame that may not navigate the top window leaves by itself.
      window.location.replace(url);
    }
  }

  document.addEventListener('click', function (event) {
    var link = event.target instanceof Element ? event.target.closest('[data-quick-exit]') : null;
    if (!link) return;
    event.preventDefault();
    exit();
  });

  document.addEventListener('keydown', function (event) {
    if (event.key === ' ' && event.target instanceof Element && event.target.closest('[data-quick-exit]')) {
      event.preventDefault(); // a link styled and announced as a button answers Space too
      exit();
      return;
    }
    if (event.key === 'Shift') {
      if (!event.repeat) {
        shiftDown = true;
        shiftModified = false;
      }
    } else if (shiftDown) {
      shiftModified = true; // Shift + another key is typing, not a quick exit
    }
  }, true);

  document.addEventListener('keyup', function (event) {
    if (event.key !== 'Shift') return;
    var counts = shiftDown && !shiftModified;
    shiftDown = false;
    if (!counts) return;
    presses += 1;
    if (presses >= PRESSES) {
      exit();
      return;
    }
    if (timer === null) {
      timer = window.setTimeout(function () {
        reset();
        announce(message('expired', 'Exit this page expired.'));
      }, WINDOW_MS);
    }
    var left = PRESSES - presses;
    announce(message('pressed-' + left, 'Shift, press ' + left + ' more time' + (left === 1 ? '' : 's') + ' to exit.'));
  }, true);

  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) return;
    reset();
    announce('');
    show();
  });

  window.QuickExit = { exit: exit };
})();
