package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
	"gorm.io/gorm"
)

// AdminUsername is the user created on an empty database.
const AdminUsername = "admin"

// MinPasswordLength is the shortest password a user may choose.
const MinPasswordLength = 12

// MaxPasswordLength is bcrypt's limit: it ignores bytes past 72.
const MaxPasswordLength = 72

// Role says what a user may do in the console and on the API.
type Role string

// The three roles.
const (
	RoleAdmin  Role = "admin"  // everything, in every account: users, accounts, settings, workshops
	RoleMember Role = "member" // read and write in their own account
	RoleViewer Role = "viewer" // read only, in their own account
)

// Roles lists the roles in the order forms offer them.
var Roles = []Role{RoleAdmin, RoleMember, RoleViewer}

// ParseRole validates a role from a form, flag or API.
func ParseRole(v string) (Role, error) {
	for _, r := range Roles {
		if string(r) == v {
			return r, nil
		}
	}
	return "", fieldError(CodeInvalidParameterValue, "role", "Choose a role: admin, member or viewer.")
}

// CanWrite reports whether the role may change resources of its account.
func (r Role) CanWrite() bool { return r == RoleAdmin || r == RoleMember }

// IsAdmin reports whether the role manages users and may act in every account.
func (r Role) IsAdmin() bool { return r == RoleAdmin }

// User is a console user; every user belongs to one account.
type User struct {
	ID           uint   `gorm:"primaryKey"`
	Username     string `gorm:"size:64;not null;uniqueIndex"`
	AccountID    string `gorm:"size:12;not null;index"`
	Role         Role   `gorm:"size:16;not null;default:member"`
	Disabled     bool   `gorm:"not null;default:false"`
	PasswordHash string `gorm:"size:100;not null"`
	CreatedAt    time.Time
	LastSignInAt *time.Time
}

// TableName keeps the schema explicit.
func (User) TableName() string { return "users" }

// Enabled reports whether the user may sign in and use access keys.
func (u User) Enabled() bool { return !u.Disabled }

var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9._@-]{1,64}$`)

// ValidateUsername checks the user name rule: 1-64 letters, digits and . _ - @.
func ValidateUsername(name string) error {
	switch {
	case name == "":
		return fieldError(CodeMissingParameter, "username", "Enter a user name.")
	case len(name) > 64:
		return fieldError(CodeInvalidParameterValue, "username", "A user name is at most 64 characters long.")
	case !usernamePattern.MatchString(name):
		return fieldError(CodeInvalidParameterValue, "username", "A user name can contain only letters, digits and . _ - @")
	}
	return nil
}

// ValidatePassword checks a new password's length.
func ValidatePassword(field, password string) error {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLength:
		return fieldError(CodeInvalidParameterValue, field, "A password must be at least %d characters long.", MinPasswordLength)
	case len(password) > MaxPasswordLength:
		return fieldError(CodeInvalidParameterValue, field, "A password is at most %d bytes long.", MaxPasswordLength)
	}
	return nil
}

// ErrBadCredentials is returned for an unknown user or a wrong password alike.
var ErrBadCredentials = errors.New("models: incorrect username or password")

// ErrUserDisabled is returned when the right password is given for a disabled user.
var ErrUserDisabled = errors.New("models: user is disabled")

// RandomPassword returns a password suitable for printing once.
func RandomPassword() string {
	return RandomToken(15)
}

// RandomToken returns n random bytes as hex.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("models: crypto/rand failed: %v", err)) // the OS has no entropy: nothing is safe
	}
	return hex.EncodeToString(b)
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

func (s *Store) hashPassword(password string) (string, error) {
	cost := s.PasswordCost
	if cost == 0 {
		cost = bcrypt.DefaultCost
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(password), cost)
	return string(hash), err
}

// byUsername matches a user name case-insensitively (names are ASCII, so LOWER agrees on both databases).
func byUsername(db *gorm.DB, username string) *gorm.DB {
	return db.Where("LOWER(username) = LOWER(?)", username)
}

func findUser(db *gorm.DB, username string) (User, error) {
	var u User
	if ValidateUsername(username) != nil {
		return u, fmt.Errorf("models: user %q: %w", username, ErrNotFound)
	}
	err := byUsername(db, username).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return u, fmt.Errorf("models: user %q: %w", username, ErrNotFound)
	}
	return u, err
}

// EnsureAdmin creates the admin user in the default account when there are no users. With an empty
// password it generates one and returns it so it can be shown once.
func (s *Store) EnsureAdmin(ctx context.Context, password string) (created bool, shown string, err error) {
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&User{}).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		if password == "" {
			password = RandomPassword()
			shown = password
		}
		if _, err := s.createUser(tx, NewUser{Username: AdminUsername, Role: RoleAdmin, AccountID: DefaultAccountID, Password: password}); err != nil {
			return err
		}
		created = true
		return nil
	})
	return created, shown, wrap("ensure admin", err)
}

// NewUser is what creating a user takes. An empty AccountID means a new account; an empty Password
// means a generated one.
type NewUser struct {
	Username  string
	Role      Role
	AccountID string
	Password  string
}

// CreatedUser is a new user and, when it was generated, the password to show once.
type CreatedUser struct {
	User
	GeneratedPassword string
	AccountCreated    bool
}

func (n NewUser) validate() error {
	var fields []FieldError
	code := CodeInvalidParameterValue
	add := func(err error) {
		if e, ok := AsError(err); ok {
			if len(fields) == 0 {
				code = e.Code
			}
			fields = append(fields, e.Fields...)
		}
	}
	add(ValidateUsername(n.Username))
	_, err := ParseRole(string(n.Role))
	add(err)
	if n.AccountID != "" && !ValidAccountID(n.AccountID) {
		add(fieldError(CodeInvalidParameterValue, "account_id", "An account ID is 12 digits."))
	}
	if n.Password != "" {
		add(ValidatePassword("password", n.Password))
	}
	if len(fields) > 0 {
		return &Error{Code: code, Message: fields[0].Message, Fields: fields}
	}
	return nil
}

// CreateUser adds a user, creating the account (EC2-Classic in every region, with its default
// groups) when it does not exist yet, all in one transaction.
func (s *Store) CreateUser(ctx context.Context, n NewUser) (CreatedUser, error) {
	if err := n.validate(); err != nil {
		return CreatedUser{}, err
	}
	var out CreatedUser
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		out, err = s.createUser(tx, n)
		return err
	})
	return out, wrap("create user", err)
}

func (s *Store) createUser(tx *gorm.DB, n NewUser) (CreatedUser, error) {
	if err := n.validate(); err != nil {
		return CreatedUser{}, err
	}
	out := CreatedUser{}
	if n.Password == "" {
		n.Password = RandomPassword()
		out.GeneratedPassword = n.Password
	}
	var taken int64
	if err := byUsername(tx.Model(&User{}), n.Username).Count(&taken).Error; err != nil {
		return out, err
	}
	if taken > 0 {
		return out, fieldError(CodeEntityAlreadyExists, "username", "A user named %s already exists.", n.Username)
	}
	if n.AccountID == "" {
		id, err := newAccountID(tx)
		if err != nil {
			return out, err
		}
		n.AccountID = id
	}
	created, err := ensureAccount(tx, n.AccountID, s.now())
	if err != nil {
		return out, err
	}
	out.AccountCreated = created
	hash, err := s.hashPassword(n.Password)
	if err != nil {
		return out, err
	}
	out.User = User{Username: n.Username, AccountID: n.AccountID, Role: n.Role, PasswordHash: hash, CreatedAt: s.now()}
	if err := tx.Create(&out.User).Error; err != nil {
		if errors.Is(err, gorm.ErrDuplicatedKey) {
			return out, fieldError(CodeEntityAlreadyExists, "username", "A user named %s already exists.", n.Username)
		}
		return out, err
	}
	return out, nil
}

// ListUsers returns every user, by name.
func (s *Store) ListUsers(ctx context.Context) ([]User, error) {
	var users []User
	err := s.db.WithContext(ctx).Order("LOWER(username), id").Find(&users).Error
	return users, wrap("list users", err)
}

// UserByName finds a user, ignoring case.
func (s *Store) UserByName(ctx context.Context, username string) (User, error) {
	u, err := findUser(s.db.WithContext(ctx), username)
	if errors.Is(err, ErrNotFound) {
		return u, err
	}
	return u, wrap("user", err)
}

// lockUsers serializes changes that must keep at least one enabled admin.
func lockUsers(tx *gorm.DB) error {
	if tx.Dialector.Name() != "postgres" {
		return nil // SQLite: _txlock=immediate already allows one writer
	}
	return tx.Exec("SELECT id FROM users WHERE role = ? FOR UPDATE", RoleAdmin).Error
}

// keepsAnAdmin refuses a change that would leave no enabled admin.
func keepsAnAdmin(tx *gorm.DB, u User) error {
	if u.Role != RoleAdmin || u.Disabled {
		return nil
	}
	var others int64
	if err := tx.Model(&User{}).Where("role = ? AND disabled = ? AND id <> ?", RoleAdmin, false, u.ID).Count(&others).Error; err != nil {
		return err
	}
	if others == 0 {
		return newError(CodeInvalidParameterValue, "%s is the last enabled admin. Make another user admin first.", u.Username)
	}
	return nil
}

// changeUser loads a user by name for a change made by actor (0 from the command line) and runs fn
// in one transaction.
func (s *Store) changeUser(ctx context.Context, what string, actorID uint, username string, fn func(tx *gorm.DB, u User) error) error {
	return wrap(what, s.tx(ctx, func(tx *gorm.DB) error {
		if err := lockUsers(tx); err != nil {
			return err
		}
		u, err := findUser(tx, username)
		if errors.Is(err, ErrNotFound) {
			return newError(CodeNoSuchEntity, "User %s not found.", username)
		}
		if err != nil {
			return err
		}
		return fn(tx, u)
	}))
}

// SetUserDisabled disables or enables a user. Disabling ends the user's sessions at once, and its
// access keys stop working (they are checked against the user on every request).
func (s *Store) SetUserDisabled(ctx context.Context, actorID uint, username string, disabled bool) error {
	return s.changeUser(ctx, "set user disabled", actorID, username, func(tx *gorm.DB, u User) error {
		if disabled {
			if u.ID == actorID {
				return newError(CodeInvalidParameterValue, "You cannot disable yourself.")
			}
			if err := keepsAnAdmin(tx, u); err != nil {
				return err
			}
			if err := tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
				return err
			}
		}
		return tx.Model(&u).Update("disabled", disabled).Error
	})
}

// SetUserRole changes a user's role; the last enabled admin keeps theirs.
func (s *Store) SetUserRole(ctx context.Context, actorID uint, username string, role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	return s.changeUser(ctx, "set user role", actorID, username, func(tx *gorm.DB, u User) error {
		if role != RoleAdmin {
			if err := keepsAnAdmin(tx, u); err != nil {
				return err
			}
		}
		return tx.Model(&u).Update("role", role).Error
	})
}

// DeleteUser removes a user with its sessions and access keys: never yourself, never the last
// enabled admin.
func (s *Store) DeleteUser(ctx context.Context, actorID uint, username string) error {
	return s.changeUser(ctx, "delete user", actorID, username, func(tx *gorm.DB, u User) error {
		if u.ID == actorID {
			return newError(CodeInvalidParameterValue, "You cannot delete yourself.")
		}
		if err := keepsAnAdmin(tx, u); err != nil {
			return err
		}
		for _, table := range []any{&Session{}, &AccessKey{}} {
			if err := tx.Where("user_id = ?", u.ID).Delete(table).Error; err != nil {
				return err
			}
		}
		return tx.Delete(&u).Error
	})
}

// ResetPassword gives the user a new random password and signs out all of the user's sessions.
func (s *Store) ResetPassword(ctx context.Context, username string) (string, error) {
	password := RandomPassword()
	hash, err := s.hashPassword(password)
	if err != nil {
		return "", err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		u, err := findUser(tx, username)
		if err != nil {
			return err
		}
		if err := tx.Model(&u).Update("password_hash", hash).Error; err != nil {
			return err
		}
		return tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error
	})
	if errors.Is(err, ErrNotFound) {
		return "", err
	}
	return password, wrap("reset password", err)
}

// ChangePassword sets a user's own new password after checking the current one, and signs out
// every other session of that user (the session keepToken stays).
func (s *Store) ChangePassword(ctx context.Context, userID uint, keepToken, current, next string) error {
	var u User
	if err := s.db.WithContext(ctx).Take(&u, userID).Error; err != nil {
		return wrap("change password", err)
	}
	var fields []FieldError
	if bcrypt.CompareHashAndPassword([]byte(u.PasswordHash), []byte(current)) != nil {
		fields = append(fields, FieldError{"current_password", "The current password is not correct."})
	}
	if err := ValidatePassword("new_password", next); err != nil {
		e, _ := AsError(err)
		fields = append(fields, e.Fields...)
	} else if next == current {
		fields = append(fields, FieldError{"new_password", "Choose a password different from the current one."})
	}
	if len(fields) > 0 {
		return &Error{Code: CodeInvalidParameterValue, Message: fields[0].Message, Fields: fields}
	}
	hash, err := s.hashPassword(next)
	if err != nil {
		return err
	}
	return wrap("change password", s.tx(ctx, func(tx *gorm.DB) error {
		if err := tx.Model(&u).Update("password_hash", hash).Error; err != nil {
			return err
		}
		return tx.Where("user_id = ? AND token_hash <> ?", u.ID, hashToken(keepToken)).Delete(&Session{}).Error
	}))
}

// usernameKey is how sign-in throttling names a user: a hash of the folded name, so any bytes typed
// into the form fit the column on both databases.
func usernameKey(username string) string { return hashToken("user\x00" + strings.ToLower(username)) }
