//go:build !packed

package main

import "embed"

// The front end as vite built it; a release build embeds it gzipped instead (assets_packed.go).
//
//go:embed all:frontend/dist
var assets embed.FS
