"""Fictional delegates for the demo workshops. Names only; any likeness to real people is chance.

Some names are written in Cyrillic or Arabic script, as delegates would type them, so the lists
and PDFs are exercised with the scripts the portal must handle.
"""

# (name, honorific, position, category, state code, institution acronym or demo institution name, role)
ANKARA_DELEGATES = (
    (
        "Aigerim Bekova",
        "Ms",
        "Director, Department of International Cooperation",
        "central_asian_state",
        "KZ",
        "MFA-KZ",
        "head",
    ),
    (
        "Нурлан Сагинтаев",
        "Mr",
        "Counsellor, Department of Multilateral Cooperation",
        "central_asian_state",
        "KZ",
        "MFA-KZ",
        "member",
    ),
    ("Dana Zhaksylykova", "Ms", "Chief Expert, Development Assistance Unit", "central_asian_state", "KZ", "", "member"),
    ("Bakyt Osmonov", "Mr", "Head of Division, Investment Policy", "central_asian_state", "KG", "MEC-KG", "head"),
    (
        "Айзада Турдубаева",
        "Ms",
        "Senior Specialist, External Aid Coordination",
        "central_asian_state",
        "KG",
        "MEC-KG",
        "member",
    ),
    (
        "Farrukh Rahimov",
        "Mr",
        "Deputy Head, Foreign Economic Relations",
        "central_asian_state",
        "TJ",
        "MEDT-TJ",
        "head",
    ),
    (
        "Шахноза Каримова",
        "Ms",
        "Chief Specialist, Donor Coordination",
        "central_asian_state",
        "TJ",
        "MEDT-TJ",
        "member",
    ),
    (
        "Merdan Annayev",
        "Mr",
        "Head of Department, International Organisations",
        "central_asian_state",
        "TM",
        "MFA-TM",
        "head",
    ),
    (
        "Jasur Tursunov",
        "Mr",
        "Head of Department, Technical Assistance Programmes",
        "central_asian_state",
        "UZ",
        "MFERIT-UZ",
        "head",
    ),
    ("Дилноза Юсупова", "Ms", "Leading Specialist, OIC Affairs", "central_asian_state", "UZ", "MFERIT-UZ", "member"),
    (
        "Mehmet Yılmaz",
        "Mr",
        "Head of Department for Central Asia and the Caucasus",
        "oic_partner_state",
        "TR",
        "TİKA",
        "head",
    ),
    ("Elif Demir", "Ms", "Programme Coordinator, Central Asia", "oic_partner_state", "TR", "TİKA", "member"),
    ("عبد الله الحربي", "Mr", "Director of Operations, Asia", "oic_partner_state", "SA", "SFD", "head"),
    ("Fahad Al-Mutairi", "Mr", "Regional Manager, Central Asia and Europe", "oic_partner_state", "KW", "KFAED", "head"),
    ("مريم الكعبي", "Ms", "Senior Project Officer", "oic_partner_state", "AE", "ADFD", "head"),
    ("Nurul Hidayah Ismail", "Ms", "Principal Assistant Secretary, MTCP", "oic_partner_state", "MY", "MTCP", "head"),
    ("Rashad Aliyev", "Mr", "Head of Programmes", "oic_partner_state", "AZ", "AIDA", "head"),
    ("Reza Karimi", "Mr", "First Secretary, Economic Affairs", "oic_partner_state", "IR", "", "head"),
    ("أحمد عبد الرحمن", "Mr", "Director, Asia Programmes", "oic_partner_state", "EG", "EAPD", "head"),
    ("Imran Qureshi", "Mr", "Deputy Secretary, Technical Assistance", "oic_partner_state", "PK", "", "head"),
    ("Siti Rahmawati", "Ms", "Head of Section, South-South Cooperation", "oic_partner_state", "ID", "", "head"),
    ("Khalid Al-Thani", "Mr", "Programme Officer", "oic_partner_state", "QA", "QFFD", "head"),
    ("Yusuf Bello", "Mr", "Director, Technical Aid Corps", "oic_partner_state", "NG", "", "head"),
    ("Hassan El Amrani", "Mr", "Head of Cooperation Division", "oic_partner_state", "MA", "", "head"),
    ("Abdulaziz Khan", "Mr", "Lead Specialist, Regional Cooperation", "oic_institution", "", "IsDB", "head"),
    ("Layla Haddad", "Ms", "Operations Officer, Reverse Linkage", "oic_institution", "", "IsDB", "member"),
    ("Selim Aksoy", "Dr", "Director, Training and Technical Cooperation", "oic_institution", "", "SESRIC", "head"),
    ("Omar Benali", "Mr", "Trade Expert", "oic_institution", "", "ICDT", "head"),
    ("Zarina Nazarova", "Ms", "Programme Manager", "oic_institution", "", "IOFS", "head"),
    ("Tariq Mahmoud", "Amb.", "Director, Economic Affairs", "oic_institution", "", "OIC", "head"),
    ("Anna Petrova", "Ms", "Regional Programme Adviser", "international_institution", "", "UNDP", "head"),
    ("John Miller", "Mr", "Senior Economist, Central Asia", "international_institution", "", "WB", "head"),
    (
        "Kenji Watanabe",
        "Mr",
        "Principal Regional Cooperation Specialist",
        "international_institution",
        "",
        "ADB",
        "head",
    ),
    ("Marie Dubois", "Ms", "Economic Affairs Officer", "international_institution", "", "ESCAP", "head"),
    ("Emre Kaya", "Mr", "Expert, COMCEC Coordination Office", "secretariat", "", "CCO", "member"),
    ("Zeynep Arslan", "Ms", "Expert, COMCEC Coordination Office", "secretariat", "", "CCO", "member"),
    ("Lars Nilsson", "Dr", "Researcher, Central Asia studies", "observer", "", "", "member"),
    ("Gulnara Abdullaeva", "Ms", "Expert, Foreign Economic Relations", "central_asian_state", "UZ", "", "member"),
    ("Ali Hassan", "Mr", "Programme Officer, Technical Cooperation", "oic_partner_state", "SD", "", "head"),
    ("Bilal Çelik", "Mr", "Coordinator, Central Asia Desk", "oic_partner_state", "TR", "TİKA", "member"),
    ("Sardor Mirzaev", "Mr", "Specialist, Donor Relations", "central_asian_state", "UZ", "MFERIT-UZ", "member"),
    ("Aliya Seitkali", "Ms", "Attaché, Embassy in Ankara", "central_asian_state", "KZ", "", "member"),
)

# Institutions of the Central Asian delegations, added by the demo seed.
DEMO_NATIONAL_INSTITUTIONS = (
    ("Ministry of Foreign Affairs of the Republic of Kazakhstan", "MFA-KZ", "KZ"),
    ("Ministry of Economy of the Kyrgyz Republic", "MEC-KG", "KG"),
    ("Ministry of Economic Development and Trade of the Republic of Tajikistan", "MEDT-TJ", "TJ"),
    ("Ministry of Foreign Affairs of Turkmenistan", "MFA-TM", "TM"),
    ("Ministry of Foreign Economic Relations, Investments and Trade of the Republic of Uzbekistan", "MFERIT-UZ", "UZ"),
)

# Registrations for the upcoming demo workshop, still waiting for a decision.
UPCOMING_DELEGATES = (
    ("Timur Akhmetov", "Mr", "Head of Unit, KazAID", "central_asian_state", "KZ", "KazAID", "head"),
    ("Nilufar Rashidova", "Ms", "Chief Specialist", "central_asian_state", "TJ", "MEDT-TJ", "head"),
    ("Ayşe Korkmaz", "Ms", "Programme Coordinator", "oic_partner_state", "TR", "TİKA", "head"),
    ("Samir Haddad", "Mr", "Operations Officer", "oic_institution", "", "IsDB", "head"),
)

# Presentations of the Ankara workshop: (presenter, session's state, segment kind, title, file format, status).
# "photos": a deck of print-quality photographs from a field visit, so the proceedings have a web edition.
ANKARA_PRESENTATIONS = (
    ("Aigerim Bekova", "KZ", "host_state", "Kazakhstan: from aid recipient to development partner", "pdf", "accepted"),
    (
        "Bakyt Osmonov",
        "KG",
        "host_state",
        "Technical cooperation in the Kyrgyz Republic: results and gaps",
        "pdf",
        "accepted",
    ),
    ("Farrukh Rahimov", "TJ", "host_state", "Tajikistan's cooperation programmes with OIC partners", "pdf", "accepted"),
    ("Merdan Annayev", "TM", "host_state", "Turkmenistan: priorities for technical cooperation", "pdf", "accepted"),
    ("Jasur Tursunov", "UZ", "host_state", "Uzbekistan: coordinating external technical assistance", "pdf", "accepted"),
    (
        "Mehmet Yılmaz",
        "KZ",
        "partner_best_practices",
        "Vocational training centres built with local partners",
        "pptx",
        "accepted",
    ),
    ("Rashad Aliyev", "KZ", "partner_best_practices", "Civil service exchanges across the Caspian", "pdf", "accepted"),
    (
        "Fahad Al-Mutairi",
        "KG",
        "partner_best_practices",
        "Concessional loans for rural water supply",
        "photos",
        "accepted",
    ),
    ("أحمد عبد الرحمن", "KG", "partner_best_practices", "Short expert missions in public health", "pdf", "accepted"),
    (
        "عبد الله الحربي",
        "TJ",
        "partner_best_practices",
        "Co-financing irrigation with multilateral banks",
        "pdf",
        "accepted",
    ),
    ("Imran Qureshi", "TJ", "partner_best_practices", "Scholarships that return: alumni networks", "pdf", "submitted"),
    (
        "Nurul Hidayah Ismail",
        "TM",
        "partner_best_practices",
        "Demand-driven training under the MTCP",
        "pdf",
        "accepted",
    ),
    ("Khalid Al-Thani", "TM", "partner_best_practices", "Grant programmes for small enterprises", "pdf", "accepted"),
    ("مريم الكعبي", "UZ", "partner_best_practices", "Renewable energy pilots with local utilities", "pdf", "accepted"),
    (
        "Siti Rahmawati",
        "UZ",
        "partner_best_practices",
        "South-South exchanges in agriculture extension",
        "pdf",
        "accepted",
    ),
    (
        "Abdulaziz Khan",
        "KZ",
        "international_institutions",
        "Reverse Linkage: matching capacity with need",
        "pdf",
        "accepted",
    ),
    (
        "Anna Petrova",
        "KZ",
        "international_institutions",
        "Regional programmes of UNDP in Central Asia",
        "pptx",
        "accepted",
    ),
    ("Selim Aksoy", "KG", "international_institutions", "Capacity building programmes of SESRIC", "pdf", "accepted"),
    ("Marie Dubois", "KG", "international_institutions", "Connectivity and trade facilitation", "pdf", "submitted"),
    ("Omar Benali", "TJ", "international_institutions", "Trade promotion for landlocked economies", "pdf", "accepted"),
    ("John Miller", "TJ", "international_institutions", "Results-based financing in the region", "pdf", "accepted"),
    ("Layla Haddad", "TM", "international_institutions", "Technical assistance grants of the IsDB", "pdf", "accepted"),
    ("Tariq Mahmoud", "TM", "international_institutions", "The OIC Plan of Action for Central Asia", "pdf", "accepted"),
    (
        "Zarina Nazarova",
        "UZ",
        "international_institutions",
        "Food security partnerships in Central Asia",
        "pdf",
        "accepted",
    ),
    ("Kenji Watanabe", "UZ", "international_institutions", "Regional cooperation corridors", "pdf", "accepted"),
)

SLIDES_BY_SEGMENT = {
    "host_state": [
        ("Programmes under way", ["Partners and sectors", "Funding and duration", "Where the projects are"]),
        ("Challenges met", ["Coordination between donors", "Follow-up after projects end", "Language and procurement"]),
        ("Expectations", ["Longer programmes", "Shared monitoring", "More exchanges of experts"]),
    ],
    "partner_best_practices": [
        ("The practice", ["What was done, with whom", "How it was financed", "How long it ran"]),
        ("Why it worked", ["Local ownership from the start", "Small teams, clear goals", "Results measured yearly"]),
        ("What others can reuse", ["Steps to replicate", "Pitfalls to avoid"]),
    ],
    "international_institutions": [
        ("Our programmes in the region", ["Instruments", "Countries and sectors", "Partners"]),
        ("Working with OIC member states", ["Co-financing", "Triangular cooperation", "Knowledge sharing"]),
    ],
}

# Session reports of the Ankara workshop, written for the demo (Markdown, as rapporteurs write them).
COUNTRY_REPORT = {
    "summary": (
        "The session reviewed the technical cooperation programmes under way in {state}, with emphasis on the "
        "projects carried out with OIC member states and institutions. The delegation described its priorities and "
        "the partners it works with; partner states and institutions presented the programmes they run in the country."
    ),
    "challenges": (
        "- Several donors fund similar training in the same ministries, with little **coordination**.\n"
        "- Projects often end without a plan for who maintains what was built.\n"
        "- Procurement rules and language differ from one partner to the next."
    ),
    "best_practices": (
        "- Programmes designed *with* the receiving institution from the first day.\n"
        "- Short expert missions followed by longer exchanges of civil servants.\n"
        "- Co-financing that lets a small partner join a larger programme."
    ),
    "expectations": "{state} hopes for longer programmes, shared monitoring of results and a single contact point per partner.",
    "recommendations": (
        "1. Exchange project lists among partners once a year.\n"
        "2. Build maintenance and training into every project budget.\n"
        "3. Use the OIC institutions to match capacity in one member state with a need in another."
    ),
}
SPECIAL_REPORT = {
    "summary": (
        "# Conclusions\n\nThe five country sessions met the same obstacles: fragmented funding, short projects and "
        "weak follow-up. They also showed that partnerships work when the receiving institution leads, when experts "
        "return, and when small partners pool their contributions."
    ),
    "challenges": "- Coordination among partners\n- Continuity after projects end\n- Measuring results the same way",
    "best_practices": "- Demand-driven training\n- Reverse linkage between member states\n- Co-financing",
    "expectations": "Member states expect the OIC institutions to keep the exchange going between workshops.",
    "recommendations": (
        "1. Set up a shared register of technical cooperation projects in Central Asia.\n"
        "2. Hold a follow-up workshop on partnership models.\n"
        "3. Report on progress at the next COMCEC session."
    ),
}
