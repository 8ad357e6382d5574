package api

import "sgconsole/models"

type describeGroupsResult struct {
	Marker              string `xml:"Marker,omitempty"`
	CacheSecurityGroups struct {
		Items []cacheSecurityGroupXML `xml:"CacheSecurityGroup"`
	} `xml:"CacheSecurityGroups"`
}

func (a *API) createCacheSecurityGroup(r *request) (any, error) {
	name, err := r.required("CacheSecurityGroupName")
	if err != nil {
		return nil, err
	}
	description, err := r.required("Description")
	if err != nil {
		return nil, err
	}
	g, err := a.Store.CreateSecurityGroup(r.ctx, r.scope, name, description, r.tags()...)
	if err != nil {
		return nil, err
	}
	return groupResult{groupXML(g)}, nil
}

func (a *API) describeCacheSecurityGroups(r *request) (any, error) {
	limit, after, err := r.page()
	if err != nil {
		return nil, err
	}
	// The answer is encoded once per change of the account's region (see EncodedDescribeSecurityGroups).
	body, err := a.Store.EncodedDescribeSecurityGroups(r.ctx, r.scope, r.params.Get("CacheSecurityGroupName"), after, limit,
		func(groups []models.SecurityGroup, next string) ([]byte, error) {
			var res describeGroupsResult
			res.Marker = marker(next)
			for _, g := range groups {
				res.CacheSecurityGroups.Items = append(res.CacheSecurityGroups.Items, groupXML(g))
			}
			return encodedResult("DescribeCacheSecurityGroups", res)
		})
	if err != nil {
		return nil, err
	}
	return encodedXML(body), nil
}

func (a *API) deleteCacheSecurityGroup(r *request) (any, error) {
	name, err := r.required("CacheSecurityGroupName")
	if err != nil {
		return nil, err
	}
	return nil, a.Store.DeleteSecurityGroup(r.ctx, r.scope, name)
}

// ingressParams reads the three parameters Authorize and Revoke both require.
func (r *request) ingressParams() (group, ec2Name, ownerID string, err error) {
	if group, err = r.required("CacheSecurityGroupName"); err != nil {
		return
	}
	if ec2Name, err = r.required("EC2SecurityGroupName"); err != nil {
		return
	}
	ownerID, err = r.required("EC2SecurityGroupOwnerId")
	return
}

func (a *API) authorizeIngress(r *request) (any, error) {
	group, ec2Name, ownerID, err := r.ingressParams()
	if err != nil {
		return nil, err
	}
	g, err := a.Store.AuthorizeIngress(r.ctx, r.scope, group, ec2Name, ownerID)
	if err != nil {
		return nil, err
	}
	return groupResult{groupXML(g)}, nil
}

func (a *API) revokeIngress(r *request) (any, error) {
	group, ec2Name, ownerID, err := r.ingressParams()
	if err != nil {
		return nil, err
	}
	g, err := a.Store.RevokeIngress(r.ctx, r.scope, group, ec2Name, ownerID)
	if err != nil {
		return nil, err
	}
	return groupResult{groupXML(g)}, nil
}
