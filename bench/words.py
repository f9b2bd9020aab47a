"""The words the synthetic dataset of bench/generate.py is made of: the services' areas (England
and Wales), and the recommendations, actions, people, evidence and notes its plans are drawn
from."""

from __future__ import annotations

AREAS = """Barking and Dagenham|Barnet|Bexley|Brent|Bromley|Camden|City of London|Croydon|Ealing|
Enfield|Greenwich|Hackney|Hammersmith and Fulham|Haringey|Harrow|Havering|Hillingdon|Hounslow|
Islington|Kensington and Chelsea|Kingston upon Thames|Lambeth|Lewisham|Merton|Newham|Redbridge|
Richmond upon Thames|Southwark|Sutton|Tower Hamlets|Waltham Forest|Wandsworth|Westminster|
Barnsley|Birmingham|Bolton|Bradford|Bury|Calderdale|Coventry|Doncaster|Dudley|Gateshead|
Kirklees|Knowsley|Leeds|Liverpool|Manchester|Newcastle upon Tyne|North Tyneside|Oldham|Rochdale|
Rotherham|Salford|Sandwell|Sefton|Sheffield|Solihull|South Tyneside|St Helens|Stockport|
Sunderland|Tameside|Trafford|Wakefield|Walsall|Wigan|Wirral|Wolverhampton|Cambridgeshire|
Derbyshire|Devon|East Sussex|Essex|Gloucestershire|Hampshire|Hertfordshire|Kent|Lancashire|
Leicestershire|Lincolnshire|Norfolk|Nottinghamshire|Oxfordshire|Staffordshire|Suffolk|Surrey|
Warwickshire|West Sussex|Worcestershire|Bath and North East Somerset|Bedford|
Blackburn with Darwen|Blackpool|Bournemouth Christchurch and Poole|Bracknell Forest|
Brighton and Hove|Bristol|Buckinghamshire|Central Bedfordshire|Cheshire East|
Cheshire West and Chester|Cornwall|Cumberland|Darlington|Derby|Dorset|Durham|
East Riding of Yorkshire|Halton|Hartlepool|Herefordshire|Isle of Wight|Kingston upon Hull|
Leicester|Luton|Medway|Middlesbrough|Milton Keynes|North East Lincolnshire|North Lincolnshire|
North Northamptonshire|North Somerset|North Yorkshire|Northumberland|Nottingham|Peterborough|
Plymouth|Portsmouth|Reading|Redcar and Cleveland|Shropshire|Slough|Somerset|
South Gloucestershire|Southampton|Southend-on-Sea|Stockton-on-Tees|Stoke-on-Trent|Swindon|
Telford and Wrekin|Thurrock|Torbay|Warrington|West Berkshire|West Northamptonshire|
Westmorland and Furness|Wiltshire|Windsor and Maidenhead|Wokingham|York|Cardiff|Swansea|
Newport|Wrexham|Gwynedd""".replace("\n", "").split("|")

RECOMMENDATION_TEXTS = [
    (
        "Good quality risk management plans are produced in all relevant cases, in order to "
        "minimise the Risk of Harm to others",
        ["Head of Service"],
    ),
    (
        "Good quality vulnerability management plans are produced in all relevant cases, in order "
        "to minimise Safeguarding risks",
        ["Head of Service", "all staff"],
    ),
    (
        "A higher proportion of children and young people comply with the requirements of their "
        "sentences",
        ["YOS Manager"],
    ),
    (
        "There is evidence in the file of regular and effective management oversight of Risk of "
        "Harm and Safeguarding issues",
        ["YOS Manager"],
    ),
    (
        "Analysis of outcome data is used to inform the interventions offered by the YOS and its "
        "partners",
        ["Chair of the Management Board"],
    ),
    (
        "The information technology system supports the operational and strategic work of the YOT "
        "through the effective recording, planning and monitoring of cases",
        ["Chair of the Management Board", "Head of Service", "all staff"],
    ),
    (
        "Victim safety issues are fully incorporated into the work of the YOT",
        ["Head of Service", "all staff"],
    ),
    (
        "The partnership has a shared understanding of the needs of children at risk of "
        "exploitation",
        ["YOT Management Board"],
    ),
    (
        "Initial assessments are completed on time and reviewed when circumstances change",
        ["Operational Manager"],
    ),
    (
        "Children's education, training and employment needs are assessed and met",
        ["Education Officer", "Head of Service"],
    ),
    (
        "Out-of-court disposals are supported by a clear, agreed policy with the police",
        ["YOT Management Board", "Police representative on the Management Board"],
    ),
    ("Resettlement planning begins on the first day of custody", ["Head of Service"]),
]

ACTION_TEXTS = [
    "Revise the {topic} template and brief all case managers on its use",
    "Team managers audit {topic} in ten cases a month and report the findings to the board",
    "Deliver refresher training on {topic} to all case managers and ISSP staff",
    "Agree a protocol with partners on {topic}, signed off by the Management Board",
    "Add a {topic} section to the case management guidance and the induction pack",
    "Run a quarterly {topic} compliance panel chaired by an operational manager",
    "Produce a monthly {topic} performance report for the Management Board",
    "Review {topic} with the police and children's services and agree improvements",
]
TOPICS = [
    "risk management",
    "vulnerability",
    "victim safety",
    "compliance",
    "management oversight",
    "outcome data",
    "assessment quality",
    "education and training",
    "out-of-court disposal",
    "resettlement",
    "exploitation",
    "information sharing",
    "case recording",
    "intervention plan",
]
FIRST = [
    "Miriam",
    "David",
    "Aisha",
    "Tom",
    "Priya",
    "Gareth",
    "Sian",
    "Joe",
    "Helen",
    "Kwame",
    "Laura",
    "Imran",
    "Rachel",
    "Owen",
    "Fatima",
    "Chris",
    "Nadia",
    "Paul",
    "Emma",
    "Raj",
]
LAST = [
    "Robertson",
    "Hughes",
    "Khan",
    "Walsh",
    "Patel",
    "Jones",
    "Evans",
    "Murphy",
    "Clarke",
    "Mensah",
    "Taylor",
    "Ali",
    "Green",
    "Price",
    "Begum",
    "Wright",
    "Hussain",
    "Shaw",
]
OWNER_ROLES = [
    "Head of Service",
    "YOS Manager",
    "Operational Manager",
    "Team Manager",
    "Business Support Manager",
    "Education Officer",
    "Performance Officer",
    "Chair of the Management Board",
    "Police representative on the Management Board",
]
EVIDENCE_TITLES = [
    "Management Board minutes, {month}: item {n}",
    "Case file audit, {month}",
    "Training attendance record, {month}",
    "Revised {topic} template, version {n}",
    "Protocol signed by partners, {month}",
    "Performance report to the board, {month}",
]
NOTES = [
    "Discussed at the team meeting; managers agreed the next steps.",
    "Audit of {n} cases completed; findings shared with the team.",
    "Delayed by staff absence; new date agreed with the Head of Service.",
    "Partners have agreed the draft; sign-off expected at the next board.",
    "Training delivered to {n} staff; the rest are booked for next month.",
]
YJB_REVIEWER = "YJB link officer"
