"""The pages a problem's ``type`` points to: what each kind of error means and what to do about it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api.errors import TITLES, kinds, problem_type
from api.routes.pages import render
from epg.errors import NotFound

router = APIRouter(tags=["pages"])


@router.get("/problems", response_class=HTMLResponse, summary="Every kind of problem the API answers")
def problem_index(request: Request) -> HTMLResponse:
    return render(request, "problems.html", {"nav": "", "problems": [
        (kind, problem_type(kind), status, TITLES.get(status, "Error"), text)
        for kind, (status, text) in kinds().items()], "one": None})


@router.get("/problems/{kind}", response_class=HTMLResponse, summary="What one kind of problem means")
def problem_page(request: Request, kind: str) -> HTMLResponse:
    found = kinds().get(kind)
    if found is None:
        raise NotFound(f"no problem kind {kind!r}; /problems lists them", field="kind")
    status, text = found
    return render(request, "problems.html", {"nav": "", "problems": [
        (kind, problem_type(kind), status, TITLES.get(status, "Error"), text)], "one": kind})
