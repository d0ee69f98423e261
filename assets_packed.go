//go:build packed

package main

import "embed"

// scripts/dist.sh gzips frontend/dist into build/dist/frontend and builds with -tags packed.
//
//go:embed all:build/dist/frontend
var packedAssets embed.FS

var assets = gunzipFS{packedAssets}
