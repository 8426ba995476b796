// The discussion under an article, for readers with scripts on. Without this script the page
// works as it always has: a reader reloads to see new comments.
//
// - New comments arrive while the page is open. Every reader of an article asks the same URL
//   (data-live, sent without cookies), which the page cache and nginx keep for a second or
//   two; what this page lacks waits behind a "3 new comments" button, which puts them in
//   place, replies under their parents, without moving what the reader is reading. A
//   signed-in reader (data-live-personal) then fetches those comments rendered for them.
// - Focus follows the reader: into the reply box after "Reply", onto their comment after
//   posting it. A polite live region says what happened and what arrived.
(function () {
  "use strict";
  const section = document.getElementById("comments");
  const list = document.getElementById("comment-list");
  if (!section || !list) return;

  const status = document.createElement("div");
  status.id = "discussion-status";
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  section.appendChild(status);
  let announcing = 0;
  function announce(text) {
    // Emptied first, so the same words said twice are said again.
    status.textContent = "";
    clearTimeout(announcing);
    announcing = setTimeout(function () { status.textContent = text; }, 60);
  }

  function plural(n, word) { return n + " " + word + (n === 1 ? "" : "s"); }

  function setCount(n) {
    const count = document.getElementById("comment-count");
    if (!count) return;
    count.textContent = String(n);
    const rest = count.nextSibling;
    if (rest && rest.nodeType === Node.TEXT_NODE) {
      rest.textContent = rest.textContent.replace(/^ Comments?/, n === 1 ? " Comment" : " Comments");
    }
    const meta = section.querySelector('meta[itemprop="commentCount"]');
    if (meta) meta.setAttribute("content", String(n));
  }

  function focusComment(id) {
    const box = document.getElementById("c-" + id);
    if (!box) return false;
    box.setAttribute("tabindex", "-1");
    box.focus({ preventScroll: true });
    return true;
  }

  // --- Focus after htmx swaps ------------------------------------------------------------
  const POST_PATH = /\/comments\/articles\/\d+\/post\/$/;
  document.body.addEventListener("htmx:afterSettle", function (event) {
    const detail = event.detail || {};
    const target = detail.target;
    const verb = detail.requestConfig && detail.requestConfig.verb;
    const path = (detail.pathInfo && detail.pathInfo.requestPath) || "";
    if (!target || !target.id) return;
    if (verb === "get" && target.id.indexOf("reply-slot-") === 0) {
      // "Reply" (or "Report") opened a form under the comment: the reader types there next.
      const field = target.querySelector("textarea, .report-form input[type=radio]");
      if (field) field.focus();
      return;
    }
    const xhr = detail.xhr;
    if (verb !== "post" || !POST_PATH.test(path.split("?")[0]) || !xhr || xhr.status >= 300) return;
    if (target.id !== "comment-list" && target.id.indexOf("replies-") !== 0) return;
    const match = /<li id="comment-(\d+)"/.exec(xhr.responseText || "");
    if (!match || !focusComment(match[1])) return;
    const box = document.getElementById("c-" + match[1]);
    box.scrollIntoView({ block: "nearest" });
    const what = target.id === "comment-list" ? "comment" : "reply";
    announce(box.classList.contains("comment__box--held")
      ? "Your " + what + " was posted. A moderator will look at it before others see it."
      : "Your " + what + " was posted.");
  });

  // --- New comments while the page is open ---------------------------------------------
  const liveUrl = section.getAttribute("data-live");
  if (!liveUrl || !window.fetch) return;
  const personal = section.hasAttribute("data-live-personal");
  let delay = 5000;
  let maxDepth = 5;
  let version = null;
  let latestCount = null;
  let pending = [];

  const button = document.createElement("button");
  button.type = "button";
  button.className = "button live-button";
  button.id = "live-button";
  const heading = document.getElementById("comments-heading");
  // In the page only while comments wait (it floats: showing it moves nothing), after the
  // heading, where the keyboard finds it.
  function showButton(text) {
    button.textContent = text;
    if (!button.isConnected) {
      (heading || list).insertAdjacentElement(heading ? "afterend" : "beforebegin", button);
    }
  }
  function hideButton() { button.remove(); }

  function known(id) { return document.getElementById("comment-" + id) !== null; }

  function depthOf(li) {
    const match = /\bcomment--d(\d+)\b/.exec(li.className);
    return match ? Number(match[1]) : 0;
  }

  // Where a new top-level comment goes in this view of the discussion, or null when it
  // belongs on another page of it (the count still says it is there).
  function topPlace() {
    const sort = list.getAttribute("data-sort");
    if (sort === "newest") return list.getAttribute("data-page") === "1" ? "afterbegin" : null;
    if (sort === "featured" || document.getElementById("load-more")) return null;
    return "beforeend";
  }

  function place(item) {
    if (!item.parent) {
      const where = topPlace();
      return where ? { list: list, where: where } : null;
    }
    let li = document.getElementById("comment-" + item.parent);
    if (!li) return null;
    // As the thread shows them: replies deeper than the limit hang under their ancestor there.
    while (depthOf(li) >= maxDepth) {
      const up = li.parentElement && li.parentElement.closest("li.comment");
      if (!up) break;
      li = up;
    }
    const replies = document.getElementById("replies-" + li.id.slice("comment-".length));
    return replies ? { list: replies, where: "beforeend" } : null;
  }

  // The comments this page lacks and can show, oldest first (a reply to one of them too).
  function showable(items) {
    const coming = new Set();
    return items.filter(function (item) {
      if (known(item.id) || coming.has(item.id)) return false;
      const fits = item.parent ? known(item.parent) || coming.has(item.parent) : topPlace() !== null;
      if (fits) coming.add(item.id);
      return fits;
    });
  }

  function receive(data) {
    delay = Math.max(1000, (Number(data.poll) || 5) * 1000);
    maxDepth = Number(data.max_depth) || maxDepth;
    if (data.version === version) return;
    version = data.version;
    latestCount = data.count;
    const fresh = new Set(data.comments.map(function (item) { return item.id; }));
    // The latest comments, oldest first: a waiting one they no longer list, though they list
    // every comment or older ones than it, was held or deleted since, and is not shown.
    const everyOne = data.comments.length >= data.count;
    const oldest = Math.min.apply(null, data.comments.map(function (item) { return item.id; }));
    const before = pending.length;
    pending = showable(pending.filter(function (item) {
      return !fresh.has(item.id) && !everyOne && item.id < oldest;
    }).concat(data.comments));
    if (!pending.length) {
      hideButton();
      setCount(latestCount);
      return;
    }
    showButton(plural(pending.length, "new comment"));
    if (pending.length !== before) announce(button.textContent);
  }

  // The element in the middle of the window: whatever is inserted above it, it stays put.
  function readingPoint() {
    const element = document.elementFromPoint(window.innerWidth / 2, window.innerHeight / 2);
    return element && element !== button ? element : null;
  }

  function insert(items) {
    const anchor = readingPoint();
    const top = anchor ? anchor.getBoundingClientRect().top : 0;
    // The browser's own scroll anchoring (where there is one) is off while this page keeps
    // the reader's place itself.
    const scrollers = [document.documentElement, document.body];
    const anchoring = scrollers.map(function (element) {
      const value = element.style.getPropertyValue("overflow-anchor");
      const priority = element.style.getPropertyPriority("overflow-anchor");
      element.style.setProperty("overflow-anchor", "none", "important");
      return [element, value, priority];
    });
    const added = [];
    items.forEach(function (item) {
      if (known(item.id)) return;
      const spot = place(item);
      if (!spot) return;
      spot.list.insertAdjacentHTML(spot.where, item.html);
      const li = document.getElementById("comment-" + item.id);
      if (!li) return;
      li.classList.add("comment--new");
      if (window.htmx) window.htmx.process(li);
      added.push(li);
    });
    if (anchor && anchor.isConnected) {
      const shift = anchor.getBoundingClientRect().top - top;
      if (shift) window.scrollBy(0, shift);
    }
    requestAnimationFrame(function () {
      requestAnimationFrame(function () {
        anchoring.forEach(function (saved) {
          saved[0].style.setProperty("overflow-anchor", saved[1], saved[2]);
        });
      });
    });
    if (latestCount !== null) setCount(latestCount);
    hideButton();
    if (added.length) {
      focusComment(added[0].id.slice("comment-".length));
      announce(plural(added.length, "new comment") + " shown.");
    }
  }

  button.addEventListener("click", function () {
    const items = pending;
    pending = [];
    if (!personal || !items.length) {
      insert(items);
      return;
    }
    // A signed-in reader gets them as they see them: their votes, Edit or Report.
    const ids = items.map(function (item) { return item.id; }).join(",");
    fetch(liveUrl + "?ids=" + ids, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { insert(items); return; }
        const mine = new Map(data.comments.map(function (item) { return [item.id, item]; }));
        insert(items.filter(function (item) { return mine.has(item.id); })
          .map(function (item) { return mine.get(item.id); }));
      })
      .catch(function () { insert(items); });
  });

  function schedule() {
    setTimeout(poll, delay * (0.9 + Math.random() * 0.2));
  }

  function poll() {
    if (document.hidden) { schedule(); return; }
    fetch(liveUrl, { credentials: "omit", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404) return "gone";
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        if (data === "gone") return;  // unpublished: nothing more will arrive here
        if (data) receive(data);
        schedule();
      })
      .catch(schedule);
  }
  poll();
})();
