package main

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The program the tests launch is this test binary, copied as NAME.exe: with LAUNCHER_TEST_CHILD set it
// prints its arguments, one a line, copies a line of its input to its error output, and exits with 7.
func TestMain(m *testing.M) {
	if os.Getenv("LAUNCHER_TEST_CHILD") != "" {
		for _, a := range os.Args[1:] {
			os.Stdout.WriteString(a + "\n")
		}
		line, _ := bufio.NewReader(os.Stdin).ReadString('\n')
		os.Stderr.WriteString("read " + line)
		os.Exit(7)
	}
	os.Exit(m.Run())
}

// installed copies this test binary into a new folder as name and returns its path.
func installed(t *testing.T, name string) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// streams gives the program a file as input holding stdin, and files for its output and error output.
func streams(t *testing.T, stdin string) (in, out, errOut *os.File) {
	t.Helper()
	dir := t.TempDir()
	files := make([]*os.File, 3)
	for i, name := range []string{"stdin", "stdout", "stderr"} {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { f.Close() })
		files[i] = f
	}
	if _, err := files[0].WriteString(stdin); err != nil {
		t.Fatal(err)
	}
	if _, err := files[0].Seek(0, 0); err != nil {
		t.Fatal(err)
	}
	return files[0], files[1], files[2]
}

func contents(t *testing.T, f *os.File) string {
	t.Helper()
	data, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Rosterdesk.com runs Rosterdesk.exe beside it with the arguments as typed, hands it its own input and
// outputs, waits for it, and passes its exit code back to the shell.
func TestLaunchRunsTheProgramBesideItAndPassesItsExitCodeBack(t *testing.T) {
	exe := installed(t, "Rosterdesk.exe")
	t.Setenv("LAUNCHER_TEST_CHILD", "1")
	in, out, errOut := streams(t, "s3cret\n")
	args := []string{"connection", "add", "District office", `--set=name="quoted"`, "--secret", "password"}
	code, err := launch(filepath.Join(filepath.Dir(exe), "Rosterdesk.com"), args, in, out, errOut)
	if err != nil || code != 7 {
		t.Fatalf("launch: exit code %d, %v; want the program's 7", code, err)
	}
	if got := strings.Split(strings.TrimSuffix(contents(t, out), "\n"), "\n"); !slices.Equal(got, args) {
		t.Errorf("the program got the arguments %q, want %q", got, args)
	}
	if got := contents(t, errOut); got != "read s3cret\n" {
		t.Errorf("the program's error output is %q: it did not read the launcher's input", got)
	}
}

// A launcher that is not NAME.com would start itself, or nothing: it says how to name it instead.
func TestLaunchRefusesANameOtherThanDotCom(t *testing.T) {
	exe := installed(t, "Rosterdesk.exe")
	t.Setenv("LAUNCHER_TEST_CHILD", "1")
	in, out, errOut := streams(t, "")
	code, err := launch(exe, []string{"version"}, in, out, errOut)
	if err == nil || code != 1 || !strings.Contains(err.Error(), "name it Rosterdesk.com, beside Rosterdesk.exe") {
		t.Errorf("launched as Rosterdesk.exe: exit code %d, %v; want 1 and how to name it", code, err)
	}
	if contents(t, out) != "" {
		t.Error("the launcher started a program")
	}
}

// Without Rosterdesk.exe beside it, the launcher fails with the path it looked for.
func TestLaunchWithoutTheProgramSaysWhatIsMissing(t *testing.T) {
	self := filepath.Join(t.TempDir(), "Rosterdesk.com")
	in, out, errOut := streams(t, "")
	code, err := launch(self, nil, in, out, errOut)
	if err == nil || code != 1 || !strings.Contains(err.Error(), strings.TrimSuffix(self, ".com")+".exe") {
		t.Errorf("no Rosterdesk.exe: exit code %d, %v; want 1 and the missing path", code, err)
	}
}
