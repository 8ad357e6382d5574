package api

import (
	"strconv"
	"time"

	"sgconsole/models"
)

// sourceTypes are the values of the API's SourceType enumeration.
var sourceTypes = map[string]bool{"cache-cluster": true, "cache-parameter-group": true, "cache-security-group": true,
	"cache-subnet-group": true, "replication-group": true, "serverless-cache": true, "serverless-cache-snapshot": true,
	"user": true, "user-group": true}

type describeEventsResult struct {
	Marker string `xml:"Marker,omitempty"`
	Events struct {
		Items []eventXML `xml:"Event"`
	} `xml:"Events"`
}

// describeEvents covers the last 60 minutes unless Duration (minutes) or StartTime/EndTime say
// otherwise, and reaches back 14 days at most.
func (a *API) describeEvents(r *request) (any, error) {
	limit, after, err := r.page()
	if err != nil {
		return nil, err
	}
	q := models.EventQuery{SourceType: r.params.Get("SourceType"), SourceID: r.params.Get("SourceIdentifier"), Limit: limit + 1}
	if q.SourceID != "" && q.SourceType == "" {
		return nil, invalid("SourceType", "is required when SourceIdentifier is given")
	}
	if q.SourceType != "" && !models.ValidSourceType(q.SourceType) {
		if !sourceTypes[q.SourceType] {
			return nil, invalid("SourceType", "must be one of cache-cluster, cache-parameter-group, cache-security-group, cache-subnet-group, replication-group, serverless-cache, serverless-cache-snapshot, user, user-group")
		}
		// Source types sgconsole never records (parameter groups, subnet groups...) have no events.
		return describeEventsResult{}, nil
	}
	minutes, err := r.intParam("Duration", 60)
	if err != nil {
		return nil, err
	}
	if minutes < 1 {
		return nil, invalid("Duration", "must be a positive number of minutes")
	}
	q.Window = time.Duration(minutes) * time.Minute
	for name, t := range map[string]*time.Time{"StartTime": &q.Start, "EndTime": &q.End} {
		if v := r.params.Get(name); v != "" {
			parsed, err := time.Parse(time.RFC3339, v)
			if err != nil {
				return nil, invalid(name, "must be an ISO 8601 time such as 2026-11-25T12:00:00Z")
			}
			*t = parsed
		}
	}
	if !q.End.IsZero() && q.Start.IsZero() {
		q.Start = q.End.Add(-q.Window)
	}
	if after != "" {
		id, err := strconv.ParseUint(after, 10, 64)
		if err != nil {
			return nil, invalid("Marker", "is not a marker this service returned")
		}
		q.BeforeID = uint(id)
	}
	page, err := a.Store.ListEvents(r.ctx, r.scope, q)
	if err != nil {
		return nil, err
	}
	var res describeEventsResult
	events := page.Events
	if len(events) > limit {
		events = events[:limit]
		res.Marker = marker(strconv.FormatUint(uint64(events[limit-1].ID), 10))
	}
	for _, e := range events {
		res.Events.Items = append(res.Events.Items, eventXML{SourceIdentifier: e.SourceID, SourceType: e.SourceType, Message: e.Message, Date: timestamp(e.Date)})
	}
	return res, nil
}

func (a *API) listTagsForResource(r *request) (any, error) {
	arn, err := r.required("ResourceName")
	if err != nil {
		return nil, err
	}
	tags, err := a.Store.ListTags(r.ctx, r.scope, arn)
	if err != nil {
		return nil, err
	}
	return tagsXML(tags), nil
}

func (a *API) addTagsToResource(r *request) (any, error) {
	arn, err := r.required("ResourceName")
	if err != nil {
		return nil, err
	}
	tags, err := a.Store.AddTags(r.ctx, r.scope, arn, r.tags())
	if err != nil {
		return nil, err
	}
	return tagsXML(tags), nil
}

func (a *API) removeTagsFromResource(r *request) (any, error) {
	arn, err := r.required("ResourceName")
	if err != nil {
		return nil, err
	}
	tags, err := a.Store.RemoveTags(r.ctx, r.scope, arn, r.list("TagKeys", "TagKey"))
	if err != nil {
		return nil, err
	}
	return tagsXML(tags), nil
}
