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
}

func (e *Error) Error() string { return e.Message }

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
