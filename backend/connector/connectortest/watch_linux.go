package connectortest

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/rosterdesk/rosterdesk/backend/connector"
)

// AppearsWhole runs deliver while watching folder, and fails t unless the file name only ever
// arrived there by a rename from a temporary name: never created, written or truncated in place,
// so at every moment a reader found the previous file or the whole new one.
func AppearsWhole(t *testing.T, folder, name string, deliver func()) {
	t.Helper()
	fd, err := unix.InotifyInit1(unix.IN_NONBLOCK | unix.IN_CLOEXEC)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Close(fd)
	mask := uint32(unix.IN_CREATE | unix.IN_MODIFY | unix.IN_ATTRIB | unix.IN_CLOSE_WRITE | unix.IN_MOVED_FROM | unix.IN_MOVED_TO)
	if _, err := unix.InotifyAddWatch(fd, folder, mask); err != nil {
		t.Fatal(err)
	}
	deliver()
	movedFrom := map[uint32]string{} // rename cookie → the name renamed from
	renamed := false
	buf := make([]byte, 64<<10)
	for {
		n, err := unix.Read(fd, buf)
		if err == unix.EAGAIN {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		for off := 0; off < n; {
			evMask := binary.NativeEndian.Uint32(buf[off+4:])
			cookie := binary.NativeEndian.Uint32(buf[off+8:])
			size := int(binary.NativeEndian.Uint32(buf[off+12:]))
			evName := string(bytes.TrimRight(buf[off+unix.SizeofInotifyEvent:off+unix.SizeofInotifyEvent+size], "\x00"))
			off += unix.SizeofInotifyEvent + size
			switch {
			case evMask&unix.IN_Q_OVERFLOW != 0:
				t.Fatal("too many changes in the folder to follow")
			case evMask&unix.IN_MOVED_FROM != 0:
				movedFrom[cookie] = evName
			case evName != name:
			case evMask&unix.IN_MOVED_TO != 0 && strings.Contains(movedFrom[cookie], connector.PartMarker):
				renamed = true
			default:
				t.Errorf("%s was changed in place (inotify event %#x), so a reader could have found it half written", name, evMask)
			}
		}
	}
	if !renamed {
		t.Errorf("%s was not renamed into place from a temporary name", name)
	}
}
