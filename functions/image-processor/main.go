// Command image-processor is the S3-triggered Lambda that checks, resizes and stores profile images.
package main

import "woodshed/shared/app"

func main() { app.Lambda("image-processor") }
