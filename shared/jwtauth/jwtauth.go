// Package jwtauth verifies Cognito-issued JWTs the way API Gateway's JWT authorizer does:
// RS256 signatures checked against the pool's JWKS, the issuer, a required expiry, and the
// audience — `client_id` for access tokens, `aud` for ID tokens — matched to the app client.
//
// The local stack's router uses it in front of every route marked Auth; on AWS the authorizer
// itself does the job and the handlers only read the claims it passes on.
package jwtauth

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ErrInvalidToken is wrapped by every verification failure, so callers can answer 401
// without caring which check failed.
var ErrInvalidToken = errors.New("jwtauth: invalid token")

// Config says which tokens are acceptable.
type Config struct {
	Issuer   string // exact `iss`, e.g. https://cognito-idp.<region>.amazonaws.com/<poolId>
	ClientID string // the app client id: `client_id` of access tokens, `aud` of ID tokens
	JWKSURL  string // default: Issuer + "/.well-known/jwks.json"

	HTTPClient *http.Client     // default: a client with a 5 s timeout
	Now        func() time.Time // default: time.Now; tests move the clock
	// MinRefetch is the least time between two JWKS fetches caused by an unknown kid, so a
	// flood of forged kids cannot turn into a flood of fetches. Default 30 s; 0 keeps it.
	MinRefetch time.Duration
	// Leeway tolerates clock skew on exp/nbf/iat. Default 0, like API Gateway.
	Leeway time.Duration
}

// Claims are the parts of a verified token the handlers use; Raw holds all of them.
type Claims struct {
	Sub       string
	Email     string // ID tokens only
	Username  string // `username` (access) or `cognito:username` (ID)
	TokenUse  string // "access" or "id"
	ClientID  string // the app client the token was issued to
	Scope     string // space-separated scopes (access tokens)
	ExpiresAt time.Time
	Raw       map[string]any
}

// Scopes splits Scope into its entries.
func (c *Claims) Scopes() []string { return strings.Fields(c.Scope) }

// StringMap renders every claim as API Gateway passes them to a Lambda in
// requestContext.authorizer.jwt.claims: strings as they are, numbers in plain notation,
// arrays as "[a b]", everything else as JSON.
func (c *Claims) StringMap() map[string]string {
	out := make(map[string]string, len(c.Raw))
	for k, v := range c.Raw {
		out[k] = claimString(v)
	}
	return out
}

func claimString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = claimString(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// Verifier checks tokens against one issuer and app client. It is safe for concurrent use.
type Verifier struct {
	cfg    Config
	parser *jwt.Parser

	mu        sync.Mutex
	keys      map[string]*rsa.PublicKey
	lastFetch time.Time
}

// New returns a Verifier; the JWKS is fetched on first use.
func New(cfg Config) (*Verifier, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("jwtauth: Issuer is required")
	}
	if cfg.ClientID == "" {
		return nil, errors.New("jwtauth: ClientID is required")
	}
	if cfg.JWKSURL == "" {
		cfg.JWKSURL = strings.TrimSuffix(cfg.Issuer, "/") + "/.well-known/jwks.json"
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 5 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.MinRefetch == 0 {
		cfg.MinRefetch = 30 * time.Second
	}
	v := &Verifier{cfg: cfg}
	v.parser = jwt.NewParser(
		jwt.WithValidMethods([]string{"RS256"}),
		jwt.WithIssuer(cfg.Issuer),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithTimeFunc(cfg.Now),
		jwt.WithJSONNumber(),
	)
	return v, nil
}

// Verify checks the token and returns its claims. Every failure wraps ErrInvalidToken.
func (v *Verifier) Verify(ctx context.Context, token string) (*Claims, error) {
	mc := jwt.MapClaims{}
	_, err := v.parser.ParseWithClaims(token, mc, func(t *jwt.Token) (any, error) {
		kid, _ := t.Header["kid"].(string)
		if kid == "" {
			return nil, errors.New("no kid in header")
		}
		return v.key(ctx, kid)
	})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrInvalidToken, err)
	}
	c := &Claims{Raw: map[string]any(mc)}
	c.Sub, _ = mc["sub"].(string)
	c.Email, _ = mc["email"].(string)
	c.TokenUse, _ = mc["token_use"].(string)
	c.Scope, _ = mc["scope"].(string)
	if c.Username, _ = mc["username"].(string); c.Username == "" {
		c.Username, _ = mc["cognito:username"].(string)
	}
	if exp, err := mc.GetExpirationTime(); err == nil && exp != nil {
		c.ExpiresAt = exp.Time
	}
	switch c.TokenUse {
	case "access":
		c.ClientID, _ = mc["client_id"].(string)
	case "id":
		aud, _ := mc.GetAudience()
		if len(aud) == 1 {
			c.ClientID = aud[0]
		}
	default:
		return nil, fmt.Errorf("%w: token_use %q is neither access nor id", ErrInvalidToken, c.TokenUse)
	}
	if c.ClientID != v.cfg.ClientID {
		return nil, fmt.Errorf("%w: %s token issued to client %q", ErrInvalidToken, c.TokenUse, c.ClientID)
	}
	if c.Sub == "" {
		return nil, fmt.Errorf("%w: no sub", ErrInvalidToken)
	}
	return c, nil
}

// key returns the public key for kid, fetching the JWKS when the kid is unknown (keys rotate).
func (v *Verifier) key(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if k, ok := v.keys[kid]; ok {
		return k, nil
	}
	if v.keys != nil && v.cfg.MinRefetch > 0 && v.cfg.Now().Sub(v.lastFetch) < v.cfg.MinRefetch {
		return nil, fmt.Errorf("unknown kid %q", kid)
	}
	keys, err := fetchJWKS(ctx, v.cfg.HTTPClient, v.cfg.JWKSURL)
	v.lastFetch = v.cfg.Now()
	if err != nil {
		return nil, err
	}
	v.keys = keys
	if k, ok := keys[kid]; ok {
		return k, nil
	}
	return nil, fmt.Errorf("unknown kid %q", kid)
}

type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
}

func fetchJWKS(ctx context.Context, hc *http.Client, url string) (map[string]*rsa.PublicKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("jwks request: %w", err)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch jwks: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch jwks %s: status %d", url, resp.StatusCode)
	}
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&set); err != nil {
		return nil, fmt.Errorf("decode jwks: %w", err)
	}
	return parseJWKS(set.Keys)
}

// parseJWKS turns the RSA signing keys of a JWK set into public keys by kid; other keys are skipped.
func parseJWKS(keys []jwk) (map[string]*rsa.PublicKey, error) {
	out := make(map[string]*rsa.PublicKey, len(keys))
	for _, k := range keys {
		if k.Kty != "RSA" || k.Kid == "" || (k.Use != "" && k.Use != "sig") {
			continue
		}
		n, err := base64.RawURLEncoding.DecodeString(k.N)
		if err != nil {
			return nil, fmt.Errorf("jwk %s: modulus: %w", k.Kid, err)
		}
		e, err := base64.RawURLEncoding.DecodeString(k.E)
		if err != nil {
			return nil, fmt.Errorf("jwk %s: exponent: %w", k.Kid, err)
		}
		exp := new(big.Int).SetBytes(e)
		if len(n) < 256 || !exp.IsInt64() || exp.Int64() < 3 {
			return nil, fmt.Errorf("jwk %s: key too weak or malformed", k.Kid)
		}
		out[k.Kid] = &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(exp.Int64())}
	}
	return out, nil
}
