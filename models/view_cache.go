package models

import (
	"container/list"
	"sync"
	"time"
)

// maxCachedViews bounds the memory the views take: a view of 50 groups with their authorizations
// and a few cached answers is in the order of 100 KB, and a workshop keeps far fewer scopes busy
// at once. The least recently read view goes first.
const maxCachedViews = 256

// viewCache holds the most recently read view of each scope.
type viewCache struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *cachedView, the most recently read first
	byKey map[Scope]*list.Element
}

type cachedView struct {
	scope Scope
	view  *scopeView
}

func newViewCache(max int) *viewCache {
	return &viewCache{max: max, order: list.New(), byKey: map[Scope]*list.Element{}}
}

// get returns the cached view of the scope if it is of the given version.
func (c *viewCache) get(scope Scope, key viewKey) *scopeView {
	scope = Scope{AccountID: scope.AccountID, Region: scope.Region}
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKey[scope]
	if !ok {
		return nil
	}
	v := e.Value.(*cachedView).view
	if v.key != key {
		return nil
	}
	c.order.MoveToFront(e)
	return v
}

// latest returns the cached view of the scope, whatever its version.
func (c *viewCache) latest(scope Scope) *scopeView {
	scope = Scope{AccountID: scope.AccountID, Region: scope.Region}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[scope]; ok {
		return e.Value.(*cachedView).view
	}
	return nil
}

// put caches a view unless a newer one of the same scope is already there.
func (c *viewCache) put(scope Scope, v *scopeView) {
	scope = Scope{AccountID: scope.AccountID, Region: scope.Region}
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[scope]; ok {
		old := e.Value.(*cachedView).view
		if old.key.rowID == v.key.rowID && old.key.version > v.key.version {
			return
		}
		e.Value.(*cachedView).view = v
		c.order.MoveToFront(e)
		return
	}
	c.byKey[scope] = c.order.PushFront(&cachedView{scope: scope, view: v})
	for c.order.Len() > c.max {
		last := c.order.Back()
		c.order.Remove(last)
		delete(c.byKey, last.Value.(*cachedView).scope)
	}
}

// maxMemoEntries bounds the answers kept per view: the console and the CLI ask a few shapes of
// Describe (a page size, a marker, one name), not thousands.
const maxMemoEntries = 16

// responseMemo keeps encoded answers of a view: the same question asked of the same version gives
// the same bytes until a status in the view changes with time.
type responseMemo struct {
	mu      sync.Mutex
	entries map[string]memoEntry
}

type memoEntry struct {
	body  []byte
	until time.Time // zero: valid for as long as the view
}

func (m *responseMemo) get(key string, now time.Time) ([]byte, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.entries[key]
	if !ok || (!e.until.IsZero() && !now.Before(e.until)) {
		return nil, false
	}
	return e.body, true
}

func (m *responseMemo) put(key string, body []byte, until time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil || len(m.entries) >= maxMemoEntries {
		m.entries = map[string]memoEntry{}
	}
	m.entries[key] = memoEntry{body: body, until: until}
}
