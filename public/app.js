// Progressive enhancement only: every form works without this file.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  // htmx requests carry the CSRF token as a header too (forms also send it as the _csrf field).
  document.addEventListener('htmx:config:request', function (evt) {
    if (meta) evt.detail.ctx.request.headers['X-CSRF-Token'] = meta.content;
  });
  // GOV.UK pattern: move focus to the error summary when a page loads with errors.
  document.addEventListener('DOMContentLoaded', function () {
    var summary = document.querySelector('.error-summary');
    if (summary) summary.focus();
  });
})();
