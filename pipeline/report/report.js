// referat inspect: the report's only script. It reads document text from data
// attributes (set from escaped titles) and writes it with textContent only.
(function () {
  "use strict";
  var tip = document.getElementById("tip");
  var boxes = Array.prototype.slice.call(document.querySelectorAll(".box"));
  var rows = Array.prototype.slice.call(document.querySelectorAll("aside tr[data-line], aside tr[data-item]"));
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
  // a table row: hover highlights its boxes, a click scrolls to the first one
  rows.forEach(function (r) {
    function mine(b) { return r.dataset.line ? b.dataset.line === r.dataset.line : b.dataset.item === r.dataset.item; }
    r.addEventListener("mouseenter", function () { boxes.forEach(function (b) { b.classList.toggle("hot", mine(b)); }); });
    r.addEventListener("mouseleave", function () { boxes.forEach(function (b) { b.classList.remove("hot"); }); });
    r.addEventListener("click", function () {
      var b = boxes.filter(mine)[0];
      if (!b) { return; }
      b.scrollIntoView({block: "center"});
      b.classList.add("flash");
      setTimeout(function () { b.classList.remove("flash"); }, 2500);
    });
  });
  // legend check boxes show and hide one kind
  Array.prototype.forEach.call(document.querySelectorAll("input[data-toggle]"), function (cb) {
    cb.addEventListener("change", function () { document.body.classList.toggle("hide-" + cb.dataset.toggle, !cb.checked); });
  });
  // where everything ended up on screen, for tests and for debugging (document coordinates)
  function rect(el) {
    var r = el.getBoundingClientRect();
    return {x: r.left + window.scrollX, y: r.top + window.scrollY, w: r.width, h: r.height};
  }
  function layout() {
    var pages = {};
    Array.prototype.forEach.call(document.querySelectorAll(".page"), function (p) {
      pages[p.dataset.page] = rect(p.querySelector("img"));
    });
    var out = boxes.map(function (b) {
      var r = rect(b);
      return {kind: b.dataset.kind, page: Number(b.dataset.page), line: Number(b.dataset.line),
              name: b.dataset.name || null, item: b.dataset.item ? Number(b.dataset.item) : null,
              x: r.x, y: r.y, w: r.w, h: r.h};
    });
    document.getElementById("layout").textContent = JSON.stringify({pages: pages, boxes: out});
  }
  if (document.readyState === "complete") { layout(); } else { window.addEventListener("load", layout); }
})();
