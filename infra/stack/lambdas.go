package stack

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambdadestinations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3notifications"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssqs"
	"github.com/aws/jsii-runtime-go"
)

type lambdaRefs struct {
	fn   awslambda.Function
	logs awslogs.LogGroup
	dlq  awssqs.Queue // event functions only: events that failed every retry
}

// FunctionName is the deployed name of a function in a stage.
func FunctionName(s Stage, fn string) string { return fmt.Sprintf("woodshed-%s-%s", s, fn) }

// constructID turns auth-register into AuthRegister for readable logical ids.
func constructID(name string) string {
	var sb strings.Builder
	for _, part := range strings.Split(name, "-") {
		if part != "" {
			sb.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return sb.String()
}

func (b *builder) addLambdas() {
	b.fn = map[string]lambdaRefs{}
	env := map[string]*string{
		"TABLE_NAME":          b.data.table.TableName(),
		"RECORDINGS_BUCKET":   b.data.recordings.BucketName(),
		"IMAGES_BUCKET":       b.data.images.BucketName(),
		"IMAGES_BASE_URL":     jsii.String(b.cdn.siteURL + "/" + strings.TrimSuffix(ImagesPublicPrefix, "/")),
		"USER_POOL_ID":        b.auth.pool.UserPoolId(),
		"USER_POOL_CLIENT_ID": b.auth.client.UserPoolClientId(),
		"STAGE":               jsii.String(string(b.cfg.Stage)),
	}
	for _, f := range b.fns {
		b.fn[f.Name] = b.newFunction(f, env)
		b.grant(f)
		if f.Event != nil {
			b.bucket(f.Event.Bucket).AddEventNotification(awss3.EventType_OBJECT_CREATED,
				awss3notifications.NewLambdaDestination(b.fn[f.Name].fn),
				&awss3.NotificationKeyFilter{Prefix: jsii.String(f.Event.Prefix), Suffix: nilIfEmpty(f.Event.Suffix)})
		}
	}
}

func (b *builder) newFunction(f Function, sharedEnv map[string]*string) lambdaRefs {
	id := constructID(f.Name)
	name := FunctionName(b.cfg.Stage, f.Name)
	logs := awslogs.NewLogGroup(b.stack, jsii.String(id+"Logs"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String("/aws/lambda/" + name),
		Retention:     b.retention(),
		RemovalPolicy: b.removal(),
	})
	// An own role instead of the basic execution policy: logs go to this function's group only.
	role := awsiam.NewRole(b.stack, jsii.String(id+"Role"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Runs " + name),
	})
	role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents"),
		Resources: jsii.Strings(*logs.LogGroupArn()),
	}))

	env := map[string]*string{}
	for k, v := range sharedEnv {
		env[k] = v
	}

	props := &awslambda.FunctionProps{
		FunctionName:          jsii.String(name),
		Description:           jsii.String(describe(f)),
		Runtime:               awslambda.Runtime_PROVIDED_AL2023(),
		Architecture:          awslambda.Architecture_ARM_64(),
		Handler:               jsii.String("bootstrap"),
		Code:                  awslambda.Code_FromAsset(jsii.String(filepath.Join(b.cfg.AssetDir, f.Name)), nil),
		MemorySize:            jsii.Number(f.MemoryMB),
		Timeout:               awscdk.Duration_Seconds(jsii.Number(f.Timeout.Seconds())),
		Environment:           &env,
		Role:                  role,
		LogGroup:              logs,
		LoggingFormat:         awslambda.LoggingFormat_JSON,
		ApplicationLogLevelV2: awslambda.ApplicationLogLevel_INFO,
		SystemLogLevelV2:      awslambda.SystemLogLevel_WARN,
		Tracing:               awslambda.Tracing_ACTIVE,
	}
	var dlq awssqs.Queue
	if f.Event != nil {
		// S3 invokes asynchronously: two retries, then the event and its error go to a queue
		// (kept 14 days) that an alarm watches, so no upload is silently lost.
		dlq = awssqs.NewQueue(b.stack, jsii.String(id+"Failures"), &awssqs.QueueProps{
			QueueName:       jsii.String(name + "-failures"),
			RetentionPeriod: awscdk.Duration_Days(jsii.Number(14)),
			Encryption:      awssqs.QueueEncryption_SQS_MANAGED,
			EnforceSSL:      jsii.Bool(true),
			RemovalPolicy:   b.removal(),
		})
		props.RetryAttempts = jsii.Number(2)
		props.MaxEventAge = awscdk.Duration_Hours(jsii.Number(6))
		props.OnFailure = awslambdadestinations.NewSqsDestination(dlq)
	}
	fn := awslambda.NewFunction(b.stack, jsii.String(id), props)
	return lambdaRefs{fn: fn, logs: logs, dlq: dlq}
}

// grant adds one statement per grant of the spec table to the function's role.
func (b *builder) grant(f Function) {
	role := b.fn[f.Name].fn.Role()
	for i, g := range f.Grants {
		var res []string
		switch g.On {
		case Table:
			res = []string{*b.data.table.TableArn(), *b.data.table.TableArn() + "/index/*"}
		case Recordings, Images:
			res = []string{*b.bucket(g.On).ArnForObjects(jsii.String(g.Keys))}
		case UserPool:
			res = []string{*b.auth.pool.UserPoolArn()}
		default:
			panic(fmt.Sprintf("infra: %s: unknown grant target %q", f.Name, g.On)) // a bug in specs; New recovers it
		}
		role.AddToPrincipalPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
			Sid:       jsii.String(fmt.Sprintf("%s%d", constructID(string(g.On)), i)),
			Actions:   jsii.Strings(g.Actions...),
			Resources: jsii.Strings(res...),
		}))
	}
}

func (b *builder) bucket(r Resource) awss3.Bucket {
	if r == Images {
		return b.data.images
	}
	return b.data.recordings
}

func describe(f Function) string {
	if f.Event != nil {
		return fmt.Sprintf("S3 ObjectCreated %s*%s", f.Event.Prefix, f.Event.Suffix)
	}
	var keys []string
	for _, r := range f.Routes {
		keys = append(keys, r.Method+" "+r.Path)
	}
	d := strings.Join(keys, ", ")
	if len(d) > maxDescription {
		d = d[:maxDescription-3] + "..."
	}
	return d
}

const maxDescription = 256 // Lambda's limit

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return jsii.String(s)
}
