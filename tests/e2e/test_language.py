"""Every answer says its language: French unless `Accept-Language` asks for English."""

from __future__ import annotations

from tests.e2e.conftest import Api


async def test_answers_say_their_language_and_vary_with_accept_language(api: Api) -> None:
    french = await api.client.get("/health")
    english = await api.client.get("/health", headers={"Accept-Language": "en-GB,en;q=0.9"})
    other = await api.client.get("/health", headers={"Accept-Language": "de"})
    assert french.headers["content-language"] == "fr"
    assert english.headers["content-language"] == "en"
    assert other.headers["content-language"] == "fr"
    assert "Accept-Language" in french.headers["vary"]
