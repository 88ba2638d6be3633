package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsdynamodb"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
)

type dataRefs struct {
	table      awsdynamodb.Table
	recordings awss3.Bucket
	images     awss3.Bucket
	site       awss3.Bucket
	// Physical names known before deploy: CloudFront's CSP and origins use them without a reference
	// to the buckets, which breaks the bucket (CORS → site origin) ↔ distribution cycle.
	recordingsName string
	imagesName     string
}

func (b *builder) addData() {
	d := &b.data

	d.table = awsdynamodb.NewTable(b.stack, jsii.String("Table"), &awsdynamodb.TableProps{
		PartitionKey:        &awsdynamodb.Attribute{Name: jsii.String("PK"), Type: awsdynamodb.AttributeType_STRING},
		SortKey:             &awsdynamodb.Attribute{Name: jsii.String("SK"), Type: awsdynamodb.AttributeType_STRING},
		BillingMode:         awsdynamodb.BillingMode_PAY_PER_REQUEST,
		TimeToLiveAttribute: jsii.String("ttl"),
		PointInTimeRecoverySpecification: &awsdynamodb.PointInTimeRecoverySpecification{
			PointInTimeRecoveryEnabled: jsii.Bool(true),
		},
		DeletionProtection: jsii.Bool(b.prod()),
		RemovalPolicy:      b.removal(),
	})
	for _, gsi := range []string{"GSI1", "GSI2"} {
		d.table.AddGlobalSecondaryIndex(&awsdynamodb.GlobalSecondaryIndexProps{
			IndexName:      jsii.String(gsi),
			PartitionKey:   &awsdynamodb.Attribute{Name: jsii.String(gsi + "PK"), Type: awsdynamodb.AttributeType_STRING},
			SortKey:        &awsdynamodb.Attribute{Name: jsii.String(gsi + "SK"), Type: awsdynamodb.AttributeType_STRING},
			ProjectionType: awsdynamodb.ProjectionType_ALL,
		})
	}

	// Account and region make the names globally unique; they are pseudo parameters, not resources.
	suffix := "-" + *awscdk.Aws_ACCOUNT_ID() + "-" + *awscdk.Aws_REGION()
	d.recordingsName = *b.name("recordings") + suffix
	d.imagesName = *b.name("images") + suffix

	d.site = awss3.NewBucket(b.stack, jsii.String("Site"), b.privateBucket(&awss3.BucketProps{}))
}

// addUploads creates the buckets browsers upload to; it runs after addCDN() because CORS names the site origin.
func (b *builder) addUploads() {
	d := &b.data
	// Browsers upload straight to S3 with presigned PUT or POST from the site origin only.
	uploadCORS := &[]*awss3.CorsRule{{
		AllowedMethods: &[]awss3.HttpMethods{awss3.HttpMethods_PUT, awss3.HttpMethods_POST},
		AllowedOrigins: jsii.Strings(b.siteOrigin()),
		AllowedHeaders: jsii.Strings("content-type", "content-length", "content-md5", "x-amz-*"),
		ExposedHeaders: jsii.Strings("ETag"),
		MaxAge:         jsii.Number(3600),
	}}

	d.recordings = awss3.NewBucket(b.stack, jsii.String("Recordings"), b.privateBucket(&awss3.BucketProps{
		BucketName: jsii.String(d.recordingsName),
		Cors:       uploadCORS,
		// The backstop of the pipeline: whatever the analyzer failed to delete is gone within a day.
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("expire-recordings"),
			Expiration:                          awscdk.Duration_Days(jsii.Number(1)),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(1)),
		}},
	}))

	d.images = awss3.NewBucket(b.stack, jsii.String("Images"), b.privateBucket(&awss3.BucketProps{
		BucketName: jsii.String(d.imagesName),
		Cors:       uploadCORS,
		// Raw uploads are processed within seconds; the rule clears the ones that never were.
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("expire-raw-uploads"),
			Prefix:                              jsii.String(ImageUploadsPrefix),
			Expiration:                          awscdk.Duration_Days(jsii.Number(1)),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(1)),
		}},
	}))
	// The bucket is a named origin (see dataRefs), so its OAC statement is written here: CloudFront,
	// for this distribution only, may read processed images and nothing under uploads/.
	d.images.AddToResourcePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Sid:        jsii.String("CloudFrontReadsProcessedImages"),
		Principals: &[]awsiam.IPrincipal{awsiam.NewServicePrincipal(jsii.String("cloudfront.amazonaws.com"), nil)},
		Actions:    jsii.Strings("s3:GetObject"),
		Resources:  jsii.Strings(*d.images.ArnForObjects(jsii.String(ImagesPublicPrefix + "*"))),
		Conditions: &map[string]any{"StringEquals": map[string]any{"AWS:SourceArn": b.cdn.dist.DistributionArn()}},
	}))
}

// privateBucket adds what every bucket of the stack has: no public access, SSE, TLS only, owner-enforced
// objects, and the stage's removal policy (dev empties and deletes its buckets with the stack).
func (b *builder) privateBucket(p *awss3.BucketProps) *awss3.BucketProps {
	p.BlockPublicAccess = awss3.BlockPublicAccess_BLOCK_ALL()
	p.Encryption = awss3.BucketEncryption_S3_MANAGED
	p.EnforceSSL = jsii.Bool(true)
	p.ObjectOwnership = awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED
	p.RemovalPolicy = b.removal()
	p.AutoDeleteObjects = jsii.Bool(!b.prod())
	return p
}
