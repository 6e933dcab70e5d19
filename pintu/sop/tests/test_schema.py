"""The definition schema: every mistake in a file is one line naming file, line and field."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pintu.sop.definition import Definition
from pintu.sop.grammar import KNOWN_MEASURES, Target, parse_duration, parse_target
from pintu.sop.models import Sop
from pintu.sop.nodes import DefinitionError
from pintu.sop.schema import parse_definition
from pintu.sop.services import sop_load_dir

# A small valid SOP. The line numbers in the cases below refer to this text.
VALID = dedent(
    """\
    code: PR.1.1
    version: V0
    title: Prosedur Uji
    unit: UPT-SI
    approved_by: DIR
    effective: 2022-07-11
    purpose: [Menguji validasi]
    scope: [Uji]
    roles:
      staf: Staf UPT-SI
      pemohon: Pemohon
    activities:
      - key: terima
        actor: staf
        description: menerima permintaan
        time_standard: 15m
      - key: putuskan
        actor: staf
        description: memutuskan permintaan
        next:
          - to: beri
            when: diterima
          - to: tolak
            when: ditolak
      - key: beri
        actor: staf
        description: memberi akses
        end: true
      - key: tolak
        actor: staf
        description: menolak permintaan
    services:
      - key: akses
        name: Pemberian akses
        first_response: 15m
        resolution: 1d
        kpi: B.4.6.4.c
        activities: [terima, putuskan, beri, tolak]
        fields:
          - key: sistem
            label: Sistem
    kpis:
      - code: B.4.6.4.a
        text: merespon maksimal 15 menit
        measure:
          name: first_response_within
          params: {within: 15m}
        target: ">= 100%"
      - code: B.4.6.4.c
        text: menginstalasi maksimal 1 hari
        measure:
          name: resolved_within
          params: {within: 1d}
        target: ">= 100%"
    records:
      - name: Tiket
        form: "Email: helpdesk@example.ac.id"
        location: Server
        retention: 5y
    """
)

ACTIVITY_FIELDS = "key, actor, description, note, requirements, time_standard, output, next, end"
ACTIVITY_KEYS = "terima, putuskan, beri, tolak"
MEASURES = ", ".join(KNOWN_MEASURES)

# (case, [(old, new), ...] applied to VALID, the expected message)
CASES: list[tuple[str, list[tuple[str, str]], str]] = [
    (
        "yaml syntax: a colon in a plain value",
        [("staf: Staf UPT-SI", "staf: Staf: UPT-SI")],
        "t.yaml:10: invalid YAML: mapping values are not allowed here",
    ),
    (
        "yaml syntax: an unclosed list",
        [("purpose: [Menguji validasi]", "purpose: [Menguji validasi")],
        "t.yaml:8: invalid YAML: expected ',' or ']', but got ':'",
    ),
    (
        "yaml syntax: a tab for indentation",
        [
            (
                "    actor: staf\n    description: menerima",
                "    actor: staf\n\tdescription: menerima",
            )
        ],
        "t.yaml:15: invalid YAML: found character '\\t' that cannot start any token",
    ),
    ("empty file", [(VALID, "")], "t.yaml:1: the file is empty (expected a mapping of SOP fields)"),
    (
        "top level is a list",
        [(VALID, "- code: PR.1.1\n")],
        "t.yaml:1: expected a mapping, found a list",
    ),
    (
        "duplicate key at the top",
        [("title: Prosedur Uji\n", "title: Prosedur Uji\ntitle: Lagi\n")],
        "t.yaml:4: title: duplicate key (first at line 3)",
    ),
    (
        "duplicate key in an activity",
        [("    time_standard: 15m\n", "    time_standard: 15m\n    time_standard: 1h\n")],
        "t.yaml:17: activities[0].time_standard: duplicate key (first at line 16)",
    ),
    (
        "duplicate role",
        [("  pemohon: Pemohon\n", "  pemohon: Pemohon\n  staf: Staf lain\n")],
        "t.yaml:12: roles.staf: duplicate key (first at line 10)",
    ),
    (
        "unknown field in an activity",
        [("    time_standard: 15m\n", "    time_standard: 15m\n    colour: red\n")],
        f"t.yaml:17: activities[0].colour: unknown field 'colour' (allowed: {ACTIVITY_FIELDS})",
    ),
    (
        "unknown top-level field",
        [("unit: UPT-SI\n", "unit: UPT-SI\npemilik: saya\n")],
        "t.yaml:5: pemilik: unknown field 'pemilik' (allowed: code, version, title, unit, "
        "approved_by, effective, purpose, scope, roles, services, activities, kpis, records, "
        "institution, warning, definitions, legal_basis, equipment, qualifications, related, "
        "linked_sops, supporting_documents, requester_roles, owner, gaps)",
    ),
    (
        "requester role that is not a role",
        [("\nactivities:\n", "\nrequester_roles: [pemohon, mahasiswa]\nactivities:\n")],
        "t.yaml:12: requester_roles[1]: unknown role 'mahasiswa' (roles: staf, pemohon)",
    ),
    (
        "missing top-level field",
        [("unit: UPT-SI\n", "")],
        "t.yaml:1: unit: required field is missing",
    ),
    (
        "time standard in words",
        [("time_standard: 15m", "time_standard: 15 minutes")],
        "t.yaml:16: activities[0].time_standard: '15 minutes' is not a duration "
        "(use 15m, 4h, 1d, 2w or 1mo)",
    ),
    (
        "time standard as a bare number",
        [("time_standard: 15m", "time_standard: 15")],
        "t.yaml:16: activities[0].time_standard: '15' is not a duration "
        "(use 15m, 4h, 1d, 2w or 1mo)",
    ),
    (
        "resolution in days spelled out",
        [("resolution: 1d", "resolution: 3 hari")],
        "t.yaml:36: services[0].resolution: '3 hari' is not a duration "
        "(use 15m, 4h, 1d, 2w or 1mo)",
    ),
    (
        "first response missing",
        [("    first_response: 15m\n", "")],
        "t.yaml:33: services[0].first_response: required field is missing",
    ),
    (
        "unknown clock",
        [("    resolution: 1d\n", "    resolution: 1d\n    clock: lunar\n")],
        "t.yaml:37: services[0].clock: 'lunar' is not one of: working, calendar",
    ),
    (
        "KPI without a code",
        [("  - code: B.4.6.4.a\n    text:", "  - text:")],
        "t.yaml:43: kpis[0].code: required field is missing",
    ),
    (
        "KPI code of the wrong shape",
        [("code: B.4.6.4.a", "code: B4.6.4.a")],
        "t.yaml:43: kpis[0].code: 'B4.6.4.a' is not a KPI code such as B.4.6.4.a",
    ),
    (
        "KPI code with an upper-case letter",
        [("code: B.4.6.4.a", "code: B.4.6.4.A")],
        "t.yaml:43: kpis[0].code: 'B.4.6.4.A' is not a KPI code such as B.4.6.4.a",
    ),
    (
        "duplicate KPI code",
        [("code: B.4.6.4.c", "code: B.4.6.4.a"), ("kpi: B.4.6.4.c", "kpi: B.4.6.4.a")],
        "t.yaml:49: kpis[1].code: duplicate KPI code 'B.4.6.4.a' (first at line 43)",
    ),
    (
        "retention in words",
        [("retention: 5y", "retention: 5 tahun")],
        "t.yaml:59: records[0].retention: '5 tahun' is not a retention period (use years, e.g. 5y)",
    ),
    (
        "retention in months",
        [("retention: 5y", "retention: 60mo")],
        "t.yaml:59: records[0].retention: '60mo' is not a retention period (use years, e.g. 5y)",
    ),
    (
        "unknown role",
        [
            (
                "    actor: staf\n    description: memutuskan",
                "    actor: boss\n    description: memutuskan",
            )
        ],
        "t.yaml:18: activities[1].actor: unknown role 'boss' (roles: staf, pemohon)",
    ),
    (
        "unknown activity in a branch",
        [("- to: tolak", "- to: buang")],
        "t.yaml:23: activities[1].next[1].to: "
        f"unknown activity 'buang' (activities: {ACTIVITY_KEYS})",
    ),
    (
        "branch without its condition",
        [("        when: ditolak\n", "")],
        "t.yaml:23: activities[1].next[1].when: required when a step has more than one next step",
    ),
    (
        "a requester's step that branches",
        [
            ("\nactivities:\n", "\nrequester_roles: [pemohon]\nactivities:\n"),
            (
                "    actor: staf\n    description: memutuskan",
                "    actor: pemohon\n    description: memutuskan",
            ),
        ],
        "t.yaml:22: activities[1].next: a step the requester performs cannot branch",
    ),
    (
        "end step with next steps",
        [("    end: true\n", "    end: true\n    next: [{to: tolak}]\n")],
        "t.yaml:29: activities[2].next: a step with end: true has no next steps",
    ),
    (
        "duplicate activity key",
        [("- key: tolak", "- key: beri")],
        "t.yaml:29: activities[3].key: duplicate activity key 'beri' (first at line 25)",
    ),
    (
        "activity key with spaces",
        [("- key: tolak", "- key: tolak akses")],
        "t.yaml:29: activities[3].key: 'tolak akses' is not a key "
        "(lower-case letters, digits, - and _)",
    ),
    (
        "unknown activity in a service",
        [
            (
                "activities: [terima, putuskan, beri, tolak]",
                "activities: [terima, putus, beri, tolak]",
            )
        ],
        "t.yaml:38: services[0].activities[1]: "
        f"unknown activity 'putus' (activities: {ACTIVITY_KEYS})",
    ),
    (
        "a service that lacks a branch target",
        [("activities: [terima, putuskan, beri, tolak]", "activities: [terima, putuskan, beri]")],
        "t.yaml:38: services[0].activities[1]: "
        "'putuskan' leads to 'tolak', which this service lacks",
    ),
    (
        "service naming an unknown KPI",
        [("kpi: B.4.6.4.c", "kpi: B.4.6.4.z")],
        "t.yaml:37: services[0].kpi: unknown KPI 'B.4.6.4.z' (KPIs: B.4.6.4.a, B.4.6.4.c)",
    ),
    (
        "service resolution contradicting its KPI",
        [("resolution: 1d", "resolution: 3d")],
        "t.yaml:36: services[0].resolution: '3d' differs from B.4.6.4.c, which sets 1d",
    ),
    (
        "choice field without choices",
        [("        label: Sistem\n", "        label: Sistem\n        type: choice\n")],
        "t.yaml:40: services[0].fields[0].choices: a choice field needs choices",
    ),
    (
        "unknown field type",
        [("        label: Sistem\n", "        label: Sistem\n        type: colour\n")],
        "t.yaml:42: services[0].fields[0].type: 'colour' is not one of: "
        "text, textarea, choice, date, email, number",
    ),
    (
        "unknown measure",
        [("name: resolved_within", "name: uptime")],
        f"t.yaml:52: kpis[1].measure.name: unknown measure 'uptime' (known: {MEASURES})",
    ),
    (
        "measure without its parameters",
        [("      params: {within: 1d}\n", "")],
        "t.yaml:52: kpis[1].measure.params: required field is missing "
        "(resolved_within needs within)",
    ),
    (
        "measure with an unknown parameter",
        [("params: {within: 1d}", "params: {within: 1d, service: akses}")],
        "t.yaml:53: kpis[1].measure.params.service: unknown field 'service' (allowed: within)",
    ),
    (
        "measure parameter that is not a duration",
        [("params: {within: 1d}", "params: {within: 1 hari}")],
        "t.yaml:53: kpis[1].measure.params.within: '1 hari' is not a duration "
        "(use 15m, 4h, 1d, 2w or 1mo)",
    ),
    (
        "target outside the grammar",
        [('target: ">= 100%"\n  - code', 'target: "at least all"\n  - code')],
        "t.yaml:48: kpis[0].target: 'at least all' is not a target "
        "(use present, >= 100%, >= 1/year or >= 80% from 2020, +5/year)",
    ),
    (
        "target above 100 percent",
        [('target: ">= 100%"\n  - code', 'target: ">= 120%"\n  - code')],
        "t.yaml:48: kpis[0].target: '>= 120%' asks for more than 100%",
    ),
    (
        "target of the wrong kind for its measure",
        [('target: ">= 100%"\nrecords', 'target: ">= 1/year"\nrecords')],
        "t.yaml:54: kpis[1].target: '>= 1/year' does not fit resolved_within, "
        "which needs a share such as >= 100%",
    ),
    (
        "wrong type: a number for text",
        [("title: Prosedur Uji", "title: 2024")],
        "t.yaml:3: title: expected text, found a number (2024); put it in quotes",
    ),
    (
        "wrong type: yes/no for text",
        [("approved_by: DIR", "approved_by: yes")],
        "t.yaml:5: approved_by: expected text, found a yes/no value (yes); put it in quotes",
    ),
    (
        "wrong type: a list of roles",
        [("  staf: Staf UPT-SI\n  pemohon: Pemohon\n", "  - staf\n  - pemohon\n")],
        "t.yaml:10: roles: expected a mapping of role key to name, found a list",
    ),
    (
        "wrong type: activities as a mapping",
        [("activities:\n  - key: terima", "activities:\n  x:\n  - key: terima")],
        "t.yaml:13: activities: expected a list, found a mapping",
    ),
    (
        "wrong type: text for a list",
        [("scope: [Uji]", "scope: Uji")],
        "t.yaml:8: scope: expected a list, found text",
    ),
    (
        "wrong type: a null KPI list",
        [(VALID[VALID.index("kpis:") :], "kpis:\nrecords: []\n")],
        "t.yaml:42: kpis: expected a list, found null (write [] for none)",
    ),
    (
        "wrong type: required as a word",
        [("        label: Sistem\n", "        label: Sistem\n        required: perlu\n")],
        "t.yaml:42: services[0].fields[0].required: expected true or false, found text",
    ),
    (
        "wrong type: a date that is not one",
        [("effective: 2022-07-11", "effective: 11 Juli 2022")],
        "t.yaml:6: effective: '11 Juli 2022' is not a date such as 2022-07-11",
    ),
    (
        "empty purpose",
        [("purpose: [Menguji validasi]", "purpose: []")],
        "t.yaml:7: purpose: must list at least one entry",
    ),
    (
        "empty title",
        [("title: Prosedur Uji", "title: ''")],
        "t.yaml:3: title: must not be empty",
    ),
    (
        "SOP number of the wrong shape",
        [("code: PR.1.1", "code: PR 1.1")],
        "t.yaml:1: code: 'PR 1.1' is not an SOP number such as PR.33.8",
    ),
    (
        "wrong type: gaps as text",
        [("scope: [Uji]\n", "scope: [Uji]\ngaps: Uji\n")],
        "t.yaml:9: gaps: expected a list, found text",
    ),
    (
        "wrong type: a gap as a mapping",
        [("scope: [Uji]\n", "scope: [Uji]\ngaps:\n  - item: Uji\n")],
        "t.yaml:10: gaps[0]: expected text, found a mapping",
    ),
    (
        "empty gap",
        [("scope: [Uji]\n", "scope: [Uji]\ngaps: [Uji, '']\n")],
        "t.yaml:9: gaps[1]: must not be empty",
    ),
    (
        "gap that is not part of the scope",
        [("scope: [Uji]\n", "scope: [Uji]\ngaps:\n  - Uji\n  - Produksi konten\n")],
        "t.yaml:11: gaps[1]: 'Produksi konten' is not part of any item of scope",
    ),
    (
        "wrong type: owner as a list",
        [("unit: UPT-SI\n", "unit: UPT-SI\nowner: [Koor.SI]\n")],
        "t.yaml:5: owner: expected text, found a list",
    ),
]


def mutate(changes: list[tuple[str, str]]) -> str:
    text = VALID
    for old, new in changes:
        assert text.count(old) == 1, f"{old!r} must occur exactly once"
        text = text.replace(old, new)
    return text


def test_the_valid_sample_parses() -> None:
    definition = parse_definition(VALID, "t.yaml")
    assert definition.code == "PR.1.1"
    assert [a.key for a in definition.activities] == ["terima", "putuskan", "beri", "tolak"]
    assert definition.activity("putuskan").next[1].when == "ditolak"
    assert definition.activity("beri").end is True
    assert definition.activity("tolak").time_standard is None
    assert definition.services[0].fields[0].required is True
    assert definition.kpis[1].measure.params == {"within": "1d"}


@pytest.mark.parametrize(
    ("changes", "message"), [case[1:] for case in CASES], ids=[case[0] for case in CASES]
)
def test_each_mistake_is_one_line_naming_file_line_and_field(
    changes: list[tuple[str, str]], message: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(mutate(changes), "t.yaml")
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)
    file, line, rest = message.split(":", 2)
    assert caught.value.file == file
    assert caught.value.line == int(line)
    if caught.value.field:
        assert rest.startswith(f" {caught.value.field}: ")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "changes",
    [CASES[0][1], CASES[5][1], CASES[8][1], CASES[11][1], CASES[16][1], CASES[20][1]],
    ids=["syntax", "duplicate key", "unknown field", "duration", "kpi code", "retention"],
)
def test_a_bad_file_loads_nothing_even_beside_good_ones(
    tmp_path: Path, changes: list[tuple[str, str]]
) -> None:
    (tmp_path / "a-good.yaml").write_text(VALID)
    (tmp_path / "b-bad.yaml").write_text(mutate(changes).replace("PR.1.1", "PR.1.2"))
    before = Sop.objects.count()
    with pytest.raises(DefinitionError) as caught:
        sop_load_dir(actor=None, directory=tmp_path)
    assert caught.value.file == "b-bad.yaml"
    assert Sop.objects.count() == before


def test_an_unknown_unit_is_named_with_its_line() -> None:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(VALID, "t.yaml", known_units={"P4M", "KS"})
    assert str(caught.value) == "t.yaml:4: unit: unknown unit 'UPT-SI' (units: KS, P4M)"


def test_a_sop_without_kpis_is_valid() -> None:
    text = mutate(
        [
            (VALID[VALID.index("kpis:") : VALID.index("records:")], "kpis: []\n"),
            ("    kpi: B.4.6.4.c\n", ""),
        ]
    )
    assert parse_definition(text, "t.yaml").kpis == ()


def test_gaps_name_parts_of_the_scope_and_are_kept_with_the_owner_as_printed() -> None:
    plain = parse_definition(VALID, "t.yaml")
    assert (plain.gaps, plain.owner) == ((), "")
    text = mutate(
        [
            ("scope: [Uji]\n", "scope: [Uji validasi, Uji beban]\ngaps: [uji beban]\n"),
            ("unit: UPT-SI\n", "unit: UPT-SI\nowner: Koor.SI\n"),
        ]
    )
    definition = parse_definition(text, "t.yaml")
    assert definition.gaps == ("uji beban",)
    assert definition.owner == "Koor.SI"
    assert Definition.from_json(definition.to_json()) == definition


def test_a_lost_date_and_version_are_null() -> None:
    text = mutate([("version: V0", "version: null"), ("effective: 2022-07-11", "effective: null")])
    definition = parse_definition(text, "t.yaml")
    assert (definition.version, definition.effective) == ("", None)


def test_the_error_without_a_field_leaves_it_out() -> None:
    error = DefinitionError("x.yaml", 3, "", "invalid YAML: oops")
    assert str(error) == "x.yaml:3: invalid YAML: oops"
    assert (
        str(DefinitionError("x.yaml", 17, "kpis[0].code", "bad")) == "x.yaml:17: kpis[0].code: bad"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("15m", (15, "m")), ("4h", (4, "h")), ("1d", (1, "d")), ("2w", (2, "w")), ("1mo", (1, "mo"))],
)
def test_parse_duration(text: str, expected: tuple[int, str]) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "15", "0m", "15 m", "15min", "1y", "-1d", "1.5h", "m15"])
def test_parse_duration_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(text)


@given(st.integers(min_value=1, max_value=10_000), st.sampled_from(["m", "h", "d", "w", "mo"]))
def test_parse_duration_reads_back_what_it_is_given(amount: int, unit: str) -> None:
    assert parse_duration(f"{amount}{unit}") == (amount, unit)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("present", Target("presence")),
        (">= 100%", Target("share", 100.0)),
        (">=90%", Target("share", 90.0)),
        (">= 1/year", Target("count", 1.0)),
        (">= 80% from 2020, +5/year", Target("share", 80.0, 2020, 5.0)),
    ],
)
def test_parse_target(text: str, expected: Target) -> None:
    assert parse_target(text) == expected


@pytest.mark.parametrize(
    "text", ["", "100%", "> 100%", ">= 101%", ">= 1/month", "present!", ">= 80% from 20, +5/year"]
)
def test_parse_target_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_target(text)


@pytest.mark.parametrize(
    ("year", "threshold"), [(2019, 80.0), (2020, 80.0), (2021, 85.0), (2023, 95.0), (2030, 100.0)]
)
def test_a_rising_target_adds_its_step_each_year_up_to_100(year: int, threshold: float) -> None:
    # B.1.15.12: 80% of study programmes in 2020, at least 5 points more every year.
    assert parse_target(">= 80% from 2020, +5/year").threshold(year) == threshold


def test_every_known_measure_says_in_one_line_what_it_computes() -> None:
    for name, spec in KNOWN_MEASURES.items():
        assert spec.doc and "\n" not in spec.doc, name
        assert spec.target in ("presence", "share", "count"), name


def test_a_service_acknowledges_requests_unless_it_says_not_to() -> None:
    assert parse_definition(VALID, "t.yaml").services[0].acknowledge is True
    quiet = mutate(
        [("    first_response: 15m\n", "    first_response: 15m\n    acknowledge: false\n")]
    )
    assert parse_definition(quiet, "t.yaml").services[0].acknowledge is False
