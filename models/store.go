// Package models holds sgconsole's domain rules and persistence. Both the console and the
// AWS-compatible API call it, so validation, state and quotas are decided only here.
package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// DefaultPropagationDelay is how long an authorization or revocation stays pending.
const DefaultPropagationDelay = 10 * time.Second

// Store is the single entry point to sgconsole's data.
type Store struct {
	db *gorm.DB
	// Now is the clock every status is derived from; tests replace it to move time without sleeping.
	Now func() time.Time
	// PropagationDelay is how long authorizing and revoking last.
	PropagationDelay time.Duration
	// SecretKey (32 bytes) encrypts access key secrets at rest; see LoadOrCreateKeyFile.
	SecretKey []byte
}

// Open opens (creating if needed) the SQLite database at path and brings its schema up to date.
func Open(path string) (*Store, error) {
	// Pragmas go in the DSN so every pooled connection gets them; _txlock=immediate takes the write
	// lock at BEGIN, so two writers queue on busy_timeout instead of failing mid-transaction.
	dsn := "file:" + path + "?_journal_mode=WAL&_busy_timeout=5000&_foreign_keys=on&_txlock=immediate"
	db, err := gorm.Open(sqlite.Open(dsn), &gorm.Config{
		TranslateError: true,
		Logger:         logger.Default.LogMode(logger.Silent),
		NowFunc:        func() time.Time { return time.Now().UTC() },
	})
	if err != nil {
		return nil, fmt.Errorf("models: open %s: %w", path, err)
	}
	s := &Store{db: db, Now: func() time.Time { return time.Now().UTC() }, PropagationDelay: DefaultPropagationDelay}
	if err := s.migrate(); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

// Close releases the database.
func (s *Store) Close() error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.Close()
}

// Ping reports whether the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return err
	}
	return sqlDB.PingContext(ctx)
}

func (s *Store) now() time.Time { return s.Now().UTC() }

// tx runs fn in one transaction: every write in sgconsole goes through here.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	return s.db.WithContext(ctx).Transaction(fn)
}

func (s *Store) migrate() error {
	if err := s.db.AutoMigrate(&Account{}, &RegionSetting{}, &User{}, &Session{},
		&CacheSecurityGroup{}, &EC2Authorization{}, &EC2SecurityGroup{},
		&CacheCluster{}, &ClusterMembership{}, &EC2Instance{}, &Event{}, &AccessKey{}, &Tag{}); err != nil {
		return fmt.Errorf("models: migrate: %w", err)
	}
	return nil
}

// likePattern escapes LIKE wildcards so a filter matches its text literally. The text keeps its
// case: SQLite's LIKE already ignores ASCII case, and its LOWER() leaves non-ASCII letters alone, so
// lower-casing them here would stop a filter like "Équipe" from matching its own text.
func likePattern(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(text) + "%"
}
