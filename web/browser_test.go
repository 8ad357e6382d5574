package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"sgconsole/models"
	"sgconsole/web"
)

// css selects by CSS selector, the way the templates mark elements with data-testid.
type css = chromedp.CSS

// testClock is a clock the test moves by hand, so statuses change without sleeping.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func chromiumPath(t *testing.T) string {
	t.Helper()
	path := os.Getenv("CHROMIUM_PATH")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	if _, err := exec.LookPath(path); err != nil {
		t.Fatalf("the browser tests need Chromium at %s (install it with `apt-get install -y chromium`, or set CHROMIUM_PATH): %v", path, err)
	}
	return path
}

// newBrowser starts headless Chromium with the flags that work as root on a closed network.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck, chromedp.UserDataDir(t.TempDir()),
		chromedp.Env("TMPDIR=" + t.TempDir()), chromedp.WindowSize(1280, 900),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("disable-quic", true), chromedp.Flag("disable-dev-shm-usage", true),
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// newConsole serves a bootstrapped console with a hand-moved clock.
func newConsole(t testing.TB, demo bool) (*httptest.Server, *testClock) {
	srv, _, clock := newConsoleStore(t, demo)
	return srv, clock
}

func newConsoleStore(t testing.TB, demo bool) (*httptest.Server, *models.Store, *testClock) {
	t.Helper()
	store, err := models.Open(filepath.Join(t.TempDir(), "browser.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	clock := &testClock{now: time.Date(2022, 3, 1, 12, 0, 0, 0, time.UTC)}
	store.Now = clock.Now
	store.PasswordCost = bcrypt.MinCost // the console's own cost is not what these tests are about
	env := func(k string) string {
		if k == "SGCONSOLE_ADMIN_PASSWORD" {
			return "browser-test-pw"
		}
		return ""
	}
	if _, err := web.Bootstrap(context.Background(), store, web.Command{Demo: demo}, env); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{}, store, slog.New(slog.NewTextHandler(io.Discard, nil))))
	t.Cleanup(srv.Close)
	return srv, store, clock
}

func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("SGCONSOLE_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "sgconsole-screenshots")
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
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

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(css(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("read %s: %v", sel, err)
	}
	return strings.Join(strings.Fields(s), " ")
}

func must(t *testing.T, ctx context.Context, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	stepCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(stepCtx, steps...); err != nil {
		// Show what the browser had on screen when the step failed.
		if page, herr := chromedp.Run(ctx, chromedp.Text(css("main"))); herr == nil {
			t.Logf("page when %q failed:\n%.3000s", what, strings.Join(strings.Fields(page), " "))
		}
		t.Fatalf("%s: %v", what, err)
	}
}

func wantContains(t *testing.T, what, got, want string) {
	t.Helper()
	if !strings.Contains(got, want) {
		t.Fatalf("%s: got %q, want it to contain %q", what, got, want)
	}
}

// TestBrowserSecurityGroupsPane walks the pane as a trainee would, following the docs' steps.
func TestBrowserSecurityGroupsPane(t *testing.T) {
	srv, clock := newConsole(t, true)
	ctx := newBrowser(t)

	must(t, ctx, "sign in",
		chromedp.Navigate(srv.URL+"/security-groups"),
		chromedp.WaitVisible(css(`[data-testid="login-form"]`)),
		chromedp.SendKeys(css(`#username`), "admin"),
		chromedp.SendKeys(css(`#password`), "browser-test-pw"),
		chromedp.Click(css(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="sg-table"]`)),
	)
	wantContains(t, "page title", text(t, ctx, `h1`), "Security Groups (5)")
	wantContains(t, "banner", text(t, ctx, `[data-testid="retirement-banner"]`), "August 15, 2022")
	screenshot(t, ctx, "security-groups")

	must(t, ctx, "open the create form and submit a bad name",
		chromedp.Click(css(`[data-testid="create-button"]`)),
		chromedp.WaitVisible(css(`[data-testid="create-form"]`)),
		chromedp.SendKeys(css(`#sg-name`), "web_cache"),
		chromedp.SendKeys(css(`#sg-description`), "Cache for the web tier"),
		chromedp.Click(css(`[data-testid="create-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="error-name"]`)),
	)
	wantContains(t, "field error", text(t, ctx, `[data-testid="error-name"]`), "Enter a name of 1 to 255 letters, digits or hyphens")
	if v, _ := chromedp.Run(ctx, chromedp.Value(css(`#sg-description`))); v != "Cache for the web tier" {
		t.Fatalf("description after a failed submit = %q, want the user's input kept", v)
	}
	screenshot(t, ctx, "create-field-error")

	must(t, ctx, "fix the name and create",
		chromedp.Clear(css(`#sg-name`)),
		chromedp.SendKeys(css(`#sg-name`), "Web-Cache"),
		chromedp.Click(css(`[data-testid="create-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="group-details"]`)),
	)
	wantContains(t, "flash", text(t, ctx, `[data-testid="flash"]`), "Successfully created security group web-cache.")

	// The docs' steps: in the navigation pane choose Security Groups; choose the box to the left of
	// the group; at the bottom of the window pick the EC2 Security Group Name and choose Add.
	must(t, ctx, "tick the group's box",
		chromedp.Click(css(`[data-testid="nav-security-groups"]`)),
		chromedp.WaitVisible(css(`[data-testid="select-web-cache"]`)),
		chromedp.Click(css(`[data-testid="select-web-cache"]`)),
		chromedp.WaitVisible(css(`[data-testid="split-panel"]`)),
	)
	wantContains(t, "split panel", text(t, ctx, `[data-testid="split-panel"] h2`), "web-cache")
	if owner, _ := chromedp.Run(ctx, chromedp.Value(css(`[data-testid="split-panel"] input[name="ec2_security_group_owner_id"]`))); owner != models.DefaultAccountID {
		t.Fatalf("owner ID field = %q, want it pre-filled with %s", owner, models.DefaultAccountID)
	}
	must(t, ctx, "authorize web-servers",
		chromedp.SendKeys(css(`[data-testid="split-panel"] input[name="ec2_security_group_name"]`), "web-servers"),
		chromedp.Click(css(`[data-testid="authorize-add"]`)),
		chromedp.WaitVisible(css(`[data-testid="ec2-row-web-servers"]`)),
	)
	wantContains(t, "status after Add", text(t, ctx, `[data-testid="ec2-row-web-servers"] [data-testid="status"]`), "authorizing")

	// Nobody reloads: the page's own refresh must pick up the change once the delay has passed.
	clock.Advance(models.DefaultPropagationDelay)
	must(t, ctx, "wait for authorized", chromedp.WaitVisible(css(`[data-testid="ec2-row-web-servers"] .status--success`)))
	wantContains(t, "status after the delay", text(t, ctx, `[data-testid="ec2-row-web-servers"] [data-testid="status"]`), "authorized")
	screenshotViewport(t, ctx, "split-panel-authorized") // the docked panel belongs to the window, not the page

	must(t, ctx, "remove web-servers (it asks first)",
		chromedp.Click(css(`[data-testid="remove-web-servers"]`)),
		chromedp.WaitVisible(css(`[data-testid="ec2-row-web-servers"] [data-testid="revoke-dialog"]`)),
		chromedp.Click(css(`[data-testid="ec2-row-web-servers"] [data-testid="revoke-dialog"] [data-testid="confirm-delete"]`)),
		chromedp.WaitVisible(css(`[data-testid="ec2-row-web-servers"] .status--pending`)),
	)
	wantContains(t, "status after Remove", text(t, ctx, `[data-testid="ec2-row-web-servers"] [data-testid="status"]`), "revoking")
	clock.Advance(models.DefaultPropagationDelay)
	must(t, ctx, "wait for the entry to go", chromedp.WaitNotPresent(css(`[data-testid="ec2-row-web-servers"]`)))

	must(t, ctx, "delete the group through the dialog",
		chromedp.Click(css(`[data-testid="delete-button"]`)),
		chromedp.WaitVisible(css(`[data-testid="delete-dialog"]`)),
	)
	wantContains(t, "dialog names the group", text(t, ctx, `[data-testid="delete-dialog"] [data-testid="delete-name"]`), "web-cache")
	screenshot(t, ctx, "delete-dialog")
	must(t, ctx, "confirm delete",
		chromedp.Click(css(`[data-testid="delete-dialog"] [data-testid="confirm-delete"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"]`)),
		chromedp.WaitNotPresent(css(`[data-testid="row-web-cache"]`)),
	)
	wantContains(t, "flash after delete", text(t, ctx, `[data-testid="flash"]`), "Successfully deleted security group web-cache.")

	must(t, ctx, "switch us-east-1 to VPC-only",
		chromedp.Click(css(`[data-testid="nav-settings"]`)),
		chromedp.WaitVisible(css(`[data-testid="platforms"]`)),
		chromedp.SetValue(css(`#platform-us-east-1`), "vpc"),
		chromedp.Click(css(`[data-testid="save-platform-us-east-1"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"]`)),
		chromedp.WaitNotPresent(css(`[data-testid="nav-security-groups"]`)),
		chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="vpc-notice"]`)),
	)
	wantContains(t, "VPC notice", text(t, ctx, `[data-testid="vpc-notice"]`), "VPC security groups")
	screenshot(t, ctx, "vpc-only-region")
}

// TestBrowserWithoutJavaScript follows the same steps with scripts off: the box is a link that
// renders the panel on the server, Delete opens a confirmation page, and the banner's dismiss is a form.
func TestBrowserWithoutJavaScript(t *testing.T) {
	srv, _ := newConsole(t, true)
	ctx := newBrowser(t)
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disable JavaScript: %v", err)
	}
	must(t, ctx, "sign in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.SendKeys(css(`#username`), "admin"),
		chromedp.SendKeys(css(`#password`), "browser-test-pw"),
		chromedp.Click(css(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="sg-table"]`)),
	)
	if js, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.classList.contains('js')`)); js {
		t.Fatal("the page script ran although JavaScript is disabled")
	}
	must(t, ctx, "tick the box of reporting (a link without JavaScript)",
		chromedp.Click(css(`[data-testid="select-reporting"]`)),
		chromedp.WaitVisible(css(`[data-testid="split-panel"]`)),
	)
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	wantContains(t, "URL after ticking the box", loc, "selected=reporting")
	wantContains(t, "panel", text(t, ctx, `[data-testid="split-panel"] [data-testid="ec2-groups"]`), "etl-workers")

	must(t, ctx, "dismiss the banner with its form",
		chromedp.Click(css(`[data-testid="dismiss-banner"]`)),
		chromedp.WaitVisible(css(`[data-testid="sg-table"]`)),
		chromedp.WaitNotPresent(css(`[data-testid="retirement-banner"]`)),
	)
	loc, _ = chromedp.Run(ctx, chromedp.Location())
	wantContains(t, "dismiss returns to the same view", loc, "selected=reporting")

	must(t, ctx, "delete through the confirmation page",
		chromedp.Click(css(`[data-testid="delete-button"]`)),
		chromedp.WaitVisible(css(`.confirm-page [data-testid="confirm-delete"]`)),
	)
	wantContains(t, "confirmation names the group", text(t, ctx, `[data-testid="delete-name"]`), "reporting")
	// Its authorization goes with it: the page asks for the typed word, which the server checks.
	must(t, ctx, "confirm",
		chromedp.SendKeys(css(`.confirm-page input[name="confirm"]`), "confirm"),
		chromedp.Click(css(`.confirm-page [data-testid="confirm-delete"]`)),
		chromedp.WaitVisible(css(`[data-testid="flash"]`)),
		chromedp.WaitNotPresent(css(`[data-testid="row-reporting"]`)),
	)
	wantContains(t, "flash", text(t, ctx, `[data-testid="flash"]`), "Successfully deleted security group reporting.")
	if present, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('[data-testid="retirement-banner"]')`)); present {
		t.Fatal("the banner came back after dismissing it in this browser session")
	}
}

func signIn(t *testing.T, ctx context.Context, srv *httptest.Server) {
	t.Helper()
	must(t, ctx, "sign in",
		chromedp.Navigate(srv.URL+"/login"),
		chromedp.WaitVisible(css(`[data-testid="login-form"]`)),
		chromedp.SendKeys(css(`#username`), "admin"),
		chromedp.SendKeys(css(`#password`), "browser-test-pw"),
		chromedp.Click(css(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="side-nav"]`)),
	)
}

// TestBrowserClustersAndConnectivity creates an EC2-Classic and a VPC cluster, then asks the
// explainer whether an instance can reach the first before and after authorizing its EC2 group.
func TestBrowserClustersAndConnectivity(t *testing.T) {
	srv, store, clock := newConsoleStore(t, true)
	us := models.Scope{AccountID: models.DefaultAccountID, Region: "us-east-1"}
	vpcCache, vpcDefault := vpcGroupNamed(t, store, us, "vpc-cache"), vpcGroupNamed(t, store, us, "default")
	ctx := newBrowser(t)
	signIn(t, ctx, srv)

	must(t, ctx, "create an EC2-Classic cluster in the staging group",
		chromedp.Click(css(`[data-testid="nav-clusters"]`)),
		chromedp.WaitVisible(css(`[data-testid="cluster-table"]`)),
		chromedp.Click(css(`[data-testid="create-button"]`)),
		chromedp.WaitVisible(css(`[data-testid="cluster-network-form"]`)),
		chromedp.Click(css(`[data-testid="network-ec2-classic"]`)),
		chromedp.Click(css(`[data-testid="network-next"]`)),
		chromedp.WaitVisible(css(`[data-testid="cluster-create-form"]`)),
		chromedp.SendKeys(css(`#cluster-id`), "workshop"),
		chromedp.Clear(css(`#cluster-nodes`)),
		chromedp.SendKeys(css(`#cluster-nodes`), "2"),
		chromedp.Click(css(`[data-testid="sg-staging"]`)),
		chromedp.Click(css(`[data-testid="create-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="cluster-security-groups"]`)),
	)
	wantContains(t, "flash", text(t, ctx, `[data-testid="flash"]`), "Creating cache cluster workshop.")
	wantContains(t, "security groups pane", text(t, ctx, `[data-testid="cluster-security-groups"]`), "staging")
	wantContains(t, "subnet group of an EC2-Classic cluster", text(t, ctx, `[data-testid="detail-subnet-group"]`), "-")
	clock.Advance(models.DefaultPropagationDelay)
	must(t, ctx, "the page notices the cluster is available",
		chromedp.WaitVisible(css(`[data-live-id="cluster-header-status"] .status--success`)))
	screenshot(t, ctx, "cluster-classic")

	must(t, ctx, "create a VPC cluster",
		chromedp.Click(css(`[data-testid="nav-clusters"]`)),
		chromedp.WaitVisible(css(`[data-testid="create-button"]`)),
		chromedp.Click(css(`[data-testid="create-button"]`)),
		chromedp.WaitVisible(css(`[data-testid="cluster-network-form"]`)),
		chromedp.Click(css(`[data-testid="network-vpc"]`)),
		chromedp.Click(css(`[data-testid="network-next"]`)),
		chromedp.WaitVisible(css(`[data-testid="cluster-create-form"]`)),
		chromedp.SendKeys(css(`#cluster-id`), "workshop-vpc"),
		chromedp.SendKeys(css(`#cluster-subnet-group`), "prod-private"),
		chromedp.SendKeys(css(`#cluster-vpc-sgs`), vpcCache+", "+vpcDefault),
		chromedp.Click(css(`[data-testid="create-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="vpc-cluster-note"]`)),
	)
	if present, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector('[data-testid="cluster-security-groups"]')`)); present {
		t.Fatal("a VPC cluster shows a cache security groups pane")
	}
	wantContains(t, "VPC security groups", text(t, ctx, `[data-testid="detail-vpc-security-groups"]`), vpcDefault)
	screenshot(t, ctx, "cluster-vpc")

	explain := func(want string) {
		t.Helper()
		must(t, ctx, "explain web-1 -> workshop",
			chromedp.Click(css(`[data-testid="nav-connectivity"]`)),
			chromedp.WaitVisible(css(`[data-testid="explain-form"]`)),
			chromedp.SetValue(css(`#explain-instance`), "i-0a1b2c3d4e5f60001"),
			chromedp.SetValue(css(`#explain-cluster`), "workshop"),
			chromedp.Click(css(`[data-testid="explain"]`)),
			chromedp.WaitVisible(css(`[data-testid="verdict"]`)),
		)
		wantContains(t, "verdict", text(t, ctx, `[data-testid="verdict"]`), want)
	}
	explain("cannot connect")
	wantContains(t, "rule 2", text(t, ctx, `[data-testid="rule-2"]`), "None of the instance's EC2 security groups (web-servers)")
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	wantContains(t, "the verdict can be bookmarked", loc, "cluster=workshop")

	must(t, ctx, "authorize web-servers in staging",
		chromedp.Navigate(srv.URL+"/security-groups/staging?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="authorize-form"]`)),
		chromedp.SendKeys(css(`#ec2-name-staging`), "web-servers"),
		chromedp.Click(css(`[data-testid="authorize-add"]`)),
		chromedp.WaitVisible(css(`[data-testid="ec2-row-web-servers"]`)),
	)
	explain("cannot connect")
	wantContains(t, "rule 2 while authorizing", text(t, ctx, `[data-testid="rule-2"]`), "authorizing")
	clock.Advance(models.DefaultPropagationDelay)
	must(t, ctx, "the verdict refreshes itself",
		chromedp.WaitVisible(css(`.alert--success[data-testid="verdict"]`)))
	wantContains(t, "verdict after the delay", text(t, ctx, `[data-testid="verdict"]`), "can connect")
	screenshot(t, ctx, "connectivity-can-connect")
}

// TestBrowserSecurityCredentialsAndCLIHint creates an access key in the console and reads the CLI
// equivalent of a group's page: what a trainee copies into a terminal.
func TestBrowserSecurityCredentialsAndCLIHint(t *testing.T) {
	srv, _ := newConsole(t, true)
	ctx := newBrowser(t)
	signIn(t, ctx, srv)
	must(t, ctx, "create an access key",
		chromedp.Click(css(`[data-testid="nav-security-credentials"]`)),
		chromedp.WaitVisible(css(`[data-testid="create-key"]`)),
		chromedp.Click(css(`[data-testid="create-key"]`)),
		chromedp.WaitVisible(css(`[data-testid="new-key-secret"]`)),
	)
	wantContains(t, "warning", text(t, ctx, `[data-testid="secret-warning"]`), "only time")
	keyID := text(t, ctx, `[data-testid="new-key-id"]`)
	wantContains(t, "setup line", text(t, ctx, `[data-testid="new-key-setup"]`), "AWS_ACCESS_KEY_ID="+keyID)
	screenshot(t, ctx, "security-credentials")

	must(t, ctx, "open a group's CLI equivalent",
		chromedp.Navigate(srv.URL+"/security-groups/web-sessions?region=us-east-1"),
		chromedp.WaitVisible(css(`details.cli-hint summary`)),
		chromedp.Click(css(`details.cli-hint summary`)),
		chromedp.WaitVisible(css(`details.cli-hint [data-testid="cli-command"]`)),
	)
	cmd := text(t, ctx, `details.cli-hint [data-testid="cli-command"]`)
	wantContains(t, "CLI command", cmd, "aws elasticache describe-cache-security-groups")
	wantContains(t, "CLI group", cmd, "--cache-security-group-name web-sessions")
	wantContains(t, "CLI endpoint", cmd, "--endpoint-url "+srv.URL)
}

// TestBrowserKeyboardOnly ticks a group's box and adds an EC2 group without a mouse.
func TestBrowserKeyboardOnly(t *testing.T) {
	srv, _ := newConsole(t, true)
	ctx := newBrowser(t)
	signIn(t, ctx, srv)
	must(t, ctx, "tick staging's box with the space bar",
		chromedp.Navigate(srv.URL+"/security-groups?region=us-east-1"),
		chromedp.WaitVisible(css(`[data-testid="select-staging"]`)),
		chromedp.Focus(css(`[data-testid="select-staging"]`)),
		chromedp.KeyEvent(" "),
		chromedp.WaitVisible(css(`[data-testid="split-panel"]`)),
	)
	if checked, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('select-staging').getAttribute('aria-checked')`)); checked != "true" {
		t.Fatalf("aria-checked = %q after Space", checked)
	}
	must(t, ctx, "type a name and press Enter",
		chromedp.Focus(css(`#ec2-name-staging`)),
		chromedp.KeyEvent("bastion"),
		chromedp.KeyEvent("\r"),
		chromedp.WaitVisible(css(`[data-testid="ec2-row-bastion"]`)),
	)
	wantContains(t, "status", text(t, ctx, `[data-testid="ec2-row-bastion"] [data-testid="status"]`), "authorizing")
}
