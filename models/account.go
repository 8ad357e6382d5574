package models

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"gorm.io/gorm"
)

// DefaultAccountID is the account a fresh database starts with.
const DefaultAccountID = "123456789012"

// Regions lists the regions sgconsole simulates, in the order the region selector shows them.
var Regions = []string{"us-east-1", "us-west-2", "eu-west-1", "ap-southeast-1"}

// DefaultRegion is used when a request names none.
const DefaultRegion = "us-east-1"

// Platform says which networks a region of an account supports.
type Platform string

// The two platforms a region can have.
const (
	PlatformClassic Platform = "ec2-classic"
	PlatformVPC     Platform = "vpc"
)

// Label is the wording the EC2 console used for supported platforms.
func (p Platform) Label() string {
	if p == PlatformVPC {
		return "VPC"
	}
	return "EC2-Classic and VPC"
}

// Short names the platform in one word, as tables show it.
func (p Platform) Short() string {
	if p == PlatformVPC {
		return "VPC"
	}
	return "EC2-Classic"
}

// SupportsClassic reports whether cache security groups can be used.
func (p Platform) SupportsClassic() bool { return p == PlatformClassic }

// ParsePlatform validates a platform value from a form or flag.
func ParsePlatform(v string) (Platform, error) {
	switch Platform(v) {
	case PlatformClassic, PlatformVPC:
		return Platform(v), nil
	}
	return "", fieldError(CodeInvalidParameterValue, "platform", "Platform must be ec2-classic or vpc.")
}

var accountIDPattern = regexp.MustCompile(`^[0-9]{12}$`)

// ValidAccountID reports whether id is a 12-digit AWS account ID.
func ValidAccountID(id string) bool { return accountIDPattern.MatchString(id) }

// ValidRegion reports whether region is one sgconsole simulates.
func ValidRegion(region string) bool {
	for _, r := range Regions {
		if r == region {
			return true
		}
	}
	return false
}

// Scope names the tenant (account) and region every record belongs to, and who is acting there.
type Scope struct {
	AccountID string
	Region    string
	Actor     string // the user name recorded on events; empty for system changes
	Via       string // how the actor came: "console" or the access key ID of an API call
}

// Account is a simulated AWS account.
type Account struct {
	ID        string `gorm:"primaryKey;size:12"`
	CreatedAt time.Time
}

// TableName keeps the schema explicit.
func (Account) TableName() string { return "accounts" }

// RegionSetting records the platform of one region of an account.
type RegionSetting struct {
	ID        uint     `gorm:"primaryKey"`
	AccountID string   `gorm:"size:12;not null;index:idx_region_account,unique"`
	Region    string   `gorm:"size:32;not null;index:idx_region_account,unique"`
	Platform  Platform `gorm:"size:16;not null"`
	UpdatedAt time.Time
}

// TableName keeps the schema explicit.
func (RegionSetting) TableName() string { return "region_settings" }

// EnsureAccount creates the account with every region on EC2-Classic (and its default cache
// security groups) if it does not exist yet. It reports whether it created it.
func (s *Store) EnsureAccount(ctx context.Context, accountID string) (bool, error) {
	if !ValidAccountID(accountID) {
		return false, fmt.Errorf("models: account ID %q is not 12 digits", accountID)
	}
	created := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var err error
		created, err = ensureAccount(tx, accountID, s.now())
		return err
	})
	if err != nil {
		return false, fmt.Errorf("models: ensure account %s: %w", accountID, err)
	}
	return created, nil
}

func ensureAccount(tx *gorm.DB, accountID string, now time.Time) (bool, error) {
	var n int64
	if err := tx.Model(&Account{}).Where("id = ?", accountID).Count(&n).Error; err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if err := tx.Create(&Account{ID: accountID, CreatedAt: now}).Error; err != nil {
		return false, err
	}
	for _, region := range Regions {
		if err := tx.Create(&RegionSetting{AccountID: accountID, Region: region, Platform: PlatformClassic}).Error; err != nil {
			return false, err
		}
		if err := ensureDefaultGroup(tx, Scope{AccountID: accountID, Region: region}, now); err != nil {
			return false, err
		}
	}
	return true, nil
}

// newAccountID picks a random 12-digit account ID that is not taken (and is never the demo's).
func newAccountID(tx *gorm.DB) (string, error) {
	for {
		id := "1" + randomFrom("0123456789", 11)
		if id == DefaultAccountID {
			continue
		}
		var n int64
		if err := tx.Model(&Account{}).Where("id = ?", id).Count(&n).Error; err != nil {
			return "", err
		}
		if n == 0 {
			return id, nil
		}
	}
}

// AccountExists reports whether an account with this ID exists.
func (s *Store) AccountExists(ctx context.Context, accountID string) (bool, error) {
	if !ValidAccountID(accountID) {
		return false, nil
	}
	var n int64
	err := s.db.WithContext(ctx).Model(&Account{}).Where("id = ?", accountID).Count(&n).Error
	return n > 0, wrap("account exists", err)
}

// ListAccounts returns every account by ID, for the admin's account selector.
func (s *Store) ListAccounts(ctx context.Context) ([]Account, error) {
	var accounts []Account
	err := s.db.WithContext(ctx).Order("id").Find(&accounts).Error
	return accounts, wrap("list accounts", err)
}

// MaxAccountChoices bounds the accounts an admin's account selector lists: a workshop can hold
// thousands, and every console page carries the selector.
const MaxAccountChoices = 25

// AccountChoices lists the accounts an admin's account selector offers, by ID: all of them while
// there are at most MaxAccountChoices; beyond that none, and more is true (the console then asks
// for the account ID instead). It reads at most MaxAccountChoices+1 rows whatever the table holds.
func (s *Store) AccountChoices(ctx context.Context) (ids []string, more bool, err error) {
	err = s.db.WithContext(ctx).Model(&Account{}).Order("id").Limit(MaxAccountChoices+1).Pluck("id", &ids).Error
	if err != nil {
		return nil, false, wrap("account choices", err)
	}
	if len(ids) > MaxAccountChoices {
		return nil, true, nil
	}
	return ids, false, nil
}

// RegionPlatform returns the platform of the scope's region.
func (s *Store) RegionPlatform(ctx context.Context, scope Scope) (Platform, error) {
	_, platform, err := s.version(ctx, scope)
	return platform, err
}

func regionPlatform(db *gorm.DB, scope Scope) (Platform, error) {
	var rs RegionSetting
	err := db.Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).Take(&rs).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", fmt.Errorf("models: region %s of account %s: %w", scope.Region, scope.AccountID, ErrNotFound)
	}
	if err != nil {
		return "", fmt.Errorf("models: region platform: %w", err)
	}
	return rs.Platform, nil
}

// requireClassic refuses cache-security-group use where the region is VPC-only, with the service's message.
func requireClassic(db *gorm.DB, scope Scope) error {
	p, err := regionPlatform(db, scope)
	if err != nil {
		return err
	}
	if !p.SupportsClassic() {
		return classicNotPermitted()
	}
	return nil
}

// RegionPlatforms lists every region of the account with its platform, in Regions order.
func (s *Store) RegionPlatforms(ctx context.Context, accountID string) ([]RegionSetting, error) {
	var rows []RegionSetting
	if err := s.db.WithContext(ctx).Where("account_id = ?", accountID).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("models: list regions: %w", err)
	}
	order := map[string]int{}
	for i, r := range Regions {
		order[r] = i
	}
	sorted := make([]RegionSetting, len(Regions))
	n := 0
	for _, r := range rows {
		if i, ok := order[r.Region]; ok {
			sorted[i] = r
			n++
		}
	}
	return sorted[:n], nil
}

// SetRegionPlatform switches a region between EC2-Classic and VPC-only. Cache security groups stay
// stored while a region is VPC-only and reappear when it is switched back.
func (s *Store) SetRegionPlatform(ctx context.Context, scope Scope, platform Platform) error {
	if !ValidRegion(scope.Region) {
		return fieldError(CodeInvalidParameterValue, "region", "Unknown region %q.", scope.Region)
	}
	if _, err := ParsePlatform(string(platform)); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&RegionSetting{}).
			Where("account_id = ? AND region = ?", scope.AccountID, scope.Region).
			Updates(map[string]any{"platform": platform, "updated_at": s.now(), "version": gorm.Expr("version + 1")})
		if res.Error != nil {
			return fmt.Errorf("models: set platform: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("models: region %s: %w", scope.Region, ErrNotFound)
		}
		if platform == PlatformClassic {
			return ensureDefaultGroup(tx, scope, s.now())
		}
		return nil
	})
}
