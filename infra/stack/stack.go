// Package stack defines the whole AWS shape of Woodshed as one CDK stack per stage: the Lambdas
// of the route table behind an HTTP API, Cognito, DynamoDB, S3, CloudFront and the alarms.
package stack

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"woodshed/shared/routes"
)

// Props is what a stack is built from: the stage config and the two function lists of shared/routes.
type Props struct {
	Config         Config
	Routes         []routes.Route
	EventFunctions []string
	Env            *awscdk.Environment // nil: environment-agnostic, synthesizes without an account
}

// Woodshed is the built stack with the handles tests and the app need.
type Woodshed struct {
	awscdk.Stack
	Functions []Function
}

// StackName is the CloudFormation stack name of a stage.
func StackName(s Stage) string { return "Woodshed-" + string(s) }

// New builds the stack of one stage. It fails, before creating anything, on a function without a
// spec or a missing asset, so a broken route table never reaches CloudFormation.
func New(scope constructs.Construct, p Props) (w *Woodshed, err error) {
	// The CDK reports construct errors (a duplicate id, an invalid property) by panicking through jsii.
	defer func() {
		if r := recover(); r != nil {
			w, err = nil, fmt.Errorf("stack: %v", r)
		}
	}()
	fns, err := Functions(p.Routes, p.EventFunctions)
	if err != nil {
		return nil, err
	}
	if err := CheckAssets(p.Config.AssetDir, fns); err != nil {
		return nil, err
	}
	c := p.Config
	st := awscdk.NewStack(scope, jsii.String(StackName(c.Stage)), &awscdk.StackProps{
		Env:                   p.Env,
		Description:           jsii.String(fmt.Sprintf("Woodshed practice log (%s)", c.Stage)),
		TerminationProtection: jsii.Bool(c.Stage == Prod),
	})
	awscdk.Tags_Of(st).Add(jsii.String("app"), jsii.String("woodshed"), nil)
	awscdk.Tags_Of(st).Add(jsii.String("stage"), jsii.String(string(c.Stage)), nil)

	b := &builder{stack: st, cfg: c, fns: fns}
	b.addData()
	b.addCDN() // before auth, uploads and Lambdas: they need the site URL
	b.addUploads()
	b.addAuth()
	b.addLambdas()
	b.addAPI()
	b.addOps()
	b.addSite()
	b.addOutputs()
	return &Woodshed{Stack: st, Functions: fns}, nil
}

// builder carries the constructs between the parts of the stack.
type builder struct {
	stack awscdk.Stack
	cfg   Config
	fns   []Function

	data  dataRefs
	cdn   cdnRefs
	auth  authRefs
	fn    map[string]lambdaRefs
	api   apiRefs
	topic awssns.Topic
}

func (b *builder) prod() bool { return b.cfg.Stage == Prod }

// removal is RETAIN in prod (data survives a stack delete) and DESTROY in dev.
func (b *builder) removal() awscdk.RemovalPolicy {
	if b.prod() {
		return awscdk.RemovalPolicy_RETAIN
	}
	return awscdk.RemovalPolicy_DESTROY
}

func (b *builder) retention() awslogs.RetentionDays {
	if b.prod() {
		return awslogs.RetentionDays_THREE_MONTHS
	}
	return awslogs.RetentionDays_TWO_WEEKS
}

// name gives physical names a stage prefix so dev and prod can share an account.
func (b *builder) name(s string) *string {
	return jsii.String(fmt.Sprintf("woodshed-%s-%s", b.cfg.Stage, s))
}

func (b *builder) addOutputs() {
	out := func(id, value, desc string) {
		awscdk.NewCfnOutput(b.stack, jsii.String(id), &awscdk.CfnOutputProps{Value: jsii.String(value), Description: jsii.String(desc)})
	}
	out("SiteUrl", b.cdn.siteURL, "The site (SPA and /api) on CloudFront")
	out("ApiUrl", *b.api.stage.Url(), "The HTTP API's own endpoint (the site serves it under /api)")
	out("UserPoolId", *b.auth.pool.UserPoolId(), "Cognito user pool id (USER_POOL_ID)")
	out("UserPoolClientId", *b.auth.client.UserPoolClientId(), "Cognito app client id of the SPA (USER_POOL_CLIENT_ID)")
	out("AuthDomain", b.auth.hostedUI, "Cognito hosted UI base URL")
	out("SiteBucketName", *b.data.site.BucketName(), "Bucket the built SPA is uploaded to")
	out("DistributionId", *b.cdn.dist.DistributionId(), "CloudFront distribution to invalidate after an SPA upload")
	out("TableName", *b.data.table.TableName(), "DynamoDB table (TABLE_NAME)")
	out("AlarmTopicArn", *b.topic.TopicArn(), "SNS topic the alarms notify")
}
