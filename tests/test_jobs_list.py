"""Listing jobs: any of several states, kind, mine, a name filter, paging newest first, and the total in a header."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api


def probe(api: Api, name: str, role: str = "researcher") -> int:
    r = api.client.post("/api/train", headers=api.headers(role),
                        json={"kind": "probe", "name": name, "probe": {"lines": 1, "rate": 100}})
    assert r.status_code == 201, r.text
    return int(r.json()["id"])


def listing(api: Api, params: Any = None, role: str = "viewer") -> tuple[list[int], int]:
    r = api.client.get("/api/train", params=params, headers=api.headers(role))
    assert r.status_code == 200, r.text
    return [j["id"] for j in r.json()], int(r.headers["X-Total-Count"])


@pytest.fixture
def jobs(api: Api) -> dict[str, int]:
    """Five probes: two queued, one running, one succeeded, one cancelled (oldest first)."""
    ids = {name: probe(api, name) for name in ("nightly alpha", "Alpha weekly", "beta", "50%_off", "gamma")}
    for name in ("Alpha weekly", "beta"):
        claim = api.client.post(f"/api/internal/jobs/{ids[name]}/claim", json={"worker": "w"}, headers=api.trainer)
        assert claim.status_code == 200, claim.text
    done = api.client.post(f"/api/internal/jobs/{ids['beta']}/finish", json={"worker": "w", "state": "succeeded"},
                           headers=api.trainer)
    assert done.json()["state"] == "succeeded"
    assert api.client.post(f"/api/train/{ids['50%_off']}/cancel",
                           headers=api.headers("researcher")).json()["state"] == "cancelled"
    return ids


def test_two_states_and_the_total(api: Api, jobs: dict[str, int]) -> None:
    got, total = listing(api, [("state", "queued"), ("state", "running")])
    assert got == [jobs["gamma"], jobs["Alpha weekly"], jobs["nightly alpha"]] and total == 3
    # one state, as before
    assert listing(api, {"state": "succeeded"}) == ([jobs["beta"]], 1)
    assert listing(api, [("state", "cancelled"), ("state", "cancelled")]) == ([jobs["50%_off"]], 1)
    # no filter: all of them, newest first
    assert listing(api) == (sorted(jobs.values(), reverse=True), 5)


def test_pages_newest_first_with_the_same_total(api: Api, jobs: dict[str, int]) -> None:
    everything = sorted(jobs.values(), reverse=True)
    pages = [listing(api, {"limit": 2, "offset": offset}) for offset in (0, 2, 4, 6)]
    assert [ids for ids, _ in pages] == [everything[:2], everything[2:4], everything[4:], []]
    assert {total for _, total in pages} == {5}
    ids, total = listing(api, [("state", "queued"), ("state", "running"), ("limit", "1"), ("offset", "1")])
    assert ids == [jobs["Alpha weekly"]] and total == 3


def test_name_filter_is_a_literal_substring_in_any_case(api: Api, jobs: dict[str, int]) -> None:
    assert listing(api, {"q": "ALPHA"}) == ([jobs["Alpha weekly"], jobs["nightly alpha"]], 2)
    assert listing(api, {"q": "alpha", "state": "running"}) == ([jobs["Alpha weekly"]], 1)
    # LIKE's wildcards are plain characters here
    assert listing(api, {"q": "%"}) == ([jobs["50%_off"]], 1)
    assert listing(api, {"q": "_"}) == ([jobs["50%_off"]], 1)
    assert listing(api, {"q": "nothing like it"}) == ([], 0)


def test_mine_and_kind_combine_with_the_rest(api: Api, jobs: dict[str, int]) -> None:
    other = probe(api, "alpha by someone else", role="researcher2")
    assert listing(api, {"q": "alpha"}, role="researcher2")[1] == 3
    assert listing(api, {"q": "alpha", "mine": "true"}, role="researcher2") == ([other], 1)
    assert listing(api, {"kind": "probe", "mine": "true"}, role="researcher") == (sorted(jobs.values(),
                                                                                         reverse=True), 5)
    assert listing(api, {"kind": "workflow"}) == ([], 0)


@pytest.mark.parametrize("params", [
    {"state": "bogus"}, [("state", "queued"), ("state", "done")], {"state": ""}, {"q": "x" * 129},
    {"limit": 0}, {"limit": 501}, {"offset": -1}, {"kind": "other"}, [("state", "queued")] * 17,
])
def test_bad_filters_are_422(api: Api, params: Any) -> None:
    r = api.client.get("/api/train", params=params, headers=api.headers("viewer"))
    assert r.status_code == 422 and r.json()["code"] == "validation_failed", r.text
    assert "X-Total-Count" not in r.headers


def test_the_header_is_documented(api: Api) -> None:
    op = api.client.get("/openapi.json").json()["paths"]["/api/train"]["get"]
    header = op["responses"]["200"]["headers"]["X-Total-Count"]
    assert header["schema"] == {"type": "integer"}
    state = next(p for p in op["parameters"] if p["name"] == "state")
    items = state["schema"]["anyOf"][0]["items"]
    assert state["schema"]["anyOf"][0]["type"] == "array"
    assert set(items["enum"]) == {"queued", "running", "succeeded", "failed", "cancelled"}
