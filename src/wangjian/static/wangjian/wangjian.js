// Behaviour the pages declare with data attributes, so that no page needs inline script
// (the Content-Security-Policy allows scripts from this site only).
//   <select data-autosubmit>            submits its form when changed
//   <form data-confirm="…">            asks before submitting
//   <form data-show-on-submit="#id">   un-hides an element (a progress bar) when submitted
(function () {
  document.addEventListener('change', function (ev) {
    var el = ev.target.closest('[data-autosubmit]');
    if (el && el.form) { el.form.submit(); }
  });
  document.addEventListener('submit', function (ev) {
    var form = ev.target;
    if (form.dataset.confirm && !window.confirm(form.dataset.confirm)) { ev.preventDefault(); return; }
    if (form.dataset.showOnSubmit) {
      var shown = document.querySelector(form.dataset.showOnSubmit);
      if (shown) { shown.classList.remove('d-none'); }
    }
  });
})();
