package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestJSONLinesAndFailure(t *testing.T) {
	bad := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(bad, []byte("not audio"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := "../../shared/audio/testdata/r2098.wav"
	var out, errOut bytes.Buffer
	code := run([]string{good, bad}, true, &out, &errOut)
	if code == 0 {
		t.Fatal("exit code 0 with an unreadable file")
	}
	if !strings.Contains(errOut.String(), "notes.txt") || !strings.Contains(errOut.String(), "not_wav") {
		t.Fatalf("stderr %q does not name the file and the reason", errOut.String())
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one JSON line, got %q", out.String())
	}
	var got map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"file", "duration_s", "play_s", "segments"} {
		if _, ok := got[k]; !ok {
			t.Fatalf("line %s lacks %q", lines[0], k)
		}
	}
	segs := got["segments"].([]any)
	if len(segs) == 0 || segs[0].(map[string]any)["start_s"] == nil {
		t.Fatalf("segments %v", segs)
	}
	if got["file"] != good || got["play_s"].(float64) <= 0 {
		t.Fatalf("line %s", lines[0])
	}
}

func TestHumanReadable(t *testing.T) {
	var out, errOut bytes.Buffer
	if code := run([]string{"../../shared/audio/testdata/r2098.wav"}, false, &out, &errOut); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	if !strings.Contains(out.String(), "played") || !strings.Contains(out.String(), "passage") {
		t.Fatalf("output %q", out.String())
	}
	if clock(3725) != "1:02:05" || clock(65) != "1:05" {
		t.Fatal("clock format")
	}
}
