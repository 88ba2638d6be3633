package stack

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// ContextArgs parses CLI-style "-c key=value" (or "--context key=value") arguments into context.
func ContextArgs(args []string) (map[string]any, error) {
	ctx := map[string]any{}
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a != "-c" && a != "--context" {
			return nil, fmt.Errorf("unknown argument %q: want -c key=value", a)
		}
		if i+1 >= len(args) {
			return nil, fmt.Errorf("%s needs key=value", a)
		}
		i++
		k, v, ok := strings.Cut(args[i], "=")
		if !ok || k == "" {
			return nil, fmt.Errorf("context %q: want key=value", args[i])
		}
		ctx[k] = v
	}
	return ctx, nil
}

// ContextGetter reads context values as strings (cdk.json may hold numbers or lists).
func ContextGetter(n constructs.Node) func(string) string {
	return func(k string) string {
		v := n.TryGetContext(jsii.String(k))
		switch t := v.(type) {
		case nil:
			return ""
		case string:
			return t
		case []any:
			parts := make([]string, 0, len(t))
			for _, p := range t {
				parts = append(parts, fmt.Sprint(p))
			}
			return strings.Join(parts, ",")
		default:
			return fmt.Sprint(t)
		}
	}
}

// EnvFromContext pins the stack to an account and region when both are given (-c account=… -c region=…);
// otherwise the stack stays environment-agnostic and synthesizes with no AWS account at all.
func EnvFromContext(n constructs.Node) *awscdk.Environment {
	get := ContextGetter(n)
	account, region := get("account"), get("region")
	if account == "" || region == "" {
		return nil
	}
	return &awscdk.Environment{Account: jsii.String(account), Region: jsii.String(region)}
}
