package views

import (
	"context"
	"embed"
	"io/fs"
	"path"
	"sort"
	"strings"
	"sync"
)

// The help panel's text: one Markdown file per topic in views/help, the only place it is written.
// A file starts with "# Title"; an optional "## Learn more" section becomes the panel's footer.
//
//go:embed help/*.md
var helpFiles embed.FS

// HelpTopic is one help panel topic.
type HelpTopic struct {
	ID        string
	Title     string
	Body      string // Markdown, without the title
	LearnMore string // Markdown list of links, or ""
}

var (
	helpOnce   sync.Once
	helpTopics map[string]HelpTopic
)

func loadHelp() {
	helpTopics = map[string]HelpTopic{}
	names, _ := fs.Glob(helpFiles, "help/*.md")
	for _, name := range names {
		src, err := helpFiles.ReadFile(name)
		if err != nil {
			continue
		}
		id := strings.TrimSuffix(path.Base(name), ".md")
		helpTopics[id] = parseHelp(id, string(src))
	}
}

func parseHelp(id, src string) HelpTopic {
	t := HelpTopic{ID: id}
	src = strings.ReplaceAll(src, "\r\n", "\n")
	if strings.HasPrefix(src, "# ") {
		line, rest, _ := strings.Cut(src, "\n")
		t.Title = strings.TrimSpace(strings.TrimPrefix(line, "# "))
		src = rest
	}
	body, more, _ := strings.Cut(src, "\n## Learn more\n")
	t.Body, t.LearnMore = strings.TrimSpace(body), strings.TrimSpace(more)
	return t
}

// Help returns the topic with this ID.
func Help(id string) (HelpTopic, bool) {
	helpOnce.Do(loadHelp)
	t, ok := helpTopics[id]
	return t, ok
}

// HelpTopicIDs lists every topic, sorted.
func HelpTopicIDs() []string {
	helpOnce.Do(loadHelp)
	ids := make([]string, 0, len(helpTopics))
	for id := range helpTopics {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// HelpPath is the no-JavaScript page of a topic, where an Info link goes.
func HelpPath(id string) string { return "/help/" + id }

// helpSet collects the topics the Info links of a page name while it renders, so the layout can
// put their text in the help panel after the content.
type helpSet struct{ ids []string }

type helpSetKey struct{}

func withHelpSet(ctx context.Context) context.Context {
	return context.WithValue(ctx, helpSetKey{}, &helpSet{})
}

func helpSetOf(ctx context.Context) *helpSet {
	s, _ := ctx.Value(helpSetKey{}).(*helpSet)
	return s
}

// noteHelp records that the page links to a topic; it renders nothing.
func noteHelp(ctx context.Context, id string) string {
	if s := helpSetOf(ctx); s != nil {
		for _, have := range s.ids {
			if have == id {
				return ""
			}
		}
		s.ids = append(s.ids, id)
	}
	return ""
}

// pageHelpTopics is the topics linked so far, in order of first use.
func pageHelpTopics(ctx context.Context) []HelpTopic {
	s := helpSetOf(ctx)
	if s == nil {
		return nil
	}
	out := make([]HelpTopic, 0, len(s.ids))
	for _, id := range s.ids {
		if t, ok := Help(id); ok {
			out = append(out, t)
		}
	}
	return out
}
