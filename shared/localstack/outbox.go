package localstack

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Message is one e-mail the service would have sent: a sign-up or password-reset code.
type Message struct {
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Code    string    `json:"code"`
	SentAt  time.Time `json:"sent_at"`
}

// Outbox collects the codes cognito-local "sends". It is safe for concurrent use.
type Outbox struct {
	mu      sync.Mutex
	msgs    []Message // oldest first
	changed chan struct{}
	console io.Writer

	resends map[string]time.Time // users (sub) whose next ForgotPassword code is a resent sign-up code

	// dbDir is cognito-local's .cognito/db; codes are looked up there when its log is not ours
	// to read (a reused stack) or did not parse.
	dbDir string
}

const outboxCap = 1000

func newOutbox(console io.Writer, dbDir string) *Outbox {
	return &Outbox{changed: make(chan struct{}), console: console, dbDir: dbDir, resends: map[string]time.Time{}}
}

// expectResend marks the next code for user as a resent confirmation code (see cognitoProxy).
func (o *Outbox) expectResend(user string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	now := time.Now()
	for u, t := range o.resends {
		if now.After(t) {
			delete(o.resends, u)
		}
	}
	o.resends[user] = now.Add(30 * time.Second)
}

func (o *Outbox) takeResend(user string) bool {
	o.mu.Lock()
	defer o.mu.Unlock()
	t, ok := o.resends[user]
	delete(o.resends, user)
	return ok && time.Now().Before(t)
}

// Messages returns the messages, newest first.
func (o *Outbox) Messages() []Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]Message, len(o.msgs))
	for i, m := range o.msgs {
		out[len(o.msgs)-1-i] = m
	}
	return out
}

func (o *Outbox) add(m Message) {
	o.mu.Lock()
	o.msgs = append(o.msgs, m)
	if len(o.msgs) > outboxCap {
		o.msgs = o.msgs[len(o.msgs)-outboxCap:]
	}
	close(o.changed)
	o.changed = make(chan struct{})
	console := o.console
	o.mu.Unlock()
	if console != nil {
		fmt.Fprintf(console, "\n  ✉  to %s — %s: %s\n\n", m.To, m.Subject, m.Code)
	}
}

// Wait returns the newest message to the address sent at or after since, waiting for it
// until ctx ends. Codes reach the outbox through cognito-local's log a moment after its API
// call returns, so tests wait rather than read Messages at once.
func (o *Outbox) Wait(ctx context.Context, to string, since time.Time) (Message, error) {
	for {
		o.mu.Lock()
		for i := len(o.msgs) - 1; i >= 0; i-- {
			m := o.msgs[i]
			if strings.EqualFold(m.To, to) && !m.SentAt.Before(since.Truncate(time.Millisecond)) {
				o.mu.Unlock()
				return m, nil
			}
		}
		changed := o.changed
		o.mu.Unlock()
		select {
		case <-changed:
		case <-time.After(250 * time.Millisecond):
			// A stack whose log we do not read: look in cognito-local's store.
			if m, ok := o.fromDB(to, since); ok {
				return m, nil
			}
		case <-ctx.Done():
			return Message{}, fmt.Errorf("localstack: no message to %s: %w", to, ctx.Err())
		}
	}
}

// fromDB finds the pending code of the user with this email in cognito-local's JSON store.
func (o *Outbox) fromDB(to string, since time.Time) (Message, bool) {
	if o.dbDir == "" {
		return Message{}, false
	}
	files, _ := filepath.Glob(filepath.Join(o.dbDir, "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var db struct {
			Users map[string]struct {
				Attributes           []struct{ Name, Value string }
				ConfirmationCode     string
				UserStatus           string
				UserLastModifiedDate time.Time
			}
		}
		if json.Unmarshal(b, &db) != nil {
			continue
		}
		for _, u := range db.Users {
			if u.ConfirmationCode == "" || u.UserLastModifiedDate.Before(since.Truncate(time.Millisecond)) {
				continue
			}
			for _, a := range u.Attributes {
				if a.Name == "email" && strings.EqualFold(a.Value, to) {
					subject := subjectFor("ForgotPassword")
					if u.UserStatus == "UNCONFIRMED" {
						subject = subjectFor("SignUp")
					}
					return Message{To: a.Value, Subject: subject, Code: u.ConfirmationCode, SentAt: u.UserLastModifiedDate}, true
				}
			}
		}
	}
	return Message{}, false
}

func subjectFor(target string) string {
	switch target {
	case "SignUp", "ResendConfirmationCode":
		return "Your Woodshed confirmation code"
	case "ForgotPassword":
		return "Your Woodshed password reset code"
	case "AdminCreateUser":
		return "Your Woodshed temporary password"
	default:
		return "Your Woodshed verification code"
	}
}

var (
	ansiRE = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)
	// "[1796155388131] INFO: c0959d91 SignUp ╭────╮": pino-pretty's line with the request id and
	// the API target, then the first line of the boxen box.
	boxStartRE = regexp.MustCompile(`^\[\d+\]\s+\w+:\s+(\S+)\s+(\S+)\s+╭`)
	// "│   Destination: a@b.com     │"
	boxFieldRE = regexp.MustCompile(`^│\s*([A-Za-z][A-Za-z ]*?):\s+(.*?)\s*│$`)
)

// scanCognitoLog reads cognito-local's output and turns each "Confirmation Code Delivery"
// box (lib/services/messageDelivery/consoleMessageSender.js) into a Message. Every other line
// goes to tail, for error reports. now is the clock the messages are stamped with.
func (o *Outbox) scanCognitoLog(r io.Reader, tail *lineRing, now func() time.Time) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	var (
		inBox  bool
		target string
		fields map[string]string
	)
	for sc.Scan() {
		line := strings.TrimRight(ansiRE.ReplaceAllString(sc.Text(), ""), " \r")
		tail.add(line)
		if m := boxStartRE.FindStringSubmatch(line); m != nil {
			inBox, target, fields = true, m[2], map[string]string{}
			continue
		}
		if !inBox {
			continue
		}
		if strings.HasPrefix(line, "╰") {
			inBox = false
			if _, isDelivery := fields["Confirmation Code Delivery"]; !isDelivery && fields["Code"] == "" {
				continue
			}
			msg := Message{To: fields["Destination"], Subject: fields["Email Subject"], Code: fields["Code"], SentAt: now().UTC()}
			if target == "ForgotPassword" && o.takeResend(fields["Username"]) {
				target = "ResendConfirmationCode"
			}
			if msg.Subject == "" {
				msg.Subject = subjectFor(target)
			}
			if msg.To == "" || msg.Code == "" {
				// The box changed shape; the store still has the code.
				if m, ok := o.fromDB(fields["Destination"], now().Add(-time.Minute)); ok {
					msg = m
				} else {
					continue
				}
			}
			o.add(msg)
			continue
		}
		inner := strings.TrimSpace(strings.Trim(line, "│"))
		if inner == "Confirmation Code Delivery" {
			fields[inner] = ""
			continue
		}
		if m := boxFieldRE.FindStringSubmatch(line); m != nil {
			fields[m[1]] = m[2]
		}
	}
}

// lineRing keeps the last lines of a child's output for error messages.
type lineRing struct {
	mu    sync.Mutex
	lines []string
}

func (l *lineRing) add(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = append(l.lines, s)
	if len(l.lines) > 40 {
		l.lines = l.lines[len(l.lines)-40:]
	}
}

func (l *lineRing) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// Write lets a lineRing collect a child's raw output.
func (l *lineRing) Write(p []byte) (int, error) {
	for _, s := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		l.add(s)
	}
	return len(p), nil
}
