package textfile

import (
	"fmt"
	"strings"
)

// UnzipXML is how much of one part of a workbook excelize holds in memory; a larger part (a sheet of
// many rows, the shared strings) is unpacked to a temporary file and streamed from there.
const UnzipXML = 16 << 20

// UnzipTooLarge reports excelize refusing a workbook whose parts unpack to more than its
// UnzipSizeLimit (it has no error value to compare with).
func UnzipTooLarge(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "unzip size exceeds")
}

// Unpacks says a workbook unpacks to more than limit bytes, and what to do.
func Unpacks(name string, limit int64, a Advice) string {
	return fmt.Sprintf("%s unpacks to more than %d MB, the most Rosterdesk reads from one workbook, so it is not read (a workbook of every student of a large district unpacks to about 100 MB; a much larger one is damaged or was made to fill the memory). Check that this is the right file, or save it as CSV and %s.", name, limit>>20, a.Then)
}
