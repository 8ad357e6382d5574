package models

import "context"

// FirstStart reports whether the console is on its first start: the admin user exists and has
// never signed in, so its one-time password is only in the terminal that started sgconsole.
func (s *Store) FirstStart(ctx context.Context) (bool, error) {
	var n int64
	err := s.db.WithContext(ctx).Model(&User{}).
		Where("username = ? AND last_sign_in_at IS NULL", AdminUsername).Count(&n).Error
	return n > 0, wrap("first start", err)
}
