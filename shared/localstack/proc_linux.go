package localstack

import "syscall"

// Pdeathsig makes the kernel kill the child when the Go process dies, whatever the cause.
func childAttrs() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
