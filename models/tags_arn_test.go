package models

import "testing"

// One ARN parser answers for every resource type: what takes no tags says what does, another
// account's resource is its type's not-found, another region's ARN is invalid.
func TestTagARNsOfEveryType(t *testing.T) {
	s, _ := newStore(t)
	other := Scope{AccountID: otherAccountID, Region: "us-east-1"}
	for _, c := range []struct{ arn, code, msg string }{
		{"arn:aws:elasticache:us-east-1:" + DefaultAccountID + ":parametergroup:default.redis7", CodeInvalidParameterValue,
			"sgconsole supports tags on cache clusters, cache security groups, cache subnet groups and snapshots only, not on parametergroup resources."},
		{"arn:aws:elasticache:us-east-1:" + otherAccountID + ":cluster:theirs", CodeCacheClusterNotFound, "Cache cluster theirs not found."},
		{"arn:aws:elasticache:us-east-1:" + otherAccountID + ":subnetgroup:theirs", CodeSubnetGroupNotFound, "Cache subnet group theirs not found."},
		{"arn:aws:elasticache:us-east-1:" + otherAccountID + ":snapshot:theirs", CodeSnapshotNotFound, "Snapshot theirs not found."},
		{SecurityGroupARN(other, "theirs"), CodeCacheSecurityGroupNotFound, "Cache security group theirs not found."},
		{"arn:aws:elasticache:eu-west-1:" + DefaultAccountID + ":subnetgroup:mine", CodeInvalidARN, ""},
		{"arn:aws:ec2:us-east-1:" + DefaultAccountID + ":security-group/sg-1", CodeInvalidARN, ""},
	} {
		_, err := s.ListTags(ctx, scopeUS, c.arn)
		wantError(t, err, c.code, c.msg)
		_, err = s.AddTags(ctx, scopeUS, c.arn, []Tag{{Key: "k", Value: "v"}})
		wantError(t, err, c.code, c.msg)
		_, err = s.RemoveTags(ctx, scopeUS, c.arn, []string{"k"})
		wantError(t, err, c.code, c.msg)
	}
}
