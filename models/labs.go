package models

import (
	"context"
	"errors"
	"strings"
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
	idLine  int    // where the id is written, for duplicate-ID errors
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
	Instance string `json:"instance,omitempty" yaml:"instance,omitempty"` // an instance ID, or the instance's Name
	// Network narrows cluster_exists and instance_exists to ec2-classic or vpc ones.
	Network Platform `json:"network,omitempty" yaml:"network,omitempty"`
	Key     string   `json:"key,omitempty" yaml:"key,omitempty"`     // tag_present: the tag key
	Value   string   `json:"value,omitempty" yaml:"value,omitempty"` // tag_present: the value, when it matters
	Line    int      `json:"-" yaml:"-"`                             // where the check is written, for error messages
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
	Line        int      `json:"-" yaml:"-"` // where the item is written, for error messages
}

// SetupInstance is an EC2 instance a lab's sandbox starts with.
type SetupInstance struct {
	Region         string   `json:"region,omitempty" yaml:"region,omitempty"`
	InstanceID     string   `json:"instance_id" yaml:"instance_id"`
	Name           string   `json:"name,omitempty" yaml:"name,omitempty"`
	Platform       Platform `json:"platform,omitempty" yaml:"platform,omitempty"`
	SecurityGroups []string `json:"security_groups,omitempty" yaml:"security_groups,omitempty"`
	Line           int      `json:"-" yaml:"-"` // where the item is written, for error messages
}

// SetupCacheGroup is a cache security group (with authorized EC2 groups) a sandbox starts with.
type SetupCacheGroup struct {
	Region      string   `json:"region,omitempty" yaml:"region,omitempty"`
	Name        string   `json:"name" yaml:"name"`
	Description string   `json:"description,omitempty" yaml:"description,omitempty"`
	Authorize   []string `json:"authorize,omitempty" yaml:"authorize,omitempty"` // EC2 group names of the same account, already authorized
	Line        int      `json:"-" yaml:"-"`                                     // where the item is written, for error messages
}

// SetupCluster is a cache cluster a sandbox starts with (available at once).
type SetupCluster struct {
	Region              string   `json:"region,omitempty" yaml:"region,omitempty"`
	ID                  string   `json:"id" yaml:"id"`
	Engine              string   `json:"engine,omitempty" yaml:"engine,omitempty"`
	NodeType            string   `json:"node_type,omitempty" yaml:"node_type,omitempty"`
	NumNodes            int      `json:"num_nodes,omitempty" yaml:"num_nodes,omitempty"`
	CacheSecurityGroups []string `json:"cache_security_groups,omitempty" yaml:"cache_security_groups,omitempty"`
	Line                int      `json:"-" yaml:"-"` // where the item is written, for error messages
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
// a few queries for all of them together, not per account or per step. Every account asked for
// has an entry, in the labs' order; an account that does not exist is an empty sandbox.
func (s *Store) EvaluateLabsForAccounts(ctx context.Context, accountIDs []string, labs []Lab) (map[string][]LabProgress, error) {
	now := s.now()
	boxes, err := loadSandboxes(s.db.WithContext(ctx), accountIDs, tablesFor(labs))
	if err != nil {
		return nil, wrap("evaluate labs", err)
	}
	results := evaluateSandboxes(now, boxes, labs)
	out := make(map[string][]LabProgress, len(boxes))
	for i, box := range boxes {
		out[box.accountID] = results[i]
	}
	return out, nil
}

// Personalized returns a copy of the lab whose summary and instructions name the trainee's own
// console URL and account ID where the lab files write the placeholders PlaceholderConsoleURL and
// PlaceholderAccountID (the CLI lab's commands need both).
func (l Lab) Personalized(consoleURL, accountID string) Lab {
	r := strings.NewReplacer(PlaceholderConsoleURL, consoleURL, PlaceholderAccountID, accountID)
	out := l
	out.Summary = r.Replace(l.Summary)
	out.Steps = make([]Step, len(l.Steps))
	for i, step := range l.Steps {
		step.Instructions = r.Replace(step.Instructions)
		out.Steps[i] = step
	}
	return out
}

// Placeholders that lab texts may contain, replaced by Personalized.
const (
	PlaceholderConsoleURL = "<console URL>"
	PlaceholderAccountID  = "<account ID>"
)
