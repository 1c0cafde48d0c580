"""Mobile, language, speed and address checks: viewport, lang, slow pages, heavy images,
unfriendly URLs."""
