"""Generate a deterministic practice-style website of N pages for the benchmark.

``python bench/gen_site.py OUT --pages N --origin http://127.0.0.1:PORT
--external-origin http://127.0.0.2:PORT2 [--shape practice|wordpress]`` writes the site of one
shape (``SHAPES``). Both have the same practice, URL plan, prose, images, broken and
redirecting links, external links, robots.txt, sitemaps and orphans; they differ in how the
pages are written:

- "practice" (the default, ``Site``): hand-written-looking pages, JSON-LD only, a 9-link menu,
  15-30 internal links a page (what this generator wrote before shapes existed, byte for byte).
- "wordpress" (``WordPressSite``): pages as a WordPress theme (Astra-like) with Yoast SEO writes
  them: schema.org microdata (WebPage on the body, BlogPosting/Article/CreativeWork on the
  entry with itemprop headline, datePublished and author, a MedicalBusiness with its
  PostalAddress in the footer, WPHeader/WPSideBar/WPFooter, a bare ``itemscope`` wrapper on a
  third of the pages), one page in fifty RDFa instead (``vocab``/``typeof``/``property``), Open
  Graph and Twitter meta, a Yoast JSON-LD graph on every page, WordPress's shared stylesheets
  and scripts, a mega menu, sidebar widgets, related posts and footer menus: 40-60 internal
  links a page (index pages about 90), 25-45 KB.

Each writes:

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
- ``OUT/site.json``: what was generated (counts the runner compares the crawls with); a
  shape other than practice adds its name ("shape") and its markup counts.

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


# The in-text markup of each shape's prose (Site._prose).
_PRACTICE_PROSE = {
    "heading": "<{level}>{text}</{level}>",
    "external": ' See also <a href="{href}" rel="noopener">this resource</a>.',
    "figure": "</p>\n<figure>{image}<figcaption>Our office near {place}</figcaption></figure>\n<p>",
}
_WORDPRESS_PROSE = {
    "heading": '<{level} class="wp-block-heading">{text}</{level}>',
    "external": (' See also <a href="{href}" target="_blank" rel="noreferrer noopener">this '
                 "resource</a>."),
    "figure": ('</p>\n<figure class="wp-block-image size-large">{image}'
               '<figcaption class="wp-element-caption">Our office near {place}</figcaption>'
               "</figure>\n<p>"),
}


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

    def _internal_link(self, here: str, broken: float = 0.055, redirect: float = 0.08,
                       no_slash: float = 0.995) -> tuple[str, str]:
        """(href, anchor text) of an in-content internal link: 5.5% broken, 2.5% redirecting,
        0.5% without the trailing slash (the thresholds on one roll; the wordpress shape
        passes its own).

        The navigation, the footer and the "next" link are never broken, so over all internal
        links of a page about 2% are broken.
        """
        rng = self.rng
        roll = rng.random()
        self.stats["internal_a_links"] += 1
        if roll < broken:
            self.stats["broken_internal_links"] += 1
            return rng.choice(self.broken), "an older article"
        if roll < redirect:
            self.stats["redirect_links"] += 1
            return rng.choice(self.redirect_sources), "from our previous site"
        target = rng.choice(self.content) if roll < 0.93 else rng.choice(self.urls)
        if target == here:
            target = "/"
        if roll > no_slash and target != "/":
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
            head.append(self._jsonld_script())
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
        blocks = self._prose(size, target, links, externals, images, _PRACTICE_PROSE)
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

    def _prose(self, size: int, target: int, links: list[tuple[str, str]],
               externals: list[str], images: list[str], markup: dict[str, str]) -> list[str]:
        """Headings and paragraphs until the page reaches ``target`` bytes, taking links,
        external links and images from the lists as they go (both shapes: the same draws
        in the same order, in each shape's markup)."""
        rng = self.rng
        blocks: list[str] = []
        section = 0
        while size < target - 1500:
            if not blocks or rng.random() < 0.18:
                section += 1
                level = "h2" if section % 3 else "h3"
                text = f"{escape(rng.choice(TOPICS).title())} and {escape(rng.choice(PLACES))}"
                heading = markup["heading"].format(level=level, text=text)
                blocks.append(heading)
                size += len(heading)
            paragraph = self._paragraphs[rng.randrange(len(self._paragraphs))]
            if links and rng.random() < 0.5:
                href, label = links.pop()
                paragraph += f' Read more: <a href="{escape(href)}">{escape(label)}</a>.'
            if externals and rng.random() < 0.3:
                paragraph += markup["external"].format(href=externals.pop())
            if images and rng.random() < 0.25:
                image = images.pop()
                paragraph += markup["figure"].format(image=image,
                                                     place=escape(rng.choice(PLACES)))
            block = f"<p>{paragraph}</p>"
            blocks.append(block)
            size += len(block)
        return blocks

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

    def _jsonld_script(self) -> str:
        """The practice's JSON-LD block, counted."""
        self.stats["jsonld_pages"] += 1
        return ('<script type="application/ld+json">' + json.dumps(self._jsonld(), indent=1)
                + "</script>")

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


# -- the "wordpress" shape ------------------------------------------------------------------

WP_VERSION = "6.4.3"
ASTRA_VERSION = "4.6.4"
YOAST_VERSION = "22.1"
SCHEMA = "https://schema.org"
# The theme's and plugins' files: a few shared addresses (with WordPress's ?ver= query), the
# same on every page, written into the document root (nginx ignores the query).
WP_STYLES = [
    ("wp-block-library-css", f"/wp-includes/css/dist/block-library/style.min.css?ver={WP_VERSION}"),
    ("astra-theme-css-css",
     f"/wp-content/themes/astra/assets/css/minified/main.min.css?ver={ASTRA_VERSION}"),
    ("contact-form-7-css", "/wp-content/plugins/contact-form-7/includes/css/styles.css?ver=5.8.7"),
    ("astra-addon-css-css", "/wp-content/uploads/astra-addon/astra-addon-65f1c2a1.css?ver=4.6.2"),
]
WP_HEAD_SCRIPTS = [
    ("jquery-core-js", "/wp-includes/js/jquery/jquery.min.js?ver=3.7.1"),
    ("jquery-migrate-js", "/wp-includes/js/jquery/jquery-migrate.min.js?ver=3.4.1"),
]
WP_FOOT_SCRIPTS = [
    ("astra-theme-js-js",
     f"/wp-content/themes/astra/assets/js/minified/frontend.min.js?ver={ASTRA_VERSION}"),
    ("contact-form-7-js", "/wp-content/plugins/contact-form-7/includes/swv/js/index.js?ver=5.8.7"),
]
WP_ICONS = [
    ("icon", "/wp-content/uploads/2021/03/cropped-site-icon-32x32.png", ' sizes="32x32"'),
    ("icon", "/wp-content/uploads/2021/03/cropped-site-icon-192x192.png", ' sizes="192x192"'),
    ("apple-touch-icon", "/wp-content/uploads/2021/03/cropped-site-icon-180x180.png", ""),
]
# WordPress's global styles, inlined on every page (abridged).
WP_GLOBAL_CSS = (
    "body{--wp--preset--color--black:#000000;--wp--preset--color--cyan-bluish-gray:#abb8c3;"
    "--wp--preset--color--white:#ffffff;--wp--preset--color--pale-pink:#f78da7;"
    "--wp--preset--color--vivid-red:#cf2e2e;--wp--preset--color--luminous-vivid-orange:#ff6900;"
    "--wp--preset--color--vivid-green-cyan:#00d084;--wp--preset--color--vivid-cyan-blue:#0693e3;"
    "--wp--preset--gradient--vivid-cyan-blue-to-vivid-purple:linear-gradient(135deg,rgba(6,147,"
    "227,1) 0%,rgb(155,81,224) 100%);--wp--preset--font-size--small:13px;--wp--preset--font-size"
    "--medium:20px;--wp--preset--font-size--large:36px;--wp--preset--font-size--x-large:42px;"
    "--wp--preset--spacing--20:0.44rem;--wp--preset--spacing--30:0.67rem;--wp--preset--spacing"
    "--40:1rem;--wp--preset--spacing--50:1.5rem;--wp--preset--spacing--60:2.25rem;"
    "--wp--preset--shadow--natural:6px 6px 9px rgba(0, 0, 0, 0.2);--wp--preset--shadow--deep:"
    "12px 12px 50px rgba(0, 0, 0, 0.4);}body .is-layout-flex{display:flex;}body .is-layout-flex"
    "{flex-wrap:wrap;align-items:center;}body .is-layout-flex > *{margin:0;}:where(.wp-block-"
    "columns.is-layout-flex){gap:2em;}.has-black-color{color:var(--wp--preset--color--black) "
    "!important;}.has-white-color{color:var(--wp--preset--color--white) !important;}"
    ".wp-block-navigation a:where(:not(.wp-element-button)){color:inherit;}"
)
WP_INLINE_JS = (
    'var astra = {"break_point":"921","isRtl":"","is_scroll_to_id":"","is_scroll_to_top":"",'
    '"is_header_footer_builder_active":"1","responsive_cart_click":"flyout"};'
    'var wpcf7 = {"api":{"root":"\\/wp-json\\/","namespace":"contact-form-7\\/v1"}};'
)
ARROW_SVG = (
    '<span class="ast-icon icon-arrow"><svg class="ast-arrow-svg" xmlns="http://www.w3.org/2000/'
    'svg" width="26px" height="16.043px" viewBox="57 35.171 26 16.043"><path d="M57.5,38.193l12.'
    '5,12.5l12.5-12.5l-2.5-2.5l-10,10l-10-10L57.5,38.193z"></path></svg></span>'
)
NAV_MICRODATA = ' itemtype="https://schema.org/SiteNavigationElement" itemscope="itemscope"'
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def _person(slug: str) -> str:
    return " ".join(w.title() for w in slug.split("-"))


class WordPressSite(Site):
    """The same practice and URL plan, its pages as a WordPress theme writes them (Astra-like
    markup with Yoast SEO): microdata on the body, the article and the footer's practice card,
    Open Graph and Twitter meta, a Yoast JSON-LD graph, a mega menu, a sidebar of widgets,
    related posts and footer menus, every template link absolute as WordPress writes it.
    About one page in fifty is an RDFa page (``vocab``/``typeof``/``property``) instead.
    """

    # In-text links (1-9 a page) are few beside the templates' 40-odd, which are never broken,
    # so they carry the site's broken, redirecting and slash-less links: 19.5%, 9% and 1.7% of
    # them (the archives of an old blog rot), which over all internal links of the site gives
    # about the practice shape's shares (1.8%, 0.85%, 0.15%).
    BROKEN, REDIRECT, NO_SLASH = 0.195, 0.285, 0.983

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.stats.update({"microdata_pages": 0, "rdfa_pages": 0, "bare_itemscope_pages": 0,
                           "og_pages": 0, "twitter_pages": 0, "yoast_graph_pages": 0,
                           "template_links": 0})
        self.post_set = set(self.blog_posts)
        self.condition_set = set(self.conditions)
        self.post_ids = {u: 100 + k for k, u in enumerate(self.urls + self.orphans)}
        self._menu, self._menu_links = self._mega_menu()
        self._recent, self._recent_links = self._recent_posts()
        self._categories, self._category_links = self._category_widget()
        self._tags, self._tag_links = self._tag_cloud()
        self._footer_menu, self._footer_links = self._footer_nav()
        self._head_assets = self._assets_html()
        # The RDFa pages' menus: the same without the theme's microdata.
        self._menu_rdfa = self._menu.replace(NAV_MICRODATA, "")
        self._footer_menu_rdfa = self._footer_menu.replace(NAV_MICRODATA, "")

    # -- site-wide blocks (the same on every page) ------------------------------------------

    def _abs(self, path: str) -> str:
        return self.origin + path

    def _mega_menu(self) -> tuple[str, int]:
        """The primary menu, 24 links: 8 top items, dropdowns of 7 services, 6 locations and 3 of
        the team."""
        def item(href: str, text: str, extra: str = "", sub: str = "") -> str:
            self._menu_id += 1
            classes = f"menu-item menu-item-type-post_type menu-item-object-page{extra} " \
                      f"menu-item-{self._menu_id}"
            toggle = ('<span role="application" class="dropdown-menu-toggle ast-header-'
                      'navigation-arrow" tabindex="0" aria-expanded="false" aria-label="Menu '
                      'Toggle"></span>') if sub else ""
            button = ('<button class="ast-menu-toggle" aria-expanded="false"><span class='
                      f'"screen-reader-text">Menu Toggle</span>{ARROW_SVG}</button>'
                      if sub else "")
            return (f'<li id="menu-item-{self._menu_id}" class="{classes}"><a href='
                    f'"{self._abs(href)}" class="menu-link">{escape(text)}{toggle}</a>'
                    f'{button}{sub}</li>')

        def sub_menu(items: list[tuple[str, str]]) -> str:
            return '<ul class="sub-menu">' + "".join(item(h, t) for h, t in items) + "</ul>"

        self._menu_id = 10
        services = [(f"/services/{_slug(s)}/", s) for s in SERVICES[:7]]
        places = [(f"/locations/{_slug(p)}/", p) for p in PLACES[:6]]
        team = [(f"/team/{slug}/", _person(slug)) for slug in TEAM[:3]]
        lis = [item("/", "Home", " menu-item-home"), item("/about/", "About"),
               item("/services/", "Services", " menu-item-has-children astra-megamenu-li "
                    "full-width-mega", sub_menu(services)),
               item("/locations/", "Locations", " menu-item-has-children",
                    sub_menu(places)),
               item("/team/", "Our Team", " menu-item-has-children", sub_menu(team)),
               item("/blog/", "Blog"), item("/conditions/", "Conditions"),
               item("/contact/", "Contact")]
        count = 8 + len(services) + len(places) + len(team)
        html = ('<div class="site-navigation"><nav id="primary-site-navigation-desktop" '
                'class="site-navigation ast-flex-grow-1 navigation-accessibility '
                'site-header-focus-item" aria-label="Site Navigation: Primary Menu"'
                + NAV_MICRODATA + ">"
                '<div class="main-navigation ast-inline-flex"><ul id="ast-hf-menu-1" class='
                '"main-header-menu ast-menu-shadow ast-nav-menu ast-flex submenu-with-border '
                'astra-menu-animation-fade ast-mega-menu-enabled stack-on-mobile">'
                + "".join(lis) + "</ul></div></nav></div>")
        return html, count

    def _recent_posts(self) -> tuple[str, int]:
        newest = self.blog_posts[-5:][::-1]
        lis = "".join(f'<li><a class="wp-block-latest-posts__post-title" href='
                      f'"{self._abs(u)}">{escape(self._title(u)[1])}</a></li>' for u in newest)
        return ('<aside id="block-3" class="widget widget_block"><h2 class="widget-title">'
                'Recent Posts</h2><ul class="wp-block-latest-posts__list wp-block-latest-posts">'
                f"{lis}</ul></aside>", len(newest))

    def _category_widget(self) -> tuple[str, int]:
        """8 categories; their archives are the blog and condition index pages."""
        pool = self.blog_listing + self.cond_listing
        lis = []
        for k, topic in enumerate(TOPICS[:8]):
            target = pool[k * len(pool) // 8]
            lis.append(f'<li class="cat-item cat-item-{k + 3}"><a href="{self._abs(target)}">'
                       f"{escape(topic.title())}</a> ({12 + (k * 37) % 90})</li>")
        return ('<aside id="categories-2" class="widget widget_categories"><h2 class='
                '"widget-title">Categories</h2><nav aria-label="Categories"><ul>'
                + "".join(lis) + "</ul></nav></aside>", len(lis))

    def _tag_cloud(self) -> tuple[str, int]:
        """11 tags; a tag's archive is the first condition page of its topic (or an index)."""
        first_of: dict[str, str] = {}
        for k, url in enumerate(self.conditions):
            first_of.setdefault(TOPICS[k % len(TOPICS)], url)
        links = []
        for k, topic in enumerate(TOPICS[9:20]):
            target = first_of.get(topic, self.cond_listing[k % len(self.cond_listing)])
            size = 8 + (k * 7) % 14
            links.append(f'<a href="{self._abs(target)}" class="tag-cloud-link tag-link-{k + 20} '
                         f'tag-link-position-{k + 1}" style="font-size: {size}pt;" aria-label='
                         f'"{escape(topic)} ({3 + k * 5} items)">{escape(topic)}</a>')
        return ('<aside id="tag_cloud-2" class="widget widget_tag_cloud"><h2 class="widget-'
                'title">Tags</h2><nav aria-label="Tags"><div class="tagcloud">'
                + "\n".join(links) + "</div></nav></aside>", len(links))

    def _footer_nav(self) -> tuple[str, int]:
        items = [("/privacy/", "Privacy Policy"), ("/faq/", "FAQ"), ("/fees/", "Fees"),
                 ("/insurance/", "Insurance"), ("/new-clients/", "New Clients"),
                 ("/telehealth/", "Telehealth"), ("/about/", "About"), ("/contact/", "Contact")]
        lis = "".join(f'<li id="menu-item-{200 + k}" class="menu-item menu-item-type-post_type '
                      f'menu-item-object-page menu-item-{200 + k}"><a href="{self._abs(h)}" '
                      f'class="menu-link">{escape(t)}</a></li>' for k, (h, t) in enumerate(items))
        return ('<nav id="footer-site-navigation" class="site-navigation footer-navigation" '
                'aria-label="Site Navigation: Footer Menu"' + NAV_MICRODATA
                + '><ul id="astra-footer-menu" '
                f'class="ast-nav-menu ast-footer-menu">{lis}</ul></nav>', len(items))

    def _assets_html(self) -> str:
        parts = [f'<link rel="stylesheet" id="{i}" href="{self._abs(h)}" media="all">'
                 for i, h in WP_STYLES]
        parts.append(f'<style id="global-styles-inline-css">{WP_GLOBAL_CSS}</style>')
        parts += [f'<script src="{self._abs(h)}" id="{i}"></script>' for i, h in WP_HEAD_SCRIPTS]
        parts.append(f'<meta name="generator" content="WordPress {WP_VERSION}">')
        parts += [f'<link rel="{rel}" href="{self._abs(h)}"{sizes}>' for rel, h, sizes in WP_ICONS]
        return "\n".join(parts)

    # -- one page ---------------------------------------------------------------------------

    def _kind(self, url: str, listing: list[str] | None) -> str:
        if url in self.post_set:
            return "post"
        if url in self.condition_set:
            return "condition"
        if url.startswith(("/blog/", "/conditions/")) and listing is not None:
            return "archive"
        return "page"

    def _date(self, url: str, index: int) -> tuple[str, str]:
        """(ISO date-time, shown date) of a post: its year and month come from its address."""
        parts = url.strip("/").split("/")
        if len(parts) >= 3 and parts[1].isdigit() and parts[2].isdigit():
            year, month = int(parts[1]), int(parts[2])
        else:
            year, month = 2019 + index % 6, 1 + index % 12
        day = 1 + index % 28
        return (f"{year}-{month:02d}-{day:02d}T{8 + index % 10:02d}:{index % 60:02d}:00+00:00",
                f"{MONTHS[month - 1]} {day}, {year}")

    def page(self, url: str, index: int, listing: list[str] | None = None) -> str:
        rng = self.rng
        target = rng.randint(25_000, 45_000)
        title, h1 = self._title(url)
        kind = self._kind(url, listing)
        rdfa = index % 50 == 17  # 2%: another theme's template, RDFa instead of microdata
        bare = not rdfa and index % 3 == 1  # a wrapper with itemscope and no itemtype
        jsonld = (url in ("/", "/contact/") or url.startswith("/locations/")
                  or rng.random() < 0.1)
        old_phone = rng.random() < 0.01
        description = ("" if rng.random() < 0.05 else
                       f"{h1}: therapy with {NAME} in {rng.choice(PLACES)}, Los Angeles. In "
                       "person in Beverly Hills and by telehealth across California.")
        published, shown = self._date(url, index)
        author = TEAM[index % len(TEAM)]
        image = rng.choice(self.images[:40])
        head = self._head(url, title, description, kind, published, author, image, jsonld)
        links = 0  # internal <a href> of this page

        # Header: logo and the mega menu; the call button.
        header = (
            '<header class="site-header header-main-layout-1 ast-primary-menu-enabled '
            'ast-logo-title-inline ast-hide-custom-menu-mobile ast-builder-menu-toggle-icon '
            'ast-mobile-header-inline" id="masthead"'
            + ("" if rdfa else ' itemtype="https://schema.org/WPHeader" itemscope="itemscope" '
               'itemid="#masthead"')
            + '><div id="ast-desktop-header" data-toggle-type="dropdown"><div class="ast-main-'
            'header-wrap main-header-bar-wrap"><div class="ast-primary-header-bar ast-primary-'
            'header main-header-bar site-header-focus-item" data-section="section-primary-'
            'header-builder"><div class="site-primary-header-wrap ast-builder-grid-row-'
            'container site-header-focus-item ast-container"><div class="site-branding ast-'
            'site-identity"' + ("" if rdfa else ' itemtype="https://schema.org/Organization" '
                                'itemscope="itemscope"')
            + f'><span class="site-logo-img"><a href="{self._abs("/")}" class="custom-logo-'
            f'link" rel="home"' + ("" if rdfa else ' itemprop="url"') + f'>{LOGO_SVG}'
            f'<span class="site-title"' + ("" if rdfa else ' itemprop="name"')
            + f'>{NAME}</span></a></span></div>' + (self._menu_rdfa if rdfa else self._menu)
            + f'<div class="ast-builder-button-wrap"><a class="ast-custom-button-link" href='
            f'"tel:{PHONE_TEL}"><div class="ast-custom-button">Call {PHONE_DISPLAY}</div></a>'
            "</div></div></div></div></div></header>")
        links += 1 + self._menu_links

        # The entry: h1 (with the theme's itemprop), meta line, content, related, post nav.
        item_type = {"post": "BlogPosting", "condition": "Article"}.get(kind, "CreativeWork")
        if rdfa:
            entry_open = f'<article id="post-{self.post_ids[url]}" typeof="{item_type}" ' \
                         f'property="mainEntity">'
            h1_attr, body_attr = ' property="name"', ' property="articleBody"'
        else:
            entry_open = (f'<article class="post-{self.post_ids[url]} {kind} type-{kind} '
                          f'status-publish format-standard hentry ast-article-single" id="post-'
                          f'{self.post_ids[url]}" itemtype="https://schema.org/{item_type}" '
                          'itemscope="itemscope">')
            h1_attr = ' itemprop="headline"'
            body_attr = ' itemprop="articleBody"' if kind in ("post", "condition") \
                else ' itemprop="text"'
        entry = [entry_open if kind != "archive" else "",
                 '<header class="entry-header ast-no-thumbnail">']
        if rng.random() < 0.98:
            entry.append(f'<h1 class="entry-title"{h1_attr if kind != "archive" else ""}>'
                         f"{escape(h1)}</h1>")
        if kind in ("post", "condition"):
            prop = (lambda name: f' property="{name}"') if rdfa else \
                (lambda name: f' itemprop="{name}"')
            person = (' property="author" typeof="Person"' if rdfa else
                      ' itemprop="author" itemscope itemtype="https://schema.org/Person"')
            entry.append(
                '<div class="entry-meta"><span class="posted-by vcard author"'
                f'{person}><a title="View all posts by {_person(author)}" href='
                f'"{self._abs(f"/team/{author}/")}" rel="author" class="url fn n"'
                f'{prop("url")}><span class="author-name"{prop("name")}>{_person(author)}'
                '</span></a></span> / <span class="posted-on"><time class="entry-date '
                f'published" datetime="{published}"{prop("datePublished")}>{shown}</time>'
                "</span></div>")
            links += 1
        entry.append("</header>")
        if rng.random() < 0.03:
            entry.append(f"<h1>{escape(rng.choice(SERVICES))}</h1>")
        entry.append(f'<div class="entry-content clear"{body_attr if kind != "archive" else ""}'
                     f' data-ast-blocks-layout="true">')
        entry.append(f'<p class="lede">{self._paragraphs[index % len(self._paragraphs)]}</p>')

        content = [self._internal_link(url, self.BROKEN, self.REDIRECT, self.NO_SLASH)
                   for _ in range(rng.randint(1, 9))]  # counted by _internal_link
        externals = [self._external_link() for _ in range(rng.randint(1, 3))]
        images = [self._image().replace(
            "<img ", f'<img decoding="async" class="aligncenter size-large wp-image-'
                     f'{rng.randint(200, 9000)}" ', 1) for _ in range(rng.randint(2, 5))]

        after: list[str] = []  # after the entry content: archive list, related, post nav
        if listing is not None:
            after.append('<div class="ast-archive-list">' + "".join(
                '<article class="ast-archive-item" ' + (
                    'typeof="CreativeWork"' if rdfa else 'itemtype="https://schema.org/'
                    'CreativeWork" itemscope="itemscope"')
                + '><h2 class="entry-title"' + (' property="headline"' if rdfa else
                                                 ' itemprop="headline"')
                + f'><a href="{self._abs(u)}" rel="bookmark">{escape(_label(u).title())}</a>'
                "</h2></article>" for u in listing) + "</div>")
            links += len(listing)
        if kind in ("post", "condition"):
            pool = self.blog_posts if kind == "post" else self.conditions
            related = []
            for _ in range(rng.randint(3, 4)):
                other = pool[rng.randrange(len(pool))]
                related.append(other if other != url else pool[0])
            after.append(
                '<div class="ast-single-related-posts-container"><div class="ast-related-'
                'posts-title-section"><h2 class="ast-related-posts-title">Related Posts</h2>'
                '</div><div class="ast-related-posts-wrapper">' + "".join(
                    f'<article class="ast-related-post"><div class="ast-related-post-content">'
                    f'<h3 class="ast-related-post-title entry-title"><a href="{self._abs(u)}" '
                    f'target="_self" rel="bookmark noopener noreferrer">'
                    f"{escape(self._title(u)[1])}</a></h3></div></article>" for u in related)
                + "</div></div>")
            links += len(related)
        nxt = self.urls[(index + 1) % len(self.urls)]
        after.append(
            '<nav class="navigation post-navigation" aria-label="Posts"><div class="nav-links">'
            f'<div class="nav-next"><a title="{escape(_label(nxt))}" href="{self._abs(nxt)}" '
            'rel="next"><span class="ast-post-nav">Next <span aria-hidden="true">&rarr;</span>'
            f"</span> <p>{escape(_label(nxt))}</p></a></div></div></nav>")
        links += 1

        # Sidebar: recent posts and categories on the blog, the tag cloud on conditions and
        # on the indexes; the other pages use the theme's full-width layout.
        widgets = []
        if kind == "post" or kind == "archive":
            widgets += [self._recent, self._categories]
            links += self._recent_links + self._category_links
        if kind == "condition" or kind == "archive":
            widgets.append(self._tags)
            links += self._tag_links
        sidebar = ""
        if widgets:
            sidebar = ('<div class="widget-area secondary" id="secondary"' + (
                "" if rdfa else ' itemtype="https://schema.org/WPSideBar" itemscope="itemscope"')
                + '><div class="sidebar-main" role="complementary">' + "".join(widgets)
                + "</div></div>")

        footer = self._wp_footer(old_phone, rdfa)
        links += self._footer_links
        self.stats["internal_a_links"] += links
        self.stats["template_links"] += links
        if rdfa:
            body_open = '<body vocab="https://schema.org/" typeof="WebPage" class="wp-theme-' \
                        f'custom {kind}-template">'
        else:
            body_open = (f'<body itemtype="https://schema.org/WebPage" itemscope="itemscope" '
                         f'class="{kind}-template-default single single-{kind} postid-'
                         f'{self.post_ids[url]} wp-custom-logo ast-desktop ast-separate-'
                         f'container ast-{"right" if widgets else "no"}-sidebar astra-'
                         f'{ASTRA_VERSION} ast-header-custom-item-inside ast-blog-single-style-1'
                         '">')
        opening = [body_open, '<a class="skip-link screen-reader-text" href="#content">Skip to '
                   'content</a>',
                   '<div class="hfeed site" id="page"' + (" itemscope" if bare else "") + ">",
                   header, '<div id="content" class="site-content"><div class="ast-container">',
                   '<div id="primary" class="content-area primary"><main id="main" class='
                   '"site-main">']
        closing = ["</div>", *after, "</article>" if kind != "archive" else "",
                   "</main></div>", sidebar, "</div></div>", footer, "</div>",
                   f'<script id="astra-theme-js-js-extra">{WP_INLINE_JS}</script>',
                   *(f'<script src="{self._abs(h)}" id="{i}"></script>'
                     for i, h in WP_FOOT_SCRIPTS),
                   "</body>\n</html>\n"]

        size = sum(map(len, head)) + sum(map(len, opening)) + sum(map(len, entry)) + sum(
            map(len, closing)) + 200
        blocks = self._prose(size, target, content, externals, images, _WORDPRESS_PROSE)
        rest = []
        if images:
            rest.append("".join(f'<figure class="wp-block-image">{img}</figure>'
                                for img in images))
        if content or externals:
            items = [f'<li><a href="{escape(h)}">{escape(t)}</a></li>' for h, t in content]
            items += [f'<li><a href="{e}" target="_blank" rel="noreferrer noopener">Partner '
                      'resource</a></li>' for e in externals]
            rest.append('<ul class="wp-block-list">' + "".join(items) + "</ul>")
        html = "\n".join(head + opening + entry + blocks + rest + closing)
        self.stats["old_phone_pages"] += old_phone
        self.stats["rdfa_pages" if rdfa else "microdata_pages"] += 1
        self.stats["bare_itemscope_pages"] += bare
        self.stats["bytes"] += len(html.encode("utf-8"))
        return html

    def _head(self, url: str, title: str, description: str, kind: str, published: str,
              author: str, image: str, jsonld: bool) -> list[str]:
        page_url = self._abs(url)
        article = kind in ("post", "condition")
        head = [
            '<!DOCTYPE html>\n<html lang="en-US">\n<head>\n<meta charset="UTF-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            "<!-- This site is optimized with the Yoast SEO plugin v" + YOAST_VERSION
            + " - https://yoast.com/wordpress/plugins/seo/ -->",
            f"<title>{escape(title)}</title>",
        ]
        if description:
            head.append(f'<meta name="description" content="{escape(description)}">')
        head += [
            '<meta name="robots" content="index, follow, max-image-preview:large, '
            'max-snippet:-1, max-video-preview:-1">',
            f'<link rel="canonical" href="{page_url}">',
            '<meta property="og:locale" content="en_US">',
            f'<meta property="og:type" content="{"article" if article else "website"}">',
            f'<meta property="og:title" content="{escape(title)}">',
        ]
        if description:
            head.append(f'<meta property="og:description" content="{escape(description)}">')
        head += [f'<meta property="og:url" content="{page_url}">',
                 f'<meta property="og:site_name" content="{NAME}">']
        if article:
            head += [f'<meta property="article:published_time" content="{published}">',
                     f'<meta property="article:modified_time" content="{published}">']
        head += [
            f'<meta property="og:image" content="{self._abs(image)}">',
            '<meta property="og:image:width" content="1200">',
            '<meta property="og:image:height" content="800">',
            '<meta property="og:image:type" content="image/jpeg">',
            '<meta name="twitter:card" content="summary_large_image">',
            f'<meta name="twitter:title" content="{escape(title)}">',
        ]
        if description:
            head.append(f'<meta name="twitter:description" content="{escape(description)}">')
        head.append(f'<meta name="twitter:image" content="{self._abs(image)}">')
        if article:
            head += [f'<meta name="author" content="{_person(author)}">',
                     '<meta name="twitter:label1" content="Written by">',
                     f'<meta name="twitter:data1" content="{_person(author)}">',
                     '<meta name="twitter:label2" content="Est. reading time">',
                     f'<meta name="twitter:data2" content="{4 + len(url) % 6} minutes">']
        head.append('<script type="application/ld+json" class="yoast-schema-graph">'
                    + json.dumps(self._yoast_graph(url, title, description, published, image,
                                                   article), separators=(",", ":"))
                    + "</script>")
        head.append("<!-- / Yoast SEO plugin. -->")
        head.append(self._head_assets)
        head += [f"<style>{CSS}</style>", f"<script>{ANALYTICS_JS}</script>"]
        if jsonld:
            head.append(self._jsonld_script())
        head.append("</head>")
        self.stats["og_pages"] += 1
        self.stats["twitter_pages"] += 1
        self.stats["yoast_graph_pages"] += 1
        return head

    def _yoast_graph(self, url: str, title: str, description: str, published: str,
                     image: str, article: bool) -> dict:
        page_url = self._abs(url)
        home = self._abs("/")
        crumbs = [{"@type": "ListItem", "position": 1, "name": "Home", "item": home}]
        section = url.strip("/").split("/")[0] if url != "/" else ""
        if section in ("blog", "conditions", "services", "locations", "team") \
                and url != f"/{section}/":
            crumbs.append({"@type": "ListItem", "position": 2, "name": section.title(),
                           "item": self._abs(f"/{section}/")})
        if url != "/":
            crumbs.append({"@type": "ListItem", "position": len(crumbs) + 1,
                           "name": title.split(" | ")[0]})
        webpage = {"@type": "WebPage", "@id": page_url, "url": page_url, "name": title,
                   "isPartOf": {"@id": f"{home}#website"},
                   "primaryImageOfPage": {"@id": f"{page_url}#primaryimage"},
                   "image": {"@id": f"{page_url}#primaryimage"},
                   "thumbnailUrl": self._abs(image),
                   "breadcrumb": {"@id": f"{page_url}#breadcrumb"}, "inLanguage": "en-US",
                   "potentialAction": [{"@type": "ReadAction", "target": [page_url]}]}
        if description:
            webpage["description"] = description
        if article:
            webpage["datePublished"] = webpage["dateModified"] = published
        return {"@context": SCHEMA, "@graph": [
            webpage,
            {"@type": "ImageObject", "inLanguage": "en-US", "@id": f"{page_url}#primaryimage",
             "url": self._abs(image), "contentUrl": self._abs(image), "width": 1200,
             "height": 800},
            {"@type": "BreadcrumbList", "@id": f"{page_url}#breadcrumb",
             "itemListElement": crumbs},
            {"@type": "WebSite", "@id": f"{home}#website", "url": home, "name": NAME,
             "description": "Therapy in Beverly Hills and across Los Angeles",
             "inLanguage": "en-US"}]}

    def _wp_footer(self, old_phone: bool, rdfa: bool) -> str:
        """The footer: the practice card as a MedicalBusiness item with its PostalAddress
        (microdata, or RDFa on the RDFa pages), the footer menu, the crisis line."""
        phone = OLD_PHONE if old_phone else PHONE_DISPLAY
        tel = "+13109994969" if old_phone else PHONE_TEL
        if rdfa:
            def prop(name: str) -> str:
                return f' property="{name}"'
            card = ' property="publisher" typeof="MedicalBusiness"'
            address = ' property="address" typeof="PostalAddress"'
            colophon = ""
        else:
            def prop(name: str) -> str:
                return f' itemprop="{name}"'
            card = ' itemscope itemtype="https://schema.org/MedicalBusiness"'
            address = ' itemprop="address" itemscope itemtype="https://schema.org/PostalAddress"'
            colophon = ' itemtype="https://schema.org/WPFooter" itemscope="itemscope" ' \
                       'itemid="#colophon"'
        return (
            f'<footer class="site-footer" id="colophon"{colophon}><div class="site-primary-'
            'footer-wrap ast-builder-grid-row-container site-footer-focus-item ast-footer-row-'
            'stack ast-footer-row-tablet-stack ast-footer-row-mobile-stack" data-section='
            '"section-primary-footer-builder"><div class="ast-builder-grid-row-container-inner">'
            '<div class="ast-builder-footer-grid-columns site-primary-footer-inner-wrap ast-'
            'builder-grid-row"><div class="site-footer-primary-section-1 site-footer-section '
            'site-footer-section-1"><aside class="footer-widget-area widget-area site-footer-'
            'focus-item" data-section="sidebar-widgets-footer-widget-1" aria-label="Footer '
            'Widget 1"><section id="block-7" class="widget widget_block">'
            f'<div class="practice-card"{card}><strong{prop("name")}>{NAME}</strong><br>'
            f'{PRACTITIONER}<br>Licensed Clinical Psychologist, License {LICENSE}'
            f'<address{address}><span{prop("streetAddress")}>{STREET}, {SUITE}</span><br>'
            f'<span{prop("addressLocality")}>{CITY}</span>, <span{prop("addressRegion")}>'
            f'{STATE}</span> <span{prop("postalCode")}>{ZIP}</span></address>'
            # the property on a span around the link: in RDFa an href inside starts a new
            # subject, and a microdata telephone on the <a> itself would be its tel: address
            f'Phone: <span{prop("telephone")}><a href="tel:{tel}">{phone}</a></span><br>'
            f'Email: <span{prop("email")}><a href="mailto:{EMAIL}">{EMAIL}</a></span></div>'
            '</section></aside></div><div class="site-footer-primary-section-2 site-footer-'
            'section site-footer-section-2">'
            f'{self._footer_menu_rdfa if rdfa else self._footer_menu}</div></div></div></div>'
            '<div class="site-below-footer-wrap ast-builder-grid-row-container site-footer-'
            'focus-item ast-builder-grid-row-full ast-builder-grid-row-tablet-full ast-builder-'
            'grid-row-mobile-full ast-footer-row-stack" data-section="section-below-footer-'
            'builder"><div class="ast-builder-grid-row-container-inner"><div class="ast-footer-'
            'copyright"><p class="crisis">In crisis? Call or text 988 (Suicide &amp; Crisis '
            'Lifeline) or dial 911.</p>'
            f'<p>Copyright &copy; 2025 {NAME} | Powered by Astra WordPress Theme</p></div>'
            "</div></div></footer>")

    # -- the whole site ---------------------------------------------------------------------

    def _write_assets(self, www: Path) -> None:
        super()._write_assets(www)
        for _, href in WP_STYLES:
            path = www / href.split("?")[0].lstrip("/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(CSS * 3 + WP_GLOBAL_CSS, "utf-8")
        for _, href in WP_HEAD_SCRIPTS + WP_FOOT_SCRIPTS:
            path = www / href.split("?")[0].lstrip("/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(ANALYTICS_JS * 30, "utf-8")
        for _, href, _ in WP_ICONS:
            path = www / href.lstrip("/")
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)


SHAPES = {"practice": Site, "wordpress": WordPressSite}


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def _label(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[-1].replace("-", " ") or "home"


def generate(out: Path, pages: int, origin: str, external_origins: list[str], seed: int = 2024,
             external_urls: int | None = None, slow_origin: str | None = None,
             slow_urls: int = 0, shape: str = "practice") -> dict:
    """Write the site into ``out`` (replacing it) and return what was generated.

    ``shape``: "practice" (JSON-LD only, 15-30 links a page) or "wordpress" (microdata,
    Open Graph, a few RDFa pages, 40-60 links a page); see SHAPES.
    """
    started = time.perf_counter()
    if shape not in SHAPES:
        raise ValueError(f"unknown site shape {shape!r}; one of {', '.join(SHAPES)}")
    if external_urls is None:
        external_urls = max(50, pages // 10)
    site = SHAPES[shape](pages, seed, origin, external_origins, external_urls, slow_origin,
                         slow_urls)
    stats = site.write(out)
    # site.json of the practice shape stays as it was before shapes existed: no "shape" key
    info = {} if shape == "practice" else {"shape": shape}
    info |= {
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
    parser.add_argument("--shape", choices=sorted(SHAPES), default="practice",
                        help="practice: JSON-LD only, 15-30 links a page; wordpress: microdata, "
                             "Open Graph, a few RDFa pages, 40-60 links a page")
    args = parser.parse_args(argv)
    info = generate(args.out, args.pages, args.origin, args.external_origin, args.seed,
                    args.external_urls, args.slow_origin, args.slow_urls, args.shape)
    print(json.dumps(info, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
