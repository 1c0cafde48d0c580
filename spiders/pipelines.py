"""The crawl's only item pipeline: each record type appended to its own JSON Lines file.

Files are opened unbuffered: every finished record is in the kernel the moment it is written, so
a crawl killed with SIGKILL loses nothing it had recorded (a torn last line is skipped by
audit.load). A page's records come already encoded by its extraction worker
(``spiders.records``) and are written as they are, one write per file per page.
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from spiders.items import RECORD_FILES, FetchItem, SitemapEntries
from spiders.records import PageRecords, encode_record


class RecordWriter:
    def __init__(self, crawl_dir: Path, append: bool) -> None:
        self.crawl_dir = crawl_dir
        self.mode = "ab" if append else "wb"
        self.files: dict[str, IO[bytes]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> RecordWriter:
        settings = crawler.settings
        return cls(Path(settings.get("CRAWL_DIR")), settings.getbool("SEO_RESUME"))

    def open_spider(self, spider: Any = None) -> None:
        self.crawl_dir.mkdir(parents=True, exist_ok=True)
        for name in RECORD_FILES:
            self.files[name] = (self.crawl_dir / name).open(self.mode, buffering=0)

    def close_spider(self, spider: Any = None) -> None:
        for handle in self.files.values():
            handle.close()

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if isinstance(item, PageRecords):
            self.files["pages.jsonl"].write(item.page)
            if item.links:
                self.files["links.jsonl"].write(item.links)
            if item.fetch is not None:  # after the page's lines: see SiteSpider.on_response
                self.files["fetches.jsonl"].write(encode_record(vars(item.fetch)))
        elif isinstance(item, FetchItem):
            self.files["fetches.jsonl"].write(encode_record(vars(item)))
        elif isinstance(item, SitemapEntries):
            self.files["sitemap.jsonl"].write(
                b"".join(encode_record(vars(entry)) for entry in item.entries))
        return item
