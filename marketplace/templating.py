"""Template filters and globals: vocabulary labels in the current language, money, states."""
from __future__ import annotations

from flask import Flask, request
from flask_babel import get_locale
from markupsafe import Markup, escape

from marketplace import vocab
from marketplace.money import format_bp, format_fen
from marketplace.states import STATE_LABELS

VOCABULARIES = {
    "industry": vocab.INDUSTRIES,
    "scenario": vocab.SCENARIOS,
    "stage": vocab.STAGES,
    "city": vocab.CITIES,
    "deployment": vocab.DEPLOYMENTS,
    "size": vocab.ORG_SIZES,
    "level": vocab.DIGITAL_LEVELS,
    "model_kind": vocab.MODEL_KINDS,
    "provider_type": vocab.PROVIDER_TYPES,
    "plan": vocab.PRICING_PLANS,
    "modality": vocab.MODALITIES,
    "sensitivity": vocab.DATA_SENSITIVITIES,
    "access_mode": vocab.DATA_ACCESS_MODES,
    "labelling": vocab.DATA_LABELLING,
}


def current_locale() -> str:
    """Return the active locale as a string, e.g. 'zh_CN' or 'en'."""
    return str(get_locale() or "zh_CN")


def term_label(code, kind: str) -> str:
    """Return the label of a vocabulary code in the current language ('—' when empty)."""
    if code is None or code == "":
        return "—"
    term = vocab.lookup(VOCABULARIES[kind], str(code))
    return term.label(current_locale()) if term else str(code)


def term_labels(codes, kind: str) -> str:
    """Return the labels of several codes joined for display."""
    sep = ", " if current_locale().startswith("en") else "、"
    return sep.join(term_label(c, kind) for c in (codes or [])) or "—"


def vocab_choices(kind: str) -> list[tuple[str, str]]:
    """Return (code, label) pairs of a vocabulary for select boxes."""
    return [(t.code, t.label(current_locale())) for t in VOCABULARIES[kind]]


def money(fen) -> str:
    """Format integer fen as CNY in the current language."""
    return format_fen(fen, current_locale())


def price(offering) -> str:
    """Format an offering's price with what it is for: ¥0.05/次, ¥38,000.00/年, ¥128,000.00/套."""
    from marketplace.vocab import PLAN_UNITS

    zh, en = PLAN_UNITS.get(offering.pricing_plan, ("", ""))
    return money(offering.price_fen) + (en if current_locale().startswith("en") else zh)


def state_label(state) -> str:
    """Return the translated label of a state code."""
    label = STATE_LABELS.get(str(state))
    return str(label) if label is not None else str(state)


def org_kind(kind: str) -> str:
    """Return the name of an organisation kind in the current language."""
    from marketplace.accounts.models import org_kind_labels

    return org_kind_labels().get(kind, kind)


def role_name(user) -> str:
    """Return the role a user acts in, named in the current language (an admin, or their organisation's kind)."""
    from flask_babel import gettext as _

    return _("Administrator") if user.is_admin else org_kind(user.organisation.kind)


def paragraphs(text: str | None) -> Markup:
    """Render plain text with line breaks as escaped paragraphs."""
    parts = [p.strip() for p in (text or "").splitlines() if p.strip()]
    return Markup("".join(f"<p>{escape(p)}</p>" for p in parts))


def highlight(text: str | None, terms) -> Markup:
    """Escape text and wrap each occurrence of the matched terms in <mark> (case-insensitive)."""
    import re

    text = text or ""
    words = sorted({t for t in (terms or []) if t and len(t.strip()) > 0}, key=len, reverse=True)
    if not words:
        return Markup(escape(text))
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(str(escape(text[last:m.start()])))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(str(escape(text[last:])))
    return Markup("".join(out))


def url_with(**changes) -> str:
    """Return the current URL with some query parameters replaced (None removes one)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    from urllib.parse import urlencode

    query = urlencode([(k, v) for k, vs in args.items() for v in vs])
    return request.path + ("?" + query if query else "")


def local_date(moment, fmt: str = "%Y-%m-%d") -> str:
    """Show a stored UTC moment as a date (or `fmt`) in the site's time zone (BABEL_DEFAULT_TIMEZONE)."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    from flask import current_app

    if moment is None:
        return "—"
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai")
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).strftime(fmt)


def initials(name: str | None) -> str:
    """Return the two characters a placeholder shows for an organisation or listing without an image: for a Chinese
    name the first two after its province or city (广州视衡智能科技 → 视衡), else the first letters of two words."""
    text = (name or "").strip()
    if not text:
        return "?"
    if any("\u4e00" <= ch <= "\u9fff" for ch in text[:2]):
        for place in ("广东省", "广东", *(f"{t.zh}市" for t in vocab.CITIES), *(t.zh for t in vocab.CITIES)):
            if text.startswith(place) and len(text) > len(place) + 1:
                text = text[len(place):]
                break
        return "".join(ch for ch in text if not ch.isspace())[:2]
    words = [w for w in text.replace("-", " ").split() if w[:1].isalnum()]
    return "".join(w[0] for w in words[:2]).upper() or text[:2]


def install(app: Flask) -> None:
    """Register the filters and globals on the app."""
    app.jinja_env.filters.update(term=term_label, terms=term_labels, money=money, price=price,
                                 state=state_label, paragraphs=paragraphs,
                                 highlight=highlight, bp=format_bp, localdate=local_date,
                                 initials=initials)
    from marketplace.permissions import install as install_permissions

    install_permissions(app)
    from marketplace.main.worklists import install as install_worklists

    install_worklists()
    app.jinja_env.globals.update(vocab_choices=vocab_choices, current_locale=current_locale,
                                 url_with=url_with, vocab=vocab, org_kind=org_kind,
                                 role_name=role_name)
    app.jinja_env.add_extension("jinja2.ext.do")


def compile_templates(app: Flask) -> int:
    """Compile every template of the app once, and return how many.

    gunicorn's preloading master calls it before it forks (`marketplace.wsgi`): each worker then starts with all
    templates compiled, in memory it shares with the others, instead of compiling each one on its first page
    (the search page's templates cost a worker's first search about a third of its time).
    """
    names = [name for name in app.jinja_env.list_templates() if name.endswith((".html", ".txt", ".xml"))]
    for name in names:
        app.jinja_env.get_template(name)
    return len(names)
