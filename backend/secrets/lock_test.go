package secrets

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
)

// storeEach is how many secrets each process of the parallel test stores.
const storeEach = 10

// TestMain lets a test run the file store in separate processes (this test binary itself).
func TestMain(m *testing.M) {
	if dir := os.Getenv("ROSTERDESK_TEST_VAULT"); dir != "" {
		st, err := NewFile(dir)
		for i := 0; err == nil && i < storeEach; i++ {
			ref := fmt.Sprintf("%s-%d", os.Getenv("ROSTERDESK_TEST_REF"), i)
			err = st.Set(ref, "password", "pw of "+ref)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Twelve processes storing secrets at once into a vault nobody has created yet (as twelve scheduled
// `connection add --secret` would): every process succeeds and every secret is there afterwards.
func TestProcessesStoringAtOnceLoseNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "secrets")
	const processes = 12
	var wg sync.WaitGroup
	errs := make([]error, processes)
	for p := range processes {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "ROSTERDESK_TEST_VAULT="+dir, "ROSTERDESK_TEST_REF=conn"+strconv.Itoa(p))
		wg.Add(1)
		go func() {
			defer wg.Done()
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[p] = fmt.Errorf("%v: %s", err, out)
			}
		}()
	}
	wg.Wait()
	for p, err := range errs {
		if err != nil {
			t.Errorf("process %d: %v", p, err)
		}
	}
	st, err := NewFile(dir)
	if err != nil {
		t.Fatal(err)
	}
	missing := 0
	for p := range processes {
		for i := range storeEach {
			ref := fmt.Sprintf("conn%d-%d", p, i)
			if v, err := st.Get(ref, "password"); err != nil || v != "pw of "+ref {
				missing++
			}
		}
	}
	if missing > 0 {
		t.Fatalf("%d of %d secrets stored at once were lost", missing, processes*storeEach)
	}
}
