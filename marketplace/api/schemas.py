"""The schemas of the API's read answers and queries (pydantic models; the OpenAPI document is built from them).

A record's fields are the kind's serialiser's (`marketplace.kinds`); the schema names the fields every record
has and admits the kind's own.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, RootModel


class Record(BaseModel):
    """One record of a kind, as the caller may see it: its id and the kind's fields."""

    model_config = ConfigDict(extra="allow")

    id: int


class RecordPage(BaseModel):
    """A numbered page of a list."""

    items: list[Record]
    page: int
    pages: int
    total: int


class KeysetPage(BaseModel):
    """A page of a keyset walk (newest first) and the cursor of the next page (null at the end)."""

    items: list[Record]
    next_cursor: str | None


class RecordList(RootModel[RecordPage | KeysetPage]):
    """A list answer: a numbered page, or a keyset page when the call sent `cursor`."""


class ListQuery(BaseModel):
    """A list's query: the filters of the kind's page, and either a page number or a keyset cursor."""

    q: str | None = Field(None, max_length=200, description="Text to look for (ranked by relevance).")
    industry: str | None = Field(None, max_length=40, description="An industry code.")
    scenario: str | None = Field(None, max_length=40, description="A scenario code.")
    city: str | None = Field(None, max_length=40, description="A city code.")
    deployment: str | None = Field(None, max_length=40, description="A deployment code.")
    verified: bool | None = Field(None, description="Only records of verified organisations.")
    sort: str | None = Field(None, max_length=20, description="A sort order of the kind's page.")
    page: int | None = Field(None, ge=1, le=100_000, description="A page number (numbered pages).")
    cursor: str | None = Field(None, max_length=200, description="Empty to start a keyset walk, then next_cursor.")
    limit: int | None = Field(None, ge=1, le=50, description="Records per keyset page (1–50, default 20).")


class Reasons(BaseModel):
    """Why a search result matched."""

    shared_terms: list[str]
    same_scenario: bool
    same_industry: bool
    same_city: bool
    deployment_fit: bool | None
    budget_fit: bool | None


class Match(BaseModel):
    """One search result: its kind and id, a few fields, its calibrated relevance and the reasons."""

    model_config = ConfigDict(extra="allow")

    kind: str
    id: int
    title: str
    relevance: float = Field(description="Calibrated relevance, 0–1.")
    label: str = Field(description="strong, good, partial or weak.")
    label_text: str
    reasons: Reasons


class SearchAnswer(BaseModel):
    """A page of search results; `no_good_match` says when nothing fits."""

    query: str
    items: list[Match]
    total: int
    page: int
    pages: int
    no_good_match: bool
    predicted_scenarios: list[str]


class SearchQuery(BaseModel):
    """A search: the text and the filters of /search."""

    q: str = Field(min_length=1, max_length=200, description="What is needed or offered, in Chinese or English.")
    kind: str | None = Field(None, max_length=20, description="Only one kind (need, offering, model, provider, case).")
    industry: str | None = Field(None, max_length=40)
    scenario: str | None = Field(None, max_length=40)
    city: str | None = Field(None, max_length=40)
    deployment: str | None = Field(None, max_length=40)
    budget: str | None = Field(None, max_length=20, description="Budget up to, in yuan (e.g. 300000 or 30万).")
    page: int | None = Field(None, ge=1, le=100_000)
    limit: int | None = Field(None, ge=1, le=50, description="Results per page (1–50, default 20).")


class OrganisationBrief(BaseModel):
    """The caller's organisation."""

    id: int
    name: str
    kind: str
    city: str | None
    verified: bool


class TokenBrief(BaseModel):
    """The token a call was made with."""

    id: int
    name: str
    scopes: list[str]


class Me(BaseModel):
    """Who the caller is: the user, their organisation and, for a token call, the token."""

    id: int
    email: str
    name: str
    role: str
    locale: str | None
    organisation: OrganisationBrief | None
    token: TokenBrief | None
