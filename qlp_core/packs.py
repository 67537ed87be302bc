"""Content-addressed storage of dataset versions: a version is a manifest of its files, each file a list of byte
ranges in packs (blobs named by their sha256). A new version stores only bytes no earlier version holds: a file
equal to one of its base version is referenced, a file that grew (appended days) stores only its tail."""

from __future__ import annotations

import hashlib
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pydantic import BaseModel, Field

HEX64 = r"^[0-9a-f]{64}$"
PACKS = "packs/"
MANIFESTS = "manifests/"
#: A pack is closed once it holds this much (big enough for S3 throughput, small enough to fetch in parallel).
PACK_BYTES = 256 * 1024**2
_CHUNK = 1 << 20


class FileEntry(BaseModel):
    size: int = Field(ge=0)
    sha256: str = Field(pattern=HEX64)
    #: (pack sha256, offset, length), in file order; their lengths add up to ``size``
    parts: list[tuple[str, int, int]]


class Manifest(BaseModel):
    """What a version is: its content hash (``qlib_data.content_hash`` of the folder) and every file in it."""

    content_hash: str = Field(pattern=HEX64)
    files: dict[str, FileEntry]

    def packs(self) -> set[str]:
        return {p for f in self.files.values() for p, _, _ in f.parts}

    def size(self) -> int:
        return sum(f.size for f in self.files.values())


def pack_key(sha: str) -> str:
    return f"{PACKS}{sha}"


def manifest_key(content_hash: str) -> str:
    return f"{MANIFESTS}{content_hash}.json"


def _file_sha(path: Path, limit: int | None = None) -> str:
    digest = hashlib.sha256()
    left = path.stat().st_size if limit is None else limit
    with path.open("rb") as fh:
        while left > 0 and (block := fh.read(min(_CHUNK, left))):
            digest.update(block)
            left -= len(block)
    return digest.hexdigest()


def files_of(root: Path) -> list[str]:
    """The folder's plain files (relative POSIX paths, sorted), as ``content_hash`` counts them."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and not p.is_symlink())


class _PackWriter:
    """Bytes appended into packs under ``out``; a part names its pack by a placeholder until the pack is closed."""

    def __init__(self, out: Path, pack_bytes: int) -> None:
        self.out, self.pack_bytes = out, pack_bytes
        self.names: dict[str, str] = {}  # placeholder → sha256
        self.closed: list[Path] = []
        self._fh: BinaryIO | None = None
        self._open()

    def _open(self) -> None:
        self._tmp = self.out / f".pack-{uuid.uuid4().hex}"
        self._fh = self._tmp.open("wb")
        self._hash = hashlib.sha256()
        self._at = 0

    def append(self, src: Path, offset: int, length: int) -> tuple[str, int, int]:
        assert self._fh is not None
        start = self._at
        with src.open("rb") as fh:
            fh.seek(offset)
            left = length
            while left > 0:
                block = fh.read(min(_CHUNK, left))
                if not block:
                    raise OSError(f"{src} shrank while it was packed")
                self._fh.write(block)
                self._hash.update(block)
                left -= len(block)
        self._at += length
        part = (self._tmp.name, start, length)
        if self._at >= self.pack_bytes:
            self._close()
            self._open()
        return part

    def _close(self) -> None:
        assert self._fh is not None
        self._fh.close()
        self._fh = None
        if self._at == 0:
            self._tmp.unlink()
            return
        sha = self._hash.hexdigest()
        final = self.out / sha
        os.replace(self._tmp, final)
        self.names[self._tmp.name] = sha
        self.closed.append(final)

    def finish(self) -> list[Path]:
        if self._fh is not None:
            self._close()
        return self.closed


@dataclass
class Delta:
    """A version's manifest, the packs it adds (files in the build folder named by their sha256), and what changed
    against its base."""

    manifest: Manifest
    new_packs: list[Path]
    changes: dict[str, int] = field(default_factory=dict)

    @property
    def stored_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.new_packs)


def build(folder: Path, content_hash: str, out: Path, base: Manifest | None = None,
          pack_bytes: int = PACK_BYTES) -> Delta:
    """The manifest of ``folder`` (whose content hash is ``content_hash``) with new packs written into ``out``:
    against ``base`` (an earlier version's manifest), a file with the same bytes as a base file costs nothing, a
    file whose start is a base file of the same path costs only its new tail; everything else is stored whole."""
    out.mkdir(parents=True, exist_ok=True)
    by_sha = {f.sha256: f for f in base.files.values()} if base else {}
    writer = _PackWriter(out, pack_bytes)
    files: dict[str, FileEntry] = {}
    changes = {"added": 0, "unchanged": 0, "appended": 0, "rewritten": 0, "removed": 0}
    for rel in files_of(folder):
        path = folder / rel
        size = path.stat().st_size
        sha = _file_sha(path)
        old = base.files.get(rel) if base else None
        same = by_sha.get(sha)
        if same is not None and same.size == size:
            parts = list(same.parts)
            changes["unchanged" if old is not None and old.sha256 == sha else "added"] += 1
        elif old is not None and 0 < old.size < size and _file_sha(path, old.size) == old.sha256:
            parts = [*old.parts, writer.append(path, old.size, size - old.size)]
            changes["appended"] += 1
        else:
            parts = [writer.append(path, 0, size)] if size else []
            changes["rewritten" if old is not None else "added"] += 1
        files[rel] = FileEntry(size=size, sha256=sha, parts=parts)
    if base:
        changes["removed"] = len(set(base.files) - set(files))
    new_packs = writer.finish()
    for entry in files.values():
        entry.parts = [(writer.names.get(p, p), o, n) for p, o, n in entry.parts]
    return Delta(Manifest(content_hash=content_hash, files=files), new_packs, changes)


class PackError(ValueError):
    """A pack or an assembled file does not have the bytes its manifest names."""


def verify_pack(path: Path, sha: str) -> None:
    got = _file_sha(path)
    if got != sha:
        raise PackError(f"pack {sha[:12]}… arrived with hash {got[:12]}…")


def assemble(manifest: Manifest, pack: Callable[[str], Path], into: Path) -> None:
    """Write every file of ``manifest`` under ``into`` from the packs (``pack(sha)`` is where one lies), each checked
    against its sha256."""
    handles: dict[str, BinaryIO] = {}
    try:
        for rel, entry in manifest.files.items():
            target = into / rel
            if ".." in Path(rel).parts or Path(rel).is_absolute():
                raise PackError(f"manifest path {rel!r} leaves the folder")
            target.parent.mkdir(parents=True, exist_ok=True)
            digest = hashlib.sha256()
            with target.open("wb") as dst:
                for sha, offset, length in entry.parts:
                    fh = handles.get(sha)
                    if fh is None:
                        fh = handles[sha] = pack(sha).open("rb")
                    fh.seek(offset)
                    for block in _read(fh, length):
                        digest.update(block)
                        dst.write(block)
            if digest.hexdigest() != entry.sha256:
                raise PackError(f"{rel} assembled with hash {digest.hexdigest()[:12]}…, expected {entry.sha256[:12]}…")
    finally:
        for fh in handles.values():
            fh.close()


def _read(fh: BinaryIO, length: int) -> Iterator[bytes]:
    left = length
    while left > 0:
        block = fh.read(min(_CHUNK, left))
        if not block:
            raise PackError("a pack is shorter than its manifest says")
        left -= len(block)
        yield block


def discard(paths: list[Path]) -> None:
    for p in paths:
        p.unlink(missing_ok=True)
    if paths:
        shutil.rmtree(paths[0].parent, ignore_errors=True)
