package views

import (
	"testing"

	"sgconsole/models"
)

// The list table is kept rendered under SecurityGroupTableKey: every other thing the table shows
// (region, account, read-only view, write controls, filter, size, sort, page, the ticked group)
// gives another key, or one user would be shown a table rendered for another view of the list.
func TestSecurityGroupTableKeyNamesEverythingTheTableShows(t *testing.T) {
	base := func() (Page, SecurityGroupList) {
		return Page{Region: "us-east-1", AccountID: "123456789012", OwnAccount: true, CanWrite: true},
			SecurityGroupList{Groups: models.SecurityGroupPage{Page: 1, Options: models.ListOptions{Size: 20}}}
	}
	p, l := base()
	want := SecurityGroupTableKey(p, l)
	if p, l := base(); SecurityGroupTableKey(p, l) != want {
		t.Fatal("the same list gives another key")
	}
	seen := map[string]string{want: "the base list"}
	for name, change := range map[string]func(*Page, *SecurityGroupList){
		"region":    func(p *Page, _ *SecurityGroupList) { p.Region = "us-west-2" },
		"account":   func(p *Page, _ *SecurityGroupList) { p.OwnAccount = false },
		"read-only": func(p *Page, _ *SecurityGroupList) { p.ReadOnlyView = true },
		"can write": func(p *Page, _ *SecurityGroupList) { p.CanWrite = false },
		"filter":    func(_ *Page, l *SecurityGroupList) { l.Groups.Options.Filter = "web" },
		"size":      func(_ *Page, l *SecurityGroupList) { l.Groups.Options.Size = 50 },
		"sort":      func(_ *Page, l *SecurityGroupList) { l.Groups.Options.Descending = true },
		"page":      func(_ *Page, l *SecurityGroupList) { l.Groups.Page = 2 },
		"selected": func(_ *Page, l *SecurityGroupList) {
			l.Selected = &GroupPanel{Group: models.SecurityGroup{Name: "web"}}
		},
	} {
		p, l := base()
		change(&p, &l)
		key := SecurityGroupTableKey(p, l)
		if other, ok := seen[key]; ok {
			t.Errorf("a change of %s gives the same key as %s", name, other)
		}
		seen[key] = name
	}
}
