"""Tagging: topics (IPTC Media Topics) and regions (countries and macro-regions).

The pipeline stage is :func:`feedtool.tagging.pipeline.tag_articles`; the taggers
live in :mod:`feedtool.tagging.topics` and :mod:`feedtool.tagging.regions`.
Importing this package loads no tagger data.
"""
