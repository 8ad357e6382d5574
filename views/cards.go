package views

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"html"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"sgconsole/models"
)

// CardsCSS is the whole style of the printable credential cards page (cards.html). The page is a
// standalone file, so the style is inline: a console handler that serves the page must send
// CardsCSP with it, which allows exactly this style by its hash and nothing else.
//
// Two cards side by side, as many rows as fit on an A4 or Letter page (six with the 12 mm
// margins); a card is never cut across two pages (inline blocks are atomic, and
// break-inside: avoid says it again for the browsers that fragment them).
const CardsCSS = `
@page { size: auto; margin: 12mm }
* { box-sizing: border-box }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact }
body { margin: 0; padding: 12mm; background: #fff; color: #000;
  font: 10pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif }
.sheet-header { margin: 0 0 5mm }
.sheet-header h1 { font-size: 14pt; margin: 0 0 1mm }
.sheet-header p { margin: 0 }
.cards { font-size: 0 }
.card { display: inline-block; vertical-align: top; width: calc(50% - 2.5mm); margin: 0 0 4mm;
  padding: 3mm 3.5mm; border: 1px dashed #555; border-radius: 2mm; font-size: 8.5pt; line-height: 1.3;
  break-inside: avoid; page-break-inside: avoid }
.card:nth-child(odd) { margin-right: 5mm }
.card h2 { font-size: 10.5pt; margin: 0 0 1mm; display: flex; justify-content: space-between; align-items: baseline; gap: 2mm }
.card h2 small { font-size: 7.5pt; font-weight: normal; color: #444 }
.card dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.3mm 3mm; margin: 0 0 1.5mm }
.card dt { font-weight: 600 }
.card dd { margin: 0; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace;
  overflow-wrap: anywhere }
.card h3 { font-size: 8pt; margin: 1.2mm 0 0.6mm }
.card pre { margin: 0; padding: 1.2mm 1.8mm; background: #f2f2f2; border-radius: 1mm; white-space: pre-wrap;
  overflow-wrap: break-word; font: 6.8pt/1.3 ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono", monospace }
.card pre + pre { margin-top: 1mm }
.card pre span { white-space: nowrap }
.card .missing { font-style: italic }
@media print { body { padding: 0 } .screen-only { display: none } .card { border-color: #000 } }
`

// CardsCSP is the Content-Security-Policy for serving the cards page from the console: its only
// style is CardsCSS, allowed by hash; no script, image, form, frame or base URL.
var CardsCSP = "default-src 'none'; style-src '" + cssHash(CardsCSS) + "'; img-src 'none'; script-src 'none'; " +
	"form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

func cssHash(css string) string {
	sum := sha256.Sum256([]byte(css))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// CardRegion is the region the cards configure the AWS CLI for.
const CardRegion = models.DefaultRegion

// CardConfigure is the card's AWS CLI setup: one `aws configure set` per line, in a profile named
// after the trainee, so several trainees can share a machine.
func CardConfigure(c models.TraineeCredentials) string { return joinCommand(cardConfigureUnits(c)) }

// CardExample is the card's first command: list the sandbox's cache security groups.
func CardExample(c models.TraineeCredentials) string { return joinCommand(cardExampleUnits(c)) }

// A card's commands are lines of units: words a printed line never breaks inside (a hyphen is
// a line-break opportunity, so "--profile" could otherwise end up as "--" and "profile").
func cardConfigureUnits(c models.TraineeCredentials) [][]string {
	profile := "--profile " + ShellQuote(c.Username)
	return [][]string{
		{"aws configure set", "aws_access_key_id", ShellQuote(c.AccessKeyID), profile},
		{"aws configure set", "aws_secret_access_key", ShellQuote(c.SecretAccessKey), profile},
		{"aws configure set", "region", CardRegion, profile},
	}
}

func cardExampleUnits(c models.TraineeCredentials) [][]string {
	return [][]string{{"aws elasticache", "describe-cache-security-groups", "--endpoint-url " + ShellQuote(c.ConsoleURL),
		"--profile " + ShellQuote(c.Username)}}
}

// cardCommand renders command lines in a <pre>, each unit in a span that CardsCSS keeps on one
// line. The element's text is exactly the command (units joined by spaces, lines by newlines): it
// is written here rather than in templ, whose formatting would add whitespace inside the <pre>.
func cardCommand(testID string, lines [][]string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		var b strings.Builder
		b.WriteString(`<pre data-testid="` + html.EscapeString(testID) + `">`)
		for i, units := range lines {
			if i > 0 {
				b.WriteString("\n")
			}
			for j, unit := range units {
				if j > 0 {
					b.WriteString(" ")
				}
				b.WriteString("<span>" + html.EscapeString(unit) + "</span>")
			}
		}
		b.WriteString("</pre>")
		_, err := io.WriteString(w, b.String())
		return err
	})
}

func joinCommand(lines [][]string) string {
	out := make([]string, len(lines))
	for i, units := range lines {
		out[i] = strings.Join(units, " ")
	}
	return strings.Join(out, "\n")
}

func cardsCount(n int) string {
	if n == 1 {
		return "1 trainee"
	}
	return strconv.Itoa(n) + " trainees"
}
