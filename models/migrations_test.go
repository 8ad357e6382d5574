package models

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// currentModels are the tables the models expect today (region_settings as RegionSetting).
func currentModels() []any {
	ms := step1Models()
	for i, m := range ms {
		switch m.(type) {
		case *regionSettingV1:
			ms[i] = &RegionSetting{}
		case *cacheClusterV1:
			ms[i] = &CacheCluster{}
		}
	}
	return append(ms, &CacheNode{}, &ClusterTag{})
}

// recorded reads schema_migrations: step number -> applied_at.
func recorded(t *testing.T, db *gorm.DB) map[int64]time.Time {
	t.Helper()
	var rows []struct {
		Version   int64
		AppliedAt time.Time
	}
	if err := db.Raw("SELECT version, applied_at FROM schema_migrations ORDER BY version").Scan(&rows).Error; err != nil {
		t.Fatalf("read schema_migrations: %v", err)
	}
	got := map[int64]time.Time{}
	for _, r := range rows {
		got[r.Version] = r.AppliedAt
	}
	return got
}

// wantAllRecorded asserts every step is recorded exactly once (version is the primary key).
func wantAllRecorded(t *testing.T, db *gorm.DB) {
	t.Helper()
	got := recorded(t, db)
	if len(got) != len(migrations) {
		t.Fatalf("schema_migrations holds %d steps, want %d: %v", len(got), len(migrations), got)
	}
	for _, m := range migrations {
		if _, ok := got[m.version]; !ok {
			t.Fatalf("step %d (%s) is not recorded: %v", m.version, m.name, got)
		}
	}
}

// rawDB opens the database at path without migrating it, as an earlier release would have.
func rawDB(t *testing.T, path string) *gorm.DB {
	t.Helper()
	d := gorm.Dialector(postgres.Open(path))
	if !IsPostgres(path) {
		d = sqlite.Open("file:" + path + "?_busy_timeout=5000&_foreign_keys=on&_txlock=immediate")
	}
	db, err := gorm.Open(d, &gorm.Config{Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		t.Fatal(err)
	}
	sqlDB, _ := db.DB()
	sqlDB.SetMaxOpenConns(2)
	t.Cleanup(func() { _ = sqlDB.Close() })
	return db
}

// emptyPath is a database with nothing in it: a new SQLite file name or a new PostgreSQL schema.
func emptyPath(t *testing.T) string {
	t.Helper()
	if base := os.Getenv("SGCONSOLE_TEST_POSTGRES"); base != "" {
		return postgresSchema(t, base)
	}
	return filepath.Join(t.TempDir(), "test.db")
}

// roundTrip creates v, reads the row back by primary key into a fresh value and compares every
// column: each model's columns exist with types that keep what was written.
func roundTrip(t *testing.T, db *gorm.DB, v any) {
	t.Helper()
	if err := db.Create(v).Error; err != nil {
		t.Fatalf("create %T: %v", v, err)
	}
	stmt := &gorm.Statement{DB: db}
	if err := stmt.Parse(v); err != nil {
		t.Fatal(err)
	}
	rv := reflect.ValueOf(v).Elem()
	pk := stmt.Schema.PrioritizedPrimaryField
	pkVal, _ := pk.ValueOf(ctx, rv)
	got := reflect.New(rv.Type())
	if err := db.Take(got.Interface(), pk.DBName+" = ?", pkVal).Error; err != nil {
		t.Fatalf("read %T back: %v", v, err)
	}
	for _, f := range stmt.Schema.Fields {
		if f.DBName == "" {
			continue
		}
		want, _ := f.ValueOf(ctx, rv)
		have, _ := f.ValueOf(ctx, got.Elem())
		if wp, ok := want.(*time.Time); ok && wp != nil { // compared as instants, like time.Time
			want = *wp
			if hp, ok := have.(*time.Time); ok && hp != nil {
				have = *hp
			}
		}
		if wt, ok := want.(time.Time); ok {
			if !wt.Truncate(time.Microsecond).Equal(have.(time.Time)) {
				t.Errorf("%T.%s: wrote %v, read %v", v, f.Name, wt, have)
			}
			continue
		}
		if !reflect.DeepEqual(want, have) {
			t.Errorf("%T.%s: wrote %#v, read %#v", v, f.Name, want, have)
		}
	}
}

// roundTripEveryModel writes and reads one row of each model, parents before children.
func roundTripEveryModel(t *testing.T, db *gorm.DB) {
	t.Helper()
	now := t0
	acct := "555566667777"
	roundTrip(t, db, &Account{ID: acct, CreatedAt: now})
	roundTrip(t, db, &RegionSetting{AccountID: acct, Region: "eu-west-1", Platform: PlatformClassic, UpdatedAt: now})
	user := &User{Username: "roundtrip", AccountID: acct, Role: RoleMember, PasswordHash: "x", CreatedAt: now, LastSignInAt: &now}
	roundTrip(t, db, user)
	roundTrip(t, db, &Session{TokenHash: "h1", UserID: user.ID, FlashKind: "info", FlashText: "t", ExpiresAt: now, LastSeenAt: now, CreatedAt: now})
	group := &CacheSecurityGroup{AccountID: acct, Region: "eu-west-1", Name: "g", Description: "d", CreatedAt: now}
	roundTrip(t, db, group)
	roundTrip(t, db, &EC2Authorization{GroupID: group.ID, EC2GroupName: "web", EC2OwnerID: acct, AuthorizedAt: now, ActiveAt: now, RevokedAt: &now})
	ec2g := &EC2SecurityGroup{AccountID: acct, Region: "eu-west-1", Name: "web", Description: "d", Platform: PlatformClassic, CreatedAt: now}
	roundTrip(t, db, ec2g)
	cluster := &CacheCluster{AccountID: acct, Region: "eu-west-1", ClusterID: "c1", Engine: "redis", EngineVersion: "7.1",
		NodeType: "cache.t3.micro", NumNodes: 1, Network: PlatformClassic, VPCSecurityGroupIDs: "sg-1 sg-2", CreatedAt: now, AvailableAt: now}
	roundTrip(t, db, cluster)
	roundTrip(t, db, &ClusterMembership{ClusterRowID: cluster.ID, GroupID: group.ID, ActiveAt: now})
	roundTrip(t, db, &EC2Instance{AccountID: acct, Region: "eu-west-1", InstanceID: "i-0123456789abcdef0", Name: "n",
		Platform: PlatformClassic, SecurityGroups: []EC2SecurityGroup{*ec2g}, CreatedAt: now})
	var links int64
	if err := db.Table("ec2_instance_security_groups").Count(&links).Error; err != nil || links != 1 {
		t.Errorf("ec2_instance_security_groups: %d rows, %v; want 1", links, err)
	}
	roundTrip(t, db, &Event{AccountID: acct, Region: "eu-west-1", Date: now, SourceID: "c1", SourceType: "cache-cluster", Message: "m", Actor: "a", Via: "console"})
	roundTrip(t, db, &AccessKey{AccessKeyID: "AKIAROUNDTRIP0000001", UserID: user.ID, SecretCiphertext: []byte{1, 2, 3}, CreatedAt: now, LastUsedAt: &now})
	roundTrip(t, db, &Tag{GroupID: group.ID, Key: "k", Value: "v"})
	roundTrip(t, db, &SignInFailure{UsernameKey: "u", Address: "127.0.0.1", At: now})
	roundTrip(t, db, &SignInLock{UsernameKey: "u", LockedUntil: now})
	ws := &Workshop{Name: "w", Prefix: "p", LabIDs: "a,b", ConsoleURL: "http://x", CreatedAt: now}
	roundTrip(t, db, ws)
	roundTrip(t, db, &WorkshopTrainee{WorkshopID: ws.ID, Number: 1, UserID: user.ID, AccountID: acct, AccessKeyID: "AKIA", PasswordCiphertext: []byte{4}})
	roundTrip(t, db, &FormStash{KeyHash: "k", Path: "/p", Status: 400, Body: []byte("b"), ExpiresAt: now})
	roundTrip(t, db, &Setting{Name: "roundtrip", Value: "v"})
}

// The version column step 2 adds: bigint, not null, 0 for rows that do not name it.
func wantVersionColumn(t *testing.T, db *gorm.DB) {
	t.Helper()
	if !db.Migrator().HasColumn("region_settings", "version") {
		t.Fatal("region_settings.version is missing")
	}
	var versions []int64
	if err := db.Raw("SELECT version FROM region_settings").Scan(&versions).Error; err != nil {
		t.Fatal(err)
	}
	for _, v := range versions {
		if v != 0 {
			t.Fatalf("region_settings.version = %d, want 0", v)
		}
	}
	err := db.Exec("UPDATE region_settings SET version = NULL").Error
	if err == nil && len(versions) > 0 {
		t.Fatal("region_settings.version accepted NULL")
	}
	if err := db.Exec("UPDATE region_settings SET version = ?", int64(1)<<40).Error; err != nil {
		t.Fatalf("region_settings.version does not hold a bigint: %v", err)
	}
	if err := db.Exec("UPDATE region_settings SET version = 0").Error; err != nil {
		t.Fatal(err)
	}
}

func TestMigrateEmptyDatabase(t *testing.T) {
	s, _, _ := openStore(t)
	wantAllRecorded(t, s.db)
	if err := verifySchema(s.db, currentModels()); err != nil {
		t.Fatalf("schema after every step: %v", err)
	}
	roundTripEveryModel(t, s.db)
	wantVersionColumn(t, s.db)
	// The domain still works on the migrated schema: an account gets its region rows.
	if _, err := s.EnsureAccount(ctx, DefaultAccountID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, NewUser{Username: "Alice", Role: RoleMember, AccountID: DefaultAccountID, Password: "alice-password"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, NewUser{Username: "ALICE", Role: RoleMember, AccountID: DefaultAccountID, Password: "alice-password"}); err == nil {
		t.Fatal("a user name differing only in case was accepted: the LOWER(username) index is missing")
	}
}

// previousRelease builds the schema the release before ordered migrations made, in one of the
// two shapes an existing database can have, and puts rows in it.
func previousRelease(t *testing.T, path string, recordStep1 bool) {
	t.Helper()
	db := rawDB(t, path)
	err := db.Transaction(func(tx *gorm.DB) error {
		if recordStep1 {
			return runMigration(tx, migrations[0])
		}
		return migrateStep1(tx) // the old AutoMigrate path: no schema_migrations table
	})
	if err != nil {
		t.Fatalf("previous release schema: %v", err)
	}
	if db.Migrator().HasColumn("region_settings", "version") {
		t.Fatal("step 1 already has region_settings.version")
	}
	for _, q := range []string{
		"INSERT INTO accounts (id, created_at) VALUES ('123456789012', '2022-08-01 12:00:00')",
		"INSERT INTO region_settings (account_id, region, platform, updated_at) VALUES ('123456789012', 'us-east-1', 'ec2-classic', '2022-08-01 12:00:00')",
		"INSERT INTO region_settings (account_id, region, platform, updated_at) VALUES ('123456789012', 'us-west-2', 'vpc', '2022-08-01 12:00:00')",
		"INSERT INTO cache_security_groups (account_id, region, name, description, created_at) VALUES ('123456789012', 'us-east-1', 'kept', 'from before', '2022-08-01 12:00:00')",
	} {
		if err := db.Exec(q).Error; err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

func TestMigrateUpgradesPreviousRelease(t *testing.T) {
	for _, tc := range []struct {
		name        string
		recordStep1 bool
	}{{"no schema_migrations table", false}, {"step 1 recorded", true}} {
		t.Run(tc.name, func(t *testing.T) {
			path := emptyPath(t)
			previousRelease(t, path, tc.recordStep1)
			s, err := Open(path)
			if err != nil {
				t.Fatalf("Open on the previous release's database: %v", err)
			}
			defer s.Close()
			wantAllRecorded(t, s.db)
			if err := verifySchema(s.db, currentModels()); err != nil {
				t.Fatal(err)
			}
			wantVersionColumn(t, s.db)
			var platforms []string
			if err := s.db.Raw("SELECT platform FROM region_settings WHERE account_id = '123456789012' ORDER BY region").Scan(&platforms).Error; err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(platforms) != "[ec2-classic vpc]" {
				t.Fatalf("region rows after upgrade: %v, want [ec2-classic vpc]", platforms)
			}
			g, err := s.GetSecurityGroup(ctx, scopeUS, "kept")
			if err != nil || g.Description != "from before" {
				t.Fatalf("group from before the upgrade: %+v, %v", g, err)
			}
		})
	}
}

func TestMigrateTwiceIsNoop(t *testing.T) {
	s, _, path := openStore(t)
	before := recorded(t, s.db)
	if applied, err := s.migrate(); err != nil || applied {
		t.Fatalf("second migrate: applied a step %v, error %v; want neither", applied, err)
	}
	again, err := Open(path)
	if err != nil {
		t.Fatalf("second Open: %v", err)
	}
	defer again.Close()
	after := recorded(t, s.db)
	if !reflect.DeepEqual(before, after) {
		t.Fatalf("schema_migrations changed: %v, then %v", before, after)
	}
}

// Instances starting at once on one database each apply every step or find it applied: step 2's
// ALTER TABLE fails if run twice, and version is the primary key of schema_migrations.
func TestMigrateConcurrentStarts(t *testing.T) {
	path := emptyPath(t)
	if !IsPostgres(path) {
		// The file exists in WAL mode, without tables. (Two processes creating a NEW file at once
		// can fail at open, before any migration, while one switches it to WAL: not covered here.)
		if err := rawDB(t, path).Exec("PRAGMA journal_mode=WAL").Error; err != nil {
			t.Fatal(err)
		}
	}
	const n = 4
	errs := make([]error, n)
	stores := make([]*Store, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = OpenWith(path, Options{MaxConns: 2})
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("instance %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	wantAllRecorded(t, stores[0].db)
	if err := verifySchema(stores[0].db, currentModels()); err != nil {
		t.Fatal(err)
	}
}
