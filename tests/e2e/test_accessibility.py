"""axe-core (vendored from its npm package, injected by Playwright) finds no serious or critical violation on the
main pages of each role, at laptop and phone widths."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_journeys import sign_in
from tests.e2e.test_layout import PAGES, people  # noqa: F401  (the fixture of one account per role)

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
}"""


@pytest.mark.parametrize("role", list(PAGES))
def test_no_serious_accessibility_violations(live_server, browser, people, role):  # noqa: F811
    """Does axe find nothing serious or critical on this role's main pages, at 1366 and 390 px?"""
    emails, ids = people
    found = []
    for width in (1366, 390):
        # the page's Content-Security-Policy would refuse the injected axe script; the site itself is unchanged
        context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900}, bypass_csp=True)
        page = context.new_page()
        if role != "visitor":
            sign_in(page, live_server.url, emails[role])
        for path in PAGES[role]:
            page.goto(live_server.url + path.format(**ids), timeout=180_000)  # the first search loads the index
            page.add_script_tag(content=AXE)
            found += [f"{width}px {path}: {v}" for v in page.evaluate(RUN)]
        context.close()
    assert found == [], "\n".join(found)
