package localstack

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The stand-ins' versions. DynamoDB Local comes inside an npm package (the jar and its native
// libraries, nothing else is used); cognito-local is installed from the committed lock file.
const dynamoPackage = "amplify-dynamodb-simulator@2.9.30"

//go:embed node/package.json node/package-lock.json
var nodeFiles embed.FS

// cacheRoot is where downloads are kept between runs: $WOODSHED_CACHE, else .cache/ at the
// root of the woodshed module (git-ignored), else the user cache directory.
func cacheRoot() (string, error) {
	if d := os.Getenv("WOODSHED_CACHE"); d != "" {
		return filepath.Abs(d)
	}
	if dir, err := os.Getwd(); err == nil {
		for {
			if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
				if first, _, _ := strings.Cut(string(b), "\n"); strings.TrimSpace(first) == "module woodshed" {
					return filepath.Join(dir, ".cache"), nil
				}
			}
			parent := filepath.Dir(dir)
			if parent == dir {
				break
			}
			dir = parent
		}
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("localstack: no cache directory: %w", err)
	}
	return filepath.Join(d, "woodshed"), nil
}

// ensureCached makes dir exist with the content fill writes, once. Parallel test binaries may
// race here: a lock file serialises them, and fill writes into a temporary sibling that is
// renamed into place only when complete, so a killed download never leaves a half cache.
func ensureCached(dir string, fill func(tmp string) error) error {
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return fmt.Errorf("localstack: cache: %w", err)
	}
	unlock, err := lockFile(dir + ".lock")
	if err != nil {
		return err
	}
	defer unlock()
	if _, err := os.Stat(filepath.Join(dir, ".complete")); err == nil {
		return nil // filled by whoever held the lock before us
	}
	_ = os.RemoveAll(dir) // a leftover from before the .complete marker existed
	// Half-filled folders of fetches that were killed; nobody else fills while we hold the lock.
	if stale, _ := filepath.Glob(dir + ".tmp-*"); len(stale) > 0 {
		for _, d := range stale {
			_ = os.RemoveAll(d)
		}
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp-")
	if err != nil {
		return fmt.Errorf("localstack: cache: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := fill(tmp); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, ".complete"), nil, 0o644); err != nil {
		return fmt.Errorf("localstack: cache: %w", err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		return fmt.Errorf("localstack: cache: %w", err)
	}
	return nil
}

// ensureDynamoLocal returns the directory holding DynamoDBLocal.jar, fetching it on first use.
func ensureDynamoLocal(ctx context.Context, root string) (string, error) {
	dir := filepath.Join(root, "dynamodb-local-"+strings.TrimPrefix(dynamoPackage, "amplify-dynamodb-simulator@"))
	err := ensureCached(dir, func(tmp string) error {
		npm, err := exec.LookPath("npm")
		if err != nil {
			return errors.New("localstack: npm not found; DynamoDB Local is fetched with npm (install Node 20+)")
		}
		cmd := exec.CommandContext(ctx, npm, "pack", dynamoPackage, "--silent", "--pack-destination", tmp)
		cmd.Dir = tmp
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("localstack: npm pack %s: %w\n%s", dynamoPackage, err, out.String())
		}
		tgz, _ := filepath.Glob(filepath.Join(tmp, "*.tgz"))
		if len(tgz) != 1 {
			return fmt.Errorf("localstack: npm pack %s left %d tarballs", dynamoPackage, len(tgz))
		}
		if err := extractPrefix(tgz[0], "package/emulator/", tmp); err != nil {
			return err
		}
		return os.Remove(tgz[0])
	})
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dir, "DynamoDBLocal.jar")); err != nil {
		return "", fmt.Errorf("localstack: DynamoDB Local cache %s is broken (remove it): %w", dir, err)
	}
	return dir, nil
}

// extractPrefix writes the entries of the .tgz under prefix into dest, without the prefix.
func extractPrefix(tgz, prefix, dest string) error {
	f, err := os.Open(tgz)
	if err != nil {
		return fmt.Errorf("localstack: %w", err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("localstack: %s: %w", tgz, err)
	}
	tr := tar.NewReader(gz)
	n := 0
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("localstack: %s: %w", tgz, err)
		}
		rel, ok := strings.CutPrefix(h.Name, prefix)
		if !ok || rel == "" {
			continue
		}
		target := filepath.Join(dest, filepath.FromSlash(rel))
		if !strings.HasPrefix(target, filepath.Clean(dest)+string(os.PathSeparator)) {
			return fmt.Errorf("localstack: %s: entry %q escapes the destination", tgz, h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return fmt.Errorf("localstack: %w", err)
			}
		case tar.TypeReg:
			if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
				return fmt.Errorf("localstack: %w", err)
			}
			out, err := os.OpenFile(target, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644|os.FileMode(h.Mode)&0o111)
			if err != nil {
				return fmt.Errorf("localstack: %w", err)
			}
			_, err = io.Copy(out, tr)
			if cerr := out.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return fmt.Errorf("localstack: extract %s: %w", h.Name, err)
			}
			n++
		}
	}
	if n == 0 {
		return fmt.Errorf("localstack: %s has nothing under %s", tgz, prefix)
	}
	return nil
}

// ensureCognitoLocal returns the path of cognito-local's start script, installing the locked
// dependency tree on first use. The cache folder is named after the lock file's hash, so a
// version bump installs afresh.
func ensureCognitoLocal(ctx context.Context, root string) (string, error) {
	pkg, _ := nodeFiles.ReadFile("node/package.json")
	lock, _ := nodeFiles.ReadFile("node/package-lock.json")
	sum := sha256.Sum256(append(append([]byte{}, pkg...), lock...))
	dir := filepath.Join(root, "cognito-local-"+hex.EncodeToString(sum[:6]))
	err := ensureCached(dir, func(tmp string) error {
		npm, err := exec.LookPath("npm")
		if err != nil {
			return errors.New("localstack: npm not found; cognito-local is installed with npm (install Node 20+)")
		}
		if err := os.WriteFile(filepath.Join(tmp, "package.json"), pkg, 0o644); err != nil {
			return fmt.Errorf("localstack: %w", err)
		}
		if err := os.WriteFile(filepath.Join(tmp, "package-lock.json"), lock, 0o644); err != nil {
			return fmt.Errorf("localstack: %w", err)
		}
		cmd := exec.CommandContext(ctx, npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error")
		cmd.Dir = tmp
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("localstack: npm ci (cognito-local): %w\n%s", err, out.String())
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	start := filepath.Join(dir, "node_modules", "cognito-local", "lib", "bin", "start.js")
	if _, err := os.Stat(start); err != nil {
		return "", fmt.Errorf("localstack: cognito-local cache %s is broken (remove it): %w", dir, err)
	}
	return start, nil
}
