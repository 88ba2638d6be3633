package stack

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"
)

// One test per part of the stack; dev has no social sign-in and no custom domain, prod has all.

func obj(m map[string]any) *map[string]any { return &m }

func like(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(obj(m)) }

// ours are the Lambdas built from the route table (the others are CDK's custom-resource handlers).
func ours(s *synthed) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, r := range s.resources("AWS::Lambda::Function") {
		if name, _ := props(r)["FunctionName"].(string); strings.HasPrefix(name, "woodshed-") {
			out[name] = r
		}
	}
	return out
}

func jsonOf(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// policyOf returns the statements of the inline policy attached to a function's role.
func policyOf(t *testing.T, s *synthed, fn map[string]any) []map[string]any {
	t.Helper()
	roleID := props(fn)["Role"].(map[string]any)["Fn::GetAtt"].([]any)[0].(string)
	var out []map[string]any
	for _, p := range s.resources("AWS::IAM::Policy") {
		for _, r := range props(p)["Roles"].([]any) {
			if r.(map[string]any)["Ref"] == roleID {
				for _, st := range props(p)["PolicyDocument"].(map[string]any)["Statement"].([]any) {
					out = append(out, st.(map[string]any))
				}
			}
		}
	}
	return out
}

func stmtActions(st map[string]any) []string {
	switch a := st["Action"].(type) {
	case string:
		return []string{a}
	case []any:
		var out []string
		for _, x := range a {
			out = append(out, x.(string))
		}
		return out
	}
	return nil
}

func TestLambdas(t *testing.T) {
	rs, evs := testRoutes()
	fns, _ := Functions(rs, evs)
	for _, ctx := range []map[string]string{devCtx, prodCtx} {
		s := synth(t, ctx)
		cfg, _ := ConfigFromContext(func(k string) string { return ctx[k] })
		got := ours(s)
		if len(got) != len(fns) {
			t.Fatalf("%s: %d functions, want %d", cfg.Stage, len(got), len(fns))
		}
		wantRetention := 14.0
		if cfg.Stage == Prod {
			wantRetention = 90
		}
		groups := map[string]map[string]any{}
		for _, lg := range s.resources("AWS::Logs::LogGroup") {
			groups[props(lg)["LogGroupName"].(string)] = lg
		}
		for _, f := range fns {
			name := FunctionName(cfg.Stage, f.Name)
			r, ok := got[name]
			if !ok {
				t.Errorf("no Lambda %s", name)
				continue
			}
			p := props(r)
			if p["Runtime"] != "provided.al2023" || jsonOf(p["Architectures"]) != `["arm64"]` || p["Handler"] != "bootstrap" {
				t.Errorf("%s: runtime %v %v %v", name, p["Runtime"], p["Architectures"], p["Handler"])
			}
			if p["MemorySize"] != float64(f.MemoryMB) || p["Timeout"] != f.Timeout.Seconds() {
				t.Errorf("%s: memory %v timeout %v, want %d %v", name, p["MemorySize"], p["Timeout"], f.MemoryMB, f.Timeout.Seconds())
			}
			env := p["Environment"].(map[string]any)["Variables"].(map[string]any)
			for _, k := range []string{"TABLE_NAME", "RECORDINGS_BUCKET", "IMAGES_BUCKET", "IMAGES_BASE_URL", "USER_POOL_ID", "USER_POOL_CLIENT_ID"} {
				if env[k] == nil {
					t.Errorf("%s: no %s", name, k)
				}
			}
			if jsonOf(p["TracingConfig"]) != `{"Mode":"Active"}` || props(r)["LoggingConfig"].(map[string]any)["LogFormat"] != "JSON" {
				t.Errorf("%s: tracing %v logging %v", name, p["TracingConfig"], p["LoggingConfig"])
			}
			lg, ok := groups["/aws/lambda/"+name]
			if !ok || props(lg)["RetentionInDays"] != wantRetention {
				t.Errorf("%s: log group %v", name, lg)
			}
			if (cfg.Stage == Prod) != (ok && lg["DeletionPolicy"] == "Retain") {
				t.Errorf("%s: log group deletion policy %v", name, lg["DeletionPolicy"])
			}
			// Every statement is scoped to a resource; only X-Ray's API has none to scope to.
			for _, st := range policyOf(t, s, r) {
				if st["Resource"] == "*" && !strings.HasPrefix(stmtActions(st)[0], "xray:") {
					t.Errorf("%s: %v on *", name, st["Action"])
				}
			}
		}
	}
}

func TestLambdaPoliciesMatchSpecs(t *testing.T) {
	s := synth(t, devCtx)
	fns := ours(s)
	allowed := func(name string) []string {
		var all []string
		for _, st := range policyOf(t, s, fns[name]) {
			all = append(all, stmtActions(st)...)
		}
		return all
	}
	an := allowed("woodshed-dev-analyzer")
	for _, a := range an {
		ok := strings.HasPrefix(a, "logs:") || strings.HasPrefix(a, "xray:") || strings.HasPrefix(a, "sqs:") ||
			a == "s3:GetObject" || a == "s3:DeleteObject" || slices.Contains(concat(tableReadActions, tableUpdateActions), a)
		if !ok {
			t.Errorf("analyzer may %s", a)
		}
	}
	stmts := policyOf(t, s, fns["woodshed-dev-analyzer"])
	var s3res string
	for _, st := range stmts {
		if slices.Contains(stmtActions(st), "s3:GetObject") {
			s3res = jsonOf(st["Resource"])
		}
	}
	if !strings.Contains(s3res, "Recordings") || !strings.HasSuffix(s3res, `"/recordings/*"]]}`) {
		t.Errorf("analyzer S3 resource %s", s3res)
	}
	if a := allowed("woodshed-dev-health"); slices.ContainsFunc(a, func(x string) bool { return !strings.HasPrefix(x, "logs:") && !strings.HasPrefix(x, "xray:") }) {
		t.Errorf("health may %v", a)
	}
	if a := allowed("woodshed-dev-users-get"); slices.Contains(a, "dynamodb:PutItem") || !slices.Contains(a, "dynamodb:GetItem") {
		t.Errorf("users-get may %v", a)
	}
	if a := allowed("woodshed-dev-auth-register"); !slices.Contains(a, "cognito-idp:AdminDeleteUser") || slices.Contains(a, "s3:PutObject") {
		t.Errorf("auth-register may %v", a)
	}
	// Re-analysing in the API reads and deletes recordings like the analyzer, and writes nothing to S3.
	if a := allowed("woodshed-dev-practice-analyze-audio"); !slices.Contains(a, "s3:GetObject") || slices.Contains(a, "s3:PutObject") || slices.Contains(a, "lambda:InvokeFunction") {
		t.Errorf("practice-analyze-audio may %v", a)
	}
	// No function uses the broad basic-execution managed policy.
	for id, r := range s.resources("AWS::IAM::Role") {
		if props(r)["ManagedPolicyArns"] != nil && !strings.HasPrefix(id, "Custom") && !strings.HasPrefix(id, "BucketNotificationsHandler") {
			t.Errorf("%s has managed policies %v", id, props(r)["ManagedPolicyArns"])
		}
	}
}

func TestHTTPAPI(t *testing.T) {
	s := synth(t, devCtx)
	rs, _ := testRoutes()
	must(t, "one API", func() { s.tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Api"), jsii.Number(1)) })
	must(t, "route count", func() { s.tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Route"), jsii.Number(len(rs))) })
	byKey := map[string]map[string]any{}
	for _, r := range s.resources("AWS::ApiGatewayV2::Route") {
		byKey[props(r)["RouteKey"].(string)] = props(r)
	}
	for _, r := range rs {
		p, ok := byKey[r.Method+" "+r.Path]
		if !ok {
			t.Errorf("no route %s %s", r.Method, r.Path)
			continue
		}
		if r.Auth != (p["AuthorizationType"] == "JWT") || (r.Auth && p["AuthorizerId"] == nil) {
			t.Errorf("%s %s: auth %v, route has %v", r.Method, r.Path, r.Auth, p["AuthorizationType"])
		}
	}
	must(t, "JWT authorizer on the pool and client", func() {
		s.tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Authorizer"), like(map[string]any{
			"AuthorizerType": "JWT",
			"IdentitySource": []any{"$request.header.Authorization"},
			"JwtConfiguration": like(map[string]any{
				"Audience": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^UsersSpa"))}},
			}),
		}))
	})
	must(t, "throttled stage with access logs", func() {
		s.tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), like(map[string]any{
			"StageName":            "$default",
			"AutoDeploy":           true,
			"DefaultRouteSettings": like(map[string]any{"ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100}),
			"AccessLogSettings": like(map[string]any{
				"DestinationArn": like(map[string]any{"Fn::GetAtt": assertions.Match_ArrayWith(&[]any{assertions.Match_StringLikeRegexp(jsii.String("^ApiAccessLogs"))})}),
				"Format":         assertions.Match_StringLikeRegexp(jsii.String(`"requestId":"\$context.requestId"`)),
			}),
			"RouteSettings": like(map[string]any{
				"POST /auth/login":    map[string]any{"ThrottlingRateLimit": 5, "ThrottlingBurstLimit": 10},
				"POST /auth/register": map[string]any{"ThrottlingRateLimit": 5, "ThrottlingBurstLimit": 10},
			}),
		}))
	})
	for _, st := range s.resources("AWS::ApiGatewayV2::Stage") {
		rsKeys := props(st)["RouteSettings"].(map[string]any)
		if _, ok := rsKeys["GET /health"]; ok {
			t.Error("GET /health has the public-write throttle")
		}
		if _, ok := rsKeys["POST /auth/logout"]; ok {
			t.Error("an authenticated route has the public-write throttle")
		}
	}
	must(t, "payload v2 Lambda proxy integrations", func() {
		s.tpl.AllResourcesProperties(jsii.String("AWS::ApiGatewayV2::Integration"), like(map[string]any{
			"IntegrationType": "AWS_PROXY", "PayloadFormatVersion": "2.0"}))
	})
}

func TestTable(t *testing.T) {
	for _, c := range []struct {
		ctx       map[string]string
		protected bool
		policy    string
	}{{devCtx, false, "Delete"}, {prodCtx, true, "Retain"}} {
		s := synth(t, c.ctx)
		must(t, "one table", func() { s.tpl.ResourceCountIs(jsii.String("AWS::DynamoDB::Table"), jsii.Number(1)) })
		must(t, "table shape", func() {
			s.tpl.HasResource(jsii.String("AWS::DynamoDB::Table"), like(map[string]any{
				"DeletionPolicy": c.policy,
				"Properties": like(map[string]any{
					"BillingMode":                      "PAY_PER_REQUEST",
					"KeySchema":                        []any{map[string]any{"AttributeName": "PK", "KeyType": "HASH"}, map[string]any{"AttributeName": "SK", "KeyType": "RANGE"}},
					"PointInTimeRecoverySpecification": map[string]any{"PointInTimeRecoveryEnabled": true},
					"TimeToLiveSpecification":          map[string]any{"AttributeName": "ttl", "Enabled": true},
					"DeletionProtectionEnabled":        c.protected,
					"StreamSpecification":              assertions.Match_Absent(),
					"GlobalSecondaryIndexes": []any{
						like(map[string]any{"IndexName": "GSI1", "KeySchema": []any{map[string]any{"AttributeName": "GSI1PK", "KeyType": "HASH"}, map[string]any{"AttributeName": "GSI1SK", "KeyType": "RANGE"}}}),
						like(map[string]any{"IndexName": "GSI2", "KeySchema": []any{map[string]any{"AttributeName": "GSI2PK", "KeyType": "HASH"}, map[string]any{"AttributeName": "GSI2SK", "KeyType": "RANGE"}}}),
					},
				}),
			}))
		})
	}
}

func TestBuckets(t *testing.T) {
	s := synth(t, devCtx)
	must(t, "three buckets", func() { s.tpl.ResourceCountIs(jsii.String("AWS::S3::Bucket"), jsii.Number(3)) })
	must(t, "every bucket private and encrypted", func() {
		s.tpl.AllResourcesProperties(jsii.String("AWS::S3::Bucket"), like(map[string]any{
			"PublicAccessBlockConfiguration": map[string]any{"BlockPublicAcls": true, "BlockPublicPolicy": true, "IgnorePublicAcls": true, "RestrictPublicBuckets": true},
			"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{
				map[string]any{"ServerSideEncryptionByDefault": map[string]any{"SSEAlgorithm": "AES256"}}}},
		}))
	})
	for id, p := range s.resources("AWS::S3::BucketPolicy") {
		doc := jsonOf(props(p)["PolicyDocument"])
		if !strings.Contains(doc, `"aws:SecureTransport":"false"`) || !strings.Contains(doc, `"Effect":"Deny"`) {
			t.Errorf("%s does not enforce TLS: %s", id, doc)
		}
	}
	rec := props(s.resources("AWS::S3::Bucket")[logicalID(t, s, "AWS::S3::Bucket", "Recordings")])
	cors := jsonOf(rec["CorsConfiguration"])
	for _, want := range []string{`"AllowedMethods":["PUT","POST"]`, `"https://",{"Fn::GetAtt":["Cdn`, `"ExposedHeaders":["ETag"]`} {
		if !strings.Contains(cors, want) {
			t.Errorf("recordings CORS %s lacks %s", cors, want)
		}
	}
	life := jsonOf(rec["LifecycleConfiguration"])
	if !strings.Contains(life, `"ExpirationInDays":1`) || !strings.Contains(life, `"AbortIncompleteMultipartUpload":{"DaysAfterInitiation":1}`) || strings.Contains(life, "Prefix") {
		t.Errorf("recordings lifecycle %s", life)
	}
	must(t, "recordings/*.wav triggers the analyzer", func() {
		s.tpl.HasResourceProperties(jsii.String("Custom::S3BucketNotifications"), like(map[string]any{
			"BucketName": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Recordings"))},
			"NotificationConfiguration": map[string]any{"LambdaFunctionConfigurations": []any{map[string]any{
				"Events":            []any{"s3:ObjectCreated:*"},
				"Filter":            map[string]any{"Key": map[string]any{"FilterRules": assertions.Match_ArrayWith(&[]any{map[string]any{"Name": "suffix", "Value": ".wav"}, map[string]any{"Name": "prefix", "Value": "recordings/"}})}},
				"LambdaFunctionArn": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^Analyzer")), "Arn"}},
			}}},
		}))
	})
	must(t, "uploads/ triggers the image processor", func() {
		s.tpl.HasResourceProperties(jsii.String("Custom::S3BucketNotifications"), like(map[string]any{
			"BucketName": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Images"))},
			"NotificationConfiguration": map[string]any{"LambdaFunctionConfigurations": []any{like(map[string]any{
				"Filter":            map[string]any{"Key": map[string]any{"FilterRules": []any{map[string]any{"Name": "prefix", "Value": "uploads/"}}}},
				"LambdaFunctionArn": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^ImageProcessor")), "Arn"}},
			})}},
		}))
	})
	// CloudFront may read processed images of this distribution only, never the raw uploads.
	imgPolicy := jsonOf(props(s.resources("AWS::S3::BucketPolicy")[logicalID(t, s, "AWS::S3::BucketPolicy", "ImagesPolicy")]))
	if !strings.Contains(imgPolicy, `"Service":"cloudfront.amazonaws.com"`) || !strings.Contains(imgPolicy, `"/images/*"`) ||
		!strings.Contains(imgPolicy, `":distribution/",{"Ref":"Cdn`) || strings.Contains(imgPolicy, "uploads/") {
		t.Errorf("images bucket policy %s", imgPolicy)
	}
	// dev empties its buckets on delete; prod keeps them.
	must(t, "dev auto-deletes", func() { s.tpl.ResourceCountIs(jsii.String("Custom::S3AutoDeleteObjects"), jsii.Number(3)) })
	p := synth(t, prodCtx)
	must(t, "prod keeps buckets", func() {
		p.tpl.ResourceCountIs(jsii.String("Custom::S3AutoDeleteObjects"), jsii.Number(0))
		p.tpl.AllResources(jsii.String("AWS::S3::Bucket"), like(map[string]any{"DeletionPolicy": "Retain"}))
	})
}

// logicalID finds the one resource of a type whose logical id starts with prefix.
func logicalID(t *testing.T, s *synthed, typ, prefix string) string {
	t.Helper()
	var ids []string
	for id := range s.resources(typ) {
		if strings.HasPrefix(id, prefix) {
			ids = append(ids, id)
		}
	}
	if len(ids) != 1 {
		t.Fatalf("%s %s*: %v", typ, prefix, ids)
	}
	return ids[0]
}

func TestCognito(t *testing.T) {
	for _, ctx := range []map[string]string{devCtx, prodCtx} {
		s := synth(t, ctx)
		prod := ctx[KeyStage] == "prod"
		must(t, "user pool", func() {
			s.tpl.HasResource(jsii.String("AWS::Cognito::UserPool"), like(map[string]any{
				"DeletionPolicy": map[bool]string{true: "Retain", false: "Delete"}[prod],
				"Properties": like(map[string]any{
					"UsernameAttributes":          []any{"email"},
					"AutoVerifiedAttributes":      []any{"email"},
					"UsernameConfiguration":       map[string]any{"CaseSensitive": false},
					"AccountRecoverySetting":      map[string]any{"RecoveryMechanisms": []any{map[string]any{"Name": "verified_email", "Priority": 1}}},
					"Policies":                    like(map[string]any{"PasswordPolicy": like(map[string]any{"MinimumLength": 10, "RequireNumbers": true, "RequireLowercase": true, "RequireUppercase": true})}),
					"VerificationMessageTemplate": like(map[string]any{"DefaultEmailOption": "CONFIRM_WITH_CODE"}),
					"DeletionProtection":          map[bool]string{true: "ACTIVE", false: "INACTIVE"}[prod],
				}),
			}))
		})
		must(t, "SPA client", func() {
			s.tpl.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolClient"), like(map[string]any{
				"GenerateSecret":                  false,
				"AllowedOAuthFlows":               []any{"code"},
				"AllowedOAuthFlowsUserPoolClient": true,
				"AccessTokenValidity":             60,
				"IdTokenValidity":                 60,
				"RefreshTokenValidity":            43200,
				"TokenValidityUnits":              map[string]any{"AccessToken": "minutes", "IdToken": "minutes", "RefreshToken": "minutes"},
				"EnableTokenRevocation":           true,
				"PreventUserExistenceErrors":      "ENABLED",
				"ExplicitAuthFlows":               assertions.Match_ArrayWith(&[]any{"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}),
			}))
		})
		must(t, "hosted UI domain", func() {
			s.tpl.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolDomain"), like(map[string]any{"Domain": "woodshed-" + map[bool]string{true: "prod", false: "dev"}[prod]}))
		})
		clients := s.resources("AWS::Cognito::UserPoolClient")
		var client map[string]any
		for _, c := range clients {
			client = props(c)
		}
		idps := jsonOf(client["SupportedIdentityProviders"])
		cb := jsonOf(client["CallbackURLs"])
		if !prod {
			must(t, "no social sign-in without config", func() { s.tpl.ResourceCountIs(jsii.String("AWS::Cognito::UserPoolIdentityProvider"), jsii.Number(0)) })
			if idps != `["COGNITO"]` {
				t.Errorf("dev providers %s", idps)
			}
			if !strings.Contains(cb, `"/auth/callback"`) || !strings.Contains(cb, "http://localhost:8080/auth/callback") {
				t.Errorf("dev callbacks %s", cb)
			}
			continue
		}
		must(t, "three providers", func() { s.tpl.ResourceCountIs(jsii.String("AWS::Cognito::UserPoolIdentityProvider"), jsii.Number(3)) })
		for _, want := range []string{`"Google"`, `"SignInWithApple"`, `"Kakao"`, `"COGNITO"`} {
			if !strings.Contains(idps, want) {
				t.Errorf("prod providers %s lack %s", idps, want)
			}
		}
		if cb != `["https://woodshed.example.com/auth/callback"]` {
			t.Errorf("prod callbacks %s", cb)
		}
		for _, idp := range s.resources("AWS::Cognito::UserPoolIdentityProvider") {
			d := props(idp)["ProviderDetails"].(map[string]any)
			secret, _ := d["client_secret"].(string)
			if secret == "" {
				secret, _ = d["private_key"].(string)
			}
			if !strings.HasPrefix(secret, "{{resolve:secretsmanager:woodshed/prod/") {
				t.Errorf("%s secret is %q, want a Secrets Manager reference", props(idp)["ProviderName"], secret)
			}
		}
		must(t, "Kakao over OIDC", func() {
			s.tpl.HasResourceProperties(jsii.String("AWS::Cognito::UserPoolIdentityProvider"), like(map[string]any{
				"ProviderName": "Kakao", "ProviderType": "OIDC",
				"ProviderDetails": like(map[string]any{"oidc_issuer": "https://kauth.kakao.com", "client_id": "kakao-id"}),
			}))
		})
		// The client must wait for the providers it names.
		for id, c := range clients {
			deps := jsonOf(c["DependsOn"])
			for _, p := range []string{"Google", "Apple", "Kakao"} {
				if !strings.Contains(deps, p) {
					t.Errorf("client %s does not depend on %s: %s", id, p, deps)
				}
			}
		}
	}
}

func TestCloudFront(t *testing.T) {
	const cachingDisabled, cachingOptimized, allViewerExceptHost = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", "658327ea-f89d-4fab-a63d-7e88639e58f6", "b689b0a8-53d0-40ab-baf2-68738e2966ac"
	s := synth(t, devCtx)
	must(t, "one distribution, two functions, OAC for both buckets", func() {
		s.tpl.ResourceCountIs(jsii.String("AWS::CloudFront::Distribution"), jsii.Number(1))
		s.tpl.ResourceCountIs(jsii.String("AWS::CloudFront::Function"), jsii.Number(2))
		s.tpl.ResourceCountIs(jsii.String("AWS::CloudFront::OriginAccessControl"), jsii.Number(2))
	})
	var dc map[string]any
	for _, d := range s.resources("AWS::CloudFront::Distribution") {
		dc = props(d)["DistributionConfig"].(map[string]any)
	}
	def := dc["DefaultCacheBehavior"].(map[string]any)
	if def["ViewerProtocolPolicy"] != "redirect-to-https" || def["CachePolicyId"] != cachingOptimized || !strings.Contains(jsonOf(def["FunctionAssociations"]), "SpaFallback") {
		t.Errorf("default behavior %v", def)
	}
	behaviors := map[string]map[string]any{}
	for _, b := range dc["CacheBehaviors"].([]any) {
		behaviors[b.(map[string]any)["PathPattern"].(string)] = b.(map[string]any)
	}
	api := behaviors["/api/*"]
	if api == nil || api["CachePolicyId"] != cachingDisabled || api["OriginRequestPolicyId"] != allViewerExceptHost ||
		len(api["AllowedMethods"].([]any)) != 7 || !strings.Contains(jsonOf(api["FunctionAssociations"]), "StripApiPrefix") {
		t.Errorf("/api/* behavior %v", api)
	}
	if img := behaviors["/images/*"]; img == nil || img["CachePolicyId"] != cachingOptimized {
		t.Errorf("/images/* behavior %v", img)
	}
	origins := jsonOf(dc["Origins"])
	for _, want := range []string{`"OriginAccessControlId"`, `".execute-api."`, `"OriginProtocolPolicy":"https-only"`, `"https://woodshed-dev-images-`} {
		if want == `"https://woodshed-dev-images-` {
			want = `"woodshed-dev-images-"`
		}
		if !strings.Contains(origins, want) {
			t.Errorf("origins lack %s: %s", want, origins)
		}
	}
	if dc["Aliases"] != nil {
		t.Errorf("dev has aliases %v", dc["Aliases"])
	}
	must(t, "security headers", func() {
		s.tpl.HasResourceProperties(jsii.String("AWS::CloudFront::ResponseHeadersPolicy"), like(map[string]any{
			"ResponseHeadersPolicyConfig": like(map[string]any{"SecurityHeadersConfig": like(map[string]any{
				"StrictTransportSecurity": map[string]any{"AccessControlMaxAgeSec": 63072000, "IncludeSubdomains": true, "Preload": true, "Override": true},
				"ContentTypeOptions":      map[string]any{"Override": true},
				"FrameOptions":            map[string]any{"FrameOption": "DENY", "Override": true},
				"ReferrerPolicy":          map[string]any{"ReferrerPolicy": "strict-origin-when-cross-origin", "Override": true},
			})}),
		}))
	})
	var csp string
	for _, r := range s.resources("AWS::CloudFront::ResponseHeadersPolicy") {
		csp = jsonOf(props(r)["ResponseHeadersPolicyConfig"].(map[string]any)["SecurityHeadersConfig"].(map[string]any)["ContentSecurityPolicy"])
	}
	for _, want := range []string{"default-src 'self'", "script-src 'self';", "frame-ancestors 'none'", "object-src 'none'",
		"connect-src 'self' https://woodshed-dev-recordings-", ".amazoncognito.com", "media-src 'self' blob:"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP lacks %q: %s", want, csp)
		}
	}
	if strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
		t.Errorf("CSP allows inline or eval scripts: %s", csp)
	}

	p := synth(t, prodCtx)
	must(t, "prod custom domain", func() {
		p.tpl.HasResourceProperties(jsii.String("AWS::CloudFront::Distribution"), like(map[string]any{
			"DistributionConfig": like(map[string]any{
				"Aliases": []any{"woodshed.example.com"},
				"ViewerCertificate": like(map[string]any{"AcmCertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
					"MinimumProtocolVersion": "TLSv1.2_2021", "SslSupportMethod": "sni-only"}),
			}),
		}))
	})
}

func TestStagesAndOutputs(t *testing.T) {
	for _, ctx := range []map[string]string{devCtx, prodCtx} {
		s := synth(t, ctx)
		for _, o := range []string{"SiteUrl", "ApiUrl", "UserPoolId", "UserPoolClientId", "AuthDomain", "SiteBucketName", "DistributionId", "TableName"} {
			must(t, "output "+o, func() { s.tpl.HasOutput(jsii.String(o), like(map[string]any{"Value": assertions.Match_AnyValue()})) })
		}
	}
	p := synth(t, prodCtx)
	var site string
	for id, o := range p.json["Outputs"].(map[string]any) {
		if id == "SiteUrl" {
			site = jsonOf(o.(map[string]any)["Value"])
		}
	}
	if site != `"https://woodshed.example.com"` {
		t.Errorf("prod SiteUrl %s", site)
	}
	// Names carry the stage, so dev and prod can share an account.
	for name := range ours(p) {
		if !strings.HasPrefix(name, "woodshed-prod-") {
			t.Errorf("prod function %s", name)
		}
	}
	if StackName(Prod) != "Woodshed-prod" || StackName(Dev) != "Woodshed-dev" {
		t.Error("stack names")
	}
}

func TestOperations(t *testing.T) {
	rs, evs := testRoutes()
	fns, _ := Functions(rs, evs)
	s := synth(t, devCtx)
	// Errors and throttles per function, failed-events and error-log alarms per S3 function, the API's 5xx.
	want := 2*len(fns) + 2*len(evs) + 1
	must(t, "alarm count", func() { s.tpl.ResourceCountIs(jsii.String("AWS::CloudWatch::Alarm"), jsii.Number(want)) })
	must(t, "alarms notify the topic", func() {
		s.tpl.AllResourcesProperties(jsii.String("AWS::CloudWatch::Alarm"), like(map[string]any{
			"AlarmActions": []any{map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Alarms"))}},
		}))
	})
	must(t, "analyzer errors alarm", func() {
		s.tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), like(map[string]any{
			"AlarmName": "woodshed-dev-analyzer-errors", "MetricName": "Errors", "Namespace": "AWS/Lambda", "Threshold": 1,
		}))
	})
	must(t, "analyzer failed-events alarm on its queue", func() {
		s.tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), like(map[string]any{
			"AlarmName":  "woodshed-dev-analyzer-failed-events",
			"MetricName": "ApproximateNumberOfMessagesVisible",
			"Dimensions": []any{map[string]any{"Name": "QueueName", "Value": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^AnalyzerFailures")), "QueueName"}}}},
		}))
	})
	must(t, "analyzer error-log alarm", func() {
		s.tpl.HasResourceProperties(jsii.String("AWS::Logs::MetricFilter"), like(map[string]any{
			"LogGroupName":          map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^AnalyzerLogs"))},
			"FilterPattern":         `{ $.level = "ERROR" }`,
			"MetricTransformations": []any{like(map[string]any{"MetricName": "analyzer-error-logs", "MetricNamespace": "Woodshed/dev"})},
		}))
		s.tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), like(map[string]any{
			"AlarmName": "woodshed-dev-analyzer-error-logs", "MetricName": "analyzer-error-logs", "Threshold": errorLogThreshold,
		}))
	})
	must(t, "analyzer dead letters", func() {
		s.tpl.HasResourceProperties(jsii.String("AWS::Lambda::EventInvokeConfig"), like(map[string]any{
			"FunctionName":         map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Analyzer"))},
			"MaximumRetryAttempts": 2,
			"DestinationConfig":    map[string]any{"OnFailure": map[string]any{"Destination": map[string]any{"Fn::GetAtt": []any{assertions.Match_StringLikeRegexp(jsii.String("^AnalyzerFailures")), "Arn"}}}},
		}))
		s.tpl.HasResourceProperties(jsii.String("AWS::SQS::Queue"), like(map[string]any{
			"QueueName": "woodshed-dev-analyzer-failures", "MessageRetentionPeriod": 1209600, "SqsManagedSseEnabled": true,
		}))
	})
	must(t, "no email subscriber in dev", func() { s.tpl.ResourceCountIs(jsii.String("AWS::SNS::Subscription"), jsii.Number(0)) })
	p := synth(t, prodCtx)
	must(t, "prod alarm email", func() {
		p.tpl.HasResourceProperties(jsii.String("AWS::SNS::Subscription"), like(map[string]any{"Protocol": "email", "Endpoint": "ops@example.com"}))
	})
}

func TestSiteUpload(t *testing.T) {
	must(t, "dev without a built SPA uploads nothing", func() {
		synth(t, devCtx).tpl.ResourceCountIs(jsii.String("Custom::CDKBucketDeployment"), jsii.Number(0))
	})
	p := synth(t, prodCtx)
	must(t, "prod uploads the SPA and invalidates", func() {
		p.tpl.HasResourceProperties(jsii.String("Custom::CDKBucketDeployment"), like(map[string]any{
			"DestinationBucketName": map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Site"))},
			"DistributionId":        map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("^Cdn"))},
			"DistributionPaths":     []any{"/*"},
			"Prune":                 true,
		}))
	})
	var markers string
	for _, r := range p.resources("Custom::CDKBucketDeployment") {
		markers = jsonOf(props(r)["SourceMarkers"])
	}
	// config.json carries the deployed ids as markers CloudFormation fills in.
	for _, want := range []string{`"Ref":"Users`, `"Ref":"UsersSpa`} {
		if !strings.Contains(markers, want) {
			t.Errorf("site config lacks %s: %s", want, markers)
		}
	}
}

func TestNoWarningsOrErrors(t *testing.T) {
	for _, ctx := range []map[string]string{devCtx, prodCtx} {
		ann := assertions.Annotations_FromStack(synth(t, ctx).stack)
		must(t, "no warnings", func() { ann.HasNoWarning(jsii.String("*"), assertions.Match_AnyValue()) })
		must(t, "no errors", func() { ann.HasNoError(jsii.String("*"), assertions.Match_AnyValue()) })
	}
}
