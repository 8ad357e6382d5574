package api

import (
	"context"
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestCheckParamsRefusesBadText(t *testing.T) {
	for name, form := range map[string]url.Values{
		"NUL in a value":          {"Action": {"CreateCacheSecurityGroup"}, "Description": {"a\x00b"}},
		"invalid UTF-8 value":     {"Action": {"CreateCacheSecurityGroup"}, "Description": {"a\xffb"}},
		"surrogate in a value":    {"Action": {"CreateCacheSecurityGroup"}, "Description": {"a\xed\xa0\x80"}},
		"NUL in a parameter name": {"Action": {"DescribeCacheClusters"}, "Cache\x00ClusterId": {"x"}},
	} {
		f := checkParams(form)
		if f == nil || f.Code != "InvalidParameterValue" || !utf8.ValidString(f.Message) || strings.ContainsRune(f.Message, 0) {
			t.Errorf("%s: %+v, want InvalidParameterValue with a clean message", name, f)
		}
	}
	if f := checkParams(url.Values{"Description": {"a\xffb"}}); f == nil || !strings.Contains(f.Message, "parameter Description") {
		t.Errorf("the fault names the parameter: %+v", f)
	}
}

// Malformed list indexes were dropped, so a cluster fell back to `default`; now they are refused.
func TestCheckListIndexes(t *testing.T) {
	valid := []url.Values{
		{"CacheSecurityGroupNames.CacheSecurityGroupName.1": {"a"}, "CacheSecurityGroupNames.CacheSecurityGroupName.2": {"b"}},
		{"CacheSecurityGroupNames.member.1": {"a"}},
		{"CacheSecurityGroupNames": {""}},
		{"Tags.Tag.1.Key": {"k"}, "Tags.Tag.1.Value": {"v"}, "Tags.member.2.Key": {"k2"}},
		{"SomethingElse.x.y": {"ignored, as unknown parameters are"}},
	}
	for _, form := range valid {
		if f := checkParams(form); f != nil {
			t.Errorf("%v refused: %s", form, f.Message)
		}
	}
	invalid := map[string]url.Values{
		"letter index":   {"CacheSecurityGroupNames.member.x": {"a"}},
		"zero index":     {"CacheSecurityGroupNames.member.0": {"a"}},
		"leading zero":   {"CacheSecurityGroupNames.member.01": {"a"}},
		"signed index":   {"CacheSecurityGroupNames.member.+1": {"a"}},
		"gap":            {"CacheSecurityGroupNames.member.1": {"a"}, "CacheSecurityGroupNames.member.3": {"b"}},
		"no index":       {"CacheSecurityGroupNames.member": {"a"}},
		"wrong member":   {"CacheSecurityGroupNames.Name.1": {"a"}},
		"wrong case":     {"CacheSecurityGroupNames.Member.1": {"a"}},
		"both encodings": {"CacheSecurityGroupNames.member.1": {"a"}, "CacheSecurityGroupNames.CacheSecurityGroupName.1": {"b"}},
		"tag field":      {"Tags.Tag.1.Colour": {"red"}},
		"tag no field":   {"Tags.Tag.1": {"red"}},
		"deeper index":   {"SecurityGroupIds.SecurityGroupId.1.2": {"sg-0a1b2c3d"}},
		"huge index":     {"TagKeys.TagKey.99999999999999999999": {"k"}},
		"missing first":  {"TagKeys.TagKey.2": {"k"}},
	}
	for name, form := range invalid {
		if f := checkParams(form); f == nil || f.Code != "InvalidParameterValue" {
			t.Errorf("%s: %v accepted", name, form)
		}
	}
}

// FuzzDecodeParams drives a form body through the decoder the operations use: it never panics,
// anything accepted is clean text, and every entry of an accepted list is read, none dropped.
func FuzzDecodeParams(f *testing.F) {
	for _, seed := range []string{
		"Action=CreateCacheCluster&CacheClusterId=a&CacheSecurityGroupNames.CacheSecurityGroupName.1=web&CacheSecurityGroupNames.CacheSecurityGroupName.2=app",
		"Action=ModifyCacheCluster&CacheSecurityGroupNames.member.1=web&CacheSecurityGroupNames.member.2=app",
		"CacheSecurityGroupNames=",
		"CacheSecurityGroupNames.member.x=web",
		"CacheSecurityGroupNames.member.0=web",
		"CacheSecurityGroupNames.member.1=web&CacheSecurityGroupNames.member.3=app",
		"Tags.Tag.1.Key=env&Tags.Tag.1.Value=prod&Tags.member.2.Key=team",
		"TagKeys.TagKey.1=env&TagKeys.member.2=team",
		"SecurityGroupIds.SecurityGroupId.1=sg-0a1b2c3d",
		"Description=a%00b",
		"Description=%FF",
		"Cache%00SecurityGroupName=x",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		params, err := url.ParseQuery(body)
		if err != nil {
			return
		}
		if fault := checkParams(params); fault != nil {
			if fault.Code != "InvalidParameterValue" || !utf8.ValidString(fault.Message) {
				t.Fatalf("fault %+v", fault)
			}
			return
		}
		for k, vs := range params {
			for _, v := range append([]string{k}, vs...) {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					t.Fatalf("accepted %q", v)
				}
			}
		}
		r := &request{ctx: context.Background(), params: params}
		for name, spec := range listParams {
			entries := 0
			for k := range params {
				if strings.HasPrefix(k, name+".") {
					entries++
				}
			}
			if spec.fields != nil {
				if n := len(r.tags()); name == "Tags" && n > entries {
					t.Fatalf("%d tags from %d entries", n, entries)
				}
				continue
			}
			if got := len(r.list(name, spec.member)); got != entries {
				t.Fatalf("%s: read %d of %d entries in %q", name, got, entries, body)
			}
		}
	})
}

// FuzzDecodeMarker: a forged Marker never panics and never yields text a query would fail on;
// every marker the service makes reads back as what it was made from.
func FuzzDecodeMarker(f *testing.F) {
	for _, seed := range []string{"", marker("web"), marker("12345"), "djE6", "djE6AA", "not base64!", base64.RawURLEncoding.EncodeToString([]byte("v1:\xff"))} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, m string) {
		after, err := decodeMarker(m)
		if err != nil {
			if after != "" {
				t.Fatalf("error with a value %q", after)
			}
			return
		}
		if !utf8.ValidString(after) || strings.ContainsRune(after, 0) || len(after) > 255 {
			t.Fatalf("marker %q decoded to %q", m, after)
		}
		if m != "" && after == "" {
			t.Fatalf("marker %q decoded to nothing", m)
		}
		if utf8.ValidString(m) && !strings.ContainsRune(m, 0) && m != "" && len(m) < 300 {
			back, err := decodeMarker(marker(after))
			if err != nil || back != after {
				t.Fatalf("round trip of %q: %q, %v", after, back, err)
			}
		}
	})
}
