/*!
 * widget-demo.js: the landing page's partner snippet shows this service's own address, and a button copies it.
 * No dependencies, no cookies, no storage.
 */
(function () {
  'use strict';
  var code = document.querySelector('[data-widget-snippet]');
  if (!code) return;
  code.textContent = code.textContent.replace('https://this-directory.example.org', location.origin);
  var button = document.querySelector('[data-copy-snippet]');
  var status = document.querySelector('[data-copy-status]');
  if (!button) return;
  button.addEventListener('click', function () {
    var done = function () { if (status) status.textContent = button.getAttribute('data-copied') || 'Copied.'; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(code.textContent).then(done, function () { selectCode(); });
    } else {
      selectCode();
    }
  });
  function selectCode() {
    var range = document.createRange();
    range.selectNodeContents(code);
    var selection = window.getSelection();
    if (selection) { selection.removeAllRanges(); selection.addRange(range); }
  }
})();
