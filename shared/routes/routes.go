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
	{"GET", "/users/{user_id}", "users-get", true, "A profile (`me`: the caller's); others see it only when public"},
	{"PUT", "/users/{user_id}", "users-update", true, "Partial update of the caller's own profile"},
	{"POST", "/users/{user_id}/upload-image", "users-upload-image", true, "Presigned POST for a new profile image (JPEG/PNG/WebP, at most 5 MB)"},
	{"GET", "/users/{user_id}/calendar", "users-calendar", true, "Practice per local day, ?from=YYYY-MM-DD&to=YYYY-MM-DD (at most 366 days)"},
	{"GET", "/users/{user_id}/statistics", "users-statistics", true, "Totals, streaks, averages, per instrument and weekday, ?period=week|month|year|all"},
	{"GET", "/users/{user_id}/dashboard", "users-dashboard", true, "Profile, statistics, recent sessions and 12 weeks of calendar in one call"},

	// Public
	{"GET", "/public/profiles/{nickname}", "public-profile", false, "A public profile by nickname (any letter case): profile, statistics (all) and 12 weeks of calendar; 404 when private or unknown"},

	// Practice sessions
	{"POST", "/practice/start", "practice-start", true, "Start a session now: {instrument, notes?, analyze?}; 409 while one is active"},
	{"POST", "/practice/end", "practice-end", true, "End the active session: {session_id, notes?}; idempotent, capped at 12 h"},
	{"POST", "/practice/sessions", "practice-create", true, "Log a past session by hand: {start_time, end_time, instrument, notes?}"},
	{"GET", "/practice/sessions", "practice-list", true, "The caller's sessions newest first, ?limit=&cursor=&from=&to=&instrument="},
	{"GET", "/practice/sessions/{session_id}", "practice-get", true, "One of the caller's sessions"},
	{"PATCH", "/practice/sessions/{session_id}", "practice-update", true, "Edit the notes of one of the caller's sessions: {notes}"},
	{"DELETE", "/practice/sessions/{session_id}", "practice-delete", true, "Delete one of the caller's sessions and take it off the aggregates"},

	// Audio and analysis
	{"POST", "/practice/upload-audio", "practice-upload-audio", true, "Presigned upload of one WAV chunk of the caller's session"},
	{"POST", "/practice/analyze-audio", "practice-analyze-audio", true, "Run the analysis of an uploaded chunk that has no result"},
	{"GET", "/practice/analysis/{analysis_id}", "practice-analysis", true, "One chunk's analysis: status, play seconds, segments"},
}

// Functions that are not HTTP routes (S3-triggered).
var EventFunctions = []string{"analyzer", "image-processor"}
