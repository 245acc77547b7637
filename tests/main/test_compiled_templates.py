"""Does a worker forked from the preloading master serve its first pages without compiling a template?"""
from __future__ import annotations

from marketplace.templating import compile_templates

PAGES = ("/?lang=en", "/offerings?lang=en", "/needs/?lang=en", "/search?q=质检&lang=en", "/accounts/login?lang=en")


def compiles_while_serving(app, client, monkeypatch) -> list[str]:
    """The templates compiled while the pages are served, by name."""
    compiled: list[str] = []
    original = app.jinja_env.compile

    def compile_and_note(source, name=None, *args, **kwargs):
        compiled.append(name)
        return original(source, name, *args, **kwargs)

    monkeypatch.setattr(app.jinja_env, "compile", compile_and_note)
    for path in PAGES:
        assert client.get(path).status_code == 200, path
    return compiled


def test_after_compile_templates_the_first_pages_compile_none(app, client, monkeypatch):
    """gunicorn's master compiles every template before it forks; then a worker's first pages compile none."""
    assert compile_templates(app) > 100
    assert compiles_while_serving(app, client, monkeypatch) == []


def test_a_fresh_app_compiles_its_templates_on_first_use(app, client, monkeypatch):
    """The reason for the above: the first page of each kind pays for its templates."""
    assert compiles_while_serving(app, client, monkeypatch)
