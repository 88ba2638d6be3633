package app_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"woodshed/shared/apptest"
	"woodshed/shared/localstack"
)

func TestMain(m *testing.M) { localstack.Main(m) }

func errCode(body map[string]any) string {
	e, _ := body["error"].(map[string]any)
	c, _ := e["code"].(string)
	return c
}

func TestAuthFlow(t *testing.T) {
	env := apptest.Start(t)
	name := apptest.UniqueName("Flow")
	email := strings.ToLower(name) + "@example.com"
	since := time.Now().Add(-time.Second)

	status, out := env.Call(t, "POST", "/auth/register", "", map[string]string{"email": email, "password": apptest.Password, "nickname": name})
	if status != 201 || out["confirmation_required"] != true || out["user_id"] == "" {
		t.Fatalf("register: %d %v", status, out)
	}
	userID := out["user_id"].(string)

	// Before confirmation: login is refused with a code the SPA can act on.
	status, out = env.Call(t, "POST", "/auth/login", "", map[string]string{"email": email, "password": apptest.Password})
	if status != 403 || errCode(out) != "user_not_confirmed" {
		t.Fatalf("login before confirm: %d %v", status, out)
	}

	code := env.Code(t, email, since)
	status, out = env.Call(t, "POST", "/auth/confirm", "", map[string]string{"email": email, "code": wrongCode(code)})
	if status != 400 || errCode(out) != "code_mismatch" {
		t.Fatalf("wrong code: %d %v", status, out)
	}
	if status, out = env.Call(t, "POST", "/auth/confirm", "", map[string]string{"email": email, "code": code}); status != 200 {
		t.Fatalf("confirm: %d %v", status, out)
	}

	status, out = env.Call(t, "POST", "/auth/login", "", map[string]string{"email": strings.ToUpper(email), "password": apptest.Password})
	if status != 200 || out["token_type"] != "Bearer" || out["access_token"] == "" || out["refresh_token"] == "" {
		t.Fatalf("login: %d %v", status, out)
	}
	access, refresh := out["access_token"].(string), out["refresh_token"].(string)

	status, out = env.Call(t, "GET", "/auth/me", access, nil)
	if status != 200 || out["user_id"] != userID || out["email"] != email || out["nickname"] != name {
		t.Fatalf("me: %d %v", status, out)
	}

	status, out = env.Call(t, "POST", "/auth/refresh", "", map[string]string{"refresh_token": refresh})
	if status != 200 || out["access_token"] == "" {
		t.Fatalf("refresh: %d %v", status, out)
	}
	if _, leaked := out["refresh_token"]; leaked {
		t.Errorf("refresh echoed the refresh token")
	}

	if status, out = env.Call(t, "POST", "/auth/logout", access, map[string]string{"refresh_token": refresh}); status != 204 {
		t.Fatalf("logout: %d %v", status, out)
	}
	status, out = env.Call(t, "POST", "/auth/refresh", "", map[string]string{"refresh_token": refresh})
	if status != 401 {
		t.Fatalf("refresh after logout: %d %v", status, out)
	}
}

func wrongCode(code string) string {
	if strings.HasPrefix(code, "0") {
		return "1" + code[1:]
	}
	return "0" + code[1:]
}

func TestRegisterRefusals(t *testing.T) {
	env := apptest.Start(t)
	u := env.NewUser(t)
	fresh := func() string { return strings.ToLower(apptest.UniqueName("r")) + "@example.com" }
	cases := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"malformed json", `{"email":`, 400, "invalid_json"},
		{"not an object", `"hello"`, 400, "invalid_json"},
		{"wrong type", `{"email":1,"password":"x","nickname":"n"}`, 400, "validation_failed"},
		{"unknown field", map[string]any{"email": fresh(), "password": apptest.Password, "nickname": apptest.UniqueName("n"), "admin": true}, 400, "validation_failed"},
		{"too large", `{"email":"` + strings.Repeat("a", 70<<10) + `"}`, 413, "payload_too_large"},
		{"not an email", map[string]string{"email": "not-an-email", "password": apptest.Password, "nickname": apptest.UniqueName("n")}, 400, "validation_failed"},
		{"weak password", map[string]string{"email": fresh(), "password": "short", "nickname": apptest.UniqueName("n")}, 400, "validation_failed"},
		{"bad nickname", map[string]string{"email": fresh(), "password": apptest.Password, "nickname": "a b!"}, 400, "validation_failed"},
		{"taken email", map[string]string{"email": strings.ToUpper(u.Email), "password": apptest.Password, "nickname": apptest.UniqueName("n")}, 409, "email_taken"},
		{"taken nickname other case", map[string]string{"email": fresh(), "password": apptest.Password, "nickname": strings.ToUpper(u.Nickname)}, 409, "nickname_taken"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, out := env.Call(t, "POST", "/auth/register", "", c.body)
			if status != c.status || errCode(out) != c.code {
				t.Fatalf("got %d %v, want %d %s", status, out, c.status, c.code)
			}
			if msg, _ := out["error"].(map[string]any)["message"].(string); msg == "" {
				t.Errorf("no message: %v", out)
			}
		})
	}

	// A sign-up refused for its nickname changed nothing: the same email registers with another nickname.
	email := fresh()
	if status, out := env.Call(t, "POST", "/auth/register", "", map[string]string{"email": email, "password": apptest.Password, "nickname": u.Nickname}); status != 409 {
		t.Fatalf("taken nickname: %d %v", status, out)
	}
	if status, out := env.Call(t, "POST", "/auth/register", "", map[string]string{"email": email, "password": apptest.Password, "nickname": apptest.UniqueName("n")}); status != 201 {
		t.Fatalf("email should still be free: %d %v", status, out)
	}
	// And a sign-up refused for its email left its nickname free.
	nick := apptest.UniqueName("free")
	if status, out := env.Call(t, "POST", "/auth/register", "", map[string]string{"email": u.Email, "password": apptest.Password, "nickname": nick}); status != 409 {
		t.Fatalf("taken email: %d %v", status, out)
	}
	if status, out := env.Call(t, "POST", "/auth/register", "", map[string]string{"email": fresh(), "password": apptest.Password, "nickname": nick}); status != 201 {
		t.Fatalf("nickname should still be free: %d %v", status, out)
	}
}

func TestLoginDoesNotRevealEmails(t *testing.T) {
	env := apptest.Start(t)
	u := env.NewUser(t)
	_, wrongPw := env.Call(t, "POST", "/auth/login", "", map[string]string{"email": u.Email, "password": "Wrong12345"})
	status, unknown := env.Call(t, "POST", "/auth/login", "", map[string]string{"email": "nobody-" + u.Email, "password": "Wrong12345"})
	if status != 401 || errCode(unknown) != "invalid_credentials" {
		t.Fatalf("unknown email: %d %v", status, unknown)
	}
	a, _ := json.Marshal(wrongPw)
	b, _ := json.Marshal(unknown)
	if string(a) != string(b) {
		t.Errorf("wrong password and unknown email differ:\n%s\n%s", a, b)
	}
	s1, f1 := env.Call(t, "POST", "/auth/forgot-password", "", map[string]string{"email": u.Email})
	s2, f2 := env.Call(t, "POST", "/auth/forgot-password", "", map[string]string{"email": "nobody-" + u.Email})
	if s1 != 200 || s2 != 200 || f1["sent"] != f2["sent"] {
		t.Errorf("forgot-password differs: %d %v / %d %v", s1, f1, s2, f2)
	}
}

func TestPasswordReset(t *testing.T) {
	env := apptest.Start(t)
	u := env.NewUser(t)
	since := time.Now().Add(-time.Second)
	if status, out := env.Call(t, "POST", "/auth/forgot-password", "", map[string]string{"email": u.Email}); status != 200 {
		t.Fatalf("forgot: %d %v", status, out)
	}
	code := env.Code(t, u.Email, since)
	status, out := env.Call(t, "POST", "/auth/reset-password", "", map[string]string{"email": u.Email, "code": code, "new_password": "weak"})
	if status != 400 || errCode(out) != "validation_failed" {
		t.Fatalf("weak new password: %d %v", status, out)
	}
	status, out = env.Call(t, "POST", "/auth/reset-password", "", map[string]string{"email": u.Email, "code": wrongCode(code), "new_password": "Changed2027"})
	if status != 400 || errCode(out) != "code_mismatch" {
		t.Fatalf("wrong code: %d %v", status, out)
	}
	if status, out = env.Call(t, "POST", "/auth/reset-password", "", map[string]string{"email": u.Email, "code": code, "new_password": "Changed2027"}); status != 200 {
		t.Fatalf("reset: %d %v", status, out)
	}
	if status, _ = env.Call(t, "POST", "/auth/login", "", map[string]string{"email": u.Email, "password": u.Password}); status != 401 {
		t.Errorf("old password still works: %d", status)
	}
	u.Password = "Changed2027"
	env.Login(t, &u)
}

func TestResendCode(t *testing.T) {
	env := apptest.Start(t)
	email := strings.ToLower(apptest.UniqueName("resend")) + "@example.com"
	if status, out := env.Call(t, "POST", "/auth/register", "", map[string]string{"email": email, "password": apptest.Password, "nickname": apptest.UniqueName("n")}); status != 201 {
		t.Fatalf("register: %d %v", status, out)
	}
	since := time.Now()
	if status, out := env.Call(t, "POST", "/auth/resend-code", "", map[string]string{"email": email}); status != 200 {
		t.Fatalf("resend: %d %v", status, out)
	}
	code := env.Code(t, email, since)
	if status, out := env.Call(t, "POST", "/auth/confirm", "", map[string]string{"email": email, "code": code}); status != 200 {
		t.Fatalf("confirm with resent code: %d %v", status, out)
	}
	if status, out := env.Call(t, "POST", "/auth/resend-code", "", map[string]string{"email": "x"}); status != 400 {
		t.Fatalf("resend to a non-email: %d %v", status, out)
	}
}

func TestBadTokens(t *testing.T) {
	env := apptest.Start(t)
	u := env.NewUser(t)
	parts := strings.Split(u.AccessToken, ".")
	sig := []byte(parts[2])
	sig[len(sig)/2] ^= 1
	tampered := parts[0] + "." + parts[1] + "." + string(sig)

	// Same claims, signed by a key that is not the pool's.
	claims := jwt.MapClaims{}
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	_ = json.Unmarshal(payload, &claims)
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = "CognitoLocal"
	foreign, _ := tok.SignedString(key)
	claims["exp"] = time.Now().Add(-time.Hour).Unix()
	expired, _ := jwt.NewWithClaims(jwt.SigningMethodRS256, claims).SignedString(key)

	for name, token := range map[string]string{"none": "", "garbage": "abc.def.ghi", "tampered": tampered, "foreign": foreign, "expired": expired, "id token": u.IDToken + "x"} {
		t.Run(name, func(t *testing.T) {
			if status, out := env.Call(t, "GET", "/auth/me", token, nil); status != 401 {
				t.Fatalf("got %d %v", status, out)
			}
		})
	}
	if status, out := env.Call(t, "GET", "/auth/me", u.AccessToken, nil); status != 200 {
		t.Fatalf("the real token: %d %v", status, out)
	}
}

func TestUnknownRoute(t *testing.T) {
	env := apptest.Start(t)
	status, out := env.Call(t, "GET", "/no/such/route", "", nil)
	if status != http.StatusNotFound || errCode(out) != "not_found" {
		t.Fatalf("got %d %v", status, out)
	}
}
