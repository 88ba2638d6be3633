package jwtauth

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

const (
	testClient = "client123"
	testKid    = "kid-1"
)

type keyServer struct {
	srv     *httptest.Server
	keys    atomic.Value // []jwk
	fetches atomic.Int32
}

func newKeyServer(t *testing.T, keys ...jwk) *keyServer {
	t.Helper()
	ks := &keyServer{}
	ks.keys.Store(keys)
	ks.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ks.fetches.Add(1)
		if !strings.HasSuffix(r.URL.Path, "/.well-known/jwks.json") {
			http.NotFound(w, r)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": ks.keys.Load()})
	}))
	t.Cleanup(ks.srv.Close)
	return ks
}

func genKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func pubJWK(kid string, k *rsa.PrivateKey) jwk {
	return jwk{
		Kty: "RSA", Kid: kid, Use: "sig", Alg: "RS256",
		N: base64.RawURLEncoding.EncodeToString(k.N.Bytes()),
		E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(k.E)).Bytes()),
	}
}

func sign(t *testing.T, k *rsa.PrivateKey, kid string, claims jwt.MapClaims) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(k)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func accessClaims(iss string, now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"sub": "user-1", "iss": iss, "client_id": testClient, "token_use": "access",
		"scope": "aws.cognito.signin.user.admin", "username": "user-1",
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(), "auth_time": now.Unix(),
	}
}

func idClaims(iss string, now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"sub": "user-1", "iss": iss, "aud": testClient, "token_use": "id",
		"email": "a@example.com", "cognito:username": "user-1", "email_verified": true,
		"iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	}
}

func setup(t *testing.T) (*Verifier, *rsa.PrivateKey, string, *keyServer) {
	t.Helper()
	key := genKey(t)
	ks := newKeyServer(t, pubJWK(testKid, key))
	iss := ks.srv.URL + "/local_pool"
	v, err := New(Config{Issuer: iss, ClientID: testClient})
	if err != nil {
		t.Fatal(err)
	}
	return v, key, iss, ks
}

func TestVerifyAccessAndIDTokens(t *testing.T) {
	v, key, iss, ks := setup(t)
	now := time.Now()

	c, err := v.Verify(context.Background(), sign(t, key, testKid, accessClaims(iss, now)))
	if err != nil {
		t.Fatalf("access token refused: %v", err)
	}
	if c.Sub != "user-1" || c.TokenUse != "access" || c.ClientID != testClient || c.Username != "user-1" {
		t.Errorf("access claims = %+v", c)
	}
	if got := c.Scopes(); len(got) != 1 || got[0] != "aws.cognito.signin.user.admin" {
		t.Errorf("scopes = %v", got)
	}
	m := c.StringMap()
	if m["exp"] != strings.TrimSpace(jsonNum(now.Add(time.Hour).Unix())) || m["token_use"] != "access" {
		t.Errorf("string map = %v", m)
	}

	c, err = v.Verify(context.Background(), sign(t, key, testKid, idClaims(iss, now)))
	if err != nil {
		t.Fatalf("id token refused: %v", err)
	}
	if c.Email != "a@example.com" || c.TokenUse != "id" || c.Username != "user-1" {
		t.Errorf("id claims = %+v", c)
	}
	if m := c.StringMap(); m["email_verified"] != "true" || m["aud"] != testClient {
		t.Errorf("id string map = %v", m)
	}
	if n := ks.fetches.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1 (cached)", n)
	}
}

func jsonNum(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestVerifyRefuses(t *testing.T) {
	v, key, iss, _ := setup(t)
	other := genKey(t)
	now := time.Now()
	good := sign(t, key, testKid, accessClaims(iss, now))

	with := func(base jwt.MapClaims, change func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{}
		for k, v := range base {
			c[k] = v
		}
		change(c)
		return c
	}
	parts := strings.Split(good, ".")
	tamperedPayload := base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(
		mustDecode(t, parts[1]), `"user-1"`, `"user-2"`, 1)))
	hmacTok := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, accessClaims(iss, now))
		tok.Header["kid"] = testKid
		s, err := tok.SignedString([]byte("secret"))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}()
	noneTok := func() string {
		tok := jwt.NewWithClaims(jwt.SigningMethodNone, accessClaims(iss, now))
		tok.Header["kid"] = testKid
		s, err := tok.SignedString(jwt.UnsafeAllowNoneSignatureType)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}()

	cases := map[string]string{
		"empty":            "",
		"garbage":          "not.a.jwt",
		"tampered payload": parts[0] + "." + tamperedPayload + "." + parts[2],
		"foreign key":      sign(t, other, testKid, accessClaims(iss, now)),
		"unknown kid":      sign(t, other, "kid-2", accessClaims(iss, now)),
		"no kid":           sign(t, key, "", accessClaims(iss, now)),
		"expired":          sign(t, key, testKid, with(accessClaims(iss, now), func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Minute).Unix() })),
		"no exp":           sign(t, key, testKid, with(accessClaims(iss, now), func(c jwt.MapClaims) { delete(c, "exp") })),
		"not yet valid":    sign(t, key, testKid, with(accessClaims(iss, now), func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() })),
		"foreign issuer":   sign(t, key, testKid, with(accessClaims(iss, now), func(c jwt.MapClaims) { c["iss"] = "https://evil.example/local_pool" })),
		"wrong client":     sign(t, key, testKid, with(accessClaims(iss, now), func(c jwt.MapClaims) { c["client_id"] = "other" })),
		"access with aud only": sign(t, key, testKid, with(accessClaims(iss, now), func(c jwt.MapClaims) {
			delete(c, "client_id")
			c["aud"] = testClient
		})),
		"id wrong aud":      sign(t, key, testKid, with(idClaims(iss, now), func(c jwt.MapClaims) { c["aud"] = "other" })),
		"id with client_id": sign(t, key, testKid, with(idClaims(iss, now), func(c jwt.MapClaims) { delete(c, "aud"); c["client_id"] = testClient })),
		"wrong token_use":   sign(t, key, testKid, with(accessClaims(iss, now), func(c jwt.MapClaims) { c["token_use"] = "refresh" })),
		"no token_use":      sign(t, key, testKid, with(accessClaims(iss, now), func(c jwt.MapClaims) { delete(c, "token_use") })),
		"no sub":            sign(t, key, testKid, with(accessClaims(iss, now), func(c jwt.MapClaims) { delete(c, "sub") })),
		"HS256":             hmacTok,
		"alg none":          noneTok,
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			c, err := v.Verify(context.Background(), tok)
			if err == nil {
				t.Fatalf("accepted: %+v", c)
			}
			if !errors.Is(err, ErrInvalidToken) {
				t.Errorf("error %v does not wrap ErrInvalidToken", err)
			}
		})
	}
}

func mustDecode(t *testing.T, s string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestRefetchOnRotatedKey(t *testing.T) {
	key1, key2 := genKey(t), genKey(t)
	ks := newKeyServer(t, pubJWK("k1", key1))
	iss := ks.srv.URL + "/pool"
	clock := time.Now()
	v, err := New(Config{Issuer: iss, ClientID: testClient, Now: func() time.Time { return clock }, MinRefetch: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := v.Verify(ctx, sign(t, key1, "k1", accessClaims(iss, clock))); err != nil {
		t.Fatal(err)
	}
	// The pool rotates to k2; within MinRefetch of the last fetch an unknown kid is refused
	// without a fetch, after it the JWKS is fetched again and the new key works.
	ks.keys.Store([]jwk{pubJWK("k1", key1), pubJWK("k2", key2)})
	if _, err := v.Verify(ctx, sign(t, key2, "k2", accessClaims(iss, clock))); err == nil {
		t.Fatal("unknown kid accepted within the refetch interval")
	}
	if n := ks.fetches.Load(); n != 1 {
		t.Fatalf("fetches = %d, want 1", n)
	}
	clock = clock.Add(2 * time.Minute)
	if _, err := v.Verify(ctx, sign(t, key2, "k2", accessClaims(iss, clock))); err != nil {
		t.Fatalf("rotated key refused: %v", err)
	}
	if n := ks.fetches.Load(); n != 2 {
		t.Fatalf("fetches = %d, want 2", n)
	}
}

func TestJWKSUnavailable(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusInternalServerError)
	}))
	defer srv.Close()
	key := genKey(t)
	v, err := New(Config{Issuer: srv.URL + "/p", ClientID: testClient})
	if err != nil {
		t.Fatal(err)
	}
	_, err = v.Verify(context.Background(), sign(t, key, testKid, accessClaims(srv.URL+"/p", time.Now())))
	if !errors.Is(err, ErrInvalidToken) || !strings.Contains(err.Error(), "status 500") {
		t.Fatalf("err = %v", err)
	}
}

func TestNewNeedsIssuerAndClient(t *testing.T) {
	if _, err := New(Config{ClientID: "c"}); err == nil {
		t.Error("missing issuer accepted")
	}
	if _, err := New(Config{Issuer: "http://x/p"}); err == nil {
		t.Error("missing client id accepted")
	}
}

func TestParseJWKSRejectsWeakKeys(t *testing.T) {
	if _, err := parseJWKS([]jwk{{Kty: "RSA", Kid: "x", N: "AQAB", E: "AQAB"}}); err == nil {
		t.Error("512-bit-or-less modulus accepted")
	}
	keys, err := parseJWKS([]jwk{{Kty: "EC", Kid: "ec"}, {Kty: "RSA", Kid: "enc", Use: "enc"}})
	if err != nil || len(keys) != 0 {
		t.Errorf("non-signing keys: %v %v", keys, err)
	}
}
