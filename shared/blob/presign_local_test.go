package blob_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"woodshed/shared/blob"
	"woodshed/shared/localstack"
)

func TestMain(m *testing.M) { localstack.Main(m) }

// The adapter's SDK calls pass the local S3's signature checks and store the bytes as sent.
// (Over plain HTTP the SDK needs a seekable body for PutObject: it hashes the payload for the
// signature and refuses an unseekable stream without TLS.)
func TestStoreRoundTripOnLocalS3(t *testing.T) {
	st := localstack.Shared(t)
	cfg := st.Config()
	ctx := context.Background()
	s, err := blob.New(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	data := bytes.Repeat([]byte("woodshed "), 20000)
	sizes := map[string]int{"small": 10, "large": len(data)}
	for name, body := range map[string]io.Reader{"small": bytes.NewReader(data[:10]), "large": bytes.NewReader(data)} {
		key := "images/test/" + name + ".bin"
		want := data[:sizes[name]]
		if err := s.Put(ctx, cfg.ImagesBucket, key, "application/octet-stream", body, int64(len(want))); err != nil {
			t.Fatalf("%s put: %v", name, err)
		}
		obj, err := s.Open(ctx, cfg.ImagesBucket, key)
		if err != nil {
			t.Fatalf("%s open: %v", name, err)
		}
		got, _ := io.ReadAll(obj.Body)
		obj.Body.Close()
		if !bytes.Equal(got, want) || obj.Size != int64(len(want)) || obj.ContentType != "application/octet-stream" {
			t.Errorf("%s: read back %d bytes (size %d, type %q), want %d", name, len(got), obj.Size, obj.ContentType, len(want))
		}
		if err := s.Delete(ctx, cfg.ImagesBucket, key); err != nil {
			t.Fatalf("%s delete: %v", name, err)
		}
		if _, err := s.Open(ctx, cfg.ImagesBucket, key); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("%s after delete: %v", name, err)
		}
	}
}

func TestPresignPutFromBrowserLikeClient(t *testing.T) {
	st := localstack.Shared(t)
	cfg := st.Config()
	ctx := context.Background()
	p, err := blob.NewPresigner(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.PresignPut(ctx, cfg.RecordingsBucket, "k", "audio/wav", 0, time.Minute); err == nil {
		t.Error("size 0 accepted")
	}
	if _, err := p.PresignPost(ctx, cfg.RecordingsBucket, "k", "", 10, time.Minute); err == nil {
		t.Error("empty content type accepted")
	}
	if _, err := p.PresignPut(ctx, cfg.RecordingsBucket, "k", "audio/wav", 10, 8*24*time.Hour); err == nil {
		t.Error("ttl over 7 days accepted")
	}
	up, err := p.PresignPut(ctx, cfg.RecordingsBucket, "recordings/u/s/0.wav", "audio/wav", 4, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if up.ExpiresAt.Before(time.Now()) || up.ExpiresAt.After(time.Now().Add(2*time.Minute)) {
		t.Errorf("expires_at %v", up.ExpiresAt)
	}
	req, _ := http.NewRequest(up.Method, up.URL, strings.NewReader("RIFF"))
	for k, v := range up.Headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("upload with the given headers: %d", resp.StatusCode)
	}
}

// A multipart upload made with the SDK is announced once, on completion.
func TestMultipartUploadEvent(t *testing.T) {
	st := localstack.Shared(t)
	if st.Remote() {
		t.Skip("an attached stack delivers events to its own process")
	}
	cfg := st.Config()
	ctx := context.Background()
	got := make(chan events.S3EventRecord, 8)
	st.OnObjectCreated(func(ctx context.Context, ev events.S3Event) error {
		for _, r := range ev.Records {
			got <- r
		}
		return nil
	})
	c := s3.New(s3.Options{Region: cfg.Region, Credentials: credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String(cfg.S3Endpoint), UsePathStyle: true})
	key := "recordings/u/s/multi.wav"
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: &cfg.RecordingsBucket, Key: &key})
	if err != nil {
		t.Fatal(err)
	}
	part1 := bytes.Repeat([]byte{1}, 5<<20)
	part2 := []byte("tail")
	var parts []types.CompletedPart
	for i, b := range [][]byte{part1, part2} {
		n := int32(i + 1)
		out, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: &cfg.RecordingsBucket, Key: &key, UploadId: up.UploadId,
			PartNumber: &n, Body: bytes.NewReader(b)})
		if err != nil {
			t.Fatal(err)
		}
		parts = append(parts, types.CompletedPart{ETag: out.ETag, PartNumber: &n})
	}
	select {
	case r := <-got:
		t.Fatalf("event before completion: %+v", r)
	case <-time.After(200 * time.Millisecond):
	}
	if _, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: &cfg.RecordingsBucket, Key: &key,
		UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: parts}}); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-got:
		if r.EventName != "ObjectCreated:CompleteMultipartUpload" || r.S3.Object.Key != key || r.S3.Object.Size != int64(len(part1)+len(part2)) {
			t.Errorf("event %+v", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event for the completed upload")
	}
}
