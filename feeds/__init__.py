"""Feed writers: typed guides in, deterministic bytes out (XMLTV, iCal, JSON)."""
