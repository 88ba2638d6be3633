package routes

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

const beginMark, endMark = "<!-- routes:begin -->", "<!-- routes:end -->"

// TestTableIsConsistent guards the table's own rules.
func TestTableIsConsistent(t *testing.T) {
	seenRoute, seenFn := map[string]bool{}, map[string]bool{}
	fnName := regexp.MustCompile(`^[a-z][a-z0-9-]*$`)
	for _, r := range Table {
		key := r.Method + " " + r.Path
		if seenRoute[key] {
			t.Errorf("duplicate route %s", key)
		}
		if seenFn[r.Function] {
			t.Errorf("function %s serves two routes", r.Function)
		}
		seenRoute[key], seenFn[r.Function] = true, true
		if !fnName.MatchString(r.Function) || !strings.HasPrefix(r.Path, "/") || r.Summary == "" {
			t.Errorf("malformed row %+v", r)
		}
	}
	for _, f := range EventFunctions {
		if seenFn[f] {
			t.Errorf("event function %s is also a route", f)
		}
	}
}

// TestFunctionFolders: every route and event function has a folder under functions/, and every
// folder is in the table.
func TestFunctionFolders(t *testing.T) {
	root := filepath.Join("..", "..")
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		t.Fatal(err)
	}
	folders := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() {
			folders[e.Name()] = true
		}
	}
	want := map[string]bool{}
	for _, r := range Table {
		want[r.Function] = true
	}
	for _, f := range EventFunctions {
		want[f] = true
	}
	for f := range want {
		if !folders[f] {
			t.Errorf("function %s has no folder functions/%s", f, f)
		}
	}
	for f := range folders {
		if !want[f] {
			t.Errorf("folder functions/%s has no route", f)
		}
	}
}

// TestReadmeListsRoutes keeps the README's API reference equal to the table.
// Regenerate with: UPDATE_README=1 go test ./shared/routes
func TestReadmeListsRoutes(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i, j := strings.Index(readme, beginMark), strings.Index(readme, endMark)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the %s … %s block", beginMark, endMark)
	}
	want := beginMark + "\n" + Markdown() + endMark
	got := readme[i : j+len(endMark)]
	if got == want {
		return
	}
	if os.Getenv("UPDATE_README") != "" {
		if err := os.WriteFile(path, []byte(readme[:i]+want+readme[j+len(endMark):]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's route table is out of date; run: UPDATE_README=1 go test ./shared/routes")
}
