"""feedtool: openly licensed news articles in; a tagged static site and Atom feeds out."""

__version__ = "0.1.0"
