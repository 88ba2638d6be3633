package stack

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// Stage is a deployment of the whole service: its own stack, names and removal policies.
type Stage string

const (
	Dev  Stage = "dev"
	Prod Stage = "prod"
)

// Config is everything the stack reads from CDK context (cdk.json or -c key=value).
type Config struct {
	Stage    Stage
	AssetDir string // folder holding <function>/bootstrap, built by make build

	// Optional custom domain for the CloudFront distribution; the certificate must live in us-east-1.
	DomainName     string
	CertificateArn string

	AuthDomainPrefix string   // Cognito hosted UI domain prefix, unique per region
	CallbackURLs     []string // OAuth callback URLs of the SPA; default: <site>/auth/callback
	LogoutURLs       []string // OAuth sign-out URLs of the SPA; default: <site>/

	// Social sign-in: each provider is enabled only when its client id and secret name are both set.
	// Secrets are read from Secrets Manager by name at deploy time and never appear in the repo or template.
	Google IdP
	Apple  AppleIdP
	Kakao  IdP

	AlarmEmail string // optional subscriber of the alarm topic

	APIRateLimit  float64 // steady requests per second for the whole API stage
	APIBurstLimit float64
	// Public POST routes (sign-up, login, password reset) get a tighter limit against brute force.
	PublicWriteRateLimit  float64
	PublicWriteBurstLimit float64

	SiteDir string // built SPA to upload to the site bucket; empty or missing folder: upload skipped
}

// IdP is an OAuth/OIDC provider configured by client id and the name of the secret holding its client secret.
type IdP struct {
	ClientID   string
	SecretName string
}

// Enabled reports whether the provider is configured.
func (p IdP) Enabled() bool { return p.ClientID != "" && p.SecretName != "" }

// AppleIdP is Sign in with Apple: the services id, team and key ids, and the secret holding the private key.
type AppleIdP struct {
	ServicesID string
	TeamID     string
	KeyID      string
	SecretName string
}

// Enabled reports whether every Apple setting is present.
func (p AppleIdP) Enabled() bool {
	return p.ServicesID != "" && p.TeamID != "" && p.KeyID != "" && p.SecretName != ""
}

// Context keys read by ConfigFromContext.
const (
	KeyStage            = "stage"
	KeyAssetDir         = "assetDir"
	KeyDomainName       = "domainName"
	KeyCertificateArn   = "certificateArn"
	KeyAuthDomainPrefix = "authDomainPrefix"
	KeyCallbackURLs     = "callbackUrls"
	KeyLogoutURLs       = "logoutUrls"
	KeyGoogleClientID   = "googleClientId"
	KeyGoogleSecret     = "googleSecretName"
	KeyAppleServicesID  = "appleServicesId"
	KeyAppleTeamID      = "appleTeamId"
	KeyAppleKeyID       = "appleKeyId"
	KeyAppleSecret      = "appleSecretName"
	KeyKakaoClientID    = "kakaoClientId"
	KeyKakaoSecret      = "kakaoSecretName"
	KeyAlarmEmail       = "alarmEmail"
	KeyAPIRateLimit     = "apiRateLimit"
	KeyAPIBurstLimit    = "apiBurstLimit"
	KeySiteDir          = "siteDir"
)

var prefixRE = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)

// ConfigFromContext builds the config from a context lookup (node.TryGetContext turned into strings);
// bad or contradictory values are errors so a wrong -c flag fails the synth, not the deploy.
func ConfigFromContext(get func(key string) string) (Config, error) {
	c := Config{
		Stage:            Stage(strings.ToLower(get(KeyStage))),
		AssetDir:         get(KeyAssetDir),
		DomainName:       get(KeyDomainName),
		CertificateArn:   get(KeyCertificateArn),
		AuthDomainPrefix: get(KeyAuthDomainPrefix),
		CallbackURLs:     splitList(get(KeyCallbackURLs)),
		LogoutURLs:       splitList(get(KeyLogoutURLs)),
		Google:           IdP{ClientID: get(KeyGoogleClientID), SecretName: get(KeyGoogleSecret)},
		Apple: AppleIdP{ServicesID: get(KeyAppleServicesID), TeamID: get(KeyAppleTeamID),
			KeyID: get(KeyAppleKeyID), SecretName: get(KeyAppleSecret)},
		Kakao:      IdP{ClientID: get(KeyKakaoClientID), SecretName: get(KeyKakaoSecret)},
		AlarmEmail: get(KeyAlarmEmail),
		SiteDir:    get(KeySiteDir),
	}
	if c.Stage == "" {
		c.Stage = Dev
	}
	if c.Stage != Dev && c.Stage != Prod {
		return c, fmt.Errorf("config: stage %q: want dev or prod", c.Stage)
	}
	if c.AssetDir == "" {
		c.AssetDir = "build"
	}
	if (c.DomainName == "") != (c.CertificateArn == "") {
		return c, fmt.Errorf("config: %s and %s go together (certificate in us-east-1)", KeyDomainName, KeyCertificateArn)
	}
	if c.CertificateArn != "" && !strings.HasPrefix(c.CertificateArn, "arn:aws:acm:us-east-1:") {
		return c, fmt.Errorf("config: %s %q: CloudFront needs an ACM certificate in us-east-1", KeyCertificateArn, c.CertificateArn)
	}
	if c.AuthDomainPrefix == "" {
		c.AuthDomainPrefix = "woodshed-" + string(c.Stage)
	}
	if !prefixRE.MatchString(c.AuthDomainPrefix) || strings.Contains(c.AuthDomainPrefix, "cognito") || strings.Contains(c.AuthDomainPrefix, "aws") {
		return c, fmt.Errorf("config: %s %q: lower-case letters, digits and hyphens, without aws or cognito", KeyAuthDomainPrefix, c.AuthDomainPrefix)
	}
	for _, u := range append(append([]string{}, c.CallbackURLs...), c.LogoutURLs...) {
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://localhost") {
			return c, fmt.Errorf("config: OAuth URL %q: must be https (or http://localhost)", u)
		}
	}
	if err := partial("google", c.Google.ClientID, c.Google.SecretName); err != nil {
		return c, err
	}
	if err := partial("kakao", c.Kakao.ClientID, c.Kakao.SecretName); err != nil {
		return c, err
	}
	if err := partial("apple", c.Apple.ServicesID, c.Apple.TeamID, c.Apple.KeyID, c.Apple.SecretName); err != nil {
		return c, err
	}

	// Stage defaults: dev is throttled low, so a leaked dev URL costs little; prod gets headroom.
	c.APIRateLimit, c.APIBurstLimit = 50, 100
	c.PublicWriteRateLimit, c.PublicWriteBurstLimit = 5, 10
	if c.Stage == Prod {
		c.APIRateLimit, c.APIBurstLimit = 500, 1000
		c.PublicWriteRateLimit, c.PublicWriteBurstLimit = 20, 40
	}
	var err error
	if c.APIRateLimit, err = number(get(KeyAPIRateLimit), c.APIRateLimit); err != nil {
		return c, fmt.Errorf("config: %s: %w", KeyAPIRateLimit, err)
	}
	if c.APIBurstLimit, err = number(get(KeyAPIBurstLimit), c.APIBurstLimit); err != nil {
		return c, fmt.Errorf("config: %s: %w", KeyAPIBurstLimit, err)
	}
	return c, nil
}

// SiteDirPresent reports whether a built SPA is there to upload.
func (c Config) SiteDirPresent() bool {
	if c.SiteDir == "" {
		return false
	}
	_, err := os.Stat(filepath.Join(c.SiteDir, "index.html"))
	return err == nil
}

// partial rejects a provider that is only half configured: silently skipping it would hide a typo.
func partial(name string, vals ...string) error {
	set := 0
	for _, v := range vals {
		if v != "" {
			set++
		}
	}
	if set != 0 && set != len(vals) {
		return fmt.Errorf("config: %s sign-in is half configured: give all of its client id and secret settings or none", name)
	}
	return nil
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func number(s string, def float64) (float64, error) {
	if s == "" {
		return def, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("%q is not a positive number", s)
	}
	return v, nil
}
