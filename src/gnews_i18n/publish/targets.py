"""Where editions go: a directory (a static site), and HTTP endpoints (a CMS or webhook).

The directory is changed in transactions. Every file of one publish is first written to
a staging folder; a journal listing the writes and deletions is then made durable (that
is the commit point); only then are the files renamed into place. A process killed
before the commit leaves the live site exactly as it was (the staging folder is thrown
away by the next publish); killed after it, the next publish rolls the journal forward.
Readers never see half a file, and no kill leaves half an edition for good.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import os
import random
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from gnews_i18n.publish.failpoints import failpoint
from gnews_i18n.publish.files import safe_path

STATE_DIR = ".gnews-publish"  # manifest and staging, inside the output directory
MANIFEST = "manifest.json"

class TargetError(RuntimeError):
    """A target refused or could not take the edition; the publish job is retried later."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

class DirectoryTarget:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()
        self.state = self.root / STATE_DIR

    def recover(self) -> str | None:
        """Finish or discard what an interrupted publish left; says which, None when nothing was left."""
        staging = self.state / "staging"
        if not staging.is_dir():
            return None
        outcome = None
        for transaction in sorted(staging.iterdir()):
            journal = transaction / "COMMIT"
            if journal.exists():
                self._apply(transaction, json.loads(journal.read_text(encoding="utf-8")))
                outcome = "rolled forward"
            else:
                outcome = outcome or "discarded"
            shutil.rmtree(transaction, ignore_errors=True)
        return outcome

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One publisher at a time per output directory (held until the caller's database commit,
        so the next one sees this one's editions)."""
        self.state.mkdir(parents=True, exist_ok=True)
        with open(self.state / "lock", "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def manifest(self) -> dict[str, str]:
        """Output path → hash of the inputs it was rendered from."""
        path = self.state / MANIFEST
        if not path.exists():
            return {}
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except ValueError:  # damaged by hand: a full rebuild is the safe answer
            return {}

    def begin(self) -> DirectoryTransaction:
        self.recover()
        return DirectoryTransaction(self)

    def _apply(self, transaction: Path, journal: dict) -> None:
        files = transaction / "files"
        for index, relpath in enumerate(journal["writes"]):
            if index == len(journal["writes"]) // 2:
                failpoint("publish.mid_swap")
            staged = files / relpath
            if staged.exists():  # absent when a previous roll-forward moved it already
                destination = safe_path(self.root, relpath)
                destination.parent.mkdir(parents=True, exist_ok=True)
                os.replace(staged, destination)
        for relpath in journal["deletes"]:
            safe_path(self.root, relpath).unlink(missing_ok=True)

class DirectoryTransaction:
    def __init__(self, target: DirectoryTarget):
        self.target = target
        self.folder = target.state / "staging" / f"{time.time_ns()}-{uuid.uuid4().hex[:8]}"
        self.writes: list[str] = []
        self.deletes: list[str] = []

    def write(self, relpath: str, content: str | bytes) -> None:
        safe_path(self.target.root, relpath)  # refuse before anything is staged
        staged = self.folder / "files" / relpath
        staged.parent.mkdir(parents=True, exist_ok=True)
        with open(staged, "wb") as handle:
            handle.write(content.encode("utf-8") if isinstance(content, str) else content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(staged, 0o644)
        self.writes.append(relpath)

    def delete(self, relpath: str) -> None:
        safe_path(self.target.root, relpath)
        self.deletes.append(relpath)

    def commit(self, manifest: dict[str, str]) -> None:
        self.write(f"{STATE_DIR}/{MANIFEST}", json.dumps(manifest, sort_keys=True, separators=(",", ":")))
        failpoint("publish.staged")
        journal = self.folder / "COMMIT"
        tmp = self.folder / "COMMIT.tmp"
        tmp.write_text(json.dumps({"writes": self.writes, "deletes": self.deletes}), encoding="utf-8")
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, journal)
        _fsync_dir(self.folder)  # the commit point
        self.target._apply(self.folder, {"writes": self.writes, "deletes": self.deletes})
        shutil.rmtree(self.folder, ignore_errors=True)

    def staged(self, relpath: str) -> Path | None:
        """Where this transaction staged ``relpath``, if it wrote it."""
        path = self.folder / "files" / relpath
        return path if relpath in self.writes and path.exists() else None

    def abort(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

class HttpTarget:
    """POSTs each published (or withdrawn) article as JSON, signed, with an idempotency key;
    retries connection errors, 429 and 5xx with exponential backoff; other 4xx fail at once."""
    def __init__(self, url: str, secret: str = "", *, attempts: int = 5, backoff: float = 0.5,
                 timeout: float = 15.0):
        self.url, self.secret = url, secret
        self.attempts, self.backoff, self.timeout = attempts, backoff, timeout

    def signature(self, timestamp: str, body: bytes) -> str:
        digest = hmac.new(self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
        return f"sha256={digest}"

    def send(self, payload: dict) -> None:
        body = json.dumps(payload, ensure_ascii=False, sort_keys=True).encode("utf-8")
        last = ""
        with httpx.Client(timeout=self.timeout) as client:
            for attempt in range(self.attempts):
                timestamp = str(int(time.time()))
                headers = {"Content-Type": "application/json; charset=utf-8",
                           "Idempotency-Key": payload["idempotency_key"], "X-Gnews-Timestamp": timestamp,
                           "User-Agent": "gnews-i18n publisher"}
                if self.secret:
                    headers["X-Gnews-Signature"] = self.signature(timestamp, body)
                wait = self.backoff * (2 ** attempt) * (1 + random.random() / 4)
                try:
                    response = client.post(self.url, content=body, headers=headers)
                except httpx.TransportError as error:
                    last = f"{type(error).__name__}: {error}"
                else:
                    if response.status_code < 300:
                        return
                    last = f"HTTP {response.status_code}: {response.text[:200]}"
                    if response.status_code < 500 and response.status_code != 429:
                        raise TargetError(f"{self.url} refused {payload['lang']}/{payload['slug']}: {last}")
                    retry_after = response.headers.get("retry-after", "")
                    wait = float(retry_after) if retry_after.isdigit() else wait
                if attempt + 1 < self.attempts:
                    time.sleep(wait)
        raise TargetError(f"{self.url} did not take {payload['lang']}/{payload['slug']} after {self.attempts} "
                          f"attempts ({last}); the publish job will be retried")
