"""Ordliste: the glossary of the terms and key figures the pages use (any logged-in user)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from bassplan.web.glossary import glossary
from bassplan.web.pageauth import PageUser
from bassplan.web.render import page_lang, render

router = APIRouter(include_in_schema=False)


@router.get("/ordliste", response_class=HTMLResponse)
def glossary_page(request: Request, user: PageUser) -> HTMLResponse:
    """Every term with its explanation, each under its own anchor (/ordliste#p90)."""
    return render(request, "glossary.html", terms=glossary(page_lang(request)))
