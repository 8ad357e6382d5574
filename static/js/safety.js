/* sgconsole: safety. Typed confirmations of deletes, and in-progress flashes that turn into
 * success once the page's poll finds nothing pending. Both work without this file: the server
 * checks the typed word, and the noscript refresh reloads the page. */
(function () {
  'use strict';

  // 1. Typed confirmation: the form's action button stays disabled until the field holds the word
  //    (any case, spaces around ignored), so Enter in the field does nothing either.
  function syncConfirm(input) {
    const form = input.form;
    if (!form) return;
    const ok = input.value.trim().toLowerCase() === (input.dataset.confirmWord || 'confirm').toLowerCase();
    form.querySelectorAll('button[type="submit"]').forEach((btn) => { btn.disabled = !ok; });
  }
  const syncAll = (root) => root.querySelectorAll('input[data-confirm-word]').forEach(syncConfirm);
  syncAll(document);
  document.addEventListener('input', (e) => {
    if (e.target instanceof HTMLInputElement && e.target.hasAttribute('data-confirm-word')) syncConfirm(e.target);
  });
  // A dialog swapped in with the split panel is synced when it opens (focus lands in its field).
  document.addEventListener('focusin', (e) => {
    const dlg = e.target instanceof Element && e.target.closest('dialog');
    if (dlg) syncAll(dlg);
  });
  // Opening a dialog starts it afresh: an earlier, cancelled attempt's word does not carry over.
  document.addEventListener('close', (e) => {
    if (!(e.target instanceof HTMLDialogElement)) return;
    e.target.querySelectorAll('input[data-confirm-word]').forEach((input) => { input.value = ''; syncConfirm(input); });
  }, true);

  // 2. In-progress flashes: app.js's poll updates body[data-pending]; once it is false the work
  //    is done, and the flash says so in place (its live region announces the new text).
  function settle() {
    if (document.body.dataset.pending === 'true') return;
    document.querySelectorAll('li.flash[data-flash-kind="in-progress"]').forEach((li) => {
      const done = li.getAttribute('data-done-text');
      li.setAttribute('data-flash-kind', done ? 'success' : 'info');
      li.classList.remove('flash--in-progress', 'flash--info');
      li.classList.add(done ? 'flash--success' : 'flash--info');
      li.removeAttribute('data-done-text');
      li.querySelectorAll('[data-flash-icon]').forEach((icon) => {
        icon.hidden = icon.getAttribute('data-flash-icon') !== 'success' || !done;
      });
      const body = li.querySelector('.flash__body');
      if (body) body.setAttribute('role', 'status');
      const text = li.querySelector('[data-flash-text]');
      if (text && done) text.textContent = done;
    });
  }
  new MutationObserver(settle).observe(document.body, { attributes: true, attributeFilter: ['data-pending'] });
  settle();
})();
