package views

import (
	"bytes"
	"context"
	"html"
	"io"
	"net/url"
	"sync"

	"github.com/a-h/templ"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"

	"sgconsole/models"
)

// NavLabs marks the Labs item of the navigation pane.
const NavLabs = "labs"

// LabList is the Labs page: every lab with how far the acting account is.
type LabList struct {
	Labs []models.LabProgress
}

// LabView is one lab's page.
type LabView struct {
	Progress models.LabProgress
}

// LabPath is the page of one lab.
func LabPath(id string) string { return "/labs/" + url.PathEscape(id) }

// LabProgressJSON is what GET /labs/:id/progress answers, for the page's script: the state of
// every step in order, "done", "pending" or "todo", with what a check not done looked for.
type LabProgressJSON struct {
	ID    string         `json:"id"`
	Done  int            `json:"done"`
	Total int            `json:"total"`
	Text  string         `json:"text"` // "3 of 5 steps done"
	Steps []StepProgress `json:"steps"`
}

// StepProgress is one step of LabProgressJSON.
type StepProgress struct {
	Number int    `json:"number"`
	Title  string `json:"title"`
	State  string `json:"state"`
	Detail string `json:"detail,omitempty"`
}

// LabProgressOf shapes an evaluated lab for the page's script.
func LabProgressOf(p models.LabProgress) LabProgressJSON {
	out := LabProgressJSON{ID: p.Lab.ID, Done: p.Done(), Total: len(p.Lab.Steps), Text: stepsDone(p), Steps: []StepProgress{}}
	for i, s := range p.Lab.Steps {
		r := stepResult(p, i)
		sp := StepProgress{Number: i + 1, Title: s.Title, State: string(r.State)}
		if r.State != models.StepDone {
			sp.Detail = r.Detail
		}
		out.Steps = append(out.Steps, sp)
	}
	return out
}

// stepResult is the result of step i, "todo" when the evaluation has none.
func stepResult(p models.LabProgress, i int) models.StepResult {
	if i < len(p.Steps) {
		return p.Steps[i]
	}
	return models.StepResult{State: models.StepTodo}
}

// stepsDone is "3 of 5 steps done".
func stepsDone(p models.LabProgress) string {
	total := len(p.Lab.Steps)
	noun := "steps"
	if total == 1 {
		noun = "step"
	}
	return itoa(p.Done()) + " of " + itoa(total) + " " + noun + " done"
}

// labComplete reports whether every step of the lab is done.
func labComplete(p models.LabProgress) bool {
	return len(p.Lab.Steps) > 0 && p.Done() == len(p.Lab.Steps)
}

// stepStateAttr is the data-step-state of a step: done or todo (a pending step is todo with
// data-step-pending), so scripts and tests read one of two values.
func stepStateAttr(r models.StepResult) string {
	if r.State == models.StepDone {
		return "done"
	}
	return "todo"
}

// pendingAttrs marks a step on its way (an authorization still propagating) with
// data-step-pending="true", next to its data-step-state="todo".
func pendingAttrs(s models.StepState) templ.Attributes {
	if s == models.StepPending {
		return templ.Attributes{"data-step-pending": "true"}
	}
	return nil
}

// stepStateLabel is what a screen reader hears for a step's mark.
func stepStateLabel(r models.StepResult) string {
	switch r.State {
	case models.StepDone:
		return "Done"
	case models.StepPending:
		return "In progress"
	}
	return "Not done yet"
}

// markdownRenderer renders lab instructions. Raw HTML is never passed through: goldmark's
// default (no WithUnsafe) drops it, and escapedHTML goes further and shows it as text, so an
// instructor who writes <b> sees it on the page and a <script> stays inert. Dangerous link
// destinations (javascript: and the like) lose their href, as goldmark does without WithUnsafe.
var markdownRenderer = goldmark.New(goldmark.WithRendererOptions(
	renderer.WithNodeRenderers(util.Prioritized(escapedHTML{}, 100)),
))

// escapedHTML renders raw HTML blocks and inline HTML of Markdown as escaped text.
type escapedHTML struct{}

func (escapedHTML) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHTMLBlock, func(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		n := node.(*ast.HTMLBlock)
		if entering {
			_, _ = w.WriteString(`<p class="md-raw">`)
			lines := n.Lines()
			for i := 0; i < lines.Len(); i++ {
				line := lines.At(i)
				_, _ = w.WriteString(html.EscapeString(string(line.Value(source))))
			}
			if n.HasClosure() {
				_, _ = w.WriteString(html.EscapeString(string(n.ClosureLine.Value(source))))
			}
			_, _ = w.WriteString("</p>\n")
		}
		return ast.WalkContinue, nil
	})
	reg.Register(ast.KindRawHTML, func(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			n := node.(*ast.RawHTML)
			for i := 0; i < n.Segments.Len(); i++ {
				seg := n.Segments.At(i)
				_, _ = w.WriteString(html.EscapeString(string(seg.Value(source))))
			}
		}
		return ast.WalkSkipChildren, nil
	})
}

// renderedMarkdown keeps the HTML of the Markdown texts shown lately: the help panel of every page
// and the labs' steps are the same few texts, and converting them took a sixth of a list page's time.
var renderedMarkdown = struct {
	sync.RWMutex
	html map[string]string
}{html: map[string]string{}}

// maxRenderedMarkdown bounds the cache: the built-in help topics and a workshop's labs fit many
// times over; when it fills up it starts again.
const maxRenderedMarkdown = 512

// renderMarkdown turns lab Markdown into safe HTML.
func renderMarkdown(src string) (string, error) {
	renderedMarkdown.RLock()
	out, ok := renderedMarkdown.html[src]
	renderedMarkdown.RUnlock()
	if ok {
		return out, nil
	}
	var buf bytes.Buffer
	if err := markdownRenderer.Convert([]byte(src), &buf); err != nil {
		return "", err
	}
	renderedMarkdown.Lock()
	defer renderedMarkdown.Unlock()
	if len(renderedMarkdown.html) >= maxRenderedMarkdown {
		renderedMarkdown.html = map[string]string{}
	}
	renderedMarkdown.html[src] = buf.String()
	return buf.String(), nil
}

// Markdown is a templ component of lab Markdown rendered to HTML, raw HTML shown as text.
func Markdown(src string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		out, err := renderMarkdown(src)
		if err != nil {
			return err
		}
		_, err = io.WriteString(w, out)
		return err
	})
}
