package models

import (
	"errors"
	"fmt"
	"testing"
)

// Every code the models report has a kind, and the kind follows the code, not the message.
func TestKindOfCodes(t *testing.T) {
	want := map[string]Kind{
		CodeCacheClusterNotFound:        KindNotFound,
		CodeEC2InstanceNotFound:         KindNotFound,
		CodeNoSuchEntity:                KindNotFound,
		CodeCacheClusterAlreadyExists:   KindAlreadyExists,
		CodeEC2GroupDuplicate:           KindAlreadyExists,
		CodeInvalidParameterValue:       KindInvalid,
		CodeMissingParameter:            KindInvalid,
		CodeSecurityGroupQuotaExceeded:  KindQuota,
		CodeLimitExceeded:               KindQuota,
		CodeDependencyViolation:         KindConflict,
		CodeInvalidCacheClusterState:    KindConflict,
		CodeAccessDenied:                KindForbidden,
		"SomethingNotFound":             KindUnknown,
		"InvalidSomething.NotFound":     KindUnknown,
		CodeInvalidParameterCombination: KindInvalid,
	}
	for code, k := range want {
		for _, msg := range []string{"", "not found", MessageClassicNotPermitted} {
			if got := KindOf(fmt.Errorf("op: %w", &Error{Code: code, Message: msg})); got != k {
				t.Errorf("KindOf(%s, %q) = %v, want %v", code, msg, got, k)
			}
		}
	}
	for _, code := range Codes() {
		if KindOfCode(code) == KindUnknown {
			t.Errorf("code %s has no kind", code)
		}
	}
	if got := KindOf(fmt.Errorf("list: %w", ErrPoolExhausted)); got != KindBusy {
		t.Errorf("KindOf(busy) = %v, want Busy", got)
	}
	if got := KindOf(errors.New("disk on fire")); got != KindUnknown {
		t.Errorf("KindOf(plain error) = %v, want Unknown", got)
	}
}

func TestClassicNotPermittedIsItsSentinel(t *testing.T) {
	e := classicNotPermitted()
	if e.Code != CodeInvalidParameterValue || e.Message != MessageClassicNotPermitted || !errors.Is(e, ErrClassicNotPermitted) {
		t.Errorf("classicNotPermitted() = %+v", e)
	}
	if errors.Is(&Error{Code: CodeInvalidParameterValue, Message: MessageClassicNotPermitted}, ErrClassicNotPermitted) {
		t.Error("the wording alone matches ErrClassicNotPermitted")
	}
}
