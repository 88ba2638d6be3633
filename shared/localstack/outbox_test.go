package localstack

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cognitoLog is cognito-local 5.3.0's output for a SignUp and a ForgotPassword, colours and all.
const cognitoLog = "\x1b[32mINFO\x1b[39m noise line\n" +
	"[1796155388131] \x1b[32mINFO\x1b[39m: \x1b[36mc0959d91 SignUp ╭──────────╮\n" +
	"│                                                       │\n" +
	"│   Confirmation Code Delivery                          │\n" +
	"│                                                       │\n" +
	"│   Username:    6f09e2eb-0996-4aa5-b00f-fbd6273cf93d   │\n" +
	"│   Destination: a@b.com                                │\n" +
	"│   Code:        666660                                 │\n" +
	"│                                                       │\n" +
	"╰──────────╯\x1b[39m \x1b[90m{\"reqId\":\"c0959d91\",\"target\":\"SignUp\"}\x1b[39m\n" +
	"[1796155388177] \x1b[32mINFO\x1b[39m: \x1b[36m15b69e69 ForgotPassword ╭──────────╮\n" +
	"│   Confirmation Code Delivery                          │\n" +
	"│   Username:    6f09e2eb-0996-4aa5-b00f-fbd6273cf93d   │\n" +
	"│   Destination: a@b.com                                │\n" +
	"│   Code:        807973                                 │\n" +
	"╰──────────╯\n" +
	"[1796155388200] INFO: 1111 GetUser ╭──╮\n" +
	"│   Something else │\n" +
	"╰──╯\n"

func TestScanCognitoLog(t *testing.T) {
	o := newOutbox(nil, "")
	at := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	o.scanCognitoLog(strings.NewReader(cognitoLog), &lineRing{}, func() time.Time { at = at.Add(time.Second); return at })
	got := o.Messages()
	if len(got) != 2 {
		t.Fatalf("messages %+v", got)
	}
	if got[0].Code != "807973" || got[0].Subject != "Your Woodshed password reset code" || got[0].To != "a@b.com" {
		t.Errorf("newest %+v", got[0])
	}
	if got[1].Code != "666660" || got[1].Subject != "Your Woodshed confirmation code" || !got[1].SentAt.Before(got[0].SentAt) {
		t.Errorf("oldest %+v", got[1])
	}
}

func TestOutboxFallsBackToStore(t *testing.T) {
	dir := t.TempDir()
	db := `{"Users":{"u1":{"Attributes":[{"Name":"sub","Value":"u1"},{"Name":"email","Value":"B@example.com"}],
		"UserStatus":"UNCONFIRMED","ConfirmationCode":"123456","UserLastModifiedDate":"2026-12-01T20:03:08.178Z"}}}`
	if err := os.WriteFile(filepath.Join(dir, "local_pool.json"), []byte(db), 0o644); err != nil {
		t.Fatal(err)
	}
	o := newOutbox(nil, dir)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	m, err := o.Wait(ctx, "b@example.com", time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC))
	if err != nil || m.Code != "123456" || m.Subject != "Your Woodshed confirmation code" {
		t.Fatalf("%+v %v", m, err)
	}
	// A code older than asked for is not the one we wait for.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 600*time.Millisecond)
	defer cancel2()
	if _, err := o.Wait(ctx2, "b@example.com", time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC)); err == nil {
		t.Error("stale code returned")
	}
}

func TestOutboxCapAndConsole(t *testing.T) {
	var sb strings.Builder
	o := newOutbox(&sb, "")
	for i := 0; i < outboxCap+5; i++ {
		o.add(Message{To: "x@example.com", Code: "1", SentAt: time.Now()})
	}
	if n := len(o.Messages()); n != outboxCap {
		t.Errorf("kept %d", n)
	}
	if !strings.Contains(sb.String(), "to x@example.com") {
		t.Errorf("console %q", sb.String()[:80])
	}
}
