package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// DemoEC2SecurityGroups are the EC2 security groups every demo region offers.
var DemoEC2SecurityGroups = []struct{ Name, Description string }{
	{"default", "default VPC security group"},
	{"web-servers", "Public web tier"},
	{"app-servers", "Application servers"},
	{"bastion", "SSH bastion hosts"},
}

// SeedDemo fills an account that has no EC2 security groups yet with a believable demo: EC2
// security groups in every region and cache security groups with authorizations in each state.
// It reports whether it seeded anything.
func (s *Store) SeedDemo(ctx context.Context, accountID string) (bool, error) {
	seeded := false
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&EC2SecurityGroup{}).Where("account_id = ?", accountID).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		seeded = true
		now := s.now()
		for _, region := range Regions {
			for _, g := range DemoEC2SecurityGroups {
				if err := tx.Create(&EC2SecurityGroup{AccountID: accountID, Region: region, Name: g.Name, Description: g.Description}).Error; err != nil {
					return err
				}
			}
		}
		const partner = "210987654321"
		type grant struct {
			name, owner string
			status      AuthorizationStatus
		}
		groups := []struct {
			region, name, description string
			grants                    []grant
		}{
			{"us-east-1", "default", "default", []grant{{"default", accountID, StatusAuthorized}}},
			{"us-east-1", "web-sessions", "Session cache for the public web tier", []grant{
				{"web-servers", accountID, StatusAuthorized}, {"bastion", accountID, StatusRevoking}}},
			{"us-east-1", "app-cache", "Memcached for application servers", []grant{
				{"app-servers", accountID, StatusAuthorized}, {"web-servers", accountID, StatusAuthorizing}}},
			{"us-east-1", "reporting", "Reporting jobs run from the analytics partner account", []grant{
				{"etl-workers", partner, StatusAuthorized}}},
			{"us-east-1", "staging", "Staging cache, not yet opened to any EC2 group", nil},
			{"us-west-2", "dr-cache", "Disaster-recovery copy of web-sessions", []grant{{"web-servers", accountID, StatusAuthorized}}},
		}
		for _, g := range groups {
			scope := Scope{accountID, g.region}
			row, err := findGroup(tx, scope, g.name)
			if HasCode(err, CodeCacheSecurityGroupNotFound) {
				row = CacheSecurityGroup{AccountID: accountID, Region: g.region, Name: g.name, Description: g.description, CreatedAt: now.Add(-72 * time.Hour)}
				err = tx.Create(&row).Error
			}
			if err != nil {
				return err
			}
			for _, gr := range g.grants {
				a := EC2Authorization{GroupID: row.ID, EC2GroupName: gr.name, EC2OwnerID: gr.owner,
					AuthorizedAt: now.Add(-48 * time.Hour), ActiveAt: now.Add(-48 * time.Hour)}
				switch gr.status {
				case StatusAuthorizing:
					a.AuthorizedAt, a.ActiveAt = now, now.Add(s.PropagationDelay)
				case StatusRevoking:
					gone := now.Add(s.PropagationDelay)
					a.RevokedAt, a.GoneAt = &now, &gone
				}
				if err := tx.Create(&a).Error; err != nil {
					return err
				}
			}
		}
		return nil
	})
	return seeded, wrap("seed demo", err)
}
