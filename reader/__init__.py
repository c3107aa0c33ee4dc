"""reader: a keyboard-first terminal reader and annotator for argumentative texts.

Importing the package stays cheap: submodules are imported where they are used.
"""

__version__ = "0.1.0"
