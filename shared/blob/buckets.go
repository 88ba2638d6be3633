package blob

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"woodshed/shared/config"
)

// EnsureBuckets creates the recordings and images buckets on the local S3 (cfg.S3Endpoint).
// It is idempotent, so every start of the local stack calls it.
func EnsureBuckets(ctx context.Context, cfg config.Config) error {
	if cfg.S3Endpoint == "" {
		return errors.New("blob: EnsureBuckets is for the local stack only (S3_ENDPOINT is empty)")
	}
	c, err := newClient(ctx, cfg)
	if err != nil {
		return err
	}
	for _, b := range []string{cfg.RecordingsBucket, cfg.ImagesBucket} {
		if b == "" {
			continue
		}
		if _, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(b)}); err == nil {
			continue
		}
		_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(b)})
		var owned *types.BucketAlreadyOwnedByYou
		var exists *types.BucketAlreadyExists
		if err != nil && !errors.As(err, &owned) && !errors.As(err, &exists) {
			return fmt.Errorf("blob: create bucket %s: %w", b, err)
		}
	}
	return nil
}
