package dedupe

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
)

// Made-up names, combined at random: no generated person is real.
var (
	testGiven = strings.Fields("Aaliyah Aaron Abigail Adrian Aiden Alejandro Alexander Amelia Ana Andre Angela Anthony Aria " +
		"Benjamin Bianca Brandon Caleb Camila Carlos Charlotte Chloe Christopher Daniel David Diego Dylan Elena Elijah " +
		"Elizabeth Emily Emma Ethan Evelyn Fatima Gabriel Grace Hannah Henry Isaac Isabella Jacob Jasmine Javier José " +
		"Joseph Joshua Julia Kevin Layla Leah Lucas Lucía Luis Madison Marcus María Mateo Maya Michael Mila Miguel Naomi " +
		"Nathan Noah Nora Olivia Omar Owen Priya Rafael Rosa Ruby Ryan Samuel Sara Sebastian Sofia Stella Thomas " +
		"Valentina Victoria Violet William Wyatt Ximena Yusuf Zoe")
	testFamily = strings.Fields("Abbott Acosta Adams Aguilar Ahmed Ali Allen Alvarez Anderson Baker Banks Barnes Bell Bennett " +
		"Brooks Brown Bryant Butler Campbell Carter Castillo Chavez Chen Clark Coleman Collins Cook Cooper Cruz Davis Díaz " +
		"Edwards Evans Fisher Flores Foster García Gomez Gonzalez Gray Green Griffin Hall Harris Hayes Henderson Hernández " +
		"Hill Howard Hughes Jackson James Jenkins Johnson Jones Kelly Kim Lee Lewis Long López Martin Martínez Miller Mitchell " +
		"Moore Morales Morgan Murphy Nelson Nguyen Ortiz Parker Patel Pérez Perry Peterson Phillips Powell Price Ramírez Reed " +
		"Reyes Richardson Rivera Roberts Robinson Rodríguez Rogers Ross Russell Sánchez Sanders Scott Smith Stewart Sullivan " +
		"Taylor Thomas Thompson Torres Turner Walker Ward Watson White Williams Wilson Wood Wright Young O'Brien De_la_Cruz")
)

// synthPeople makes n distinct students: no two share given name, family name and birth date.
func synthPeople(n int, seed uint64, given, family []string, years int) []Person {
	r := rand.New(rand.NewPCG(seed, 7))
	seen := map[string]bool{}
	out := make([]Person, 0, n)
	for i := 0; len(out) < n; i++ {
		g, f := given[r.IntN(len(given))], strings.ReplaceAll(family[r.IntN(len(family))], "_", " ")
		y := 2020 - r.IntN(years)
		bd := fmt.Sprintf("%d-%02d-%02d", y, 1+r.IntN(12), 1+r.IntN(28))
		if k := g + f + bd; seen[k] {
			continue
		} else {
			seen[k] = true
		}
		k := len(out)
		user := strings.ToLower(strings.ReplaceAll(Normalize(g)+"."+Normalize(f), " ", "")) + fmt.Sprint(k+1)
		sex := "female"
		if r.IntN(2) == 0 {
			sex = "male"
		}
		p := Person{ID: fmt.Sprintf("usr-%06d", k+1), Given: g, Family: f, Identifier: fmt.Sprintf("S%07d", k+1),
			Master: fmt.Sprintf("SM%07d", k+1), Email: user + "@students.example.org", Username: user, BirthDate: bd,
			Sex: sex, Role: "student", School: fmt.Sprintf("org-%04d", 1+r.IntN(40)), Grades: fmt.Sprint(2025 - y - 5)}
		if r.IntN(3) == 0 {
			p.Middle = given[r.IntN(len(given))]
		}
		out = append(out, p)
	}
	return out
}

// dupKinds are the ways a second system types a student, one per injected duplicate.
var dupKinds = []struct {
	name   string
	change func(p *Person)
}{
	{"family name typo", func(p *Person) { p.Family = swapLetters(p.Family, 1) }},
	{"family typo past Soundex", func(p *Person) { p.Family = soundexTypo(p.Family) }},
	{"given name typo", func(p *Person) { p.Given = swapLetters(p.Given, 2) }},
	{"given and family swapped", func(p *Person) { p.Given, p.Family = p.Family, p.Given }},
	{"day and month transposed", func(p *Person) { p.BirthDate = p.BirthDate[:5] + p.BirthDate[8:10] + "-" + p.BirthDate[5:7] }},
	{"one digit off", func(p *Person) { p.BirthDate = p.BirthDate[:9] + string("12345678980"[p.BirthDate[9]-'0']) }},
	{"days apart", func(p *Person) {
		day := int(p.BirthDate[8]-'0')*10 + int(p.BirthDate[9]-'0') // 1..28
		p.BirthDate = fmt.Sprintf("%s%02d", p.BirthDate[:8], day+7-14*(day/15))
	}},
	{"one year apart", func(p *Person) {
		y, _ := strconv.Atoi(p.BirthDate[:4])
		p.BirthDate = fmt.Sprint(y-1) + p.BirthDate[4:]
	}},
	{"M/D/YYYY export", func(p *Person) {
		p.BirthDate = fmt.Sprintf("%s/%s/%s", strings.TrimLeft(p.BirthDate[5:7], "0"), strings.TrimLeft(p.BirthDate[8:10], "0"), p.BirthDate[:4])
	}},
	{"nickname", func(p *Person) {
		if g := nickGroups[Normalize(p.Given)]; len(g) > 0 && nickFormal[g[0]] == Normalize(p.Given) {
			p.Given = strings.Fields(nicknameGroupsLine(g[0]))[1]
		} else {
			p.Family = strings.ToUpper(p.Family)
		}
	}},
	{"middle name appended", func(p *Person) { p.Given += " Sofía" }},
	{"accents dropped, upper case", func(p *Person) {
		p.Given, p.Family = strings.ToUpper(Normalize(p.Given)), strings.ToUpper(Normalize(p.Family))
	}},
	{"same padded id, other name", func(p *Person) { p.Identifier = strings.Replace(p.Identifier, "S000", "s-", 1); p.Family += "-Ruiz" }},
	{"same master, no birth date", func(p *Person) { p.Master = strings.TrimPrefix(p.Master, "X"); p.BirthDate = "" }},
}

func nicknameGroupsLine(g uint16) string {
	return strings.Split(strings.TrimSpace(nicknameGroups), "\n")[g]
}

// soundexTypo mistypes a family name the way that most often changes its Soundex code: a hard C
// taken for a K, or the last letter of a long name; a short name gets an h too many.
func soundexTypo(s string) string {
	switch {
	case len(s) > 1 && s[0] == 'C' && strings.ContainsRune("aoulr", rune(s[1])):
		return "K" + s[1:]
	case len(s) > 1 && s[0] == 'K' && strings.ContainsRune("aoulr", rune(s[1])):
		return "C" + s[1:]
	case len(s) < 5:
		return s + "h"
	case strings.HasSuffix(s, "d") || strings.HasSuffix(s, "t"):
		return s[:len(s)-1] + "k"
	}
	return s[:len(s)-1] + "d"
}

func swapLetters(s string, i int) string {
	r := []rune(s)
	if len(r) > i+1 {
		r[i], r[i+1] = r[i+1], r[i]
	}
	return string(r)
}

// injectDuplicates appends n second records of people[0], people[step], …, each typed another
// way, under a second system's ids, and returns the true pairs (left < right).
func injectDuplicates(people []Person, n int) ([]Person, map[[2]string]string) {
	truth := map[[2]string]string{}
	step := len(people) / n
	for k := 0; k < n; k++ {
		orig := people[k*step]
		d := orig
		d.ID, d.Identifier, d.Master = fmt.Sprintf("usr-d-%05d", k+1), fmt.Sprintf("X%06d", k+1), "X"+orig.Master
		d.Middle, d.Email = "", ""
		d.Username = fmt.Sprintf("dup%d", k+1)
		kind := dupKinds[k%len(dupKinds)]
		kind.change(&d)
		if d.Master == "X"+orig.Master {
			d.Master = "" // the second system has no master id
		}
		people = append(people, d)
		truth[[2]string{min(orig.ID, d.ID), max(orig.ID, d.ID)}] = kind.name
	}
	return people, truth
}
