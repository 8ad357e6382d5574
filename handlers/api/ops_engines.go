package api

import (
	"strings"

	"sgconsole/models"
)

type cacheEngineVersionXML struct {
	Engine                        string `xml:"Engine"`
	EngineVersion                 string `xml:"EngineVersion"`
	CacheParameterGroupFamily     string `xml:"CacheParameterGroupFamily"`
	CacheEngineDescription        string `xml:"CacheEngineDescription"`
	CacheEngineVersionDescription string `xml:"CacheEngineVersionDescription"`
}

type describeEngineVersionsResult struct {
	Marker              string `xml:"Marker,omitempty"`
	CacheEngineVersions struct {
		Items []cacheEngineVersionXML `xml:"CacheEngineVersion"`
	} `xml:"CacheEngineVersions"`
}

var engineDescriptions = map[string]string{"memcached": "Memcached", "redis": "Redis"}

// describeCacheEngineVersions lists the published versions; filters that match nothing give an
// empty list, as on AWS. The marker is the position in the published list.
func (a *API) describeCacheEngineVersions(r *request) (any, error) {
	limit, after, err := r.page()
	if err != nil {
		return nil, err
	}
	defaultOnly, err := r.boolParam("DefaultOnly")
	if err != nil {
		return nil, err
	}
	engine, version, family := r.params.Get("Engine"), r.params.Get("EngineVersion"), r.params.Get("CacheParameterGroupFamily")
	var res describeEngineVersionsResult
	for _, v := range models.EngineVersions {
		key := v.Engine + "/" + v.Version
		switch {
		case after != "" && positionOf(key) <= positionOf(after):
			continue
		case engine != "" && !strings.EqualFold(engine, v.Engine),
			version != "" && version != v.Version && version != v.Actual,
			family != "" && family != v.Family,
			defaultOnly != nil && *defaultOnly && models.Engines[v.Engine] != v.Actual:
			continue
		}
		if len(res.CacheEngineVersions.Items) == limit {
			last := res.CacheEngineVersions.Items[limit-1]
			res.Marker = marker(last.Engine + "/" + last.EngineVersion)
			break
		}
		res.CacheEngineVersions.Items = append(res.CacheEngineVersions.Items, cacheEngineVersionXML{Engine: v.Engine,
			EngineVersion: v.Version, CacheParameterGroupFamily: v.Family, CacheEngineDescription: engineDescriptions[v.Engine],
			CacheEngineVersionDescription: engineDescriptions[v.Engine] + " " + v.Version})
	}
	return res, nil
}

// positionOf is the index of engine/version in the published list (-1 when it is not there).
func positionOf(key string) int {
	for i, v := range models.EngineVersions {
		if v.Engine+"/"+v.Version == key {
			return i
		}
	}
	return -1
}

type cacheParameterGroupXML struct {
	CacheParameterGroupName   string `xml:"CacheParameterGroupName"`
	CacheParameterGroupFamily string `xml:"CacheParameterGroupFamily"`
	Description               string `xml:"Description"`
	IsGlobal                  bool   `xml:"IsGlobal"`
	ARN                       string `xml:"ARN"`
}

type describeParameterGroupsResult struct {
	Marker               string `xml:"Marker,omitempty"`
	CacheParameterGroups struct {
		Items []cacheParameterGroupXML `xml:"CacheParameterGroup"`
	} `xml:"CacheParameterGroups"`
}

// describeCacheParameterGroups serves the default.<family> groups, the only ones sgconsole has.
func (a *API) describeCacheParameterGroups(r *request) (any, error) {
	limit, after, err := r.page()
	if err != nil {
		return nil, err
	}
	groups := models.ParameterGroups()
	if name := r.params.Get("CacheParameterGroupName"); name != "" {
		g, err := models.FindParameterGroup(name)
		if err != nil {
			return nil, err
		}
		groups = []models.ParameterGroup{g}
	}
	var res describeParameterGroupsResult
	for _, g := range groups {
		if g.Name <= after {
			continue
		}
		if len(res.CacheParameterGroups.Items) == limit {
			res.Marker = marker(res.CacheParameterGroups.Items[limit-1].CacheParameterGroupName)
			break
		}
		res.CacheParameterGroups.Items = append(res.CacheParameterGroups.Items, cacheParameterGroupXML{CacheParameterGroupName: g.Name,
			CacheParameterGroupFamily: g.Family, Description: g.Description(), ARN: g.ARN(r.scope)})
	}
	return res, nil
}
