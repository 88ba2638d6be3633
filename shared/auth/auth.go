// Package auth is the account service behind the /auth endpoints: it validates input, keeps the
// nickname reservation and the profile item in step with the user pool, and hides whether an
// email exists where the API promises to.
package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"strings"
	"time"
	"unicode"

	"woodshed/shared/identity"
	"woodshed/shared/profile"
	"woodshed/shared/store"
	"woodshed/shared/timezone"
	"woodshed/shared/valid"
)

// Identity is the user pool as the service needs it.
type Identity interface {
	SignUp(ctx context.Context, email, password string) (string, error)
	ConfirmSignUp(ctx context.Context, email, code string) error
	ResendCode(ctx context.Context, email string) error
	Login(ctx context.Context, email, password string) (identity.Tokens, error)
	Refresh(ctx context.Context, refreshToken string) (identity.Tokens, error)
	Revoke(ctx context.Context, refreshToken string) error
	ForgotPassword(ctx context.Context, email string) error
	ResetPassword(ctx context.Context, email, code, newPassword string) error
	GetUser(ctx context.Context, email string) (identity.User, error)
	DeleteUser(ctx context.Context, email string) error
}

// Accounts is the part of the store that sign-up uses.
type Accounts interface {
	ReserveNickname(ctx context.Context, key, token string, until time.Time) error
	ReleaseNickname(ctx context.Context, key, token string) error
	CreateAccount(ctx context.Context, a store.Account, token string, until time.Time) error
	ConfirmAccount(ctx context.Context, userID string) error
}

// ErrRegistrationExpired: the code was right but the pending sign-up (and its nickname) lapsed.
var ErrRegistrationExpired = errors.New("this sign-up expired; please register again")

// PendingFor is how long an unconfirmed sign-up holds its nickname. Longer than the code's
// validity so a user who confirms late still finds the nickname theirs.
const PendingFor = 7 * 24 * time.Hour

// DefaultTimeZone is the first users' zone, used until the profile says otherwise.
const DefaultTimeZone = "Asia/Seoul"

// Service implements the account flows.
type Service struct {
	pool     Identity
	accounts Accounts
	now      func() time.Time
}

// New builds the service.
func New(pool Identity, accounts Accounts) *Service {
	return &Service{pool: pool, accounts: accounts, now: time.Now}
}

// Registration is the result of a sign-up.
type Registration struct {
	UserID               string `json:"user_id"`
	ConfirmationRequired bool   `json:"confirmation_required"`
}

// Register creates an unconfirmed account: the nickname is reserved first so a taken nickname
// never creates a user (nor sends a code), and released again if the pool refuses the sign-up.
func (s *Service) Register(ctx context.Context, email, password, nickname, timeZone string) (Registration, error) {
	email, err := NormalizeEmail(email)
	var fe valid.Errors
	if err != nil {
		fe.Add("email", err.Error())
	}
	if err := CheckPassword(password); err != nil {
		fe.Add("password", err.Error())
	}
	nickname, err = profile.ParseNickname(nickname)
	if err != nil {
		fe.Add("nickname", strings.TrimPrefix(err.Error(), "nickname "))
	}
	key := profile.NicknameKey(nickname)
	if timeZone == "" {
		timeZone = DefaultTimeZone
	} else if _, err := timezone.Load(timeZone); err != nil {
		fe.Add("time_zone", "must be an IANA time zone such as Asia/Seoul")
	}
	if len(fe) > 0 {
		return Registration{}, fe
	}
	token := randomToken()
	until := s.now().Add(PendingFor)
	if err := s.accounts.ReserveNickname(ctx, key, token, until); err != nil {
		return Registration{}, fmt.Errorf("register: %w", err)
	}
	userID, err := s.pool.SignUp(ctx, email, password)
	if err != nil {
		s.release(ctx, key, token)
		return Registration{}, fmt.Errorf("register: %w", err)
	}
	acct := store.Account{UserID: userID, Email: email, Nickname: nickname, NicknameKey: key,
		TimeZone: timeZone, Visibility: "private", CreatedAt: s.now().UTC().Truncate(time.Second)}
	if err := s.accounts.CreateAccount(ctx, acct, token, until); err != nil {
		// Undo the pool's user so the email is free for a retry.
		if derr := s.pool.DeleteUser(ctx, email); derr != nil {
			slog.ErrorContext(ctx, "undo sign-up", "user_id", userID, "error", derr.Error())
		}
		s.release(ctx, key, token)
		return Registration{}, fmt.Errorf("register: %w", err)
	}
	return Registration{UserID: userID, ConfirmationRequired: true}, nil
}

func (s *Service) release(ctx context.Context, key, token string) {
	if err := s.accounts.ReleaseNickname(ctx, key, token); err != nil {
		slog.ErrorContext(ctx, "release nickname", "error", err.Error())
	}
}

// Confirm checks the sign-up code and makes the profile and nickname permanent.
func (s *Service) Confirm(ctx context.Context, email, code string) error {
	email, err := s.checkEmailCode(email, code)
	if err != nil {
		return err
	}
	if err := s.pool.ConfirmSignUp(ctx, email, code); err != nil {
		return fmt.Errorf("confirm: %w", err)
	}
	u, err := s.pool.GetUser(ctx, email)
	if err != nil {
		return fmt.Errorf("confirm: %w", err)
	}
	if err := s.accounts.ConfirmAccount(ctx, u.ID); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			if derr := s.pool.DeleteUser(ctx, email); derr != nil {
				slog.ErrorContext(ctx, "delete expired sign-up", "user_id", u.ID, "error", derr.Error())
			}
			return ErrRegistrationExpired
		}
		return fmt.Errorf("confirm: %w", err)
	}
	return nil
}

// ResendCode sends the sign-up code again. Unknown emails get the same answer as known ones.
func (s *Service) ResendCode(ctx context.Context, email string) error {
	email, err := NormalizeEmail(email)
	if err != nil {
		return valid.Errors{{Field: "email", Message: err.Error()}}
	}
	if err := s.pool.ResendCode(ctx, email); err != nil && !errors.Is(err, identity.ErrUserNotFound) {
		return fmt.Errorf("resend code: %w", err)
	}
	return nil
}

// Login exchanges credentials for tokens. An unknown email and a wrong password look the same.
func (s *Service) Login(ctx context.Context, email, password string) (identity.Tokens, error) {
	email, err := NormalizeEmail(email)
	if err != nil || password == "" {
		return identity.Tokens{}, identity.ErrNotAuthorized
	}
	t, err := s.pool.Login(ctx, email, password)
	if errors.Is(err, identity.ErrUserNotFound) || errors.Is(err, identity.ErrInvalidPassword) {
		return identity.Tokens{}, identity.ErrNotAuthorized
	}
	return t, err
}

// Refresh issues new access and id tokens.
func (s *Service) Refresh(ctx context.Context, refreshToken string) (identity.Tokens, error) {
	if refreshToken == "" {
		return identity.Tokens{}, valid.Errors{{Field: "refresh_token", Message: "is required"}}
	}
	return s.pool.Refresh(ctx, refreshToken)
}

// Logout revokes the refresh token.
func (s *Service) Logout(ctx context.Context, refreshToken string) error {
	if refreshToken == "" {
		return valid.Errors{{Field: "refresh_token", Message: "is required"}}
	}
	return s.pool.Revoke(ctx, refreshToken)
}

// ForgotPassword sends a reset code; it answers the same whether or not the email exists.
func (s *Service) ForgotPassword(ctx context.Context, email string) error {
	email, err := NormalizeEmail(email)
	if err != nil {
		return valid.Errors{{Field: "email", Message: err.Error()}}
	}
	err = s.pool.ForgotPassword(ctx, email)
	if errors.Is(err, identity.ErrUserNotFound) || errors.Is(err, identity.ErrInvalidInput) || errors.Is(err, identity.ErrNotAuthorized) {
		return nil
	}
	return err
}

// ResetPassword sets a new password with the emailed code.
func (s *Service) ResetPassword(ctx context.Context, email, code, newPassword string) error {
	email, err := s.checkEmailCode(email, code)
	var fe valid.Errors
	if err != nil {
		fe = append(fe, err.(valid.Errors)...)
	}
	if err := CheckPassword(newPassword); err != nil {
		fe.Add("new_password", err.Error())
	}
	if len(fe) > 0 {
		return fe
	}
	err = s.pool.ResetPassword(ctx, email, code, newPassword)
	if errors.Is(err, identity.ErrUserNotFound) {
		return identity.ErrCodeMismatch // do not reveal that the email is unknown
	}
	return err
}

func (s *Service) checkEmailCode(email, code string) (string, error) {
	var fe valid.Errors
	email, err := NormalizeEmail(email)
	if err != nil {
		fe.Add("email", err.Error())
	}
	code = strings.TrimSpace(code)
	if code == "" || len(code) > 16 {
		fe.Add("code", "must be the code from the email")
	}
	if len(fe) > 0 {
		return "", fe
	}
	return email, nil
}

// NormalizeEmail checks that e is a plain address and returns it trimmed and lower-cased.
func NormalizeEmail(e string) (string, error) {
	e = strings.ToLower(strings.TrimSpace(e))
	if e == "" {
		return "", errors.New("is required")
	}
	a, err := mail.ParseAddress(e)
	if err != nil || a.Address != e || len(e) > 254 || !strings.Contains(e[strings.LastIndexByte(e, '@')+1:], ".") {
		return "", errors.New("must be an email address like name@example.com")
	}
	return e, nil
}

// PasswordPolicy is the rule the user pool enforces too (infra sets the same policy).
const PasswordPolicy = "at least 8 characters, with a lower-case letter, an upper-case letter and a digit"

// CheckPassword applies PasswordPolicy before the pool sees the password.
func CheckPassword(p string) error {
	var lower, upper, digit bool
	for _, r := range p {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		}
	}
	if len([]rune(p)) < 8 || len(p) > 256 || !lower || !upper || !digit {
		return errors.New("must have " + PasswordPolicy)
	}
	return nil
}

func randomToken() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
