package views

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// TestHelpTopics: every topic has a title and a body, its links to other topics name topics that
// exist, the seed's points are covered, and raw HTML in a topic is shown as text, never run.
func TestHelpTopics(t *testing.T) {
	ids := HelpTopicIDs()
	if len(ids) < 10 {
		t.Fatalf("only %d help topics: %q", len(ids), ids)
	}
	link := regexp.MustCompile(`\]\(/help/([a-z0-9-]+)\)`)
	for _, id := range ids {
		topic, _ := Help(id)
		if topic.Title == "" || topic.Body == "" {
			t.Errorf("topic %s: title %q, body %d bytes; want both", id, topic.Title, len(topic.Body))
		}
		for _, m := range link.FindAllStringSubmatch(topic.Body+topic.LearnMore, -1) {
			if _, ok := Help(m[1]); !ok {
				t.Errorf("topic %s links to /help/%s, which does not exist", id, m[1])
			}
		}
	}
	for id, want := range map[string]string{
		"security-groups": "acts like a firewall",
		"default-access":  "turns network access to a cluster **off**",
		"ip-ranges":       "EC2 security groups only",
		"vpc-classic":     "(/connectivity)",
		"owner-id":        "12 digits",
		"group-name":      "255 characters",
		"cluster-network": "VPC security groups",
	} {
		topic, ok := Help(id)
		if !ok || !strings.Contains(topic.Body, want) {
			t.Errorf("topic %s: want it to say %q, got %q", id, want, topic.Body)
		}
	}
	if _, ok := Help("../help"); ok {
		t.Error("a path-like topic name resolved")
	}

	var b strings.Builder
	hostile := HelpTopic{ID: "x", Title: "<b>T</b>", Body: "<script>alert(1)</script>\n\n[x](javascript:alert(1))"}
	if err := helpTopicSection(hostile, true).Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if out := b.String(); strings.Contains(out, "<script>") || strings.Contains(out, "<b>") || strings.Contains(out, `href="javascript`) {
		t.Errorf("raw HTML or a script link got through: %s", out)
	}
}
