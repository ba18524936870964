"""Tagging: topics (IPTC Media Topics) and regions (countries and macro-regions)."""
