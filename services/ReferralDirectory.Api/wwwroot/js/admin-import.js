/*!
 * admin-import.js: keeps an import job's page current (/staff/admin/imports/{id}); the page works without it (its
 * "Refresh progress" link). Polls the job's JSON status on this origin, moves the <progress> bar and its words (an
 * aria-live region), and when the job is over puts the page's summary in place of the progress section. No third-party
 * requests, nothing stored.
 */
(function () {
  'use strict';
  function ready(fn) { if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn); }
  var INTERVAL_MS = 1000;

  ready(function () {
    var section = document.getElementById('import-job');
    if (!section || section.getAttribute('data-over') === 'true') return;
    var statusUrl = section.getAttribute('data-status-url');
    var pageUrl = section.getAttribute('data-page-url');
    var bar = document.getElementById('import-progress');
    var text = document.getElementById('import-progress-text');
    var refresh = section.querySelector('.import-refresh');
    if (refresh) refresh.hidden = true; // the script refreshes; the link is the fallback without it

    function fail() { if (refresh) refresh.hidden = false; }

    function show(status) {
      if (bar) {
        if (status.max === null || status.value === null) bar.removeAttribute('value');
        else { bar.max = status.max; bar.value = status.value; }
        bar.textContent = status.text;
      }
      if (text && text.textContent !== status.text) text.textContent = status.text;
    }

    // The finished page, from the server: its progress section (summary, problems) replaces this one.
    function finish() {
      fetch(pageUrl, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.text(); })
        .then(function (html) {
          var doc = new DOMParser().parseFromString(html, 'text/html');
          var next = doc.getElementById('import-job');
          if (!next || next.getAttribute('data-over') !== 'true') { setTimeout(poll, INTERVAL_MS); return; }
          section.replaceWith(document.importNode(next, true));
        })
        .catch(fail);
    }

    function poll() {
      fetch(statusUrl, { credentials: 'same-origin', headers: { Accept: 'application/json' }, cache: 'no-store' })
        .then(function (r) { if (!r.ok) throw new Error(String(r.status)); return r.json(); })
        .then(function (status) {
          show(status);
          if (status.over) finish(); else setTimeout(poll, INTERVAL_MS);
        })
        .catch(fail);
    }

    poll();
  });
})();
