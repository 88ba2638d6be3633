// Package awscfg builds the AWS SDK configuration shared by the storage, blob and identity
// adapters: the default chain on AWS, static credentials against the local stand-ins.
package awscfg

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	sdkconfig "github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"woodshed/shared/config"
)

// Load returns the SDK config for cfg. The local stand-ins accept any credentials, so the local
// stack uses fixed ones instead of whatever the developer's machine has.
func Load(ctx context.Context, cfg config.Config) (aws.Config, error) {
	opts := []func(*sdkconfig.LoadOptions) error{sdkconfig.WithRegion(cfg.Region)}
	if cfg.Local() {
		opts = append(opts, sdkconfig.WithCredentialsProvider(credentials.NewStaticCredentialsProvider("local", "local", "")))
	}
	c, err := sdkconfig.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("load aws config: %w", err)
	}
	return c, nil
}
