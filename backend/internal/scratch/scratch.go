// Package scratch names the temporaries a run makes beside a workspace (in its staging folder, or
// beside a stored fetch there) so that those of a process that was killed can be found and removed
// when the workspace is next opened, while another process working on the same workspace keeps its own.
package scratch

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// mark starts every name made here: "rdtmp<pid>-<pattern>". A name without it is not ours.
const mark = "rdtmp"

func named(pattern string) string { return mark + strconv.Itoa(os.Getpid()) + "-" + pattern }

// CreateTemp is os.CreateTemp with a name that carries this process's id.
func CreateTemp(dir, pattern string) (*os.File, error) { return os.CreateTemp(dir, named(pattern)) }

// MkdirTemp is os.MkdirTemp with a name that carries this process's id.
func MkdirTemp(dir, pattern string) (string, error) { return os.MkdirTemp(dir, named(pattern)) }

// owner returns the id of the process that made the file or folder name, false if it is not ours.
func owner(name string) (int, bool) {
	rest, ok := strings.CutPrefix(name, mark)
	if !ok {
		return 0, false
	}
	digits, _, ok := strings.Cut(rest, "-")
	pid, err := strconv.Atoi(digits)
	return pid, ok && err == nil && pid > 0
}

// Sweep removes the temporaries of processes that are gone, in dir and in its folders (a stored
// fetch's folder holds those made beside it). Its rules:
//   - only names made here (see mark) count; anything else is left alone, and so are its contents
//     unless it is a folder directly in dir;
//   - a name whose process is alive is kept, whoever made it: two processes may share a workspace;
//   - keep(path) true keeps one of a dead process too (a fetch's folder that became a stored fetch);
//   - what cannot be removed now (held open on Windows) is tried again at the next sweep.
func Sweep(dir string, keep func(path string) bool) {
	sweep(dir, keep, true)
}

func sweep(dir string, keep func(string) bool, descend bool) {
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		path := filepath.Join(dir, e.Name())
		if pid, ours := owner(e.Name()); ours && !Alive(pid) && !keep(path) {
			os.RemoveAll(path)
		} else if descend && e.IsDir() {
			sweep(path, keep, false)
		}
	}
}
