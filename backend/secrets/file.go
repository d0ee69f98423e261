package secrets

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// fileStore is the fallback where no keychain exists: values sealed with AES-256-GCM in vault.json,
// each bound to its name so entries cannot be swapped, with the random key in vault.key beside it
// (both readable by the user only). The folder is the user's config folder, never the workspace's,
// so a workspace that travels carries no secrets. Every use holds the lock on vault.lock, so the
// window and scheduled commands storing secrets at once each read the others' writes.
type fileStore struct {
	dir  string
	aead cipher.AEAD
}

type vault struct {
	Version int               `json:"version"`
	Entries map[string]string `json:"entries"`
}

// NewFile opens (creating on first use) the encrypted file store in dir.
func NewFile(dir string) (Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot create the secrets folder %s: %w", dir, err)
	}
	var key []byte
	err := locked(dir, func() (err error) {
		key, err = loadKey(filepath.Join(dir, "vault.key"))
		return err
	})
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &fileStore{dir: dir, aead: aead}, nil
}

// locked runs fn holding the lock of the secrets folder dir, waiting while another process holds it.
func locked(dir string, fn func() error) error {
	path := filepath.Join(dir, "vault.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("cannot open the secrets lock %s: %w", path, err)
	}
	defer f.Close()
	if err := lockFile(f); err != nil {
		return fmt.Errorf("cannot lock the secrets file %s: %w", path, err)
	}
	defer unlockFile(f)
	return fn()
}

// loadKey reads the vault key, creating it on first use; the caller holds the lock, so no other
// process reads a key file not yet written.
func loadKey(path string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		key := make([]byte, 32)
		if _, err := rand.Read(key); err != nil {
			return nil, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, fmt.Errorf("cannot create the secrets key %s: %w", path, err)
		}
		defer f.Close()
		if _, err := f.WriteString(hex.EncodeToString(key)); err != nil {
			return nil, err
		}
		return key, f.Sync()
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read the secrets key %s: %w", path, err)
	}
	key, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("the secrets key %s is damaged; delete it and vault.json beside it, then enter the connections' secrets again", path)
	}
	return key, nil
}

func (f *fileStore) path() string { return filepath.Join(f.dir, "vault.json") }

func (f *fileStore) load() (vault, error) {
	v := vault{Version: 1, Entries: map[string]string{}}
	raw, err := os.ReadFile(f.path())
	if errors.Is(err, os.ErrNotExist) {
		return v, nil
	}
	if err == nil {
		err = json.Unmarshal(raw, &v)
	}
	if err != nil {
		return v, fmt.Errorf("cannot read the secrets file %s: %w", f.path(), err)
	}
	if v.Entries == nil {
		v.Entries = map[string]string{}
	}
	return v, nil
}

// save replaces the file atomically, so a crash leaves the old or the new vault, never half of one.
func (f *fileStore) save(v vault) error {
	raw, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(f.dir, "vault-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(raw); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), f.path())
}

func (f *fileStore) Get(ref, key string) (value string, err error) {
	var sealed string
	err = locked(f.dir, func() error {
		v, err := f.load()
		if err != nil {
			return err
		}
		var ok bool
		if sealed, ok = v.Entries[name(ref, key)]; !ok {
			return ErrNotFound
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	raw, err := base64.StdEncoding.DecodeString(sealed)
	n := f.aead.NonceSize()
	if err != nil || len(raw) < n {
		return "", fmt.Errorf("the stored %s is damaged; enter it again", key)
	}
	plain, err := f.aead.Open(nil, raw[:n], raw[n:], []byte(name(ref, key)))
	if err != nil {
		return "", fmt.Errorf("the stored %s cannot be decrypted (was vault.key replaced?); enter it again", key)
	}
	return string(plain), nil
}

// Set stores a value, reading the vault afresh under the lock so no other process's entry is lost.
func (f *fileStore) Set(ref, key, value string) error {
	nonce := make([]byte, f.aead.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		return err
	}
	sealed := f.aead.Seal(nonce, nonce, []byte(value), []byte(name(ref, key)))
	return locked(f.dir, func() error {
		v, err := f.load()
		if err != nil {
			return err
		}
		v.Entries[name(ref, key)] = base64.StdEncoding.EncodeToString(sealed)
		return f.save(v)
	})
}

func (f *fileStore) Delete(ref, key string) error {
	return locked(f.dir, func() error {
		v, err := f.load()
		if err != nil {
			return err
		}
		if _, ok := v.Entries[name(ref, key)]; !ok {
			return nil
		}
		delete(v.Entries, name(ref, key))
		return f.save(v)
	})
}

func (f *fileStore) Where() string { return "an encrypted file in " + f.dir }
