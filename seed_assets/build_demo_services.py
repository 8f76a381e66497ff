"""Build the DEMO directory of local services for the Engage asset map (seed_assets/services.json).

THIS IS DEMO DATA: made-up organisations with generic names in real towns of North and West
Northamptonshire, example.org addresses, Ofcom drama phone numbers (01632 960xxx, 07700 900xxx,
0808 157 0xxx) and real postcode districts with invented units. Each location is jittered around
its place in places.csv and kept in that place's demo ward (ray casting on areas.geojson).
Deterministic: fixed seed, no network, standard library only. From the repository root:
    python3 seed_assets/build_demo_services.py           # writes services.json, then checks it
    python3 seed_assets/build_demo_services.py --check   # only checks it; exits 1 on a problem
"""

import csv
import json
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path

# fmt: off
SEED = 20240618
HERE = Path(__file__).resolve().parent
OUT = HERE / "services.json"
METADATA = {"demo": True, "note": "Demo services for Engage; fictional organisations, contact "
            "details from reserved ranges."}
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
W5 = DAYS[:5]
LAPS = [f"DEMO-LAP-{i:02d}" for i in range(1, 11)]
NORTH, ALL = LAPS[:5], LAPS
ACCESSIBILITY = {  # feature: chance a venue in a town, or in a village, has it
    "step_free_access": (0.85, 0.85), "accessible_toilet": (0.6, 0.6), "hearing_loop": (0.3, 0.3),
    "bsl": (0.05, 0.05), "parking": (0.55, 0.55), "public_transport": (0.9, 0.45),
}
LANGUAGES = {"en", "pl", "pa", "ur", "ro", "pt", "lt"}
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters used in the unit part of a postcode
PHONE_POOLS = {"land": "01632 960{:03d}", "mobile": "07700 900{:03d}", "free": "0808 157 0{:03d}"}
CONTACT_RE = {
    "email": re.compile(r"[a-z-]+@[a-z0-9-]+\.example\.org"),
    "phone": re.compile(r"01632 960\d{3}|07700 900\d{3}|0808 157 0\d{3}"),
    "website": re.compile(r"https://[a-z0-9-]+\.example\.org"),
    "url": re.compile(r"https://[a-z0-9-]+\.example\.org(/[a-z0-9-]+)?"),
}
POSTCODE_RE = re.compile(r"(NN\d{1,2}|PE8) \d[ABD-HJLNP-UW-Z]{2}")
TIME_RE = re.compile(r"([01]\d|2[0-3]):[0-5]\d")
SCHEDULE_KEYS = ("byday", "opens_at", "closes_at", "description")
DAYS_AGO = {"fresh": (0, 150), "stale": (190, 360), "very": (370, 900), "any": (10, 120)}
BANDS = [(150, "0-150"), (189, "151-189"), (360, "190-360"), (369, "361-369"), (10**6, "370+")]
BANNED = re.compile(r"\bminds?\b|refuge|barnardo|nspcc|samaritans|\(demo\)", re.IGNORECASE)
KIT_DESC = ("A bleed control kit is kept in a locked public cabinet on the outside wall of the "
            "{host}. If someone is bleeding heavily, call 999: the call handler will give you the "
            "code and talk you through using the kit.")
KIT_RULE = {"free": True, "status": "active", "access": "self_referral",
            "prevention_level": "primary", "minimum_age": None, "maximum_age": None}
# fmt: on


def Svc(name, kind, desc, **opts):
    """One service: the kind's defaults, then the options given (extra= adds categories)."""
    spec = {**dict(zip(KIND_KEYS, KINDS[kind], strict=True)), "name": name, "desc": desc, **opts}
    spec["cats"] = spec["cats"] + opts.get("extra", [])
    return spec


def Org(name, place, desc, *services, claimed=False):
    return {"name": name, "place": place, "desc": desc, "services": services, "claimed": claimed}


def Kit(label, host, **opts):
    """A bleed control kit in a public cabinet on the outside wall of a host building."""
    return Svc(f"Bleed control kit – {label}", "bleed", KIT_DESC.format(host=host), **opts)


# The categories in Polish (name, description), written for Polish-speaking residents.
TAXONOMY_PL = {
    "youth-activities": (
        "Kluby i zajęcia dla młodzieży",
        "Kluby młodzieżowe, spotkania otwarte, zajęcia artystyczne i muzyczne oraz inne "
        "zajęcia dla młodych ludzi.",
    ),
    "mentoring": (
        "Mentoring",
        "Zaufany dorosły lub przeszkolony rówieśnik, który regularnie spotyka się z młodą"
        " osobą, by porozmawiać, wyznaczyć cele i budować pewność siebie.",
    ),
    "sport": (
        "Sport i aktywność fizyczna",
        "Kluby, treningi i zajęcia, które pomagają się ruszać: od piłki nożnej i boksu po"
        " taniec i bieganie.",
    ),
    "mental-health": (
        "Zdrowie psychiczne i samopoczucie",
        "Poradnictwo, grupy wsparcia i telefony zaufania dla każdego, kto czuje się "
        "przygnębiony, zaniepokojony lub zestresowany.",
    ),
    "domestic-abuse": (
        "Przemoc domowa",
        "Pomoc dla osób krzywdzonych, zastraszanych lub kontrolowanych przez partnera lub"
        " członka rodziny oraz programy dla osób, które chcą przestać stosować przemoc.",
    ),
    "substance-misuse": (
        "Narkotyki i alkohol",
        "Porady, leczenie i wsparcie w zdrowieniu dla osób zaniepokojonych piciem "
        "alkoholu lub zażywaniem narkotyków oraz dla ich rodzin.",
    ),
    "parenting": (
        "Wsparcie dla rodziców i rodzin",
        "Kursy, grupy i indywidualna pomoc dla rodziców i opiekunów, także rodziców nastolatków.",
    ),
    "food-and-money": (
        "Pomoc z jedzeniem i pieniędzmi",
        "Banki żywności, społeczne spiżarnie, darmowe posiłki oraz porady w sprawie "
        "zasiłków, długów i rachunków.",
    ),
    "faith-and-community": (
        "Grupy wyznaniowe i społeczne",
        "Kościoły, meczety, gurdwary i grupy lokalne, które oferują życzliwe przyjęcie, "
        "zajęcia i praktyczną pomoc.",
    ),
    "bleed-kits": (
        "Zestawy do tamowania krwotoków",
        "Publiczne szafki z zestawami ratunkowymi do tamowania silnego krwawienia; kod do"
        " szafki podaje numer alarmowy 999.",
    ),
    "education-and-employment": (
        "Nauka, szkolenia i praca",
        "Pomoc w powrocie do nauki, znalezieniu szkolenia lub praktyki zawodowej albo pracy.",
    ),
    "sexual-health-and-relationships": (
        "Zdrowie seksualne i związki",
        "Poufne poradnie zdrowia seksualnego oraz porady o zdrowych, bezpiecznych "
        "związkach i zgodzie.",
    ),
    "victim-support": (
        "Wsparcie po przestępstwie",
        "Praktyczne i emocjonalne wsparcie dla ofiar i świadków przestępstw, niezależnie "
        "od tego, czy zgłoszono je policji.",
    ),
    "housing": (
        "Mieszkanie i bezdomność",
        "Porady i wsparcie dla osób bezdomnych lub zagrożonych utratą domu.",
    ),
}
# fmt: off
TAXONOMY = [
    ("youth-activities", "Youth clubs and activities",
     "Youth clubs, drop-ins, arts, music and other things to do for young people."),
    ("mentoring", "Mentoring",
     "A trusted adult or trained peer who meets a young person regularly to talk, set goals "
     "and build confidence."),
    ("sport", "Sport and physical activity",
     "Clubs, coaching and sessions to get active, from football and boxing to dance and running."),
    ("mental-health", "Mental health and wellbeing",
     "Counselling, groups and helplines for anyone who feels low, anxious or stressed."),
    ("domestic-abuse", "Domestic abuse",
     "Help for anyone hurt, threatened or controlled by a partner or family member, and "
     "programmes for people who want to stop being abusive."),
    ("substance-misuse", "Drugs and alcohol",
     "Advice, treatment and recovery support for people worried about drinking or drug use, "
     "and for their families."),
    ("parenting", "Parenting and family support",
     "Courses, groups and one-to-one help for parents and carers, including parents of teenagers."),
    ("food-and-money", "Food and money help",
     "Food banks, community pantries, free meals and advice on benefits, debt and bills."),
    ("faith-and-community", "Faith and community groups",
     "Churches, mosques, gurdwaras and community groups offering a welcome, activities and "
     "practical help."),
    ("bleed-kits", "Bleed control kits",
     "Public cabinets holding emergency kits to stop severe bleeding; call 999 for the code."),
    ("education-and-employment", "Education, training and jobs",
     "Help to get back into learning, find training or an apprenticeship, or get a job."),
    ("sexual-health-and-relationships", "Sexual health and relationships",
     "Confidential sexual health clinics and advice on healthy, safe relationships and consent."),
    ("victim-support", "Support after crime",
     "Practical and emotional support for victims and witnesses of crime, whether or not it was "
     "reported to the police."),
    ("housing", "Housing and homelessness",
     "Advice and support for people who are homeless or at risk of losing their home."),
]

# Place (a name in places.csv): (town used as the city in addresses, real postcode districts).
PLACE_INFO = {
    "Northampton": ("Northampton", ["NN1"]), "Kingsthorpe": ("Northampton", ["NN2"]),
    "Semilong": ("Northampton", ["NN2"]), "Kingsley": ("Northampton", ["NN2"]),
    "Queens Park": ("Northampton", ["NN2"]), "Weston Favell": ("Northampton", ["NN3"]),
    "Blackthorn": ("Northampton", ["NN3"]), "Lings": ("Northampton", ["NN3"]),
    "Thorplands": ("Northampton", ["NN3"]), "Parklands": ("Northampton", ["NN3"]),
    "Abington": ("Northampton", ["NN1", "NN3"]), "Far Cotton": ("Northampton", ["NN4"]),
    "Delapre": ("Northampton", ["NN4"]), "Briar Hill": ("Northampton", ["NN4"]),
    "St James": ("Northampton", ["NN5"]), "Duston": ("Northampton", ["NN5"]),
    "Kings Heath": ("Northampton", ["NN5"]), "Upton": ("Northampton", ["NN5"]),
    "Corby": ("Corby", ["NN17", "NN18"]), "Kingswood": ("Corby", ["NN18"]),
    "Danesholme": ("Corby", ["NN18"]), "Beanfield": ("Corby", ["NN17"]),
    "Hazel Leys": ("Corby", ["NN17"]), "Weldon": ("Weldon", ["NN17"]),
    "Kettering": ("Kettering", ["NN15", "NN16"]), "Ise Lodge": ("Kettering", ["NN15"]),
    "Barton Seagrave": ("Kettering", ["NN15"]), "Wellingborough": ("Wellingborough", ["NN8"]),
    "Queensway": ("Wellingborough", ["NN8"]), "Hemmingwell": ("Wellingborough", ["NN8"]),
    "Croyland": ("Wellingborough", ["NN8"]), "Redwell": ("Wellingborough", ["NN8"]),
    "Rushden": ("Rushden", ["NN10"]), "Higham Ferrers": ("Higham Ferrers", ["NN10"]),
    "Irthlingborough": ("Irthlingborough", ["NN9"]), "Raunds": ("Raunds", ["NN9"]),
    "Thrapston": ("Thrapston", ["NN14"]), "Oundle": ("Oundle", ["PE8"]),
    "Burton Latimer": ("Burton Latimer", ["NN15"]), "Desborough": ("Desborough", ["NN14"]),
    "Rothwell": ("Rothwell", ["NN14"]), "Daventry": ("Daventry", ["NN11"]),
    "Towcester": ("Towcester", ["NN12"]), "Brackley": ("Brackley", ["NN13"]),
    "Brixworth": ("Brixworth", ["NN6"]), "Earls Barton": ("Earls Barton", ["NN6"]),
    "Long Buckby": ("Long Buckby", ["NN6"]),
}
STREETS = [
    "High Street", "Station Road", "Church Street", "Victoria Road", "Park Road", "Mill Road",
    "London Road", "Queen Street", "Alexandra Road", "Windmill Avenue", "Market Street",
    "Bridge Street", "Orchard Way", "Meadow Road", "Regent Street", "Green Lane", "Grove Road",
    "School Lane", "Princes Street", "Brook Street", "Albert Road", "Spencer Road",
]
# Pattern: (number of days, days to pick from, opens, closes, note).
PATTERNS = {
    "eve1": (1, W5, "18:30", "20:30", None), "eve2": (2, DAYS[:4], "18:30", "21:00", None),
    "eve3": (3, W5, "18:00", "21:00", None), "after": (2, W5, "15:30", "17:30", "Term time only"),
    "train": (2, W5, "17:30", "19:00", None), "day1": (1, W5, "10:00", "12:00", None),
    "drop": (1, W5, "10:00", "13:00", "Drop-in, no need to book"),
    "day3": (3, W5, "09:30", "16:00", None), "week": (5, W5, "09:00", "17:00", None),
    "appt": (5, W5, "09:00", "17:00", "By appointment"),
    "clinic": (2, W5, "15:30", "18:30", "Drop-in, no appointment needed"),
    "chat": (5, W5, "14:00", "22:00", "Live chat"), "line": (5, W5, "09:00", "20:00", None),
    "h24": (7, DAYS, "00:00", "23:59", "Open 24 hours"),
    "night": (5, W5, "19:30", "23:59", "Overnight stay until 8am, December to March"),
    "pub": (5, DAYS[2:], "12:00", "23:00", "When the pub is open"),
    "shop": (5, W5, "07:00", "21:00", "When the shop is open"),
    "centre": (5, W5, "08:30", "21:30", "When the centre is open"),
}
GROUND = [("TU", "18:00", "21:00", "Training nights"), ("TH", "18:00", "21:00", "Training nights"),
          ("SA", "09:00", "17:00", "Match days"), ("SU", "09:00", "13:00", "Junior matches")]

KIND_KEYS = ("cats", "prev", "access", "ages", "venue", "sched", "elig", "prefix")
KINDS = {  # categories, prevention, access, ages, venue, schedule, eligibility, email prefix
    "youth": (
        ["youth-activities"], "primary", "self_referral", (11, 18), "{p} Youth Centre", "eve2",
        "Young people aged {lo} to {hi}. Just turn up.", "youth"),
    "outreach": (
        ["youth-activities", "mentoring"], "secondary", "self_referral", (11, 19),
        "{p} Youth Centre", "eve3",
        "Young people aged {lo} to {hi} who spend time in parks, streets and town centres. No "
        "need to sign up.", "outreach"),
    "mentor": (
        ["mentoring"], "secondary", "both", (11, 18), "{p} Community Centre", "after",
        "Young people aged {lo} to {hi} who would like someone on their side. Parents, schools "
        "and youth workers can refer too.", "mentoring"),
    "justice": (
        ["mentoring"], "tertiary", "referral", (10, 17), "{p} Community Centre", "appt",
        "Young people aged {lo} to {hi} referred by the youth justice service, police or "
        "children's services.", "mentoring"),
    "sport": (
        ["sport"], "primary", "self_referral", (8, 18), "{p} Leisure Centre", "train",
        "Children and young people aged {lo} to {hi}, all abilities.", "sport"),
    "mh_young": (
        ["mental-health"], "secondary", "both", (11, 25), "{p} Wellbeing Centre", "day3",
        "Young people aged {lo} to {hi} who feel anxious, low or stressed.", "wellbeing"),
    "mh_adult": (
        ["mental-health"], "secondary", "self_referral", (18, None), "{p} Wellbeing Centre", "drop",
        "Adults aged 18 and over.", "wellbeing"),
    "da": (
        ["domestic-abuse"], "secondary", "both", (16, None), "{p} Family Hub", "day3",
        "Anyone aged 16 or over who is being hurt, threatened or controlled by a partner, "
        "ex-partner or family member.", "support"),
    "da_perp": (
        ["domestic-abuse"], "tertiary", "referral", (18, None), "{p} Business Centre", "eve1",
        "Adults aged 18 and over who have been abusive to a partner or ex-partner and want to "
        "change. Referral by probation, children's services or a GP; you can also ask to be "
        "referred.", "change"),
    "sm_young": (
        ["substance-misuse"], "secondary", "both", (11, 24), "{p} Health Centre", "day3",
        "Young people aged {lo} to {hi} worried about their own or someone else's drinking or "
        "drug use.", "young-people"),
    "sm_adult": (
        ["substance-misuse"], "tertiary", "both", (18, None), "{p} Recovery Hub", "week",
        "Adults aged 18 and over who want help with drugs or alcohol.", "recovery"),
    "parent": (
        ["parenting"], "secondary", "both", (None, None), "{p} Family Hub", "day1",
        "Parents and carers of children and teenagers.", "families"),
    "food": (
        ["food-and-money"], "primary", "referral", (None, None), "{p} Food Bank", "day3",
        "Anyone in the area who cannot afford food. You need a food voucher from an adviser, "
        "GP, school or the council.", "food"),
    "money": (
        ["food-and-money"], "primary", "self_referral", (18, None), "{p} Advice Centre", "day3",
        "Adults aged 18 and over living in the area.", "advice"),
    "faith": (
        ["faith-and-community"], "primary", "self_referral", (None, None),
        "{p} Church Hall", "day1",
        "Everyone is welcome, whatever your faith or none.", "hello"),
    "bleed": (
        ["bleed-kits"], "primary", "self_referral", (None, None), "{p} Community Centre", "centre",
        "Anyone. In an emergency, call 999 first.", "hello"),
    "edu": (
        ["education-and-employment"], "secondary", "both", (16, 24), "{p} Skills Centre", "day3",
        "Young people aged {lo} to {hi} who are not in work, education or training.", "jobs"),
    "sexual": (
        ["sexual-health-and-relationships"], "primary", "self_referral", (13, 24),
        "{p} Health Centre", "clinic",
        "Young people aged {lo} to {hi}. It is confidential: we only share information if you "
        "are in danger.", "clinic"),
    "victim": (
        ["victim-support"], "tertiary", "both", (None, None), "{p} Victim Care Hub", "week",
        "Anyone affected by crime, whether or not it was reported to the police.", "support"),
    "housing": (
        ["housing"], "secondary", "both", (16, 25), "{p} Housing Advice Centre", "day3",
        "Young people aged {lo} to {hi} who are homeless or at risk of losing their home.",
        "housing"),
}

ORGS = [
    # ---------------------------------------------------------------- Northampton
    Org("Northampton Mentoring Project", "Northampton",
      "A local charity that trains volunteers to mentor young people across Northampton.",
      Svc("One-to-One Mentoring – Northampton", "mentor",
        "A trained volunteer mentor meets you once a week for up to a year to talk, set goals "
        "and try new things. You choose what you want to work on."),
      Svc("Mentoring for Young People in the Justice System", "justice",
        "Weekly mentoring for young people who have been in trouble with the police or are "
        "working with the youth justice service. Your mentor helps you stay out of trouble and "
        "plan what comes next."),
      Svc("Peer Mentor Training", "mentor",
        "A ten-week evening course for young people who want to become mentors themselves. You "
        "get a certificate and a reference for your CV.",
        ages=(16, 25), prev="primary", access="self_referral", sched="eve1",
        extra=["education-and-employment"], elig="Young people aged {lo} to {hi}.")),
    Org("Lings and Ecton Brook Youth Project", "Lings",
      "A youth project on the east side of Northampton running clubs and trips.",
      Svc("Lings Youth Club", "youth",
        "Pool, table tennis, games consoles, cooking and a safe place to hang out with friends. "
        "Youth workers are always around if you want to talk.")),
    Org("Kings Heath Community Hub", "Kings Heath",
      "A community centre in Kings Heath run by local residents.",
      Svc("Kings Heath Youth Drop-in", "youth",
        "A relaxed drop-in with music, games and free food on Friday evenings. Bring a friend.",
        ages=(11, 19), sched=[("FR", "18:00", "21:00", None)], venue="{p} Community Centre")),
    Org("Far Cotton Amateur Boxing Club", "Far Cotton",
      "A volunteer-run boxing club for all ages in Far Cotton.",
      Svc("Junior Boxing Sessions – Far Cotton", "sport",
        "Fitness, skipping, pad work and boxing skills with qualified coaches. No sparring "
        "unless you want to and your coach says you are ready.",
        ages=(10, 18), cost="£2 a session, first session free", extra=["youth-activities"],
        venue="{p} Boxing Gym")),
    Org("Northampton Street Sports", "St James",
      "Runs free late-evening football and basketball in sports halls across Northampton.",
      Svc("Friday Night Football", "sport",
        "Free five-a-side football on Friday nights with coaches and youth workers. Just turn up "
        "in trainers.",
        ages=(12, 19), extra=["youth-activities"], sched=[("FR", "19:00", "21:30", None)],
        elig="Young people aged {lo} to {hi}. Just turn up.",
        venue="{p} Sports Hall"),
      Svc("Late Night Basketball", "sport",
        "Basketball coaching and games on a weeknight, with a short chat at half-time about "
        "things that matter to you.",
        ages=(14, 21), extra=["youth-activities"], at="Weston Favell",
        elig="Young people aged {lo} to {hi}. Just turn up.",
        sched=[("WE", "19:30", "22:00", None)])),
    Org("Northampton Outreach Youth Work Team", "Northampton",
      "Youth workers who go out to parks, streets and estates to meet young people where they "
      "are.",
      Svc("Street-Based Youth Work – Northampton North", "outreach",
        "Youth workers walk round parks, shops and estates in the north of Northampton in the "
        "evenings. They chat, listen, give advice and help you find activities and support.",
        at="Kingsthorpe", areas=["DEMO-LAP-06"], phone="mobile"),
      Svc("Street-Based Youth Work – Northampton South", "outreach",
        "Youth workers walk round parks, shops and estates in the south and west of Northampton "
        "in the evenings. They chat, listen, give advice and help you find activities and "
        "support.",
        at="Far Cotton", areas=["DEMO-LAP-07"], phone="mobile", venue="{p} Community Centre")),
    Org("Northampton Youth Counselling Service", "Northampton",
      "Free, confidential counselling for young people in Northamptonshire.",
      Svc("Counselling for Young People", "mh_young",
        "Up to twelve free sessions with a trained counsellor to talk about anything that is "
        "worrying you. You can refer yourself or ask a teacher, GP or parent to do it."),
      Svc("Online Counselling Chat", "mh_young",
        "Talk to a qualified counsellor by live chat from your phone or laptop. No waiting room, "
        "and no one else needs to know.",
        virtual=True, sched="chat", access="self_referral")),
    Org("Northampton Peer Wellbeing Network", "Abington",
      "A peer-led mental health group for adults in Northampton.",
      Svc("Men's Talking Group", "mh_adult",
        "Men meet to talk about how life is going, over a brew. No need to book, and you don't "
        "have to speak if you don't want to.",
        sched=[("TU", "19:00", "21:00", None)], elig="Men aged 18 and over.")),
    Org("Northants Safe Relationships Service", "Northampton",
      "A specialist domestic abuse service for North and West Northamptonshire.",
      Svc("Domestic Abuse Helpline", "da",
        "Call free, day or night, to talk in confidence about abuse at home and find out what "
        "help is available. We can arrange an interpreter.",
        virtual=True, sched="h24", phone="free", access="self_referral",
        lang=["pl", "ro", "pa", "ur"]),
      Svc("Domestic Abuse Drop-in – Northampton", "da",
        "See a specialist adviser face to face, without an appointment, about safety, housing, "
        "money and the law.",
        sched="drop", venue="{p} Family Hub"),
      Svc("Healthy Relationships for Teens", "da",
        "A six-week group about respect, controlling behaviour, consent and staying safe online, "
        "for young people worried about their own relationship or someone else's.",
        ages=(13, 18), cats=["sexual-health-and-relationships", "domestic-abuse"],
        prev="primary", sched="after",
        elig="Young people aged {lo} to {hi}. Schools and youth workers can refer, or ask to "
        "join yourself.")),
    Org("Northampton Respectful Relationships Programme", "Northampton",
      "Runs programmes that help people change abusive behaviour at home.",
      Svc("Behaviour Change Programme", "da_perp",
        "A 26-week group programme for people who have been abusive to a partner and want to "
        "change. Partners are offered separate support while you attend.",
        sched=[("TH", "18:30", "21:00", None)]),
      Svc("Young People Who Harm at Home", "da_perp",
        "Support for families where a teenager is violent or aggressive towards a parent or "
        "carer. Young people and parents work with a practitioner, separately and together.",
        ages=(11, 17), cats=["domestic-abuse", "parenting"], sched="appt",
        elig="Families with a young person aged {lo} to {hi}. Referral by a school, social "
        "worker, police or early help worker.")),
    Org("Northampton Young People's Drug and Alcohol Team", "Northampton",
      "A confidential service for young people affected by drugs or alcohol.",
      Svc("Drug and Alcohol Support for Young People", "sm_young",
        "Confidential one-to-one support if you are worried about alcohol, cannabis or other "
        "drugs. We won't judge you, and we can meet at school, at home or in town."),
      Svc("Support for Families Affected by Drugs", "sm_young",
        "Advice and a monthly group for parents and carers worried about a young person's "
        "drinking or drug use.",
        ages=(None, None), cats=["substance-misuse", "parenting"],
        sched=[("MO", "18:30", "20:30", "First Monday of the month")],
        elig="Parents, carers, brothers and sisters of young people who use drugs or alcohol."),
      Svc("Online Drug and Alcohol Chat", "sm_young",
        "Ask a drugs worker anything by online chat, in confidence, including about vapes, "
        "cannabis, nitrous oxide and drinking.",
        ages=(13, 24), virtual=True, sched="chat", access="self_referral")),
    Org("Northampton Recovery Hub", "Semilong",
      "An adult drug and alcohol treatment and recovery service.",
      Svc("Adult Drug and Alcohol Treatment", "sm_adult",
        "Assessment, medication, a key worker and help to cut down or stop. Call or walk in to "
        "get started."),
      Svc("Recovery Café – Semilong", "sm_adult",
        "A friendly alcohol- and drug-free café run by people in recovery, with peer support "
        "and activities.",
        prev="secondary", access="self_referral", cats=["substance-misuse", "faith-and-community"],
        sched=[("SA", "11:00", "15:00", None)],
        elig="Adults aged 18 and over in recovery, or thinking about it, and their families.")),
    Org("Northampton Food Bank", "Northampton",
      "Provides emergency food and help to find advice across Northampton.",
      Svc("Emergency Food Parcels – Northampton", "food",
        "Three days of balanced food for people in crisis, plus toiletries. Bring your food "
        "voucher to any of our centres.")),
    Org("Northampton Money Advice Centre", "Northampton",
      "Independent, free advice on money, benefits and debt.",
      Svc("Debt and Benefits Advice", "money",
        "Free, confidential advice on debt, benefits, Universal Credit and bills. Advisers speak "
        "Polish, Romanian and Portuguese.",
        lang=["pl", "ro", "pt"], sched="week")),
    Org("Northampton Eastern European Family Centre", "Kingsley",
      "A community centre supporting families from Poland, Romania, Lithuania and across Eastern "
      "Europe.",
      Svc("Family Advice in Your Language", "parent",
        "Advice for families on schools, health, benefits and work, in Polish, Romanian and "
        "Lithuanian.",
        cats=["parenting", "faith-and-community"], prev="primary", access="self_referral",
        lang=["pl", "ro", "lt"], venue="{p} Community Centre",
        elig="Families from Poland, Romania, Lithuania and other Eastern European countries.",
        sched=[("TU", "10:00", "14:00", None), ("SA", "10:00", "13:00", None)]),
      Svc("Saturday Club for Eastern European Teens", "youth",
        "Sport, games and homework help on Saturday afternoons, in English, Polish and Romanian.",
        ages=(12, 18), lang=["pl", "ro"], venue="{p} Community Centre",
        sched=[("SA", "14:00", "17:00", None)])),
    Org("Semilong Community Church", "Semilong",
      "A local church that opens its hall to the whole community.",
      Svc("Friday Youth Café – Semilong", "youth",
        "A safe, warm space with free hot food, games and music on Friday evenings. Everyone is "
        "welcome, whatever your faith.",
        cats=["youth-activities", "faith-and-community"], venue="{p} Church Hall",
        sched=[("FR", "18:30", "21:00", None)])),
    Org("Northampton Muslim Youth Forum", "St James",
      "A youth group run by young Muslims in Northampton, open to everyone.",
      Svc("Youth Forum and Sports Night", "youth",
        "Football, table tennis, discussion and mentoring from older young people. Open to all "
        "young people, whatever their background.",
        ages=(13, 21), cats=["youth-activities", "faith-and-community", "sport"], lang=["ur"],
        venue="{p} Community Centre", sched=[("TH", "19:00", "21:30", None)])),
    Org("Northampton Sikh Community Kitchen", "Far Cotton",
      "Volunteers serve free vegetarian meals to anyone who needs one.",
      Svc("Free Community Meal – Far Cotton", "faith",
        "A free hot vegetarian meal served by volunteers, no questions asked. Everyone is "
        "welcome.",
        extra=["food-and-money"], lang=["pa"], venue="{p} Community Centre",
        sched=[("WE", "18:00", "20:00", None), ("SU", "12:00", "15:00", None)])),
    Org("Northampton Youth Employment Hub", "Northampton",
      "Helps young people in Northampton into jobs, training and apprenticeships.",
      Svc("Jobs and Apprenticeships Support", "edu",
        "A coach helps you work out what you want to do, find jobs and apprenticeships, and "
        "prepare for interviews.")),
    Org("Northampton Second Chance Learning", "Delapre",
      "Small, friendly classes for young adults who want the qualifications they missed at "
      "school.",
      Svc("Maths and English for Young Adults", "edu",
        "Small classes to get your GCSE or Functional Skills maths and English, at your own "
        "pace.",
        ages=(16, 25), venue="{p} Community Centre",
        sched=[("MO", "13:00", "16:00", None), ("WE", "13:00", "16:00", None)])),
    Org("Northampton Young People's Health Clinic", "Northampton",
      "A confidential sexual health and relationships service for young people.",
      Svc("Sexual Health Drop-in for Young People", "sexual",
        "Free condoms, contraception, pregnancy tests and STI testing. No appointment needed, "
        "and it's confidential."),
      Svc("Relationships and Consent Workshops", "sexual",
        "Group sessions in schools and youth clubs on consent, healthy relationships, sharing "
        "images and staying safe online.",
        ages=(13, 18), access="referral", sched="day3",
        elig="Schools, youth clubs and community groups can book a session for young people "
        "aged {lo} to {hi}.")),
    Org("Northants Victim and Witness Support", "Northampton",
      "Free support for anyone affected by crime in North and West Northamptonshire.",
      Svc("Support After Crime", "victim",
        "Emotional and practical support after any crime, including help with safety, going to "
        "court and claiming compensation. You don't need to have reported it to the police.",
        areas=ALL, lang=["pl", "ro"]),
      Svc("Support for Young Victims of Crime", "victim",
        "A specialist worker supports children and young people who have been hurt, robbed, "
        "threatened or exploited, and helps their families too.",
        ages=(8, 18), elig="Children and young people aged {lo} to {hi} and their families."),
      Svc("Bereaved by Violence Support Group", "victim",
        "A monthly group and one-to-one support for families who have lost someone to violence.",
        sched=[("TH", "18:30", "20:30", "Second Thursday of the month")],
        elig="Families who have lost someone to violence, however long ago it happened."),
      Svc("Witness Support at Court", "victim",
        "A volunteer shows you round the court before the trial and stays with you on the day, "
        "so you know what to expect when you give evidence.",
        ages=(None, None), sched="appt",
        elig="Anyone who has to give evidence in court as a victim or witness, and their family."),
      Svc("Hate Crime Support – Wellingborough", "victim",
        "Support if you have been targeted because of your race, religion, disability, "
        "sexuality or gender identity, including help to report it safely.",
        at="Wellingborough", lang=["pl", "pa", "ur"], sched="drop",
        elig="Anyone targeted because of who they are, whether or not they have told the police.")),
    Org("Northampton Young People's Housing Project", "Northampton",
      "Supports young people who are homeless or at risk of homelessness.",
      Svc("Housing Advice for 16 to 25s", "housing",
        "Advice if you have been asked to leave home, are sofa-surfing or are struggling with "
        "rent. We can help you stay at home safely or find somewhere new."),
      Svc("Supported Lodgings", "housing",
        "A room in a checked and trained family home, with support to learn the skills you need "
        "to live on your own.",
        ages=(16, 21), prev="tertiary", access="referral", sched="appt",
        elig="Young people aged {lo} to {hi} referred by children's services or the council "
        "housing team.")),
    Org("Upton Girls' Football Club", "Upton",
      "A football club for girls and young women.",
      Svc("Girls' Football Training", "sport",
        "Fun football training and friendly matches for girls, whatever your level. Boots can be "
        "borrowed.",
        ages=(8, 16), cost="£2 a session", extra=["youth-activities"],
        venue="{p} Sports Ground")),
    Org("Northampton Family Support Network", "Northampton",
      "Courses and groups for parents and carers across Northampton.",
      Svc("Parenting Teenagers Course", "parent",
        "An eight-week course for parents and carers of 11 to 18-year-olds on talking and "
        "listening, boundaries, online safety and keeping teenagers safe.",
        sched=[("WE", "18:30", "20:30", "Eight-week course; book a place")]),
      Svc("Dads' Group – Parklands", "parent",
        "Saturday morning play and a chat for dads, granddads and male carers and their "
        "children.",
        at="Parklands", prev="primary", access="self_referral",
        sched=[("SA", "10:00", "12:00", None)],
        elig="Dads and male carers with children aged up to 11."),
      Svc("Parent Support Line", "parent",
        "Phone a family worker for advice on anything from sleep and behaviour to teenagers "
        "staying out late.",
        virtual=True, phone="free", sched="line", access="self_referral")),
    Org("Northampton Youth Dance Company", "Northampton",
      "A youth dance company offering street dance and performance classes.",
      Svc("Street Dance Classes", "youth",
        "Learn street dance and commercial routines and perform at local events. No experience "
        "needed.",
        cats=["youth-activities", "sport"], cost="£3 a class", venue="{p} Arts Centre",
        sched=[("MO", "18:00", "19:30", None), ("TH", "18:00", "19:30", None)])),
    Org("Blackthorn Youth Music Studio", "Blackthorn",
      "A recording studio and music project for young people.",
      Svc("Music Production and Recording", "youth",
        "Write, record and produce your own tracks with music mentors in a real studio. "
        "Beginners welcome.",
        ages=(13, 21), extra=["mentoring"], venue="{p} Community Centre",
        sched=[("TU", "17:00", "20:00", None), ("TH", "17:00", "20:00", None)])),
    Org("Thorplands Community Garden", "Thorplands",
      "A community garden and food-growing project.",
      Svc("Youth Gardening Club", "youth",
        "Grow fruit and vegetables, build things and cook what you grow. Closed for the winter; "
        "it reopens in the spring.",
        ages=(10, 16), status="temporarily_closed", venue="{p} Community Garden",
        sched=[("WE", "16:00", "18:00", "March to October")])),
    Org("Northampton Young Carers Group", "Queens Park",
      "Support and breaks for children and young people who help look after someone at home.",
      Svc("Young Carers Club", "youth",
        "Time out with other young carers: trips, activities and someone to talk to about how "
        "things are at home.",
        ages=(8, 18), cats=["youth-activities", "mental-health"], access="both",
        sched=[("WE", "17:00", "19:00", None)], venue="{p} Community Centre",
        elig="Children and young people aged {lo} to {hi} who help look after a family member "
        "who is ill or disabled or who misuses drugs or alcohol.")),
    Org("Kingsthorpe Youth Club", "Kingsthorpe",
      "A long-running youth club in the north of Northampton.",
      Svc("Kingsthorpe Youth Club", "youth",
        "Sports hall games, cooking, arts and trips, with youth workers to talk to.")),
    Org("Briar Hill Community Association", "Briar Hill",
      "A residents' association that runs the local community centre.",
      Svc("Homework Club – Briar Hill", "edu",
        "Help with homework and reading from volunteer tutors, plus a snack, after school.",
        ages=(8, 14), prev="primary", access="self_referral", extra=["youth-activities"],
        sched="after", venue="{p} Community Centre", elig="Children aged {lo} to {hi}.")),
    Org("Northants Youth Text Line", "Northampton",
      "A free text support service for young people across the county, staffed by trained "
      "volunteers.",
      Svc("Text Support for Young People", "mh_young",
        "Text any time, day or night, and a trained volunteer will text back to help you feel "
        "calmer and work out what to do next.",
        virtual=True, sched="h24", phone="mobile", access="self_referral")),
    # ---------------------------------------------------------------- Corby
    Org("Corby Youth Boxing Club", "Corby",
      "A community boxing club in Corby that uses boxing to build fitness, discipline and "
      "confidence.",
      Svc("Youth Boxing Sessions", "sport",
        "Boxing training with qualified coaches: skipping, bag work, pads and fitness. "
        "Non-contact unless you choose to compete.",
        ages=(10, 18), cost="£3 a session, first session free", extra=["youth-activities"],
        venue="{p} Boxing Gym",
        sched=[("MO", "17:30", "19:00", None), ("WE", "17:30", "19:00", None),
               ("FR", "17:30", "19:00", None)]),
      Svc("Girls' Boxing Night", "sport",
        "A girls-only boxing fitness session with female coaches. No experience needed.",
        ages=(11, 18), cost="£2 a session", extra=["youth-activities"], venue="{p} Boxing Gym",
        sched=[("TU", "18:00", "19:30", None)]),
      Svc("Boxing Mentoring Programme", "mentor",
        "Twelve weeks of one-to-one mentoring and boxing training for young people who are "
        "struggling at school or getting into trouble.",
        ages=(13, 19), cats=["mentoring", "sport"], venue="{p} Boxing Gym",
        sched=[("TH", "16:00", "18:00", None)]),
      claimed=True),
    Org("Corby Youth Hub", "Corby",
      "The main youth centre in Corby, open several evenings a week.",
      Svc("Corby Youth Hub Open Sessions", "youth",
        "Pool, gaming, a music studio, sports hall and café, with youth workers on hand.",
        ages=(11, 19), sched="eve3"),
      Svc("Corby Youth Council", "youth",
        "Have a say on what happens in Corby: meet monthly, run campaigns and put questions to "
        "councillors and the police.",
        ages=(13, 19), sched=[("TU", "17:00", "18:30", "First Tuesday of the month")])),
    Org("Corby Outreach Youth Team", "Corby",
      "Detached youth workers covering Corby and the villages around it.",
      Svc("Street-Based Youth Work – Corby", "outreach",
        "Youth workers visit parks, shops and estates across Corby in the evenings to chat, give "
        "advice and help young people find activities and support.",
        at="Kingswood", areas=["DEMO-LAP-01"], phone="mobile", venue="{p} Community Centre")),
    Org("Corby Steps Mentoring", "Beanfield",
      "Mentoring for young people in Corby who are finding school or life hard.",
      Svc("School Inclusion Mentoring", "mentor",
        "Weekly mentoring in and out of school for young people at risk of being excluded, to "
        "help them get back on track.",
        ages=(11, 16), access="referral",
        elig="Young people aged {lo} to {hi}. Referral by a school, parent or early help "
        "worker.")),
    Org("Corby Food Bank", "Corby",
      "An emergency food bank serving Corby and nearby villages.",
      Svc("Corby Food Bank", "food",
        "Emergency food parcels, toiletries and baby items for people in crisis. Bring your "
        "voucher.")),
    Org("Corby Eastern European Advice Centre", "Corby",
      "Advice for people from Eastern Europe living and working in Corby.",
      Svc("Advice in Polish, Lithuanian and Romanian", "money",
        "Help with benefits, work, housing and official letters, in your own language.",
        cats=["food-and-money", "housing"], lang=["pl", "lt", "ro"])),
    Org("Corby Recovery Group", "Corby",
      "A peer-led recovery community for people affected by drugs or alcohol.",
      Svc("Recovery Meetings – Corby", "sm_adult",
        "Peer support meetings for adults in recovery from drugs or alcohol, plus walks and "
        "social events.",
        access="self_referral", sched="eve2", venue="{p} Community Centre")),
    Org("Corby Women's Centre", "Corby",
      "A women-only centre offering support, courses and a safe space.",
      Svc("Women's Domestic Abuse Support – Corby", "da",
        "One-to-one support, safety planning and a weekly group for women who have experienced "
        "domestic abuse. Crèche available.",
        venue="{p} Women's Centre", elig="Women aged 16 and over."),
      Svc("Women's Wellbeing Group", "mh_adult",
        "A weekly group for women to build confidence, learn ways to cope with stress and meet "
        "others.",
        venue="{p} Women's Centre", sched=[("WE", "10:00", "12:00", "Crèche available")],
        elig="Women aged 18 and over.")),
    Org("Kingswood Junior Football Club", "Kingswood",
      "A junior football club where everyone gets a game.",
      Svc("Junior Football – Kingswood", "sport",
        "Training and Saturday matches for boys and girls of all abilities.",
        ages=(8, 16), cost="£15 a month; help with costs available", venue="{p} Playing Fields",
        sched=[("TU", "17:30", "19:00", None), ("SA", "09:30", "11:30", "Matches")])),
    Org("Corby Youth Employment Project", "Corby",
      "Helps young people in Corby find work and training.",
      Svc("Jobs Club for 16 to 24s", "edu",
        "Drop-in help with job searching, CVs and applications, plus free bus fares to "
        "interviews.",
        sched="drop", access="self_referral")),
    Org("Corby Young People's Housing Service", "Corby",
      "Housing advice and supported rooms for young people in Corby.",
      Svc("Youth Homelessness Advice – Corby", "housing",
        "Advice and practical help if you have nowhere safe to stay tonight or are about to lose "
        "your home.")),
    Org("Corby Swimming Club", "Corby",
      "A swimming club for children, teenagers and adults.",
      Svc("Teen Swim Sessions", "sport",
        "Swimming lessons and fun sessions for teenagers. Closed while the pool is being "
        "repaired.",
        ages=(11, 17), cost="£2.50 a session", status="temporarily_closed",
        sched=[("FR", "18:00", "19:30", None)])),
    # ---------------------------------------------------------------- Kettering
    Org("Kettering Youth Centre", "Kettering",
      "A youth centre in the middle of Kettering.",
      Svc("Kettering Open Youth Club", "youth",
        "Pool, table tennis, a games room, cooking and youth workers to talk to.",
        sched="eve3"),
      Svc("LGBTQ+ Youth Group – Kettering", "youth",
        "A safe, friendly group for lesbian, gay, bisexual, trans and questioning young people "
        "and their friends.",
        ages=(13, 19), extra=["mental-health"], sched=[("TH", "18:00", "20:00", None)]),
      Svc("Music and Media Studio – Kettering", "youth",
        "Make music, videos and podcasts with support from youth workers. Closed for "
        "refurbishment.",
        ages=(13, 21), status="temporarily_closed", sched="eve1")),
    Org("Kettering Mentoring Circle", "Kettering",
      "Volunteer mentors for young people in and around Kettering.",
      Svc("Kettering Youth Mentoring", "mentor",
        "Meet a trained volunteer mentor once a week to talk things through, set goals and try "
        "new activities."),
      Svc("Mentoring for Care Leavers", "mentor",
        "A mentor helps young people leaving care with money, a first home, work and feeling "
        "less alone.",
        ages=(16, 25), access="referral", sched="appt",
        elig="Young people aged {lo} to {hi} who have been in care. Referral by a leaving care "
        "worker.")),
    Org("Kettering Basketball Club", "Ise Lodge",
      "A basketball club with junior and senior teams.",
      Svc("Junior Basketball", "sport",
        "Basketball skills, games and friendly matches. Beginners are very welcome.",
        ages=(10, 18), cost="£2 a session", extra=["youth-activities"])),
    Org("Kettering Youth Wellbeing Service", "Kettering",
      "Early help for young people's mental health in Kettering.",
      Svc("Wellbeing Drop-in for Young People", "mh_young",
        "Drop in to talk to a wellbeing worker about stress, anxiety, low mood or anything else "
        "on your mind.",
        access="self_referral", sched="clinic")),
    Org("Kettering Drug and Alcohol Service", "Kettering",
      "Treatment and recovery support for drugs and alcohol in Kettering.",
      Svc("Adult Drug and Alcohol Support – Kettering", "sm_adult",
        "Assessment, a key worker and treatment to help you cut down or stop, plus recovery "
        "groups."),
      Svc("Young People's Drug and Alcohol Support – Kettering", "sm_young",
        "Confidential advice and one-to-one support for young people about drink and drugs.")),
    Org("Kettering Domestic Abuse Support", "Kettering",
      "Support for people affected by domestic abuse in North Northamptonshire.",
      Svc("Moving On Group for Women", "da",
        "A twelve-week group for women who have left, or are thinking of leaving, an abusive "
        "relationship.",
        sched=[("TU", "10:00", "12:30", "Twelve-week course")], elig="Women aged 16 and over."),
      Svc("Domestic Abuse Outreach – North Northamptonshire", "da",
        "Outreach workers meet you somewhere safe near where you live to plan for your safety "
        "and support you through court or a move.",
        areas=NORTH, phone="mobile", sched="week")),
    Org("Kettering Families Together", "Kettering",
      "A family support charity for Kettering and the villages around it.",
      Svc("Family Support Workers – Kettering", "parent",
        "A family worker visits you at home to help with routines, behaviour, school and money "
        "worries.",
        sched="week")),
    Org("Kettering Churches Night Shelter", "Kettering",
      "Local churches working together to give people a safe bed in winter.",
      Svc("Winter Night Shelter", "housing",
        "A warm bed, an evening meal and breakfast for people who are sleeping rough in winter.",
        ages=(18, None), prev="tertiary", access="referral", sched="night",
        cats=["housing", "faith-and-community"], venue="{p} Church Hall",
        elig="Adults aged 18 and over who are sleeping rough. Referral by the council's outreach "
        "team.")),
    Org("Kettering Food Bank", "Kettering",
      "Emergency food and money advice for people in crisis in Kettering.",
      Svc("Kettering Food Bank", "food",
        "Three days of emergency food for you and your family. Bring your food voucher.")),
    Org("Kettering Young People's Health Clinic", "Kettering",
      "Sexual health services for young people in Kettering.",
      Svc("Sexual Health Clinic for Young People – Kettering", "sexual",
        "Free condoms, contraception, emergency contraception and STI tests for young people. "
        "Walk in, no appointment needed.")),
    Org("North Northants Exploitation Support", "Kettering",
      "Specialist workers for young people who are being exploited or groomed.",
      Svc("Support for Young People at Risk of Exploitation", "victim",
        "A specialist worker supports young people who are being groomed, pressured into "
        "carrying drugs or money, or sexually exploited. We work with your family too.",
        ages=(10, 18), cats=["victim-support", "mentoring"], access="referral", sched="appt",
        elig="Young people aged {lo} to {hi}. Referral by a school, police, social worker or "
        "youth worker.")),
    # ---------------------------------------------------------------- Wellingborough
    Org("Wellingborough Youth Project", "Wellingborough",
      "Youth clubs and street-based youth work across Wellingborough.",
      Svc("Queensway Youth Club", "youth",
        "Sport, cooking, games and trips in a friendly youth club, with youth workers to talk "
        "to.",
        at="Queensway"),
      Svc("Free Condoms and Advice", "sexual",
        "Get free condoms and advice about sex and relationships from trained youth workers, "
        "in private.",
        ages=(13, 24), at="Queensway", sched="eve2")),
    Org("Wellingborough Youth Football Academy", "Redwell",
      "A community football academy for boys and girls.",
      Svc("Youth Football Academy", "sport",
        "Coaching, small-sided games and matches for all abilities, with free places for "
        "families who need them.",
        ages=(8, 18), cost="£2 a session; free places available", venue="{p} Playing Fields")),
    Org("Wellingborough Mentoring Partnership", "Wellingborough",
      "Mentoring for young people in Wellingborough and East Northamptonshire.",
      Svc("Wellingborough Youth Mentoring", "mentor",
        "A volunteer mentor meets you every week to talk, plan and try new activities."),
      Svc("Mentoring for Young People Leaving Custody", "justice",
        "A mentor meets you before you are released and helps with somewhere to live, money, "
        "work and staying away from crime.",
        ages=(15, 21),
        elig="Young people aged {lo} to {hi} leaving custody. Referral by the youth justice "
        "service or probation."),
      Svc("Rushden and Higham Youth Mentoring", "mentor",
        "A volunteer mentor from your area meets you every week after school to talk, set goals "
        "and build your confidence.",
        at="Rushden")),
    Org("Wellingborough Sikh Youth Group", "Wellingborough",
      "A youth group based at a local gurdwara, open to young people of any faith.",
      Svc("Sikh Youth Sports and Mentoring", "youth",
        "Football, fitness and mentoring from older young people, with a free meal afterwards.",
        ages=(12, 21), cats=["youth-activities", "faith-and-community", "mentoring"],
        lang=["pa"], venue="{p} Gurdwara Hall", sched=[("SU", "16:00", "18:30", None)])),
    Org("Wellingborough Women's Community Group", "Croyland",
      "A friendly group for women from all backgrounds.",
      Svc("Women's Coffee Morning and English Practice", "faith",
        "Meet other women, practise your English and find out about local services, with a "
        "crèche.",
        cats=["faith-and-community", "education-and-employment"], lang=["ur", "pa"],
        venue="{p} Community Centre", elig="Women of any age and background.")),
    Org("Wellingborough Food Bank", "Wellingborough",
      "An emergency food bank for Wellingborough and the villages around it.",
      Svc("Wellingborough Food Bank", "food",
        "Food parcels, toiletries and cleaning products for people in crisis. Bring your "
        "voucher.")),
    Org("Wellingborough Family Hub", "Wellingborough",
      "Support for families with children of all ages in Wellingborough.",
      Svc("Parenting Support – Wellingborough", "parent",
        "Short courses and one-to-one support for parents and carers, including help with "
        "teenagers' behaviour.",
        sched="day3")),
    Org("Wellingborough Recovery Network", "Wellingborough",
      "A drug and alcohol recovery service run with people in recovery.",
      Svc("Wellingborough Recovery Service", "sm_adult",
        "Treatment, a key worker and peer-led recovery groups for adults who want to change "
        "their drinking or drug use.")),
    # ---------------------------------------------------------------- Rushden and Higham
    Org("Rushden Youth Club", "Rushden",
      "A volunteer-led youth club for Rushden.",
      Svc("Rushden Youth Club – Seniors", "youth",
        "Games, sport, music and a tuck shop for teenagers, with youth workers on hand.",
        ages=(12, 18)),
      Svc("Rushden Youth Club – Juniors", "youth",
        "Games, arts and crafts and sport for younger children.",
        ages=(8, 11), sched="after",
        elig="Children aged {lo} to {hi}. A parent or carer fills in a form on the first visit."),
      claimed=True),
    Org("Rushden Junior Rugby Club", "Rushden",
      "A friendly rugby club for boys and girls.",
      Svc("Junior Rugby", "sport",
        "Tag and contact rugby coaching for all abilities, with matches on Sunday mornings.",
        ages=(8, 17), cost="£10 a month", venue="{p} Rugby Club",
        sched=[("WE", "18:00", "19:30", None), ("SU", "10:00", "12:00", "Matches")])),
    Org("Rushden Family Support Project", "Rushden",
      "A family project for Rushden and Higham Ferrers.",
      Svc("Family Drop-in – Rushden", "parent",
        "Drop in for advice on parenting, benefits, school worries and local activities for "
        "children.",
        prev="primary", access="self_referral", sched="drop")),
    Org("Rushden Skate Park Project", "Rushden",
      "A volunteer project that ran coaching at the skate park.",
      Svc("Skate and Scooter Coaching", "youth",
        "Coaching for skateboards, scooters and BMX at the skate park. No longer running.",
        ages=(8, 18), cats=["youth-activities", "sport"], status="inactive",
        venue="{p} Skate Park", sched=[("SA", "10:00", "12:00", None)])),
    Org("Higham Ferrers Youth Club", "Higham Ferrers",
      "A youth club run by volunteers and a youth worker.",
      Svc("Higham Ferrers Youth Club", "youth",
        "Games, cooking and sport, plus trips in the holidays.",
        ages=(11, 17), sched="eve1")),
    Org("Higham Ferrers Tennis Club", "Higham Ferrers",
      "A small tennis club with coaching for young people.",
      Svc("Junior Tennis – Higham Ferrers", "sport",
        "Tennis coaching for beginners. Currently not running while the club looks for a new "
        "coach.",
        ages=(8, 16), cost="£3 a session", status="inactive", venue="{p} Tennis Club",
        sched=[("SA", "09:00", "10:30", None)])),
    # ---------------------------------------------------------------- East Northamptonshire
    Org("Irthlingborough Youth Club", "Irthlingborough",
      "A youth club for Irthlingborough.",
      Svc("Irthlingborough Youth Club", "youth",
        "A friendly club with pool, games, sport and cooking.")),
    Org("Irthlingborough Junior Football Club", "Irthlingborough",
      "A junior football club for boys and girls.",
      Svc("Junior Football – Irthlingborough", "sport",
        "Training and matches for boys and girls, with a girls-only team.",
        ages=(8, 16), cost="£12 a month", venue="{p} Playing Fields")),
    Org("Raunds Youth Café", "Raunds",
      "A youth café run by volunteers in Raunds.",
      Svc("Raunds Youth Café", "youth",
        "Hot chocolate, toast, games and a chat in a relaxed café just for young people.",
        venue="{p} Town Hall", sched=[("FR", "18:30", "21:00", None)])),
    Org("Thrapston Youth Club", "Thrapston",
      "The youth club for Thrapston and nearby villages.",
      Svc("Thrapston Youth Club", "youth",
        "Games, sport, arts and trips for young people, with youth workers to talk to.",
        ages=(10, 17))),
    Org("Rural Youth Bus Project", "Thrapston",
      "A mobile youth centre that visits villages in the east of the county.",
      Svc("Mobile Youth Bus – Thrapston and Oundle", "outreach",
        "A converted bus with games consoles, a chill-out space and youth workers visits "
        "villages in the evenings. Check the timetable to see where it stops.",
        areas=["DEMO-LAP-05"], phone="mobile", venue="{p} Youth Centre")),
    Org("Thrapston Family Drop-in", "Thrapston",
      "A drop-in for families in Thrapston.",
      Svc("Family Drop-in – Thrapston", "parent",
        "Play, a cuppa and advice for parents and carers from a family worker.",
        prev="primary", access="self_referral", venue="{p} Community Centre")),
    Org("Oundle Youth Club", "Oundle",
      "A youth club for Oundle and nearby villages.",
      Svc("Oundle Youth Club", "youth",
        "Games, music, cooking and sport, plus trips in the holidays.",
        sched="eve1")),
    Org("Oundle Community Larder", "Oundle",
      "A community larder run by volunteers.",
      Svc("Oundle Community Larder", "food",
        "Free and low-cost food, including fresh fruit and vegetables. No voucher needed.",
        access="self_referral", venue="{p} Church Hall", elig="Anyone who needs it.",
        sched=[("TU", "10:00", "12:00", None), ("FR", "14:00", "16:00", None)])),
    # ---------------------------------------------------------------- Kettering area towns
    Org("Burton Latimer Youth Club", "Burton Latimer",
      "A youth club for Burton Latimer.",
      Svc("Burton Latimer Youth Club", "youth",
        "Sport, games and cooking in a friendly club, with youth workers to talk to.")),
    Org("Burton Latimer Community Café", "Burton Latimer",
      "A community café run by volunteers.",
      Svc("Burton Latimer Community Café", "faith",
        "A friendly café for all ages: cheap hot drinks and cake, games and a chat.",
        venue="{p} Community Centre", sched=[("WE", "10:00", "13:00", None)])),
    Org("Desborough Youth Club", "Desborough",
      "A youth club for Desborough.",
      Svc("Desborough Youth Club", "youth",
        "Pool, table tennis, football and cooking, with youth workers to talk to.",
        ages=(11, 17))),
    Org("Desborough Food Bank", "Desborough",
      "A food bank for Desborough and Rothwell.",
      Svc("Desborough Food Bank", "food",
        "Emergency food parcels for people in crisis. Bring your voucher.",
        sched=[("TU", "10:00", "12:00", None), ("FR", "10:00", "12:00", None)])),
    # ---------------------------------------------------------------- Rothwell
    Org("Rothwell Youth Club", "Rothwell",
      "A youth club for young people in Rothwell.",
      Svc("Rothwell Youth Club – Senior Night", "youth",
        "Pool, table tennis, music, cooking and trips, with youth workers to talk to. Just turn "
        "up.",
        ages=(13, 18), sched=[("TU", "19:00", "21:00", None), ("TH", "19:00", "21:00", None)]),
      Svc("Rothwell Youth Club – Junior Night", "youth",
        "Games, crafts and sport for younger children.",
        ages=(8, 12), sched=[("WE", "17:30", "19:00", "Term time only")],
        elig="Children aged {lo} to {hi}. A parent or carer fills in a form on the first visit.")),
    Org("Rothwell Skate and BMX Group", "Rothwell",
      "Volunteers who run coached sessions at the skate park.",
      Svc("Skate and BMX Sessions – Rothwell", "youth",
        "Coached skateboard, scooter and BMX sessions at the skate park. Helmets can be borrowed.",
        cats=["youth-activities", "sport"], venue="{p} Skate Park", pin="very",
        sched=[("SA", "14:00", "16:00", None)])),
    Org("Rothwell Outdoor Adventure Group", "Rothwell",
      "An outdoor adventure group for young people.",
      Svc("Outdoor Adventure Club – Rothwell", "youth",
        "Camping, climbing, map reading and cooking outdoors. Paused while we find new "
        "volunteer leaders.",
        ages=(10, 16), cost="£20 a term", venue="{p} Community Centre",
        status="temporarily_closed",
        elig="Young people aged {lo} to {hi}. Places are limited; ask to join the waiting list.",
        sched=[("MO", "18:30", "20:30", "Term time only")])),
    Org("Rothwell Community Pantry", "Rothwell",
      "A community pantry run by volunteers.",
      Svc("Rothwell Food Pantry", "food",
        "Choose food and household items for a small weekly payment.",
        access="self_referral", cost="£3 a visit", pin="very", venue="{p} Community Centre",
        elig="Anyone living in Rothwell or Desborough.")),
    Org("Rothwell Churches Together Café", "Rothwell",
      "A community café run by local churches.",
      Svc("Rothwell Community Café", "faith",
        "Free hot drinks, toast and company every Thursday morning. Everyone welcome.",
        pin="very", sched=[("TH", "09:30", "12:00", None)])),
    Org("Rothwell and Desborough Family Support", "Rothwell",
      "Family workers for Rothwell, Desborough and nearby villages.",
      Svc("Family Drop-in – Rothwell", "parent",
        "Advice for parents and carers on behaviour, school, money and local activities.",
        venue="{p} Community Centre", sched="drop")),
    # ---------------------------------------------------------------- Daventry
    Org("Daventry Youth Hub", "Daventry",
      "The youth centre for Daventry and its villages.",
      Svc("Daventry Youth Club", "youth",
        "Pool, sports hall games, a music room and cooking, with youth workers to talk to.",
        sched="eve3")),
    Org("Daventry Mentoring Scheme", "Daventry",
      "Volunteer mentors for young people in Daventry.",
      Svc("Daventry Youth Mentoring", "mentor",
        "A trained mentor meets you once a week to talk, plan and try new things.")),
    Org("Daventry Food Bank", "Daventry",
      "Emergency food and money advice for Daventry and the villages.",
      Svc("Daventry Food Bank", "food",
        "Three days of emergency food for people in crisis. Bring your voucher."),
      Svc("Budgeting and Bills Advice – Daventry", "money",
        "Help to make a budget, deal with debt and cut your energy and phone bills.",
        venue="{p} Food Bank", sched="drop"),
      claimed=True),
    Org("Daventry Wellbeing Hub", "Daventry",
      "Mental health support for Daventry.",
      Svc("Wellbeing Support for Adults – Daventry", "mh_adult",
        "Talk to a wellbeing worker, join a course on managing stress, or meet others at a "
        "weekly group.",
        access="both", sched="day3"),
      Svc("Wellbeing Group for Young People – Daventry", "mh_young",
        "A weekly group for teenagers to learn ways to cope with stress and worry and to meet "
        "others.",
        ages=(13, 18), sched=[("WE", "16:00", "17:30", "Term time only")])),
    Org("West Northants Domestic Abuse Outreach", "Daventry",
      "Domestic abuse outreach for the rural west of the county.",
      Svc("Domestic Abuse Outreach – Rural West Northamptonshire", "da",
        "Outreach workers meet you somewhere safe near your home in the villages to plan for "
        "your safety and help you get support.",
        areas=["DEMO-LAP-08", "DEMO-LAP-09", "DEMO-LAP-10"], phone="mobile", sched="week")),
    Org("Daventry Junior Athletics Club", "Daventry",
      "An athletics club with a busy junior section.",
      Svc("Junior Athletics", "sport",
        "Running, jumping and throwing for all abilities. Try it free for three weeks.",
        ages=(9, 17), cost="£3 a session", venue="{p} Athletics Track")),
    Org("Daventry Housing Advice Project", "Daventry",
      "Independent housing advice for Daventry.",
      Svc("Housing Advice – Daventry", "housing",
        "Advice on renting, eviction, repairs and homelessness.",
        ages=(18, None), elig="Anyone aged 18 and over at risk of losing their home.")),
    Org("Daventry Young People's Health Drop-in", "Daventry",
      "A health drop-in for teenagers and young adults.",
      Svc("Young People's Health Drop-in – Daventry", "sexual",
        "Talk to a nurse about sexual health, contraception, mood, sleep or anything else about "
        "your health.",
        extra=["mental-health"], sched=[("WE", "15:30", "18:00", None)])),
    # ---------------------------------------------------------------- Towcester and Brackley
    Org("Towcester Youth Club", "Towcester",
      "A youth club for Towcester.",
      Svc("Towcester Youth Club", "youth",
        "Games, sport, music and cooking in a friendly club."),
      Svc("Mentoring at Towcester Youth Club", "mentor",
        "Youth workers and trained volunteers offer regular one-to-one time to young people who "
        "are finding things hard at home or at school.",
        ages=(11, 18), sched=[("WE", "16:00", "18:00", None)])),
    Org("Towcester Junior Football Club", "Towcester",
      "A junior football club with teams for boys and girls.",
      Svc("Junior Football – Towcester", "sport",
        "Training and matches for all abilities.",
        ages=(8, 16), cost="£12 a month", venue="{p} Playing Fields")),
    Org("Towcester Family Support", "Towcester",
      "Help for parents and carers in Towcester and South Northants.",
      Svc("Parenting Support – Towcester", "parent",
        "A family worker helps with behaviour, routines and worries about your child, at home "
        "or at the family hub.")),
    Org("Towcester Food Bank", "Towcester",
      "An emergency food bank for South Northants.",
      Svc("Towcester Food Bank", "food",
        "Emergency food parcels for people in crisis. Bring your voucher.",
        venue="{p} Church Hall")),
    Org("South Northants Rural Youth Outreach", "Towcester",
      "Youth workers for the villages of South Northants.",
      Svc("Rural Youth Outreach – South Northants", "outreach",
        "Youth workers visit village parks and bus shelters in the evenings to chat, give advice "
        "and help young people find activities.",
        areas=["DEMO-LAP-09"], phone="mobile")),
    Org("Brackley Youth Club", "Brackley",
      "A youth club for Brackley.",
      Svc("Brackley Youth Club", "youth",
        "Sport, games, art and cooking, with youth workers to talk to.")),
    Org("Brackley Junior Hockey Club", "Brackley",
      "A hockey club with junior teams.",
      Svc("Junior Hockey", "sport",
        "Hockey coaching and matches for boys and girls. Sticks can be borrowed.",
        ages=(8, 16), cost="£4 a session", venue="{p} Sports Ground",
        sched=[("SU", "10:00", "11:30", None)])),
    Org("Brackley Wellbeing Café", "Brackley",
      "A peer-run wellbeing café.",
      Svc("Brackley Wellbeing Café", "mh_adult",
        "A café for people who are struggling with their mental health. No longer running.",
        status="inactive", venue="{p} Community Centre")),
    # ---------------------------------------------------------------- villages
    Org("Brixworth Youth Club", "Brixworth",
      "A village youth club.",
      Svc("Brixworth Youth Club", "youth",
        "Games, sport, cooking and trips for young people from Brixworth and nearby villages.",
        ages=(10, 16), sched="eve1", venue="{p} Village Hall")),
    Org("Earls Barton Junior Football Club", "Earls Barton",
      "A village football club with junior teams.",
      Svc("Junior Football – Earls Barton", "sport",
        "Training and Saturday matches for boys and girls.",
        ages=(8, 16), cost="£10 a month", venue="{p} Playing Fields")),
    # ---------------------------------------------------------------- bleed control kits
    Org("Northants Community Bleed Kit Network", "Northampton",
      "Volunteers and local businesses who look after public bleed control kits.",
      Kit("Northampton Market Square", "shop", at="Northampton",
          venue="{p} Market Square shop", sched="shop", street="Market Square"),
      Kit("Far Cotton", "pub", at="Far Cotton",
          venue="{p} High Street pub", sched="pub", street="High Street"),
      Kit("Corby Kingswood", "community centre", at="Kingswood",
          venue="{p} Community Centre", sched="centre"),
      Kit("Kettering Ise Lodge", "sports ground clubhouse", at="Ise Lodge",
          venue="{p} Sports Ground", sched=GROUND),
      Kit("Wellingborough Croyland", "community centre", at="Croyland",
          venue="{p} Community Centre", sched="centre"),
      Kit("Rushden High Street", "shop", at="Rushden",
          venue="{p} High Street shop", sched="shop", street="High Street"),
      Kit("Raunds", "sports ground clubhouse", at="Raunds",
          venue="{p} Sports Ground", sched=GROUND),
      Kit("Desborough", "pub", at="Desborough",
          venue="{p} Station Road pub", sched="pub", street="Station Road"),
      Kit("Rothwell Market Hill", "pub", at="Rothwell",
          venue="{p} Market Hill pub", sched="pub", street="Market Hill"),
      Kit("Daventry", "community centre", at="Daventry",
          venue="{p} Community Centre", sched="centre")),
]
# fmt: on


class Geo:
    """Places from places.csv and demo areas from areas.geojson, with ray-casting lookups."""

    def __init__(self):
        with open(HERE / "places.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        self.places = {r["name"]: (float(r["lat"]), float(r["lon"]), r["kind"]) for r in rows}
        areas = json.loads((HERE / "areas.geojson").read_text(encoding="utf-8"))["features"]
        self.codes = {a["properties"]["code"] for a in areas}
        self.wards = [shape(a) for a in areas if a["properties"]["level"] == "ward"]
        self.laps = [shape(a) for a in areas if a["properties"]["level"] == "lap"]

    def find(self, shapes, lat, lon):
        for code, (x0, y0, x1, y1), rings in shapes:
            if x0 <= lon <= x1 and y0 <= lat <= y1 and sum(crosses(r, lon, lat) for r in rings) % 2:
                return code
        return None

    def jitter(self, rng, place):
        """A point near the place, in the same demo ward (and so inside the county)."""
        lat0, lon0, kind = self.places[place]
        home = self.find(self.wards, lat0, lon0)
        rmax = 1.2 if kind == "town" else 0.6
        for _ in range(200):
            r, t = rmax * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
            lat = round(lat0 + r * math.cos(t) / 111.2, 5)
            lon = round(lon0 + r * math.sin(t) / (111.2 * math.cos(math.radians(lat0))), 5)
            if home and self.find(self.wards, lat, lon) == home:
                return lat, lon
        return lat0, lon0


def shape(feature):
    rings = feature["geometry"]["coordinates"]
    xs, ys = [p[0] for p in rings[0]], [p[1] for p in rings[0]]
    return feature["properties"]["code"], (min(xs), min(ys), max(xs), max(ys)), rings


def crosses(ring, x, y):
    """1 if a ray from (x, y) eastwards crosses the ring an odd number of times."""
    inside = 0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside ^= 1
    return inside


def km(lat1, lon1, lat2, lon2):
    dx = (lon2 - lon1) * 111.2 * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dx, (lat2 - lat1) * 111.2)


def slugify(text):
    text = text.lower().replace("&", "and").replace("'", "").replace("+", "")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


class Builder:
    def __init__(self):
        self.rng = random.Random(SEED)
        self.geo = Geo()
        self.venues = {}
        self.phones = {k: self.rng.sample(range(1000), 1000) for k in PHONE_POOLS}

    def phone(self, pool):
        return PHONE_POOLS[pool].format(self.phones[pool].pop())

    def venue(self, place, spec):
        """A location shared by every service that meets at the same named venue."""
        name = spec["venue"].format(p=place)
        if name not in self.venues:
            town, districts = PLACE_INFO[place]
            rng = self.rng
            lat, lon = self.geo.jitter(rng, place)
            unit = f"{rng.randint(1, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}"
            street = f"{rng.randint(1, 140)} {spec.get('street') or rng.choice(STREETS)}"
            rural = self.geo.places[place][2] == "village"
            access = [f for f, p in ACCESSIBILITY.items() if rng.random() < p[rural]]
            if "step_free_access" not in access and "accessible_toilet" in access:
                access.remove("accessible_toilet")
            loc = {
                "name": name,
                "address_1": street if place == town else f"{street}, {place}",
                "city": town,
                "postcode": f"{rng.choice(districts)} {unit}",
                "latitude": lat,
                "longitude": lon,
                "physical": True,
            }
            self.venues[name] = (loc, access)
        return self.venues[name]

    def schedules(self, sched):
        if not isinstance(sched, list):
            count, pool, opens, closes, note = PATTERNS[sched]
            days = sorted(self.rng.sample(pool, count), key=DAYS.index)
            sched = [(day, opens, closes, note) for day in days]
        return [dict(zip(SCHEDULE_KEYS, row, strict=True)) for row in sched]

    def service(self, number, org, place, spec, multi):
        lo, hi = spec["ages"]
        virtual = spec.get("virtual", False)
        loc, access = ({}, []) if virtual else self.venue(spec.get("at", place), spec)
        slug = slugify(org["name"])
        return {
            "id": f"demo-svc-{number:04d}",
            "name": spec["name"],
            "description": spec["desc"],
            "status": spec.get("status", "active"),
            "eligibility": spec["elig"].format(lo=lo, hi=hi),
            "minimum_age": lo,
            "maximum_age": hi,
            "free": "cost" not in spec,
            "cost_description": spec.get("cost"),
            "access": spec["access"],
            "languages": ["en", *spec.get("lang", [])],
            "accessibility": access,
            "prevention_level": spec["prev"],
            "categories": spec["cats"],
            "assured_days_ago": None,
            "assured_by": None,
            "email": f"{spec['prefix'] if multi else 'hello'}@{slug}.example.org",
            "phone": self.phone(spec["phone"]) if "phone" in spec else org["phone"],
            "url": org["website"] + (f"/{slugify(spec['name'])}" if multi else ""),
            "locations": [dict(loc)] if loc else [],
            "schedules": self.schedules(spec["sched"]),
            "service_area_codes": spec.get("areas", ALL if virtual else []),
            "virtual": virtual,
        }

    def build(self):
        organisations, pins = [], []
        for i, spec in enumerate(ORGS, 1):
            slug = slugify(spec["name"])
            org = {
                "id": f"demo-org-{i:03d}",
                "name": spec["name"],
                "description": spec["desc"],
                "email": f"hello@{slug}.example.org",
                "phone": self.phone("land"),
                "website": f"https://{slug}.example.org",
                "claimed_by_demo_provider": spec["claimed"],
                "services": [],
            }
            for s in spec["services"]:
                svc = self.service(len(pins) + 1, org, spec["place"], s, len(spec["services"]) > 1)
                org["services"].append(svc)
                pin = "fresh" if spec["claimed"] else s.get("pin")
                pins.append((svc, "any" if svc["status"] != "active" else pin, spec["claimed"]))
            organisations.append(org)
        self.assure(pins)
        taxonomy = [
            {"id": i, "name": n, "name_pl": TAXONOMY_PL[i][0],
             "description": d, "description_pl": TAXONOMY_PL[i][1]}
            for i, n, d in TAXONOMY
        ]  # fmt: skip
        return {"metadata": METADATA, "taxonomy": taxonomy, "organisations": organisations}

    def assure(self, pins):
        """~60% checked within 150 days, ~20% stale (190-360), the rest very stale (370+)."""
        n = len(pins)
        quota = Counter(fresh=round(0.6 * n), stale=round(0.2 * n))
        quota["any"] = sum(pin == "any" for _, pin, _ in pins)
        quota["very"] = n - quota.total()
        quota.subtract(pin for _, pin, _ in pins if pin)
        labels = sorted(quota.elements())
        self.rng.shuffle(labels)
        for svc, pin, claimed in pins:
            label = pin or labels.pop()
            svc["assured_days_ago"] = self.rng.randint(*DAYS_AGO[label])
            by_org = claimed or self.rng.random() < 0.3
            svc["assured_by"] = "Organisation" if by_org else "Engagement team"


def services_of(doc):
    return [s for o in doc["organisations"] for s in o["services"]]


def town_of(svc):
    return svc["locations"][0]["city"] if svc["locations"] else "(virtual)"


def check_ids(doc, fail):
    ids = [o["id"] for o in doc["organisations"]] + [s["id"] for s in services_of(doc)]
    for dup in [i for i, c in Counter(ids).items() if c > 1]:
        fail(f"duplicate id {dup}")
    names = Counter((town_of(s), s["name"]) for s in services_of(doc))
    for dup in [k for k, c in names.items() if c > 1]:
        fail(f"duplicate service name in a town: {dup}")
    for name in [o["name"] for o in doc["organisations"]] + [s["name"] for s in services_of(doc)]:
        if BANNED.search(name):
            fail(f"name not allowed: {name}")
    taxonomy = [t["id"] for t in doc["taxonomy"]]
    if taxonomy != [t[0] for t in TAXONOMY]:
        fail("taxonomy ids differ from the 14 expected")
    claimed = [o["name"] for o in doc["organisations"] if o["claimed_by_demo_provider"]]
    if len(claimed) != 3 or "Corby Youth Boxing Club" not in claimed:
        fail(f"claimed organisations: {claimed}")


def check_contacts(item, fail):
    for key, pattern in CONTACT_RE.items():
        if key in item and not (item[key] and pattern.fullmatch(item[key])):
            fail(f"{item['id']}: bad {key} {item[key]!r}")


def check_fields(svc, fail):
    wrong = {
        "status": svc["status"] not in ("active", "inactive", "temporarily_closed"),
        "access": svc["access"] not in ("self_referral", "referral", "both"),
        "prevention_level": svc["prevention_level"] not in ("primary", "secondary", "tertiary"),
        "categories": not 1 <= len(svc["categories"]) <= 3
        or not set(svc["categories"]) <= {t[0] for t in TAXONOMY},
        "languages": not set(svc["languages"]) <= LANGUAGES or svc["languages"][0] != "en",
        "accessibility": not set(svc["accessibility"]) <= set(ACCESSIBILITY),
        "cost": svc["free"] == bool(svc["cost_description"]),
        "ages": None not in (svc["minimum_age"], svc["maximum_age"])
        and svc["minimum_age"] > svc["maximum_age"],
        "description": not 0 < svc["description"].count(". ") + 1 <= 3 or not svc["eligibility"],
        "assured": not isinstance(svc["assured_days_ago"], int) or not svc["assured_by"],
    }
    for field in [f for f, bad in wrong.items() if bad]:
        fail(f"{svc['id']}: bad {field}")


def check_where(svc, geo, fail):
    if not set(svc["service_area_codes"]) <= geo.codes:
        fail(f"{svc['id']}: unknown service area code")
    placed = svc["locations"] or svc["service_area_codes"]
    if svc["virtual"] == bool(svc["locations"]) or not placed:
        fail(f"{svc['id']}: virtual services need areas and no location; others a location")
    for loc in svc["locations"]:
        lat, lon = loc["latitude"], loc["longitude"]
        nearest = min(km(lat, lon, p[0], p[1]) for p in geo.places.values())
        if not geo.find(geo.laps, lat, lon) or nearest > 1.5:
            fail(f"{svc['id']}: {loc['name']} is outside the county or far from any place")
        if not POSTCODE_RE.fullmatch(loc["postcode"]) or loc["physical"] is not True:
            fail(f"{svc['id']}: {loc['name']} has a bad postcode or is not physical")


def check_schedules(svc, fail):
    rows = svc["schedules"]
    if not 1 <= len(rows) <= (7 if svc["virtual"] else 5):
        fail(f"{svc['id']}: {len(rows)} schedule rows")
    for row in rows:
        times_ok = TIME_RE.fullmatch(row["opens_at"]) and TIME_RE.fullmatch(row["closes_at"])
        if row["byday"] not in DAYS or not times_ok or row["opens_at"] >= row["closes_at"]:
            fail(f"{svc['id']}: bad schedule row {row}")


def fits(svc, age, category):
    lo, hi = svc["minimum_age"] or 0, svc["maximum_age"] or 99
    return category in svc["categories"] and lo <= age <= hi


def check_rules(doc, fail):
    services = services_of(doc)
    per_cat = Counter(c for s in services for c in s["categories"])
    if min(per_cat[t[0]] for t in TAXONOMY) < 5:
        fail(f"a category has fewer than 5 services: {per_cat}")
    if {c for c, _ in per_cat.most_common(3)} != {"youth-activities", "mentoring", "sport"}:
        fail("youth-activities, mentoring and sport should be the largest categories")
    kits = [s for s in services if "bleed-kits" in s["categories"]]
    kit_ok = all({k: s[k] for k in KIT_RULE} == KIT_RULE for s in kits)
    kit_ok = kit_ok and all(s["name"].startswith("Bleed control kit – ") for s in kits)
    if not 8 <= len(kits) <= 12 or not kit_ok:
        fail("bleed kits: 8 to 12 active, free, self-referral, primary, without ages")
    rothwell = [s for s in services if town_of(s) == "Rothwell"]
    for_14 = [s for s in rothwell if s["status"] == "active" and fits(s, 14, "youth-activities")]
    if len(rothwell) < 5 or len(for_14) < 2:
        fail("Rothwell needs 5 services, 2 of them youth activities for a 14-year-old")


def check(doc, geo):
    problems = []
    check_ids(doc, problems.append)
    check_rules(doc, problems.append)
    for org in doc["organisations"]:
        check_contacts(org, problems.append)
        for svc in org["services"]:
            for fn in (check_contacts, check_fields, check_schedules):
                fn(svc, problems.append)
            check_where(svc, geo, problems.append)
    return problems


def report(doc, size):
    services = services_of(doc)

    def show(title, counter):
        print(f"{title}: " + ", ".join(f"{k} {v}" for k, v in counter.most_common()))

    print(f"{len(doc['organisations'])} organisations, {len(services)} services, {size:,} bytes")
    show("categories", Counter(c for s in services for c in s["categories"]))
    show("towns", Counter(town_of(s) for s in services))
    show("prevention", Counter(s["prevention_level"] for s in services))
    show("status", Counter(s["status"] for s in services))
    days = Counter(next(b for lim, b in BANDS if s["assured_days_ago"] <= lim) for s in services)
    show("assured days", days)
    wide = [s for s in services if s["virtual"] or s["service_area_codes"]]
    show("virtual or area-wide", Counter("virtual" if s["virtual"] else "area-wide" for s in wide))


def main():
    geo = Geo()
    if "--check" not in sys.argv[1:]:
        doc = Builder().build()
        OUT.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    doc = json.loads(OUT.read_text(encoding="utf-8"))
    report(doc, OUT.stat().st_size)
    problems = check(doc, geo)
    for problem in problems:
        print("FAIL", problem)
    print("OK" if not problems else f"{len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
