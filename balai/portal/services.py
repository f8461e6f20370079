"""What the portal shows of other apps: letter services, the complaint form, figures.

The portal only reads; the letters and complaints apps own the data. Each
function here is the one place that knows the other app's models, so the
village page, the regency portal and the widget stay unchanged when those
apps change.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class LetterService:
    name: str
    requirements: list[str] = field(default_factory=list)
    duration: str = ""
    request_url: str = ""
    code: str = ""


@dataclass(frozen=True)
class ComplaintForm:
    url: str


@dataclass(frozen=True)
class Figures:
    letters_this_month: int | None = None
    median_days_to_ready: float | None = None


@dataclass(frozen=True)
class Tracked:
    kind: str
    title: str
    status: str
    updated_at: object = None
    url: str = ""


def letter_services(village) -> list[LetterService]:
    """The letters this village offers, in the order residents look for them."""
    return []


def services_by_village(villages) -> dict[str, list[str]]:
    """Village code to the names of the letters it offers, in one query."""
    return {}


def complaint_form(village) -> ComplaintForm | None:
    """Where residents of this village file a complaint, with the village chosen."""
    return None


def public_figures(village) -> Figures:
    """Letters issued this month and the median days from request to ready."""
    return Figures()


def track(code: str, village) -> Tracked | None:
    """The public status of a letter request or complaint by its tracking code."""
    return None
