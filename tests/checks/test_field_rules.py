"""Per-field rules, each passing and failing: required (visible only, inside rows), formats,
ranges, the textarea limit in UTF-8 bytes, options, attachments."""

from __future__ import annotations

import pytest
from checkkit import attachment, make_template, one_section, snapshot

from spie_desktop.checks import Severity, check
from spie_desktop.checks.field_rules import MAX_ATTACHMENT_SIZE


def plain(text: str) -> str:
    """Messages use no-break spaces inside « » and before units; compare them as plain spaces."""
    return text.replace("\u00a0", " ")


def problems(template, answers=None, attachments=()):
    return check(snapshot(template, answers, attachments)).problems


def only(template, answers=None, attachments=()):
    found = problems(template, answers, attachments)
    assert len(found) == 1, found
    return found[0]


def field(id="f", type="text", label="Question", **extra):
    return {"id": id, "type": type, "label": label, **extra}


# -- required ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "type_, answer, blank",
    [
        ("text", "Département du Val-Fictif", ""),
        ("text", "x", "   "),
        ("textarea", "Un paragraphe.", None),
        ("integer_number", 0, None),
        ("decimal_number", "0", ""),
        ("date", "2022-01-01", None),
        ("yes_no", False, None),
        ("checkbox", True, False),
        ("multiple_drop_down_list", ["A"], []),
        ("drop_down_list", "A", None),
        ("departements", "56", ""),
        ("epci", "CA du Pays Fictif", ""),
    ],
)
def test_required_field(type_, answer, blank):
    extra = {"options": ["A", "B"]} if "drop_down" in type_ else {}
    t = one_section(field(type=type_, required=True, **extra))
    assert problems(t, {"f": answer}) == ()
    p = only(t, {"f": blank} if blank is not None else {})
    assert (p.rule_id, p.severity, p.path, p.display_path, p.section_id) == (
        "required",
        Severity.BLOQUANT,
        "f",
        "f",
        "s",
    )
    assert p.missing and p.field_label == "Question" and p.row_index is None
    assert "Question" in p.message


def test_required_message_tells_what_to_do():
    t = one_section(
        field("siret", "siret", "SIRET de la structure", required=True),
        field("kind", "drop_down_list", "Type", required=True, options=["A"]),
        field("ok", "yes_no", "Accord", required=True),
        field("pj", "piece_justificative", "Délibération", required=True),
    )
    messages = [plain(p.message) for p in problems(t)]
    assert messages == [
        "Renseignez « SIRET de la structure ».",
        "Choisissez une réponse pour « Type ».",
        "Répondez par Oui ou par Non à « Accord ».",
        "Joignez le document demandé : « Délibération ».",
    ]


def test_hidden_field_is_neither_required_nor_validated():
    t = one_section(
        field("kind", "drop_down_list", "Porteur", options=["CD", "Autre"]),
        field(
            "accord",
            "piece_justificative",
            "Accord du CD",
            required=True,
            visible_if={"field": "kind", "equals": "Autre"},
        ),
        field("mail", "email", "Courriel", required=True, visible_if={"field": "kind", "equals": "Autre"}),
    )
    assert problems(t, {"kind": "CD", "mail": "pas une adresse"}) == ()
    found = problems(t, {"kind": "Autre", "mail": "pas une adresse"})
    assert [(p.path, p.rule_id) for p in found] == [("accord", "required"), ("mail", "format.email")]
    assert problems(t, {"kind": "Autre", "mail": "a@b.fr"}, [attachment("accord")]) == ()


def test_visible_if_on_a_multiple_choice():
    t = one_section(
        field("publics", "multiple_drop_down_list", "Publics", options=["RSA", "Autre public"]),
        field(
            "autre",
            "text",
            "Autre public : précisez",
            required=True,
            visible_if={"field": "publics", "equals": "Autre public"},
        ),
    )
    assert problems(t, {"publics": ["RSA"]}) == ()
    assert only(t, {"publics": ["RSA", "Autre public"]}).path == "autre"


def repetition(required=False, min_rows=None, **kw):
    rep = field(
        "membres",
        "repetition",
        "Membres du consortium",
        required=required,
        row_label="Membre",
        children=[
            field("nom", "text", "Structure", required=True),
            field("kind", "drop_down_list", "Type", options=["CD", "Autre"]),
            field(
                "precision",
                "text",
                "Précisez",
                required=True,
                visible_if={"field": "kind", "equals": "Autre"},
            ),
            field("lettre", "piece_justificative", "Lettre d'engagement", required=True),
        ],
        **kw,
    )
    if min_rows is not None:
        rep["min_rows"] = min_rows
    return one_section(rep)


def test_required_inside_every_row_with_the_row_as_scope():
    t = repetition()
    rows = [{"_id": "ra", "nom": "CD du Val-Fictif", "kind": "CD"}, {"_id": "rb", "kind": "Autre"}]
    found = problems(t, {"membres": rows}, [attachment("membres[ra].lettre")])
    assert [(p.path, p.display_path, p.row_index, p.rule_id) for p in found] == [
        ("membres[rb].nom", "membres[1].nom", 1, "required"),
        ("membres[rb].precision", "membres[1].precision", 1, "required"),
        ("membres[rb].lettre", "membres[1].lettre", 1, "required"),
    ]
    assert all(p.location == "Membre 2" and p.section_id == "s" for p in found)
    assert found[0].field_label == "Structure"


def test_required_repetition_needs_a_row():
    t = repetition(required=True)
    p = only(t)
    assert (p.path, p.rule_id, p.missing) == ("membres", "required", True)
    assert plain(p.message) == "Ajoutez au moins une ligne à « Membres du consortium »."
    assert only(t, {"membres": [{"_id": "r1", "nom": "X"}]}).rule_id == "required"  # the letter, in the row
    assert problems(repetition(), {}) == ()  # not required: no row is fine


def test_min_rows():
    t = repetition(min_rows=2)
    p = only(t, {"membres": [{"_id": "r1", "nom": "X"}]}, [attachment("membres[r1].lettre")])
    assert (p.path, p.rule_id) == ("membres", "min_rows")
    assert "au moins 2 lignes (il y en a 1) : ajoutez-en 1" in plain(p.message)
    rows = [{"_id": f"r{i}", "nom": "X"} for i in range(2)]
    assert problems(t, {"membres": rows}, [attachment(f"membres[r{i}].lettre") for i in range(2)]) == ()


# -- formats ----------------------------------------------------------------------------------


def test_siret_messages():
    t = one_section(field("siret", "siret", "SIRET"))
    assert problems(t, {"siret": "732 829 320 00074"}) == ()
    p = only(t, {"siret": "123456789012"})
    assert (p.rule_id, p.message) == (
        "format.siret",
        "Le SIRET doit comporter 14 chiffres (vous en avez saisi 12).",
    )
    assert "clé de contrôle" in only(t, {"siret": "73282932000075"}).message
    assert "que des chiffres" in only(t, {"siret": "7328293200007O"}).message
    assert problems(t, {"siret": "35600000049837"}) == ()  # La Poste


@pytest.mark.parametrize(
    "type_, good, bad, rule_id",
    [
        ("email", "chef.projet@cd-fictif.fr", "chef.projet@cd-fictif", "format.email"),
        ("phone", "02 97 12 34 56", "02 97 12 34", "format.phone"),
        ("iban", "FR76 3000 6000 0112 3456 7890 189", "FR76 3000 6000 0112 3456 7890 188", "format.iban"),
        ("integer_number", 1250, "12,5", "format.integer"),
        ("integer_number", "1 250", "douze", "format.integer"),
        ("decimal_number", "1234.50", "12 abc", "format.decimal"),
        ("decimal_number", "1 234,567", "1234.5678", "format.decimal"),
        ("date", "2022-02-28", "2022-02-30", "format.date"),
        ("date", "2024-02-29", "31/12/2022", "format.date"),
        ("datetime", "2023-02-01T10:30", "2023-02-01T25:30", "format.datetime"),
        ("departements", "2A", "20", "format.departement"),
        ("epci", "200 067 213", "200 067 214", "format.siren"),
        ("epci", "Communauté de communes du Val d'Orne", "20006721", "format.siren"),
        ("civilite", "Mme", "Madame", "option"),
    ],
)
def test_formats(type_, good, bad, rule_id):
    t = one_section(field(type=type_))
    assert problems(t, {"f": good}) == ()
    p = only(t, {"f": bad})
    assert (p.rule_id, p.severity, p.missing) == (rule_id, Severity.BLOQUANT, False)


def test_too_many_decimals_says_so():
    t = one_section(field(type="decimal_number"))
    assert "au plus 3" in only(t, {"f": "0,1234"}).message


@pytest.mark.parametrize(
    "type_, value",
    [
        ("text", 12),
        ("textarea", ["a"]),
        ("yes_no", "true"),
        ("checkbox", "oui"),
        ("integer_number", True),
        ("integer_number", 1.5),
        ("decimal_number", {"a": 1}),
        ("drop_down_list", ["A"]),
        ("multiple_drop_down_list", "A"),
        ("date", 20220101),
        ("siret", 73282932000074),
    ],
)
def test_wrong_types_are_reported_not_crashed_on(type_, value):
    t = one_section(field(type=type_, options=["A"]) if "drop_down" in type_ else field(type=type_))
    p = only(t, {"f": value})
    assert p.severity is Severity.BLOQUANT and p.path == "f"


def test_huge_numbers_are_reported():
    t = one_section(field(type="integer_number"), field("d", "decimal_number", "D"))
    found = problems(t, {"f": 10**5000, "d": "9" * 5000})
    assert [p.rule_id for p in found] == ["format.number_size", "format.number_size"]


# -- ranges -----------------------------------------------------------------------------------


def test_min_max_positive():
    t = one_section(
        field("n", "integer_number", "Nombre", min="10", max="1000"),
        field("d", "decimal_number", "ETP", positive=True, unit="ETP"),
    )
    assert problems(t, {"n": 10, "d": "0"}) == ()
    assert problems(t, {"n": 1000, "d": "2,5"}) == ()
    found = problems(t, {"n": 9, "d": "-0,5"})
    assert [p.rule_id for p in found] == ["range.min", "range.positive"]
    assert found[0].message == "La valeur doit être d'au moins 10 (vous avez saisi 9)."
    assert "-0,5 ETP" in plain(found[1].message)
    p = only(t, {"n": "1 001"})
    assert p.rule_id == "range.max" and "1 001" in plain(p.message)


def test_start_end_dates_with_parameters():
    t = one_section(
        field("d", "date", "Début", start_date="$project_start", end_date="2023-12-31"),
        parameters={"project_start": "2022-01-01"},
    )
    assert problems(t, {"d": "2022-01-01"}) == () and problems(t, {"d": "2023-12-31"}) == ()
    p = only(t, {"d": "2021-12-31"})
    assert p.rule_id == "range.start_date" and "01/01/2022" in p.message and "31/12/2021" in p.message
    assert only(t, {"d": "2024-01-01"}).rule_id == "range.end_date"


# -- textarea limit ---------------------------------------------------------------------------


def test_character_limit_counts_utf8_bytes_and_only_warns():
    t = one_section(field(type="textarea", character_limit=400))
    assert problems(t, {"f": "a" * 400}) == ()
    assert problems(t, {"f": "é" * 200}) == ()  # 400 bytes
    p = only(t, {"f": "é" * 201})  # 201 characters, 402 bytes
    assert (p.rule_id, p.severity) == ("limit.characters", Severity.AVERTISSEMENT)
    assert "402" in p.message and "400" in p.message and "au moins 2" in p.message
    report = check(snapshot(t, {"f": "é" * 201}))
    assert report.can_file


def test_character_limit_inside_a_row():
    t = one_section(
        field(
            "rep",
            "repetition",
            "Actions",
            children=[field("desc", "textarea", "Description", character_limit=400)],
        )
    )
    p = only(t, {"rep": [{"_id": "r1", "desc": "x"}, {"_id": "r2", "desc": "€" * 134}]})  # 402 bytes
    assert (p.path, p.row_index, p.rule_id) == ("rep[r2].desc", 1, "limit.characters")


# -- options ----------------------------------------------------------------------------------


def test_drop_down_options():
    t = one_section(
        field("k", "drop_down_list", "Type", options=["CD", "Pôle emploi"]),
        field("o", "drop_down_list", "Avec autre", options=["CD"], other_option=True),
    )
    assert problems(t, {"k": "Pôle emploi", "o": "Une association"}) == ()
    p = only(t, {"k": "pole emploi"})
    assert p.rule_id == "option" and "pole emploi" in p.message


def test_multiple_drop_down_each_value_among_options():
    t = one_section(field("m", "multiple_drop_down_list", "Publics", options=["RSA", "Jeunes"]))
    assert problems(t, {"m": ["RSA", "Jeunes"]}) == ()
    found = problems(t, {"m": ["RSA", "Seniors", "Autres", "Seniors"]})
    assert [p.rule_id for p in found] == ["option", "option"]
    assert "Seniors" in found[0].message and "Autres" in found[1].message


# -- attachments ------------------------------------------------------------------------------


def test_attachment_size_limit():
    t = one_section(field("pj", "piece_justificative", "Budget détaillé", required=True))
    assert problems(t, {}, [attachment("pj", size=MAX_ATTACHMENT_SIZE)]) == ()
    p = only(t, {}, [attachment("pj", size=MAX_ATTACHMENT_SIZE + 1, name="budget.xlsx")])
    assert p.rule_id == "attachment.size" and "budget.xlsx" in p.message and "200" in p.message


def test_attachment_elsewhere_does_not_count():
    t = repetition()
    rows = [{"_id": "r1", "nom": "X"}, {"_id": "r2", "nom": "Y"}]
    found = problems(t, {"membres": rows}, [attachment("membres[r1].lettre")])
    assert [p.path for p in found] == ["membres[r2].lettre"]


def test_row_ids_missing_or_junk_still_give_a_path():
    t = repetition()
    found = problems(t, {"membres": [{"nom": "X"}, "junk", {"_id": "bad id!", "nom": "Y"}, 42]})
    assert [p.display_path for p in found] == ["membres[0].lettre", "membres[2].lettre"]


def test_sections_keep_form_order():
    t = make_template(
        [
            {"id": "a", "title": "A", "fields": [field("x", required=True)]},
            {"id": "b", "title": "B", "fields": [field("y", required=True)]},
        ]
    )
    assert [p.section_id for p in problems(t)] == ["a", "b"]
