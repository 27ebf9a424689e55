"""The export of a beneficiary's personal data as a document people read (RGPD art. 15): HTML
rendered with Jinja2, in the reader's language (French first), and the same page as PDF.

Codes read as the labels of `domain.labels`; every heading is a template (`N_`, French in
`api/i18n/locales/fr/rights.po`). PDF: WeasyPrint, imported when a PDF is asked for (it needs
the system's Pango), so that a worker boots without it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any

from api.http.schemas.rights import ActorRecordRead, BasisRecordRead, NamedRead, PersonalDataRead
from api.i18n import Words
from domain.labels import LABELS, label
from domain.wording import N_

# The events of a case, as a person reads them (an event this table lacks reads as its type).
EVENTS = {
    "CaseOpened": N_("Case opened"),
    "ConsentGiven": N_("Consent recorded"),
    "ConsentWithdrawn": N_("Consent withdrawn"),
    "ParticipantJoined": N_("Professional joined the case"),
    "ParticipantLeft": N_("Professional left the case"),
    "CoordinatorDesignated": N_("Coordinator designated"),
    "InterventionRecorded": N_("Intervention"),
    "InformationShared": N_("Information shared"),
    "ConcerningInformationTransmitted": N_("Concerning information sent to the CRIP"),
    "ReferralMade": N_("Referral"),
    "ReferralAccepted": N_("Referral accepted"),
    "ReferralDeclined": N_("Referral declined"),
    "CoordinationMeetingHeld": N_("Coordination meeting"),
    "AlertAcknowledged": N_("Alert acknowledged"),
    "CaseClosed": N_("Case closed"),
    "CaseReopened": N_("Case reopened"),
    "IdentityRectified": N_("Identity rectified"),
    "BeneficiaryErased": N_("Personal data erased"),
}
HEADINGS = {
    "title": N_("Personal data held by Maillage"),
    "intro": N_(
        "Everything Maillage holds about the person followed in case {case_id}, read from its "
        "log on {exported_at}, at the request of the data-protection officer of {institution}."
    ),
    "erased": N_("This person's personal data was erased: it reads “[erased]”."),
    "identity": N_("Identity"),
    "first_name": N_("First name"),
    "last_name": N_("Last name"),
    "birth_date": N_("Birth date"),
    "legal_framework": N_("Legal framework"),
    "holder": N_("Institution holding the case"),
    "history": N_("Rectifications of the identity"),
    "previous": N_("Before"),
    "rectified": N_("After"),
    "reason": N_("Reason"),
    "acts": N_("Acts recorded on the case"),
    "occurred": N_("Date"),
    "recorded": N_("Recorded on"),
    "act": N_("Act"),
    "by": N_("By"),
    "basis": N_("Basis"),
    "texts": N_("Texts"),
    "consents": N_("Consents"),
    "giver": N_("Given by"),
    "recipients": N_("Recipients"),
    "categories": N_("Information"),
    "until": N_("Valid until"),
    "withdrawn": N_("Withdrawn on"),
    "shares": N_("Information shared and its grounds"),
    "recipient": N_("Recipient"),
    "ground": N_("Ground"),
    "consent_ground": N_("The person's consent"),
    "referrals": N_("Referrals"),
    "to": N_("To"),
    "status": N_("Status"),
    "readings": N_("Who read the file, when and why"),
    "reader": N_("Reader"),
    "role": N_("Role"),
    "view": N_("View"),
    "purpose": N_("Purpose"),
    "erasure": N_("Erasure"),
    "none": N_("None."),
    "unnamed": N_("data-protection officer"),
}
_TEXTS = ("summary", "reason", "note", "decisions")

_PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ h.title }}</title>
<style>
body{font-family:sans-serif;font-size:10pt;margin:2em}table{border-collapse:collapse;width:100%;
margin-bottom:1.5em}th,td{border:1px solid #999;padding:.3em;text-align:left;vertical-align:top}
th{background:#eee}.erased{color:#a00;font-weight:bold}
</style></head><body>
<h1>{{ h.title }}</h1><p>{{ intro }}</p>
{% if x.erased %}<p class="erased">{{ h.erased }}</p>{% endif %}
<h2>{{ h.identity }}</h2><table>
<tr><th>{{ h.first_name }}</th><td>{{ x.beneficiary.first_name }}</td></tr>
<tr><th>{{ h.last_name }}</th><td>{{ x.beneficiary.last_name }}</td></tr>
<tr><th>{{ h.birth_date }}</th><td>{{ day(x.beneficiary.birth_date) }}</td></tr>
<tr><th>{{ h.legal_framework }}</th><td>{{ code("legal_framework", x.legal_framework) }}</td></tr>
<tr><th>{{ h.holder }}</th><td>{{ named(x.holder_institution) }}</td></tr></table>
<h2>{{ h.history }}</h2>{% if x.identity_history %}<table>
<tr><th>{{ h.occurred }}</th><th>{{ h.previous }}</th><th>{{ h.rectified }}</th>
<th>{{ h.reason }}</th><th>{{ h.by }}</th></tr>
{% for r in x.identity_history %}<tr><td>{{ when(r.occurred_at) }}</td>
<td>{{ person(r.previous) }}</td><td>{{ person(r.rectified) }}</td><td>{{ r.reason }}</td>
<td>{{ h.unnamed }} ({{ named(r.institution) }})</td></tr>{% endfor %}</table>
{% else %}<p>{{ h.none }}</p>{% endif %}
<h2>{{ h.acts }}</h2><table>
<tr><th>{{ h.occurred }}</th><th>{{ h.recorded }}</th><th>{{ h.act }}</th><th>{{ h.by }}</th>
<th>{{ h.basis }}</th><th>{{ h.texts }}</th></tr>
{% for a in x.acts %}<tr><td>{{ when(a.occurred_at) }}</td><td>{{ when(a.recorded_at) }}</td>
<td>{{ event(a.event) }}</td><td>{{ actor(a.actor) }}</td><td>{{ basis(a.basis) }}</td>
<td>{% for t in texts(a.details) %}{{ t }}<br>{% endfor %}</td></tr>{% endfor %}</table>
<h2>{{ h.consents }}</h2>{% if x.consents %}<table>
<tr><th>{{ h.occurred }}</th><th>{{ h.giver }}</th><th>{{ h.recipients }}</th>
<th>{{ h.categories }}</th><th>{{ h.until }}</th><th>{{ h.withdrawn }}</th></tr>
{% for c in x.consents %}<tr><td>{{ when(c.given_at) }}</td>
<td>{{ code("consent_giver", c.giver) }}{% if c.representative_name %}
({{ c.representative_name }}){% endif %}</td>
<td>{{ c.recipients | map("attr", "name") | join(", ") }}</td>
<td>{{ codes("information_category", c.categories) }}</td><td>{{ day(c.valid_until) }}</td>
<td>{{ when(c.withdrawn_at) }}</td></tr>{% endfor %}</table>
{% else %}<p>{{ h.none }}</p>{% endif %}
<h2>{{ h.shares }}</h2>{% if x.shares %}<table>
<tr><th>{{ h.occurred }}</th><th>{{ h.by }}</th><th>{{ h.recipient }}</th>
<th>{{ h.categories }}</th><th>{{ h.ground }}</th><th>{{ h.texts }}</th></tr>
{% for s in x.shares %}<tr><td>{{ when(s.occurred_at) }}</td><td>{{ actor(s.by) }}</td>
<td>{{ named(s.recipient_institution) }}{% if s.recipient_professional %},
{{ named(s.recipient_professional) }}{% endif %}</td>
<td>{{ codes("information_category", s.categories) }}</td>
<td>{% if s.legal_reference %}{{ s.legal_reference }}{% if s.legal_ground %}
({{ s.legal_ground.code }}){% endif %}{% else %}{{ h.consent_ground }}{% endif %}</td>
<td>{{ s.summary or "" }}</td></tr>{% endfor %}</table>
{% else %}<p>{{ h.none }}</p>{% endif %}
<h2>{{ h.referrals }}</h2>{% if x.referrals %}<table>
<tr><th>{{ h.occurred }}</th><th>{{ h.by }}</th><th>{{ h.to }}</th><th>{{ h.reason }}</th>
<th>{{ h.status }}</th></tr>
{% for r in x.referrals %}<tr><td>{{ when(r.made_at) }}</td><td>{{ actor(r.by) }}</td>
<td>{{ named(r.to_institution) }}</td><td>{{ r.reason }}</td>
<td>{{ code("referral_status", r.status) }}{% if r.answer_reason %}: {{ r.answer_reason }}
{% endif %}</td></tr>{% endfor %}</table>
{% else %}<p>{{ h.none }}</p>{% endif %}
<h2>{{ h.readings }}</h2><table>
<tr><th>{{ h.occurred }}</th><th>{{ h.reader }}</th><th>{{ h.role }}</th><th>{{ h.view }}</th>
<th>{{ h.purpose }}</th></tr>
{% for r in x.readings %}<tr><td>{{ when(r.occurred_at) }}</td><td>{{ actor(r.reader) }}</td>
<td>{{ code("role", r.role) }}</td><td>{{ code("case_view", r.view) }}</td>
<td>{{ code("read_purpose", r.purpose) }}</td></tr>{% endfor %}</table>
{% if x.erasure %}<h2>{{ h.erasure }}</h2><p>{{ when(x.erasure.occurred_at) }} —
{{ code("erasure_ground", x.erasure.ground) }}{% if x.erasure.reference %}
({{ x.erasure.reference }}){% endif %}</p>{% endif %}
</body></html>
"""


@cache
def _template() -> Any:
    import jinja2

    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    return env.from_string(_PAGE)


def render_html(export: PersonalDataRead, words: Words) -> str:
    def named(value: NamedRead | None) -> str:
        return "" if value is None else value.name or str(value.id)

    def actor(value: ActorRecordRead | None) -> str:
        if value is None:
            return ""
        person = value.professional.name or words.gettext(HEADINGS["unnamed"])
        if value.institution is None:
            return person
        return f"{person} ({named(value.institution)})"

    def code(family: str, value: object) -> str:
        return label(words, family, value) if family in LABELS else str(value)

    def basis(value: BasisRecordRead | None) -> str:
        if value is None:
            return ""
        kind = code("basis_kind", value.kind)
        return f"{kind} — {named(value.ref)}" if value.ref is not None else kind

    def when(value: datetime | None) -> str:
        return "" if value is None else words.datetime(value, words.zone)

    def day(value: date | None) -> str:
        return "" if value is None else words.date(value)

    def texts(details: dict[str, Any]) -> list[str]:
        found: list[str] = []
        for name in _TEXTS:
            value = details.get(name)
            found += (
                [str(v) for v in value] if isinstance(value, list) else [str(value)] * bool(value)
            )
        return found

    helpers: dict[str, Callable[..., Any]] = {
        "named": named,
        "actor": actor,
        "code": code,
        "codes": lambda family, values: ", ".join(code(family, v) for v in values),
        "basis": basis,
        "when": when,
        "day": day,
        "texts": texts,
        "event": lambda name: words.gettext(EVENTS[name]) if name in EVENTS else name,
        "person": lambda i: " ".join(
            p for p in (i.first_name, i.last_name, day(i.birth_date)) if p
        ),
    }
    headings = {key: words.gettext(text) for key, text in HEADINGS.items() if key != "intro"}
    intro = words.gettext(
        HEADINGS["intro"],
        case_id=str(export.case_id),
        exported_at=when(export.exported_at),
        institution=named(export.exported_by.institution),
    )
    return str(
        _template().render(x=export, h=headings, intro=intro, lang=words.language, **helpers)
    )


def render_pdf(html: str) -> bytes:
    """The page as PDF (WeasyPrint; `ImportError`/`OSError` if it or Pango is missing)."""
    import weasyprint

    return bytes(weasyprint.HTML(string=html).write_pdf())
