package api

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The strict grammars written as regular expressions: an independent statement of what the
// hand-written parsers may accept. Sorting, uniqueness and the presence of host are checked apart.
var (
	authorizationGrammar = regexp.MustCompile(`^AWS4-HMAC-SHA256 Credential=` + credentialPattern +
		`, ?SignedHeaders=(` + signedHeadersPattern + `), ?Signature=[0-9a-f]{64}$`)
	credentialGrammar    = regexp.MustCompile(`^` + credentialPattern + `$`)
	signedHeadersGrammar = regexp.MustCompile(`^` + signedHeadersPattern + `$`)
	amzDateGrammar       = regexp.MustCompile(`^[0-9]{8}T[0-9]{6}Z$`)
	expiresGrammar       = regexp.MustCompile(`^[1-9][0-9]{0,5}$`)
)

const (
	scopePart            = `[!-+\-.0-:<>-~]` // printable ASCII but , / ; =
	credentialPattern    = `[^/,\x00-\x20\x7f]+/` + scopePart + `*/` + scopePart + `+/` + scopePart + `+/aws4_request`
	headerName           = "[a-z0-9!#$%&'*+\\-.^_`|~]+"
	signedHeadersPattern = headerName + `(;` + headerName + `)*`
)

func wellFormedHeaderList(list []string) bool {
	for i := 1; i < len(list); i++ {
		if list[i-1] >= list[i] {
			return false
		}
	}
	return containsString(list, "host")
}

func FuzzParseAuthorization(f *testing.F) {
	good := "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261201/us-east-1/elasticache/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + strings.Repeat("0f", 32)
	for _, seed := range []string{
		good,
		strings.ReplaceAll(good, ", ", ","),
		strings.Replace(good, "20261201", "", 1),
		strings.Replace(good, "20261201", "2026", 1),
		strings.Replace(good, "AKIAIOSFODNN7EXAMPLE", "AKIA\xff\x00", 1),
		strings.Replace(good, "content-type;host", "host;content-type", 1),
		"AWS4-HMAC-SHA256 Credential=x/y, SignedHeaders=host, Signature=00",
		"Basic YWRtaW46cHc=",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, header string) {
		sig, err := parseAuthorization(header)
		match := authorizationGrammar.MatchString(header)
		if err != nil {
			if _, ok := err.(*Fault); !ok {
				t.Fatalf("error %T, want *Fault", err)
			}
			if match {
				// Only the semantic rules may refuse what the grammar matches.
				list := strings.Split(authorizationGrammar.FindStringSubmatch(header)[1], ";")
				if wellFormedHeaderList(list) {
					t.Fatalf("refused %q, which the grammar accepts: %v", header, err)
				}
			}
			return
		}
		if !match || !wellFormedHeaderList(sig.signedHeaders) {
			t.Fatalf("accepted %q, outside the grammar", header)
		}
		again, err := parseAuthorization(signingAlgorithm + " Credential=" + sig.accessKeyID + "/" + sig.scope() +
			", SignedHeaders=" + strings.Join(sig.signedHeaders, ";") + ", Signature=" + sig.signature)
		if err != nil || again.scope() != sig.scope() || again.accessKeyID != sig.accessKeyID || again.signature != sig.signature {
			t.Fatalf("%q does not round-trip: %+v, %v", header, again, err)
		}
	})
}

func FuzzParsePresigned(f *testing.F) {
	good := url.Values{
		"Action":              {"DescribeCacheSecurityGroups"},
		"X-Amz-Algorithm":     {"AWS4-HMAC-SHA256"},
		"X-Amz-Credential":    {"AKIAIOSFODNN7EXAMPLE/20261201/us-east-1/elasticache/aws4_request"},
		"X-Amz-Date":          {"20261201T015000Z"},
		"X-Amz-Expires":       {"300"},
		"X-Amz-SignedHeaders": {"host"},
		"X-Amz-Signature":     {strings.Repeat("0f", 32)},
	}.Encode()
	for _, seed := range []string{
		good,
		strings.Replace(good, "300", "604801", 1),
		strings.Replace(good, "300", "0300", 1),
		strings.Replace(good, "20261201T015000Z", "20261301T015000Z", 1),
		good + "&X-Amz-Expires=60",
		strings.Replace(good, "X-Amz-Signature", "X-Amz-Sig", 1),
		"X-Amz-Algorithm=AWS4-HMAC-SHA256",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		query, _ := url.ParseQuery(raw) // what the server would read, even from a partly bad query
		sig, err := parsePresigned(query)
		if err != nil {
			if _, ok := err.(*Fault); !ok {
				t.Fatalf("error %T, want *Fault", err)
			}
			return
		}
		for _, name := range presignParameters {
			if len(query[name]) != 1 {
				t.Fatalf("accepted %q with %d %s", raw, len(query[name]), name)
			}
		}
		one := func(name string) string { return query[name][0] }
		switch {
		case one(queryAlgorithm) != signingAlgorithm,
			!credentialGrammar.MatchString(one(queryCredential)),
			!amzDateGrammar.MatchString(one(queryDate)),
			!expiresGrammar.MatchString(one(queryExpires)),
			!signedHeadersGrammar.MatchString(one(querySignedHeaders)) || !wellFormedHeaderList(sig.signedHeaders),
			!isLowerHex(one(querySignature), 64):
			t.Fatalf("accepted %q, outside the grammar", raw)
		}
		if sig.expires < time.Second || sig.expires > maxPresignExpiry {
			t.Fatalf("accepted X-Amz-Expires %s", one(queryExpires))
		}
		if sig.signedAt.Format(amzDateFormat) != one(queryDate) {
			t.Fatalf("X-Amz-Date %s read as %s", one(queryDate), sig.signedAt)
		}
	})
}
