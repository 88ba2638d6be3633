package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscognito"
	"github.com/aws/jsii-runtime-go"
)

type authRefs struct {
	pool     awscognito.UserPool
	client   awscognito.UserPoolClient
	domain   awscognito.UserPoolDomain
	hostedUI string
	idps     []string // names of the enabled social providers
}

// Kakao speaks OIDC; Cognito knows it as a custom provider of this name.
const (
	kakaoProviderName = "Kakao"
	kakaoIssuer       = "https://kauth.kakao.com"
)

func (b *builder) addAuth() {
	a := &b.auth
	a.pool = awscognito.NewUserPool(b.stack, jsii.String("Users"), &awscognito.UserPoolProps{
		UserPoolName:        b.name("users"),
		SelfSignUpEnabled:   jsii.Bool(true),
		SignInAliases:       &awscognito.SignInAliases{Email: jsii.Bool(true)},
		SignInCaseSensitive: jsii.Bool(false),
		AutoVerify:          &awscognito.AutoVerifiedAttrs{Email: jsii.Bool(true)},
		StandardAttributes: &awscognito.StandardAttributes{
			Email: &awscognito.StandardAttribute{Required: jsii.Bool(true), Mutable: jsii.Bool(true)},
		},
		UserVerification: &awscognito.UserVerificationConfig{
			EmailStyle:   awscognito.VerificationEmailStyle_CODE,
			EmailSubject: jsii.String("Your Woodshed confirmation code"),
			EmailBody:    jsii.String("Your Woodshed confirmation code is {####}"),
		},
		PasswordPolicy: &awscognito.PasswordPolicy{
			MinLength:            jsii.Number(10),
			RequireLowercase:     jsii.Bool(true),
			RequireUppercase:     jsii.Bool(true),
			RequireDigits:        jsii.Bool(true),
			RequireSymbols:       jsii.Bool(false),
			TempPasswordValidity: awscdk.Duration_Days(jsii.Number(3)),
		},
		AccountRecovery:    awscognito.AccountRecovery_EMAIL_ONLY,
		DeletionProtection: jsii.Bool(b.prod()),
		RemovalPolicy:      b.removal(),
	})

	providers := []awscognito.UserPoolClientIdentityProvider{awscognito.UserPoolClientIdentityProvider_COGNITO()}
	var deps []awscdk.Resource
	if g := b.cfg.Google; g.Enabled() {
		deps = append(deps, awscognito.NewUserPoolIdentityProviderGoogle(b.stack, jsii.String("Google"), &awscognito.UserPoolIdentityProviderGoogleProps{
			UserPool:          a.pool,
			ClientId:          jsii.String(g.ClientID),
			ClientSecretValue: awscdk.SecretValue_SecretsManager(jsii.String(g.SecretName), nil),
			Scopes:            jsii.Strings("openid", "email", "profile"),
			AttributeMapping: &awscognito.AttributeMapping{
				Email:         awscognito.ProviderAttribute_GOOGLE_EMAIL(),
				EmailVerified: awscognito.ProviderAttribute_GOOGLE_EMAIL_VERIFIED(),
			},
		}))
		providers = append(providers, awscognito.UserPoolClientIdentityProvider_GOOGLE())
		a.idps = append(a.idps, "Google")
	}
	if ap := b.cfg.Apple; ap.Enabled() {
		deps = append(deps, awscognito.NewUserPoolIdentityProviderApple(b.stack, jsii.String("Apple"), &awscognito.UserPoolIdentityProviderAppleProps{
			UserPool:        a.pool,
			ClientId:        jsii.String(ap.ServicesID),
			TeamId:          jsii.String(ap.TeamID),
			KeyId:           jsii.String(ap.KeyID),
			PrivateKeyValue: awscdk.SecretValue_SecretsManager(jsii.String(ap.SecretName), nil),
			Scopes:          jsii.Strings("email", "name"),
			AttributeMapping: &awscognito.AttributeMapping{
				Email:         awscognito.ProviderAttribute_APPLE_EMAIL(),
				EmailVerified: awscognito.ProviderAttribute_APPLE_EMAIL_VERIFIED(),
			},
		}))
		providers = append(providers, awscognito.UserPoolClientIdentityProvider_APPLE())
		a.idps = append(a.idps, "SignInWithApple")
	}
	if k := b.cfg.Kakao; k.Enabled() {
		// The OIDC construct takes the secret as a string: a Secrets Manager dynamic reference that
		// CloudFormation resolves at deploy time, so the value is never in the template.
		secret := awscdk.SecretValue_SecretsManager(jsii.String(k.SecretName), nil).UnsafeUnwrap()
		deps = append(deps, awscognito.NewUserPoolIdentityProviderOidc(b.stack, jsii.String("Kakao"), &awscognito.UserPoolIdentityProviderOidcProps{
			UserPool:               a.pool,
			Name:                   jsii.String(kakaoProviderName),
			ClientId:               jsii.String(k.ClientID),
			ClientSecret:           secret,
			IssuerUrl:              jsii.String(kakaoIssuer),
			Scopes:                 jsii.Strings("openid", "account_email"),
			AttributeRequestMethod: awscognito.OidcAttributeRequestMethod_GET,
			AttributeMapping: &awscognito.AttributeMapping{
				Email: awscognito.ProviderAttribute_Other(jsii.String("email")),
			},
		}))
		providers = append(providers, awscognito.UserPoolClientIdentityProvider_Custom(jsii.String(kakaoProviderName)))
		a.idps = append(a.idps, kakaoProviderName)
	}

	site := b.cdn.siteURL
	callbacks, logouts := b.cfg.CallbackURLs, b.cfg.LogoutURLs
	if len(callbacks) == 0 {
		callbacks = []string{site + "/auth/callback"}
		if !b.prod() {
			callbacks = append(callbacks, "http://localhost:8080/auth/callback")
		}
	}
	if len(logouts) == 0 {
		logouts = []string{site + "/"}
		if !b.prod() {
			logouts = append(logouts, "http://localhost:8080/")
		}
	}

	// A public client (no secret): the SPA uses the authorization code flow with PKCE, which
	// Cognito requires of clients without a secret; the API's own /auth routes use USER_PASSWORD_AUTH.
	a.client = a.pool.AddClient(jsii.String("Spa"), &awscognito.UserPoolClientOptions{
		UserPoolClientName: b.name("spa"),
		GenerateSecret:     jsii.Bool(false),
		AuthFlows:          &awscognito.AuthFlow{UserPassword: jsii.Bool(true), UserSrp: jsii.Bool(true)},
		OAuth: &awscognito.OAuthSettings{
			Flows:        &awscognito.OAuthFlows{AuthorizationCodeGrant: jsii.Bool(true)},
			Scopes:       &[]awscognito.OAuthScope{awscognito.OAuthScope_OPENID(), awscognito.OAuthScope_EMAIL(), awscognito.OAuthScope_PROFILE()},
			CallbackUrls: jsii.Strings(callbacks...),
			LogoutUrls:   jsii.Strings(logouts...),
		},
		AccessTokenValidity:        awscdk.Duration_Hours(jsii.Number(1)),
		IdTokenValidity:            awscdk.Duration_Hours(jsii.Number(1)),
		RefreshTokenValidity:       awscdk.Duration_Days(jsii.Number(30)),
		EnableTokenRevocation:      jsii.Bool(true),
		PreventUserExistenceErrors: jsii.Bool(true),
		SupportedIdentityProviders: &providers,
	})
	// The client names the providers, so they must exist first.
	for _, d := range deps {
		a.client.Node().AddDependency(d)
	}

	a.domain = a.pool.AddDomain(jsii.String("HostedUi"), &awscognito.UserPoolDomainOptions{
		CognitoDomain: &awscognito.CognitoDomainOptions{DomainPrefix: jsii.String(b.cfg.AuthDomainPrefix)},
	})
	a.hostedUI = *a.domain.BaseUrl(nil)
}
