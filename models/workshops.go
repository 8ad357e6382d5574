package models

import (
	"context"
	"time"
)

// MaxTrainees bounds one workshop.
const MaxTrainees = 500

// Workshop is a set of sandbox accounts, one member user per trainee, made in one go for a class.
type Workshop struct {
	ID         uint   `gorm:"primaryKey"`
	Name       string `gorm:"size:64;not null;uniqueIndex"`
	Prefix     string `gorm:"size:32;not null"`
	LabIDs     string `gorm:"size:1024;not null"` // the labs of the workshop, comma-separated, in order
	ConsoleURL string `gorm:"size:255;not null"`
	CreatedAt  time.Time
}

// TableName keeps the schema explicit.
func (Workshop) TableName() string { return "workshops" }

// WorkshopTrainee ties a trainee's user and sandbox account to a workshop. The first password is
// kept encrypted (like access key secrets) so the credentials CSV and cards can be downloaded again.
type WorkshopTrainee struct {
	ID                 uint   `gorm:"primaryKey"`
	WorkshopID         uint   `gorm:"not null;index"`
	Number             int    `gorm:"not null"`
	UserID             uint   `gorm:"not null;uniqueIndex"`
	User               User   `gorm:"constraint:OnDelete:CASCADE"`
	AccountID          string `gorm:"size:12;not null;uniqueIndex"`
	AccessKeyID        string `gorm:"size:20;not null"`
	PasswordCiphertext []byte `gorm:"not null"`
}

// TableName keeps the schema explicit.
func (WorkshopTrainee) TableName() string { return "workshop_trainees" }

// NewWorkshop is what creating a workshop takes.
type NewWorkshop struct {
	Name       string // "" for a generated one
	Trainees   int    // 1 to MaxTrainees
	Prefix     string // user names are PREFIX-01 ... (default "trainee")
	ConsoleURL string // printed on the cards
	Labs       []Lab  // the workshop's labs, whose setups seed every sandbox
}

// TraineeCredentials is one row of credentials.csv and one printed card.
type TraineeCredentials struct {
	Username        string
	Password        string
	AccountID       string
	AccessKeyID     string
	SecretAccessKey string
	ConsoleURL      string
}

// CreateWorkshop makes the sandboxes, users and keys of a workshop and returns every trainee's
// credentials (the only time passwords and secrets leave the store in the clear, besides
// WorkshopCredentials for admins).
func (s *Store) CreateWorkshop(ctx context.Context, n NewWorkshop) (Workshop, []TraineeCredentials, error) {
	return Workshop{}, nil, ErrNotImplemented
}

// WorkshopCredentials returns the credentials of a workshop's trainees again, for the downloads.
func (s *Store) WorkshopCredentials(ctx context.Context, name string) (Workshop, []TraineeCredentials, error) {
	return Workshop{}, nil, ErrNotImplemented
}
