package dedupe

import "strings"

// nicknameGroups lists common English and Spanish given names with the short forms schools see
// for them (one group a line: the formal name first). A short form may belong to several groups
// (Alex: Alexander, Alexandra, Alejandro); two names match when they share a group, so Alexander
// and Alexandra, who only share "alex", do not.
const nicknameGroups = `
alexander alex alec xander sasha al
alexandra alex alexa lexi sasha sandra
alejandro alex ale jandro
alejandra ale alex
benjamin ben benny benji
christopher chris topher kit
christina chris tina christy
christian chris
cristina cris tina
daniel dan danny
daniela dani
elizabeth liz lizzie lizzy beth eliza betty libby ellie
isabel isa bella izzy chabela
isabella bella izzy isa
gabriel gabe gabi
gabriela gabi gaby gabby
jacob jake
joseph joe joey jo
josephine josie jo
joshua josh
michael mike mikey mick
nathan nate
nathaniel nate nathan nat
samuel sam sammy
samantha sam sammy
sebastian seb sebas bastian
thomas tom tommy
victoria tori vicky vic
william will bill billy liam willy
valentina vale val
valeria vale
robert bob bobby rob robbie bert
richard rick ricky rich richie dick
james jim jimmy jamie
john jack johnny
jonathan jon jonny
katherine kate katie kathy kat
catherine cate kate katie cathy cat
margaret maggie meg peggy marge
jennifer jen jenny
jessica jess jessie
rebecca becky becca
patricia pat patty trish
patrick pat paddy
anthony tony
andrew andy drew
matthew matt
nicholas nick nicky
zachary zach zack
edward ed eddie ted ned
theodore theo ted teddy
timothy tim timmy
steven steve
stephen steve
charles charlie chuck
charlotte charlie lottie
olivia liv livvy
abigail abby gail
madison maddie maddy
gregory greg
jeffrey jeff
kenneth ken kenny
ronald ron ronnie
donald don donnie
david dave davey
peter pete
raymond ray
lawrence larry
frederick fred freddie
henry hank harry
dorothy dot dottie
susan sue susie
deborah deb debbie
kimberly kim
amanda mandy
cynthia cindy
emily em emmy
evelyn evie
eleanor ellie nell nora
sophia sophie
caroline carrie
vincent vince vinny
leonardo leo
maximilian max
maxwell max
elijah eli
ezekiel zeke
jacqueline jackie
penelope penny
mackenzie kenzie
jose pepe chepe
francisco paco pancho cisco kiko
francisca paca pancha
guadalupe lupe lupita
jesus chucho chuy
ignacio nacho
enrique kike quique
eduardo lalo eddie
manuel manolo manny
antonio tono tony
concepcion concha conchita
dolores lola
rosario charo
roberto beto tito
alberto beto
humberto beto
alfonso poncho
luis lucho
rafael rafa
fernando nando fer
gonzalo chalo
guillermo memo guille
ricardo richi
santiago santi
mercedes meche
consuelo chelo
teresa tere
margarita rita marga
rodrigo rigo
javier javi
miguel migue
pilar pili
amelia millie amy
andres andy
angela angie
brianna bri
camila cami mila
elena lena
jayden jay
julian jules
kevin kev
lucas luke
mateo teo
mohamed mo moe
mohammed mo moe
oliver ollie
sofia sofi
xavier xavi
`

// nickGroups maps a Normalize'd given name to the groups it belongs to.
var nickGroups, nickFormal = func() (map[string][]uint16, []string) {
	groups := map[string][]uint16{}
	var formal []string
	for _, line := range strings.Split(strings.TrimSpace(nicknameGroups), "\n") {
		names := strings.Fields(line)
		g := uint16(len(formal))
		formal = append(formal, names[0])
		for _, n := range names {
			groups[n] = append(groups[n], g)
		}
	}
	return groups, formal
}()

// sameGroup reports whether two given names share a nickname group.
func sameGroup(a, b []uint16) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y {
				return true
			}
		}
	}
	return false
}
