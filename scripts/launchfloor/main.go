// Command launchfloor is the floor of the launch figure (scripts/dist-figures.sh): the emptiest
// window Rosterdesk's toolkit opens, built as the release is (Wails with WebKitGTK, the same window
// size and background), showing a one-line page with a coloured box and nothing behind it. Its time
// to the first painted window is what GTK, WebKitGTK's three processes and Wails take on this
// computer, which no change to Rosterdesk's own code can go below.
package main

import (
	"embed"
	"fmt"
	"os"

	"github.com/wailsapp/wails/v2"
	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/options/assetserver"
)

//go:embed index.html
var page embed.FS

func main() {
	err := wails.Run(&options.App{
		Title:            "Launch floor",
		Width:            1280,
		Height:           800,
		AssetServer:      &assetserver.Options{Assets: page},
		BackgroundColour: &options.RGBA{R: 250, G: 250, B: 252, A: 1},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "launchfloor:", err)
		os.Exit(1)
	}
}
