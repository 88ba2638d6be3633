// Package app wires configuration, stores and domain services into the handlers that the
// Lambdas in functions/ and the local stack both run.
package app

import (
	"context"

	"github.com/aws/aws-lambda-go/events"

	"woodshed/shared/config"
	"woodshed/shared/httpapi"
)

// App holds the built services.
type App struct {
	cfg config.Config
}

// New builds the app from its config.
func New(ctx context.Context, cfg config.Config) (*App, error) {
	return &App{cfg: cfg}, nil
}

// HTTPHandlers maps each function name of routes.Table to its handler.
func (a *App) HTTPHandlers() map[string]httpapi.Handler {
	return map[string]httpapi.Handler{
		"health": func(ctx context.Context, req events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
			return events.APIGatewayV2HTTPResponse{StatusCode: 200, Headers: map[string]string{"Content-Type": "application/json"}, Body: `{"status":"ok"}`}, nil
		},
	}
}

// S3Handlers maps each S3-triggered function name of routes.EventFunctions to its handler.
func (a *App) S3Handlers() map[string]func(context.Context, events.S3Event) error {
	return map[string]func(context.Context, events.S3Event) error{}
}
