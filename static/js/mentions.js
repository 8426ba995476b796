// "@" in a comment box suggests the readers of the discussion: typing "@" and the start of a
// name asks the textarea's data-mentions URL for matching display names and lists them under
// the box; a click, Enter or Tab puts the chosen name in, Escape closes the list. Without
// JavaScript nothing changes: "@" and a reader's name still mention them once posted.
(function () {
  "use strict";
  if (window.paddockMentions || !window.fetch) return;
  window.paddockMentions = true;
  const MAX_NAME = 30;
  let list = null, box = null, start = -1, active = -1, timer = null, asked = "";

  function mayStart(text, at) {
    return at === 0 || !/[\p{L}\p{N}@._\-\/+]/u.test(text.charAt(at - 1));
  }

  // The "@" the caret is typing a name after: its position, and the typed part of the name.
  function typed(area) {
    const caret = area.selectionStart, text = area.value;
    if (caret !== area.selectionEnd) return null;
    const from = Math.max(0, caret - MAX_NAME - 1);
    const at = text.lastIndexOf("@", caret - 1);
    if (at < from || !mayStart(text, at)) return null;
    const query = text.slice(at + 1, caret);
    if (/[\n@]/.test(query) || /^\s/.test(query) || /\s\s/.test(query)) return null;
    return { at: at, query: query };
  }

  function close() {
    if (list) list.remove();
    if (box) {
      box.setAttribute("aria-expanded", "false");
      box.removeAttribute("aria-activedescendant");
    }
    list = null; active = -1; start = -1;
  }

  function highlight(index) {
    const options = list ? list.querySelectorAll("[role=option]") : [];
    if (!options.length) return;
    active = (index + options.length) % options.length;
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === active ? "true" : "false");
    });
    box.setAttribute("aria-activedescendant", options[active].id);
  }

  function choose(name) {
    const caret = box.selectionStart, text = box.value;
    const before = text.slice(0, start) + "@" + name + " ";
    box.value = before + text.slice(caret).replace(/^ /, "");
    box.setSelectionRange(before.length, before.length);
    close();
    box.focus();
  }

  function show(area, at, names) {
    close();
    if (!names.length) return;
    box = area; start = at;
    list = document.createElement("ul");
    list.className = "mention-list";
    list.id = area.id + "-mentions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "Readers in this discussion");
    names.forEach(function (name, i) {
      const option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.setAttribute("role", "option");
      option.textContent = name; // a name is text, never markup
      option.addEventListener("mousedown", function (event) {
        event.preventDefault(); // keep the focus in the box
        choose(name);
      });
      list.appendChild(option);
    });
    area.setAttribute("aria-controls", list.id);
    area.setAttribute("aria-expanded", "true");
    area.insertAdjacentElement("afterend", list);
    highlight(0);
  }

  function ask(area) {
    const found = typed(area);
    if (!found) { close(); return; }
    const key = area.id + "\u0000" + found.at + "\u0000" + found.query;
    asked = key;
    const url = area.getAttribute("data-mentions") + "?q=" + encodeURIComponent(found.query);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { names: [] }; })
      .then(function (data) {
        if (asked !== key || document.activeElement !== area) return; // typed on since
        show(area, found.at, (data && data.names) || []);
      })
      .catch(close);
  }

  document.addEventListener("input", function (event) {
    const area = event.target;
    if (!(area instanceof HTMLTextAreaElement) || !area.hasAttribute("data-mentions")) return;
    area.setAttribute("aria-autocomplete", "list");
    clearTimeout(timer);
    timer = setTimeout(function () { ask(area); }, 150);
  });

  document.addEventListener("keydown", function (event) {
    if (!list || event.target !== box) return;
    const options = list.querySelectorAll("[role=option]");
    if (event.key === "ArrowDown") { highlight(active + 1); event.preventDefault(); }
    else if (event.key === "ArrowUp") { highlight(active - 1); event.preventDefault(); }
    else if ((event.key === "Enter" || event.key === "Tab") && options[active]) {
      event.preventDefault();
      choose(options[active].textContent);
    } else if (event.key === "Escape") { close(); event.preventDefault(); }
  });

  document.addEventListener("focusout", function (event) {
    if (event.target === box) setTimeout(close, 0);
  });
})();
