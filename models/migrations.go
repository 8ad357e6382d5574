package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
)

// The schema is defined by ordered steps, each run once in its own transaction and recorded in
// schema_migrations with its number, so an upgrade changes existing databases the same way on
// every machine. A change to the schema is a NEW step at the end of migrations, never an edit of
// an old one (databases that already recorded it would never see the edit).

// migration is one step of the schema: apply runs inside the step's transaction.
type migration struct {
	version int64
	name    string
	apply   func(tx *gorm.DB) error
}

// migrations is the schema, in order. Never reorder, renumber or edit a step once released.
var migrations = []migration{
	{1, "schema of the release before ordered migrations", migrateStep1},
	{2, "region_settings.version, bumped by writes of an account and region", func(tx *gorm.DB) error {
		return tx.Exec("ALTER TABLE region_settings ADD COLUMN version BIGINT NOT NULL DEFAULT 0").Error
	}},
	{3, "cluster settings, pending changes, nodes and tags (cluster_schema.go)", migrateStep3},
	{4, "VPCs, subnets, VPC security groups, instance placements and cache subnet groups (vpc_schema.go)", migrateStep4},
	{5, "tags on cache subnet groups (subnet_group_tags.go)", migrateStep5},
	{6, "snapshots with their nodes and tags, and clusters' snapshotting (snapshots.go)", migrateStep6},
}

// step1Models are the tables step 1 creates. region_settings is a frozen copy (regionSettingV1),
// so a column later added to RegionSetting is not created here before its own step adds it.
func step1Models() []any {
	return []any{&Account{}, &regionSettingV1{}, &User{}, &Session{},
		&CacheSecurityGroup{}, &EC2Authorization{}, &EC2SecurityGroup{},
		&cacheClusterV1{}, &ClusterMembership{}, &EC2Instance{}, &Event{}, &AccessKey{}, &Tag{},
		&SignInFailure{}, &SignInLock{}, &Workshop{}, &WorkshopTrainee{}, &FormStash{}, &Setting{}}
}

// regionSettingV1 is region_settings as step 1 made it.
type regionSettingV1 struct {
	ID        uint     `gorm:"primaryKey"`
	AccountID string   `gorm:"size:12;not null;index:idx_region_account,unique"`
	Region    string   `gorm:"size:32;not null;index:idx_region_account,unique"`
	Platform  Platform `gorm:"size:16;not null"`
	UpdatedAt time.Time
}

func (regionSettingV1) TableName() string { return "region_settings" }

// migrateStep1 is what every start ran before ordered migrations: AutoMigrate plus two hand
// steps. Every part of it only adds what is missing, so on a database made by an earlier
// release (tables but no schema_migrations) it fills any gap and the result is then verified
// before step 1 is recorded: that is how existing databases are recognised.
func migrateStep1(tx *gorm.DB) error {
	if err := tx.AutoMigrate(step1Models()...); err != nil {
		return err
	}
	for _, step := range []string{
		// User names are unique whatever their case.
		"CREATE UNIQUE INDEX IF NOT EXISTS idx_users_username_folded ON users (LOWER(username))",
		// Databases from before roles had one user, the admin: keep it an admin.
		"UPDATE users SET role = 'admin' WHERE username = 'admin' AND NOT EXISTS (SELECT 1 FROM users AS u WHERE u.role = 'admin')",
	} {
		if err := tx.Exec(step).Error; err != nil {
			return err
		}
	}
	return verifySchema(tx, step1Models())
}

// verifySchema reports the first table, column or named index of models missing from the database.
func verifySchema(tx *gorm.DB, models []any) error {
	m := tx.Migrator()
	for _, model := range models {
		stmt := &gorm.Statement{DB: tx}
		if err := stmt.Parse(model); err != nil {
			return err
		}
		table := stmt.Schema.Table
		if !m.HasTable(model) {
			return fmt.Errorf("table %s is missing", table)
		}
		for _, f := range stmt.Schema.Fields {
			if f.DBName != "" && !m.HasColumn(model, f.DBName) {
				return fmt.Errorf("column %s.%s is missing", table, f.DBName)
			}
		}
		for _, idx := range stmt.Schema.ParseIndexes() {
			if !m.HasIndex(model, idx.Name) {
				return fmt.Errorf("index %s on %s is missing", idx.Name, table)
			}
		}
	}
	if !m.HasTable("ec2_instance_security_groups") { // EC2Instance.SecurityGroups' join table
		return fmt.Errorf("table ec2_instance_security_groups is missing")
	}
	if !m.HasIndex("users", "idx_users_username_folded") {
		return fmt.Errorf("index idx_users_username_folded is missing")
	}
	return nil
}

// migrate applies, in order, every step not yet recorded in schema_migrations, and says whether
// it applied any.
func (s *Store) migrate() (applied bool, err error) {
	done, err := s.appliedMigrations(s.db)
	if err != nil {
		return false, fmt.Errorf("models: migrate: %w", err)
	}
	for _, step := range migrations {
		if done[step.version] {
			continue // the common start: nothing to do, no write taken
		}
		if err := s.db.Transaction(func(tx *gorm.DB) error { return runMigration(tx, step) }); err != nil {
			return applied, fmt.Errorf("models: migrate step %d (%s): %w", step.version, step.name, err)
		}
		applied = true
	}
	return applied, nil
}

// runMigration applies one step unless another instance recorded it first. On PostgreSQL the
// advisory lock (per schema, held until commit) makes a second instance starting at the same
// time wait and then see the step recorded; on SQLite the write lock taken at BEGIN does that.
func runMigration(tx *gorm.DB, step migration) error {
	if tx.Dialector.Name() == "postgres" {
		if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext('sgconsole schema_migrations ' || current_schema()))").Error; err != nil {
			return err
		}
	}
	if err := tx.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)").Error; err != nil {
		return err
	}
	var n int64
	if err := tx.Raw("SELECT COUNT(*) FROM schema_migrations WHERE version = ?", step.version).Scan(&n).Error; err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if err := step.apply(tx); err != nil {
		return err
	}
	return tx.Exec("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", step.version, time.Now().UTC()).Error
}

// appliedMigrations reads the recorded step numbers; none when schema_migrations does not exist.
func (s *Store) appliedMigrations(db *gorm.DB) (map[int64]bool, error) {
	done := map[int64]bool{}
	if !db.Migrator().HasTable("schema_migrations") {
		return done, nil
	}
	var versions []int64
	if err := db.Raw("SELECT version FROM schema_migrations").Scan(&versions).Error; err != nil {
		return nil, err
	}
	for _, v := range versions {
		done[v] = true
	}
	return done, nil
}
