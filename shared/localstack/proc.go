package localstack

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// child is one stand-in process. It runs in its own process group, so Ctrl-C in the terminal
// reaches only the Go process, which then stops the group in order; on Linux the kernel also
// kills it should the Go process die without cleaning up (panic, SIGKILL).
type child struct {
	name string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // exit status, valid after done
	tail *lineRing
}

func startChild(name, dir string, env []string, stdout io.Writer, argv ...string) (*child, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Env = env
	c := &child{name: name, cmd: cmd, done: make(chan struct{}), tail: &lineRing{}}
	if stdout == nil {
		stdout = c.tail
	}
	cmd.Stdout = stdout
	cmd.Stderr = c.tail
	cmd.SysProcAttr = childAttrs()
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("localstack: start %s: %w", name, err)
	}
	go func() {
		c.err = cmd.Wait()
		close(c.done)
	}()
	return c, nil
}

// exited reports whether the process is gone.
func (c *child) exited() bool {
	select {
	case <-c.done:
		return true
	default:
		return false
	}
}

// stop ends the process group: SIGTERM, then SIGKILL after grace.
func (c *child) stop(grace time.Duration) {
	if c == nil || c.exited() {
		return
	}
	pgid := c.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(grace):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-c.done
	}
}

// childEnv is the environment of a stand-in: ours, minus what would change its output format.
func childEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		switch k, _, _ := strings.Cut(kv, "="); k {
		case "DEBUG", "HOST", "PORT", "FORCE_COLOR", "NODE_OPTIONS":
			continue
		}
		env = append(env, kv)
	}
	return append(env, extra...)
}
