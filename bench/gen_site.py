"""Generate a deterministic practice-style website of N pages for the benchmark.

``python bench/gen_site.py OUT --pages N --origin http://127.0.0.1:PORT
--external-origin http://127.0.0.2:PORT2`` writes:

- ``OUT/www/``: the document root. Pages of 25-40 KB (inline CSS, an SVG logo, a navigation
  menu, generated prose naming Los Angeles places, images with and without alt, a footer with
  the practice's name, address, phone and license number), JSON-LD MedicalBusiness on the home,
  contact and location pages and on about one page in ten, 10-30 internal links a page of which
  about 2% are broken, links to addresses that redirect (nginx ``return 301``, a few two-hop
  chains and one loop), links without their trailing slash (nginx's own directory redirect) and
  1-3 links a page to a second, "external" host. Also robots.txt, sitemap.xml (a sitemap index
  above 10,000 URLs), a few pages that only the sitemap names, images, a stylesheet, a script
  and a 404 page.
- ``OUT/redirects.map``: the redirects as an nginx ``map`` include; ``OUT/redirects.json`` the
  same for other servers; ``OUT/external.json`` the external addresses the pages link to.
- ``OUT/site.json``: what was generated (counts the runner compares the crawls with).

The same arguments always give the same bytes (one seeded ``random.Random``). Prose is drawn
from a pool of paragraphs built once, so 10,000 pages take a few seconds.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import time
from html import escape
from pathlib import Path

NAME = "Blair Wellness Group"
PRACTITIONER = "Dr. Cassidy Blair, Psy.D."
PHONE_DISPLAY = "(310) 999-4996"
PHONE_TEL = "+13109994996"
STREET = "9454 Wilshire Blvd"
SUITE = "Suite 201"
CITY, STATE, ZIP = "Beverly Hills", "CA", "90212"
LICENSE = "PSY 22022"
EMAIL = "hello@blairwellnessgroup.example"

PLACES = [
    "Beverly Hills", "Santa Monica", "West Hollywood", "Culver City", "Westwood", "Brentwood",
    "Century City", "Pasadena", "Silver Lake", "Los Feliz", "Echo Park", "Venice",
    "Marina del Rey", "Studio City", "Sherman Oaks", "Encino", "Burbank", "Glendale",
    "Koreatown", "Downtown Los Angeles", "Hollywood", "Mar Vista", "Palms", "Westchester",
]
SERVICES = [
    "Anxiety Therapy", "Depression Treatment", "Couples Counseling", "Trauma Therapy",
    "EMDR Therapy", "Grief Counseling", "Burnout Recovery", "Teen Therapy",
    "Family Therapy", "OCD Treatment", "Panic Disorder Treatment", "Insomnia CBT",
    "Postpartum Support", "Life Transitions", "Executive Coaching", "Telehealth Therapy",
    "Mindfulness Groups", "Psychological Assessment", "ADHD Evaluation", "Eating Disorders",
]
TEAM = ["cassidy-blair", "morgan-reyes", "jordan-kim", "avery-nguyen", "riley-santos",
        "taylor-brooks"]
TOPICS = [
    "anxiety", "sleep", "stress", "burnout", "relationships", "grief", "parenting", "panic",
    "self-esteem", "work-life balance", "mindfulness", "trauma", "mood", "boundaries",
    "loneliness", "motivation", "perfectionism", "social anxiety", "resilience", "habits",
]
WORDS = (
    "therapy session client practice evidence based approach support feelings thoughts "
    "patterns week progress goals calm breathing routine sleep family partner work school "
    "research study clinician psychologist licensed care plan first appointment insurance "
    "out of network superbill sliding scale telehealth office parking wellbeing balance "
    "change growth healing skills tools journal reflection practice daily small steps "
    "compassion curiosity nervous system body mind attention focus energy rest recovery "
    "conversation trust safety boundaries values meaning purpose community neighborhood"
).split()
OLD_PHONE = "(310) 999-4969"  # a transposed-digit typo on a few pages, as real sites have

CSS = """
:root{--ink:#1d2a33;--muted:#5b6b75;--accent:#2f6f6a;--paper:#fbfaf7;--line:#e3e0d8}
*{box-sizing:border-box}html{font-size:17px}body{margin:0;font-family:Georgia,'Times New Roman',
serif;color:var(--ink);background:var(--paper);line-height:1.6}a{color:var(--accent)}
a:hover{text-decoration:none}.wrap{max-width:68rem;margin:0 auto;padding:0 1.25rem}
header.site{border-bottom:1px solid var(--line);background:#fff}header.site .wrap{display:flex;
align-items:center;justify-content:space-between;gap:1rem;min-height:4.5rem}.brand{display:flex;
align-items:center;gap:.6rem;font-weight:700;text-decoration:none;color:var(--ink)}nav ul{
list-style:none;display:flex;flex-wrap:wrap;gap:.2rem 1.1rem;margin:0;padding:0}nav a{
text-decoration:none;font-family:Helvetica,Arial,sans-serif;font-size:.9rem}nav .sub{display:none;
position:absolute;background:#fff;border:1px solid var(--line);padding:.5rem}nav li:hover .sub{
display:block}main{padding:2rem 0 3rem}main h1{font-size:2.1rem;line-height:1.2;margin:.2rem 0 1rem}
main h2{font-size:1.4rem;margin:2rem 0 .6rem}main h3{font-size:1.1rem}.lede{font-size:1.15rem;
color:var(--muted)}figure{margin:1.5rem 0}figure img{max-width:100%;height:auto;border-radius:6px}
figcaption{font-size:.85rem;color:var(--muted)}.cta{display:inline-block;background:var(--accent);
color:#fff;padding:.7rem 1.2rem;border-radius:4px;text-decoration:none}.related{border-top:1px
solid var(--line);margin-top:2.5rem;padding-top:1rem}.related ul{columns:2;gap:2rem}aside.card{
background:#fff;border:1px solid var(--line);padding:1rem 1.2rem;border-radius:6px;margin:1.5rem 0}
footer.site{background:#1d2a33;color:#dfe6ea;padding:2.5rem 0;font-family:Helvetica,Arial,
sans-serif;font-size:.9rem}footer.site a{color:#bfe3de}footer .cols{display:grid;
grid-template-columns:repeat(auto-fit,minmax(14rem,1fr));gap:1.5rem}.crisis{font-size:.8rem;
color:#b7c4cb}@media (max-width:40rem){nav ul{display:none}html{font-size:16px}.related ul{
columns:1}}.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
.btn-outline{border:1px solid var(--accent);padding:.5rem .9rem;border-radius:4px}
.badge{display:inline-block;font-size:.75rem;border:1px solid var(--line);padding:.1rem .4rem}
""".strip()

LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40" '
    'aria-hidden="true"><circle cx="20" cy="20" r="19" fill="#2f6f6a"/><path d="M12 27c3-9 '
    '13-9 16 0M14 15a6 6 0 1 1 12 0 6 6 0 0 1-12 0" stroke="#fff" stroke-width="2" '
    'fill="none"/></svg>'
)
ANALYTICS_JS = (
    "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}"
    "gtag('js',new Date());gtag('config','G-BENCH0000',{anonymize_ip:true});"
    "document.addEventListener('DOMContentLoaded',function(){var b=document.querySelector("
    "'.menu-toggle');if(b){b.addEventListener('click',function(){document.body.classList."
    "toggle('menu-open')})}});"
)


class Site:
    """The URL plan of the site and the generation of its pages."""

    def __init__(self, pages: int, seed: int, origin: str, external_origins: list[str],
                 external_urls: int, slow_origin: str | None, slow_urls: int) -> None:
        self.rng = random.Random(seed)
        self.n = max(pages, 60)
        self.origin = origin.rstrip("/")
        self.external_origins = [o.rstrip("/") for o in external_origins]
        self.slow_origin = slow_origin.rstrip("/") if slow_origin else None
        self.stats = {"pages": 0, "sitemap_only_pages": 0, "internal_a_links": 0,
                      "broken_internal_links": 0, "redirect_links": 0, "no_slash_links": 0,
                      "external_links": 0, "images": 0, "images_without_alt": 0,
                      "images_empty_alt": 0, "jsonld_pages": 0, "old_phone_pages": 0,
                      "bytes": 0}
        self._plan(external_urls, slow_urls)
        self._paragraphs = [self._paragraph() for _ in range(600)]

    # -- the URL plan -----------------------------------------------------------------------

    def _plan(self, external_urls: int, slow_urls: int) -> None:
        rng = self.rng
        fixed = ["/", "/about/", "/contact/", "/insurance/", "/fees/", "/faq/", "/privacy/",
                 "/telehealth/", "/team/", "/services/", "/locations/", "/blog/",
                 "/conditions/", "/new-clients/"]
        urls = list(fixed)
        urls += [f"/team/{slug}/" for slug in TEAM]
        urls += [f"/services/{_slug(s)}/" for s in SERVICES]
        urls += [f"/locations/{_slug(p)}/" for p in PLACES]
        rest = self.n - len(urls)
        # Content pages: 70% blog posts, 30% condition pages; listing pages are part of the N.
        posts = int(rest * 0.7)
        conditions_n = rest - posts
        listing_posts = max(1, -(-posts // 25))
        listing_conditions = max(1, -(-conditions_n // 25))
        posts -= listing_posts - 1
        conditions_n -= listing_conditions - 1
        self.blog_posts = []
        for i in range(posts):
            year = 2012 + i * 13 // max(posts, 1)
            month = 1 + (i * 7) % 12
            topic = TOPICS[i % len(TOPICS)]
            self.blog_posts.append(f"/blog/{year}/{month:02d}/{_slug(topic)}-notes-{i + 1}/")
        self.conditions = [f"/conditions/{_slug(TOPICS[i % len(TOPICS)])}-{i + 1}/"
                           for i in range(conditions_n)]
        self.blog_listing = ["/blog/"] + [f"/blog/page/{k}/" for k in range(2, listing_posts + 1)]
        self.cond_listing = ["/conditions/"] + [f"/conditions/page/{k}/"
                                                for k in range(2, listing_conditions + 1)]
        urls += self.blog_listing[1:] + self.cond_listing[1:]
        urls += self.blog_posts + self.conditions
        self.urls = urls
        # A few pages no link reaches: only the sitemap names them (orphans).
        self.orphans = [f"/archive/orphan-{k}/" for k in range(max(2, self.n // 500))]
        self.content = self.blog_posts + self.conditions
        # Broken targets: a pool, so a broken address is linked from several pages.
        self.broken = [f"/blog/removed-post-{k}/" for k in range(max(5, self.n // 40))]
        # Redirects: old addresses (one hop), a tenth of them two hops, and one loop.
        self.redirects: dict[str, str] = {}
        self.redirect_sources = []
        for k in range(max(5, self.n // 60)):
            target = rng.choice(self.content)
            source = f"/old-site/{k}.html"
            if k % 10 == 0:
                middle = f"/archive/moved-{k}/"
                self.redirects[source] = middle
                self.redirects[middle] = target
            else:
                self.redirects[source] = target
            self.redirect_sources.append(source)
        self.redirects["/loop-a/"] = "/loop-b/"
        self.redirects["/loop-b/"] = "/loop-a/"
        # External addresses: a pool spread over the external hosts; some answer 404.
        self.external = []
        hosts = self.external_origins or []
        for k in range(external_urls - (slow_urls if self.slow_origin else 0)):
            host = hosts[k % len(hosts)]
            if k % 20 == 7:
                self.external.append(f"{host}/gone/resource-{k}/")
            elif k % 25 == 3:
                self.external.append(f"{host}/moved/profile-{k}/")
            else:
                section = ("providers", "insurance", "maps/place", "articles", "reviews")[k % 5]
                self.external.append(f"{host}/{section}/{k}/")
        if self.slow_origin:
            self.external += [f"{self.slow_origin}/directory/{k}/" for k in range(slow_urls)]
        self.images = [f"/images/photo-{k:02d}.jpg" for k in range(40)]
        self.images += [f"/images/icon-{k:02d}.png" for k in range(12)]
        self.broken_images = [f"/images/missing-{k}.jpg" for k in range(max(2, self.n // 1000))]
        self._ext_cursor = 0

    # -- text -------------------------------------------------------------------------------

    def _sentence(self) -> str:
        rng = self.rng
        words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
        if rng.random() < 0.25:
            words.insert(rng.randint(0, len(words)), "in " + rng.choice(PLACES))
        text = " ".join(words)
        return text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", " — really."])

    def _paragraph(self) -> str:
        return " ".join(self._sentence() for _ in range(self.rng.randint(3, 7)))

    # -- pages ------------------------------------------------------------------------------

    def _internal_link(self, here: str) -> tuple[str, str]:
        """(href, anchor text) of an in-content internal link: 5.5% broken, 2.5% redirecting.

        The navigation, the footer and the "next" link are never broken, so over all internal
        links of a page about 2% are broken.
        """
        rng = self.rng
        roll = rng.random()
        self.stats["internal_a_links"] += 1
        if roll < 0.055:
            self.stats["broken_internal_links"] += 1
            return rng.choice(self.broken), "an older article"
        if roll < 0.08:
            self.stats["redirect_links"] += 1
            return rng.choice(self.redirect_sources), "from our previous site"
        target = rng.choice(self.content) if roll < 0.93 else rng.choice(self.urls)
        if target == here:
            target = "/"
        if roll > 0.995 and target != "/":
            self.stats["no_slash_links"] += 1
            target = target.rstrip("/")
        if rng.random() < 0.2:  # some CMSs write absolute internal links
            target = self.origin + target
        label = target.rstrip("/").rsplit("/", 1)[-1].replace("-", " ") or "home"
        return target, label

    def _external_link(self) -> str:
        self.stats["external_links"] += 1
        if self._ext_cursor < len(self.external):  # every external address is linked once
            url = self.external[self._ext_cursor]
            self._ext_cursor += 1
            return url
        return self.rng.choice(self.external)

    def _image(self) -> str:
        rng = self.rng
        self.stats["images"] += 1
        src = rng.choice(self.images) if rng.random() > 0.01 else rng.choice(self.broken_images)
        roll = rng.random()
        if roll < 0.3:
            self.stats["images_without_alt"] += 1
            alt = ""
        elif roll < 0.4:
            self.stats["images_empty_alt"] += 1
            alt = ' alt=""'
        else:
            alt = f' alt="{escape(rng.choice(PLACES))} therapy office, {rng.choice(TOPICS)}"'
        width, height = rng.choice([(800, 533), (640, 427), (1200, 800), (400, 400)])
        return f'<img src="{src}"{alt} width="{width}" height="{height}" loading="lazy">'

    def _title(self, url: str) -> tuple[str, str]:
        """(title, h1) of a page."""
        parts = [p for p in url.strip("/").split("/") if p]
        if not parts:
            return f"Beverly Hills Psychologist | {NAME}", "Therapy in Beverly Hills and across LA"
        last = parts[-1]
        words = " ".join(w for w in last.split("-") if not w.isdigit()).title() or "Page"
        number = "".join(c for c in last.rsplit("-", 1)[-1] if c.isdigit())
        if parts[0] == "locations":
            return (f"Therapist in {words} | {NAME}", f"Therapy for {words} residents")
        if parts[0] == "blog" and number:
            return (f"{words} {number}: Notes from Our Los Angeles Practice",
                    f"{words}, part {number}")
        if parts[0] == "conditions" and number:
            return f"{words} ({number}) Treatment in Beverly Hills | {NAME}", f"{words} care"
        return f"{words} | {NAME}", words

    def page(self, url: str, index: int, listing: list[str] | None = None) -> str:
        rng = self.rng
        target = rng.randint(25_000, 40_000)
        title, h1 = self._title(url)
        jsonld = (url in ("/", "/contact/") or url.startswith("/locations/")
                  or rng.random() < 0.1)
        old_phone = rng.random() < 0.01
        description = ("" if rng.random() < 0.05 else
                       f'<meta name="description" content="{escape(h1)}: therapy with '
                       f'{NAME} in {escape(rng.choice(PLACES))}, Los Angeles. In person in '
                       f'Beverly Hills and by telehealth across California.">')
        head = [
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>", description,
            f'<link rel="canonical" href="{self.origin}{url}">',
            f'<meta property="og:site_name" content="{NAME}">',
            f'<meta property="og:title" content="{escape(title)}">',
            '<link rel="stylesheet" href="/assets/site.css">',
            '<link rel="icon" href="/images/icon-00.png">',
            f"<style>{CSS}</style>",
            f"<script>{ANALYTICS_JS}</script>",
            '<script src="/assets/site.js" defer></script>',
        ]
        if jsonld:
            self.stats["jsonld_pages"] += 1
            head.append('<script type="application/ld+json">' + json.dumps(self._jsonld(),
                                                                            indent=1)
                        + "</script>")
        head.append("</head>")
        nav = self._nav()
        body = ['<body>', '<a class="sr-only" href="#content">Skip to content</a>',
                '<header class="site"><div class="wrap">',
                f'<a class="brand" href="/">{LOGO_SVG}<span>{NAME}</span></a>', nav,
                f'<a class="cta" href="tel:{PHONE_TEL}">Call {PHONE_DISPLAY}</a>',
                '</div></header>', '<main id="content"><div class="wrap">']
        if rng.random() < 0.98:
            body.append(f"<h1>{escape(h1)}</h1>")
        if rng.random() < 0.03:
            body.append(f"<h1>{escape(rng.choice(SERVICES))}</h1>")
        body.append(f'<p class="lede">{self._paragraphs[index % len(self._paragraphs)]}</p>')
        footer = self._footer(old_phone)
        tail = ["</div></main>", footer, "</body>\n</html>\n"]
        # Links: nav carries 9, the footer 4; in-content links bring the page to 10-30.
        content_links = rng.randint(0, 15)
        links = [self._internal_link(url) for _ in range(content_links)]
        if listing is not None:
            links += [(u, _label(u)) for u in listing]
        nxt = self.urls[(index + 1) % len(self.urls)]
        links.append((nxt, "next: " + _label(nxt)))
        self.stats["internal_a_links"] += 1 + len(listing or ())
        externals = [self._external_link() for _ in range(rng.randint(1, 3))]
        images = [self._image() for _ in range(rng.randint(2, 5))]
        size = sum(len(p) for p in head) + sum(len(p) for p in body) + len(footer) + 200
        blocks: list[str] = []
        section = 0
        while size < target - 1500:
            if not blocks or rng.random() < 0.18:
                section += 1
                level = "h2" if section % 3 else "h3"
                heading = f"<{level}>{escape(rng.choice(TOPICS).title())} and " \
                          f"{escape(rng.choice(PLACES))}</{level}>"
                blocks.append(heading)
                size += len(heading)
            paragraph = self._paragraphs[rng.randrange(len(self._paragraphs))]
            if links and rng.random() < 0.5:
                href, label = links.pop()
                paragraph += f' Read more: <a href="{escape(href)}">{escape(label)}</a>.'
            if externals and rng.random() < 0.3:
                ext = externals.pop()
                paragraph += f' See also <a href="{ext}" rel="noopener">this resource</a>.'
            if images and rng.random() < 0.25:
                paragraph += f"</p>\n<figure>{images.pop()}<figcaption>Our office near " \
                             f"{escape(rng.choice(PLACES))}</figcaption></figure>\n<p>"
            block = f"<p>{paragraph}</p>"
            blocks.append(block)
            size += len(block)
        rest = []
        if images:
            rest.append("".join(f"<figure>{img}</figure>" for img in images))
        if links or externals:
            items = [f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in links]
            items += [f'<li><a href="{e}" rel="noopener">Partner resource</a></li>'
                      for e in externals]
            rest.append('<div class="related"><h2>Related reading</h2><ul>' + "".join(items)
                        + "</ul></div>")
        html = "\n".join(head + body + blocks + rest + tail)
        self.stats["old_phone_pages"] += old_phone
        self.stats["bytes"] += len(html.encode("utf-8"))
        return html

    def _nav(self) -> str:
        items = [("/", "Home"), ("/about/", "About"), ("/services/", "Services"),
                 ("/team/", "Our Team"), ("/locations/", "Locations"), ("/blog/", "Blog"),
                 ("/insurance/", "Insurance & Fees"), ("/telehealth/", "Telehealth"),
                 ("/contact/", "Contact")]
        self.stats["internal_a_links"] += len(items)
        lis = "".join(f'<li><a href="{href}">{escape(text)}</a></li>' for href, text in items)
        return f'<nav aria-label="Main"><ul>{lis}</ul></nav>'

    def _footer(self, old_phone: bool) -> str:
        phone = OLD_PHONE if old_phone else PHONE_DISPLAY
        tel = "+13109994969" if old_phone else PHONE_TEL
        self.stats["internal_a_links"] += 4
        year = 2025
        return (
            '<footer class="site"><div class="wrap cols">'
            f'<div><strong>{NAME}</strong><br>{PRACTITIONER}<br>Licensed Clinical '
            f'Psychologist, License {LICENSE}</div>'
            f'<div><address>{STREET}, {SUITE}<br>{CITY}, {STATE} {ZIP}</address>'
            f'Phone: <a href="tel:{tel}">{phone}</a><br>'
            f'Email: <a href="mailto:{EMAIL}">{EMAIL}</a></div>'
            '<div><a href="/privacy/">Privacy</a> · <a href="/faq/">FAQ</a> · '
            '<a href="/fees/">Fees</a> · <a href="/new-clients/">New clients</a></div>'
            '<p class="crisis">In crisis? Call or text 988 (Suicide &amp; Crisis Lifeline) or '
            'dial 911.</p>'
            f'<p>&copy; {year} {NAME}. All rights reserved.</p></div></footer>'
        )

    def _jsonld(self) -> dict:
        return {
            "@context": "https://schema.org", "@type": "MedicalBusiness",
            "@id": f"{self.origin}/#practice", "name": NAME, "url": f"{self.origin}/",
            "telephone": "+1-310-999-4996", "email": EMAIL,
            "address": {"@type": "PostalAddress", "streetAddress": f"{STREET}, {SUITE}",
                        "addressLocality": CITY, "addressRegion": STATE, "postalCode": ZIP,
                        "addressCountry": "US"},
            "geo": {"@type": "GeoCoordinates", "latitude": 34.06701, "longitude": -118.40012},
            "areaServed": PLACES[:8], "medicalSpecialty": "Psychiatric",
            "hasCredential": {"@type": "EducationalOccupationalCredential",
                              "credentialCategory": "license", "name": LICENSE},
        }

    # -- the whole site ---------------------------------------------------------------------

    def write(self, out: Path) -> dict:
        www = out / "www"
        if out.exists():
            shutil.rmtree(out)
        www.mkdir(parents=True)
        listings = self._listings()
        all_pages = self.urls + self.orphans
        for index, url in enumerate(all_pages):
            html = self.page(url, index, listings.get(url))
            folder = www / url.strip("/") if url != "/" else www
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "index.html").write_text(html, "utf-8")
        self.stats["pages"] = len(self.urls)
        self.stats["sitemap_only_pages"] = len(self.orphans)
        self._write_assets(www)
        self._write_discovery(www, all_pages)
        self._write_redirects(out)
        return self.stats

    def _listings(self) -> dict[str, list[str]]:
        """Index pages: the blog and condition pagers, the team, services, locations."""
        listings: dict[str, list[str]] = {
            "/team/": [f"/team/{slug}/" for slug in TEAM],
            "/services/": [f"/services/{_slug(s)}/" for s in SERVICES],
            "/locations/": [f"/locations/{_slug(p)}/" for p in PLACES],
        }
        for pager, items in ((self.blog_listing, self.blog_posts),
                             (self.cond_listing, self.conditions)):
            per = -(-len(items) // len(pager))
            for k, listing_url in enumerate(pager):
                chunk = items[k * per:(k + 1) * per]
                if k + 1 < len(pager):
                    chunk = chunk + [pager[k + 1]]
                listings[listing_url] = chunk
        return listings

    def _write_assets(self, www: Path) -> None:
        (www / "assets").mkdir()
        (www / "assets" / "site.css").write_text(CSS * 3, "utf-8")
        (www / "assets" / "site.js").write_text(ANALYTICS_JS * 20, "utf-8")
        (www / "images").mkdir()
        for src in self.images:
            # Not real pictures: crawlers only ask for the status, never decode them.
            header = b"\xff\xd8\xff\xe0" if src.endswith(".jpg") else b"\x89PNG\r\n\x1a\n"
            (www / src.lstrip("/")).write_bytes(header + self.rng.randbytes(6000))
        (www / "404.html").write_text(
            "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Page not found"
            f" | {NAME}</title></head><body><h1>Page not found</h1><p><a href='/'>Home</a>"
            "</p></body></html>", "utf-8")

    def _write_discovery(self, www: Path, pages: list[str]) -> None:
        (www / "robots.txt").write_text(
            "User-agent: *\nDisallow: /wp-admin/\n\n"
            f"Sitemap: {self.origin}/sitemap.xml\n", "utf-8")
        chunks = [pages[i:i + 10_000] for i in range(0, len(pages), 10_000)]

        def urlset(urls: list[str]) -> str:
            rows = "".join(f"<url><loc>{self.origin}{u}</loc></url>\n" for u in urls)
            return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
                    f'"http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</urlset>\n')

        if len(chunks) == 1:
            (www / "sitemap.xml").write_text(urlset(chunks[0]), "utf-8")
            return
        rows = ""
        for k, chunk in enumerate(chunks, 1):
            (www / f"sitemap-{k}.xml").write_text(urlset(chunk), "utf-8")
            rows += f"<sitemap><loc>{self.origin}/sitemap-{k}.xml</loc></sitemap>\n"
        (www / "sitemap.xml").write_text(
            '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">\n{rows}</sitemapindex>\n', "utf-8")

    def _write_redirects(self, out: Path) -> None:
        lines = [f'"{source}" "{target}";' for source, target in self.redirects.items()]
        (out / "redirects.map").write_text("\n".join(lines) + "\n", "utf-8")
        (out / "redirects.json").write_text(json.dumps(self.redirects, indent=1), "utf-8")
        (out / "external.json").write_text(json.dumps(self.external, indent=1), "utf-8")


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _label(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].replace("-", " ") or "home"


def generate(out: Path, pages: int, origin: str, external_origins: list[str], seed: int = 2024,
             external_urls: int | None = None, slow_origin: str | None = None,
             slow_urls: int = 0) -> dict:
    """Write the site into ``out`` (replacing it) and return what was generated."""
    started = time.perf_counter()
    if external_urls is None:
        external_urls = max(50, pages // 10)
    site = Site(pages, seed, origin, external_origins, external_urls, slow_origin, slow_urls)
    stats = site.write(out)
    info = {
        "requested_pages": pages, "seed": seed, "origin": site.origin,
        "external_origins": site.external_origins, "slow_origin": site.slow_origin,
        "distinct_external_urls": len(site.external), "slow_urls": slow_urls,
        "distinct_broken_targets": len(site.broken) + len(site.broken_images),
        "redirects": len(site.redirects), "distinct_images": len(site.images),
        "seconds": round(time.perf_counter() - started, 2), **stats,
    }
    info["broken_share_of_internal_links"] = round(
        stats["broken_internal_links"] / max(stats["internal_a_links"], 1), 4)
    info["mean_page_kb"] = round(stats["bytes"] / max(stats["pages"] + stats[
        "sitemap_only_pages"], 1) / 1024, 1)
    (out / "site.json").write_text(json.dumps(info, indent=1), "utf-8")
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--origin", required=True, help="e.g. http://127.0.0.1:18080")
    parser.add_argument("--external-origin", action="append", required=True,
                        help="origin of an external host (repeatable)")
    parser.add_argument("--external-urls", type=int, default=None,
                        help="distinct external addresses (default N/10, at least 50)")
    parser.add_argument("--slow-origin", help="an external host that answers slowly")
    parser.add_argument("--slow-urls", type=int, default=0,
                        help="how many of the external addresses are on the slow host")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    info = generate(args.out, args.pages, args.origin, args.external_origin, args.seed,
                    args.external_urls, args.slow_origin, args.slow_urls)
    print(json.dumps(info, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
