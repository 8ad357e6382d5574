package api

import (
	"encoding/base64"
	"sort"
	"strconv"
	"strings"

	"sgconsole/models"
)

// required returns a parameter that must be present.
func (r *request) required(name string) (string, error) {
	if _, ok := r.params[name]; !ok {
		return "", &Fault{Code: "MissingParameter", Message: "The request must contain the parameter " + name + "."}
	}
	return r.params.Get(name), nil
}

// list reads a list parameter in either encoding AWS accepts: Name.Member.N (what the SDKs send)
// or the legacy Name.member.N. A bare "Name=" is an empty list.
func (r *request) list(name, member string) []string {
	type item struct {
		n     int
		value string
	}
	var items []item
	for key, values := range r.params {
		rest, ok := strings.CutPrefix(key, name+".")
		if !ok {
			continue
		}
		index, ok := strings.CutPrefix(rest, member+".")
		if !ok {
			index, ok = strings.CutPrefix(rest, "member.")
		}
		n, err := strconv.Atoi(index)
		if !ok || err != nil || n < 1 {
			continue
		}
		items = append(items, item{n, values[0]})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].n < items[j].n })
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.value)
	}
	return out
}

// tags reads Tags.Tag.N.Key / .Value (or Tags.member.N.*).
func (r *request) tags() []models.Tag {
	byIndex := map[int]*models.Tag{}
	for key, values := range r.params {
		rest, ok := strings.CutPrefix(key, "Tags.")
		if !ok {
			continue
		}
		if after, ok := strings.CutPrefix(rest, "Tag."); ok {
			rest = after
		} else if after, ok := strings.CutPrefix(rest, "member."); ok {
			rest = after
		} else {
			continue
		}
		index, field, ok := strings.Cut(rest, ".")
		n, err := strconv.Atoi(index)
		if !ok || err != nil || n < 1 {
			continue
		}
		t := byIndex[n]
		if t == nil {
			t = &models.Tag{}
			byIndex[n] = t
		}
		switch field {
		case "Key":
			t.Key = values[0]
		case "Value":
			t.Value = values[0]
		}
	}
	indexes := make([]int, 0, len(byIndex))
	for n := range byIndex {
		indexes = append(indexes, n)
	}
	sort.Ints(indexes)
	tags := make([]models.Tag, 0, len(indexes))
	for _, n := range indexes {
		tags = append(tags, *byIndex[n])
	}
	return tags
}

// intParam reads an optional integer.
func (r *request) intParam(name string, fallback int) (int, error) {
	v := r.params.Get(name)
	if v == "" {
		return fallback, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, invalid(name, "must be an integer")
	}
	return n, nil
}

// page reads MaxRecords (20 to 100, default 100) and the opaque Marker.
func (r *request) page() (limit int, after string, err error) {
	limit, err = r.intParam("MaxRecords", 100)
	if err != nil {
		return 0, "", err
	}
	if limit < 20 || limit > 100 {
		return 0, "", invalid("MaxRecords", "must be between 20 and 100")
	}
	after, err = decodeMarker(r.params.Get("Marker"))
	if err != nil {
		return 0, "", err
	}
	return limit, after, nil
}

// decodeMarker reads a Marker this service returned ("" for none). A forged one is refused unless
// it decodes to clean text: its content reaches a query, which PostgreSQL would fail on.
func decodeMarker(m string) (string, error) {
	if m == "" {
		return "", nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(m)
	after, ok := strings.CutPrefix(string(raw), "v1:")
	if err != nil || !ok || after == "" || len(after) > models.MaxNameLength || models.CleanText(after) != "" {
		return "", invalid("Marker", "is not a marker this service returned")
	}
	return after, nil
}

// marker makes the opaque Marker for the record a page ended with; "" means no more pages.
func marker(last string) string {
	if last == "" {
		return ""
	}
	return base64.RawURLEncoding.EncodeToString([]byte("v1:" + last))
}

func invalid(param, problem string) *Fault {
	return &Fault{Code: "InvalidParameterValue", Message: "Invalid value for parameter " + param + ": " + problem + "."}
}
