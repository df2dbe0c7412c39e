// referat inspect: the report's only script. It reads document text from data
// attributes (set from escaped titles) and writes it with textContent only.
(function () {
  "use strict";
  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  var tip = document.getElementById("tip");
  var boxes = all(".box");
  var rows = all("aside tr[data-line], aside tr[data-item]");

  // page images after the first few wait in data-src until their page comes near the screen
  var waiting = all("img[data-src]");
  function show(img) {
    if (!img.dataset.src) { return; }
    img.src = img.dataset.src;
    img.removeAttribute("data-src");
  }
  // a link into the report ("#page-5", "#item-3") shows the images of the page it lands on and of
  // its neighbours at once, without waiting for the observer to see them scroll near
  function showAround(id) {
    var target = id ? document.getElementById(id) : null;
    var section = target ? (target.closest ? target.closest("section.page") : null) : null;
    if (!section) { return; }
    [section.previousElementSibling, section, section.nextElementSibling].forEach(function (s) {
      var img = s && s.querySelector ? s.querySelector("img[data-src]") : null;
      if (img) { show(img); }
    });
  }
  showAround(decodeURIComponent(location.hash.slice(1)));
  window.addEventListener("hashchange", function () { showAround(decodeURIComponent(location.hash.slice(1))); });
  if ("IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (e) {
        if (e.isIntersecting) { show(e.target); seen.unobserve(e.target); }
      });
    }, {rootMargin: "1500px 0px"});
    waiting.forEach(function (img) { seen.observe(img); });
  } else {
    waiting.forEach(show);
  }

  // the native title tooltip gives way to our own (the title stays as a fallback without script)
  boxes.forEach(function (b) {
    if (b.hasAttribute("title")) { b.dataset.tip = b.getAttribute("title"); b.removeAttribute("title"); }
  });
  function mark(line, item) {
    rows.forEach(function (r) {
      var on = (line !== null && r.dataset.line === line) || (item !== null && r.dataset.item === item && !r.dataset.line);
      r.classList.toggle("hot", on);
    });
  }
  document.addEventListener("mouseover", function (e) {
    var b = e.target.closest ? e.target.closest(".box") : null;
    if (!b) { tip.hidden = true; mark(null, null); return; }
    tip.textContent = b.dataset.tip || "";
    tip.hidden = false;
    mark(b.dataset.line || null, b.dataset.item || null);
  });
  document.addEventListener("mousemove", function (e) {
    if (tip.hidden) { return; }
    var x = e.clientX + 14, y = e.clientY + 14;
    if (x + tip.offsetWidth > window.innerWidth) { x = Math.max(0, e.clientX - tip.offsetWidth - 10); }
    if (y + tip.offsetHeight > window.innerHeight) { y = Math.max(0, e.clientY - tip.offsetHeight - 10); }
    tip.style.left = x + "px";
    tip.style.top = y + "px";
  });
  function flash(b) {
    b.classList.add("flash");
    setTimeout(function () { b.classList.remove("flash"); }, 2500);
  }
  // a table row: hover highlights its boxes, a click scrolls to the first one
  rows.forEach(function (r) {
    function mine(b) { return r.dataset.line ? b.dataset.line === r.dataset.line : b.dataset.item === r.dataset.item; }
    r.addEventListener("mouseenter", function () { boxes.forEach(function (b) { b.classList.toggle("hot", mine(b)); }); });
    r.addEventListener("mouseleave", function () { boxes.forEach(function (b) { b.classList.remove("hot"); }); });
    r.addEventListener("click", function () {
      var b = boxes.filter(mine)[0];
      if (!b) { return; }
      b.scrollIntoView({block: "center"});
      flash(b);
    });
  });
  // a folded table cell unfolds (and folds again) without scrolling to the row's boxes
  all("td .more").forEach(function (button) {
    button.addEventListener("click", function (e) {
      e.stopPropagation();
      var open = button.parentNode.classList.toggle("open");
      button.textContent = open ? "less" : "more";
    });
  });
  // a warning's link lands on its page; the diagnostic box of its line flashes
  all(".issues a[data-line]").forEach(function (a) {
    a.addEventListener("click", function () {
      boxes.filter(function (b) { return b.dataset.kind === "diagnostic" && b.dataset.line === a.dataset.line; }).forEach(flash);
    });
  });
  // a table count opens its table
  all('.summary a[href^="#t-"]').forEach(function (a) {
    a.addEventListener("click", function () {
      var d = document.getElementById(a.getAttribute("href").slice(1));
      if (d) { d.open = true; }
    });
  });
  // wider tables: the pages give the side panel more room
  var widen = document.getElementById("widen");
  widen.addEventListener("click", function () {
    var on = document.body.classList.toggle("wide");
    widen.setAttribute("aria-pressed", on ? "true" : "false");
  });
  // legend check boxes show and hide one kind
  all("input[data-toggle]").forEach(function (cb) {
    cb.addEventListener("change", function () { document.body.classList.toggle("hide-" + cb.dataset.toggle, !cb.checked); });
  });

  // where everything ended up on screen, for tests and for debugging (document coordinates)
  function rect(el) {
    var r = el.getBoundingClientRect();
    return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height};
  }
  function tables() {
    var out = {};
    all("aside details.tbl").forEach(function (d) {
      var table = d.querySelector("table");
      if (!table || !d.open) { return; }
      var scroll = d.querySelector(".scroll");
      out[table.dataset.table] = {
        width: table.scrollWidth,
        room: scroll.clientWidth,
        tallest: Math.max.apply(null, all("tbody tr", table).map(function (r) { return r.getBoundingClientRect().height; })),
        cells: all("td", table).filter(function (td) { return td.dataset.col === "decision"; }).map(function (td) {
          var r = td.getBoundingClientRect(), s = scroll.getBoundingClientRect();
          return {right: r.right - s.left, clipped: td.scrollHeight > td.clientHeight + 1, text: td.textContent};
        })
      };
    });
    return out;
  }
  function timing() {
    var nav = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
    var paint = performance.getEntriesByType ? performance.getEntriesByType("paint") : [];
    var out = {script: performance.now()};
    if (nav) { out.domContentLoaded = nav.domContentLoadedEventEnd; out.load = nav.loadEventStart; }
    paint.forEach(function (p) { out[p.name] = p.startTime; });
    return out;
  }
  function layout() {
    var pages = {};
    all(".page").forEach(function (p) { pages[p.dataset.page] = rect(p.querySelector("img")); });
    var out = boxes.map(function (b) {
      var r = rect(b);
      return {kind: b.dataset.kind, page: Number(b.dataset.page), line: Number(b.dataset.line),
              name: b.dataset.name || null, item: b.dataset.item ? Number(b.dataset.item) : null,
              x: r.x, y: r.y, w: r.w, h: r.h};
    });
    var links = all('nav.jump a, .summary a[href^="#"]').map(function (a) {
      var target = document.getElementById(a.getAttribute("href").slice(1));
      return {href: a.getAttribute("href"), target: target ? rect(target) : null};
    });
    document.getElementById("layout").textContent = JSON.stringify({
      pages: pages, boxes: out, links: links, tables: tables(), timing: timing(),
      scroll: {x: window.scrollX, y: window.scrollY}, viewport: {w: window.innerWidth, h: window.innerHeight},
      nav: rect(document.querySelector("nav.jump")), aside: rect(document.querySelector("aside"))
    });
  }
  if (document.readyState === "complete") { layout(); } else { window.addEventListener("load", layout); }
})();
