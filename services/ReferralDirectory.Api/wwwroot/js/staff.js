/*!
 * staff.js: small enhancements of the staff pages (they work without it). No third-party requests.
 *  - Referral sheet: the client note stays in this page only (it has no name and is in no form, so it is never sent);
 *    it is mirrored into the printed sheet and appended to the "copy to case file" text.
 *  - "Copy text" copies the case-file text to the clipboard; "Print" opens the print dialog.
 */
(function () {
  'use strict';
  function ready(fn) { if (document.readyState !== 'loading') fn(); else document.addEventListener('DOMContentLoaded', fn); }
  ready(function () {
    var note = document.getElementById('client-note');
    var notePrint = document.getElementById('client-note-print');
    var text = document.getElementById('case-file-text');
    var base = text ? text.value : '';
    function caseFileText() {
      var n = note && note.value.trim();
      var heading = (text && text.getAttribute('data-note-heading')) || 'Note';
      return n ? base + '\n' + heading + '\n  ' + n.replace(/\n/g, '\n  ') + '\n' : base;
    }
    if (note) {
      note.addEventListener('input', function () {
        if (notePrint) notePrint.textContent = note.value;
        if (text) text.value = caseFileText();
      });
    }
    var copy = document.getElementById('copy-case-file');
    var status = document.getElementById('copy-status');
    if (copy && text) {
      copy.addEventListener('click', function () {
        var value = caseFileText();
        var done = function () { if (status) status.textContent = copy.getAttribute('data-copied') || 'Copied.'; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(value).then(done, function () { text.select(); document.execCommand('copy'); done(); });
        } else { text.select(); document.execCommand('copy'); done(); }
      });
    }
    var print = document.getElementById('print-sheet');
    if (print) print.addEventListener('click', function () { window.print(); });
  });
})();
