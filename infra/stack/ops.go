package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatchactions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssns"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssnssubscriptions"
	"github.com/aws/jsii-runtime-go"
)

const (
	alarmPeriodMinutes = 5
	errorLogThreshold  = 3 // ERROR lines of an S3 function in one period
)

func (b *builder) addOps() {
	b.topic = awssns.NewTopic(b.stack, jsii.String("Alarms"), &awssns.TopicProps{
		TopicName:   b.name("alarms"),
		DisplayName: jsii.String("Woodshed " + string(b.cfg.Stage) + " alarms"),
		EnforceSSL:  jsii.Bool(true),
	})
	if b.cfg.AlarmEmail != "" {
		b.topic.AddSubscription(awssnssubscriptions.NewEmailSubscription(jsii.String(b.cfg.AlarmEmail), nil))
	}
	action := awscloudwatchactions.NewSnsAction(b.topic)
	opts := &awscloudwatch.MetricOptions{Period: awscdk.Duration_Minutes(jsii.Number(alarmPeriodMinutes)), Statistic: jsii.String("Sum")}
	alarm := func(id, name, desc string, m awscloudwatch.Metric, threshold float64) {
		a := m.CreateAlarm(b.stack, jsii.String(id), &awscloudwatch.CreateAlarmOptions{
			AlarmName:          jsii.String(name),
			AlarmDescription:   jsii.String(desc),
			Threshold:          jsii.Number(threshold),
			EvaluationPeriods:  jsii.Number(1),
			ComparisonOperator: awscloudwatch.ComparisonOperator_GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
			TreatMissingData:   awscloudwatch.TreatMissingData_NOT_BREACHING,
		})
		a.AddAlarmAction(action)
		a.AddOkAction(action)
	}

	for _, f := range b.fns {
		id := constructID(f.Name)
		name := FunctionName(b.cfg.Stage, f.Name)
		fn := b.fn[f.Name]
		alarm(id+"Errors", name+"-errors", "Invocations of "+name+" failed", fn.fn.MetricErrors(opts), 1)
		alarm(id+"Throttles", name+"-throttles", name+" was throttled", fn.fn.MetricThrottles(opts), 1)
		if f.Event != nil {
			// A bad upload is handled (the chunk is marked failed, the object deleted), so it is no
			// Lambda error; the handler logs it at ERROR, and a burst of those is worth a look.
			filter := awslogs.NewMetricFilter(b.stack, jsii.String(id+"ErrorLogFilter"), &awslogs.MetricFilterProps{
				LogGroup:        fn.logs,
				FilterPattern:   awslogs.FilterPattern_StringValue(jsii.String("$.level"), jsii.String("="), jsii.String("ERROR")),
				MetricNamespace: jsii.String("Woodshed/" + string(b.cfg.Stage)),
				MetricName:      jsii.String(f.Name + "-error-logs"),
				MetricValue:     jsii.String("1"),
			})
			alarm(id+"ErrorLogs", name+"-error-logs", name+" logged failures at ERROR level",
				filter.Metric(opts), errorLogThreshold)
		}
		if fn.dlq != nil {
			// Any message here is an upload whose processing failed every retry.
			alarm(id+"FailedEvents", name+"-failed-events",
				"Events "+name+" could not process after retries are waiting in "+name+"-failures",
				fn.dlq.MetricApproximateNumberOfMessagesVisible(&awscloudwatch.MetricOptions{
					Period: awscdk.Duration_Minutes(jsii.Number(alarmPeriodMinutes)), Statistic: jsii.String("Maximum")}), 1)
		}
	}
	alarm("Api5xx", FunctionName(b.cfg.Stage, "api-5xx"), "The HTTP API answered 5xx", b.api.api.MetricServerError(opts), 5)
}
