// The review queue's keys: A accept, R reject, J/K next/previous (registry/review.html).
(function () {
  function items() { return Array.from(document.querySelectorAll('.wj-review-item:not(.wj-done)')); }
  function current() { return document.querySelector('.wj-review-item.wj-active') ; }
  function activate(el) {
    document.querySelectorAll('.wj-review-item.wj-active').forEach(function (x) { x.classList.remove('wj-active', 'border-primary'); });
    if (el) { el.classList.add('wj-active', 'border-primary'); el.scrollIntoView({block: 'nearest'}); }
  }
  function move(step) {
    var list = items(), cur = current(), i = list.indexOf(cur);
    activate(list[Math.min(Math.max(i + step, 0), list.length - 1)] || list[0]);
  }
  document.addEventListener('DOMContentLoaded', function () { activate(items()[0]); });
  document.addEventListener('htmx:afterSwap', function () { if (!current() || current().classList.contains('wj-done')) { activate(items()[0]); } });
  document.addEventListener('keydown', function (ev) {
    if (ev.target.closest('input, textarea, select')) { return; }
    var cur = current(); var key = ev.key.toLowerCase();
    if (key === 'j') { move(1); } else if (key === 'k') { move(-1); }
    else if (cur && (key === 'a' || key === 'r')) {
      var btn = cur.querySelector(key === 'a' ? '.wj-accept' : '.wj-reject'); if (btn) { btn.click(); }
    }
  });
})();
