package dedupe

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time this process has used (user and kernel); Windows has no getrusage.
func cpuTime() time.Duration {
	var created, exited, kernel, user syscall.Filetime
	h, _ := syscall.GetCurrentProcess()
	_ = syscall.GetProcessTimes(h, &created, &exited, &kernel, &user)
	// A Filetime here is a duration in 100 ns units (Nanoseconds() would count from 1601).
	ticks := func(f syscall.Filetime) int64 { return int64(f.HighDateTime)<<32 | int64(f.LowDateTime) }
	return time.Duration((ticks(kernel) + ticks(user)) * 100)
}
