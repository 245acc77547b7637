"""Do templates only render? No template compares a state, status, role or kind, or asks for a role flag."""
import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DECIDING = re.compile(r"\.(state|status|kind|role)\b\s*(==|!=|\bin\b|\bnot in\b)"
                      r"|\b(is_vendor|is_enterprise|is_center|is_admin)\b"
                      r"|\b(kind|role|state|status)\s*(==|!=)\s*['\"]")


def test_no_template_compares_states_roles_or_kinds():
    """Buttons come from processes, sections from permissions, cards from the kind registry."""
    found = [f"{path.relative_to(TEMPLATES)}:{n}: {line.strip()[:100]}"
             for path in sorted(TEMPLATES.rglob("*.html"))
             for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if DECIDING.search(line)]
    assert found == []
