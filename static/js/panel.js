/* sgconsole: panel — the Security Groups split panel docked to the bottom of the window, focus that
 * follows the work after every POST-redirect, the list filter that keeps focus, and the authorize
 * form's EC2 group autosuggest. Progressive enhancement: every part has a no-JS path in the HTML
 * (the panel below the table with an #split-panel anchor, #flash and #ec2-row-… anchors, a GET
 * filter form, a <datalist>). Handlers are delegated on document and survive partial page swaps. */
(function () {
  'use strict';

  const root = document.documentElement;
  const phone = window.matchMedia('(max-width: 687px)');
  const store = {
    get(k) { try { return window.localStorage.getItem(k); } catch (err) { return null; } },
    set(k, v) { try { window.localStorage.setItem(k, v); } catch (err) { /* private mode: not remembered */ } },
  };
  const KEY_HEIGHT = 'sgconsole.splitPanel.height';
  const KEY_COLLAPSED = 'sgconsole.splitPanel.collapsed';
  const MIN_HEIGHT = 160;

  // ---------- 1. The split panel, docked to the bottom of the window ----------
  const panelEl = () => document.querySelector('.split-panel');
  const docked = () => !phone.matches;
  const maxHeight = () => Math.max(MIN_HEIGHT, window.innerHeight - 96);
  const clamp = (h) => Math.round(Math.min(maxHeight(), Math.max(MIN_HEIGHT, h)));
  const percent = (h) => Math.round((h / window.innerHeight) * 100);
  function storedHeight() {
    const h = parseInt(store.get(KEY_HEIGHT) || '', 10);
    return clamp(Number.isFinite(h) ? h : window.innerHeight * 0.5);
  }
  const collapsed = () => store.get(KEY_COLLAPSED) === 'true';

  // layout sizes and places the panel over the content column and pads the page by its height, so
  // nothing of the table is hidden behind it.
  function layout() {
    const panel = panelEl();
    const main = document.getElementById('main');
    root.classList.toggle('has-split-panel', !!panel);
    if (!panel) {
      if (main) main.style.paddingBottom = '';
      return;
    }
    const isCollapsed = collapsed();
    const h = storedHeight();
    panel.classList.toggle('is-collapsed', isCollapsed);
    const body = panel.querySelector('.split-panel__body');
    if (body) body.hidden = isCollapsed;
    const toggle = panel.querySelector('.split-panel__toggle');
    if (toggle) {
      toggle.setAttribute('aria-expanded', String(!isCollapsed));
      toggle.setAttribute('aria-label', isCollapsed ? 'Expand the details panel' : 'Collapse the details panel');
    }
    const handle = panel.querySelector('.split-panel__resize');
    if (handle) {
      handle.setAttribute('aria-valuemin', String(percent(MIN_HEIGHT)));
      handle.setAttribute('aria-valuemax', String(percent(maxHeight())));
      handle.setAttribute('aria-valuenow', String(percent(h)));
      handle.setAttribute('aria-valuetext', percent(h) + '% of the window');
      handle.hidden = isCollapsed;
    }
    if (!docked()) {
      panel.style.left = panel.style.width = panel.style.height = '';
      if (main) main.style.paddingBottom = '';
      return;
    }
    panel.style.height = isCollapsed ? '' : h + 'px';
    if (main) {
      const r = main.getBoundingClientRect();
      panel.style.left = r.left + 'px';
      panel.style.width = r.width + 'px';
      main.style.paddingBottom = (panel.offsetHeight + 40) + 'px';
    }
  }

  function setHeight(h) {
    store.set(KEY_HEIGHT, String(clamp(h)));
    layout();
  }

  function setCollapsed(v) {
    store.set(KEY_COLLAPSED, String(v));
    layout();
  }

  // Keyboard resizing: the handle is a focusable separator; Up makes the panel taller.
  document.addEventListener('keydown', (e) => {
    const handle = e.target instanceof Element && e.target.closest('.split-panel__resize');
    if (!handle) return;
    const step = window.innerHeight * 0.05;
    const h = storedHeight();
    let next = null;
    if (e.key === 'ArrowUp' || e.key === 'ArrowRight') next = h + step;
    else if (e.key === 'ArrowDown' || e.key === 'ArrowLeft') next = h - step;
    else if (e.key === 'PageUp') next = h + step * 4;
    else if (e.key === 'PageDown') next = h - step * 4;
    else if (e.key === 'Home') next = MIN_HEIGHT;
    else if (e.key === 'End') next = maxHeight();
    if (next === null) return;
    e.preventDefault();
    setHeight(next);
  });

  // Pointer resizing: drag the handle; the panel's top follows the pointer.
  document.addEventListener('pointerdown', (e) => {
    const handle = e.target instanceof Element && e.target.closest('.split-panel__resize');
    if (!handle || e.button !== 0 || !docked()) return;
    e.preventDefault();
    handle.setPointerCapture(e.pointerId);
    handle.classList.add('is-dragging');
    const move = (ev) => {
      const h = clamp(window.innerHeight - ev.clientY);
      const panel = panelEl();
      if (panel) panel.style.height = h + 'px';
      handle.setAttribute('aria-valuenow', String(percent(h)));
      handle.dataset.dragHeight = String(h);
    };
    const up = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', up);
      handle.removeEventListener('pointercancel', up);
      handle.classList.remove('is-dragging');
      if (handle.dataset.dragHeight) setHeight(parseInt(handle.dataset.dragHeight, 10));
      delete handle.dataset.dragHeight;
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', up);
    handle.addEventListener('pointercancel', up);
  });

  document.addEventListener('click', (e) => {
    if (!(e.target instanceof Element)) return;
    const toggle = e.target.closest('.split-panel__toggle');
    if (toggle) { setCollapsed(!collapsed()); return; }

    // "Go to authorize form": expand the panel if needed and put the cursor in the first field.
    const skip = e.target.closest('a[data-skip-to-form]');
    if (skip) {
      const form = document.getElementById('authorize-form');
      const field = form && form.querySelector('input:not([type="hidden"])');
      if (!field) return;
      e.preventDefault();
      if (collapsed() && form.closest('.split-panel')) setCollapsed(false);
      field.focus();
      field.scrollIntoView({ block: 'nearest' });
    }
  });

  window.addEventListener('resize', layout);
  phone.addEventListener('change', layout);
  // The content column narrows when the help panel opens beside it: the docked panel follows.
  const mainEl = document.getElementById('main');
  if (mainEl && 'ResizeObserver' in window) {
    let lastWidth = 0;
    new ResizeObserver((entries) => {
      const w = Math.round(entries[0].contentRect.width);
      if (w !== lastWidth) { lastWidth = w; layout(); }
    }).observe(mainEl);
  }

  // Opening the panel (a row selection swaps it in) is announced in a polite live region.
  let shownGroup = (panelEl() && panelEl().dataset.splitPanel) || '';
  function announce(text) {
    const region = document.querySelector('[data-split-panel-announcer]');
    if (!region) return;
    region.textContent = '';
    setTimeout(() => { region.textContent = text; }, 50);
  }
  function panelChanged() {
    const panel = panelEl();
    const name = (panel && panel.dataset.splitPanel) || '';
    layout();
    if (name === shownGroup) return;
    if (name) {
      announce('Security group ' + name + ' details opened.');
      if (!docked()) panel.scrollIntoView({ block: 'start' });
    } else if (shownGroup) {
      announce('Security group ' + shownGroup + ' details closed.');
      // Closed from its own button: the focus goes back to the group's box.
      const box = document.getElementById('select-' + shownGroup);
      if (box && (!document.activeElement || document.activeElement === document.body)) box.focus();
    }
    shownGroup = name;
  }

  // ---------- 2. The EC2 group autosuggest ----------
  let asSeq = 0;
  function upgradeAutosuggest(input) {
    if (input.dataset.autosuggestReady) return;
    const source = document.getElementById(input.dataset.autosuggest);
    if (!source) return;
    input.dataset.autosuggestReady = 'true';
    const listId = input.id + '-listbox';
    input.removeAttribute('list');
    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');
    input.setAttribute('aria-controls', listId);
    input.setAttribute('autocomplete', 'off');

    const wrap = document.createElement('div');
    wrap.className = 'autosuggest';
    input.parentNode.insertBefore(wrap, input);
    wrap.appendChild(input);

    const caret = document.createElement('button');
    caret.type = 'button';
    caret.className = 'autosuggest__caret';
    caret.tabIndex = -1;
    caret.setAttribute('aria-label', 'Show the EC2 security groups');
    caret.setAttribute('aria-controls', listId);
    caret.setAttribute('aria-expanded', 'false');
    caret.dataset.testid = 'autosuggest-caret';
    caret.setAttribute('data-testid', 'autosuggest-caret');
    caret.innerHTML = '<svg class="icon" viewBox="0 0 16 16" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true" focusable="false"><path d="m4 6 4 4 4-4"></path></svg>';

    const list = document.createElement('ul');
    list.id = listId;
    list.className = 'autosuggest__list';
    list.setAttribute('role', 'listbox');
    const label = input.labels && input.labels[0];
    list.setAttribute('aria-label', label ? label.textContent.trim() : 'Suggestions');
    list.setAttribute('data-testid', 'autosuggest-list');
    list.hidden = true;
    wrap.append(caret, list);
  }
  function upgradeAll() {
    document.querySelectorAll('input[data-autosuggest]').forEach(upgradeAutosuggest);
  }

  function suggestions(input) {
    const source = document.getElementById(input.dataset.autosuggest);
    if (!source) return [];
    return [...source.querySelectorAll('option')].map((o) => ({
      value: o.value, desc: o.textContent.trim(), owner: o.dataset.owner || '',
    }));
  }
  const parts = (input) => {
    const wrap = input.closest('.autosuggest');
    return { wrap, list: wrap && wrap.querySelector('.autosuggest__list'), caret: wrap && wrap.querySelector('.autosuggest__caret') };
  };
  function isOpen(input) { const { list } = parts(input); return !!list && !list.hidden; }

  function place(input) {
    const { list } = parts(input);
    if (!list || list.hidden) return;
    const r = input.getBoundingClientRect();
    const below = window.innerHeight - r.bottom - 8;
    const above = r.top - 8;
    list.style.left = r.left + 'px';
    list.style.width = r.width + 'px';
    if (below < 160 && above > below) {
      list.style.top = '';
      list.style.bottom = (window.innerHeight - r.top + 2) + 'px';
      list.style.maxHeight = Math.min(240, above) + 'px';
    } else {
      list.style.bottom = '';
      list.style.top = (r.bottom + 2) + 'px';
      list.style.maxHeight = Math.min(240, Math.max(80, below)) + 'px';
    }
  }

  // render fills the listbox with the options matching the field (all of them from the caret).
  function render(input, all) {
    const { list, caret } = parts(input);
    if (!list) return;
    const q = all ? '' : input.value.trim().toLowerCase();
    const items = suggestions(input).filter((s) => !q || s.value.toLowerCase().includes(q) || s.desc.toLowerCase().includes(q));
    list.textContent = '';
    input.removeAttribute('aria-activedescendant');
    if (!items.length) { close(input); return; }
    const seq = ++asSeq;
    items.forEach((s, i) => {
      const li = document.createElement('li');
      li.id = list.id + '-' + seq + '-' + i;
      li.className = 'autosuggest__option';
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.value = s.value;
      li.dataset.owner = s.owner;
      const name = document.createElement('span');
      name.className = 'autosuggest__name';
      name.textContent = s.value;
      li.appendChild(name);
      if (s.desc) {
        const desc = document.createElement('span');
        desc.className = 'autosuggest__desc';
        desc.textContent = s.desc;
        li.appendChild(desc);
      }
      list.appendChild(li);
    });
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    if (caret) caret.setAttribute('aria-expanded', 'true');
    place(input);
  }
  function close(input) {
    const { list, caret } = parts(input);
    if (list) list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    if (caret) caret.setAttribute('aria-expanded', 'false');
  }
  function activate(input, index) {
    const { list } = parts(input);
    const opts = list ? [...list.querySelectorAll('[role="option"]')] : [];
    if (!opts.length) return;
    const i = (index + opts.length) % opts.length;
    opts.forEach((o, j) => {
      o.setAttribute('aria-selected', String(j === i));
      o.classList.toggle('is-active', j === i);
    });
    input.setAttribute('aria-activedescendant', opts[i].id);
    opts[i].scrollIntoView({ block: 'nearest' });
  }
  function activeIndex(input) {
    const { list } = parts(input);
    const opts = list ? [...list.querySelectorAll('[role="option"]')] : [];
    return opts.findIndex((o) => o.getAttribute('aria-selected') === 'true');
  }
  // pick puts the option in the field and, when the owner field is empty, its account's ID there.
  function pick(input, option) {
    input.value = option.dataset.value;
    const owner = document.getElementById(input.dataset.ownerField);
    if (owner && !owner.value.trim() && option.dataset.owner) owner.value = option.dataset.owner;
    close(input);
    input.focus();
  }

  document.addEventListener('input', (e) => {
    const input = e.target;
    if (input instanceof HTMLInputElement && input.dataset.autosuggestReady) render(input, false);
  });
  document.addEventListener('keydown', (e) => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.autosuggestReady) return;
    const open = isOpen(input);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) render(input, input.value.trim() === '');
      if (!isOpen(input)) render(input, true);
      const i = activeIndex(input);
      activate(input, e.key === 'ArrowDown' ? i + 1 : (i < 0 ? -1 : i - 1));
    } else if (e.key === 'Enter' && open) {
      const { list } = parts(input);
      const active = list.querySelector('[aria-selected="true"]');
      if (active) { e.preventDefault(); pick(input, active); } else close(input);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      e.stopPropagation();
      close(input);
    } else if (e.key === 'Tab' && open) {
      close(input);
    }
  });
  // Keep the focus in the field while the pointer picks an option or the caret.
  document.addEventListener('mousedown', (e) => {
    if (e.target instanceof Element && e.target.closest('.autosuggest__list, .autosuggest__caret')) e.preventDefault();
  });
  document.addEventListener('click', (e) => {
    if (!(e.target instanceof Element)) return;
    const option = e.target.closest('.autosuggest__option');
    const caret = e.target.closest('.autosuggest__caret');
    const wrap = (option || caret) && (option || caret).closest('.autosuggest');
    const input = wrap && wrap.querySelector('input');
    if (!input) return;
    if (option) { pick(input, option); return; }
    if (isOpen(input)) close(input); else render(input, true);
    input.focus();
  });
  document.addEventListener('focusout', (e) => {
    const input = e.target;
    if (input instanceof HTMLInputElement && input.dataset.autosuggestReady) setTimeout(() => { if (document.activeElement !== input) close(input); }, 0);
  });
  const replaceOpen = () => document.querySelectorAll('input[aria-expanded="true"][data-autosuggest-ready]').forEach(place);
  document.addEventListener('scroll', replaceOpen, true);
  window.addEventListener('resize', replaceOpen);

  // ---------- 3. The list filter: swap the list in place, the cursor stays in the filter ----------
  let filterBusy = false;
  let filterAgain = false;
  let filterTimer = 0;
  async function runFilter(form) {
    if (filterBusy) { filterAgain = true; return; }
    filterBusy = true;
    const params = new URLSearchParams(new FormData(form));
    const url = form.getAttribute('action') + '?' + params.toString();
    try { await window.sgconsoleSwap(url); } finally { filterBusy = false; }
    if (filterAgain) { filterAgain = false; runFilter(form); }
  }
  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (!(form instanceof HTMLFormElement) || !form.matches('form[data-filter-swap]') || typeof window.sgconsoleSwap !== 'function') return;
    e.preventDefault();
    clearTimeout(filterTimer);
    runFilter(form);
  });
  document.addEventListener('input', (e) => {
    const input = e.target;
    if (!(input instanceof HTMLInputElement) || typeof window.sgconsoleSwap !== 'function') return;
    const form = input.closest('form[data-filter-swap]');
    if (!form || input.name !== 'filter') return;
    clearTimeout(filterTimer);
    filterTimer = setTimeout(() => runFilter(form), 350);
  });

  // ---------- 4. Focus follows the work: land where the user acted ----------
  // showTarget brings the changed row into view. In the docked panel, with as little scrolling of
  // its body as it takes, so the authorize form above stays in view when there is room (the
  // browser's own jump to the fragment puts the row at the very top).
  function showTarget(target) {
    const body = target.closest('.split-panel__body');
    if (!body || !docked()) { target.scrollIntoView({ block: 'nearest' }); return; }
    body.scrollTop = 0;
    const over = target.getBoundingClientRect().bottom - body.getBoundingClientRect().bottom;
    if (over > 0) body.scrollTop = over + 8;
  }
  function showHashTarget() {
    if (!location.hash || location.hash === '#split-panel') return;
    let target = null;
    try { target = document.getElementById(decodeURIComponent(location.hash.slice(1))); } catch (err) { return; }
    if (target && target.matches('tr')) showTarget(target);
  }

  function land() {
    let target = null;
    const hash = location.hash.slice(1);
    if (hash) {
      try { target = document.getElementById(decodeURIComponent(hash)); } catch (err) { target = null; }
    }
    const flash = document.querySelector('[data-testid="flash"]');
    const invalid = document.querySelector('.input--invalid');
    if (flash && !invalid) {
      if (!flash.hasAttribute('tabindex')) flash.setAttribute('tabindex', '-1');
      flash.focus({ preventScroll: true });
      // the changed row, inside the docked panel if that is where it is; else the flash itself
      if (target && target !== flash && target.id !== 'split-panel') showTarget(target);
      else flash.scrollIntoView({ block: 'nearest' });
      return;
    }
    // A selection opened by its address (a bookmark, a reload): the ticked row clear of the docked panel.
    const selected = document.querySelector('tr.is-selected');
    const panel = panelEl();
    if (selected && panel && docked() && !panel.classList.contains('is-collapsed')) {
      const over = selected.getBoundingClientRect().bottom - panel.getBoundingClientRect().top;
      if (over > 0) window.scrollBy(0, over + 16);
    }
    // After a filter that reloaded the page (no script swap): the cursor back in the filter.
    const filter = document.querySelector('main form[role="search"] input[name="filter"]');
    if (!invalid && filter && filter.value && new URLSearchParams(location.search).get('filter') !== null) {
      filter.focus();
      const end = filter.value.length;
      try { filter.setSelectionRange(end, end); } catch (err) { /* type=search may refuse */ }
    }
  }

  // Parts swapped in later (a row selection, a poll) are laid out and upgraded as they arrive.
  const observer = new MutationObserver((records) => {
    let panelTouched = false;
    for (const r of records) {
      for (const n of [...r.addedNodes, ...r.removedNodes]) {
        if (n instanceof Element && (n.matches('.split-panel, [data-swap-id="sg-panel"]') || n.querySelector('.split-panel'))) panelTouched = true;
      }
    }
    upgradeAll();
    if (panelTouched) panelChanged();
  });

  upgradeAll();
  layout();
  land();
  // The browser's own jump to the fragment (after load) resets the focus when the target (a row)
  // can't take it: land again then, unless the user has already moved on.
  const untouched = () => !document.activeElement || document.activeElement === document.body;
  window.addEventListener('load', () => setTimeout(() => { if (untouched()) land(); else showHashTarget(); }, 0));
  observer.observe(document.body, { childList: true, subtree: true });
})();
