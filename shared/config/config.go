// Package config reads the service's settings from environment variables, once, at start.
package config

import (
	"fmt"
	"os"
)

// Config holds every setting a function may need. Endpoints are empty on AWS and point at the
// local stand-ins on the local stack.
type Config struct {
	Region           string // AWS_REGION
	TableName        string // TABLE_NAME
	RecordingsBucket string // RECORDINGS_BUCKET
	ImagesBucket     string // IMAGES_BUCKET
	ImagesBaseURL    string // IMAGES_BASE_URL: public URL prefix of the images bucket
	UserPoolID       string // USER_POOL_ID
	ClientID         string // USER_POOL_CLIENT_ID

	// Local stand-ins only.
	DynamoDBEndpoint string // DYNAMODB_ENDPOINT
	S3Endpoint       string // S3_ENDPOINT
	CognitoEndpoint  string // COGNITO_ENDPOINT
}

// Local reports whether the config points at local stand-ins rather than AWS.
func (c Config) Local() bool {
	return c.DynamoDBEndpoint != "" || c.S3Endpoint != "" || c.CognitoEndpoint != ""
}

// FromEnv reads the config; it fails on missing required settings so a misconfigured function dies at start.
func FromEnv() (Config, error) {
	c := Config{
		Region:           getenv("AWS_REGION", "ap-northeast-2"),
		TableName:        os.Getenv("TABLE_NAME"),
		RecordingsBucket: os.Getenv("RECORDINGS_BUCKET"),
		ImagesBucket:     os.Getenv("IMAGES_BUCKET"),
		ImagesBaseURL:    os.Getenv("IMAGES_BASE_URL"),
		UserPoolID:       os.Getenv("USER_POOL_ID"),
		ClientID:         os.Getenv("USER_POOL_CLIENT_ID"),
		DynamoDBEndpoint: os.Getenv("DYNAMODB_ENDPOINT"),
		S3Endpoint:       os.Getenv("S3_ENDPOINT"),
		CognitoEndpoint:  os.Getenv("COGNITO_ENDPOINT"),
	}
	if c.TableName == "" {
		return c, fmt.Errorf("config: TABLE_NAME is required")
	}
	return c, nil
}

func getenv(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}
