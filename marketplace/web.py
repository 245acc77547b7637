"""View helpers: page-or-fragment rendering for htmx, pagination of selects, safe redirect
targets, and the guard that refuses NUL bytes and invalid UTF-8 before any view runs."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import unquote_to_bytes, urlsplit, urlunsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from jinja2_fragments.flask import render_block

from marketplace.errors import DomainError
from marketplace.states import AlreadyDone

T = TypeVar("T")


def render_page(template: str, block: str = "results", **context):
    """Render a whole page, or only its named block when htmx asks for that target."""
    if request.headers.get("HX-Request") and request.headers.get("HX-Target") == block:
        return render_block(template, block, **context)
    return render_template(template, **context)


MAX_PAGE = 10_000

LONG_PAGE_SIZE = 50
"""Rows per page of a working list (orders, a center's cases, accounts): tables, denser than cards."""


def page_number(arg: str = "page") -> int:
    """Return ?page= (or another argument) as a page number between 1 and MAX_PAGE (else page 1 or the last)."""
    page = request.args.get(arg, 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


def paginate(select, page_size: int | None = None, arg: str = "page", total: int | None = None):
    """Paginate a SQLAlchemy select by the ?page= argument, or another for a page with several lists (clamped, so
    no offset overflows the database); `page.arg` names the argument for the pagination macro. `total`, when the
    caller knows how many rows the select gives, saves counting them."""
    from marketplace.extensions import db

    page = db.paginate(select, page=page_number(arg), per_page=page_size or current_app.config["PAGE_SIZE"],
                       error_out=False, count=total is None)
    if total is not None:
        page.total = total
    page.arg = arg  # type: ignore[attr-defined]  # read by the pagination macro
    return page


class ListPage:
    """One page of an already ranked list, with the same figures as a database page (templates use either)."""

    relevance: dict | None = None  # record id → its Match, when a keyword ranked the list
    ratings: dict | None = None  # record id → (average rating, number of reviews), for rated list cards
    sort: str | None = None  # the order the list is in
    arg: str = "page"  # the query argument that names the page

    def __init__(self, items: list, page: int, per_page: int):
        """Cut page `page` (clamped to the last) out of `items`."""
        self.total = len(items)
        self.per_page = per_page
        self.pages = max(1, -(-self.total // per_page))
        self.page = min(max(page, 1), self.pages)
        start = (self.page - 1) * per_page
        self.items = items[start:start + per_page]

    @property
    def has_prev(self) -> bool:
        """Tell whether a page comes before this one."""
        return self.page > 1

    @property
    def has_next(self) -> bool:
        """Tell whether a page comes after this one."""
        return self.page < self.pages

    @property
    def prev_num(self) -> int | None:
        """The previous page's number."""
        return self.page - 1 if self.has_prev else None

    @property
    def next_num(self) -> int | None:
        """The next page's number."""
        return self.page + 1 if self.has_next else None

    def iter_pages(self, left_edge: int = 2, left_current: int = 2, right_current: int = 4, right_edge: int = 2):
        """Page numbers to link, with None for a gap (as Flask-SQLAlchemy's pages do)."""
        last = 0
        for number in range(1, self.pages + 1):
            if (number <= left_edge or self.page - left_current - 1 < number < self.page + right_current
                    or number > self.pages - right_edge):
                if last + 1 != number:
                    yield None
                yield number
                last = number


def paginate_list(items: list, page_size: int | None = None) -> ListPage:
    """Paginate a ranked list by the ?page= argument."""
    return ListPage(items, page_number(), page_size or current_app.config["PAGE_SIZE"])


def safe_url(target: str | None, default: str | None = None) -> str:
    """Return `target` if it is a path on this site, else `default` (the home page when not given).

    Accepts "/path?query" and absolute http(s) URLs on this very host (a Referer), which become paths.
    Refuses everything a browser could take to another site: other hosts, "//host", "/\\host",
    "https:host" (a scheme without slashes), other schemes, and control characters (tabs, line breaks)
    that browsers drop before resolving.
    """
    fallback = default or url_for("main.home")
    if not isinstance(target, str) or not target or len(target) > 2048:
        return fallback
    if "\\" in target or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return fallback
    try:
        parts = urlsplit(target)
    except ValueError:
        return fallback
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc != request.host:
            return fallback
        target = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    if not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


def redirect_back(target: str | None, default: str | None = None):
    """Redirect to `target` when it is a page on this site, else to `default` (the home page when not given)."""
    return redirect(safe_url(target, default))


def is_clean_bytes(raw: bytes) -> bool:
    """Tell whether decoded request bytes are valid UTF-8 without NUL."""
    if b"\x00" in raw:
        return False
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def wsgi_bytes(value: str) -> bytes:
    """Return the bytes behind a WSGI string (PEP 3333 carries them as latin-1 characters)."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode("utf-8", "surrogatepass")


def form_bytes_clean(body: bytes) -> bool:
    """Tell whether an url-encoded body decodes to clean UTF-8 text, field by field."""
    return all(is_clean_bytes(unquote_to_bytes(part.replace(b"+", b" "))) for part in body.split(b"&"))


def hostile_input() -> bool:
    """Tell whether the request's path, query string or form carries NUL bytes or invalid UTF-8."""
    if not is_clean_bytes(wsgi_bytes(request.environ.get("PATH_INFO", ""))):
        return True
    if not form_bytes_clean(wsgi_bytes(request.environ.get("QUERY_STRING", ""))):
        return True
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        if request.mimetype == "application/x-www-form-urlencoded":
            return not form_bytes_clean(request.get_data(cache=True))
        if request.mimetype == "multipart/form-data":
            values = [*request.form.keys(), *request.form.values(),
                      *(f.filename or "" for f in request.files.values())]
            return any("\x00" in v for v in values)
    return False


def refuse_hostile_input():
    """Answer 400 before any view runs when the request carries NUL bytes or invalid UTF-8 (a before-request hook).

    The refused query string is dropped first: werkzeug cannot even decode raw non-UTF-8 bytes in it, and
    the error page (language choice, links back) reads the query arguments.
    """
    if hostile_input():
        from marketplace.errors import render_error

        request.environ["QUERY_STRING"] = ""
        request.query_string = b""
        request.__dict__.pop("args", None)

        return render_error(400, _("The request contains characters that cannot be accepted "
                                   "(NUL bytes or text that is not UTF-8)."))
    return None


def show_refusal(form, exc: DomainError) -> None:
    """Put a domain refusal's reasons on the form fields they name (the rest on the form as a whole)."""
    for field, message in exc.reasons:
        target = getattr(form, field, None) if field else None
        if target is not None and hasattr(target, "errors"):
            target.errors = [*target.errors, message]
        else:
            form.form_errors.append(message)


def submit(form, action: Callable[[], T], show: Callable[[Any, DomainError], None] = show_refusal,
           passes: tuple[type[DomainError], ...] = ()) -> tuple[bool, T | None]:
    """Run the service call behind a validated form: commit and return (True, result), or roll back, put the
    refusal on the form (`show`) and return (False, None). Refusals of the kinds in `passes` are rolled back and
    raised for the view to answer (e.g. `AlreadyDone`: show the record instead of the form)."""
    from marketplace.extensions import db

    try:
        result = action()
    except DomainError as exc:
        db.session.rollback()
        if isinstance(exc, passes):
            raise
        show(form, exc)
        return False, None
    db.session.commit()
    return True, result


def perform(action, success, refusals: tuple = (DomainError,)) -> bool:
    """Run a state-changing service call: commit and flash `success`, or roll back and flash the refusal — as
    information, not an error, when the move was made already (a double submit or a second tab)."""
    from marketplace.extensions import db

    try:
        action()
    except refusals as exc:
        db.session.rollback()
        flash(str(exc), "info" if isinstance(exc, AlreadyDone) else "error")
        return False
    db.session.commit()
    flash(success() if callable(success) else success, "success")
    return True
