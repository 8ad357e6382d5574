package web_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"sgconsole/models"
)

// box is an element's bounding client rectangle.
type box struct {
	Top, Bottom, Left, Right, Height float64
}

const boxJS = `(s) => { const el = document.querySelector(s); if (!el) return null; const r = el.getBoundingClientRect();
	return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, height: r.height }; }`

func rectOf(t *testing.T, ctx context.Context, sel string) box {
	t.Helper()
	var b *box
	b, err := chromedp.Run(ctx, chromedp.Evaluate[*box](fmt.Sprintf("(%s)(%q)", boxJS, sel)))
	if err != nil || b == nil {
		t.Fatalf("bounding box of %s: %v (found %v)", sel, err, b != nil)
	}
	return *b
}

func evalJS[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// pressEnter presses Enter as a keyboard does: one keydown that carries the text (so one keypress)
// and a keyup. chromedp.KeyEvent("\r") sends a separate char event as well, a second keypress the
// page never gets from a real keyboard (it submits the form the first Enter moved the focus to).
func pressEnter(t *testing.T, ctx context.Context) {
	t.Helper()
	for _, p := range []input.DispatchKeyEventParams{
		{Type: input.DispatchKeyEventTypeKeyDown, Key: "Enter", Code: "Enter", Text: "\r", UnmodifiedText: "\r", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13},
		{Type: input.DispatchKeyEventTypeKeyUp, Key: "Enter", Code: "Enter", WindowsVirtualKeyCode: 13, NativeVirtualKeyCode: 13},
	} {
		if _, err := chromedp.Call(ctx, input.DispatchKeyEvent, p); err != nil {
			t.Fatalf("press Enter: %v", err)
		}
	}
}

// screenshotViewport saves what the window shows (screenshot saves the whole page, where a panel
// docked to the window would sit mid-page) for the README, like screenshot.
func screenshotViewport(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SGCONSOLE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "sgconsole-screenshots")
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
}

// clearJS empties a field the user has typed in (chromedp.Clear only resets the value attribute).
func clearJS(sel string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).value = ''`, sel))
}

// waitJS waits until expr is true in the page.
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("%s: waiting for %s: %v", what, expr, err)
	}
}

// activeTestID is the data-testid (or the id) of the focused element.
const activeTestID = `(document.activeElement.getAttribute('data-testid') || document.activeElement.id || document.activeElement.tagName)`

// inViewport asserts that sel is entirely inside the window and not covered by anything else.
func inViewport(t *testing.T, ctx context.Context, what, sel string) {
	t.Helper()
	b := rectOf(t, ctx, sel)
	h := evalJS[float64](t, ctx, `window.innerHeight`)
	w := evalJS[float64](t, ctx, `window.innerWidth`)
	if b.Height == 0 || b.Top < 0 || b.Bottom > h+0.5 || b.Left < 0 || b.Right > w+0.5 {
		t.Fatalf("%s (%s) is at %+v, outside the %vx%v window", what, sel, b, w, h)
	}
	hit := evalJS[bool](t, ctx, fmt.Sprintf(`(() => { const el = document.querySelector(%q); const r = el.getBoundingClientRect();
		const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return !!at && (el === at || el.contains(at)); })()`, sel))
	if !hit {
		t.Fatalf("%s (%s) is covered by another element", what, sel)
	}
}

// newPanelConsole serves the demo console with 30 security groups (25 more than the demo's 5).
func newPanelConsole(t *testing.T, extra int) (*httptest.Server, *models.Store) {
	t.Helper()
	srv, store, _ := newConsoleStore(t, true)
	scope := models.Scope{AccountID: models.DefaultAccountID, Region: models.DefaultRegion}
	for i := 1; i <= extra; i++ {
		if _, err := store.CreateSecurityGroup(context.Background(), scope, fmt.Sprintf("zz-group-%02d", i), fmt.Sprintf("Extra group %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	return srv, store
}

// TestBrowserSplitPanelDocked: with 30 groups at 1440x900, ticking a box shows the panel docked to
// the bottom of the window at once, with the EC2 Security Group Name field and Add in view and no
// scrolling; the panel is announced, resizes by keyboard and by dragging, collapses, and remembers
// both; from the ticked box a skip link leads to the form, and Add is five keys away.
func TestBrowserSplitPanelDocked(t *testing.T) {
	srv, _ := newPanelConsole(t, 25)
	ctx := newBrowser(t)
	signIn(t, ctx, srv)
	must(t, ctx, "open the list at 1440x900",
		chromedp.EmulateViewport(1440, 900),
		chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="select-reporting"]`)),
	)
	wantContains(t, "page title", text(t, ctx, `h1`), "Security Groups (30)")
	if h := evalJS[float64](t, ctx, `document.documentElement.scrollHeight`); h <= 900 {
		t.Fatalf("the list is %v pixels tall: too short to prove the panel does not need a scroll", h)
	}
	before := evalJS[float64](t, ctx, `window.scrollY`)
	must(t, ctx, "tick reporting's box",
		chromedp.Click(css(`[data-testid="select-reporting"]`)),
		chromedp.WaitVisible(css(`[data-testid="split-panel"]`)),
	)
	waitJS(t, ctx, "the ticked box keeps the focus", `document.activeElement.id === 'select-reporting'`)
	panel := rectOf(t, ctx, `[data-testid="split-panel"]`)
	if panel.Top < 0 || panel.Bottom > 900.5 || panel.Bottom < 899 {
		t.Fatalf("split panel at %+v, want it docked to the bottom of the 900-pixel window", panel)
	}
	inViewport(t, ctx, "EC2 Security Group Name field", `[data-testid="split-panel"] input[name="ec2_security_group_name"]`)
	inViewport(t, ctx, "Add button", `[data-testid="split-panel"] [data-testid="authorize-add"]`)
	inViewport(t, ctx, "Remove button", `[data-testid="split-panel"] [data-testid="remove-etl-workers"]`)
	if after := evalJS[float64](t, ctx, `window.scrollY`); after != before {
		t.Fatalf("the window scrolled from %v to %v when the panel opened", before, after)
	}
	if scrolled := evalJS[float64](t, ctx, `document.querySelector('.split-panel__body').scrollTop`); scrolled != 0 {
		t.Fatalf("the panel's body is scrolled by %v", scrolled)
	}
	waitJS(t, ctx, "the opening is announced", `document.querySelector('[data-testid="split-panel-announcer"]').textContent.includes('Security group reporting details opened')`)
	if live := evalJS[string](t, ctx, `document.querySelector('[data-testid="split-panel-announcer"]').getAttribute('aria-live')`); live != "polite" {
		t.Fatalf("announcer aria-live = %q", live)
	}

	// The page is padded by the panel's height: the last row scrolls clear of the panel.
	must(t, ctx, "scroll to the end of the page", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, document.documentElement.scrollHeight)`))
	last := rectOf(t, ctx, `[data-testid="sg-table"] tbody tr:last-child`)
	if panel := rectOf(t, ctx, `[data-testid="split-panel"]`); last.Bottom > panel.Top {
		t.Fatalf("last row (bottom %v) stays hidden behind the panel (top %v)", last.Bottom, panel.Top)
	}
	must(t, ctx, "back to the top", chromedp.Evaluate[chromedp.Void](`window.scrollTo(0, 0)`))

	// The skip link is the panel's first focusable element; from the ticked box, Tab and Enter reach
	// the form.
	first := evalJS[string](t, ctx, `document.querySelector('[data-testid="split-panel"]').querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])').getAttribute('data-testid')`)
	if first != "skip-to-form" {
		t.Fatalf("the panel's first focusable element is %q, want the skip link", first)
	}
	wantContains(t, "skip link", evalJS[string](t, ctx, `document.querySelector('[data-testid="skip-to-form"]').textContent`), "Go to authorize form")
	must(t, ctx, "Tab from the box", chromedp.Focus(css(`#select-reporting`)), chromedp.KeyEvent(kb.Tab))
	if got := evalJS[string](t, ctx, activeTestID); got != "row-skip-to-form" {
		t.Fatalf("Tab from the ticked box lands on %q, want the skip link", got)
	}
	pressEnter(t, ctx) // on the skip link
	waitJS(t, ctx, "the skip link puts the cursor in the name field", `document.activeElement.name === 'ec2_security_group_name'`)
	// From the name field to Add: the owner ID field (and its Info link) in between, nothing else.
	tabs := 0
	for ; tabs < 4 && evalJS[string](t, ctx, activeTestID) != "authorize-add"; tabs++ {
		must(t, ctx, "Tab", chromedp.KeyEvent(kb.Tab))
	}
	if got := evalJS[string](t, ctx, activeTestID); got != "authorize-add" || tabs > 3 {
		t.Fatalf("after the skip link and %d Tabs the focus is on %q, want Add within 3 Tabs", tabs, got)
	}

	// Resize by keyboard: the separator grows the panel with ArrowUp, and the size survives a reload.
	sep := `[data-testid="split-panel-resize"]`
	for attr, want := range map[string]string{"role": "separator", "aria-orientation": "horizontal", "tabindex": "0"} {
		if got := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).getAttribute(%q)`, sep, attr)); got != want {
			t.Fatalf("resize handle %s = %q, want %q", attr, got, want)
		}
	}
	h0 := rectOf(t, ctx, `[data-testid="split-panel"]`).Height
	now0 := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-valuenow')`, sep))
	must(t, ctx, "ArrowUp twice on the handle", chromedp.Focus(css(sep)), chromedp.KeyEvent(kb.ArrowUp), chromedp.KeyEvent(kb.ArrowUp))
	h1 := rectOf(t, ctx, `[data-testid="split-panel"]`).Height
	now1 := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-valuenow')`, sep))
	if h1 <= h0+40 || now1 == now0 {
		t.Fatalf("ArrowUp: height %v -> %v, aria-valuenow %s -> %s; want the panel taller", h0, h1, now0, now1)
	}
	must(t, ctx, "ArrowDown once", chromedp.KeyEvent(kb.ArrowDown))
	h2 := rectOf(t, ctx, `[data-testid="split-panel"]`).Height
	if h2 >= h1 {
		t.Fatalf("ArrowDown: height %v -> %v, want the panel shorter", h1, h2)
	}
	must(t, ctx, "reload", chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="split-panel"]`)))
	waitJS(t, ctx, "the size is remembered", fmt.Sprintf(`Math.abs(document.querySelector('[data-testid="split-panel"]').getBoundingClientRect().height - %v) < 2`, h2))

	// Collapse: only the header bar stays; remembered across a reload; expand again.
	toggle := `[data-testid="split-panel-toggle"]`
	must(t, ctx, "collapse", chromedp.Click(css(toggle)))
	if got := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-expanded')`, toggle)); got != "false" {
		t.Fatalf("collapse button aria-expanded = %q after collapsing", got)
	}
	if c := rectOf(t, ctx, `[data-testid="split-panel"]`); c.Height > 80 || c.Bottom < 899 {
		t.Fatalf("collapsed panel at %+v, want only its header bar at the bottom", c)
	}
	if visible := evalJS[bool](t, ctx, `document.querySelector('[data-testid="authorize-add"]').getClientRects().length > 0`); visible {
		t.Fatal("the collapsed panel still shows its body")
	}
	must(t, ctx, "reload collapsed", chromedp.Reload(), chromedp.WaitVisible(css(toggle)))
	waitJS(t, ctx, "the collapsed state is remembered", fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-expanded') === 'false'`, toggle))
	must(t, ctx, "expand", chromedp.Click(css(toggle)), chromedp.WaitVisible(css(`[data-testid="authorize-add"]`)))
	if got := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-expanded')`, toggle)); got != "true" {
		t.Fatalf("aria-expanded = %q after expanding", got)
	}

	// Drag the handle 150 pixels up: the panel grows by as much, and keeps the size after a reload.
	grip := rectOf(t, ctx, sep)
	x, y := (grip.Left+grip.Right)/2, (grip.Top+grip.Bottom)/2
	before = rectOf(t, ctx, `[data-testid="split-panel"]`).Height
	must(t, ctx, "drag the handle up",
		chromedp.MouseEvent(input.DispatchMouseEventTypeMousePressed, x, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y-75, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, x, y-150, chromedp.ButtonLeft),
		chromedp.MouseEvent(input.DispatchMouseEventTypeMouseReleased, x, y-150, chromedp.ButtonLeft),
	)
	dragged := rectOf(t, ctx, `[data-testid="split-panel"]`).Height
	if dragged < before+140 || dragged > before+160 {
		t.Fatalf("dragging the handle 150 pixels up: height %v -> %v", before, dragged)
	}
	must(t, ctx, "reload after the drag", chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="split-panel"]`)))
	waitJS(t, ctx, "the dragged size is remembered", fmt.Sprintf(`Math.abs(document.querySelector('[data-testid="split-panel"]').getBoundingClientRect().height - %v) < 2`, dragged))

	// The help panel opens beside the content: the docked panel narrows to stay out of its way.
	must(t, ctx, "open the help panel",
		chromedp.Click(css(`[data-testid="info-security-groups"]`)),
		chromedp.WaitVisible(css(`[data-testid="help-panel"]`)),
	)
	waitJS(t, ctx, "the split panel ends where the help panel starts", `document.querySelector('[data-testid="split-panel"]').getBoundingClientRect().right <= document.querySelector('[data-testid="help-panel"]').getBoundingClientRect().left + 1`)
	must(t, ctx, "close the help panel", chromedp.Click(css(`[data-testid="help-close"]`)), chromedp.WaitNotVisible(css(`[data-testid="help-panel"]`)))
	waitJS(t, ctx, "the split panel spans the content column again", `Math.abs(document.querySelector('[data-testid="split-panel"]').getBoundingClientRect().right - document.getElementById('main').getBoundingClientRect().right) < 1`)

	// Closing the panel: announced, the focus back on the group's box, no padding left behind.
	must(t, ctx, "close the panel",
		chromedp.Click(css(`[data-testid="split-panel"] a[aria-label="Close details"]`)),
		chromedp.WaitNotPresent(css(`[data-testid="split-panel"]`)),
	)
	waitJS(t, ctx, "the closing is announced", `document.querySelector('[data-testid="split-panel-announcer"]').textContent.includes('Security group reporting details closed')`)
	waitJS(t, ctx, "the focus is back on the box", `document.activeElement.id === 'select-reporting'`)
	if pad := evalJS[string](t, ctx, `document.getElementById('main').style.paddingBottom`); pad != "" {
		t.Fatalf("the page keeps the panel's padding (%s) after closing it", pad)
	}
}

// TestBrowserFocusFollowsTheWork: after Add the page lands on the flash with the new row in view in
// the docked panel; after a filter the cursor stays in the filter; after a settings change the flash
// has the focus.
func TestBrowserFocusFollowsTheWork(t *testing.T) {
	srv, _ := newPanelConsole(t, 25)
	ctx := newBrowser(t)
	signIn(t, ctx, srv)
	must(t, ctx, "tick staging's box",
		chromedp.EmulateViewport(1440, 900),
		chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="select-staging"]`)),
		chromedp.Click(css(`[data-testid="select-staging"]`)),
		chromedp.WaitVisible(css(`[data-testid="split-panel"] [data-testid="authorize-add"]`)),
	)
	must(t, ctx, "add bastion",
		chromedp.SendKeys(css(`[data-testid="split-panel"] input[name="ec2_security_group_name"]`), "bastion"),
		chromedp.Click(css(`[data-testid="authorize-add"]`)),
		chromedp.WaitVisible(css(`[data-testid="split-panel"] [data-testid="ec2-row-bastion"]`)),
	)
	waitJS(t, ctx, "focus on the flash", `document.activeElement && document.activeElement.getAttribute('data-testid') === 'flash'`)
	wantContains(t, "flash", text(t, ctx, `[data-testid="flash"]`), "bastion")
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	wantContains(t, "the page lands at the row", loc, "#ec2-row-bastion-"+models.DefaultAccountID)
	inViewport(t, ctx, "the new row", `[data-testid="ec2-row-bastion"]`)
	inViewport(t, ctx, "the flash", `[data-testid="flash"]`)
	inViewport(t, ctx, "the name field, for the next Add", `[data-testid="split-panel"] input[name="ec2_security_group_name"]`)

	// Filtering: type and press Enter; the list changes and the cursor stays where it was.
	must(t, ctx, "filter by web",
		chromedp.Click(css(`[data-testid="filter"]`)),
		chromedp.KeyEvent("web"),
		chromedp.KeyEvent(kb.Enter),
	)
	waitJS(t, ctx, "the filter applies", `!!document.querySelector('[data-testid="match-count"]') && !document.querySelector('[data-testid="row-staging"]')`)
	wantContains(t, "match count", text(t, ctx, `[data-testid="match-count"]`), "1 match")
	if got := evalJS[string](t, ctx, activeTestID); got != "filter" {
		t.Fatalf("focus after filtering is on %q, want the filter", got)
	}
	if caret := evalJS[float64](t, ctx, `document.activeElement.selectionStart`); caret != 3 {
		t.Fatalf("caret at %v after filtering, want 3 (after \"web\")", caret)
	}
	loc, _ = chromedp.Run(ctx, chromedp.Location())
	wantContains(t, "the filter is in the address", loc, "filter=web")
	// Typing on filters as you type, still in the filter.
	must(t, ctx, "narrow to nothing", chromedp.KeyEvent("-nope"))
	waitJS(t, ctx, "the list follows the typing", `!!document.querySelector('[data-testid="empty-state"]')`)
	if got := evalJS[string](t, ctx, activeTestID); got != "filter" {
		t.Fatalf("focus after typing is on %q, want the filter", got)
	}
	if v := evalJS[string](t, ctx, `document.activeElement.value`); v != "web-nope" {
		t.Fatalf("filter value %q after typing, want web-nope", v)
	}
	// A reload of a filtered address (the no-swap path) puts the cursor back in the filter.
	must(t, ctx, "reload the filtered list", chromedp.Reload(), chromedp.WaitVisible(css(`[data-testid="filter"]`)))
	waitJS(t, ctx, "focus in the filter after a reload", `document.activeElement.getAttribute('data-testid') === 'filter'`)

	// A selection opened by its address: the ticked row far down the list shows above the panel.
	must(t, ctx, "open a bookmarked selection",
		chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1&selected=zz-group-10#split-panel"),
		chromedp.WaitVisible(css(`[data-testid="split-panel"]`)),
	)
	waitJS(t, ctx, "the ticked row is clear of the panel", `(() => { const r = document.querySelector('tr.is-selected').getBoundingClientRect();
		return r.top >= 0 && r.bottom <= document.querySelector('[data-testid="split-panel"]').getBoundingClientRect().top; })()`)

	// Another page: the settings form's redirect lands on the flash too.
	must(t, ctx, "save a setting",
		chromedp.Navigate(srv.URL+"/settings?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="save-platform-us-east-1"]`)),
		chromedp.Click(css(`[data-testid="save-platform-us-east-1"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"]`)),
	)
	waitJS(t, ctx, "focus on the settings flash", `document.activeElement.getAttribute('data-testid') === 'flash'`)
	loc, _ = chromedp.Run(ctx, chromedp.Location())
	wantContains(t, "settings redirect", loc, "#flash")
}

// TestBrowserEC2GroupAutosuggest: the EC2 Security Group Name field is a combobox with a caret
// that lists the account's EC2-Classic groups with their descriptions; Enter picks one, typing
// filters, and a name of another account can still be typed.
func TestBrowserEC2GroupAutosuggest(t *testing.T) {
	srv, _ := newConsole(t, true)
	ctx := newBrowser(t)
	signIn(t, ctx, srv)
	must(t, ctx, "tick staging's box among the five demo groups",
		chromedp.EmulateViewport(1440, 900),
		chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="select-staging"]`)),
		chromedp.Click(css(`[data-testid="select-staging"]`)),
		chromedp.WaitVisible(css(`[data-testid="autosuggest-caret"]`)),
	)
	// With the five demo groups too, the field and Add are in view at once.
	inViewport(t, ctx, "EC2 Security Group Name field", `[data-testid="split-panel"] input[name="ec2_security_group_name"]`)
	inViewport(t, ctx, "Add button", `[data-testid="split-panel"] [data-testid="authorize-add"]`)
	if y := evalJS[float64](t, ctx, `window.scrollY + document.querySelector('.split-panel__body').scrollTop`); y != 0 {
		t.Fatalf("ticking the box scrolled the page or the panel by %v", y)
	}
	field := `#ec2-name-staging`
	for attr, want := range map[string]string{"role": "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "list": ""} {
		if got := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).getAttribute(%q) || ''`, field, attr)); got != want {
			t.Fatalf("name field %s = %q, want %q", attr, got, want)
		}
	}
	must(t, ctx, "clear the owner ID, open the list with the caret",
		chromedp.Clear(css(`#ec2-owner-staging`)),
		chromedp.Click(css(`[data-testid="autosuggest-caret"]`)),
		chromedp.WaitVisible(css(`[data-testid="autosuggest-list"]`)),
	)
	if got := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-expanded')`, field)); got != "true" {
		t.Fatalf("aria-expanded = %q with the list open", got)
	}
	if got := evalJS[string](t, ctx, fmt.Sprintf(`document.getElementById(document.querySelector(%q).getAttribute('aria-controls')).getAttribute('role')`, field)); got != "listbox" {
		t.Fatalf("the field controls a %q, want the listbox", got)
	}
	options := evalJS[[]string](t, ctx, `[...document.querySelectorAll('[data-testid="autosuggest-list"] [role="option"]')].map(o => o.textContent)`)
	joined := strings.Join(options, " | ")
	for _, want := range []string{"app-servers", "bastion", "default", "web-servers"} {
		wantContains(t, "options", joined, want)
	}
	if strings.Contains(joined, "vpc-web") {
		t.Fatalf("the list offers the VPC group: %s", joined)
	}
	if descs := evalJS[[]string](t, ctx, `[...document.querySelectorAll('[data-testid="autosuggest-list"] [role="option"] .autosuggest__desc')].map(d => d.textContent)`); len(descs) != len(options) {
		t.Fatalf("%d of %d options show a description (%v)", len(descs), len(options), descs)
	}
	inViewport(t, ctx, "the open list", `[data-testid="autosuggest-list"]`)
	if got := evalJS[string](t, ctx, activeTestID); got != "ec2-name-staging" {
		t.Fatalf("the caret took the focus (%q); want it in the field", got)
	}
	firstName := evalJS[string](t, ctx, `document.querySelector('[data-testid="autosuggest-list"] [role="option"] .autosuggest__name').textContent`)
	must(t, ctx, "ArrowDown", chromedp.KeyEvent(kb.ArrowDown))
	if got := evalJS[string](t, ctx, fmt.Sprintf(`document.getElementById(document.querySelector(%q).getAttribute('aria-activedescendant')).textContent`, field)); !strings.HasPrefix(got, firstName) {
		t.Fatalf("ArrowDown made %q the active option, want the first one (%s)", got, firstName)
	}
	pressEnter(t, ctx) // on the active option
	if v := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).value`, field)); v != firstName {
		t.Fatalf("Enter picked %q, want the first option %q", v, firstName)
	}
	if v := evalJS[string](t, ctx, `document.querySelector('#ec2-owner-staging').value`); v != models.DefaultAccountID {
		t.Fatalf("owner ID after picking = %q, want the account's %s", v, models.DefaultAccountID)
	}
	if visible := evalJS[bool](t, ctx, `!document.querySelector('[data-testid="autosuggest-list"]').hidden`); visible {
		t.Fatal("the list stays open after picking")
	}
	if loc, _ := chromedp.Run(ctx, chromedp.Location()); strings.Contains(loc, "authorizations") {
		t.Fatal("Enter on an option submitted the form")
	}

	// Typing filters; Escape closes.
	must(t, ctx, "type bas", clearJS(field), chromedp.Focus(css(field)), chromedp.KeyEvent("bas"))
	waitJS(t, ctx, "filtered list", `!document.querySelector('[data-testid="autosuggest-list"]').hidden`)
	options = evalJS[[]string](t, ctx, `[...document.querySelectorAll('[data-testid="autosuggest-list"] [role="option"] .autosuggest__name')].map(o => o.textContent)`)
	if strings.Join(options, ",") != "bastion" {
		t.Fatalf("options after typing bas = %v, want bastion only", options)
	}
	must(t, ctx, "Escape", chromedp.KeyEvent(kb.Escape))
	if open := evalJS[string](t, ctx, fmt.Sprintf(`document.querySelector(%q).getAttribute('aria-expanded')`, field)); open != "false" {
		t.Fatalf("aria-expanded = %q after Escape", open)
	}

	// A group of another account is typed and added as is.
	must(t, ctx, "type another account's group and Add",
		clearJS(field), chromedp.Focus(css(field)), chromedp.KeyEvent("partner-web"),
		chromedp.SetValue(css(`#ec2-owner-staging`), "210987654321"),
		chromedp.Focus(css(field)),
	)
	pressEnter(t, ctx) // the list is closed: Enter submits the form
	must(t, ctx, "the other account's group is added", chromedp.WaitVisible(css(`[data-testid="ec2-row-partner-web"]`)))
	wantContains(t, "row of another account", text(t, ctx, `[data-testid="ec2-row-partner-web"]`), "210987654321")
}

// TestBrowserPanelNoJS: without scripts the selection link carries #split-panel and the page jumps
// to the panel below the table; Add comes back at the changed row.
func TestBrowserPanelNoJS(t *testing.T) {
	srv, _ := newPanelConsole(t, 10)
	{
		ctx := newBrowser(t)
		if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
			t.Fatalf("disable JavaScript: %v", err)
		}
		signIn(t, ctx, srv)
		must(t, ctx, "open the list",
			chromedp.EmulateViewport(1440, 900),
			chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
			chromedp.WaitVisible(css(`[data-testid="select-staging"]`)),
		)
		href := evalJS[string](t, ctx, `document.querySelector('[data-testid="select-staging"]').getAttribute('href')`)
		if !strings.HasSuffix(href, "#split-panel") {
			t.Fatalf("selection link %q lacks #split-panel", href)
		}
		must(t, ctx, "tick the box", chromedp.Click(css(`[data-testid="select-staging"]`)), chromedp.WaitVisible(css(`[data-testid="split-panel"]`)))
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		wantContains(t, "address", loc, "selected=staging#split-panel")
		wantContains(t, "panel", text(t, ctx, `[data-testid="split-panel"] h2`), "staging")
		if y := evalJS[float64](t, ctx, `window.scrollY`); y <= 0 {
			t.Fatal("the page did not jump to the panel")
		}
		// The panel's top is at the top of the window, or as close as the end of the page allows.
		atEnd := evalJS[bool](t, ctx, `window.scrollY + window.innerHeight >= document.documentElement.scrollHeight - 1`)
		if top := rectOf(t, ctx, `[data-testid="split-panel"]`).Top; top < -1 || (top > 1 && !atEnd) || top > 450 {
			t.Fatalf("panel top at %v after the jump (page end reached: %v), want it at the top of the window", top, atEnd)
		}
		if pos := evalJS[string](t, ctx, `getComputedStyle(document.querySelector('[data-testid="split-panel"]')).position`); pos == "fixed" {
			t.Fatal("without JavaScript the panel is docked, over a table the user can't resize it away from")
		}
		// The table is above the panel, in the page flow.
		if tbl := rectOf(t, ctx, `[data-testid="sg-table"]`); tbl.Bottom > rectOf(t, ctx, `[data-testid="split-panel"]`).Top {
			t.Fatal("the panel is not below the table")
		}
		for _, sel := range []string{`[data-testid="split-panel-resize"]`, `[data-testid="split-panel-toggle"]`} {
			if visible := evalJS[bool](t, ctx, fmt.Sprintf(`document.querySelector(%q).getClientRects().length > 0`, sel)); visible {
				t.Fatalf("%s shows without JavaScript, where it can't work", sel)
			}
		}
		// Add lands on the changed row.
		must(t, ctx, "add bastion without JavaScript",
			chromedp.SendKeys(css(`#ec2-name-staging`), "bastion"),
			chromedp.Click(css(`[data-testid="authorize-add"]`)),
			chromedp.WaitVisible(css(`[data-testid="ec2-row-bastion"]`)),
		)
		loc, _ = chromedp.Run(ctx, chromedp.Location())
		wantContains(t, "address after Add", loc, "#ec2-row-bastion-")
		inViewport(t, ctx, "the new row", `[data-testid="ec2-row-bastion"]`)
	}
}

// TestBrowserPanelPhone: at 390x844 the panel is part of the page, which is the only scroll area.
func TestBrowserPanelPhone(t *testing.T) {
	srv, _ := newPanelConsole(t, 10)
	{
		ctx := newBrowser(t)
		signIn(t, ctx, srv)
		must(t, ctx, "tick a box on a phone",
			chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile),
			chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
			chromedp.WaitVisible(css(`[data-testid="select-web-sessions"]`)),
			chromedp.Click(css(`[data-testid="select-web-sessions"]`)),
			chromedp.WaitVisible(css(`[data-testid="split-panel"]`)),
		)
		waitJS(t, ctx, "the panel scrolled into view", `document.querySelector('[data-testid="split-panel"]').getBoundingClientRect().top < window.innerHeight`)
		scrollers := evalJS[[]string](t, ctx, `[...document.querySelectorAll('[data-testid="split-panel"], [data-testid="split-panel"] *')].filter(el => {
			const s = getComputedStyle(el); return /(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1; }).map(el => el.className || el.tagName)`)
		if len(scrollers) != 0 {
			t.Fatalf("the panel has its own vertical scroll areas %v; on a phone the page is the only one", scrollers)
		}
		if w, vw := evalJS[float64](t, ctx, `document.documentElement.scrollWidth`), evalJS[float64](t, ctx, `window.innerWidth`); w > vw {
			t.Fatalf("the page is %v pixels wide in a %v-pixel window", w, vw)
		}
	}
}
