package api

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"time"

	"sgconsole/models"
)

// keyLookup finds the user and the secret of an access key ID (the store, or a stub in unit tests).
type keyLookup func(ctx context.Context, accessKeyID string) (models.User, string, error)

// authenticate checks the request's Signature Version 4 (Authorization header or presigned query)
// and returns the user the key belongs to and the signature (access key ID, region of the scope).
func (a *API) authenticate(r *http.Request, body []byte) (models.User, signature, error) {
	// The one lookup also reads when the key was last used, so recording this use needs no
	// second read and, within a minute of the last record, no write.
	var lastUsed *time.Time
	// The lookup also reads the version of the user's account in the signed region (see
	// LookupKeyUseIn); verifyRequest still refuses the call if that region is not valid.
	region := ""
	if sig, err := readSignature(r); err == nil {
		region = sig.region
	}
	lookup := func(ctx context.Context, accessKeyID string) (models.User, string, error) {
		k, err := a.Store.LookupKeyUseIn(ctx, accessKeyID, region)
		lastUsed = k.LastUsedAt
		return k.User, k.Secret, err
	}
	user, sig, err := verifyRequest(r, body, time.Now(), lookup)
	if err != nil {
		return models.User{}, signature{}, err
	}
	if err := a.Store.RecordKeyUse(r.Context(), sig.accessKeyID, lastUsed); err != nil {
		return models.User{}, signature{}, err
	}
	return user, sig, nil
}

// verifyRequest checks everything the request itself can prove wrong (grammar, key ID shape,
// service, scope date, clock) before the one database lookup, then the signature. now is the wall
// clock, not the simulation clock that drives statuses.
func verifyRequest(r *http.Request, body []byte, now time.Time, lookup keyLookup) (models.User, signature, error) {
	sig, err := readSignature(r)
	if err != nil {
		return models.User{}, signature{}, err
	}
	if !accessKeyIDShape.MatchString(sig.accessKeyID) {
		// Never echo the key ID: it may hold bytes that are not text.
		return models.User{}, signature{}, &Fault{Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid."}
	}
	if sig.service != signingService {
		return models.User{}, signature{}, &Fault{Code: "SignatureDoesNotMatch", Message: "Credential should be scoped to correct service: 'elasticache'."}
	}
	if want := sig.signedAt.UTC().Format(scopeDateFormat); sig.date != want {
		return models.User{}, signature{}, &Fault{Code: "SignatureDoesNotMatch", Message: fmt.Sprintf(
			"Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '%s' != '%s'.", sig.date, want)}
	}
	if err := checkClock(sig, now.UTC()); err != nil {
		return models.User{}, signature{}, err
	}
	user, secret, err := lookup(r.Context(), sig.accessKeyID)
	if errors.Is(err, models.ErrUnknownAccessKey) {
		return models.User{}, signature{}, &Fault{Code: "InvalidClientTokenId", Message: "The security token included in the request is invalid."}
	}
	if err != nil {
		return models.User{}, signature{}, err
	}
	hashes, err := payloadHashes(r, body, sig.presigned)
	if err != nil {
		return models.User{}, signature{}, err
	}
	key := signingKeys.get(secret, sig.date, sig.region, sig.service)
	matched := 0
	for _, hash := range hashes {
		canonical, err := canonicalRequest(r, sig.signedHeaders, hash, sig.presigned)
		if err != nil {
			return models.User{}, signature{}, err
		}
		expected := computeSignature(key, stringToSign(sig.signedAt, sig.scope(), canonical))
		matched |= subtle.ConstantTimeCompare([]byte(expected), []byte(sig.signature))
	}
	if matched != 1 {
		return models.User{}, signature{}, &Fault{Code: "SignatureDoesNotMatch", Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."}
	}
	if !models.ValidRegion(sig.region) {
		return models.User{}, signature{}, &Fault{Code: "InvalidParameterValue", Message: "sgconsole does not simulate the region " + sig.region + "."}
	}
	return user, sig, nil
}

// readSignature takes the signature from the Authorization header or from the query string; a
// request carrying both is refused, as AWS refuses it.
func readSignature(r *http.Request) (signature, error) {
	header, hasHeader := r.Header["Authorization"]
	presigned := isPresigned(r.URL.Query())
	switch {
	case hasHeader && presigned:
		return signature{}, incomplete("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified.")
	case presigned:
		return parsePresigned(r.URL.Query())
	case !hasHeader || (len(header) == 1 && header[0] == ""):
		return signature{}, &Fault{Code: "MissingAuthenticationToken", Message: "Request is missing Authentication Token"}
	case len(header) > 1:
		return signature{}, incomplete("A request carries one Authorization header.")
	}
	sig, err := parseAuthorization(header[0])
	if err != nil {
		return sig, err
	}
	sig.signedAt, err = requestTime(r.Header)
	return sig, err
}

// checkClock refuses a request signed more than MaxSkew away from now, and a presigned one used
// after its X-Amz-Expires.
func checkClock(sig signature, now time.Time) error {
	d := now.Sub(sig.signedAt)
	if d < -MaxSkew || (!sig.presigned && d > MaxSkew) {
		return &Fault{Code: "RequestExpired", Message: fmt.Sprintf(
			"Request has expired: it was signed at %s, more than 15 minutes from the server time %s.", sig.signedAt.UTC().Format(amzDateFormat), now.Format(amzDateFormat))}
	}
	if sig.presigned && d > sig.expires {
		return &Fault{Code: "RequestExpired", Message: fmt.Sprintf(
			"Request has expired: it was signed at %s for %d seconds; the server time is %s.", sig.signedAt.UTC().Format(amzDateFormat), int64(sig.expires/time.Second), now.Format(amzDateFormat))}
	}
	return nil
}

// payloadHashes are the payload hashes the client may have signed. X-Amz-Content-Sha256, when
// sent, is the one (it must be the body's hash or UNSIGNED-PAYLOAD); otherwise a header-signed
// request signs its body, and a presigned URL signs UNSIGNED-PAYLOAD, or the body when its maker
// passed the body's hash to the presigner.
func payloadHashes(r *http.Request, body []byte, presigned bool) ([]string, error) {
	bodyHash := sha256Hex(body)
	if claimed, ok := r.Header["X-Amz-Content-Sha256"]; ok {
		if len(claimed) != 1 || (claimed[0] != bodyHash && claimed[0] != unsignedPayload) {
			return nil, &Fault{Code: "SignatureDoesNotMatch", Message: "The provided X-Amz-Content-Sha256 header does not match what was computed."}
		}
		return claimed, nil
	}
	if presigned {
		return []string{unsignedPayload, bodyHash}, nil
	}
	return []string{bodyHash}, nil
}
