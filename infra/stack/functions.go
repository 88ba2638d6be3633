package stack

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"woodshed/shared/routes"
)

// Resource is what a grant is about; the stack turns it into the ARN of the deployed resource.
type Resource string

const (
	Table      Resource = "table"
	Recordings Resource = "recordings-bucket"
	Images     Resource = "images-bucket"
	UserPool   Resource = "user-pool"
)

// Grant is one IAM statement: actions on a resource, for S3 narrowed to a key pattern.
type Grant struct {
	On      Resource
	Actions []string
	Keys    string // S3 only: key pattern under the bucket, e.g. "recordings/*"
}

// Spec is the per-function part of the stack that the route table does not say.
type Spec struct {
	MemoryMB int
	Timeout  time.Duration
	Grants   []Grant
}

// Item actions; transactions are authorised per item action, hence ConditionCheckItem.
var (
	tableReadActions   = []string{"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query", "dynamodb:ConditionCheckItem"}
	tableUpdateActions = []string{"dynamodb:PutItem", "dynamodb:UpdateItem"}
	tableDeleteActions = []string{"dynamodb:DeleteItem", "dynamodb:BatchWriteItem"}
)

func tableRead() Grant { return Grant{On: Table, Actions: tableReadActions} }

// tableUpdate reads, puts and updates items but never deletes them.
func tableUpdate() Grant {
	return Grant{On: Table, Actions: concat(tableReadActions, tableUpdateActions)}
}

func tableWrite() Grant {
	return Grant{On: Table, Actions: concat(tableReadActions, tableUpdateActions, tableDeleteActions)}
}

// cognito lists the user-pool actions a function calls. The public user-pool APIs (SignUp,
// InitiateAuth, ...) are authorised by the app client, not IAM; they are listed so the policy
// states what the function does, while the Admin* actions are the ones IAM actually gates.
func cognito(actions ...string) Grant {
	g := Grant{On: UserPool}
	for _, a := range actions {
		g.Actions = append(g.Actions, "cognito-idp:"+a)
	}
	return g
}

func s3(on Resource, keys string, actions ...string) Grant {
	g := Grant{On: on, Keys: keys}
	for _, a := range actions {
		g.Actions = append(g.Actions, "s3:"+a)
	}
	return g
}

// Key prefixes shared with the handlers: uploads land under these and the S3 triggers filter on them.
const (
	RecordingsPrefix   = "recordings/"
	ImageUploadsPrefix = "uploads/"
	ImagesPublicPrefix = "images/" // processed images, served by CloudFront under /images/
)

const (
	httpMemoryMB = 256
	httpTimeout  = 10 * time.Second // well under API Gateway's 30 s integration limit
)

// specs is keyed by function name; a key ending in "-" is a prefix for a family of routes so new
// rows of that family need no infra change. An exact name wins over a prefix.
// Functions whose routes are all GET lose every table write action (see specFor).
var specs = map[string]Spec{
	"health": {},

	"auth-register": {Grants: []Grant{cognito("SignUp", "AdminDeleteUser"), tableWrite()}},
	// Confirms, looks the user up, and deletes a sign-up whose pending profile expired.
	"auth-confirm":         {Grants: []Grant{cognito("ConfirmSignUp", "AdminGetUser", "AdminDeleteUser"), tableUpdate()}},
	"auth-resend-code":     {Grants: []Grant{cognito("ResendConfirmationCode")}},
	"auth-login":           {Grants: []Grant{cognito("InitiateAuth")}},
	"auth-refresh":         {Grants: []Grant{cognito("InitiateAuth")}},
	"auth-logout":          {Grants: []Grant{cognito("RevokeToken")}},
	"auth-forgot-password": {Grants: []Grant{cognito("ForgotPassword")}},
	"auth-reset-password":  {Grants: []Grant{cognito("ConfirmForgotPassword")}},
	"auth-me":              {Grants: []Grant{tableRead()}},

	"users-": {Grants: []Grant{tableWrite()}},
	// Presigns the browser's PUT/POST of a photo; it may only write raw uploads.
	"users-upload-image": {Grants: []Grant{s3(Images, ImageUploadsPrefix+"*", "PutObject"), tableUpdate()}},

	// Anyone's request: reads a public profile, writes nothing.
	"public-profile": {Grants: []Grant{tableRead()}},

	"practice-": {Grants: []Grant{tableWrite()}},
	// Presigns the browser's chunk uploads; it may only write under recordings/.
	"practice-upload-audio": {Grants: []Grant{s3(Recordings, RecordingsPrefix+"*", "PutObject"), tableUpdate()}},
	// Analyses an uploaded chunk that has no result in-process, as the analyzer would, within the
	// API's 30 s limit.
	"practice-analyze-audio": {MemoryMB: 1024, Timeout: 29 * time.Second, Grants: []Grant{
		s3(Recordings, RecordingsPrefix+"*", "GetObject", "DeleteObject"), tableUpdate()}},

	// Streams the WAV, writes the result, deletes the object: nothing else.
	"analyzer": {MemoryMB: 1024, Timeout: 2 * time.Minute, Grants: []Grant{
		s3(Recordings, RecordingsPrefix+"*", "GetObject", "DeleteObject"), tableUpdate()}},
	// Reads a raw upload, writes the re-encoded sizes, deletes the upload and the replaced image,
	// updates the profile.
	"image-processor": {MemoryMB: 1024, Timeout: 30 * time.Second, Grants: []Grant{
		s3(Images, ImageUploadsPrefix+"*", "GetObject", "DeleteObject"),
		s3(Images, ImagesPublicPrefix+"*", "PutObject", "DeleteObject"),
		tableUpdate()}},
}

// EventSource says which bucket and keys trigger an S3 event function.
type EventSource struct {
	Bucket Resource
	Prefix string
	Suffix string
}

// eventSources is keyed by the names in routes.EventFunctions.
var eventSources = map[string]EventSource{
	"analyzer":        {Bucket: Recordings, Prefix: RecordingsPrefix, Suffix: ".wav"},
	"image-processor": {Bucket: Images, Prefix: ImageUploadsPrefix},
}

// Function is one Lambda of the stack with everything needed to build it.
type Function struct {
	Name   string
	Routes []routes.Route // empty for event functions
	Event  *EventSource
	Spec
}

// Functions joins the route table and the event functions with their specs, sorted by name.
// A function without a spec or an event function without a source is an error: it would otherwise
// deploy with permissions nobody decided on.
func Functions(table []routes.Route, events []string) ([]Function, error) {
	byName := map[string]*Function{}
	seen := map[string]bool{}
	for _, r := range table {
		key := r.Method + " " + r.Path
		if seen[key] {
			return nil, fmt.Errorf("routes: %s is listed twice", key)
		}
		seen[key] = true
		if err := validName(r.Function); err != nil {
			return nil, err
		}
		f := byName[r.Function]
		if f == nil {
			f = &Function{Name: r.Function}
			byName[r.Function] = f
		}
		f.Routes = append(f.Routes, r)
	}
	for _, name := range events {
		if err := validName(name); err != nil {
			return nil, err
		}
		if byName[name] != nil {
			return nil, fmt.Errorf("routes: %s is both an HTTP route and an event function", name)
		}
		src, ok := eventSources[name]
		if !ok {
			return nil, fmt.Errorf("infra: event function %s has no entry in eventSources (infra/stack/functions.go)", name)
		}
		byName[name] = &Function{Name: name, Event: &src}
	}
	out := make([]Function, 0, len(byName))
	for _, f := range byName {
		spec, err := specFor(f.Name, f.Routes)
		if err != nil {
			return nil, err
		}
		f.Spec = spec
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// specFor finds the spec of a function (exact name, else the longest prefix) and fills defaults.
func specFor(name string, rs []routes.Route) (Spec, error) {
	spec, ok := specs[name]
	if !ok {
		best := ""
		for k := range specs {
			if strings.HasSuffix(k, "-") && strings.HasPrefix(name, k) && len(k) > len(best) {
				best = k
			}
		}
		if best == "" {
			return Spec{}, fmt.Errorf("infra: function %s has no IAM/size entry in specs (infra/stack/functions.go)", name)
		}
		spec = specs[best]
	}
	if spec.MemoryMB == 0 {
		spec.MemoryMB = httpMemoryMB
	}
	if spec.Timeout == 0 {
		spec.Timeout = httpTimeout
	}
	if len(rs) > 0 && readOnly(rs) {
		var gs []Grant
		for _, g := range spec.Grants {
			if g.On == Table {
				g = tableRead()
			}
			gs = append(gs, g)
		}
		spec.Grants = gs
	}
	return spec, nil
}

func readOnly(rs []routes.Route) bool {
	for _, r := range rs {
		if r.Method != "GET" && r.Method != "HEAD" {
			return false
		}
	}
	return true
}

func validName(name string) error {
	if !prefixRE.MatchString(name) || len(name) > 40 {
		return fmt.Errorf("routes: function name %q: lower-case letters, digits and hyphens, at most 40", name)
	}
	return nil
}

// CheckFunctionTree compares the folders under functionsDir with the functions of the route table
// and the event functions: every function needs a folder and every folder a function.
func CheckFunctionTree(functionsDir string, table []routes.Route, events []string) error {
	entries, err := os.ReadDir(functionsDir)
	if err != nil {
		return fmt.Errorf("function tree: %w", err)
	}
	var folders []string
	for _, e := range entries {
		if e.IsDir() {
			folders = append(folders, e.Name())
		}
	}
	want := map[string]bool{}
	for _, r := range table {
		want[r.Function] = true
	}
	for _, e := range events {
		want[e] = true
	}
	var problems []string
	for name := range want {
		if !slices.Contains(folders, name) {
			problems = append(problems, fmt.Sprintf("function %s has no folder %s", name, filepath.Join(functionsDir, name)))
		}
	}
	for _, f := range folders {
		if !want[f] {
			problems = append(problems, fmt.Sprintf("folder %s has no route or event function", filepath.Join(functionsDir, f)))
		}
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		return fmt.Errorf("function tree: %s", strings.Join(problems, "; "))
	}
	return nil
}

// CheckAssets makes sure every function has a built bootstrap before synth copies the assets.
func CheckAssets(assetDir string, fns []Function) error {
	var missing []string
	for _, f := range fns {
		if _, err := os.Stat(filepath.Join(assetDir, f.Name, "bootstrap")); err != nil {
			missing = append(missing, f.Name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("assets: no %s/<name>/bootstrap for %s: run make build", assetDir, strings.Join(missing, ", "))
	}
	return nil
}

func concat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}
