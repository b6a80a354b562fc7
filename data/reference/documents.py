"""The documents the reference tables and the commodity declarations cite, each with what it says."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """One cited document: who published it, its title, where it was read and the words relied on."""

    publisher: str
    title: str
    url: str
    says: str
    # False for a standard reference cited for a fact it states that was not re-read here (no network): the
    # declarations rely on it, /methodology can say so.
    read: bool = True


# Only documents actually read are listed, quoted as read. A USDA attaché report names each country's
# marketing year in its first pages; the ICO documents list the countries the ICO counts as exporting ones.
SOURCES = {
    "gain-br2021-0020": Source(
        "USDA FAS", "Brazil: Coffee Annual, attaché report (GAIN) BR2021-0020, 2021",
        "https://www.fas.usda.gov/data/brazil-coffee-annual-6",
        "forecasts the Brazilian coffee production for Marketing Year (MY) 2021/22 (July-June)"),
    "gain-vn1038": Source(
        "USDA FAS", "Vietnam: Coffee Annual 2011, attaché report (GAIN) VN1038, 25 May 2011",
        "http://www.globaltrade.net/international-trade-import-exports/f/market-research/PDF/Vietnam/"
        "Processing-of-Food-and-Agricultural-Products-2011-Coffee-Annual.html",
        "Production: Marketing Year (MY) 2010/11 (Oct-Sep)"),
    "gain-et-2020": Source(
        "USDA FAS", "Ethiopia: Coffee Annual, attaché report (GAIN), 2020",
        "https://www.fas.usda.gov/data/ethiopia-coffee-annual-5",
        "Ethiopia's coffee production for MY20/21 (Oct-Sep) is forecast to be 7.5 million 60-kilogram bags"),
    "gain-ho-2014": Source(
        "USDA FAS", "Honduras: Coffee Annual, attaché report (GAIN), June 2014",
        "https://www.agrochart.com/en/news/3684/honduras-coffee-annual-jun-2014.html",
        "Honduran coffee production in marketing year (MY) 2014/15 (Oct 2014-Sept 2015)"),
    "gain-in-2020": Source(
        "USDA FAS", "India: Coffee Annual, attaché report (GAIN), 2020",
        "https://fas.usda.gov/data/india-coffee-annual-4",
        "FAS Mumbai estimates marketing year (MY) 2020/21 coffee crop (Oct/Sep)"),
    "gain-mx2021-0027": Source(
        "USDA FAS", "Mexico: Coffee Annual, attaché report (GAIN) MX2021-0027, 15 May 2021",
        "https://docslib.org/doc/7436846/coffee-annual",
        "for marketing year (MY) 2021/22 (October-September)"),
    "gain-gt2019005": Source(
        "USDA FAS", "Guatemala: Coffee Annual, attaché report (GAIN) GT2019005, 15 May 2019",
        "https://fdocuments.net/document/this-report-contains-assessments-of-commodity-and-5152019-farmer-alejandro.html",
        "Coffee production for Marketing Year (MY) 2020 (Oct. 2019-Sept. 2020)"),
    "gain-pe-2014": Source(
        "USDA FAS", "Peru: Coffee Annual, attaché report (GAIN), May 2014",
        "https://www.agrochart.com/en/news/3746/peru-coffee-annual-may-2014.html",
        "FAS Lima forecasts Peru's coffee production in marketing year (MY) 2014/15 (April/March)"),
    "ico-cro-2023": Source(
        "International Coffee Organization", "Coffee Report and Outlook, December 2023",
        "http://ziboxinyan.com/bgdown/164687.html?dtype=0",
        "Asia & Oceania and Africa's decreases in production ... particularly Vietnam, Côte d'Ivoire and "
        "Uganda ... South America's 4.8% increase ... driven mainly by ... Brazil"),
    "ico-icc-106-3": Source(
        "International Coffee Organization",
        "ICC 106-3, List of exporting countries and their country codes, ICO Certifying Agents and registered "
        "ports of export, 11 February 2011",
        "https://docslib.org/download/5064265/international-coffee-council-106th-session-28-31-march-2011",
        "exporting Members: Angola (158), Benin (022), Bolivia (001), Brazil ..."),
    "ico-ica-1968": Source(
        "International Coffee Organization",
        "International Coffee Agreement 1968, ICO document ICC-11-26 (E) Rev. 2, 28 February 1968 "
        "(reproduced in International Legal Materials)",
        "https://www.cambridge.org/core/journals/international-legal-materials/article/"
        "international-coffee-agreement-1968/42DE5BA5155710F4999C446E05ED8760",
        "exporting countries without a basic export quota: Bolivia, Congo (Brazzaville), Cuba, Dahomey, Gabon, "
        "Ghana, Jamaica, Liberia, Nigeria, Panama, Paraguay, Sierra Leone, Trinidad and Tobago; and Burundi, "
        "Congo (Democratic Republic), Rwanda, Venezuela"),
    "ico-profile-mx": Source(
        "International Coffee Organization", "Country coffee profile: Mexico, crop year commencing 2009",
        "http://www.buenastareas.com/ensayos/Mexico/1775106.html",
        "ICO membership status: Exporting Member; harvesting year October-September"),
    "imf-ico": Source(
        "International Monetary Fund",
        "Directory of Economic, Commodity and Development Organizations: International Coffee Organization",
        "http://imf.org/external/np/sec/decdo/ico.htm",
        "Members of the Executive Board, Exporting Members: Brazil, Colombia, Costa Rica, Ethiopia, Guatemala, "
        "Indonesia, OAMCAF, Papua New Guinea"),
    "esteri-ico": Source(
        "Italian Ministry of Foreign Affairs", "International Coffee Organisation (ICO)",
        "https://www.esteri.it/en/?p=120386",
        "Exporting members: Angola, Bolivia, Brazil, Burundi, Cameroon, Central African Republic, Colombia, "
        "Costa Rica, Ivory Coast, Cuba ..."),
    # Cited by the commodity declarations (commodities/*.toml): standards and USDA's own definitions.
    "usda-ah697": Source(
        "USDA Economic Research Service",
        "Weights, Measures, and Conversion Factors for Agricultural Commodities and Their Products, "
        "Agricultural Handbook No. 697, June 1992",
        "https://www.ers.usda.gov/publications/pub-details/?pubid=41881",
        "bushel weights: wheat 60 pounds (27.2155 kg), shelled corn 56 pounds (25.4012 kg), grain sorghum 56 "
        "pounds, rye 56 pounds, barley 48 pounds (21.7724 kg), oats 32 pounds (14.5150 kg)", read=False),
    "nist-pound": Source(
        "National Institute of Standards and Technology", "Unit conversion: the international avoirdupois pound",
        "https://www.nist.gov/pml/owm/metric-si/unit-conversion",
        "1 pound (avoirdupois) = 0.45359237 kilogram, exactly", read=False),
    "fas-coffee-wmt": Source(
        "USDA FAS", "Coffee: World Markets and Trade (published in June and December)",
        "https://www.fas.usda.gov/data/coffee-world-markets-and-trade",
        "coffee balance sheets in thousands of 60-kilogram bags, by marketing year, updated twice a year",
        read=False),
    "fas-grain-wmt": Source(
        "USDA FAS", "Grain: World Markets and Trade (monthly, with the WASDE)",
        "https://www.fas.usda.gov/data/grain-world-markets-and-trade",
        "world trade is given on a trade year (TY): July/June for wheat, October/September for coarse grains "
        "(corn, sorghum, barley, oats, rye, millet, mixed grains), January/December of the second year for rice; "
        "production and use on the sum of local marketing years", read=False),
    "wasde": Source(
        "USDA Office of the Chief Economist", "World Agricultural Supply and Demand Estimates (WASDE), monthly",
        "https://www.usda.gov/oce/commodity/wasde",
        "monthly world and U.S. balance sheets for wheat, coarse grains and rice; stocks-to-use is ending stocks "
        "over total use (domestic use plus exports for a country; domestic use for the world)", read=False),
    "ers-wheat-data": Source(
        "USDA Economic Research Service", "Wheat Data (data file notes)",
        "https://www.ers.usda.gov/data-products/wheat-data",
        "Marketing_Year (June-May marketing year of observation)"),
    "psd-online": Source(
        "USDA FAS", "Production, Supply and Distribution Online: definitions",
        "https://apps.fas.usda.gov/psdonline/app/index.html#/app/about",
        "PSD balance sheets are on each country's local marketing year; world totals sum the countries' "
        "marketing years; area harvested in 1000 hectares, yield in metric tons per hectare", read=False),
    "worldbank-pink-sheet": Source(
        "World Bank", "Commodity Price Data (The Pink Sheet), monthly, CC BY 4.0",
        "https://www.worldbank.org/en/research/commodity-markets",
        "monthly prices in nominal US dollars: Coffee, Arabica and Coffee, Robusta in $/kg; Maize, Wheat, US HRW, "
        "Wheat, US SRW, Rice, Thai 5%, Barley and Sorghum in $/mt"),
}


def cited(keys):
    """Return the sources of keys, in order; raise KeyError for a key no document has."""
    return [SOURCES[key] for key in keys]
