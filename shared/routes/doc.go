package routes

import (
	"fmt"
	"strings"
)

// Markdown renders the table as the README's API reference.
func Markdown() string {
	var b strings.Builder
	b.WriteString("| Method | Path | Function | Auth | What it does |\n|---|---|---|---|---|\n")
	for _, r := range Table {
		auth := "public"
		if r.Auth {
			auth = "JWT"
		}
		fmt.Fprintf(&b, "| %s | `/api%s` | `%s` | %s | %s |\n", r.Method, r.Path, r.Function, auth, strings.ReplaceAll(r.Summary, "|", "\\|"))
	}
	return b.String()
}
