// Command app is the CDK app of Woodshed: it reads the stage's context and synthesizes its stack.
// Run it from the repository root (cdk.json does, and so does make synth) so build/, functions/
// and the output folder resolve from there.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"woodshed/infra/stack"
	"woodshed/shared/routes"
)

func main() {
	err := run(os.Args[1:])
	jsii.Close()
	if err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	ctx, err := loadContext(args)
	if err != nil {
		return err
	}
	props := &awscdk.AppProps{Context: &ctx}
	// The CLI and make synth set CDK_OUTDIR; run by hand the App would pick a temp folder.
	if os.Getenv("CDK_OUTDIR") == "" {
		props.Outdir = jsii.String("cdk.out")
	}
	app := awscdk.NewApp(props)
	cfg, err := stack.ConfigFromContext(stack.ContextGetter(app.Node()))
	if err != nil {
		return err
	}
	// Deploying a route without its function (or a function nobody routes to) is always a mistake.
	if err := stack.CheckFunctionTree("functions", routes.Table, routes.EventFunctions); err != nil {
		return err
	}
	_, err = stack.New(app, stack.Props{
		Config:         cfg,
		Routes:         routes.Table,
		EventFunctions: routes.EventFunctions,
		Env:            stack.EnvFromContext(app.Node()),
	})
	if err != nil {
		return err
	}
	app.Synth(nil)
	return nil
}

// loadContext is cdk.json's context overlaid with -c flags. The CDK CLI passes its own merged context
// in CDK_CONTEXT_JSON, which the App reads itself; cdk.json is read here only when the app runs
// without the CLI (make synth), so both paths synthesize the same template.
func loadContext(args []string) (map[string]any, error) {
	ctx := map[string]any{}
	if os.Getenv("CDK_CONTEXT_JSON") == "" {
		raw, err := os.ReadFile("cdk.json")
		switch {
		case errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("no cdk.json here: run the app from the repository root")
		case err != nil:
			return nil, err
		}
		var file struct {
			Context map[string]any `json:"context"`
		}
		if err := json.Unmarshal(raw, &file); err != nil {
			return nil, fmt.Errorf("cdk.json: %w", err)
		}
		for k, v := range file.Context {
			ctx[k] = v
		}
	}
	flags, err := stack.ContextArgs(args)
	if err != nil {
		return nil, err
	}
	for k, v := range flags {
		ctx[k] = v
	}
	return ctx, nil
}
