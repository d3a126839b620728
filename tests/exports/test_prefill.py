"""The prefill payload: the platform's exact value formats, and what it would silently drop."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlsplit

import pytest
from exportkit import FIXTURES, SAMPLE_SCHEMA, make_snapshot

from spie_desktop.exports.prefill import (
    Refused,
    build_prefill,
    champ_key,
    platform_value,
)
from spie_desktop.exports.schema_import import template_from_schema
from spie_desktop.forms import FieldSpec, FieldType, parse_template

ANSWERS = {
    "champ_5003": "Conseil départemental du Morbihan",
    "champ_5004": "225 600 014 00016",
    "champ_5005": "spie@morbihan.fr",
    "champ_5006": "02 97 54 80 00",
    "champ_5007": "56",
    "champ_5009": "Publics éloignés de l'emploi.\nOffre cloisonnée.",
    "champ_5010": 12400,
    "champ_5011": "2.50",
    "champ_5012": "2022-01-03",
    "champ_5013": False,
    "champ_5014": True,
    "champ_5015": "Conseil départemental",
    "champ_5016": ["Allocataires du RSA", "Jeunes de moins de 26 ans"],
    "champ_5017": [
        {
            "_id": "r1",
            "champ_5018": "Pôle emploi Bretagne",
            "champ_5019": "Pôle emploi",
            "champ_5020": "20000.00",
        },
        {
            "_id": "r2",
            "champ_5018": "Fédération des centres sociaux",
            "champ_5019": "Fédération",
            "champ_5020": "1 500,5",
        },
    ],
    "champ_5022": "200042174",
}


@pytest.fixture(scope="module")
def sample_template():
    assert SAMPLE_SCHEMA.exists(), "fixture manquante : tests/exports/fixtures/ds-demarche-schema.json"
    data, _ = template_from_schema(json.loads(SAMPLE_SCHEMA.read_text(encoding="utf-8")))
    return parse_template(data)


def test_body_equals_hand_written_fixture(sample_template):
    expected = json.loads((FIXTURES / "prefill-expected.json").read_text(encoding="utf-8"))
    result = build_prefill(make_snapshot(ANSWERS, template=sample_template))
    assert result.body == expected["body"]
    assert result.endpoint == expected["endpoint"]
    assert result.not_prefillable == expected["not_prefillable"]


def test_other_free_text_is_sent_where_the_field_allows_it(sample_template):
    # app/models/champs/drop_down_list_champ.rb: validate_value_is_in_options unless drop_down_other?
    result = build_prefill(make_snapshot(ANSWERS, template=sample_template))
    assert result.refused == []
    assert result.body["champ_Q2hhbXAtNTAxNw"][1]["champ_Q2hhbXAtNTAxOQ"] == "Fédération"
    answers = dict(ANSWERS, champ_5015="Une fondation")  # « Type de porteur » has otherOption false
    refused = dict(build_prefill(make_snapshot(answers, template=sample_template)).refused)
    assert "n'est pas une des options" in refused["Type de porteur"]


def _rack_rows(query: list[tuple[str, str]], key: str) -> list[dict[str, str]]:
    """Rack's rule for ``key[][child]=v``: a new row when the last one already holds ``child``."""
    rows: list[dict[str, str]] = []
    for k, v in query:
        if k.startswith(key + "[]["):
            child = k[len(key) + 3 : -1]
            if not rows or child in rows[-1]:
                rows.append({})
            rows[-1][child] = v
    return rows


def test_link_carries_scalars_lists_and_repetitions(sample_template):
    # spec/system/users/dossier_prefill_get_spec.rb passes a repetition in the link as champ_R[][champ_X]
    result = build_prefill(make_snapshot(ANSWERS, template=sample_template))
    assert result.link is not None and result.link_warning == "" and result.link_omits == []
    parts = urlsplit(result.link)
    assert parts.netloc == "www.demarches-simplifiees.fr" and parts.path == "/commencer/ami-exemple"
    query = parse_qsl(parts.query)
    assert ("champ_Q2hhbXAtNTAxMw", "false") in query
    assert ("champ_Q2hhbXAtNTAwOQ", "Publics éloignés de l'emploi.\nOffre cloisonnée.") in query
    assert [v for k, v in query if k == "champ_Q2hhbXAtNTAxNg[]"] == [
        "Allocataires du RSA",
        "Jeunes de moins de 26 ans",
    ]
    assert [v for k, v in query if k == "champ_Q2hhbXAtNTAyMg[]"] == ["56", "200042174"]
    assert _rack_rows(query, "champ_Q2hhbXAtNTAxNw") == result.body["champ_Q2hhbXAtNTAxNw"]


def test_rows_missing_the_first_key_still_split_as_rows(sample_template):
    answers = dict(
        ANSWERS,
        champ_5017=[{"_id": "a", "champ_5020": "10"}, {"_id": "b", "champ_5018": "B", "champ_5020": "20"}],
    )
    result = build_prefill(make_snapshot(answers, template=sample_template))
    rows = _rack_rows(parse_qsl(urlsplit(result.link).query), "champ_Q2hhbXAtNTAxNw")
    assert [r.get("champ_Q2hhbXAtNTAyMA") for r in rows] == ["10", "20"]


def test_long_link_is_kept_with_the_platforms_warning(sample_template):
    # app/models/prefill_description.rb: link_too_long? is prefill_link.length > MAX_PREFILL_LINK_LENGTH
    # on the CGI.unescape'd link, and the page only warns
    from urllib.parse import unquote

    answers = dict(ANSWERS, champ_5009="é" * 900)  # 900 characters, 5 400 once percent-encoded
    result = build_prefill(make_snapshot(answers, template=sample_template))
    assert result.link is not None and len(result.link) > 5400
    assert len(unquote(result.link)) <= 2000 and result.link_warning == ""
    answers = dict(ANSWERS, champ_5009="x" * 2500)
    result = build_prefill(make_snapshot(answers, template=sample_template))
    assert result.link is not None and "2\u00a0000" in result.link_warning
    assert result.link_warning in result.instructions()
    assert result.body["champ_Q2hhbXAtNTAwOQ"] == "x" * 2500


def test_invalid_values_refused_with_reasons(sample_template):
    answers = dict(
        ANSWERS,
        champ_5004="12345678901234",
        champ_5010="douze",
        champ_5012="2022-02-30",
        champ_5015="Autre chose",
        champ_5022="Communauté imaginaire",
        champ_5011="1.2345",
    )
    result = build_prefill(make_snapshot(answers, template=sample_template))
    refused = dict(result.refused)
    assert set(refused) >= {
        "SIRET",
        "Nombre d'allocataires du RSA",
        "Date de démarrage",
        "Type de porteur",
        "EPCI concernés",
        "Équivalents temps plein de coordination",
    }
    for key in (
        "champ_Q2hhbXAtNTAwNA",
        "champ_Q2hhbXAtNTAxMA",
        "champ_Q2hhbXAtNTAxMg",
        "champ_Q2hhbXAtNTAxNQ",
        "champ_Q2hhbXAtNTAyMg",
        "champ_Q2hhbXAtNTAxMQ",
    ):
        assert key not in result.body


def test_epci_goes_with_its_own_departement(sample_template):
    # app/models/types_de_champ/prefill_epci_type_de_champ.rb: [code_departement, SIREN], and
    # app/models/champs/epci_champ.rb validates the SIREN against epcis-<code_departement>.json
    answers = dict(ANSWERS, champ_5007="29", champ_5022="200042174")  # Lorient Agglomération is in 56
    assert build_prefill(make_snapshot(answers, template=sample_template)).body["champ_Q2hhbXAtNTAyMg"] == [
        "56",
        "200042174",
    ]
    answers = {k: v for k, v in ANSWERS.items() if k != "champ_5007"}
    assert build_prefill(make_snapshot(answers, template=sample_template)).body["champ_Q2hhbXAtNTAyMg"] == [
        "56",
        "200042174",
    ]
    answers = dict(ANSWERS, champ_5022="CA Lorient Agglomération")  # by its name in the platform's list
    assert build_prefill(make_snapshot(answers, template=sample_template)).body["champ_Q2hhbXAtNTAyMg"] == [
        "56",
        "200042174",
    ]


def test_without_platform_ids_everything_is_to_do_online(snapshot):
    result = build_prefill(snapshot)
    assert result.body == {}
    assert "Nom de la structure porteuse" in result.not_prefillable
    assert result.endpoint == "https://www.demarches-simplifiees.fr/api/public/v1/demarches/1234/dossiers"


def test_champ_key_strips_padding_only():
    assert champ_key("Q2hhbXAtMTAwMg==") == "champ_Q2hhbXAtMTAwMg"
    assert champ_key("Q2hhbXAtMTAwMjM=") == "champ_Q2hhbXAtMTAwMjM"


@pytest.mark.parametrize(
    "ftype,value,expected",
    [
        (FieldType.INTEGER_NUMBER, "1 234", "1234"),
        (FieldType.DECIMAL_NUMBER, "1200,50", "1200.50"),
        (FieldType.DATETIME, "2023-02-01T10:30:00", "2023-02-01T10:30"),
        (FieldType.CHECKBOX, False, "false"),
        (FieldType.DEPARTEMENTS, "2a", "2A"),
        (FieldType.CIVILITE, "Mme", "Mme"),
        (FieldType.IBAN, "FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"),
    ],
)
def test_value_formats(ftype, value, expected):
    assert platform_value(FieldSpec(id="x", type=ftype, label="x"), value) == expected


def test_false_is_never_sent_as_json_false():
    assert platform_value(FieldSpec(id="x", type=FieldType.YES_NO, label="x"), False) == "false"
    with pytest.raises(Refused):
        platform_value(FieldSpec(id="x", type=FieldType.YES_NO, label="x"), "peut-être")


def test_instructions_say_how_to_use_the_payload(sample_template):
    result = build_prefill(make_snapshot(ANSWERS, template=sample_template))
    text = "\n".join(result.instructions())
    assert "Content-Type: application/json" in text and result.endpoint in text
    assert "Lettre d'engagement du conseil départemental" not in text  # listed in not_prefillable, with why
    assert result.undone() == [
        ("Lettre d'engagement du conseil départemental", "pièce jointe, à déposer en ligne")
    ]
    assert result.as_json()["instructions"] == result.instructions()
