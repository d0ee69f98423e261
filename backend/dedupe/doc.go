// Package dedupe finds roster users who are the same person: domains of uniqueness claim pairs,
// blocking keeps the work far from n², and a Fellegi-Sunter score with per-field evidence tells a
// registrar why. It holds no data of its own and imports nothing of the project: the store gives
// it Persons and records what is decided.
//
// # Domains
//
// A workspace lists its domains in priority order; the first domain whose rules all agree (and
// whose minScore the pair reaches) names the pair. An unattended domain's pairs merge on their
// own; a manual domain's pairs wait in the review queue. A student is never paired with an adult
// (teacher, guardian, administrator…), and a blank value never agrees with anything, not even
// another blank. The domains file:
//
//	{"domains": [
//	  {"name": "Master ID", "mode": "unattended",
//	   "rules": [{"field": "userMasterIdentifier", "compare": "exact"}]},
//	  {"name": "Student or staff ID", "mode": "manual", "minScore": 0.2,
//	   "rules": [{"field": "identifier", "compare": "normalized"}]},
//	  {"name": "Name and birth date", "mode": "manual", "minScore": 0.5,
//	   "rules": [{"field": "name", "compare": "fuzzy", "threshold": 0.88},
//	             {"field": "birthDate", "compare": "date"}]},
//	  {"name": "Email", "mode": "manual", "minScore": 0.2,
//	   "rules": [{"field": "email", "compare": "normalized"}]}
//	]}
//
// (these are the defaults). A domain has name (unique), mode ("unattended" or "manual"), rules (at
// least one, all must agree) and minScore (0…1, optional). A rule has:
//
//   - field: identifier, userMasterIdentifier, email, username, name (given and family name
//     together), givenName, familyName, birthDate or sex.
//   - compare: "exact" (the same characters, spaces around ignored); "normalized" (case, accents,
//     punctuation and spacing ignored; for identifier and userMasterIdentifier also spaces inside
//     and leading zeros: "S0001234" = "s 1234", "001234" = "1234"; birth dates in any form read
//     as the same day); "fuzzy" (similarity at least threshold, 0.88 when left out; for names the
//     tolerances below); "date" (birthDate only: the same day, day and month transposed, one
//     digit off, the year one apart, or up to 9 days apart in the same month).
//   - threshold: for fuzzy only, 0…1.
//
// # Comparisons
//
// Names are compared after Normalize with Jaro-Winkler and these tolerances, each named in the
// evidence: accents and case; a spelling mistake; letters swapped; names that sound alike
// (Clark/Klark, Smyth/Smith); given and family name swapped; a nickname from a table of common
// English and Spanish ones (Bill/William, Pepe/José); a middle name appended to the given name
// ("Ana Sofia"/"Ana"); a preferred given name matching the other's given name; one of two family
// names ("Garcia Lopez"/"Garcia"). The name's similarity is the lower of given and family name.
// Birth dates are read as YYYY-MM-DD (a time after it ignored), YYYYMMDD, M/D/YYYY or D/M/YYYY
// (month first unless the first number cannot be a month).
//
// # Score
//
// Every pair is compared on name, middle name, birth date, sex, identifier, master identifier,
// e-mail, username, school and grades. Each field weighs log2(m/u) when it agrees and
// log2((1-m)/(1-u)) when it does not (m and u in compare.go, with the reason for each), a
// tolerated difference in proportion to its similarity, a missing value nothing. The score is the
// probability 1/(1+2^-(W-21)) of the summed weight W: 21 is the prior odds of a random pair being a
// duplicate (2 % duplicates among 100,000 people), so a name and birth date alone score about 0.93
// and every further agreement raises it. A different identifier weighs only -1 (a second system
// numbers its people its own way); two different master identifiers weigh -5.6.
//
// # Blocking
//
// Candidate pairs share a blocking key: Soundex of family name with birth year and month; Soundex
// of given and family name (sorted, so swapped names meet); Soundex of the given name (or the
// formal name a nickname stands for) with the birth date; initials with the birth date (month and
// day sorted, so transposed dates meet); the normalized identifier, master identifier, e-mail and
// username. Each pair is compared once, at the first key its two people share. A key shared by
// more than 1,000 people says little and is skipped (Stats.SkippedBlocks); its people still meet
// through their other keys.
package dedupe
