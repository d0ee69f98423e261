package district

// Word lists for made-up people and places. They are common words and names, combined at random, so
// no generated record describes a real person.

var givenNames = []string{
	"Aaliyah", "Aaron", "Abigail", "Adam", "Adrian", "Aiden", "Alejandro", "Alexa", "Alice", "Amara", "Amelia", "Ana", "Andre", "Andrés",
	"Angela", "Anthony", "Aria", "Asher", "Aubrey", "Ava", "Beatriz", "Benjamin", "Bianca", "Brandon", "Brianna", "Caleb",
	"Camila", "Carlos", "Caroline", "Carter", "Charlotte", "Chloe", "Christopher", "Claire", "Daniel", "David", "Deja", "Diego",
	"Dylan", "Eleanor", "Elena", "Eli", "Elijah", "Elizabeth", "Ella", "Emily", "Emma", "Eric", "Ethan", "Eva", "Evelyn",
	"Fatima", "Felix", "Gabriel", "Gabriela", "Grace", "Hailey", "Hannah", "Harper", "Hazel", "Henry", "Hugo", "Ian", "Imani", "Inés",
	"Isaac", "Isabella", "Ivan", "Jack", "Jacob", "Jade", "James", "Jasmine", "Javier", "Jayden", "Jordan", "José", "Joseph",
	"Joshua", "Julia", "Julian", "Kai", "Kayla", "Keisha", "Kevin", "Kiara", "Layla", "Leah", "Leo", "Liam", "Lily", "Logan",
	"Lucas", "Lucía", "Luis", "Luna", "Madison", "Malik", "Marcus", "Martín", "Maria", "Mason", "Mateo", "Maya", "Mia", "Michael",
	"Mila", "Miguel", "Mohamed", "Naomi", "Nathan", "Nia", "Noah", "Nora", "Oliver", "Olivia", "Omar", "Owen", "Priya",
	"Rafael", "Raúl", "Riley", "Rosa", "Ruby", "Ryan", "Samuel", "Sara", "Scarlett", "Sebastian", "Sofia", "Sophia", "Stella", "Sun",
	"Tariq", "Theo", "Thomas", "Valentina", "Victoria", "Violet", "William", "Wyatt", "Xavier", "Yara", "Yusuf", "Zara", "Zoe",
}

var familyNames = []string{
	"Abbott", "Acosta", "Adams", "Aguilar", "Ahmed", "Ali", "Allen", "Alvarez", "Anderson", "Baker", "Banks", "Barnes", "Bell",
	"Bennett", "Brooks", "Brown", "Bryant", "Butler", "Campbell", "Carter", "Castillo", "Chavez", "Chen", "Clark", "Coleman",
	"Collins", "Cook", "Cooper", "Cruz", "Davis", "Diaz", "Edwards", "Evans", "Fisher", "Flores", "Foster", "García", "Gómez",
	"Gonzalez", "Gray", "Green", "Griffin", "Hall", "Harris", "Hayes", "Henderson", "Hernández", "Hill", "Howard", "Hughes",
	"Jackson", "James", "Jenkins", "Jiménez", "Johnson", "Jones", "Kelly", "Khan", "Kim", "King", "Lee", "Lewis", "Long",
	"López", "Martin", "Martínez", "Mendoza", "Miller", "Mitchell", "Moore", "Morales", "Morgan", "Morris", "Murphy", "Myers",
	"Nguyen", "Nelson", "Núñez", "O'Brien", "Okafor", "Ortiz", "Owens", "Park", "Parker", "Patel", "Pérez", "Perry", "Peterson",
	"Phillips", "Powell", "Price", "Ramírez", "Ramos", "Reed", "Reyes", "Richardson", "Rivera", "Roberts", "Robinson",
	"Rodríguez", "Rogers", "Ross", "Russell", "Sánchez", "Sanders", "Scott", "Shah", "Simmons", "Singh", "Smith", "Stewart",
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

// nicknames gives the short form many people go by, so a second record may carry it instead of the
// given name (about a third of the given names have one).
var nicknames = map[string]string{
	"Abigail": "Abby", "Alejandro": "Alex", "Alexa": "Lexi", "Amelia": "Millie", "Andrés": "Andy", "Angela": "Angie",
	"Anthony": "Tony", "Benjamin": "Ben", "Brianna": "Bri", "Camila": "Cami", "Caroline": "Carrie", "Charlotte": "Charlie",
	"Christopher": "Chris", "Daniel": "Danny", "David": "Dave", "Eleanor": "Ellie", "Elena": "Lena", "Elijah": "Eli",
	"Elizabeth": "Liz", "Evelyn": "Evie", "Gabriel": "Gabe", "Gabriela": "Gabby", "Henry": "Hank", "Isabella": "Bella",
	"Jacob": "Jake", "James": "Jim", "Javier": "Javi", "Jayden": "Jay", "José": "Pepe", "Joseph": "Joe", "Joshua": "Josh",
	"Julian": "Jules", "Kevin": "Kev", "Lucas": "Luke", "Madison": "Maddie", "Mateo": "Teo", "Michael": "Mike",
	"Mohamed": "Mo", "Nathan": "Nate", "Oliver": "Ollie", "Olivia": "Liv", "Rafael": "Rafa", "Samuel": "Sam",
	"Sebastian": "Seb", "Sofia": "Sofi", "Sophia": "Sophie", "Thomas": "Tom", "Valentina": "Vale", "Victoria": "Tori",
	"William": "Will", "Xavier": "Xavi",
}
