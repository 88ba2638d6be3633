// Package identity is the one adapter to the Cognito user pool: sign-up, confirmation, tokens and
// password resets. Cognito's errors become the sentinel errors below.
package identity

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/aws/smithy-go"

	"woodshed/shared/awscfg"
	"woodshed/shared/config"
)

// Errors callers can test with errors.Is.
var (
	ErrUserExists      = errors.New("an account with this email already exists")
	ErrInvalidPassword = errors.New("password does not meet the policy")
	ErrCodeMismatch    = errors.New("the code is wrong")
	ErrCodeExpired     = errors.New("the code has expired; ask for a new one")
	ErrNotConfirmed    = errors.New("the account is not confirmed yet")
	ErrNotAuthorized   = errors.New("email or password is wrong, or the token is no longer valid")
	ErrUserNotFound    = errors.New("no such user")
	ErrTooManyRequests = errors.New("too many requests; try again later")
	ErrInvalidInput    = errors.New("the request was refused as invalid")
	ErrAlreadyDone     = errors.New("the account is already confirmed")
)

// Tokens are the tokens Cognito issues at login and refresh.
type Tokens struct {
	AccessToken  string `json:"access_token"`
	IDToken      string `json:"id_token"`
	RefreshToken string `json:"refresh_token,omitempty"`
	ExpiresIn    int32  `json:"expires_in"`
	TokenType    string `json:"token_type"`
}

// User is what the pool knows of an account.
type User struct {
	ID        string // the `sub`
	Email     string
	Confirmed bool
}

// Pool talks to one user pool through one app client (no client secret, as the SPA's).
type Pool struct {
	api      *cip.Client
	poolID   string
	clientID string
}

// New builds the adapter from config.
func New(ctx context.Context, cfg config.Config) (*Pool, error) {
	if cfg.UserPoolID == "" || cfg.ClientID == "" {
		return nil, fmt.Errorf("identity: USER_POOL_ID and USER_POOL_CLIENT_ID are required")
	}
	awsCfg, err := awscfg.Load(ctx, cfg)
	if err != nil {
		return nil, err
	}
	api := cip.NewFromConfig(awsCfg, func(o *cip.Options) {
		if cfg.CognitoEndpoint != "" {
			o.BaseEndpoint = aws.String(cfg.CognitoEndpoint)
		}
	})
	return &Pool{api: api, poolID: cfg.UserPoolID, clientID: cfg.ClientID}, nil
}

// SignUp creates an unconfirmed account and sends the confirmation code; it returns the new user's id.
func (p *Pool) SignUp(ctx context.Context, email, password string) (string, error) {
	out, err := p.api.SignUp(ctx, &cip.SignUpInput{
		ClientId: aws.String(p.clientID),
		Username: aws.String(email),
		Password: aws.String(password),
		UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String(email)},
		},
	})
	if err != nil {
		return "", wrap("sign up", err)
	}
	return aws.ToString(out.UserSub), nil
}

// ConfirmSignUp checks the emailed code.
func (p *Pool) ConfirmSignUp(ctx context.Context, email, code string) error {
	_, err := p.api.ConfirmSignUp(ctx, &cip.ConfirmSignUpInput{
		ClientId: aws.String(p.clientID), Username: aws.String(email), ConfirmationCode: aws.String(code),
	})
	return wrap("confirm sign-up", err)
}

// ResendCode sends the confirmation code again.
func (p *Pool) ResendCode(ctx context.Context, email string) error {
	_, err := p.api.ResendConfirmationCode(ctx, &cip.ResendConfirmationCodeInput{
		ClientId: aws.String(p.clientID), Username: aws.String(email),
	})
	if errors.Is(wrap("", err), ErrInvalidInput) {
		// Cognito's answer for a confirmed user.
		return fmt.Errorf("resend code: %w", ErrAlreadyDone)
	}
	return wrap("resend code", err)
}

// Login exchanges email and password for tokens.
func (p *Pool) Login(ctx context.Context, email, password string) (Tokens, error) {
	out, err := p.api.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeUserPasswordAuth,
		ClientId:       aws.String(p.clientID),
		AuthParameters: map[string]string{"USERNAME": email, "PASSWORD": password},
	})
	if err != nil {
		return Tokens{}, wrap("login", err)
	}
	return tokens(out.AuthenticationResult)
}

// Refresh exchanges a refresh token for new access and id tokens.
func (p *Pool) Refresh(ctx context.Context, refreshToken string) (Tokens, error) {
	out, err := p.api.InitiateAuth(ctx, &cip.InitiateAuthInput{
		AuthFlow:       types.AuthFlowTypeRefreshTokenAuth,
		ClientId:       aws.String(p.clientID),
		AuthParameters: map[string]string{"REFRESH_TOKEN": refreshToken},
	})
	if err != nil {
		return Tokens{}, wrap("refresh", err)
	}
	t, err := tokens(out.AuthenticationResult)
	t.RefreshToken = "" // Cognito keeps the same refresh token; never echo it back
	return t, err
}

// Revoke revokes a refresh token and the tokens issued from it.
func (p *Pool) Revoke(ctx context.Context, refreshToken string) error {
	_, err := p.api.RevokeToken(ctx, &cip.RevokeTokenInput{ClientId: aws.String(p.clientID), Token: aws.String(refreshToken)})
	return wrap("revoke token", err)
}

// ForgotPassword sends a reset code.
func (p *Pool) ForgotPassword(ctx context.Context, email string) error {
	_, err := p.api.ForgotPassword(ctx, &cip.ForgotPasswordInput{ClientId: aws.String(p.clientID), Username: aws.String(email)})
	return wrap("forgot password", err)
}

// ResetPassword sets a new password with the reset code.
func (p *Pool) ResetPassword(ctx context.Context, email, code, newPassword string) error {
	_, err := p.api.ConfirmForgotPassword(ctx, &cip.ConfirmForgotPasswordInput{
		ClientId: aws.String(p.clientID), Username: aws.String(email),
		ConfirmationCode: aws.String(code), Password: aws.String(newPassword),
	})
	return wrap("reset password", err)
}

// GetUser looks an account up by email.
func (p *Pool) GetUser(ctx context.Context, email string) (User, error) {
	out, err := p.api.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String(email)})
	if err != nil {
		return User{}, wrap("get user", err)
	}
	u := User{Confirmed: out.UserStatus == types.UserStatusTypeConfirmed}
	for _, a := range out.UserAttributes {
		switch aws.ToString(a.Name) {
		case "sub":
			u.ID = aws.ToString(a.Value)
		case "email":
			u.Email = aws.ToString(a.Value)
		}
	}
	if u.ID == "" {
		return User{}, fmt.Errorf("get user: pool returned no sub")
	}
	return u, nil
}

// DeleteUser removes an account (used to undo a sign-up that could not be completed).
func (p *Pool) DeleteUser(ctx context.Context, email string) error {
	_, err := p.api.AdminDeleteUser(ctx, &cip.AdminDeleteUserInput{UserPoolId: aws.String(p.poolID), Username: aws.String(email)})
	return wrap("delete user", err)
}

func tokens(r *types.AuthenticationResultType) (Tokens, error) {
	if r == nil {
		// A challenge (e.g. NEW_PASSWORD_REQUIRED) instead of tokens: not a flow the app offers.
		return Tokens{}, fmt.Errorf("login: %w", ErrNotAuthorized)
	}
	t := Tokens{
		AccessToken: aws.ToString(r.AccessToken), IDToken: aws.ToString(r.IdToken),
		RefreshToken: aws.ToString(r.RefreshToken), ExpiresIn: r.ExpiresIn, TokenType: aws.ToString(r.TokenType),
	}
	// cognito-local leaves these out; the API promises them, so derive them as Cognito sets them.
	if t.TokenType == "" {
		t.TokenType = "Bearer"
	}
	if t.ExpiresIn == 0 {
		t.ExpiresIn = secondsLeft(t.AccessToken)
	}
	return t, nil
}

// secondsLeft reads the exp claim of a token the pool just issued (no need to verify it here).
func secondsLeft(token string) int32 {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return 0
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return 0
	}
	var c struct {
		Exp int64 `json:"exp"`
	}
	if json.Unmarshal(payload, &c) != nil || c.Exp == 0 {
		return 0
	}
	return int32(max(0, time.Until(time.Unix(c.Exp, 0)).Round(time.Second)/time.Second))
}

// wrap maps Cognito's error codes to this package's errors, keeping the original for logs.
func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("%s: %w", op, err)
	}
	var kind error
	switch apiErr.ErrorCode() {
	case "UsernameExistsException", "AliasExistsException":
		kind = ErrUserExists
	case "InvalidPasswordException":
		kind = ErrInvalidPassword
	case "CodeMismatchException":
		kind = ErrCodeMismatch
	case "ExpiredCodeException":
		kind = ErrCodeExpired
	case "UserNotConfirmedException":
		kind = ErrNotConfirmed
	case "NotAuthorizedException":
		kind = ErrNotAuthorized
	case "UserNotFoundException":
		kind = ErrUserNotFound
	case "TooManyRequestsException", "LimitExceededException", "TooManyFailedAttemptsException":
		kind = ErrTooManyRequests
	case "InvalidParameterException":
		kind = ErrInvalidInput
	default:
		return fmt.Errorf("%s: %w", op, err)
	}
	return fmt.Errorf("%s: %w (%s)", op, kind, apiErr.ErrorCode())
}
