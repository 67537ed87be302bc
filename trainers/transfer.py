"""Moving one object between this host and the platform's store: a presigned URL goes straight to the store with no
credentials; a relative one (a folder store) goes through the API's store route with the trainer token."""

from __future__ import annotations

from pathlib import Path

import httpx

BLOCK = 1 << 20


class TransferError(RuntimeError):
    """The store (or the API's store route) did not hand over or take the object."""


def _client(api: httpx.Client, store: httpx.Client, url: str) -> httpx.Client:
    return api if url.startswith("/") else store


def plain_client() -> httpx.Client:
    """A client for presigned store URLs: no credentials, no redirects."""
    return httpx.Client(timeout=60, follow_redirects=False)


def download(api: httpx.Client, store: httpx.Client, url: str, into: Path, timeout: float = 600) -> int:
    """The object at ``url`` into the file ``into``; returns its bytes."""
    got = 0
    with _client(api, store, url).stream("GET", url, timeout=timeout) as r:
        if r.status_code != 200:
            raise TransferError(f"{url.split('?')[0]} could not be fetched: HTTP {r.status_code}")
        with into.open("wb") as fh:
            for block in r.iter_bytes(BLOCK):
                fh.write(block)
                got += len(block)
    return got


def upload(api: httpx.Client, store: httpx.Client, url: str, path: Path, content_type: str,
           timeout: float = 600) -> int:
    """The file ``path`` to ``url`` (PUT); returns its bytes."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        r = _client(api, store, url).put(url, content=fh, timeout=timeout,
                                         headers={"Content-Length": str(size), "Content-Type": content_type})
    if r.status_code not in (200, 201, 204):
        raise TransferError(f"{url.split('?')[0]} did not take the object: HTTP {r.status_code}")
    return size
