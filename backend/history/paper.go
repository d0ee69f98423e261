package history

import (
	"os"
	"strings"
)

// letterRegions print on US Letter; the rest of the world on A4.
var letterRegions = map[string]bool{"US": true, "CA": true, "MX": true, "PH": true, "CL": true, "CO": true, "VE": true, "CR": true, "GT": true,
	"PR": true, "SV": true, "DO": true, "PA": true, "NI": true}

// PaperFor is "Letter" for a locale of a country printing on US Letter ("en_US.UTF-8", "es-MX"), else "A4".
func PaperFor(locale string) string {
	locale, _, _ = strings.Cut(locale, ".")
	locale, _, _ = strings.Cut(locale, "@")
	if _, region, ok := strings.Cut(strings.ReplaceAll(locale, "-", "_"), "_"); ok && letterRegions[strings.ToUpper(region)] {
		return "Letter"
	}
	return "A4"
}

// PaperFromEnv is the paper of the locale the environment names for paper (LC_ALL, LC_PAPER, LANG, in
// the order POSIX gives them), A4 when none does (Windows, a window opened from a desktop without one).
func PaperFromEnv() string {
	for _, name := range []string{"LC_ALL", "LC_PAPER", "LANG"} {
		if v := os.Getenv(name); v != "" {
			return PaperFor(v)
		}
	}
	return "A4"
}
