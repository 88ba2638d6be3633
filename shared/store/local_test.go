package store_test

import (
	"context"
	"os"
	"testing"

	"woodshed/shared/config"
	"woodshed/shared/store"
)

func testStore(t *testing.T) *store.Store {
	t.Helper()
	ep := os.Getenv("DYNAMODB_ENDPOINT")
	if ep == "" {
		t.Skip("DYNAMODB_ENDPOINT not set")
	}
	cfg := config.Config{Region: "ap-northeast-2", TableName: "woodshed-test", DynamoDBEndpoint: ep}
	ctx := context.Background()
	if err := store.EnsureTable(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	st, err := store.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return st
}
