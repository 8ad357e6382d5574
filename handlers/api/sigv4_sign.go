package api

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The Signature Version 4 computation, written from the AWS specification with the standard
// library: canonical request, string to sign, HMAC chain. It canonicalises exactly the headers the
// client listed, so headers the SDK's signer refuses to sign (User-Agent, Expect, X-Amzn-Trace-Id)
// verify as AWS verifies them. The SDK's signer stays the oracle in the tests.

// unsignedPayload is the payload hash of a request whose body is not signed (presigned URLs, or a
// client sending X-Amz-Content-Sha256: UNSIGNED-PAYLOAD).
const unsignedPayload = "UNSIGNED-PAYLOAD"

// signingKey derives the key of one scope. It depends only on its arguments, so it is the one place
// a cache of signing keys can be put without changing what is accepted.
func signingKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, scopeTerminator)
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// stringToSign is the algorithm, the request time, the scope and the hash of the canonical request.
func stringToSign(signedAt time.Time, scope, canonicalRequest string) string {
	return signingAlgorithm + "\n" + signedAt.UTC().Format(amzDateFormat) + "\n" + scope + "\n" + sha256Hex([]byte(canonicalRequest))
}

// computeSignature is the hex HMAC of the string to sign under the scope's signing key.
func computeSignature(key []byte, stringToSign string) string {
	return hex.EncodeToString(hmacSHA256(key, stringToSign))
}

// canonicalRequest is method, URI, query, headers, signed header list and payload hash, one per
// line. A presigned request's own X-Amz-Signature is left out of the query it signs.
func canonicalRequest(r *http.Request, signedHeaders []string, payloadHash string, presigned bool) (string, error) {
	query, err := canonicalQuery(r.URL.RawQuery, presigned)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(canonicalURI(r.URL))
	b.WriteByte('\n')
	b.WriteString(query)
	b.WriteByte('\n')
	for _, name := range signedHeaders {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(canonicalHeaderValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(signedHeaders, ";"))
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String(), nil
}

// canonicalURI encodes each segment of the path as sent once more (services other than S3 sign the
// path encoded twice); an empty path is "/".
func canonicalURI(u *url.URL) string {
	path := u.EscapedPath()
	if path == "" {
		return "/"
	}
	return uriEncode(path, false)
}

// canonicalQuery decodes every name=value pair and re-encodes it the SigV4 way, sorted by name and
// then value. A query that cannot be decoded is refused rather than signed differently from what the
// client meant.
func canonicalQuery(raw string, presigned bool) (string, error) {
	values, err := url.ParseQuery(raw)
	if err != nil {
		return "", &Fault{Code: "MalformedQueryString", Message: "The query string could not be decoded."}
	}
	type pair struct{ name, value string }
	pairs := make([]pair, 0, len(values))
	for name, list := range values {
		if presigned && name == querySignature {
			continue
		}
		encoded := uriEncode(name, true)
		for _, v := range list {
			pairs = append(pairs, pair{encoded, uriEncode(v, true)})
		}
	}
	sort.Slice(pairs, func(i, j int) bool {
		if pairs[i].name != pairs[j].name {
			return pairs[i].name < pairs[j].name
		}
		return pairs[i].value < pairs[j].value
	})
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		b.WriteByte('=')
		b.WriteString(p.value)
	}
	return b.String(), nil
}

// canonicalHeaderValue is a signed header's values, each trimmed with inner runs of spaces and tabs made
// one space, joined by commas. Go's server keeps Host apart from the other headers, and may know the
// body's length without a Content-Length header.
func canonicalHeaderValue(r *http.Request, name string) string {
	var values []string
	switch name {
	case "host":
		values = []string{r.Host}
	case "content-length":
		values = r.Header.Values("Content-Length")
		if len(values) == 0 && r.ContentLength >= 0 {
			values = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	default:
		values = r.Header.Values(name)
	}
	trimmed := make([]string, len(values)) // values may be the request's own slice: leave it as sent
	for i, v := range values {
		trimmed[i] = strings.Join(strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '\t' }), " ")
	}
	return strings.Join(trimmed, ",")
}

// uriEncode is SigV4's URI encoding: every byte but A-Z a-z 0-9 - _ . ~ as %XX with upper-case hex,
// and '/' too unless it separates path segments.
func uriEncode(s string, encodeSlash bool) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == '/' && !encodeSlash:
			b.WriteByte(c)
		default:
			b.WriteByte('%')
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&15])
		}
	}
	return b.String()
}
