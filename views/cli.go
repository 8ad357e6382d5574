package views

import (
	"regexp"
	"strconv"
	"strings"

	"sgconsole/models"
)

// The console teaches the CLI: each form and detail page shows the AWS CLI command that does what
// the user is about to do, or shows what the page shows, against this console's endpoint and region.
// Every value the user typed is quoted for a POSIX shell, so the command can be pasted as it is.

// shellSafe are the words a POSIX shell takes literally without quotes.
var shellSafe = regexp.MustCompile(`^[A-Za-z0-9_@%+=:,./-]+$`)

// ShellQuote quotes s as one word for a POSIX shell: bare when that is safe, otherwise in single
// quotes, where each single quote becomes: quote, backslash, quote, quote.
func ShellQuote(s string) string {
	if shellSafe.MatchString(s) {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// cliArg is one option of a command: its flag and its words, already quoted.
type cliArg struct {
	flag  string
	words []string
}

// opt is an option with one value; an empty value shows the placeholder (an unquoted capitalised
// word such as NAME) for the user to replace.
func opt(flag, value, placeholder string) cliArg {
	if value == "" {
		return cliArg{flag: flag, words: []string{placeholder}}
	}
	return cliArg{flag: flag, words: []string{ShellQuote(value)}}
}

// optList is an option with a list of values; an empty list shows the placeholder.
func optList(flag string, values []string, placeholder string) cliArg {
	if len(values) == 0 {
		return cliArg{flag: flag, words: []string{placeholder}}
	}
	words := make([]string, len(values))
	for i, v := range values {
		words[i] = ShellQuote(v)
	}
	return cliArg{flag: flag, words: words}
}

// flagOnly is an option without a value.
func flagOnly(flag string) cliArg { return cliArg{flag: flag} }

// awsCommand is `aws elasticache <operation>` with its options, then --endpoint-url and --region,
// one option per line joined with backslash-newline so that it pastes into a shell as one command.
func awsCommand(p Page, operation string, args ...cliArg) string {
	endpoint := p.EndpointURL
	if endpoint == "" {
		endpoint = "http://127.0.0.1:8080"
	}
	args = append(args, opt("--endpoint-url", endpoint, "URL"), opt("--region", p.Region, "REGION"))
	var b strings.Builder
	b.WriteString("aws elasticache " + operation)
	for _, a := range args {
		b.WriteString(" \\\n    " + a.flag)
		for _, w := range a.words {
			b.WriteString(" " + w)
		}
	}
	return b.String()
}

// CLICreateSecurityGroup is the create form's command, with what the user typed so far.
func CLICreateSecurityGroup(p Page, name, description string) string {
	return awsCommand(p, "create-cache-security-group",
		opt("--cache-security-group-name", name, "NAME"), opt("--description", description, "DESCRIPTION"))
}

// CLIDescribeSecurityGroup describes one group.
func CLIDescribeSecurityGroup(p Page, name string) string {
	return awsCommand(p, "describe-cache-security-groups", opt("--cache-security-group-name", name, "NAME"))
}

// CLIDescribeSecurityGroups lists the region's groups, as many per call as the list shows (within
// the API's 20 to 100).
func CLIDescribeSecurityGroups(p Page, pageSize int) string {
	return awsCommand(p, "describe-cache-security-groups", opt("--max-records", strconv.Itoa(maxRecords(pageSize)), "N"))
}

// CLIDeleteSecurityGroup deletes a group.
func CLIDeleteSecurityGroup(p Page, name string) string {
	return awsCommand(p, "delete-cache-security-group", opt("--cache-security-group-name", name, "NAME"))
}

// CLIAuthorize authorizes an EC2 security group in a cache security group.
func CLIAuthorize(p Page, group, ec2Name, ownerID string) string {
	return awsCommand(p, "authorize-cache-security-group-ingress",
		opt("--cache-security-group-name", group, "NAME"),
		opt("--ec2-security-group-name", ec2Name, "EC2_GROUP_NAME"),
		opt("--ec2-security-group-owner-id", ownerID, "OWNER_ID"))
}

// CLIRevoke removes an EC2 security group from a cache security group.
func CLIRevoke(p Page, group, ec2Name, ownerID string) string {
	return awsCommand(p, "revoke-cache-security-group-ingress",
		opt("--cache-security-group-name", group, "NAME"),
		opt("--ec2-security-group-name", ec2Name, "EC2_GROUP_NAME"),
		opt("--ec2-security-group-owner-id", ownerID, "OWNER_ID"))
}

// CLICreateCluster is the create cluster form's command: cache security groups for EC2-Classic,
// a subnet group and VPC security groups for a VPC.
func CLICreateCluster(p Page, f ClusterForm) string {
	args := []cliArg{
		opt("--cache-cluster-id", f.ID, "CLUSTER_ID"),
		opt("--engine", f.Engine, "ENGINE"),
		opt("--cache-node-type", f.NodeType, "NODE_TYPE"),
		opt("--num-cache-nodes", f.NumNodes, "N"),
	}
	if f.Network == string(models.PlatformVPC) {
		if f.SubnetGroup != "" {
			args = append(args, opt("--cache-subnet-group-name", f.SubnetGroup, "SUBNET_GROUP"))
		}
		if ids := models.SplitIDs(f.VPCSecurityGroupIDs); len(ids) > 0 {
			args = append(args, optList("--security-group-ids", ids, "SG_ID"))
		}
	} else if len(f.CacheSecurityGroups) > 0 {
		args = append(args, optList("--cache-security-group-names", f.CacheSecurityGroups, "NAME"))
	}
	return awsCommand(p, "create-cache-cluster", args...)
}

// CLIDescribeCluster describes one cluster.
func CLIDescribeCluster(p Page, id string) string {
	return awsCommand(p, "describe-cache-clusters", opt("--cache-cluster-id", id, "CLUSTER_ID"))
}

// CLIDescribeClusters lists the region's clusters, as many per call as the list shows.
func CLIDescribeClusters(p Page, pageSize int) string {
	return awsCommand(p, "describe-cache-clusters", opt("--max-records", strconv.Itoa(maxRecords(pageSize)), "N"))
}

// CLIModifyClusterSecurityGroups replaces an EC2-Classic cluster's cache security groups.
func CLIModifyClusterSecurityGroups(p Page, id string, groups []string) string {
	return awsCommand(p, "modify-cache-cluster", opt("--cache-cluster-id", id, "CLUSTER_ID"),
		optList("--cache-security-group-names", groups, "NAME"), flagOnly("--apply-immediately"))
}

// CLIDeleteCluster deletes a cluster.
func CLIDeleteCluster(p Page, id string) string {
	return awsCommand(p, "delete-cache-cluster", opt("--cache-cluster-id", id, "CLUSTER_ID"))
}

// CLIDescribeEvents lists the events the Events page shows: its source type and period.
func CLIDescribeEvents(p Page, sourceType, window string) string {
	var args []cliArg
	if sourceType != "" {
		args = append(args, opt("--source-type", sourceType, "SOURCE_TYPE"))
	}
	d, ok := EventWindow(window)
	if !ok {
		d, _ = EventWindow(DefaultEventWindow)
	}
	args = append(args, opt("--duration", strconv.Itoa(int(d.Minutes())), "MINUTES"))
	return awsCommand(p, "describe-events", args...)
}

// CLISetup is the environment for the CLI with a new access key.
func CLISetup(p Page, accessKeyID, secret string) string {
	return "export AWS_ACCESS_KEY_ID=" + ShellQuote(accessKeyID) +
		" AWS_SECRET_ACCESS_KEY=" + ShellQuote(secret) +
		" AWS_DEFAULT_REGION=" + ShellQuote(p.Region)
}

// maxRecords keeps a page size within what the API accepts for MaxRecords.
func maxRecords(pageSize int) int {
	return min(max(pageSize, 20), 100)
}

// cliID is the element id of a command block, from its title.
func cliID(title string) string {
	var b strings.Builder
	b.WriteString("cli-")
	dash := false
	for _, r := range strings.ToLower(title) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
			dash = false
		} else if !dash {
			b.WriteByte('-')
			dash = true
		}
	}
	return strings.TrimRight(b.String(), "-")
}

// firstRemovable is the first EC2 security group of a cache security group that can be removed,
// the example of the revoke command.
func firstRemovable(g models.SecurityGroup) (models.EC2Grant, bool) {
	for _, e := range g.EC2SecurityGroups {
		if e.Status != models.StatusRevoking {
			return e, true
		}
	}
	return models.EC2Grant{}, false
}
