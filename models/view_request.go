package models

import (
	"context"
	"sync"
)

// A request reads the version of its scope once: the page chrome (RegionPlatform) and the page's
// own reads then share it, and see one version of the scope. Any write through the store in the
// same request forgets it, so a read after a write sees the write.

type requestVersionsKey struct{}

type requestVersions struct {
	mu     sync.Mutex
	scopes map[Scope]scopeStamp
}

type scopeStamp struct {
	key      viewKey
	platform Platform
}

// WithRequestVersions returns a context whose reads share one version check per scope; the web
// server gives one to every request.
func WithRequestVersions(ctx context.Context) context.Context {
	return context.WithValue(ctx, requestVersionsKey{}, &requestVersions{})
}

func requestVersionsOf(ctx context.Context) *requestVersions {
	v, _ := ctx.Value(requestVersionsKey{}).(*requestVersions)
	return v
}

func (r *requestVersions) get(scope Scope) (scopeStamp, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	st, ok := r.scopes[Scope{AccountID: scope.AccountID, Region: scope.Region}]
	return st, ok
}

func (r *requestVersions) put(scope Scope, st scopeStamp) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.scopes == nil {
		r.scopes = map[Scope]scopeStamp{}
	}
	r.scopes[Scope{AccountID: scope.AccountID, Region: scope.Region}] = st
}

func (r *requestVersions) forget() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.scopes = nil
}

// version is the scope's version and platform, read once per request.
func (s *Store) version(ctx context.Context, scope Scope) (viewKey, Platform, error) {
	memo := requestVersionsOf(ctx)
	if memo != nil {
		if st, ok := memo.get(scope); ok {
			return st.key, st.platform, nil
		}
	}
	key, platform, err := scopeVersion(s.db.WithContext(ctx), scope)
	if err == nil && memo != nil {
		memo.put(scope, scopeStamp{key: key, platform: platform})
	}
	return key, platform, err
}
