package secrets

import (
	"context"
	"errors"
	"fmt"

	"github.com/zalando/go-keyring"
)

// service is the keychain entry's service name (what Keychain Access or Credential Manager shows).
const service = "Rosterdesk"

// keychain is the operating system's store: Windows Credential Manager, macOS Keychain, or the
// Secret Service (GNOME Keyring, KWallet) on Linux.
type keychain struct{}

func (keychain) Get(ref, key string) (string, error) {
	v, err := keyring.Get(service, name(ref, key))
	if errors.Is(err, keyring.ErrNotFound) {
		return "", ErrNotFound
	}
	return v, err
}

func (keychain) Set(ref, key, value string) error {
	if err := keyring.Set(service, name(ref, key), value); err != nil {
		return fmt.Errorf("the system keychain refused to store the secret: %w", err)
	}
	return nil
}

func (keychain) Delete(ref, key string) error {
	if err := keyring.Delete(service, name(ref, key)); err != nil && !errors.Is(err, keyring.ErrNotFound) {
		return err
	}
	return nil
}

func (keychain) Where() string { return "the system keychain" }

// keychainProbe looks up an entry that never exists: "not found" means the keychain answers. The
// lookup runs aside so a keychain that never answers (a D-Bus without a Secret Service) costs at most
// the context's time.
func keychainProbe(ctx context.Context) error {
	done := make(chan error, 1)
	go func() {
		_, err := keyring.Get(service, "probe")
		done <- err
	}()
	select {
	case err := <-done:
		if errors.Is(err, keyring.ErrNotFound) {
			return nil
		}
		if err == nil {
			return nil
		}
		return fmt.Errorf("no system keychain answers: %w", err)
	case <-ctx.Done():
		return fmt.Errorf("the system keychain did not answer")
	}
}
