package localstack

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strconv"
)

// startDynamo runs DynamoDB Local from the cached emulator folder, persisting into dbDir, or
// in memory when dbDir is empty.
func startDynamo(emulator, dbDir string, port int) (*child, error) {
	java, err := exec.LookPath("java")
	if err != nil {
		return nil, errors.New("localstack: java not found; DynamoDB Local needs Java 17+ (Debian: apt-get install -y openjdk-17-jre-headless)")
	}
	args := []string{java,
		"-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", // small and quick to start
		"-Djava.library.path=" + filepath.Join(emulator, "DynamoDBLocal_lib"),
		"-jar", filepath.Join(emulator, "DynamoDBLocal.jar"),
		"-port", strconv.Itoa(port)}
	if dbDir == "" {
		args = append(args, "-inMemory")
	} else {
		args = append(args, "-sharedDb", "-dbPath", dbDir)
	}
	return startChild("DynamoDB Local", emulator, childEnv(), nil, args...)
}

// startCognito runs cognito-local with its working directory in dataDir (where it keeps
// .cognito/), its log going to the outbox parser.
func startCognito(startJS, dataDir string, port int, outbox *Outbox) (*child, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, errors.New("localstack: node not found; cognito-local needs Node 20+")
	}
	pr, pw, err := pipe()
	if err != nil {
		return nil, err
	}
	c, err := startChild("cognito-local", dataDir,
		childEnv("HOST=127.0.0.1", "PORT="+strconv.Itoa(port), "NO_COLOR=1", "NODE_NO_WARNINGS=1"),
		pw, node, startJS)
	pw.Close() // the child holds its own copy
	if err != nil {
		pr.Close()
		return nil, fmt.Errorf("localstack: %w", err)
	}
	go func() {
		outbox.scanCognitoLog(pr, c.tail, nowUTC)
		pr.Close()
	}()
	return c, nil
}
