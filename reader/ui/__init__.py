"""The Textual user interface: the reader app, its screens and widgets."""
