package stack

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2authorizers"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"
)

type apiRefs struct {
	api   awsapigatewayv2.HttpApi
	stage awsapigatewayv2.HttpStage
}

// accessLogFormat is one JSON line per request; requestId ties it to the Lambda's own log lines.
func accessLogFormat() string {
	f := map[string]string{
		"requestId":          "$context.requestId",
		"ip":                 "$context.identity.sourceIp",
		"requestTime":        "$context.requestTime",
		"method":             "$context.httpMethod",
		"path":               "$context.path",
		"routeKey":           "$context.routeKey",
		"status":             "$context.status",
		"protocol":           "$context.protocol",
		"responseLength":     "$context.responseLength",
		"latencyMs":          "$context.responseLatency",
		"integrationMs":      "$context.integrationLatency",
		"integrationError":   "$context.integrationErrorMessage",
		"authorizerError":    "$context.authorizer.error",
		"userId":             "$context.authorizer.claims.sub",
		"userAgent":          "$context.identity.userAgent",
		"integrationRequest": "$context.awsEndpointRequestId",
	}
	out, err := json.Marshal(f)
	if err != nil {
		panic(err) // a map of strings always marshals
	}
	return string(out)
}

func (b *builder) addAPI() {
	a := &b.api
	a.stage = awsapigatewayv2.NewHttpStage(b.stack, jsii.String("ApiStage"), &awsapigatewayv2.HttpStageProps{
		HttpApi:    a.api,
		StageName:  jsii.String("$default"),
		AutoDeploy: jsii.Bool(true),
		Throttle: &awsapigatewayv2.ThrottleSettings{
			RateLimit:  jsii.Number(b.cfg.APIRateLimit),
			BurstLimit: jsii.Number(b.cfg.APIBurstLimit),
		},
	})
	accessLogs := awslogs.NewLogGroup(b.stack, jsii.String("ApiAccessLogs"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String(fmt.Sprintf("/aws/apigateway/woodshed-%s-api", b.cfg.Stage)),
		Retention:     b.retention(),
		RemovalPolicy: b.removal(),
	})
	cfnStage := a.stage.Node().DefaultChild().(awsapigatewayv2.CfnStage)
	cfnStage.SetAccessLogSettings(&awsapigatewayv2.CfnStage_AccessLogSettingsProperty{
		DestinationArn: accessLogs.LogGroupArn(),
		Format:         jsii.String(accessLogFormat()),
	})

	authorizer := awsapigatewayv2authorizers.NewHttpUserPoolAuthorizer(jsii.String("Cognito"), b.auth.pool,
		&awsapigatewayv2authorizers.HttpUserPoolAuthorizerProps{
			AuthorizerName:  jsii.String("cognito"),
			UserPoolClients: &[]awscognito.IUserPoolClient{b.auth.client},
			IdentitySource:  jsii.Strings("$request.header.Authorization"),
		})

	routeSettings := map[string]any{}
	for _, f := range b.fns {
		if f.Event != nil {
			continue
		}
		integration := awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String(constructID(f.Name)+"Integration"), b.fn[f.Name].fn, nil)
		for _, r := range f.Routes {
			opts := &awsapigatewayv2.AddRoutesOptions{
				Path:        jsii.String(r.Path),
				Methods:     &[]awsapigatewayv2.HttpMethod{awsapigatewayv2.HttpMethod(r.Method)},
				Integration: integration,
			}
			if r.Auth {
				opts.Authorizer = authorizer
			}
			for _, route := range *a.api.AddRoutes(opts) {
				// Route settings name their routes, so the stage must come after them.
				cfnStage.Node().AddDependency(route)
			}
			if !r.Auth && r.Method != "GET" {
				routeSettings[r.Method+" "+r.Path] = map[string]any{
					"ThrottlingRateLimit":  b.cfg.PublicWriteRateLimit,
					"ThrottlingBurstLimit": b.cfg.PublicWriteBurstLimit,
				}
			}
		}
	}
	if len(routeSettings) > 0 {
		cfnStage.AddPropertyOverride(jsii.String("RouteSettings"), routeSettings)
	}
}
