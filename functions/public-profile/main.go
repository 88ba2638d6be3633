// Command public-profile is the Lambda behind its route in shared/routes.
package main

import "woodshed/shared/app"

func main() { app.Lambda("public-profile") }
