package models

import (
	"crypto/rand"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// workshopStore is a store with a key file's worth of secret key, fast bcrypt, the default
// account, an admin and a member who existed before any workshop.
func workshopStore(t *testing.T) *Store {
	t.Helper()
	s, _ := newStore(t)
	s.SecretKey = make([]byte, 32)
	if _, err := rand.Read(s.SecretKey); err != nil {
		t.Fatal(err)
	}
	s.PasswordCost = bcrypt.MinCost
	_, _, err := s.EnsureAdmin(ctx, "admin-password-1")
	mustNoErr(t, err, "EnsureAdmin")
	_, err = s.CreateUser(ctx, NewUser{Username: "alice", Role: RoleMember, AccountID: otherAccountID, Password: "alice-password-1"})
	mustNoErr(t, err, "CreateUser alice")
	return s
}

func mustCreateWorkshop(t *testing.T, s *Store, n NewWorkshop) (Workshop, []TraineeCredentials) {
	t.Helper()
	w, creds, err := s.CreateWorkshop(ctx, n)
	if err != nil {
		t.Fatalf("CreateWorkshop(%+v): %v", n, err)
	}
	return w, creds
}

// dbDump is every row of every table, as text, sorted: two dumps are equal when the databases
// hold the same data.
func dbDump(t *testing.T, s *Store) map[string][]string {
	t.Helper()
	tables, err := s.db.Migrator().GetTables()
	mustNoErr(t, err, "GetTables")
	dump := map[string][]string{}
	for _, table := range tables {
		if table == "sqlite_sequence" { // the next IDs, not data
			continue
		}
		var rows []map[string]any
		mustNoErr(t, s.db.Table(table).Find(&rows).Error, "dump "+table)
		lines := make([]string, 0, len(rows))
		for _, r := range rows {
			keys := make([]string, 0, len(r))
			for k := range r {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			var b strings.Builder
			for _, k := range keys {
				v := r[k]
				if p, ok := v.(*any); ok && p != nil {
					v = *p
				}
				fmt.Fprintf(&b, "%s=%v ", k, v)
			}
			lines = append(lines, b.String())
		}
		sort.Strings(lines)
		dump[table] = lines
	}
	return dump
}

func assertSameDump(t *testing.T, before, after map[string][]string) {
	t.Helper()
	for table := range before {
		if !reflect.DeepEqual(before[table], after[table]) {
			t.Errorf("table %s changed:\nbefore %q\nafter  %q", table, before[table], after[table])
		}
	}
	for table := range after {
		if _, ok := before[table]; !ok {
			t.Errorf("table %s appeared", table)
		}
	}
}

// sandboxState is what a trainee sees of a sandbox, without row IDs or creation times.
type sandboxState struct {
	Regions   []string
	Groups    []string
	Grants    []string
	EC2Groups []string
	Instances []string
	Clusters  []string
}

func sandbox(t *testing.T, s *Store, accountID string) sandboxState {
	t.Helper()
	var st sandboxState
	var regions []RegionSetting
	mustNoErr(t, s.db.Where("account_id = ?", accountID).Find(&regions).Error, "regions")
	for _, r := range regions {
		st.Regions = append(st.Regions, r.Region+"="+string(r.Platform))
	}
	var groups []CacheSecurityGroup
	mustNoErr(t, s.db.Preload("Authorizations").Where("account_id = ?", accountID).Find(&groups).Error, "groups")
	for _, g := range groups {
		st.Groups = append(st.Groups, g.Region+"/"+g.Name+"/"+g.Description)
		for _, a := range g.Authorizations {
			st.Grants = append(st.Grants, fmt.Sprintf("%s/%s<-%s@%s:%s", g.Region, g.Name, a.EC2GroupName, a.EC2OwnerID, a.StatusAt(s.now())))
		}
	}
	var ec2 []EC2SecurityGroup
	mustNoErr(t, s.db.Where("account_id = ?", accountID).Find(&ec2).Error, "ec2 groups")
	for _, g := range ec2 {
		st.EC2Groups = append(st.EC2Groups, g.Region+"/"+g.Name+"/"+string(g.Platform))
	}
	var instances []EC2Instance
	mustNoErr(t, s.db.Preload("SecurityGroups").Where("account_id = ?", accountID).Find(&instances).Error, "instances")
	for _, i := range instances {
		names := i.GroupNames()
		sort.Strings(names)
		st.Instances = append(st.Instances, i.Region+"/"+i.InstanceID+"/"+strings.Join(names, "+"))
	}
	var clusters []CacheCluster
	mustNoErr(t, s.db.Preload("Memberships.Group").Where("account_id = ?", accountID).Find(&clusters).Error, "clusters")
	for _, c := range clusters {
		var names []string
		for _, m := range c.Memberships {
			names = append(names, m.Group.Name)
		}
		sort.Strings(names)
		st.Clusters = append(st.Clusters, c.Region+"/"+c.ClusterID+"/"+strings.Join(names, "+"))
	}
	for _, l := range [][]string{st.Regions, st.Groups, st.Grants, st.EC2Groups, st.Instances, st.Clusters} {
		sort.Strings(l)
	}
	return st
}

// credentialRows are the users and access keys rows: resets must leave them alone.
func credentialRows(t *testing.T, s *Store) ([]User, []AccessKey) {
	t.Helper()
	var users []User
	var keys []AccessKey
	mustNoErr(t, s.db.Order("id").Find(&users).Error, "users")
	mustNoErr(t, s.db.Order("id").Find(&keys).Error, "keys")
	return users, keys
}

var accountIDRule = regexp.MustCompile(`^[0-9]{12}$`)

func TestCreateWorkshopMakesSandboxesUsersAndKeys(t *testing.T) {
	s := workshopStore(t)
	aliceBefore, err := s.UserByName(ctx, "alice")
	mustNoErr(t, err, "alice")

	w, creds := mustCreateWorkshop(t, s, NewWorkshop{Name: "class-a", Trainees: 3})
	if w.Name != "class-a" || w.Prefix != DefaultTraineePrefix || w.ConsoleURL != DefaultConsoleURL || w.ID == 0 || !w.CreatedAt.Equal(s.now()) {
		t.Fatalf("workshop = %+v", w)
	}
	if len(creds) != 3 {
		t.Fatalf("%d credentials, want 3", len(creds))
	}
	accounts := map[string]bool{}
	for i, c := range creds {
		if want := fmt.Sprintf("trainee-%02d", i+1); c.Username != want {
			t.Errorf("trainee %d is %q, want %q", i, c.Username, want)
		}
		if !accountIDRule.MatchString(c.AccountID) || c.AccountID == DefaultAccountID || c.AccountID == otherAccountID || accounts[c.AccountID] {
			t.Errorf("account %q of %s is not a fresh 12-digit account", c.AccountID, c.Username)
		}
		accounts[c.AccountID] = true
		if c.ConsoleURL != DefaultConsoleURL || len(c.Password) < MinPasswordLength {
			t.Errorf("credentials %+v", c)
		}
		if !accessKeyIDPattern.MatchString(c.AccessKeyID) || !secretAccessKeyPattern.MatchString(c.SecretAccessKey) || strings.ContainsAny(c.SecretAccessKey[:1], "+/") {
			t.Errorf("key pair %s / %s", c.AccessKeyID, c.SecretAccessKey)
		}
		u, err := s.UserByName(ctx, c.Username)
		mustNoErr(t, err, "user")
		if u.Role != RoleMember || u.AccountID != c.AccountID || u.Disabled || u.PasswordHash == c.Password {
			t.Errorf("user %+v", u)
		}
		if _, err := s.SignIn(ctx, Credentials{Username: c.Username, Password: c.Password}); err != nil {
			t.Errorf("%s cannot sign in with the generated password: %v", c.Username, err)
		}
		keyUser, secret, err := s.LookupAccessKey(ctx, c.AccessKeyID)
		if err != nil || keyUser.ID != u.ID || secret != c.SecretAccessKey {
			t.Errorf("key %s: user %d (want %d), secret match %v, %v", c.AccessKeyID, keyUser.ID, u.ID, secret == c.SecretAccessKey, err)
		}
		// A fresh account: every region EC2-Classic with its default group, and the starting data.
		platforms, err := s.RegionPlatforms(ctx, c.AccountID)
		mustNoErr(t, err, "regions")
		if len(platforms) != len(Regions) {
			t.Errorf("account %s has %d regions", c.AccountID, len(platforms))
		}
		for _, r := range platforms {
			if r.Platform != PlatformClassic {
				t.Errorf("account %s region %s is %s", c.AccountID, r.Region, r.Platform)
			}
			if n := countRows(t, s, &CacheSecurityGroup{}, "account_id = ? AND region = ? AND name = ?", c.AccountID, r.Region, DefaultGroupName); n != 1 {
				t.Errorf("account %s region %s has %d default groups", c.AccountID, r.Region, n)
			}
		}
		if n := countRows(t, s, &EC2SecurityGroup{}, "account_id = ?", c.AccountID); n == 0 {
			t.Errorf("sandbox %s was not seeded (no EC2 security groups)", c.AccountID)
		}
	}
	if n := countRows(t, s, &WorkshopTrainee{}, "workshop_id = ?", w.ID); n != 3 {
		t.Errorf("%d trainee rows", n)
	}
	// Every sandbox starts the same.
	first := sandbox(t, s, creds[0].AccountID)
	for _, c := range creds[1:] {
		if got := sandbox(t, s, c.AccountID); !reflect.DeepEqual(got, replaceAccount(first, creds[0].AccountID, c.AccountID)) {
			t.Errorf("sandbox %s differs:\n%+v\n%+v", c.AccountID, got, first)
		}
	}
	if aliceAfter, _ := s.UserByName(ctx, "alice"); !reflect.DeepEqual(aliceBefore, aliceAfter) {
		t.Errorf("alice changed: %+v -> %+v", aliceBefore, aliceAfter)
	}

	_, trainees, err := s.GetWorkshop(ctx, "class-a")
	mustNoErr(t, err, "GetWorkshop")
	for i, tr := range trainees {
		if tr.Number != i+1 || tr.User.Username != creds[i].Username || tr.AccountID != creds[i].AccountID || tr.AccessKeyID != creds[i].AccessKeyID {
			t.Errorf("trainee row %d = %+v", i, tr)
		}
		if strings.Contains(string(tr.PasswordCiphertext), creds[i].Password) {
			t.Errorf("the password of %s is stored in the clear", tr.User.Username)
		}
	}
}

func replaceAccount(st sandboxState, from, to string) sandboxState {
	out := sandboxState{}
	for _, pair := range []struct{ src, dst *[]string }{
		{&st.Regions, &out.Regions}, {&st.Groups, &out.Groups}, {&st.Grants, &out.Grants},
		{&st.EC2Groups, &out.EC2Groups}, {&st.Instances, &out.Instances}, {&st.Clusters, &out.Clusters},
	} {
		for _, v := range *pair.src {
			*pair.dst = append(*pair.dst, strings.ReplaceAll(v, from, to))
		}
		sort.Strings(*pair.dst)
	}
	return out
}

func TestCreateWorkshopTwiceAddsASecondWorkshopAndChangesNoUser(t *testing.T) {
	s := workshopStore(t)
	_, first := mustCreateWorkshop(t, s, NewWorkshop{Name: "monday", Trainees: 2})
	usersBefore, keysBefore := credentialRows(t, s)

	// The same prefix again: the numbers go on after the highest one taken.
	_, second := mustCreateWorkshop(t, s, NewWorkshop{Name: "tuesday", Trainees: 3, ConsoleURL: "https://console.example.test/"})
	var names []string
	for _, c := range second {
		names = append(names, c.Username)
		if c.ConsoleURL != "https://console.example.test" {
			t.Errorf("console URL %q", c.ConsoleURL)
		}
	}
	if want := []string{"trainee-03", "trainee-04", "trainee-05"}; !reflect.DeepEqual(names, want) {
		t.Errorf("second workshop's users = %v, want %v", names, want)
	}
	// Another prefix starts at 01.
	_, third := mustCreateWorkshop(t, s, NewWorkshop{Name: "wednesday", Trainees: 1, Prefix: "Class.B"})
	if third[0].Username != "Class.B-01" {
		t.Errorf("third workshop's user = %q", third[0].Username)
	}

	usersAfter, keysAfter := credentialRows(t, s)
	if !reflect.DeepEqual(usersAfter[:len(usersBefore)], usersBefore) || !reflect.DeepEqual(keysAfter[:len(keysBefore)], keysBefore) {
		t.Error("creating a workshop changed existing users or keys")
	}
	if len(usersAfter) != len(usersBefore)+4 || len(keysAfter) != len(keysBefore)+4 {
		t.Errorf("users %d -> %d, keys %d -> %d", len(usersBefore), len(usersAfter), len(keysBefore), len(keysAfter))
	}
	for _, c := range first {
		if _, err := s.SignIn(ctx, Credentials{Username: c.Username, Password: c.Password}); err != nil {
			t.Errorf("first workshop's %s stopped signing in: %v", c.Username, err)
		}
	}
	seen := map[string]bool{}
	for _, c := range slices.Concat(first, second, third) {
		if seen[c.AccountID] {
			t.Errorf("account %s given twice", c.AccountID)
		}
		seen[c.AccountID] = true
	}

	list, err := s.ListWorkshops(ctx)
	mustNoErr(t, err, "ListWorkshops")
	got := map[string]int{}
	for _, w := range list {
		got[w.Name] = w.Trainees
	}
	if want := map[string]int{"monday": 2, "tuesday": 3, "wednesday": 1}; !reflect.DeepEqual(got, want) || len(list) != 3 {
		t.Errorf("ListWorkshops = %v, want %v", got, want)
	}
}

func TestCreateWorkshopWidthAndGeneratedName(t *testing.T) {
	s := workshopStore(t)
	w, creds := mustCreateWorkshop(t, s, NewWorkshop{Trainees: 100, Prefix: "p"})
	if want := "workshop-" + s.now().Format("20060102-150405"); w.Name != want {
		t.Errorf("generated name %q, want %q", w.Name, want)
	}
	if creds[0].Username != "p-001" || creds[99].Username != "p-100" {
		t.Errorf("names %s ... %s, want p-001 ... p-100", creds[0].Username, creds[99].Username)
	}
	// The same second again: the generated name gets a suffix rather than failing.
	w2, _ := mustCreateWorkshop(t, s, NewWorkshop{Trainees: 1, Prefix: "q"})
	if w2.Name != w.Name+"-2" {
		t.Errorf("second generated name %q", w2.Name)
	}
}

func TestCreateWorkshopRefusesBadInputAndWritesNothing(t *testing.T) {
	s := workshopStore(t)
	mustCreateWorkshop(t, s, NewWorkshop{Name: "taken", Trainees: 1})
	before := dbDump(t, s)
	for _, tc := range []struct {
		n     NewWorkshop
		code  string
		field string
	}{
		{NewWorkshop{Name: "zero", Trainees: 0}, CodeInvalidParameterValue, "trainees"},
		{NewWorkshop{Name: "too-many", Trainees: MaxTrainees + 1}, CodeInvalidParameterValue, "trainees"},
		{NewWorkshop{Name: "negative", Trainees: -1}, CodeInvalidParameterValue, "trainees"},
		{NewWorkshop{Name: "Upper", Trainees: 1}, CodeInvalidParameterValue, "name"},
		{NewWorkshop{Name: "under_score", Trainees: 1}, CodeInvalidParameterValue, "name"},
		{NewWorkshop{Name: strings.Repeat("a", 65), Trainees: 1}, CodeInvalidParameterValue, "name"},
		{NewWorkshop{Name: "bad-prefix", Trainees: 1, Prefix: "-x"}, CodeInvalidParameterValue, "prefix"},
		{NewWorkshop{Name: "bad-prefix2", Trainees: 1, Prefix: "a b"}, CodeInvalidParameterValue, "prefix"},
		{NewWorkshop{Name: "bad-url", Trainees: 1, ConsoleURL: "javascript:alert(1)"}, CodeInvalidParameterValue, "console_url"},
		{NewWorkshop{Name: "bad-url2", Trainees: 1, ConsoleURL: "http://host/'x"}, CodeInvalidParameterValue, "console_url"},
		{NewWorkshop{Name: "taken", Trainees: 1}, CodeWorkshopAlreadyExists, "name"},
		{NewWorkshop{Name: "dup-labs", Trainees: 1, Labs: []Lab{{ID: "a"}, {ID: "a"}}}, CodeInvalidParameterValue, "labs"},
	} {
		_, creds, err := s.CreateWorkshop(ctx, tc.n)
		e := wantError(t, err, tc.code, "")
		if e.FieldMessage(tc.field) == "" || creds != nil {
			t.Errorf("%+v: fields %+v, credentials %v", tc.n, e.Fields, creds)
		}
	}
	assertSameDump(t, before, dbDump(t, s))
}

func TestCreateWorkshopWithoutKeyWritesNothing(t *testing.T) {
	s := workshopStore(t)
	s.SecretKey = nil
	before := dbDump(t, s)
	if _, _, err := s.CreateWorkshop(ctx, NewWorkshop{Name: "nokey", Trainees: 2}); err == nil {
		t.Fatal("created a workshop without a key to seal its secrets")
	}
	assertSameDump(t, before, dbDump(t, s))
}

func TestWorkshopCredentialsRoundTrip(t *testing.T) {
	s := workshopStore(t)
	w, creds := mustCreateWorkshop(t, s, NewWorkshop{Name: "round-trip", Trainees: 4, ConsoleURL: "http://10.0.0.5:8080"})
	mustCreateWorkshop(t, s, NewWorkshop{Name: "other", Trainees: 2})
	got, again, err := s.WorkshopCredentials(ctx, "round-trip")
	mustNoErr(t, err, "WorkshopCredentials")
	if got.ID != w.ID || !reflect.DeepEqual(again, creds) {
		t.Fatalf("credentials again:\n%+v\nwant\n%+v", again, creds)
	}

	// A trainee deleted their key: the download leaves it out rather than failing.
	u, _ := s.UserByName(ctx, creds[1].Username)
	mustNoErr(t, s.DeleteAccessKey(ctx, u.ID, creds[1].AccessKeyID), "DeleteAccessKey")
	_, again, err = s.WorkshopCredentials(ctx, "round-trip")
	mustNoErr(t, err, "WorkshopCredentials")
	if again[1].AccessKeyID != "" || again[1].SecretAccessKey != "" || again[1].Password != creds[1].Password || again[0] != creds[0] {
		t.Errorf("after the key was deleted: %+v", again[:2])
	}

	// Another key file cannot open the stored passwords.
	s.SecretKey = make([]byte, 32)
	if _, _, err := s.WorkshopCredentials(ctx, "round-trip"); err == nil {
		t.Error("credentials opened with the wrong key")
	}
	// A sealed password moved to another trainee's row does not open (the user name is
	// authenticated with it).
	s2 := workshopStore(t)
	_, creds2 := mustCreateWorkshop(t, s2, NewWorkshop{Name: "swap", Trainees: 2})
	var rows []WorkshopTrainee
	mustNoErr(t, s2.db.Order("number").Find(&rows).Error, "rows")
	mustNoErr(t, s2.db.Model(&WorkshopTrainee{}).Where("id = ?", rows[1].ID).Update("password_ciphertext", rows[0].PasswordCiphertext).Error, "swap")
	if _, got, err := s2.WorkshopCredentials(ctx, "swap"); err == nil {
		t.Errorf("a moved ciphertext opened: %+v (created %+v)", got, creds2)
	}

	_, _, err = s.WorkshopCredentials(ctx, "missing")
	wantError(t, err, CodeWorkshopNotFound, "")
}

func TestResetWorkshopPutsSandboxesBackAndKeepsCredentials(t *testing.T) {
	s := workshopStore(t)
	_, creds := mustCreateWorkshop(t, s, NewWorkshop{Name: "resets", Trainees: 3})
	_, otherCreds := mustCreateWorkshop(t, s, NewWorkshop{Name: "untouched", Trainees: 1})
	start := map[string]sandboxState{}
	for _, c := range slices.Concat(creds, otherCreds) {
		start[c.AccountID] = sandbox(t, s, c.AccountID)
	}
	aliceStart := sandbox(t, s, otherAccountID)

	// Every trainee (and the other workshop's) changes their sandbox.
	mess := func(accountID string) {
		t.Helper()
		scope := Scope{AccountID: accountID, Region: "us-east-1", Actor: "trainee"}
		mustCreate(t, s, scope, "scratch-"+accountID[:4], "made during the lab")
		_, err := s.AuthorizeIngress(ctx, scope, "scratch-"+accountID[:4], "web-servers", accountID)
		mustNoErr(t, err, "AuthorizeIngress")
		mustNoErr(t, s.SetRegionPlatform(ctx, Scope{AccountID: accountID, Region: "eu-west-1"}, PlatformVPC), "SetRegionPlatform")
		_, err = s.CreateEC2SecurityGroup(ctx, scope, "extra", "x", PlatformClassic)
		mustNoErr(t, err, "CreateEC2SecurityGroup")
	}
	for _, c := range slices.Concat(creds, otherCreds) {
		mess(c.AccountID)
		if reflect.DeepEqual(sandbox(t, s, c.AccountID), start[c.AccountID]) {
			t.Fatalf("the changes did not change sandbox %s", c.AccountID)
		}
	}
	mustCreate(t, s, Scope{AccountID: otherAccountID, Region: "us-east-1"}, "alice-group", "alice's")
	aliceMessed := sandbox(t, s, otherAccountID)
	usersBefore, keysBefore := credentialRows(t, s)

	// One trainee.
	mustNoErr(t, s.ResetWorkshop(ctx, "resets", "TRAINEE-02", nil), "ResetWorkshop one")
	if got := sandbox(t, s, creds[1].AccountID); !reflect.DeepEqual(got, start[creds[1].AccountID]) {
		t.Errorf("trainee-02's sandbox after reset:\n%+v\nwant\n%+v", got, start[creds[1].AccountID])
	}
	for _, c := range []TraineeCredentials{creds[0], creds[2], otherCreds[0]} {
		if reflect.DeepEqual(sandbox(t, s, c.AccountID), start[c.AccountID]) {
			t.Errorf("resetting trainee-02 also reset %s", c.Username)
		}
	}

	// Everyone of the workshop; the other workshop and alice keep their changes.
	mustNoErr(t, s.ResetWorkshop(ctx, "resets", "", nil), "ResetWorkshop all")
	for _, c := range creds {
		if got := sandbox(t, s, c.AccountID); !reflect.DeepEqual(got, start[c.AccountID]) {
			t.Errorf("%s's sandbox after reset all:\n%+v\nwant\n%+v", c.Username, got, start[c.AccountID])
		}
	}
	if reflect.DeepEqual(sandbox(t, s, otherCreds[0].AccountID), start[otherCreds[0].AccountID]) {
		t.Error("resetting a workshop reset another workshop's sandbox")
	}
	if got := sandbox(t, s, otherAccountID); !reflect.DeepEqual(got, aliceMessed) || reflect.DeepEqual(got, aliceStart) {
		t.Error("resetting a workshop changed alice's account")
	}
	usersAfter, keysAfter := credentialRows(t, s)
	if !reflect.DeepEqual(usersBefore, usersAfter) || !reflect.DeepEqual(keysBefore, keysAfter) {
		t.Error("a reset changed users, passwords or access keys")
	}
	for _, c := range creds {
		if _, err := s.SignIn(ctx, Credentials{Username: c.Username, Password: c.Password}); err != nil {
			t.Errorf("%s cannot sign in after the reset: %v", c.Username, err)
		}
	}

	wantError(t, s.ResetWorkshop(ctx, "missing", "", nil), CodeWorkshopNotFound, "")
	wantError(t, s.ResetWorkshop(ctx, "resets", "alice", nil), CodeTraineeNotFound, "")
	wantError(t, s.ResetWorkshop(ctx, "resets", otherCreds[0].Username, nil), CodeTraineeNotFound, "")
}

func TestResetWorkshopNeedsTheWorkshopsLabs(t *testing.T) {
	s := workshopStore(t)
	w := Workshop{Name: "labbed", LabIDs: "one,two"}
	if _, err := WorkshopLabs(w, []Lab{{ID: "two"}}); err == nil || !strings.Contains(err.Error(), "Lab one") {
		t.Errorf("WorkshopLabs without lab one: %v", err)
	}
	labs, err := WorkshopLabs(w, []Lab{{ID: "zero"}, {ID: "two"}, {ID: "one"}})
	if err != nil || len(labs) != 2 || labs[0].ID != "one" || labs[1].ID != "two" {
		t.Errorf("WorkshopLabs = %+v, %v", labs, err)
	}
	if labs, err := WorkshopLabs(Workshop{Name: "plain"}, []Lab{{ID: "zero"}}); err != nil || len(labs) != 0 {
		t.Errorf("a workshop without labs got %+v, %v", labs, err)
	}
	// Through ResetWorkshop: a workshop whose labs are not loaded is refused and nothing changes.
	_, creds := mustCreateWorkshop(t, s, NewWorkshop{Name: "plain", Trainees: 1})
	mustNoErr(t, s.db.Model(&Workshop{}).Where("name = ?", "plain").Update("lab_ids", "gone").Error, "set lab IDs")
	mustCreate(t, s, Scope{AccountID: creds[0].AccountID, Region: "us-east-1"}, "keep-me", "x")
	before := dbDump(t, s)
	if err := s.ResetWorkshop(ctx, "plain", "", nil); err == nil || !strings.Contains(err.Error(), "gone") {
		t.Errorf("reset without the workshop's lab: %v", err)
	}
	assertSameDump(t, before, dbDump(t, s))
}

func TestDeleteWorkshopRemovesItAllAndNothingElse(t *testing.T) {
	s := workshopStore(t)
	_, keep := mustCreateWorkshop(t, s, NewWorkshop{Name: "keep", Trainees: 2})
	for _, c := range keep {
		_, err := s.SignIn(ctx, Credentials{Username: c.Username, Password: c.Password})
		mustNoErr(t, err, "sign in")
	}
	before := dbDump(t, s)

	_, gone := mustCreateWorkshop(t, s, NewWorkshop{Name: "gone", Trainees: 3})
	// Give the doomed workshop everything a class leaves behind: sessions, a second key, sign-in
	// failures, groups with grants and tags, clusters, instances, events, a VPC-only region, and
	// a user an admin added to a sandbox account.
	for i, c := range gone {
		_, err := s.SignIn(ctx, Credentials{Username: c.Username, Password: c.Password})
		mustNoErr(t, err, "sign in")
		_, err = s.SignIn(ctx, Credentials{Username: c.Username, Password: "wrong-password!", Address: "10.0.0.9"})
		if !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("wrong password: %v", err)
		}
		u, _ := s.UserByName(ctx, c.Username)
		_, err = s.CreateAccessKey(ctx, u.ID)
		mustNoErr(t, err, "CreateAccessKey")
		scope := Scope{AccountID: c.AccountID, Region: "us-east-1", Actor: c.Username}
		mustCreate(t, s, scope, "lab-group", "made in the lab")
		_, err = s.AuthorizeIngress(ctx, scope, "lab-group", "web-servers", c.AccountID)
		mustNoErr(t, err, "AuthorizeIngress")
		_, err = s.AddTags(ctx, scope, SecurityGroupARN(scope, "lab-group"), []Tag{{Key: "k", Value: "v"}})
		mustNoErr(t, err, "AddTags")
		_, err = s.CreateCluster(ctx, scope, classicCluster(fmt.Sprintf("lab-cluster-%d", i), "lab-group"))
		mustNoErr(t, err, "CreateCluster")
		_, err = s.CreateEC2Instance(ctx, scope, NewEC2Instance{InstanceID: "i-0123456789abcdef0", Name: "lab", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}})
		mustNoErr(t, err, "CreateEC2Instance")
		mustNoErr(t, s.SetRegionPlatform(ctx, Scope{AccountID: c.AccountID, Region: "eu-west-1"}, PlatformVPC), "vpc")
	}
	_, err := s.CreateUser(ctx, NewUser{Username: "helper", Role: RoleViewer, AccountID: gone[0].AccountID, Password: "helper-password"})
	mustNoErr(t, err, "CreateUser helper")
	for _, c := range gone {
		if n := countRows(t, s, &Event{}, "account_id = ?", c.AccountID); n == 0 {
			t.Fatalf("no events in %s to delete", c.AccountID)
		}
	}

	mustNoErr(t, s.DeleteWorkshop(ctx, "gone"), "DeleteWorkshop")
	assertSameDump(t, before, dbDump(t, s))
	for _, c := range gone {
		if _, err := s.SignIn(ctx, Credentials{Username: c.Username, Password: c.Password}); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("%s still signs in: %v", c.Username, err)
		}
		if _, _, err := s.LookupAccessKey(ctx, c.AccessKeyID); !errors.Is(err, ErrUnknownAccessKey) {
			t.Errorf("key of %s still known: %v", c.Username, err)
		}
	}
	_, _, err = s.GetWorkshop(ctx, "gone")
	wantError(t, err, CodeWorkshopNotFound, "")
	wantError(t, s.DeleteWorkshop(ctx, "gone"), CodeWorkshopNotFound, "")
	if _, _, err := s.WorkshopCredentials(ctx, "keep"); err != nil {
		t.Errorf("the other workshop's credentials: %v", err)
	}
}

func TestResetTraineePassword(t *testing.T) {
	s := workshopStore(t)
	_, creds := mustCreateWorkshop(t, s, NewWorkshop{Name: "pw", Trainees: 2})
	mustCreateWorkshop(t, s, NewWorkshop{Name: "pw-other", Trainees: 1, Prefix: "x"})
	token, err := s.SignIn(ctx, Credentials{Username: creds[0].Username, Password: creds[0].Password})
	mustNoErr(t, err, "SignIn")
	otherToken, err := s.SignIn(ctx, Credentials{Username: creds[1].Username, Password: creds[1].Password})
	mustNoErr(t, err, "SignIn")

	password, err := s.ResetTraineePassword(ctx, "pw", "Trainee-01")
	mustNoErr(t, err, "ResetTraineePassword")
	if password == creds[0].Password || len(password) < MinPasswordLength {
		t.Fatalf("new password %q", password)
	}
	if _, err := s.SessionUser(ctx, token); err == nil {
		t.Error("the trainee's session survived the password reset")
	}
	if _, err := s.SessionUser(ctx, otherToken); err != nil {
		t.Errorf("another trainee's session ended: %v", err)
	}
	if _, err := s.SignIn(ctx, Credentials{Username: creds[0].Username, Password: creds[0].Password}); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("the old password still signs in: %v", err)
	}
	if _, err := s.SignIn(ctx, Credentials{Username: creds[0].Username, Password: password}); err != nil {
		t.Errorf("the new password does not sign in: %v", err)
	}
	_, again, err := s.WorkshopCredentials(ctx, "pw")
	mustNoErr(t, err, "WorkshopCredentials")
	if again[0].Password != password || again[1] != creds[1] || again[0].SecretAccessKey != creds[0].SecretAccessKey {
		t.Errorf("credentials after the reset: %+v", again)
	}

	_, err = s.ResetTraineePassword(ctx, "missing", "trainee-01")
	wantError(t, err, CodeWorkshopNotFound, "")
	_, err = s.ResetTraineePassword(ctx, "pw", "x-01")
	wantError(t, err, CodeTraineeNotFound, "")
	_, err = s.ResetTraineePassword(ctx, "pw", "alice")
	wantError(t, err, CodeTraineeNotFound, "")
}

func TestCreateWorkshopOfMaxTrainees(t *testing.T) {
	if testing.Short() {
		t.Skip("500 sandboxes")
	}
	s := workshopStore(t)
	w, creds := mustCreateWorkshop(t, s, NewWorkshop{Name: "big", Trainees: MaxTrainees})
	if len(creds) != MaxTrainees || creds[0].Username != "trainee-001" || creds[MaxTrainees-1].Username != "trainee-500" {
		t.Fatalf("%d credentials, %s ... %s", len(creds), creds[0].Username, creds[len(creds)-1].Username)
	}
	if n := countRows(t, s, &User{}, "role = ?", RoleMember); n != MaxTrainees+1 {
		t.Errorf("%d members", n)
	}
	if n := countRows(t, s, &Account{}, ""); n != MaxTrainees+2 {
		t.Errorf("%d accounts", n)
	}
	_, again, err := s.WorkshopCredentials(ctx, w.Name)
	mustNoErr(t, err, "WorkshopCredentials")
	if !reflect.DeepEqual(again, creds) {
		t.Error("credentials of 500 trainees do not round trip")
	}
	if _, err := s.SignIn(ctx, Credentials{Username: "trainee-377", Password: creds[376].Password}); err != nil {
		t.Errorf("trainee-377: %v", err)
	}
	mustNoErr(t, s.DeleteWorkshop(ctx, w.Name), "DeleteWorkshop")
	if n := countRows(t, s, &Account{}, ""); n != 2 {
		t.Errorf("%d accounts after delete", n)
	}
}

func TestWorkshopWithTheBuiltinLabs(t *testing.T) {
	s := workshopStore(t)
	labs := BuiltinLabs()
	if len(labs) == 0 {
		t.Fatal("no built-in labs")
	}
	w, creds := mustCreateWorkshop(t, s, NewWorkshop{Name: "labbed", Trainees: 2, Labs: labs})
	ids := make([]string, len(labs))
	for i, l := range labs {
		ids[i] = l.ID
	}
	if !reflect.DeepEqual(w.LabIDList(), ids) {
		t.Errorf("LabIDs = %q, want %q", w.LabIDs, ids)
	}
	start := sandbox(t, s, creds[0].AccountID)
	if got := sandbox(t, s, creds[1].AccountID); !reflect.DeepEqual(got, replaceAccount(start, creds[0].AccountID, creds[1].AccountID)) {
		t.Errorf("the two sandboxes start differently:\n%+v\n%+v", start, got)
	}
	mustCreate(t, s, Scope{AccountID: creds[0].AccountID, Region: "us-east-1"}, "training-cache", "made in lab 1")
	if reflect.DeepEqual(sandbox(t, s, creds[0].AccountID), start) {
		t.Fatal("the change did not change the sandbox")
	}
	// The catalog without the workshop's labs cannot reset it; the catalog with them (in any
	// order, with more labs) can.
	if err := s.ResetWorkshop(ctx, "labbed", "", labs[1:]); err == nil || !strings.Contains(err.Error(), labs[0].ID) {
		t.Errorf("reset without lab %s: %v", labs[0].ID, err)
	}
	reversed := slices.Clone(labs)
	slices.Reverse(reversed)
	mustNoErr(t, s.ResetWorkshop(ctx, "labbed", "", reversed), "ResetWorkshop")
	if got := sandbox(t, s, creds[0].AccountID); !reflect.DeepEqual(got, start) {
		t.Errorf("after reset:\n%+v\nwant\n%+v", got, start)
	}
}
