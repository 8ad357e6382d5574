package api

import (
	"crypto/sha256"
	"sync"
)

// signingKeyCacheMax bounds the cache: one entry per key, scope date, region and service in use,
// so a day's traffic of even a large workshop fits; when full it starts over rather than grow.
const signingKeyCacheMax = 4096

// signingKeyCache keeps derived SigV4 signing keys, saving the four-HMAC chain on every call of
// the same key on the same day. Entries are keyed by a hash of the secret as well as the scope, so
// a rotated or re-imported secret never matches an old derived key. The key's row is still read
// on every call (a deleted key or disabled user is refused at once); only the derivation is cached.
type signingKeyCache struct {
	mu   sync.Mutex
	keys map[signingKeyScope][]byte
}

type signingKeyScope struct {
	secretHash            [sha256.Size]byte
	date, region, service string
}

// signingKeys is the API's cache, shared by every request.
var signingKeys = &signingKeyCache{}

// get returns signingKey(secret, date, region, service), derived once per scope and secret.
func (c *signingKeyCache) get(secret, date, region, service string) []byte {
	k := signingKeyScope{secretHash: sha256.Sum256([]byte(secret)), date: date, region: region, service: service}
	c.mu.Lock()
	key, ok := c.keys[k]
	c.mu.Unlock()
	if ok {
		return key
	}
	key = signingKey(secret, date, region, service)
	c.mu.Lock()
	if c.keys == nil || len(c.keys) >= signingKeyCacheMax {
		c.keys = make(map[signingKeyScope][]byte)
	}
	c.keys[k] = key
	c.mu.Unlock()
	return key
}

// len is the number of cached keys (for tests).
func (c *signingKeyCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.keys)
}
