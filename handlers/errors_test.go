package handlers

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
)

// consoleStatuses is every code the models report with the status the console shows it with when a
// refused form would otherwise be 422. A code added to the models without a row here fails the test.
var consoleStatuses = map[string]int{
	models.CodeInvalidParameterValue:          http.StatusUnprocessableEntity,
	models.CodeMissingParameter:               http.StatusUnprocessableEntity,
	models.CodeInvalidParameterCombination:    http.StatusUnprocessableEntity,
	models.CodeInvalidARN:                     http.StatusUnprocessableEntity,
	models.CodeCacheSecurityGroupNotFound:     http.StatusNotFound,
	models.CodeAuthorizationNotFound:          http.StatusNotFound,
	models.CodeCacheClusterNotFound:           http.StatusNotFound,
	models.CodeWorkshopNotFound:               http.StatusNotFound,
	models.CodeTraineeNotFound:                http.StatusNotFound,
	models.CodeEC2GroupNotFound:               http.StatusNotFound,
	models.CodeEC2InstanceNotFound:            http.StatusNotFound,
	models.CodeNoSuchEntity:                   http.StatusNotFound,
	models.CodeCacheSecurityGroupAlreadyExist: http.StatusUnprocessableEntity,
	models.CodeAuthorizationAlreadyExists:     http.StatusUnprocessableEntity,
	models.CodeCacheClusterAlreadyExists:      http.StatusUnprocessableEntity,
	models.CodeWorkshopAlreadyExists:          http.StatusUnprocessableEntity,
	models.CodeEC2GroupDuplicate:              http.StatusUnprocessableEntity,
	models.CodeEC2InstanceDuplicate:           http.StatusUnprocessableEntity,
	models.CodeEntityAlreadyExists:            http.StatusUnprocessableEntity,
	models.CodeSecurityGroupQuotaExceeded:     http.StatusUnprocessableEntity,
	models.CodeClusterQuotaForCustomer:        http.StatusUnprocessableEntity,
	models.CodeNodeQuotaForCluster:            http.StatusUnprocessableEntity,
	models.CodeNodeQuotaForCustomer:           http.StatusUnprocessableEntity,
	models.CodeTagQuotaExceeded:               http.StatusUnprocessableEntity,
	models.CodeLimitExceeded:                  http.StatusUnprocessableEntity,
	models.CodeInvalidSecurityGroupState:      http.StatusUnprocessableEntity,
	models.CodeInvalidCacheClusterState:       http.StatusUnprocessableEntity,
	models.CodeDependencyViolation:            http.StatusConflict,
	models.CodeAccessDenied:                   http.StatusUnprocessableEntity,
	models.CodeSubnetGroupAlreadyExists:       http.StatusUnprocessableEntity,
	models.CodeSubnetGroupNotFound:            http.StatusNotFound,
	models.CodeSubnetGroupInUse:               http.StatusUnprocessableEntity,
	models.CodeSubnetGroupQuota:               http.StatusUnprocessableEntity,
	models.CodeSubnetQuota:                    http.StatusUnprocessableEntity,
	models.CodeInvalidSubnet:                  http.StatusUnprocessableEntity,
	models.CodeSubnetInUse:                    http.StatusUnprocessableEntity,
	models.CodeVPCNotFound:                    http.StatusNotFound,
	models.CodeSubnetNotFound:                 http.StatusNotFound,
	models.CodeSubnetConflict:                 http.StatusUnprocessableEntity,
	models.CodeSubnetRange:                    http.StatusUnprocessableEntity,
	models.CodePermissionDuplicate:            http.StatusUnprocessableEntity,
	models.CodePermissionNotFound:             http.StatusNotFound,
	models.CodeVPCSecurityGroupLimit:          http.StatusUnprocessableEntity,
	models.CodeSnapshotNotFound:               http.StatusNotFound,
	models.CodeSnapshotAlreadyExists:          http.StatusUnprocessableEntity,
	models.CodeSnapshotQuotaExceeded:          http.StatusUnprocessableEntity,
	models.CodeSnapshotFeatureNotSupported:    http.StatusUnprocessableEntity,
	models.CodeInvalidSnapshotState:           http.StatusUnprocessableEntity,
}

func TestConsoleStatusOfEveryCode(t *testing.T) {
	for _, code := range models.Codes() {
		want, ok := consoleStatuses[code]
		if !ok {
			t.Errorf("models code %s has no console status in this table", code)
			continue
		}
		e := &models.Error{Code: code, Message: "refused"}
		if got := consoleStatus(e, http.StatusUnprocessableEntity); got != want {
			t.Errorf("consoleStatus(%s) = %d, want %d", code, got, want)
		}
		if got := ec2Status(e); got != want {
			t.Errorf("ec2Status(%s) = %d, want %d", code, got, want)
		}
		var he *echo.HTTPError
		is404 := errors.As(notFound(fmt.Errorf("wrapped: %w", e)), &he) && he.Code == http.StatusNotFound
		if is404 != (want == http.StatusNotFound) {
			t.Errorf("notFound(%s) gives a 404 page: %v, want %v", code, is404, want == http.StatusNotFound)
		}
	}
}

// A status follows the code alone: no wording of the message, and no code merely ending in
// "NotFound", moves a refusal to another status.
func TestConsoleStatusIgnoresText(t *testing.T) {
	for _, msg := range []string{"", "NotFound", "CacheClusterNotFound: not found", models.MessageClassicNotPermitted} {
		for code, want := range consoleStatuses {
			if got := consoleStatus(&models.Error{Code: code, Message: msg}, http.StatusUnprocessableEntity); got != want {
				t.Errorf("consoleStatus(%s, %q) = %d, want %d", code, msg, got, want)
			}
		}
	}
	for _, code := range []string{"SomethingNotFound", "Invalid.NotFound", "NotFound"} {
		if got := consoleStatus(&models.Error{Code: code, Message: "x"}, http.StatusBadRequest); got != http.StatusBadRequest {
			t.Errorf("unknown code %s got %d, want the page's own 400", code, got)
		}
		if err := notFound(&models.Error{Code: code}); errors.As(err, new(*echo.HTTPError)) {
			t.Errorf("notFound turned unknown code %s into a 404", code)
		}
	}
}

// The VPC-only notice is chosen by the sentinel, not by the message text.
func TestClassicRefusedBySentinel(t *testing.T) {
	if classicRefused(&models.Error{Code: models.CodeInvalidParameterValue, Message: models.MessageClassicNotPermitted}) {
		t.Error("an error with the VPC-only wording but no sentinel counts as the VPC-only refusal")
	}
	if !classicRefused(fmt.Errorf("create: %w", models.ErrClassicNotPermitted)) {
		t.Error("a wrapped ErrClassicNotPermitted is not recognised")
	}
}
