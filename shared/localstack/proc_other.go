//go:build unix && !linux

package localstack

import "syscall"

func childAttrs() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }
