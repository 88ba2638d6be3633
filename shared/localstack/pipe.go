package localstack

import (
	"fmt"
	"os"
	"time"
)

func pipe() (*os.File, *os.File, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, nil, fmt.Errorf("localstack: pipe: %w", err)
	}
	return r, w, nil
}

func nowUTC() time.Time { return time.Now().UTC() }
