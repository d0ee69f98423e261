package cli

import (
	"io"
	"os"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/rosterdesk/rosterdesk/backend/events"
)

// bar shows progress on a terminal's stderr, one bar per stage; elsewhere (a scheduler's log, a pipe)
// it stays silent so logs are not flooded.
type bar struct {
	out   io.Writer
	stage string
	bar   *progressbar.ProgressBar
}

func (e *env) reporter() *bar {
	if f, ok := e.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return &bar{out: e.stderr}
	}
	return &bar{}
}

// Report implements events.Reporter.
func (b *bar) Report(p events.Progress) {
	if b.out == nil {
		return
	}
	if p.Stage != b.stage || b.bar == nil {
		b.finish()
		b.stage = p.Stage
		total := p.Total
		if total <= 0 {
			total = -1 // spinner
		}
		opts := []progressbar.Option{progressbar.OptionSetWriter(b.out), progressbar.OptionSetDescription(p.Stage),
			progressbar.OptionThrottle(100 * time.Millisecond), progressbar.OptionShowCount(), progressbar.OptionSetWidth(30),
			progressbar.OptionClearOnFinish()}
		if p.Unit == "bytes" {
			opts = append(opts, progressbar.OptionShowBytes(true))
		} else {
			opts = append(opts, progressbar.OptionShowIts(), progressbar.OptionSetItsString(p.Unit))
		}
		b.bar = progressbar.NewOptions64(total, opts...)
	}
	_ = b.bar.Set64(p.Done)
}

func (b *bar) finish() {
	if b.bar != nil {
		_ = b.bar.Finish()
		b.bar = nil
	}
}

var _ events.Reporter = (*bar)(nil)
