package api

import (
	"fmt"
	"net/http"
	"testing"

	"sgconsole/models"
)

// apiStatuses is every code the models report with the status AWS answers it with on the Query API;
// a code added to the models without a row here fails the test.
var apiStatuses = map[string]int{
	models.CodeInvalidParameterValue:          http.StatusBadRequest,
	models.CodeMissingParameter:               http.StatusBadRequest,
	models.CodeInvalidParameterCombination:    http.StatusBadRequest,
	models.CodeInvalidARN:                     http.StatusBadRequest,
	models.CodeCacheSecurityGroupNotFound:     http.StatusNotFound,
	models.CodeAuthorizationNotFound:          http.StatusNotFound,
	models.CodeCacheClusterNotFound:           http.StatusNotFound,
	models.CodeWorkshopNotFound:               http.StatusNotFound,
	models.CodeTraineeNotFound:                http.StatusNotFound,
	models.CodeEC2GroupNotFound:               http.StatusNotFound,
	models.CodeEC2InstanceNotFound:            http.StatusNotFound,
	models.CodeNoSuchEntity:                   http.StatusBadRequest,
	models.CodeCacheSecurityGroupAlreadyExist: http.StatusBadRequest,
	models.CodeAuthorizationAlreadyExists:     http.StatusBadRequest,
	models.CodeCacheClusterAlreadyExists:      http.StatusBadRequest,
	models.CodeWorkshopAlreadyExists:          http.StatusBadRequest,
	models.CodeEC2GroupDuplicate:              http.StatusBadRequest,
	models.CodeEC2InstanceDuplicate:           http.StatusBadRequest,
	models.CodeEntityAlreadyExists:            http.StatusBadRequest,
	models.CodeSecurityGroupQuotaExceeded:     http.StatusBadRequest,
	models.CodeClusterQuotaForCustomer:        http.StatusBadRequest,
	models.CodeNodeQuotaForCluster:            http.StatusBadRequest,
	models.CodeNodeQuotaForCustomer:           http.StatusBadRequest,
	models.CodeTagQuotaExceeded:               http.StatusBadRequest,
	models.CodeLimitExceeded:                  http.StatusBadRequest,
	models.CodeInvalidSecurityGroupState:      http.StatusBadRequest,
	models.CodeInvalidCacheClusterState:       http.StatusBadRequest,
	models.CodeDependencyViolation:            http.StatusBadRequest,
	models.CodeAccessDenied:                   http.StatusBadRequest,
	models.CodeSubnetGroupAlreadyExists:       http.StatusBadRequest,
	models.CodeSubnetGroupNotFound:            http.StatusBadRequest, // AWS answers 400 for this one
	models.CodeSubnetGroupInUse:               http.StatusBadRequest,
	models.CodeSubnetGroupQuota:               http.StatusBadRequest,
	models.CodeSubnetQuota:                    http.StatusBadRequest,
	models.CodeInvalidSubnet:                  http.StatusBadRequest,
	models.CodeSubnetInUse:                    http.StatusBadRequest,
	models.CodeVPCNotFound:                    http.StatusBadRequest,
	models.CodeSubnetNotFound:                 http.StatusBadRequest,
	models.CodeSubnetConflict:                 http.StatusBadRequest,
	models.CodeSubnetRange:                    http.StatusBadRequest,
	models.CodePermissionDuplicate:            http.StatusBadRequest,
	models.CodePermissionNotFound:             http.StatusBadRequest,
	models.CodeVPCSecurityGroupLimit:          http.StatusBadRequest,
	models.CodeSnapshotNotFound:               http.StatusNotFound,
	models.CodeSnapshotAlreadyExists:          http.StatusBadRequest,
	models.CodeSnapshotQuotaExceeded:          http.StatusBadRequest,
	models.CodeSnapshotFeatureNotSupported:    http.StatusBadRequest,
	models.CodeInvalidSnapshotState:           http.StatusBadRequest,
}

func TestAPIStatusOfEveryModelCode(t *testing.T) {
	for _, code := range models.Codes() {
		want, ok := apiStatuses[code]
		if !ok {
			t.Errorf("models code %s has no API status in this table", code)
			continue
		}
		for _, msg := range []string{"", "refused", "CacheClusterNotFound", models.MessageClassicNotPermitted} {
			f, ok := faultOf(fmt.Errorf("op: %w", &models.Error{Code: code, Message: msg}))
			if !ok || f.Code != code {
				t.Fatalf("faultOf(%s) = %+v, %v", code, f, ok)
			}
			if got := statusOf(f.Code); got != want {
				t.Errorf("%s with message %q answers %d, want %d", code, msg, got, want)
			}
		}
	}
}

// The API's own faults keep the statuses AWS gives them, and a code is matched by name only:
// one that merely ends in "NotFound" is a 400 until it is listed.
func TestAPIStatusOfOwnFaults(t *testing.T) {
	for code, want := range map[string]int{
		"MissingAuthenticationToken":  http.StatusForbidden,
		"InvalidClientTokenId":        http.StatusForbidden,
		"SignatureDoesNotMatch":       http.StatusForbidden,
		"CacheParameterGroupNotFound": http.StatusNotFound,
		"InvalidAction":               http.StatusBadRequest,
		"MalformedQueryString":        http.StatusBadRequest,
		"RequestExpired":              http.StatusBadRequest,
		"SomethingNotFound":           http.StatusBadRequest,
		"Invalid.NotFound":            http.StatusBadRequest,
	} {
		if got := statusOf(code); got != want {
			t.Errorf("statusOf(%s) = %d, want %d", code, got, want)
		}
	}
}
