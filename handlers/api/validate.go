package api

import (
	"net/url"
	"sort"
	"strconv"
	"strings"

	"sgconsole/models"
)

// listParams are the list parameters of the served operations and the member name the SDKs use
// (Name.<Member>.N); the legacy Name.member.N is accepted for each. Tags' members have fields.
var listParams = map[string]struct {
	member string
	fields []string // nil for a list of plain values
}{
	"CacheSecurityGroupNames":    {member: "CacheSecurityGroupName"},
	"SecurityGroupIds":           {member: "SecurityGroupId"},
	"TagKeys":                    {member: "TagKey"},
	"PreferredAvailabilityZones": {member: "PreferredAvailabilityZone"},
	"SubnetIds":                  {member: "SubnetIdentifier"},
	"Tags":                       {member: "Tag", fields: []string{"Key", "Value"}},
}

// checkParams runs once per call, before any operation: every parameter name and value must be
// valid UTF-8 without NUL (PostgreSQL refuses either with an error, SQLite stores it), and every
// list entry must have a well-formed index. A malformed one is refused rather than dropped, so a
// cluster never falls back to `default` because one of its group names was not read.
func checkParams(params url.Values) *Fault {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys) // the first bad parameter in name order: the same answer every time
	for _, k := range keys {
		if problem := models.CleanText(k); problem != "" {
			return invalid(strconv.QuoteToASCII(k), "the parameter name "+problem)
		}
		for _, v := range params[k] {
			if problem := models.CleanText(v); problem != "" {
				return invalid(k, "the value "+problem)
			}
		}
	}
	return checkLists(keys)
}

// checkLists requires each list's indexes to be 1, 2, … n, in one encoding, with no gaps: AWS's
// SDKs always number members that way, and anything else is a client bug worth reporting.
func checkLists(sortedKeys []string) *Fault {
	seen := map[string]map[int]string{} // list name → index → encoding used
	for _, k := range sortedKeys {
		name, rest, dotted := strings.Cut(k, ".")
		spec, known := listParams[name]
		if !dotted || !known {
			continue
		}
		encoding, index, ok := strings.Cut(rest, ".")
		if !ok || (encoding != spec.member && encoding != "member") {
			return invalid(k, "a list member is "+name+"."+spec.member+".N")
		}
		field := ""
		if spec.fields != nil {
			index, field, ok = strings.Cut(index, ".")
			if !ok || !contains(spec.fields, field) {
				return invalid(k, "a member of "+name+" has the fields "+strings.Join(spec.fields, " and "))
			}
		} else if strings.Contains(index, ".") {
			return invalid(k, "a list index is a whole number from 1")
		}
		n, valid := listIndex(index)
		if !valid {
			return invalid(k, "a list index is a whole number from 1")
		}
		if seen[name] == nil {
			seen[name] = map[int]string{}
		}
		if prev, dup := seen[name][n]; dup && prev != encoding {
			return invalid(k, "member "+index+" of "+name+" is sent twice")
		}
		seen[name][n] = encoding
	}
	names := make([]string, 0, len(seen))
	for name := range seen {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		for i := 1; i <= len(seen[name]); i++ {
			if _, ok := seen[name][i]; !ok {
				return invalid(name, "list members are numbered 1 to N without gaps; member "+strconv.Itoa(i)+" is missing")
			}
		}
	}
	return nil
}

// listIndex parses a member index: digits only, no sign or leading zero, at least 1.
func listIndex(s string) (int, bool) {
	if s == "" || len(s) > 6 || s[0] == '0' {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
