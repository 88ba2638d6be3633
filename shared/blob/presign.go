package blob

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"woodshed/shared/config"
)

// Upload is a presigned upload as the API hands it to the browser: a PUT with headers the
// client must send unchanged, or a multipart POST with form fields to send before the file.
type Upload struct {
	Method    string            `json:"method"` // "PUT" or "POST"
	URL       string            `json:"url"`
	Headers   map[string]string `json:"headers,omitempty"` // PUT: every signed header
	Fields    map[string]string `json:"fields,omitempty"`  // POST: form fields, the file goes last as "file"
	ExpiresAt time.Time         `json:"expires_at"`
}

// Presigner signs uploads for one account or local stack. Build it once per process.
type Presigner struct {
	c   *s3.PresignClient
	now func() time.Time
}

// NewPresigner builds a presigner from cfg: the default credential chain on AWS, the fixed local
// credentials and path-style URLs against the local S3.
func NewPresigner(ctx context.Context, cfg config.Config) (*Presigner, error) {
	c, err := newClient(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("blob: %w", err)
	}
	return &Presigner{c: s3.NewPresignClient(c), now: time.Now}, nil
}

// PresignPut signs a PUT of exactly size bytes of contentType to bucket/key, valid for ttl.
// S3 refuses the upload if the browser sends another Content-Type or length.
func (p *Presigner) PresignPut(ctx context.Context, bucket, key, contentType string, size int64, ttl time.Duration) (Upload, error) {
	if err := checkUpload(bucket, key, contentType, size, ttl); err != nil {
		return Upload{}, err
	}
	now := p.now()
	req, err := p.c.PresignPutObject(ctx, &s3.PutObjectInput{
		Bucket:        aws.String(bucket),
		Key:           aws.String(key),
		ContentType:   aws.String(contentType),
		ContentLength: aws.Int64(size),
	}, s3.WithPresignExpires(ttl))
	if err != nil {
		return Upload{}, fmt.Errorf("blob: presign put %s/%s: %w", bucket, key, err)
	}
	headers := map[string]string{}
	for k, vs := range req.SignedHeader {
		// The browser sets Host and Content-Length itself and refuses scripts that try.
		if k == "Host" || k == "Content-Length" || len(vs) == 0 {
			continue
		}
		headers[k] = vs[0]
	}
	return Upload{Method: req.Method, URL: req.URL, Headers: headers, ExpiresAt: now.Add(ttl).UTC().Truncate(time.Second)}, nil
}

// PresignPost signs a browser form POST of one file of contentType to bucket/key, at most
// maxSize bytes, valid for ttl. The policy pins the key, the Content-Type and the size range.
func (p *Presigner) PresignPost(ctx context.Context, bucket, key, contentType string, maxSize int64, ttl time.Duration) (Upload, error) {
	if err := checkUpload(bucket, key, contentType, maxSize, ttl); err != nil {
		return Upload{}, err
	}
	now := p.now()
	req, err := p.c.PresignPostObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)},
		func(o *s3.PresignPostOptions) {
			o.Expires = ttl
			o.Conditions = []any{
				map[string]string{"Content-Type": contentType},
				[]any{"content-length-range", 1, maxSize},
			}
		})
	if err != nil {
		return Upload{}, fmt.Errorf("blob: presign post %s/%s: %w", bucket, key, err)
	}
	fields := map[string]string{"Content-Type": contentType}
	for k, v := range req.Values {
		fields[k] = v
	}
	return Upload{Method: "POST", URL: req.URL, Fields: fields, ExpiresAt: now.Add(ttl).UTC().Truncate(time.Second)}, nil
}

// PresignPut is NewPresigner(ctx, cfg).PresignPut for one-off callers such as tests.
func PresignPut(ctx context.Context, cfg config.Config, bucket, key, contentType string, size int64, ttl time.Duration) (Upload, error) {
	p, err := NewPresigner(ctx, cfg)
	if err != nil {
		return Upload{}, err
	}
	return p.PresignPut(ctx, bucket, key, contentType, size, ttl)
}

// PresignPost is NewPresigner(ctx, cfg).PresignPost for one-off callers such as tests.
func PresignPost(ctx context.Context, cfg config.Config, bucket, key, contentType string, maxSize int64, ttl time.Duration) (Upload, error) {
	p, err := NewPresigner(ctx, cfg)
	if err != nil {
		return Upload{}, err
	}
	return p.PresignPost(ctx, bucket, key, contentType, maxSize, ttl)
}

func checkUpload(bucket, key, contentType string, size int64, ttl time.Duration) error {
	switch {
	case bucket == "" || key == "":
		return errors.New("blob: bucket and key are required")
	case contentType == "":
		return errors.New("blob: content type is required")
	case size <= 0:
		return fmt.Errorf("blob: size %d must be positive", size)
	case ttl <= 0 || ttl > 7*24*time.Hour:
		return fmt.Errorf("blob: ttl %s must be between 1s and 7 days", ttl)
	}
	return nil
}
