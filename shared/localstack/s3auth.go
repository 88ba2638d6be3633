package localstack

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// The local stack's only credentials; every SDK client of the stack signs with them.
const (
	localAccessKey = "local"
	localSecretKey = "local"
)

// s3Error is an S3 error response.
type s3Error struct {
	Status  int
	Code    string
	Message string
}

func (e *s3Error) Error() string { return e.Code + ": " + e.Message }

func denied(code, format string, args ...any) *s3Error {
	return &s3Error{Status: http.StatusForbidden, Code: code, Message: fmt.Sprintf(format, args...)}
}

// sigV4 verifies AWS Signature Version 4 the way S3 does, for one region and key pair.
type sigV4 struct {
	region string
	now    func() time.Time
}

// credential is the parsed "AKID/20260101/region/s3/aws4_request".
type credential struct {
	accessKey, date, region, service string
}

func (v sigV4) parseCredential(s string) (credential, *s3Error) {
	parts := strings.Split(s, "/")
	if len(parts) != 5 || parts[4] != "aws4_request" {
		return credential{}, &s3Error{http.StatusBadRequest, "AuthorizationQueryParametersError", "malformed credential " + strconv.Quote(s)}
	}
	c := credential{parts[0], parts[1], parts[2], parts[3]}
	if c.accessKey != localAccessKey {
		return c, denied("InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
	}
	if c.service != "s3" {
		return c, &s3Error{http.StatusBadRequest, "AuthorizationHeaderMalformed", "credential service must be s3, not " + c.service}
	}
	if c.region != v.region {
		return c, &s3Error{http.StatusBadRequest, "AuthorizationHeaderMalformed",
			fmt.Sprintf("the authorization header is malformed; the region '%s' is wrong; expecting '%s'", c.region, v.region)}
	}
	return c, nil
}

func (v sigV4) signingKey(c credential) []byte {
	k := hmacSHA256([]byte("AWS4"+localSecretKey), c.date)
	k = hmacSHA256(k, c.region)
	k = hmacSHA256(k, c.service)
	return hmacSHA256(k, "aws4_request")
}

func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// verifyPresigned checks a query-string-signed request: algorithm, credential, expiry and
// the signature over method, path, query and the signed headers as this request carries them.
// A browser that sends another Content-Type or length than was signed fails here, as on S3.
func (v sigV4) verifyPresigned(r *http.Request) *s3Error {
	q := r.URL.Query()
	if q.Get("X-Amz-Algorithm") != "AWS4-HMAC-SHA256" {
		return &s3Error{http.StatusBadRequest, "AuthorizationQueryParametersError", "X-Amz-Algorithm must be AWS4-HMAC-SHA256"}
	}
	for _, p := range []string{"X-Amz-Credential", "X-Amz-Date", "X-Amz-Expires", "X-Amz-SignedHeaders", "X-Amz-Signature"} {
		if q.Get(p) == "" {
			return &s3Error{http.StatusBadRequest, "AuthorizationQueryParametersError", "missing " + p}
		}
	}
	cred, e := v.parseCredential(q.Get("X-Amz-Credential"))
	if e != nil {
		return e
	}
	signedAt, err := time.Parse("20060102T150405Z", q.Get("X-Amz-Date"))
	if err != nil || !strings.HasPrefix(q.Get("X-Amz-Date"), cred.date) {
		return &s3Error{http.StatusBadRequest, "AuthorizationQueryParametersError", "X-Amz-Date is malformed or does not match the credential date"}
	}
	expires, err := strconv.Atoi(q.Get("X-Amz-Expires"))
	if err != nil || expires < 1 || expires > 604800 {
		return &s3Error{http.StatusBadRequest, "AuthorizationQueryParametersError", "X-Amz-Expires must be between 1 and 604800 seconds"}
	}
	now := v.now()
	if now.Before(signedAt.Add(-15 * time.Minute)) {
		return denied("AccessDenied", "Request is not valid yet")
	}
	if now.After(signedAt.Add(time.Duration(expires) * time.Second)) {
		return denied("AccessDenied", "Request has expired")
	}
	payload := q.Get("X-Amz-Content-Sha256")
	if payload == "" {
		payload = "UNSIGNED-PAYLOAD"
	}
	canon, e := canonicalRequest(r, q.Get("X-Amz-SignedHeaders"), payload, "X-Amz-Signature")
	if e != nil {
		return e
	}
	return v.compare(cred, q.Get("X-Amz-Date"), canon, q.Get("X-Amz-Signature"))
}

// verifyHeader checks an Authorization-header-signed request (what the SDK clients send).
// The payload hash is taken as declared in x-amz-content-sha256; the body itself is not hashed.
func (v sigV4) verifyHeader(r *http.Request) *s3Error {
	auth := r.Header.Get("Authorization")
	rest, ok := strings.CutPrefix(auth, "AWS4-HMAC-SHA256 ")
	if !ok {
		return &s3Error{http.StatusBadRequest, "InvalidArgument", "unsupported Authorization type; use AWS4-HMAC-SHA256"}
	}
	fields := map[string]string{}
	for _, p := range strings.Split(rest, ",") {
		k, val, _ := strings.Cut(strings.TrimSpace(p), "=")
		fields[k] = val
	}
	if fields["Credential"] == "" || fields["SignedHeaders"] == "" || fields["Signature"] == "" {
		return &s3Error{http.StatusBadRequest, "AuthorizationHeaderMalformed", "the authorization header is malformed"}
	}
	cred, e := v.parseCredential(fields["Credential"])
	if e != nil {
		return e
	}
	amzDate := r.Header.Get("X-Amz-Date")
	signedAt, err := time.Parse("20060102T150405Z", amzDate)
	if err != nil || !strings.HasPrefix(amzDate, cred.date) {
		return denied("AccessDenied", "X-Amz-Date is missing, malformed or does not match the credential date")
	}
	if d := v.now().Sub(signedAt); d > 15*time.Minute || d < -15*time.Minute {
		return denied("RequestTimeTooSkewed", "The difference between the request time and the current time is too large.")
	}
	payload := r.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		return &s3Error{http.StatusBadRequest, "InvalidRequest", "Missing required header for this request: x-amz-content-sha256"}
	}
	canon, e := canonicalRequest(r, fields["SignedHeaders"], payload, "")
	if e != nil {
		return e
	}
	return v.compare(cred, amzDate, canon, fields["Signature"])
}

func (v sigV4) compare(cred credential, amzDate, canon, got string) *s3Error {
	sum := sha256.Sum256([]byte(canon))
	toSign := strings.Join([]string{"AWS4-HMAC-SHA256", amzDate,
		strings.Join([]string{cred.date, cred.region, cred.service, "aws4_request"}, "/"),
		hex.EncodeToString(sum[:])}, "\n")
	want := hex.EncodeToString(hmacSHA256(v.signingKey(cred), toSign))
	if !hmac.Equal([]byte(want), []byte(strings.ToLower(got))) {
		return denied("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
	}
	return nil
}

// canonicalRequest is SigV4's canonical form of r. S3 signs the path as sent (no double
// encoding). skipQuery names the query parameter that carries the signature itself.
func canonicalRequest(r *http.Request, signedHeaders, payloadHash, skipQuery string) (string, *s3Error) {
	names := strings.Split(signedHeaders, ";")
	if !sort.StringsAreSorted(names) || !contains(names, "host") {
		return "", &s3Error{http.StatusBadRequest, "AuthorizationHeaderMalformed", "signed headers must be sorted and include host"}
	}
	var hdrs strings.Builder
	for _, n := range names {
		var vals []string
		switch n {
		case "host":
			vals = []string{r.Host}
		case "content-length":
			if vs := r.Header.Values("Content-Length"); len(vs) > 0 {
				vals = vs
			} else if r.ContentLength >= 0 {
				vals = []string{strconv.FormatInt(r.ContentLength, 10)}
			}
		default:
			vals = r.Header.Values(n)
		}
		if len(vals) == 0 {
			return "", denied("AccessDenied", "There were headers present in the request which were not signed, or signed headers are missing: %s", n)
		}
		clean := make([]string, len(vals))
		for i, v := range vals {
			clean[i] = strings.Join(strings.Fields(v), " ")
		}
		hdrs.WriteString(n + ":" + strings.Join(clean, ",") + "\n")
	}

	type kv struct{ k, v string }
	var params []kv
	for k, vs := range r.URL.Query() {
		if k == skipQuery {
			continue
		}
		for _, v := range vs {
			params = append(params, kv{encodeQuery(k), encodeQuery(v)})
		}
	}
	sort.Slice(params, func(i, j int) bool {
		if params[i].k != params[j].k {
			return params[i].k < params[j].k
		}
		return params[i].v < params[j].v
	})
	q := make([]string, len(params))
	for i, p := range params {
		q[i] = p.k + "=" + p.v
	}
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	return strings.Join([]string{r.Method, path, strings.Join(q, "&"), hdrs.String(), signedHeaders, payloadHash}, "\n"), nil
}

func encodeQuery(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
