package models

import (
	"context"
	"errors"

	"gorm.io/gorm"
)

// A lab is a short sequence of steps, each with Markdown instructions and a declarative check that
// runs against the trainee's own sandbox (account). Labs are data: the built-in ones are embedded
// files, instructors add their own with --labs DIR.
type Lab struct {
	ID      string `json:"id" yaml:"id"`
	Title   string `json:"title" yaml:"title"`
	Summary string `json:"summary" yaml:"summary"` // Markdown
	Setup   Setup  `json:"setup" yaml:"setup"`     // what the sandbox holds before the lab starts
	Steps   []Step `json:"steps" yaml:"steps"`
	Source  string `json:"-" yaml:"-"` // the file it came from ("built-in" for embedded labs)
}

// Step is one instruction and the check that says it is done.
type Step struct {
	Title        string `json:"title" yaml:"title"`
	Instructions string `json:"instructions" yaml:"instructions"` // Markdown
	Check        Check  `json:"check" yaml:"check"`
}

// Check is a declarative condition on a sandbox. Type names the condition; the other fields are
// its parameters (which ones depends on the type; the loader refuses unknown or missing ones).
type Check struct {
	Type     string `json:"type" yaml:"type"`
	Region   string `json:"region,omitempty" yaml:"region,omitempty"` // default us-east-1
	Name     string `json:"name,omitempty" yaml:"name,omitempty"`
	Pattern  string `json:"pattern,omitempty" yaml:"pattern,omitempty"` // a regular expression instead of Name
	EC2Group string `json:"ec2_group,omitempty" yaml:"ec2_group,omitempty"`
	Owner    string `json:"owner,omitempty" yaml:"owner,omitempty"` // 12 digits, or "self" (the sandbox's account); default self
	Cluster  string `json:"cluster,omitempty" yaml:"cluster,omitempty"`
	Instance string `json:"instance,omitempty" yaml:"instance,omitempty"`
	Line     int    `json:"-" yaml:"-"` // where the check is written, for error messages
}

// Setup seeds a sandbox: the demo data when Demo is true, then what the lab adds.
type Setup struct {
	Demo bool `json:"demo" yaml:"demo"`
	// Regions switches regions to "vpc" (all regions start "ec2-classic").
	Regions             map[string]Platform `json:"regions,omitempty" yaml:"regions,omitempty"`
	EC2SecurityGroups   []SetupEC2Group     `json:"ec2_security_groups,omitempty" yaml:"ec2_security_groups,omitempty"`
	Instances           []SetupInstance     `json:"instances,omitempty" yaml:"instances,omitempty"`
	CacheSecurityGroups []SetupCacheGroup   `json:"cache_security_groups,omitempty" yaml:"cache_security_groups,omitempty"`
	Clusters            []SetupCluster      `json:"clusters,omitempty" yaml:"clusters,omitempty"`
}

// SetupEC2Group is an EC2 security group a lab's sandbox starts with.
type SetupEC2Group struct {
	Region      string   `json:"region,omitempty" yaml:"region,omitempty"`
	Name        string   `json:"name" yaml:"name"`
	Description string   `json:"description,omitempty" yaml:"description,omitempty"`
	Platform    Platform `json:"platform,omitempty" yaml:"platform,omitempty"`
}

// SetupInstance is an EC2 instance a lab's sandbox starts with.
type SetupInstance struct {
	Region         string   `json:"region,omitempty" yaml:"region,omitempty"`
	InstanceID     string   `json:"instance_id" yaml:"instance_id"`
	Name           string   `json:"name,omitempty" yaml:"name,omitempty"`
	Platform       Platform `json:"platform,omitempty" yaml:"platform,omitempty"`
	SecurityGroups []string `json:"security_groups,omitempty" yaml:"security_groups,omitempty"`
}

// SetupCacheGroup is a cache security group (with authorized EC2 groups) a sandbox starts with.
type SetupCacheGroup struct {
	Region      string   `json:"region,omitempty" yaml:"region,omitempty"`
	Name        string   `json:"name" yaml:"name"`
	Description string   `json:"description,omitempty" yaml:"description,omitempty"`
	Authorize   []string `json:"authorize,omitempty" yaml:"authorize,omitempty"` // EC2 group names of the same account, already authorized
}

// SetupCluster is a cache cluster a sandbox starts with (available at once).
type SetupCluster struct {
	Region              string   `json:"region,omitempty" yaml:"region,omitempty"`
	ID                  string   `json:"id" yaml:"id"`
	Engine              string   `json:"engine,omitempty" yaml:"engine,omitempty"`
	NodeType            string   `json:"node_type,omitempty" yaml:"node_type,omitempty"`
	NumNodes            int      `json:"num_nodes,omitempty" yaml:"num_nodes,omitempty"`
	CacheSecurityGroups []string `json:"cache_security_groups,omitempty" yaml:"cache_security_groups,omitempty"`
}

// StepState is how far a trainee is with one step.
type StepState string

// Step states: done, pending (the sandbox is on its way, e.g. an authorization still
// "authorizing"), or not yet.
const (
	StepDone    StepState = "done"
	StepPending StepState = "pending"
	StepTodo    StepState = "todo"
)

// StepResult is one evaluated step; Detail says what the check looked for when it is not done
// ("No cache security group named training-cache in us-east-1 yet").
type StepResult struct {
	State  StepState
	Detail string
}

// LabProgress is one lab evaluated against one sandbox.
type LabProgress struct {
	Lab   Lab
	Steps []StepResult
}

// Done counts the steps done.
func (p LabProgress) Done() int {
	n := 0
	for _, s := range p.Steps {
		if s.State == StepDone {
			n++
		}
	}
	return n
}

// ErrNotImplemented marks the parts of workshop mode still being written.
var ErrNotImplemented = errors.New("models: not implemented yet")

// EvaluateLabs checks every step of the labs against one account's sandbox. It loads the sandbox
// once (a few queries whatever the number of steps) and evaluates each check in memory.
func (s *Store) EvaluateLabs(ctx context.Context, accountID string, labs []Lab) ([]LabProgress, error) {
	all, err := s.EvaluateLabsForAccounts(ctx, []string{accountID}, labs)
	if err != nil {
		return nil, err
	}
	return all[accountID], nil
}

// EvaluateLabsForAccounts does EvaluateLabs for many sandboxes at once (the instructor dashboard):
// a few queries for all of them together, not per account or per step.
func (s *Store) EvaluateLabsForAccounts(ctx context.Context, accountIDs []string, labs []Lab) (map[string][]LabProgress, error) {
	return nil, ErrNotImplemented
}

// seedSandbox fills a fresh account (one that EnsureAccount just created, inside the same
// transaction) with its starting data: the demo data when any lab asks for it (or when labs is
// empty), then every lab's setup.
func (s *Store) seedSandbox(tx *gorm.DB, accountID string, labs []Lab) error {
	return ErrNotImplemented
}

// resetSandbox removes everything of an account's resources (groups, authorizations, tags, clusters,
// EC2 side, events; region settings back to EC2-Classic with their default groups) and seeds it
// again, inside the caller's transaction. Users, passwords and access keys stay.
func (s *Store) resetSandbox(tx *gorm.DB, accountID string, labs []Lab) error {
	return ErrNotImplemented
}
