package localstack

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
)

// Parallel first-time fills of one cache folder run the fill once and all see the result.
func TestEnsureCachedConcurrent(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "thing")
	if err := os.MkdirAll(dir+".tmp-stale", 0o755); err != nil { // a killed earlier fetch
		t.Fatal(err)
	}
	var fills atomic.Int32
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = ensureCached(dir, func(tmp string) error {
				fills.Add(1)
				return os.WriteFile(filepath.Join(tmp, "data"), []byte("ok"), 0o644)
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := fills.Load(); n != 1 {
		t.Errorf("filled %d times", n)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "data")); err != nil || string(b) != "ok" {
		t.Errorf("cache content %q %v", b, err)
	}
	if _, err := os.Stat(dir + ".tmp-stale"); !os.IsNotExist(err) {
		t.Errorf("stale temp folder left: %v", err)
	}
}

// A failed fill leaves nothing that a later run would take for a complete cache.
func TestEnsureCachedFailure(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "thing")
	boom := errors.New("network down")
	if err := ensureCached(dir, func(tmp string) error {
		_ = os.WriteFile(filepath.Join(tmp, "half"), []byte("x"), 0o644)
		return boom
	}); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("half-filled cache left at %s", dir)
	}
	matches, _ := filepath.Glob(dir + ".tmp-*")
	if len(matches) != 0 {
		t.Errorf("temp folders left: %v", matches)
	}
}

func TestExtractPrefixRefusesEscapes(t *testing.T) {
	tgz := filepath.Join(t.TempDir(), "p.tgz")
	f, _ := os.Create(tgz)
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	for _, name := range []string{"package/emulator/ok.txt", "package/emulator/../../evil.txt"} {
		_ = tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: 2, Typeflag: tar.TypeReg})
		_, _ = tw.Write([]byte("hi"))
	}
	tw.Close()
	gz.Close()
	f.Close()
	dest := t.TempDir()
	if err := extractPrefix(tgz, "package/emulator/", dest); err == nil {
		t.Fatal("an entry escaping the destination was extracted")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dest), "evil.txt")); err == nil {
		t.Fatal("evil.txt written outside")
	}
}
