package localstack

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// cognitoProxy sits in front of cognito-local and fills its one gap the service relies on:
// ResendConfirmationCode, which cognito-local 5.3.0 answers with "Unsupported". Locally it is
// served as AWS does it — refused for confirmed users, else a new code e-mailed — using
// ForgotPassword, which in cognito-local sets the very ConfirmationCode that ConfirmSignUp checks.
// Everything else, tokens and JWKS included, passes through untouched.
type cognitoProxy struct {
	upstream *url.URL
	rp       *httputil.ReverseProxy
	outbox   *Outbox
	dbDir    string // cognito-local's .cognito/db
	log      *slog.Logger
	ln       net.Listener
	srv      *http.Server
	endpoint string
}

func newCognitoProxy(outbox *Outbox, dbDir string, log *slog.Logger) *cognitoProxy {
	return &cognitoProxy{outbox: outbox, dbDir: dbDir, log: log}
}

func (p *cognitoProxy) listen(port int) error {
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return fmt.Errorf("localstack: cognito listen: %w", err)
	}
	p.ln, p.endpoint = ln, "http://"+ln.Addr().String()
	return nil
}

// serve starts forwarding to cognito-local at upstream.
func (p *cognitoProxy) serve(upstream string) {
	p.upstream, _ = url.Parse(upstream)
	p.rp = httputil.NewSingleHostReverseProxy(p.upstream)
	p.srv = &http.Server{Handler: p, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := p.srv.Serve(p.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			p.log.Error("cognito proxy stopped", "err", err.Error())
		}
	}()
}

func (p *cognitoProxy) close() {
	if p.srv != nil {
		_ = p.srv.Close()
	} else if p.ln != nil {
		_ = p.ln.Close()
	}
}

func (p *cognitoProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && strings.HasSuffix(r.Header.Get("X-Amz-Target"), ".ResendConfirmationCode") {
		p.resend(w, r)
		return
	}
	p.rp.ServeHTTP(w, r)
}

func (p *cognitoProxy) resend(w http.ResponseWriter, r *http.Request) {
	var in struct {
		ClientID       string            `json:"ClientId"`
		Username       string            `json:"Username"`
		ClientMetadata map[string]string `json:"ClientMetadata,omitempty"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&in); err != nil || in.ClientID == "" || in.Username == "" {
		cognitoError(w, http.StatusBadRequest, "InvalidParameterException", "ClientId and Username are required")
		return
	}
	poolID, err := p.poolOf(in.ClientID)
	if err != nil {
		cognitoError(w, http.StatusBadRequest, "ResourceNotFoundException", "User pool client "+in.ClientID+" does not exist.")
		return
	}
	status, body, err := p.call("AdminGetUser", map[string]string{"UserPoolId": poolID, "Username": in.Username})
	if err != nil {
		cognitoError(w, http.StatusInternalServerError, "InternalErrorException", err.Error())
		return
	}
	if status != http.StatusOK {
		writeCognito(w, status, body)
		return
	}
	var user struct {
		Username   string
		UserStatus string
	}
	_ = json.Unmarshal(body, &user)
	if user.UserStatus == "CONFIRMED" {
		cognitoError(w, http.StatusBadRequest, "InvalidParameterException", "User is already confirmed.")
		return
	}
	p.outbox.expectResend(user.Username)
	status, body, err = p.call("ForgotPassword", in)
	if err != nil {
		cognitoError(w, http.StatusInternalServerError, "InternalErrorException", err.Error())
		return
	}
	writeCognito(w, status, body)
}

// poolOf finds the pool of an app client in cognito-local's clients.json.
func (p *cognitoProxy) poolOf(clientID string) (string, error) {
	b, err := os.ReadFile(filepath.Join(p.dbDir, "clients.json"))
	if err != nil {
		return "", err
	}
	var db struct {
		Clients map[string]struct{ UserPoolId string }
	}
	if err := json.Unmarshal(b, &db); err != nil {
		return "", err
	}
	c, ok := db.Clients[clientID]
	if !ok || c.UserPoolId == "" {
		return "", fmt.Errorf("unknown client %s", clientID)
	}
	return c.UserPoolId, nil
}

func (p *cognitoProxy) call(op string, in any) (int, []byte, error) {
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest(http.MethodPost, p.upstream.String()+"/", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSCognitoIdentityProviderService."+op)
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("cognito-local %s: %w", op, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

func writeCognito(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func cognitoError(w http.ResponseWriter, status int, typ, msg string) {
	b, _ := json.Marshal(map[string]string{"__type": typ, "message": msg})
	w.Header().Set("x-amzn-ErrorType", typ)
	writeCognito(w, status, b)
}
