package api

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"sgconsole/models"
)

const (
	signingAlgorithm = "AWS4-HMAC-SHA256"
	signingService   = "elasticache"
	amzDateFormat    = "20060102T150405Z"
)

// signature is what an Authorization header says about a request.
type signature struct {
	accessKeyID   string
	date          string // yyyymmdd of the credential scope
	region        string
	service       string
	signedHeaders []string
	signature     string
}

func parseAuthorization(header string) (signature, error) {
	var sig signature
	rest, ok := strings.CutPrefix(header, signingAlgorithm+" ")
	if !ok {
		return sig, &Fault{Code: "IncompleteSignature", Message: "Authorization header must use " + signingAlgorithm + "."}
	}
	for _, part := range strings.Split(rest, ",") {
		key, value, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch key {
		case "Credential":
			scope := strings.Split(value, "/")
			if len(scope) != 5 || scope[4] != "aws4_request" {
				return sig, &Fault{Code: "IncompleteSignature", Message: "Credential must have the form AKID/yyyymmdd/region/service/aws4_request."}
			}
			sig.accessKeyID, sig.date, sig.region, sig.service = scope[0], scope[1], scope[2], scope[3]
		case "SignedHeaders":
			sig.signedHeaders = strings.Split(value, ";")
		case "Signature":
			sig.signature = value
		}
	}
	if sig.accessKeyID == "" || len(sig.signedHeaders) == 0 || sig.signature == "" {
		return sig, &Fault{Code: "IncompleteSignature", Message: "Authorization header requires Credential, SignedHeaders and Signature."}
	}
	return sig, nil
}

// authenticate checks the request's Signature Version 4 with the SDK's own signer: it rebuilds the
// request with only the headers the client signed, signs it with the stored secret and compares.
// It returns the user the key belongs to and the signature (access key ID, region of the scope).
func (a *API) authenticate(r *http.Request, body []byte) (models.User, signature, error) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return models.User{}, signature{}, &Fault{Code: "MissingAuthenticationToken", Message: "Request is missing Authentication Token"}
	}
	sig, err := parseAuthorization(header)
	if err != nil {
		return models.User{}, signature{}, err
	}
	if sig.service != signingService {
		return models.User{}, signature{}, &Fault{Code: "SignatureDoesNotMatch", Message: "Credential should be scoped to correct service: 'elasticache'."}
	}
	signedAt, err := time.Parse(amzDateFormat, r.Header.Get("X-Amz-Date"))
	if err != nil {
		return models.User{}, signature{}, &Fault{Code: "IncompleteSignature", Message: "The request must contain a valid X-Amz-Date header."}
	}
	if !strings.HasPrefix(r.Header.Get("X-Amz-Date"), sig.date) {
		return models.User{}, signature{}, &Fault{Code: "SignatureDoesNotMatch", Message: "Credential date does not match X-Amz-Date."}
	}
	// Skew is measured against the wall clock, not the simulation clock that drives statuses.
	now := time.Now().UTC()
	if d := now.Sub(signedAt); d > MaxSkew || d < -MaxSkew {
		return models.User{}, signature{}, &Fault{Code: "RequestExpired", Message: fmt.Sprintf(
			"Request has expired: it was signed at %s, more than 15 minutes from the server time %s.", signedAt.Format(amzDateFormat), now.Format(amzDateFormat))}
	}
	user, secret, err := a.Store.LookupAccessKey(r.Context(), sig.accessKeyID)
	if errors.Is(err, models.ErrUnknownAccessKey) {
		return models.User{}, signature{}, &Fault{Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid."}
	}
	if err != nil {
		return models.User{}, signature{}, err
	}
	payload := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(payload[:])
	if claimed := r.Header.Get("X-Amz-Content-Sha256"); claimed != "" && claimed != payloadHash && claimed != "UNSIGNED-PAYLOAD" {
		return models.User{}, signature{}, &Fault{Code: "SignatureDoesNotMatch", Message: "The provided X-Amz-Content-Sha256 header does not match what was computed."}
	}
	expected, err := expectedSignature(r, sig, secret, payloadHash, signedAt)
	if err != nil {
		return models.User{}, signature{}, err
	}
	if subtle.ConstantTimeCompare([]byte(expected), []byte(sig.signature)) != 1 {
		return models.User{}, signature{}, &Fault{Code: "SignatureDoesNotMatch", Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."}
	}
	if !models.ValidRegion(sig.region) {
		return models.User{}, signature{}, &Fault{Code: "InvalidParameterValue", Message: "sgconsole does not simulate the region " + sig.region + "."}
	}
	if err := a.Store.TouchAccessKey(r.Context(), sig.accessKeyID); err != nil {
		return models.User{}, signature{}, err
	}
	return user, sig, nil
}

func expectedSignature(r *http.Request, sig signature, secret, payloadHash string, signedAt time.Time) (string, error) {
	u := *r.URL
	u.Scheme, u.Host = "http", r.Host
	clone, err := http.NewRequestWithContext(context.Background(), r.Method, u.String(), nil)
	if err != nil {
		return "", err
	}
	clone.Host = r.Host
	// The Go signer adds Content-Length itself when it is non-zero; clients that did not sign it
	// (the Python CLI) would otherwise never match.
	clone.ContentLength = 0
	for _, name := range sig.signedHeaders {
		switch name {
		case "host", "x-amz-date":
			// the signer writes these from clone.Host and the signing time
		case "content-length":
			clone.ContentLength = r.ContentLength
		default:
			if values, ok := r.Header[http.CanonicalHeaderKey(name)]; ok {
				clone.Header[http.CanonicalHeaderKey(name)] = values
			}
		}
	}
	creds := aws.Credentials{AccessKeyID: sig.accessKeyID, SecretAccessKey: secret}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, clone, payloadHash, signingService, sig.region, signedAt); err != nil {
		return "", err
	}
	computed, err := parseAuthorization(clone.Header.Get("Authorization"))
	if err != nil {
		return "", err
	}
	return computed.signature, nil
}
