package district

// Word lists for made-up people and places. They are common words and names, combined at random, so
// no generated record describes a real person.

var givenNames = []string{
	"Aaliyah", "Aaron", "Abigail", "Adam", "Adrian", "Aiden", "Alejandro", "Alexa", "Alice", "Amara", "Amelia", "Ana", "Andre",
	"Angela", "Anthony", "Aria", "Asher", "Aubrey", "Ava", "Beatriz", "Benjamin", "Bianca", "Brandon", "Brianna", "Caleb",
	"Camila", "Carlos", "Caroline", "Carter", "Charlotte", "Chloe", "Christopher", "Claire", "Daniel", "David", "Deja", "Diego",
	"Dylan", "Eleanor", "Elena", "Eli", "Elijah", "Elizabeth", "Ella", "Emily", "Emma", "Eric", "Ethan", "Eva", "Evelyn",
	"Fatima", "Felix", "Gabriel", "Gabriela", "Grace", "Hailey", "Hannah", "Harper", "Hazel", "Henry", "Hugo", "Ian", "Imani",
	"Isaac", "Isabella", "Ivan", "Jack", "Jacob", "Jade", "James", "Jasmine", "Javier", "Jayden", "Jordan", "José", "Joseph",
	"Joshua", "Julia", "Julian", "Kai", "Kayla", "Keisha", "Kevin", "Kiara", "Layla", "Leah", "Leo", "Liam", "Lily", "Logan",
	"Lucas", "Lucía", "Luis", "Luna", "Madison", "Malik", "Marcus", "Maria", "Mason", "Mateo", "Maya", "Mia", "Michael",
	"Mila", "Miguel", "Mohamed", "Naomi", "Nathan", "Nia", "Noah", "Nora", "Oliver", "Olivia", "Omar", "Owen", "Priya",
	"Rafael", "Riley", "Rosa", "Ruby", "Ryan", "Samuel", "Sara", "Scarlett", "Sebastian", "Sofia", "Sophia", "Stella", "Sun",
	"Tariq", "Theo", "Thomas", "Valentina", "Victoria", "Violet", "William", "Wyatt", "Xavier", "Yara", "Yusuf", "Zara", "Zoe",
}

var familyNames = []string{
	"Abbott", "Acosta", "Adams", "Aguilar", "Ahmed", "Ali", "Allen", "Alvarez", "Anderson", "Baker", "Banks", "Barnes", "Bell",
	"Bennett", "Brooks", "Brown", "Bryant", "Butler", "Campbell", "Carter", "Castillo", "Chavez", "Chen", "Clark", "Coleman",
	"Collins", "Cook", "Cooper", "Cruz", "Davis", "Diaz", "Edwards", "Evans", "Fisher", "Flores", "Foster", "García", "Gomez",
	"Gonzalez", "Gray", "Green", "Griffin", "Hall", "Harris", "Hayes", "Henderson", "Hernandez", "Hill", "Howard", "Hughes",
	"Jackson", "James", "Jenkins", "Jimenez", "Johnson", "Jones", "Kelly", "Khan", "Kim", "King", "Lee", "Lewis", "Long",
	"Lopez", "Martin", "Martinez", "Mendoza", "Miller", "Mitchell", "Moore", "Morales", "Morgan", "Morris", "Murphy", "Myers",
	"Nguyen", "Nelson", "Núñez", "O'Brien", "Okafor", "Ortiz", "Owens", "Park", "Parker", "Patel", "Perez", "Perry", "Peterson",
	"Phillips", "Powell", "Price", "Ramirez", "Ramos", "Reed", "Reyes", "Richardson", "Rivera", "Roberts", "Robinson",
	"Rodriguez", "Rogers", "Ross", "Russell", "Sanchez", "Sanders", "Scott", "Shah", "Simmons", "Singh", "Smith", "Stewart",
	"Sullivan", "Taylor", "Thomas", "Thompson", "Torres", "Tran", "Turner", "Walker", "Wallace", "Ward", "Washington",
	"Watson", "White", "Williams", "Wilson", "Wong", "Wood", "Wright", "Yang", "Young", "Zhang",
}

var placeWords = []string{
	"Maple Ridge", "Cedar Grove", "Riverside", "Lakeview", "Oak Hollow", "Pine Valley", "Willow Creek", "Sunnyside",
	"Meadowbrook", "Hillcrest", "Brookside", "Fairview", "Highland", "Stonebridge", "Westwood", "Eastgate", "Northfield",
	"Southport", "Silver Lake", "Golden Hills", "Harbor View", "Clearwater", "Aspen Park", "Birchwood", "Elm Street",
}

// subjects is one subject per daily period; period 0 is the homeroom.
var subjects = []string{"Homeroom", "Mathematics", "English Language Arts", "Science", "Social Studies", "Physical Education"}

// nicknames gives a short form some records use, so duplicates look like real ones.
var nicknames = map[string]string{
	"Alexander": "Alex", "Benjamin": "Ben", "Christopher": "Chris", "Daniel": "Dan", "Elizabeth": "Liz", "Gabriel": "Gabe",
	"Isabella": "Bella", "Jacob": "Jake", "Joseph": "Joe", "Joshua": "Josh", "Michael": "Mike", "Nathan": "Nate",
	"Samuel": "Sam", "Sebastian": "Seb", "Thomas": "Tom", "Victoria": "Tori", "William": "Will", "Valentina": "Vale",
}
