package app

import (
	"context"
	"net/http"

	"woodshed/shared/auth"
	"woodshed/shared/httpapi"
	"woodshed/shared/identity"
	"woodshed/shared/store"
)

// authRules map the errors of sign-up and log-in.
var authRules = httpapi.Rules{
	{Target: store.ErrNicknameTaken, Status: http.StatusConflict, Code: "nickname_taken", Message: "this nickname is taken"},
	{Target: identity.ErrUserExists, Status: http.StatusConflict, Code: "email_taken", Message: "an account with this email already exists"},
	{Target: identity.ErrInvalidPassword, Status: http.StatusBadRequest, Code: "weak_password", Message: "password must have " + auth.PasswordPolicy},
	{Target: identity.ErrCodeMismatch, Status: http.StatusBadRequest, Code: "code_mismatch", Message: "the code is wrong"},
	{Target: identity.ErrCodeExpired, Status: http.StatusBadRequest, Code: "code_expired", Message: "the code has expired; ask for a new one"},
	{Target: identity.ErrNotConfirmed, Status: http.StatusForbidden, Code: "user_not_confirmed", Message: "confirm your email first: enter the code we sent"},
	{Target: identity.ErrNotAuthorized, Status: http.StatusUnauthorized, Code: "invalid_credentials", Message: "email or password is wrong, or the session has ended"},
	{Target: identity.ErrTooManyRequests, Status: http.StatusTooManyRequests, Code: "too_many_requests", Message: "too many attempts; try again in a few minutes"},
	{Target: identity.ErrInvalidInput, Status: http.StatusBadRequest, Code: "invalid_request", Message: "the request was refused as invalid"},
	{Target: identity.ErrAlreadyDone, Status: http.StatusConflict, Code: "already_confirmed", Message: "this account is already confirmed; log in"},
	{Target: auth.ErrRegistrationExpired, Status: http.StatusGone, Code: "registration_expired"},
	{Target: store.ErrNotFound, Status: http.StatusNotFound, Code: "not_found", Message: "not found"},
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

func (a *App) authHandlers(add func(string, httpapi.Func)) {
	add("auth-register", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in struct {
			Email    string `json:"email"`
			Password string `json:"password"`
			Nickname string `json:"nickname"`
			TimeZone string `json:"time_zone"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		reg, err := a.auth.Register(ctx, in.Email, in.Password, in.Nickname, in.TimeZone)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.Created(reg)
	})
	add("auth-confirm", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in struct {
			Email string `json:"email"`
			Code  string `json:"code"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		if err := a.auth.Confirm(ctx, in.Email, in.Code); err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(map[string]bool{"confirmed": true})
	})
	add("auth-resend-code", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in struct {
			Email string `json:"email"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		if err := a.auth.ResendCode(ctx, in.Email); err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(map[string]bool{"sent": true})
	})
	add("auth-login", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in credentials
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		t, err := a.auth.Login(ctx, in.Email, in.Password)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(t)
	})
	add("auth-refresh", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in struct {
			RefreshToken string `json:"refresh_token"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		t, err := a.auth.Refresh(ctx, in.RefreshToken)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(t)
	})
	add("auth-logout", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in struct {
			RefreshToken string `json:"refresh_token"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		if err := a.auth.Logout(ctx, in.RefreshToken); err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.NoContent()
	})
	add("auth-forgot-password", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in struct {
			Email string `json:"email"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		if err := a.auth.ForgotPassword(ctx, in.Email); err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(map[string]bool{"sent": true})
	})
	add("auth-reset-password", func(ctx context.Context, r *httpapi.Request) (httpapi.Response, error) {
		var in struct {
			Email       string `json:"email"`
			Code        string `json:"code"`
			NewPassword string `json:"new_password"`
		}
		if err := r.Decode(&in); err != nil {
			return httpapi.Response{}, err
		}
		if err := a.auth.ResetPassword(ctx, in.Email, in.Code, in.NewPassword); err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(map[string]bool{"reset": true})
	})
	add("auth-me", a.caller(func(ctx context.Context, r *httpapi.Request, uid string) (httpapi.Response, error) {
		p, email, err := a.store.Profile(ctx, uid)
		if err != nil {
			return httpapi.Response{}, err
		}
		return httpapi.OK(profileResponse{View: p.View(), Email: email})
	}))
}
