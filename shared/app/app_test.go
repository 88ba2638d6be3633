package app

import (
	"context"
	"testing"

	"woodshed/shared/config"
	"woodshed/shared/routes"
)

// TestEveryRouteHasAHandler: the route table and the wiring cannot drift apart.
func TestEveryRouteHasAHandler(t *testing.T) {
	a, err := New(context.Background(), config.Config{Region: "ap-northeast-2", TableName: "t", UserPoolID: "p", ClientID: "c"})
	if err != nil {
		t.Fatal(err)
	}
	hs, es := a.HTTPHandlers(), a.S3Handlers()
	for _, r := range routes.Table {
		if hs[r.Function] == nil {
			t.Errorf("route %s %s: no handler %q", r.Method, r.Path, r.Function)
		}
	}
	for _, f := range routes.EventFunctions {
		if es[f] == nil {
			t.Errorf("event function %q has no handler", f)
		}
	}
	if len(hs) != len(routes.Table) || len(es) != len(routes.EventFunctions) {
		t.Errorf("handlers without a route: %d http for %d routes, %d event for %d", len(hs), len(routes.Table), len(es), len(routes.EventFunctions))
	}
}
