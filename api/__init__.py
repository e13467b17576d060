"""The HTTP edge: a FastAPI app over :class:`epg.service.Service`."""
