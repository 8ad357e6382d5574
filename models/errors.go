package models

import (
	"errors"
	"fmt"
)

// AWS error codes shared by the console and the Query API, so both report the same fault.
const (
	CodeInvalidParameterValue          = "InvalidParameterValue"
	CodeMissingParameter               = "MissingParameter"
	CodeCacheSecurityGroupNotFound     = "CacheSecurityGroupNotFound"
	CodeCacheSecurityGroupAlreadyExist = "CacheSecurityGroupAlreadyExists"
	CodeSecurityGroupQuotaExceeded     = "QuotaExceeded.CacheSecurityGroup"
	CodeAuthorizationAlreadyExists     = "AuthorizationAlreadyExists"
	CodeAuthorizationNotFound          = "AuthorizationNotFound"
	CodeInvalidSecurityGroupState      = "InvalidCacheSecurityGroupState"
)

// MessageClassicNotPermitted is the service's verified wording when an account or region has no EC2-Classic.
const MessageClassicNotPermitted = "Use of cache security groups is not permitted in this API version for your account."

// FieldError ties a message to one input; Field uses the console's form field names.
type FieldError struct {
	Field   string
	Message string
}

// Error is a domain failure carrying the AWS error code both front ends report.
type Error struct {
	Code    string
	Message string
	Fields  []FieldError
	// reason is a sentinel a front end branches on when the code alone is too broad (the
	// VPC-only refusal is an InvalidParameterValue), so no caller compares message text.
	reason error
}

func (e *Error) Error() string { return e.Message }

// Unwrap exposes the sentinel reason to errors.Is.
func (e *Error) Unwrap() error { return e.reason }

// Kind is what went wrong, independent of which resource and of the message's wording; the
// front ends choose statuses by kind (or by exact code), never by a message or a code's suffix.
type Kind int

const (
	KindUnknown Kind = iota
	KindNotFound
	KindAlreadyExists
	KindInvalid
	KindQuota
	KindConflict
	KindForbidden
	KindBusy
)

func (k Kind) String() string {
	return [...]string{"Unknown", "NotFound", "AlreadyExists", "Invalid", "Quota", "Conflict", "Forbidden", "Busy"}[k]
}

// codeKinds is every code the models report, each with its kind: the one place a code is classified.
var codeKinds = map[string]Kind{
	CodeInvalidParameterValue:          KindInvalid,
	CodeMissingParameter:               KindInvalid,
	CodeInvalidParameterCombination:    KindInvalid,
	CodeInvalidARN:                     KindInvalid,
	CodeCacheSecurityGroupNotFound:     KindNotFound,
	CodeAuthorizationNotFound:          KindNotFound,
	CodeCacheClusterNotFound:           KindNotFound,
	CodeWorkshopNotFound:               KindNotFound,
	CodeTraineeNotFound:                KindNotFound,
	CodeEC2GroupNotFound:               KindNotFound,
	CodeEC2InstanceNotFound:            KindNotFound,
	CodeNoSuchEntity:                   KindNotFound,
	CodeCacheSecurityGroupAlreadyExist: KindAlreadyExists,
	CodeAuthorizationAlreadyExists:     KindAlreadyExists,
	CodeCacheClusterAlreadyExists:      KindAlreadyExists,
	CodeWorkshopAlreadyExists:          KindAlreadyExists,
	CodeEC2GroupDuplicate:              KindAlreadyExists,
	CodeEC2InstanceDuplicate:           KindAlreadyExists,
	CodeEntityAlreadyExists:            KindAlreadyExists,
	CodeSecurityGroupQuotaExceeded:     KindQuota,
	CodeClusterQuotaForCustomer:        KindQuota,
	CodeNodeQuotaForCluster:            KindQuota,
	CodeNodeQuotaForCustomer:           KindQuota,
	CodeTagQuotaExceeded:               KindQuota,
	CodeLimitExceeded:                  KindQuota,
	CodeInvalidSecurityGroupState:      KindConflict,
	CodeInvalidCacheClusterState:       KindConflict,
	CodeDependencyViolation:            KindConflict,
	CodeAccessDenied:                   KindForbidden,
}

// Codes lists every code the models report, so tests can check each front end maps all of them.
func Codes() []string {
	codes := make([]string, 0, len(codeKinds))
	for c := range codeKinds {
		codes = append(codes, c)
	}
	return codes
}

// KindOfCode classifies an AWS error code; codes the models never report are KindUnknown.
func KindOfCode(code string) Kind { return codeKinds[code] }

// Kind is the kind of e, derived from its code.
func (e *Error) Kind() Kind { return KindOfCode(e.Code) }

// KindOf classifies any error: a busy database, a domain error by its code, or KindUnknown.
func KindOf(err error) Kind {
	if errors.Is(err, ErrPoolExhausted) {
		return KindBusy
	}
	if e, ok := AsError(err); ok {
		return e.Kind()
	}
	return KindUnknown
}

// ErrClassicNotPermitted is the reason of the refusal to use cache security groups (or an
// EC2-Classic cluster) in a VPC-only account or region; match it with errors.Is.
var ErrClassicNotPermitted = errors.New("models: EC2-Classic is not permitted here")

func classicNotPermitted() *Error {
	return &Error{Code: CodeInvalidParameterValue, Message: MessageClassicNotPermitted, reason: ErrClassicNotPermitted}
}

// FieldMessage returns the message recorded for field, or "".
func (e *Error) FieldMessage(field string) string {
	for _, f := range e.Fields {
		if f.Field == field {
			return f.Message
		}
	}
	return ""
}

// ErrNotFound is returned (wrapped) for lookups of records that do not exist outside the AWS faults.
var ErrNotFound = errors.New("models: not found")

func newError(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func fieldError(code, field, format string, args ...any) *Error {
	msg := fmt.Sprintf(format, args...)
	return &Error{Code: code, Message: msg, Fields: []FieldError{{Field: field, Message: msg}}}
}

// AsError unwraps err into a domain *Error when it is one.
func AsError(err error) (*Error, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e, true
	}
	return nil, false
}

// HasCode reports whether err is a domain error with the given AWS code.
func HasCode(err error, code string) bool {
	e, ok := AsError(err)
	return ok && e.Code == code
}
