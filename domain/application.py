"""The Maillage application: every use case, over one event store and one notification log."""

from __future__ import annotations

from domain.usecases.base import Recorded
from domain.usecases.cases import CaseUseCases
from domain.usecases.consultations import ConsultationUseCases
from domain.usecases.feed_readings import FeedReadingUseCases
from domain.usecases.fundings import FundingUseCases
from domain.usecases.networks import NetworkUseCases
from domain.usecases.partnerships import PartnershipUseCases
from domain.usecases.registry import RegistryUseCases

__all__ = ["Maillage", "Recorded"]


class Maillage(
    RegistryUseCases,
    PartnershipUseCases,
    NetworkUseCases,
    CaseUseCases,
    ConsultationUseCases,
    FeedReadingUseCases,
    FundingUseCases,
):
    """One application, so that the read side follows a single, totally ordered log."""

    name = "Maillage"
