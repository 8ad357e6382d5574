package web

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/elasticache"
	"github.com/aws/aws-sdk-go-v2/service/elasticache/types"
	"github.com/aws/smithy-go"

	"sgconsole/models"
)

// labWalk is one trainee of a fresh workshop (every built-in lab's setup in their sandbox) working
// through one lab in the console, as their browser would.
type labWalk struct {
	t    *testing.T
	cs   *console
	c    *client
	cred models.TraineeCredentials
	lab  models.Lab
}

func startLabWalk(t *testing.T, labID string) *labWalk {
	t.Helper()
	cs := newConsole(t, false)
	creds := cs.trainees(t, "walk", "trainee", 1)
	w := &labWalk{t: t, cs: cs, c: cs.mustSignInAs(t, creds[0].Username, creds[0].Password), cred: creds[0]}
	for _, l := range models.BuiltinLabs() {
		if l.ID == labID {
			w.lab = l
		}
	}
	if w.lab.ID == "" {
		t.Fatalf("no built-in lab %s", labID)
	}
	return w
}

// stepWords spells the compact states of want: d(one), p(ending), t(odo).
var stepWords = map[rune]string{'d': "done", 'p': "pending", 't': "todo"}

// want asserts what the lab's page and its progress endpoint say of every step after an action,
// states written one letter a step ("ddpt"), and returns the lab page.
func (w *labWalk) want(after, states string) *response {
	w.t.Helper()
	if len(states) != len(w.lab.Steps) {
		w.t.Fatalf("lab %s has %d steps, the test expects %q", w.lab.ID, len(w.lab.Steps), states)
	}
	var want []string
	done := 0
	for _, r := range states {
		want = append(want, stepWords[r])
		if r == 'd' {
			done++
		}
	}
	page := w.c.get("/labs/" + w.lab.ID).wantStatus(http.StatusOK)
	if got := stepStates(page); !slices.Equal(got, want) {
		var details []string
		page.find(testid("step-detail")).Each(func(_ int, s *goquery.Selection) {
			details = append(details, strings.Join(strings.Fields(s.Text()), " "))
		})
		w.t.Fatalf("after %s: lab %s shows steps %v, want %v\nwhat the checks looked for: %q", after, w.lab.ID, got, want, details)
	}
	for n, state := range want {
		step := testid("step-" + strconv.Itoa(n+1))
		label := map[string]string{"done": "Done", "pending": "In progress", "todo": "Not done yet"}[state]
		page.wantText(step+" "+testid("step-state"), label)
		if _, hidden := page.find(step + " " + testid("step-detail")).Attr("hidden"); hidden != (state == "done") {
			w.t.Errorf("after %s: step %d (%s) shows what its check looks for: %v", after, n+1, state, !hidden)
		}
	}
	total := strconv.Itoa(len(want))
	page.wantText(testid("lab-count"), strconv.Itoa(done)+" of "+total+" steps done")
	if hidden := page.wantPresent(testid("lab-complete")).HasClass("is-hidden"); hidden == (done == len(want)) {
		w.t.Errorf("after %s: %d of %s steps done, and \"Lab complete\" hidden=%v", after, done, total, hidden)
	}
	progress := w.c.labProgress(w.lab.ID)
	if got := progressStates(progress); !slices.Equal(got, want) {
		w.t.Fatalf("after %s: the progress endpoint says %v, the page %v", after, got, want)
	}
	if progress.Done != done || progress.Total != len(want) {
		w.t.Fatalf("after %s: progress %d of %d, want %d of %d", after, progress.Done, progress.Total, done, len(want))
	}
	return page
}

// finished checks the lab reads complete on its page and in the list of labs.
func (w *labWalk) finished() {
	w.t.Helper()
	w.c.get("/labs/" + w.lab.ID).wantPresent(testid("lab-complete") + `:not(.is-hidden)`)
	n := strconv.Itoa(len(w.lab.Steps))
	w.c.get("/labs").wantText(testid("lab-row-"+w.lab.ID)+" "+testid("lab-progress"), n+" of "+n+" steps done")
}

// nav follows a link of the navigation pane of page r.
func (w *labWalk) nav(r *response, id string) *response {
	w.t.Helper()
	return w.c.get(r.attr(testid("nav-"+id), "href")).wantStatus(http.StatusOK)
}

// click follows a link of page r.
func (w *labWalk) click(r *response, sel string) *response {
	w.t.Helper()
	return w.c.get(r.attr(sel, "href")).wantStatus(http.StatusOK)
}

// done follows the redirect of a successful form and checks the flash the next page shows.
func (w *labWalk) done(r *response, flash string) *response {
	w.t.Helper()
	r.wantStatus(http.StatusSeeOther)
	next := w.c.follow(r).wantStatus(http.StatusOK)
	next.wantText(testid("flash"), flash)
	return next
}

// submitGet fills in a GET form of page r as a browser would (every named field with its current
// value, then values) and requests its action. A value for a <select> must be one of its options.
func (c *client) submitGet(r *response, sel string, values map[string]string) *response {
	c.t.Helper()
	form := r.wantPresent(sel).First()
	if !form.Is("form") {
		c.t.Fatalf("%s: %q is not a form", r.URL, sel)
	}
	if method, _ := form.Attr("method"); strings.ToLower(method) != "get" {
		c.t.Fatalf("%s: form %q is not a GET form", r.URL, sel)
	}
	fields := url.Values{}
	form.Find("input, select").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		if name == "" {
			return
		}
		if s.Is("select") {
			opt := s.Find("option[selected]").First()
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			v, _ := opt.Attr("value")
			if want, ok := values[name]; ok {
				if !slices.Contains(attrs(s.Find("option"), "value"), want) {
					c.t.Fatalf("%s: %q offers no %s %q (options %q)", r.URL, sel, name, want, attrs(s.Find("option"), "value"))
				}
				v = want
			}
			fields.Set(name, v)
			return
		}
		if typ, _ := s.Attr("type"); typ == "submit" || typ == "button" || (typ == "checkbox" || typ == "radio") && !s.Is("[checked]") {
			return
		}
		v, _ := s.Attr("value")
		fields.Add(name, v)
	})
	for k, v := range values {
		fields.Set(k, v)
	}
	action, _ := form.Attr("action")
	if action == "" {
		action = r.URL
	}
	return c.get(action + "?" + fields.Encode())
}

// explain asks the connectivity explainer of a region, choosing the instance by its Name in the
// form's list and the cluster by its ID, and returns the verdict's heading.
func (w *labWalk) explain(region, instanceName, clusterID string) string {
	w.t.Helper()
	page := w.c.get("/connectivity?region=" + region).wantStatus(http.StatusOK)
	instanceID := ""
	page.find(testid("instance-select") + " option").Each(func(_ int, o *goquery.Selection) {
		if strings.HasPrefix(o.Text(), instanceName+" (") {
			instanceID, _ = o.Attr("value")
		}
	})
	if instanceID == "" {
		w.t.Fatalf("the explainer of %s offers no instance %s: %q", region, instanceName, page.text(testid("instance-select")))
	}
	r := w.c.submitGet(page, testid("explain-form"), map[string]string{"instance": instanceID, "cluster": clusterID}).wantStatus(http.StatusOK)
	return r.text(testid("verdict") + " .alert__header")
}

// wantVerdict asks the explainer and checks its verdict, "can connect" or "cannot connect".
func (w *labWalk) wantVerdict(region, instanceName, clusterID, verdict string) {
	w.t.Helper()
	got := w.explain(region, instanceName, clusterID)
	if !strings.HasPrefix(got, "Instance "+instanceName+" (") || !strings.HasSuffix(got, " "+verdict+" to cluster "+clusterID) {
		w.t.Fatalf("explainer, %s to %s in %s: %q, want %q", instanceName, clusterID, region, got, verdict)
	}
}

// apiClient is the real AWS SDK for Go, signed with the trainee's key from the workshop's
// credentials, against the console served on a real listener.
func (w *labWalk) apiClient(region string) *elasticache.Client {
	w.t.Helper()
	srv := httptest.NewServer(w.cs.e)
	w.t.Cleanup(srv.Close)
	return elasticache.NewFromConfig(aws.Config{Region: region,
		Credentials: credentials.NewStaticCredentialsProvider(w.cred.AccessKeyID, w.cred.SecretAccessKey, "")},
		func(o *elasticache.Options) {
			o.BaseEndpoint = aws.String(srv.URL)
			o.Retryer = aws.NopRetryer{}
		})
}

func wantAPICode(t *testing.T, err error, code string) string {
	t.Helper()
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != code {
		t.Fatalf("want the API error %s, got %v", code, err)
	}
	return apiErr.ErrorMessage()
}

func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

// TestBuiltinLabsThroughTheConsole: built-in labs 2 to 6, each in a fresh trainee sandbox of a
// workshop, done step by step as their instructions say (the console's forms and links, or the
// AWS SDK for the CLI lab); after every action the lab's page and its progress endpoint show
// exactly the steps done so far, in order, pending while the sandbox is still changing.
// (Lab 1 is TestLabOneStepByStep.)
func TestBuiltinLabsThroughTheConsole(t *testing.T) {
	t.Run("listing-available-security-groups", func(t *testing.T) {
		w := startLabWalk(t, "listing-available-security-groups")
		c := w.c
		lab := w.want("nothing", "ttt")

		// Step 1: find the groups of the order service, look at both, delete the unused one.
		pane := w.nav(lab, "security-groups")
		filtered := c.submitGet(pane, `form[role="search"]`, map[string]string{"filter": "orders"}).wantStatus(http.StatusOK)
		if got := filtered.rowNames(); !slices.Equal(got, []string{"orders-archive", "orders-cache"}) {
			t.Fatalf("filter orders lists %v", got)
		}
		filtered.wantText(testid("match-count"), "2 matches")
		inUse := w.click(filtered, testid("select-orders-cache"))
		inUse.wantText(testid("split-panel")+" h2", "Security group: orders-cache")
		inUse.wantPresent(testid("split-panel") + " " + testid("group-cluster-orders"))
		inUse.wantText(testid("group-clusters"), "It can't be deleted while any cluster uses it.")
		// Its delete dialog names the cluster and offers no Delete; posting anyway is refused, and ticks nothing.
		inUse.wantPresent(testid("delete-dialog") + " " + testid("in-use-orders"))
		inUse.wantAbsent(testid("delete-dialog") + " " + testid("confirm-delete"))
		refused := landed(c, c.post("/security-groups/orders-cache/delete?region=us-east-1", url.Values{"_csrf": {inUse.csrfToken()}}, nil))
		refused.wantStatus(http.StatusConflict)
		refused.wantText("main", "orders-cache can't be deleted while clusters use it")
		w.want("trying to delete orders-cache, which a cluster uses", "ttt")
		unused := w.click(filtered, testid("select-orders-archive"))
		unused.wantText(testid("split-panel")+" h2", "Security group: orders-archive")
		unused.wantText(testid("split-panel")+" "+testid("ec2-groups"), "No EC2 security groups authorized")
		unused.wantText(testid("split-panel")+" "+testid("group-clusters"), "No cache cluster uses this security group.")
		unused.wantText(testid("delete-dialog")+" "+testid("delete-name"), "orders-archive")
		list := w.done(c.submit(unused, testid("delete-dialog"), nil), "Successfully deleted security group orders-archive.")
		if names := list.rowNames(); slices.Contains(names, "orders-archive") || !slices.Contains(names, "orders-cache") {
			t.Fatalf("after the delete the list shows %v", names)
		}
		w.want("deleting orders-archive", "dtt")

		// Step 2: the filter cleared, tick search-cache and remove old-batch in its split panel.
		panel := w.click(w.nav(list, "security-groups"), testid("select-search-cache"))
		for _, ec2 := range []string{"web-servers", "old-batch"} {
			panel.wantText(testid("ec2-row-"+ec2)+" "+testid("status"), "authorized")
			panel.wantText(testid("ec2-row-"+ec2), w.cred.AccountID)
		}
		panel = w.done(c.submit(panel, testid("ec2-row-old-batch")+" form", nil), "Revoking EC2 security group old-batch (owner "+w.cred.AccountID+") from search-cache.")
		panel.wantText(testid("split-panel")+" "+testid("ec2-row-old-batch")+" "+testid("status"), "revoking")
		panel.wantAbsent(testid("remove-old-batch"))
		w.want("removing old-batch", "dpt")
		w.cs.clock.Advance(propagationDelay)
		panel = c.get(panel.URL).wantStatus(http.StatusOK) // what the page's refresh shows
		panel.wantAbsent(testid("ec2-row-old-batch"))
		panel.wantText(testid("ec2-row-web-servers")+" "+testid("status"), "authorized")
		w.want("the revocation applied", "ddt")

		// Step 3: create orders-cache-v2; the filtered list shows it, sorted either way, at any page size.
		form := w.click(panel, testid("create-button"))
		detail := w.done(c.submit(form, testid("create-form"), map[string]string{"name": "orders-cache-v2",
			"description": "Order service sessions, next version"}), "Successfully created security group orders-cache-v2.")
		detail.wantText(testid("page-title"), "orders-cache-v2")
		w.want("creating orders-cache-v2", "ddd")
		filtered = c.submitGet(w.nav(detail, "security-groups"), `form[role="search"]`, map[string]string{"filter": "orders"}).wantStatus(http.StatusOK)
		filtered.wantText(testid("match-count"), "2 matches")
		if got := filtered.rowNames(); !slices.Equal(got, []string{"orders-cache", "orders-cache-v2"}) {
			t.Fatalf("filter orders lists %v", got)
		}
		sorted := w.click(filtered, `th[aria-sort] a.sort-link`)
		if got := sorted.rowNames(); !slices.Equal(got, []string{"orders-cache-v2", "orders-cache"}) || !strings.Contains(sorted.URL, "filter=orders") {
			t.Fatalf("sorted the other way (%s): %v", sorted.URL, got)
		}
		sized := c.submitGet(sorted, `form.page-size`, map[string]string{"size": strconv.Itoa(models.PageSizes[len(models.PageSizes)-1])}).wantStatus(http.StatusOK)
		if got := sized.rowNames(); !slices.Equal(got, []string{"orders-cache-v2", "orders-cache"}) ||
			!strings.Contains(sized.URL, "filter=orders") || !strings.Contains(sized.URL, "sort=-name") {
			t.Fatalf("another page size (%s): %v", sized.URL, got)
		}
		w.want("reading the list", "ddd")
		w.finished()
	})

	t.Run("authorizing-network-access", func(t *testing.T) {
		w := startLabWalk(t, "authorizing-network-access")
		c := w.c
		lab := w.want("nothing", "ttt")
		w.wantVerdict("us-east-1", "web-lab-1", "lab-sessions", "cannot connect")

		// Step 1: tick lab-sessions, add web-servers at the bottom of the window.
		panel := w.click(w.nav(lab, "security-groups"), testid("select-lab-sessions"))
		// It suggests the sandbox's EC2-Classic groups (every lab's setup made some), never the VPC one.
		if got := attrs(panel.find(testid("split-panel")+" datalist option"), "value"); !slices.Contains(got, "web-servers") || slices.Contains(got, "vpc-web") {
			t.Fatalf("the authorize form suggests %v, want web-servers and not vpc-web", got)
		}
		if got := panel.attr(testid("authorize-form")+` input[name="ec2_security_group_owner_id"]`, "value"); got != w.cred.AccountID {
			t.Fatalf("the owner ID is filled in with %q, want the trainee's account %s", got, w.cred.AccountID)
		}
		panel = w.done(c.submit(panel, testid("authorize-form"), map[string]string{"ec2_security_group_name": "web-servers",
			"ec2_security_group_owner_id": w.cred.AccountID}), "Authorizing EC2 security group web-servers (owner "+w.cred.AccountID+") in lab-sessions.")
		panel.wantText(testid("split-panel")+" "+testid("ec2-row-web-servers")+" "+testid("status"), "authorizing")
		w.want("authorizing web-servers", "ppt")
		w.cs.clock.Advance(propagationDelay / 2)
		w.want("half the propagation delay", "ppt")
		w.cs.clock.Advance(propagationDelay / 2)
		panel = c.get(panel.URL).wantStatus(http.StatusOK)
		panel.wantText(testid("ec2-row-web-servers")+" "+testid("status"), "authorized")
		w.want("the authorization applied", "ddt")

		// Step 2: the explainer says why web-lab-1 can connect now.
		w.wantVerdict("us-east-1", "web-lab-1", "lab-sessions", "can connect")
		w.want("asking the explainer", "ddt")

		// Step 3: launch a VPC instance, try to authorize its group, ask the explainer.
		instances := w.nav(panel, "ec2-instances")
		instances.wantPresent(testid("group-vpc-web"))
		instances = w.done(c.submit(instances, testid("create-instance-form"), map[string]string{"name": "vpc-lab-1", "platform": "vpc",
			"security_groups": "vpc-web"}), "Launched instance ")
		instances.wantText(testid("flash"), "(vpc-lab-1) in VPC.")
		w.want("launching vpc-lab-1", "ddd")
		panel = w.click(w.nav(instances, "security-groups"), testid("select-lab-sessions"))
		refused := c.failedForm(c.submit(panel, testid("authorize-form"), map[string]string{"ec2_security_group_name": "vpc-web",
			"ec2_security_group_owner_id": w.cred.AccountID})).wantStatus(http.StatusUnprocessableEntity)
		refused.wantText(testid("authorize-form"), "vpc-web is a VPC security group. Cache security groups admit EC2-Classic security groups only")
		refused.wantAbsent(testid("ec2-row-vpc-web"))
		w.want("trying to authorize vpc-web", "ddd")
		w.wantVerdict("us-east-1", "vpc-lab-1", "lab-sessions", "cannot connect")
		w.wantVerdict("us-east-1", "web-lab-1", "lab-sessions", "can connect")
		w.want("asking the explainer about vpc-lab-1", "ddd")
		w.finished()
	})

	t.Run("associating-a-group-with-a-cluster", func(t *testing.T) {
		w := startLabWalk(t, "associating-a-group-with-a-cluster")
		c := w.c
		lab := w.want("nothing", "tttt")

		// Step 1: Clusters, Create cluster, with lab-app-cache as its only group.
		step1 := w.click(w.nav(lab, "clusters"), testid("create-button"))
		step1.wantPresent(testid("network-ec2-classic") + "[checked]")
		form := c.submitGet(step1, testid("cluster-network-form"), nil).wantStatus(http.StatusOK)
		form.wantPresent(testid("sg-default") + ":not([checked])")
		form.wantPresent(testid("sg-lab-app-cache") + ":not([checked])")
		detail := w.done(c.submit(form, testid("cluster-create-form"), map[string]string{"cluster_id": "lab-app", "engine": "memcached",
			"node_type": "cache.m1.small", "num_nodes": "1", "network": "ec2-classic", "cache_security_groups": "lab-app-cache"}),
			"Creating cache cluster lab-app.")
		detail.wantText(testid("page-title"), "lab-app")
		detail.wantText(testid("cluster-status"), "creating")
		// The group is active on the new cluster at once (step 1 done); the cluster is not available yet.
		detail.wantText(testid("cluster-sg-lab-app-cache")+" "+testid("membership-status"), "active")
		detail.wantAbsent(testid("cluster-sg-default"))
		w.want("creating lab-app", "dptt")

		// Step 2: once available, app-lab-1 can connect through lab-app-cache.
		w.cs.clock.Advance(propagationDelay)
		detail = c.get(detail.URL).wantStatus(http.StatusOK)
		detail.wantText(testid("cluster-status"), "available")
		detail.wantText(testid("cluster-sg-lab-app-cache")+" "+testid("membership-status"), "active")
		w.want("lab-app available", "ddtt")
		w.wantVerdict("us-east-1", "app-lab-1", "lab-app", "can connect")
		w.wantVerdict("us-east-1", "app-lab-1", "lab-existing", "cannot connect")
		w.want("asking the explainer", "ddtt")

		// Step 3: Modify lab-existing: tick lab-app-cache, clear default.
		existing := w.click(w.nav(detail, "clusters"), testid("cluster-row-lab-existing")+" "+testid("cluster-link"))
		existing.wantPresent(testid("cluster-sg-default"))
		modify := w.click(existing, testid("modify-button"))
		modify.wantPresent(testid("sg-default") + "[checked]")
		modify.wantPresent(testid("sg-lab-app-cache") + ":not([checked])")
		existing = w.done(c.submit(modify, testid("cluster-modify-form"), map[string]string{"cache_security_groups": "lab-app-cache"}),
			"Modifying the security groups of lab-existing.")
		existing.wantText(testid("cluster-sg-lab-app-cache")+" "+testid("membership-status"), "modifying")
		w.want("modifying lab-existing", "ddpp")
		w.cs.clock.Advance(propagationDelay)
		existing = c.get(existing.URL).wantStatus(http.StatusOK)
		existing.wantText(testid("cluster-sg-lab-app-cache")+" "+testid("membership-status"), "active")
		existing.wantAbsent(testid("cluster-sg-default"))
		w.want("the modification applied", "dddd")

		// Step 4: one authorization, every cluster of the group.
		w.wantVerdict("us-east-1", "app-lab-1", "lab-existing", "can connect")
		w.wantVerdict("us-east-1", "app-lab-1", "lab-app", "can connect")
		w.want("asking the explainer about lab-existing", "dddd")
		w.finished()
	})

	t.Run("when-the-account-is-vpc-only", func(t *testing.T) {
		w := startLabWalk(t, "when-the-account-is-vpc-only")
		c := w.c
		lab := w.want("nothing", "tttt")

		// Step 1: us-west-2 in the region selector, create legacy-sessions.
		east := w.nav(lab, "security-groups")
		west := c.submitGet(east, `form:has(`+testid("region-select")+`)`, map[string]string{"region": "us-west-2"}).wantStatus(http.StatusOK)
		if got := west.rowNames(); !slices.Equal(got, []string{"default", "lab-dr-cache"}) {
			t.Fatalf("the pane of us-west-2 lists %v", got)
		}
		form := w.click(west, testid("create-button"))
		detail := w.done(c.submit(form, testid("create-form"), map[string]string{"name": "legacy-sessions", "description": "Kept through the switch"}),
			"Successfully created security group legacy-sessions.")
		if !strings.Contains(detail.URL, "region=us-west-2") {
			t.Fatalf("created in the wrong region: %s", detail.URL)
		}
		w.want("creating legacy-sessions in us-west-2", "dttt")
		w.wantVerdict("us-west-2", "dr-web-1", "lab-dr-sessions", "can connect")

		// Step 2: Account settings, us-west-2 to VPC only.
		settings := w.nav(detail, "settings")
		settings = w.done(c.submit(settings, testid("platform-us-west-2")+" form", map[string]string{"platform": "vpc"}),
			"Region us-west-2 now supports VPC.")
		settings.wantText(testid("platform-us-west-2")+" "+testid("platform-label"), "VPC")
		settings.wantText(testid("platform-us-east-1")+" "+testid("platform-label"), "EC2-Classic and VPC")
		c.get("/settings?region=us-west-2").wantStatus(http.StatusOK).wantAbsent(testid("nav-security-groups"))
		c.get("/settings?region=us-east-1").wantStatus(http.StatusOK).wantPresent(testid("nav-security-groups"))
		c.get("/security-groups?region=us-west-2").wantStatus(http.StatusOK).wantText(testid("vpc-notice"), "VPC security groups")
		// Switching to VPC-only already settles step 3's check: nothing can connect any more.
		w.want("switching us-west-2 to VPC only", "dddt")

		// Step 3: the explainer, still in us-west-2.
		w.wantVerdict("us-west-2", "dr-web-1", "lab-dr-sessions", "cannot connect")
		w.want("asking the explainer", "dddt")

		// Step 4: the CLI's refusal, then a VPC cluster from the Create cluster form of us-west-2.
		_, err := w.apiClient("us-west-2").DescribeCacheSecurityGroups(context.Background(), &elasticache.DescribeCacheSecurityGroupsInput{})
		if msg := wantAPICode(t, err, "InvalidParameterValue"); msg != models.MessageClassicNotPermitted {
			t.Fatalf("describe-cache-security-groups in us-west-2: %q", msg)
		}
		// The step's network, made in the console: a VPC with a subnet, the subnet group lab-private.
		vpcs := c.get("/ec2/vpcs?region=us-west-2").wantStatus(http.StatusOK)
		c.follow(c.submit(vpcs, testid("create-vpc-form"), map[string]string{"name": "lab-vpc", "cidr": "10.0.0.0/16"}).wantStatus(http.StatusSeeOther))
		westScope := models.Scope{AccountID: w.cred.AccountID, Region: "us-west-2"}
		network, err := w.cs.store.GetNetwork(context.Background(), westScope)
		if err != nil || len(network.VPCs) != 1 {
			t.Fatalf("network %+v, %v", network, err)
		}
		labVPC := network.VPCs[0].VpcID
		vpcs = c.get("/ec2/vpcs?region=us-west-2").wantStatus(http.StatusOK)
		c.follow(c.submit(vpcs, testid("create-subnet-form"), map[string]string{"vpc_id": labVPC, "availability_zone": "us-west-2a", "cidr": "10.0.1.0/24"}).wantStatus(http.StatusSeeOther))
		network, _ = w.cs.store.GetNetwork(context.Background(), westScope)
		subnets, groups := network.SubnetsOf(labVPC), network.GroupsOf(labVPC)
		if len(subnets) != 1 || len(groups) != 1 {
			t.Fatalf("lab-vpc has subnets %+v and groups %+v", subnets, groups)
		}
		sgs := c.get("/subnet-groups?region=us-west-2").wantStatus(http.StatusOK)
		c.follow(c.submit(sgs, testid("create-subnet-group-form"), map[string]string{"subnet_group_name": "lab-private",
			"subnet_group_description": "Lab", "subnet_ids": subnets[0].SubnetID}).wantStatus(http.StatusSeeOther))
		form = w.click(w.nav(settings, "clusters"), testid("create-button"))
		form.wantAbsent(testid("network-ec2-classic"))
		form.wantAbsent(testid("cache-security-groups"))
		form.wantPresent(testid("classic-unavailable"))
		form.wantPresent(`input[type="hidden"][name="network"][value="vpc"]`)
		detail = w.done(c.submit(form, testid("cluster-create-form"), map[string]string{"cluster_id": "lab-vpc-sessions", "network": "vpc",
			"subnet_group": "lab-private", "vpc_security_group_ids": groups[0].GroupID}), "Creating cache cluster lab-vpc-sessions.")
		detail.wantText(testid("detail-subnet-group"), "lab-private")
		detail.wantText(testid("detail-vpc-security-groups"), groups[0].GroupID)
		detail.wantText(testid("cluster-status"), "creating")
		w.want("creating lab-vpc-sessions", "dddp")
		w.cs.clock.Advance(propagationDelay)
		c.get(detail.URL).wantStatus(http.StatusOK).wantText(testid("cluster-status"), "available")
		w.want("lab-vpc-sessions available", "dddd")
		w.finished()
	})

	t.Run("security-groups-with-the-aws-cli", func(t *testing.T) {
		w := startLabWalk(t, "security-groups-with-the-aws-cli")
		ctx := context.Background()
		api := w.apiClient("us-east-1")
		acct := w.cred.AccountID
		lab := w.want("nothing", "ttttt")
		// The instructions are the trainee's own: their account in the commands.
		lab.wantText(testid("step-2")+" "+testid("step-instructions"), "--ec2-security-group-owner-id "+acct)
		arn := "arn:aws:elasticache:us-east-1:" + acct + ":securitygroup:cli-cache"
		lab.wantText(testid("step-3")+" "+testid("step-instructions"), "--resource-name "+arn)

		// Step 1: create-cache-security-group.
		created := must[*elasticache.CreateCacheSecurityGroupOutput](t, "create-cache-security-group")(api.CreateCacheSecurityGroup(ctx,
			&elasticache.CreateCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("cli-cache"), Description: aws.String("Created with the AWS CLI")}))
		if g := created.CacheSecurityGroup; aws.ToString(g.CacheSecurityGroupName) != "cli-cache" || aws.ToString(g.OwnerId) != acct || len(g.EC2SecurityGroups) != 0 {
			t.Fatalf("create-cache-security-group answered %+v", g)
		}
		w.want("create-cache-security-group", "dtttt")

		// Step 2: authorize-cache-security-group-ingress, then describe until authorized.
		authorized := must[*elasticache.AuthorizeCacheSecurityGroupIngressOutput](t, "authorize-cache-security-group-ingress")(
			api.AuthorizeCacheSecurityGroupIngress(ctx, &elasticache.AuthorizeCacheSecurityGroupIngressInput{CacheSecurityGroupName: aws.String("cli-cache"),
				EC2SecurityGroupName: aws.String("batch-workers"), EC2SecurityGroupOwnerId: aws.String(acct)}))
		entryStatus := func(g *types.CacheSecurityGroup) string {
			t.Helper()
			if len(g.EC2SecurityGroups) != 1 || aws.ToString(g.EC2SecurityGroups[0].EC2SecurityGroupName) != "batch-workers" ||
				aws.ToString(g.EC2SecurityGroups[0].EC2SecurityGroupOwnerId) != acct {
				t.Fatalf("cli-cache's EC2 security groups: %+v", g.EC2SecurityGroups)
			}
			return aws.ToString(g.EC2SecurityGroups[0].Status)
		}
		if got := entryStatus(authorized.CacheSecurityGroup); got != "authorizing" {
			t.Fatalf("the entry came back %q", got)
		}
		describe := func() string {
			t.Helper()
			out := must[*elasticache.DescribeCacheSecurityGroupsOutput](t, "describe-cache-security-groups")(api.DescribeCacheSecurityGroups(ctx,
				&elasticache.DescribeCacheSecurityGroupsInput{CacheSecurityGroupName: aws.String("cli-cache")}))
			if len(out.CacheSecurityGroups) != 1 {
				t.Fatalf("describe cli-cache: %d groups", len(out.CacheSecurityGroups))
			}
			return entryStatus(&out.CacheSecurityGroups[0])
		}
		if got := describe(); got != "authorizing" {
			t.Fatalf("described at once: %q", got)
		}
		w.want("authorize-cache-security-group-ingress", "dpttt")
		w.cs.clock.Advance(propagationDelay)
		if got := describe(); got != "authorized" {
			t.Fatalf("described after the delay: %q", got)
		}
		w.want("the authorization applied", "ddttt")

		// Step 3: add-tags-to-resource with the group's ARN.
		must[*elasticache.AddTagsToResourceOutput](t, "add-tags-to-resource")(api.AddTagsToResource(ctx, &elasticache.AddTagsToResourceInput{
			ResourceName: aws.String(arn), Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("batch")}}}))
		w.want("add-tags-to-resource", "dddtt")

		// Step 4: create-cache-cluster in cli-cache; the group can't be deleted now.
		cluster := must[*elasticache.CreateCacheClusterOutput](t, "create-cache-cluster")(api.CreateCacheCluster(ctx, &elasticache.CreateCacheClusterInput{
			CacheClusterId: aws.String("cli-batch"), Engine: aws.String("memcached"), CacheNodeType: aws.String("cache.m1.small"),
			NumCacheNodes: aws.Int32(1), CacheSecurityGroupNames: []string{"cli-cache"}}))
		if got := aws.ToString(cluster.CacheCluster.CacheClusterStatus); got != "creating" {
			t.Fatalf("create-cache-cluster: status %q", got)
		}
		_, err := api.DeleteCacheSecurityGroup(ctx, &elasticache.DeleteCacheSecurityGroupInput{CacheSecurityGroupName: aws.String("cli-cache")})
		wantAPICode(t, err, "InvalidCacheSecurityGroupState")
		w.want("create-cache-cluster", "ddddp")

		// Step 5: describe-cache-clusters until available with cli-cache active.
		w.cs.clock.Advance(propagationDelay)
		clusters := must[*elasticache.DescribeCacheClustersOutput](t, "describe-cache-clusters")(api.DescribeCacheClusters(ctx,
			&elasticache.DescribeCacheClustersInput{CacheClusterId: aws.String("cli-batch")}))
		if len(clusters.CacheClusters) != 1 {
			t.Fatalf("describe cli-batch: %d clusters", len(clusters.CacheClusters))
		}
		got := clusters.CacheClusters[0]
		if aws.ToString(got.CacheClusterStatus) != "available" || len(got.CacheSecurityGroups) != 1 ||
			aws.ToString(got.CacheSecurityGroups[0].CacheSecurityGroupName) != "cli-cache" || aws.ToString(got.CacheSecurityGroups[0].Status) != "active" {
			t.Fatalf("cli-batch: status %q, groups %+v", aws.ToString(got.CacheClusterStatus), got.CacheSecurityGroups)
		}
		w.want("cli-batch available", "ddddd")
		w.wantVerdict("us-east-1", "batch-1", "cli-batch", "can connect")
		w.finished()
	})
}
