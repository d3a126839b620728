"""Every platform type, as the platform's own code (demarches-simplifiees.fr) accepts it.

Each test cites the file of that repository it follows; the values come from there
(spec/system/users/dossier_prefill_get_spec.rb and lib/data/api_geo/*.json).
"""

from __future__ import annotations

import json

import pytest
from exportkit import FIXTURES, make_snapshot

from spie_desktop.exports.prefill import (
    NOT_PREFILLABLE_TYPES,
    Refused,
    build_prefill,
    platform_value,
)
from spie_desktop.exports.schema_import import TYPES, template_from_schema
from spie_desktop.forms import FieldSpec, FieldType, parse_template, places

ALL_TYPES = FIXTURES / "ds-all-types-schema.json"


def _descriptors(champs):
    for c in champs:
        yield c
        yield from _descriptors(c.get("champDescriptors") or [])


@pytest.fixture(scope="module")
def all_types():
    data = json.loads(ALL_TYPES.read_text(encoding="utf-8"))
    out, warnings = template_from_schema(data)
    return data, parse_template(out), warnings


def _fields(template):
    for _, f in template.iter_fields():
        yield f
        yield from f.children


def test_the_fixture_holds_the_41_typenames_of_the_graphql_schema(all_types):
    # app/graphql/schema.graphql: 41 « type …ChampDescriptor implements ChampDescriptor »
    data, _, _ = all_types
    names = {c["__typename"] for c in _descriptors(data["revision"]["champDescriptors"])}
    assert len(names) == 41 and names <= set(TYPES)


def test_import_keeps_every_id_and_every_required_flag(all_types):
    data, template, _ = all_types
    by_ds = {f.ds_id: f for f in _fields(template) if f.ds_id}
    for c in _descriptors(data["revision"]["champDescriptors"]):
        if c["__typename"] == "HeaderSectionChampDescriptor" and c.get("level") == 1:
            continue  # a top-level header becomes a section
        assert c["id"] in by_ds, c["__typename"]
        assert by_ds[c["id"]].required is c["required"], c["__typename"]
        assert by_ds[c["id"]].type.value == TYPES[c["__typename"]]


def test_online_only_types_stay_questions_with_their_required_flag(all_types):
    _, template, warnings = all_types
    online = [f for f in _fields(template) if f.type.is_online_only]
    assert {f.type.value for f in online} == {
        "carte",
        "annuaire_education",
        "cnaf",
        "dgfip",
        "pole_emploi",
        "mesri",
        "cojo",
        "referentiel",
        "engagement_juridique",
    }
    assert any(f.required for f in online) and not all(f.required for f in online)
    assert all(any(f.label in w and "en ligne" in w for w in warnings) for f in online)


def test_collapsible_explanation_and_file_template_are_kept(all_types):
    # app/graphql/schema.graphql: ExplicationChampDescriptor.collapsibleExplanationText,
    # PieceJustificativeChampDescriptor.fileTemplate: File (with its url)
    _, template, _ = all_types
    fields = {f.label: f for f in _fields(template)}
    assert fields["Explication (question)"].collapsible_text == "Le détail, déplié à la demande."
    assert fields["PieceJustificative (question)"].file_template.endswith("/modele-lettre.pdf")


def test_every_question_is_sent_or_listed_with_why(all_types):
    _, template, _ = all_types
    result = build_prefill(make_snapshot({}, template=template))
    asked = [f for _, f in template.iter_fields() if f.type.holds_answer or f.type.is_online_only]
    listed = set(result.not_prefillable)
    for f in asked:
        if f.type in NOT_PREFILLABLE_TYPES:
            assert f.label in listed and result.not_prefillable_why[f.label]
        else:
            assert f.label not in listed


# -- values, type by type ------------------------------------------------------------------------


def _spec(ftype: FieldType, **kw) -> FieldSpec:
    return FieldSpec(id="x", type=ftype, label="x", **kw)


def test_communes_postal_code_then_insee_code():
    # app/models/types_de_champ/prefill_commune_type_de_champ.rb: [postal_code, commune_code], the
    # commune among APIGeoService.communes_by_postal_code(postal_code); the spec uses ['01540', '01457']
    assert platform_value(_spec(FieldType.COMMUNES), "01457-01540") == ["01540", "01457"]
    assert platform_value(_spec(FieldType.COMMUNES), "Vonnas (01540)") == ["01540", "01457"]
    with pytest.raises(Refused):
        platform_value(_spec(FieldType.COMMUNES), "01457-75001")  # not that postal code's commune
    with pytest.raises(Refused):
        platform_value(_spec(FieldType.COMMUNES), "75056-75001")  # Paris as a whole: filtered out


def test_epci_departement_then_siren():
    # app/models/types_de_champ/prefill_epci_type_de_champ.rb; the spec uses ['01', '200029999']
    assert platform_value(_spec(FieldType.EPCI), "200029999") == ["01", "200029999"]
    assert platform_value(_spec(FieldType.EPCI), "01 200029999") == ["01", "200029999"]
    with pytest.raises(Refused):
        platform_value(_spec(FieldType.EPCI), "02 200029999")  # epci_champ.rb: not in epcis-02.json


def test_an_epci_across_a_border_follows_the_dossier_when_it_can():
    crossing = next(
        s
        for s in {e.siren for d, _ in places.departements() for e in places.epcis(d)}
        if len(places.epci_departements(s)) > 1
    )
    deps = places.epci_departements(crossing)
    assert platform_value(_spec(FieldType.EPCI), crossing, departements=(deps[1],)) == [deps[1], crossing]
    assert platform_value(_spec(FieldType.EPCI), crossing, departements=("99",)) == [deps[0], crossing]


@pytest.mark.parametrize(
    "value,expected",
    [
        ("56", "56"),
        ("Morbihan", "56"),
        ("2a", "2A"),
        ("975", "975"),
        ("99", "99"),
        ("Etranger", "99"),
        ("5", "05"),
    ],
)
def test_departements_of_the_platform(value, expected):
    # app/services/api_geo_service.rb: departements = [{code: '99', name: 'Etranger'}] + api_geo
    assert platform_value(_spec(FieldType.DEPARTEMENTS), value) == expected


@pytest.mark.parametrize("value", ["20", "985", "00"])
def test_departements_the_platform_drops(value):
    # app/models/champs/departement_champ.rb: external_id_in_departement_codes
    with pytest.raises(Refused):
        platform_value(_spec(FieldType.DEPARTEMENTS), value)


def test_shipped_departements_are_the_platforms_plus_99():
    codes = [c for c, _ in places.departements()]
    assert len(codes) == 110 and {"975", "977", "978", "984", "986", "987", "988", "989", "99"} <= set(codes)
    assert "20" not in codes and "985" not in codes


@pytest.mark.parametrize(
    "value,expected", [("53", "53"), ("Bretagne", "53"), ("bretagne", "53"), ("53 – Bretagne", "53")]
)
def test_regions_code_or_name(value, expected):
    # app/models/champs/region_champ.rb: a 2-character value is the code, else the name
    assert platform_value(_spec(FieldType.REGIONS), value) == expected


@pytest.mark.parametrize(
    "value,expected", [("FR", "FR"), ("fr", "FR"), ("France", "FR"), ("Allemagne", "DE")]
)
def test_pays_iso_code_or_name(value, expected):
    # app/models/champs/pays_champ.rb: a 2-character value is the ISO code, else the name
    assert platform_value(_spec(FieldType.PAYS), value) == expected


def test_pays_drops_french_overseas_departements():
    # app/services/api_geo_service.rb: EXCLUDED_COUNTRY_CODES = %w[GP MQ GF RE YT]
    with pytest.raises(Refused):
        platform_value(_spec(FieldType.PAYS), "GP")


def test_address_and_formatted_as_typed():
    # prefill_address_type_de_champ.rb: { value: value, external_id: value }; formatted: the text
    label = "20 Avenue de Ségur 75007 Paris"  # the spec's address_value
    assert platform_value(_spec(FieldType.ADDRESS), label) == label
    assert platform_value(_spec(FieldType.FORMATTED), "AB-12") == "AB-12"


def test_dossier_link_is_an_integer():
    # app/models/champs/dossier_link_champ.rb: Integer(value) in the :prefill context
    assert platform_value(_spec(FieldType.DOSSIER_LINK), "n° 123456") == "123456"
    with pytest.raises(Refused):
        platform_value(_spec(FieldType.DOSSIER_LINK), "douze")


def test_datetime_with_an_offset_is_converted_to_paris():
    # app/models/champs/datetime_champ.rb stores a bare datetime, read in the app's zone (Europe/Paris)
    assert platform_value(_spec(FieldType.DATETIME), "2023-02-01T18:30:00+00:00") == "2023-02-01T19:30"
    assert platform_value(_spec(FieldType.DATETIME), "2023-07-01T18:30:00+00:00") == "2023-07-01T20:30"
    assert (
        platform_value(_spec(FieldType.DATETIME), "2023-02-01T10:32") == "2023-02-01T10:32"
    )  # the spec's value


def test_drop_down_other_free_text():
    # app/models/champs/drop_down_list_champ.rb: no option check when drop_down_other?
    assert (
        platform_value(_spec(FieldType.DROP_DOWN_LIST, options=("Un",), other_option=True), "Trois")
        == "Trois"
    )
    with pytest.raises(Refused):
        platform_value(_spec(FieldType.DROP_DOWN_LIST, options=("Un",)), "Trois")


def test_the_check_counts_online_only_questions_as_online_tasks(all_types):
    from spie_desktop.checks import engine
    from spie_desktop.checks.command import format_text, report_dict

    _, template, _ = all_types
    snap = make_snapshot({}, template=template)
    report = engine.check(snap)
    tasks = {t.label: t.required for t in report.online_tasks}
    assert len(tasks) == 9 and tasks["Carte (question)"] is False and tasks["Cnaf (question)"] is True
    assert not any(p.field_label in tasks for p in report.problems)  # never blocking: nothing to answer here
    assert "À faire en ligne, sur la plateforme : 9 questions" in format_text(snap, report)
    assert len(report_dict(snap, report)["online_tasks"]) == 9


@pytest.mark.parametrize(
    "ftype,stored,shown,pasted",
    [
        (
            FieldType.DEPARTEMENTS,
            "22",
            "22 – Côtes-d’Armor",
            "22 – Côtes-d’Armor",
        ),  # the platform's own spelling
        (FieldType.COMMUNES, "01457-01540", "Vonnas (01540)", "Vonnas (01540)"),
        (FieldType.REGIONS, "53", "Bretagne", "Bretagne"),
        (FieldType.PAYS, "DE", "Allemagne", "Allemagne"),
        (FieldType.EPCI, "01/200029999", None, None),
        (FieldType.COMMUNES, "Ville imaginaire", "Ville imaginaire", "Ville imaginaire"),  # unknown: as typed
    ],
)
def test_place_answers_shown_and_pasted_as_the_platform_lists_them(ftype, stored, shown, pasted):
    from spie_desktop.exports.text import display_value, paste_text

    spec = _spec(ftype)
    if ftype is FieldType.EPCI:
        name = next(e.name for e in places.epcis("01") if e.siren == "200029999")
        assert paste_text(spec, stored) == name
        assert display_value(spec, stored) == f"{name} (département 01 – Ain)"
        return
    assert display_value(spec, stored) == shown
    assert paste_text(spec, stored) == pasted


def test_text_export_says_online_only_and_keeps_the_collapsible_text(all_types):
    from spie_desktop.exports.text import ONLINE_ONLY, export_text

    _, template, _ = all_types
    lines = export_text(make_snapshot({}, template=template)).splitlines()
    i = lines.index("Carte (question)")
    assert lines[i + 1] == ONLINE_ONLY
    assert any("Le détail, déplié à la demande." in line for line in lines)
