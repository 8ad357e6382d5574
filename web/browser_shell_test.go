package web_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"sgconsole/models"
)

// The app layout's browser tests: no page overflows sideways at phone width, the navigation is a
// drawer there, the help panel works by keyboard, and axe-core finds nothing in light or dark mode.

// shellLongGroup is a group name of the longest kind (255 characters), and shellWideGroup a group
// whose description is one long row: neither may widen a page or squeeze the identifiers.
var (
	shellLongGroup = "long-" + strings.Repeat("x", 250)
	shellWideGroup = "wide-row"
)

// shellPage is a console page the layout checks visit.
type shellPage struct {
	name string
	path string
}

// shellPages are the console's main pages, with a group selected, a long name and a long row.
func shellPages() []shellPage {
	return []shellPage{
		{"security-groups", "/security-groups?region=us-east-1"},
		{"security-groups-selected", "/security-groups?region=us-east-1&selected=reporting"},
		{"security-groups-long-selected", "/security-groups?region=us-east-1&selected=" + shellLongGroup},
		{"security-group-detail", "/security-groups/reporting?region=us-east-1"},
		{"security-group-long-detail", "/security-groups/" + shellLongGroup + "?region=us-east-1"},
		{"security-group-create", "/security-groups/new?region=us-east-1"},
		{"clusters", "/clusters?region=us-east-1"},
		{"cluster-detail", "/clusters/sessions?region=us-east-1"},
		{"cluster-create", "/clusters/new?region=us-east-1"},
		{"events", "/events?region=us-east-1"},
		{"ec2-security-groups", "/ec2/security-groups?region=us-east-1"},
		{"ec2-instances", "/ec2/instances?region=us-east-1"},
		{"connectivity", "/connectivity?region=us-east-1&instance=i-0a1b2c3d4e5f60003&cluster=sessions"},
		{"labs", "/labs?region=us-east-1"},
		{"lab", "/labs/creating-a-security-group?region=us-east-1"},
		{"settings", "/settings?region=us-east-1"},
		{"security-credentials", "/security-credentials?region=us-east-1"},
		{"change-password", "/account/password?region=us-east-1"},
		{"users", "/users?region=us-east-1"},
		{"audit", "/audit?region=us-east-1"},
		{"workshops", "/workshops?region=us-east-1"},
		{"help", "/help/security-groups?region=us-east-1"},
		{"error", "/security-groups/no-such-group?region=us-east-1"},
	}
}

// newShellConsole is the demo console plus a group with a 255-character name and one with a very
// long description, both with an authorization, in the admin's account.
func newShellConsole(t *testing.T) *httptest.Server {
	t.Helper()
	srv, store, _ := newConsoleStore(t, true)
	ctx := context.Background()
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1", Actor: "admin", Via: "console"}
	if _, err := store.CreateSecurityGroup(ctx, scope, shellLongGroup, "A group with the longest name there can be"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateSecurityGroup(ctx, scope, shellWideGroup,
		strings.Repeat("A description that goes on and on, ", 4)+strings.Repeat("z", 100)); err != nil {
		t.Fatal(err)
	}
	return srv
}

// shellSignIn signs the admin in at any width (the side navigation is a closed drawer on phones).
func shellSignIn(t *testing.T, ctx context.Context, srv *httptest.Server) {
	t.Helper()
	must(t, ctx, "sign in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible(css(`[data-testid="login-form"]`)),
		chromedp.SendKeys(css(`#username`), "admin"),
		chromedp.SendKeys(css(`#password`), "browser-test-pw"),
		chromedp.Click(css(`[data-testid="login-submit"]`)),
		// The console's page, not the sign-in page: the side navigation is there (a closed drawer on phones).
		chromedp.WaitReady(css(`#side-nav`)),
		chromedp.WaitVisible(css(`main h1`)),
	)
}

// shellEval runs an expression in the page and decodes its result.
func shellEval[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %.80s: %v", expr, err)
	}
	return v
}

// shellOpen loads a page and waits until its main heading is there.
func shellOpen(t *testing.T, ctx context.Context, srv *httptest.Server, pg shellPage) {
	t.Helper()
	// A navigation the previous page started itself (a script's location change) may abort this
	// one: try again once, as a user would.
	stepCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(stepCtx, chromedp.Navigate(srv.URL+pg.path)); err != nil && strings.Contains(err.Error(), "ERR_ABORTED") {
		t.Logf("open %s: %v; trying again", pg.name, err)
		must(t, ctx, "open "+pg.name, chromedp.Navigate(srv.URL+pg.path))
	} else if err != nil {
		t.Fatalf("open %s: %v", pg.name, err)
	}
	must(t, ctx, "open "+pg.name, chromedp.WaitVisible(css(`main h1, h1`)))
}

// emulateColorScheme switches prefers-color-scheme through the DevTools Emulation domain.
func emulateColorScheme(t *testing.T, ctx context.Context, scheme string) {
	t.Helper()
	if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
		Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
	}); err != nil {
		t.Fatalf("emulate prefers-color-scheme: %s: %v", scheme, err)
	}
	if got := shellEval[bool](t, ctx, `matchMedia('(prefers-color-scheme: `+scheme+`)').matches`); !got {
		t.Fatalf("prefers-color-scheme: %s is not in effect", scheme)
	}
}

// overflowReport is how wide a page's document is against its viewport, and what sticks out.
type overflowReport struct {
	ScrollWidth int      `json:"scrollWidth"`
	ClientWidth int      `json:"clientWidth"`
	Offenders   []string `json:"offenders"`
}

const overflowScript = `(() => {
	const d = document.documentElement;
	const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
		(el.getAttribute('data-testid') ? '[data-testid=' + el.getAttribute('data-testid') + ']' : '') +
		(typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '');
	const offenders = [];
	for (const el of document.body.querySelectorAll('*')) {
		const r = el.getBoundingClientRect();
		if (r.width === 0 || r.right <= d.clientWidth + 0.5) continue;
		// Only the outermost culprit: its ancestors stay within the viewport.
		let inside = false;
		const abs = ['absolute', 'fixed'].includes(getComputedStyle(el).position);
		for (let a = el.parentElement; a && a !== document.body && !abs; a = a.parentElement) {
			const cs = getComputedStyle(a);
			if (cs.overflowX !== 'visible' || a.getBoundingClientRect().right > d.clientWidth + 0.5) { inside = true; break; }
		}
		if (!inside) offenders.push(name(el) + ' right=' + Math.round(r.right));
		if (offenders.length >= 5) break;
	}
	return { scrollWidth: d.scrollWidth, clientWidth: d.clientWidth, offenders };
})()`

// wrappedIdentifiersScript lists identifiers laid out on more than one line: the cells of table
// columns that hold names and IDs, and every element marked .ident.
const wrappedIdentifiersScript = `(() => {
	const wraps = (el) => {
		const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
		for (let n = w.nextNode(); n; n = w.nextNode()) {
			if (!n.textContent.trim()) continue;
			const r = document.createRange();
			r.selectNodeContents(n);
			// Lines, not boxes: a truncated text has a second box on the same line.
			const tops = new Set([...r.getClientRects()].filter(b => b.width > 0).map(b => Math.round(b.top)));
			if (tops.size > 1) return true;
		}
		return false;
	};
	const out = [];
	const idHeader = /^(name|owner id|account|account id|arn|instance id|access key id|source id|cluster id|ec2 security group name|security group|cache security group)$/i;
	for (const table of document.querySelectorAll('table')) {
		const heads = [...table.querySelectorAll('thead th')].map(th => th.textContent.replace(/\s+/g, ' ').trim());
		for (const tr of table.querySelectorAll('tbody tr')) {
			[...tr.children].forEach((td, i) => {
				if (idHeader.test(heads[i] || '') && td.getClientRects().length && wraps(td)) out.push(heads[i] + ': ' + td.textContent.trim().slice(0, 40));
			});
		}
	}
	for (const el of document.querySelectorAll('.ident')) if (el.getClientRects().length && wraps(el)) out.push(el.textContent.trim().slice(0, 40));
	return out.slice(0, 8);
})()`

// wantNoSidewaysOverflow fails when the document is wider than the viewport.
func wantNoSidewaysOverflow(t *testing.T, ctx context.Context, where string) {
	t.Helper()
	r := shellEval[overflowReport](t, ctx, overflowScript)
	if r.ScrollWidth != r.ClientWidth {
		t.Errorf("%s: document is %d px wide in a %d px viewport; sticking out: %s", where, r.ScrollWidth, r.ClientWidth, strings.Join(r.Offenders, ", "))
	}
}

// TestBrowserShellPhoneLayout visits every page at 390x844: nothing overflows sideways, the title is
// near the top, the navigation is a drawer that opens and closes by keyboard, identifiers stay whole.
func TestBrowserShellPhoneLayout(t *testing.T) {
	srv := newShellConsole(t)
	ctx := newBrowser(t)
	must(t, ctx, "phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))

	must(t, ctx, "open the sign-in page", chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(css(`h1`)))
	wantNoSidewaysOverflow(t, ctx, "sign-in")
	shellSignIn(t, ctx, srv)

	for _, pg := range shellPages() {
		shellOpen(t, ctx, srv, pg)
		wantNoSidewaysOverflow(t, ctx, pg.name)
		// Only the top bar, the toolbar and the flashes come before the title.
		pos := shellEval[map[string]float64](t, ctx, `(() => {
			const box = (sel) => { const el = document.querySelector(sel); return el ? el.getBoundingClientRect() : null; };
			const n = box('main .notifications, main [data-testid="notifications"]');
			return { title: box('main h1').top, toolbar: box('.toolbar').bottom, notes: n ? n.bottom : 0 };
		})()`)
		if pos["toolbar"] > 90 || pos["title"]-max(pos["toolbar"], pos["notes"]) > 100 {
			t.Errorf("%s: the title starts at y = %.0f of 844 (toolbar ends at %.0f, flashes at %.0f): want only the top bar, the toolbar and the flashes above it", pg.name, pos["title"], pos["toolbar"], pos["notes"])
		}
		if wrapped := shellEval[[]string](t, ctx, wrappedIdentifiersScript); len(wrapped) > 0 {
			t.Errorf("%s: identifiers broken over lines at phone width: %q", pg.name, wrapped)
		}
		if shellEval[bool](t, ctx, `!!document.getElementById('side-nav').getClientRects().length`) {
			t.Errorf("%s: the side navigation is laid out on the page at phone width, want it in a closed drawer", pg.name)
		}
		if pg.name == "security-groups" {
			screenshot(t, ctx, "phone-security-groups")
		}
	}

	// Without the retirement banner the title is right under the toolbar.
	must(t, ctx, "dismiss the banner",
		chromedp.Navigate(srv.URL+"/clusters?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="dismiss-banner"]`)),
		chromedp.Click(css(`[data-testid="dismiss-banner"]`)),
		chromedp.WaitNotPresent(css(`[data-testid="retirement-banner"]`)),
	)
	if top := shellEval[float64](t, ctx, `document.querySelector('main h1').getBoundingClientRect().top`); top > 150 {
		t.Errorf("without the banner the title starts at y = %.0f of 844, want at most 150", top)
	}

	// Identifiers never break mid-word: every Owner ID of the list is on one line, beside a long row.
	shellOpen(t, ctx, srv, shellPage{"security-groups", "/security-groups?region=us-east-1&size=50"})
	wrapped := shellEval[[]string](t, ctx, wrappedIdentifiersScript)
	if len(wrapped) > 0 {
		t.Errorf("identifiers broken over lines at phone width beside a long row: %q", wrapped)
	}

	// The menu button opens the drawer, focus moves into it, Esc closes it and gives focus back.
	must(t, ctx, "open the navigation drawer with Enter",
		chromedp.Focus(css(`[data-testid="menu-button"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`#side-nav [data-testid="nav-clusters"]`)),
	)
	if got := shellEval[string](t, ctx, `document.querySelector('[data-testid="menu-button"]').getAttribute('aria-expanded')`); got != "true" {
		t.Errorf("menu button aria-expanded = %q with the drawer open, want true", got)
	}
	if !shellEval[bool](t, ctx, `document.getElementById('side-nav').contains(document.activeElement)`) {
		t.Errorf("focus after opening the drawer is on %s, want it inside the navigation", shellEval[string](t, ctx, `document.activeElement.outerHTML.slice(0, 120)`))
	}
	wantNoSidewaysOverflow(t, ctx, "open drawer")
	must(t, ctx, "close the drawer with Esc",
		chromedp.KeyEvent("\x1b"),
		chromedp.WaitNotVisible(css(`#side-nav [data-testid="nav-clusters"]`)),
	)
	if got := shellEval[string](t, ctx, `document.activeElement.getAttribute('data-testid') || document.activeElement.tagName`); got != "menu-button" {
		t.Errorf("focus after Esc is on %s, want the menu button", got)
	}
	if got := shellEval[string](t, ctx, `document.querySelector('[data-testid="menu-button"]').getAttribute('aria-expanded')`); got != "false" {
		t.Errorf("menu button aria-expanded = %q after closing, want false", got)
	}
	must(t, ctx, "a link in the drawer leads to its page",
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`#side-nav [data-testid="nav-events"]`)),
		chromedp.Click(css(`#side-nav [data-testid="nav-events"]`)),
		chromedp.WaitVisible(css(`[data-testid="events-table"]`)),
	)

	// On a phone the help panel covers the screen, and Esc gives the page back.
	must(t, ctx, "open help on a phone",
		chromedp.Focus(css(`[data-testid="info-events"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`[data-testid="help-panel"] [data-help-topic="events"] h2`)),
	)
	if box := shellEval[map[string]float64](t, ctx, `(() => { const r = document.getElementById('help-panel').getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; })()`); box["x"] != 0 || box["y"] != 0 || box["w"] != 390 || box["h"] != 844 {
		t.Errorf("help panel on a phone at %v, want the whole 390x844 screen", box)
	}
	waitFocus(ctx, `[data-help-close]`)
	if shellEval[bool](t, ctx, `!document.querySelector('main').inert`) {
		t.Error("the page behind the phone's help panel still takes focus")
	}
	must(t, ctx, "Esc closes it", chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible(css(`[data-testid="help-panel"]`)))
	wantNoSidewaysOverflow(t, ctx, "after the help panel")
	if got := shellEval[string](t, ctx, `document.querySelector('main').inert + ' ' + (document.activeElement.getAttribute('data-testid') || '')`); got != "false info-events" {
		t.Errorf("after Esc: main inert and focus = %q, want the page back and focus on the Info link", got)
	}

	// In the drawer, the region selector shows its whole label, "us-east-1" included.
	must(t, ctx, "open the drawer", chromedp.Click(css(`[data-testid="menu-button"]`)), chromedp.WaitVisible(css(`#drawer-region-select`)))
	wantWholeOptionLabels(t, ctx, "drawer-region-select")
}

// wantWholeOptionLabels fails when a select is too narrow for the text of one of its options.
func wantWholeOptionLabels(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	cut := shellEval[[]string](t, ctx, `(() => {
		const sel = document.getElementById(`+jsString(id)+`);
		const cs = getComputedStyle(sel);
		const c = document.createElement('canvas').getContext('2d');
		c.font = cs.fontWeight + ' ' + cs.fontSize + ' ' + cs.fontFamily;
		const room = sel.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
		return [...sel.options].filter(o => c.measureText(o.text).width > room + 1)
			.map(o => o.text + ' needs ' + Math.ceil(c.measureText(o.text).width) + ' px, has ' + Math.floor(room));
	})()`)
	if len(cut) > 0 {
		t.Errorf("#%s cuts its labels: %q", id, cut)
	}
}

// TestBrowserShellNavWithoutJavaScript: without scripts the menu is a link that shows the drawer.
func TestBrowserShellNavWithoutJavaScript(t *testing.T) {
	srv, _ := newConsole(t, true)
	ctx := newBrowser(t)
	must(t, ctx, "phone viewport", chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile))
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	shellSignIn(t, ctx, srv)
	must(t, ctx, "open the menu link",
		chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="menu-link"]`)),
		chromedp.Click(css(`[data-testid="menu-link"]`)),
		chromedp.WaitVisible(css(`#side-nav [data-testid="nav-clusters"]`)),
		chromedp.Click(css(`#side-nav [data-testid="nav-clusters"]`)),
		chromedp.WaitVisible(css(`[data-testid="cluster-table"]`)),
	)
	must(t, ctx, "an Info link leads to the help page",
		chromedp.Click(css(`[data-testid="info-clusters"]`)),
		chromedp.WaitVisible(css(`[data-testid="help-page"]`)),
	)
	wantContains(t, "help page title", text(t, ctx, `h1`), "Cache clusters")
	wantNoSidewaysOverflow(t, ctx, "help page without JavaScript")
}

// TestBrowserShellHelpPanel opens help by keyboard: Enter on Info, focus on the panel's close button,
// the topic announced, Esc closes it and focus returns to the Info link.
func TestBrowserShellHelpPanel(t *testing.T) {
	srv, _ := newConsole(t, true)
	ctx := newBrowser(t)
	must(t, ctx, "desktop viewport", chromedp.EmulateViewport(1440, 900))
	signIn(t, ctx, srv)
	must(t, ctx, "press Enter on the title's Info link",
		chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="info-security-groups"]`)),
		chromedp.Focus(css(`[data-testid="info-security-groups"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`[data-testid="help-panel"] [data-help-topic="security-groups"] h2`)),
	)
	waitFocus(ctx, `[data-help-close]`)
	panel := shellEval[map[string]string](t, ctx, `(() => {
		const p = document.querySelector('[data-testid="help-panel"]');
		return { tag: p.tagName, role: p.getAttribute('role'), label: p.getAttribute('aria-label'),
			focus: document.activeElement.getAttribute('data-testid') || document.activeElement.tagName,
			focusLabel: document.activeElement.getAttribute('aria-label') || '',
			width: String(Math.round(p.getBoundingClientRect().width)) };
	})()`)
	if panel["tag"] != "ASIDE" || panel["role"] != "region" || panel["label"] != "Help panel" {
		t.Errorf("help panel is <%s role=%q aria-label=%q>, want <aside role=region aria-label=\"Help panel\">", panel["tag"], panel["role"], panel["label"])
	}
	if panel["focus"] != "help-close" {
		t.Errorf("focus after opening help is on %s, want the panel's close button", panel["focus"])
	}
	if panel["width"] != "290" {
		t.Errorf("help panel is %s px wide, want 290", panel["width"])
	}
	wantContains(t, "help topic", text(t, ctx, `[data-testid="help-panel"] [data-help-topic="security-groups"] h2`), "Cache security groups")
	wantContains(t, "help text", text(t, ctx, `[data-testid="help-panel"] [data-help-topic="security-groups"]`), "network access to a cluster is turned off")
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.querySelector('[data-testid="help-announce"]').textContent.includes('Cache security groups') || null`)); err != nil {
		t.Errorf("the help panel's live region never announced the topic: %v (text %q)", err,
			shellEval[string](t, ctx, `document.querySelector('[data-testid="help-announce"]').textContent`))
	}
	wantNoSidewaysOverflow(t, ctx, "help panel open")
	screenshot(t, ctx, "help-panel")

	must(t, ctx, "a related topic opens in the panel",
		chromedp.Click(css(`[data-testid="help-panel"] [data-help-topic="security-groups"] a[href="/help/ip-ranges"]`)),
		chromedp.WaitVisible(css(`[data-testid="help-panel"] [data-help-topic="ip-ranges"] h2`)),
	)
	wantContains(t, "related topic", text(t, ctx, `[data-testid="help-panel"] [data-help-topic="ip-ranges"]`), "EC2 security groups only")
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); strings.Contains(loc, "/help/") {
		t.Errorf("a related topic left the page: %s", loc)
	}
	must(t, ctx, "Esc closes the panel", chromedp.KeyEvent("\x1b"), chromedp.WaitNotVisible(css(`[data-testid="help-panel"]`)))
	if got := shellEval[string](t, ctx, `document.activeElement.getAttribute('data-testid') || document.activeElement.tagName`); got != "info-security-groups" {
		t.Errorf("focus after Esc is on %s, want the Info link that opened help", got)
	}

	// A field's Info link in the split panel (swapped in after the page loaded): its topic is fetched.
	must(t, ctx, "select a group and open the owner ID's help",
		chromedp.Click(css(`[data-testid="select-reporting"]`)),
		chromedp.WaitVisible(css(`[data-testid="split-panel"] [data-testid="info-owner-id"]`)),
		chromedp.Focus(css(`[data-testid="split-panel"] [data-testid="info-owner-id"]`)),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`[data-testid="help-panel"] [data-help-topic="owner-id"] h2`)),
	)
	wantContains(t, "owner ID help", text(t, ctx, `[data-testid="help-panel"] [data-help-topic="owner-id"]`), "12 digits")
	if !waitFocus(ctx, `[data-help-close]`) {
		t.Errorf("focus after opening the owner ID's help is on %s, want the panel's close button",
			shellEval[string](t, ctx, `document.activeElement.getAttribute('data-testid') || document.activeElement.tagName`))
	}
	if shellEval[bool](t, ctx, `!!document.querySelector('[data-help-topic="security-groups"]:not([hidden])')`) {
		t.Error("the previous topic is still shown beside the new one")
	}
	must(t, ctx, "the close button closes the panel",
		chromedp.KeyEvent("\r"), // focus is on the close button
		chromedp.WaitNotVisible(css(`[data-testid="help-panel"]`)),
	)
	if got := shellEval[string](t, ctx, `document.activeElement.getAttribute('data-testid') || document.activeElement.tagName`); got != "info-owner-id" {
		t.Errorf("focus after closing is on %s, want the owner ID's Info link", got)
	}

	// Without JavaScript the same text is a page; an unknown topic is a 404 page.
	if status := rolesNavigate(t, ctx, srv.URL+"/help/owner-id?region=us-east-1"); status != 200 {
		t.Errorf("GET /help/owner-id: status %d", status)
	}
	wantContains(t, "help page", text(t, ctx, `h1`), "EC2 security group owner ID")
	if status := rolesNavigate(t, ctx, srv.URL+"/help/no-such-topic"); status != 404 {
		t.Errorf("GET /help/no-such-topic: status %d, want 404", status)
	}
}

// waitFocus waits up to 3 s for focus to land on an element matching sel, and reports whether it did.
// The help panel moves focus once the key that opened it is up (see static/js/shell.js).
func waitFocus(ctx context.Context, sel string) bool {
	waitCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	_, err := chromedp.Run(waitCtx, chromedp.Poll[bool](`document.activeElement && document.activeElement.matches(`+jsString(sel)+`) || null`))
	return err == nil
}

// axeViolation is one rule axe-core found broken, with the elements that break it.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeSource is axe-core's browser bundle, installed by `make test` (npm ci --prefix web/testdata/axe).
func axeSource(t *testing.T) string {
	t.Helper()
	path := filepath.Join("testdata", "axe", "node_modules", "axe-core", "axe.min.js")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("axe-core is missing (%v): run `npm ci --prefix web/testdata/axe`, or `make test` which does it", err)
	}
	return string(src)
}

// runAxe injects axe-core into the page and returns its violations (WCAG 2.x A and AA, best practices).
func runAxe(t *testing.T, ctx context.Context, src string) []axeViolation {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](src+"\n;true")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {
		runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] },
		resultTypes: ['violations'],
	}).then(r => JSON.stringify(r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
		targets: v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ').slice(0, 200) : '')) }))))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("axe-core result: %v", err)
	}
	return vs
}

func reportAxe(t *testing.T, where string, vs []axeViolation) {
	t.Helper()
	for _, v := range vs {
		t.Errorf("axe %s: %s (%s): %s\n    %s", where, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n    "))
	}
}

// TestBrowserShellAccessibility runs axe-core on every main page at 1440x900, in light and in dark
// mode, plus the list with the split panel open, the open delete dialog and the open help panel; and
// checks that no page is wider than the window and that every table scrolls in a labelled region.
func TestBrowserShellAccessibility(t *testing.T) {
	src := axeSource(t)
	srv := newShellConsole(t)
	ctx := newBrowser(t)
	must(t, ctx, "desktop viewport", chromedp.EmulateViewport(1440, 900))

	for _, scheme := range []string{"light", "dark"} {
		emulateColorScheme(t, ctx, scheme)
		must(t, ctx, "sign out", chromedp.Navigate(srv.URL+"/login"), chromedp.WaitVisible(css(`h1`)))
		if shellEval[bool](t, ctx, `!!document.querySelector('[data-testid="login-form"]')`) {
			reportAxe(t, scheme+" sign-in", runAxe(t, ctx, src))
			signIn(t, ctx, srv)
		}
		for _, pg := range shellPages() {
			shellOpen(t, ctx, srv, pg)
			where := scheme + " " + pg.name
			reportAxe(t, where, runAxe(t, ctx, src))
			wantNoSidewaysOverflow(t, ctx, where)
			if wrapped := shellEval[[]string](t, ctx, wrappedIdentifiersScript); len(wrapped) > 0 {
				t.Errorf("%s: identifiers broken over lines: %q", where, wrapped)
			}
			if bad := shellEval[[]string](t, ctx, `[...document.querySelectorAll('.table-wrap')]
				.filter(w => w.getAttribute('role') !== 'region' || w.getAttribute('tabindex') !== '0' || !(w.getAttribute('aria-label') || w.getAttribute('aria-labelledby')))
				.map(w => (w.querySelector('table') || w).getAttribute('data-testid') || 'table')`); len(bad) > 0 {
				t.Errorf("%s: tables not in a labelled scroll region (role=region tabindex=0 aria-label): %q", where, bad)
			}
			if pg.name != "error" && pg.name != "help" && !shellEval[bool](t, ctx, `!!document.querySelector('main h1 + a.info-link[data-help][aria-label^="Info"]')`) {
				t.Errorf("%s: no Info link beside the page title", where)
			}
			if scheme == "dark" && pg.name == "security-group-detail" {
				screenshot(t, ctx, "dark-mode")
			}
		}

		// The open delete dialog.
		must(t, ctx, "open the delete dialog",
			chromedp.Navigate(srv.URL+"/security-groups/reporting?region=us-east-1"),
			chromedp.WaitVisible(css(`[data-testid="delete-button"]`)),
			chromedp.Click(css(`[data-testid="delete-button"]`)),
			chromedp.WaitVisible(css(`dialog[open]`)),
		)
		reportAxe(t, scheme+" delete dialog", runAxe(t, ctx, src))

		// The open help panel.
		must(t, ctx, "open the help panel",
			chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1&selected=reporting"),
			chromedp.WaitVisible(css(`[data-testid="info-security-groups"]`)),
			chromedp.Click(css(`[data-testid="info-security-groups"]`)),
			chromedp.WaitVisible(css(`[data-testid="help-panel"]`)),
		)
		reportAxe(t, scheme+" help panel", runAxe(t, ctx, src))
		wantNoSidewaysOverflow(t, ctx, scheme+" help panel")
	}
	// A tablet width: the navigation beside the content, still nothing wider than the window.
	must(t, ctx, "tablet viewport", chromedp.EmulateViewport(800, 1000))
	for _, pg := range shellPages()[:6] {
		shellOpen(t, ctx, srv, pg)
		wantNoSidewaysOverflow(t, ctx, "800 px "+pg.name)
	}
	must(t, ctx, "help beside the content at 800 px",
		chromedp.Click(css(`main h1 + a.info-link`)),
		chromedp.WaitVisible(css(`[data-testid="help-panel"]`)),
	)
	wantNoSidewaysOverflow(t, ctx, "800 px with the help panel")
	must(t, ctx, "desktop viewport", chromedp.EmulateViewport(1440, 900))
	shellOpen(t, ctx, srv, shellPages()[0])
	wantWholeOptionLabels(t, ctx, "region-select")
	wantWholeOptionLabels(t, ctx, "account-select")
	// The breadcrumb of a 255-character name truncates instead of widening the page.
	shellOpen(t, ctx, srv, shellPage{"long detail", "/security-groups/" + url.PathEscape(shellLongGroup) + "?region=us-east-1"})
	if w := shellEval[string](t, ctx, `(() => { const c = document.querySelector('.breadcrumbs [aria-current="page"]'); return c.scrollWidth > c.clientWidth ? c.getAttribute('title') : ''; })()`); w != shellLongGroup {
		t.Errorf("the long name's breadcrumb: want it truncated with the full name in its title, title = %q", w)
	}
}
