"""Topic tagging on short wire-style stories, two or more per top-level topic.

Each story is written the way agency copy reads (title, a lead, a few sentences with the
usual attributions: officials said, told reporters, police said). The test asserts that the
expected top-level topic ranks first (its best tag, leaf or broader, outscores every other
subject's) and that nothing outside a small set of plausible secondary subjects is tagged.
These check rule behaviour; the hand-labelled articles in ``eval/dev`` measure real accuracy.
"""

from __future__ import annotations

from typing import NamedTuple

import pytest

from feedtool.tagging.base import TagText
from feedtool.tagging.topics import TopicTagger

TAGGER = TopicTagger()

ARTS = "medtop:01000000"
CRIME = "medtop:02000000"
DISASTER = "medtop:03000000"
ECONOMY = "medtop:04000000"
EDUCATION = "medtop:05000000"
ENVIRONMENT = "medtop:06000000"
HEALTH = "medtop:07000000"
HUMAN = "medtop:08000000"
LABOUR = "medtop:09000000"
LIFESTYLE = "medtop:10000000"
POLITICS = "medtop:11000000"
RELIGION = "medtop:12000000"
SCIENCE = "medtop:13000000"
SOCIETY = "medtop:14000000"
SPORT = "medtop:15000000"
CONFLICT = "medtop:16000000"
WEATHER = "medtop:17000000"


class Story(NamedTuple):
    """A short story, the top-level topic it is about, and others it may also get."""

    name: str
    title: str
    lead: str
    body: str
    first: str
    also: frozenset[str] = frozenset()


def story(name: str, title: str, lead: str, body: str, first: str, *also: str) -> Story:
    return Story(name, title, lead, body, first, frozenset(also))


STORIES = [
    # ------------------------------------------------------------------ arts and media
    story(
        "film-festival",
        "Iranian drama wins top prize at Berlin film festival",
        "An Iranian family drama won the Golden Bear at the Berlin International Film "
        "Festival on Saturday, the jury announced.",
        "The film, shot in secret in Tehran, follows three sisters caring for their ailing "
        "father. Its director dedicated the award to the cast, who could not travel to the "
        "ceremony. The jury, led by an American actress, praised its restrained performances. "
        "The festival screened more than 400 films this year.",
        ARTS,
        HUMAN,
    ),
    story(
        "museum-exhibition",
        "Museum opens first major Vermeer exhibition in decades",
        "Amsterdam's Rijksmuseum opened an exhibition of 28 paintings by Johannes Vermeer on "
        "Friday, the largest ever gathering of the Dutch master's works.",
        "Tickets for the four-month show sold out within days, the museum said. Curators spent "
        "seven years persuading galleries in New York, London and Dresden to lend their "
        "canvases. Art historians said the show would change how the painter is understood.",
        ARTS,
    ),
    story(
        "album-tour",
        "Singer announces world tour after chart-topping album",
        "The British singer will play 60 concerts across Europe and North America next year, "
        "her record label said on Tuesday, after her third album went straight to number one.",
        "The album, recorded in Los Angeles, topped the charts in 14 countries in its first "
        "week. Fans queued overnight for tickets, which go on sale on Friday. The band will "
        "open the tour at Wembley Stadium in June.",
        ARTS,
    ),
    story(
        "broadcaster-closed",
        "Government shuts down independent television channel",
        "Authorities revoked the licence of the country's last independent television channel "
        "on Monday, accusing it of broadcasting false news.",
        "Journalists at the station said police sealed the newsroom and seized equipment. "
        "Press freedom groups condemned the closure as an attack on independent media. "
        "The channel's editor-in-chief said it would continue broadcasting online.",
        ARTS,
        POLITICS,
        SOCIETY,
        CRIME,
    ),
    # ------------------------------------------------------------------ crime, law, justice
    story(
        "murder-trial",
        "Man found guilty of murdering neighbour",
        "A jury found a 45-year-old man guilty on Thursday of murdering his neighbour after a "
        "long-running dispute over a parking space.",
        "The court heard that he stabbed the victim 14 times outside his home in March last "
        "year. The judge said he would be sentenced next month and warned him to expect a "
        "life sentence. Prosecutors said the killing was premeditated.",
        CRIME,
    ),
    story(
        "fraud-arrests",
        "Police arrest 12 in online investment fraud",
        "Police arrested 12 people on Wednesday suspected of running an online investment "
        "scam that cheated thousands of savers out of 30 million euros.",
        "Officers raided addresses in three cities and seized cash, cars and computers, police "
        "said in a statement. The suspects are accused of promising returns of 20 percent a "
        "month. They will appear in court on Friday charged with fraud and money laundering.",
        CRIME,
        ECONOMY,
    ),
    # ------------------------------------------------------------------ disaster, accident
    story(
        "train-derailment",
        "Passenger train derails, killing at least 15",
        "At least 15 people were killed and dozens injured when a passenger train derailed "
        "in the north of the country early on Sunday, officials said.",
        "Rescue workers used cutting equipment to free passengers trapped in overturned "
        "carriages. The railway company said the cause was not yet known, and investigators "
        "were examining the track. Hospitals in the area appealed for blood donors.",
        DISASTER,
        ECONOMY,
        HEALTH,
    ),
    story(
        "wildfire-evacuation",
        "Thousands evacuated as wildfire spreads on Greek island",
        "Thousands of residents and tourists were evacuated on Tuesday as a wildfire fanned by "
        "strong winds spread across the island of Rhodes.",
        "Firefighters backed by water-dropping planes battled the blaze through the night, "
        "the fire service said. Several villages and hotels were destroyed. The civil "
        "protection minister said the situation remained difficult and more evacuations "
        "could follow.",
        DISASTER,
        WEATHER,
        LIFESTYLE,
    ),
    # ------------------------------------------------------------------ economy
    story(
        "quarterly-profit",
        "Carmaker's profit jumps on strong demand for electric models",
        "The carmaker reported a 35 percent rise in third-quarter net profit on Thursday, "
        "beating analysts' expectations as sales of its electric vehicles doubled.",
        "Revenue rose to 42 billion euros, the company said. Its shares rose 6 percent in "
        "Frankfurt trading. The chief executive said the group would raise its full-year "
        "forecast and invest a further 5 billion euros in battery plants.",
        ECONOMY,
    ),
    story(
        "inflation-figures",
        "Inflation slows for third month as fuel prices fall",
        "Annual consumer price inflation eased to 3.2 percent in October from 3.7 percent "
        "in September, the statistics office said on Wednesday.",
        "Economists had expected a reading of 3.4 percent. Lower petrol and heating costs "
        "offset higher food prices. The figures strengthen the case for the central bank to "
        "hold interest rates at its next meeting, analysts said.",
        ECONOMY,
    ),
    # ------------------------------------------------------------------ education
    story(
        "exam-results",
        "Record number of pupils achieve top grades in exams",
        "A record number of secondary school pupils achieved top grades in this year's final "
        "exams, the education ministry said on Thursday.",
        "More than 21 percent of entries were awarded the highest grade, up from 18 percent "
        "last year. Head teachers welcomed the results but warned that schools in poorer "
        "areas were falling behind. Students will receive their university offers next week.",
        EDUCATION,
    ),
    story(
        "tuition-fees",
        "Universities to raise tuition fees for first time in a decade",
        "Universities will be allowed to raise annual tuition fees by 5 percent from next "
        "year, the government said on Monday, the first increase since 2017.",
        "University leaders said the rise would not cover the cost of teaching, while student "
        "groups said it would deter young people from poorer families from applying. The "
        "minister for higher education said grants for living costs would also rise.",
        EDUCATION,
        POLITICS,
        ECONOMY,
    ),
    # ------------------------------------------------------------------ environment
    story(
        "river-pollution",
        "Sewage discharges into rivers rose last year, regulator says",
        "Water companies discharged raw sewage into rivers and coastal waters more than "
        "400,000 times last year, the environment regulator said on Friday.",
        "Campaigners said the figures showed a failure to invest in ageing pipes. Pollution "
        "has been blamed for algae blooms that kill fish and threaten wildlife. The regulator "
        "said it would seek tougher fines for companies that break their permits.",
        ENVIRONMENT,
        ECONOMY,
    ),
    story(
        "endangered-turtles",
        "Conservationists hail rise in endangered turtle nests",
        "The number of loggerhead turtle nests on the country's beaches has doubled in five "
        "years, conservationists said on Tuesday, a sign that protection efforts are working.",
        "Volunteers patrol the beaches each night during the nesting season to keep "
        "predators and tourists away. The species remains endangered because of fishing nets, "
        "plastic waste and the loss of its habitat to development, the group said.",
        ENVIRONMENT,
        SCIENCE,
    ),
    story(
        "emissions-target",
        "Country pledges to cut emissions by half by 2035",
        "The government pledged on Wednesday to cut greenhouse gas emissions by 50 percent by "
        "2035, ahead of the United Nations climate summit.",
        "The plan includes phasing out coal power by 2030 and tripling solar and wind "
        "capacity. Environmental groups welcomed the target but said it relied on carbon "
        "capture technology that is unproven at scale.",
        ENVIRONMENT,
        POLITICS,
        ECONOMY,
    ),
    # ------------------------------------------------------------------ health
    story(
        "vaccine-approval",
        "Regulator approves first vaccine against dengue for children",
        "The medicines regulator approved a dengue vaccine for children aged four and over on "
        "Monday, after trials showed it cut hospital admissions by 80 percent.",
        "Dengue, spread by mosquitoes, infects around 100 million people a year. Doctors said "
        "the vaccine would ease pressure on hospitals during the rainy season. The health "
        "ministry plans to offer it first in the worst-affected regions.",
        HEALTH,
        SCIENCE,
    ),
    story(
        "hospital-waiting",
        "Hospital waiting lists reach record high",
        "The number of patients waiting for routine hospital treatment rose to 7.8 million "
        "in August, the highest since records began, health service figures showed.",
        "Nurses and doctors said staff shortages meant operations were being cancelled. "
        "Patients with suspected cancer waited longer than the target of two weeks to see a "
        "specialist. The health secretary said more funding was on its way.",
        HEALTH,
        POLITICS,
    ),
    # ------------------------------------------------------------------ human interest
    story(
        "birthday-110",
        "Great-grandmother celebrates 110th birthday with party at care home",
        "A great-grandmother celebrated her 110th birthday on Sunday with cake, music and "
        "a card from the king, becoming one of the oldest people in the country.",
        "Born in 1914, she has seven children, 19 grandchildren and 31 great-grandchildren. "
        "Asked the secret of her long life, she said: 'Hard work, a glass of sherry and never "
        "holding a grudge.' Staff at the home said she still does the crossword every day.",
        HUMAN,
        SOCIETY,
    ),
    story(
        "lost-cat",
        "Cat found 2,000 km from home after hitching ride in lorry",
        "A cat that went missing from its home in Scotland has been found more than 2,000 "
        "kilometres away in Spain, after apparently climbing into a lorry.",
        "The tabby was identified by its microchip at an animal shelter near Valencia. Its "
        "owners said they had given up hope of seeing him again. A charity arranged for the "
        "pet to be flown home, where he was greeted by the family's children.",
        HUMAN,
        SOCIETY,
    ),
    # ------------------------------------------------------------------ labour
    story(
        "dock-strike",
        "Dock workers strike over pay, halting container traffic",
        "Thousands of dock workers walked out on Monday in a dispute over pay, halting "
        "container traffic at the country's two largest ports.",
        "The union said its members had rejected a 4 percent pay offer as inflation ran at "
        "9 percent. Employers said the strike would cost the economy millions a day. Talks "
        "between the two sides broke down last week.",
        LABOUR,
        ECONOMY,
    ),
    story(
        "unemployment-falls",
        "Unemployment falls to lowest level since 2008",
        "The unemployment rate fell to 5.1 percent in the second quarter, the lowest since "
        "2008, as employers hired more staff in construction and services.",
        "The number of people in work rose by 120,000, the labour ministry said. Youth "
        "unemployment also fell, though it remains above 15 percent. Wage growth slowed to "
        "3 percent.",
        LABOUR,
        ECONOMY,
    ),
    # ------------------------------------------------------------------ lifestyle and leisure
    story(
        "tourism-record",
        "Record summer for tourism as visitors return to coast",
        "Seaside resorts welcomed a record 14 million visitors this summer, tourism officials "
        "said on Monday, as holidaymakers returned after years of travel restrictions.",
        "Hotels reported occupancy above 90 percent in August, and campsites were fully "
        "booked. Beaches, boat trips and local restaurants were the main attractions. "
        "Operators expect the holiday season to extend into October.",
        LIFESTYLE,
        ECONOMY,
    ),
    story(
        "food-festival",
        "Street food festival draws crowds to old town",
        "More than 50,000 people visited a three-day street food festival in the old town "
        "over the weekend, organisers said.",
        "Chefs from 30 countries cooked dishes ranging from Korean dumplings to Mexican "
        "tacos. Visitors queued for an hour at some stalls. Local bakeries and wine makers "
        "also took part, and cooking classes were held for children.",
        LIFESTYLE,
    ),
    # ------------------------------------------------------------------ politics
    story(
        "budget-vote",
        "Parliament approves budget after marathon debate",
        "Parliament approved the government's budget for next year late on Tuesday after a "
        "14-hour debate, with 212 lawmakers voting in favour and 180 against.",
        "The budget raises defence spending and cuts taxes for small businesses. Opposition "
        "parties said it did too little for pensioners. The finance minister said the bill "
        "would bring the deficit below 3 percent of output.",
        POLITICS,
        ECONOMY,
    ),
    story(
        "election-result",
        "Opposition wins snap election, ending 12 years of rule",
        "The opposition party won Sunday's snap general election, official results showed, "
        "ending the governing party's 12 years in power.",
        "The party took 41 percent of the vote and will need a coalition partner to form a "
        "government. Turnout was 68 percent. The outgoing prime minister conceded defeat in "
        "a speech to supporters and congratulated his rival.",
        POLITICS,
    ),
    story(
        "state-control",
        "Government takes control of country's largest bank",
        "The government took control of the country's largest private bank on Friday, "
        "appointing a state administrator and dismissing its board, the president's office "
        "said.",
        "The decree follows months of pressure on the bank's owners, who are critics of the "
        "ruling party. Opposition lawmakers called the move a seizure of private property. "
        "The bank's shares were suspended.",
        POLITICS,
        ECONOMY,
    ),
    # ------------------------------------------------------------------ religion
    story(
        "hajj",
        "Nearly two million pilgrims begin haj in Saudi heat",
        "Nearly two million Muslim pilgrims began the annual haj on Wednesday, performing the "
        "first rites in Mecca as temperatures reached 45 degrees Celsius.",
        "Pilgrims circled the Kaaba before travelling to Mina, where they will spend the "
        "night in tents. Saudi authorities deployed thousands of medical staff to treat "
        "heatstroke. The pilgrimage is one of the five pillars of Islam.",
        RELIGION,
        WEATHER,
        HEALTH,
    ),
    story(
        "church-synod",
        "Church of England bishops back blessings for same-sex couples",
        "Bishops of the Church of England voted on Thursday to allow priests to bless "
        "same-sex couples in church services, but not to marry them.",
        "The Archbishop of Canterbury said the decision was a step towards welcoming all "
        "believers. Conservative clergy warned it would split the worldwide Anglican "
        "communion. The General Synod will debate the proposals next month.",
        RELIGION,
        SOCIETY,
    ),
    # ------------------------------------------------------------------ science
    story(
        "mars-probe",
        "NASA probe finds signs of ancient lake on Mars",
        "NASA's Perseverance rover has found rocks that formed at the bottom of an ancient "
        "lake on Mars, scientists said on Thursday.",
        "The findings, published in the journal Science, strengthen the case that the planet "
        "once had conditions suitable for life. Researchers will study the samples when they "
        "are returned to Earth in the 2030s.",
        SCIENCE,
    ),
    story(
        "dinosaur-fossil",
        "Researchers identify new species of dinosaur in Argentina",
        "Palaeontologists have identified a new species of long-necked dinosaur from fossils "
        "found in Patagonia, according to a study published on Wednesday.",
        "The animal, which lived about 90 million years ago, measured up to 30 metres long, "
        "the researchers said. The team from the University of Buenos Aires spent four years "
        "excavating the bones.",
        SCIENCE,
    ),
    # ------------------------------------------------------------------ society
    story(
        "homelessness",
        "Number of families in temporary housing hits record",
        "A record 110,000 families were living in temporary accommodation at the end of June, "
        "government figures showed, as rents rose faster than wages.",
        "Charities said the figures showed a deepening housing crisis and called for more "
        "social homes to be built. More than 140,000 children were among those without a "
        "permanent home.",
        SOCIETY,
        POLITICS,
        LABOUR,
        ECONOMY,
    ),
    story(
        "same-sex-weddings",
        "First same-sex couples marry as new law takes effect",
        "Dozens of same-sex couples married on Monday, the first day a law allowing gay "
        "marriage took effect, in ceremonies at town halls across the country.",
        "Rights groups called it a historic day for equality. Two women who have been together "
        "for 30 years were the first to wed in the capital, watched by friends and family. "
        "Religious conservatives had campaigned against the change.",
        SOCIETY,
        HUMAN,
        RELIGION,
        POLITICS,
        CRIME,
    ),
    # ------------------------------------------------------------------ sport
    story(
        "tennis-final",
        "Alcaraz beats Djokovic to win Wimbledon title",
        "Carlos Alcaraz beat Novak Djokovic in five sets on Sunday to win his first "
        "Wimbledon title.",
        "The 20-year-old Spaniard came back from a set down and broke serve in the final "
        "set. Djokovic, the seven-time champion, had won 34 consecutive matches on Centre "
        "Court. Alcaraz said it was a dream come true.",
        SPORT,
    ),
    story(
        "cricket-test",
        "England collapse as Australia take 2-0 lead in Ashes",
        "Australia took a 2-0 lead in the Ashes series on Sunday after England were bowled "
        "out for 180 on the final day of the second Test at Lord's.",
        "Fast bowler Pat Cummins took five wickets as England lost their last seven wickets "
        "for 42 runs. The third Test starts in Leeds on Thursday.",
        SPORT,
    ),
    story(
        "football-transfer",
        "Striker joins Madrid in record transfer",
        "Real Madrid signed the French striker on Monday for a fee of 120 million euros, a "
        "club record, on a six-year contract.",
        "The 24-year-old scored 40 goals last season. He will wear the number nine shirt and "
        "could make his debut in the league opener against Valencia.",
        SPORT,
    ),
    # ------------------------------------------------------------------ conflict
    story(
        "airstrikes",
        "Airstrikes kill dozens in rebel-held city",
        "Airstrikes on a rebel-held city killed at least 40 people on Saturday, including "
        "children, a monitoring group said.",
        "Government forces have stepped up their offensive to retake the city, shelling "
        "residential areas. Aid agencies said hospitals were overwhelmed with wounded.",
        CONFLICT,
        HEALTH,
        DISASTER,
        POLITICS,
    ),
    story(
        "ceasefire-talks",
        "Warring sides agree ceasefire after talks in Qatar",
        "The government and rebel forces agreed a ceasefire on Tuesday after a week of talks "
        "mediated by Qatar, both sides said.",
        "The truce is due to take effect at midnight and will be monitored by African Union "
        "observers. The war has killed tens of thousands of people since 2020. Previous "
        "ceasefires collapsed within days.",
        CONFLICT,
        POLITICS,
    ),
    # ------------------------------------------------------------------ weather
    story(
        "heatwave",
        "Heatwave to bring temperatures of 40C this weekend",
        "Temperatures are forecast to reach 40 degrees Celsius in parts of the south this "
        "weekend as a heatwave moves north from Africa, the national weather service said.",
        "Forecasters issued an amber warning for heat and urged people to drink water and "
        "stay indoors in the afternoon. Cooler air and thunderstorms are expected on Monday.",
        WEATHER,
        HEALTH,
    ),
    story(
        "snowstorm",
        "Heavy snow and strong winds expected across the north",
        "Up to 30 centimetres of snow is expected to fall across the north on Thursday, with "
        "gusts of up to 100 km/h, meteorologists said.",
        "The weather service issued a warning for blizzard conditions on high ground and "
        "advised drivers to avoid travel. Rain will turn to sleet further south, and "
        "temperatures will stay below freezing for the rest of the week.",
        WEATHER,
    ),
]

# Stories in the words of the narrower topics (drawn from IPTC's labels and definitions),
# and traps where a word of one topic appears in another topic's story.
MORE_STORIES = [
    story(
        "streaming-drama",
        "Netflix renews hit drama for a third season",
        "Netflix has renewed its Korean thriller for a third season after it became the "
        "streaming service's most-watched non-English series, the company said.",
        "The show's creator said scripts were already being written and filming would begin "
        "in Seoul next spring. Its two leading actors won Emmy awards last month.",
        ARTS,
        ECONOMY,
    ),
    story(
        "newspaper-closes",
        "Country's oldest newspaper to stop printing after 180 years",
        "The country's oldest daily newspaper will publish its last print edition on "
        "Sunday and move online, its publisher said, blaming falling circulation and "
        "advertising revenue.",
        "About 60 journalists will lose their jobs. The editor said the newsroom would keep "
        "its investigative reporting and local coverage on the website.",
        ARTS,
        ECONOMY,
        LABOUR,
    ),
    story(
        "cocaine-extradition",
        "Alleged drug lord extradited to United States",
        "Colombia extradited an alleged drug lord to the United States on Thursday to face "
        "charges of smuggling tonnes of cocaine, the attorney general's office said.",
        "He was arrested last year in a raid by police and soldiers in the jungle. US "
        "prosecutors accuse his cartel of shipping cocaine through Central America.",
        CRIME,
        POLITICS,
    ),
    story(
        "mine-collapse",
        "Rescuers search for 20 miners trapped after mine collapse",
        "Rescuers were searching on Wednesday for 20 miners trapped underground after part "
        "of a coal mine collapsed in the south of the country, officials said.",
        "Four bodies have been recovered. Rescue teams were drilling a shaft to send food and "
        "oxygen to the men, the mining company said. A gas explosion was the likely cause.",
        DISASTER,
        ECONOMY,
        LABOUR,
    ),
    story(
        "mortgage-rates",
        "House prices fall as mortgage rates climb",
        "House prices fell 1.8 percent in the year to March, the biggest annual drop since "
        "2009, as higher mortgage rates squeezed buyers, a lender said on Friday.",
        "Banks have raised the cost of home loans after the central bank's rate rises. "
        "Estate agents reported fewer sales, while rents continued to climb.",
        ECONOMY,
    ),
    story(
        "apprenticeships",
        "Apprenticeship numbers rise as firms turn to vocational training",
        "The number of young people starting apprenticeships rose by 12 percent this year, "
        "as employers invested in vocational training to fill skills gaps, figures showed.",
        "Technical colleges reported record enrolment on engineering courses. The skills "
        "minister said vocational routes were as valuable as a university degree.",
        EDUCATION,
        LABOUR,
    ),
    story(
        "plastic-recycling",
        "Supermarkets to ban single-use plastic bags",
        "Supermarkets will stop selling single-use plastic bags from January, the "
        "environment minister said, as part of a plan to cut plastic waste.",
        "Only a tenth of plastic packaging is recycled, and much of the rest ends up in "
        "landfill or the sea, environmental groups said. Recycling bins will be installed "
        "in every store.",
        ENVIRONMENT,
        ECONOMY,
        POLITICS,
    ),
    story(
        "leopard-sighting",
        "Rare leopard caught on camera in mountain reserve",
        "A rare Persian leopard has been filmed by a camera trap in a mountain reserve, "
        "the first sighting of the big cat in the area for a decade, rangers said.",
        "The footage shows the animal hunting at night. Conservationists said the sighting "
        "showed that protection of the species' habitat was paying off.",
        ENVIRONMENT,
        HUMAN,
    ),
    story(
        "junior-doctors",
        "Junior doctors walk out in row over pay",
        "Thousands of junior doctors began a four-day strike on Tuesday in a dispute over "
        "pay, forcing hospitals to cancel operations and appointments.",
        "The doctors' union said pay had fallen by a quarter in real terms in 15 years. "
        "Hospital bosses said emergency care would continue.",
        LABOUR,
        HEALTH,
    ),
    story(
        "cancer-trial",
        "Experimental drug halves risk of breast cancer returning",
        "An experimental drug halved the risk of breast cancer returning in women treated "
        "after surgery, according to the results of a clinical trial published on Sunday.",
        "The trial followed 5,000 patients at 300 hospitals for five years. Doctors said the "
        "treatment could be offered within two years if regulators approve it.",
        HEALTH,
        SCIENCE,
        ECONOMY,
    ),
    story(
        "pension-reform",
        "Unions call strike against plan to raise pension age",
        "Trade unions called a nationwide strike for next Thursday against the government's "
        "plan to raise the retirement age from 62 to 64.",
        "Union leaders said workers would not accept working longer. The labour minister "
        "said the pension system would run a deficit without the reform.",
        LABOUR,
        POLITICS,
    ),
    story(
        "lottery-jackpot",
        "Single ticket wins record 200 million euro jackpot",
        "A single ticket-holder in Portugal has won a record 200 million euro jackpot in "
        "Friday's EuroMillions draw, the lottery operator said.",
        "The winner has not yet come forward. The previous record jackpot was 190 million euros.",
        LIFESTYLE,
        HUMAN,
        ECONOMY,
    ),
    story(
        "video-games",
        "Video game sales hit record as gamers stay home",
        "Sales of video games and consoles rose to a record 180 billion dollars last year, "
        "an industry report said on Tuesday.",
        "Mobile gaming made up half of the total. Publishers said players were spending "
        "more time on online multiplayer games with friends.",
        LIFESTYLE,
        ECONOMY,
    ),
    story(
        "nationalisation",
        "Government nationalises steel company after owner walks away",
        "The government nationalised the country's last steel company on Saturday, "
        "taking it under state control after its foreign owner threatened to close it.",
        "Parliament passed emergency legislation to allow the takeover. The business "
        "minister said keeping the blast furnaces running was a matter of national interest.",
        POLITICS,
        ECONOMY,
        CRIME,
    ),
    story(
        "local-elections",
        "Ruling party loses control of capital in local elections",
        "The ruling party lost control of the capital's city council in local elections on "
        "Sunday, results showed, in a blow to the prime minister.",
        "Opposition candidates won 34 of the 60 seats. The new mayor promised cheaper "
        "public transport and more housing.",
        POLITICS,
    ),
    story(
        "ramadan",
        "Muslims begin Ramadan fast amid high food prices",
        "Muslims across the Middle East began the holy month of Ramadan on Monday, fasting "
        "from dawn to dusk, as high food prices strained household budgets.",
        "Mosques prepared evening meals for the poor, and the faithful gathered for prayers. "
        "The month ends with the Eid al-Fitr holiday.",
        RELIGION,
        ECONOMY,
        LIFESTYLE,
        SOCIETY,
    ),
    story(
        "maths-prize",
        "Mathematician wins Fields Medal for work on prime numbers",
        "A mathematician at Princeton has won the Fields Medal, the highest honour in "
        "mathematics, for work on the distribution of prime numbers.",
        "The prize, awarded every four years to mathematicians under 40, was presented at "
        "the International Congress of Mathematicians in Helsinki.",
        SCIENCE,
        HUMAN,
        EDUCATION,
    ),
    story(
        "suicide-prevention",
        "Suicide rate among young men rises, report finds",
        "The suicide rate among men aged under 25 rose by a fifth in five years, a report "
        "said on Wednesday, prompting calls for better support.",
        "Charities said many young people waited months for help. The government announced "
        "funding for a suicide prevention helpline.",
        SOCIETY,
        HEALTH,
        POLITICS,
    ),
    story(
        "birth-rate",
        "Birth rate falls to record low as population ages",
        "The fertility rate fell to 1.2 children per woman last year, the lowest ever "
        "recorded, the national statistics office said, deepening concern about an "
        "ageing population.",
        "The census also showed the number of people over 65 rising fastest. Economists "
        "warned of labour shortages and pressure on pensions.",
        SOCIETY,
        ECONOMY,
        LABOUR,
    ),
    story(
        "doping-ban",
        "Sprinter banned for four years after failed drug test",
        "An Olympic sprinter has been banned for four years after testing positive for a "
        "banned substance, the Athletics Integrity Unit said.",
        "The 27-year-old will miss the next Olympics. His lawyer said he would appeal to the "
        "Court of Arbitration for Sport.",
        SPORT,
        CRIME,
    ),
    story(
        "formula-one",
        "Verstappen takes pole for Monaco Grand Prix",
        "Max Verstappen took pole position for the Monaco Grand Prix on Saturday, edging "
        "his team mate by a tenth of a second in qualifying.",
        "Overtaking is almost impossible on the narrow streets, making pole crucial. The "
        "Dutchman leads the championship by 40 points.",
        SPORT,
    ),
    story(
        "drone-strikes",
        "Drone strikes hit power plants as offensive widens",
        "Drone strikes hit two power plants and a fuel depot overnight, cutting electricity "
        "to thousands of homes, the military said on Sunday.",
        "The attacks came as troops pushed forward on the eastern front line. Air defence "
        "units shot down 30 drones, the air force said.",
        CONFLICT,
        POLITICS,
        ECONOMY,
        DISASTER,
    ),
    story(
        "cyberattack",
        "State-sponsored hackers behind attack on power grid, officials say",
        "A cyberattack that cut power to 200,000 homes was carried out by state-sponsored "
        "hackers, security officials said on Tuesday.",
        "The hackers broke into the grid operator's control systems weeks before the attack. "
        "The government summoned the ambassador of the country it blamed.",
        CONFLICT,
        POLITICS,
        SCIENCE,
        ECONOMY,
        CRIME,
    ),
    story(
        "hottest-year",
        "Last year was the hottest on record, weather agency says",
        "Last year was the hottest year since records began, with the average temperature "
        "1.4 degrees above the pre-industrial level, the meteorological agency said.",
        "Every month from June to December set a new record. Heatwaves, drought and heavy "
        "rainfall hit several regions.",
        WEATHER,
        ENVIRONMENT,
        DISASTER,
    ),
    story(
        "tropical-storm",
        "Tropical storm expected to strengthen before landfall",
        "A tropical storm in the Gulf is expected to strengthen into a hurricane before "
        "making landfall on Thursday, forecasters said.",
        "Up to 30 centimetres of rain could fall and winds of 150 km/h are possible. "
        "Residents of low-lying areas were told to prepare to leave.",
        WEATHER,
        DISASTER,
    ),
    # Traps: one topic's word used in another topic's story.
    story(
        "trap-suicide-bomber",
        "Suicide bomber kills 12 at checkpoint",
        "A suicide bomber blew himself up at a police checkpoint on Friday, killing 12 "
        "people, officials said. No group claimed the attack.",
        "Militants have carried out a series of suicide attacks in the region this year.",
        CONFLICT,
        CRIME,
        DISASTER,
    ),
    story(
        "trap-west-bank",
        "Settlers and Palestinians clash in the West Bank",
        "Israeli settlers and Palestinians clashed near a village in the occupied West Bank "
        "on Saturday, and troops fired tear gas to disperse them, witnesses said.",
        "Violence in the West Bank has risen this year.",
        CONFLICT,
        POLITICS,
    ),
    story(
        "trap-record-profits",
        "Oil major reports record profits",
        "The oil company reported record profits of 28 billion dollars for the year on "
        "Thursday, helped by high gas prices, and raised its dividend.",
        "Its shares rose 3 percent. Campaigners called for a windfall tax.",
        ECONOMY,
        POLITICS,
    ),
    story(
        "trap-single-market",
        "Ministers discuss single market rules for services",
        "European ministers discussed changes to single market rules for services at a "
        "meeting in Brussels on Monday.",
        "Diplomats said a deal on the rules for cross-border services was unlikely before "
        "the summer.",
        POLITICS,
        ECONOMY,
    ),
    story(
        "trap-media-attribution",
        "President dies aged 80 after long illness, state media report",
        "The country's president has died at the age of 80 after a long illness, state "
        "media reported on Monday, quoting a statement from the presidency.",
        "French newspaper Le Monde had reported his death on Sunday, citing a source close to "
        "the family, and AFP reported that the government had called an emergency cabinet "
        "meeting. The speaker of parliament will serve as interim head of state until an "
        "election is held within 90 days, according to the constitution.",
        POLITICS,
        HUMAN,
        HEALTH,
    ),
    story(
        "trap-pitch-invasion",
        "Pitch invasion halts cup final as fans storm the field",
        "The cup final was halted for 20 minutes on Saturday after hundreds of fans ran onto "
        "the pitch in the 85th minute, with the home side leading 2-1.",
        "The referee took the players off the field while stewards cleared the pitch. The "
        "football association said it would investigate the pitch invasion.",
        SPORT,
        CRIME,
    ),
    story(
        "trap-prisoner-exchange",
        "Warring sides swap prisoners of war",
        "Russia and Ukraine exchanged 200 prisoners of war on Wednesday in a deal brokered "
        "by the United Arab Emirates, both sides said.",
        "Families of the soldiers waited at the border. It was the largest swap since the "
        "war began.",
        CONFLICT,
        POLITICS,
    ),
]


def _tops(s: Story) -> list[str]:
    """The article's top-level topics, in the order their best tag ranks."""
    tags = TAGGER.tag(TagText(s.title, None, s.lead, s.body))
    out: list[str] = []
    for tag in tags:  # by score, highest first
        top = (tag.id, *TAGGER.ancestors(tag.id))[-1]
        if top not in out:
            out.append(top)
    return out


def test_every_top_level_topic_has_two_stories() -> None:
    firsts = [s.first for s in STORIES]
    assert {f"medtop:{n:02d}000000" for n in range(1, 18)} == set(firsts)
    assert all(firsts.count(t) >= 2 for t in set(firsts))
    names = [s.name for s in STORIES + MORE_STORIES]
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("s", STORIES + MORE_STORIES, ids=[s.name for s in STORIES + MORE_STORIES])
def test_story_ranks_its_subject_first_and_nothing_unrelated(s: Story) -> None:
    found = _tops(s)
    assert found, "no topic"
    assert found[0] == s.first, found
    unrelated = set(found) - {s.first} - s.also
    assert not unrelated, found


# Headline and lead only, as short wire items arrive; each was once ranked under the
# wrong subject by a word of another topic (killing, workers, factory, Amazon, army,
# mayor, world record, police said, hackers) or by no topic at all.
HEADLINES = [
    (
        "Bus plunges into ravine, killing 25",
        "A bus carrying pilgrims plunged into a ravine in the mountains, killing at least 25 "
        "people, police said.",
        DISASTER,
    ),
    (
        "Factory fire kills 12 workers",
        "A fire tore through a garment factory on the outskirts of the city, killing 12 workers "
        "who were trapped inside.",
        DISASTER,
    ),
    (
        "Amazon fires hit 15-year high",
        "Fires in the Amazon rainforest rose to the highest level in 15 years, satellite data "
        "showed, as farmers cleared land for cattle.",
        ENVIRONMENT,
    ),
    (
        "Rebels shoot down army helicopter",
        "Rebels shot down an army helicopter in the north, killing all eight soldiers on board, "
        "the military said.",
        CONFLICT,
    ),
    (
        "Court jails former mayor for bribery",
        "A former mayor was jailed for six years on Tuesday for taking bribes in exchange for "
        "building contracts.",
        CRIME,
    ),
    (
        "Kenyan runner breaks marathon world record",
        "Kelvin Kiptum broke the marathon world record in Chicago on Sunday, finishing in 2 hours "
        "and 35 seconds.",
        SPORT,
    ),
    (
        "Hackers steal data of 10 million customers",
        "Hackers stole the personal data of 10 million customers of a telecom company, and "
        "police have opened an investigation.",
        CRIME,
    ),
    (
        "Twins separated at birth meet for first time after 60 years",
        "Twin sisters who were separated at birth and adopted by different families met for the "
        "first time at the age of 60.",
        HUMAN,
    ),
    (
        "Runaway kangaroo captured after week on the loose",
        "A kangaroo that escaped from a farm and hopped around a town for a week has finally "
        "been caught, police said.",
        HUMAN,
    ),
]


@pytest.mark.parametrize(("title", "lead", "first"), HEADLINES, ids=[h[0] for h in HEADLINES])
def test_headline_ranks_its_subject_first(title: str, lead: str, first: str) -> None:
    found = _tops(Story(title, title, lead, "", first, frozenset()))
    assert found[:1] == [first], found
