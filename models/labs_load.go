package models

// Lab files
//
// A lab is one file, YAML (.yaml, .yml) or JSON (.json), holding one lab. The built-in labs are
// such files too (models/labs/*.yaml, embedded in the binary); `sgconsole serve --labs DIR` adds
// every lab file of DIR, in file-name order, after them. A file that breaks any rule below stops
// the start with its name, the line and the reason, for example
//
//	labs/broken.yaml:12: step 3: unknown check type "group_exist" (known: can_connect, ...)
//
// Fields (unknown fields are refused, so a typo never passes silently):
//
//	id:        required; 1-64 of a-z, 0-9 and "-"; unique among all labs, built-in ones included.
//	           It is the lab's URL (/labs/ID) and its column key on the dashboard.
//	title:     required.
//	summary:   Markdown shown above the steps.
//	setup:     what every sandbox of a workshop with this lab starts with (below).
//	steps:     required, at least one; each has
//	  title:        required.
//	  instructions: required, Markdown. "<console URL>" and "<account ID>" are replaced with the
//	                trainee's own (for CLI commands such as --endpoint-url <console URL>).
//	  check:        required; "type" and the parameters of that type (table below). Every check
//	                also takes "region" (default us-east-1).
//
// Check types (a step is done when its check holds now; pending while the sandbox is on its way
// there by itself, for example an authorization still "authorizing"):
//
//	security_group_exists   name | pattern            a cache security group of that name exists
//	security_group_absent   name | pattern            no such cache security group exists
//	security_group_deleted  name | pattern            none exists, and an event shows one existed
//	ec2_group_authorized    name, ec2_group, [owner]  the EC2 security group's entry in cache security
//	                                                  group "name" is authorized (pending: authorizing)
//	ec2_group_revoked       name, ec2_group, [owner]  the entry is gone from group "name", which still
//	                                                  exists (pending: revoking)
//	tag_present             name, key, [value]        cache security group "name" has the tag
//	cluster_exists          cluster | pattern, [network]  the cluster is available or modifying
//	                                                  (pending: creating); network ec2-classic or vpc
//	cluster_uses_group      cluster, name             the cluster's membership in cache security
//	                                                  group "name" is active (pending: being added)
//	instance_exists         instance, [network]       an EC2 instance with that ID or Name exists
//	can_connect             instance, cluster         the connectivity explainer says "can connect"
//	cannot_connect          instance, cluster         the explainer says "cannot connect"
//	                                                  (both pending while its verdict may change)
//	region_vpc_only         (region only)             the region is VPC-only
//	region_classic          (region only)             the region supports EC2-Classic and VPC
//
// "name" is always a cache security group's name (matched ignoring case, as names are stored in
// lower case); "pattern" is a Go regular expression that must match the whole name (or cluster
// ID) and never matches the default group; "owner" is a 12-digit account ID or "self", the
// default, which is the trainee's own account; "instance" is an instance ID (i-...) or the
// instance's Name. Checks on cache security groups look at what is stored, also while the region
// is VPC-only (the groups are kept); can_connect and cannot_connect follow the explainer, for which
// a VPC-only region's cache security groups no longer grant anything.
//
// Setup (everything optional; regions default to us-east-1, platforms to ec2-classic):
//
//	demo: true                   seed the demo data too (the demo's groups, instances, clusters)
//	regions: {us-west-2: vpc}    regions that start VPC-only (switched once the rest is seeded)
//	ec2_security_groups:         - {name, description, platform, region}
//	instances:                   - {instance_id, name, platform, security_groups: [EC2 group names], region}
//	cache_security_groups:       - {name, description, authorize: [EC2 group names], region}
//	                               the EC2 groups are the account's own and start "authorized";
//	                               name "default" adds entries to the group every region has
//	clusters:                    - {id, engine (memcached), node_type (cache.m1.small), num_nodes (1),
//	                                cache_security_groups (default: [default]), region}
//	                               EC2-Classic clusters, available from the start
//
// Everything a setup names must be valid as the console would take it, and must be made by the
// same setup (or by the demo when demo is true): an instance's EC2 security groups, the EC2 groups
// a cache security group authorizes (EC2-Classic ones), a cluster's cache security groups. A
// workshop's sandboxes get the setups of all its labs together, so a resource named by several
// labs (or by a lab and the demo) must be defined the same way by each; the catalog refuses a lab
// whose setup contradicts another lab's or the demo's.

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// LabFileError is a broken lab file: where, and why.
type LabFileError struct {
	File string // as given to LoadLabs (DIR/NAME), or "built-in" for an embedded lab
	Line int    // 1-based; 0 when the reason has no one line
	Msg  string
}

func (e *LabFileError) Error() string {
	switch {
	case e.File == "":
		return e.Msg
	case e.Line == 0:
		return e.File + ": " + e.Msg
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// BuiltinSource is the Source of the embedded labs.
const BuiltinSource = "built-in"

//go:embed labs/*.yaml
var builtinFiles embed.FS

// builtinLabs are parsed once, when the program starts: a broken embedded lab is a bug, which
// the tests catch, so it panics rather than being reported to instructors.
var builtinLabs = mustParseBuiltins()

func mustParseBuiltins() []Lab {
	names, err := fs.Glob(builtinFiles, "labs/*.yaml")
	if err != nil {
		panic(err)
	}
	sort.Strings(names)
	var labs []Lab
	seen := map[string]string{}
	for _, name := range names {
		data, err := builtinFiles.ReadFile(name)
		if err != nil {
			panic(err)
		}
		lab, err := parseLab(name, data)
		if err != nil {
			panic("models: built-in lab " + err.Error())
		}
		if other, dup := seen[lab.ID]; dup {
			panic(fmt.Sprintf("models: built-in labs %s and %s share the ID %q", other, name, lab.ID))
		}
		seen[lab.ID] = name
		lab.Source = BuiltinSource
		labs = append(labs, lab)
	}
	if _, err := sandboxPlanFor(append([]Lab{{ID: "demo", Setup: Setup{Demo: true}}}, labs...)); err != nil {
		panic("models: built-in labs don't combine: " + err.Error())
	}
	return labs
}

// BuiltinLabs returns the labs embedded in the binary, in order. The result is the caller's own.
func BuiltinLabs() []Lab { return copyLabs(builtinLabs) }

func copyLabs(labs []Lab) []Lab {
	out := make([]Lab, len(labs))
	for i, l := range labs {
		l.Steps = append([]Step(nil), l.Steps...)
		out[i] = l
	}
	return out
}

// labFilePattern tells lab files from the rest of a --labs directory.
var labFilePattern = regexp.MustCompile(`(?i)\.(ya?ml|json)$`)

// LoadLabs reads every lab file of dir (*.yaml, *.yml, *.json, sorted by name; other files and
// directories are ignored). It returns an error naming the file, the line and the reason for
// every broken file, and refuses two files with the same lab ID and a directory without labs.
func LoadLabs(dir string) ([]Lab, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("models: labs: %w", err)
	}
	var labs []Lab
	var errs []error
	seen := map[string]string{}
	for _, entry := range entries { // os.ReadDir sorts by name
		if entry.IsDir() || strings.HasPrefix(entry.Name(), ".") || !labFilePattern.MatchString(entry.Name()) {
			continue
		}
		file := filepath.Join(dir, entry.Name())
		data, err := os.ReadFile(file)
		if err != nil {
			errs = append(errs, fmt.Errorf("models: labs: %w", err))
			continue
		}
		lab, err := parseLab(file, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := seen[lab.ID]; dup {
			errs = append(errs, &LabFileError{File: file, Line: lab.idLine, Msg: fmt.Sprintf("lab id %q is already used by %s", lab.ID, other)})
			continue
		}
		seen[lab.ID] = file
		labs = append(labs, lab)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	if len(labs) == 0 {
		return nil, fmt.Errorf("models: labs: no lab files (*.yaml, *.yml, *.json) in %s", dir)
	}
	return labs, nil
}

// Catalog is every lab an instance offers: the built-in labs, then those of dir ("" for none).
// A lab of dir may not reuse a built-in lab's ID, nor set up a resource differently from another
// lab or the demo (any labs of the catalog can make one workshop).
func Catalog(dir string) ([]Lab, error) {
	labs := BuiltinLabs()
	if dir == "" {
		return labs, nil
	}
	custom, err := LoadLabs(dir)
	if err != nil {
		return nil, err
	}
	builtin := map[string]string{}
	for _, l := range labs {
		builtin[l.ID] = l.Title
	}
	for _, l := range custom {
		if title, dup := builtin[l.ID]; dup {
			return nil, &LabFileError{File: l.Source, Line: l.idLine, Msg: fmt.Sprintf("lab id %q is the built-in lab %q; choose another", l.ID, title)}
		}
	}
	all := append(labs, custom...)
	if _, err := sandboxPlanFor(append([]Lab{{ID: "demo", Setup: Setup{Demo: true}}}, all...)); err != nil {
		return nil, err
	}
	return all, nil
}

var labIDPattern = regexp.MustCompile(`^[a-z0-9-]{1,64}$`)

// parseLab reads one lab file. JSON is YAML, so one parser reads both; a JSON file is first checked
// as strict JSON, whose errors carry exact positions.
func parseLab(file string, data []byte) (Lab, error) {
	fail := func(line int, format string, args ...any) (Lab, error) {
		return Lab{}, &LabFileError{File: file, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	if strings.EqualFold(path.Ext(file), ".json") {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			var syntax *json.SyntaxError
			if errors.As(err, &syntax) {
				return fail(lineAtOffset(data, syntax.Offset-1), "invalid JSON: %s", syntax.Error())
			}
			return fail(0, "invalid JSON: %s", err)
		}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return fail(0, "the file is empty; a lab file holds one lab")
		}
		line, msg := locateSyntaxError(data, err)
		return fail(line, "invalid YAML: %s", msg)
	}
	var second yaml.Node
	if err := dec.Decode(&second); err == nil {
		return fail(second.Line, "a second document starts here; a lab file holds one lab")
	} else if !errors.Is(err, io.EOF) {
		line, msg := locateSyntaxError(data, err)
		return fail(line, "invalid YAML: %s", msg)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		root = root.Content[0]
	}
	if root.Kind != yaml.MappingNode {
		return fail(root.Line, "a lab is a mapping with id, title, steps...; found %s", nodeKind(root))
	}
	if err := checkFields(root, reflect.TypeOf(Lab{}), ""); err != nil {
		err.File = file
		return Lab{}, err
	}
	var lab Lab
	if err := root.Decode(&lab); err != nil {
		var typeErr *yaml.TypeError
		if errors.As(err, &typeErr) && len(typeErr.Errors) > 0 {
			line, msg := splitYAMLLine(typeErr.Errors[0])
			lines := lineIndex{}
			lines.add(root, "")
			return fail(line, "%s%s", prefix(lines.deepestAt(line)), plainTypeError(msg))
		}
		return fail(0, "%s", err)
	}
	lines := lineIndex{}
	lines.add(root, "")
	lab.Source = file
	if err := validateLab(&lab, lines); err != nil {
		err.File = file
		return Lab{}, err
	}
	return lab, nil
}

func nodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	}
	return "something else"
}

func lineAtOffset(data []byte, offset int64) int {
	offset = max(0, min(offset, int64(len(data))))
	return 1 + bytes.Count(data[:offset], []byte("\n"))
}

var yamlLinePrefix = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// splitYAMLLine splits "line 12: reason" into 12 and "reason".
func splitYAMLLine(msg string) (int, string) {
	m := yamlLinePrefix.FindStringSubmatch(msg)
	if m == nil {
		return 0, strings.TrimPrefix(msg, "yaml: ")
	}
	n, _ := strconv.Atoi(m[1])
	return n, m[2]
}

// locateSyntaxError finds the line of a YAML syntax error. The parser reports the line where the
// broken construct started (counting from 0 for some errors), not where it broke, so the line is
// found again as the first one whose text, cut there, fails with the same reason: lab files are
// small, and an instructor fixing one deserves the exact line.
func locateSyntaxError(data []byte, err error) (int, string) {
	reported, msg := splitYAMLLine(err.Error())
	lines := bytes.SplitAfter(data, []byte("\n"))
	if len(lines) > 2000 {
		return reported, msg
	}
	firstFailure := 0
	for k := 1; k <= len(lines); k++ {
		var n yaml.Node
		prefixErr := yaml.Unmarshal(bytes.Join(lines[:k], nil), &n)
		if prefixErr == nil {
			continue
		}
		if _, prefixMsg := splitYAMLLine(prefixErr.Error()); prefixMsg == msg {
			return k, msg
		}
		if firstFailure == 0 {
			firstFailure = k
		}
	}
	if firstFailure != 0 {
		return firstFailure, msg
	}
	return reported, msg
}

// checkFields refuses mapping keys that are not fields of t (a typo would otherwise be ignored),
// and keys given twice, walking the document and the Go type together.
func checkFields(n *yaml.Node, t reflect.Type, where string) *LabFileError {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t.Kind() == reflect.Struct && n.Kind == yaml.MappingNode:
		fields := map[string]reflect.StructField{}
		var known []string
		for i := 0; i < t.NumField(); i++ {
			name := strings.Split(t.Field(i).Tag.Get("yaml"), ",")[0]
			if name != "" && name != "-" {
				fields[name] = t.Field(i)
				known = append(known, name)
			}
		}
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key, value := n.Content[i], n.Content[i+1]
			if first, dup := seen[key.Value]; dup {
				return &LabFileError{Line: key.Line, Msg: fmt.Sprintf("%s%q is given twice (first on line %d)", prefix(where), key.Value, first)}
			}
			seen[key.Value] = key.Line
			f, ok := fields[key.Value]
			if !ok {
				return &LabFileError{Line: key.Line, Msg: fmt.Sprintf("%sunknown field %q (known: %s)", prefix(where), key.Value, strings.Join(known, ", "))}
			}
			if err := checkFields(value, f.Type, joinPath(where, key.Value)); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Slice && n.Kind == yaml.SequenceNode:
		for i, item := range n.Content {
			if err := checkFields(item, t.Elem(), fmt.Sprintf("%s[%d]", where, i)); err != nil {
				return err
			}
		}
	case t.Kind() == reflect.Map && n.Kind == yaml.MappingNode:
		seen := map[string]int{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			key := n.Content[i]
			if first, dup := seen[key.Value]; dup {
				return &LabFileError{Line: key.Line, Msg: fmt.Sprintf("%s%q is given twice (first on line %d)", prefix(where), key.Value, first)}
			}
			seen[key.Value] = key.Line
			if err := checkFields(n.Content[i+1], t.Elem(), joinPath(where, key.Value)); err != nil {
				return err
			}
		}
	}
	return nil // a mismatch of kinds is left to the decoder, which words it with the types
}

func joinPath(where, key string) string {
	if where == "" {
		return key
	}
	return where + "." + key
}

var stepPath = regexp.MustCompile(`^steps\[(\d+)\]\.?`)

// prefix words where a path of the document is, for a message about that very place: "step 3:
// check: " in the third step's check, "setup.instances[0]: " and the like elsewhere.
func prefix(where string) string {
	if m := stepPath.FindStringSubmatch(where); m != nil {
		n, _ := strconv.Atoi(m[1])
		rest := where[len(m[0]):]
		if rest == "" {
			return fmt.Sprintf("step %d: ", n+1)
		}
		return fmt.Sprintf("step %d: %s: ", n+1, rest)
	}
	if where == "" {
		return ""
	}
	return where + ": "
}

// section words which part of the lab a path is in, for a message that says the rest itself:
// "step 3: ", "setup: ", or nothing for the lab's own fields.
func section(where string) string {
	if m := stepPath.FindStringSubmatch(where); m != nil {
		n, _ := strconv.Atoi(m[1])
		return fmt.Sprintf("step %d: ", n+1)
	}
	if strings.HasPrefix(where, "setup") {
		return "setup: "
	}
	return ""
}

// lineIndex maps paths of a document ("steps[2].check.type") to the line where each is written;
// for a mapping's entry, the line of its key.
type lineIndex map[string]int

func (idx lineIndex) add(n *yaml.Node, where string) {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			p := joinPath(where, n.Content[i].Value)
			idx[p] = n.Content[i].Line
			idx.add(n.Content[i+1], p)
		}
	case yaml.SequenceNode:
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", where, i)
			idx[p] = item.Line
			idx.add(item, p)
		}
	}
}

// deepestAt finds the most precise path written on a line ("" when none is).
func (idx lineIndex) deepestAt(line int) string {
	// A key is more telling than an item of a list written on the same line ("instance_id: [x]").
	better := func(a, b string) bool {
		if ka, kb := !strings.HasSuffix(a, "]"), !strings.HasSuffix(b, "]"); ka != kb {
			return ka
		}
		return len(a) > len(b) || len(a) == len(b) && a < b
	}
	found := ""
	for where, l := range idx {
		if l == line && (found == "" || better(where, found)) {
			found = where
		}
	}
	return found
}

var yamlTypeError = regexp.MustCompile("^cannot unmarshal !!(\\w+)(?: `(.*)`)? into (.*)$")

// plainTypeError rewords the decoder's "cannot unmarshal !!str `two` into int" for instructors.
func plainTypeError(msg string) string {
	m := yamlTypeError.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	found := "`" + m[2] + "`"
	switch m[1] {
	case "seq":
		found = "a list"
	case "map":
		found = "a mapping"
	}
	want := "a mapping"
	switch into := m[3]; {
	case strings.HasPrefix(into, "int") || strings.HasPrefix(into, "uint"):
		want = "a whole number"
	case into == "bool":
		want = "true or false"
	case strings.HasPrefix(into, "[]"):
		want = "a list"
	case into == "string" || into == "models.Platform":
		want = "a single value"
	}
	return fmt.Sprintf("expected %s, found %s", want, found)
}

// line finds where path is written, or else the nearest enclosing part that is (a missing
// parameter is reported on its check's line).
func (idx lineIndex) line(where string) int {
	for where != "" {
		if line, ok := idx[where]; ok {
			return line
		}
		cut := strings.LastIndexAny(where, ".[")
		if cut < 0 {
			break
		}
		where = where[:cut]
	}
	return 1
}

// validateLab checks what the schema says beyond field names and types, fills in the defaults
// (so the lab others read is explicit) and the lines of checks and setup items.
func validateLab(lab *Lab, lines lineIndex) *LabFileError {
	fail := func(where, format string, args ...any) *LabFileError {
		return &LabFileError{Line: lines.line(where), Msg: section(where) + fmt.Sprintf(format, args...)}
	}
	lab.idLine = lines.line("id")
	switch {
	case lab.ID == "":
		return fail("id", "id is required: 1-64 lower-case letters, digits and hyphens")
	case !labIDPattern.MatchString(lab.ID):
		return fail("id", "id %q must be 1-64 lower-case letters, digits and hyphens", lab.ID)
	case strings.TrimSpace(lab.Title) == "":
		return fail("title", "title is required")
	case len(lab.Steps) == 0:
		return fail("steps", "steps are required: a lab has at least one step")
	}
	for i := range lab.Steps {
		step := &lab.Steps[i]
		where := fmt.Sprintf("steps[%d]", i)
		switch {
		case strings.TrimSpace(step.Title) == "":
			return fail(where+".title", "title is required")
		case strings.TrimSpace(step.Instructions) == "":
			return fail(where+".instructions", "instructions are required (Markdown)")
		}
		if err := validateCheck(&step.Check, where+".check", lines, fail); err != nil {
			return err
		}
	}
	return validateSetup(lab, lines, fail)
}

func validateCheck(c *Check, where string, lines lineIndex, fail func(string, string, ...any) *LabFileError) *LabFileError {
	c.Line = lines.line(where)
	if _, given := lines[where]; !given {
		return fail(where, "check is required")
	}
	kind, ok := checkKinds[c.Type]
	if !ok {
		if c.Type == "" {
			return fail(where, "check type is required (known: %s)", strings.Join(CheckTypes(), ", "))
		}
		return fail(where+".type", "unknown check type %q (known: %s)", c.Type, strings.Join(CheckTypes(), ", "))
	}
	for _, name := range sortedKeys(checkParams) {
		if checkParams[name](*c) != "" && !slices.Contains(kind.params, name) {
			takes := "only region"
			if len(kind.params) > 0 {
				takes = strings.Join(kind.params, ", ") + " and region"
			}
			return fail(where+"."+name, "check type %s takes no %s (it takes %s)", c.Type, name, takes)
		}
	}
	for _, name := range kind.required {
		if checkParams[name](*c) == "" {
			return fail(where, "check type %s needs %s", c.Type, name)
		}
	}
	if len(kind.oneOf) > 0 {
		given := 0
		for _, name := range kind.oneOf {
			if checkParams[name](*c) != "" {
				given++
			}
		}
		if given != 1 {
			return fail(where, "check type %s needs exactly one of %s", c.Type, strings.Join(kind.oneOf, ", "))
		}
	}
	if c.Region == "" {
		c.Region = DefaultRegion
	} else if !ValidRegion(c.Region) {
		return fail(where+".region", "unknown region %q (known: %s)", c.Region, strings.Join(Regions, ", "))
	}
	if c.Pattern != "" {
		if _, err := regexp.Compile(c.Pattern); err != nil {
			return fail(where+".pattern", "pattern %q is not a regular expression: %v", c.Pattern, err)
		}
		if _, err := regexp.Compile(anchored(c.Pattern)); err != nil { // a pattern closing the anchoring group early
			return fail(where+".pattern", "pattern %q can't be anchored to match whole names: %v", c.Pattern, err)
		}
	}
	if c.Owner == "" {
		c.Owner = OwnerSelf
	} else if c.Owner != OwnerSelf && !ValidAccountID(c.Owner) {
		return fail(where+".owner", "owner %q must be a 12-digit account ID or %q", c.Owner, OwnerSelf)
	}
	if c.Network != "" && c.Network != PlatformClassic && c.Network != PlatformVPC {
		return fail(where+".network", "network %q must be ec2-classic or vpc", c.Network)
	}
	return nil
}

func validateSetup(lab *Lab, lines lineIndex, fail func(string, string, ...any) *LabFileError) *LabFileError {
	s := &lab.Setup
	for _, region := range sortedKeys(s.Regions) {
		where := "setup.regions." + region
		if !ValidRegion(region) {
			return fail(where, "regions: unknown region %q (known: %s)", region, strings.Join(Regions, ", "))
		}
		if p := s.Regions[region]; p != PlatformClassic && p != PlatformVPC {
			return fail(where, "regions: %s: platform %q must be ec2-classic or vpc", region, p)
		}
	}
	// Items get their lines and defaults here; whether they are valid and consistent is decided by
	// the same code that seeds them (sandboxPlan.check), which reports those lines.
	for i := range s.EC2SecurityGroups {
		g := &s.EC2SecurityGroups[i]
		g.Line, g.Region, g.Platform = lines.line(fmt.Sprintf("setup.ec2_security_groups[%d]", i)), orDefaultRegion(g.Region), orClassic(g.Platform)
	}
	for i := range s.Instances {
		inst := &s.Instances[i]
		inst.Line, inst.Region, inst.Platform = lines.line(fmt.Sprintf("setup.instances[%d]", i)), orDefaultRegion(inst.Region), orClassic(inst.Platform)
	}
	for i := range s.CacheSecurityGroups {
		g := &s.CacheSecurityGroups[i]
		g.Line, g.Region = lines.line(fmt.Sprintf("setup.cache_security_groups[%d]", i)), orDefaultRegion(g.Region)
	}
	for i := range s.Clusters {
		c := &s.Clusters[i]
		c.Line, c.Region = lines.line(fmt.Sprintf("setup.clusters[%d]", i)), orDefaultRegion(c.Region)
		if c.Engine == "" {
			c.Engine = "memcached"
		}
		if c.NodeType == "" {
			c.NodeType = "cache.m1.small"
		}
		if c.NumNodes == 0 {
			c.NumNodes = 1
		}
	}
	plans := []sandboxPlan{setupPlan(*lab)}
	if s.Demo {
		plans = append([]sandboxPlan{demoPlan()}, plans...)
	}
	p, err := mergePlans(plans...)
	if err == nil {
		err = p.check()
	}
	var fileErr *LabFileError
	if errors.As(err, &fileErr) {
		if fileErr.Line == 0 {
			fileErr.Line = lines.line("setup")
		}
		return fileErr
	}
	if err != nil {
		return &LabFileError{Line: lines.line("setup"), Msg: err.Error()}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
