package store_test

import (
	"context"
	"testing"

	"woodshed/shared/localstack"
	"woodshed/shared/store"
)

func TestMain(m *testing.M) { localstack.Main(m) }

// testStore is a store on the test binary's local stack (DynamoDB Local).
func testStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.New(context.Background(), localstack.Shared(t).Config())
	if err != nil {
		t.Fatal(err)
	}
	return st
}
