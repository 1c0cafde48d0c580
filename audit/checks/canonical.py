"""Canonical and hreflang checks: what a page declares about its preferred and language
addresses, from <link> elements in <head> and the HTTP Link header (sitemaps too, for hreflang).
"""
