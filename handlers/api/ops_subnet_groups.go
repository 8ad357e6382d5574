package api

import (
	"sgconsole/models"
)

type availabilityZoneXML struct {
	Name string `xml:"Name"`
}

type subnetXML struct {
	SubnetIdentifier       string              `xml:"SubnetIdentifier"`
	SubnetAvailabilityZone availabilityZoneXML `xml:"SubnetAvailabilityZone"`
}

type subnetList struct {
	Items []subnetXML `xml:"Subnet"`
}

type cacheSubnetGroupXML struct {
	CacheSubnetGroupName        string     `xml:"CacheSubnetGroupName"`
	CacheSubnetGroupDescription string     `xml:"CacheSubnetGroupDescription"`
	VpcID                       string     `xml:"VpcId"`
	Subnets                     subnetList `xml:"Subnets"`
	ARN                         string     `xml:"ARN"`
}

type subnetGroupResult struct {
	CacheSubnetGroup cacheSubnetGroupXML `xml:"CacheSubnetGroup"`
}

type describeSubnetGroupsResult struct {
	Marker            string `xml:"Marker,omitempty"`
	CacheSubnetGroups struct {
		Items []cacheSubnetGroupXML `xml:"CacheSubnetGroup"`
	} `xml:"CacheSubnetGroups"`
}

func subnetGroupXML(g models.SubnetGroup) cacheSubnetGroupXML {
	x := cacheSubnetGroupXML{CacheSubnetGroupName: g.Name, CacheSubnetGroupDescription: g.Description, VpcID: g.VpcID, ARN: g.ARN()}
	for _, s := range g.Subnets {
		x.Subnets.Items = append(x.Subnets.Items, subnetXML{SubnetIdentifier: s.SubnetID, SubnetAvailabilityZone: availabilityZoneXML{Name: s.AvailabilityZone}})
	}
	return x
}

// subnetGroupParameters names the subnet group's parameters for the models' field names.
var subnetGroupParameters = map[string]string{
	"subnet_group_name":        "CacheSubnetGroupName",
	"subnet_group_description": "CacheSubnetGroupDescription",
	"subnet_ids":               "SubnetIds",
}

// subnetGroupFault words a validation failure with the API's parameter name, as faultOf does for
// the parameters of the other operations.
func subnetGroupFault(err error) error {
	e, ok := models.AsError(err)
	if !ok || len(e.Fields) == 0 {
		return err
	}
	param, ok := subnetGroupParameters[e.Fields[0].Field]
	switch {
	case !ok:
		return err
	case e.Code == models.CodeMissingParameter:
		return &Fault{Code: e.Code, Message: "The request must contain the parameter " + param + "."}
	case e.Code == models.CodeInvalidParameterValue:
		return invalid(param, e.Fields[0].Message)
	}
	return err
}

// subnetIDs reads SubnetIds in either encoding (SubnetIds.SubnetIdentifier.N or SubnetIds.member.N);
// nil when the parameter is absent, which Modify reads as "keep the subnets".
func (r *request) subnetIDs() []string {
	ids := r.list("SubnetIds", "SubnetIdentifier")
	if len(ids) == 0 && !r.params.Has("SubnetIds") {
		return nil
	}
	return ids
}

func (a *API) createCacheSubnetGroup(r *request) (any, error) {
	name, err := r.required("CacheSubnetGroupName")
	if err != nil {
		return nil, err
	}
	description, err := r.required("CacheSubnetGroupDescription")
	if err != nil {
		return nil, err
	}
	ids := r.subnetIDs()
	if ids == nil {
		return nil, &Fault{Code: "MissingParameter", Message: "The request must contain the parameter SubnetIds."}
	}
	g, err := a.Store.CreateSubnetGroup(r.ctx, r.scope, models.NewSubnetGroup{Name: name, Description: description, SubnetIDs: ids, Tags: r.tags()})
	if err != nil {
		return nil, subnetGroupFault(err)
	}
	return subnetGroupResult{subnetGroupXML(g)}, nil
}

func (a *API) describeCacheSubnetGroups(r *request) (any, error) {
	limit, after, err := r.page()
	if err != nil {
		return nil, err
	}
	var res describeSubnetGroupsResult
	if name := r.params.Get("CacheSubnetGroupName"); name != "" {
		g, err := a.Store.GetSubnetGroup(r.ctx, r.scope, name)
		if err != nil {
			return nil, err
		}
		res.CacheSubnetGroups.Items = append(res.CacheSubnetGroups.Items, subnetGroupXML(g))
		return res, nil
	}
	page, err := a.Store.ListSubnetGroups(r.ctx, r.scope, after, limit)
	if err != nil {
		return nil, err
	}
	res.Marker = marker(page.Next)
	for _, g := range page.Items {
		res.CacheSubnetGroups.Items = append(res.CacheSubnetGroups.Items, subnetGroupXML(g))
	}
	return res, nil
}

func (a *API) modifyCacheSubnetGroup(r *request) (any, error) {
	name, err := r.required("CacheSubnetGroupName")
	if err != nil {
		return nil, err
	}
	var description *string
	if r.params.Has("CacheSubnetGroupDescription") {
		d := r.params.Get("CacheSubnetGroupDescription")
		description = &d
	}
	g, err := a.Store.ModifySubnetGroup(r.ctx, r.scope, name, description, r.subnetIDs())
	if err != nil {
		return nil, subnetGroupFault(err)
	}
	return subnetGroupResult{subnetGroupXML(g)}, nil
}

func (a *API) deleteCacheSubnetGroup(r *request) (any, error) {
	name, err := r.required("CacheSubnetGroupName")
	if err != nil {
		return nil, err
	}
	return nil, a.Store.DeleteSubnetGroup(r.ctx, r.scope, name)
}
