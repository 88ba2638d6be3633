package localstack

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"woodshed/shared/blob"
	"woodshed/shared/jwtauth"
	"woodshed/shared/store"
)

func TestMain(m *testing.M) { Main(m) }

// awsJSON calls a JSON-protocol AWS API (DynamoDB, Cognito) over plain HTTP, so these tests
// check the stand-ins without importing the SDKs their adapter packages own.
func awsJSON(t *testing.T, endpoint, target string, in any, out any) int {
	t.Helper()
	b, _ := json.Marshal(in)
	req, _ := http.NewRequest("POST", endpoint+"/", bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if strings.HasPrefix(target, "AWSCognito") {
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	}
	req.Header.Set("X-Amz-Target", target)
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=local/20260101/ap-northeast-2/dynamodb/aws4_request, SignedHeaders=host, Signature=00")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			t.Fatalf("%s: %s: %v", target, body, err)
		}
	}
	return resp.StatusCode
}

func TestTableBootstrap(t *testing.T) {
	st := Shared(t)
	t.Logf("stack start-up: %s", st.TimingsString())
	cfg := st.Config()
	var desc struct {
		Table struct {
			KeySchema              []struct{ AttributeName, KeyType string }
			BillingModeSummary     struct{ BillingMode string }
			GlobalSecondaryIndexes []struct {
				IndexName  string
				KeySchema  []struct{ AttributeName, KeyType string }
				Projection struct{ ProjectionType string }
			}
		}
	}
	if code := awsJSON(t, cfg.DynamoDBEndpoint, "DynamoDB_20120810.DescribeTable", map[string]string{"TableName": cfg.TableName}, &desc); code != 200 {
		t.Fatalf("DescribeTable %d", code)
	}
	tb := desc.Table
	if len(tb.KeySchema) != 2 || tb.KeySchema[0].AttributeName != "PK" || tb.KeySchema[1].AttributeName != "SK" {
		t.Errorf("key schema %+v", tb.KeySchema)
	}
	if tb.BillingModeSummary.BillingMode != "PAY_PER_REQUEST" {
		t.Errorf("billing %+v", tb.BillingModeSummary)
	}
	gsis := map[string]string{}
	for _, g := range tb.GlobalSecondaryIndexes {
		gsis[g.IndexName] = g.KeySchema[0].AttributeName + "/" + g.KeySchema[1].AttributeName + "/" + g.Projection.ProjectionType
	}
	if gsis["GSI1"] != "GSI1PK/GSI1SK/ALL" || gsis["GSI2"] != "GSI2PK/GSI2SK/ALL" {
		t.Errorf("GSIs %v", gsis)
	}
	var ttl struct {
		TimeToLiveDescription struct{ AttributeName, TimeToLiveStatus string }
	}
	awsJSON(t, cfg.DynamoDBEndpoint, "DynamoDB_20120810.DescribeTimeToLive", map[string]string{"TableName": cfg.TableName}, &ttl)
	if ttl.TimeToLiveDescription.AttributeName != "ttl" || ttl.TimeToLiveDescription.TimeToLiveStatus != "ENABLED" {
		t.Errorf("ttl %+v", ttl)
	}
	// Idempotent: a second bootstrap of the same table changes nothing and does not fail.
	if err := store.EnsureTable(context.Background(), cfg); err != nil {
		t.Errorf("EnsureTable again: %v", err)
	}
}

func TestPoolSignUpCodeAndTokens(t *testing.T) {
	st := Shared(t)
	cfg := st.Config()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	target := func(op string) string { return "AWSCognitoIdentityProviderService." + op }

	var pool struct {
		UserPool struct {
			UsernameAttributes, AutoVerifiedAttributes []string
		}
	}
	awsJSON(t, cfg.CognitoEndpoint, target("DescribeUserPool"), map[string]string{"UserPoolId": cfg.UserPoolID}, &pool)
	if fmt.Sprint(pool.UserPool.UsernameAttributes) != "[email]" || fmt.Sprint(pool.UserPool.AutoVerifiedAttributes) != "[email]" {
		t.Errorf("pool %+v", pool)
	}

	email := "player-" + randomSuffix() + "@example.com"
	start := time.Now()
	if code := awsJSON(t, cfg.CognitoEndpoint, target("SignUp"), map[string]any{
		"ClientId": cfg.ClientID, "Username": email, "Password": "Practice123",
		"UserAttributes": []map[string]string{{"Name": "email", "Value": email}},
	}, nil); code != 200 {
		t.Fatalf("SignUp %d", code)
	}
	msg, err := st.Outbox().Wait(ctx, email, start)
	if err != nil {
		t.Fatal(err)
	}
	if len(msg.Code) != 6 || msg.Subject != "Your Woodshed confirmation code" || msg.SentAt.Before(start.Add(-time.Second)) {
		t.Errorf("message %+v", msg)
	}
	if got := st.Outbox().Messages(); !st.Remote() && (len(got) == 0 || got[0].To != email) {
		t.Errorf("newest first: %+v", got)
	}
	// cognito-local lacks ResendConfirmationCode; the stack's front serves it: a new code
	// replaces the first one.
	start = time.Now()
	if code := awsJSON(t, cfg.CognitoEndpoint, target("ResendConfirmationCode"), map[string]string{"ClientId": cfg.ClientID, "Username": email}, nil); code != 200 {
		t.Fatalf("ResendConfirmationCode %d", code)
	}
	resent, err := st.Outbox().Wait(ctx, email, start)
	if err != nil || resent.Subject != "Your Woodshed confirmation code" {
		t.Fatalf("resent message %+v %v", resent, err)
	}
	var failure struct {
		Type string `json:"__type"`
	}
	if resent.Code != msg.Code {
		if code := awsJSON(t, cfg.CognitoEndpoint, target("ConfirmSignUp"), map[string]string{
			"ClientId": cfg.ClientID, "Username": email, "ConfirmationCode": msg.Code,
		}, &failure); code != 400 || failure.Type != "CodeMismatchException" {
			t.Errorf("the replaced code still confirms: %d %+v", code, failure)
		}
	}
	// The parsed code is the one cognito-local checks.
	if code := awsJSON(t, cfg.CognitoEndpoint, target("ConfirmSignUp"), map[string]string{
		"ClientId": cfg.ClientID, "Username": email, "ConfirmationCode": resent.Code,
	}, nil); code != 200 {
		t.Fatalf("ConfirmSignUp with the outbox code: %d", code)
	}
	if code := awsJSON(t, cfg.CognitoEndpoint, target("ResendConfirmationCode"), map[string]string{"ClientId": cfg.ClientID, "Username": email}, &failure); code != 400 || failure.Type != "InvalidParameterException" {
		t.Errorf("resend to a confirmed user: %d %+v", code, failure)
	}
	if code := awsJSON(t, cfg.CognitoEndpoint, target("ResendConfirmationCode"), map[string]string{"ClientId": cfg.ClientID, "Username": "nobody@example.com"}, &failure); code != 400 || failure.Type != "UserNotFoundException" {
		t.Errorf("resend to nobody: %d %+v", code, failure)
	}
	var auth struct {
		AuthenticationResult struct{ AccessToken, IdToken string }
	}
	awsJSON(t, cfg.CognitoEndpoint, target("InitiateAuth"), map[string]any{
		"ClientId": cfg.ClientID, "AuthFlow": "USER_PASSWORD_AUTH",
		"AuthParameters": map[string]string{"USERNAME": email, "PASSWORD": "Practice123"},
	}, &auth)
	v, err := jwtauth.New(jwtauth.Config{Issuer: st.Issuer(), JWKSURL: st.JWKSURL(), ClientID: cfg.ClientID})
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{"access": auth.AuthenticationResult.AccessToken, "id": auth.AuthenticationResult.IdToken} {
		c, err := v.Verify(ctx, tok)
		if err != nil {
			t.Fatalf("%s token from cognito-local refused: %v", name, err)
		}
		if c.TokenUse != name || c.Sub == "" {
			t.Errorf("%s claims %+v", name, c)
		}
	}

	// A password reset code arrives with its own subject.
	start = time.Now()
	awsJSON(t, cfg.CognitoEndpoint, target("ForgotPassword"), map[string]string{"ClientId": cfg.ClientID, "Username": email}, nil)
	msg, err = st.Outbox().Wait(ctx, email, start)
	if err != nil || msg.Subject != "Your Woodshed password reset code" {
		t.Fatalf("reset message %+v %v", msg, err)
	}
}

// An attached stack delivers its events to the process running it: ok is false there.
func waitEvent(t *testing.T, st *Stack, ch <-chan events.S3Event, key string) (rec events.S3EventRecord, ok bool) {
	t.Helper()
	if st.Remote() {
		t.Log("attached stack: ObjectCreated events are not checked")
		return rec, false
	}
	timeout := time.After(10 * time.Second)
	for {
		select {
		case ev := <-ch:
			for _, r := range ev.Records {
				if r.S3.Object.URLDecodedKey == key {
					return r, true
				}
			}
		case <-timeout:
			t.Fatalf("no ObjectCreated event for %s", key)
		}
	}
}

func subscribe(st *Stack) <-chan events.S3Event {
	ch := make(chan events.S3Event, 64)
	st.OnObjectCreated(func(ctx context.Context, ev events.S3Event) error {
		ch <- ev
		return nil
	})
	return ch
}

func s3Do(t *testing.T, method, u string, headers map[string]string, body []byte) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestPresignedPut(t *testing.T) {
	st := Shared(t)
	cfg := st.Config()
	ctx := context.Background()
	evs := subscribe(st)
	wav := bytes.Repeat([]byte("RIFF"), 1000)
	key := "recordings/u1/s1/" + randomSuffix() + " 0.wav"

	up, err := blob.PresignPut(ctx, cfg, cfg.RecordingsBucket, key, "audio/wav", int64(len(wav)), 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if up.Method != "PUT" || up.Headers["Content-Type"] != "audio/wav" {
		t.Fatalf("upload %+v", up)
	}

	// Tampered: wrong content type, wrong length, altered signature, altered key.
	if code, body := s3Do(t, "PUT", up.URL, map[string]string{"Content-Type": "audio/mpeg"}, wav); code != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("wrong content type: %d %s", code, body)
	}
	if code, body := s3Do(t, "PUT", up.URL, up.Headers, wav[:len(wav)-1]); code != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("wrong length: %d %s", code, body)
	}
	u, _ := url.Parse(up.URL)
	q := u.Query()
	sig := []byte(q.Get("X-Amz-Signature"))
	sig[0] ^= 1
	q.Set("X-Amz-Signature", string(sig))
	u.RawQuery = q.Encode()
	if code, body := s3Do(t, "PUT", u.String(), up.Headers, wav); code != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("tampered signature: %d %s", code, body)
	}
	other := strings.Replace(up.URL, "0.wav", "1.wav", 1)
	if code, body := s3Do(t, "PUT", other, up.Headers, wav); code != 403 || !strings.Contains(body, "SignatureDoesNotMatch") {
		t.Errorf("other key: %d %s", code, body)
	}

	// The real one is stored and announced.
	code, body := s3Do(t, "PUT", up.URL, up.Headers, wav)
	if code != 200 {
		t.Fatalf("presigned PUT refused: %d %s", code, body)
	}
	sum := md5.Sum(wav)
	if rec, ok := waitEvent(t, st, evs, key); ok && (rec.EventName != "ObjectCreated:Put" || rec.S3.Bucket.Name != cfg.RecordingsBucket || rec.S3.Object.Size != int64(len(wav)) ||
		rec.S3.Object.ETag != hex.EncodeToString(sum[:]) || rec.S3.Object.Key != strings.ReplaceAll(key, " ", "+") || rec.AWSRegion != cfg.Region) {
		t.Errorf("event %+v", rec)
	}

	// Header-signed GET (as the analyzer's SDK client does) reads it back; anonymous does not.
	if code, got := signedGet(t, cfg.Region, cfg.S3Endpoint+"/"+cfg.RecordingsBucket+"/"+escapeKey(key), time.Now()); code != 200 || got != string(wav) {
		t.Errorf("signed GET: %d (%d bytes)", code, len(got))
	}
	if code, body := s3Do(t, "GET", cfg.S3Endpoint+"/"+cfg.RecordingsBucket+"/"+escapeKey(key), nil, nil); code != 403 || !strings.Contains(body, "AccessDenied") {
		t.Errorf("anonymous GET of a private bucket: %d %s", code, body)
	}
	if code, body := s3Do(t, "PUT", cfg.S3Endpoint+"/"+cfg.RecordingsBucket+"/anon.wav", nil, wav); code != 403 {
		t.Errorf("anonymous PUT: %d %s", code, body)
	}
	if code, _ := signedGet(t, cfg.Region, cfg.S3Endpoint+"/"+cfg.RecordingsBucket+"/"+escapeKey(key), time.Now().Add(-time.Hour)); code != 403 {
		t.Errorf("skewed header-signed GET: %d", code)
	}
}

func escapeKey(k string) string { return strings.ReplaceAll(url.PathEscape(k), "%2F", "/") }

// signedGet signs a GET with the SDK's own SigV4 signer at the given time.
func signedGet(t *testing.T, region, u string, at time.Time) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	empty := sha256.Sum256(nil)
	req.Header.Set("X-Amz-Content-Sha256", hex.EncodeToString(empty[:]))
	err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).SignHTTP(context.Background(),
		aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}, req, hex.EncodeToString(empty[:]), "s3", region, at)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestExpiredPresignedURL(t *testing.T) {
	st := Shared(t)
	cfg := st.Config()
	// A URL signed two hours ago for one minute, with the SDK's presigner.
	u := cfg.S3Endpoint + "/" + cfg.RecordingsBucket + "/recordings/old.wav?X-Amz-Expires=60"
	req, _ := http.NewRequest("PUT", u, nil)
	req.Header.Set("Content-Type", "audio/wav")
	signed, hdr, err := v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).PresignHTTP(context.Background(),
		aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}, req, "UNSIGNED-PAYLOAD", "s3", cfg.Region, time.Now().Add(-2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	code, body := s3Do(t, "PUT", signed, map[string]string{"Content-Type": hdr.Get("Content-Type")}, []byte("x"))
	if code != 403 || !strings.Contains(body, "Request has expired") {
		t.Errorf("expired URL: %d %s", code, body)
	}
	// The same signer, now: accepted. So the refusal above was the expiry, not the signing.
	signed, hdr, _ = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }).PresignHTTP(context.Background(),
		aws.Credentials{AccessKeyID: "local", SecretAccessKey: "local"}, req, "UNSIGNED-PAYLOAD", "s3", cfg.Region, time.Now())
	if code, body := s3Do(t, "PUT", signed, map[string]string{"Content-Type": hdr.Get("Content-Type")}, []byte("x")); code != 200 {
		t.Errorf("fresh URL: %d %s", code, body)
	}
	// Wrong credentials are refused before anything else.
	bad := strings.Replace(signed, "local%2F", "other%2F", 1)
	if code, body := s3Do(t, "PUT", bad, map[string]string{"Content-Type": "audio/wav"}, []byte("x")); code != 403 || !strings.Contains(body, "InvalidAccessKeyId") {
		t.Errorf("foreign access key: %d %s", code, body)
	}
}

func sendPost(t *testing.T, up blob.Upload, override map[string]string, file []byte) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range up.Fields {
		if o, ok := override[k]; ok {
			v = o
		}
		_ = mw.WriteField(k, v)
	}
	for k, v := range override {
		if _, ok := up.Fields[k]; !ok {
			_ = mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("file", "photo.png")
	_, _ = fw.Write(file)
	_ = mw.Close()
	return s3Do(t, "POST", up.URL, map[string]string{"Content-Type": mw.FormDataContentType()}, buf.Bytes())
}

func TestPresignedPost(t *testing.T) {
	st := Shared(t)
	cfg := st.Config()
	ctx := context.Background()
	evs := subscribe(st)
	key := "uploads/u1/" + randomSuffix() + ".png"
	up, err := blob.PresignPost(ctx, cfg, cfg.ImagesBucket, key, "image/png", 1000, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	png := bytes.Repeat([]byte{0x89}, 500)
	for name, tc := range map[string]struct {
		override map[string]string
		file     []byte
		want     string
	}{
		"too large":     {nil, bytes.Repeat([]byte{1}, 1001), "EntityTooLarge"},
		"empty":         {nil, nil, "EntityTooSmall"},
		"content type":  {map[string]string{"Content-Type": "text/html"}, png, "Policy Condition failed"},
		"other key":     {map[string]string{"key": "uploads/u2/evil.png"}, png, "Policy Condition failed"},
		"extra field":   {map[string]string{"acl": "public-read"}, png, "Extra input fields: acl"},
		"bad signature": {map[string]string{"X-Amz-Signature": strings.Repeat("0", 64)}, png, "SignatureDoesNotMatch"},
	} {
		if code, body := sendPost(t, up, tc.override, tc.file); code < 400 || !strings.Contains(body, tc.want) {
			t.Errorf("%s: %d %s", name, code, body)
		}
	}
	if code, body := sendPost(t, up, nil, png); code >= 300 {
		t.Fatalf("presigned POST refused: %d %s", code, body)
	}
	if rec, ok := waitEvent(t, st, evs, key); ok && (rec.EventName != "ObjectCreated:Post" || rec.S3.Object.Size != 500 || rec.S3.Bucket.Name != cfg.ImagesBucket) {
		t.Errorf("event %+v", rec)
	}
	// The images bucket is readable anonymously, as through CloudFront.
	if code, body := s3Do(t, "GET", cfg.ImagesBaseURL+"/"+key, nil, nil); code != 200 || body != string(png) {
		t.Errorf("public GET: %d", code)
	}
}

func TestCORSPreflight(t *testing.T) {
	st := Shared(t)
	req, _ := http.NewRequest("OPTIONS", st.Config().S3Endpoint+"/"+st.Config().RecordingsBucket+"/x.wav", nil)
	req.Header.Set("Origin", "http://localhost:8080")
	req.Header.Set("Access-Control-Request-Method", "PUT")
	req.Header.Set("Access-Control-Request-Headers", "content-type")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Access-Control-Allow-Origin") == "" ||
		!strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "PUT") ||
		resp.Header.Get("Access-Control-Allow-Headers") != "content-type" {
		t.Errorf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
}
