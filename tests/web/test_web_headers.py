"""Security headers on every kind of response (a page, the API, a static file, a 404, a 422,
a 500, the docs), pages without inline script or style, and /docs from local files only."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI
from fastapi.responses import PlainTextResponse

from tests.support.api import TestClient, bearer
from tests.support.web import page_login

CSP = ("default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
       "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
PAGES = ("/", "/scorecard", "/scenarier", "/scenarier/nyt", "/program", "/data", "/revision",
         "/brugere", "/konto", "/scenarier/Baseline 2026",
         "/scenarier/sammenlign?a=Baseline 2026&b=Kardiologi med to styrkepositioner")


def nonce_of(response: httpx.Response) -> str:
    """The response's CSP nonce, after checking the whole header and the other three."""
    policy = response.headers["content-security-policy"]
    found = re.search(r"'nonce-([A-Za-z0-9_-]{24})'", policy)
    assert found, policy
    assert policy == CSP.format(nonce=found.group(1))
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"
    return found.group(1)


def test_every_kind_of_response_carries_the_headers(web: TestClient) -> None:
    answers = {
        "page": web.get("/login"),
        "api": web.get("/api/session", headers=bearer(web, "viewer")),
        "static": web.get("/static/app.js"),
        "stylesheet": web.get("/css/report.css"),
        "page 404": web.get("/ingen-side"),
        "api 404": web.get("/api/scenarios/ingen", headers=bearer(web, "viewer")),
        "api 422": web.post("/api/login", json={"username": "x"}),
        "api 401": web.get("/api/scenarios"),
        "redirect": web.get("/"),
        "docs": web.get("/docs"),
        "docs asset": web.get("/docs/assets/swagger-ui.css"),
        "openapi": web.get("/openapi.json"),
    }
    expected = {"page": 200, "api": 200, "static": 200, "stylesheet": 200, "page 404": 404,
                "api 404": 404, "api 422": 422, "api 401": 401, "redirect": 303, "docs": 200,
                "docs asset": 200, "openapi": 200}
    assert {name: r.status_code for name, r in answers.items()} == expected
    nonces = {nonce_of(r) for r in answers.values()}
    assert len(nonces) == len(answers)  # a fresh nonce per response


def test_a_server_error_carries_the_headers(web_app: FastAPI) -> None:
    @web_app.get("/api/boom")
    def boom() -> None:
        raise RuntimeError("boom")

    with TestClient(web_app, raise_server_exceptions=False) as client:
        answer = client.get("/api/boom")
    assert answer.status_code == 500
    nonce_of(answer)


def test_a_route_may_set_its_own_policy(web_app: FastAPI) -> None:
    @web_app.get("/api/own-policy")
    def own() -> PlainTextResponse:
        return PlainTextResponse("x", headers={"Content-Security-Policy": "sandbox"})

    with TestClient(web_app) as client:
        answer = client.get("/api/own-policy")
    assert answer.headers.get_list("content-security-policy") == ["sandbox"]


def test_pages_have_no_inline_script_handler_or_style(web: TestClient) -> None:
    page_login(web, "admin")
    for path in PAGES:
        html = web.get(path).text
        assert web.get(path).status_code == 200, path
        scripts = re.findall(r"<script([^>]*)>", html)
        assert scripts == [' type="application/json" id="bass-words"',
                           ' src="/static/app.js" defer'], path
        assert not re.search(r"\son[a-z]+\s*=", html), path  # onchange=, onclick=, ...
        assert not re.search(r"<style|\sstyle\s*=", html), path
        assert "javascript:" not in html, path


def test_docs_use_only_local_files_which_are_served(web: TestClient) -> None:
    answer = web.get("/docs")
    nonce = nonce_of(answer)
    html = answer.text
    links = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sorted(links) == ["/docs/assets/favicon.png", "/docs/assets/swagger-ui-bundle.js",
                             "/docs/assets/swagger-ui.css"]
    assert "http://" not in html and "https://" not in html and "//cdn" not in html
    inline = re.findall(r"<script([^>]*)>", html)
    assert inline == [' src="/docs/assets/swagger-ui-bundle.js"', f' nonce="{nonce}"']
    assert "url: '/openapi.json'" in html and '"validatorUrl": null' in html
    types = {link: web.get(link) for link in links}
    assert {link: (r.status_code, r.headers["content-type"].split(";")[0])
            for link, r in types.items()} == {
        "/docs/assets/favicon.png": (200, "image/png"),
        "/docs/assets/swagger-ui-bundle.js": (200, "text/javascript"),
        "/docs/assets/swagger-ui.css": (200, "text/css"),
    }
    bundle = types["/docs/assets/swagger-ui-bundle.js"].text
    assert re.search(r'"5\.\d+\.\d+"', bundle)  # Swagger UI 5: it reads OpenAPI 3.1
    assert web.get("/openapi.json").json()["openapi"].startswith("3.1")
    assert web.get("/redoc").status_code == 404  # off: its script injects styles
