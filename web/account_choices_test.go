package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"sgconsole/models"
)

// An admin's account selector lists the accounts while there are few; with more than
// models.MaxAccountChoices every page asks for the account ID instead of listing thousands, and
// switching by ID lands in that account.
func TestAdminAccountSelectorStaysSmall(t *testing.T) {
	cs := newConsole(t, false)
	admin := cs.signedIn(t)
	addAccounts := func(n int) {
		for i := 0; i < n; i++ {
			if _, err := cs.store.EnsureAccount(context.Background(), fmt.Sprintf("9%011d", i)); err != nil {
				t.Fatal(err)
			}
		}
	}
	addAccounts(models.MaxAccountChoices - 1) // with the admin's own: exactly the limit
	page := admin.get("/security-groups").wantStatus(http.StatusOK)
	if n := page.find(testid("account-select") + " option").Length(); n != models.MaxAccountChoices {
		t.Errorf("%d accounts: the selector lists %d, want all of them", models.MaxAccountChoices, n)
	}
	page.wantAbsent(testid("account-input"))

	addAccounts(models.MaxAccountChoices + 200)
	page = admin.get("/security-groups").wantStatus(http.StatusOK)
	page.wantAbsent(testid("account-select"))
	if got := page.attr(testid("account-input"), "value"); got != models.DefaultAccountID {
		t.Errorf("account field holds %q, want the current account %s", got, models.DefaultAccountID)
	}
	other := fmt.Sprintf("9%011d", 150)
	page = admin.get("/security-groups?region=us-east-1&account=" + other).wantStatus(http.StatusOK)
	if got := page.attr(testid("account-input"), "value"); got != other {
		t.Errorf("after switching by ID the field holds %q, want %s", got, other)
	}
}
