// Command app is the CDK app of Woodshed: it reads the stage's context and synthesizes its stack.
// Run it from the repository root (cdk.json does, and so does make synth) so asset and output
// paths are relative to the root.
package main

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"woodshed/infra/stack"
	"woodshed/shared/routes"
)

func main() {
	defer jsii.Close()
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "synth:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	ctx, err := stack.ContextArgs(args)
	if err != nil {
		return err
	}
	// The CLI passes cdk.json's context in CDK_CONTEXT_JSON; -c flags here are for make synth.
	app := awscdk.NewApp(&awscdk.AppProps{Context: &ctx})
	cfg, err := stack.ConfigFromContext(stack.ContextGetter(app.Node()))
	if err != nil {
		return err
	}
	if err := stack.CheckFunctionTree("functions", routes.Table, routes.EventFunctions); err != nil {
		return err
	}
	if _, err := stack.New(app, stack.Props{Config: cfg, Routes: routes.Table, EventFunctions: routes.EventFunctions, Env: stack.EnvFromContext(app.Node())}); err != nil {
		return err
	}
	app.Synth(nil)
	return nil
}
