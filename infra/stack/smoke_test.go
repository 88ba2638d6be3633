package stack

import (
	"encoding/json"
	"os"
	"testing"
)

func TestSmoke(t *testing.T) {
	s := synth(t, devCtx)
	b, _ := json.MarshalIndent(s.json, "", " ")
	os.WriteFile("/tmp/dev.json", b, 0o644)
	s = synth(t, prodCtx)
	b, _ = json.MarshalIndent(s.json, "", " ")
	os.WriteFile("/tmp/prod.json", b, 0o644)
}
