package localstack

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"time"

	"woodshed/shared/config"
	"woodshed/shared/identity"
	"woodshed/shared/store"
)

// stackFile is DATA_DIR/stack.json, written by a persisted stack for WOODSHED_STACK.
type stackFile struct {
	Config       config.Config `json:"config"`
	Issuer       string        `json:"issuer"`
	CognitoDBDir string        `json:"cognito_db_dir"`
	PID          int           `json:"pid"`
}

// Attach uses a stack another process runs (its DATA_DIR/stack.json) instead of starting
// one: handy to run a package's tests against `make dev` in seconds. The attached stack gets a
// table and a user pool of its own, dropped on Close, so tests never touch the dev data; the
// buckets are shared (tests use unique keys).
func Attach(ctx context.Context, path string) (*Stack, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("localstack: WOODSHED_STACK: %w", err)
	}
	var sf stackFile
	if err := json.Unmarshal(b, &sf); err != nil {
		return nil, fmt.Errorf("localstack: WOODSHED_STACK %s: %w", path, err)
	}
	cfg := sf.Config
	hc := &http.Client{Timeout: 2 * time.Second}
	resp, err := hc.Get(cfg.CognitoEndpoint + "/health")
	if err != nil {
		return nil, fmt.Errorf("localstack: WOODSHED_STACK %s is not running (cognito-local: %w)", path, err)
	}
	resp.Body.Close()

	tmp, err := os.MkdirTemp("", "woodshed-attach-")
	if err != nil {
		return nil, fmt.Errorf("localstack: %w", err)
	}
	cfg.TableName = cfg.TableName + "-test-" + randomSuffix()
	if err := store.EnsureTable(ctx, cfg); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	cfg.UserPoolID, cfg.ClientID, err = identity.EnsureLocalPool(ctx, cfg.CognitoEndpoint, cfg.Region, tmp)
	if err != nil {
		_ = store.DropTable(ctx, cfg)
		os.RemoveAll(tmp)
		return nil, err
	}
	s := &Stack{
		cfg:     cfg,
		issuer:  cfg.CognitoEndpoint + "/" + cfg.UserPoolID,
		outbox:  newOutbox(nil, sf.CognitoDBDir),
		log:     slogDefault(),
		timings: map[string]time.Duration{},
		tmpDir:  tmp,
		remote:  true,
	}
	return s, nil
}

func (s *Stack) detach() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := store.DropTable(ctx, s.cfg); err != nil {
		s.log.Warn("localstack: drop test table", "table", s.cfg.TableName, "err", err.Error())
	}
	if err := identity.DropLocalPool(ctx, s.cfg.CognitoEndpoint, s.cfg.Region, s.cfg.UserPoolID); err != nil {
		s.log.Warn("localstack: drop test pool", "pool", s.cfg.UserPoolID, "err", err.Error())
	}
	os.RemoveAll(s.tmpDir)
}
