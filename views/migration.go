package views

import (
	"strconv"
	"strings"

	"sgconsole/models"
)

// Migration is the "Migrate to VPC" walkthrough of one EC2-Classic cluster.
type Migration struct {
	Plan    models.MigrationPlan
	Form    MigrationForm // the last submitted form, with its errors
	Refusal string        // the cluster can't be migrated (it runs in a VPC already)
}

// MigrationForm is what a step's form last sent. Step names the form; its errors and values show
// there only.
type MigrationForm struct {
	Step        string // "subnet-group", "security-group", "rule", "backup", "cluster", "place"
	SubnetGroup SubnetGroupForm
	Name        string // the new VPC security group's name
	Description string
	Source      string // the inbound rule's source: an sg- ID or a CIDR block
	Snapshot    string
	ClusterID   string
	SubnetID    string   // where to place the instance
	GroupIDs    []string // the placed instance's VPC security groups
	Errors      FieldErrors
	Message     string
}

// formOf is the form of a step: the submitted one for that step, empty for the others.
func (m Migration) formOf(step string) MigrationForm {
	if m.Form.Step == step {
		return m.Form
	}
	return MigrationForm{Errors: FieldErrors{}, SubnetGroup: SubnetGroupForm{Errors: FieldErrors{}}}
}

// MigrationPath is a cluster's walkthrough.
func MigrationPath(id string) string { return ClusterPath(id) + "/migrate" }

// MigrationChoiceParams are the walkthrough's query parameters, in the order the steps choose them.
var MigrationChoiceParams = []string{"subnet_group", "vpc_sg", "snapshot", "target", "instance"}

// MigrationKV is the choices as query pairs, with one of them replaced (key, value) when key is set.
func MigrationKV(c models.MigrationChoices, key, value string) []string {
	values := []string{c.SubnetGroup, c.VPCSecurityGroup, c.Snapshot, c.Target, c.Instance}
	var kv []string
	for i, k := range MigrationChoiceParams {
		v := values[i]
		if k == key {
			v = value
		}
		kv = append(kv, k, v)
	}
	return kv
}

// MigrationLink is the walkthrough with the choices, one of them replaced, at a step's anchor.
func MigrationLink(p Page, id string, c models.MigrationChoices, key, value string, step int) string {
	link := p.Link(MigrationPath(id), MigrationKV(c, key, value)...)
	if step > 0 {
		link += "#step-" + strconv.Itoa(step)
	}
	return link
}

// migrationAction is where a step's form posts, carrying the choices so far in its query.
func migrationAction(p Page, m Migration, step string) string {
	return p.Link(MigrationPath(m.Plan.Cluster.ID)+"/"+step, MigrationKV(m.Plan.Choices, "", "")...)
}

// hiddenChoices are the choices a GET form carries, all but the one it chooses.
func hiddenChoices(c models.MigrationChoices, except string) []Field {
	kv := MigrationKV(c, "", "")
	var out []Field
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] != except && kv[i+1] != "" {
			out = append(out, Field{kv[i], kv[i+1]})
		}
	}
	return out
}

// MigrationGuideURL is the AWS guide for the engine.
func MigrationGuideURL(engine string) string {
	guide := "red-ug"
	if engine == "memcached" {
		guide = "mem-ug"
	}
	return "https://docs.aws.amazon.com/AmazonElastiCache/latest/" + guide + "/Migrating-ec2-classic_to_VPC.html"
}

func stepStateKind(s models.MigrationState) string {
	switch s {
	case models.MigrationDone:
		return "success"
	case models.MigrationInProgress:
		return "in-progress"
	}
	return "pending"
}

// defaultName is a name the create forms suggest: the cluster's ID and a suffix, within limit.
func defaultName(id, suffix string, limit int) string {
	if len(id)+len(suffix) > limit {
		id = strings.TrimRight(id[:limit-len(suffix)], "-")
	}
	return id + suffix
}

// valueOr is the submitted value, or the suggestion before any submit.
func valueOr(f MigrationForm, value, suggestion string) string {
	if f.Step != "" {
		return value
	}
	return suggestion
}

// ruleSourceSuggestion is the source the create form suggests: the group of the VPC's instances
// when one is placed there, else the VPC's default group.
func ruleSourceSuggestion(pl models.MigrationPlan) string {
	vpc := pl.VPCID()
	for _, i := range pl.Instances {
		if place, ok := pl.Placements[i.InstanceID]; ok {
			for _, sn := range pl.Network.SubnetsOf(vpc) {
				if sn.SubnetID == place.SubnetID && len(place.Groups()) > 0 {
					return place.Groups()[0]
				}
			}
		}
	}
	for _, g := range pl.Network.GroupsOf(vpc) {
		if g.Name == models.DefaultVPCSecurityGroupName {
			return g.GroupID
		}
	}
	return ""
}

// instancePlacedIn says where a VPC instance runs, for the verify step's choices.
func instancePlacedIn(pl models.MigrationPlan, i models.EC2Instance) string {
	place, ok := pl.Placements[i.InstanceID]
	if !ok {
		return "not placed in a subnet"
	}
	for _, sn := range pl.Network.Subnets {
		if sn.SubnetID == place.SubnetID {
			return sn.SubnetID + " of " + sn.VpcID
		}
	}
	return place.SubnetID
}

// instanceInVPC reports whether the chosen instance runs in a subnet of the migration's VPC.
func instanceInVPC(pl models.MigrationPlan) bool {
	place, ok := pl.Placements[pl.Choices.Instance]
	if !ok {
		return false
	}
	for _, sn := range pl.Network.SubnetsOf(pl.VPCID()) {
		if sn.SubnetID == place.SubnetID {
			return true
		}
	}
	return false
}

// placeGroupsSuggestion is the groups the place form suggests: the rule's source group.
func placeGroupsSuggestion(pl models.MigrationPlan) []string {
	if pl.SecurityGroup != nil {
		for _, r := range pl.SecurityGroup.Rules {
			if strings.HasPrefix(r.Source, "sg-") {
				return []string{r.Source}
			}
		}
	}
	if s := ruleSourceSuggestion(pl); s != "" {
		return []string{s}
	}
	return nil
}

// The walkthrough's AWS CLI commands, with the user's own names.

// CLICreateSubnetGroup creates a cache subnet group.
func CLICreateSubnetGroup(p Page, name, description string, subnets []string) string {
	return awsCommand(p, "create-cache-subnet-group", opt("--cache-subnet-group-name", name, "NAME"),
		opt("--cache-subnet-group-description", description, "DESCRIPTION"), optList("--subnet-ids", subnets, "SUBNET_ID"))
}

// ec2Command is `aws ec2 <operation>` for real AWS: sgconsole simulates EC2 without its API, so
// the command has no --endpoint-url.
func ec2Command(p Page, operation string, args ...cliArg) string {
	args = append(args, opt("--region", p.Region, "REGION"))
	var b strings.Builder
	b.WriteString("aws ec2 " + operation)
	for _, a := range args {
		b.WriteString(" \\\n    " + a.flag)
		for _, w := range a.words {
			b.WriteString(" " + w)
		}
	}
	return b.String()
}

// CLIVPCSecurityGroup creates the VPC security group and its inbound rule on the cluster's port.
func CLIVPCSecurityGroup(p Page, vpcID, name, description, groupID string, port int, source string) string {
	create := ec2Command(p, "create-security-group", opt("--group-name", name, "NAME"), opt("--description", description, "DESCRIPTION"),
		opt("--vpc-id", vpcID, "VPC_ID"))
	return create + "\n\n" + CLIAuthorizeVPCIngress(p, groupID, port, source)
}

// CLIAuthorizeVPCIngress adds the inbound rule on the cluster's port.
func CLIAuthorizeVPCIngress(p Page, groupID string, port int, source string) string {
	from := opt("--cidr", source, "CIDR")
	if strings.HasPrefix(source, "sg-") || source == "" {
		from = opt("--source-group", source, "SOURCE_GROUP_ID")
	}
	return ec2Command(p, "authorize-security-group-ingress", opt("--group-id", groupID, "GROUP_ID"), opt("--protocol", "tcp", ""),
		opt("--port", strconv.Itoa(port), "PORT"), from)
}

// CLIMigrationTarget creates the new cluster: restored from the backup (Redis) or new with the
// Classic cluster's settings (Memcached), in the subnet group with the VPC security group.
func CLIMigrationTarget(p Page, pl models.MigrationPlan, id string) string {
	n := pl.NewTarget(id)
	args := []cliArg{opt("--cache-cluster-id", id, "CLUSTER_ID")}
	if n.SnapshotName != "" || pl.Cluster.IsRedis() {
		args = append(args, opt("--snapshot-name", n.SnapshotName, "SNAPSHOT_NAME"))
	} else {
		args = append(args, opt("--engine", n.Engine, "ENGINE"), opt("--engine-version", n.Settings.EngineVersion, "VERSION"),
			opt("--cache-node-type", n.NodeType, "NODE_TYPE"), opt("--num-cache-nodes", strconv.Itoa(n.NumNodes), "N"),
			opt("--port", strconv.Itoa(n.Settings.Port), "PORT"), opt("--cache-parameter-group-name", n.Settings.ParameterGroup, "PARAMETER_GROUP"))
	}
	args = append(args, opt("--cache-subnet-group-name", n.SubnetGroup, "SUBNET_GROUP"), optList("--security-group-ids", nonEmpty(n.VPCSecurityGroupIDs), "SG_ID"))
	return awsCommand(p, "create-cache-cluster", args...)
}

// CLIDescribeClusterNodes shows the new cluster's endpoints, which the application then uses.
func CLIDescribeClusterNodes(p Page, id string) string {
	return awsCommand(p, "describe-cache-clusters", opt("--cache-cluster-id", id, "CLUSTER_ID"), flagOnly("--show-cache-node-info"))
}

// CLIMigrationCleanUp deletes what the migration leaves: the Classic cluster, then its cache
// security groups no cluster uses and the backup.
func CLIMigrationCleanUp(p Page, pl models.MigrationPlan) string {
	var cmds []string
	if pl.Cluster.Status != models.ClusterGone {
		cmds = append(cmds, CLIDeleteCluster(p, pl.Cluster.ID))
	}
	for _, g := range pl.LeftoverGroups {
		cmds = append(cmds, CLIDeleteSecurityGroup(p, g))
	}
	if pl.Snapshot != nil {
		cmds = append(cmds, awsCommand(p, "delete-snapshot", opt("--snapshot-name", pl.Snapshot.Name, "SNAPSHOT_NAME")))
	}
	return strings.Join(cmds, "\n\n")
}

func nonEmpty(list []string) []string {
	var out []string
	for _, s := range list {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// ruleSourceOf is the source of the chosen group's rule on the cluster's port, for its CLI command.
func ruleSourceOf(pl models.MigrationPlan) string {
	if pl.SecurityGroup != nil {
		for _, r := range pl.SecurityGroup.Rules {
			if r.FromPort <= pl.Cluster.Port() && pl.Cluster.Port() <= r.ToPort {
				return r.Source
			}
		}
	}
	return ruleSourceSuggestion(pl)
}

// vpcGroupList names the VPC's security groups for the rule source's description.
func vpcGroupList(pl models.MigrationPlan) string {
	var names []string
	for _, g := range pl.Network.GroupsOf(pl.VPCID()) {
		names = append(names, g.GroupID+" ("+g.Name+")")
	}
	if len(names) == 0 {
		return "none yet."
	}
	return strings.Join(names, ", ") + "."
}

// valueListOr is the submitted groups, or the suggestion before any submit.
func valueListOr(f MigrationForm, suggestion []string) []string {
	if f.Step != "" {
		return f.GroupIDs
	}
	return suggestion
}

func chosen(list []string, id string) bool { return subnetChosen(list, id) }

// MigrateChooserPath lists the region's EC2-Classic clusters to migrate: where the retirement
// banner's walkthrough link goes from pages that are not about one cluster.
const MigrateChooserPath = "/migrate-to-vpc"

// classicClusters are the clusters still in EC2-Classic.
func classicClusters(clusters []models.Cluster) []models.Cluster {
	var out []models.Cluster
	for _, c := range clusters {
		if c.IsClassic() {
			out = append(out, c)
		}
	}
	return out
}

// The values each create form shows: what was submitted, else a suggestion from the cluster's ID.
// Their CLI commands show the same values.

func (m Migration) subnetGroupValues() (name, description string, subnets []string) {
	f := m.formOf("subnet-group")
	id := m.Plan.Cluster.ID
	return valueOr(f, f.SubnetGroup.Name, defaultName(id, "-subnets", 255)),
		valueOr(f, f.SubnetGroup.Description, "Subnets of "+id+" in the VPC"), f.SubnetGroup.SubnetIDs
}

func (m Migration) securityGroupValues() (name, description, source string) {
	f := m.formOf("security-group")
	id := m.Plan.Cluster.ID
	return valueOr(f, f.Name, defaultName(id, "-cache", 255)), valueOr(f, f.Description, "Clients of "+id),
		valueOr(f, f.Source, ruleSourceSuggestion(m.Plan))
}

func (m Migration) snapshotValue() string {
	f := m.formOf("backup")
	return valueOr(f, f.Snapshot, defaultName(m.Plan.Cluster.ID, "-migration", 255))
}

func (m Migration) targetValue() string {
	f := m.formOf("cluster")
	return valueOr(f, f.ClusterID, defaultName(m.Plan.Cluster.ID, "-vpc", 50))
}
