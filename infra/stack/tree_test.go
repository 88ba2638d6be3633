package stack

import (
	"path/filepath"
	"testing"

	"woodshed/shared/routes"
)

// The repository itself: every function of shared/routes has a folder under functions/ and every
// folder there is a route's or an event's function.
func TestRepositoryFunctionTree(t *testing.T) {
	if err := CheckFunctionTree(filepath.Join("..", "..", "functions"), routes.Table, routes.EventFunctions); err != nil {
		t.Fatal(err)
	}
}
