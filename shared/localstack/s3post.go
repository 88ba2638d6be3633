package localstack

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"time"
)

// maxPostBody caps a browser form upload held in memory for checking; the service's uploads
// are at most 25 MB.
const maxPostBody = 64 << 20

// postForm is a parsed browser upload: fields before the file, and the file's size.
type postForm struct {
	fields   map[string]string // lower-cased names
	order    []string
	fileSize int64
	hasFile  bool
}

func parsePostForm(body []byte, contentType string) (*postForm, *s3Error) {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, &s3Error{http.StatusPreconditionFailed, "PreconditionFailed", "POST requires multipart/form-data"}
	}
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	f := &postForm{fields: map[string]string{}}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, &s3Error{http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data."}
		}
		name := strings.ToLower(p.FormName())
		if name == "file" {
			n, err := io.Copy(io.Discard, p)
			if err != nil {
				return nil, &s3Error{http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data."}
			}
			f.fileSize, f.hasFile = n, true
			break // S3 ignores everything after the file
		}
		v, err := io.ReadAll(io.LimitReader(p, 64<<10))
		if err != nil {
			return nil, &s3Error{http.StatusBadRequest, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data."}
		}
		if _, dup := f.fields[name]; !dup {
			f.order = append(f.order, name)
		}
		f.fields[name] = string(v)
	}
	if !f.hasFile {
		return nil, &s3Error{http.StatusBadRequest, "InvalidArgument", "POST requires exactly one file upload per request."}
	}
	return f, nil
}

// verifyPost checks a browser form upload as S3 does: the policy's signature, its expiry,
// every condition, and that no form field goes unmentioned by the policy.
func (v sigV4) verifyPost(bucket string, f *postForm) *s3Error {
	policyB64 := f.fields["policy"]
	if policyB64 == "" {
		// An unsigned POST is an anonymous write: the buckets are private.
		return denied("AccessDenied", "Access Denied")
	}
	if f.fields["x-amz-algorithm"] != "AWS4-HMAC-SHA256" {
		return &s3Error{http.StatusBadRequest, "InvalidArgument", "x-amz-algorithm must be AWS4-HMAC-SHA256"}
	}
	cred, e := v.parseCredential(f.fields["x-amz-credential"])
	if e != nil {
		return e
	}
	if !strings.HasPrefix(f.fields["x-amz-date"], cred.date) {
		return &s3Error{http.StatusBadRequest, "InvalidArgument", "x-amz-date does not match the credential date"}
	}
	want := hex.EncodeToString(hmacSHA256(v.signingKey(cred), policyB64))
	if want != strings.ToLower(f.fields["x-amz-signature"]) {
		return denied("SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
	}

	raw, err := base64.StdEncoding.DecodeString(policyB64)
	if err != nil {
		return &s3Error{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid 'Base64' encoding."}
	}
	var pol struct {
		Expiration string            `json:"expiration"`
		Conditions []json.RawMessage `json:"conditions"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&pol); err != nil {
		return &s3Error{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid JSON."}
	}
	exp, err := parsePolicyTime(pol.Expiration)
	if err != nil {
		return &s3Error{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid 'expiration' value."}
	}
	if v.now().After(exp) {
		return denied("AccessDenied", "Invalid according to Policy: Policy expired.")
	}

	value := func(field string) string {
		if field == "bucket" {
			return bucket
		}
		return f.fields[field]
	}
	covered := map[string]bool{}
	for _, c := range pol.Conditions {
		if e := checkCondition(c, value, f.fileSize, covered); e != nil {
			return e
		}
	}
	for _, name := range f.order {
		if name == "policy" || name == "x-amz-signature" || name == "file" || strings.HasPrefix(name, "x-ignore-") {
			continue
		}
		if !covered[name] {
			return denied("AccessDenied", "Invalid according to Policy: Extra input fields: %s", name)
		}
	}
	return nil
}

func parsePolicyTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.000Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad time %q", s)
}

func checkCondition(raw json.RawMessage, value func(string) string, size int64, covered map[string]bool) *s3Error {
	failed := func() *s3Error {
		return denied("AccessDenied", "Invalid according to Policy: Policy Condition failed: %s", string(raw))
	}
	var exact map[string]string
	if json.Unmarshal(raw, &exact) == nil {
		for k, want := range exact {
			k = strings.ToLower(k)
			covered[k] = true
			if value(k) != want {
				return failed()
			}
		}
		return nil
	}
	var list []any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if d.Decode(&list) != nil || len(list) != 3 {
		return &s3Error{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid Condition: " + string(raw)}
	}
	op, _ := list[0].(string)
	switch strings.ToLower(op) {
	case "content-length-range":
		lo, err1 := list[1].(json.Number).Int64()
		hi, err2 := list[2].(json.Number).Int64()
		if err1 != nil || err2 != nil {
			return &s3Error{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid content-length-range: " + string(raw)}
		}
		if size < lo {
			return &s3Error{http.StatusBadRequest, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"}
		}
		if size > hi {
			return &s3Error{http.StatusBadRequest, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"}
		}
		return nil
	case "eq", "starts-with":
		field, _ := list[1].(string)
		arg, _ := list[2].(string)
		name, ok := strings.CutPrefix(field, "$")
		if !ok {
			return &s3Error{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid Condition: " + string(raw)}
		}
		name = strings.ToLower(name)
		covered[name] = true
		got := value(name)
		if op == "eq" && got != arg || op == "starts-with" && !strings.HasPrefix(got, arg) {
			return failed()
		}
		return nil
	}
	return &s3Error{http.StatusBadRequest, "InvalidPolicyDocument", "Invalid Policy: Invalid Condition: " + string(raw)}
}
