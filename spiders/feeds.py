"""Feed storage that writes each item straight to the file, with no buffer in between.

Scrapy's JSON Lines exporter writes one item per ``write()``; without a userspace buffer every
finished record is in the kernel the moment it is exported, so a crawl killed with SIGKILL
loses nothing it had recorded (a torn last line is skipped by audit.load).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from scrapy import Spider
from scrapy.extensions.feedexport import FileFeedStorage


class UnbufferedFileFeedStorage(FileFeedStorage):
    def open(self, spider: Spider) -> IO[bytes]:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        return Path(self.path).open(self.write_mode, buffering=0)
