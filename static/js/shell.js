/* sgconsole: shell — the phone navigation drawer and the help panel.
 * Everything is delegated on document, so it survives the partial page swaps of app.js, and every
 * feature has a no-JS path in the markup (the drawer is a #side-nav target, Info links go to /help/:topic). */
(function () {
  'use strict';

  const phone = window.matchMedia('(max-width: 687px)');

  // ---------- Navigation drawer (below 688 px) ----------
  const nav = () => document.getElementById('side-nav');
  const navToggle = () => document.querySelector('[data-nav-toggle]');
  // The parts of the page behind the open drawer, made inert so focus stays in the drawer.
  const behindNav = () => [...document.querySelectorAll('body > .top-nav, body > .toolbar, .layout > main, .layout > .help-panel')];

  function openNav() {
    const n = nav();
    const t = navToggle();
    if (!n || !t) return;
    n.classList.add('is-open');
    t.setAttribute('aria-expanded', 'true');
    behindNav().forEach((el) => { el.inert = true; });
    const close = n.querySelector('[data-nav-close]');
    (close || n.querySelector('a')).focus();
  }

  function closeNav(returnFocus) {
    const n = nav();
    const t = navToggle();
    if (!n || !n.classList.contains('is-open')) return;
    n.classList.remove('is-open');
    behindNav().forEach((el) => { el.inert = false; });
    if (t) {
      t.setAttribute('aria-expanded', 'false');
      if (returnFocus) t.focus();
    }
  }

  // Growing past the phone breakpoint shows the navigation in place: drop the drawer state.
  phone.addEventListener('change', () => { if (!phone.matches) closeNav(false); });

  // A link follows Enter on keydown, but the same key's keypress comes after: focus moved to a
  // button in between would press that button too. Move focus once the key is up.
  let keyHeld = false;
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') keyHeld = true; }, true);
  document.addEventListener('keyup', () => { keyHeld = false; }, true);
  function afterKeyRelease(fn) {
    if (!keyHeld) { fn(); return; }
    let done = false;
    const run = () => { if (!done) { done = true; fn(); } };
    document.addEventListener('keyup', () => setTimeout(run, 0), { once: true, capture: true });
    setTimeout(run, 1000);
  }

  // ---------- Help panel ----------
  const panel = () => document.getElementById('help-panel');
  const behindHelp = () => [...document.querySelectorAll('body > .top-nav, body > .toolbar, .layout > main, .layout > .side-nav')];
  let helpTrigger = null; // the Info link that opened the panel
  let helpTopic = '';

  // topicSection finds a topic's text in the panel, or fetches it from its help page.
  async function topicSection(topic, href) {
    const p = panel();
    const have = p.querySelector('[data-help-topic="' + CSS.escape(topic) + '"]');
    if (have) return have;
    const res = await fetch(href, { credentials: 'same-origin', headers: { 'X-Requested-With': 'fetch' } });
    if (!res.ok) throw new Error('help ' + res.status);
    const doc = new DOMParser().parseFromString(await res.text(), 'text/html');
    const fresh = doc.querySelector('[data-help-topic="' + CSS.escape(topic) + '"]');
    if (!fresh) throw new Error('help topic missing');
    // The help page shows the title as its h1 and "Learn more" as an h2; the panel sits under the
    // page's own h1, one level down.
    const demote = (el, tag) => {
      if (!el) return;
      const h = document.createElement(tag);
      h.className = el.className;
      if (el.id) h.id = el.id;
      h.textContent = el.textContent;
      el.replaceWith(h);
    };
    demote(fresh.querySelector('h1'), 'h2');
    demote(fresh.querySelector('h2.help-topic__more'), 'h3');
    fresh.hidden = true;
    const section = document.importNode(fresh, true);
    p.querySelector('[data-help-topics]').appendChild(section);
    return section;
  }

  // openHelp shows a topic; link is the Info link that asked for it (focus returns there), or a
  // link to another topic inside the panel (focus then returns to the Info link that opened it).
  async function openHelp(link, topic) {
    const p = panel();
    if (!p) return false;
    let section;
    try {
      section = await topicSection(topic, link.href);
    } catch (err) {
      return false;
    }
    if (p.contains(link)) link = helpTrigger || link;
    p.querySelectorAll('[data-help-topic]').forEach((s) => { s.hidden = s !== section; });
    p.hidden = false;
    document.body.classList.add('has-help-panel');
    // On a phone the panel covers the page: keep Tab inside it.
    behindHelp().forEach((el) => { el.inert = phone.matches; });
    helpTrigger = link;
    helpTopic = topic;
    document.querySelectorAll('[data-help]').forEach((a) => a.removeAttribute('aria-expanded'));
    link.setAttribute('aria-expanded', 'true');
    const close = p.querySelector('[data-help-close]');
    if (close) afterKeyRelease(() => close.focus());
    // Announce the topic: the panel is a labelled region, and its live text names what opened.
    const announce = p.querySelector('[data-help-announce]');
    if (announce) {
      const title = section.querySelector('h2');
      announce.textContent = '';
      setTimeout(() => { announce.textContent = 'Help panel opened: ' + (title ? title.textContent.trim() : topic); }, 50);
    }
    return true;
  }

  function closeHelp() {
    const p = panel();
    if (!p || p.hidden) return;
    p.hidden = true;
    document.body.classList.remove('has-help-panel');
    behindHelp().forEach((el) => { el.inert = false; });
    const announce = p.querySelector('[data-help-announce]');
    if (announce) announce.textContent = '';
    // The trigger may have been swapped by a partial update: fall back to its twin.
    let back = helpTrigger && helpTrigger.isConnected ? helpTrigger
      : document.querySelector('[data-help="' + CSS.escape(helpTopic) + '"]');
    if (back) {
      back.removeAttribute('aria-expanded');
      back.focus();
    }
    helpTrigger = null;
  }

  document.addEventListener('click', (e) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const t = e.target instanceof Element ? e.target : null;
    if (!t) return;
    if (t.closest('[data-nav-toggle]')) {
      e.preventDefault();
      if (nav() && nav().classList.contains('is-open')) closeNav(true); else openNav();
      return;
    }
    if (t.closest('[data-nav-close]')) {
      e.preventDefault();
      closeNav(true);
      return;
    }
    const info = t.closest('a[data-help]');
    if (info) {
      e.preventDefault();
      // A second click on the link that opened the panel closes it.
      if (helpTrigger === info && panel() && !panel().hidden) { closeHelp(); return; }
      openHelp(info, info.dataset.help).then((ok) => { if (!ok) location.href = info.href; });
      return;
    }
    // A link from one help topic to another stays in the panel.
    const related = t.closest('.help-panel a[href]');
    if (related) {
      const url = new URL(related.href, location.href);
      const m = url.origin === location.origin && url.pathname.match(/^\/help\/([a-z0-9-]+)$/);
      if (m) {
        e.preventDefault();
        openHelp(related, m[1]).then((ok) => { if (!ok) location.href = related.href; });
        return;
      }
    }
    if (t.closest('[data-help-close]')) {
      e.preventDefault();
      closeHelp();
    }
  });

  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.defaultPrevented) return;
    // A modal dialog handles its own Esc.
    if (document.querySelector('dialog[open]')) return;
    const n = nav();
    if (n && n.classList.contains('is-open')) {
      e.preventDefault();
      closeNav(true);
      return;
    }
    const p = panel();
    if (p && !p.hidden) {
      e.preventDefault();
      closeHelp();
    }
  });
})();
