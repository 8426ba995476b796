"""The demo's reader discussion as plain data: readers, what they wrote and what they reported.

Every reader, plant, town and remark here is invented for the demo and was written for Paddock.
`loader` turns this into accounts, threaded comments, votes and reports, combining the pools
below with a random generator seeded by `SEED`, so every run produces the same discussion.

Bodies use the comments' Markdown subset: *emphasis*, **bold**, > quotes and links to
``.example`` addresses, which never resolve.
"""

from __future__ import annotations

SEED = 20261101

# Readers: display name and country (ISO code, "" for a reader who did not say). Each becomes
# the account reader-<n> (n counting from 1) with the email address reader-<n>@example.com.
READERS = [
    ("Ingrid Solberg", "NO"),
    ("tomasz_k", "PL"),
    ("Adaeze Okonkwo", "NG"),
    ("Kenta Morishita", "JP"),
    ("RallyDad74", "GB"),
    ("Bruno Gonçalves", "PT"),
    ("Farah Haddad", ""),
    ("Linnea.B", "SE"),
    ("Mateus Ribeiro", "BR"),
    ("Sione Tupou", "NZ"),
    ("Priyanka Iyer", "IN"),
    ("JP Fontaine", "CA"),
    ("Oksana Melnyk", "UA"),
    ("Yusuf Demir", "TR"),
    ("haruto_n", ""),
    ("Chiara Vitale", "IT"),
    ("Mbali Dlamini", "ZA"),
    ("Diego Paredes", "CL"),
    ("Astrid Nyberg", "FI"),
    ("Rohan Mehta", "US"),
    ("Søren Vestergaard", "DK"),
    ("Zoë Brennan", "IE"),
    ("Łukasz Wróbel", "DE"),
    ("Ayşe Kaya", "NL"),
    ("Nguyễn Thảo", "VN"),
    ("김서연", "KR"),
    ("Μαρία Κωστά", "GR"),
    ("Hank Dubrowski", "US"),
    ("estate_car_andy", "AU"),
    ("Wanjiru K", "KE"),
    ("Camila Ortega", "MX"),
    ("Pieter de Vries", "BE"),
    ("Lars-Erik H", ""),
    ("Fatima Zahra B", "MA"),
    ("Two Stroke Tereza", "CZ"),
    ("Gearhead Gus", "US"),
    ("Aleksander Novak", "SI"),
    ("Mei-Ling Chen", "TW"),
    ("Rafa Quintero", "AR"),
    ("Hedda Strand", ""),
]

# The reference article's discussion, exactly the reference page's shape: a comment, a reply, a
# reply to that reply and a second reply to the first comment; nobody has voted on them yet.
# Each entry: (depth, reader number, body), in the order they were posted.
REFERENCE_THREAD = [
    (
        0,
        12,
        """"Build where you sell" sounds obvious until you look at what the first years of a \
new plant are actually like. Halvorsen's whole reputation is that every car is put together \
by people in Trondheim who have been doing it for decades. You don't ship that across the \
Atlantic in a container.

Look at Ardent's Brantmoor plant. It opened to exactly this kind of speech about being close \
to customers, and for the first three model years the Meridians built there came back under \
warranty at nearly **twice** the rate of the same car from the old plant: water leaks, trim, \
electrical gremlins. It took them until year four to close the gap.

I'd rather my Fjell spent five weeks on a ship than five years in a learning curve.""",
    ),
    (
        1,
        28,
        """I worked on the door line at Brantmoor for the first three years, so let me stop \
you there. The problem was never the people on the line.

Management ran the plant at full rate from month two because the launch date had been promised \
to Wall Street. Training was cut from six weeks to nine days. Half the suppliers were new too, \
and the door seals that caused most of those water leaks came from a supplier that had never \
made a door seal before. When we asked to stop the line for quality holds we were told the \
numbers didn't allow it.

Once a new plant manager came in and actually let us pull the cord, the warranty figures came \
right within a year. Blaming the workforce for decisions made in an office two states away is \
lazy, and frankly it's insulting to a lot of people who worked very hard.""",
    ),
    (
        2,
        12,
        """Nobody is blaming you personally, and I believe every word of that. But read your \
own comment again: you're making my point for me.

A new plant means a new management team under pressure, new suppliers and a workforce that \
hasn't had time to build up the habits Trondheim has had sixty years to build. That's exactly \
the risk. The analyst in the article says it better than I can:

> Doing that on three continents at once is a different job from doing it in one town where \
everybody knows the foreman.

Halvorsen can get all of that right. I just don't think "we build where we sell" is a plan. \
It's a slogan until they tell us how they'll train people and who supplies the parts.""",
    ),
    (
        1,
        1,
        """As someone who lives a couple of hours from Trondheim, I think both of you are \
missing why this is happening now. Every car on that ship is capital tied up for weeks, and \
every new tariff is decided by people Halvorsen can't vote for. A company that sells 38 percent \
of its cars in North America and builds almost none there is one trade dispute away from a \
very bad year.

And plants abroad *can* be as good as the one at home. Plenty of brands that started by \
exporting now build some of their best-rated cars in factories thousands of kilometres from \
where they were founded. It took them time and money, which is exactly why Brekke is giving \
himself five years.

What I'd watch is the union's request to have the Trondheim job promise in writing. If the \
company won't sign that, *then* I'd start to worry.""",
    ),
]

# Articles left without comments, as some quieter stories are.
QUIET = {
    "dufour-supplier-consolidation",
    "used-ev-battery-health-reports",
    "review-hanbit-sora",
    "touring-cars-renewable-fuel",
}

# The article whose comment section grew into a long, argumentative discussion.
BIG_SLUG = "electric-street-series-energy-rules"
BIG_COUNT = 540

# A discussion written for each article that gets ordinary comments: (depth, body) in posting
# order, a reply hanging under the nearest entry above it with one less depth. More comments
# from the pools further down follow them.
THREADS: dict[str, list[tuple[int, str]]] = {
    "kaito-motor-hybrid-profit": [
        (
            0,
            "Fifty-four percent hybrids. Everyone laughed at Kaito for being slow on electric, "
            "and they're the ones with a fifth more profit. Turns out selling people what they "
            "actually want is a decent business model.",
        ),
        (
            1,
            "Short-term, sure. But they're funding today's margins by delaying two electric "
            "crossovers, and *software validation* is the excuse every carmaker uses when the "
            "software isn't ready. That bill comes due eventually.",
        ),
        (
            2,
            "Better late and working than on time and recalled. I'd take the six-month delay "
            "over being the beta tester.",
        ),
        (
            0,
            "The Ridgeback hybrid selling faster than planned in Australia doesn't surprise me "
            "at all. Half the tradies I know were waiting for exactly that truck.",
        ),
    ],
    "ardent-prairie-plant-third-shift": [
        (
            0,
            "Ten hours of overtime a week since March and they're only now adding a shift. The "
            "people on the existing lines have been carrying this plant all year.",
        ),
        (
            1,
            "That's how it always goes. Overtime is cheaper than hiring until the quality "
            "numbers start slipping, then suddenly there's budget for 900 jobs.",
        ),
        (
            0,
            "Four weeks of training before going on final assembly is not a lot. I hope the "
            "new shift gets experienced team leads moved over from the other two, or the "
            "January trucks will be the ones to avoid.",
        ),
        (
            1,
            "Plant manager says the new shift gets *the same right to stop the line*. That "
            "matters more than the training length. If people actually use it.",
        ),
    ],
    "tianhe-auto-european-assembly-talks": [
        (
            0,
            "The trade lawyer nails it: bolting the body together in Europe doesn't make it a "
            "European car. If the cells and the electronics still come from China, this is an "
            "assembly kit with a local postcode.",
        ),
        (
            1,
            "Every carmaker started that way when it moved into a new region. Kits first, "
            "suppliers later. Nobody complained when it was a European brand doing it "
            "elsewhere.",
        ),
        (
            2,
            "Fair, but those brands weren't walking around a tariff that was put there on "
            "purpose. The whole point of the duty is to get the value chain built here, not "
            "just the last two hours of it.",
        ),
        (
            0,
            "A disused plant with a trained workforce nearby is worth a lot more than a "
            "greenfield site. I hope it's the one that closed last year. Those people deserve "
            "the work.",
        ),
    ],
    "sorrel-electric-funding-round": [
        (
            0,
            '"We would rather sell one car that makes money than two that don\'t." Rarest '
            "sentence in the start-up world. Respect.",
        ),
        (
            1,
            "A small profit *before overheads* on 6,800 cars a year is not making money, "
            "though. Everything depends on how long the pension fund stays patient.",
        ),
        (
            0,
            "I put a deposit down on a Kite two years ago. 2028 now. I'm keeping it in, but "
            "I'm not thrilled.",
        ),
    ],
    "halvorsen-union-four-year-contract": [
        (
            0,
            "Tying bonuses to quality audits is clever. It makes the people building the car "
            "the first line of defence instead of the last one to be blamed.",
        ),
        (
            1,
            "Or it gives management a reason to squeeze the audit scores and cut the bonus "
            "whenever a supplier ships bad parts. Depends entirely on who writes the audit.",
        ),
        (
            2,
            "That's why the seat on the planning committee is the real win. If shop-floor "
            "people see a design before it's frozen, half of those supplier problems never "
            "reach the line.",
        ),
        (
            0,
            '"Our people sign every car with their work." I drive a Sund built in Trondheim '
            "and, honestly, it shows. Eleven years and nothing has rattled.",
        ),
    ],
    "velora-waitlist-problem": [
        (
            0,
            "Scarcity as a business model is fine until your loyal customers are queuing "
            "behind people flipping build slots. That's how a brand slowly stops being loved "
            "and starts being traded.",
        ),
        (
            1,
            "They could end it tomorrow by putting names on the order at the time of the "
            "deposit. They don't, because the flipping proves the demand.",
        ),
        (
            0,
            "Three years for a car. I've had relationships shorter than that.",
        ),
    ],
    "hanbit-motors-brazil-plant": [
        (
            0,
            "Curitiba makes sense. There's already a parts industry there and people who know "
            "how to build cars. Half local content by year three is ambitious but not crazy.",
        ),
        (
            1,
            "Fifteen years of tax relief, though. The state is paying a good share of that "
            "factory, and those deals have a habit of ending with the plant closing the year "
            "the relief runs out.",
        ),
        (
            2,
            "Maybe, but the alternative is importing 60,000 cars a year from Korea forever. "
            "A plant that builds for the whole region is the better bet for the workers here.",
        ),
    ],
    "solid-state-batteries-pilot-lines": [
        (
            0,
            "Best piece on solid-state I've read in a while, because it talks about yield. "
            "Every lab press release should come with a *how many of these can you make on a "
            "Tuesday* figure.",
        ),
        (
            1,
            "I worked on a pilot line for a different chemistry. Getting yields from 70 to 95 "
            "percent took longer than getting the first cell to work. Nobody writes press "
            "releases about that part.",
        ),
        (
            0,
            "The clamping pressure point is underrated. If the pack needs a heavy frame to "
            "hold the cells together, the energy density advantage at pack level shrinks a "
            "lot.",
        ),
    ],
    "halvorsen-vidde-winter-charging": [
        (
            0,
            '"The peak figure wins the brochure. The flat curve wins the road trip." Can we '
            "get this printed on every charger in Finland?",
        ),
        (
            1,
            "Seconded. My old car advertised a huge peak and hit it maybe twice, both times in "
            "July.",
        ),
        (
            0,
            "Three percent of the battery for preconditioning is nothing compared to sitting "
            "at a charger for forty minutes at minus 12. Owners of my car argue about this "
            "endlessly and it's always the people who never drive in winter who object.",
        ),
    ],
    "kaito-nami-small-ev-priced-like-petrol": [
        (
            0,
            "29 kWh is plenty for a city car. The industry convinced people they need 500 km "
            "to drive to the supermarket.",
        ),
        (
            1,
            "Plenty if you have a driveway. For those of us in flats relying on public "
            "chargers, a small battery means charging three times a week instead of once.",
        ),
        (
            2,
            "Fair point, but that's a charging infrastructure problem, not a battery size "
            "one. Making every car heavier to paper over missing chargers is the expensive "
            "fix.",
        ),
        (
            0,
            '"Each one was reasonable, and together they would have made a car nobody could '
            'afford." Somebody give Aiko Tanabe a bigger job.',
        ),
    ],
    "fast-charger-reliability-survey": [
        (
            0,
            "I took part in this survey. Most of my failures were exactly that: charger on, "
            "app on, and the two refusing to talk to each other. Contactless should be the "
            "law.",
        ),
        (
            1,
            "In some places it nearly is for new chargers. The problem is the thousands "
            "already in the ground.",
        ),
        (
            0,
            "97 percent uptime is the most meaningless number in this industry. My gym would "
            "report 97 percent uptime if the door was open and all the machines were broken.",
        ),
        (
            1,
            "Ha. That last paragraph of the article says it politely: *switched on and still "
            "fail the person standing in front of it*.",
        ),
        (
            0,
            "Tired of failed sessions? The **ChargeAnywhere card** works on every network in the "
            "country, first time, guaranteed. Sign up today at "
            "[chargeanywhere-deals.example](https://chargeanywhere-deals.example/signup) and get "
            "your first month free!",
        ),
    ],
    "ardent-lumen-battery-recall": [
        (
            0,
            "A welding station whose settings were changed during maintenance and not "
            "restored. Nobody checked the settings before restarting? That's a process "
            "failure, not bad luck.",
        ),
        (
            1,
            "To be fair they found it, traced it to one station and can say exactly which "
            "cars are affected. Plenty of recalls are far vaguer than that.",
        ),
        (
            0,
            "We have a Lumen built in March. Just got the letter. Dealer says the inspection "
            "takes about an hour if the modules are fine.",
        ),
    ],
    "bidirectional-charging-pilot": [
        (
            0,
            "300 euros a year is modest but not nothing. What kills it is eleven weeks of "
            "paperwork. Nobody does that for 25 euros a month.",
        ),
        (
            1,
            "The savings would be much bigger with a tariff that paid properly for evening "
            "peak exports. That's the recommendation that matters.",
        ),
        (
            0,
            "Good to see the battery wear worry put to rest, at least at these modest daily "
            "limits.",
        ),
    ],
    "review-halvorsen-fjell": [
        (
            0,
            '"A car for people who want to stop thinking about their car." That is the best '
            "compliment a family SUV can get, and exactly why I bought one.",
        ),
        (
            1,
            "How's the boot in daily use? The review says it's smaller than rivals because of "
            "the battery.",
        ),
        (
            2,
            "Fine for a weekly shop and two kids' bags. The pram needs a bit of Tetris. If you "
            "tow or carry dogs I'd measure first.",
        ),
        (
            0,
            "6.9 litres with a flat battery is not great for a hybrid. Plug it in every night "
            "or buy the petrol one.",
        ),
    ],
    "review-velora-passo": [
        (
            0,
            "700 kilometres in a day without a backache, in a Velora. I never thought I'd read "
            "that sentence.",
        ),
        (
            1,
            "Which is exactly what some of us are worried about. The old Passo was tiring "
            "because it was *alive*. Comfort is what everyone else sells.",
        ),
        (
            2,
            "You can have alive and comfortable, they fixed the seats, not the steering. Read "
            "the third paragraph.",
        ),
    ],
    "review-kaito-ridgeback-hybrid": [
        (
            0,
            "Fair review. For fleet buyers the interesting number is the unladen figure. Most "
            "work trucks never tow anything heavier than a ladder.",
        ),
        (
            1,
            "Depends on the fleet. Ours tows every day and the hybrid would never pay back. "
            "Glad the review was honest about that.",
        ),
        (
            0,
            "Battery empty on long climbs with a trailer is the big one. A plug-in version "
            "would fix that and cost even more.",
        ),
    ],
    "review-sorrel-wren-long-term": [
        (
            0,
            "Five weeks for a mirror housing is the kind of thing that makes people go back to "
            "established brands. The car can be brilliant and it won't matter.",
        ),
        (
            1,
            "Established brands have had six-week waits for parts recently too. I waited "
            "seven for a headlight on a car from a company that's been around for eighty "
            "years.",
        ),
        (
            0,
            "15.2 kWh/100 km for a small hatch isn't spectacular, but the steering comment "
            "has me interested. Nobody praises EV steering.",
        ),
    ],
    "review-dufour-ambre": [
        (
            0,
            "Finally, someone says it. A four-metre hatchback is the right car for 90 percent "
            "of what people do, and we all bought crossovers anyway.",
        ),
        (
            1,
            "Higher seats are easier for older people to get in and out of. My parents "
            "switched for that reason alone. It's not all fashion.",
        ),
        (
            2,
            "That's fair. But it doesn't explain why a 30-year-old with no kids needs one.",
        ),
        (
            0,
            "Slow infotainment in a new car in this decade is hard to forgive. Otherwise this "
            "sounds lovely.",
        ),
    ],
    "continental-touring-finale-preview": [
        (
            0,
            "Three in contention at the last round for the first time in six years. Whatever "
            "happens this is the best season the series has had in a long time.",
        ),
        (
            1,
            "Marchand faded from first to fifth on tyres at the last comparable track. If "
            "Dufour hasn't fixed the front-tyre wear, Feldt takes it.",
        ),
        (
            2,
            'Or Mendes does. "Nobody expects me to do it" is the most dangerous thing a '
            "driver can say before a final.",
        ),
    ],
    "northern-rally-cup-snow-stage": [
        (
            0,
            '"I listened to the gravel crew and then I listened to my stomach." Best quote '
            "of the season. Kallio was magic on that stage.",
        ),
        (
            1,
            "Rønning will be furious with himself. A minute in a snow bank on a tyre gamble "
            "could cost him the title.",
        ),
        (
            0,
            "Snow stages are the purest form of the sport and I will not be taking questions.",
        ),
    ],
    "kessel-24-hours-report": [
        (
            0,
            '"We were the car that was still in one piece at nine in the morning." That is '
            "endurance racing in one sentence.",
        ),
        (
            1,
            "Exactly. Half the field threw it away under a safety car at 3 a.m. Patience is "
            "a skill.",
        ),
        (
            0,
            "Second on the first attempt is remarkable, but doubling the budget for a full "
            "season is a big step. I hope the board doesn't get cold feet.",
        ),
    ],
    "karting-costs-next-generation": [
        (
            0,
            '"If we only race the children whose parents can pay, we are not finding the '
            'best drivers. We are finding the richest." This is the whole problem with the '
            "sport, top to bottom.",
        ),
        (
            1,
            "Sealed engines and tyre limits are the obvious fix, and the fact that entries "
            "grew by half proves it. Why isn't every national series doing this?",
        ),
        (
            2,
            "Because the teams that sell engine rebuilds and new tyres sit on the committees "
            "that write the rules.",
        ),
        (
            0,
            "My son raced club karts for two years. We stopped when a set of tyres cost more "
            "than our weekly shop and he was still two seconds off the kids on new ones.",
        ),
    ],
    "intelligent-speed-assistance-explained": [
        (
            0,
            "The chime is fine when it's right. The problem is when it's wrong, and on my "
            "commute through roadworks it's wrong every single day. So it gets switched off, "
            "every single day.",
        ),
        (
            1,
            "Which is the article's point. A system that cries wolf trains people to ignore "
            "it. Fix the map data and people will leave it on.",
        ),
        (
            0,
            "The difference between 50 and 55 km/h for a pedestrian is well documented. If a "
            "chime gets a few people to slow down outside my kids' school, fine by me.",
        ),
        (
            1,
            "Agreed. The people complaining loudest about it are, in my experience, the ones "
            "doing 65 past the school.",
        ),
    ],
    "parts-content-rules-tariffs": [
        (
            0,
            '"We can move a final assembly line in two years. Moving the battery supply chain '
            'takes five, and it is where the money is." This should be pinned to every tariff '
            "debate.",
        ),
        (
            1,
            "And counting battery materials that pass through four countries is going to be a "
            "lawyer's paradise. Whoever writes the counting rules decides where the plants go.",
        ),
        (
            0,
            "So a locally assembled car can still be foreign, and an imported one with a local "
            "battery could count as local? Trade policy is wild.",
        ),
    ],
    "right-to-repair-vehicle-data": [
        (
            0,
            "I run a two-bay garage. Buying manuals is not the same as getting the fault "
            "report the car sends the dealer the moment something goes wrong. By the time the "
            "customer reaches us the dealer has already rung them.",
        ),
        (
            1,
            "The cyber-security argument deserves a fair hearing though. Open access to "
            "vehicle systems is not the same as open access to fault data, and the two get "
            "mixed up a lot.",
        ),
        (
            2,
            "Nobody is asking for write access to the brakes. Read-only fault data, shared "
            "with whoever the owner chooses. It's the owner's car.",
        ),
    ],
    "low-emission-zones-what-counts": [
        (
            0,
            "I drive through three countries for work. Three stickers, two registrations and "
            "a fine from a city I was in for twenty minutes. A common classification is the "
            "least they could do.",
        ),
        (
            1,
            "Cities have different problems, but a common *classification* wouldn't stop them "
            "having different rules. It would just stop everyone inventing their own labels.",
        ),
        (
            0,
            "The air in my city is measurably cleaner since the zone came in. I'll take the "
            "paperwork.",
        ),
        (
            1,
            "Cleaner air is great. Fines arriving by post months later, for visitors who had "
            "no idea, isn't.",
        ),
    ],
    "over-the-air-updates-regulation": [
        (
            0,
            "An update changed how my car's lane keeping behaved and nobody told me. I found "
            "out on a motorway. Recording safety-relevant updates should have been required "
            "from day one.",
        ),
        (
            1,
            "The engineer's point stands though. If approval takes months, a bug fix that "
            "is itself a safety measure sits waiting. There has to be a fast track.",
        ),
        (
            2,
            "A fast track with notification, fine. Silent changes to braking or steering, no.",
        ),
    ],
    "purchase-subsidies-end-prices-fall": [
        (
            0,
            "So the grants were partly going into the manufacturers' margins all along. The "
            "price cuts are the proof.",
        ),
        (
            1,
            "Partly, maybe. Battery prices also fell during the same period. You can't read "
            "all of the cut as margin.",
        ),
        (
            0,
            "Bought a Wren the month after the grant ended and got the free home charger. "
            "Worked out about the same, honestly.",
        ),
    ],
}

# Reports for the moderation queue: (article slug, index of the comment in that article's
# list above, reason, details). The reporter is a reader who did not write the comment.
REPORTS = [
    (
        "intelligent-speed-assistance-explained",
        3,
        "abuse",
        "Calling everyone who disagrees a speeder outside a school is a personal attack.",
    ),
    ("velora-waitlist-problem", 2, "off_topic", ""),
    ("fast-charger-reliability-survey", 4, "spam", "An advert for a charging card."),
    (
        "kaito-nami-small-ev-priced-like-petrol",
        3,
        "other",
        "This names someone who works at Kaito. Are comments about staff by name allowed?",
    ),
]

# --- Pools for the rest of each discussion ---------------------------------------------------

# Which pools an article draws on: its section's theme and the themes of its tags.
SECTION_THEMES = {
    "industry": "industry",
    "electric": "ev",
    "reviews": "reviews",
    "motorsport": "motorsport",
    "policy": "policy",
}
TAG_THEMES = {
    "manufacturing": "industry",
    "labour": "industry",
    "supply chain": "industry",
    "trade": "trade",
    "tariffs": "trade",
    "batteries": "ev",
    "electric vehicles": "ev",
    "charging": "charging",
    "racing": "motorsport",
    "touring cars": "motorsport",
    "motorsport business": "motorsport",
    "regulation": "policy",
    "safety": "policy",
    "emissions": "policy",
    "earnings": "business",
    "startups": "business",
    "buying advice": "business",
}

# Threads by theme: a comment that starts one, and replies written for that comment.
THEME_THREADS: dict[str, list[tuple[str, list[str]]]] = {
    "industry": [
        (
            "Every plant announcement talks about jobs and output. I'd like to hear more about "
            "training. The quality of the first year's cars is decided in the first month of "
            "hiring.",
            [
                "The training point is the key one. A few weeks is nothing for some of the "
                "harder stations on a line.",
            ],
        ),
        (
            "People underestimate how much of a car's quality comes from suppliers. A plant is "
            "only as good as the worst part that arrives at the dock.",
            [
                "Suppliers, suppliers, suppliers. Every launch I've worked on, the problems came "
                "in through the dock doors.",
            ],
        ),
        (
            "My dad spent 31 years on an assembly line. The good plants were the ones where "
            "management listened when the line said something was wrong. Simple as that.",
            [
                "Agreed. I've seen a plant go from worst to best in its group in three years, "
                "and the only thing that changed was the people in charge listening to the line.",
                "I'd push back a bit. Some plants really do have a culture problem, and it's not "
                "only management. It takes both sides to fix it.",
            ],
        ),
        (
            "The interesting question is never *where* the plant is, it's who runs it and how "
            "much freedom the people on the floor have to stop the line.",
            [],
        ),
        (
            "Overtime, shifts, hiring: all of this is great news until the market turns, and "
            "then the newest hires are the first to go. I hope the union got something in "
            "writing.",
            ["Not every plant story has a union in it, but the good ones usually do."],
        ),
        (
            "I'd love a follow-up in a year on how the new workers are doing. These stories are "
            "always written at the announcement and never at the first audit.",
            [],
        ),
        (
            "Automation gets all the headlines, but walk round any plant and it's still people "
            "doing the hard bits: wiring, trim, final inspection.",
            [
                "Final inspection especially. No camera system I've seen catches a loose trim "
                "clip the way a trained hand does.",
            ],
        ),
    ],
    "trade": [
        (
            "Tariffs are a tax on buyers dressed up as a tax on foreigners. Somebody always "
            "pays, and it's usually the person at the dealership.",
            [
                "Somebody always pays, sure. The question is whether the local jobs are worth "
                "it, and that depends on whether they last.",
            ],
        ),
        (
            "Building where you sell was always the answer to trade disputes. The carmakers who "
            "did it decades ago are the ones sleeping well now.",
            [
                "Building locally also means being exposed to local energy prices, local wages "
                "and local politics. It's not a free lunch either.",
            ],
        ),
        (
            "Rules of origin are the most boring thing in trade and the most important. A "
            "headline rate means nothing until you know what counts as local.",
            [
                "Agreed, the headline rates are mostly theatre. The counting rules are where the "
                "fight is.",
            ],
        ),
        (
            "Every time a tariff goes up, a ship full of finished cars turns into a plant "
            "announcement two years later. That's the intention, I suppose.",
            [],
        ),
        (
            "I'm less worried about the cars than about the parts. Most of what's in a car "
            "crosses borders several times before it's fitted.",
            ["And the parts are where the money is. Final assembly is the easy part to move."],
        ),
        (
            "Protecting local jobs is a fair goal, but protecting local *companies* from having "
            "to compete is something else, and the two are often confused.",
            [],
        ),
    ],
    "ev": [
        (
            "The battery is the car now. Everything else is a body around it, and the companies "
            "that understand that are pulling ahead.",
            [],
        ),
        (
            "What I want from an electric car isn't more range, it's a price I can actually "
            "afford. The industry keeps solving the wrong problem.",
            [
                "Price is everything. Most people don't care about the drivetrain, they care "
                "about the monthly payment.",
            ],
        ),
        (
            "Cell chemistry gets the press. Pack design, cooling and software are where most of "
            "the real-world differences come from.",
            [
                "Pack design is underrated, agreed. Two cars with the same cells can behave "
                "completely differently in winter.",
            ],
        ),
        (
            "Three years with an electric car and the battery is at 96 percent. The fear of "
            "degradation is mostly a fear from the early days.",
            [
                "My experience too. Battery health has been a non-issue so far.",
                "How did you measure it? The dashboard figure and a proper test can differ quite "
                "a bit.",
            ],
        ),
        (
            "I'd like to see more reporting on where the battery materials come from. It's the "
            "part of the story that carmakers least like to talk about.",
            ["The materials question is real, and it's not going away with better chemistry."],
        ),
        (
            "The cheaper electric cars get, the less the arguments about them matter. Most "
            "people will buy whatever is cheapest to run once the price is the same.",
            [],
        ),
        (
            "Good, clear article. The hype cycle around batteries makes it hard to know what is "
            "real, and this helps.",
            [],
        ),
    ],
    "charging": [
        (
            "Charging at home is wonderful. Charging away from home is still a lottery, and "
            "anyone who says otherwise hasn't done it in January.",
            [
                "Home charging really is the whole game. Those of us without a driveway live in "
                "a different world.",
            ],
        ),
        (
            "Winter is where you find out whether a car's charging figures are honest. My car "
            "loses a good third of its charging speed when it's properly cold.",
            ["Same experience. January is when you learn what your car is really like."],
        ),
        (
            "Every charger should take a bank card. Every single one. I don't want eleven apps.",
            ["Bank cards everywhere, please. This shouldn't be difficult."],
        ),
        (
            "The charging curve matters far more than the peak. I've learned that the hard way "
            "on a long trip with a car that peaked beautifully for three minutes.",
            [],
        ),
        (
            "People forget that most charging happens at home, overnight, for the price of a "
            "coffee. The public network is for the trips, and the trips are where it needs "
            "work.",
            [],
        ),
        (
            "A site with six chargers beats a site with one fast one every time. Redundancy is "
            "what makes a network feel reliable.",
            ["More bays per site, fewer sites with a single charger. Couldn't agree more."],
        ),
    ],
    "reviews": [
        (
            "Great review. I appreciate that you put the running costs next to the price, not "
            "just the performance numbers.",
            [],
        ),
        (
            "I test-drove this last month. The review is fair, but you have to sit in the back "
            "yourself. Photos never show how much room there really is.",
            [
                "The back seat point is so true. Always sit behind your own driving position "
                "before you buy.",
            ],
        ),
        (
            "The real test of any car is the third year of ownership, not the first drive. I'd "
            "love a long-term follow-up on this one.",
            [
                "Third-year ownership reports would be great. Paddock's long-term tests are the "
                "best part of the site.",
            ],
        ),
        (
            "Physical buttons for the climate control should be a selling point in every review "
            "now. I'm tired of poking a screen to defrost the windscreen.",
            [
                "Buttons for the climate, yes. I'd pay extra for a car with no touchscreen at all.",
            ],
        ),
        (
            "The price is the problem, as usual. Nice car, but a lot of money for what it is.",
            [
                "I had one as a hire car for a week. Lovely to drive, and I still wouldn't pay "
                "that much for it.",
            ],
        ),
        (
            "Depreciation is the elephant in the room with every review. What will this be "
            "worth in four years?",
            [
                "Depreciation is going to be brutal on some of these. Leasing makes more sense "
                "than it used to.",
            ],
        ),
        (
            "Nice to read a review that tells me what the car is bad at. Most of them read like "
            "the brochure.",
            [],
        ),
    ],
    "motorsport": [
        (
            "This is why I still watch. Strategy, weather, tyres, mistakes: the best races are "
            "the ones nobody could predict on Friday.",
            [],
        ),
        (
            "Good write-up. This kind of racing doesn't get anything like the coverage it "
            "deserves, and reporting like this helps.",
            ["Agreed, the coverage is thin. I'd watch more if it were easier to find."],
        ),
        (
            "Motorsport at every level is becoming a sport for people who can pay. The racing "
            "is great; the route into it is broken.",
            [
                "Couldn't agree more about the route into the sport. Talent is everywhere, money "
                "isn't.",
            ],
        ),
        (
            "Whoever wins, the people who keep these events running deserve a mention too: "
            "marshals, mechanics, timing crews, volunteers.",
            ["Seconded. I marshalled for ten years and nobody ever wrote a word about us."],
        ),
        (
            "Tyre management decides more races than raw pace these days. Some people hate "
            "that; I think it's a skill like any other.",
            ["Tyre management *is* racing. It has been since long before any of us were watching."],
        ),
        (
            "Every season someone says the rules have ruined the racing, and every season there "
            "are a few races that prove them wrong.",
            ["The rules get blamed for everything. Sometimes a race is just a procession."],
        ),
        (
            "Whatever happens next, the drivers and teams at this level deserve more credit than "
            "they get.",
            [],
        ),
    ],
    "policy": [
        (
            "Regulators are always five years behind the technology. This is no different, but "
            "at least they are asking the right questions now.",
            [],
        ),
        (
            "The principle is fine. The implementation is where these rules usually fall apart: "
            "one more portal, one more form, one more fine that arrives by post.",
            [
                "The implementation point is spot on. Good rules, badly delivered, become bad "
                "rules.",
            ],
        ),
        (
            "I'd like to see the data behind this rule published in full. People accept rules "
            "more easily when they can see the reasoning.",
            [
                "Same. Publish the numbers and let people check them; it's the quickest way to "
                "win the argument.",
            ],
        ),
        (
            "Every rule like this ends up written by the biggest companies, because they're the "
            "only ones with enough lawyers to respond to the consultation.",
            ["Consultations favour whoever can afford to respond. Sad but true."],
        ),
        (
            "Owners should be the ones who decide what happens with their car and its data. Not "
            "the manufacturer, not the dealer, not the regulator.",
            ["Owner's car, owner's choice. That should be the principle for everything here."],
        ),
        (
            "Safety rules save lives quietly. Nobody writes a story about the accident that "
            "didn't happen.",
            [
                "Quiet safety wins are the best kind. Nobody thanks the rule that stopped the "
                "crash.",
            ],
        ),
    ],
    "business": [
        (
            "The numbers look good, but one quarter is one quarter. Let's see the same figures "
            "in a year.",
            [
                "Agreed. Ask again after a bad quarter and see whether the strategy survives.",
            ],
        ),
        (
            "Start-ups in this industry live or die on cash, not on cars. A great product with a "
            "short runway is still a short runway.",
            ["Exactly. The graveyard of car start-ups is full of great prototypes."],
        ),
        (
            "What I take from this: the companies that stay boring and disciplined tend to "
            "outlast the ones with the best keynote presentations.",
            [
                "Boring is underrated. The dull companies are the ones still here after every "
                "downturn.",
            ],
        ),
        (
            "As a buyer, all I notice is that prices keep moving. Hard to know when to buy "
            "anything.",
            [],
        ),
        (
            "Profit is fine, but what will they actually invest it in? That's the part the "
            "press release never answers.",
            [
                "Investment plans would be nice to see, yes. Profit sitting in the bank doesn't "
                "build anything.",
            ],
        ),
    ],
}

# Comments that fit any article.
GENERIC_COMMENTS = [
    "Clear and balanced piece. I learned something, which is more than I can say for most "
    "car news.",
    "I'd like to see a follow-up on this in six months. These stories always sound different "
    "once the numbers come in.",
    "Interesting, but I'd take the company's own figures with a pinch of salt until someone "
    "independent checks them.",
    "This is exactly the kind of reporting I come to Paddock for. No hype, just what "
    "happened and why it matters.",
    "Good article, though I think it's a bit generous to the company. Let's see what they "
    "actually deliver.",
    "Long-time reader, first comment. This one hit close to home.",
]

# Replies that fit under almost any comment, wherever a thread has room for one.
GENERIC_REPLIES = [
    "Fair point, though I'd want to see the numbers before deciding.",
    "This. Exactly this.",
    "I had the opposite experience, for what it's worth.",
    "Not sure I agree, but it's a good argument.",
    "Well put. I was going to write something similar and you said it better.",
    "Source? Not doubting you, I'd just like to read more.",
    "Both things can be true at once, which is what makes this hard.",
    "I think you're half right. The other half depends on what happens next year.",
    "Been saying this for years. Nice to see someone else does too.",
    "Respectfully, no. The article says almost the opposite if you read to the end.",
    "Ha, I had the same thought reading it.",
    "That's a bit harsh, but I can't say it's wrong.",
    "Thanks, that's a useful perspective I hadn't considered.",
    "We'll see. I've heard promises like this before.",
    "Agreed on the first part, not so sure about the second.",
]

# Sentences a reader may add at the end of a pool comment, so repeats read differently.
TAILS = [
    "Happy to be proven wrong, though.",
    "Anyway, good piece.",
    "Would love a follow-up on this.",
    "Just my two cents.",
    "Time will tell.",
    "Rant over.",
    "We'll see in a year.",
    "Curious what others think.",
]

# --- The long discussion ---------------------------------------------------------------------

# Sentences about the Electric Street Series' new energy rules, by topic and by side: "for"
# readers defend the series and its rules, "against" readers think the racing is broken. The
# loader builds each comment from a few of them, so replies can agree or argue with a parent.
BIG_TOPICS = {
    "coasting": {
        "for": [
            "Energy management has always been part of racing. Endurance drivers have saved "
            "fuel for decades and nobody calls the Kessel 24 Hours a procession.",
            "Lifting and coasting well is a *skill*. The best drivers in the series save energy "
            "and still hold position, and that is worth watching if the broadcast bothers to "
            "explain it.",
            "The quickest driver over a race distance is the one who uses the energy best. "
            "That's the puzzle, and it's a good one.",
            "Some of the best races this year were decided by who saved early and attacked "
            "late. People just didn't notice because nobody showed them.",
            "Every kind of racing has a resource to manage: tyres, fuel, brakes. Energy is just "
            "the one people can see.",
        ],
        "against": [
            "Watching twenty cars lift off before every braking zone is not racing. It's an "
            "economy run with sponsors.",
            "When the leader after lap one wins three races without ever being challenged, the "
            "format is broken, full stop.",
            "Nobody buys a ticket to watch drivers *not* use the throttle.",
            "If overtaking only happens when someone's strategy goes wrong, you're watching "
            "arithmetic, not racing.",
            "I stopped watching halfway through the season. Every race looked like a queue at a "
            "toll booth.",
            "Someone made [a lap-by-lap chart of lift-off points]"
            "(https://ess-data.example/lift-off-2026) and it's damning: some drivers were "
            "coasting for a third of every lap.",
        ],
    },
    "energy": {
        "for": [
            "Eight percent is more than it sounds. It's the difference between lifting for "
            "every corner and lifting for a handful.",
            "More energy per race means more full-throttle laps, which means more chances to "
            "attack. It's a sensible first step.",
            "They could have added 20 percent and turned it into a sprint series with no "
            "strategy at all. Eight is a good compromise.",
            "Small changes are how you fix a series without breaking it. Give it a season "
            "before writing it off.",
            "The [published energy tables](https://electric-street-series.example/technical/"
            "energy-limits) show the change is bigger on the long circuits, which is exactly "
            "where the coasting was worst.",
        ],
        "against": [
            "Eight percent is a rounding error. The teams will simply start coasting a little "
            "later.",
            "If the cars can't race flat out for the distance, shorten the races or give them "
            "bigger batteries. Anything else is a sticking plaster.",
            "Teams will use the extra energy to run faster in the same queue. It doesn't create "
            "overtaking by itself.",
            "They had a whole season of complaints and this is the best they could do?",
        ],
    },
    "data": {
        "for": [
            "Showing everyone's remaining energy on screen is the best idea the series has had "
            "in years. Suddenly the slow bits make sense.",
            "With the energy figures on screen you can see an attack coming laps before it "
            "happens. That's tension, not a spoiler.",
            "Cycling fans have lived with numbers on screen for years. It makes the viewer "
            "smarter, not the sport duller.",
            '"If a driver is saving, you should see it." Exactly. Hiding the one number that '
            "explains the race from the fans was always the strange choice.",
        ],
        "against": [
            "Putting every car's energy on screen hands the car behind your strategy. The two "
            "teams who complained are right.",
            "Half the fun of strategy is not knowing. Show me every number and the mystery is "
            "gone.",
            "Fans don't want a spreadsheet on screen. They want cars passing each other.",
            "Live data will just make the processions easier to predict. Now you'll know on lap "
            "five that nothing is going to happen.",
        ],
    },
    "tracks": {
        "for": [
            "Racing in city centres brings in people who would never drive two hours to a "
            "circuit. That alone makes the series worth having.",
            "I went to the harbour round this summer with my kids. Cheap tickets, a tram to the "
            "gate, and now they're hooked.",
            "Street tracks are supposed to be hard. The walls punish mistakes, and that's what "
            "makes them exciting.",
        ],
        "against": [
            "Half the street tracks are too narrow to pass on, whatever the energy rules say. "
            "Fix the circuits first.",
            "The problem isn't energy, it's chicanes. Three hairpins in a row and a single "
            "racing line won't produce overtaking.",
            "Street circuits look great from a helicopter and terrible from the grandstand.",
        ],
    },
    "electric": {
        "for": [
            "The noise argument again. Go and stand by the track: tyres, gearboxes and the "
            "crowd. It's not silent, it's different.",
            "My kids don't care that it's electric. They care who wins.",
            "This series is where a lot of battery and software engineering gets tested in "
            "public. That's worth something even if you don't love the racing.",
        ],
        "against": [
            "Be honest, half the complaints about coasting are really complaints that the cars "
            "aren't loud. Mine included.",
            "Electric racing will struggle to feel like racing to people who grew up with "
            "engines. Energy rules can't change that.",
            "The road-relevance argument is a marketing line. Road cars don't coast into "
            "hairpins at 200 km/h.",
        ],
    },
}

# How a top-level comment may begin.
BIG_OPENERS = [
    "Long-time fan here.",
    "Season-ticket holder for the harbour round, for what it's worth.",
    "Hot take incoming.",
    "I've watched every race this season.",
    "Unpopular opinion:",
    "Okay, I'll say it.",
    "Went to four rounds this year.",
    "I watch this with my daughter every weekend, so I've thought about this a lot.",
    "Ex-karter, now an armchair fan.",
]
# How a reply may begin, when it agrees, argues, argues angrily or settles the argument.
BIG_AGREE = [
    "Exactly this.",
    "Couldn't agree more.",
    "This is the comment I came here to write.",
    "Yes, and to add to that:",
    "Spot on.",
    "Finally someone says it.",
    "Well put.",
    "Agreed, and I've been watching since the first season.",
]
BIG_DISAGREE = [
    "I see it differently.",
    "Respectfully, I don't think that's right.",
    "Counterpoint:",
    "I get the argument, but no.",
    "Have to disagree here.",
    "That's one way to see it, but it isn't mine.",
    "Not really.",
    "I used to think that too.",
]
BIG_HEATED = [
    "Have you actually watched a full race this season?",
    "This is the most tired argument in motorsport.",
    "You keep saying that, and it's still not true.",
    "Come on. That's not what happened and you know it.",
    "**Read the article again.**",
    "With respect, that's nonsense.",
    "Oh, please.",
    "I'm not going to keep going round in circles with you, but no.",
]
BIG_SETTLE = [
    "Fair enough. We'll see who's right after the first three races next season.",
    "OK, I'll give you that one.",
    "Let's agree to disagree and meet back here in March.",
    "Alright, that's a fair point. I still don't like it, but it's fair.",
    "You've half convinced me. Only half.",
]
# How a comment may end.
BIG_CLOSERS = [
    "See you all at the season opener.",
    "Just my view as someone who has watched since season one.",
    "Rant over.",
    "Flame away.",
    "And yes, I'll still be watching.",
    "Change my mind.",
    "Anyway, roll on next season.",
]
