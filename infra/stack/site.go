package stack

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3deployment"
	"github.com/aws/jsii-runtime-go"
)

// SiteConfigFile is written next to index.html: the SPA fetches it at start to learn the stack's ids.
const SiteConfigFile = "config.json"

// addSite uploads the built SPA with its config.json and invalidates the distribution, when the SPA
// has been built; otherwise the bucket stays as it is (make deploy after building web/ fills it).
func (b *builder) addSite() {
	if !b.cfg.SiteDirPresent() {
		if b.cfg.SiteDir != "" {
			awscdk.Annotations_Of(b.stack).AddInfo(jsii.String("no " + b.cfg.SiteDir + "/index.html: the SPA is not uploaded"))
		}
		return
	}
	a := b.auth
	config := map[string]any{
		"api_base_url":        "/api",
		"region":              *awscdk.Aws_REGION(),
		"user_pool_id":        *a.pool.UserPoolId(),
		"user_pool_client_id": *a.client.UserPoolClientId(),
		"auth_domain":         a.hostedUI,
		"redirect_uri":        b.cdn.siteURL + "/auth/callback",
		"logout_uri":          b.cdn.siteURL + "/",
		"identity_providers":  append([]string{}, a.idps...),
		"stage":               string(b.cfg.Stage),
	}
	awss3deployment.NewBucketDeployment(b.stack, jsii.String("SiteContent"), &awss3deployment.BucketDeploymentProps{
		Sources: &[]awss3deployment.ISource{
			awss3deployment.Source_Asset(jsii.String(b.cfg.SiteDir), nil),
			awss3deployment.Source_JsonData(jsii.String(SiteConfigFile), config, nil),
		},
		DestinationBucket: b.data.site,
		Distribution:      b.cdn.dist,
		DistributionPaths: jsii.Strings("/*"),
		Prune:             jsii.Bool(true),
		MemoryLimit:       jsii.Number(512),
	})
}
