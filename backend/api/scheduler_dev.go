//go:build dev

package api

import (
	"fmt"
	"os"
	"time"
)

// ScheduleNowVar, in a development build, sets the window's scheduler's clock: its first check is as if
// it were this time (RFC 3339), and the clock goes on from there, checked every second. A browser test
// sees a schedule come due without waiting for it, as `schedule run-due --now` does for the command line.
const ScheduleNowVar = "ROSTERDESK_SCHEDULE_NOW"

func init() {
	v := os.Getenv(ScheduleNowVar)
	if v == "" {
		return
	}
	at, err := time.Parse(time.RFC3339, v)
	if err != nil {
		panic(fmt.Sprintf("%s=%q is not an RFC 3339 time", ScheduleNowVar, v))
	}
	ahead := time.Until(at)
	schedulerNow = func() time.Time { return time.Now().Add(ahead).Local() }
	schedulerTick = time.Second
}
