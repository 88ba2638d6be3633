// Package blob is the one adapter to S3: presigned uploads, streaming reads and deletes of the
// recordings and images buckets.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"

	"woodshed/shared/awscfg"
	"woodshed/shared/config"
)

// ErrNotFound: the object does not exist (already deleted, or never uploaded).
var ErrNotFound = errors.New("object not found")

// Store reads and deletes objects.
type Store struct {
	api *s3.Client
}

// New builds the adapter from config.
func New(ctx context.Context, cfg config.Config) (*Store, error) {
	api, err := newClient(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return &Store{api: api}, nil
}

func newClient(ctx context.Context, cfg config.Config) (*s3.Client, error) {
	awsCfg, err := awscfg.Load(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return s3.NewFromConfig(awsCfg, func(o *s3.Options) {
		if cfg.S3Endpoint != "" {
			o.BaseEndpoint = aws.String(cfg.S3Endpoint)
			o.UsePathStyle = true
			o.DisableLogOutputChecksumValidationSkipped = true
		}
	}), nil
}

// Object is an open object: read Body to the end and close it.
type Object struct {
	Body         io.ReadCloser
	Size         int64
	ContentType  string
	LastModified time.Time
}

// Open streams an object.
func (s *Store) Open(ctx context.Context, bucket, key string) (Object, error) {
	out, err := s.api.GetObject(ctx, &s3.GetObjectInput{Bucket: &bucket, Key: &key})
	if err != nil {
		return Object{}, wrap("get "+key, err)
	}
	return Object{Body: out.Body, Size: aws.ToInt64(out.ContentLength), ContentType: aws.ToString(out.ContentType),
		LastModified: aws.ToTime(out.LastModified)}, nil
}

// Delete removes an object; deleting a missing object succeeds, as in S3.
func (s *Store) Delete(ctx context.Context, bucket, key string) error {
	_, err := s.api.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: &bucket, Key: &key})
	return wrap("delete "+key, err)
}

// Put writes a small object (re-encoded images).
func (s *Store) Put(ctx context.Context, bucket, key, contentType string, body io.Reader, size int64) error {
	_, err := s.api.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: &key, Body: body,
		ContentType: &contentType, ContentLength: &size, CacheControl: aws.String("public, max-age=31536000, immutable")})
	return wrap("put "+key, err)
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var nsk *types.NoSuchKey
	var apiErr smithy.APIError
	if errors.As(err, &nsk) || errors.As(err, &apiErr) && (apiErr.ErrorCode() == "NotFound" || apiErr.ErrorCode() == "NoSuchKey") {
		return fmt.Errorf("%s: %w", op, ErrNotFound)
	}
	return fmt.Errorf("%s: %w", op, err)
}
