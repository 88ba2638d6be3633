// Package localstack runs the AWS stand-ins of the local stack, for `make dev` and for tests:
//
//   - DynamoDB Local (AWS's emulator, from the npm package amplify-dynamodb-simulator) as a
//     Java child process, in memory or persisted under DATA_DIR/dynamodb;
//   - cognito-local 5.3.0 as a Node child process, its working directory DATA_DIR/cognito (or a
//     temp dir); the sign-up and password-reset codes it prints are collected in an Outbox;
//   - gofakes3 in this process, on its own 127.0.0.1 port, path-style, with the checks it lacks
//     added (SigV4 header and presigned-URL signatures and expiry, POST policies, private
//     buckets, CORS) and S3's ObjectCreated notifications delivered to in-process listeners.
//
// Start creates the table, the buckets and the user pool (each through its owning adapter
// package), so the stack is ready for the handlers when it returns. Downloads land once in
// .cache/ at the module root (or $WOODSHED_CACHE); parallel test binaries share them safely.
// Children run in their own process groups and die with the Go process on Linux.
//
// In tests, one stack per test binary:
//
//	func TestMain(m *testing.M) { localstack.Main(m) }
//
//	func TestSomething(t *testing.T) {
//		st := localstack.Shared(t)
//		a, err := app.New(ctx, st.Config())
//		...
//		msg, err := st.Outbox().Wait(ctx, "a@example.com", start) // the emailed code
//	}
//
// The first start downloads the stand-ins (about 30 s); later ones take a few seconds, most of
// it the JVM. To skip even that, run `make dev` and point the tests at it:
//
//	WOODSHED_STACK=.data/stack.json go test ./shared/...
//
// An attached stack gets its own table and user pool (dropped afterwards) and shares the dev
// stack's buckets; it delivers no ObjectCreated events to the tests (Remote reports it).
//
// Prerequisites: Java 17+ and Node 20+ with npm.
package localstack
