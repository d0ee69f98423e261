// Package secrets keeps connection secrets (passwords, client secrets, private keys) out of the
// workspace: in the operating system's keychain where there is one, else in an encrypted file in the
// user's config folder whose key lives apart from the workspace. A secret is addressed by the
// connection's random secret reference and the option key, so copying a workspace never copies its
// secrets and two workspaces never share one.
package secrets

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrNotFound means no value is stored for the reference and key.
var ErrNotFound = errors.New("secret not found")

// Store keeps secrets.
type Store interface {
	Get(ref, key string) (string, error)
	Set(ref, key, value string) error
	// Delete removes a value; deleting a missing one is not an error.
	Delete(ref, key string) error
	// Where says in a registrar's words where secrets are kept.
	Where() string
}

// EnvBackend forces a backend: "keychain" or "file". Unset, the keychain is used when it answers.
const EnvBackend = "ROSTERDESK_SECRETS"

// Open returns the secret store of this computer: the keychain if it answers within a few seconds
// (a Linux box without a desktop session has none), else the encrypted file under configDir. The
// choice is made at the first use, so opening a workspace whose connections hold no secrets never
// waits on a keychain.
func Open(configDir string) (Store, error) {
	file := func() (Store, error) { return NewFile(filepath.Join(configDir, "Rosterdesk", "secrets")) }
	switch os.Getenv(EnvBackend) {
	case "file":
		return &lazy{open: file}, nil
	case "keychain":
		return &lazy{open: func() (Store, error) { return keychain{}, keychainProbe(context.Background()) }}, nil
	case "":
		return &lazy{open: func() (Store, error) {
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			if keychainProbe(ctx) == nil {
				return keychain{}, nil
			}
			return file()
		}}, nil
	default:
		return nil, fmt.Errorf("%s must be keychain or file, not %q", EnvBackend, os.Getenv(EnvBackend))
	}
}

// lazy opens its store on first use.
type lazy struct {
	once sync.Once
	open func() (Store, error)
	st   Store
	err  error
}

func (l *lazy) store() (Store, error) {
	l.once.Do(func() { l.st, l.err = l.open() })
	return l.st, l.err
}

func (l *lazy) Get(ref, key string) (string, error) {
	st, err := l.store()
	if err != nil {
		return "", err
	}
	return st.Get(ref, key)
}

func (l *lazy) Set(ref, key, value string) error {
	st, err := l.store()
	if err != nil {
		return err
	}
	return st.Set(ref, key, value)
}

func (l *lazy) Delete(ref, key string) error {
	st, err := l.store()
	if err != nil {
		return err
	}
	return st.Delete(ref, key)
}

func (l *lazy) Where() string {
	st, err := l.store()
	if err != nil {
		return fmt.Sprintf("no secret store (%v)", err)
	}
	return st.Where()
}

// ConfigDir is the user's config folder, where the file store lives.
func ConfigDir() (string, error) { return os.UserConfigDir() }

// name is the account a secret is stored under.
func name(ref, key string) string { return ref + "/" + key }

// Load reads the given keys of a reference; keys with no stored value are left out.
func Load(st Store, ref string, keys []string) (map[string]string, error) {
	out := map[string]string{}
	for _, key := range keys {
		v, err := st.Get(ref, key)
		if errors.Is(err, ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read the %s from %s: %w", key, st.Where(), err)
		}
		out[key] = v
	}
	return out, nil
}
