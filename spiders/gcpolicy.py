"""How often the crawl's and the audit's processes run Python's cyclic garbage collector.

CPython runs its collector after every 700 net allocations of container objects (dicts, lists,
Requests, Deferreds) and now and then walks every live one. Almost everything these processes
make is freed by reference counting the moment it is dropped; the collector is only for
reference cycles, of which a 10,000-page crawl makes some 35,000 objects' worth. Yet with the
default settings the crawl process spent 3.3-3.8 s of its 15 s of CPU in the collector,
walking the thousands of requests waiting in the scheduler again and again. A collection
every 50,000 allocations instead (and the rarer generations in proportion) costs it under
0.1 s, for about 4 MB more memory (measured at 10,000 pages).
"""

from __future__ import annotations

import gc

YOUNG_THRESHOLD = 50_000  # net container allocations between collections (Python: 700)
OLDER_THRESHOLD = 20  # collections of a generation before the next one is collected (10)


def collect_less(freeze: bool = False) -> None:
    """Collect cycles less often; ``freeze``: never again walk the objects alive now (what the
    process set up before its real work: modules, settings, the crawler)."""
    if freeze:
        gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, OLDER_THRESHOLD, OLDER_THRESHOLD)
