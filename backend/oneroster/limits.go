package oneroster

import "fmt"

// Ceilings on what a package may hold, so that no input, however made, takes memory in proportion to
// its size. Each is far above what a real SIS export holds.
const (
	// maxLine is the longest row, in bytes: a state's users.csv has rows under 4 KB, and encoding/csv
	// holds a whole row (with its quoted line breaks) in memory.
	maxLine = 1 << 20
	// MaxField is the longest value, of a package or of a spreadsheet's cell: a name, an id or a list
	// of ids of a teacher's classes fits in a few KB; 64 KB is generous.
	MaxField = 64 << 10
	// maxEntry is the largest file in a ZIP once unpacked: the enrollments.csv of a 1,000,000-student
	// state is about 1 GB.
	maxEntry = 8 << 30
	// maxRatio is how many times larger than its compressed bytes a file of the ZIP may unpack to,
	// once it is larger than ratioFrom. CSV exports compress 5 to 20 times; a ZIP bomb about 1,000.
	maxRatio  = 200
	ratioFrom = 16 << 20
)

// sizeText writes a ceiling as a registrar reads it.
func sizeText(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%d GB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}
