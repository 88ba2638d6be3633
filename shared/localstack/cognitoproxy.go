package localstack

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// cognitoProxy sits in front of cognito-local and answers the calls it lacks. Today that is
// ResendConfirmationCode: cognito-local keeps one pending code per user, so resending delivers
// that code to the outbox again (real Cognito would issue a new one; both confirm the account).
type cognitoProxy struct {
	srv    *http.Server
	url    string
	outbox *Outbox
}

func startCognitoProxy(target string, outbox *Outbox) (*cognitoProxy, error) {
	u, err := url.Parse(target)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &cognitoProxy{url: "http://" + ln.Addr().String(), outbox: outbox}
	rp := httputil.NewSingleHostReverseProxy(u)
	p.srv = &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".ResendConfirmationCode") {
			p.resend(w, r)
			return
		}
		rp.ServeHTTP(w, r)
	})}
	go func() { _ = p.srv.Serve(ln) }()
	return p, nil
}

func (p *cognitoProxy) close() { _ = p.srv.Close() }

func (p *cognitoProxy) resend(w http.ResponseWriter, r *http.Request) {
	var in struct{ ClientId, Username string }
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err := json.Unmarshal(body, &in); err != nil || in.Username == "" {
		cognitoError(w, "InvalidParameterException", "Username is required")
		return
	}
	u, ok := p.outbox.pendingUser(in.Username)
	switch {
	case !ok:
		cognitoError(w, "UserNotFoundException", "User does not exist.")
	case u.status != "UNCONFIRMED" || u.code == "":
		cognitoError(w, "InvalidParameterException", "User is already confirmed.")
	default:
		p.outbox.add(Message{To: u.email, Subject: subjectFor("ResendConfirmationCode"), Code: u.code, SentAt: nowUTC()})
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_ = json.NewEncoder(w).Encode(map[string]any{"CodeDeliveryDetails": map[string]string{
			"AttributeName": "email", "DeliveryMedium": "EMAIL", "Destination": u.email}})
	}
}

func cognitoError(w http.ResponseWriter, typ, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-ErrorType", typ)
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": typ, "message": msg})
}

type pendingUser struct{ email, status, code string }

// pendingUser finds a user of cognito-local's JSON store by username or email.
func (o *Outbox) pendingUser(name string) (pendingUser, bool) {
	files, _ := filepath.Glob(filepath.Join(o.dbDir, "*.json"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var db struct {
			Users map[string]struct {
				Username         string
				Attributes       []struct{ Name, Value string }
				ConfirmationCode string
				UserStatus       string
			}
		}
		if json.Unmarshal(bytes.TrimSpace(b), &db) != nil {
			continue
		}
		for _, u := range db.Users {
			email := ""
			for _, a := range u.Attributes {
				if a.Name == "email" {
					email = a.Value
				}
			}
			if strings.EqualFold(u.Username, name) || strings.EqualFold(email, name) {
				return pendingUser{email: email, status: u.UserStatus, code: u.ConfirmationCode}, true
			}
		}
	}
	return pendingUser{}, false
}
