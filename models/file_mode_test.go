package models

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// TestNewFilesAreOwnerOnly: a new SQLite database (with its -wal and -shm) and a new key file are
// readable by their owner only, even under a umask that would let everyone read them.
func TestNewFilesAreOwnerOnly(t *testing.T) {
	if os.Getenv("SGCONSOLE_TEST_POSTGRES") != "" {
		t.Skip("database files are SQLite's; the key file is checked in the SQLite run")
	}
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	dir := t.TempDir()
	db := filepath.Join(dir, "console.db")
	s, err := Open(db)
	mustNoErr(t, err, "Open")
	defer s.Close()
	_, err = s.EnsureAccount(ctx, DefaultAccountID) // a write, so the -wal and -shm exist
	mustNoErr(t, err, "EnsureAccount")
	mustNoErr(t, s.UseKeyFile(ctx, filepath.Join(dir, "console.key")), "UseKeyFile")
	for _, name := range []string{"console.db", "console.db-wal", "console.db-shm", "console.key"} {
		info, err := os.Stat(filepath.Join(dir, name))
		mustNoErr(t, err, "stat "+name)
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", name, mode)
		}
	}
}
