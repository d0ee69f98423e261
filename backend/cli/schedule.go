package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/events"
	"github.com/rosterdesk/rosterdesk/backend/integrations"
	"github.com/rosterdesk/rosterdesk/backend/schedule/osjob"
	"github.com/rosterdesk/rosterdesk/backend/workspace"
)

// parseNow reads --now: RFC 3339, or a local date and time as people write it.
func parseNow(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.Local(), nil
	}
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), time.Local); err == nil {
			return t, nil
		}
	}
	return time.Time{}, apperr.New(apperr.CodeInvalid, fmt.Sprintf("--now %q is not a time: write it as \"2026-03-08 02:30\" (this computer's time) or 2026-03-08T02:30:00-05:00", s))
}

// osScheduleJSON is the operating system's entry that runs `schedule run-due` for a workspace.
// Known is false when the operating system did not say whether it is registered (Message says why).
type osScheduleJSON struct {
	Registered bool   `json:"registered"`
	Known      bool   `json:"known"`
	Message    string `json:"message,omitempty"`
	osjob.Registration
}

func printOSSchedule(w io.Writer, s osScheduleJSON) {
	if s.Registered {
		fmt.Fprintf(w, "Scheduled integrations run every five minutes while Rosterdesk is closed (%s).\n", s.Where)
	} else {
		fmt.Fprintf(w, "Scheduled integrations run only while the Rosterdesk window is open. `rosterdesk schedule install` would add to %s:\n", s.Where)
	}
	fmt.Fprintf(w, "  %s\n", s.Command)
}

func (e *env) scheduleCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "schedule", Short: "integrations' schedules: when they run, run what is due, and running them while the window is closed"}
	list := e.integrationListCmd("each integration with its schedule and next run")
	var now string
	runDue := &cobra.Command{Use: "run-due [--now TIME]", Short: "run the integrations whose schedule is due (what the operating system calls every five minutes)", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			at := time.Now()
			if now != "" {
				var err error
				if at, err = parseNow(now); err != nil {
					return err
				}
			}
			rep := e.reporter()
			outcomes, err := ws.Integrations.RunDue(ctx, at, func(integrations.Due) events.Reporter {
				rep.finish()
				return rep
			})
			rep.finish()
			if perr := e.print(outcomes, func(w io.Writer) { printOutcomes(w, outcomes, at) }); perr != nil {
				return perr
			}
			return err
		})}
	runDue.Flags().StringVar(&now, "now", "", `run what is due at this time instead of now, to check a schedule: "2026-03-08 02:30" or RFC 3339`)
	install := &cobra.Command{Use: "install", Short: "run scheduled integrations every five minutes while Rosterdesk is closed (crontab, launchd or Task Scheduler)", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			exe, err := os.Executable()
			if err != nil {
				return err
			}
			reg, err := ws.Integrations.RegisterOS(ctx, exe)
			if err != nil {
				return err
			}
			return e.print(osScheduleJSON{Registered: true, Known: true, Registration: reg}, func(w io.Writer) {
				fmt.Fprintf(w, "Registered with %s:\n  %s\n", reg.Where, reg.Text)
			})
		})}
	uninstall := &cobra.Command{Use: "uninstall", Short: "stop running scheduled integrations while Rosterdesk is closed", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			if err := ws.Integrations.UnregisterOS(ctx); err != nil {
				return err
			}
			return e.print(map[string]bool{"registered": false}, func(w io.Writer) {
				fmt.Fprintln(w, "Removed: scheduled integrations now run only while the Rosterdesk window is open.")
			})
		})}
	status := &cobra.Command{Use: "status", Short: "whether scheduled integrations run while Rosterdesk is closed", Args: cobra.NoArgs,
		RunE: e.withWorkspace(func(ctx context.Context, ws *workspace.Workspace, _ []string) error {
			reg, ok, err := osjob.Status(ws.Store.Path())
			var unknown *osjob.CannotTellError
			if errors.As(err, &unknown) && e.json {
				// A script reads it on stdout; the message goes to stderr, and the exit status is 1.
				if perr := e.print(osScheduleJSON{Message: err.Error()}, nil); perr != nil {
					return perr
				}
			}
			if err != nil {
				return err
			}
			if !ok {
				exe, err := os.Executable()
				if err != nil {
					return err
				}
				reg = osjob.Plan(exe, ws.Store.Path())
			}
			out := osScheduleJSON{Registered: ok, Known: true, Registration: reg}
			return e.print(out, func(w io.Writer) { printOSSchedule(w, out) })
		})}
	cmd.AddCommand(list, runDue, install, uninstall, status)
	return cmd
}

func printOutcomes(w io.Writer, outcomes []integrations.Outcome, at time.Time) {
	if len(outcomes) == 0 {
		fmt.Fprintf(w, "Nothing is due at %s.\n", at.Format("2006-01-02 15:04 MST"))
		return
	}
	for _, o := range outcomes {
		slot := o.Slot.Format("2006-01-02 15:04 MST")
		if o.Run == 0 {
			fmt.Fprintf(w, "%s (due %s): not run yet, tried again next time. %s\n", o.Integration, slot, o.Message)
			continue
		}
		fmt.Fprintf(w, "%s (due %s): run %d %s. %s\n", o.Integration, slot, o.Run, o.Status, o.Message)
	}
}
