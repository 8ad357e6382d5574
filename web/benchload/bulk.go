package main

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

const (
	// accountsPerBatch accounts' groups and authorizations go in one transaction.
	accountsPerBatch = 100
	// maxParams keeps one INSERT under SQLite's 32,766 bind parameters (PostgreSQL allows 65,535).
	maxParams = 30000
)

// fillGroups bulk-inserts, on its own connection and before any server runs, 49 groups in
// us-east-1 for each account (which already has its "default" there: 50, the quota) and three
// authorized EC2 security groups for each of the 50, as the models would store them (active an
// hour ago, so their status is authorized). One transaction per batch of accounts: multi-row
// INSERTs on SQLite, COPY on PostgreSQL (its bind parameters make big INSERTs slow there).
func fillGroups(ctx context.Context, b *backend, accountIDs []string) error {
	db, err := sql.Open(b.driver, b.sqlDSN)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	// Microseconds, as models stores times, so both databases hold the same values.
	at := time.Now().UTC().Truncate(time.Microsecond).Add(-time.Hour)
	for start := 0; start < len(accountIDs); start += accountsPerBatch {
		batch := accountIDs[start:min(start+accountsPerBatch, len(accountIDs))]
		fill := fillBatchInserts
		if b.driver == "pgx" {
			fill = fillBatchCopy
		}
		if err := fill(ctx, db, b, batch, at); err != nil {
			return fmt.Errorf("bulk insert of accounts %s to %s: %w", batch[0], batch[len(batch)-1], err)
		}
	}
	return nil
}

var (
	groupColumns = []string{"account_id", "region", "name", "description", "created_at"}
	authColumns  = []string{"group_id", "ec2_group_name", "ec2_owner_id", "authorized_at", "active_at"}
)

// groupRows are the 49 groups of each account besides its default.
func groupRows(accountIDs []string, at time.Time) [][]any {
	var rows [][]any
	for _, id := range accountIDs {
		for i := 1; i < groupsPerAccount; i++ {
			rows = append(rows, []any{id, region, fmt.Sprintf("bench-group-%d", i), fmt.Sprintf("load benchmark group %d", i), at})
		}
	}
	return rows
}

// authRows are three authorizations of each group, after checking that every account has its 50.
func authRows(accountIDs []string, groupIDs []int64, at time.Time) ([][]any, error) {
	if want := len(accountIDs) * groupsPerAccount; len(groupIDs) != want {
		return nil, fmt.Errorf("%d groups in %s after the insert, want %d (the accounts' default groups are missing?)", len(groupIDs), region, want)
	}
	var rows [][]any
	for _, g := range groupIDs {
		for j := 1; j <= 3; j++ {
			rows = append(rows, []any{g, fmt.Sprintf("app-%d", j), fmt.Sprintf("2109876543%02d", j), at, at})
		}
	}
	return rows, nil
}

func fillBatchInserts(ctx context.Context, db *sql.DB, b *backend, accountIDs []string, at time.Time) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := insertRows(ctx, tx, b, "cache_security_groups", groupColumns, groupRows(accountIDs, at)); err != nil {
		return err
	}
	groupIDs, err := groupIDsOf(ctx, tx, b, accountIDs)
	if err != nil {
		return err
	}
	auths, err := authRows(accountIDs, groupIDs, at)
	if err != nil {
		return err
	}
	if err := insertRows(ctx, tx, b, "ec2_authorizations", authColumns, auths); err != nil {
		return err
	}
	return tx.Commit()
}

// fillBatchCopy is fillBatchInserts with PostgreSQL's COPY, through pgx under database/sql.
func fillBatchCopy(ctx context.Context, db *sql.DB, _ *backend, accountIDs []string, at time.Time) error {
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	return conn.Raw(func(driverConn any) error {
		pg := driverConn.(*stdlib.Conn).Conn()
		return pgx.BeginFunc(ctx, pg, func(tx pgx.Tx) error {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{"cache_security_groups"}, groupColumns, pgx.CopyFromRows(groupRows(accountIDs, at))); err != nil {
				return err
			}
			var groupIDs []int64
			rows, err := tx.Query(ctx, "SELECT id FROM cache_security_groups WHERE region = $1 AND account_id = ANY($2)", region, accountIDs)
			if err != nil {
				return err
			}
			if groupIDs, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
				return err
			}
			auths, err := authRows(accountIDs, groupIDs, at)
			if err != nil {
				return err
			}
			_, err = tx.CopyFrom(ctx, pgx.Identifier{"ec2_authorizations"}, authColumns, pgx.CopyFromRows(auths))
			return err
		})
	})
}

func groupIDsOf(ctx context.Context, tx *sql.Tx, b *backend, accountIDs []string) ([]int64, error) {
	marks := make([]string, len(accountIDs))
	args := []any{region}
	for i, id := range accountIDs {
		marks[i] = b.placeholder(i + 2)
		args = append(args, id)
	}
	rows, err := tx.QueryContext(ctx, "SELECT id FROM cache_security_groups WHERE region = "+b.placeholder(1)+
		" AND account_id IN ("+strings.Join(marks, ", ")+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// insertRows inserts rows with multi-row INSERTs of as many rows as the parameter limit allows.
func insertRows(ctx context.Context, tx *sql.Tx, b *backend, table string, columns []string, rows [][]any) error {
	perInsert := maxParams / len(columns)
	for start := 0; start < len(rows); start += perInsert {
		chunk := rows[start:min(start+perInsert, len(rows))]
		var sqlText strings.Builder
		fmt.Fprintf(&sqlText, "INSERT INTO %s (%s) VALUES ", table, strings.Join(columns, ", "))
		args := make([]any, 0, len(chunk)*len(columns))
		for i, row := range chunk {
			if i > 0 {
				sqlText.WriteString(", ")
			}
			sqlText.WriteByte('(')
			for j, v := range row {
				if j > 0 {
					sqlText.WriteString(", ")
				}
				args = append(args, v)
				sqlText.WriteString(b.placeholder(len(args)))
			}
			sqlText.WriteByte(')')
		}
		if _, err := tx.ExecContext(ctx, sqlText.String(), args...); err != nil {
			return err
		}
	}
	return nil
}

// countRows runs a COUNT(*) query on its own connection.
func countRows(ctx context.Context, b *backend, query string) (int, error) {
	db, err := sql.Open(b.driver, b.sqlDSN)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int
	err = db.QueryRowContext(ctx, query).Scan(&n)
	return n, err
}
