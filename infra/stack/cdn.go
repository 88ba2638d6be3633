package stack

import (
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscertificatemanager"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfront"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudfrontorigins"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/jsii-runtime-go"
)

type cdnRefs struct {
	dist    awscloudfront.Distribution
	siteURL string // https://<domain> without a trailing slash
}

// The API routes are the route table's paths at the root of the HTTP API; the site serves them
// under /api, so this function drops the prefix before the request reaches API Gateway.
const stripAPIPrefixJS = `function handler(event) {
  var request = event.request;
  request.uri = request.uri.replace(/^\/api(?=\/|$)/, '') || '/';
  return request;
}`

// The SPA routes on the client: any path without a file extension is served index.html, while
// missing assets stay errors. Done here rather than with error responses, which would also turn
// the API's own 403 and 404 answers into HTML.
const spaFallbackJS = `function handler(event) {
  var request = event.request;
  if (!/\.[A-Za-z0-9]+$/.test(request.uri)) {
    request.uri = '/index.html';
  }
  return request;
}`

// addAPIBase creates the API before the distribution, which needs its endpoint; routes come later.
func (b *builder) addAPIBase() {
	b.api.api = awsapigatewayv2.NewHttpApi(b.stack, jsii.String("Api"), &awsapigatewayv2.HttpApiProps{
		ApiName:            b.name("api"),
		Description:        jsii.String("Woodshed HTTP API: one Lambda per route of shared/routes"),
		CreateDefaultStage: jsii.Bool(false),
	})
}

func (b *builder) addCDN() {
	b.addAPIBase()
	c := &b.cdn
	region := *awscdk.Aws_REGION()

	newFn := func(id, code string) awscloudfront.Function {
		return awscloudfront.NewFunction(b.stack, jsii.String(id), &awscloudfront.FunctionProps{
			Code:    awscloudfront.FunctionCode_FromInline(jsii.String(code)),
			Runtime: awscloudfront.FunctionRuntime_JS_2_0(),
		})
	}
	spaFn := newFn("SpaFallback", spaFallbackJS)
	apiFn := newFn("StripApiPrefix", stripAPIPrefixJS)

	headers := awscloudfront.NewResponseHeadersPolicy(b.stack, jsii.String("SecurityHeaders"), &awscloudfront.ResponseHeadersPolicyProps{
		Comment: jsii.String("HSTS, CSP and the usual security headers for the site and API"),
		SecurityHeadersBehavior: &awscloudfront.ResponseSecurityHeadersBehavior{
			StrictTransportSecurity: &awscloudfront.ResponseHeadersStrictTransportSecurity{
				AccessControlMaxAge: awscdk.Duration_Days(jsii.Number(730)),
				IncludeSubdomains:   jsii.Bool(true),
				Preload:             jsii.Bool(true),
				Override:            jsii.Bool(true),
			},
			ContentSecurityPolicy: &awscloudfront.ResponseHeadersContentSecurityPolicy{
				ContentSecurityPolicy: jsii.String(b.csp(region)),
				Override:              jsii.Bool(true),
			},
			ContentTypeOptions: &awscloudfront.ResponseHeadersContentTypeOptions{Override: jsii.Bool(true)},
			FrameOptions: &awscloudfront.ResponseHeadersFrameOptions{
				FrameOption: awscloudfront.HeadersFrameOption_DENY, Override: jsii.Bool(true)},
			ReferrerPolicy: &awscloudfront.ResponseHeadersReferrerPolicy{
				ReferrerPolicy: awscloudfront.HeadersReferrerPolicy_STRICT_ORIGIN_WHEN_CROSS_ORIGIN, Override: jsii.Bool(true)},
			// The legacy XSS auditor is off, as current guidance says; the CSP does that work.
			XssProtection: &awscloudfront.ResponseHeadersXSSProtection{Protection: jsii.Bool(false), Override: jsii.Bool(true)},
		},
		CustomHeadersBehavior: &awscloudfront.ResponseCustomHeadersBehavior{CustomHeaders: &[]*awscloudfront.ResponseCustomHeader{
			// The recorder needs the microphone on this origin; nothing else is allowed.
			{Header: jsii.String("Permissions-Policy"), Value: jsii.String("microphone=(self), camera=(), geolocation=(), payment=(), usb=()"), Override: jsii.Bool(true)},
			{Header: jsii.String("Cross-Origin-Opener-Policy"), Value: jsii.String("same-origin"), Override: jsii.Bool(true)},
		}},
	})

	// The images bucket is named, not referenced (see dataRefs); its bucket policy is added in uploads().
	imagesRef := awss3.Bucket_FromBucketAttributes(b.stack, jsii.String("ImagesOriginBucket"), &awss3.BucketAttributes{
		BucketName:               jsii.String(b.data.imagesName),
		BucketRegionalDomainName: jsii.String(b.data.imagesName + ".s3." + region + "." + *awscdk.Aws_URL_SUFFIX()),
	})
	imagesOAC := awscloudfront.NewS3OriginAccessControl(b.stack, jsii.String("ImagesOAC"), &awscloudfront.S3OriginAccessControlProps{
		Description: jsii.String("CloudFront reads processed images"),
	})
	apiDomain := *b.api.api.ApiId() + ".execute-api." + region + "." + *awscdk.Aws_URL_SUFFIX()

	props := &awscloudfront.DistributionProps{
		Comment:           jsii.String("Woodshed " + string(b.cfg.Stage) + ": SPA, /api and /images"),
		DefaultRootObject: jsii.String("index.html"),
		HttpVersion:       awscloudfront.HttpVersion_HTTP2_AND_3,
		PriceClass:        awscloudfront.PriceClass_PRICE_CLASS_100,
		DefaultBehavior: &awscloudfront.BehaviorOptions{
			Origin:                awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(b.data.site, nil),
			ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
			CachePolicy:           awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
			ResponseHeadersPolicy: headers,
			FunctionAssociations: &[]*awscloudfront.FunctionAssociation{{
				Function: spaFn, EventType: awscloudfront.FunctionEventType_VIEWER_REQUEST}},
		},
		AdditionalBehaviors: &map[string]*awscloudfront.BehaviorOptions{
			"/api/*": {
				Origin: awscloudfrontorigins.NewHttpOrigin(jsii.String(apiDomain), &awscloudfrontorigins.HttpOriginProps{
					ProtocolPolicy: awscloudfront.OriginProtocolPolicy_HTTPS_ONLY,
				}),
				ViewerProtocolPolicy: awscloudfront.ViewerProtocolPolicy_HTTPS_ONLY,
				AllowedMethods:       awscloudfront.AllowedMethods_ALLOW_ALL(),
				// No caching; every viewer header but Host (API Gateway routes on its own host name)
				// goes to the API, the Authorization header included.
				CachePolicy:           awscloudfront.CachePolicy_CACHING_DISABLED(),
				OriginRequestPolicy:   awscloudfront.OriginRequestPolicy_ALL_VIEWER_EXCEPT_HOST_HEADER(),
				ResponseHeadersPolicy: headers,
				FunctionAssociations: &[]*awscloudfront.FunctionAssociation{{
					Function: apiFn, EventType: awscloudfront.FunctionEventType_VIEWER_REQUEST}},
			},
			"/" + ImagesPublicPrefix + "*": {
				Origin: awscloudfrontorigins.S3BucketOrigin_WithOriginAccessControl(imagesRef, &awscloudfrontorigins.S3BucketOriginWithOACProps{
					OriginAccessControl: imagesOAC,
				}),
				ViewerProtocolPolicy:  awscloudfront.ViewerProtocolPolicy_REDIRECT_TO_HTTPS,
				CachePolicy:           awscloudfront.CachePolicy_CACHING_OPTIMIZED(),
				ResponseHeadersPolicy: headers,
			},
		},
	}
	if b.cfg.DomainName != "" {
		props.DomainNames = jsii.Strings(b.cfg.DomainName)
		props.Certificate = awscertificatemanager.Certificate_FromCertificateArn(b.stack, jsii.String("Certificate"), jsii.String(b.cfg.CertificateArn))
		props.MinimumProtocolVersion = awscloudfront.SecurityPolicyProtocol_TLS_V1_2_2021
	}
	awscdk.Annotations_Of(b.stack).AcknowledgeWarning(jsii.String("@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac"),
		jsii.String("the images bucket policy for this distribution is written in addUploads()"))
	c.dist = awscloudfront.NewDistribution(b.stack, jsii.String("Cdn"), props)
	c.siteURL = b.siteOrigin()
}

// siteOrigin is the custom domain when there is one, else the distribution's own name.
func (b *builder) siteOrigin() string {
	if b.cfg.DomainName != "" {
		return "https://" + b.cfg.DomainName
	}
	return "https://" + *b.cdn.dist.DistributionDomainName()
}

// hostedUIDomain is the Cognito domain, known from its prefix before the domain exists.
func (b *builder) hostedUIDomain(region string) string {
	return "https://" + b.cfg.AuthDomainPrefix + ".auth." + region + ".amazoncognito.com"
}

// csp fits the SPA: its own scripts only, the API on the same origin, direct uploads to the two
// upload buckets, the Cognito token endpoint, blob: for recorded audio and its worklet.
func (b *builder) csp(region string) string {
	s3Host := func(bucket string) string { return "https://" + bucket + ".s3." + region + ".amazonaws.com" }
	auth := b.hostedUIDomain(region)
	return strings.Join([]string{
		"default-src 'self'",
		"script-src 'self'",
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		"media-src 'self' blob:",
		"font-src 'self'",
		"worker-src 'self' blob:",
		"connect-src 'self' " + s3Host(b.data.recordingsName) + " " + s3Host(b.data.imagesName) + " " + auth +
			" https://cognito-idp." + region + ".amazonaws.com",
		"form-action 'self' " + auth,
		"frame-ancestors 'none'",
		"base-uri 'self'",
		"object-src 'none'",
		"upgrade-insecure-requests",
	}, "; ")
}
