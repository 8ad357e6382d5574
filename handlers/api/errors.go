package api

import (
	"encoding/xml"
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
)

// Fault is an error as the Query API reports it.
type Fault struct {
	Code    string
	Message string
	Status  int // 0 means the status that goes with Code
}

func (f *Fault) Error() string { return f.Code + ": " + f.Message }

// faultStatuses is the API's one table of the statuses AWS gives its faults: every code listed by
// name, never matched by suffix or message, so a new code gets 400 until it is added here.
// (IAM's NoSuchEntity is a not-found kind in the console but a 400 on this API, as before.)
var faultStatuses = map[string]int{
	"MissingAuthenticationToken":          http.StatusForbidden,
	"InvalidClientTokenId":                http.StatusForbidden,
	"SignatureDoesNotMatch":               http.StatusForbidden,
	"CacheParameterGroupNotFound":         http.StatusNotFound,
	"ReplicationGroupNotFoundFault":       http.StatusNotFound,
	models.CodeCacheSecurityGroupNotFound: http.StatusNotFound,
	models.CodeAuthorizationNotFound:      http.StatusNotFound,
	models.CodeCacheClusterNotFound:       http.StatusNotFound,
	models.CodeWorkshopNotFound:           http.StatusNotFound,
	models.CodeTraineeNotFound:            http.StatusNotFound,
	models.CodeEC2GroupNotFound:           http.StatusNotFound,
	models.CodeEC2InstanceNotFound:        http.StatusNotFound,
	models.CodeSnapshotNotFound:           http.StatusNotFound,
}

// statusOf gives each fault the HTTP status AWS uses for it.
func statusOf(code string) int {
	if s, ok := faultStatuses[code]; ok {
		return s
	}
	return http.StatusBadRequest
}

// parameterNames maps the models' form field names to the API's parameter names, so an API
// message names the parameter while the console shows the same rule next to its field.
var parameterNames = map[string]string{
	"name":                        "CacheSecurityGroupName",
	"description":                 "Description",
	"ec2_security_group_name":     "EC2SecurityGroupName",
	"ec2_security_group_owner_id": "EC2SecurityGroupOwnerId",
	"cluster_id":                  "CacheClusterId",
	"engine":                      "Engine",
	"node_type":                   "CacheNodeType",
	"num_nodes":                   "NumCacheNodes",
	"network":                     "CacheSubnetGroupName",
	"subnet_group":                "CacheSubnetGroupName",
	"vpc_security_group_ids":      "SecurityGroupIds",
	"cache_security_groups":       "CacheSecurityGroupNames",
	"engine_version":              "EngineVersion",
	"port":                        "Port",
	"parameter_group":             "CacheParameterGroupName",
	"maintenance_window":          "PreferredMaintenanceWindow",
	"snapshot_retention_limit":    "SnapshotRetentionLimit",
	"snapshot_window":             "SnapshotWindow",
	"availability_zone":           "PreferredAvailabilityZone",
	"snapshot_name":               "SnapshotName",
	"final_snapshot_name":         "FinalSnapshotIdentifier",
	"snapshot_source":             "SnapshotSource",
}

// faultOf turns a domain error into the fault the API reports.
func faultOf(err error) (*Fault, bool) {
	if f, ok := busyFault(err); ok {
		return f, true
	}
	var f *Fault
	if errors.As(err, &f) {
		return f, true
	}
	e, ok := models.AsError(err)
	if !ok {
		return nil, false
	}
	msg := e.Message
	if len(e.Fields) > 0 && (e.Code == models.CodeInvalidParameterValue || e.Code == models.CodeMissingParameter) {
		if p, ok := parameterNames[e.Fields[0].Field]; ok {
			msg = "Invalid value for parameter " + p + ": " + e.Fields[0].Message
			if e.Code == models.CodeMissingParameter {
				// An empty value counts as missing; say so the way the missing-parameter fault does.
				msg = "The request must contain the parameter " + p + "."
			}
		}
	}
	return &Fault{Code: e.Code, Message: msg}, true
}

type errorResponse struct {
	XMLName   xml.Name `xml:"ErrorResponse"`
	Xmlns     string   `xml:"xmlns,attr"`
	Type      string   `xml:"Error>Type"`
	Code      string   `xml:"Error>Code"`
	Message   string   `xml:"Error>Message"`
	RequestID string   `xml:"RequestId"`
}

// fail writes the ErrorResponse envelope; unexpected errors become InternalFailure without details.
func (a *API) fail(c echo.Context, err error) error { return WriteError(c, a.Log, err) }

// WriteError writes err as the Query API's ErrorResponse: a *Fault or a domain error with its code,
// anything else (a panic, a database failure) as InternalFailure 500, its details only in the log.
// The server's error handler uses it too, so failures before the API handler runs (a body too
// large, a bad ?region=, a panic) are XML an SDK can parse, never the console's HTML page.
func WriteError(c echo.Context, log *slog.Logger, err error) error {
	f, ok := faultOf(err)
	errType := "Sender"
	if ok && f.Status >= http.StatusInternalServerError {
		errType = "Receiver"
	}
	if !ok {
		log.Error("api request failed", slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)), slog.Any("error", err))
		f, errType = &Fault{Code: "InternalFailure", Message: "The request processing has failed because of an unknown error.", Status: http.StatusInternalServerError}, "Receiver"
	}
	status := f.Status
	if status == 0 {
		status = statusOf(f.Code)
	}
	retryAfter(c, status)
	body, mErr := xml.Marshal(errorResponse{Xmlns: Namespace, Type: errType, Code: f.Code, Message: f.Message, RequestID: requestID(c)})
	if mErr != nil {
		return mErr
	}
	return c.Blob(status, "text/xml", append([]byte(xml.Header), body...))
}
