// Rosterdesk: with a command it runs headless (backend/cli); without one it opens the desktop window.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
	"github.com/wailsapp/wails/v2/pkg/runtime"

	"github.com/rosterdesk/rosterdesk/backend/apperr"
	"github.com/rosterdesk/rosterdesk/backend/cli"
)

func main() {
	args := os.Args[1:]
	// Decided before anything of the window starts: a command runs where there is no display.
	if cli.Headless(args) {
		attachConsole()
		os.Exit(cli.Run(args, os.Stdin, os.Stdout, os.Stderr))
	}
	if err := runWindow(workspaceArg(args)); err != nil {
		fmt.Fprintln(os.Stderr, "rosterdesk:", err)
		os.Exit(1)
	}
}

// workspaceArg picks --workspace FILE (or --workspace=FILE) out of the window's arguments; the rest
// belong to Wails in development builds.
func workspaceArg(args []string) string {
	for i, a := range args {
		if v, ok := strings.CutPrefix(a, "--workspace="); ok {
			return v
		}
		if a == "--workspace" && i+1 < len(args) {
			return args[i+1]
		}
	}
	return ""
}

func runWindow(workspaceFlag string) error {
	app, err := newApp(workspaceFlag)
	if err != nil {
		return showStartupError(err)
	}
	width, height := app.windowSize()
	return wails.Run(&options.App{
		Title:            "Rosterdesk",
		Width:            width,
		Height:           height,
		MinWidth:         minWidth,
		MinHeight:        minHeight,
		StartHidden:      true, // shown in domReady once the saved position is applied
		AssetServer:      &assetserver.Options{Assets: assets, Middleware: app.withFirstCards},
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 252, A: 1},
		OnStartup:        app.startup,
		OnDomReady:       app.domReady,
		OnBeforeClose:    app.beforeClose,
		OnShutdown:       app.shutdown,
		ErrorFormatter:   apperr.Format,
		Bind:             app.bindings(),
	})
}

// showStartupError explains in a native dialog why the app cannot open (a workspace from a newer
// version, a folder it may not write): started from a desktop icon, nobody reads stderr.
func showStartupError(cause error) error {
	err := wails.Run(&options.App{
		Title:       "Rosterdesk",
		Width:       480,
		Height:      200,
		StartHidden: true,
		AssetServer: &assetserver.Options{Assets: assets},
		OnStartup: func(ctx context.Context) {
			_, _ = runtime.MessageDialog(ctx, runtime.MessageDialogOptions{Type: runtime.ErrorDialog,
				Title: "Rosterdesk cannot start", Message: cause.Error()})
			runtime.Quit(ctx)
		},
	})
	return errors.Join(cause, err)
}
