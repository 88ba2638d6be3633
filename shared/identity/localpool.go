package identity

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
)

// localPoolFile remembers the pool and client EnsureLocalPool made, so restarts of the local
// stack keep the same ids (and so the same accounts and token issuer).
const localPoolFile = "woodshed-pool.json"

type localPool struct {
	PoolID   string `json:"pool_id"`
	ClientID string `json:"client_id"`
}

// EnsureLocalPool makes sure cognito-local at endpoint has the service's user pool — email as
// the username, email auto-verified, the deployed password policy — and an SPA app client
// (no secret; USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH). The ids are kept in dataDir and
// reused while cognito-local still knows them.
func EnsureLocalPool(ctx context.Context, endpoint, region, dataDir string) (poolID, clientID string, err error) {
	if endpoint == "" || dataDir == "" {
		return "", "", errors.New("identity: EnsureLocalPool needs the cognito-local endpoint and a data dir")
	}
	c := newLocalPoolClient(endpoint, region)
	path := filepath.Join(dataDir, localPoolFile)

	if b, err := os.ReadFile(path); err == nil {
		var p localPool
		if json.Unmarshal(b, &p) == nil && p.PoolID != "" && p.ClientID != "" {
			_, err := c.DescribeUserPoolClient(ctx, &cip.DescribeUserPoolClientInput{
				UserPoolId: aws.String(p.PoolID), ClientId: aws.String(p.ClientID),
			})
			if err == nil {
				return p.PoolID, p.ClientID, nil
			}
			var nf *types.ResourceNotFoundException
			if !errors.As(err, &nf) {
				return "", "", fmt.Errorf("identity: check local pool %s: %w", p.PoolID, err)
			}
		}
	}

	pool, err := c.CreateUserPool(ctx, &cip.CreateUserPoolInput{
		PoolName:               aws.String("woodshed"),
		UsernameAttributes:     []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		AutoVerifiedAttributes: []types.VerifiedAttributeType{types.VerifiedAttributeTypeEmail},
		Policies: &types.UserPoolPolicyType{PasswordPolicy: &types.PasswordPolicyType{
			MinimumLength: aws.Int32(8), RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: false,
		}},
	})
	if err != nil {
		return "", "", fmt.Errorf("identity: create local pool: %w", err)
	}
	poolID = aws.ToString(pool.UserPool.Id)
	client, err := c.CreateUserPoolClient(ctx, &cip.CreateUserPoolClientInput{
		UserPoolId: aws.String(poolID),
		ClientName: aws.String("web"),
		ExplicitAuthFlows: []types.ExplicitAuthFlowsType{
			types.ExplicitAuthFlowsTypeAllowUserPasswordAuth, types.ExplicitAuthFlowsTypeAllowRefreshTokenAuth,
		},
		AccessTokenValidity:  aws.Int32(60),
		IdTokenValidity:      aws.Int32(60),
		RefreshTokenValidity: 30,
		TokenValidityUnits: &types.TokenValidityUnitsType{
			AccessToken: types.TimeUnitsTypeMinutes, IdToken: types.TimeUnitsTypeMinutes, RefreshToken: types.TimeUnitsTypeDays,
		},
		EnableTokenRevocation: aws.Bool(true),
	})
	if err != nil {
		return "", "", fmt.Errorf("identity: create local app client: %w", err)
	}
	clientID = aws.ToString(client.UserPoolClient.ClientId)

	b, _ := json.Marshal(localPool{PoolID: poolID, ClientID: clientID})
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return "", "", fmt.Errorf("identity: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return "", "", fmt.Errorf("identity: save local pool ids: %w", err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return "", "", fmt.Errorf("identity: save local pool ids: %w", err)
	}
	return poolID, clientID, nil
}

// newLocalPoolClient talks to cognito-local with fixed credentials (it checks none).
func newLocalPoolClient(endpoint, region string) *cip.Client {
	return cip.New(cip.Options{
		Region:       region,
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
		BaseEndpoint: aws.String(endpoint),
	})
}

// DropLocalPool deletes a pool from cognito-local; tests attached to a running local stack
// use it to leave no pools behind.
func DropLocalPool(ctx context.Context, endpoint, region, poolID string) error {
	_, err := newLocalPoolClient(endpoint, region).DeleteUserPool(ctx, &cip.DeleteUserPoolInput{UserPoolId: aws.String(poolID)})
	if err != nil {
		return fmt.Errorf("identity: drop local pool %s: %w", poolID, err)
	}
	return nil
}
