"""The practice profile (``--profile FILE.toml``): the canonical facts the site is checked against.

    [practice]
    name = "Blair Wellness Group"
    practitioner = "Cassidy Blair"        # optional
    phone = "310-999-4996"
    license = "PSY 22022"
    address = "9454 Wilshire Blvd, Suite 201, Beverly Hills, CA 90212"   # optional
    self_pay_patients = true      # optional (default true): sees uninsured or self-pay patients
    hipaa_covered_entity = true   # optional (default true): bills insurance electronically
    [location]
    city = "Los Angeles"       # any US city or town ("Boston", "Portland, ME")
    state = "CA"               # optional: where a city name repeats across states
    areas = ["Beverly Hills", "Santa Monica"]   # optional: any place or neighbourhood names
    radius_miles = 40          # optional: how far "nearby cities" reach (audit.usplaces)
    [thresholds]                                # optional: override any check threshold
    title_max_length = 65

Every field is optional; a missing one is inferred from what most pages agree on. Without a
city, the practice's city is the one of its address (the profile's, or the one the pages give:
audit.locale), and Los Angeles only when no address is found. The two
compliance switches default to what a typical US private practice is: one that sees self-pay
patients (so the No Surprises Act's Good Faith Estimate notice applies: gfe-notice-missing) and a
HIPAA covered entity (so its Notice of Privacy Practices must be on the website:
privacy-notice-missing). A practice that is neither says so, and the matching check is silent.
Unknown keys and bad values raise ProfileError naming the key, so a typo never silently
disables a check.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_PRACTICE_KEYS = {"name", "practitioner", "phone", "license", "address", "self_pay_patients",
                  "hipaa_covered_entity"}
_PRACTICE_SWITCHES = {"self_pay_patients", "hipaa_covered_entity"}
_LOCATION_KEYS = {"city", "state", "areas", "radius_miles"}
_SECTIONS = {"practice", "location", "thresholds"}


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file and the key."""


@dataclass
class Profile:
    name: str | None = None
    practitioner: str | None = None
    phone: str | None = None  # E.164
    license: str | None = None  # "PSY 22022"
    address: str | None = None
    self_pay_patients: bool = True  # 45 CFR 149.610: the Good Faith Estimate notice applies
    hipaa_covered_entity: bool = True  # 45 CFR 164.520: the privacy notice must be posted
    city: str | None = None  # None: the city of the practice's address (audit.locale)
    state: str | None = None  # USPS abbreviation, "MA"
    areas: list[str] = field(default_factory=list)
    radius_miles: float | None = None  # None: audit.usplaces.DEFAULT_RADIUS_MILES
    thresholds: dict[str, float] = field(default_factory=dict)
    source: str | None = None  # the file it came from, None when inferred

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items()}


def _string(section: str, key: str, value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ProfileError(f"{where}: [{section}] {key} must be a non-empty string")
    return value.strip()


def load_profile(path: Path | str | None) -> Profile:
    """Read and validate a profile file; no path gives an empty profile (all inferred)."""
    if path is None:
        return Profile()
    path = Path(path)
    return profile_from_dict(read_toml(path, "profile file", "the profile"), str(path))


def read_toml(path: Path, kind: str, it: str) -> dict[str, Any]:
    """A TOML file's contents; ProfileError, one line naming the file, when it is missing
    ("<kind> not found"), cannot be read ("cannot read <it>") or is not TOML."""
    where = str(path)
    try:
        return tomllib.loads(Path(path).read_text("utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"{where}: {kind} not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"{where}: cannot read {it}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{where}: not valid TOML: {exc}") from None


def profile_from_dict(data: dict[str, Any], where: str = "profile") -> Profile:
    from audit.nap import normalize_license, normalize_phone
    from audit.places import lookup
    from audit.usplaces import state_abbreviation

    for key in data:
        if key not in _SECTIONS:
            raise ProfileError(f"{where}: unknown section or key {key!r} "
                               f"(expected {', '.join(sorted(_SECTIONS))})")
    profile = Profile(source=where)
    practice = _table(data, "practice", where)
    for key, value in practice.items():
        if key not in _PRACTICE_KEYS:
            raise ProfileError(f"{where}: unknown key [practice] {key!r} "
                               f"(expected {', '.join(sorted(_PRACTICE_KEYS))})")
        if key in _PRACTICE_SWITCHES:
            if not isinstance(value, bool):
                raise ProfileError(f"{where}: [practice] {key} must be true or false")
            setattr(profile, key, value)
            continue
        text = _string("practice", key, value, where)
        if key == "phone":
            phone = normalize_phone(text)
            if phone is None:
                raise ProfileError(f"{where}: [practice] phone {text!r} is not a phone number")
            profile.phone = phone
        elif key == "license":
            license_ = normalize_license(text)
            if license_ is None:
                raise ProfileError(f"{where}: [practice] license {text!r} is not a recognised "
                                   "license number (e.g. \"PSY 22022\", \"LPC 76543\")")
            profile.license = license_
        else:
            setattr(profile, key, text)
    location = _table(data, "location", where)
    for key, value in location.items():
        if key not in _LOCATION_KEYS:
            raise ProfileError(f"{where}: unknown key [location] {key!r} "
                               f"(expected {', '.join(sorted(_LOCATION_KEYS))})")
        if key == "city":
            profile.city = _string("location", key, value, where)
        elif key == "state":
            text = _string("location", key, value, where)
            profile.state = state_abbreviation(text)
            if profile.state is None:
                raise ProfileError(f"{where}: [location] state {text!r} is not a US state "
                                   "(e.g. \"MA\" or \"Massachusetts\")")
        elif key == "radius_miles":
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
                raise ProfileError(f"{where}: [location] radius_miles must be a positive "
                                   "number")
            profile.radius_miles = float(value)
        else:
            if not isinstance(value, list) or not all(
                    isinstance(v, str) and v.strip() for v in value):
                raise ProfileError(f"{where}: [location] areas must be a list of non-empty "
                                   "strings")
            # A Los Angeles gazetteer name takes its canonical spelling ("WeHo" is West
            # Hollywood); any other area is used as given.
            profile.areas = [place.name if (place := lookup(area)) else area.strip()
                             for area in value]
    thresholds = _table(data, "thresholds", where)
    if thresholds:
        from audit.registry import known_thresholds

        known = known_thresholds()
        for key in thresholds:
            if key.lower() not in known:
                raise ProfileError(f"{where}: unknown key [thresholds] {key!r} "
                                   f"(expected {', '.join(sorted(known))})")
    for key, value in thresholds.items():
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise ProfileError(f"{where}: [thresholds] {key} must be a non-negative number")
        profile.thresholds[key.lower()] = float(value)
    return profile


def _table(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise ProfileError(f"{where}: {name} must be a table ([{name}])")
    return value
