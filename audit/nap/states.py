"""The US states in one place: their USPS codes, full names and ZIP code areas.

Read by the text address reader (audit.nap.addresses: "MA 75204" is no address), the license
reader (audit.nap.licenses: a state named near a number) and the US gazetteer
(audit.usplaces: a state's name is a local term of a practice there).
"""

from __future__ import annotations

from scourgify.address_constants import STATE_ABBREVIATIONS

# The first digit of each state's and territory's ZIP codes (the USPS national areas). A few
# take a second area: 005xx is Holtsville, NY; 569xx Washington, DC; 885xx El Paso, TX.
ZIP_AREAS = {
    "CT": "0", "MA": "0", "ME": "0", "NH": "0", "NJ": "0", "RI": "0", "VT": "0", "PR": "0",
    "VI": "0", "NY": "01", "DE": "1", "PA": "1", "DC": "25", "MD": "2", "NC": "2", "SC": "2",
    "VA": "2", "WV": "2", "AL": "3", "FL": "3", "GA": "3", "MS": "3", "TN": "3", "IN": "4",
    "KY": "4", "MI": "4", "OH": "4", "IA": "5", "MN": "5", "MT": "5", "ND": "5", "SD": "5",
    "WI": "5", "IL": "6", "KS": "6", "MO": "6", "NE": "6", "AR": "7", "LA": "7", "OK": "7",
    "TX": "78", "AZ": "8", "CO": "8", "ID": "8", "NM": "8", "NV": "8", "UT": "8", "WY": "8",
    "AK": "9", "CA": "9", "HI": "9", "OR": "9", "WA": "9", "GU": "9", "AS": "9", "MP": "9",
}
TERRITORY_NAMES = {"PUERTO RICO": "PR", "VIRGIN ISLANDS": "VI", "GUAM": "GU",
                   "AMERICAN SAMOA": "AS", "NORTHERN MARIANA ISLANDS": "MP"}
# The fifty states and DC: scourgify's table, whose longest spelling of each is its full name
# in capitals ("MASSACHUSETTS", "DISTRICT OF COLUMBIA").
STATE_NAMES = {code: max((name for name, c in STATE_ABBREVIATIONS.items() if c == code),
                         key=len)
               for code in sorted(set(STATE_ABBREVIATIONS.values()))}


def display_name(code: str) -> str:
    """"MA" -> "Massachusetts", "DC" -> "District of Columbia"."""
    return STATE_NAMES[code].title().replace(" Of ", " of ")
