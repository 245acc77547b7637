"""Demo data for the promotion centers' work, derived from the loaded seed so it stays consistent:
the quality provider directory with reasons, matchmaking events with registrations and meetings,
and a few logged searches. Deterministic: the same seed files always give the same rows.
"""
from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from marketplace import vocab
from marketplace.accounts.models import Organisation
from marketplace.analytics.models import SearchLog
from marketplace.cases.models import Case, DirectoryDecision
from marketplace.catalog.models import Offering, ProviderProfile
from marketplace.events.models import Event, EventRegistration, Meeting
from marketplace.events.services import first_free_place
from marketplace.extensions import db
from marketplace.needs.models import Need

EPOCH = datetime(2026, 9, 1, 9, 0, tzinfo=UTC)
LIVE = ("open", "in_talks")
OUTCOMES = ((True, True, True), (True, True, False), (True, False, False), (False, False, False))
SEARCHES = (  # (query, results, best similarity): what visitors typed, including what nobody offers yet
    ("宠物食品包装袋封口缺陷检测", 20, 0.861), ("激光切割套料排版优化", 20, 0.866), ("火锅底料配方研发 AI", 18, 0.858),
    ("中药饮片异物分拣", 20, 0.869), ("船舶分段焊缝超声检测", 14, 0.852), ("voice assistant for cats", 20, 0.776),
    ("SMT 炉后 AOI 误报复判", 20, 0.928), ("注塑机工艺参数优化", 20, 0.913), ("空压站群控节能", 20, 0.921),
)


def scenario_name(code: str) -> str:
    """Return the Chinese name of a scenario code."""
    term = vocab.lookup(vocab.SCENARIOS, code)
    return term.zh if term else code


def center_for(city: str, centers: list[Organisation]) -> Organisation:
    """Return the center in a city, else the first one."""
    return next((c for c in centers if c.city == city), centers[0])


def seed_directory(profiles: dict[str, ProviderProfile], cases: dict[str, Case], centers: list) -> int:
    """List the providers with the most published cases, with reasons drawn from their records; remove one later."""
    delivered = Counter(c.vendor_id for c in cases.values() if c.is_public and c.vendor_id)
    ranked = sorted(profiles.items(), key=lambda kv: (-delivered[kv[1].organisation_id], kv[0]))[:7]
    decisions = 0
    for i, (_key, profile) in enumerate(ranked):
        center = center_for(profile.organisation.city, centers)
        n_cases = delivered[profile.organisation_id]
        scenes = "、".join(scenario_name(s) for s in profile.scenarios[:2])
        certs = (profile.certifications or "").split(", ")[:2]
        record = f"近两年交付{n_cases}个经促进中心核实的典型案例，" if n_cases else "在本中心组织的供需对接中反馈良好，"
        held = "、".join(c for c in certs if c) or "相关资质"
        reason = f"{record}聚焦{scenes}，具备{held}；按《优质服务商目录》评审要点现场核查通过。"
        db.session.add(DirectoryDecision(provider=profile, center=center, decided_by=center.users[0], action="add",
                                         reason=reason, review_on=date(2027, 9, 1) + timedelta(days=7 * i),
                                         created_at=EPOCH + timedelta(days=3, hours=i)))
        profile.quality_listed = True
        decisions += 1
    if len(ranked) == 7:
        key, profile = ranked[-1]
        center = center_for(profile.organisation.city, centers)
        db.session.add(DirectoryDecision(provider=profile, center=center, decided_by=center.users[0], action="remove",
                                         reason="年度复核中两家客户反映交付延期且未提供整改说明，暂移出目录，整改后可重新申请。",
                                         created_at=EPOCH + timedelta(days=60)))
        profile.quality_listed = False
        decisions += 1
    return decisions


def focus_of(city: str, needs: list[Need], skip: set[str]) -> list[str]:
    """Return the two scenarios with the most live needs in a city (then anywhere), leaving out some."""
    local = Counter(n.scenario for n in needs if n.city == city and n.status in LIVE and n.scenario not in skip)
    overall = Counter(n.scenario for n in needs if n.status in LIVE and n.scenario not in skip)
    ranked = [s for s, _ in local.most_common()] + [s for s, _ in overall.most_common()]
    return list(dict.fromkeys(ranked))[:2]


def seed_event(center, title: str, held_on: date, scenarios: list[str], needs: list[Need], offerings: list[Offering],
               past: bool) -> Event:
    """Create one event with registered needs and offerings of its focus, meetings, and outcomes if it is past."""
    chosen_needs = sorted((n for n in needs if n.scenario in scenarios and n.status in LIVE),
                          key=lambda n: (n.city != center.city, n.id))[:5]
    chosen_offerings = sorted((o for o in offerings if set(o.scenarios) & set(scenarios)),
                              key=lambda o: (o.organisation.city != center.city, o.id))[:5]
    industries = [i for i, _ in Counter(n.industry for n in chosen_needs).most_common(3)]
    event = Event(center=center, title=title, held_on=held_on, starts_at=time(14, 0), city=center.city,
                  venue=f"{center.name}路演厅", industries=industries, scenarios=scenarios, capacity=40, table_count=4,
                  slot_count=6, slot_minutes=20,
                  description="“人工智能+制造业”供需对接：中小企业带着场景需求来，服务商带着模型超市方案来，"
                              "每场 20 分钟一对一洽谈，会后由促进中心跟踪对接进展。")
    db.session.add(event)
    need_regs = [EventRegistration(event=event, organisation=n.organisation, need=n) for n in chosen_needs]
    offering_regs = [EventRegistration(event=event, organisation=o.organisation, offering=o) for o in chosen_offerings]
    db.session.add_all(need_regs + offering_regs)
    db.session.flush()
    count = 0
    for need_reg, need in zip(need_regs, chosen_needs, strict=True):
        fitting = sorted(zip(offering_regs, chosen_offerings, strict=True),
                         key=lambda pair: (need.scenario not in pair[1].scenarios,
                                           need.industry not in pair[1].industries, pair[0].id))
        for offering_reg, _offering in fitting[:2 if past else 1]:
            place = first_free_place(event, need_reg.organisation_id, offering_reg.organisation_id)
            if place is None or need_reg.organisation_id == offering_reg.organisation_id:
                continue
            held, follow_up, deal = OUTCOMES[count % len(OUTCOMES)] if past else (None, False, False)
            db.session.add(Meeting(event=event, need_registration=need_reg, offering_registration=offering_reg,
                                   enterprise_id=need_reg.organisation_id, vendor_id=offering_reg.organisation_id,
                                   slot=place[0], table_no=place[1], held=held, follow_up=follow_up, deal=deal,
                                   outcome_recorded_at=datetime.combine(held_on, time(18, 0), UTC)
                                   if past else None))
            db.session.flush()
            count += 1
    return event


def seed_events(centers: list, needs: dict[str, Need], offerings: dict[str, Offering]) -> int:
    """Give each center a past event (with outcomes) and an upcoming one (meetings scheduled)."""
    need_rows = sorted(needs.values(), key=lambda n: n.id)
    offering_rows = sorted(offerings.values(), key=lambda o: o.id)
    total = 0
    for i, center in enumerate(centers):
        city = vocab.lookup(vocab.CITIES, center.city)
        city_name = city.zh if city else ""
        past_focus = focus_of(center.city, need_rows, set())
        next_focus = focus_of(center.city, need_rows, set(past_focus))
        seed_event(center, f"{city_name}“AI+制造”{scenario_name(past_focus[0])}专场供需对接会",
                   date(2026, 10, 15 + 7 * i),
                   past_focus, need_rows, offering_rows, past=True)
        seed_event(center, f"{city_name}中小企业数智化转型供需对接日（{scenario_name(next_focus[0])}）",
                   date(2026, 12, 10 + 7 * i), next_focus, need_rows, offering_rows, past=False)
        total += 2
    return total


def seed_searches() -> int:
    """Log a few searches, some of which found nothing good."""
    for i, (query, results, score) in enumerate(SEARCHES):
        db.session.add(SearchLog(query=query, filters="{}", result_count=results, best_score=score,
                                 created_at=EPOCH + timedelta(days=40 + i, hours=i)))
    return len(SEARCHES)


def load_centers_work(centers: list, profiles: dict, cases: dict, needs: dict, offerings: dict) -> dict[str, int]:
    """Seed the directory, events and search log; returns counts. The caller flushed the records it passes."""
    return {"directory decisions": seed_directory(profiles, cases, centers),
            "events": seed_events(centers, needs, offerings), "searches": seed_searches()}
