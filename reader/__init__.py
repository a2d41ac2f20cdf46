"""reader: an accessibility-first text-to-speech reader for web articles."""

__version__ = "0.1.0"
