"""A démarche's published form becomes a valid template, platform ids kept."""

from __future__ import annotations

import json

import pytest
from exportkit import SAMPLE_SCHEMA

from spie_desktop.exports.schema_import import SchemaImportError, template_from_schema
from spie_desktop.forms import FieldType, parse_template


@pytest.fixture(scope="module")
def sample():
    assert SAMPLE_SCHEMA.exists(), "fixture manquante : tests/exports/fixtures/ds-demarche-schema.json"
    return json.loads(SAMPLE_SCHEMA.read_text(encoding="utf-8"))


def test_sample_imports_into_a_valid_template(sample):
    data, warnings = template_from_schema(sample)
    t = parse_template(data)
    assert warnings == []
    assert t.id == "ds-48211"
    assert t.platform.procedure_number == 48211
    assert t.platform.procedure_path == "ami-exemple"
    assert t.platform.host == "www.demarches-simplifiees.fr"
    assert t.deadline is None
    assert [s.title for s in t.sections] == ["Le porteur du projet", "Le projet"]
    siret = t.field("champ_5004")
    assert siret.type is FieldType.SIRET and siret.ds_id == "Q2hhbXAtNTAwNA==" and siret.required
    assert t.field("champ_5002").type is FieldType.EXPLICATION
    rep = t.field("champ_5017")
    assert rep.type is FieldType.REPETITION
    assert [c.id for c in rep.children] == ["champ_5018", "champ_5019", "champ_5020"]
    assert rep.child("champ_5019").other_option and "Pôle emploi" in rep.child("champ_5019").options
    assert t.field("champ_5016").options[0] == "Allocataires du RSA"
    assert t.field("champ_5021").type is FieldType.PIECE_JUSTIFICATIVE
    assert t.field("champ_5022").type is FieldType.EPCI
    types = {f.type for _, f in t.iter_fields()}
    assert FieldType.DEPARTEMENTS in types and FieldType.CHECKBOX in types


def test_graphql_envelope_is_accepted(sample):
    assert (
        template_from_schema({"data": {"demarcheDescriptor": sample}})[0] == template_from_schema(sample)[0]
    )


def test_fields_before_first_header_and_sub_headers_and_unknown_types(sample):
    data = json.loads(json.dumps(sample))
    champs = data["revision"]["champDescriptors"]
    champs.insert(
        0,
        {
            "__typename": "TextChampDescriptor",
            "id": "Q2hhbXAtOTAwMQ==",
            "label": "Référence",
            "required": False,
        },
    )
    champs.insert(
        3,
        {
            "__typename": "HeaderSectionChampDescriptor",
            "id": "Q2hhbXAtOTAwMg==",
            "label": "Identité",
            "level": 2,
        },
    )
    champs.append(
        {
            "__typename": "CarteChampDescriptor",
            "id": "Q2hhbXAtOTAwMw==",
            "label": "Zone",
            "description": "Tracez la zone.",
        }
    )
    champs.append({"__typename": "AddressChampDescriptor", "id": "Q2hhbXAtOTAwNA==", "label": "Adresse"})
    champs.append({"__typename": "FuturChampDescriptor", "id": "Q2hhbXAtOTAwNQ==", "label": "Nouveauté"})
    out, warnings = template_from_schema(data)
    t = parse_template(out)
    assert t.sections[0].title == "Informations générales"
    assert t.sections[0].fields[0].id == "champ_9001"
    header = t.field("champ_9002")
    assert header.type is FieldType.HEADER_SECTION and header.level == 2
    zone = t.field("champ_9003")  # a real type, answered online only, id kept
    assert zone.type is FieldType.CARTE and zone.type.is_online_only and zone.ds_id == "Q2hhbXAtOTAwMw=="
    assert any("Zone" in w and "en ligne" in w for w in warnings)
    assert (
        t.field("champ_9004").type is FieldType.ADDRESS and t.field("champ_9004").ds_id == "Q2hhbXAtOTAwNA=="
    )
    future = t.field("champ_9005")  # a type the platform may add later: kept as help text, said
    assert future.type is FieldType.EXPLICATION and "à remplir en ligne" in future.description
    assert any("Nouveauté" in w and "inconnu" in w for w in warnings)


def test_ids_are_stable_and_unique_without_base64():
    data = {
        "number": 7,
        "title": "T",
        "demarcheURL": None,
        "revision": {
            "id": "x",
            "champDescriptors": [
                {"__typename": "TextChampDescriptor", "id": "abc", "label": "A"},
                {"__typename": "TextChampDescriptor", "id": "abc", "label": "B"},
            ],
        },
    }
    out, warnings = template_from_schema(data)
    t = parse_template(out)
    ids = [f.id for _, f in t.iter_fields()]
    assert len(set(ids)) == 2
    assert t.platform.procedure_path is None and any("demarcheURL" in w for w in warnings)


def test_not_a_schema_is_refused_in_french():
    with pytest.raises(SchemaImportError, match="revision"):
        template_from_schema({"format": "spie-template"})


from hypothesis import example, given, settings, strategies as st  # noqa: E402

_TYPES = [
    "HeaderSectionChampDescriptor",
    "TextChampDescriptor",
    "RepetitionChampDescriptor",
    "DropDownListChampDescriptor",
    "CarteChampDescriptor",
    "ExplicationChampDescriptor",
    None,
    3,
]
_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 5),
    st.text(max_size=8),
    st.lists(st.text(max_size=5), max_size=3),
)
_champ = st.fixed_dictionaries(
    {"__typename": st.sampled_from(_TYPES)},
    optional={
        "id": _values,
        "label": _values,
        "description": _values,
        "required": _values,
        "level": _values,
        "options": _values,
        "otherOption": _values,
    },
)
_champ_with_kids = st.one_of(
    _champ, st.builds(lambda c, kids: {**c, "champDescriptors": kids}, _champ, st.lists(_champ, max_size=3))
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_champ_with_kids, max_size=8), _values, _values)
@example([{"__typename": "TextChampDescriptor", "id": " "}], None, None)  # a blank id once reached the loader
@example(
    [
        {
            "__typename": "RepetitionChampDescriptor",
            "id": "r",
            "champDescriptors": [{"__typename": "TextChampDescriptor", "id": "\t"}],
        }
    ],
    1,
    "https://www.demarches-simplifiees.fr/commencer/x",
)
def test_any_descriptor_gives_a_valid_template_or_a_french_error(champs, number, url):
    data = {
        "number": number,
        "title": "T",
        "demarcheURL": url,
        "revision": {"id": None, "champDescriptors": champs},
    }
    try:
        out, _ = template_from_schema(data)
    except SchemaImportError as exc:
        assert str(exc)
        return
    parse_template(out)


def test_a_blank_champ_id_is_no_platform_id():
    data = {
        "number": 1,
        "title": "T",
        "demarcheURL": None,
        "revision": {
            "id": None,
            "champDescriptors": [{"__typename": "TextChampDescriptor", "id": " ", "label": "Nom"}],
        },
    }
    out, _ = template_from_schema(data)
    field = parse_template(out).field(out["sections"][0]["fields"][0]["id"])
    assert field.ds_id is None and field.label == "Nom"


def test_a_template_the_loader_refuses_is_reported_at_the_champ_of_the_schema():
    data = {
        "number": 1,
        "title": "T",
        "demarcheURL": None,
        "revision": {
            "id": None,
            "champDescriptors": [
                {"__typename": "TextChampDescriptor", "id": "a", "label": "Nom"},
                "pas un champ",
                {
                    "__typename": "RepetitionChampDescriptor",
                    "id": "r",
                    "label": "Lignes",
                    "champDescriptors": [
                        {"__typename": "TextChampDescriptor", "id": "k", "label": "x" * 5000}
                    ],
                },
            ],
        },
    }
    with pytest.raises(SchemaImportError) as err:
        template_from_schema(data, source="schema.json")
    message = str(err.value)
    assert "« schema.json »" in message
    assert "revision.champDescriptors[2].champDescriptors[0].label" in message
    assert "sections[" not in message  # never a place in the generated template
