// Keyboard shortcuts and select-all for the moderation queue. Everything here also works
// without this script, through the forms and buttons on the page.
(function () {
  "use strict";
  const rows = Array.from(document.querySelectorAll("[data-queue-row]"));
  const selectAll = document.querySelector("[data-select-all]");
  const help = document.getElementById("shortcuts");
  const helpButton = document.querySelector("[data-shortcuts-help]");
  let current = -1;

  if (selectAll) {
    selectAll.addEventListener("change", function () {
      document.querySelectorAll("[data-row-check]").forEach(function (box) {
        box.checked = selectAll.checked;
      });
    });
  }
  function toggleHelp() {
    if (!help) return;
    help.hidden = !help.hidden;
    if (helpButton) helpButton.setAttribute("aria-expanded", String(!help.hidden));
  }
  if (helpButton) helpButton.addEventListener("click", toggleHelp);

  function focusRow(index) {
    if (!rows.length) return;
    current = Math.max(0, Math.min(rows.length - 1, index));
    rows.forEach(function (row, i) { row.classList.toggle("is-current", i === current); });
    rows[current].focus();
    rows[current].scrollIntoView({ block: "nearest" });
  }
  function press(key) {
    if (current < 0) return false;
    const target = rows[current].querySelector('[data-key="' + key + '"]');
    if (!target) return false;
    target.click();
    return true;
  }

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    const key = event.key;
    if (key === "?") { toggleHelp(); event.preventDefault(); return; }
    if (key === "j") { focusRow(current + 1); event.preventDefault(); return; }
    if (key === "k") { focusRow(current - 1); event.preventDefault(); return; }
    if (current < 0 && "asdrxe".indexOf(key) !== -1) focusRow(0);
    if (key === "x" && current >= 0) {
      const box = rows[current].querySelector("[data-row-check]");
      if (box) box.checked = !box.checked;
      event.preventDefault();
      return;
    }
    if (key === "r" && current >= 0) {
      const field = rows[current].querySelector('[data-key-field="r"]');
      if (field) { field.focus(); event.preventDefault(); }
      return;
    }
    if ("asde".indexOf(key) !== -1 && press(key)) event.preventDefault();
  });

  // Enter in a row's reason field rejects that comment.
  rows.forEach(function (row) {
    const field = row.querySelector('[data-key-field="r"]');
    if (!field) return;
    field.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        const reject = row.querySelector('button[value="reject"]');
        if (reject) reject.click();
      }
    });
  });
})();
