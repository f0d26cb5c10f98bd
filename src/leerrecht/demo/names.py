"""Name and address material for synthetic people (a mix that fits the Haaglanden region)."""

from __future__ import annotations

GIVEN_NAMES = (
    "Noah", "Sem", "Liam", "Lucas", "Daan", "Finn", "Levi", "Milan", "Bram", "Adam",
    "Mohammed", "Yusuf", "Ayoub", "Rayan", "Amir", "Jayden", "Rohan", "Kevin", "Jesse", "Thijs",
    "Emma", "Julia", "Mila", "Tess", "Sophie", "Zoë", "Sara", "Nora", "Fatima", "Yara",
    "Lina", "Noor", "Anna", "Evi", "Saar", "Lotte", "Amira", "Hiba", "Priya", "Dewi",
    "Ilse", "Fleur", "Maryam", "Aya", "Selin", "Elif", "Oliwia", "Zofia", "Mees", "Luuk",
)  # fmt: skip
SECOND_NAMES = (
    "Johannes", "Maria", "Pieter", "Elisabeth", "Willem", "Sophia", "Hendrik", "Catharina",
    "Ali", "Fatma", "Anand", "Kavita", "Jan", "Anna", "Ibrahim", "Mariam",
)  # fmt: skip
# (tussenvoegsel, surname)
SURNAMES = (
    ("", "Jansen"), ("de", "Vries"), ("van", "Dijk"), ("van der", "Berg"), ("van den", "Broek"),
    ("", "Bakker"), ("", "Visser"), ("", "Smit"), ("", "Meijer"), ("de", "Boer"),
    ("", "Mulder"), ("de", "Groot"), ("", "Bos"), ("", "Vos"), ("", "Peters"),
    ("", "Hendriks"), ("van", "Leeuwen"), ("", "Dekker"), ("", "Brouwer"), ("de", "Wit"),
    ("", "Dijkstra"), ("", "Smits"), ("de", "Graaf"), ("van der", "Meer"), ("van der", "Linden"),
    ("", "Kok"), ("", "Jacobs"), ("de", "Haan"), ("", "Vermeulen"), ("van den", "Heuvel"),
    ("van der", "Veen"), ("van den", "Bosch"), ("van", "Vliet"), ("ter", "Horst"), ("in 't", "Veld"),
    ("van 't", "Hof"), ("", "El Amrani"), ("", "Yilmaz"), ("", "Öztürk"), ("", "Bouzid"),
    ("", "Ramdin"), ("", "Mahabier"), ("", "Nguyen"), ("", "Kaya"), ("", "Benali"),
    ("", "Tahiri"), ("", "Ramcharan"), ("", "Sedney"), ("", "Kowalski"), ("", "Nowak"),
)  # fmt: skip
PARENT_INITIALS = "ABCDEFGHIJKLMNOPRSTWY"
STREETS = {
    "GM0518": (
        "Laan van Meerdervoort", "Weimarstraat", "Thorbeckelaan", "Loosduinseweg",
        "Stationsweg", "Hoefkade", "Vaillantlaan", "Fahrenheitstraat", "Escamplaan",
        "Leyweg", "Soestdijksekade", "Zuiderparklaan", "Goudenregenstraat", "Beeklaan",
    ),
    "GM1916": (
        "Damlaan", "Prinses Mariannelaan", "Heeswijkplein", "Koningin Julianalaan",
        "Westeinde", "Veursestraatweg",
    ),
    "GM0603": ("Herenstraat", "Generaal Spoorlaan", "Steenvoordelaan", "Prinses Beatrixlaan",
               "Lange Kleiweg", "Sir Winston Churchilllaan"),
}  # fmt: skip
