package models

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func ec2GroupNames(groups []EC2SecurityGroup) []string {
	out := []string{}
	for _, g := range groups {
		out = append(out, g.Name+"/"+string(g.Platform))
	}
	return out
}

func TestCreateEC2SecurityGroup(t *testing.T) {
	s, _ := newStore(t)
	g := mustEC2Group(t, s, scopeUS, "web-servers", PlatformClassic)
	if g.ID == 0 || g.AccountID != DefaultAccountID || g.Region != "us-east-1" || g.Description != "web-servers tier" || g.Platform != PlatformClassic {
		t.Fatalf("created %+v", g)
	}
	mustEC2Group(t, s, scopeUS, "vpc-web", PlatformVPC)
	mustEC2Group(t, s, scopeUS, "Legacy Web (2012)", PlatformClassic) // EC2's wider charset
	if _, err := s.CreateEC2SecurityGroup(ctx, scopeUS, "no-description", "", PlatformVPC); err != nil {
		t.Errorf("empty description refused: %v", err)
	}
	// The same name in another region and another account.
	mustEC2Group(t, s, scopeUSW, "web-servers", PlatformVPC)
	_, err := s.EnsureAccount(ctx, otherAccountID)
	mustNoErr(t, err, "EnsureAccount")
	other := Scope{AccountID: otherAccountID, Region: "us-east-1"}
	mustEC2Group(t, s, other, "web-servers", PlatformClassic)

	list, err := s.ListEC2SecurityGroups(ctx, scopeUS)
	mustNoErr(t, err, "ListEC2SecurityGroups")
	if got, want := ec2GroupNames(list), []string{"Legacy Web (2012)/ec2-classic", "no-description/vpc", "vpc-web/vpc", "web-servers/ec2-classic"}; !reflect.DeepEqual(got, want) {
		t.Errorf("us-east-1 groups = %q, want %q", got, want)
	}
	list, err = s.ListEC2SecurityGroups(ctx, scopeUSW)
	mustNoErr(t, err, "ListEC2SecurityGroups")
	if got := ec2GroupNames(list); !reflect.DeepEqual(got, []string{"web-servers/vpc"}) {
		t.Errorf("us-west-2 groups = %q", got)
	}
	list, err = s.ListEC2SecurityGroups(ctx, other)
	mustNoErr(t, err, "ListEC2SecurityGroups")
	if got := ec2GroupNames(list); !reflect.DeepEqual(got, []string{"web-servers/ec2-classic"}) {
		t.Errorf("other account groups = %q", got)
	}
}

func TestCreateEC2SecurityGroupRefusals(t *testing.T) {
	s, _ := newStore(t)
	mustEC2Group(t, s, scopeUS, "web-servers", PlatformClassic)
	tests := []struct {
		name, group, description string
		platform                 Platform
		code, field, msg         string
	}{
		{"name missing", "", "d", PlatformClassic, CodeMissingParameter, "name", "Enter the name of an EC2 security group."},
		{"name too long", strings.Repeat("g", 256), "d", PlatformClassic, CodeInvalidParameterValue, "name", "An EC2 security group name is at most 255 characters long."},
		{"name non-ASCII", "sécurité", "d", PlatformClassic, CodeInvalidParameterValue, "name",
			"An EC2 security group name can contain only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"},
		{"name newline", "web\n", "d", PlatformClassic, CodeInvalidParameterValue, "name",
			"An EC2 security group name can contain only letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*"},
		{"description too long", "db", strings.Repeat("d", 256), PlatformClassic, CodeInvalidParameterValue, "description",
			"The description must be at most 255 characters long."},
		{"platform missing", "db", "d", "", CodeInvalidParameterValue, "platform", "Platform must be ec2-classic or vpc."},
		{"platform unknown", "db", "d", "EC2-Classic", CodeInvalidParameterValue, "platform", "Platform must be ec2-classic or vpc."},
		{"duplicate", "web-servers", "d", PlatformClassic, CodeEC2GroupDuplicate, "name", "An EC2 security group named web-servers already exists."},
		{"duplicate with other platform", "web-servers", "d", PlatformVPC, CodeEC2GroupDuplicate, "name", "An EC2 security group named web-servers already exists."},
	}
	before := takeFullSnapshot(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := s.CreateEC2SecurityGroup(ctx, scopeUS, tt.group, tt.description, tt.platform)
			e := wantError(t, err, tt.code, tt.msg)
			if e.FieldMessage(tt.field) != tt.msg {
				t.Errorf("fields = %+v, want %s", e.Fields, tt.field)
			}
			if g.ID != 0 {
				t.Errorf("failed create returned %+v", g)
			}
			assertNothingWritten(t, s, before)
		})
	}

	// A VPC-only region refuses EC2-Classic groups but takes VPC ones.
	mustNoErr(t, s.SetRegionPlatform(ctx, scopeUSW, PlatformVPC), "SetRegionPlatform")
	before = takeFullSnapshot(t, s)
	_, err := s.CreateEC2SecurityGroup(ctx, scopeUSW, "classic", "d", PlatformClassic)
	e := wantError(t, err, CodeInvalidParameterValue, "This region supports only VPC, so EC2-Classic resources can't be created here.")
	if e.FieldMessage("platform") == "" {
		t.Errorf("fields = %+v", e.Fields)
	}
	assertNothingWritten(t, s, before)
	mustEC2Group(t, s, scopeUSW, "vpc-only", PlatformVPC)
}

func TestDeleteEC2SecurityGroup(t *testing.T) {
	s, _ := newStore(t)
	mustEC2Group(t, s, scopeUS, "web-servers", PlatformClassic)
	mustEC2Group(t, s, scopeUS, "bastion", PlatformClassic)
	mustEC2Group(t, s, scopeUS, "unused", PlatformClassic)
	mustEC2Group(t, s, scopeUSW, "web-servers", PlatformClassic)
	mustInstance(t, s, scopeUS, "i-0a1b2c3d", "web-1", PlatformClassic, "web-servers", "bastion")
	mustInstance(t, s, scopeUS, "i-0a1b2c3e", "web-2", PlatformClassic, "web-servers")

	before := takeFullSnapshot(t, s)
	err := s.DeleteEC2SecurityGroup(ctx, scopeUS, "web-servers")
	wantError(t, err, CodeDependencyViolation, "EC2 security group web-servers is used by 2 instance(s); change or terminate them first.")
	assertNothingWritten(t, s, before)
	err = s.DeleteEC2SecurityGroup(ctx, scopeUS, "ghost")
	wantError(t, err, CodeEC2GroupNotFound, "EC2 security group ghost not found.")
	assertNothingWritten(t, s, before)

	mustNoErr(t, s.DeleteEC2SecurityGroup(ctx, scopeUS, "unused"), "delete unused")
	// The group of the same name in another region has no instances.
	mustNoErr(t, s.DeleteEC2SecurityGroup(ctx, scopeUSW, "web-servers"), "delete us-west-2 web-servers")

	mustNoErr(t, s.DeleteEC2Instance(ctx, scopeUS, "i-0a1b2c3d"), "DeleteEC2Instance")
	wantError(t, s.DeleteEC2SecurityGroup(ctx, scopeUS, "web-servers"), CodeDependencyViolation,
		"EC2 security group web-servers is used by 1 instance(s); change or terminate them first.")
	mustNoErr(t, s.DeleteEC2SecurityGroup(ctx, scopeUS, "bastion"), "delete bastion once its instance is gone")
	mustNoErr(t, s.DeleteEC2Instance(ctx, scopeUS, "I-0A1B2C3E"), "DeleteEC2Instance upper case")
	mustNoErr(t, s.DeleteEC2SecurityGroup(ctx, scopeUS, "web-servers"), "delete web-servers")
	if n := countRows(t, s, &EC2SecurityGroup{}, ""); n != 0 {
		t.Errorf("%d EC2 groups left", n)
	}
	if n := countRows(t, s, &instanceGroupRow{}, ""); n != 0 {
		t.Errorf("%d instance/group rows left", n)
	}
}

func TestCreateEC2Instance(t *testing.T) {
	s, _ := newStore(t)
	mustEC2Group(t, s, scopeUS, "web-servers", PlatformClassic)
	mustEC2Group(t, s, scopeUS, "bastion", PlatformClassic)
	mustEC2Group(t, s, scopeUS, "vpc-web", PlatformVPC)

	generated := regexp.MustCompile(`^i-[0-9a-f]{17}$`)
	a := mustInstance(t, s, scopeUS, "", "web-1", PlatformClassic, "web-servers")
	b := mustInstance(t, s, scopeUS, "", "", PlatformVPC, "vpc-web")
	for _, i := range []EC2Instance{a, b} {
		if !generated.MatchString(i.InstanceID) {
			t.Errorf("generated ID %q is not i- followed by 17 hex digits", i.InstanceID)
		}
	}
	if a.InstanceID == b.InstanceID {
		t.Errorf("two generated IDs are equal: %s", a.InstanceID)
	}
	if a.AccountID != DefaultAccountID || a.Region != "us-east-1" || a.Name != "web-1" || a.Platform != PlatformClassic {
		t.Errorf("created %+v", a)
	}

	for _, id := range []string{"i-0a1b2c3d", "i-0123456789abcdef0"} {
		if i := mustInstance(t, s, scopeUS, id, "", PlatformClassic, "bastion"); i.InstanceID != id {
			t.Errorf("instance ID %q stored as %q", id, i.InstanceID)
		}
	}
	// A given ID is stored lower-case and found in any case.
	mustInstance(t, s, scopeUS, "I-0A1B2C3E4F5061728", "app-1", PlatformClassic, "web-servers", "bastion")
	got, err := s.GetEC2Instance(ctx, scopeUS, "i-0a1b2c3e4f5061728")
	mustNoErr(t, err, "GetEC2Instance")
	if got.InstanceID != "i-0a1b2c3e4f5061728" || !reflect.DeepEqual(got.GroupNames(), []string{"bastion", "web-servers"}) {
		t.Errorf("instance = %s groups %q", got.InstanceID, got.GroupNames())
	}
	got, err = s.GetEC2Instance(ctx, scopeUS, "I-0A1B2C3E4F5061728")
	mustNoErr(t, err, "GetEC2Instance upper case")

	list, err := s.ListEC2Instances(ctx, scopeUS)
	mustNoErr(t, err, "ListEC2Instances")
	if len(list) != 5 {
		t.Fatalf("instances = %d, want 5", len(list))
	}
	for _, i := range list {
		if len(i.SecurityGroups) == 0 {
			t.Errorf("instance %s listed without groups", i.InstanceID)
		}
	}
	if other, err := s.ListEC2Instances(ctx, scopeUSW); err != nil || len(other) != 0 {
		t.Errorf("us-west-2 instances = %d, %v", len(other), err)
	}
	_, err = s.GetEC2Instance(ctx, scopeUSW, "i-0a1b2c3d")
	wantError(t, err, CodeEC2InstanceNotFound, "Instance i-0a1b2c3d not found.")
}

func TestCreateEC2InstanceRefusals(t *testing.T) {
	s, _ := newStore(t)
	mustEC2Group(t, s, scopeUS, "web-servers", PlatformClassic)
	mustEC2Group(t, s, scopeUS, "vpc-web", PlatformVPC)
	mustEC2Group(t, s, scopeUSW, "west", PlatformClassic)
	mustInstance(t, s, scopeUS, "i-0a1b2c3d", "web-1", PlatformClassic, "web-servers")
	const badID = "An instance ID is i- followed by 8 or 17 hexadecimal digits."
	tests := []struct {
		name             string
		in               NewEC2Instance
		code, field, msg string
	}{
		{"ID too short", NewEC2Instance{InstanceID: "i-0a1b2c3", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}, CodeInvalidParameterValue, "instance_id", badID},
		{"ID 9 hex", NewEC2Instance{InstanceID: "i-0a1b2c3d4", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}, CodeInvalidParameterValue, "instance_id", badID},
		{"ID 16 hex", NewEC2Instance{InstanceID: "i-0123456789abcdef", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}, CodeInvalidParameterValue, "instance_id", badID},
		{"ID 18 hex", NewEC2Instance{InstanceID: "i-0123456789abcdef01", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}, CodeInvalidParameterValue, "instance_id", badID},
		{"ID not hex", NewEC2Instance{InstanceID: "i-0a1b2c3g", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}, CodeInvalidParameterValue, "instance_id", badID},
		{"ID without prefix", NewEC2Instance{InstanceID: "0a1b2c3d", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}, CodeInvalidParameterValue, "instance_id", badID},
		{"ID only prefix", NewEC2Instance{InstanceID: "i-", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}, CodeInvalidParameterValue, "instance_id", badID},
		{"ID with space", NewEC2Instance{InstanceID: " i-0a1b2c3e", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}, CodeInvalidParameterValue, "instance_id", badID},
		{"name too long", NewEC2Instance{Name: strings.Repeat("n", 256), Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}, CodeInvalidParameterValue, "name",
			"The name must be at most 255 characters long."},
		{"no groups", NewEC2Instance{Platform: PlatformClassic}, CodeMissingParameter, "security_groups", "Choose at least one EC2 security group."},
		{"empty group list", NewEC2Instance{Platform: PlatformVPC, SecurityGroups: []string{}}, CodeMissingParameter, "security_groups", "Choose at least one EC2 security group."},
		{"unknown group", NewEC2Instance{Platform: PlatformClassic, SecurityGroups: []string{"web-servers", "ghost"}}, CodeEC2GroupNotFound, "security_groups", "EC2 security group ghost not found."},
		{"group of another region", NewEC2Instance{Platform: PlatformClassic, SecurityGroups: []string{"west"}}, CodeEC2GroupNotFound, "security_groups", "EC2 security group west not found."},
		{"VPC instance in EC2-Classic group", NewEC2Instance{Platform: PlatformVPC, SecurityGroups: []string{"web-servers"}}, CodeInvalidParameterCombination, "security_groups",
			"EC2 security group web-servers is for EC2-Classic instances, not VPC."},
		{"EC2-Classic instance in VPC group", NewEC2Instance{Platform: PlatformClassic, SecurityGroups: []string{"vpc-web"}}, CodeInvalidParameterCombination, "security_groups",
			"EC2 security group vpc-web is for VPC instances, not EC2-Classic."},
		{"mixed platforms", NewEC2Instance{Platform: PlatformClassic, SecurityGroups: []string{"web-servers", "vpc-web"}}, CodeInvalidParameterCombination, "security_groups",
			"EC2 security group vpc-web is for VPC instances, not EC2-Classic."},
		{"platform missing", NewEC2Instance{SecurityGroups: []string{"web-servers"}}, CodeInvalidParameterValue, "platform", "Platform must be ec2-classic or vpc."},
		{"duplicate", NewEC2Instance{InstanceID: "i-0a1b2c3d", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}, CodeEC2InstanceDuplicate, "instance_id",
			"Instance i-0a1b2c3d already exists."},
		{"duplicate upper case", NewEC2Instance{InstanceID: "I-0A1B2C3D", Platform: PlatformClassic, SecurityGroups: []string{"web-servers"}}, CodeEC2InstanceDuplicate, "instance_id",
			"Instance i-0a1b2c3d already exists."},
	}
	before := takeFullSnapshot(t, s)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i, err := s.CreateEC2Instance(ctx, scopeUS, tt.in)
			e := wantError(t, err, tt.code, tt.msg)
			if e.FieldMessage(tt.field) != tt.msg {
				t.Errorf("fields = %+v, want %s", e.Fields, tt.field)
			}
			if i.ID != 0 {
				t.Errorf("failed create returned %+v", i)
			}
			assertNothingWritten(t, s, before)
		})
	}

	// A VPC-only region refuses EC2-Classic instances and takes VPC ones.
	mustEC2Group(t, s, scopeUSW, "west-vpc", PlatformVPC)
	mustNoErr(t, s.SetRegionPlatform(ctx, scopeUSW, PlatformVPC), "SetRegionPlatform")
	before = takeFullSnapshot(t, s)
	_, err := s.CreateEC2Instance(ctx, scopeUSW, NewEC2Instance{Platform: PlatformClassic, SecurityGroups: []string{"west"}})
	wantError(t, err, CodeInvalidParameterValue, "This region supports only VPC, so EC2-Classic resources can't be created here.")
	assertNothingWritten(t, s, before)
	mustInstance(t, s, scopeUSW, "", "vpc-1", PlatformVPC, "west-vpc")
}

func TestDeleteEC2Instance(t *testing.T) {
	s, _ := newStore(t)
	mustEC2Group(t, s, scopeUS, "web-servers", PlatformClassic)
	mustEC2Group(t, s, scopeUSW, "web-servers", PlatformClassic)
	mustInstance(t, s, scopeUS, "i-0a1b2c3d", "web-1", PlatformClassic, "web-servers")
	mustInstance(t, s, scopeUSW, "i-0a1b2c3d", "west-1", PlatformClassic, "web-servers")

	before := takeFullSnapshot(t, s)
	wantError(t, s.DeleteEC2Instance(ctx, scopeUS, "i-ffffffff"), CodeEC2InstanceNotFound, "Instance i-ffffffff not found.")
	assertNothingWritten(t, s, before)

	mustNoErr(t, s.DeleteEC2Instance(ctx, scopeUS, "i-0a1b2c3d"), "DeleteEC2Instance")
	_, err := s.GetEC2Instance(ctx, scopeUS, "i-0a1b2c3d")
	wantError(t, err, CodeEC2InstanceNotFound, "")
	wantError(t, s.DeleteEC2Instance(ctx, scopeUS, "i-0a1b2c3d"), CodeEC2InstanceNotFound, "")
	// The instance of the same ID in another region stays, with its group.
	w, err := s.GetEC2Instance(ctx, scopeUSW, "i-0a1b2c3d")
	mustNoErr(t, err, "GetEC2Instance us-west-2")
	if w.Name != "west-1" || !reflect.DeepEqual(w.GroupNames(), []string{"web-servers"}) {
		t.Errorf("us-west-2 instance = %+v", w)
	}
	if n := countRows(t, s, &instanceGroupRow{}, ""); n != 1 {
		t.Errorf("instance/group rows = %d, want 1", n)
	}
	// The ID can be used again.
	mustInstance(t, s, scopeUS, "i-0a1b2c3d", "web-1 again", PlatformClassic, "web-servers")
}
