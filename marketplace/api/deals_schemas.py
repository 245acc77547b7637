"""The schemas of the deal endpoints (`marketplace.api.deals`): proposals, orders and quotes, agreements with their
signatures, and revenue statements. Every amount is integer fen, every share integer basis points."""
from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from marketplace.api.listing_schemas import WholeNumber
from marketplace.money import MAX_AMOUNT_FEN
from marketplace.orders.services import MAX_QUANTITY
from marketplace.proposals.services import COVER_MAX, PLAN_MAX, PLAN_MIN

PROPOSAL_STATES = Literal["invited", "submitted", "shortlisted", "accepted", "contracted", "declined", "withdrawn"]
ORDER_STATES = Literal["placed", "paid", "fulfilled", "refunded", "cancelled"]
AGREEMENT_STATES = Literal["draft", "active", "terminated"]


class Party(BaseModel):
    """An organisation named in a deal (its name is null where the page hides it)."""

    id: int
    name: str | None


class Titled(BaseModel):
    """A record referred to by id and title."""

    id: int
    title: str


class Page(BaseModel):
    """Paging figures of a list."""

    page: int
    pages: int
    total: int


# ---- proposals ----------------------------------------------------------------------------------------------------


class ProposalIn(BaseModel):
    """A proposal's terms, as the proposal form takes them (the price in fen rather than yuan)."""

    model_config = ConfigDict(extra="forbid")

    offering_ids: list[Annotated[int, Field(ge=1, le=2_147_483_647)]] = Field(
        default_factory=list, max_length=50, description="Your own published offerings to attach.")
    price_fen: WholeNumber = Field(ge=1, le=MAX_AMOUNT_FEN, description="The quoted price in fen.")
    plan: str = Field(min_length=PLAN_MIN, max_length=PLAN_MAX, description="How you would meet the need.")
    message: str | None = Field(None, max_length=COVER_MAX, description="A covering message to the enterprise.")


class ThreadMessage(BaseModel):
    """One message of a proposal's thread."""

    id: int
    sender: str = Field(description="The sending organisation, as the page names it.")
    mine: bool = Field(description="Sent by the caller's organisation.")
    hidden: bool = Field(description="Hidden by a moderator (shown only to its sender and moderators).")
    body: str
    created_at: datetime


class ProposalBrief(BaseModel):
    """A proposal in a list."""

    id: int
    state: PROPOSAL_STATES
    state_label: str
    need: Titled
    enterprise: Party = Field(description="The SME that posted the need (name null until it accepts the vendor).")
    vendor: Party
    price_fen: int | None
    created_at: datetime
    updated_at: datetime


class Proposal(ProposalBrief):
    """A proposal with its terms, contract confirmations, the moves open to the caller and its message thread."""

    plan: str | None
    message: str | None
    offerings: list[Titled]
    sme_confirmed_at: datetime | None
    vendor_confirmed_at: datetime | None
    order_id: int | None = Field(description="The order this contracted proposal became, if any.")
    transitions: list[str] = Field(description="Moves the caller may make now (POST …/transitions/{name}).")
    thread: list[ThreadMessage]


class ProposalPage(Page):
    """A page of the caller's proposals."""

    items: list[ProposalBrief]


class ProposalQuery(BaseModel):
    """Which of the caller's proposals to list."""

    model_config = ConfigDict(extra="ignore")

    state: PROPOSAL_STATES | None = Field(None, description="Only proposals in this state.")
    page: int = Field(1, ge=1, le=100_000)


# ---- orders and quotes --------------------------------------------------------------------------------------------


class Line(BaseModel):
    """A coded line of an order or a quote (item, model_voucher); the lines sum to the amount payable."""

    code: str
    label: str
    amount_fen: int


class QuoteOut(BaseModel):
    """What an order would cost the caller's SME now; send `unit_price_fen` and `payable_fen` back with the order
    as `quoted_unit_fen` and `quoted_payable_fen`."""

    offering_id: int | None
    proposal_id: int | None
    quantity: int
    unit_price_fen: int
    list_fen: int
    voucher_fen: int = Field(description="模型券 deduction.")
    payable_fen: int
    lines: list[Line]
    year: int
    voucher_region: str | None
    voucher_remaining_fen: int | None = Field(description="The approved 模型券 quota left after this order.")
    no_voucher_reason: str | None = Field(description="Why no 模型券 applies, as a code (null when it does).")


class QuoteQuery(BaseModel):
    """How many units to price."""

    model_config = ConfigDict(extra="ignore")

    quantity: int = Field(1, ge=1, le=MAX_QUANTITY)


class OfferingOrder(BaseModel):
    """An order of an offering: its quantity and the quote the caller showed."""

    model_config = ConfigDict(extra="forbid")

    offering_id: int = Field(ge=1, le=2_147_483_647)
    quantity: int = Field(1, ge=1, le=MAX_QUANTITY)
    quoted_unit_fen: WholeNumber = Field(ge=0, le=MAX_AMOUNT_FEN, description="unit_price_fen of the quote shown.")
    quoted_payable_fen: WholeNumber = Field(ge=0, le=MAX_AMOUNT_FEN, description="payable_fen of the quote shown.")


class ProposalOrder(BaseModel):
    """An order of a contracted proposal (once, at its agreed price) and the quote the caller showed."""

    model_config = ConfigDict(extra="forbid")

    proposal_id: int = Field(ge=1, le=2_147_483_647)
    quoted_unit_fen: WholeNumber = Field(ge=0, le=MAX_AMOUNT_FEN, description="unit_price_fen of the quote shown.")
    quoted_payable_fen: WholeNumber = Field(ge=0, le=MAX_AMOUNT_FEN, description="payable_fen of the quote shown.")


class OrderIn(RootModel[OfferingOrder | ProposalOrder]):
    """An order: an offering and a quantity, or a contracted proposal; and the quote the caller showed."""


class OrderBrief(BaseModel):
    """An order in a list."""

    id: int
    state: ORDER_STATES
    state_label: str
    title: str
    buyer: Party
    vendor: Party
    quantity: int
    list_fen: int
    voucher_fen: int
    payable_fen: int
    created_at: datetime


class Order(OrderBrief):
    """An order: its lines in fen, the 模型券 deduction, state, timestamps and the moves open to the caller."""

    offering_id: int | None
    proposal_id: int | None
    pricing_plan: str
    unit_price_fen: int
    voucher_year: int
    lines: list[Line]
    refund_reason: str | None
    paid_at: datetime | None
    fulfilled_at: datetime | None
    refunded_at: datetime | None
    cancelled_at: datetime | None
    transitions: list[str] = Field(description="Moves the caller may make now (POST …/transitions/{name}; pay is "
                                               "POST /api/v1/orders/{id}/pay, with the amount and reference).")


class PaymentIn(BaseModel):
    """A vendor's record of an order's payment, as the payment page takes it: the amount received (exactly the
    amount payable) and the payment reference."""

    model_config = ConfigDict(extra="forbid")

    amount_fen: WholeNumber = Field(ge=1, le=MAX_AMOUNT_FEN,
                                    description="The amount received in fen: exactly the order's payable_fen.")
    reference: str = Field(min_length=1, max_length=64,
                           description="The bank transfer number or another reference of the payment.")


class ReceiptOut(BaseModel):
    """The receipt of an order's payment: the amount received, the reference, who recorded it and when."""

    id: int
    amount_fen: int
    reference: str | None
    recorded_by: str | None
    recorded_at: datetime


class Payment(BaseModel):
    """A recorded payment: the order as it is now (paid) and its receipt."""

    order: Order
    receipt: ReceiptOut


class OrderPage(Page):
    """A page of the caller's orders (bought by an SME, sold by a vendor)."""

    items: list[OrderBrief]


class OrderQuery(BaseModel):
    """Which of the caller's orders to list."""

    model_config = ConfigDict(extra="ignore")

    state: ORDER_STATES | None = Field(None, description="Only orders in this state.")
    page: int = Field(1, ge=1, le=100_000)


# ---- agreements ---------------------------------------------------------------------------------------------------


class Signatory(BaseModel):
    """A party to one version: its role, its share and its signature."""

    organisation: Party
    role: Literal["data", "model", "center", "platform"]
    role_label: str
    share_bp: int = Field(description="Share in basis points; a version's shares sum to 10,000.")
    signed: bool
    signed_at: datetime | None


class Version(BaseModel):
    """One version of an agreement's terms."""

    number: int
    state: Literal["pending", "active", "superseded", "withdrawn"]
    note: str | None
    created_at: datetime
    activated_at: datetime | None
    superseded_at: datetime | None
    offerings: list[Titled]
    parties: list[Signatory]


class AgreementBrief(BaseModel):
    """An agreement in a list."""

    id: int
    title: str
    state: AGREEMENT_STATES
    state_label: str
    version: int = Field(description="The number of the version in force (or of the draft).")
    awaiting_signature: list[Party] = Field(description="Parties that have still to sign the pending version.")
    created_at: datetime


class Agreement(AgreementBrief):
    """A 模数共振 agreement: its parties, shares, versions and who has signed which version when."""

    agent_description: str
    data_description: str
    pending_version: int | None
    terminated_at: datetime | None
    termination_reason: str | None
    versions: list[Version]
    transitions: list[str] = Field(description="Moves the caller may make now (POST …/transitions/{name}).")


class AgreementPage(Page):
    """A page of the caller's agreements (promotion centers and admins: all)."""

    items: list[AgreementBrief]


class AgreementQuery(BaseModel):
    """Which agreements to list."""

    model_config = ConfigDict(extra="ignore")

    state: AGREEMENT_STATES | None = None
    page: int = Field(1, ge=1, le=100_000)


# ---- statements ---------------------------------------------------------------------------------------------------


class Period(BaseModel):
    """A period with ledger entries for the caller, and where to read its statement."""

    period: str = Field(description="YYYY-MM (a month) or YYYY (a year).")
    start: date
    end: date
    entries: int
    total_fen: int
    url: str
    csv_url: str


class Periods(BaseModel):
    """The periods with ledger entries the caller may read, newest first: months, then years."""

    party_id: int | None = Field(description="The caller's organisation (null: every party, for centers).")
    months: list[Period]
    years: list[Period]


class StatementEntry(BaseModel):
    """One ledger row: a party's share of one paid order, or its reversal on refund."""

    id: int
    created_at: datetime
    agreement: Titled
    version: int
    order_id: int
    party: Party
    kind: Literal["revenue", "reversal"]
    share_bp: int
    amount_fen: int


class Subtotal(BaseModel):
    """A subtotal of a statement, per agreement or per order."""

    id: int
    total_fen: int


class Statement(BaseModel):
    """A party's revenue statement for a period: its rows, subtotals and totals in fen."""

    period: str
    start: date
    end: date
    party_id: int | None
    agreement_id: int | None
    entries: list[StatementEntry]
    by_agreement: list[Subtotal]
    by_order: list[Subtotal]
    revenue_fen: int
    reversed_fen: int
    total_fen: int


class StatementQuery(BaseModel):
    """Whose statement, of which agreement."""

    model_config = ConfigDict(extra="ignore")

    party: int | None = Field(None, ge=1, le=2_147_483_647,
                              description="A party's organisation id (promotion centers and admins; others may "
                                          "give only their own).")
    agreement: int | None = Field(None, ge=1, le=2_147_483_647, description="Only this agreement's rows.")
