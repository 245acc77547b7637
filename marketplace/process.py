"""Processes as data: each aggregate's states and transitions in one table, and the one way to fire them.

A `Transition` names its source states, its target (None when an effect decides, as when the last
signature brings an agreement into force), the permission its actor needs, guards that refuse with a
reason, the timestamp it sets and its effects (voucher release, revenue split, …). `Process.fire` locks the
record, checks permission and state, moves the state, runs the effects, writes the audit row and emits the
event — in the caller's transaction, which the caller commits once. `Process.available` answers which
transitions a user may fire now; the page renders exactly those as buttons (`templates/_macros/actions.html`).

A small hand-written structure rather than a state-machine library: our transitions need a permission per
actor, effects that write ledger rows inside the same transaction, and row locks that hold on SQLite and
PostgreSQL; a library would add a second object model around the SQLAlchemy one without doing any of that.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask_babel import gettext as _

from marketplace.audit.services import record_audit
from marketplace.permissions import can, require
from marketplace.states import ACTION_LABELS, STATE_LABELS, AlreadyDone, IllegalTransition

Effect = Callable[[Any, Any, "Firing"], None]


@dataclass(frozen=True)
class Firing:
    """What one firing of a transition knows: the actor, the time, and the values the user gave (a reason)."""

    action: str
    when: datetime
    values: dict[str, Any]


@dataclass(frozen=True)
class Ask:
    """A value the actor must give with a transition (a reason): field name, label, message when missing."""

    name: str
    label: Any
    missing: Any


@dataclass(frozen=True)
class Transition:
    """One move of a process: from some states to one, by whoever holds a permission, with its effects."""

    name: str
    sources: frozenset[str]
    target: str | None
    permission: str
    label: Any
    stamp: str | None = None
    guards: tuple[Effect, ...] = ()
    effects: tuple[Effect, ...] = ()
    asks: tuple[Ask, ...] = ()
    style: str = "primary"
    audit: str | None = None
    confirm: str | None = None
    """The endpoint of the page that confirms this move with its figures (a money action), when it is not a
    bare button; the page takes the same ids as the transition's form."""
    done: Any = None
    """What to say when the move is asked for again after it was made ("This proposal has already been
    accepted."); without it, a general sentence naming the state."""


@dataclass
class Process:
    """An aggregate's process: its transitions, how to lock and load a record, and what to emit after a move."""

    name: str
    transitions: Sequence[Transition]
    load_locked: Callable[[int], Any]
    emit: Callable[[Any, Any], None] | None = None
    state_attr: str = "state"
    by_name: dict[str, Transition] = field(init=False)

    def __post_init__(self) -> None:
        """Index the transitions by name."""
        self.by_name = {t.name: t for t in self.transitions}

    def transition(self, action: str) -> Transition:
        """Return a transition by name, or refuse an unknown action."""
        try:
            return self.by_name[action]
        except KeyError:
            raise IllegalTransition(_("Unknown action.")) from None

    def done_message(self, record: Any, action: str) -> str | None:
        """Say that a move was made already when the record is where it leads (a double submit), else None."""
        move = self.transition(action)
        state = getattr(record, self.state_attr)
        if move.target is None or state != move.target or state in move.sources:
            return None
        if move.done is not None:
            return str(move.done)
        return str(_("This was done already: the record is %(state)s now.", state=STATE_LABELS.get(state, state)))

    def check_state(self, record: Any, move: Transition) -> None:
        """Refuse a move the record's current state does not allow, saying why (kindly when it was made already)."""
        state = getattr(record, self.state_attr)
        done = self.done_message(record, move.name)
        if done is not None:
            raise AlreadyDone(done)
        if state not in move.sources:
            raise IllegalTransition(_("Cannot %(action)s a record that is %(state)s.",
                                      action=ACTION_LABELS.get(move.name, move.name),
                                      state=STATE_LABELS.get(state, state)))

    def fire(self, record_id: int, action: str, user: Any, when: datetime | None = None, **values: Any) -> Any:
        """Lock the record, check permission and state, move it, audit, run the effects and emit (caller commits)."""
        move = self.transition(action)
        record = self.load_locked(record_id)
        require(user, move.permission, record)
        self.check_state(record, move)
        for ask in move.asks:
            if not str(values.get(ask.name) or "").strip():
                raise IllegalTransition(str(ask.missing))
        firing = Firing(action, when or datetime.now(UTC), values)
        for guard in move.guards:
            guard(record, user, firing)
        if move.target is not None:
            setattr(record, self.state_attr, move.target)
        if move.stamp:
            setattr(record, move.stamp, firing.when)
        record_audit(move.audit or f"{self.name}.{move.target}", user, record,
                     {k: v for k, v in values.items() if isinstance(v, (str, int))})
        for effect in move.effects:
            effect(record, user, firing)
        if self.emit is not None:
            self.emit(record, user)
        return record

    def available(self, record: Any, user: Any) -> list[Transition]:
        """Return the transitions this user may fire on the record now (permitted, state allows, guards pass)."""
        state = getattr(record, self.state_attr)
        return [t for t in self.transitions
                if state in t.sources and can(user, t.permission, record) and self.guards_pass(record, user, t)]

    @staticmethod
    def guards_pass(record: Any, user: Any, move: Transition) -> bool:
        """Tell whether a move's guards (which only read) would let it through now."""
        firing = Firing(move.name, datetime.now(UTC), {})
        try:
            for guard in move.guards:
                guard(record, user, firing)
        except ValueError:
            return False
        return True

    def states_from(self, actions: Iterable[str]) -> set[str]:
        """Return every state some of the named transitions start from."""
        return {s for a in actions for s in self.by_name[a].sources}
