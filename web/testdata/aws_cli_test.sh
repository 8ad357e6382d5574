#!/usr/bin/env bash
# Drives sgconsole's ElastiCache Query API with the real AWS CLI v2 and checks the JSON it prints.
# Run by web/awscli_test.go against a running router; by hand:
#   AWS_ACCESS_KEY_ID=AKIA... AWS_SECRET_ACCESS_KEY=... AWS_DEFAULT_REGION=us-east-1 \
#   SGCONSOLE_ENDPOINT=http://127.0.0.1:8080 bash web/testdata/aws_cli_test.sh
# It expects a fresh demo database (sgconsole --demo): it creates groups and a cluster and leaves the
# paging groups behind. Every check prints what it checked; a failure prints the CLI's output.
set -euo pipefail

: "${SGCONSOLE_ENDPOINT:?set SGCONSOLE_ENDPOINT to the console URL, e.g. http://127.0.0.1:8080}"
: "${AWS_ACCESS_KEY_ID:?set AWS_ACCESS_KEY_ID}" "${AWS_SECRET_ACCESS_KEY:?set AWS_SECRET_ACCESS_KEY}"
AWS_BIN=${AWS_CLI:-/usr/bin/aws}
export OWNER=${SGCONSOLE_ACCOUNT_ID:-123456789012}
export REGION=${AWS_DEFAULT_REGION:-us-east-1}
export AWS_PAGER=""

if [[ ! -x $AWS_BIN ]]; then
	echo "FAIL: $AWS_BIN not found: install the AWS CLI v2 with: apt-get install -y awscli" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
OUT=""
ERR=""
LAST=""
checks=0

ec() { "$AWS_BIN" elasticache --endpoint-url "$SGCONSOLE_ENDPOINT" --region "$REGION" --output json "$@"; }

# show prints the last command and what it printed.
show() {
	echo "--- command: aws elasticache $LAST" >&2
	echo "--- stdout:" >&2
	printf '%s\n' "$OUT" >&2
	echo "--- stderr:" >&2
	printf '%s\n' "$ERR" >&2
}

# ok ARGS...: runs the CLI and requires exit status 0; OUT and ERR hold what it printed.
ok() {
	local rc=0
	LAST="$*"
	ec "$@" >"$work/out" 2>"$work/err" || rc=$?
	OUT=$(<"$work/out")
	ERR=$(<"$work/err")
	if ((rc != 0)); then
		echo "FAIL: aws elasticache $1 exited $rc, want 0" >&2
		show
		exit 1
	fi
}

# fails CODE ARGS...: runs the CLI and requires a service error (exit 254, or 255 on older CLIs)
# whose message names CODE.
fails() {
	local code=$1 rc=0
	shift
	LAST="$*"
	ec "$@" >"$work/out" 2>"$work/err" || rc=$?
	OUT=$(<"$work/out")
	ERR=$(<"$work/err")
	if ((rc != 254 && rc != 255)) || [[ $ERR != *"($code)"* ]]; then
		echo "FAIL: aws elasticache $1 exited $rc, want 254 or 255 with ($code) on stderr" >&2
		show
		exit 1
	fi
	checks=$((checks + 1))
	echo "ok: aws elasticache $1 fails with exit $rc and $code"
}

# check WHAT EXPR: EXPR is a Python expression over d, the JSON the last command printed, and env.
check() {
	local what=$1 expr=$2 got
	if ! got=$(printf '%s' "$OUT" | python3 -c '
import json, os, sys
env = os.environ
d = json.load(sys.stdin)
sys.exit(0 if eval(sys.argv[1]) else 1)
' "$expr" 2>&1); then
		echo "FAIL: $what: $expr" >&2
		[[ -z $got ]] || printf '%s\n' "$got" >&2
		show
		exit 1
	fi
	checks=$((checks + 1))
	echo "ok: $what"
}

export GROUP=cli-test-group
export DESCRIPTION="Made by the AWS CLI test"
export EC2_GROUP=web-servers

# --- The life of a cache security group.
ok create-cache-security-group --cache-security-group-name CLI-Test-Group --description "$DESCRIPTION"
G='d["CacheSecurityGroup"]'
check "create: the name is stored lower-case" "$G[\"CacheSecurityGroupName\"] == env[\"GROUP\"]"
check "create: the description is the one given" "$G[\"Description\"] == env[\"DESCRIPTION\"]"
check "create: no EC2 security groups yet" "$G[\"EC2SecurityGroups\"] == []"
check "create: the owner is the key's account" "$G[\"OwnerId\"] == env[\"OWNER\"]"
check "create: the ARN" "$G[\"ARN\"] == 'arn:aws:elasticache:%s:%s:securitygroup:%s' % (env['REGION'], env['OWNER'], env['GROUP'])"

ok authorize-cache-security-group-ingress --cache-security-group-name "$GROUP" \
	--ec2-security-group-name "$EC2_GROUP" --ec2-security-group-owner-id "$OWNER"
check "authorize: the entry is authorizing" "$G[\"EC2SecurityGroups\"] == [{'Status': 'authorizing', 'EC2SecurityGroupName': env['EC2_GROUP'], 'EC2SecurityGroupOwnerId': env['OWNER']}]"

ok describe-cache-security-groups --cache-security-group-name "$GROUP"
check "describe by name: exactly the group" "[g['CacheSecurityGroupName'] for g in d['CacheSecurityGroups']] == [env['GROUP']]"
check "describe by name: the authorization is listed" "[(e['EC2SecurityGroupName'], e['Status']) for e in d['CacheSecurityGroups'][0]['EC2SecurityGroups']] == [(env['EC2_GROUP'], 'authorizing')]"

ok revoke-cache-security-group-ingress --cache-security-group-name "$GROUP" \
	--ec2-security-group-name "$EC2_GROUP" --ec2-security-group-owner-id "$OWNER"
check "revoke: the entry is revoking" "[(e['EC2SecurityGroupName'], e['EC2SecurityGroupOwnerId'], e['Status']) for e in $G['EC2SecurityGroups']] == [(env['EC2_GROUP'], env['OWNER'], 'revoking')]"

fails InvalidCacheSecurityGroupState revoke-cache-security-group-ingress --cache-security-group-name "$GROUP" \
	--ec2-security-group-name "$EC2_GROUP" --ec2-security-group-owner-id "$OWNER"

ok delete-cache-security-group --cache-security-group-name "$GROUP"
checks=$((checks + 1))
echo "ok: delete-cache-security-group exits 0"

fails CacheSecurityGroupNotFound describe-cache-security-groups --cache-security-group-name "$GROUP"
fails CacheSecurityGroupNotFound delete-cache-security-group --cache-security-group-name "$GROUP"

# --- Refusals the model makes, as the CLI reports them.
fails InvalidParameterValue create-cache-security-group --cache-security-group-name default --description "not allowed"
fails CacheSecurityGroupAlreadyExists create-cache-security-group --cache-security-group-name web-sessions --description "taken"
fails InvalidParameterValue describe-cache-security-groups --max-records 10

# --- Paging: more groups than one page, walked with the CLI's paginator and by hand.
# Five CLI processes at a time: quicker, and concurrent writes must all land.
create_paging_group() {
	if ! ec create-cache-security-group --cache-security-group-name "cli-page-$1" --description "Paging group $1" >"$work/page-$1" 2>&1; then
		echo "FAIL: aws elasticache create-cache-security-group --cache-security-group-name cli-page-$1" >&2
		cat "$work/page-$1" >&2
		return 1
	fi
}
# The Go test makes cli-page-06 to 25 through the store first (SGCONSOLE_PAGING_PRECREATED=20): each
# CLI process costs seconds of Python start-up. By hand, the script creates all 25.
precreated=${SGCONSOLE_PAGING_PRECREATED:-0}
for ((batch = 0; batch < (25 - precreated) / 5; batch++)); do
	pids=()
	for n in 1 2 3 4 5; do
		create_paging_group "$(printf '%02d' $((batch * 5 + n)))" &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || exit 1
	done
done
checks=$((checks + 1))
echo "ok: created $((25 - precreated)) paging groups, five at a time ($precreated made beforehand)"

# One request with the largest page holds every group (the account's quota is 50).
ok describe-cache-security-groups --max-records 100 --no-paginate
check "one page of 100: no Marker" "'Marker' not in d"
export ALL_GROUPS
ALL_GROUPS=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(",".join(g["CacheSecurityGroupName"] for g in json.load(sys.stdin)["CacheSecurityGroups"]))')
check "one page of 100: the demo groups and the 25 new ones" "len(d['CacheSecurityGroups']) >= 30 and {'cli-page-%02d' % i for i in range(1, 26)} <= {g['CacheSecurityGroupName'] for g in d['CacheSecurityGroups']}"

ok describe-cache-security-groups --max-records 20 --no-paginate
check "a page of 20: 20 groups and a Marker" "len(d['CacheSecurityGroups']) == 20 and d.get('Marker')"
MARKER=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Marker"])')
ok describe-cache-security-groups --max-records 20 --marker "$MARKER" --no-paginate
check "the page after the Marker: the rest, no Marker" "'Marker' not in d and len(d['CacheSecurityGroups']) == len(env['ALL_GROUPS'].split(',')) - 20"

# The CLI's paginator: --page-size is MaxRecords, --max-items cuts its output and hands out a
# NextToken that wraps the server's marker. Walk the list 7 items at a time.
names=()
token=""
pages=0
while :; do
	if [[ -z $token ]]; then
		ok describe-cache-security-groups --page-size 20 --max-items 7
	else
		ok describe-cache-security-groups --page-size 20 --max-items 7 --starting-token "$token"
	fi
	pages=$((pages + 1))
	mapfile -t -O "${#names[@]}" names < <(printf '%s' "$OUT" | python3 -c 'import json,sys; [print(g["CacheSecurityGroupName"]) for g in json.load(sys.stdin)["CacheSecurityGroups"]]')
	token=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("NextToken", ""))')
	[[ -n $token ]] || break
	if ((pages > 20)); then
		echo "FAIL: the paginator did not stop after $pages pages" >&2
		show
		exit 1
	fi
done
PAGED=$(IFS=,; echo "${names[*]}")
if [[ $PAGED != "$ALL_GROUPS" ]]; then
	echo "FAIL: paginator with --max-items 7 --page-size 20 ($pages pages) listed" >&2
	echo "  $PAGED" >&2
	echo "want (one page of 100):" >&2
	echo "  $ALL_GROUPS" >&2
	exit 1
fi
checks=$((checks + 1))
echo "ok: paginator ($pages pages of at most 7 items, --starting-token): every group once, in order"

# And without --max-items the CLI follows the markers itself and aggregates all pages.
ok describe-cache-security-groups --page-size 20
check "paginator aggregates all pages" "','.join(g['CacheSecurityGroupName'] for g in d['CacheSecurityGroups']) == env['ALL_GROUPS'] and 'NextToken' not in d"
# The Go test compares this with what the store holds.
echo "CLI_GROUP_COUNT=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["CacheSecurityGroups"]))')"

# --- A cluster in cache security groups.
export CLUSTER=cli-cluster
ok create-cache-cluster --cache-cluster-id "$CLUSTER" --engine memcached --cache-node-type cache.m1.small \
	--num-cache-nodes 1 --cache-security-group-names cli-page-01 cli-page-02
C='d["CacheCluster"]'
check "create-cache-cluster: the ID and status creating" "$C[\"CacheClusterId\"] == env['CLUSTER'] and $C['CacheClusterStatus'] == 'creating'"
check "create-cache-cluster: both cache security groups active" "sorted((m['CacheSecurityGroupName'], m['Status']) for m in $C['CacheSecurityGroups']) == [('cli-page-01', 'active'), ('cli-page-02', 'active')]"

ok describe-cache-clusters --cache-cluster-id "$CLUSTER"
check "describe-cache-clusters: the cluster with its CacheSecurityGroups" "[c['CacheClusterId'] for c in d['CacheClusters']] == [env['CLUSTER']] and sorted(m['CacheSecurityGroupName'] for m in d['CacheClusters'][0]['CacheSecurityGroups']) == ['cli-page-01', 'cli-page-02']"

ok describe-cache-clusters
check "describe-cache-clusters: listed with the demo clusters" "env['CLUSTER'] in [c['CacheClusterId'] for c in d['CacheClusters']]"

fails InvalidCacheSecurityGroupState delete-cache-security-group --cache-security-group-name cli-page-01

echo "PASS: $checks checks against $SGCONSOLE_ENDPOINT with $("$AWS_BIN" --version 2>&1)"
