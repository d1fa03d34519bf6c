package org.tellonce.bench;

import java.time.LocalDate;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * A synthetic population of England: person {@code i} is always the same (seeded by {@code i}), so a population of a
 * million is generated in any order and re-generated for checking without storing it. Names follow the frequency of
 * common surnames and first names in England and Wales (a long tail of rarer ones), birth dates 1925–2024, one of
 * 300,000 household postcodes across real postcode areas; 97% have an NHS number, 30% a council person id.
 */
public final class Population {

  public static final String NHS = "https://fhir.nhs.uk/Id/nhs-number";
  public static final String COUNCIL = "https://fhir.riverside.gov.uk/Id/person";

  static final String[] SURNAMES = {
      "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts",
      "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris",
      "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark",
      "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker",
      "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey",
      "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson",
      "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray",
      "Mason", "Ali", "Hunt", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes",
      "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey",
      "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott",
      "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole",
      "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth",
      "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hart", "Hudson", "Newman",
      "Barrett", "Webster", "Hunter", "Gregory", "Carr", "Lowe", "Page", "Marsh", "Riley", "Dunn", "Woods", "Parsons",
      "Berry", "Stone", "Reid", "Holland", "Hawkins", "Harding", "Porter", "Robertson", "Newton", "Oliver", "Reed",
      "Kennedy", "Williamson", "Bird", "Gardner", "Shah", "Dean", "Lane", "Cooke", "Bates", "Henderson", "Parry",
      "Burgess", "Bishop", "Walton", "Burns", "Nicholson", "Shepherd", "Ross", "Cross", "Long", "Freeman", "Warren",
      "Nicholls", "Hamilton", "Byrne", "Sutton", "McDonald", "Yates", "Hodgson", "Robson", "Curtis", "Hopkins",
      "O'Connor", "Harper", "Coleman", "Watkins", "Moss", "McCarthy", "Chambers", "Griffin", "Sharp", "Hardy",
      "Wheeler", "Potter", "Osborne", "Johnston", "Gordon", "Doyle", "Wallace", "George", "Jordan", "Hutchinson",
      "Rowe", "Burke", "May", "Pritchard", "Gilbert", "Willis", "Higgins", "Read", "Miles", "Stevenson", "Stephenson",
      "Hammond", "Arnold", "Buckley", "Walters", "Hewitt", "Barber", "Nelson", "Slater", "Austin", "Sullivan",
      "Whitehead", "Mann", "Frost", "Lambert", "Stephens", "Blake", "Akhtar", "Lynch", "Goodwin", "Barton", "Woodward",
      "Thomson", "Cunningham", "Quinn", "Barnett", "Baxter", "Bibi", "Clayton", "Nash", "Greenwood", "Jennings",
      "Holt", "Kemp", "Poole", "Gallagher", "Bond", "Stokes", "Tucker", "Davidson", "Fowler", "Heath", "Norman",
      "Middleton", "Lawson", "Banks", "French", "Stanley", "Jarvis", "Gibbs", "Ferguson", "Hayward", "Carroll",
      "Douglas", "Dickinson", "Todd", "Barlow", "Peters", "Lucas", "Knowles", "Hartley", "Miah", "Simmons", "Morton",
      "Alexander", "Field", "Morrison", "Norris", "Townsend", "Preston", "Hancock", "Thornton", "Baldwin", "Burrows",
      "Briggs", "Storey", "Pugh", "Iqbal", "Okafor", "Adeyemi", "Nowak", "Kowalski", "Mensah", "Osei", "Nguyen",
      "Chen", "Wang", "Rahman", "Islam", "Uddin", "Mahmood", "Mohamed", "Abdi", "Yusuf", "Da Silva", "Santos",
      "Popescu", "Ionescu", "Kaya", "Yilmaz", "Cohen", "Levy", "Murray-Smith", "Fitzgerald", "Doherty", "Gallacher"};

  static final String[] FEMALE = {
      "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia", "Grace", "Freya",
      "Willow", "Florence", "Emily", "Ella", "Poppy", "Evie", "Elsie", "Charlotte", "Evelyn", "Sienna", "Sofia",
      "Daisy", "Phoebe", "Sarah", "Emma", "Laura", "Rebecca", "Hannah", "Jessica", "Lauren", "Sophie", "Amy", "Chloe",
      "Rachel", "Claire", "Nicola", "Michelle", "Lisa", "Helen", "Karen", "Julie", "Joanne", "Kelly", "Amanda",
      "Susan", "Jennifer", "Angela", "Tracey", "Deborah", "Caroline", "Elizabeth", "Margaret", "Patricia", "Linda",
      "Christine", "Jacqueline", "Janet", "Carol", "Barbara", "Mary", "Anne", "Jean", "Dorothy", "Joan", "Sheila",
      "Brenda", "Pauline", "Valerie", "Irene", "Doreen", "Maureen", "Eileen", "Kathleen", "Sandra", "Wendy",
      "Gillian", "Alison", "Catherine", "Victoria", "Katherine", "Natalie", "Zoe", "Gemma", "Stacey", "Danielle",
      "Fatima", "Aisha", "Amina", "Zainab", "Maryam", "Priya", "Anjali", "Sunita", "Agnieszka", "Joanna", "Chiamaka",
      "Ngozi", "Adaeze", "Ama", "Mei", "Lin", "Bethan", "Megan", "Siobhan", "Niamh", "Eleanor", "Harriet", "Imogen",
      "Matilda", "Beatrice", "Edith", "Mabel", "Violet", "Hazel", "Ruby", "Maisie", "Esme", "Aria", "Luna"};

  static final String[] MALE = {
      "Oliver", "George", "Noah", "Arthur", "Harry", "Leo", "Muhammad", "Jack", "Charlie", "Oscar", "Jacob", "Henry",
      "Thomas", "Freddie", "Alfie", "Theo", "William", "Theodore", "Archie", "Joshua", "Alexander", "James", "Isaac",
      "Edward", "Lucas", "David", "John", "Paul", "Mark", "Michael", "Andrew", "Peter", "Stephen", "Robert", "Richard",
      "Christopher", "Daniel", "Matthew", "Anthony", "Kevin", "Gary", "Steven", "Ian", "Simon", "Jason", "Lee",
      "Craig", "Darren", "Neil", "Martin", "Adam", "Benjamin", "Samuel", "Ryan", "Liam", "Luke", "Nathan", "Jamie",
      "Kieran", "Callum", "Connor", "Dylan", "Ethan", "Tyler", "Kenneth", "Brian", "Alan", "Keith", "Colin", "Derek",
      "Roy", "Ronald", "Raymond", "Dennis", "Frank", "Albert", "Harold", "Frederick", "Ernest", "Stanley", "Walter",
      "Leonard", "Norman", "Trevor", "Graham", "Philip", "Malcolm", "Geoffrey", "Barry", "Terence", "Gordon",
      "Mohammed", "Ahmed", "Ali", "Omar", "Yusuf", "Ibrahim", "Hassan", "Arjun", "Rajesh", "Sanjay", "Piotr", "Tomasz",
      "Krzysztof", "Chinedu", "Emeka", "Kwame", "Kofi", "Wei", "Jun", "Rhys", "Dafydd", "Sean", "Patrick", "Conor",
      "Declan", "Hamish", "Finlay", "Rory", "Hugo", "Felix", "Sebastian", "Reuben", "Elijah", "Ezra", "Louis"};

  static final String[] AREAS = {
      "LS", "M", "B", "S", "L", "NE", "BS", "NG", "LE", "CV", "DE", "ST", "WV", "WS", "DY", "BD", "HD", "HX", "WF",
      "HU", "YO", "DN", "SR", "DH", "TS", "DL", "CA", "LA", "PR", "BB", "BL", "OL", "SK", "WA", "WN", "CH", "CW", "TF",
      "SY", "HR", "WR", "GL", "SN", "BA", "TA", "EX", "PL", "TQ", "TR", "DT", "BH", "SO", "PO", "GU", "RG", "OX", "MK",
      "NN", "PE", "CB", "IP", "NR", "CO", "CM", "SS", "CT", "ME", "TN", "BN", "RH", "KT", "CR", "BR", "DA", "SE",
      "SW", "E", "N", "NW", "W", "EC", "WC", "HA", "UB", "TW", "EN", "IG", "RM", "WD", "AL", "SG", "LU", "HP", "SL",
      "LN"};

  static final String[] STREETS = {
      "High Street", "Station Road", "Church Lane", "Victoria Road", "Green Lane", "Manor Road", "Park Avenue",
      "Queens Road", "Grange Road", "Mill Lane", "Kings Road", "New Road", "School Lane", "The Crescent", "York Road",
      "Albert Road", "Chapel Street", "Springfield Road", "Windsor Road", "Highfield Road", "North Street",
      "Brook Lane", "Church Street", "London Road", "Main Street", "Oak Avenue", "Mount Pleasant", "Stanley Road"};

  static final int POSTCODES = 300_000;
  private static final String UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ";

  private final long seed;

  public Population(long seed) {
    this.seed = seed;
  }

  /** One person as a record system would hold them. */
  public record Person(
      int index, String id, String nhsNumber, String councilId, String family, String given, LocalDate birthDate,
      String gender, String postcode, String line) {

    public Person withNhsNumber(String value) {
      return new Person(index, id, value, councilId, family, given, birthDate, gender, postcode, line);
    }

    public Person withCouncilId(String value) {
      return new Person(index, id, nhsNumber, value, family, given, birthDate, gender, postcode, line);
    }
  }

  public Person person(int index) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
    boolean female = random.nextBoolean();
    String given = zipf(random, female ? FEMALE : MALE);
    String family = zipf(random, SURNAMES);
    LocalDate born = LocalDate.of(1925, 1, 1).plusDays(random.nextInt(365 * 100));
    String nhs = random.nextInt(100) < 97 ? nhsNumber(index) : null;
    String council = random.nextInt(100) < 30 ? "RC-" + (10_000_000 + index) : null;
    String postcode = postcode(random.nextInt(POSTCODES));
    String line = (1 + random.nextInt(180)) + " " + STREETS[random.nextInt(STREETS.length)];
    return new Person(index, id(index), nhs, council, family, given, born, female ? "female" : "male", postcode, line);
  }

  public static String id(int index) {
    return UUID.nameUUIDFromBytes(("tellonce-bench-person-" + index).getBytes()).toString();
  }

  /** A valid NHS number (modulus 11) in the test range starting 99, unique per index below 1,428,571. */
  public static String nhsNumber(int index) {
    long base = 990_000_000L + index * 7L;
    for (long candidate = base; ; candidate++) {
      String digits = String.valueOf(candidate);
      int sum = 0;
      for (int i = 0; i < 9; i++) {
        sum += (digits.charAt(i) - '0') * (10 - i);
      }
      int check = (11 - sum % 11) % 11;
      if (check != 10) {
        return digits + check;
      }
    }
  }

  /** Household postcode {@code n}: an area, a district, a sector and a unit, formatted as Royal Mail writes them. */
  public static String postcode(int n) {
    SplittableRandom random = new SplittableRandom(7_919L * n + 13);
    String area = AREAS[random.nextInt(AREAS.length)];
    int district = 1 + random.nextInt(area.length() == 1 ? 30 : 25);
    int sector = random.nextInt(10);
    char a = UNIT_LETTERS.charAt(random.nextInt(UNIT_LETTERS.length()));
    char b = UNIT_LETTERS.charAt(random.nextInt(UNIT_LETTERS.length()));
    return area + district + " " + sector + a + b;
  }

  /** A value from a list ordered by frequency: the k-th about 1/(k+10) as common (a Zipf-like tail). */
  static String zipf(SplittableRandom random, String[] values) {
    double[] cumulative = CUMULATIVE.computeIfAbsent(values, v -> {
      double[] sums = new double[v.length];
      double total = 0;
      for (int k = 0; k < v.length; k++) {
        total += 1.0 / (k + 10);
        sums[k] = total;
      }
      return sums;
    });
    double pick = random.nextDouble() * cumulative[cumulative.length - 1];
    int found = java.util.Arrays.binarySearch(cumulative, pick);
    return values[Math.min(values.length - 1, found >= 0 ? found : -found - 1)];
  }

  private static final java.util.Map<String[], double[]> CUMULATIVE = new java.util.concurrent.ConcurrentHashMap<>();
}
