// Forms on pages kept in the full-page cache carry an empty CSRF field (data-csrf-fill):
// fill it from /csrf/, which also sets the CSRF cookie, before the reader sends the form.
(function () {
  "use strict";
  const fields = document.querySelectorAll("input[data-csrf-fill]");
  if (!fields.length || !window.fetch) return;
  fetch("/csrf/", { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data || !data.token) return;
      fields.forEach(function (field) { field.value = data.token; });
    })
    .catch(function () { /* the form still works: the server asks to confirm instead */ });
})();
