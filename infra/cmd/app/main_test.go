package main

import (
	"os"
	"strings"
	"testing"
)

func TestLoadContext(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("CDK_CONTEXT_JSON", "")
	if _, err := loadContext(nil); err == nil || !strings.Contains(err.Error(), "repository root") {
		t.Fatalf("without cdk.json: %v", err)
	}
	if err := os.WriteFile("cdk.json", []byte(`{"app":"x","context":{"siteDir":"web/dist","stage":"dev","apiRateLimit":7}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, err := loadContext([]string{"-c", "stage=prod"})
	if err != nil {
		t.Fatal(err)
	}
	if ctx["siteDir"] != "web/dist" || ctx["stage"] != "prod" || ctx["apiRateLimit"] != float64(7) {
		t.Errorf("merged context %v", ctx)
	}
	// Under the CLI the App reads the CLI's merged context itself; cdk.json is not read twice.
	t.Setenv("CDK_CONTEXT_JSON", `{"stage":"dev"}`)
	if ctx, err := loadContext(nil); err != nil || len(ctx) != 0 {
		t.Errorf("under the CLI: %v %v", ctx, err)
	}
	if err := os.WriteFile("cdk.json", []byte(`{"context":`), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("CDK_CONTEXT_JSON", "")
	if _, err := loadContext(nil); err == nil || !strings.Contains(err.Error(), "cdk.json") {
		t.Errorf("broken cdk.json: %v", err)
	}
	if err := os.WriteFile("cdk.json", []byte(`{"context":{}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := loadContext([]string{"--bogus"}); err == nil || !strings.Contains(err.Error(), "unknown argument") {
		t.Errorf("unknown flag: %v", err)
	}
}
