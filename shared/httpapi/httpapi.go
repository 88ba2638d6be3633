// Package httpapi holds the HTTP conventions every API handler follows: JSON in and out,
// the error body of the API, request ids, logging and panic recovery.
package httpapi

import (
	"context"

	"github.com/aws/aws-lambda-go/events"
)

// Handler is what every HTTP Lambda runs and what the local router calls.
type Handler func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error)
