"""epg: TV schedule text in, typed programme guides out.

The domain core. Nothing here imports ``feeds`` or ``api``; the parser,
time line and models are pure, the store is the only module that does I/O.
"""

__version__ = "0.1.0"
