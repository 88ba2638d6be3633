package localstack

import (
	"encoding/base64"
	"encoding/hex"
	"strings"
	"testing"
	"time"
)

// signedForm builds the fields of a browser POST whose policy has the given conditions.
func signedForm(t *testing.T, sig sigV4, now time.Time, expires time.Time, conditions string, fields map[string]string) *postForm {
	t.Helper()
	date := now.UTC().Format("20060102")
	cred := "local/" + date + "/" + sig.region + "/s3/aws4_request"
	policy := base64.StdEncoding.EncodeToString([]byte(`{"expiration":"` + expires.UTC().Format("2006-01-02T15:04:05.000Z") + `","conditions":[` +
		`{"bucket":"b"},{"x-amz-algorithm":"AWS4-HMAC-SHA256"},{"x-amz-credential":"` + cred + `"},{"x-amz-date":"` + now.UTC().Format("20060102T150405Z") + `"},` +
		conditions + `]}`))
	c, _ := sig.parseCredential(cred)
	f := &postForm{fields: map[string]string{
		"policy": policy, "x-amz-algorithm": "AWS4-HMAC-SHA256", "x-amz-credential": cred,
		"x-amz-date": now.UTC().Format("20060102T150405Z"), "x-amz-signature": hex.EncodeToString(hmacSHA256(sig.signingKey(c), policy)),
	}, fileSize: 100, hasFile: true}
	for k, v := range fields {
		f.fields[strings.ToLower(k)] = v
	}
	for k := range f.fields {
		f.order = append(f.order, k)
	}
	return f
}

func TestVerifyPostConditions(t *testing.T) {
	now := time.Now()
	sig := sigV4{region: "ap-northeast-2", now: func() time.Time { return now }}
	conds := `["starts-with","$key","uploads/u1/"],["starts-with","$Content-Type","image/"],["content-length-range",1,100]`
	ok := map[string]string{"key": "uploads/u1/a.png", "Content-Type": "image/png"}
	if e := sig.verifyPost("b", signedForm(t, sig, now, now.Add(time.Minute), conds, ok)); e != nil {
		t.Fatalf("valid form refused: %v", e)
	}
	for name, tc := range map[string]struct {
		bucket  string
		expires time.Time
		fields  map[string]string
		size    int64
		want    string
	}{
		"key outside prefix": {"b", now.Add(time.Minute), map[string]string{"key": "uploads/u2/a.png", "Content-Type": "image/png"}, 100, "Policy Condition failed"},
		"wrong type":         {"b", now.Add(time.Minute), map[string]string{"key": "uploads/u1/a.png", "Content-Type": "text/html"}, 100, "Policy Condition failed"},
		"other bucket":       {"c", now.Add(time.Minute), ok, 100, "Policy Condition failed"},
		"expired":            {"b", now.Add(-time.Second), ok, 100, "Policy expired"},
		"too large":          {"b", now.Add(time.Minute), ok, 101, "EntityTooLarge"},
		"unlisted field":     {"b", now.Add(time.Minute), map[string]string{"key": "uploads/u1/a.png", "Content-Type": "image/png", "x-amz-meta-x": "1"}, 100, "Extra input fields: x-amz-meta-x"},
		"ignored field ok":   {"b", now.Add(time.Minute), map[string]string{"key": "uploads/u1/a.png", "Content-Type": "image/png", "x-ignore-me": "1"}, 100, ""},
	} {
		f := signedForm(t, sig, now, tc.expires, conds, tc.fields)
		f.fileSize = tc.size
		e := sig.verifyPost(tc.bucket, f)
		switch {
		case tc.want == "" && e != nil:
			t.Errorf("%s: refused: %v", name, e)
		case tc.want != "" && (e == nil || !strings.Contains(e.Error(), tc.want)):
			t.Errorf("%s: got %v, want %q", name, e, tc.want)
		}
	}
	// A policy signed with another secret is refused.
	f := signedForm(t, sig, now, now.Add(time.Minute), conds, ok)
	f.fields["x-amz-signature"] = strings.Repeat("ab", 32)
	if e := sig.verifyPost("b", f); e == nil || e.Code != "SignatureDoesNotMatch" {
		t.Errorf("bad signature: %v", e)
	}
	// No policy at all: an anonymous write to a private bucket.
	delete(f.fields, "policy")
	if e := sig.verifyPost("b", f); e == nil || e.Code != "AccessDenied" {
		t.Errorf("no policy: %v", e)
	}
}
