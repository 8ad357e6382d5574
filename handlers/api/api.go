// Package api serves the ElastiCache Query API (version 2015-02-02) on the console's own server, so
// the AWS CLI and SDKs drive the same models the console does.
package api

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"time"

	"github.com/labstack/echo/v4"

	"sgconsole/models"
)

// Version is the only API version served.
const Version = "2015-02-02"

// Namespace is the XML namespace of every response.
const Namespace = "http://elasticache.amazonaws.com/doc/2015-02-02/"

// MaxSkew is how far a request's signing time may be from the server's clock.
const MaxSkew = 15 * time.Minute

// ReadCallKey marks, in the echo context, an API call that only reads: the request log files it
// with the console's page views (debug), not with the changes.
const ReadCallKey = "sgc.api.read"

// API answers Query API requests.
type API struct {
	Store *models.Store
	Log   *slog.Logger
	ops   map[string]operation
}

// request is one parsed API call.
type request struct {
	ctx    context.Context
	params url.Values
	scope  models.Scope
}

// operation runs one action and returns the content of its Result element (nil for none).
type operation struct {
	run   func(r *request) (any, error)
	write bool // changes the account: refused to viewers with AccessDenied
}

func read(run func(r *request) (any, error)) operation  { return operation{run: run} }
func write(run func(r *request) (any, error)) operation { return operation{run: run, write: true} }

// New returns the API with every operation registered.
func New(store *models.Store, log *slog.Logger) *API {
	a := &API{Store: store, Log: log}
	a.ops = map[string]operation{
		"CreateCacheSecurityGroup":           write(a.createCacheSecurityGroup),
		"DescribeCacheSecurityGroups":        read(a.describeCacheSecurityGroups),
		"DeleteCacheSecurityGroup":           write(a.deleteCacheSecurityGroup),
		"AuthorizeCacheSecurityGroupIngress": write(a.authorizeIngress),
		"RevokeCacheSecurityGroupIngress":    write(a.revokeIngress),
		"CreateCacheCluster":                 write(a.createCacheCluster),
		"DescribeCacheClusters":              read(a.describeCacheClusters),
		"ModifyCacheCluster":                 write(a.modifyCacheCluster),
		"DeleteCacheCluster":                 write(a.deleteCacheCluster),
		"DescribeEvents":                     read(a.describeEvents),
		"ListTagsForResource":                read(a.listTagsForResource),
		"AddTagsToResource":                  write(a.addTagsToResource),
		"RemoveTagsFromResource":             write(a.removeTagsFromResource),
		"DescribeCacheEngineVersions":        read(a.describeCacheEngineVersions),
		"DescribeCacheParameterGroups":       read(a.describeCacheParameterGroups),
		"DescribeReplicationGroups":          read(a.describeReplicationGroups),
		"CreateCacheSubnetGroup":             write(a.createCacheSubnetGroup),
		"DescribeCacheSubnetGroups":          read(a.describeCacheSubnetGroups),
		"ModifyCacheSubnetGroup":             write(a.modifyCacheSubnetGroup),
		"DeleteCacheSubnetGroup":             write(a.deleteCacheSubnetGroup),
		"CreateSnapshot":                     write(a.createSnapshot),
		"DescribeSnapshots":                  read(a.describeSnapshots),
		"DeleteSnapshot":                     write(a.deleteSnapshot),
	}
	return a
}

// Operations lists the actions served, sorted, so tests can hold every one to the same rules.
func (a *API) Operations() []string {
	names := make([]string, 0, len(a.ops))
	for name := range a.ops {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Writes reports whether an action changes the account (viewers are refused it).
func (a *API) Writes(action string) bool { return a.ops[action].write }

// IsAPIRequest tells Query API calls (POST / or GET /?Action=) from console pages.
func IsAPIRequest(r *http.Request) bool {
	return r.URL.Path == "/" && (r.Method == http.MethodPost || r.URL.Query().Has("Action"))
}

// Handle authenticates, parses and runs one API call.
func (a *API) Handle(c echo.Context) error {
	req := c.Request()
	body, err := io.ReadAll(req.Body)
	if err != nil {
		var tooLarge *echo.HTTPError
		if errors.As(err, &tooLarge) {
			return a.fail(c, &Fault{Code: "RequestEntityTooLarge", Message: "The request body is too large.", Status: http.StatusRequestEntityTooLarge})
		}
		return a.fail(c, &Fault{Code: "MalformedQueryString", Message: "The request body could not be read."})
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	// One version check per scope for the whole call, made by the access key lookup itself.
	req = req.WithContext(models.WithRequestVersions(req.Context()))
	user, sig, err := a.authenticate(req, body)
	if err != nil {
		return a.fail(c, err)
	}
	params := req.URL.Query()
	if req.Method == http.MethodPost {
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return a.fail(c, &Fault{Code: "MalformedQueryString", Message: "The request body is not form-encoded."})
		}
		for k, v := range form {
			params[k] = v
		}
	}
	if fault := checkParams(params); fault != nil {
		return a.fail(c, fault)
	}
	action := params.Get("Action")
	if action == "" {
		return a.fail(c, &Fault{Code: "MissingAction", Message: "The request must contain the parameter Action."})
	}
	op, ok := a.ops[action]
	if !ok {
		return a.fail(c, &Fault{Code: "InvalidAction", Message: "The action " + action + " is not valid for this web service."})
	}
	if !op.write {
		c.Set(ReadCallKey, true)
	}
	if v := params.Get("Version"); v != "" && v != Version {
		return a.fail(c, &Fault{Code: "InvalidParameterValue", Message: "Version " + v + " is not supported; use " + Version + "."})
	}
	if op.write && !user.Role.CanWrite() {
		return a.fail(c, &Fault{Code: models.CodeAccessDenied, Status: http.StatusForbidden, Message: fmt.Sprintf(
			"User: arn:aws:iam::%s:user/%s is not authorized to perform: elasticache:%s (the %s role can only read)", user.AccountID, user.Username, action, user.Role)})
	}
	result, err := op.run(&request{ctx: req.Context(), params: params,
		scope: models.Scope{AccountID: user.AccountID, Region: sig.region, Actor: user.Username, Via: sig.accessKeyID}})
	if err != nil {
		return a.fail(c, err)
	}
	return a.respond(c, action, result)
}

type responseMetadata struct {
	RequestID string `xml:"RequestId"`
}

// encodedResult encodes an operation's <ActionResult> element, for answers kept encoded.
func encodedResult(action string, result any) (encodedXML, error) {
	var buf bytes.Buffer
	if err := xml.NewEncoder(&buf).EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// encodedXML is a result already encoded by encodedResult; respond copies it as it is.
type encodedXML []byte

// respond writes <ActionResponse><ActionResult>…</ActionResult><ResponseMetadata/></ActionResponse>.
func (a *API) respond(c echo.Context, action string, result any) error {
	var buf bytes.Buffer
	if encoded, ok := result.(encodedXML); ok {
		buf.Grow(len(encoded) + 512)
	}
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	start := xml.StartElement{Name: xml.Name{Local: action + "Response"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns"}, Value: Namespace}}}
	if err := enc.EncodeToken(start); err != nil {
		return err
	}
	switch result := result.(type) {
	case nil:
	case encodedXML:
		if err := enc.Flush(); err != nil {
			return err
		}
		buf.Write(result)
	default:
		if err := enc.EncodeElement(result, xml.StartElement{Name: xml.Name{Local: action + "Result"}}); err != nil {
			return err
		}
	}
	if err := enc.EncodeElement(responseMetadata{RequestID: requestID(c)}, xml.StartElement{Name: xml.Name{Local: "ResponseMetadata"}}); err != nil {
		return err
	}
	if err := enc.EncodeToken(start.End()); err != nil {
		return err
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	return c.Blob(http.StatusOK, "text/xml", buf.Bytes())
}

func requestID(c echo.Context) string {
	id := c.Response().Header().Get(echo.HeaderXRequestID)
	c.Response().Header().Set("X-Amzn-RequestId", id)
	return id
}
