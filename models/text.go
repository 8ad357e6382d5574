package models

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Text from outside (forms, query strings, path segments, API parameters, headers) passes these
// checks before it reaches a query. PostgreSQL refuses a NUL byte or invalid UTF-8 in any text
// value with an error, while SQLite stores them; checking here keeps the two engines answering
// alike and turns what would be a 500 into an InvalidParameterValue that names the input.

// MaxFilterLength caps a list filter. SQLite refuses LIKE patterns over 50,000 bytes with an
// error; no name or description is longer than 255 characters, so a longer filter matches nothing
// anyway and is refused with a clear message instead.
const MaxFilterLength = 1024

// MaxEventMessageLength is the events.message column; longer messages are shortened, never refused,
// since the change they describe is valid.
const MaxEventMessageLength = 1024

// MaxVPCSecurityGroups is how many VPC security groups a cluster may have, as AWS allows at most
// 16 per network interface. The IDs are stored space-separated in a 1,024-character column, which
// 16 IDs of the longest form (sg- and 17 hex digits) fit with room to spare.
const MaxVPCSecurityGroups = 16

// CleanText reports why value can't be stored in either engine ("" when it can): invalid UTF-8
// or a NUL byte.
func CleanText(value string) string {
	switch {
	case !utf8.ValidString(value):
		return "is not valid UTF-8 text"
	case strings.IndexByte(value, 0) >= 0:
		return "contains a NUL character"
	}
	return ""
}

// ValidText checks one input: valid UTF-8, no NUL, no control characters (other than line breaks
// and tabs when allowNewlines), and at most maxLen characters (0 for no limit). The error is
// InvalidParameterValue on field, the console's form field name or the API parameter.
func ValidText(field, value string, maxLen int, allowNewlines bool) *Error {
	if problem := CleanText(value); problem != "" {
		return fieldError(CodeInvalidParameterValue, field, "The value of %s %s.", field, problem)
	}
	if maxLen > 0 && utf8.RuneCountInString(value) > maxLen {
		return fieldError(CodeInvalidParameterValue, field, "The value of %s must be at most %d characters long.", field, maxLen)
	}
	if i := strings.IndexFunc(value, func(r rune) bool { return isForbiddenControl(r, allowNewlines) }); i >= 0 {
		return fieldError(CodeInvalidParameterValue, field, "The value of %s cannot contain control characters such as line breaks or tabs.", field)
	}
	return nil
}

// isForbiddenControl is the rule cache group descriptions always had: no C0/C1 control characters.
func isForbiddenControl(r rune, allowNewlines bool) bool {
	if allowNewlines && (r == '\n' || r == '\r' || r == '\t') {
		return false
	}
	return unicode.IsControl(r)
}

// HasControl reports whether value has a control character (line breaks and tabs included).
func HasControl(value string) bool { return strings.IndexFunc(value, unicode.IsControl) >= 0 }

// ValidFilter checks a list filter: clean text of at most MaxFilterLength characters.
func ValidFilter(filter string) *Error {
	if problem := CleanText(filter); problem != "" {
		return fieldError(CodeInvalidParameterValue, "filter", "The filter %s.", problem)
	}
	if utf8.RuneCountInString(filter) > MaxFilterLength {
		return fieldError(CodeInvalidParameterValue, "filter", "A filter is at most %d characters long.", MaxFilterLength)
	}
	return nil
}

// clip shortens s to at most n characters, marking the cut with an ellipsis.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	runes := []rune(s)
	return string(runes[:n-1]) + "…"
}

// clipf formats like fmt.Sprintf and clips the result to n characters.
func clipf(n int, format string, args ...any) string { return clip(fmt.Sprintf(format, args...), n) }
