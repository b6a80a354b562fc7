"""The documents the reference tables cite (marketing years, ICO groups), each with what it was found to say."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """One cited document: who published it, its title, where it was read and the words relied on."""

    publisher: str
    title: str
    url: str
    says: str


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
}


def cited(keys):
    """Return the sources of keys, in order; raise KeyError for a key no document has."""
    return [SOURCES[key] for key in keys]
