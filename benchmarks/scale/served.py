"""The app served by gunicorn: cold start to first search, a bounded mixed load, memory per worker, edit-to-visible.

Everything here talks HTTP to `gunicorn -w 4 marketplace.wsgi:app` on a loopback port, as a browser would.
"""
from __future__ import annotations

import http.client
import http.cookiejar
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from benchmarks.scale.pages import QUERIES

ROOT = Path(__file__).resolve().parents[2]
MIX = (("browse", 40), ("search", 30), ("detail", 30))
"""Shares of the mixed load: list pages, searches (the search page and the supermarket's keyword box), details."""


def free_port() -> int:
    """A free loopback TCP port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    """The value at a share (0..1) of the sorted values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] if ordered else float("nan")


def get(port: int, path: str, timeout: float = 30.0) -> tuple[int, bytes]:
    """One GET on a fresh connection (gunicorn's sync workers close after each response)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", urllib.parse.quote(path, safe="/?=&"))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


class Server:
    """A gunicorn process serving the app on the benchmark's database and index folder, and one job worker beside it
    (the production topology: the worker indexes edits, sends mail and runs the scheduled work)."""

    def __init__(self, env: dict[str, str], workers: int = 4, log: Path | None = None):
        """Remember how to start it."""
        self.env, self.workers, self.port = env, workers, free_port()
        self.log = log
        self.process: subprocess.Popen | None = None
        self.worker: subprocess.Popen | None = None
        self.started_at = 0.0
        self.first_answer_s: float | None = None
        self.first_search_s: float | None = None

    def start(self) -> None:
        """Start gunicorn (returns at once)."""
        gunicorn = str(Path(sys.executable).parent / "gunicorn")
        cmd = [gunicorn, "-w", str(self.workers), "-b", f"127.0.0.1:{self.port}", "--timeout", "300",
               "marketplace.wsgi:app"]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115  (closed with the process)
        self.started_at = time.perf_counter()
        env = {**os.environ, "PYTHONPATH": str(ROOT), **self.env}
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=out)
        flask = str(Path(sys.executable).parent / "flask")
        self.worker = subprocess.Popen([flask, "--app", "marketplace", "jobs", "worker", "-w", "1"], cwd=ROOT,
                                       env=env, stdout=out, stderr=out)

    def first_search(self, query: str = "注塑件表面划痕检测", timeout: float = 600.0) -> float:
        """Seconds from start until `/search` first answers 200, asked again every 50 ms until it does.

        Also kept: `first_answer_s`, from start until the first answer of any status, and `first_search_s`, how long
        the first search the server accepted took to be answered 200 (from the moment it was sent, through any
        answer that was not 200). The server accepts connections once the app and its models are loaded (gunicorn
        binds after preloading); a search sent then waits for a worker's warm-up and the search itself.
        """
        deadline = time.perf_counter() + timeout
        accepted: float | None = None
        while time.perf_counter() < deadline:
            sent = time.perf_counter()
            try:
                status, _ = get(self.port, f"/search?q={query}", timeout=60)
                accepted = accepted or sent
                self.first_answer_s = self.first_answer_s or time.perf_counter() - self.started_at
                if status == 200:
                    self.first_search_s = time.perf_counter() - accepted
                    return time.perf_counter() - self.started_at
            except OSError:
                pass
            if self.process is not None and self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}); see {self.log}")
            time.sleep(0.05)
        raise SystemExit(f"no search answered within {timeout:.0f} s")

    def worker_memory(self) -> list[dict[str, float]]:
        """PSS and RSS (MiB) of every worker process, from /proc."""
        assert self.process is not None
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text().split()
        out = []
        for pid in children:
            fields = {}
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                key, _, rest = line.partition(":")
                if key in ("Rss", "Pss"):
                    fields[key.lower()] = int(rest.split()[0]) / 1024.0
            out.append(fields)
        return out

    def stop(self) -> None:
        """Stop gunicorn, its workers and the job worker."""
        for process in (self.process, self.worker):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@dataclass
class LoadResult:
    """What a load run measured."""

    seconds: float
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)

    @property
    def every(self) -> list[float]:
        """All latencies (ms)."""
        return [x for values in self.latencies.values() for x in values]

    @property
    def requests(self) -> int:
        """How many requests completed (errors included)."""
        return len(self.every) + self.errors


def mixed_load(port: int, ids: dict[str, list[int]], threads: int = 12, seconds: float = 60.0,
               seed: int = 5) -> LoadResult:
    """A fixed number of client threads for a fixed time, each looping over a mixed browse/search/detail request."""
    result = LoadResult(seconds, {name: [] for name, _ in MIX})
    lock = threading.Lock()
    stop_at = time.perf_counter() + seconds

    def one(rng: random.Random) -> tuple[str, str]:
        kind = rng.choices([m[0] for m in MIX], weights=[m[1] for m in MIX])[0]
        if kind == "browse":
            return kind, rng.choice(("/", "/offerings", f"/offerings?page={rng.randint(2, 20)}", "/needs/",
                                     f"/needs/?page={rng.randint(2, 20)}", "/providers"))
        if kind == "search":
            q = f"{rng.choice(QUERIES)} {rng.randint(1, 10_000)}" if rng.random() < 0.5 else rng.choice(QUERIES)
            return kind, rng.choice((f"/search?q={q}", f"/offerings?q={q}"))
        if rng.random() < 0.6:
            return kind, f"/offerings/{rng.choice(ids['offering'])}"
        return kind, f"/needs/{rng.choice(ids['need'])}"

    def client(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        while time.perf_counter() < stop_at:
            kind, path = one(rng)
            t0 = time.perf_counter()
            try:
                status, _ = get(port, path)
                failed = status >= 400
                note = f"{status} {path}"
            except OSError as exc:
                failed, note = True, f"{type(exc).__name__} {path}"
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                if failed:
                    result.errors += 1
                    if len(result.error_samples) < 5:
                        result.error_samples.append(note)
                else:
                    result.latencies[kind].append(ms)

    workers = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(threads)]
    started = time.perf_counter()
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    result.seconds = time.perf_counter() - started
    return result


class FormReader(HTMLParser):
    """Collects the fields of every POST form as a browser would submit them (inputs, checked boxes, selects,
    textareas)."""

    def __init__(self):
        """Start with no forms."""
        super().__init__(convert_charrefs=True)
        self.forms: list[list[tuple[str, str]]] = []
        self._fields: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        """Open a form, or record a field's value in the open one."""
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self._fields = []
            return
        fields, name = self._fields, a.get("name")
        if fields is None:
            return
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    fields.append((name, a.get("value") or "y"))
            elif kind not in ("submit", "button", "file"):
                fields.append((name, a.get("value") or ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_data(self, data):
        """Collect a textarea's text."""
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        """Close selects, textareas and forms."""
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._fields is not None:
            self._fields.append((self._textarea, "".join(self._text).lstrip("\n")))
            self._textarea = None
        elif tag == "form" and self._fields is not None:
            self.forms.append(self._fields)
            self._fields = None


def form_fields(html: str, having: str) -> list[tuple[str, str]]:
    """The fields of the page's first POST form that has a field named `having`."""
    reader = FormReader()
    reader.feed(html)
    for fields in reader.forms:
        if any(name == having for name, _ in fields):
            return fields
    raise SystemExit(f"no form with a '{having}' field on the page")


def edit_to_visible(port: int, email: str, password: str, offering_ids: list[int], rounds: int = 5,
                    timeout: float = 30.0) -> list[float]:
    """Seconds from an offering's edit (its title gets a new code) until a search through any worker shows it."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    base = f"http://127.0.0.1:{port}"

    def post(path: str, fields: list[tuple[str, str]]):
        data = urllib.parse.urlencode(fields).encode()
        return opener.open(urllib.request.Request(base + path, data=data, method="POST"), timeout=60)

    login = opener.open(base + "/accounts/login", timeout=60).read().decode()
    fields = [(k, v) for k, v in form_fields(login, "email") if k == "csrf_token"]
    if post("/accounts/login", fields + [("email", email), ("password", password)]).geturl().endswith("/login"):
        raise SystemExit(f"could not sign in as {email}")
    out = []
    for n in range(rounds):
        listing = offering_ids[n % len(offering_ids)]
        page = opener.open(f"{base}/offerings/{listing}/edit", timeout=60).read().decode()
        fields = form_fields(page, "title")
        code = f"QX{random.randint(100_000, 999_999)}"
        title = next(v for k, v in fields if k == "title")
        new_title = f"{code} {title}"[:120]
        fields = [(k, new_title if k == "title" else v) for k, v in fields]
        started = time.perf_counter()
        response = post(f"/offerings/{listing}/edit", fields)
        response.read()
        if response.geturl().rstrip("/").endswith("/edit"):  # the form came back: the edit was refused
            raise SystemExit(f"the edit of offering {listing} was refused ({response.status})")
        while True:
            status, body = get(port, f"/search?q={new_title}")
            if status == 200 and code.encode() in body:
                out.append(time.perf_counter() - started)
                break
            if time.perf_counter() - started > timeout:
                out.append(float("inf"))
                break
            time.sleep(0.05)
    return out


def summarise(values: list[float]) -> tuple[float, float, float]:
    """p50, p95 and p99 of some latencies."""
    return statistics.median(values), percentile(values, 0.95), percentile(values, 0.99)
