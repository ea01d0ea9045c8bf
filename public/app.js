// Progressive enhancement only: every form works without this file.
(function () {
  'use strict';
  // With JavaScript, forms that save on change (class "autosave", and each license radio group) need no "Save"
  // button: app.css hides it under html.js. This file runs in <head>, before the page is painted, so the button
  // never flashes; if htmx did not load (it is deferred, so it has run by DOMContentLoaded), the buttons come back.
  var root = document.documentElement;
  root.classList.add('js');
  document.addEventListener('DOMContentLoaded', function () {
    if (!window.htmx) root.classList.remove('js');
  });
  var meta = document.querySelector('meta[name="csrf-token"]');
  // htmx requests carry the CSRF token as a header too (forms also send it as the _csrf field).
  document.addEventListener('htmx:config:request', function (evt) {
    if (meta) evt.detail.ctx.request.headers['X-CSRF-Token'] = meta.content;
  });
  // When the server refuses a change (4xx), the form it sends back shows what is saved; but a morph swap only
  // updates the `checked` attribute and keeps the checked state the person clicked, so a refused switch or
  // radio would still look changed. Make those controls show the server's answer. (On success the state the
  // person set is kept: a later change may still be on its way.)
  // If the answer disabled the focused control, focus would fall to <body>: move it to the error summary.
  document.addEventListener('htmx:after:swap', function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    var form = ctx && ctx.target;
    var refused = ctx && ctx.response && ctx.response.status >= 400;
    if (refused && form && form.isConnected && form.tagName === 'FORM' && /morph/i.test(String(ctx.swap))) {
      var inputs = form.querySelectorAll('input[type="checkbox"], input[type="radio"]');
      for (var i = 0; i < inputs.length; i++) inputs[i].checked = inputs[i].defaultChecked;
    }
    // htmx has focused a swapped-in [autofocus] element by now: the attribute has done its work. Dropped, so that
    // the next swap's autofocus is the page's only one (two are invalid HTML).
    var focusers = document.querySelectorAll('[autofocus]');
    for (var j = 0; j < focusers.length; j++) focusers[j].removeAttribute('autofocus');
    var active = document.activeElement;
    if (!active || active === document.body || active.disabled) {
      var summary = document.querySelector('#error-summary-slot .error-summary');
      if (summary) summary.focus();
    }
  });
  // GOV.UK pattern: move focus to the error summary when a page loads with errors.
  document.addEventListener('DOMContentLoaded', function () {
    var summary = document.querySelector('.error-summary');
    if (summary) summary.focus();
  });
})();
