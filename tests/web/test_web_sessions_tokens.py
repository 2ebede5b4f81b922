"""Sessions and API tokens on the pages, in Danish (and English where words change): logging
out and an admin's "end sessions" refuse the old cookie at once; the account page issues a
token once, lists and revokes it; the password rule speaks Danish; the users page shows open
sessions and every user's tokens; the audit trail names the new actions."""

from __future__ import annotations

import re

from tests.support.api import PASSWORD, TestClient
from tests.support.web import form_token, page_login

COOKIE = "bass_session"


def _switch(web: TestClient, cookie: str) -> None:
    web.cookies.clear()
    web.cookies.set(COOKIE, cookie)


def test_page_logout_refuses_the_old_cookie(web: TestClient) -> None:
    csrf = page_login(web, "viewer")
    old = web.cookies.get(COOKIE) or ""
    assert web.post("/logout", data={"csrf_token": csrf}).status_code == 303
    _switch(web, old)
    assert web.get("/scorecard").status_code == 303  # to the login page


def test_account_page_issues_lists_and_revokes_a_token(web: TestClient) -> None:
    page_login(web, "planner")
    page = web.get("/konto")
    assert "API-nøgler" in page.text and "Ingen API-nøgler." in page.text
    token_field = form_token(page.text)
    made = web.post("/konto/noegler", data={"csrf_token": token_field, "name": "rapport",
                                           "days": "30"})
    assert made.status_code == 201 and "vises ikke igen" in made.text
    shown = re.search(r'<p class="ok" role="status" id="new-token">.*?<code>([^<]+)</code>',
                      made.text)
    assert shown
    token = shown.group(1)
    me = web.get("/api/session", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["user"]["username"] == "planner"
    listing = web.get("/konto").text
    assert token not in listing  # shown once only
    row = re.search(r'<tr id="token-(\d+)" class="active">.*?</tr>', listing, re.S)
    assert row and "rapport" in row.group(0) and ">aktiv<" in row.group(0)
    too_long = web.post("/konto/noegler", data={"csrf_token": token_field, "name": "x",
                                               "days": "400"})
    assert too_long.status_code == 422 and "højst 365 dage" in too_long.text
    revoked = web.post(f"/konto/noegler/{row.group(1)}/tilbagekald",
                       data={"csrf_token": token_field})
    assert revoked.status_code == 303
    after = web.get(revoked.headers["location"]).text
    assert "API-nøglen er tilbagekaldt." in after and ">tilbagekaldt<" in after
    web.cookies.set("bass_lang", "en")
    assert "API tokens" in web.get("/konto").text and ">revoked<" in web.get("/konto").text
    web.cookies.set("bass_lang", "da")
    gone = web.get("/api/session", headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 401


def test_password_page_speaks_the_rule_in_danish_and_renews_the_session(
    web: TestClient,
) -> None:
    page_login(web, "viewer")
    old = web.cookies.get(COOKIE) or ""
    page = web.get("/konto")
    assert "Mindst 12 tegn" in page.text and 'minlength="12"' in page.text
    csrf = form_token(page.text)
    common = {"csrf_token": csrf, "current": PASSWORD, "new": "Sommer2024!!!",
              "again": "Sommer2024!!!"}
    refused = web.post("/konto/adgangskode", data=common)
    assert refused.status_code == 422
    assert "Adgangskoden er for almindelig" in refused.text
    assert refused.text.count('role="alert"') == 1
    short = web.post("/konto/adgangskode", data={**common, "new": "kort", "again": "kort"})
    assert "Adgangskoden er for kort: den skal have mindst 12 tegn." in short.text
    done = web.post("/konto/adgangskode", data={**common, "new": "en-lang-saetning-nu",
                                                "again": "en-lang-saetning-nu"})
    assert done.status_code == 303
    renewed = web.cookies.get(COOKIE) or ""
    assert renewed and renewed != old
    assert "Adgangskoden er skiftet." in web.get(done.headers["location"]).text
    _switch(web, old)
    assert web.get("/konto").status_code == 303


def test_admin_ends_sessions_and_revokes_tokens_on_the_users_page(web: TestClient) -> None:
    page_login(web, "planner")
    planner = web.get("/konto")
    made = web.post("/konto/noegler", data={"csrf_token": form_token(planner.text),
                                           "name": "natlig"})
    assert made.status_code == 201
    planner_cookie = web.cookies.get(COOKIE) or ""
    web.cookies.clear()
    page_login(web, "admin")
    admin_cookie = web.cookies.get(COOKIE) or ""
    users = web.get("/brugere")
    assert "Afslut sessioner" in users.text and "Afslut alle andres sessioner" in users.text
    row = re.search(r'<tr id="user-planner".*?</tr>', users.text, re.S)
    assert row and '<td class="num">1' in row.group(0)  # one open session
    csrf = form_token(users.text)
    ended = web.post("/brugere/planner/sessioner", data={"csrf_token": csrf})
    assert ended.status_code == 303
    assert "Sessionerne er afsluttet." in web.get(ended.headers["location"]).text
    _switch(web, planner_cookie)
    assert web.get("/").status_code == 303
    _switch(web, admin_cookie)
    token_row = re.search(r'<tr id="token-(\d+)" class="active">\s*<td>planner</td>',
                          web.get("/brugere").text)
    assert token_row
    revoked = web.post(f"/brugere/noegler/{token_row.group(1)}/tilbagekald",
                       data={"csrf_token": csrf})
    assert revoked.status_code == 303
    assert "API-nøglen er tilbagekaldt." in web.get(revoked.headers["location"]).text
    everyone = web.post("/brugere/sessioner", data={"csrf_token": csrf})
    assert everyone.status_code == 303 and web.get("/brugere").status_code == 200
    trail = web.get("/revision").text
    assert "Login-sessioner" in trail and "tilbagekaldt" in trail and "API-nøgle" in trail


def test_only_admins_end_sessions_or_revoke_others_tokens_on_pages(web: TestClient) -> None:
    csrf = page_login(web, "program")
    assert web.post("/brugere/viewer/sessioner", data={"csrf_token": csrf}).status_code == 403
    assert web.post("/brugere/sessioner", data={"csrf_token": csrf}).status_code == 403
    assert web.post("/brugere/noegler/1/tilbagekald", data={"csrf_token": csrf}
                    ).status_code == 403
    assert web.post("/konto/noegler/1/tilbagekald", data={"csrf_token": csrf}
                    ).status_code == 404
