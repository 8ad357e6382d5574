/* sgconsole: progressive enhancement only. Every feature below has a no-JS path in the HTML,
 * so all handlers are delegated on document and survive partial page swaps. */
(function () {
  'use strict';

  // Mark JS as available at once so no-JS-only controls (.js-hide) disappear.
  document.documentElement.classList.add('js');

  const modified = (e) => e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey;
  const parse = (html) => new DOMParser().parseFromString(html, 'text/html');
  const fetchPage = (url) => fetch(url, { credentials: 'same-origin', headers: { 'X-Requested-With': 'fetch' } });

  // Replace every current element marked with data-<attr> by its namesake in the fetched doc.
  // A part missing from a page that has others was removed on the server, so remove it here too.
  // Returns false when the fetched page has none of the parts (not the page we expected).
  function replaceParts(doc, attr, keepFocused) {
    const fresh = new Map();
    doc.querySelectorAll('[' + attr + ']').forEach((el) => fresh.set(el.getAttribute(attr), el));
    const current = document.querySelectorAll('[' + attr + ']');
    if (current.length && ![...current].some((el) => fresh.has(el.getAttribute(attr)))) return false;
    current.forEach((el) => {
      if (keepFocused && el.contains(document.activeElement) && document.activeElement !== document.body) return;
      const next = fresh.get(el.getAttribute(attr));
      if (next) el.replaceWith(document.importNode(next, true));
      else el.remove();
    });
    return true;
  }

  // 2. Auto-submit: region selector and page size apply on change (the Switch/Apply buttons are no-JS only).
  document.addEventListener('change', (e) => {
    const sel = e.target;
    if (!(sel instanceof HTMLSelectElement) || !sel.hasAttribute('data-autosubmit') || !sel.form) return;
    if (sel.form.requestSubmit) sel.form.requestSubmit(); else sel.form.submit();
  });

  // 3. Flash dismiss: POST in the background, remove the flash, move focus like Cloudscape
  //    (next flash's dismiss button, else the page h1). Any failure falls back to the normal POST.
  document.addEventListener('submit', async (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('form.flash__dismiss')) return;
    e.preventDefault();
    try {
      // urlencoded, exactly what the no-JS form sends, so the server parses it the same way
      const res = await fetch(form.action, {
        method: 'POST', body: new URLSearchParams(new FormData(form)),
        credentials: 'same-origin', headers: { 'X-Requested-With': 'fetch' },
      });
      if (!res.ok) throw new Error('dismiss failed: ' + res.status);
    } catch (err) {
      form.submit();
      return;
    }
    const item = form.closest('li.flash') || form;
    let target = null;
    for (let n = item.nextElementSibling; n && !target; n = n.nextElementSibling) target = n.querySelector('.flash__dismiss-btn');
    for (let n = item.previousElementSibling; n && !target; n = n.previousElementSibling) target = n.querySelector('.flash__dismiss-btn');
    item.remove();
    if (!target) {
      target = document.querySelector('h1');
      if (target && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
    }
    if (target) target.focus();
  });

  // 4. Copy to clipboard: Clipboard API in secure contexts, execCommand fallback elsewhere (plain http).
  async function copyText(text, btn) {
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(text); return true; } catch (err) { /* try the fallback */ }
    }
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.className = 'visually-hidden';
    document.body.appendChild(ta);
    ta.select();
    let ok = false;
    try { ok = document.execCommand('copy'); } catch (err) { ok = false; }
    ta.remove();
    btn.focus();
    return ok;
  }
  async function onCopy(btn) {
    const src = document.getElementById(btn.dataset.copyTarget);
    if (!src) return;
    const ok = await copyText(src.textContent.trim(), btn);
    const done = (btn.closest('.copy') || btn.parentElement).querySelector('.copy__done');
    if (!done) return;
    done.textContent = ok ? (btn.dataset.copied || 'Copied') : 'Copy failed';
    done.classList.toggle('is-error', !ok);
    clearTimeout(done.sgTimer);
    done.sgTimer = setTimeout(() => { done.textContent = ''; }, 3000);
  }

  // 5. Dialogs: links to no-JS confirmation pages open the matching <dialog> instead.
  let dialogTriggerId = '';
  let dialogTrigger = null;
  function openDialog(link, e) {
    const dlg = document.getElementById(link.dataset.dialog);
    if (!dlg || typeof dlg.showModal !== 'function') return;
    e.preventDefault();
    dialogTrigger = link;
    dialogTriggerId = link.id;
    if (!dlg.open) dlg.showModal();
    const first = dlg.querySelector('[autofocus]') || dlg.querySelector('button, input:not([type="hidden"]), select, textarea, [href]');
    if (first) first.focus();
  }
  // 'close' does not bubble: listen in the capture phase. Return focus to the trigger (or its swapped twin).
  document.addEventListener('close', (e) => {
    if (!(e.target instanceof HTMLDialogElement)) return;
    const back = (dialogTrigger && dialogTrigger.isConnected) ? dialogTrigger : (dialogTriggerId && document.getElementById(dialogTriggerId));
    if (back) back.focus();
    dialogTrigger = null;
  }, true);

  // 6. Row selection without a full reload: fetch the selected state and swap the marked parts.
  let shownPath = location.pathname + location.search;
  async function swapTo(href, focusId) {
    let doc;
    try {
      const res = await fetchPage(href);
      if (!res.ok || res.redirected) throw new Error('swap failed: ' + res.status);
      doc = parse(await res.text());
      if (!replaceParts(doc, 'data-swap-id', false)) throw new Error('swap: unexpected page');
    } catch (err) {
      location.href = href;
      return;
    }
    document.body.dataset.pending = doc.body.dataset.pending || 'false';
    if (doc.title) document.title = doc.title;
    history.pushState({}, '', href);
    shownPath = location.pathname + location.search;
    const again = focusId && document.getElementById(focusId);
    if (again) again.focus();
    schedulePoll();
  }
  // panel.js filters the Security Groups list through the same swap, so the filter keeps focus.
  window.sgconsoleSwap = swapTo;
  // Back/Forward across swapped states: let the server render the right one.
  window.addEventListener('popstate', () => {
    if (location.pathname + location.search !== shownPath) location.reload();
  });

  // One click listener for copy, dialogs and selection.
  document.addEventListener('click', (e) => {
    if (!(e.target instanceof Element)) return;
    const copyBtn = e.target.closest('button[data-copy-target]');
    if (copyBtn) { onCopy(copyBtn); return; }

    const closer = e.target.closest('[data-close-dialog]');
    if (closer && closer.closest('dialog')) { e.preventDefault(); closer.closest('dialog').close(); return; }

    // a click on the backdrop lands on the <dialog> itself, outside its box
    if (e.target instanceof HTMLDialogElement && e.target.open) {
      const r = e.target.getBoundingClientRect();
      if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) e.target.close();
      return;
    }

    const link = e.target.closest('a[data-dialog]');
    if (link && !modified(e)) { openDialog(link, e); return; }

    const swap = e.target.closest('a.select-box, a[data-swap]');
    if (swap && !modified(e) && swap.href) { e.preventDefault(); swapTo(swap.href, swap.id); }
  });

  // Links with role=checkbox must toggle on Space like a real checkbox.
  document.addEventListener('keydown', (e) => {
    if (e.key !== ' ' || !(e.target instanceof HTMLAnchorElement) || e.target.getAttribute('role') !== 'checkbox') return;
    e.preventDefault();
    e.target.click();
  });

  // 7. Live refresh while an authorization is pending: poll every 3 s, swap [data-live-id] parts,
  //    skip the part holding focus, pause in background tabs, stop once nothing is pending.
  let pollTimer = 0;
  function schedulePoll() {
    if (pollTimer || document.body.dataset.pending !== 'true') return;
    pollTimer = setTimeout(poll, 3000);
  }
  async function poll() {
    pollTimer = 0;
    if (document.body.dataset.pending !== 'true' || document.hidden) return; // visibilitychange resumes
    const url = location.href;
    try {
      const res = await fetchPage(url);
      if (res.ok && !res.redirected && url === location.href) {
        const doc = parse(await res.text());
        if (url === location.href && replaceParts(doc, 'data-live-id', true)) {
          document.body.dataset.pending = doc.body.dataset.pending || 'false';
        }
      }
    } catch (err) { /* network blip: try again on the next tick */ }
    schedulePoll();
  }
  document.addEventListener('visibilitychange', () => { if (!document.hidden) schedulePoll(); });
  schedulePoll();

  // 8. After a failed submit the server re-renders the form: put the cursor in the first invalid field.
  const invalid = document.querySelector('.input--invalid');
  if (invalid) invalid.focus();
})();

/* Issue 8: guided labs and the workshop dashboard. A lab page and an open dashboard poll a small
 * JSON endpoint and update their marks in place; without JavaScript a reload shows the same. */
(function () {
  'use strict';

  async function getJSON(url) {
    const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json', 'X-Requested-With': 'fetch' } });
    if (!res.ok || res.redirected) throw new Error('poll failed: ' + res.status);
    return res.json();
  }

  // every runs fn every ms while the tab is visible; a failed poll just waits for the next tick.
  function every(ms, fn) {
    let timer = 0;
    const schedule = () => { if (!timer) timer = setTimeout(tick, ms); };
    async function tick() {
      timer = 0;
      if (document.hidden) return; // visibilitychange resumes
      try { await fn(); } catch (err) { /* network blip or signed out: try again later */ }
      schedule();
    }
    document.addEventListener('visibilitychange', () => { if (!document.hidden) schedule(); });
    schedule();
  }

  const stepLabels = { done: 'Done', pending: 'In progress', todo: 'Not done yet' };

  // 1. A lab's page: marks, the "what the check looks for" note, the count, and an announcement
  //    for every step that turns done.
  const steps = document.querySelector('[data-lab-progress]');
  if (steps) {
    const announcer = document.querySelector('[data-lab-announcer]');
    every(3000, async () => {
      const data = await getJSON(steps.getAttribute('data-lab-progress'));
      const said = [];
      data.steps.forEach((s) => {
        const el = steps.querySelector('[data-step="' + s.number + '"]');
        if (!el) return;
        const state = s.state === 'done' ? 'done' : 'todo';
        const was = el.getAttribute('data-step-state');
        el.setAttribute('data-step-state', state);
        if (s.state === 'pending') el.setAttribute('data-step-pending', 'true');
        else el.removeAttribute('data-step-pending');
        const label = el.querySelector('[data-step-label]');
        if (label) label.textContent = stepLabels[s.state] || stepLabels.todo;
        const detail = el.querySelector('[data-step-detail]');
        if (detail) {
          detail.hidden = state === 'done';
          const text = detail.querySelector('[data-step-detail-text]');
          if (text) text.textContent = state === 'done' ? '' : (s.detail || '');
        }
        if (was !== 'done' && state === 'done') said.push('Step ' + s.number + ' done: ' + s.title + '.');
      });
      document.querySelectorAll('[data-lab-count]').forEach((el) => { el.textContent = data.text; });
      const bar = document.querySelector('[data-lab-bar]');
      if (bar) bar.value = data.done;
      const complete = data.total > 0 && data.done === data.total;
      const banner = document.querySelector('[data-lab-complete]');
      if (banner) banner.classList.toggle('is-hidden', !complete);
      if (said.length && announcer) announcer.textContent = said.join(' ') + (complete ? ' Lab complete.' : '');
    });
  }

  // 2. The instructor's dashboard: every cell, the totals and the last activity of each trainee.
  function setCell(td, s) {
    const state = s === 'd' ? 'done' : 'todo';
    const pending = s === 'p';
    if (td.getAttribute('data-step-state') === state && td.hasAttribute('data-step-pending') === pending) return;
    td.setAttribute('data-step-state', state);
    if (pending) td.setAttribute('data-step-pending', 'true');
    else td.removeAttribute('data-step-pending');
    td.classList.toggle('cell--done', s === 'd');
    td.classList.toggle('cell--pending', pending);
    td.textContent = '';
    if (s === 'd' || pending) {
      const label = document.createElement('span');
      label.className = 'visually-hidden';
      label.textContent = s === 'd' ? 'done' : 'in progress';
      td.appendChild(label);
    }
  }
  const grid = document.querySelector('[data-dashboard-progress]');
  if (grid) {
    every(5000, async () => {
      const data = await getJSON(grid.getAttribute('data-dashboard-progress'));
      const totals = grid.querySelectorAll('[data-total]');
      totals.forEach((el, i) => { if (data.columns[i] === el.getAttribute('data-total')) el.textContent = data.totals[i]; });
      const rows = new Map();
      grid.querySelectorAll('tr[data-trainee]').forEach((tr) => rows.set(tr.getAttribute('data-trainee'), tr));
      data.rows.forEach((r) => {
        const tr = rows.get(r.username);
        if (!tr) return;
        const activity = tr.querySelector('[data-activity]');
        if (activity) activity.textContent = r.last_activity;
        const cells = tr.querySelectorAll('td[data-step-state]');
        for (let i = 0; i < cells.length && i < r.states.length; i++) setCell(cells[i], r.states[i]);
      });
    });
  }

  // 3. One confirmation dialog shared by many rows (resetting a trainee's sandbox): the link names
  //    the form's action and the trainee; without JavaScript it leads to a confirmation page.
  document.addEventListener('click', (e) => {
    if (!(e.target instanceof Element)) return;
    const link = e.target.closest('a[data-shared-dialog]');
    if (!link || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const dlg = document.getElementById(link.dataset.sharedDialog);
    const form = dlg && dlg.querySelector('form[data-dialog-form]');
    if (!form || typeof dlg.showModal !== 'function') return;
    e.preventDefault();
    form.action = link.dataset.dialogAction;
    dlg.querySelectorAll('[data-dialog-name-text]').forEach((el) => { el.textContent = link.dataset.dialogName || ''; });
    if (!dlg.open) dlg.showModal();
    const first = dlg.querySelector('[autofocus]');
    if (first) first.focus();
    dlg.addEventListener('close', () => { if (link.isConnected) link.focus(); }, { once: true });
  });
})();
