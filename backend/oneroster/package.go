package oneroster

import (
	"archive/zip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/rosterdesk/rosterdesk/backend/internal/textfile"
	"github.com/rosterdesk/rosterdesk/backend/roster"
)

// Mode says how a file of a package is to be read.
type Mode string

const (
	ModeBulk   Mode = "bulk"   // the complete reference: records missing from it are deleted
	ModeDelta  Mode = "delta"  // only changes, each row with its status
	ModeAbsent Mode = "absent" // not in the package
)

// otherFiles are OneRoster files Rosterdesk does not import (yet): gradebook, resources, profiles.
var otherFiles = map[string]bool{"categories.csv": true, "lineitems.csv": true, "results.csv": true, "resources.csv": true,
	"classresources.csv": true, "courseresources.csv": true, "userprofiles.csv": true, "scorescales.csv": true,
	"lineitemlearningobjectiveids.csv": true, "lineitemscorescales.csv": true, "resultlearningobjectiveids.csv": true, "resultscorescales.csv": true}

// Package is an opened OneRoster package: a ZIP file or a folder of CSV files.
type Package struct {
	zr         *zip.ReadCloser
	dir        string
	files      map[roster.Entity]file // the entity files present
	version    string
	modes      map[roster.Entity]Mode
	systemName string    // manifest source.systemName
	notes      []Finding // warnings found while opening
}

// file is one CSV of the package.
type file struct {
	name string    // as the user knows it (e.g. "users.csv")
	zf   *zip.File // in a ZIP
	path string    // in a folder
	size int64
}

func (f file) open() (io.ReadCloser, error) {
	if f.zf != nil {
		return f.zf.Open()
	}
	return os.Open(f.path)
}

// Open opens a ZIP file or a folder and reads its manifest. Anything that makes the package unusable
// is returned as an *Error with a message a registrar can act on.
func Open(p string) (*Package, error) {
	info, err := os.Stat(p)
	if err != nil {
		return nil, &Error{File: filepath.Base(p), Message: "Rosterdesk cannot open it: " + plainOSError(err)}
	}
	pkg := &Package{files: map[roster.Entity]file{}, modes: map[roster.Entity]Mode{}}
	var manifest *file
	if info.IsDir() {
		manifest, err = pkg.listFolder(p)
	} else {
		manifest, err = pkg.listZip(p)
	}
	if err != nil {
		pkg.Close()
		return nil, err
	}
	if err := pkg.readManifest(manifest); err != nil {
		pkg.Close()
		return nil, err
	}
	return pkg, nil
}

func plainOSError(err error) string {
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "the file or folder does not exist"
	case errors.Is(err, os.ErrPermission):
		return "permission denied"
	}
	return err.Error()
}

// Close releases the package.
func (p *Package) Close() error {
	if p.zr != nil {
		return p.zr.Close()
	}
	return nil
}

func (p *Package) listZip(zipPath string) (*file, error) {
	name := filepath.Base(zipPath)
	zr, err := zip.OpenReader(zipPath)
	if err != nil {
		if errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, zip.ErrAlgorithm) {
			if looksLikeZip(zipPath) {
				return nil, &Error{File: name, Message: "the ZIP file is damaged or incomplete — was the download interrupted? Download or export it again."}
			}
			return nil, &Error{File: name, Message: "this is not a ZIP file. Choose the .zip your SIS exported, or a folder holding its CSV files."}
		}
		return nil, &Error{File: name, Message: "Rosterdesk cannot open it: " + plainOSError(err)}
	}
	p.zr = zr
	folders := map[string]bool{}
	var manifest *file
	for _, zf := range zr.File {
		entry := strings.ReplaceAll(zf.Name, `\`, "/")
		if escapes(entry) {
			return nil, &Error{File: name, Message: fmt.Sprintf("the ZIP holds an entry %q whose path leads outside the archive; Rosterdesk refuses such files. Ask for a fresh export.", zf.Name)}
		}
		if zf.FileInfo().IsDir() || strings.HasPrefix(path.Base(entry), "._") || strings.HasPrefix(entry, "__MACOSX/") {
			continue
		}
		dir, base := path.Split(entry)
		f := file{name: base, zf: zf, size: int64(zf.UncompressedSize64)}
		if err := unpackable(name, zf); err != nil && (f.known() || strings.EqualFold(base, "manifest.csv")) {
			return nil, err
		}
		isManifest, err := p.add(f, &manifest)
		if err != nil {
			return nil, err
		}
		if isManifest || f.known() {
			folders[dir] = true
		}
	}
	if len(folders) > 1 {
		return nil, &Error{File: name, Message: "the ZIP holds OneRoster files in more than one folder; Rosterdesk cannot tell which to read. Put them all at the top of the ZIP."}
	}
	for dir := range folders {
		if dir != "" {
			p.note(Finding{File: name, Message: fmt.Sprintf("the CSV files are inside the folder %q instead of at the top of the ZIP; read from there", strings.TrimSuffix(dir, "/"))})
		}
	}
	return manifest, nil
}

// unpackable refuses a ZIP entry Rosterdesk cannot or will not unpack: encrypted, or larger than
// maxEntry or maxRatio once unpacked (the ZIP reader fails an entry that unpacks to more than it
// declares, so the declared size is the real bound).
func unpackable(zipName string, zf *zip.File) error {
	size, packed := zf.UncompressedSize64, zf.CompressedSize64
	switch {
	case zf.Flags&0x1 != 0:
		return &Error{File: zipName, Message: fmt.Sprintf("%s in the ZIP is protected by a password, and Rosterdesk cannot unpack encrypted ZIP files. Export the package again without a password, or unpack it and choose the folder.", zf.Name)}
	case size > maxEntry:
		return &Error{File: zipName, Message: fmt.Sprintf("%s in the ZIP unpacks to %s, more than the %s Rosterdesk reads from one file (the largest state's enrollments are about 1 GB). Check that this is the right file.", zf.Name, sizeText(int64(min(size, 1<<62))), sizeText(maxEntry))}
	case size > ratioFrom && size/max(packed, 1) > maxRatio:
		return &Error{File: zipName, Message: fmt.Sprintf("%s in the ZIP unpacks to %s from %s, %d times its packed size; real exports pack 5 to 20 times, so Rosterdesk refuses it as a ZIP bomb (a file made to fill the disk or memory). Ask for a fresh export.", zf.Name, sizeText(int64(min(size, 1<<62))), sizeText(int64(packed)), size/max(packed, 1))}
	}
	return nil
}

func (f file) known() bool { _, ok := entityOf(f.name); return ok }

// escapes reports a ZIP entry that would land outside its folder when extracted ("zip slip").
func escapes(entry string) bool {
	if strings.HasPrefix(entry, "/") || (len(entry) > 1 && entry[1] == ':') {
		return true
	}
	for _, part := range strings.Split(entry, "/") {
		if part == ".." {
			return true
		}
	}
	return false
}

func looksLikeZip(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 2)
	_, err = io.ReadFull(f, head)
	return err == nil && string(head) == "PK"
}

func (p *Package) listFolder(dir string) (*file, error) {
	p.dir = dir
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, &Error{File: filepath.Base(dir), Message: "Rosterdesk cannot read the folder: " + plainOSError(err)}
	}
	var manifest *file
	for _, e := range entries {
		if e.IsDir() || !strings.EqualFold(filepath.Ext(e.Name()), ".csv") {
			continue
		}
		// Stat, not e.Info: a symbolic link is followed, to the file it points to.
		info, err := os.Stat(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, &Error{File: e.Name(), Message: plainOSError(err) + ". If it is a shortcut (a symbolic link), check that the file it points to exists."}
		}
		if !info.Mode().IsRegular() {
			continue
		}
		if _, err := p.add(file{name: e.Name(), path: filepath.Join(dir, e.Name()), size: info.Size()}, &manifest); err != nil {
			return nil, err
		}
	}
	return manifest, nil
}

// add files one CSV under its entity, noting names in the wrong case and files that are not read.
func (p *Package) add(f file, manifest **file) (isManifest bool, err error) {
	if strings.EqualFold(f.name, "manifest.csv") {
		if *manifest != nil {
			return true, &Error{File: f.name, Message: "the package holds two manifest.csv files; keep one."}
		}
		*manifest = &f
		return true, nil
	}
	e, ok := entityOf(f.name)
	switch {
	case ok:
		if _, dup := p.files[e]; dup {
			return false, &Error{File: f.name, Message: fmt.Sprintf("the package holds %s twice; keep one.", e.FileName())}
		}
		if f.name != e.FileName() {
			p.note(Finding{File: f.name, Message: fmt.Sprintf("read as %s (file names are case-sensitive)", e.FileName())})
		}
		p.files[e] = f
	case otherFiles[strings.ToLower(f.name)]:
		p.note(Finding{File: f.name, Message: "this OneRoster file is not imported by Rosterdesk yet; ignored"})
	case strings.EqualFold(path.Ext(f.name), ".csv"):
		p.note(Finding{File: f.name, Message: "not a OneRoster file name; ignored"})
	}
	return false, nil
}

// entityOf maps a file name to its entity, ignoring case.
func entityOf(name string) (roster.Entity, bool) {
	for _, e := range roster.Entities {
		if strings.EqualFold(name, e.FileName()) {
			return e, true
		}
	}
	return "", false
}

func (p *Package) note(f Finding) {
	f.Severity = SeverityWarning
	p.notes = append(p.notes, f)
}

// readManifest sets the version and each file's mode. Without a manifest the package is OneRoster
// 1.0: every file present is bulk.
func (p *Package) readManifest(m *file) error {
	if m == nil {
		p.version = "1.0"
		for e := range p.files {
			p.modes[e] = ModeBulk
		}
		if len(p.files) == 0 {
			return &Error{Message: "no OneRoster files found (no manifest.csv, orgs.csv, users.csv, …). Choose the ZIP or folder your SIS exported."}
		}
		p.note(Finding{File: "manifest.csv", Message: "there is no manifest.csv: read as OneRoster 1.0, every file as a complete (bulk) file"})
		return nil
	}
	rc, err := m.open()
	if err != nil {
		return &Error{File: m.name, Message: "cannot be read: " + err.Error()}
	}
	defer rc.Close()
	in, crOnly := text(rc, textfile.LineWindow)
	if crOnly {
		p.note(crFinding(m.name))
	}
	r := csv.NewReader(in)
	r.FieldsPerRecord = -1
	props := map[string]string{}
	declared := map[string]string{}
	for line := 1; ; line++ {
		row, err := r.Read()
		if err == io.EOF {
			break
		}
		if e := tooLong(m.name, err); e != nil {
			return e
		}
		if err != nil {
			return &Error{File: m.name, Line: line, Message: "cannot be read as CSV: " + err.Error()}
		}
		if line == 1 && len(row) > 0 && strings.EqualFold(strings.TrimSpace(row[0]), "propertyName") {
			continue
		}
		if len(row) < 2 {
			continue
		}
		key, value := strings.TrimSpace(row[0]), strings.TrimSpace(row[1])
		if name, ok := strings.CutPrefix(key, "file."); ok {
			declared[name] = value
			continue
		}
		props[key] = value
	}
	p.systemName = props["source.systemName"]
	switch v := props["oneroster.version"]; {
	case v == "1.1" || v == "1.0":
		p.version = v
	case v == "1.2" || strings.HasPrefix(v, "1.2."):
		p.version = "1.2"
	case v == "":
		p.version = "1.1"
		p.note(Finding{File: m.name, Column: "oneroster.version", Message: "the manifest does not say the OneRoster version; read as 1.1"})
	default:
		return &Error{File: m.name, Column: "oneroster.version", Message: fmt.Sprintf("OneRoster version %q is not supported; Rosterdesk reads 1.0, 1.1 and 1.2.", v)}
	}
	for _, e := range roster.Entities {
		_, present := p.files[e]
		value, listed := declared[string(e)]
		if !listed {
			for k, v := range declared {
				if strings.EqualFold(k, string(e)) {
					value, listed = v, true
				}
			}
		}
		mode := Mode(strings.ToLower(value))
		if listed && string(mode) != value {
			p.note(Finding{File: m.name, Column: "file." + string(e), Message: fmt.Sprintf("%q read as %q (values are case-sensitive)", value, mode)})
		}
		switch {
		case e == roster.Roles && p.version != "1.2":
			if present {
				p.note(Finding{File: e.FileName(), Message: "roles.csv belongs to OneRoster 1.2 and this package is " + p.version + "; ignored"})
			}
			mode = ModeAbsent
		case !listed && present:
			p.note(Finding{File: m.name, Column: "file." + string(e), Message: fmt.Sprintf("the manifest does not list %s; read as a complete (bulk) file", e.FileName())})
			mode = ModeBulk
		case !listed:
			mode = ModeAbsent
		case mode != ModeBulk && mode != ModeDelta && mode != ModeAbsent:
			return &Error{File: m.name, Column: "file." + string(e), Message: fmt.Sprintf("%q is not a file mode; write bulk, delta or absent", value)}
		case mode != ModeAbsent && !present:
			return &Error{File: m.name, Column: "file." + string(e), Message: fmt.Sprintf("the manifest lists %s as %s but the package does not contain it. Export again, or mark it absent.", e.FileName(), mode)}
		case mode == ModeAbsent && present:
			p.note(Finding{File: e.FileName(), Message: "the manifest marks this file absent; ignored"})
		}
		p.modes[e] = mode
	}
	return nil
}

// Version is "1.0" (no manifest), "1.1" or "1.2".
func (p *Package) Version() string { return p.version }

// Mode is how entity e is to be read.
func (p *Package) Mode(e roster.Entity) Mode {
	if m, ok := p.modes[e]; ok {
		return m
	}
	return ModeAbsent
}

// Size is the total uncompressed size of the files Read will read, for progress.
func (p *Package) Size() int64 {
	var n int64
	for e, f := range p.files {
		if p.Mode(e) != ModeAbsent {
			n += f.size
		}
	}
	return n
}
