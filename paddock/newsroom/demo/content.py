"""The demo site's content as plain data: sections, people, vehicles, illustrations and articles.

Every company, person, race series, publication and quotation here is invented for the demo;
all prose was written for Paddock. Source links point at ``.example`` domains, which never
resolve. Dates are offsets from `BASE_DATE`, so the demo is the same on every run.
"""

from __future__ import annotations

from datetime import UTC, datetime

SITE_NAME = "Paddock Motor Journal"
BASE_DATE = datetime(2026, 11, 1, tzinfo=UTC)
DEMO_PASSWORD = "paddock-demo"  # noqa: S105 - a published demo login, not a secret

HOME = {
    "title": "Paddock Motor Journal",
    "tagline": "Independent reporting on the car industry, electric vehicles and motorsport.",
}

SECTIONS = [
    {
        "slug": "industry",
        "title": "Industry",
        "introduction": "Plants, profits, unions and the people who run the car business.",
    },
    {
        "slug": "electric",
        "title": "Electric",
        "introduction": "Batteries, charging and the long move away from the tailpipe.",
    },
    {
        "slug": "reviews",
        "title": "Reviews",
        "introduction": "First drives and long-term tests of the cars people actually buy.",
    },
    {
        "slug": "motorsport",
        "title": "Motorsport",
        "introduction": "Touring cars, rallying, endurance racing and the electric street series.",
    },
    {
        "slug": "policy",
        "title": "Policy",
        "introduction": "Regulation, trade and safety: the rules that shape what we drive.",
    },
]

# Writers: each signs in, belongs to the Contributors group and has a public profile.
CONTRIBUTORS = [
    {
        "username": "maren.tollefsen",
        "display_name": "Maren Tollefsen",
        "country": "NO",
        "bio": "Maren covers the Nordic car industry from Oslo. She spent eight years on the "
        "business desk of a regional daily before joining Paddock, and still reads annual "
        "reports for pleasure.",
    },
    {
        "username": "daniel.okafor",
        "display_name": "Daniel Okafor",
        "country": "GB",
        "bio": "Daniel writes about batteries, charging and the economics of electric cars. "
        "He trained as a chemical engineer and worked on cell testing before switching to "
        "journalism.",
    },
    {
        "username": "lucia.ferrer",
        "display_name": "Lucía Ferrer",
        "country": "ES",
        "bio": "Lucía follows transport policy and trade from Madrid and Brussels. She is "
        "interested in the unglamorous rules, from type approval to parts-content "
        "thresholds, that decide what ends up in showrooms.",
    },
    {
        "username": "kenji.arakawa",
        "display_name": "Kenji Arakawa",
        "country": "JP",
        "bio": "Kenji reports on Asian automakers and their suppliers from Nagoya. Before "
        "Paddock he spent a decade as a production planner, which he says taught him to "
        "distrust any launch date.",
    },
    {
        "username": "tom.whitcombe",
        "display_name": "Tom Whitcombe",
        "country": "US",
        "bio": "Tom is Paddock's reviews editor, based in Detroit. He has tested pickups, "
        "sedans and crossovers for twenty years and keeps a spreadsheet of every fuel "
        "figure he has ever recorded.",
    },
    {
        "username": "priya.raman",
        "display_name": "Priya Raman",
        "country": "IN",
        "bio": "Priya runs Paddock's long-term test fleet and writes about what ownership is "
        "really like: charging at home and away, servicing, depreciation and the small "
        "things that annoy you in month five.",
    },
    {
        "username": "camille.aubert",
        "display_name": "Camille Aubert",
        "country": "FR",
        "bio": "Camille covers circuit racing and endurance events from Lyon and reviews the "
        "occasional fast car. She has raced in club touring cars and is honest about how "
        "slowly.",
    },
    {
        "username": "rafael.souza",
        "display_name": "Rafael Souza",
        "country": "BR",
        "bio": "Rafael writes about motorsport and the car industry in Latin America from São "
        "Paulo. He is especially interested in junior categories and how young drivers "
        "pay their way.",
    },
]

# Comment moderators: profiles with a country, members of the Moderators group, no bylines.
MODERATORS = [
    {
        "username": "sofia.lindqvist",
        "display_name": "Sofia Lindqvist",
        "country": "SE",
        "bio": "Sofia moderates Paddock's comments from Gothenburg and keeps the house rules "
        "short enough to read.",
    },
    {
        "username": "marcus.bell",
        "display_name": "Marcus Bell",
        "country": "CA",
        "bio": "Marcus moderates comments from Toronto. He used to run a forum for owners of "
        "old estate cars, which he calls excellent training.",
    },
    {
        "username": "aisha.rahman",
        "display_name": "Aisha Rahman",
        "country": "AU",
        "bio": "Aisha looks after the overnight moderation shift from Melbourne, when the "
        "European readers are asleep and the arguments are in English of every variety.",
    },
]

EDITOR = {
    "username": "editor",
    "first_name": "Helen",
    "last_name": "Marsh",
    "email": "editor@paddock.example",
}

ADMIN = {"username": "admin", "email": "admin@example.com"}

# Make name -> model lines. All invented.
MAKES = {
    "Ardent Automotive": ["Lumen", "Meridian", "Prairie"],
    "Dufour": ["Ambre", "Céleste"],
    "Halvorsen Motors": ["Fjell", "Sund", "Vidde"],
    "Hanbit Motors": ["Cresta", "Sora"],
    "Kaito Motor": ["Aster", "Nami", "Ridgeback"],
    "Sorrel Electric": ["Kite", "Wren"],
    "Tianhe Auto": ["Lark", "Qingyun"],
    "Velora": ["Brezza", "Passo"],
}

# Illustrations drawn by `images.render_jpeg`; the title doubles as the alt text.
IMAGES = [
    {
        "key": "dawn",
        "title": "An empty road running straight to the horizon at dawn",
        "sky_top": (46, 64, 110),
        "sky_bottom": (247, 178, 120),
        "sun": (255, 226, 170),
        "sun_x": 0.5,
        "sun_y": 0.5,
        "hills": ((98, 90, 128), (70, 64, 100), (48, 44, 74)),
        "ground": (34, 36, 52),
        "road": (56, 58, 76),
        "marking": (235, 220, 180),
    },
    {
        "key": "pass",
        "title": "A mountain road bending through the hills at dusk",
        "sky_top": (30, 24, 64),
        "sky_bottom": (226, 110, 92),
        "sun": (255, 190, 140),
        "sun_x": 0.72,
        "sun_y": 0.46,
        "hills": ((122, 70, 104), (86, 50, 88), (56, 34, 66)),
        "ground": (40, 28, 52),
        "road": (60, 50, 70),
        "marking": (250, 220, 170),
        "curve": 0.6,
    },
    {
        "key": "night",
        "title": "A motorway under a starry night sky",
        "sky_top": (8, 12, 30),
        "sky_bottom": (34, 52, 96),
        "sun": (226, 230, 240),
        "sun_x": 0.2,
        "sun_y": 0.2,
        "hills": ((26, 36, 66), (18, 26, 50)),
        "ground": (14, 18, 34),
        "road": (30, 32, 44),
        "marking": (250, 210, 90),
        "curve": -0.3,
        "stars": True,
    },
    {
        "key": "desert",
        "title": "A desert highway under a bright midday sun",
        "sky_top": (70, 140, 210),
        "sky_bottom": (204, 226, 240),
        "sun": (255, 250, 230),
        "sun_x": 0.8,
        "sun_y": 0.16,
        "hills": ((214, 176, 128), (196, 148, 100)),
        "ground": (216, 184, 134),
        "road": (74, 72, 76),
        "marking": (250, 240, 220),
        "horizon": 0.62,
    },
    {
        "key": "coast",
        "title": "A coastal road curving away under an overcast sky",
        "sky_top": (120, 134, 150),
        "sky_bottom": (212, 216, 218),
        "sun": (236, 237, 232),
        "sun_x": 0.3,
        "sun_y": 0.3,
        "hills": ((110, 128, 122), (84, 106, 98), (62, 88, 78)),
        "ground": (60, 84, 74),
        "road": (66, 68, 72),
        "marking": (240, 240, 236),
        "curve": 0.8,
    },
    {
        "key": "winter",
        "title": "A winter road through snowy hills in the north",
        "sky_top": (150, 180, 210),
        "sky_bottom": (232, 238, 244),
        "sun": (255, 244, 220),
        "sun_x": 0.62,
        "sun_y": 0.42,
        "hills": ((204, 214, 228), (180, 196, 214), (154, 172, 194)),
        "ground": (228, 234, 240),
        "road": (96, 104, 116),
        "marking": (250, 200, 80),
        "curve": -0.5,
    },
    {
        "key": "circuit",
        "title": "A sweeping race circuit at sunset",
        "sky_top": (60, 30, 70),
        "sky_bottom": (250, 150, 70),
        "sun": (255, 210, 120),
        "sun_x": 0.35,
        "sun_y": 0.52,
        "hills": ((120, 64, 74), (78, 42, 62)),
        "ground": (42, 36, 42),
        "road": (50, 48, 52),
        "marking": (245, 245, 245),
        "curve": 1.0,
    },
    {
        "key": "valley",
        "title": "A country road through a green valley in spring",
        "sky_top": (110, 170, 220),
        "sky_bottom": (222, 236, 240),
        "sun": (255, 252, 235),
        "sun_x": 0.15,
        "sun_y": 0.22,
        "hills": ((140, 176, 128), (104, 150, 100), (76, 124, 80)),
        "ground": (86, 132, 80),
        "road": (86, 88, 92),
        "marking": (250, 250, 250),
        "curve": 0.35,
    },
]

# The article that mirrors the reference page; the browser test opens it by this slug.
REFERENCE_SLUG = "halvorsen-motors-build-where-it-sells"

# Articles, published `days_ago` days before BASE_DATE at `hour` UTC. `status` is "live" unless
# "draft" or "scheduled"; a scheduled article goes live `days_ahead` days after the loader runs.
ARTICLES = [
    # --- Industry ----------------------------------------------------------------------
    {
        "slug": REFERENCE_SLUG,
        "section": "industry",
        "title": "Halvorsen Motors to Build Where It Sells; Chief Executive Says New Plants "
        "Will Follow Demand...",
        "standfirst": "Einar Brekke says the Norwegian carmaker will assemble vehicles in North "
        "America and Asia within five years, ending its reliance on shipping finished cars from "
        "Trondheim.",
        "days_ago": 0,
        "hour": 9,
        "authors": ["maren.tollefsen"],
        "tags": ["manufacturing", "trade", "tariffs"],
        "makes": ["Halvorsen Motors"],
        "models": [("Halvorsen Motors", "Fjell"), ("Halvorsen Motors", "Vidde")],
        "image": "dawn",
        "caption": "Halvorsen wants its cars to travel shorter distances to their owners.",
        "sources": [
            (
                "The Motor Ledger",
                "https://motor-ledger.example/2026/10/halvorsen-build-where-it-sells",
                True,
            ),
            (
                "Halvorsen Motors third-quarter report",
                "https://investors.halvorsen-motors.example/reports/2026-q3",
                False,
            ),
        ],
        "body": """
<p>Halvorsen Motors will move a growing share of its production to the regions where its cars
are bought, chief executive Einar Brekke said on Thursday, setting out a plan that would see the
company assemble vehicles outside Norway for the first time in its 61-year history. The plan was
first reported by <a href="https://motor-ledger.example/2026/10/halvorsen-build-where-it-sells">The
Motor Ledger</a>.</p>
<p>Speaking to analysts after the company reported third-quarter results, Brekke said the days
of building almost every Halvorsen in one place and shipping it around the world were numbered.
"We have been exporting cars and importing risk," he said. "Every vessel that leaves the fjord
carries our margin with it, and every new tariff takes another slice."</p>
<blockquote>"The rule from now on is simple: we build where we sell. If a market buys a hundred
thousand of our cars a year, it should have a Halvorsen plant, Halvorsen engineers and Halvorsen
suppliers close by."</blockquote>
<p>The company delivered just over 410,000 vehicles last year. North America took 38 percent of
them and Asia a further 22 percent, yet nearly all were built at the main plant outside Trondheim
or at a smaller final-assembly site in Sweden.</p>
<h2>Two plants in five years</h2>
<p>Brekke said the first new plant, which would build the Fjell SUV and the electric Vidde,
would be in North America, with a decision on the site due in the spring. A smaller plant in
Asia would follow. He would not name the shortlisted countries, but said local-content rules and
the price of electricity would count for as much as wages.</p>
<blockquote>"People assume this is about cheaper labour. It isn't. A good workforce is never
cheap, and it shouldn't be. It is about being close to our customers, close to our parts and out
of the way of whatever the next trade dispute turns out to be."</blockquote>
<p>He said Trondheim would remain the company's engineering centre and its largest plant, and
that no jobs there would go as a result. "Norway built this company, and Norway will keep
designing every car we make," he said. Union representatives at the plant said they would ask
for that promise in writing.</p>
<p>Analysts were broadly supportive but warned that new factories are slow and expensive to
bring up to standard. "Halvorsen's reputation rests on how well its cars are put together," said
Kristin Dahl of Nordvik Securities. "Doing that on three continents at once is a different job
from doing it in one town where everybody knows the foreman."</p>
""",
    },
    {
        "slug": "kaito-motor-hybrid-profit",
        "section": "industry",
        "title": "Kaito Motor's Hybrid Bet Pays Off as Quarterly Profit Climbs",
        "standfirst": "Strong demand for the Aster and Ridgeback hybrids lifted operating profit "
        "by a fifth, even as the company's electric launches slipped.",
        "days_ago": 18,
        "hour": 7,
        "authors": ["kenji.arakawa"],
        "tags": ["earnings", "hybrids", "asia"],
        "makes": ["Kaito Motor"],
        "models": [("Kaito Motor", "Aster"), ("Kaito Motor", "Ridgeback")],
        "image": "valley",
        "caption": "Hybrids now account for more than half of Kaito's sales.",
        "sources": [
            (
                "Kaito Motor results statement",
                "https://global.kaito-motor.example/ir/results/fy2026-q2",
                False,
            ),
            (
                "Industry Register",
                "https://industry-register.example/asia/kaito-hybrid-margins",
                True,
            ),
        ],
        "body": """
<p>Kaito Motor reported a 21 percent rise in operating profit for the July to September quarter,
helped by buyers who wanted better fuel economy but were not ready for a fully electric car. The
company sold 1.12 million vehicles in the period, and hybrids made up 54 percent of them.</p>
<p>The compact Aster hybrid was again the best-selling model, and the hybrid version of the
Ridgeback pickup, launched in the spring, sold faster than planned in Australia and Thailand.
Chief financial officer Ryo Sakamoto said the plant building it would add a Saturday shift.</p>
<p>The picture for electric models was less comfortable. Kaito pushed back the launch of two
battery-electric crossovers by six months, citing software validation, and said the small Nami
would stay a Japan-only model for now.</p>
<p>Sakamoto rejected the idea that the company was dragging its feet. "We sell what people will
buy this year while we prepare for what they will buy in five," he told reporters. "A hybrid
that is bought is worth more to the climate than an electric car that sits on the lot."</p>
""",
    },
    {
        "slug": "ardent-prairie-plant-third-shift",
        "section": "industry",
        "title": "Ardent Adds a Third Shift at Its Prairie Pickup Plant",
        "standfirst": "The Wichita plant will run around the clock from January, creating about "
        "900 jobs as dealers report the shortest pickup inventory in two years.",
        "days_ago": 63,
        "hour": 14,
        "authors": ["tom.whitcombe"],
        "tags": ["manufacturing", "pickups", "labour", "north america"],
        "makes": ["Ardent Automotive"],
        "models": [("Ardent Automotive", "Prairie")],
        "image": "desert",
        "caption": "The Prairie is Ardent's best-selling and most profitable vehicle.",
        "sources": [
            (
                "Autowire Daily",
                "https://autowire-daily.example/news/ardent-wichita-third-shift",
                False,
            ),
        ],
        "body": """
<p>Ardent Automotive will add a third production shift at its Wichita assembly plant from
January, the company said, lifting output of the Prairie full-size pickup by roughly a quarter.
About 900 hourly workers will be hired, and the plant will run six days a week.</p>
<p>Dealers have been asking for more trucks since the spring. According to the company, the
average Prairie now spends 41 days on a dealer lot, compared with more than 70 a year ago. Cheaper
fleet versions have been hardest to find.</p>
<p>The plant manager, Dolores Vance, said most new hires would start on the final-assembly line
after a four-week training course. "We are not going to trade quality for volume," she said. "A
new shift gets the same inspections, the same audits and the same right to stop the line."</p>
<p>The union local welcomed the hiring but said it would be watching overtime closely. Workers
on the existing two shifts have averaged ten hours of overtime a week since March.</p>
""",
    },
    {
        "slug": "tianhe-auto-european-assembly-talks",
        "section": "industry",
        "title": "Tianhe Auto in Talks to Assemble Electric Cars in Europe",
        "standfirst": "The Chinese carmaker is weighing a disused plant and a contract "
        "manufacturer as it tries to get ahead of tariffs on imported electric vehicles.",
        "days_ago": 118,
        "hour": 10,
        "authors": ["kenji.arakawa", "lucia.ferrer"],
        "tags": ["trade", "tariffs", "electric vehicles", "europe"],
        "makes": ["Tianhe Auto"],
        "models": [("Tianhe Auto", "Qingyun"), ("Tianhe Auto", "Lark")],
        "image": "night",
        "caption": "Tianhe ships its European cars from a port near Shanghai.",
        "sources": [
            (
                "Industry Register",
                "https://industry-register.example/europe/tianhe-assembly-talks",
                True,
            ),
            (
                "Transport Policy Monitor",
                "https://transport-policy-monitor.example/briefs/ev-import-duties",
                False,
            ),
        ],
        "body": """
<p>Tianhe Auto is in advanced talks to assemble cars in Europe, two people familiar with the
discussions said, as the company looks for a way around the extra duties now charged on
electric vehicles shipped in from China.</p>
<p>One option is to buy a plant that a European carmaker closed last year; the other is to hand
assembly of the Qingyun sedan and the smaller Lark to a contract manufacturer that already
builds cars for several brands. Either route could have cars coming off a line within eighteen
months, far faster than building a factory from scratch.</p>
<p>Tianhe declined to comment on the talks. In a statement it said Europe was "a long-term home
market, not an export destination," and that it intended to "invest, employ and buy locally."</p>
<p>Trade lawyers say where the car is assembled is only half of the question. Much depends on
where the battery cells and the most valuable electronics come from, and on how officials
decide to count them. "Bolting the body together in Europe does not make a European car," said
one. "The rules look at the value, not the spanners."</p>
""",
    },
    {
        "slug": "dufour-supplier-consolidation",
        "section": "industry",
        "title": "Dufour Cuts Its Supplier List by a Third to Simplify Production",
        "standfirst": "The French carmaker says fewer, larger suppliers will mean fewer "
        "shortages. Smaller parts makers around Lyon fear they will be squeezed out.",
        "days_ago": 188,
        "hour": 8,
        "authors": ["camille.aubert"],
        "tags": ["supply chain", "manufacturing", "europe"],
        "makes": ["Dufour"],
        "models": [],
        "image": "coast",
        "caption": "",
        "sources": [
            (
                "Fleet Quarterly",
                "https://fleet-quarterly.example/2026/suppliers/dufour-consolidation",
                True,
            ),
        ],
        "body": """
<p>Dufour will reduce the number of companies that supply parts directly to its plants from
about 1,400 to fewer than 950 over the next three years, the company told suppliers at a meeting
in Lyon this week.</p>
<p>Purchasing director Élodie Brun said the shortages of recent years had shown that the
company was managing too many relationships with too little leverage. Fewer suppliers, each
with longer contracts, would give Dufour better visibility of where its parts came from. "When
something goes wrong three tiers down, we want to hear about it in days, not in weeks," she
said.</p>
<ul>
<li>Contracts for the largest systems, including seats and wiring, will run for up to seven
years.</li>
<li>Suppliers will be asked to share production data from their own plants.</li>
<li>Smaller firms are encouraged to supply through larger partners rather than directly.</li>
</ul>
<p>That last point worries the regional association of parts makers, whose members are mostly
family firms with fewer than 200 employees. Its chair said that becoming a subcontractor's
subcontractor usually means thinner margins and less say over prices.</p>
""",
    },
    {
        "slug": "sorrel-electric-funding-round",
        "section": "industry",
        "title": "Sorrel Electric Raises New Funding, Pushes Back Its Second Model",
        "standfirst": "The British start-up has secured enough money to keep building the Wren "
        "into 2028, but the Kite crossover will arrive a year later than promised.",
        "days_ago": 257,
        "hour": 11,
        "authors": ["daniel.okafor"],
        "tags": ["startups", "electric vehicles", "earnings"],
        "makes": ["Sorrel Electric"],
        "models": [("Sorrel Electric", "Wren"), ("Sorrel Electric", "Kite")],
        "image": "valley",
        "caption": "Sorrel builds the Wren at a converted warehouse in the Midlands.",
        "sources": [
            ("Grid and Volt", "https://grid-and-volt.example/startups/sorrel-new-funding", False),
        ],
        "body": """
<p>Sorrel Electric has raised new funding from its existing investors and a pension fund, the
company said, giving it enough money to keep building its small Wren hatchback for at least
another eighteen months.</p>
<p>The price was a delay. The Kite, a compact crossover that was meant to arrive next year and
double the company's sales, will now go on sale in 2028. Co-founder Nadia Hussain said the team
had chosen to spend the money on making the Wren profitable first.</p>
<p>"Plenty of car start-ups have died because they launched their second model to rescue the
first," she said. "We would rather sell one car that makes money than two that don't."</p>
<p>Sorrel delivered about 6,800 Wrens last year. Hussain said it now makes a small profit on each
car before overheads, helped by cheaper battery cells and a simpler wiring harness introduced in
the summer.</p>
""",
    },
    {
        "slug": "halvorsen-union-four-year-contract",
        "section": "industry",
        "title": "Halvorsen Motors and Its Union Agree on a Four-Year Contract",
        "standfirst": "The deal at the Trondheim plant links bonuses to quality audits and gives "
        "workers a seat on the committee that plans new models.",
        "days_ago": 328,
        "hour": 13,
        "authors": ["maren.tollefsen"],
        "tags": ["labour", "manufacturing", "europe"],
        "makes": ["Halvorsen Motors"],
        "models": [("Halvorsen Motors", "Sund")],
        "image": "winter",
        "caption": "The Trondheim plant employs about 6,500 people.",
        "sources": [
            (
                "Nordic Auto News",
                "https://nordic-auto-news.example/arbeid/halvorsen-contract",
                False,
            ),
        ],
        "body": """
<p>Halvorsen Motors and the union representing its Trondheim workers have agreed a four-year
contract that raises pay by 4.2 percent in the first year and ties part of the annual bonus to
the results of the plant's quality audits.</p>
<p>The union's chief negotiator, Tor Eriksen, said members had accepted the quality link because
they already regard the plant's reputation as their own. "Our people sign every car with their
work," he said. "It is fair that they share in what that signature is worth."</p>
<p>For the first time, two elected workers will sit on the committee that plans production of
new models, starting with the replacement for the Sund sedan. The company said shop-floor
experience would help it avoid designs that are hard to build well.</p>
<p>The agreement still has to be ratified in a ballot next month, but both sides expect it to
pass comfortably.</p>
""",
    },
    {
        "slug": "velora-waitlist-problem",
        "section": "industry",
        "title": "Velora's Waitlist Problem: Too Many Buyers for Too Few Cars",
        "standfirst": "The Italian sports-car maker has more orders than it can fill, and some "
        "customers are reselling their build slots at a premium.",
        "days_ago": 417,
        "hour": 15,
        "authors": ["camille.aubert"],
        "tags": ["earnings", "europe"],
        "makes": ["Velora"],
        "models": [("Velora", "Passo")],
        "image": "pass",
        "caption": "",
        "sources": [
            ("The Gearbox Review", "https://the-gearbox-review.example/velora-waitlist", False),
            (
                "The Motor Ledger",
                "https://motor-ledger.example/2025/09/velora-build-slots",
                True,
            ),
        ],
        "body": """
<p>Velora builds about 4,000 cars a year in its workshop near Modena, and it could sell twice as
many. The wait for a new Passo grand tourer is now close to three years, and dealers say the list
keeps getting longer.</p>
<p>That has created an awkward side market. Some customers who hold early build slots are
selling them on, in effect auctioning the right to buy a car that does not yet exist. Velora says
it will cancel any order it finds has been transferred without its consent.</p>
<p>The company has no intention of building more cars. Chairman Giorgio Fabbri has said many
times that scarcity is part of what buyers pay for. Some dealers are less sure: they say loyal
customers who want a second car are waiting behind speculators.</p>
""",
    },
    {
        "slug": "hanbit-motors-brazil-plant",
        "section": "industry",
        "title": "Hanbit Motors Picks Brazil for Its First South American Plant",
        "standfirst": "The Korean carmaker will build the Cresta SUV near Curitiba from 2028, "
        "aiming to supply the whole region from one site.",
        "days_ago": 478,
        "hour": 12,
        "authors": ["rafael.souza"],
        "tags": ["manufacturing", "trade", "suvs"],
        "makes": ["Hanbit Motors"],
        "models": [("Hanbit Motors", "Cresta")],
        "image": "valley",
        "caption": "The Cresta will be the first Hanbit built outside Asia.",
        "sources": [
            (
                "Autowire Daily",
                "https://autowire-daily.example/news/hanbit-curitiba-plant",
                False,
            ),
        ],
        "body": """
<p>Hanbit Motors will build its first South American factory near Curitiba in southern Brazil,
the company announced, with production of the Cresta SUV due to begin in 2028.</p>
<p>The plant will start with capacity for 120,000 vehicles a year. Around two thirds are meant
for Brazil and the rest for neighbouring countries, which trade agreements allow the company to
supply with little or no import duty.</p>
<p>State officials said they had offered tax relief over fifteen years in exchange for a
commitment to buy at least half of the car's parts from local suppliers by the third year of
production. Local parts makers, some of which already supply other carmakers in the region, said
the timetable was demanding but achievable.</p>
<p>Hanbit currently sells about 60,000 cars a year in South America, all of them imported from
Korea.</p>
""",
    },
    # --- Electric ----------------------------------------------------------------------
    {
        "slug": "solid-state-batteries-pilot-lines",
        "section": "electric",
        "title": "Solid-State Batteries: What the Pilot Lines Actually Show",
        "standfirst": "Prototype cells keep breaking records in the lab. Making them by the "
        "million is a different problem, and it is the one that decides when they reach cars.",
        "days_ago": 11,
        "hour": 10,
        "authors": ["daniel.okafor"],
        "tags": ["batteries", "electric vehicles", "supply chain"],
        "makes": [],
        "models": [],
        "image": "night",
        "caption": "",
        "sources": [
            (
                "Grid and Volt",
                "https://grid-and-volt.example/analysis/solid-state-pilot-lines",
                False,
            ),
            (
                "Industry Register",
                "https://industry-register.example/batteries/solid-state-yields",
                True,
            ),
        ],
        "body": """
<p>Every few months a laboratory announces a solid-state battery cell that stores more energy,
charges faster or lasts longer than anything in a car today. Far less is said about the pilot
lines where those cells are supposed to become products, and that is where the real questions
are.</p>
<h2>Yield is the number to watch</h2>
<p>The first problem is yield, the share of cells that come off the line good enough to use.
Managers at two pilot plants told Paddock that yields were still well below the level at which
a cell can be sold at a competitive price. A cell that works beautifully in a lab is no use if
three out of ten made in a factory have to be thrown away.</p>
<p>The second is pressure. Many solid-state designs need to be held under a steady clamping
force to keep the layers in contact as they swell and shrink. That means heavier, more complex
packs, which eats into the weight savings the chemistry promised.</p>
<ol>
<li>Early solid-state cells are likely to go into expensive, low-volume models first.</li>
<li>Semi-solid designs, which keep a small amount of liquid, will probably arrive sooner.</li>
<li>Mass-market cars will keep using improved liquid-electrolyte cells for years.</li>
</ol>
<p>None of this means the technology will fail. It means the calendar in the press releases
tends to describe the lab, not the factory.</p>
""",
    },
    {
        "slug": "halvorsen-vidde-winter-charging",
        "section": "electric",
        "title": "Why the Halvorsen Vidde Charges Faster in Winter Than Its Rivals",
        "standfirst": "A battery heater that starts working before you reach the charger, and a "
        "conservative pack design, give the Norwegian crossover an edge in the cold.",
        "days_ago": 44,
        "hour": 9,
        "authors": ["daniel.okafor", "maren.tollefsen"],
        "tags": ["charging", "batteries", "electric vehicles", "winter driving"],
        "makes": ["Halvorsen Motors"],
        "models": [("Halvorsen Motors", "Vidde")],
        "image": "winter",
        "caption": "At minus 12 degrees, the Vidde reached its peak charging rate in 14 minutes.",
        "sources": [
            (
                "Nordic Auto News",
                "https://nordic-auto-news.example/test/vidde-cold-charging",
                False,
            ),
        ],
        "body": """
<p>Cold batteries charge slowly, which is why many electric cars disappoint at winter fast
chargers. In our tests at minus 12 degrees the Halvorsen Vidde was a clear exception: it
reached its peak charging rate within 14 minutes of plugging in and added 200 kilometres of range
in 22 minutes.</p>
<p>The main reason is preconditioning. When a driver sets a charger as the destination, the Vidde
starts warming its battery up to 40 minutes before arrival, using both a heat pump and a resistive
heater. Several rivals do the same, but the Vidde starts earlier and warms the pack further.</p>
<p>The other reason is restraint. Halvorsen's engineers chose not to advertise the highest
possible peak rate, and instead tuned the car to hold a steady, slightly lower rate for longer.
"The peak figure wins the brochure," one engineer told us. "The flat curve wins the road trip."</p>
<p>The cost is a little extra energy spent on heating. Over a 300-kilometre winter drive we
estimate preconditioning used about 3 percent of the battery, a price most owners will happily
pay.</p>
""",
    },
    {
        "slug": "kaito-nami-small-ev-priced-like-petrol",
        "section": "electric",
        "title": "Kaito Nami: A Small Electric Car Priced Like a Petrol One",
        "standfirst": "Kaito's city car costs about the same as a petrol supermini in Japan. The "
        "trick is a small battery and the discipline to stop there.",
        "days_ago": 93,
        "hour": 6,
        "authors": ["kenji.arakawa"],
        "tags": ["electric vehicles", "batteries", "asia"],
        "makes": ["Kaito Motor"],
        "models": [("Kaito Motor", "Nami")],
        "image": "coast",
        "caption": "The Nami is 3.4 metres long and seats four.",
        "sources": [
            (
                "Kaito Motor press release",
                "https://global.kaito-motor.example/newsroom/nami-launch",
                False,
            ),
        ],
        "body": """
<p>Kaito Motor has started selling the Nami, a four-seat electric city car whose price in Japan
is within a few percent of a comparable petrol supermini. It is the clearest attempt yet by a
major carmaker to make an electric car that is cheap first and impressive second.</p>
<p>The Nami's battery holds 29 kilowatt-hours, good for about 220 kilometres on the Japanese
test cycle. Kaito says most Nami buyers drive less than 30 kilometres a day and charge at home,
so a larger pack would mostly add weight and cost.</p>
<p>Chief engineer Aiko Tanabe said the hardest part of the project was saying no. "Every
department wanted one more feature," she said. "Each one was reasonable, and together they would
have made a car nobody could afford."</p>
<p>Kaito has no firm plans to sell the Nami abroad. Export versions would need changes for
crash rules and would lose much of their price advantage on the way.</p>
""",
    },
    {
        "slug": "fast-charger-reliability-survey",
        "section": "electric",
        "title": "One in Seven Fast-Charging Attempts Failed in Our Reader Survey",
        "standfirst": "More than 2,300 readers logged their public charging sessions for a month. "
        "The hardware was usually fine; the payment systems often were not.",
        "days_ago": 149,
        "hour": 16,
        "authors": ["priya.raman", "daniel.okafor"],
        "tags": ["charging", "electric vehicles", "software"],
        "makes": [],
        "models": [],
        "image": "night",
        "caption": "",
        "sources": [
            (
                "Paddock reader survey methodology",
                "https://survey.paddock-data.example/2026/charging-methodology",
                False,
            ),
            (
                "Grid and Volt",
                "https://grid-and-volt.example/analysis/charging-uptime-figures",
                False,
            ),
        ],
        "body": """
<p>For four weeks this spring, 2,341 Paddock readers recorded every public fast-charging session
they attempted: where, when, on which network and whether the car charged at the first attempt.
Of 18,900 attempts, 14 percent failed the first time.</p>
<p>The most common cause was not a broken charger. Readers most often reported payment problems,
from card readers that would not respond to apps that demanded a new login at the worst possible
moment. Physical faults, such as damaged cables or dead screens, accounted for about a third of
failures.</p>
<blockquote>"The charger was working. The app was working. They just would not talk to each other
in a car park at eleven at night." - one reader's survey comment</blockquote>
<p>Networks that let drivers pay with a contactless bank card had noticeably fewer failures than
those that relied on an app or a membership card. Sites with several chargers also did better,
simply because a driver could move to the next bay.</p>
<p>Several networks told us their own uptime figures were above 97 percent. Both things can be
true: a charger can be switched on and still fail the person standing in front of it.</p>
""",
    },
    {
        "slug": "ardent-lumen-battery-recall",
        "section": "electric",
        "title": "Ardent Recalls Lumen Crossovers Over Battery Module Welds",
        "standfirst": "About 31,000 vehicles built in a four-month window will have their "
        "battery packs inspected, and some modules replaced.",
        "days_ago": 214,
        "hour": 17,
        "authors": ["tom.whitcombe"],
        "tags": ["batteries", "safety", "north america"],
        "makes": ["Ardent Automotive"],
        "models": [("Ardent Automotive", "Lumen")],
        "image": "desert",
        "caption": "Ardent says owners can keep driving while they wait for an inspection.",
        "sources": [
            (
                "Autowire Daily",
                "https://autowire-daily.example/recalls/ardent-lumen-module-welds",
                False,
            ),
        ],
        "body": """
<p>Ardent Automotive is recalling about 31,000 Lumen electric crossovers because some welds
between cells inside the battery modules may not have been made properly. The company said a
weak weld could overheat under heavy load and, in rare cases, cause the car to lose power.</p>
<p>The affected cars were built between February and May. Ardent traced the problem to a
welding station whose settings were changed during maintenance and not correctly restored. The
company said it knows of four cars that lost power, and of no injuries.</p>
<p>Dealers will inspect each pack with a diagnostic tool and replace any module that fails.
Ardent expects about one car in twenty to need new modules, which takes a day in the workshop.
Owners will receive letters next month.</p>
""",
    },
    {
        "slug": "used-ev-battery-health-reports",
        "section": "electric",
        "title": "Buying a Used EV? Battery Health Reports Are Finally Getting Useful",
        "standfirst": "Standard battery certificates are spreading among dealers. Here is what "
        "they measure, what they miss and what to ask before you sign.",
        "days_ago": 298,
        "hour": 10,
        "authors": ["priya.raman"],
        "tags": ["batteries", "electric vehicles", "buying advice"],
        "makes": [],
        "models": [],
        "image": "valley",
        "caption": "",
        "sources": [
            (
                "Fleet Quarterly",
                "https://fleet-quarterly.example/2026/remarketing/battery-certificates",
                True,
            ),
        ],
        "body": """
<p>The biggest worry for anyone buying a used electric car is the battery. Until recently there
was no easy way to check it: the dashboard range estimate depends on how the last owner drove,
and few sellers could say more.</p>
<p>That is changing. A growing number of dealers now provide a battery certificate, usually
produced by plugging a diagnostic tool into the car for a few minutes. The report gives a
state-of-health figure, a percentage of the capacity the battery had when new.</p>
<h2>What to ask</h2>
<ul>
<li>Who produced the report, and did they read the car's own data or run a test drive?</li>
<li>When was it done? A report from a year ago tells you little about today.</li>
<li>Does the battery warranty still apply, and does it transfer to you?</li>
</ul>
<p>A figure above 90 percent on a car three or four years old is normal. Anything much lower is
worth a question, though not necessarily a reason to walk away: a lower price may more than make
up for it.</p>
""",
    },
    {
        "slug": "bidirectional-charging-pilot",
        "section": "electric",
        "title": "Cars That Power Houses: A Bidirectional Charging Pilot Reports Back",
        "standfirst": "Two hundred households used their electric cars as home batteries for a "
        "year. The savings were real but modest, and the paperwork was the hard part.",
        "days_ago": 503,
        "hour": 9,
        "authors": ["lucia.ferrer"],
        "tags": ["charging", "electric vehicles", "regulation"],
        "makes": ["Halvorsen Motors"],
        "models": [("Halvorsen Motors", "Vidde")],
        "image": "dawn",
        "caption": "",
        "sources": [
            (
                "Transport Policy Monitor",
                "https://transport-policy-monitor.example/reports/v2h-pilot-final",
                False,
            ),
        ],
        "body": """
<p>For twelve months, 200 households in three regions let their electric cars discharge
into their homes in the evening and recharge overnight when electricity was cheaper. The pilot's
final report, published this week, finds that the average household saved a little under 300
euros a year.</p>
<p>Battery wear was smaller than many participants feared. The organisers capped the energy
each car could give back at a modest daily amount, and cars in the trial lost no more capacity
than a matched group of cars that only charged.</p>
<p>The obstacles were elsewhere. Each home needed a compatible wall charger, an electrician's
certificate and permission from the grid operator, a process that took an average of eleven
weeks. Only two car models in the trial were approved for home discharge at the start.</p>
<p>The report recommends a single approval process for bidirectional chargers and a standard
tariff that pays for energy sent back at peak times.</p>
""",
    },
    # --- Reviews -----------------------------------------------------------------------
    {
        "slug": "review-halvorsen-fjell",
        "section": "reviews",
        "title": "Halvorsen Fjell Review: A Quiet Family SUV That Knows Its Limits",
        "standfirst": "The Fjell is not exciting and does not try to be. It is comfortable, well "
        "made and easy to live with, and that is rarer than it should be.",
        "days_ago": 29,
        "hour": 12,
        "authors": ["tom.whitcombe"],
        "tags": ["suvs", "hybrids", "first drive", "winter driving"],
        "makes": ["Halvorsen Motors"],
        "models": [("Halvorsen Motors", "Fjell")],
        "image": "winter",
        "caption": "The Fjell's cabin is among the quietest in its class.",
        "sources": [
            (
                "Halvorsen Fjell specifications",
                "https://www.halvorsen-motors.example/fjell/specifications",
                False,
            ),
        ],
        "body": """
<p>The Halvorsen Fjell is a mid-size SUV with room for five, a plug-in hybrid drivetrain and a
price that puts it against every other sensible family car on the market. It wins by being
quieter, calmer and better put together than most of them.</p>
<p>On the motorway, wind and tyre noise are remarkably low, and the suspension takes the sting
out of broken surfaces without making the body float. The steering is light and accurate rather
than lively. Nobody will buy a Fjell for a mountain road, but nobody will dread a long drive in
one either.</p>
<p>The hybrid system covered 58 kilometres on electricity in our mixed test, enough for most
commutes. With an empty battery it used 6.9 litres per 100 kilometres, which is reasonable for
a car of this size but no better than that.</p>
<p>Inside, the materials are excellent and the controls are refreshingly physical: real buttons
for the climate, a volume knob and a screen that does not try to do everything. The boot is
slightly smaller than rivals' because the battery sits under its floor.</p>
<p><b>Verdict:</b> a car for people who want to stop thinking about their car. We mean that as a
compliment.</p>
""",
    },
    {
        "slug": "review-velora-passo",
        "section": "reviews",
        "title": "Velora Passo First Drive: The Grand Tourer Learns Some Manners",
        "standfirst": "Velora's front-engined GT has always been fast. The new one is also "
        "comfortable, which is more of a surprise.",
        "days_ago": 79,
        "hour": 8,
        "authors": ["camille.aubert"],
        "tags": ["first drive", "sports cars"],
        "makes": ["Velora"],
        "models": [("Velora", "Passo")],
        "image": "pass",
        "caption": "",
        "sources": [
            (
                "The Gearbox Review",
                "https://the-gearbox-review.example/first-drives/velora-passo",
                False,
            ),
        ],
        "body": """
<p>Previous generations of the Velora Passo were thrilling for an hour and tiring for a day. The
engine was loud at any speed, the ride was firm and the seats were made for people shaped like
the engineers. The new car fixes most of that without losing what made it special.</p>
<p>The V8 is still there, now with a mild-hybrid system that smooths out gearshifts and lets the
car coast silently on the motorway. In its softest setting the adaptive suspension is genuinely
supple. We drove 700 kilometres in a day and got out without a backache.</p>
<p>Switch to the sportier modes and the Passo tightens up convincingly. It is not as sharp as a
mid-engined car, nor meant to be, but it is precise, balanced and immensely fast out of slow
corners.</p>
<p>The price is high even by the standards of the class, and, as we have reported, getting a
build slot is another matter. For the few who can, this is the best Passo yet.</p>
""",
    },
    {
        "slug": "review-kaito-ridgeback-hybrid",
        "section": "reviews",
        "title": "Kaito Ridgeback Hybrid Review: The Work Truck That Sips",
        "standfirst": "A mid-size pickup that uses a third less fuel than the diesel it replaces "
        "and still tows three tonnes. The catch is the price.",
        "days_ago": 139,
        "hour": 11,
        "authors": ["tom.whitcombe"],
        "tags": ["pickups", "hybrids", "long-term test"],
        "makes": ["Kaito Motor"],
        "models": [("Kaito Motor", "Ridgeback")],
        "image": "desert",
        "caption": "We towed a 2.4-tonne trailer for 600 kilometres.",
        "sources": [
            (
                "Kaito Ridgeback hybrid technical guide",
                "https://global.kaito-motor.example/ridgeback/hybrid-technical-guide",
                False,
            ),
        ],
        "body": """
<p>Pickup buyers are hard to impress with fuel figures. They want to know whether the truck
will tow, haul and keep going for 300,000 kilometres. The Kaito Ridgeback hybrid makes a decent
case on all three counts.</p>
<p>Its petrol engine is paired with an electric motor inside the transmission, which fills in
torque at low speed. Pulling away with a loaded trailer, it feels stronger than the old diesel.
Unladen, it averaged 8.1 litres per 100 kilometres over two weeks, against 11.5 for the diesel
we tested last year.</p>
<p>Towing brings the figures closer. With a 2.4-tonne trailer the hybrid used 14.6 litres, and
the small battery was often empty on long climbs. That is the trade-off of a hybrid without a
plug.</p>
<p>The hybrid costs noticeably more than the diesel. A fleet doing mostly unladen city work will
recover that in a few years; someone towing every weekend may never get it back.</p>
""",
    },
    {
        "slug": "review-sorrel-wren-long-term",
        "section": "reviews",
        "title": "Sorrel Wren Long-Term Test: Six Months and 14,000 Kilometres",
        "standfirst": "Our small electric hatchback has been cheap to run and fun to drive. Two "
        "software faults and a slow parts supply have been less fun.",
        "days_ago": 233,
        "hour": 14,
        "authors": ["priya.raman"],
        "tags": ["long-term test", "electric vehicles", "software", "startups"],
        "makes": ["Sorrel Electric"],
        "models": [("Sorrel Electric", "Wren")],
        "image": "coast",
        "caption": "Our Wren has averaged 15.2 kWh per 100 kilometres.",
        "sources": [
            (
                "Sorrel Electric service bulletin",
                "https://owners.sorrel-electric.example/bulletins/wren-2026-07",
                False,
            ),
        ],
        "body": """
<p>Six months ago our Sorrel Wren arrived with 12 kilometres on the odometer. It now has just
over 14,000, most of them on a mixture of commuting, school runs and two long trips to the
coast.</p>
<p>The good news first. The Wren has averaged 15.2 kilowatt-hours per 100 kilometres, which at
our home tariff works out at a fraction of the cost of a petrol hatchback. It is light and eager
in town, and the steering is the best we have found in a small electric car.</p>
<p>Now the less good. Twice the central screen froze on start-up, taking the reversing camera
with it, until a software update in July appeared to fix the fault. A cracked mirror housing,
damaged in a car park, took five weeks to replace because the part had to come from the factory.</p>
<p>Sorrel says it now holds more spare parts at its dealers. We will see whether that holds true
when something else breaks, because on a car this young, something usually does.</p>
""",
    },
    {
        "slug": "review-dufour-ambre",
        "section": "reviews",
        "title": "Dufour Ambre Review: The Hatchback Still Has Something to Say",
        "standfirst": "In a market that has abandoned small cars for crossovers, Dufour's "
        "hatchback is a reminder of what we lost.",
        "days_ago": 352,
        "hour": 9,
        "authors": ["priya.raman", "camille.aubert"],
        "tags": ["first drive", "hybrids", "europe"],
        "makes": ["Dufour"],
        "models": [("Dufour", "Ambre")],
        "image": "valley",
        "caption": "",
        "sources": [
            (
                "The Gearbox Review",
                "https://the-gearbox-review.example/reviews/dufour-ambre",
                False,
            ),
        ],
        "body": """
<p>The Dufour Ambre is a five-door hatchback, four metres long, with a small petrol engine and a
light hybrid system. It is exactly the kind of car that has been disappearing from showrooms,
and driving it makes you wonder why.</p>
<p>It rides better than most crossovers that cost more, uses less fuel because it is lower and
lighter, and is easier to park than any of them. On the narrow roads around Lyon it was a
pleasure: it turns in eagerly, holds a line and never feels out of its depth.</p>
<p>There are compromises. The rear seat is tight for tall adults and the infotainment system is
slow to respond. The hybrid is too mild to drive on electricity alone for more than a few
metres.</p>
<p><i>Verdict:</i> not the most fashionable choice, but the most sensible small car we have
driven this year, and one of the most enjoyable.</p>
""",
    },
    {
        "slug": "review-hanbit-sora",
        "section": "reviews",
        "title": "Hanbit Sora Review: An Electric Sedan That Puts Range First",
        "standfirst": "Slippery and efficient, the Sora travels farther on a charge than almost "
        "anything at its price. It is less convincing as a place to spend time.",
        "days_ago": 448,
        "hour": 13,
        "authors": ["priya.raman"],
        "tags": ["first drive", "electric vehicles", "charging"],
        "makes": ["Hanbit Motors"],
        "models": [("Hanbit Motors", "Sora")],
        "image": "dawn",
        "caption": "The Sora's low roof helps its range but costs rear headroom.",
        "sources": [
            (
                "Hanbit Sora press kit",
                "https://press.hanbit-motors.example/sora/press-kit",
                False,
            ),
            ("Grid and Volt", "https://grid-and-volt.example/tests/hanbit-sora-range", False),
        ],
        "body": """
<p>Hanbit designed the Sora around one number: range. The body is low and smooth, the wheels are
small for the class and the tyres are chosen for low rolling resistance. The result is a car that
covered 610 kilometres on a single charge in our motorway test, more than rivals with bigger
batteries.</p>
<p>Charging is quick too. From 10 to 80 percent took 24 minutes on a high-power charger, and the
car held a strong rate until well past the halfway mark.</p>
<p>The cost of all that efficiency is felt inside. The low roof leaves little headroom in the
back, the cabin plastics are hard and the ride is firm at low speeds. The Sora is an excellent
tool for covering distance and a merely adequate car for everything else.</p>
""",
    },
    # --- Motorsport --------------------------------------------------------------------
    {
        "slug": "continental-touring-finale-preview",
        "section": "motorsport",
        "title": "Continental Touring Championship Goes to the Final Round With Three in "
        "Contention",
        "standfirst": "Eleven points cover the top three before two races at the Kesselring "
        "circuit. Tyre wear, not speed, may settle it.",
        "days_ago": 7,
        "hour": 15,
        "authors": ["camille.aubert"],
        "tags": ["touring cars", "racing"],
        "makes": ["Dufour"],
        "models": [],
        "image": "circuit",
        "caption": "Kesselring's long final corner is notoriously hard on front tyres.",
        "sources": [
            (
                "Pitlane Bulletin",
                "https://pitlane-bulletin.example/ctc/finale-standings",
                False,
            ),
        ],
        "body": """
<p>For the first time in six years, the Continental Touring Championship arrives at its final
weekend with three drivers still able to win the title. Léa Marchand of Dufour Racing leads by
four points from Jonas Feldt, with Tiago Mendes a further seven behind.</p>
<p>Kesselring suits Marchand's car, which has been quick on circuits with long, fast corners all
season. But it is also hard on front tyres, and Dufour struggled to make its tyres last at the
last comparable track, where Marchand faded from first to fifth in the closing laps.</p>
<p>Feldt said he would not change his approach. "You don't win a championship by driving for
points," he said. "I'll try to win both races and let the arithmetic sort itself out."</p>
<p>Mendes, who has won three of the last five races, sounded more relaxed. "Nobody expects me
to do it," he said. "That is the most comfortable position in motorsport."</p>
""",
    },
    {
        "slug": "northern-rally-cup-snow-stage",
        "section": "motorsport",
        "title": "Northern Rally Cup: A Snow Stage Rewrites the Standings",
        "standfirst": "Fresh snowfall turned the longest stage of the rally into a lottery. "
        "Emma Kallio read it best and leaves the weekend leading the series.",
        "days_ago": 58,
        "hour": 18,
        "authors": ["maren.tollefsen", "rafael.souza"],
        "tags": ["racing", "winter driving"],
        "makes": [],
        "models": [],
        "image": "winter",
        "caption": "",
        "sources": [
            (
                "Pitlane Bulletin",
                "https://pitlane-bulletin.example/rally/northern-cup-round-4",
                False,
            ),
            ("Nordic Auto News", "https://nordic-auto-news.example/rally/kallio-snow", False),
        ],
        "body": """
<p>Fifteen centimetres of snow fell overnight before the 31-kilometre forest stage that opens
the second day of the Northern Rally Cup's fourth round. By the time the leaders started, the
early cars had cut ruts that were either a gift or a trap, depending on tyre choice.</p>
<p>Emma Kallio chose the narrower studded tyre, gambling that the ruts would be deep enough to
guide the car. She was right, and set a time nearly 40 seconds faster than anyone else.
Overnight leader Aksel Rønning chose wider tyres, slid wide at a hairpin and lost more than a
minute digging his car out of a bank.</p>
<blockquote>"I listened to the gravel crew and then I listened to my stomach. My stomach was
right." - Emma Kallio</blockquote>
<p>Kallio won the rally by 52 seconds and now leads the championship by nine points, with two
rounds left.</p>
""",
    },
    {
        "slug": "electric-street-series-energy-rules",
        "section": "motorsport",
        "title": "Electric Street Series Tightens Energy Rules After a Season of Coasting",
        "standfirst": "Drivers spent too long lifting off to save energy, fans complained. Next "
        "season's rules give them more to spend and less to hide.",
        "days_ago": 168,
        "hour": 10,
        "authors": ["rafael.souza"],
        "tags": ["racing", "electric vehicles", "motorsport business"],
        "makes": [],
        "models": [],
        "image": "night",
        "caption": "",
        "sources": [
            (
                "Pitlane Bulletin",
                "https://pitlane-bulletin.example/ess/2027-technical-regulations",
                False,
            ),
            (
                "The Motor Ledger",
                "https://motor-ledger.example/2026/05/electric-street-series-rules",
                True,
            ),
        ],
        "body": """
<p>The Electric Street Series will allow cars to use about 8 percent more energy per race next
season and will publish every car's remaining energy live on the broadcast, the organisers said.
The changes follow a season in which many races became tactical processions.</p>
<p>Drivers were too often told to lift off the throttle early before braking zones, a technique
that saves energy but makes overtaking rare. In three races this year the leader at the end of
the first lap went on to win without ever being seriously challenged.</p>
<p>Series director Beatriz Nogueira said showing the energy figures would help fans understand
what they were watching. "If a driver is saving, you should see it," she said. "If a driver is
pushing, you should see that too, and know the cost."</p>
<p>Teams broadly welcomed the change, although two said that showing the data live would let
rivals read their strategy as well as the fans could.</p>
""",
    },
    {
        "slug": "kessel-24-hours-report",
        "section": "motorsport",
        "title": "Kessel 24 Hours: Ardent's Prototype Survives a Night of Rain",
        "standfirst": "A hybrid prototype on its first visit to the endurance classic finished "
        "second after a wet night that eliminated half the field.",
        "days_ago": 279,
        "hour": 20,
        "authors": ["camille.aubert"],
        "tags": ["racing", "hybrids", "motorsport business"],
        "makes": ["Ardent Automotive"],
        "models": [],
        "image": "circuit",
        "caption": "",
        "sources": [
            (
                "Pitlane Bulletin",
                "https://pitlane-bulletin.example/endurance/kessel-24-report",
                False,
            ),
        ],
        "body": """
<p>Ardent's hybrid prototype finished second at the Kessel 24 Hours on its first attempt, three
laps behind the winning car and well clear of a field that had been reduced to 19 finishers from
41 starters.</p>
<p>Rain arrived shortly after midnight and did not stop until dawn. Standing water on the back
straight caught out several leading cars, and two collisions under a safety car sent four more
to the garage. Ardent's drivers stayed on intermediate tyres longer than most and avoided every
incident.</p>
<p>Team principal Grace Holloway said the result owed more to patience than to pace. "We were not
the fastest car," she said. "We were the car that was still in one piece at nine in the morning,
and in this race that is the same thing."</p>
<p>The team now has to decide whether to enter the full endurance championship next year, which
would roughly double its budget.</p>
""",
    },
    {
        "slug": "karting-costs-next-generation",
        "section": "motorsport",
        "title": "The Cost of Karting Is Pricing Out the Next Generation",
        "standfirst": "A competitive season in a national karting series now costs more than many "
        "family homes put down as a deposit. Some clubs are trying to change that.",
        "days_ago": 366,
        "hour": 12,
        "authors": ["rafael.souza"],
        "tags": ["racing", "motorsport business"],
        "makes": [],
        "models": [],
        "image": "circuit",
        "caption": "",
        "sources": [
            (
                "Pitlane Bulletin",
                "https://pitlane-bulletin.example/features/karting-budgets",
                False,
            ),
        ],
        "body": """
<p>Almost every professional racing driver started in karting, and karting has become very
expensive. Parents and team owners we spoke to in Brazil, France and Britain put the cost of a
competitive national season between 60,000 and 150,000 euros, before travel.</p>
<p>Most of the money goes on engines, tyres and the mechanics to look after them. Top teams
replace tyres after a few sessions and rebuild engines many times a year. Families who cannot
keep up find their children lapping seconds slower regardless of talent.</p>
<p>Some clubs are pushing back with sealed-engine classes and limits on the number of tyres each
driver may use over a weekend. A club near São Paulo that introduced both rules last year says
entries have grown by half.</p>
<p>"Talent is everywhere," said its president, Marcos Vieira. "Money is not. If we only race the
children whose parents can pay, we are not finding the best drivers. We are finding the
richest."</p>
""",
    },
    {
        "slug": "touring-cars-renewable-fuel",
        "section": "motorsport",
        "title": "Touring Cars Switch to Renewable Fuel, and Lap Times Barely Notice",
        "standfirst": "After a full season on fuel made from waste, the Continental Touring "
        "Championship says its cars were within a tenth of a second of last year's pace.",
        "days_ago": 528,
        "hour": 11,
        "authors": ["camille.aubert"],
        "tags": ["touring cars", "emissions", "racing"],
        "makes": ["Dufour"],
        "models": [],
        "image": "circuit",
        "caption": "",
        "sources": [
            (
                "Pitlane Bulletin",
                "https://pitlane-bulletin.example/ctc/renewable-fuel-season-review",
                False,
            ),
        ],
        "body": """
<p>The Continental Touring Championship ran its whole season on a fuel made from agricultural
and food waste, and the series says the change made almost no difference to performance. Pole
position times at the eight circuits were, on average, within a tenth of a second of the
previous year's.</p>
<p>Engine builders needed to adjust ignition timing and fuel mapping during winter testing, and
one team had to replace seals that reacted badly to the new fuel. After that, there were no
reliability problems that engineers attributed to it.</p>
<p>The fuel costs about twice as much as conventional racing fuel. Organisers say they have
absorbed the difference for the first two seasons and are talking to suppliers about bringing
the price down as production grows.</p>
""",
    },
    # --- Policy ------------------------------------------------------------------------
    {
        "slug": "intelligent-speed-assistance-explained",
        "section": "policy",
        "title": "Intelligent Speed Assistance: What the New Rule Means for Drivers",
        "standfirst": "New cars must now warn drivers who exceed the speed limit. Here is what "
        "the systems do, what they do not do, and how to switch them off.",
        "days_ago": 24,
        "hour": 8,
        "authors": ["lucia.ferrer"],
        "tags": ["safety", "regulation", "software"],
        "makes": [],
        "models": [],
        "image": "coast",
        "caption": "",
        "sources": [
            (
                "Transport Policy Monitor",
                "https://transport-policy-monitor.example/explainers/speed-assistance",
                False,
            ),
        ],
        "body": """
<p>Every new car registered from this month must be fitted with intelligent speed assistance, a
system that reads speed-limit signs and map data and tells the driver when the car is going too
fast. The rule has been debated for years, and it is still widely misunderstood.</p>
<h2>What it does</h2>
<ul>
<li>It warns the driver, with a chime, a vibration or resistance in the accelerator pedal.</li>
<li>It does not brake the car or stop the driver from accelerating.</li>
<li>It can be switched off, but switches itself back on each time the car is started.</li>
</ul>
<p>The weak point is accuracy. Temporary limits at roadworks, variable limits on motorways and
signs hidden by vegetation all confuse the cameras. Drivers who find the warnings wrong too
often tend to switch them off, which defeats the purpose.</p>
<p>Road-safety researchers say that, even so, the systems are likely to save lives by nudging
drivers a few kilometres per hour slower on average. The difference between 50 and 55 km/h
matters a great deal to a pedestrian.</p>
""",
    },
    {
        "slug": "parts-content-rules-tariffs",
        "section": "policy",
        "title": "Parts Content Rules Could Matter More Than Headline Tariffs",
        "standfirst": "Trade negotiators talk about tariff rates. Carmakers worry more about the "
        "small print that decides which cars count as local.",
        "days_ago": 109,
        "hour": 9,
        "authors": ["lucia.ferrer", "kenji.arakawa"],
        "tags": ["trade", "tariffs", "supply chain"],
        "makes": ["Tianhe Auto", "Kaito Motor"],
        "models": [],
        "image": "night",
        "caption": "",
        "sources": [
            (
                "Industry Register",
                "https://industry-register.example/trade/rules-of-origin-explainer",
                True,
            ),
            (
                "Transport Policy Monitor",
                "https://transport-policy-monitor.example/briefs/rules-of-origin",
                False,
            ),
        ],
        "body": """
<p>When governments announce tariffs on imported cars, the headline is the percentage. For the
companies that build cars, the more important question is usually which cars count as imported
in the first place.</p>
<p>That is decided by rules of origin: thresholds for how much of a car's value must come from a
region for it to qualify for lower duties. A car assembled locally from mostly imported parts may
still be treated as foreign. A car with a locally made battery, the most expensive single
component, may clear the threshold easily.</p>
<p>"We can move a final assembly line in two years," a purchasing executive at one Asian
carmaker told us. "Moving the battery supply chain takes five, and it is where the money is."</p>
<p>Negotiators are now discussing how to count battery materials that pass through several
countries before they reach a cell factory. The answer could decide where the next generation
of battery plants is built.</p>
""",
    },
    {
        "slug": "right-to-repair-vehicle-data",
        "section": "policy",
        "title": "Independent Garages Press for Access to Vehicle Data",
        "standfirst": "Modern cars report their faults to the manufacturer first. Independent "
        "repairers say that gives franchised dealers an unfair head start.",
        "days_ago": 198,
        "hour": 15,
        "authors": ["daniel.okafor"],
        "tags": ["regulation", "software"],
        "makes": [],
        "models": [],
        "image": "dawn",
        "caption": "",
        "sources": [
            (
                "Fleet Quarterly",
                "https://fleet-quarterly.example/2026/aftermarket/data-access",
                True,
            ),
        ],
        "body": """
<p>When a modern car develops a fault, it often knows before its driver does, and it tells its
manufacturer over the mobile network. The carmaker can then contact the owner and suggest a
visit to a franchised dealer. Independent garages, which repair a large share of older cars,
say they are shut out of that loop.</p>
<p>Their trade associations want regulators to require that owners can choose to share their
car's data with any repairer they like, in the same format and at the same time as the
manufacturer receives it.</p>
<p>Carmakers argue that open access to vehicle systems raises cyber-security risks and that
they already sell repair information to independent garages. The garages reply that buying
manuals is not the same as receiving live fault reports.</p>
<p>A consultation on the issue closes in the autumn. Both sides expect a compromise involving a
secure data platform run by a third party.</p>
""",
    },
    {
        "slug": "low-emission-zones-what-counts",
        "section": "policy",
        "title": "Low-Emission Zones Spread, and Drivers Ask What Counts as Clean",
        "standfirst": "More cities now charge or ban older cars. The rules differ from one to the "
        "next, and drivers crossing borders pay the price for the confusion.",
        "days_ago": 307,
        "hour": 10,
        "authors": ["lucia.ferrer"],
        "tags": ["emissions", "regulation", "europe"],
        "makes": [],
        "models": [],
        "image": "valley",
        "caption": "",
        "sources": [
            (
                "Transport Policy Monitor",
                "https://transport-policy-monitor.example/data/low-emission-zones",
                False,
            ),
        ],
        "body": """
<p>The number of cities with low-emission zones has roughly doubled in five years. Most restrict
older diesel cars, many restrict older petrol cars, and a few now charge every vehicle that is
not fully electric. What they do not share is a common set of rules.</p>
<p>A driver crossing a border can face three different stickers, two registration systems and
fines that arrive by post months later. Some zones operate all day, others only on weekdays;
some exempt visitors for a few days a year, others do not.</p>
<p>City officials defend the variety: air quality problems differ, and so do the means of
solving them. Motoring groups are asking for at least a common classification of vehicles and a
single registration portal, so that a car's status is the same wherever it is checked.</p>
""",
    },
    {
        "slug": "over-the-air-updates-regulation",
        "section": "policy",
        "title": "Regulators Turn Their Attention to Over-the-Air Updates",
        "standfirst": "A software update can change how a car brakes, steers or charges. Safety "
        "agencies want to know about those changes before owners find out the hard way.",
        "days_ago": 397,
        "hour": 14,
        "authors": ["kenji.arakawa"],
        "tags": ["software", "regulation", "safety"],
        "makes": [],
        "models": [],
        "image": "night",
        "caption": "",
        "sources": [
            (
                "Transport Policy Monitor",
                "https://transport-policy-monitor.example/briefs/ota-oversight",
                False,
            ),
        ],
        "body": """
<p>Cars used to be approved once, before they went on sale, and then stayed largely the same for
the rest of their lives. Software updates sent over the mobile network have changed that, and
regulators are catching up.</p>
<p>Draft guidance now circulating among safety agencies would require carmakers to keep a record
of every update that affects braking, steering, driver assistance or battery management, and to
notify the approval authority before releasing any change that alters how the car meets its
approval.</p>
<p>Carmakers largely accept the principle but worry about delays. An update that fixes a bug
quickly is also a safety measure, one engineer pointed out, and a slow approval process could
leave cars on faulty software for longer.</p>
""",
    },
    {
        "slug": "purchase-subsidies-end-prices-fall",
        "section": "policy",
        "title": "As Purchase Subsidies End, Automakers Quietly Cut Prices",
        "standfirst": "Governments are withdrawing the grants that helped sell the first wave of "
        "electric cars. Manufacturers are filling part of the gap themselves.",
        "days_ago": 541,
        "hour": 9,
        "authors": ["daniel.okafor", "lucia.ferrer"],
        "tags": ["electric vehicles", "regulation", "buying advice"],
        "makes": ["Hanbit Motors", "Sorrel Electric"],
        "models": [("Hanbit Motors", "Sora"), ("Sorrel Electric", "Wren")],
        "image": "dawn",
        "caption": "",
        "sources": [
            (
                "Grid and Volt",
                "https://grid-and-volt.example/market/subsidy-phaseout-prices",
                False,
            ),
            (
                "The Motor Ledger",
                "https://motor-ledger.example/2025/05/ev-prices-after-grants",
                True,
            ),
        ],
        "body": """
<p>Several governments have ended or reduced purchase grants for electric cars this year, on the
argument that the market can now stand on its own. Early evidence suggests manufacturers are
partly proving them right by cutting prices to compensate.</p>
<p>Of the 40 electric models we tracked in four markets, 26 had their list price reduced within
three months of a grant ending, typically by between half and three quarters of the grant's
value. Hanbit cut the price of the Sora by more than the grant it replaced; Sorrel trimmed the
Wren's price and added a free home charger.</p>
<p>Sales dipped in the month after each grant ended, as buyers who had rushed to beat the
deadline left a gap. In most markets they recovered within a quarter, though not to their
previous growth rate.</p>
""",
    },
    # --- Not yet public: show the admin's draft and scheduled states --------------------
    {
        "slug": "kaito-battery-joint-venture",
        "section": "industry",
        "status": "draft",
        "title": "Inside Kaito's Battery Joint Venture",
        "standfirst": "Draft: how Kaito Motor plans to make its own cells without building a "
        "battery business from scratch.",
        "days_ago": 2,
        "hour": 9,
        "authors": ["kenji.arakawa"],
        "tags": ["batteries", "supply chain", "asia"],
        "makes": ["Kaito Motor"],
        "models": [],
        "image": "valley",
        "caption": "",
        "sources": [
            (
                "Industry Register",
                "https://industry-register.example/asia/kaito-cell-venture",
                True,
            ),
        ],
        "body": """
<p>Kaito Motor and a chemicals group are setting up a joint company to make battery cells near
Nagoya. Both partners will hold half of the shares, and the first line is due to open in 2028.</p>
<p>[Still to come: interview with the venture's chief executive, capacity figures and what the
plant means for Kaito's suppliers.]</p>
<p>Notes for the desk: confirm the investment figure with the chemicals group before we
publish.</p>
""",
    },
    {
        "slug": "velora-brezza-preview",
        "section": "reviews",
        "status": "scheduled",
        "days_ahead": 9,
        "title": "Velora Brezza Preview: The Roadster Returns",
        "standfirst": "Velora's open two-seater is back after a six-year absence, smaller and "
        "lighter than the car it replaces.",
        "days_ago": 0,
        "hour": 8,
        "authors": ["camille.aubert"],
        "tags": ["sports cars", "first drive"],
        "makes": ["Velora"],
        "models": [("Velora", "Brezza")],
        "image": "pass",
        "caption": "The Brezza's fabric roof folds in eleven seconds.",
        "sources": [
            (
                "The Gearbox Review",
                "https://the-gearbox-review.example/previews/velora-brezza",
                False,
            ),
        ],
        "body": """
<p>Velora has confirmed that the Brezza roadster will return next year, six years after the last
one was built. The new car is shorter than its predecessor and, the company says, about 150
kilograms lighter.</p>
<p>Power comes from a turbocharged four-cylinder engine rather than the previous V8, a choice
that Velora's engineers say allowed the engine to sit lower and further back in the chassis.</p>
<p>We rode in a late prototype on a closed road near the factory. First impressions: compact,
agile and pleasingly simple inside. A full drive follows when production begins.</p>
""",
    },
]
