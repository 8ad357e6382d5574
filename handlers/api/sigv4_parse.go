package api

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The grammar of Signature Version 4 as AWS documents it. The parsers below accept exactly that
// grammar and nothing looser, so a request is either understood completely or refused with
// IncompleteSignature before anything else (clock, database) is consulted.

const (
	signingAlgorithm = "AWS4-HMAC-SHA256"
	signingService   = "elasticache"
	scopeTerminator  = "aws4_request"
	amzDateFormat    = "20060102T150405Z"
	scopeDateFormat  = "20060102"
	// maxPresignExpiry is the longest X-Amz-Expires AWS accepts: seven days.
	maxPresignExpiry = 7 * 24 * time.Hour
)

// Query parameters of a presigned request.
const (
	queryAlgorithm     = "X-Amz-Algorithm"
	queryCredential    = "X-Amz-Credential"
	queryDate          = "X-Amz-Date"
	queryExpires       = "X-Amz-Expires"
	querySignedHeaders = "X-Amz-SignedHeaders"
	querySignature     = "X-Amz-Signature"
)

// presignParameters are the query parameters whose presence makes a request a presigned one.
var presignParameters = [...]string{queryAlgorithm, queryCredential, queryDate, queryExpires, querySignedHeaders, querySignature}

// accessKeyIDShape is what an AWS access key ID looks like (long-term AKIA, temporary ASIA). It is
// checked before any database lookup, so bytes no key can contain never reach a query.
var accessKeyIDShape = regexp.MustCompile(`^(AKIA|ASIA)[A-Z0-9]{16}$`)

// signature is what a request says about its own signing: from the Authorization header or from
// the presigned query parameters.
type signature struct {
	accessKeyID   string
	date          string // the credential scope's date as written; checked against the request time
	region        string
	service       string
	signedHeaders []string // lower case, sorted, unique, always with host
	signature     string   // 64 lower-case hex digits

	// Presigned requests only.
	presigned bool
	signedAt  time.Time     // X-Amz-Date
	expires   time.Duration // X-Amz-Expires, 1 s to 7 days
}

func (s signature) scope() string {
	return s.date + "/" + s.region + "/" + s.service + "/" + scopeTerminator
}

func incomplete(msg string) *Fault { return &Fault{Code: "IncompleteSignature", Message: msg} }

// parseAuthorization reads `AWS4-HMAC-SHA256 Credential=AKID/yyyymmdd/region/service/aws4_request,
// SignedHeaders=a;b, Signature=hex` (the three parts in this order, each comma optionally followed by
// one space, as every SDK, the CLI and curl write it).
func parseAuthorization(header string) (signature, error) {
	var sig signature
	rest, ok := strings.CutPrefix(header, signingAlgorithm+" ")
	if !ok {
		return sig, incomplete("Authorization header must use " + signingAlgorithm + ".")
	}
	parts := strings.Split(rest, ",")
	if len(parts) != 3 {
		return sig, incomplete("Authorization header requires Credential, SignedHeaders and Signature, separated by commas.")
	}
	var values [3]string
	for i, name := range []string{"Credential", "SignedHeaders", "Signature"} {
		part := parts[i]
		if i > 0 {
			part = strings.TrimPrefix(part, " ")
		}
		value, ok := strings.CutPrefix(part, name+"=")
		if !ok {
			return sig, incomplete("Authorization header requires Credential, SignedHeaders and Signature, in this order.")
		}
		values[i] = value
	}
	if err := sig.setCredential(values[0]); err != nil {
		return sig, err
	}
	if err := sig.setSignedHeaders(values[1]); err != nil {
		return sig, err
	}
	if err := sig.setSignature(values[2]); err != nil {
		return sig, err
	}
	return sig, nil
}

// isPresigned reports whether a request carries any of the presigned query parameters; such a
// request must carry all of them and no Authorization header.
func isPresigned(query url.Values) bool {
	for _, name := range presignParameters {
		if _, ok := query[name]; ok {
			return true
		}
	}
	return false
}

// parsePresigned reads the X-Amz-* query parameters of a presigned request; each must appear once.
func parsePresigned(query url.Values) (signature, error) {
	sig := signature{presigned: true}
	var v [len(presignParameters)]string
	for i, name := range presignParameters {
		values, ok := query[name]
		if !ok || len(values) != 1 {
			return sig, incomplete("A presigned request needs each of X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders and X-Amz-Signature exactly once.")
		}
		v[i] = values[0]
	}
	algorithm, credential, date, expires, signedHeaders, sigValue := v[0], v[1], v[2], v[3], v[4], v[5]
	if algorithm != signingAlgorithm {
		return sig, incomplete("X-Amz-Algorithm must be " + signingAlgorithm + ".")
	}
	if err := sig.setCredential(credential); err != nil {
		return sig, err
	}
	at, ok := parseAmzDate(date)
	if !ok {
		return sig, incomplete("X-Amz-Date must have the form yyyymmddThhmmssZ.")
	}
	sig.signedAt = at
	seconds, ok := parseExpires(expires)
	if !ok {
		return sig, incomplete("X-Amz-Expires must be a whole number of seconds from 1 to 604800 (7 days).")
	}
	sig.expires = time.Duration(seconds) * time.Second
	if err := sig.setSignedHeaders(signedHeaders); err != nil {
		return sig, err
	}
	if err := sig.setSignature(sigValue); err != nil {
		return sig, err
	}
	return sig, nil
}

// setCredential reads AKID/yyyymmdd/region/service/aws4_request. The key ID may hold any bytes but
// separators and controls here (its shape is checked next, with InvalidClientTokenId as AWS
// answers); the date is only required to be plain ASCII here, because AWS reports a wrong scope date
// as SignatureDoesNotMatch, not as a malformed header.
func (s *signature) setCredential(value string) error {
	parts := strings.Split(value, "/")
	if len(parts) != 5 || parts[4] != scopeTerminator {
		return incomplete("Credential must have the form AKID/yyyymmdd/region/service/aws4_request.")
	}
	if parts[0] == "" || strings.ContainsFunc(parts[0], func(r rune) bool { return r <= ' ' || r == 0x7f || r == ',' }) {
		return incomplete("Credential must start with an access key ID.")
	}
	if !scopeToken(parts[1], true) || !scopeToken(parts[2], false) || !scopeToken(parts[3], false) {
		return incomplete("Credential must have the form AKID/yyyymmdd/region/service/aws4_request.")
	}
	s.accessKeyID, s.date, s.region, s.service = parts[0], parts[1], parts[2], parts[3]
	return nil
}

// scopeToken is printable ASCII without separators.
func scopeToken(s string, mayBeEmpty bool) bool {
	if s == "" {
		return mayBeEmpty
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c >= 0x7f || c == ',' || c == '/' || c == ';' || c == '=' {
			return false
		}
	}
	return true
}

// setSignedHeaders reads `a;b;c`: lower-case header names, sorted, each once, host among them (the
// canonical request is defined only for that form, and host binds the signature to this server).
func (s *signature) setSignedHeaders(value string) error {
	names := strings.Split(value, ";")
	for i, name := range names {
		if !lowerHeaderName(name) {
			return incomplete("SignedHeaders must list lower-case header names separated by semicolons.")
		}
		if i > 0 && names[i-1] >= name {
			return incomplete("SignedHeaders must be sorted and list each header once.")
		}
	}
	if !containsString(names, "host") {
		return incomplete("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	s.signedHeaders = names
	return nil
}

// lowerHeaderName is an HTTP token (RFC 9110) without upper-case letters.
func lowerHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func (s *signature) setSignature(value string) error {
	if !isLowerHex(value, 64) {
		return incomplete("Signature must be 64 lower-case hexadecimal digits.")
	}
	s.signature = value
	return nil
}

func isLowerHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// parseAmzDate reads the ISO 8601 basic form yyyymmddThhmmssZ, exactly 16 characters.
func parseAmzDate(v string) (time.Time, bool) {
	if len(v) != len(amzDateFormat) {
		return time.Time{}, false
	}
	t, err := time.Parse(amzDateFormat, v)
	return t, err == nil
}

// parseExpires reads 1..604800 written plainly (no sign, no leading zero).
func parseExpires(v string) (int64, bool) {
	if v == "" || len(v) > 6 || v[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(v); i++ {
		if v[i] < '0' || v[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 || n > int64(maxPresignExpiry/time.Second) {
		return 0, false
	}
	return n, true
}

// requestTime is when a header-signed request says it was signed: X-Amz-Date, or else Date in
// RFC 1123 (as HTTP writes it) or the ISO 8601 basic form. A present but unreadable X-Amz-Date is an
// error, never a reason to fall back to Date.
func requestTime(h http.Header) (time.Time, error) {
	if values, ok := h["X-Amz-Date"]; ok {
		if len(values) == 1 {
			if t, ok := parseAmzDate(values[0]); ok {
				return t, nil
			}
		}
		return time.Time{}, incomplete("X-Amz-Date must be one date of the form yyyymmddThhmmssZ.")
	}
	values, ok := h["Date"]
	if !ok {
		return time.Time{}, incomplete("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
	}
	if len(values) == 1 {
		if t, err := time.Parse(http.TimeFormat, values[0]); err == nil {
			return t, nil
		}
		if t, ok := parseAmzDate(values[0]); ok {
			return t, nil
		}
	}
	return time.Time{}, incomplete("Date must be one date in RFC 1123 form (Mon, 02 Jan 2006 15:04:05 GMT) or yyyymmddThhmmssZ.")
}
