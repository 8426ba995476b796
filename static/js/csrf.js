// Forms on pages kept in the full-page cache carry an empty CSRF field (data-csrf-fill) and a
// stamp of when the form was shown that is bound to no browser (data-stamp-fill="<form>"):
// fill both from /csrf/, which also sets the CSRF cookie, before the reader sends the form.
(function () {
  "use strict";
  const fields = document.querySelectorAll("input[data-csrf-fill]");
  const stamps = document.querySelectorAll("input[data-stamp-fill]");
  if ((!fields.length && !stamps.length) || !window.fetch) return;
  const query = new URLSearchParams();
  stamps.forEach(function (field) {
    const name = field.getAttribute("data-stamp-fill");
    if (!query.getAll("form").includes(name)) query.append("form", name);
  });
  const url = "/csrf/" + (stamps.length ? "?" + query.toString() : "");
  fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (!data || !data.token) return;
      fields.forEach(function (field) { field.value = data.token; });
      stamps.forEach(function (field) {
        const stamp = (data.stamps || {})[field.getAttribute("data-stamp-fill")];
        if (stamp) field.value = stamp;
      });
      document.documentElement.setAttribute("data-csrf-ready", "");
    })
    .catch(function () { /* the form still works: the server asks to confirm instead */ });
})();
