"""National identifiers (`domain.identifiers`, `domain.identifier_claim`): each scheme's shape and
check key, refusals that name the field and the rule (in French too), the FHIR systems, and one
holder per number in the registry's use cases."""

from __future__ import annotations

import pytest

from api.i18n import FRENCH
from domain.application import Maillage
from domain.errors import InvalidValueError
from domain.events import event_type
from domain.identifier_claim import IdentifierTakenError, claim_id
from domain.identifiers import (
    FHIR_SYSTEMS,
    ID_NAT_PS,
    ID_NAT_STRUCT,
    Scheme,
    fhir_identifiers,
    parse_adeli,
    parse_finess,
    parse_identifier,
    parse_rpps,
    parse_siret,
    with_luhn_key,
)
from domain.institution import Institution
from domain.professional import Professional
from tests.world import World

# Known-good numbers in real-world format: FINESS of the CHRU de Rennes (legal entity, FR Core's
# example) and of the AP-HP; SIRET of python-stdnum's own examples, La Poste's head office (its
# establishments use another key); an RPPS of the Annuaire Santé IG's examples whose key is
# right; ADELI numbers of a Haut-Rhin psychologist's shape and a Corsican one.
GOOD = {
    Scheme.FINESS: ["350005179", "750712184", "35 000 517 9", "2A0000123"],
    Scheme.SIRET: ["73282932000074", "732 829 320 00074", "35600000000048"],
    Scheme.RPPS: ["10002909371", "10000000017", "100 0290 9371"],
    Scheme.ADELI: ["689300012", "2A9300012", "68 93 00012"],
}


@pytest.mark.parametrize(("scheme", "number"), [(s, n) for s, ns in GOOD.items() for n in ns])
def test_a_valid_number_is_accepted_and_kept_compact(scheme: Scheme, number: str) -> None:
    parsed = parse_identifier(scheme, number)
    assert parsed == number.replace(" ", "").upper()


def _refusal(parse: object, value: object) -> InvalidValueError:
    with pytest.raises(InvalidValueError) as refused:
        parse(value)  # type: ignore[operator]
    return refused.value


@pytest.mark.parametrize(
    ("parse", "field", "value", "says"),
    [
        # wrong check keys: the last digit changed
        (parse_finess, "finess", "350005178", "check key"),
        (parse_finess, "finess", "750712185", "check key"),
        (parse_siret, "siret", "73282932000075", "check key"),
        (parse_siret, "siret", "73282932100074", "check key"),  # the SIREN's key is wrong
        (parse_rpps, "rpps", "10002909372", "check key"),
        (parse_rpps, "rpps", "10000000018", "check key"),
        # lengths
        (parse_finess, "finess", "35000517", "must have 9 characters, not 8"),
        (parse_siret, "siret", "7328293200007", "must have 14 characters, not 13"),
        (parse_rpps, "rpps", "1000290937", "must have 11 characters, not 10"),
        (parse_adeli, "adeli", "6893000123", "must have 9 characters, not 10"),
        # characters
        (parse_finess, "finess", "3A0005179", "département"),
        (parse_finess, "finess", "35000517X", "département"),
        (parse_adeli, "adeli", "2C9300012", "département"),
        (parse_siret, "siret", "7328293200007A", "digits only"),
        (parse_rpps, "rpps", "1000290937١", "digits only"),  # an Arabic-Indic digit
        (parse_rpps, "rpps", 10002909371, "must be a text"),
    ],
)
def test_a_wrong_number_is_refused_naming_the_field_and_the_rule(
    parse: object, field: str, value: object, says: str
) -> None:
    error = _refusal(parse, value)
    assert error.field == field
    assert error.rule == "invalid-value"
    assert says in error.message


def test_a_refusal_reads_in_french() -> None:
    error = _refusal(parse_finess, "350005178")
    assert (
        error.worded(FRENCH) == "finess 350005178 : la clé de contrôle (dernier chiffre) est fausse"
    )
    length = _refusal(parse_rpps, "123")
    assert length.worded(FRENCH) == "rpps doit compter 11 caractères, et non 3"


def test_valid_keys_are_computed_for_demo_and_test_numbers() -> None:
    assert with_luhn_key("35000517") == "350005179"
    assert parse_rpps(with_luhn_key("1000350001")) == "10003500013"


def test_each_scheme_has_the_fhir_system_of_fr_core_and_its_national_identifier() -> None:
    assert {s: f.system for s, f in FHIR_SYSTEMS.items()} == {
        Scheme.FINESS: "https://finess.esante.gouv.fr",
        Scheme.SIRET: "https://sirene.fr",
        Scheme.RPPS: "https://rpps.esante.gouv.fr",
        Scheme.ADELI: "https://adeli.esante.gouv.fr",
    }
    institution = fhir_identifiers({Scheme.FINESS: "350005179", Scheme.SIRET: "73282932000074"})
    assert [(i.system, i.value, i.type_code) for i in institution] == [
        ("https://finess.esante.gouv.fr", "350005179", "FINEG"),
        ("https://sirene.fr", "73282932000074", "SIRET"),
        (ID_NAT_STRUCT, "1350005179", "IDNST"),  # idNat_Struct: 1 + FINESS
    ]
    professional = fhir_identifiers({Scheme.ADELI: "689300012"})
    assert [(i.system, i.value) for i in professional] == [
        ("https://adeli.esante.gouv.fr", "689300012"),
        (ID_NAT_PS, "0689300012"),  # idNat_PS: 0 + ADELI
    ]
    assert professional[0].as_fhir() == {
        "use": "official",
        "type": {
            "coding": [
                {
                    "system": "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203",
                    "code": "ADELI",
                    "display": "N° ADELI",
                }
            ]
        },
        "system": "https://adeli.esante.gouv.fr",
        "value": "689300012",
    }
    assert fhir_identifiers({}) == []


# --- the registry's use cases (in memory) ------------------------------------------------------


def _events(app: Maillage, aggregate_id: object) -> list[str]:
    return [event_type(e) for e in app.repository.event_store.get(aggregate_id)]  # type: ignore[arg-type]


def test_registering_with_numbers_records_them_and_claims_each(app: Maillage) -> None:
    aemo = app.register_institution(
        name="AEMO", sector="social", kind="aemo_service", finess="35 000 517 9"
    ).id
    institution = app.repository.get(aemo)
    assert isinstance(institution, Institution)
    assert institution.identifiers == {Scheme.FINESS: "350005179"}
    assert _events(app, aemo) == [
        "Institution.InstitutionRegistered",
        "Institution.InstitutionIdentified",
    ]
    assert _events(app, claim_id(Scheme.FINESS, "350005179")) == [
        "IdentifierClaim.IdentifierClaimed"
    ]


def test_a_number_held_by_another_is_refused_and_nothing_is_recorded(world: World) -> None:
    app = world.app
    taken = World.IDENTIFIERS["aemo"]["finess"]
    before = app.recorder.max_notification_id()
    with pytest.raises(IdentifierTakenError) as refused:
        app.register_institution(name="Autre", sector="social", kind="other", finess=taken)
    assert (refused.value.field, refused.value.rule) == ("finess", "identifier-taken")
    assert refused.value.worded(FRENCH) == (
        f"le numéro {taken} (finess) est déjà attribué à un autre établissement ou professionnel"
    )
    with pytest.raises(IdentifierTakenError):
        app.identify_professional(
            professional_id=world.p("jeanne"), rpps=World.IDENTIFIERS["sophie"]["rpps"]
        )
    assert app.recorder.max_notification_id() == before


def test_a_number_given_up_is_free_for_another(world: World) -> None:
    app = world.app
    finess = World.IDENTIFIERS["cmp"]["finess"]
    moved = with_luhn_key("68000999")
    app.identify_institution(institution_id=world.i("cmp"), finess=moved)
    cmp = app.repository.get(world.i("cmp"))
    assert cmp.identifiers == {Scheme.FINESS: moved}
    app.identify_institution(institution_id=world.i("school"), finess=finess)
    assert app.repository.get(world.i("school")).finess == finess
    assert _events(app, claim_id(Scheme.FINESS, finess)) == [
        "IdentifierClaim.IdentifierClaimed",
        "IdentifierClaim.IdentifierReleased",
        "IdentifierClaim.IdentifierReclaimed",
    ]
    with pytest.raises(IdentifierTakenError):  # the CMP's new number is held now
        app.identify_institution(institution_id=world.i("school"), finess=moved)


def test_identifying_again_with_the_same_numbers_records_nothing(world: World) -> None:
    app = world.app
    numbers = World.IDENTIFIERS["luc"]
    before = app.recorder.max_notification_id()
    app.identify_professional(professional_id=world.p("luc"), **numbers)
    assert app.recorder.max_notification_id() == before
    app.identify_professional(professional_id=world.p("luc"))  # none from now on
    luc = app.repository.get(world.p("luc"))
    assert isinstance(luc, Professional)
    assert luc.identifiers == {}
    app.identify_professional(professional_id=world.p("jeanne"), rpps=numbers["rpps"])
    assert app.repository.get(world.p("jeanne")).rpps == numbers["rpps"]


def test_a_malformed_number_is_refused_before_anything_is_decided(app: Maillage) -> None:
    with pytest.raises(InvalidValueError) as refused:
        app.register_professional(name="Marc", profession="psychologue", adeli="68-93")
    assert refused.value.field == "adeli"
    assert app.recorder.max_notification_id() is None


@pytest.mark.parametrize("head", ["00", "96", "99"])
def test_a_finess_whose_first_two_characters_are_no_departement_is_refused(head: str) -> None:
    number = with_luhn_key(head + "000012")  # its Luhn key is right: only the département is wrong
    error = _refusal(parse_finess, number)
    assert error.field == "finess"
    assert error.rule == "invalid-value"
    assert f"{head} is no département" in error.message
    assert error.worded(FRENCH) == (
        f"finess {number} : {head} n'est pas un département (01 à 95, 2A, 2B, 97 ou 98)"
    )


def test_finess_000000000_is_refused_though_its_luhn_key_is_right() -> None:
    assert with_luhn_key("00000000") == "000000000"
    assert "département" in _refusal(parse_finess, "000000000").message


@pytest.mark.parametrize("head", ["01", "20", "59", "95", "97", "98"])
def test_a_finess_of_every_departement_is_accepted(head: str) -> None:
    number = with_luhn_key(head + "000012")
    assert parse_finess(number) == number
