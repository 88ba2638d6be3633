// Package routes is the single table of the HTTP API: the API Gateway routes
// in infra/, the local stack's router and the README's API reference all read it.
package routes

// Route is one HTTP endpoint served by one Lambda function.
type Route struct {
	Method   string // HTTP method, upper case
	Path     string // API Gateway path, without the /api prefix; {name} marks a parameter
	Function string // folder under functions/ and the Lambda's logical name
	Auth     bool   // true when the Cognito JWT authorizer protects the route
	Summary  string // one line for the API reference
}

// Table lists every HTTP route. Adding an endpoint means one row here and one folder under functions/.
var Table = []Route{
	{"GET", "/health", "health", false, "Liveness check: {\"status\":\"ok\"}"},

	// Auth
	{"POST", "/auth/register", "auth-register", false, "Sign up with email, password and nickname"},
	{"POST", "/auth/confirm", "auth-confirm", false, "Confirm the sign-up code sent by email"},
	{"POST", "/auth/resend-code", "auth-resend-code", false, "Send the sign-up code again"},
	{"POST", "/auth/login", "auth-login", false, "Log in: access, id and refresh tokens"},
	{"POST", "/auth/refresh", "auth-refresh", false, "New access and id tokens from a refresh token"},
	{"POST", "/auth/logout", "auth-logout", true, "Revoke the refresh token"},
	{"POST", "/auth/forgot-password", "auth-forgot-password", false, "Send a password-reset code"},
	{"POST", "/auth/reset-password", "auth-reset-password", false, "Set a new password with the reset code"},
	{"GET", "/auth/me", "auth-me", true, "The caller's profile and email"},

	// Users

	// Practice sessions

	// Audio and analysis
	{"POST", "/practice/upload-audio", "practice-upload-audio", true, "Presigned upload of one WAV chunk of the caller's session"},
	{"POST", "/practice/analyze-audio", "practice-analyze-audio", true, "Run the analysis of an uploaded chunk that has no result"},
	{"GET", "/practice/analysis/{analysis_id}", "practice-analysis", true, "One chunk's analysis: status, play seconds, segments"},
}

// Functions that are not HTTP routes (S3-triggered).
var EventFunctions = []string{"analyzer"}
