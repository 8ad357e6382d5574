package views

import (
	"os/exec"
	"reflect"
	"strings"
	"testing"
)

// shellArgs runs a command text in /bin/sh with aws replaced by a function that prints its
// arguments, and returns them as the shell split them.
func shellArgs(t *testing.T, command string) []string {
	t.Helper()
	out, err := exec.Command("/bin/sh", "-c", "aws() { printf '%s\\0' \"$@\"; }\n"+command).Output()
	if err != nil {
		t.Fatalf("sh could not run %q: %v", command, err)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

func TestShellQuoteSurvivesTheShell(t *testing.T) {
	for _, s := range []string{
		"web", "", "it's", "'", "''", `a"b`, "$HOME", "`id`", "a b", "tab\there", "new\nline", `back\slash`,
		"semi;colon", "glob*?[x]", "~user", "#hash", "é ü 日本", "!bang", "-dash", "a'b'c'",
	} {
		got := shellArgs(t, "aws "+ShellQuote(s))
		if len(got) != 1 || got[0] != s {
			t.Errorf("ShellQuote(%q) = %s: the shell reads %q", s, ShellQuote(s), got)
		}
	}
	// Plain names stay readable.
	for s, want := range map[string]string{"web-sessions": "web-sessions", "123456789012": "123456789012",
		"http://127.0.0.1:8080": "http://127.0.0.1:8080", "it's": `'it'\''s'`, "a b": "'a b'"} {
		if got := ShellQuote(s); got != want {
			t.Errorf("ShellQuote(%q) = %s, want %s", s, got, want)
		}
	}
}

func TestCLICommands(t *testing.T) {
	p := Page{Region: "eu-west-1", EndpointURL: "http://127.0.0.1:8080"}
	tail := []string{"--endpoint-url", "http://127.0.0.1:8080", "--region", "eu-west-1"}
	cases := []struct {
		name    string
		command string
		want    []string // the arguments after "elasticache", before the endpoint and region
	}{
		{"create group typed", CLICreateSecurityGroup(p, "web", `It's "the" $web group`),
			[]string{"create-cache-security-group", "--cache-security-group-name", "web", "--description", `It's "the" $web group`}},
		{"create group placeholders", CLICreateSecurityGroup(p, "", ""),
			[]string{"create-cache-security-group", "--cache-security-group-name", "NAME", "--description", "DESCRIPTION"}},
		{"describe group", CLIDescribeSecurityGroup(p, "web-sessions"),
			[]string{"describe-cache-security-groups", "--cache-security-group-name", "web-sessions"}},
		{"list groups size 50", CLIDescribeSecurityGroups(p, 50), []string{"describe-cache-security-groups", "--max-records", "50"}},
		{"list groups size 10 is raised to the API minimum", CLIDescribeSecurityGroups(p, 10), []string{"describe-cache-security-groups", "--max-records", "20"}},
		{"delete group", CLIDeleteSecurityGroup(p, "staging"), []string{"delete-cache-security-group", "--cache-security-group-name", "staging"}},
		{"authorize typed", CLIAuthorize(p, "web", "web servers", "123456789012"),
			[]string{"authorize-cache-security-group-ingress", "--cache-security-group-name", "web", "--ec2-security-group-name", "web servers", "--ec2-security-group-owner-id", "123456789012"}},
		{"authorize placeholders", CLIAuthorize(p, "web", "", ""),
			[]string{"authorize-cache-security-group-ingress", "--cache-security-group-name", "web", "--ec2-security-group-name", "EC2_GROUP_NAME", "--ec2-security-group-owner-id", "OWNER_ID"}},
		{"revoke", CLIRevoke(p, "web", "bastion", "123456789012"),
			[]string{"revoke-cache-security-group-ingress", "--cache-security-group-name", "web", "--ec2-security-group-name", "bastion", "--ec2-security-group-owner-id", "123456789012"}},
		{"create classic cluster", CLICreateCluster(p, ClusterForm{ID: "c1", Engine: "memcached", NodeType: "cache.m1.small", NumNodes: "2",
			Network: "ec2-classic", CacheSecurityGroups: []string{"web", "app"}, SubnetGroup: "ignored"}),
			[]string{"create-cache-cluster", "--cache-cluster-id", "c1", "--engine", "memcached", "--cache-node-type", "cache.m1.small", "--num-cache-nodes", "2", "--cache-security-group-names", "web", "app"}},
		{"create classic cluster with the default group", CLICreateCluster(p, ClusterForm{ID: "c1", Engine: "redis", NodeType: "cache.t2.micro", NumNodes: "1", Network: "ec2-classic"}),
			[]string{"create-cache-cluster", "--cache-cluster-id", "c1", "--engine", "redis", "--cache-node-type", "cache.t2.micro", "--num-cache-nodes", "1"}},
		{"create VPC cluster", CLICreateCluster(p, ClusterForm{ID: "v1", Engine: "redis", NodeType: "cache.t2.micro", NumNodes: "1", Network: "vpc",
			CacheSecurityGroups: []string{"not-sent"}, SubnetGroup: "my subnets", VPCSecurityGroupIDs: "sg-1, sg-2"}),
			[]string{"create-cache-cluster", "--cache-cluster-id", "v1", "--engine", "redis", "--cache-node-type", "cache.t2.micro", "--num-cache-nodes", "1", "--cache-subnet-group-name", "my subnets", "--security-group-ids", "sg-1", "sg-2"}},
		{"create cluster placeholders", CLICreateCluster(p, ClusterForm{}),
			[]string{"create-cache-cluster", "--cache-cluster-id", "CLUSTER_ID", "--engine", "ENGINE", "--cache-node-type", "NODE_TYPE", "--num-cache-nodes", "N"}},
		{"describe cluster", CLIDescribeCluster(p, "sessions"), []string{"describe-cache-clusters", "--cache-cluster-id", "sessions"}},
		{"list clusters", CLIDescribeClusters(p, 100), []string{"describe-cache-clusters", "--max-records", "100"}},
		{"modify cluster groups", CLIModifyClusterSecurityGroups(p, "sessions", []string{"web-sessions", "default"}),
			[]string{"modify-cache-cluster", "--cache-cluster-id", "sessions", "--cache-security-group-names", "web-sessions", "default", "--apply-immediately"}},
		{"delete cluster", CLIDeleteCluster(p, "sessions"), []string{"delete-cache-cluster", "--cache-cluster-id", "sessions"}},
		{"events of a type over a week", CLIDescribeEvents(p, "cache-cluster", "168h"),
			[]string{"describe-events", "--source-type", "cache-cluster", "--duration", "10080"}},
		{"all events, default period", CLIDescribeEvents(p, "", ""), []string{"describe-events", "--duration", "1440"}},
		{"events over two weeks", CLIDescribeEvents(p, "cache-security-group", "336h"),
			[]string{"describe-events", "--source-type", "cache-security-group", "--duration", "20160"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.HasPrefix(tc.command, "aws elasticache ") {
				t.Fatalf("command does not start with aws elasticache:\n%s", tc.command)
			}
			want := append(append([]string{"elasticache"}, tc.want...), tail...)
			if got := shellArgs(t, tc.command); !reflect.DeepEqual(got, want) {
				t.Fatalf("the shell reads\n%q\nwant\n%q\nfrom\n%s", got, want, tc.command)
			}
		})
	}
}

func TestCLISetup(t *testing.T) {
	p := Page{Region: "us-west-2"}
	out, err := exec.Command("/bin/sh", "-c", CLISetup(p, "AKIAABCDEFGHIJKLMNOP", "ab+/CD")+
		"\nprintf '%s|%s|%s' \"$AWS_ACCESS_KEY_ID\" \"$AWS_SECRET_ACCESS_KEY\" \"$AWS_DEFAULT_REGION\"").Output()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(out), "AKIAABCDEFGHIJKLMNOP|ab+/CD|us-west-2"; got != want {
		t.Fatalf("setup exports %q, want %q", got, want)
	}
}

func TestCLIID(t *testing.T) {
	if got := cliID("Create this security group"); got != "cli-create-this-security-group" {
		t.Fatalf("cliID = %q", got)
	}
}
