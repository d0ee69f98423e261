//go:build !windows

package main

// attachConsole: elsewhere a program started from a terminal prints to it already.
func attachConsole() {}
