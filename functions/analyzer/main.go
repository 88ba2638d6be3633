// Command analyzer is the Lambda the recordings bucket triggers on ObjectCreated: it analyses the
// uploaded chunk, stores the result and deletes the object.
package main

import "woodshed/shared/app"

func main() { app.Lambda("analyzer") }
