"""Link and content quality checks: generic or uncrawlable links, internal nofollow, pages
whose main text duplicates another's."""
